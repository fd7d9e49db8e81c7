/**
 * The caching through the built Worker in workerd with its real Cache API (Miniflare)
 * and a real local libSQL server: the policy headers, the L1 cache and its key, conditional
 * requests, publishing, stale copies when the database is slow or away, and the purge route.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Headers as MiniflareHeaders, Response as MiniflareResponse } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HranaServer, startHranaServer } from '../dev/hrana-server.ts';
import { openClient } from '../pipeline/libsql.ts';
import { parseDocuments } from '../pipeline/parse-documents.ts';
import { seedDatabase } from '../pipeline/seed-database.ts';
import { VERSION_CHECK_MS } from '../worker/cache/content-version.ts';
import { MET, POSTBUS, SITE } from './support/addresses.ts';
import { ROOT } from './support/cli.ts';
import { startDatabase, startWorker, type TestDatabase, type TestWorker } from './support/worker.ts';

const PAGE_POLICY = 'public, max-age=60, stale-while-revalidate=86400, stale-if-error=86400';
const TOKEN = 'test-purge-token-0123456789';

let db: TestDatabase;
let server: HranaServer;
let worker: TestWorker;

beforeAll(async () => {
  db = await startDatabase();
  server = db.server;
  worker = await startWorker({ libsqlUrl: server.url, siteUrl: SITE, bindings: { PURGE_TOKEN: TOKEN } });
});
afterAll(async () => {
  await worker?.dispose();
  await server?.close();
  await db?.close();
});

/** GET a path; how many requests reached the libSQL server while it was answered. */
async function get(path: string, init: RequestInit = {}) {
  server.resetStats();
  const response = await worker.fetch(path, { redirect: 'manual', ...init });
  const body = await response.text();
  return { response, body, dbRequests: server.stats.requests, xCache: response.headers.get('x-cache') };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Repeats `probe` until it returns true, for up to `ms`. */
async function eventually(probe: () => Promise<boolean>, ms = 15_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    await wait(100);
  }
  return false;
}

/** Seeds the test database again with the real documents, the first one changed by `edit`. */
async function reseed(edit: (text: string) => string) {
  const read = (name: string) => readFileSync(join(ROOT, 'content-seed', name), 'utf8');
  const parsed = parseDocuments([
    { file: '000_2e0dd2dc981fcdfb.txt', text: edit(read('000_2e0dd2dc981fcdfb.txt')) },
    { file: '001_f3f85d6d71f8b7af.txt', text: read('001_f3f85d6d71f8b7af.txt') },
  ]);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const client = openClient(`file:${db.file}`);
  try {
    return await seedDatabase(client, parsed.parsed);
  } finally {
    client.close();
  }
}

function expectSecurityHeaders(response: Response, what: string) {
  const csp = response.headers.get('content-security-policy') ?? '';
  expect(csp, what).toContain("default-src 'self'");
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(csp, what).not.toContain('unsafe-inline');
  expect(response.headers.get('x-content-type-options'), what).toBe('nosniff');
  expect(response.headers.get('referrer-policy'), what).toBe('strict-origin-when-cross-origin');
  expect(response.headers.get('permissions-policy'), what).toContain('camera=()');
  expect(response.headers.get('strict-transport-security'), what).toMatch(/^max-age=\d+/);
}

describe('the policy of each response type', () => {
  it('pages and the API: SWR policy, Cache-Tag, strong ETag and Last-Modified', async () => {
    for (const [path, tag] of [
      ['/', 'articles'],
      [MET, 'article:met-elkaar-voor-125000-banen'],
      ['/participanten', 'site'],
      ['/api/articles', 'articles'],
      ['/api/articles/met-elkaar-voor-125000-banen', 'article:met-elkaar-voor-125000-banen'],
      ['/feed.xml', 'articles'],
    ] as const) {
      const { response } = await get(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('cache-control'), path).toBe(PAGE_POLICY);
      expect(response.headers.get('cache-tag')?.split(','), path).toContain(tag);
      expect(response.headers.get('etag'), path).toMatch(/^"[0-9a-f]+-[0-9a-f]{16}(-\d+)?"$/);
      expect(Date.parse(response.headers.get('last-modified') ?? ''), path).not.toBeNaN();
      expectSecurityHeaders(response, path);
    }
  });

  it('share redirects, health and admin are no-store; cards and assets immutable', async () => {
    for (const path of ['/deel/met-elkaar-voor-125000-banen/x', '/healthz']) {
      const { response, xCache } = await get(path);
      expect(response.headers.get('cache-control'), path).toBe('no-store');
      expect(xCache, path).toBe('BYPASS');
      expectSecurityHeaders(response, path);
    }
    const admin = await get('/admin/purge', { method: 'POST' });
    expect(admin.response.headers.get('cache-control')).toBe('no-store');
    const html = (await get(MET)).body;
    const card = new URL(/property="og:image" content="([^"]+)"/.exec(html)?.[1] ?? '').pathname;
    const asset = /<link rel="stylesheet" href="([^"]+)"/.exec(html)?.[1] ?? '';
    for (const path of [card, asset]) {
      const { response } = await get(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('cache-control'), path).toBe('public, max-age=31536000, immutable');
      expectSecurityHeaders(response, path);
    }
  });
});

describe('the L1 cache', () => {
  it('answers a repeated request without any database request', async () => {
    const first = await get(POSTBUS);
    const second = await get(POSTBUS);
    expect(first.xCache).toMatch(/^(MISS|HIT)$/);
    expect(second.xCache).toBe('HIT');
    expect(second.dbRequests).toBe(0);
    expect(second.body).toBe(first.body);
    expect(second.response.headers.get('etag')).toBe(first.response.headers.get('etag'));
    expect(second.response.headers.get('cache-control')).toBe(PAGE_POLICY);
    expectSecurityHeaders(second.response, 'hit');
  });

  it('answers a repeated page that reads no content (robots.txt) from the cache too', async () => {
    // The content version is known (from a page read before), and robots.txt has none of its own.
    await get(POSTBUS);
    await get('/robots.txt');
    const again = await get('/robots.txt');
    expect(again.response.status).toBe(200);
    expect(again.xCache).toBe('HIT');
    expect(again.body).toContain('Sitemap: ');
  });

  it('renders an uncached page with exactly one database round trip', async () => {
    const { xCache, dbRequests, response } = await get('/zoeken?q=postbus');
    expect(response.status).toBe(200);
    expect(xCache).toBe('MISS');
    expect(dbRequests).toBe(1);
  });

  it('keys by the normalized URL: only the parameters the route reads, sorted', async () => {
    const miss = await get('/api/articles?limit=5&page=1');
    expect(miss.xCache).toBe('MISS');
    for (const variant of [
      '/api/articles?page=1&limit=5',
      '/api/articles?limit=5&page=1&fbclid=IwAR0abc',
      '/api/articles?utm_source=linkedin&utm_medium=social&page=1&limit=5',
      '/api/articles?gclid=x&dclid=y&msclkid=z&mc_cid=a&mc_eid=b&igshid=c&ref=d&limit=5&page=1',
      '/api/articles?srsltid=a&twclid=b&li_fat_id=c&_gl=d&_hsenc=e&gbraid=f&wbraid=g&ttclid=h&igsh=i&limit=5&page=1',
      '/api/articles?limit=5&page=1&foo=1&Page=9&LIMIT=1',
    ]) {
      const hit = await get(variant);
      expect(hit.xCache, variant).toBe('HIT');
      expect(hit.dbRequests, variant).toBe(0);
      expect(hit.body, variant).toBe(miss.body);
    }
    expect((await get('/api/articles?limit=6&page=1')).xCache).toBe('MISS');
  });

  it('lets no unknown query parameter cost a database request, on any cached route', async () => {
    // Each route that reads the database, with a request it answers 200 and the parameters it reads.
    const routes = [
      '/',
      '/banenafspraak/nieuws?pagina=1',
      MET,
      '/participanten',
      '/over-vso',
      '/zelfstandige-publieke-werkgevers',
      '/zoeken?q=werkgevers&pagina=1',
      '/feed.xml',
      '/sitemap.xml',
      `/oembed?url=${encodeURIComponent(`${SITE}${MET}`)}&format=json&maxwidth=2000&maxheight=2000`,
      '/api/articles?page=1&limit=5',
      '/api/articles/met-elkaar-voor-125000-banen',
      '/api/search?q=werkgevers&page=1&limit=5',
      '/api/participants',
      '/api/site',
    ];
    const random = () => Math.random().toString(36).slice(2, 10);
    let dbRequests = 0;
    let variants = 0;
    const started = Date.now();
    for (const route of routes) {
      const first = await get(route);
      expect(first.response.status, route).toBe(200);
      for (let i = 0; i < 10; i++) {
        const junk = Array.from({ length: 5 }, () => `${random()}=${random()}`).join('&');
        const variant = `${route}${route.includes('?') ? '&' : '?'}${junk}&utm_campaign=${random()}&srsltid=${random()}`;
        const answer = await get(variant);
        expect(answer.response.status, variant).toBe(200);
        expect(answer.xCache, variant).toBe('HIT');
        expect(answer.body, variant).toBe(first.body);
        dbRequests += answer.dbRequests;
        variants++;
      }
    }
    // Hits make no database request of their own; the only ones are the content-version checks
    // that an isolate starts in the background, at most one every VERSION_CHECK_MS whatever the URL.
    const versionChecks = Math.floor((Date.now() - started) / VERSION_CHECK_MS) + 1;
    expect(variants).toBe(routes.length * 10);
    expect(dbRequests).toBeLessThanOrEqual(versionChecks);
  });

  it('keeps the parameters a route reads apart: each value is its own entry', async () => {
    const one = await get('/zoeken?q=postbus&pagina=1');
    const other = await get('/zoeken?q=werkgevers&pagina=1&x=postbus');
    expect(other.body).not.toBe(one.body);
    expect((await get('/zoeken?pagina=1&q=postbus&foo=bar')).body).toBe(one.body);
  });

  it('answers 304 to If-None-Match and If-Modified-Since, on hits too', async () => {
    const { response } = await get('/over-vso');
    const etag = response.headers.get('etag') ?? '';
    const lastModified = response.headers.get('last-modified') ?? '';
    const conditionals: Record<string, string>[] = [
      { 'If-None-Match': etag },
      { 'If-None-Match': `"other", W/${etag}` },
      { 'If-Modified-Since': lastModified },
    ];
    for (const headers of conditionals) {
      const conditional = await get('/over-vso', { headers });
      expect(conditional.response.status, JSON.stringify(headers)).toBe(304);
      expect(conditional.xCache).toBe('HIT');
      expect(conditional.body).toBe('');
      expect(conditional.response.headers.get('etag')).toBe(etag);
      expect(conditional.response.headers.get('cache-control')).toBe(PAGE_POLICY);
      expectSecurityHeaders(conditional.response, '304');
    }
    const changed = await get('/over-vso', { headers: { 'If-None-Match': '"something-else"' } });
    expect(changed.response.status).toBe(200);
    // If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2).
    const both = await get('/over-vso', {
      headers: { 'If-None-Match': '"something-else"', 'If-Modified-Since': lastModified },
    });
    expect(both.response.status).toBe(200);
    // A miss answers 304 as well.
    const fresh = await get('/zoeken?q=werkgevers', { headers: { 'If-None-Match': etag } });
    expect(fresh.xCache).toBe('MISS');
    expect(fresh.response.status).toBe(304);
  });

  it('ignores an If-Modified-Since that is no HTTP-date or lies in the future, on hits and misses', async () => {
    const { response } = await get('/api/site');
    const lastModified = response.headers.get('last-modified') ?? '';
    const modified = new Date(lastModified);
    // The same instant in the obsolete rfc850 form, which recipients still accept (RFC 9110 §5.6.7).
    const weekday = modified.toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' });
    const [, day, month, year, time] = lastModified.split(' ');
    const rfc850 = `${weekday}, ${day}-${month}-${year?.slice(2)} ${time} GMT`;
    const nextYear = new Date(Date.now() + 365 * 86_400_000).toUTCString();
    let miss = 0;
    const both = async (headers: Record<string, string>) => {
      const hit = await get('/api/site', { headers });
      expect(hit.xCache, JSON.stringify(headers)).toBe('HIT');
      const fresh = await get(`/api/search?q=datum${miss++}`, { headers });
      expect(fresh.xCache, JSON.stringify(headers)).toBe('MISS');
      return [hit.response.status, fresh.response.status];
    };
    for (const since of ['2030', '2030-01-01T00:00:00Z', 'Tue, 1 Jan 2030 00:00:00 GMT', nextYear]) {
      expect(await both({ 'If-Modified-Since': since }), since).toEqual([200, 200]);
    }
    for (const since of [lastModified, rfc850]) {
      expect(await both({ 'If-Modified-Since': since }), since).toEqual([304, 304]);
    }
    // With If-None-Match present, If-Modified-Since is not looked at (RFC 9110 §13.1.3).
    expect(await both({ 'If-None-Match': '"other"', 'If-Modified-Since': lastModified })).toEqual([200, 200]);
  });

  it('stores nothing that a request can forge: Host and forwarding headers change no URL', async () => {
    const forged = await get('/zelfstandige-publieke-werkgevers?utm_campaign=x', {
      headers: { Host: 'evil.example', 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'http' },
    });
    expect(forged.response.status).toBe(200);
    expect(forged.body).not.toContain('evil.example');
    const normal = await get('/zelfstandige-publieke-werkgevers');
    expect(normal.xCache).toBe('HIT');
    expect(normal.body).not.toContain('evil.example');
    expect(normal.body).toContain(`<link rel="canonical" href="${SITE}/zelfstandige-publieke-werkgevers"/>`);
  });

  it('serves a copy past max-age at once and renders it again in the background', async () => {
    await get('/banenafspraak/nieuws');
    // Age the stored copy by two minutes, as if a visitor came back after max-age.
    const cache = await worker.defaultCache();
    const key = `${SITE}/banenafspraak/nieuws`;
    const stored = await cache.match(key);
    expect(stored).toBeDefined();
    const headers = new MiniflareHeaders([...(stored?.headers ?? [])]);
    headers.set('X-L1-Stored-At', String(Date.now() - 120_000));
    const aged = new MiniflareResponse(await stored?.text(), { status: 200, headers });
    await cache.put(key, aged as unknown as Response);

    const stale = await get('/banenafspraak/nieuws');
    expect(stale.xCache).toBe('STALE');
    expect(Number(stale.response.headers.get('age'))).toBeGreaterThanOrEqual(120);
    expect(stale.response.status).toBe(200);
    // The background render stores a fresh copy.
    expect(
      await eventually(async () => {
        const again = await get('/banenafspraak/nieuws');
        return again.xCache === 'HIT' && Number(again.response.headers.get('age')) < 60;
      }),
    ).toBe(true);
  });
});

describe('publishing', () => {
  it('shows a seeded change within seconds, with a new ETag, without waiting for max-age', async () => {
    const before = await get(MET);
    expect((await get(MET)).xCache).toBe('HIT');
    const summary = await reseed((text) =>
      text.replace('Met elkaar voor 125.000 banen\n', 'Met elkaar voor 125.000 banen!\n'),
    );
    expect(summary.updated).toEqual(['met-elkaar-voor-125000-banen']);
    let after = before;
    const seen = await eventually(async () => {
      after = await get(MET);
      return after.body.includes('<h1 id="artikel-titel">Met elkaar voor 125.000 banen!</h1>');
    });
    expect(seen).toBe(true);
    expect(after.response.headers.get('etag')).not.toBe(before.response.headers.get('etag'));
    // Pages that show the article's title in a list follow too.
    const listed = await eventually(async () =>
      (await get('/')).body.includes('>Met elkaar voor 125.000 banen!</a>'),
    );
    expect(listed).toBe(true);
  });

  it('learns of a change from a version check that answers later than a visitor would wait', async () => {
    await get(MET);
    expect((await get(MET)).xCache).toBe('HIT');
    await reseed((text) =>
      text.replace('Met elkaar voor 125.000 banen\n', 'Met elkaar voor 125.000 banen?\n'),
    );
    // Every answer now takes longer than the 3 s a visitor's request waits for the database (as when
    // a loaded isolate reads it late); hits still need none.
    server.setLatency(4_000);
    try {
      await wait(VERSION_CHECK_MS);
      expect((await get(MET)).xCache).toBe('HIT'); // and it asks, in the background
      // Once the late answer is in, the isolate knows its copy is out of date: it tries to render
      // the page (too slow, so the copy is served as STALE) instead of calling it a HIT until max-age.
      const learned = await eventually(async () => (await get(MET)).xCache !== 'HIT');
      expect(learned).toBe(true);
    } finally {
      server.setLatency(0);
    }
    const shown = await eventually(async () =>
      (await get(MET)).body.includes('<h1 id="artikel-titel">Met elkaar voor 125.000 banen?</h1>'),
    );
    expect(shown).toBe(true);
  });
});

describe('when the database is slow or away', () => {
  it('serves a stale copy when rendering the current content fails, and 503 + Retry-After without one', async () => {
    // A copy of the article at the content version of now...
    await get(POSTBUS);
    // ...then new content is published and seen by the Worker (a fresh page renders it).
    await reseed((text) =>
      text.replace('Met elkaar voor 125.000 banen\n', 'Met elkaar voor 125.000 banen!!\n'),
    );
    const published = await eventually(async () =>
      (await get('/')).body.includes('>Met elkaar voor 125.000 banen!!</a>'),
    );
    expect(published).toBe(true);

    // The database becomes slower than the Worker's 3 s time limit.
    server.setLatency(4_000);
    try {
      const stale = await get(POSTBUS);
      expect(stale.response.status).toBe(200);
      expect(stale.xCache).toBe('STALE');
      expect(stale.body).toContain('Centrale postbus voor vragen over de banenafspraak');

      const page = await get('/zoeken?q=iets-nieuws');
      expect(page.response.status).toBe(503);
      expect(page.response.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(page.response.headers.get('cache-control')).toBe('no-store');
      expect(page.body).toContain('Er ging even iets mis');
      expectSecurityHeaders(page.response, '503');

      const api = await get('/api/search?q=iets-nieuws');
      expect(api.response.status).toBe(503);
      expect(api.response.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(JSON.parse(api.body)).toMatchObject({ error: { code: 'service_unavailable' } });
    } finally {
      server.setLatency(0);
    }
  });

  it('recovers without a restart when the database is back', async () => {
    const port = server.port;
    await server.close();
    const down = await get('/zoeken?q=terug');
    expect(down.response.status).toBe(503);
    server = await startHranaServer({ file: db.file, port });
    const up = await get('/zoeken?q=terug');
    expect(up.response.status).toBe(200);
  });
});

describe('POST /admin/purge', () => {
  it('needs the bearer token and a list of tags', async () => {
    const purge = (headers: Record<string, string>, body: unknown) =>
      get('/admin/purge', { method: 'POST', headers, body: JSON.stringify(body) });
    const json = { 'Content-Type': 'application/json' };
    expect((await purge(json, { tags: ['site'] })).response.status).toBe(401);
    expect(
      (await purge({ ...json, Authorization: 'Bearer wrong-token' }, { tags: ['site'] })).response.status,
    ).toBe(401);
    expect(
      (await purge({ ...json, Authorization: `Basic ${TOKEN}` }, { tags: ['site'] })).response.status,
    ).toBe(400);
    const auth = { ...json, Authorization: `Bearer ${TOKEN}` };
    for (const bad of [{}, { tags: [] }, { tags: ['<script>'] }, { tags: 'site' }, { everything: false }]) {
      const response = await purge(auth, bad);
      expect(response.response.status, JSON.stringify(bad)).toBe(400);
      expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'invalid_request' } });
    }
    const ok = await purge(auth, { tags: ['site', 'article:met-elkaar-voor-125000-banen'] });
    expect(ok.response.status).toBe(200);
    // Miniflare has no Workers Cache to purge; the answer says so instead of pretending.
    expect(JSON.parse(ok.body)).toEqual({
      purged: false,
      workersCache: 'unavailable',
      tags: ['site', 'article:met-elkaar-voor-125000-banen'],
    });
  });

  it('answers every bad request with the JSON envelope: no JSON, another shape or media type, a method', async () => {
    const auth = { Authorization: `Bearer ${TOKEN}` };
    const purge = (headers: Record<string, string>, body: string, method = 'POST') =>
      get('/admin/purge', { method, headers: { ...auth, ...headers }, ...(body && { body }) });
    const envelope = (answer: Awaited<ReturnType<typeof get>>, what: string) => {
      expect(answer.response.headers.get('content-type'), what).toBe('application/json; charset=utf-8');
      expect(answer.response.headers.get('cache-control'), what).toBe('no-store');
      const parsed = JSON.parse(answer.body);
      expect(Object.keys(parsed), what).toEqual(['error']);
      expect(parsed.error.message, what).toBeTypeOf('string');
      return parsed.error;
    };
    const json = { 'Content-Type': 'application/json' };
    for (const body of ['{"tags": ["site"]', '{tags: ["site"]}', "{'everything': true}", 'true,', '']) {
      const answer = await purge(json, body);
      expect(answer.response.status, body).toBe(400);
      expect(envelope(answer, body)).toEqual({
        code: 'invalid_request',
        message: 'De aanvraag is geen geldige JSON.',
      });
    }
    for (const body of [
      '[]',
      'null',
      '"site"',
      '{"tags": ["site"], "everything": true}',
      '{"tag": ["site"]}',
    ]) {
      const answer = await purge(json, body);
      expect(answer.response.status, body).toBe(400);
      const error = envelope(answer, body);
      expect(error.code, body).toBe('invalid_request');
      expect(error.issues.length, body).toBeGreaterThan(0);
    }
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonp', '']) {
      const answer = await purge(type ? { 'Content-Type': type } : {}, '{"tags": ["site"]}');
      expect(answer.response.status, type).toBe(415);
      expect(envelope(answer, type).code).toBe('unsupported_media_type');
    }
    // A media type with parameters, in any case, is still JSON (RFC 9110 §8.3.1).
    const withCharset = await purge(
      { 'Content-Type': 'Application/JSON; charset=utf-8' },
      '{"tags": ["site"]}',
    );
    expect(withCharset.response.status).toBe(200);
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const answer = await purge(json, '', method);
      expect(answer.response.status, method).toBe(405);
      expect(answer.response.headers.get('allow')).toBe('POST');
      expect(envelope(answer, method).code).toBe('method_not_allowed');
    }
    // Without the token, the body is not even read.
    const anonymous = await get('/admin/purge', { method: 'POST', headers: json, body: '{' });
    expect(anonymous.response.status).toBe(401);
    expect(envelope(anonymous, 'no token').code).toBe('unauthorized');
  });

  it('does not exist without PURGE_TOKEN', async () => {
    const bare = await startWorker({ libsqlUrl: server.url, siteUrl: SITE });
    try {
      const response = await bare.fetch('/admin/purge', {
        method: 'POST',
        headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ tags: ['site'] }),
      });
      expect(response.status).toBe(404);
    } finally {
      await bare.dispose();
    }
  });

  it('loses no share counts when shares and purges run at the same time', async () => {
    const count = async () => {
      const client = openClient(`file:${db.file}`);
      try {
        const sql = "select coalesce(sum(count), 0) as n from share_counts where network = 'whatsapp'";
        return Number((await client.execute(sql)).rows[0]?.n);
      } finally {
        client.close();
      }
    };
    const before = await count();
    const browser = { 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36' };
    // 150 people (CF-Connecting-IP), each under the per-client share limit.
    const shares = Array.from({ length: 150 }, (_, i) =>
      worker.fetch('/deel/met-elkaar-voor-125000-banen/whatsapp', {
        redirect: 'manual',
        headers: { ...browser, 'CF-Connecting-IP': `198.51.100.${i}` },
      }),
    );
    const purges = Array.from({ length: 10 }, () =>
      worker.fetch('/admin/purge', {
        method: 'POST',
        headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ everything: true }),
      }),
    );
    const responses = await Promise.all([...shares, ...purges]);
    expect(
      responses
        .slice(0, 150)
        .map((r) => r.status)
        .filter((status) => status !== 302),
    ).toEqual([]);
    expect(
      responses
        .slice(150)
        .map((r) => r.status)
        .filter((status) => status !== 200),
    ).toEqual([]);
    expect(await eventually(async () => (await count()) === before + 150)).toBe(true);
    await wait(300);
    expect(await count()).toBe(before + 150);
  });
});
