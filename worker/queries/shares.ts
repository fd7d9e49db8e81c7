import { sql } from 'drizzle-orm';
import type { Database } from '../database.ts';
import { isNetwork, NETWORKS, type Network } from '../lib/share-networks.ts';

export type ShareCounts = Record<Network, number> & { total: number };

export function toShareCounts(rows: { network: string; count: number }[]): ShareCounts {
  const counts = Object.fromEntries(NETWORKS.map((network) => [network, 0])) as ShareCounts;
  counts.total = 0;
  for (const row of rows) {
    if (!isNetwork(row.network)) continue;
    counts[row.network] = row.count;
    counts.total += row.count;
  }
  return counts;
}

/** Shares of one article on one network, to add to its count. */
export interface ShareTally {
  slug: string;
  network: Network;
  count: number;
}

/**
 * Adds a batch of shares in one statement: one multi-row upsert, so concurrent batches never lose a
 * count (SQLite runs each statement atomically and the increment reads the stored value, not one
 * read earlier). By slug, joined to articles: a share of an article that is gone by now is left out
 * instead of failing the whole batch on the foreign key. `where true` is SQLite's documented way to
 * keep the upsert's ON from reading as the join's.
 */
export async function addShares(db: Database, tallies: ShareTally[]): Promise<void> {
  if (tallies.length === 0) return;
  const rows = sql.join(
    tallies.map((t) => sql`(${t.slug}, ${t.network}, ${t.count})`),
    sql`, `,
  );
  await db.run(sql`insert into share_counts (article_id, network, count)
    select articles.id, tally.column2, tally.column3
    from (values ${rows}) as tally join articles on articles.slug = tally.column1
    where true
    on conflict (article_id, network) do update set count = share_counts.count + excluded.count`);
}
