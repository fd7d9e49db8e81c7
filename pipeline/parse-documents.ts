import { basename } from 'node:path';
import { addressKey } from '../schema/addresses.ts';
import { SITE_DOCUMENT } from '../schema/site-document.ts';
import { type MediaReference, resolveMedia } from './media-references.ts';
import { parseDocument } from './parse-document.ts';
import { parseMarkdown } from './parse-markdown.ts';
import type {
  DocumentInput,
  DocumentProblem,
  ParsedArticle,
  ParsedFile,
  ParsedPage,
} from './parse-result.ts';
import { parseRedirectsDocument, REDIRECTS_DOCUMENT, type Redirect } from './redirects-document.ts';
import { type SiteStructure, siteStructure } from './site-addresses.ts';
import { type ParsedSite, parseSiteDocument } from './site-document.ts';

export type { DocumentInput, DocumentProblem, ParsedArticle } from './parse-result.ts';
export { formatProblem } from './parse-result.ts';

/** Every document of a content folder, parsed and checked as a whole. */
export interface ParsedContent {
  /** The articles' documents. */
  parsed: ParsedArticle[];
  /** The content pages' documents. */
  pages: ParsedPage[];
  site: ParsedSite | null;
  /** Sections, indexes, the menu, the sidebar links and the redirects, resolved (site-addresses.ts). */
  structure: SiteStructure;
  /** The media files the documents name, each at the line that names it (media-references.ts). */
  media: MediaReference[];
  /** What the seed says about the media without refusing (page-text images without alt text). */
  mediaNotices: DocumentProblem[];
}

/**
 * Parses a set of documents, each by its format (`.md` Markdown, `site.yaml` the site document,
 * `redirects.yaml` the redirects, otherwise page text), and checks what only the set can show (two
 * articles with one slug, whatever their formats; an address taken twice; an earlier URL listed twice;
 * a section, menu item or redirect that leads nowhere), and that every image and download a document
 * names is one of `mediaNames` (the other files of the folder). Either every document is good, or the
 * result lists every problem found.
 */
export function parseDocuments(
  files: DocumentInput[],
  mediaNames: ReadonlySet<string> = new Set(),
): ({ ok: true } & ParsedContent) | { ok: false; problems: DocumentProblem[] } {
  const parsed: ParsedArticle[] = [];
  const pages: ParsedPage[] = [];
  const problems: DocumentProblem[] = [];
  let site: ParsedSite | null = null;
  let redirects: { file: string; redirects: Redirect[] } | null = null;
  for (const input of files) {
    const file = input.file;
    // A name the folder reader would not read (not a regular file, a link outside): its problem.
    if ('problem' in input) {
      problems.push({ file, ...input.problem });
      continue;
    }
    const content = 'bytes' in input ? input.bytes : input.text;
    if (basename(file) === SITE_DOCUMENT) {
      const result = parseSiteDocument(content, file);
      if (result.ok) site = result.site;
      else problems.push(...result.problems);
      continue;
    }
    if (basename(file) === REDIRECTS_DOCUMENT) {
      const result = parseRedirectsDocument(content, file);
      if (result.ok) redirects = result;
      else problems.push(...result.problems);
      continue;
    }
    const parse = file.endsWith('.md') ? parseMarkdown : parseDocument;
    const result = parse(content, file);
    if (!result.ok) problems.push(...result.problems);
    else if (isArticle(result.parsed)) parsed.push(result.parsed);
    else pages.push(result.parsed as ParsedPage);
  }
  const articleMedia = resolveMedia(parsed, mediaNames);
  const pageMedia = resolveMedia(pages, mediaNames);
  parsed.splice(0, parsed.length, ...articleMedia.items);
  pages.splice(0, pages.length, ...pageMedia.items);
  problems.push(...articleMedia.problems, ...pageMedia.problems);
  const bySlug = new Map<string, ParsedArticle>();
  for (const item of parsed) {
    const other = bySlug.get(item.document.article.slug);
    if (other) {
      problems.push({
        file: item.file,
        line: item.titleLine,
        message: `duplicate slug "${item.document.article.slug}": ${other.file}:${other.titleLine} has the same`,
      });
    } else {
      bySlug.set(item.document.article.slug, item);
    }
  }
  // The set's addresses are judged only when every document could be read: otherwise a document
  // with a mistake would also be reported as missing from the menu or a redirect.
  if (problems.length > 0) return { ok: false, problems };
  const structure = siteStructure(parsed, pages, site, redirects);
  if (!structure.ok) return { ok: false, problems: structure.problems };
  problems.push(...aliasProblems([...parsed, ...pages], structure.structure));
  return problems.length > 0
    ? { ok: false, problems }
    : {
        ok: true,
        parsed,
        pages,
        site,
        structure: structure.structure,
        media: [...articleMedia.references, ...pageMedia.references],
        mediaNotices: [...articleMedia.notices, ...pageMedia.notices],
      };
}

const isArticle = (item: ParsedFile): item is ParsedArticle => item.document.kind === 'article';

/** The address of a parsed document as the site compares it. */
const currentKey = (item: ParsedFile) =>
  item.document.kind === 'article'
    ? `${item.document.article.section}/${item.document.article.publishedAt}/${item.document.article.slug}`
    : addressKey(item.document.page.path);

/**
 * An earlier URL answers for one document only, and never for an address the site answers now (a
 * document's, a section's, an index's, a redirect's): a second listing is a problem at its line,
 * naming where the first is.
 */
function aliasProblems(items: ParsedFile[], structure: SiteStructure): DocumentProblem[] {
  const problems: DocumentProblem[] = [];
  const current = new Map(items.map((item) => [currentKey(item), item] as const));
  const taken = new Map<string, string>([
    ...structure.sections.map((s) => [s.path, `the section ${s.path}`] as const),
    ...structure.indexes.map((index) => [index.key, `the index ${index.path}`] as const),
    ...structure.redirects.map((r) => [r.path, `redirected by redirects.yaml`] as const),
  ]);
  const seen = new Map<string, { file: string; line: number }>();
  for (const item of items) {
    item.document.publishing.aliases.forEach((path, index) => {
      const line = item.aliasLines?.[index] ?? item.titleLine;
      const owner = current.get(path);
      const first = seen.get(path);
      if (owner) {
        const what = owner.document.kind === 'article' ? 'article' : 'page';
        problems.push({
          file: item.file,
          line,
          message: `the earlier URL ${path} is the current URL of the ${what} of ${owner.file}:${owner.frontLines?.url ?? owner.titleLine}`,
        });
      } else if (taken.has(path)) {
        problems.push({ file: item.file, line, message: `the earlier URL ${path} is ${taken.get(path)}` });
      } else if (first) {
        problems.push({
          file: item.file,
          line,
          message: `the earlier URL ${path} is listed by ${first.file}:${first.line} too; it can lead to one document`,
        });
      } else {
        seen.set(path, { file: item.file, line });
      }
    });
  }
  return problems;
}
