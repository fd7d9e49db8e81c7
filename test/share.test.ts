/**
 * "Deel dit artikel" through the built Worker in workerd against a real local libSQL server: the
 * counts, who is not counted, the rate limit and the queue (both as Miniflare simulates them from
 * wrangler.toml). The redirects, the Mastodon form and the open-redirect attempts are tested
 * in-process in test/app/share.test.ts.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unstable_readConfig } from 'wrangler';
import { type HranaServer, startHranaServer } from '../dev/hrana-server.ts';
import { MET_SLUG, SITE } from './support/addresses.ts';
import { ROOT } from './support/cli.ts';
import { CRAWLER_AGENTS } from './support/crawlers.ts';
import { BROWSER, INTENTS, MET_TITLE as TITLE, MET_URL as URL_ } from './support/share-intents.ts';
import { startDatabase, startWorker, type TestDatabase, type TestWorker } from './support/worker.ts';

const SLUG = MET_SLUG;
const e = encodeURIComponent;

/** The share limit of wrangler.toml ([[ratelimits]] SHARE_LIMITER), as Miniflare enforces it. */
const LIMIT = (() => {
  const config = unstable_readConfig({ config: join(ROOT, 'wrangler.toml') });
  const limiter = config.ratelimits.find((binding: { name: string }) => binding.name === 'SHARE_LIMITER');
  if (!limiter) throw new Error('wrangler.toml declares no SHARE_LIMITER');
  return limiter.simple;
})();

let db: TestDatabase;
let server: HranaServer;
let worker: TestWorker;

// The API's share counts are read with the L1 cache off: cached, they may be up to max-age (60 s) old.
// A failed queue batch comes back after 1 s here (30 s in wrangler.toml).
beforeAll(async () => {
  db = await startDatabase();
  server = db.server;
  worker = await startWorker({
    libsqlUrl: db.server.url,
    siteUrl: SITE,
    bindings: { L1_CACHE: 'off' },
    queueRetryDelay: 1,
  });
});
afterAll(async () => {
  await worker?.dispose();
  await server?.close();
  await db?.close();
});

// Every share comes from a client of its own (Cloudflare's CF-Connecting-IP) unless a test says
// otherwise, so that the rate limit counts only where a test is about it.
let clients = 0;
const nextClient = () => {
  clients++;
  return `2001:db8::${clients.toString(16)}`;
};

/** When the last share was sent: its count may still be in the queue until the batch timeout. */
let lastShareAt = 0;
/** Longer than the queue's batch timeout (wrangler.toml, max_batch_timeout). */
const BATCH_WAIT_MS = 2_500;

function share(path: string, init: RequestInit = {}) {
  lastShareAt = Date.now();
  return worker.fetch(path, {
    redirect: 'manual',
    ...init,
    headers: {
      'User-Agent': BROWSER,
      'CF-Connecting-IP': nextClient(),
      ...(init.headers as Record<string, string>),
    },
  });
}

/** The Mastodon form's POST, as a browser sends it from a page of the site. */
function postInstance(slug: string, instance: string, headers: Record<string, string> = { Origin: SITE }) {
  return share(`/deel/${slug}/mastodon`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ instance }).toString(),
  });
}

type Shares = Record<string, number>;
async function shares(slug = SLUG): Promise<Shares> {
  const response = await worker.fetch(`/api/articles/${slug}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { article: { shares: Shares } }).article.shares;
}
/** The counts once every share sent so far has been through the queue. */
async function settled(slug = SLUG): Promise<Shares> {
  const wait = lastShareAt + BATCH_WAIT_MS - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  return shares(slug);
}

/**
 * Counts are written after the redirect has gone out (waitUntil): wait until `network` reaches
 * `expected`, then a little longer, so that a count that overshoots is seen too.
 */
async function settledShares(network: string, expected: number, slug = SLUG, ms = 10_000): Promise<Shares> {
  const deadline = Date.now() + ms;
  let current = await shares(slug);
  while ((current[network] ?? 0) < expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    current = await shares(slug);
  }
  // Longer than the queue's batch timeout, so that a count that overshoots is seen too.
  return settled(slug);
}

describe('GET /deel/{slug}/{network}', () => {
  it('counts a share once per request and reports it in the API, with the total', async () => {
    const before = await settled();
    expect(Object.keys(before).sort()).toEqual(
      ['bluesky', 'email', 'facebook', 'linkedin', 'mastodon', 'telegram', 'total', 'whatsapp', 'x'].sort(),
    );
    expect((await share(`/deel/${SLUG}/telegram`)).status).toBe(302);
    expect((await share(`/deel/${SLUG}/telegram`)).status).toBe(302);
    const after = await settledShares('telegram', (before.telegram ?? 0) + 2);
    expect(after.telegram).toBe((before.telegram ?? 0) + 2);
    expect(after.total).toBe((before.total ?? 0) + 2);
  });

  it('does not count HEAD requests or crawlers and link-preview fetchers', async () => {
    const before = await settled();
    const head = await share(`/deel/${SLUG}/facebook`, { method: 'HEAD' });
    expect(head.status).toBe(302);
    for (const agent of CRAWLER_AGENTS) {
      const response = await share(`/deel/${SLUG}/facebook`, { headers: { 'User-Agent': agent } });
      expect(response.status, agent).toBe(302);
    }
    // One person's share afterwards: the count moves by exactly that one.
    await share(`/deel/${SLUG}/facebook`);
    const after = await settledShares('facebook', (before.facebook ?? 0) + 1);
    expect(after.facebook).toBe((before.facebook ?? 0) + 1);
  });

  it('adds exactly 200 for 200 concurrent shares', async () => {
    const before = await settled();
    const responses = await Promise.all(
      Array.from({ length: 200 }, () => share(`/deel/${SLUG}/linkedin`).then((r) => r.status)),
    );
    expect(responses.filter((status) => status !== 302)).toEqual([]);
    const after = await settledShares('linkedin', (before.linkedin ?? 0) + 200);
    expect(after.linkedin).toBe((before.linkedin ?? 0) + 200);
    expect(after.total).toBe((before.total ?? 0) + 200);
  });
});

describe('Mastodon', () => {
  const path = `/deel/${SLUG}/mastodon`;
  const INTENT = `https://mastodon.social/share?text=${e(`${TITLE} ${URL_}`)}`;

  it('never redirects a GET to the host it names: ?instance= only fills in the form, and counts nothing', async () => {
    const before = await settled();
    for (const instance of [' Mastodon.Social ', 'evil.example', 'any-host.example']) {
      const response = await share(`${path}?instance=${e(instance)}`);
      expect(response.status, instance).toBe(200);
      expect(response.headers.get('location'), instance).toBeNull();
      expect(response.headers.get('cache-control'), instance).toBe('no-store');
      const html = await response.text();
      expect(html, instance).toContain(`value="${instance.trim().toLowerCase()}"`);
      expect(html, instance).toMatch(new RegExp(`<form[^>]+method="post"[^>]+action="${path}"`));
    }
    expect((await settled()).mastodon).toBe(before.mastodon);
  });

  it('redirects the form’s own POST (Origin is the site) to the instance’s share page, and counts it', async () => {
    const before = await settled();
    const response = await postInstance(SLUG, ' Mastodon.Social ');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(INTENT);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const after = await settledShares('mastodon', (before.mastodon ?? 0) + 1);
    expect(after.mastodon).toBe((before.mastodon ?? 0) + 1);
  });

  it('refuses a POST that does not come from the site: Dutch 403, no redirect, not counted', async () => {
    const before = await settled();
    const refused: [string, Record<string, string>][] = [
      ['no Origin and no Sec-Fetch-Site', {}],
      ['another site’s Origin', { Origin: 'https://evil.example' }],
      ['our host over http', { Origin: 'http://www.vso-werkgevers.nl' }],
      ['Origin: null', { Origin: 'null' }],
      ['Sec-Fetch-Site: cross-site', { 'Sec-Fetch-Site': 'cross-site' }],
      ['our Origin but Sec-Fetch-Site: same-site', { Origin: SITE, 'Sec-Fetch-Site': 'same-site' }],
    ];
    for (const [what, headers] of refused) {
      const response = await postInstance(SLUG, 'evil.example', headers);
      expect(response.status, what).toBe(403);
      expect(response.headers.get('location'), what).toBeNull();
      expect(response.headers.get('cache-control'), what).toBe('no-store');
      expect(response.headers.get('content-type'), what).toMatch(/^text\/html; charset=utf-8$/i);
      expect(await response.text(), what).toContain('Niet toegestaan');
    }
    expect((await settled()).mastodon).toBe(before.mastodon);
  });
});

describe('who is counted', () => {
  it.each([
    ['Sec-Purpose: prefetch', { 'Sec-Purpose': 'prefetch' }],
    ['Sec-Purpose: prefetch;prerender', { 'Sec-Purpose': 'prefetch;prerender' }],
    ['Purpose: prefetch', { Purpose: 'prefetch' }],
    ['X-Purpose: preview', { 'X-Purpose': 'preview' }],
    ['X-Moz: prefetch', { 'X-Moz': 'prefetch' }],
  ])('does not count a speculative fetch (%s), but still redirects', async (_, headers) => {
    const before = await settled();
    const response = await share(`/deel/${SLUG}/whatsapp`, { headers });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(INTENTS.whatsapp);
    // A person's share afterwards: the count moves by exactly that one.
    await share(`/deel/${SLUG}/whatsapp`);
    const after = await settledShares('whatsapp', (before.whatsapp ?? 0) + 1);
    expect(after.whatsapp).toBe((before.whatsapp ?? 0) + 1);
  });

  it(`counts at most the limit per client and article a minute; more are redirected, not counted`, async () => {
    // The limiter counts in fixed windows of `period` seconds (Miniflare's, like Cloudflare's):
    // start at the beginning of one, so that the burst below stays inside it.
    const window = LIMIT.period * 1000;
    if (Date.now() % window > window - 15_000) {
      await new Promise((resolve) => setTimeout(resolve, window - (Date.now() % window) + 100));
    }
    const OTHER = 'centrale-postbus-voor-vragen-over-de-banenafspraak';
    const before = await settled();
    const otherBefore = await settled(OTHER);
    const client = { 'CF-Connecting-IP': '203.0.113.7' };
    const networks = ['x', 'email', 'bluesky'];
    const tries = LIMIT.limit * 3;
    for (let i = 0; i < tries; i++) {
      const network = networks[i % networks.length] ?? 'x';
      const response = await share(`/deel/${SLUG}/${network}`, { headers: client });
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe(INTENTS[network]);
    }
    // The same client sharing another article, and another client this one: both counted.
    await share(`/deel/${OTHER}/x`, { headers: client });
    await share(`/deel/${SLUG}/x`, { headers: { 'CF-Connecting-IP': '203.0.113.8' } });
    const total = (before.total ?? 0) + LIMIT.limit + 1;
    const after = await settledShares('total', total);
    expect(after.total).toBe(total);
    expect((await settledShares('x', (otherBefore.x ?? 0) + 1, OTHER)).x).toBe((otherBefore.x ?? 0) + 1);
  });
});

describe('when the database is away', () => {
  it('loses no share: counts made while the server is stopped are written when it is back', async () => {
    const before = await settled();
    // The article is known to the Worker from earlier shares: the redirect needs no database.
    const port = server.port;
    await server.close();
    try {
      const responses = await Promise.all(
        Array.from({ length: 20 }, () => share(`/deel/${SLUG}/telegram`).then((r) => r.status)),
      );
      expect(responses.filter((status) => status !== 302)).toEqual([]);
      // Long enough for the queue to have tried (and failed) to write the batch at least once.
      await new Promise((resolve) => setTimeout(resolve, 4_000));
    } finally {
      server = await startHranaServer({ file: db.file, port });
    }
    const after = await settledShares('telegram', (before.telegram ?? 0) + 20, SLUG, 20_000);
    expect(after.telegram).toBe((before.telegram ?? 0) + 20);
    expect(after.total).toBe((before.total ?? 0) + 20);
  });

  it('writes a batch of shares with one database request, not one per share', async () => {
    const before = await settled();
    server.resetStats();
    const count = 40;
    await Promise.all(Array.from({ length: count }, () => share(`/deel/${SLUG}/facebook`)));
    const deadline = Date.now() + 10_000;
    // Counted straight from the file: reading through the API would be database requests too.
    const { openClient } = await import('../pipeline/libsql.ts');
    const stored = async () => {
      const client = openClient(`file:${db.file}`);
      try {
        const sql =
          "select count from share_counts join articles on articles.id = article_id where slug = ? and network = 'facebook'";
        return Number((await client.execute({ sql, args: [SLUG] })).rows[0]?.count ?? 0);
      } finally {
        client.close();
      }
    };
    while ((await stored()) < (before.facebook ?? 0) + count && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await stored()).toBe((before.facebook ?? 0) + count);
    // The queue hands the Worker batches of up to 100: a few writes at most, never one per share.
    expect(server.stats.pipelines).toBeGreaterThan(0);
    expect(server.stats.pipelines).toBeLessThanOrEqual(count / 10);
  });
});
