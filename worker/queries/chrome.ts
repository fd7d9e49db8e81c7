import { asc, inArray, sql } from 'drizzle-orm';
import { DEFAULT_SECTION, DEFAULT_SECTION_TITLE } from '../../schema/addresses.ts';
import { startOfAmsterdamDate } from '../../schema/dates.ts';
import { participants, sections, siteBlocks, siteMeta } from '../../schema/tables.ts';
import type { ContentVersion } from '../cache/content-version.ts';
import type { Database } from '../database.ts';
import { paths } from '../site.ts';
import { type Param, readBatch, readOne, statement } from './prepared.ts';

/**
 * The statements every page shares: the content version the seed wrote and the sidebar (site blocks
 * and participants). Each page's batch (one libSQL pipeline, one round trip) carries them, so that
 * the cache knows exactly which content a response shows.
 */

/**
 * The content version the seed wrote (site_meta), read with every page, and the menu the seed
 * resolved from site.yaml (`menu`): in the same statement, so that the menu costs no statement of
 * its own.
 */
const version = statement('content version and menu', [], (db) =>
  db
    .select({ key: siteMeta.key, value: siteMeta.value })
    .from(siteMeta)
    .where(inArray(siteMeta.key, ['content_version', 'content_updated_at', 'content_schedule', 'menu'])),
);
export const versionStatement = () => version.bind({});

/** One entry of the menu ("Ga naar..."): a label and a path of this site, at most two levels. */
export type MenuItem = { label: string; path: string; children?: { label: string; path: string }[] };

const isLink = (value: unknown): value is { label: string; path: string } =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { label?: unknown }).label === 'string' &&
  typeof (value as { path?: unknown }).path === 'string' &&
  // Only paths of this site: never a host (`//x`) or a scheme.
  /^\/(?!\/)/.test((value as { path: string }).path);

/**
 * The menu the seed wrote (site_meta 'menu', JSON), or null when there is none (an older database)
 * or it cannot be read: the layout then shows the static navigation (worker/site.ts).
 */
export function toMenu(rows: { key: string; value: string }[]): MenuItem[] | null {
  const value = rows.find((row) => row.key === 'menu')?.value;
  if (value === undefined) return null;
  // The same menu as the last request's is the same object: the layout keeps its rendered header
  // per menu object (views/layout.tsx). Shared between requests, so never changed by a caller.
  if (lastMenu && lastMenu.value === value) return lastMenu.menu;
  const menu = parseMenu(value);
  lastMenu = { value, menu };
  return menu;
}
let lastMenu: { value: string; menu: MenuItem[] | null } | undefined;

function parseMenu(value: string): MenuItem[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    console.error('menu: site_meta holds no JSON:', error instanceof Error ? error.message : error);
    return null;
  }
  if (!Array.isArray(parsed)) return null;
  return parsed.filter(isLink).map((item) => {
    const children = (item as { children?: unknown }).children;
    const links = Array.isArray(children) ? children.filter(isLink) : [];
    return {
      label: item.label,
      path: item.path,
      ...(links.length > 0 && { children: links.map(({ label, path }) => ({ label, path })) }),
    };
  });
}

/**
 * The content version as of `today`. Each date in the seed's schedule that has begun is a change of
 * content no seed wrote (a scheduled article went live): it makes a new version id, and the version
 * dates from the start of that day, so that cached pages and validators move on that day.
 */
export function toVersion(rows: { key: string; value: string }[], today: string): ContentVersion | null {
  const id = rows.find((row) => row.key === 'content_version')?.value;
  const updatedAt = rows.find((row) => row.key === 'content_updated_at')?.value;
  if (!id || !updatedAt) return null;
  let schedule: unknown = [];
  try {
    schedule = JSON.parse(rows.find((row) => row.key === 'content_schedule')?.value ?? '[]');
  } catch {
    schedule = [];
  }
  const live = (Array.isArray(schedule) ? schedule : [])
    .filter((date): date is string => typeof date === 'string' && date <= today)
    .sort();
  const last = live[live.length - 1];
  if (!last) return { id, updatedAt };
  const wentLive = startOfAmsterdamDate(last);
  return { id: `${id}+${live.length}`, updatedAt: wentLive > updatedAt ? wentLive : updatedAt };
}

/** The current content version alone: the background check of the cache. */
export async function getContentVersion(db: Database, today: string): Promise<ContentVersion | null> {
  return toVersion(await readOne(db, versionStatement()), today);
}

/**
 * The sidebar's rows only when the database's content version is not `known` (the one whose sidebar
 * this isolate keeps): a page's batch still carries the statements, but the rows (13 participants and
 * the blocks, a third of an article's values) are read, sent and decoded once per content version.
 * The seed writes a new content version with every change of content, the sidebar's included.
 */
const unlessKnown = (known: Param<string>) =>
  sql`not exists (select 1 from ${siteMeta} where ${siteMeta.key} = 'content_version' and ${siteMeta.value} = ${known})`;
const blocks = statement('site blocks', ['known'], (db, { known }: { known: Param<string> }) =>
  db.select().from(siteBlocks).where(unlessKnown(known)),
);
const people = statement('participants', ['known'], (db, { known }: { known: Param<string> }) =>
  db
    .select({ name: participants.name, slug: participants.slug })
    .from(participants)
    .where(unlessKnown(known))
    .orderBy(sql`${participants.name} collate nocase`),
);

/**
 * The sidebar of the latest content versions each database showed, newest last: per database,
 * since the tests run several apps (each over its own database) in one process.
 */
const keptSidebars = new WeakMap<Database, Map<string, Sidebar>>();
/** Versions kept: a request whose batch read an older version than the newest still finds its own. */
const KEPT_VERSIONS = 8;

/** Sidebar of every page (the site blocks, the participants alphabetically) and the content version. */
export function sidebarStatements(db: Database) {
  const kept = keptSidebars.get(db);
  const known = kept ? ([...kept.keys()].at(-1) ?? '') : '';
  return [blocks.bind({ known }), people.bind({ known }), versionStatement()] as const;
}

type SiteBlocks = {
  /** `url`: where its "Lees verder" leads (site_blocks.url), else the stand-in page (paths.about). */
  about: { text: string; url: string } | null;
  featured: { title: string; text: string; url: string } | null;
};
export type Sidebar = SiteBlocks & { participants: { name: string; slug: string }[] };

type BlockRow = { key: string; title: string | null; text: string; url?: string | null };
type PersonRow = { name: string; slug: string };
let lastSidebar: { blocks: BlockRow[]; people: PersonRow[]; sidebar: Sidebar } | undefined;

const sameRows = <T extends object>(a: T[], b: T[], keys: readonly (keyof T)[]) =>
  a.length === b.length && a.every((row, i) => keys.every((key) => row[key] === b[i]?.[key]));

/**
 * The sidebar of these rows. Rows equal to the last request's give the same object, so that the
 * layout renders it once per content (views/layout.tsx keeps its markup per object). Shared
 * between requests, so never changed by a caller.
 */
function toSidebar(blocks: BlockRow[], people: PersonRow[]): Sidebar {
  const last = lastSidebar;
  if (
    last &&
    sameRows(blocks, last.blocks, ['key', 'title', 'text', 'url']) &&
    sameRows(people, last.people, ['name', 'slug'])
  ) {
    return last.sidebar;
  }
  const sidebar = sidebarOf(blocks, people);
  lastSidebar = { blocks, people, sidebar };
  return sidebar;
}

function sidebarOf(blocks: BlockRow[], people: PersonRow[]): Sidebar {
  const about = blocks.find((b) => b.key === 'about');
  const featured = blocks.find((b) => b.key === 'featured');
  return {
    about: about ? { text: about.text, url: about.url || paths.about } : null,
    featured: featured
      ? { title: featured.title ?? '', text: featured.text, url: featured.url || paths.featured }
      : null,
    participants: people,
  };
}

export type Versioned = { version: ContentVersion | null };

/** What every page's frame shows: the sidebar, the menu (null: the static one) and the version. */
export type Chrome = { sidebar: Sidebar; menu: MenuItem[] | null } & Versioned;

/**
 * The chrome from the rows of sidebarStatements: no rows of a version this database's sidebar is
 * kept for means that sidebar (the statements read none); rows make it, kept for their version.
 */
export function toChrome(
  db: Database,
  blocks: BlockRow[],
  people: PersonRow[],
  meta: { key: string; value: string }[],
  today: string,
): Chrome {
  const version = meta.find((row) => row.key === 'content_version')?.value;
  let kept = keptSidebars.get(db);
  let sidebar = blocks.length + people.length === 0 && version ? kept?.get(version) : undefined;
  if (!sidebar) {
    sidebar = toSidebar(blocks, people);
    if (version) {
      if (!kept) {
        kept = new Map();
        keptSidebars.set(db, kept);
      }
      kept.delete(version);
      kept.set(version, sidebar);
      if (kept.size > KEPT_VERSIONS) kept.delete(kept.keys().next().value as string);
    }
  }
  return { sidebar, menu: toMenu(meta), version: toVersion(meta, today) };
}

/** Pages without their own data (participants, about, featured): just the chrome. */
export async function getSidebar(db: Database, today: string): Promise<Chrome> {
  const [blockRows, peopleRows, meta] = await readBatch(db, sidebarStatements(db));
  return toChrome(db, blockRows, peopleRows, meta, today);
}

/**
 * The news sections besides the default one (path, title), in their order (site.yaml `sections:`):
 * the labels of the lists and feeds that show every section.
 */
const sectionList = statement('sections', [], (db) =>
  db.select({ path: sections.path, title: sections.title }).from(sections).orderBy(asc(sections.position)),
);
export const sectionsStatement = () => sectionList.bind({});

export type SectionRef = { path: string; title: string };

/** Every news section's title by its path, the implicit default section first. */
export function sectionTitles(rows: SectionRef[]): Map<string, string> {
  return new Map([
    [DEFAULT_SECTION, DEFAULT_SECTION_TITLE],
    ...rows.map((row) => [row.path, row.title] as const),
  ]);
}
