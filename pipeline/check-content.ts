/**
 * The content check of `npm run check:content`: every validation the seed runs (the folder as the
 * seed reads it, each document, site.yaml, redirects.yaml, the set's addresses, menu and sections,
 * the glossary), without a database, a network or a write; and, given a base folder (the content of
 * a pull request's base commit), every address the base answers that the head would no longer
 * answer. Addresses are forever: one that would answer 404 is a problem, one that moves is a notice.
 */
import { basename, join } from 'node:path';
import { addressKey, articlePath, DEFAULT_SECTION, parentKey } from '../schema/addresses.ts';
import { readDocuments, readMediaNames } from './content-files.ts';
import { readGlossary } from './glossary.ts';
import { type ParsedContent, parseDocuments } from './parse-documents.ts';
import type { ParsedArticle, ParsedPage } from './parse-result.ts';
import { parseRedirectsDocument, REDIRECTS_DOCUMENT } from './redirects-document.ts';

/** One line of the check's report: a problem (exit 1) or a notice, at a file's line when it has one. */
export interface CheckMessage {
  level: 'error' | 'notice';
  file?: string;
  line?: number;
  /** A short heading (the annotation's title in a pull request). */
  title: string;
  message: string;
}

export interface ContentCounts {
  articles: number;
  pages: number;
  drafts: number;
  /** Sections, the default one included. */
  sections: number;
  indexes: number;
  redirects: number;
  glossary: number;
}

export interface ContentCheck {
  ok: boolean;
  messages: CheckMessage[];
  /** What the head holds; null when it could not be read as a whole. */
  counts: ContentCounts | null;
  /** The comparison with the base: null without one, or when either side could not be read. */
  comparison: { moved: number; redirected: number; gone: number } | null;
}

const PROBLEM = 'Content problem';
const GONE = 'Address would answer 404';
const MOVED = 'Address moved';
const REDIRECTED = 'Address redirected';

/** A folder read as a whole, with the line of each redirect (the seed needs none, this report does). */
interface Content extends ParsedContent {
  redirectLines: Map<string, number>;
}
type Read = { ok: true; content: Content; glossary: number } | { ok: false; problems: CheckMessage[] };

/** A folder as the seed reads it (seed-command.ts, seedSource), up to where the seed would write. */
async function readContent(dir: string): Promise<Read> {
  let files: Awaited<ReturnType<typeof readDocuments>>;
  let mediaNames: Set<string>;
  try {
    files = await readDocuments(dir);
    // The images and files documents may name, as the seed sees them (seed-command.ts, seedSource).
    mediaNames = await readMediaNames(dir);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      problems: [{ level: 'error', title: PROBLEM, message: `cannot read ${dir}: ${reason}` }],
    };
  }
  const parsed = parseDocuments(files, mediaNames);
  const glossary = await readGlossary(dir);
  if (!parsed.ok || !glossary.ok) {
    const problems = [...(parsed.ok ? [] : parsed.problems), ...(glossary.ok ? [] : glossary.problems)];
    return {
      ok: false,
      problems: problems.map((p) => ({
        level: 'error',
        file: p.file,
        line: p.line,
        title: PROBLEM,
        message: p.message,
      })),
    };
  }
  if (parsed.parsed.length + parsed.pages.length === 0) {
    return {
      ok: false,
      problems: [{ level: 'error', title: PROBLEM, message: `no *.txt or *.md documents in ${dir}` }],
    };
  }
  const redirectLines = new Map<string, number>();
  const redirects = files.find((input) => basename(input.file) === REDIRECTS_DOCUMENT);
  if (redirects && !('problem' in redirects)) {
    const read = parseRedirectsDocument(
      'bytes' in redirects ? redirects.bytes : redirects.text,
      redirects.file,
    );
    if (read.ok) for (const redirect of read.redirects) redirectLines.set(redirect.from, redirect.line);
  }
  return { ok: true, content: { ...parsed, redirectLines }, glossary: glossary.entries.length };
}

function countsOf(content: ParsedContent, glossary: number): ContentCounts {
  return {
    articles: content.parsed.length,
    pages: content.pages.length,
    drafts: [...content.parsed, ...content.pages].filter((item) => item.document.publishing.draft).length,
    sections: 1 + content.structure.sections.length,
    indexes: content.structure.indexes.length,
    redirects: content.structure.redirects.length,
    glossary,
  };
}

/** Checks `source`, and compares its addresses with those of `base` when given. */
export async function checkContent(source: string, base?: string): Promise<ContentCheck> {
  const head = await readContent(source);
  if (!head.ok) return { ok: false, messages: head.problems, counts: null, comparison: null };
  const messages: CheckMessage[] = [];
  let comparison: ContentCheck['comparison'] = null;
  if (base !== undefined) {
    const before = await readContent(base);
    if (before.ok) {
      const compared = compareAddresses(before.content, head.content, source);
      messages.push(...compared.messages);
      comparison = compared.counts;
    } else {
      // The base is what is published already: its mistakes are not this change's, and a change
      // that mends them must pass. Only the comparison is lost.
      messages.push({
        level: 'notice',
        title: 'Addresses not compared',
        message: `the base ${base} has ${before.problems.length} problem(s) of its own, so its addresses were not compared`,
      });
    }
  }
  return {
    ok: !messages.some((m) => m.level === 'error'),
    messages,
    counts: countsOf(head.content, head.glossary),
    comparison,
  };
}

/** An address the base answers: what it is, and the document that owns it (if one does). */
interface BaseAddress {
  key: string;
  /** As served (a page keeps its slash form). */
  path: string;
  what: string;
  article?: ParsedArticle;
  page?: ParsedPage;
}

const isPublic = (item: ParsedArticle | ParsedPage) => !item.document.publishing.draft;

/**
 * Every address a folder's content answers, by key: its pages, articles, sections and indexes
 * (`served`), and the addresses that answer 301 (`redirected`: redirects.yaml and `aliases:`).
 */
function addressesOf(content: ParsedContent): { served: Map<string, BaseAddress>; redirected: Set<string> } {
  const served = new Map<string, BaseAddress>();
  const add = (address: BaseAddress) => {
    if (!served.has(address.key)) served.set(address.key, address);
  };
  for (const article of content.parsed.filter(isPublic)) {
    const path = articlePath(article.document.article);
    add({ key: path, path, what: 'the article', article });
  }
  for (const page of content.pages.filter(isPublic)) {
    const path = page.document.page.path;
    add({ key: addressKey(path), path, what: 'the page', page });
  }
  for (const path of [DEFAULT_SECTION, ...content.structure.sections.map((s) => s.path)]) {
    add({ key: path, path, what: 'the section' });
  }
  for (const index of content.structure.indexes) add({ key: index.key, path: index.path, what: 'the index' });
  const redirected = new Set([
    ...content.structure.redirects.map((redirect) => redirect.path),
    ...[...content.parsed, ...content.pages]
      .filter(isPublic)
      .flatMap((item) => item.document.publishing.aliases),
  ]);
  return { served, redirected };
}

/** The base's addresses: what it serves, then what it redirects (which must keep answering too). */
function baseAddresses(content: ParsedContent): BaseAddress[] {
  const { served, redirected } = addressesOf(content);
  return [
    ...served.values(),
    ...[...redirected]
      .filter((key) => !served.has(key))
      .map((key) => ({ key, path: key, what: 'the redirected address' })),
  ];
}

/**
 * The base's addresses that the head no longer answers, each as the seed and the Worker would treat
 * it: a page whose file now names another `url` (matched by file name, as the seed matches pages) keeps
 * its old address as a 301; an article asked under a section of the site by a slug that an article
 * of the same file had, or has, answers 301 (a former slug, or another date or section); an index
 * follows its children when they all moved under one address; redirects.yaml and `aliases:` take an
 * address over. Anything else would answer 404, a problem at the document that gave it up (or at
 * redirects.yaml, where the fix goes, when that document is gone).
 */
function compareAddresses(
  base: ParsedContent,
  head: Content,
  headDir: string,
): { messages: CheckMessage[]; counts: { moved: number; redirected: number; gone: number } } {
  const now = addressesOf(head);
  const headSections = new Set([DEFAULT_SECTION, ...head.structure.sections.map((s) => s.path)]);
  const redirectsFile = join(headDir, REDIRECTS_DOCUMENT);
  const headAliases = new Map<string, { file: string; line: number; target: string }>();
  for (const item of [...head.parsed, ...head.pages].filter(isPublic)) {
    item.document.publishing.aliases.forEach((path, i) => {
      headAliases.set(path, {
        file: item.file,
        line: item.aliasLines?.[i] ?? item.titleLine,
        target:
          item.document.kind === 'article' ? articlePath(item.document.article) : item.document.page.path,
      });
    });
  }
  const headPageByFile = new Map(head.pages.filter(isPublic).map((page) => [basename(page.file), page]));
  const headArticleByFile = new Map(head.parsed.filter(isPublic).map((a) => [basename(a.file), a]));
  const headArticleBySlug = new Map(head.parsed.filter(isPublic).map((a) => [a.document.article.slug, a]));

  const messages: CheckMessage[] = [];
  const counts = { moved: 0, redirected: 0, gone: 0 };
  const moved = (file: string, line: number, from: BaseAddress, to: string) => {
    counts.moved++;
    messages.push({
      level: 'notice',
      file,
      line,
      title: MOVED,
      message: `${from.path} → ${to}, the old address answers 301`,
    });
  };

  for (const address of baseAddresses(base)) {
    const { key } = address;
    // Still served, or redirected as it was: nothing to say.
    if (now.served.has(key)) continue;
    if (address.what === 'the redirected address' && now.redirected.has(key)) continue;

    // A page whose file now names another address: the seed keeps the old one as a 301.
    const page = address.page && headPageByFile.get(basename(address.page.file));
    if (page) {
      moved(page.file, page.frontLines?.url ?? page.titleLine, address, page.document.page.path);
      continue;
    }
    // An article: the Worker answers any date or section of the site for its slug, and the seed keeps
    // a former slug of the same file; either is one 301, as long as the old section is still one.
    if (address.article) {
      const { section, slug } = address.article.document.article;
      const article = headArticleBySlug.get(slug) ?? headArticleByFile.get(basename(address.article.file));
      if (article && headSections.has(section)) {
        moved(
          article.file,
          article.frontLines?.url ?? article.titleLine,
          address,
          articlePath(article.document.article),
        );
        continue;
      }
    }
    // An index whose children all went under one address of the head leads there (seed-pages.ts).
    if (address.what === 'the index') {
      const target = movedIndexTarget(key, base, head, headPageByFile);
      if (target) {
        moved(target.file, target.line, address, target.path);
        continue;
      }
    }
    const redirect = head.structure.redirects.find((r) => r.path === key);
    if (redirect) {
      counts.redirected++;
      messages.push({
        level: 'notice',
        file: redirectsFile,
        line: head.redirectLines.get(key) ?? 1,
        title: REDIRECTED,
        message: `${address.path} (${address.what} until now) answers 301 to ${redirect.target} (redirects.yaml)`,
      });
      continue;
    }
    const alias = headAliases.get(key);
    if (alias) {
      counts.redirected++;
      messages.push({
        level: 'notice',
        file: alias.file,
        line: alias.line,
        title: REDIRECTED,
        message: `${address.path} (${address.what} until now) answers 301 to ${alias.target} (an earlier URL of this document)`,
      });
      continue;
    }
    counts.gone++;
    const owner = address.page ?? address.article;
    const stillThere =
      owner && [...head.parsed, ...head.pages].find((item) => basename(item.file) === basename(owner.file));
    const at = stillThere
      ? { file: stillThere.file, line: stillThere.frontLines?.url ?? stillThere.titleLine }
      : owner
        ? { file: join(headDir, basename(owner.file)), line: 1 }
        : { file: redirectsFile, line: 1 };
    const why = stillThere?.document.publishing.draft ? ' (its document is a draft now)' : '';
    messages.push({
      level: 'error',
      ...at,
      title: GONE,
      message:
        `${address.what} ${address.path} would answer 404${why}: addresses are forever. ` +
        `Add "${address.path}: <new address>" to redirects.yaml, or list it under aliases: of the document that replaces it`,
    });
  }
  return { messages, counts };
}

/**
 * Where an index of the base leads when the head no longer needs it: the one parent its former child
 * pages (matched by file name) have now, when that is an address of the head, as the seed decides it;
 * with the first child's `url` line, where the move was made.
 */
function movedIndexTarget(
  key: string,
  base: ParsedContent,
  head: ParsedContent,
  headPageByFile: Map<string, ParsedPage>,
): { path: string; file: string; line: number } | null {
  const children = base.pages.filter((page) => parentKey(page.document.page.path) === key);
  const moved = children.map((child) => headPageByFile.get(basename(child.file)));
  const parents = new Set(moved.map((page) => (page ? parentKey(page.document.page.path) : null)));
  const [target] = parents;
  const [first] = moved;
  if (parents.size !== 1 || !target || !first) return null;
  const page = head.pages.find((item) => addressKey(item.document.page.path) === target);
  const path = page?.document.page.path ?? head.structure.indexes.find((item) => item.key === target)?.path;
  return path ? { path, file: first.file, line: first.frontLines?.url ?? first.titleLine } : null;
}
