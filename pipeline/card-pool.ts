/**
 * Social cards rendered on every core: worker threads, as many as the process may run at once
 * (os.availableParallelism()), each rendering whole cards with social-card.ts, so the bytes are
 * those of a render on the main thread. A handful of cards render on this thread instead: starting
 * a worker (its fonts, wasm and card frame) costs as much as several cards.
 */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { type ArticleCardInput, renderArticleCards } from './social-card.ts';

const MARK = 'cardPool';
/** Cards per message to a worker: few enough to share the work out evenly, enough to make a message cheap. */
const CHUNK = 8;
/** Fewer cards than this render on this thread. */
const IN_PROCESS_BELOW = 8;

type Job = { start: number; items: ArticleCardInput[] };
type Reply = { start: number; cards: Uint8Array[] } | { start: number; error: string };

/**
 * The cards of `items`, in input order. `threads` workers (at most one per chunk of cards);
 * `progress` is told how many cards are done. A card that fails to render rejects the whole batch,
 * and every worker is stopped before this returns or throws.
 */
export async function renderCardsInParallel(
  items: readonly ArticleCardInput[],
  {
    threads = availableParallelism(),
    progress,
  }: { threads?: number; progress?: (done: number) => void } = {},
): Promise<Uint8Array[]> {
  if (items.length < IN_PROCESS_BELOW || threads < 2) return renderArticleCards(items, progress);
  const cards: Uint8Array[] = new Array(items.length);
  const workers: Worker[] = [];
  let next = 0;
  let done = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const feed = (worker: Worker) => {
        if (next >= items.length) return;
        const start = next;
        next = Math.min(items.length, start + CHUNK);
        worker.postMessage({ start, items: items.slice(start, next) } satisfies Job);
      };
      const count = Math.min(Math.floor(threads), Math.ceil(items.length / CHUNK));
      for (let i = 0; i < count; i++) {
        const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { [MARK]: true } });
        workers.push(worker);
        worker.on('message', (reply: Reply) => {
          if ('error' in reply) return reject(new Error(`social card failed to render: ${reply.error}`));
          reply.cards.forEach((card, k) => {
            cards[reply.start + k] = card;
          });
          done += reply.cards.length;
          progress?.(done);
          if (done === items.length) resolve();
          else feed(worker);
        });
        worker.on('error', reject);
        worker.on('exit', (code) => reject(new Error(`a social card worker stopped (exit code ${code})`)));
        // Two chunks in flight: the worker starts the second while the first one's answer travels.
        feed(worker);
        feed(worker);
      }
    });
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return cards;
}

if (!isMainThread && parentPort && workerData?.[MARK] === true) {
  const port = parentPort;
  port.on('message', async ({ start, items }: Job) => {
    try {
      port.postMessage({ start, cards: await renderArticleCards(items) } satisfies Reply);
    } catch (error) {
      port.postMessage({
        start,
        error: error instanceof Error ? error.message : String(error),
      } satisfies Reply);
    }
  });
}
