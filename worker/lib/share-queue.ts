import * as v from 'valibot';
import { Slug } from '../../schema/slug.ts';
import type { Database } from '../database.ts';
import { addShares, type ShareTally } from '../queries/shares.ts';
import { NETWORKS } from './share-networks.ts';

/**
 * One counted share, as the share route sends it to the queue (SHARE_QUEUE) and the queue handler
 * reads it back. By slug, not row id: the handler may run minutes later, after a publish.
 */
export const ShareMessage = v.object({
  slug: Slug,
  network: v.picklist(NETWORKS),
});
export type ShareMessage = v.InferOutput<typeof ShareMessage>;

/** The parts of a queue batch the handler uses (MessageBatch in workerd). */
export interface ShareBatch {
  readonly messages: readonly {
    readonly id: string;
    readonly body: unknown;
    ack(): void;
    retry(options?: { delaySeconds?: number }): void;
  }[];
}

/**
 * Writes a batch of shares with one database write (one multi-row upsert). When the write fails
 * (the database is away), every message of the batch is retried later, so no count is lost; the
 * queue's max_retries and retry_delay (wrangler.toml) say for how long. A message that is not a
 * share is dropped: retrying it would never make it one.
 *
 * Queues deliver at least once: a batch whose write succeeded but whose acknowledgement got lost
 * is delivered again. Cloudflare documents this as rare; the counts do not guard against it.
 */
export async function writeShareBatch(db: Database, batch: ShareBatch): Promise<void> {
  const tallies = new Map<string, ShareTally>();
  const valid: ShareBatch['messages'][number][] = [];
  for (const message of batch.messages) {
    const parsed = v.safeParse(ShareMessage, message.body);
    if (!parsed.success) {
      console.error(`share queue: dropping message ${message.id}, not a share`);
      message.ack();
      continue;
    }
    valid.push(message);
    const { slug, network } = parsed.output;
    const key = `${slug} ${network}`;
    const tally = tallies.get(key) ?? { slug, network, count: 0 };
    tally.count++;
    tallies.set(key, tally);
  }
  if (valid.length === 0) return;
  try {
    await addShares(db, [...tallies.values()]);
  } catch (error) {
    console.error(`share queue: writing ${valid.length} shares failed, retrying later:`, error);
    for (const message of valid) message.retry();
    return;
  }
  for (const message of valid) message.ack();
}
