import { inArray, sql } from 'drizzle-orm';
import { startOfAmsterdamDate } from '../../schema/dates.ts';
import { participants, siteBlocks, siteMeta } from '../../schema/tables.ts';
import type { ContentVersion } from '../cache/content-version.ts';
import type { Database } from '../database.ts';

/**
 * The statements every page shares: the content version the seed wrote and the sidebar (site blocks
 * and participants). Each page's batch (one libSQL pipeline, one round trip) carries them, so that
 * the cache knows exactly which content a response shows.
 */

/** The content version the seed wrote (site_meta), read with every page. */
export function versionStatement(db: Database) {
  return db
    .select({ key: siteMeta.key, value: siteMeta.value })
    .from(siteMeta)
    .where(inArray(siteMeta.key, ['content_version', 'content_updated_at', 'content_schedule']));
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
  return toVersion(await versionStatement(db), today);
}

/** Sidebar of every page (the site blocks, the participants alphabetically) and the content version. */
export function sidebarStatements(db: Database) {
  return [
    db.select().from(siteBlocks),
    db
      .select({ name: participants.name, slug: participants.slug })
      .from(participants)
      .orderBy(sql`${participants.name} collate nocase`),
    versionStatement(db),
  ] as const;
}

type SiteBlocks = {
  about: { text: string } | null;
  featured: { title: string; text: string } | null;
};
export type Sidebar = SiteBlocks & { participants: { name: string; slug: string }[] };

export function toSidebar(
  blocks: { key: string; title: string | null; text: string }[],
  people: { name: string; slug: string }[],
): Sidebar {
  const about = blocks.find((b) => b.key === 'about');
  const featured = blocks.find((b) => b.key === 'featured');
  return {
    about: about ? { text: about.text } : null,
    featured: featured ? { title: featured.title ?? '', text: featured.text } : null,
    participants: people,
  };
}

export type Versioned = { version: ContentVersion | null };

/** Pages without their own data (participants, about, featured): just the sidebar. */
export async function getSidebar(db: Database, today: string): Promise<{ sidebar: Sidebar } & Versioned> {
  const [blocks, people, meta] = await db.batch(sidebarStatements(db));
  return { sidebar: toSidebar(blocks, people), version: toVersion(meta, today) };
}
