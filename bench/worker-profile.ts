/**
 * Where the Worker's CPU goes per request under the benchmark's load: a V8 CPU profile of the
 * Worker's own isolate (workerd's DevTools inspector, Profiler domain) during a load run, its
 * samples mapped through dist/index.js's source map to the package or folder they ran in. What runs
 * in Miniflare's own isolates (its Cache API, the asset router) and in workerd's C++ outside a
 * JavaScript call is not in it; a call into the runtime (fetch, the Cache API) counts as that call.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join } from 'node:path';
import { freePort, httpGet, runLoad, warmUp } from '../dev/load.ts';
import { ROOT } from '../pipeline/libsql.ts';
import { database, worker } from './owned.ts';
import { type BenchSettings, CONNECTIONS, log } from './settings.ts';
import { contributorOf, type Profile } from './startup.ts';

export interface WorkerProfile {
  name: string;
  path: string;
  requestsPerSecond: number;
  /** Profiled CPU (not idle) per response, ms. */
  cpuMsPerRequest: number;
  /** The biggest parts, ms per response. */
  parts: { name: string; ms: number }[];
}

const TOP = 8;

/** The profiled row whose CPU per response judges rendering (the same run as the req/s ratio's). */
export const RENDER_PROFILE = 'article (cache off)';
/** Issue 22: a page rendered from the database at under 2 ms of the Worker's CPU. */
export const RENDER_CPU_GOAL_MS = 2.0;

/** A DevTools protocol session over the inspector's WebSocket. */
async function devtools(port: number, title: RegExp) {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as {
    title?: string;
    webSocketDebuggerUrl: string;
  }[];
  const target = targets.find((t) => title.test(t.title ?? ''));
  if (!target)
    throw new Error(`no inspector target ${title} among ${targets.map((t) => t.title).join(', ')}`);
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true });
    socket.addEventListener('error', reject, { once: true });
  });
  let lastId = 0;
  const pending = new Map<number, (result: unknown) => void>();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
    if (message.id !== undefined) pending.delete(message.id);
  });
  return {
    send<T>(method: string, params: object = {}): Promise<T> {
      const id = ++lastId;
      const answer = new Promise<T>((resolve) => pending.set(id, resolve as (result: unknown) => void));
      socket.send(JSON.stringify({ id, method, params }));
      return answer;
    },
    close: () => socket.close(),
  };
}

/** Sums a profile's samples by where they ran: a contributor of the bundle, or the runtime's own. */
function partsOf(profile: Profile, map: SourceMap | null): Map<string, number> {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const parts = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const frame = frames.get(id);
    const us = profile.timeDeltas[i] ?? 0;
    if (!frame || frame.functionName === '(idle)') return;
    let name: string;
    if (frame.functionName.startsWith('(')) name = frame.functionName;
    else if (!frame.url) name = `the runtime: ${frame.functionName || 'anonymous'}`;
    else {
      const entry = map?.findEntry(frame.lineNumber, frame.columnNumber);
      name =
        entry && 'originalSource' in entry ? contributorOf(entry.originalSource) : 'the bundle (unmapped)';
    }
    parts.set(name, (parts.get(name) ?? 0) + us / 1000);
  });
  return parts;
}

/** CPU profiles of the Worker's isolate while it serves `rows` under load, one Worker per row. */
export async function workerProfiles(
  settings: BenchSettings,
  file: string,
  rows: { name: string; path: string; bindings: Record<string, string> }[],
): Promise<WorkerProfile[]> {
  const mapFile = join(ROOT, 'dist', 'index.js.map');
  const map = existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8'))) : null;
  const db = await database(file);
  const results: WorkerProfile[] = [];
  for (const row of rows) {
    const inspectorPort = await freePort();
    const w = await worker({ libsqlUrl: db.url, bindings: row.bindings, inspectorPort });
    const url = `${w.url}${row.path}`;
    if ((await httpGet(url)).status !== 200) throw new Error(`${row.path} did not answer 200`);
    // Miniflare names the Worker's own isolate "core:user:" (its cache, router and asset isolates apart).
    const session = await devtools(inspectorPort, /core:user:/);
    try {
      log(`profile: ${row.name}: ${row.path}`);
      await warmUp(url, { connections: CONNECTIONS, durationS: settings.warmupS });
      await session.send('Profiler.enable');
      await session.send('Profiler.start');
      const load = await runLoad(url, { connections: CONNECTIONS, durationS: settings.durationS });
      const { profile } = await session.send<{ profile: Profile }>('Profiler.stop');
      const perRequest = new Map(
        [...partsOf(profile, map)].map(([name, ms]) => [name, ms / Math.max(1, load.responses)]),
      );
      const sorted = [...perRequest].sort((a, b) => b[1] - a[1]);
      const rest = sorted.slice(TOP).reduce((sum, [, ms]) => sum + ms, 0);
      results.push({
        name: row.name,
        path: row.path,
        requestsPerSecond: load.requestsPerSecond,
        cpuMsPerRequest: sorted.reduce((sum, [, ms]) => sum + ms, 0),
        parts: [
          ...sorted.slice(0, TOP).map(([name, ms]) => ({ name, ms })),
          ...(rest > 0 ? [{ name: `${sorted.length - TOP} others`, ms: rest }] : []),
        ],
      });
    } finally {
      session.close();
      await w.stop();
    }
  }
  await db.stop();
  return results;
}
