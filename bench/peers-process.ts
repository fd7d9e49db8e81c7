/**
 * What the peers (bench/peers.ts) share: their folder under bench/tmp/, commands that must succeed,
 * and servers run as children of this process, each stopped with everything else (owned.ts).
 */
import { type ChildProcess, type SpawnOptions, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { own } from './owned.ts';
import { TMP } from './settings.ts';

/** The peers' installs and data, kept between runs (bench/tmp/ is ignored by git). */
export const PEERS_DIR = join(TMP, 'peers');

/** The last `lines` non-empty lines of a command's output, for a short reason in the report. */
export const tail = (text: string, lines = 3) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(-lines)
    .join(' / ');

/** Runs a command to its end; its stdout, or an error that names it with the end of its output. */
export function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; uid?: number; gid?: number; timeoutS?: number } = {},
): string {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: (options.timeoutS ?? 120) * 1000,
    ...(options.uid !== undefined && { uid: options.uid, gid: options.gid }),
  });
  if (result.error) throw new Error(`${command}: ${result.error.message}`);
  if (result.status !== 0) {
    const how = result.signal ? `killed (${result.signal})` : `exit ${result.status}`;
    throw new Error(`${command} ${args[0] ?? ''}: ${how}: ${tail(`${result.stdout}\n${result.stderr}`)}`);
  }
  return result.stdout;
}

export interface Server {
  child: ChildProcess;
  /** Everything it wrote so far (stdout and stderr), the last 64 KiB. */
  output(): string;
  /** Called with every chunk of stderr as it comes. */
  onStderr(listener: (chunk: string) => void): void;
  /** SIGTERM, then SIGKILL after `graceS`; once. */
  stop(): Promise<void>;
}

/** A server in the foreground, a child of this process, stopped with everything else. */
export function startServer(
  command: string,
  args: string[],
  options: SpawnOptions & { graceS?: number; cleanup?: () => void },
): Server {
  // A process group of its own: Apache's prefork parent, stopping, signals its whole group.
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const listeners: ((chunk: string) => void)[] = [];
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-65_536);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', (chunk: Buffer) => {
    keep(chunk);
    for (const listener of listeners) listener(chunk.toString());
  });
  child.on('error', (error) => {
    output += `\n${error.message}`;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const running = () => child.exitCode === null && child.signalCode === null;
  /** The whole group (Apache's children too), when the leader did not stop them. */
  const killGroup = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // the group is gone already
    }
  };
  const stop = own(
    async () => {
      if (running()) {
        child.kill('SIGTERM');
        await Promise.race([exited, sleep((options.graceS ?? 20) * 1000)]);
        if (running()) killGroup();
        await Promise.race([exited, sleep(2000)]);
      }
      options.cleanup?.();
    },
    () => {
      killGroup();
      options.cleanup?.();
    },
  );
  return { child, output: () => output, onStderr: (listener) => listeners.push(listener), stop };
}

/** Polls `ready` until it answers true; throws with the server's last words when it exits or times out. */
export async function waitUntil(
  what: string,
  ready: () => Promise<boolean>,
  options: { timeoutS: number; server?: Server },
): Promise<void> {
  const deadline = performance.now() + options.timeoutS * 1000;
  while (performance.now() < deadline) {
    const child = options.server?.child;
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(
        `${what} exited (${child.exitCode ?? child.signalCode}): ${tail(options.server?.output() ?? '')}`,
      );
    }
    if (await ready().catch(() => false)) return;
    await sleep(250);
  }
  throw new Error(`${what} not ready in ${options.timeoutS} s: ${tail(options.server?.output() ?? '')}`);
}
