/**
 * The local libSQL server (hrana-server.ts) in a worker thread of its own, for `npm run bench`: the
 * load generator runs on the main thread, and a server sharing its event loop would stall it (and be
 * stalled by it) and so distort both the latency and the throughput measured.
 */
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { type HranaServerOptions, type PipelineTiming, startHranaServer } from './hrana-server.ts';

const MARK = 'hranaThread';

type Stats = { requests: number; pipelines: number };
type Command = { id: number; type: 'stats' | 'timings' | 'reset' | 'close' };
type Reply = { id: number; stats?: Stats; timings?: PipelineTiming[]; error?: string };

export interface HranaThread {
  url: string;
  /** HTTP requests and POST pipelines received since the start or the last reset (database round trips). */
  stats(): Promise<Stats>;
  /** The times of the pipelines since the last reset (HranaServer.timings). */
  timings(): Promise<PipelineTiming[]>;
  resetStats(): Promise<void>;
  close(): Promise<void>;
}

export async function startHranaThread(options: HranaServerOptions): Promise<HranaThread> {
  const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { [MARK]: true, options } });
  const pending = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();
  let failure: Error | null = null;
  const fail = (error: Error) => {
    failure ??= error;
    for (const entry of pending.values()) entry.reject(error);
    pending.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the libSQL server thread exited (${code})`)));

  const url = await new Promise<string>((resolve, reject) => {
    worker.once('message', (message: { url?: string; error?: string }) =>
      message.url ? resolve(message.url) : reject(new Error(message.error)),
    );
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the libSQL server thread exited (${code})`)));
  });
  worker.on('message', (reply: Reply) => {
    const entry = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.error) entry?.reject(new Error(reply.error));
    else entry?.resolve(reply);
  });

  let nextId = 0;
  const ask = (type: Command['type']) =>
    new Promise<Reply>((resolve, reject) => {
      if (failure) return reject(failure);
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, type } satisfies Command);
    });

  let closing: Promise<void> | null = null;
  return {
    url,
    stats: async () => (await ask('stats')).stats as Stats,
    timings: async () => (await ask('timings')).timings ?? [],
    resetStats: async () => void (await ask('reset')),
    close() {
      closing ??= (async () => {
        if (!failure) await ask('close').catch(() => undefined);
        await worker.terminate();
      })();
      return closing;
    },
  };
}

if (!isMainThread && parentPort && workerData?.[MARK] === true) {
  const port = parentPort;
  try {
    const server = await startHranaServer(workerData.options as HranaServerOptions);
    port.on('message', async ({ id, type }: Command) => {
      try {
        if (type === 'stats') port.postMessage({ id, stats: { ...server.stats } } satisfies Reply);
        if (type === 'timings') port.postMessage({ id, timings: [...server.timings] } satisfies Reply);
        if (type === 'reset') server.resetStats();
        if (type === 'close') await server.close();
        if (type !== 'stats' && type !== 'timings') port.postMessage({ id } satisfies Reply);
      } catch (error) {
        port.postMessage({ id, error: String(error) } satisfies Reply);
      }
    });
    port.postMessage({ url: server.url });
  } catch (error) {
    port.postMessage({ error: `the libSQL server did not start: ${error}` });
  }
}
