import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Client, InArgs } from '@libsql/client';
import { eq, inArray } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql';
import { articles, participants, shareCounts, siteBlocks, siteMeta } from '../../schema/db.ts';
import type { Block } from '../../schema/document.ts';
import { slugify } from '../../schema/slug.ts';
import type { ParsedFile } from './parse-document.ts';

export interface SeedSummary {
  inserted: string[];
  updated: string[];
  unchanged: number;
  /** Articles whose document is gone: deleted with --prune, otherwise kept. */
  pruned: string[];
  kept: string[];
  /** Site-wide parts that changed: 'about', 'featured', 'participants'. */
  site: string[];
  contentVersion: string;
  changed: boolean;
}

export type Progress = (phase: 'read' | 'write', done: number, total: number) => void;

/** Reads every `*.txt` in a folder, sorted by name, as `{file, text}` with paths as given. */
export async function readDocuments(
  dir: string,
  progress?: Progress,
): Promise<{ file: string; text: string }[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.txt')).sort();
  const out: { file: string; text: string }[] = [];
  for (const name of names) {
    const file = join(dir, name);
    out.push({ file, text: await readFile(file, 'utf8') });
    progress?.('read', out.length, names.length);
  }
  return out;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** Plain text of the body blocks, for the full-text index. */
export function bodyText(body: Block[]): string {
  return body.map((block) => (block.type === 'list' ? block.items.join('\n') : block.text)).join('\n\n');
}

export class SeedConflict extends Error {}

/**
 * Writes parsed documents to the database in one transaction. Idempotent: every article carries a
 * hash of its parsed content, and only rows whose hash differs are written, so a second run writes
 * nothing; ids and created_at survive updates. An article is matched to its document by file name,
 * then by slug (a renamed file keeps its article).
 *
 * The site-wide blocks (about, featured, participants) come from the document of the newest
 * article: every document carries them, and the newest one is the most recent state of the site.
 */
export async function seedDatabase(
  client: Client,
  parsed: ParsedFile[],
  options: { prune?: boolean; now?: string; progress?: Progress } = {},
): Promise<SeedSummary> {
  const db = drizzle(client);
  const now = options.now ?? new Date().toISOString();

  const [existing, existingBlocks, existingParticipants] = await db.batch([
    db
      .select({
        id: articles.id,
        slug: articles.slug,
        sourceFile: articles.sourceFile,
        contentHash: articles.contentHash,
      })
      .from(articles),
    db.select().from(siteBlocks),
    db.select({ name: participants.name }).from(participants),
  ]);
  const byFile = new Map(existing.map((row) => [row.sourceFile, row]));
  const bySlug = new Map(existing.map((row) => [row.slug, row]));
  const matched = new Set<number>();

  const statements: { sql: string; params: unknown[] }[] = [];
  const summary: SeedSummary = {
    inserted: [],
    updated: [],
    unchanged: 0,
    pruned: [],
    kept: [],
    site: [],
    contentVersion: '',
    changed: false,
  };
  const hashes: string[] = [];

  for (const item of parsed) {
    const article = item.document.article;
    const sourceFile = basename(item.file);
    const contentHash = sha256(JSON.stringify(article));
    hashes.push(`${article.slug}:${contentHash}`);
    const row = byFile.get(sourceFile) ?? bySlug.get(article.slug);
    const values = {
      slug: article.slug,
      title: article.title,
      excerpt: article.excerpt,
      body: article.body,
      bodyText: bodyText(article.body),
      source: article.source,
      publishedAt: article.publishedAt,
      contentHash,
      sourceFile,
      updatedAt: now,
    };
    if (row && !matched.has(row.id)) {
      matched.add(row.id);
      if (row.contentHash === contentHash && row.sourceFile === sourceFile) {
        summary.unchanged++;
        continue;
      }
      statements.push(db.update(articles).set(values).where(eq(articles.id, row.id)).toSQL());
      summary.updated.push(article.slug);
    } else {
      statements.push(
        db
          .insert(articles)
          .values({ ...values, createdAt: now })
          .toSQL(),
      );
      summary.inserted.push(article.slug);
    }
  }

  const gone = existing.filter((row) => !matched.has(row.id));
  for (const row of gone) {
    const takenBy = parsed.find((item) => item.document.article.slug === row.slug);
    if (takenBy && !options.prune) {
      throw new SeedConflict(
        `${takenBy.file}:${takenBy.titleLine}: slug "${row.slug}" belongs to an article whose document ` +
          `(${row.sourceFile}) is gone; run the seed with --prune to replace it`,
      );
    }
  }
  if (options.prune && gone.length > 0) {
    const ids = gone.map((row) => row.id);
    // Deleted before the inserts, so that a slug can move from a removed document to a new one.
    statements.unshift(
      db.delete(shareCounts).where(inArray(shareCounts.articleId, ids)).toSQL(),
      db.delete(articles).where(inArray(articles.id, ids)).toSQL(),
    );
    summary.pruned = gone.map((row) => row.slug);
  } else {
    summary.kept = gone.map((row) => row.slug);
  }

  // Site-wide blocks from the newest document (ties: the later file name).
  const newest = [...parsed].sort(
    (a, b) =>
      a.document.article.publishedAt.localeCompare(b.document.article.publishedAt) ||
      a.file.localeCompare(b.file),
  )[parsed.length - 1];
  if (newest) {
    const site = newest.document.site;
    const blocks = [
      { key: 'about', title: null, text: site.about },
      { key: 'featured', title: site.featured.title, text: site.featured.text },
    ];
    for (const block of blocks) {
      const current = existingBlocks.find((row) => row.key === block.key);
      if (current?.title === block.title && current.text === block.text) continue;
      statements.push(
        db
          .insert(siteBlocks)
          .values({ ...block, updatedAt: now })
          .onConflictDoUpdate({
            target: siteBlocks.key,
            set: { title: block.title, text: block.text, updatedAt: now },
          })
          .toSQL(),
      );
      summary.site.push(block.key);
    }
    const wanted = site.participants;
    const have = existingParticipants.map((row) => row.name);
    const removed = have.filter((name) => !wanted.includes(name));
    const added = wanted.filter((name) => !have.includes(name));
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
    if (removed.length > 0 || added.length > 0) summary.site.push('participants');
    hashes.push(`site:${sha256(JSON.stringify(site))}`);
  }

  summary.contentVersion = sha256(hashes.sort().join('\n')).slice(0, 16);
  summary.changed = statements.length > 0;
  if (!summary.changed) return summary;

  statements.push(
    db
      .insert(siteMeta)
      .values({ key: 'content_version', value: summary.contentVersion })
      .onConflictDoUpdate({ target: siteMeta.key, set: { value: summary.contentVersion } })
      .toSQL(),
  );

  // One write transaction, sent in chunks so that thousands of documents do not make one huge request.
  const toStatement = (s: { sql: string; params: unknown[] }) => ({ sql: s.sql, args: s.params as InArgs });
  const tx = await client.transaction('write');
  try {
    const CHUNK = 250;
    for (let i = 0; i < statements.length; i += CHUNK) {
      await tx.batch(statements.slice(i, i + CHUNK).map(toStatement));
      options.progress?.('write', Math.min(i + CHUNK, statements.length), statements.length);
    }
    await tx.commit();
  } catch (error) {
    await tx.rollback().catch(() => undefined);
    throw error;
  } finally {
    tx.close();
  }
  return summary;
}
