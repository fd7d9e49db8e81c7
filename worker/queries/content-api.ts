import { and, asc, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { DEFAULT_SECTION, DEFAULT_SECTION_TITLE } from '../../schema/addresses.ts';
import { pageAddresses, pages } from '../../schema/tables.ts';
import type { Database } from '../database.ts';
import { type ArticleSummary, listStatements } from './articles.ts';
import { sectionsStatement, toVersion, type Versioned, versionStatement } from './chrome.ts';
import { type Builder, type Param, readBatch, statement } from './prepared.ts';

/**
 * What the API reads of pages and sections, each answer one batch (one round trip). The pages and
 * section lists the site renders have their own queries; these carry no sidebar.
 */

export interface Section {
  path: string;
  title: string;
}

/** The news sections: the default one first, then site.yaml's in their order. */
const withDefault = (rows: Section[]): Section[] => [
  { path: DEFAULT_SECTION, title: DEFAULT_SECTION_TITLE },
  ...rows,
];

export async function listSections(
  db: Database,
  today: string,
): Promise<{ sections: Section[] } & Versioned> {
  const [rows, meta] = await readBatch(db, [sectionsStatement(), versionStatement()]);
  return { sections: withDefault(rows), version: toVersion(meta, today) };
}

/**
 * A page of article summaries, newest first, of one section (or of all, with null), with the total
 * and the sections there are, so that the caller can tell an unknown section from an empty one.
 */
export async function listArticlesOf(
  db: Database,
  section: string | null,
  page: number,
  limit: number,
  today: string,
): Promise<{ articles: ArticleSummary[]; total: number; sections: Section[] } & Versioned> {
  const offset = (page - 1) * limit;
  const [rows, [total], sectionRows, meta] = await readBatch(db, [
    ...listStatements(section ?? undefined, today, limit, offset),
    sectionsStatement(),
    versionStatement(),
  ]);
  return {
    articles: rows,
    total: total?.n ?? 0,
    sections: withDefault(sectionRows),
    version: toVersion(meta, today),
  };
}

export interface PageSummary {
  path: string;
  title: string;
  excerpt: string;
}
export type PageDetail = Pick<
  typeof pages.$inferSelect,
  'path' | 'key' | 'title' | 'excerpt' | 'body' | 'virtual' | 'updatedAt'
> & { parentPath: string | null };

type KeyParams = { key: Param<string> };
const namedPage = (db: Builder, key: Param<string>) =>
  and(
    eq(pages.draft, false),
    or(
      eq(pages.key, key),
      inArray(
        pages.id,
        db.select({ id: pageAddresses.pageId }).from(pageAddresses).where(eq(pageAddresses.path, key)),
      ),
    ),
  ) as SQL;
const apiPage = statement('API page', ['key'], (db, p: KeyParams) => {
  const parent = alias(pages, 'parent');
  return db
    .select({
      path: pages.path,
      key: pages.key,
      title: pages.title,
      excerpt: pages.excerpt,
      body: pages.body,
      virtual: pages.virtual,
      updatedAt: pages.updatedAt,
      parentPath: parent.path,
    })
    .from(pages)
    .leftJoin(parent, and(eq(parent.key, pages.parent), eq(parent.draft, false)))
    .where(namedPage(db, p.key))
    .orderBy(sql`${pages.key} = ${p.key} desc`)
    .limit(1);
});
const apiChildren = statement('API child pages', ['key'], (db, p: KeyParams) =>
  db
    .select({ path: pages.path, title: pages.title, excerpt: pages.excerpt })
    .from(pages)
    .where(
      and(
        eq(pages.draft, false),
        inArray(
          pages.parent,
          db
            .select({ key: pages.key })
            .from(pages)
            .where(namedPage(db, p.key))
            .orderBy(sql`${pages.key} = ${p.key} desc`)
            .limit(1),
        ),
      ),
    )
    .orderBy(sql`${pages.position} is null`, asc(pages.position), asc(pages.title), asc(pages.path)),
);

/**
 * One public page by its address key (the path without its trailing slash), or by an address it
 * had before or lists as an alias (the caller answers 301 then: its `key` differs), with its public
 * children in their order (position, then title) and the path of the page above it.
 */
export async function getPageByKey(
  db: Database,
  key: string,
  today: string,
): Promise<{ page: PageDetail | null; children: PageSummary[] } & Versioned> {
  const [[page], children, meta] = await readBatch(db, [
    apiPage.bind({ key }),
    apiChildren.bind({ key }),
    versionStatement(),
  ]);
  return { page: page ?? null, children, version: toVersion(meta, today) };
}
