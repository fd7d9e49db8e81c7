import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { LibSQLDatabase } from 'drizzle-orm/libsql';
import { addressKey, ancestorKeys, parentKey } from '../schema/addresses.ts';
import type { Block } from '../schema/blocks.ts';
import { tags as cacheTags } from '../schema/cache-tags.ts';
import { pageAddresses, pages, redirects, sections, siteMeta } from '../schema/tables.ts';
import type { ParsedPage } from './parse-result.ts';
import { bodyText, type SearchTexts, searchInputStatements } from './search-seed.ts';
import { SeedConflict } from './seed-plan.ts';
import type { Statement } from './seed-write.ts';
import type { SiteStructure } from './site-addresses.ts';

/**
 * The content pages, the indexes above them, their earlier addresses, the sections, the menu and
 * redirects.yaml, as seed statements. A page is matched to its row by file name, then by address
 * (an index by address): a page whose `url` changed keeps its row, and its old address answers 301
 * to the new one for good (page_addresses, 'former'). Addresses are forever: a page or index that
 * would stop answering without a redirect to take over is refused before anything is written.
 */

type Db = LibSQLDatabase;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export interface PagesSummary {
  inserted: string[];
  updated: string[];
  /** Pages whose document is gone: deleted with --prune, otherwise kept. */
  pruned: string[];
  kept: string[];
  /** Earlier addresses that now answer 301: `old → new`. */
  moved: string[];
  /** Sections, menu, sidebar links or redirects changed. */
  structure: boolean;
  drafts: { path: string; file: string }[];
}

/** The rows the page seed compares the documents with, in one batch. */
export async function readExistingPages(db: Db) {
  const [rows, addresses, redirectRows, sectionRows, meta] = await db.batch([
    db
      .select({
        id: pages.id,
        path: pages.path,
        key: pages.key,
        virtual: pages.virtual,
        sourceFile: pages.sourceFile,
        contentHash: pages.contentHash,
        searchHash: pages.searchHash,
        searchInput: pages.searchInput,
        draft: pages.draft,
        createdAt: pages.createdAt,
        updatedAt: pages.updatedAt,
      })
      .from(pages),
    db.select().from(pageAddresses),
    db.select().from(redirects),
    db.select().from(sections),
    db.select().from(siteMeta),
  ]);
  const menu = meta.find((row) => row.key === 'menu')?.value ?? null;
  return { rows, addresses, redirects: redirectRows, sections: sectionRows, menu };
}
type Existing = Awaited<ReturnType<typeof readExistingPages>>;
type Row = Existing['rows'][number];

interface Wanted {
  path: string;
  key: string;
  parent: string | null;
  title: string;
  excerpt: string;
  body: Block[];
  bodyText: string;
  virtual: boolean;
  sidebar: boolean;
  position: number | null;
  draft: boolean;
  sourceFile: string;
  aliases: string[];
  file: string | null;
  line: number;
}

/** What every page and index should be, from the documents and the structure. */
function wantedPages(parsed: ParsedPage[], structure: SiteStructure): Wanted[] {
  return [
    ...parsed.map((item) => {
      const { page, publishing } = item.document;
      return {
        path: page.path,
        key: addressKey(page.path),
        parent: parentKey(page.path),
        title: page.title,
        excerpt: page.excerpt,
        body: page.body,
        bodyText: bodyText(page.body),
        virtual: false,
        sidebar: page.sidebar,
        position: page.position,
        draft: publishing.draft,
        sourceFile: basename(item.file),
        aliases: publishing.aliases,
        file: item.file,
        line: item.frontLines?.url ?? item.titleLine,
      };
    }),
    ...structure.indexes.map((index) => ({
      ...index,
      excerpt: '',
      body: [],
      bodyText: '',
      virtual: true,
      sidebar: true,
      position: null,
      draft: false,
      sourceFile: '',
      aliases: [],
      file: null,
      line: 1,
    })),
  ];
}

const contentHashOf = (page: Wanted) =>
  sha256(
    JSON.stringify([
      page.path,
      page.title,
      page.excerpt,
      page.body,
      page.virtual,
      page.sidebar,
      page.position,
    ]),
  );

/**
 * The statements that bring pages, their addresses, sections, menu and redirects to what the
 * documents say; what changed (for the report and the purge); and a hash for the content version.
 */
export function pageStatements(
  db: Db,
  parsed: ParsedPage[],
  structure: SiteStructure,
  existing: Existing,
  options: { now: string; prune: boolean; search: SearchTexts },
): { statements: Statement[]; quiet: Statement[]; summary: PagesSummary; tags: string[]; hash: string } {
  const { now, search } = options;
  const wanted = wantedPages(parsed, structure);
  const byFile = new Map(existing.rows.filter((row) => !row.virtual).map((row) => [row.sourceFile, row]));
  const byKey = new Map(existing.rows.map((row) => [row.key, row]));
  const matched = new Map<Wanted, Row>();
  const taken = new Set<number>();
  for (const page of wanted) {
    const row = (page.virtual ? undefined : byFile.get(page.sourceFile)) ?? byKey.get(page.key);
    if (row && !taken.has(row.id) && row.virtual === page.virtual) {
      matched.set(page, row);
      taken.add(row.id);
    }
  }
  const gone = existing.rows.filter((row) => !taken.has(row.id));
  const wantedKeys = new Set(wanted.map((page) => page.key));
  const redirected = new Set(structure.redirects.map((r) => r.path));

  // A page kept without --prune keeps its address; so an index stays while it still has children.
  const kept = options.prune ? [] : gone.filter((row) => !row.virtual);
  // … and an index stays while a kept page is below it.
  const keptAbove = new Set(kept.flatMap((row) => ancestorKeys(row.key)));
  const removed = gone.filter(
    (row) => (row.virtual && !keptAbove.has(row.key)) || (!row.virtual && options.prune),
  );
  const keptKeys = new Set(kept.map((row) => row.key));
  for (const row of removed) {
    if (wantedKeys.has(row.key) || keptKeys.has(row.key) || redirected.has(row.key)) continue;
    // An index whose children moved: its address follows them to their new parent, if there is one.
    if (row.virtual && movedIndexTarget(row, wanted, matched, existing)) continue;
    const what = row.virtual ? `the index ${row.path}` : `the page ${row.path} (${row.sourceFile})`;
    throw new SeedConflict(
      `${row.virtual ? 'redirects.yaml' : row.sourceFile}:1: ${what} would no longer answer; addresses are kept ` +
        `for good: add "${row.key}/: <new address>" to redirects.yaml`,
    );
  }

  const statements: Statement[] = [];
  const summary: PagesSummary = {
    inserted: [],
    updated: [],
    pruned: removed.filter((row) => !row.virtual).map((row) => row.path),
    kept: kept.map((row) => row.path),
    moved: [],
    structure: false,
    drafts: wanted
      .filter((page) => page.draft && page.file)
      .map((page) => ({ path: page.path, file: page.file ?? '' })),
  };
  const purge = new Set<string>();
  const touch = (key: string | null) => {
    if (key !== null) purge.add(cacheTags.page(key));
  };
  if (removed.length > 0) {
    statements.push({
      sql: `delete from pages where id in (${removed.map(() => '?').join(', ')})`,
      params: removed.map((row) => row.id),
    });
    for (const row of removed) {
      touch(row.key);
      touch(parentKey(row.key));
    }
  }

  let indexOnly = false;
  const searchHashes = new Map<Wanted, string>();
  const searchInputs: { id: number; searchInput: string }[] = [];
  const formerTargets = new Map<string, string>(); // old key → the key of the page it now leads to
  for (const page of wanted) {
    const row = matched.get(page);
    const contentHash = contentHashOf(page);
    // Search finds a public page with a document: never a draft (its words must not surface) nor an
    // index (a list of links, no text of its own). Its own hash, as an article's: the glossary is
    // not the page's content, and a change to it changes no date. Made only when what it is made
    // from changed (SearchTexts.inputOf), which every change that writes the page is.
    const found = !page.draft && !page.virtual;
    const searchInput = search.inputOf(contentHash, found);
    const text = () => (found ? search.make(page.title, page.bodyText) : '{}');
    let made: string | null = null;
    let searchHash: string;
    if (row?.searchInput === searchInput && row.searchHash !== null) {
      searchHash = row.searchHash;
    } else {
      made = text();
      searchHash = sha256(made).slice(0, 16);
    }
    searchHashes.set(page, searchHash);
    const changed =
      !row || row.contentHash !== contentHash || row.draft !== page.draft || row.path !== page.path;
    const values = {
      path: page.path,
      key: page.key,
      parent: page.parent,
      title: page.title,
      excerpt: page.excerpt,
      body: page.body,
      bodyText: page.bodyText,
      searchHash,
      searchInput,
      virtual: page.virtual,
      sidebar: page.sidebar,
      position: page.position,
      draft: page.draft,
      contentHash,
      sourceFile: page.sourceFile,
      updatedAt: !row || row.contentHash !== contentHash ? now : row.updatedAt,
    };
    if (row && row.key !== page.key && !wantedKeys.has(row.key)) {
      formerTargets.set(row.key, page.key);
      summary.moved.push(`${row.path} → ${page.path}`);
      touch(row.key);
      touch(parentKey(row.key));
    }
    // Only the index text changed (the glossary did): the row is written, nothing a visitor sees
    // changed but search, whose answers change with the content version.
    if (!changed && row?.searchHash === searchHash) {
      if (row.searchInput !== searchInput) searchInputs.push({ id: row.id, searchInput });
      continue;
    }
    if (!changed) indexOnly = true;
    const written = { ...values, searchText: made ?? text() };
    if (changed) {
      (row ? summary.updated : summary.inserted).push(page.path);
      touch(page.key);
      touch(page.parent);
    }
    if (row) {
      statements.push(
        db
          .insert(pages)
          .values({ ...written, id: row.id, createdAt: row.createdAt })
          .onConflictDoUpdate({ target: pages.id, set: written })
          .toSQL(),
      );
    } else {
      statements.push(
        db
          .insert(pages)
          .values({ ...written, createdAt: now })
          .toSQL(),
      );
    }
  }
  // Moved indexes follow their children (movedIndexTarget).
  for (const row of removed) {
    const target = row.virtual ? movedIndexTarget(row, wanted, matched, existing) : null;
    if (target && !redirected.has(row.key)) formerTargets.set(row.key, target);
  }

  // Earlier addresses: a former one stays (also the formers of a former address's page follow it,
  // since they point at the row); one that is an address of the site again is dropped; aliases are
  // what the documents list now.
  const current = new Set([...wantedKeys, ...keptKeys, ...structure.sections.map((s) => s.path)]);
  const addressRows = existing.addresses.filter((row) => row.kind === 'former' && !current.has(row.path));
  const dropped = existing.addresses.filter((row) => row.kind !== 'former' || current.has(row.path));
  const writes: Statement[] = [];
  if (dropped.length > 0) {
    writes.push({
      sql: `delete from page_addresses where path in (${dropped.map(() => '?').join(', ')})`,
      params: dropped.map((row) => row.path),
    });
  }
  const addressLines = addressRows.map((row) => `former ${row.path} ${row.pageId}`);
  const insertAddress = (path: string, key: string, kind: 'former' | 'alias') => {
    writes.push({
      sql: 'insert into page_addresses (path, page_id, kind) select ?, id, ? from pages where key = ? on conflict (path) do update set page_id = excluded.page_id, kind = excluded.kind',
      params: [path, kind, key],
    });
    addressLines.push(`${kind} ${path} ${key}`);
  };
  for (const [from, to] of formerTargets) insertAddress(from, to, 'former');
  for (const page of wanted) {
    for (const alias of page.aliases) if (!formerTargets.has(alias)) insertAddress(alias, page.key, 'alias');
  }
  // The aliases are written again only when they changed (or a former address came or went).
  const aliasesBefore = existing.addresses
    .filter((row) => row.kind === 'alias')
    .map((row) => `${row.path} ${row.pageId}`);
  const aliasesNow = wanted.flatMap((page) =>
    page.aliases.map((alias) => `${alias} ${matched.get(page)?.id}`),
  );
  const addressesChanged =
    formerTargets.size > 0 ||
    dropped.some((row) => row.kind === 'former') ||
    JSON.stringify(aliasesBefore.sort()) !== JSON.stringify(aliasesNow.sort());
  if (addressesChanged) statements.push(...writes);

  const structureChanged = structureStatements(db, structure, existing, statements);
  summary.structure = structureChanged;
  // The menu is on every page (site); sections label and list articles and are listed as pages.
  if (structureChanged) {
    for (const tag of [cacheTags.site, cacheTags.pages, cacheTags.articles]) purge.add(tag);
  }
  // Search answers show pages too: a page whose index text alone changed purges the lists.
  if (summary.inserted.length + summary.updated.length + removed.length > 0 || indexOnly) {
    purge.add(cacheTags.pages);
  }
  const hash = sha256(
    JSON.stringify([
      wanted.map((page) => [page.key, contentHashOf(page), page.draft, searchHashes.get(page)]),
      [...addressLines].sort(),
      structure,
    ]),
  );
  const quiet = searchInputStatements('pages', searchInputs);
  return { statements, quiet, summary, tags: [...purge], hash: `pages:${hash}` };
}

/**
 * Where an index that is no longer needed leads: the parent its former children have now, when they
 * all moved to one that is an address of the site. Null when they went apart (a redirect must say).
 */
function movedIndexTarget(row: Row, wanted: Wanted[], matched: Map<Wanted, Row>, existing: Existing) {
  const children = existing.rows.filter((other) => parentKeyOf(other) === row.key);
  if (children.length === 0) return null;
  const parents = new Set(
    children.map((child) => {
      const now = wanted.find((page) => matched.get(page)?.id === child.id);
      return now?.parent ?? null;
    }),
  );
  const [target] = parents;
  return parents.size === 1 && target && wanted.some((page) => page.key === target) ? target : null;
}
const parentKeyOf = (row: Row) => parentKey(row.key);

/** Sections, the menu and redirects.yaml, written when they differ from the database's. */
function structureStatements(
  db: Db,
  structure: SiteStructure,
  existing: Existing,
  out: Statement[],
): boolean {
  let changed = false;
  const sameSections =
    JSON.stringify(existing.sections.map((s) => [s.path, s.title, s.position]).sort()) ===
    JSON.stringify(structure.sections.map((s) => [s.path, s.title, s.position]).sort());
  if (!sameSections) {
    out.push({ sql: 'delete from sections', params: [] });
    if (structure.sections.length > 0) out.push(db.insert(sections).values(structure.sections).toSQL());
    changed = true;
  }
  const menu = JSON.stringify(structure.menu);
  if (existing.menu !== menu) {
    out.push(
      db
        .insert(siteMeta)
        .values({ key: 'menu', value: menu })
        .onConflictDoUpdate({ target: siteMeta.key, set: { value: menu } })
        .toSQL(),
    );
    changed = true;
  }
  const sameRedirects =
    JSON.stringify(existing.redirects.map((r) => [r.path, r.target]).sort()) ===
    JSON.stringify(structure.redirects.map((r) => [r.path, r.target]).sort());
  if (!sameRedirects) {
    out.push({ sql: 'delete from redirects', params: [] });
    if (structure.redirects.length > 0) out.push(db.insert(redirects).values(structure.redirects).toSQL());
    changed = true;
  }
  return changed;
}
