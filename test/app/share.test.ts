/**
 * "Deel dit artikel" in-process: the redirects to every network's share intent, the Mastodon form,
 * and the ways a share link could be abused as an open redirect. The counts, the rate limit and the
 * queue need the runtime: test/share.test.ts runs them through the built Worker in workerd.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MET_SLUG } from '../support/addresses.ts';
import { SITE_URL as SITE, startApp, type TestApp } from '../support/app.ts';
import { BROWSER, INTENTS, MET_TITLE, MET_URL } from '../support/share-intents.ts';

const SLUG = MET_SLUG;
const TITLE = MET_TITLE;
const URL_ = MET_URL;
const e = encodeURIComponent;

let app: TestApp;

beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});

/** A share as a browser sends it: the counts it writes are test/share.test.ts's business. */
function share(path: string, init: RequestInit = {}) {
  return app.fetch(path, {
    redirect: 'manual',
    ...init,
    headers: { 'User-Agent': BROWSER, ...(init.headers as Record<string, string>) },
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
  const INTENT = `https://mastodon.social/share?text=${e(`${TITLE} ${URL_}`)}`;

  it('asks for the visitor’s instance with a form that POSTs and works without JavaScript', async () => {
    const response = await share(path);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    expect(html).toContain('<h1>Delen op Mastodon</h1>');
    expect(html).toMatch(new RegExp(`<form[^>]+method="post"[^>]+action="${path}"`));
    expect(html).toMatch(/<label for="instance">/);
    expect(html).toMatch(/<input id="instance" name="instance"/);
    expect(html).toMatch(/<script src="\/assets\/share\.[0-9a-f]+\.js" defer=""><\/script>/);
    expect(html).toContain('<meta name="robots" content="noindex"/>');
  });

  it('takes Sec-Fetch-Site: same-origin for a POST without Origin', async () => {
    const response = await postInstance(SLUG, 'mastodon.social', { 'Sec-Fetch-Site': 'same-origin' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(INTENT);
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
  ])('refuses the instance %j with the form, a message and 400 (GET and POST)', async (instance) => {
    for (const response of [
      await share(`${path}?instance=${e(instance)}`),
      await postInstance(SLUG, instance),
    ]) {
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(response.headers.get('cache-control')).toBe('no-store');
      const html = await response.text();
      expect(html).toContain('geen geldige servernaam');
      expect(html).toContain('aria-invalid="true"');
      expect(html).not.toContain('<script>alert(1)</script>');
    }
  });

  it('answers a POST for an article that does not exist with the 404 page', async () => {
    const response = await postInstance('bestaat-niet', 'mastodon.social');
    expect(response.status).toBe(404);
    expect(response.headers.get('location')).toBeNull();
  });
});

describe('robots.txt', () => {
  it('keeps crawlers out of /deel/', async () => {
    const text = await (await app.fetch('/robots.txt')).text();
    expect(text).toMatch(/^Disallow: \/deel\/$/m);
  });
});
