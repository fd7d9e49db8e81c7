import * as v from 'valibot';
import { DocumentText, type SourceDocument } from '../schema/document.ts';
import type { SitePart } from '../schema/site-document.ts';
import { printable } from './printable.ts';

// What parsing a document gives, in either format (pipeline/parse-document.ts for .txt,
// pipeline/parse-markdown.ts for .md): a module of its own so that both parsers share it.

/** One problem in one source document, reported as `file:line: message`. */
export interface DocumentProblem {
  file: string;
  line: number;
  message: string;
}

type ArticleDocument = Extract<SourceDocument, { kind: 'article' }>;
type PageDocument = Extract<SourceDocument, { kind: 'page' }>;

export interface ParsedFile<D extends SourceDocument = SourceDocument> {
  file: string;
  document: D;
  /** Line of the article title, for messages about the article as a whole (e.g. a duplicate slug). */
  titleLine: number;
  /** Line of each site part's section marker, for the seed's notices about the site parts. */
  siteLines?: Partial<Record<SitePart, number>>;
  /** Line of each alias (document.publishing.aliases[i]), for problems about it. */
  aliasLines?: number[];
  /** Line of each body block (document.article.body or document.page.body), for media it names. */
  blockLines?: number[];
  /** Line of each front-matter key, for problems about what it says (a url, a section). */
  frontLines?: Record<string, number>;
}
/** An article's document, and a page's. */
export type ParsedArticle = ParsedFile<ArticleDocument>;
export type ParsedPage = ParsedFile<PageDocument>;

/**
 * A document to parse: the bytes of its file (decoded strictly as UTF-8), text already decoded, or
 * the problem that kept the folder reader from reading it (pipeline/content-files.ts).
 */
export type DocumentInput =
  | { file: string; bytes: Uint8Array }
  | { file: string; text: string }
  | { file: string; problem: { line: number; message: string } };

export type ParseResult = { ok: true; parsed: ParsedFile } | { ok: false; problems: DocumentProblem[] };

/** `file:line: message`, printable: a file name or a value in the message may hold control characters. */
export function formatProblem(problem: DocumentProblem): string {
  return `${printable(problem.file)}:${problem.line}: ${printable(problem.message)}`;
}

/**
 * The file itself, before either parser reads it (size, encoding, control characters; see
 * DocumentText): its text, or the problems, each at its line (the issue's path is the line).
 */
export function decodeDocument(
  input: string | Uint8Array,
  file: string,
): { ok: true; text: string } | { ok: false; problems: DocumentProblem[] } {
  const decoded = v.safeParse(DocumentText, input);
  if (decoded.success) return { ok: true, text: decoded.output };
  return {
    ok: false,
    problems: decoded.issues.map((issue) => {
      const line = issue.path?.[0]?.key;
      return { file, line: typeof line === 'number' ? line : 1, message: issue.message };
    }),
  };
}
