import { and, asc, count, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { DEFAULT_SECTION, DEFAULT_SECTION_TITLE } from '../../schema/addresses.ts';
import { articles, pageAddresses, pages, sections } from '../../schema/tables.ts';
import type { Database } from '../database.ts';
import { type ArticleSummary, isPublic, newestFirst, summaryColumns } from './articles.ts';
import { toVersion, type Versioned, versionStatement } from './chrome.ts';

/**
 * What the API reads of pages and sections, each answer one batch (one round trip). The pages and
 * section lists the site renders have their own queries; these carry no sidebar.
 */

export interface Section {
  path: string;
  title: string;
}

/** The news sections: the default one first, then site.yaml's in their order. */
function sectionsStatement(db: Database) {
  return db
    .select({ path: sections.path, title: sections.title })
    .from(sections)
    .orderBy(asc(sections.position));
}
const withDefault = (rows: Section[]): Section[] => [
  { path: DEFAULT_SECTION, title: DEFAULT_SECTION_TITLE },
  ...rows,
];

export async function listSections(
  db: Database,
  today: string,
): Promise<{ sections: Section[] } & Versioned> {
  const [rows, meta] = await db.batch([sectionsStatement(db), versionStatement(db)]);
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
  const where = section === null ? isPublic(today) : and(isPublic(today), eq(articles.section, section));
  const [rows, [total], sectionRows, meta] = await db.batch([
    db
      .select(summaryColumns)
      .from(articles)
      .where(where)
      .orderBy(...newestFirst)
      .limit(limit)
      .offset((page - 1) * limit),
    db.select({ n: count() }).from(articles).where(where),
    sectionsStatement(db),
    versionStatement(db),
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
  const named = and(
    eq(pages.draft, false),
    or(
      eq(pages.key, key),
      inArray(
        pages.id,
        db.select({ id: pageAddresses.pageId }).from(pageAddresses).where(eq(pageAddresses.path, key)),
      ),
    ),
  ) as SQL;
  const parent = alias(pages, 'parent');
  const [[page], children, meta] = await db.batch([
    db
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
      .where(named)
      .orderBy(sql`${pages.key} = ${key} desc`)
      .limit(1),
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
              .where(named)
              .orderBy(sql`${pages.key} = ${key} desc`)
              .limit(1),
          ),
        ),
      )
      .orderBy(sql`${pages.position} is null`, asc(pages.position), asc(pages.title), asc(pages.path)),
    versionStatement(db),
  ]);
  return { page: page ?? null, children, version: toVersion(meta, today) };
}
