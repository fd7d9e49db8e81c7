import { createHash } from 'node:crypto';
import { inArray } from 'drizzle-orm';
import type { LibSQLDatabase } from 'drizzle-orm/libsql';
import { slugify } from '../schema/slug.ts';
import { participants, siteBlocks, siteMeta } from '../schema/tables.ts';
import type { ExistingRows } from './seed-articles.ts';
import type { Statement } from './seed-write.ts';
import type { SiteStructure } from './site-addresses.ts';
import type { ParsedSite } from './site-document.ts';

// The site-wide rows of a seed: the sidebar's blocks and participants, and the content version.

type Db = LibSQLDatabase;
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

type SiteParts = ParsedSite['parts'];

/**
 * Writes of the site-wide blocks and participants that differ from `site`'s, the names of the parts
 * that changed, and the hash of the site part for the content version (null without documents).
 */
export function siteStatements(
  db: Db,
  site: SiteParts | null,
  links: SiteStructure['links'] | null,
  existing: ExistingRows,
  now: string,
): { statements: Statement[]; changed: string[]; removed: string[]; hash: string | null } {
  const statements: Statement[] = [];
  const changed: string[] = [];
  if (!site) return { statements, changed, removed: [], hash: null };
  const blocks = [
    site.about === null ? null : { key: 'about', title: null, text: site.about, url: links?.about ?? null },
    site.featured && {
      key: 'featured',
      title: site.featured.title,
      text: site.featured.text,
      url: links?.featured ?? null,
    },
  ];
  for (const block of blocks) {
    if (!block) continue;
    const current = existing.blocks.find((row) => row.key === block.key);
    if (current?.title === block.title && current.text === block.text && current.url === block.url) continue;
    statements.push(
      db
        .insert(siteBlocks)
        .values({ ...block, updatedAt: now })
        .onConflictDoUpdate({
          target: siteBlocks.key,
          set: { title: block.title, text: block.text, url: block.url, updatedAt: now },
        })
        .toSQL(),
    );
    changed.push(block.key);
  }
  const wanted = site.participants;
  const have = existing.participants.map((row) => row.name);
  const removed = wanted === null ? [] : have.filter((name) => !wanted.includes(name));
  const added = wanted === null ? [] : wanted.filter((name) => !have.includes(name));
  if (removed.length > 0) {
    statements.push(db.delete(participants).where(inArray(participants.name, removed)).toSQL());
  }
  for (const name of added) {
    statements.push(
      db
        .insert(participants)
        .values({ name, slug: slugify(name) })
        .toSQL(),
    );
  }
  if (removed.length > 0 || added.length > 0) changed.push('participants');
  // The links count only when set, so that a database seeded before they existed keeps its version.
  const hashed = links?.about || links?.featured ? { ...site, links } : site;
  return { statements, changed, removed, hash: `site:${sha256(JSON.stringify(hashed))}` };
}

/**
 * The Worker's caches compare this version (and date their pages by it): it changes with every
 * seed that writes anything.
 */
export function contentVersionStatements(
  db: Db,
  contentVersion: string,
  now: string,
  schedule: string[],
): Statement[] {
  return (
    [
      ['content_version', contentVersion],
      ['content_updated_at', now],
      // The dates on which scheduled articles go live: the Worker's caches treat each date that has
      // begun as a new content version, with no seed on that day.
      ['content_schedule', JSON.stringify(schedule)],
    ] as const
  ).map(([key, value]) =>
    db
      .insert(siteMeta)
      .values({ key, value })
      .onConflictDoUpdate({ target: siteMeta.key, set: { value } })
      .toSQL(),
  );
}
