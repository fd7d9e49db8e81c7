/**
 * The search benchmark: this site's search and Pagefind side by side on the same Dutch articles
 * (bench/search/articles/) and queries (bench/search/queries.yaml, each with the articles a reader
 * expects). Ours is the built Worker in workerd (Miniflare) over the local libSQL server, asked at
 * /api/search, as `npm run bench` runs it; Pagefind indexes the article pages exactly as the site renders them (`<html
 * lang="nl">`, so it stems Dutch), restricted to the article itself (not the sidebar every page
 * repeats), and is queried in Node with its own browser bundle (pagefind.js and its WebAssembly),
 * whose fetches are answered from the bundle's folder.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as pagefind from 'pagefind';
import * as v from 'valibot';
import { parse } from 'yaml';
import { buildWorker } from '../dev/local-worker.ts';
import { readDocuments } from '../pipeline/content-files.ts';
import { readGlossary } from '../pipeline/glossary.ts';
import { migrateDatabase, openClient, ROOT } from '../pipeline/libsql.ts';
import { formatProblem, parseDocuments } from '../pipeline/parse-documents.ts';
import { seedDatabase } from '../pipeline/seed-database.ts';
import { articlePath } from '../worker/site.ts';
import { database, worker } from './owned.ts';
import { log, TMP } from './settings.ts';

const CORPUS = join(ROOT, 'bench', 'search');
const TOP = 10;

const Queries = v.array(v.object({ q: v.string(), expect: v.pipe(v.array(v.string()), v.minLength(1)) }));

export interface EngineAnswerRow {
  /** Slugs of the first TOP results. */
  slugs: string[];
  recall: number;
  reciprocalRank: number;
  ms: number;
}
interface QueryResult {
  q: string;
  expect: string[];
  ours: EngineAnswerRow;
  pagefind: EngineAnswerRow;
}
export interface SearchQualityResult {
  articles: number;
  queries: QueryResult[];
  totals: Record<'ours' | 'pagefind', { recallAt10: number; mrr: number; medianMs: number }>;
  pagefindVersion: string;
}

function score(slugs: string[], expect: string[], ms: number): EngineAnswerRow {
  const top = slugs.slice(0, TOP);
  const found = expect.filter((slug) => top.includes(slug)).length;
  const first = top.findIndex((slug) => expect.includes(slug));
  return { slugs: top, recall: found / expect.length, reciprocalRank: first < 0 ? 0 : 1 / (first + 1), ms };
}

/** The corpus seeded into a fresh database, the local libSQL server on it and the built Worker over that. */
async function siteOverCorpus(file: string) {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  const parsed = parseDocuments(await readDocuments(join(CORPUS, 'articles')));
  if (!parsed.ok) throw new Error(parsed.problems.map(formatProblem).join('\n'));
  const glossary = await readGlossary(join(ROOT, 'content-seed'));
  if (!glossary.ok) throw new Error(glossary.problems.map(formatProblem).join('\n'));
  const client = openClient(`file:${file}`);
  try {
    await migrateDatabase(client);
    await seedDatabase(client, parsed.parsed, { glossary: glossary.entries });
  } finally {
    client.close();
  }
  const db = await database(file);
  const site = await worker({ libsqlUrl: db.url, bindings: { L1_CACHE: 'off' } });
  const get = async (path: string) => {
    const response = await fetch(`${site.url}${path}`);
    if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
    return response;
  };
  return { articles: parsed.parsed.map((p) => p.document.article), get };
}

/** Pagefind's index of the rendered article pages, written to `dir`, and a search over it. */
async function pagefindOver(pages: { url: string; html: string }[], dir: string) {
  rmSync(dir, { recursive: true, force: true });
  const { index } = await pagefind.createIndex({
    rootSelector: 'article.article',
    excludeSelectors: ['.breadcrumb', '.meta', '.share', '.article-nav'],
  });
  if (!index) throw new Error('pagefind: no index');
  for (const page of pages) {
    const added = await index.addHTMLFile({ url: page.url, content: page.html });
    if (added.errors.length > 0) throw new Error(`pagefind: ${added.errors.join('; ')}`);
  }
  const written = await index.writeFiles({ outputPath: dir });
  if (written.errors.length > 0) throw new Error(`pagefind: ${written.errors.join('; ')}`);
  await pagefind.close();

  // pagefind.js is a browser module: it fetches its index and WebAssembly relative to its base path.
  const base = 'http://pagefind.invalid/pagefind/';
  const realFetch = globalThis.fetch;
  globalThis.fetch = (async (input: RequestInfo | URL) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (!url.href.startsWith(base)) return realFetch(input);
    const bytes = await readFile(join(dir, decodeURIComponent(url.pathname.slice('/pagefind/'.length))));
    const type = url.pathname.endsWith('.wasm') ? 'application/wasm' : 'application/octet-stream';
    return new Response(bytes, { headers: { 'content-type': type } });
  }) as typeof fetch;
  copyFileSync(join(dir, 'pagefind.js'), join(dir, 'pagefind.mjs'));
  const api = (await import(pathToFileURL(join(dir, 'pagefind.mjs')).href)) as {
    options(o: Record<string, unknown>): Promise<void>;
    init(): Promise<void>;
    search(q: string): Promise<{ results: { data(): Promise<{ url: string }> }[] } | null>;
  };
  await api.options({ basePath: base, baseUrl: '/' });
  await api.init();
  return {
    async search(q: string): Promise<string[]> {
      const found = await api.search(q);
      const data = await Promise.all((found?.results ?? []).slice(0, TOP).map((r) => r.data()));
      return data.map((d) => new URL(d.url, 'http://x').pathname.split('/').pop() ?? '');
    },
    restore: () => {
      globalThis.fetch = realFetch;
    },
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

export async function searchQuality(): Promise<SearchQualityResult> {
  const queries = v.parse(Queries, parse(readFileSync(join(CORPUS, 'queries.yaml'), 'utf8')));
  mkdirSync(TMP, { recursive: true });
  log('search quality: building dist/ (wrangler deploy --dry-run)');
  buildWorker();
  log(`search quality: seeding ${CORPUS}/articles`);
  const site = await siteOverCorpus(join(TMP, 'search-quality.db'));
  {
    const slugs = new Set(site.articles.map((a) => a.slug));
    for (const query of queries) {
      for (const slug of query.expect) {
        if (!slugs.has(slug))
          throw new Error(`queries.yaml: "${query.q}" expects ${slug}, which is no article`);
      }
    }
    log(`search quality: Pagefind over ${site.articles.length} rendered article pages`);
    const pages = [];
    for (const article of site.articles) {
      const path = articlePath(article);
      pages.push({ url: path, html: await (await site.get(path)).text() });
    }
    const pf = await pagefindOver(pages, join(TMP, 'pagefind'));
    try {
      log(`search quality: ${queries.length} queries on both`);
      const results: QueryResult[] = [];
      for (const query of queries) {
        let t = performance.now();
        const response = await site.get(`/api/search?q=${encodeURIComponent(query.q)}&limit=${TOP}`);
        const ours = ((await response.json()) as { results: { slug: string }[] }).results.map((r) => r.slug);
        const oursMs = performance.now() - t;
        t = performance.now();
        const theirs = await pf.search(query.q);
        const theirsMs = performance.now() - t;
        results.push({
          q: query.q,
          expect: query.expect,
          ours: score(ours, query.expect, oursMs),
          pagefind: score(theirs, query.expect, theirsMs),
        });
      }
      const totals = (engine: 'ours' | 'pagefind') => ({
        recallAt10: results.reduce((sum, r) => sum + r[engine].recall, 0) / results.length,
        mrr: results.reduce((sum, r) => sum + r[engine].reciprocalRank, 0) / results.length,
        medianMs: median(results.map((r) => r[engine].ms)),
      });
      const version = JSON.parse(
        readFileSync(join(ROOT, 'node_modules', 'pagefind', 'package.json'), 'utf8'),
      );
      return {
        articles: site.articles.length,
        queries: results,
        totals: { ours: totals('ours'), pagefind: totals('pagefind') },
        pagefindVersion: String(version.version),
      };
    } finally {
      pf.restore();
    }
  }
}
