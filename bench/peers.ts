/**
 * 6. Peers, side by side (`npm run bench -- --peers`, opt-in: it installs them): what a user would
 * pick instead, serving the same two articles of content-seed/, measured in the same run with the same
 * load tool and settings as section 1: Ghost (ghost-cli, `ghost install local`, SQLite) and WordPress
 * (Debian's package, Apache, MariaDB). req/s and p50/p99 of the newest article's page, its median time
 * to first byte over sequential requests, and database queries per uncached page. A peer that cannot
 * be installed or started gets the reason instead of numbers.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, httpGet, type LoadResult, median, runLoad, warmUp } from '../dev/load.ts';
import { int, ms, table } from './format.ts';
import { type PeerArticle, peerArticles } from './peers-content.ts';
import { ghostPeer, ghostVersion, installGhost } from './peers-ghost.ts';
import { tail } from './peers-process.ts';
import { installWordpress, wordpressPeer, wordpressVersion } from './peers-wordpress.ts';
import { type BenchSettings, CONNECTIONS, log, SEQUENTIAL } from './settings.ts';
import type { LoadRow } from './throughput.ts';

interface PeerResult {
  peer: string;
  version?: string;
  /** How it ran (mode, theme, what it was given). */
  setup?: string;
  path?: string;
  status?: number;
  bytes?: number;
  load?: LoadResult;
  ttfb?: { medianMs: number; samples: number };
  /** Database queries per page, each request uncached (neither peer has a page cache of its own). */
  queriesPerPage?: number;
  /** How they were counted. */
  queryCount?: string;
  /** Why there are no numbers: what failed, short. */
  notMeasured?: string;
}

export interface PeersResults {
  article: { slug: string; title: string; path: string };
  peers: PeerResult[];
}

/** The page's answer checked, then the same TTFB samples, warm-up and load run for every peer. */
async function measurePage(settings: BenchSettings, origin: string, article: PeerArticle, name: string) {
  const url = `${origin}/${article.slug}/`;
  const probe = await httpGet(url);
  const body = probe.body.toString();
  if (probe.status !== 200) throw new Error(`/${article.slug}/ answered ${probe.status}`);
  if (!body.includes(article.title.slice(0, 20)))
    throw new Error(`/${article.slug}/ does not show the title`);
  log(`peers: ${name}: /${article.slug}/ (${probe.status}, ${probe.body.length} bytes)`);
  // First the sequential samples, on an idle server: after a load run a server may still be working
  // off the requests it had read (Apache's children finish what the closed connections sent).
  for (let i = 0; i < 3; i++) await httpGet(url);
  const times: number[] = [];
  for (let i = 0; i < settings.ttfbHits; i++) times.push((await httpGet(url)).ttfbMs);
  await warmUp(url, { connections: CONNECTIONS, durationS: settings.warmupS });
  // A slow server is still answering the warm-up's last requests when its connections are gone
  // (WordPress: seconds of them), and the run would measure that backlog: wait until a request
  // takes about what it took on the idle server again.
  const idleMs = median(times);
  for (let i = 0; i < 60 && (await httpGet(url)).ttfbMs > Math.max(3 * idleMs, idleMs + 20); i++) {
    await sleep(500);
  }
  const load = await runLoad(url, { connections: CONNECTIONS, durationS: settings.durationS });
  log(
    `  ${int(load.requestsPerSecond)} req/s, p50 ${ms(load.p50Ms)}, p99 ${ms(load.p99Ms)}, errors ${load.errors}`,
  );
  return {
    path: `/${article.slug}/`,
    status: probe.status,
    bytes: probe.body.length,
    load,
    ttfb: { medianMs: median(times), samples: times.length },
  };
}

const reason = (error: unknown) =>
  tail(error instanceof Error ? error.message : String(error), 2).slice(0, 300) || 'unknown error';

async function measureGhost(settings: BenchSettings, articles: PeerArticle[], newest: PeerArticle) {
  const result: PeerResult = { peer: 'Ghost' };
  let stop: (() => Promise<void>) | undefined;
  try {
    installGhost();
    result.version = ghostVersion();
    result.setup = 'production mode, SQLite (better-sqlite3), theme Casper, request log off, 1 Node process';
    const ghost = await ghostPeer(await freePort(), articles);
    stop = () => ghost.stop();
    Object.assign(result, await measurePage(settings, ghost.url, newest, 'Ghost'));
    result.queriesPerPage = await ghost.queriesPerPage(`/${newest.slug}/`, SEQUENTIAL);
    result.queryCount = `knex's debug log (DEBUG=knex:query, a restart), lines per request over ${SEQUENTIAL} sequential requests after 3 unmeasured`;
  } catch (error) {
    log(`peers: Ghost failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    result.notMeasured = reason(error);
  } finally {
    await stop?.().catch(() => {});
  }
  return result;
}

async function measureWordpress(settings: BenchSettings, articles: PeerArticle[], newest: PeerArticle) {
  const result: PeerResult = { peer: 'WordPress' };
  let stop: (() => Promise<void>) | undefined;
  try {
    installWordpress();
    result.version = wordpressVersion();
    result.setup =
      "Apache prefork + mod_php with Debian's defaults (opcache on), theme Twenty Twenty-Three, MariaDB over a socket";
    const wordpress = await wordpressPeer(await freePort(), articles);
    stop = () => wordpress.stop();
    Object.assign(result, await measurePage(settings, wordpress.url, newest, 'WordPress'));
    const counted = await wordpress.queriesPerPage(`/${newest.slug}/`, SEQUENTIAL);
    result.queriesPerPage = counted.questions;
    result.queryCount = `MariaDB's global status Questions, delta per request over ${SEQUENTIAL} sequential requests after 3 unmeasured (Com_select ${counted.selects.toFixed(1)})`;
  } catch (error) {
    log(
      `peers: WordPress failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    result.notMeasured = reason(error);
  } finally {
    await stop?.().catch(() => {});
  }
  return result;
}

/** Installs (when missing), seeds, starts, measures and stops each peer in turn. */
export async function peers(settings: BenchSettings): Promise<PeersResults> {
  const articles = await peerArticles();
  const newest = articles[0];
  if (!newest) throw new Error('content-seed/ holds no documents');
  log(`peers: Ghost and WordPress, each serving the ${articles.length} articles of content-seed/`);
  const results = [
    await measureGhost(settings, articles, newest),
    await measureWordpress(settings, articles, newest),
  ];
  return { article: { slug: newest.slug, title: newest.title, path: `/${newest.slug}/` }, peers: results };
}

/** The report's section: the peers' rows, and ours from section 1 when this run measured it. */
export function peersSection(settings: BenchSettings, results: PeersResults, ours: LoadRow[] = []): string[] {
  const head = [
    'server',
    'version',
    'req/s',
    'p50',
    'p99',
    'TTFB median',
    'DB queries per uncached page',
    'non-2xx, errors',
  ];
  const rows = results.peers.map((peer) => {
    if (!peer.load || !peer.ttfb) {
      return [
        peer.peer,
        peer.version ?? '—',
        `not measured: ${peer.notMeasured ?? 'no numbers'}`,
        '',
        '',
        '',
        '',
        '',
      ];
    }
    const non2xx = Object.entries(peer.load.statuses)
      .filter(([status]) => !status.startsWith('2'))
      .reduce((n, [, count]) => n + count, 0);
    return [
      peer.peer,
      peer.version ?? '—',
      int(peer.load.requestsPerSecond),
      ms(peer.load.p50Ms),
      ms(peer.load.p99Ms),
      ms(peer.ttfb.medianMs),
      peer.queriesPerPage === undefined ? '—' : peer.queriesPerPage.toFixed(1),
      `${int(non2xx)}, ${int(peer.load.errors)}`,
    ];
  });
  const ourRows = ours
    .filter((row) => row.load && row.name.startsWith('article'))
    .map((row) => [
      `this site: ${row.name}`,
      row.server,
      int(row.load?.requestsPerSecond ?? 0),
      ms(row.load?.p50Ms ?? Number.NaN),
      ms(row.load?.p99Ms ?? Number.NaN),
      'section 2',
      `${(row.libsqlPerRequest ?? 0).toFixed(2)} libSQL requests`,
      '',
    ]);
  const notes = results.peers.flatMap((peer) =>
    peer.load
      ? [
          `- ${peer.peer}: ${peer.setup}; \`${peer.path}\`, ${int(peer.bytes ?? 0)} bytes; queries: ${peer.queryCount}.`,
        ]
      : [],
  );
  return [
    `### 6. Peers: the same article (\`${results.article.path}\`) from Ghost and WordPress, ${CONNECTIONS} connections, ${settings.durationS} s after ${settings.warmupS} s of warm-up`,
    '',
    table(head, [...rows, ...ourRows]),
    '',
    "Each peer holds only the two articles of content-seed/ (ours: section 1's database), on this machine, " +
      'measured with the same autocannon runs as section 1; TTFB is the median of ' +
      `${settings.ttfbHits} sequential requests on one kept-alive connection, no simulated round trip ` +
      '(section 2 adds one for ours), taken before the load; after the warm-up the run waits until one request ' +
      'is about as fast as on the idle server again (a slow server is still working off the warm-up). ' +
      'Neither peer caches pages itself: every request is uncached.',
    ...(notes.length > 0 ? ['', ...notes] : []),
  ];
}
