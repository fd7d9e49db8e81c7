/**
 * The local libSQL server in a child process of its own, watched by the process that starts it
 * (`npm run db`, `npm start`).
 *
 * Why a process: the engine steps a result's rows on the server's main thread, so a statement whose
 * later rows never come (`select 1 union all select count(*) from <endless recursion>`) blocks that
 * thread where no timer, signal handler or `interrupt()` can reach it, and a worker thread stuck like
 * that cannot be ended either (Node waits for it even in `process.exit()`). A child process can always
 * be killed. So the parent
 * - restarts the child on the same port when it stops answering for longer than a statement may take
 *   (the stuck request fails, everyone after it is served again);
 * - stops it on SIGTERM/SIGINT within a second: a clean close if the child answers, else SIGKILL; and
 *   either way checkpoints the write-ahead log into the database file.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { checkpoint } from './hrana-engine.ts';
import { DEFAULT_STATEMENT_TIMEOUT_MS, type HranaServerOptions, startHranaServer } from './hrana-server.ts';

const CHILD_ENV = 'HRANA_CHILD_OPTIONS';
const HEARTBEAT_MS = 200;
/** How long a clean close may take before the child is killed. */
const CLOSE_GRACE_MS = 700;

type ChildMessage =
  | { type: 'ready'; url: string; port: number }
  | { type: 'beat' }
  | { type: 'failed'; error: string };

export interface SupervisedServer {
  url: string;
  port: number;
  /** How many times the child was restarted because it stopped answering. */
  restarts(): number;
  close(): Promise<void>;
}

export async function superviseHranaServer(options: HranaServerOptions): Promise<SupervisedServer> {
  const stallMs = (options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS) + 2_000;
  let child: ChildProcess | null = null;
  let lastBeat = Date.now();
  let stopping = false;
  let restarts = 0;

  function spawnChild(port: number | undefined): Promise<{ url: string; port: number }> {
    const proc = fork(fileURLToPath(import.meta.url), [], {
      env: { ...process.env, [CHILD_ENV]: JSON.stringify({ ...options, port }) },
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child = proc;
    lastBeat = Date.now();
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null, signal: string | null) =>
        reject(new Error(`the libSQL server process exited before it was ready (${signal ?? code})`));
      proc.once('exit', onExit);
      proc.on('message', (message: ChildMessage) => {
        lastBeat = Date.now();
        if (message.type === 'ready') {
          proc.off('exit', onExit);
          proc.once('exit', () => void onChildExit(proc, message.port));
          resolve({ url: message.url, port: message.port });
        } else if (message.type === 'failed') {
          reject(new Error(message.error));
        }
      });
    });
  }

  async function onChildExit(proc: ChildProcess, port: number) {
    if (stopping || child !== proc) return;
    restarts++;
    try {
      await spawnChild(port);
      console.error(`libSQL server: restarted on port ${port}`);
    } catch (err) {
      console.error(`libSQL server: could not be restarted: ${(err as Error).message}`);
      child = null;
    }
  }

  const first = await spawnChild(options.port);
  const watchdog = setInterval(() => {
    if (stopping || child === null || Date.now() - lastBeat <= stallMs) return;
    console.error(
      `libSQL server: no sign of life for ${Date.now() - lastBeat} ms (a statement stuck in the engine); restarting it`,
    );
    lastBeat = Date.now();
    child.kill('SIGKILL');
  }, HEARTBEAT_MS);
  watchdog.unref();

  let closing: Promise<void> | null = null;
  return {
    ...first,
    restarts: () => restarts,
    close() {
      closing ??= (async () => {
        stopping = true;
        clearInterval(watchdog);
        const proc = child;
        if (proc && proc.exitCode === null && proc.signalCode === null) {
          const exited = new Promise((resolve) => proc.once('exit', resolve));
          if (proc.connected) proc.send({ type: 'close' });
          const timer = setTimeout(() => proc.kill('SIGKILL'), CLOSE_GRACE_MS);
          await exited;
          clearTimeout(timer);
        }
        try {
          checkpoint(options.file);
        } catch (err) {
          console.error('libSQL server: checkpoint after stop failed:', err);
        }
      })();
      return closing;
    },
  };
}

/** The child: serves, beats, and closes cleanly when asked or when its parent is gone. */
async function runChild(raw: string) {
  const send = (message: ChildMessage) => process.send?.(message);
  let server: Awaited<ReturnType<typeof startHranaServer>>;
  try {
    server = await startHranaServer(JSON.parse(raw) as HranaServerOptions);
  } catch (err) {
    send({ type: 'failed', error: (err as Error).message });
    process.exit(1);
  }
  const beat = setInterval(() => send({ type: 'beat' }), HEARTBEAT_MS);
  const stop = async () => {
    clearInterval(beat);
    await server.close();
    process.exit(0);
  };
  process.on('message', (message: { type?: string }) => {
    if (message.type === 'close') void stop();
  });
  process.on('disconnect', () => void stop());
  process.on('SIGTERM', () => void stop());
  // A terminal's Ctrl-C reaches the whole process group: the parent decides how to stop.
  process.on('SIGINT', () => {});
  send({ type: 'ready', url: server.url, port: server.port });
}

const childOptions = process.env[CHILD_ENV];
if (childOptions !== undefined && process.send !== undefined) await runChild(childOptions);
