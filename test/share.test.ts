/**
 * "Deel dit artikel" through the built Worker in workerd against a real local libSQL server: the
 * redirects to every network's share intent, the counts, who is not counted, and the ways a share
 * link could be abused as an open redirect.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRAWLER_AGENTS } from './support/crawlers.ts';
import { startDatabase, startWorker, type TestDatabase, type TestWorker } from './support/worker.ts';

const SITE = 'https://www.vso-werkgevers.nl';
const SLUG = 'met-elkaar-voor-125000-banen';
const TITLE = 'Met elkaar voor 125.000 banen';
const URL_ = `${SITE}/banenafspraak/nieuws/2019-02-12/${SLUG}`;
const BROWSER =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';
const e = encodeURIComponent;

let db: TestDatabase;
let worker: TestWorker;

// The API's share counts are read with the L1 cache off: cached, they may be up to max-age (60 s) old.
beforeAll(async () => {
  db = await startDatabase();
  worker = await startWorker({ libsqlUrl: db.server.url, siteUrl: SITE, bindings: { L1_CACHE: 'off' } });
});
afterAll(async () => {
  await worker?.dispose();
  await db?.close();
});

function share(path: string, init: RequestInit = {}) {
  return worker.fetch(path, {
    redirect: 'manual',
    ...init,
    headers: { 'User-Agent': BROWSER, ...(init.headers as Record<string, string>) },
  });
}

type Shares = Record<string, number>;
async function shares(slug = SLUG): Promise<Shares> {
  const response = await worker.fetch(`/api/articles/${slug}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { article: { shares: Shares } }).article.shares;
}

/**
 * Counts are written after the redirect has gone out (waitUntil): wait until `network` reaches
 * `expected`, then a little longer, so that a count that overshoots is seen too.
 */
async function settledShares(network: string, expected: number): Promise<Shares> {
  const deadline = Date.now() + 10_000;
  let current = await shares();
  while ((current[network] ?? 0) < expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    current = await shares();
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  return shares();
}

const INTENTS: Record<string, string> = {
  linkedin: `https://www.linkedin.com/sharing/share-offsite/?url=${e(URL_)}`,
  x: `https://x.com/intent/tweet?text=${e(TITLE)}&url=${e(URL_)}`,
  facebook: `https://www.facebook.com/sharer/sharer.php?u=${e(URL_)}`,
  whatsapp: `https://wa.me/?text=${e(`${TITLE} ${URL_}`)}`,
  bluesky: `https://bsky.app/intent/compose?text=${e(`${TITLE} ${URL_}`)}`,
  telegram: `https://t.me/share/url?url=${e(URL_)}&text=${e(TITLE)}`,
  email: `mailto:?subject=${e(TITLE)}&body=${e(`${TITLE}\r\n\r\n${URL_}`)}`,
};
const INTENT_PREFIXES = [
  'https://www.linkedin.com/sharing/share-offsite/?',
  'https://x.com/intent/tweet?',
  'https://www.facebook.com/sharer/sharer.php?',
  'https://wa.me/?',
  'https://bsky.app/intent/compose?',
  'https://t.me/share/url?',
  'mailto:?',
];

describe('GET /deel/{slug}/{network}', () => {
  it.each(Object.entries(INTENTS))(
    '%s → 302 to its share intent, not cached, not indexed',
    async (network, intent) => {
      const response = await share(`/deel/${SLUG}/${network}`);
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe(intent);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('x-robots-tag')).toBe('noindex');
    },
  );

  it('counts a share once per request and reports it in the API, with the total', async () => {
    const before = await shares();
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
    const before = await shares();
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
    const before = await shares();
    const responses = await Promise.all(
      Array.from({ length: 200 }, () => share(`/deel/${SLUG}/linkedin`).then((r) => r.status)),
    );
    expect(responses.filter((status) => status !== 302)).toEqual([]);
    const after = await settledShares('linkedin', (before.linkedin ?? 0) + 200);
    expect(after.linkedin).toBe((before.linkedin ?? 0) + 200);
    expect(after.total).toBe((before.total ?? 0) + 200);
  });

  it.each([
    '/deel/bestaat-niet/linkedin',
    `/deel/${SLUG}/myspace`,
    `/deel/${SLUG}/LinkedIn`,
    `/deel/${SLUG}`,
    '/deel/',
    `/deel/${SLUG}/linkedin/extra`,
    `/deel/${SLUG.toUpperCase()}/x`,
    `/deel/${SLUG}/linkedin%2F..%2F..%2Fevil.example`,
    `/deel/..%2F..%2Fevil.example/linkedin`,
    '/deel/%2F%2Fevil.example/linkedin',
    `/deel/${SLUG}/%2F%2Fevil.example`,
    `/deel/${SLUG}/https:%2F%2Fevil.example`,
  ])('%s → the Dutch 404 page, not cached', async (path) => {
    const response = await share(path);
    expect(response.status).toBe(404);
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8$/i);
    expect(await response.text()).toContain('Pagina niet gevonden');
  });

  it.each([
    `/deel/${SLUG}/linkedin?url=https://evil.example`,
    `/deel/${SLUG}/x?url=https://evil.example&text=evil`,
    `/deel/${SLUG}/facebook?u=https://evil.example`,
    `/deel/${SLUG}/email?subject=evil&body=https://evil.example`,
    `/deel/${SLUG}/whatsapp?text=https://evil.example&instance=evil.example`,
    `/deel/${SLUG}/bluesky?next=//evil.example`,
    `/deel/${SLUG}/telegram#https://evil.example`,
  ])('%s ignores the query: the target is only ever an intent with our URL', async (path) => {
    const response = await share(path, {
      headers: { Host: 'evil.example', 'X-Forwarded-Host': 'evil.example' },
    });
    expect(response.status).toBe(302);
    const location = response.headers.get('location') ?? '';
    expect(
      INTENT_PREFIXES.some((prefix) => location.startsWith(prefix)),
      location,
    ).toBe(true);
    expect(decodeURIComponent(location)).toContain(URL_);
    expect(decodeURIComponent(location)).not.toContain('evil');
  });
});

describe('Mastodon', () => {
  const path = `/deel/${SLUG}/mastodon`;

  it('asks for the visitor’s instance with a form that works without JavaScript', async () => {
    const response = await share(path);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    expect(html).toContain('<h1>Delen op Mastodon</h1>');
    expect(html).toMatch(new RegExp(`<form[^>]+method="get"[^>]+action="${path}"`));
    expect(html).toMatch(/<label for="instance">/);
    expect(html).toMatch(/<input id="instance" name="instance"/);
    expect(html).toMatch(/<script src="\/assets\/share\.[0-9a-f]+\.js" defer=""><\/script>/);
    expect(html).toContain('<meta name="robots" content="noindex"/>');
  });

  it('redirects to the instance’s share page, and counts the share there (not when the form is shown)', async () => {
    const before = await shares();
    const response = await share(`${path}?instance=${e(' Mastodon.Social ')}`);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(
      `https://mastodon.social/share?text=${e(`${TITLE} ${URL_}`)}`,
    );
    const after = await settledShares('mastodon', (before.mastodon ?? 0) + 1);
    expect(after.mastodon).toBe((before.mastodon ?? 0) + 1);
  });

  it.each([
    'https://evil.example',
    'evil.example/share',
    'evil.example:8080',
    'user@evil.example',
    '127.0.0.1',
    'localhost',
    '//evil.example',
    'evil.example#',
    '<script>alert(1)</script>',
    '',
  ])('refuses the instance %j with the form, a message and 400', async (instance) => {
    const response = await share(`${path}?instance=${e(instance)}`);
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    const html = await response.text();
    expect(html).toContain('geen geldige servernaam');
    expect(html).toContain('aria-invalid="true"');
    expect(html).not.toContain('<script>alert(1)</script>');
  });
});

describe('robots.txt', () => {
  it('keeps crawlers out of /deel/', async () => {
    const text = await (await worker.fetch('/robots.txt')).text();
    expect(text).toMatch(/^Disallow: \/deel\/$/m);
  });
});
