/**
 * Debian's nginx serving a folder on a free loopback port, for the benchmark's physical limit of
 * static files on this machine. Optional: without an `nginx` binary it answers null.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, httpGet } from '../dev/load.ts';

export interface Nginx {
  url: string;
  version: string;
  stop(): Promise<void>;
  /** Synchronous, for a process that is exiting: asks nginx to stop and removes its files. */
  kill(): void;
}

/** The nginx binary on PATH or in /usr/sbin (root's PATH only), or null. */
function findNginx(): string | null {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'];
  for (const dir of dirs.filter(Boolean)) {
    try {
      accessSync(join(dir, 'nginx'), constants.X_OK);
      return join(dir, 'nginx');
    } catch {
      // not in this folder: try the next
    }
  }
  return null;
}

/**
 * Serves `root` (which must be readable by nginx's unprivileged worker user) with one worker process,
 * like the single workerd thread it is compared with, in the foreground as a child of this process.
 */
export async function startNginx(root: string): Promise<Nginx | null> {
  const bin = findNginx();
  if (!bin) return null;
  const dir = mkdtempSync(join(tmpdir(), 'vso-bench-nginx-'));
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  const errorLog = join(dir, 'error.log');
  writeFileSync(
    conf,
    `daemon off;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${errorLog} warn;
events { worker_connections 1024; }
http {
  types { text/html html; text/css css; image/svg+xml svg; application/javascript js; }
  default_type application/octet-stream;
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 10000000;
  server {
    listen 127.0.0.1:${port};
    root ${root};
  }
}
`,
  );
  const child: ChildProcess = spawn(bin, ['-p', dir, '-c', conf, '-e', errorLog], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(5000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const kill = () => {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) break;
    try {
      await httpGet(`${url}/`);
      const version = /nginx\/([\d.]+)/.exec(spawnSync(bin, ['-v'], { encoding: 'utf8' }).stderr)?.[1] ?? '';
      return { url, version, stop, kill };
    } catch {
      await sleep(50);
    }
  }
  let log = '';
  try {
    log = readFileSync(errorLog, 'utf8');
  } catch {
    // no log written
  }
  await stop();
  throw new Error(`nginx did not start: ${stderr}${log}`.trim());
}
