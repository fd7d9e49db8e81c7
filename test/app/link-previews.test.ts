/**
 * Link previews as the unfurlers read them (docs/link-previews.md), through
 * the app in-process: Open Graph and Twitter tags read by open-graph-scraper from the first
 * 32 KB of every article, the JSON-LD NewsArticle, oEmbed, the social card PNGs, and crawlers that
 * are never challenged.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ogs from 'open-graph-scraper';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dutchDate } from '../../pipeline/generated-documents.ts';
import { openClient } from '../../pipeline/libsql.ts';
import { parseDocuments } from '../../pipeline/parse-documents.ts';
import { seedDatabase } from '../../pipeline/seed-database.ts';
import { SITE_URL as SITE, startApp, type TestApp } from '../support/app.ts';
import { ROOT } from '../support/cli.ts';
import { CRAWLER_AGENTS } from '../support/crawlers.ts';
import { makeDocument } from '../support/documents.ts';
import { textOf } from '../support/html.ts';

const MET = `${SITE}/banenafspraak/nieuws/2019-02-12/met-elkaar-voor-125000-banen`;
// A title that tries to end the JSON-LD script element and open a comment.
const HOSTILE_TITLE = 'Werkgevers </script><script>alert(1)</script> <!-- en & “meer”';
const HOSTILE = {
  name: 'zz_hostile.txt',
  text: makeDocument({ title: HOSTILE_TITLE, date: dutchDate('2018-06-05') }),
};

let app: TestApp;
type Summary = {
  slug: string;
  title: string;
  url: string;
  publishedAt: string;
  updatedAt: string;
  excerpt: string;
};
let articles: Summary[];

beforeAll(async () => {
  app = await startApp([HOSTILE]);
  const list = (await (await app.fetch('/api/articles?limit=100')).json()) as { articles: Summary[] };
  articles = list.articles;
});
afterAll(async () => {
  await app?.close();
});

/** An attribute of the first `<meta>` or `<link>` whose `key` attribute is `value`, entities decoded. */
function attr(html: string, key: string, value: string, wanted: 'content' | 'href'): string | undefined {
  for (const [tag] of html.matchAll(/<(?:meta|link)\b[^>]*>/g)) {
    if (!tag.includes(`${key}="${value}"`)) continue;
    const raw = new RegExp(`\\b${wanted}="([^"]*)"`).exec(tag)?.[1];
    return raw === undefined ? undefined : textOf(raw);
  }
  return undefined;
}

const path = (url: string) => new URL(url).pathname + new URL(url).search;

/** The first 32 KB of a page, as Slack reads it. */
async function first32k(url: string, init?: RequestInit): Promise<{ response: Response; head: string }> {
  const response = await app.fetch(path(url), init);
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { response, head: new TextDecoder().decode(bytes.subarray(0, 32 * 1024)) };
}

function jsonLd(html: string): Record<string, unknown>[] {
  return [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) =>
    JSON.parse(m[1] ?? ''),
  );
}

async function png(url: string): Promise<{ response: Response; image: PNG; bytes: Buffer }> {
  const response = await app.fetch(path(url));
  const bytes = Buffer.from(await response.arrayBuffer());
  return { response, image: PNG.sync.read(bytes), bytes };
}

describe('every article page', () => {
  it('has the three seeded articles', () => {
    expect(articles.map((a) => a.title)).toContain(HOSTILE_TITLE);
    expect(articles).toHaveLength(3);
  });

  it('gives open-graph-scraper a complete card within the first 32 KB, every URL absolute', async () => {
    for (const article of articles) {
      const { response, head } = await first32k(article.url);
      expect(response.status).toBe(200);
      expect(head).toMatch(/^<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"\/>/);
      const { error, result } = await ogs({ html: head });
      expect(error, article.slug).toBe(false);
      expect(result.ogTitle).toBe(article.title);
      expect(result.ogType).toBe('article');
      expect(result.ogUrl).toBe(article.url);
      expect(result.ogSiteName).toBe('VSO Werkgevers');
      expect(result.ogLocale).toBe('nl_NL');
      expect(result.twitterCard).toBe('summary_large_image');
      const description = result.ogDescription ?? '';
      expect(description.length).toBeGreaterThan(20);
      expect(description.length).toBeLessThanOrEqual(160);
      expect(article.excerpt.startsWith(description.replace(/…$/, ''))).toBe(true);
      expect(attr(head, 'name', 'description', 'content')).toBe(description);
      expect(attr(head, 'rel', 'canonical', 'href')).toBe(article.url);
      const [image] = result.ogImage ?? [];
      expect(image?.url).toMatch(new RegExp(`^${SITE}/og/${article.slug}\\.[0-9a-f]{16}\\.png$`));
      expect(image?.width).toBe('1200');
      expect(image?.height).toBe('630');
      expect(image?.type).toBe('image/png');
      expect(attr(head, 'property', 'og:image:secure_url', 'content')).toBe(image?.url);
      expect(attr(head, 'property', 'og:image:alt', 'content')).toContain(article.title);
      expect(attr(head, 'property', 'article:published_time', 'content')).toBe(article.publishedAt);
      expect(attr(head, 'property', 'article:modified_time', 'content')).toBe(article.updatedAt);
      expect(attr(head, 'name', 'twitter:label1', 'content')).toBe('Gepubliceerd');
      expect(attr(head, 'name', 'twitter:data1', 'content')).toMatch(/^\d{1,2} [a-z]+ \d{4}$/);
      const urls: [string, string, 'content' | 'href'][] = [
        ['property', 'og:url', 'content'],
        ['property', 'og:image', 'content'],
        ['property', 'og:image:secure_url', 'content'],
        ['rel', 'canonical', 'href'],
        ['type', 'application/json+oembed', 'href'],
        ['type', 'application/rss+xml', 'href'],
      ];
      for (const [key, value, wanted] of urls) {
        expect(attr(head, key, value, wanted), value).toMatch(new RegExp(`^${SITE}/`));
      }
    }
  });

  it('carries a JSON-LD NewsArticle that matches the Open Graph tags and survives hostile titles', async () => {
    for (const article of articles) {
      const { head } = await first32k(article.url);
      const { result } = await ogs({ html: head });
      const blocks = jsonLd(head);
      expect(blocks).toHaveLength(1);
      const data = blocks[0] as Record<string, unknown> & {
        publisher: { name: string; logo: { url: string } };
      };
      expect(data['@context']).toBe('https://schema.org');
      expect(data['@type']).toBe('NewsArticle');
      expect(data.headline).toBe(result.ogTitle);
      expect(data.headline).toBe(article.title);
      expect(data.description).toBe(result.ogDescription);
      expect(data.datePublished).toBe(article.publishedAt);
      expect(data.dateModified).toBe(article.updatedAt);
      expect(data.image).toEqual([result.ogImage?.[0]?.url]);
      expect(data.inLanguage).toBe('nl');
      expect(data.mainEntityOfPage).toEqual({ '@type': 'WebPage', '@id': article.url });
      expect(data.publisher.name).toBe('VSO Werkgevers');
      expect(data.publisher.logo.url).toMatch(new RegExp(`^${SITE}/assets/`));
    }
    // The hostile title is in the page only escaped: one script element, no second one.
    const hostile = articles.find((a) => a.title === HOSTILE_TITLE);
    const html = await (await app.fetch(path(hostile?.url ?? ''))).text();
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html.match(/<script/g)).toHaveLength(2); // the JSON-LD and share.js
  });

  it('offers oEmbed discovery, and /oembed answers for the article', async () => {
    for (const article of articles) {
      const { head } = await first32k(article.url);
      const link = attr(head, 'type', 'application/json+oembed', 'href');
      expect(link).toBe(`${SITE}/oembed?url=${encodeURIComponent(article.url)}&format=json`);
      const response = await app.fetch(path(link ?? ''));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      const body = (await response.json()) as Record<string, unknown>;
      expect(body).toMatchObject({
        version: '1.0',
        type: 'link',
        title: article.title,
        provider_name: 'VSO Werkgevers',
        provider_url: `${SITE}/`,
        thumbnail_width: 1200,
        thumbnail_height: 630,
      });
      const { result } = await ogs({ html: head });
      expect(body.thumbnail_url).toBe(result.ogImage?.[0]?.url);
    }
  });

  it('links a 1200×630 PNG card under 300 KB with a year of immutable caching', async () => {
    const urls = new Set<string>();
    for (const article of articles) {
      const { head } = await first32k(article.url);
      const url = attr(head, 'property', 'og:image', 'content') ?? '';
      urls.add(url);
      const { response, image, bytes } = await png(url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/png');
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect([image.width, image.height]).toEqual([1200, 630]);
      expect(bytes.length).toBeLessThanOrEqual(300 * 1024);
    }
    expect(urls.size).toBe(articles.length);
  });
});

describe('/oembed', () => {
  it.each([
    ['a foreign site', `https://evil.example/banenafspraak/nieuws/2019-02-12/met-elkaar-voor-125000-banen`],
    ['another scheme', MET.replace('https:', 'http:')],
    ['a page that is not an article', `${SITE}/over-vso`],
    ['an unknown slug', `${SITE}/banenafspraak/nieuws/2019-02-12/bestaat-niet`],
    ['no URL at all', 'niet-een-url'],
  ])('refuses %s with 404', async (_, url) => {
    const response = await app.fetch(`/oembed?url=${encodeURIComponent(url)}&format=json`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });

  it.each([
    ['a wrong date', `${SITE}/banenafspraak/nieuws/2020-02-12/met-elkaar-voor-125000-banen`],
    ['a trailing slash', `${MET}/`],
    ['tracking parameters', `${MET}?utm_source=linkedin&fbclid=x`],
  ])('answers for an article URL the page redirects to the article (%s)', async (_, url) => {
    // The page itself leads there: a 301 to the canonical URL, or the article.
    const page = await app.fetch(url.replace(SITE, ''), { redirect: 'manual' });
    expect([200, 301], url).toContain(page.status);
    if (page.status === 301) {
      expect(new URL(page.headers.get('location') ?? '', SITE).href.replace(/\?.*$/, '')).toBe(MET);
    }
    const response = await app.fetch(`/oembed?url=${encodeURIComponent(url)}&format=json`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ type: 'link', title: 'Met elkaar voor 125.000 banen' });
  });

  it('answers 400 without url or with an unknown format, 501 for format=xml, and leaves out a thumbnail that does not fit', async () => {
    expect((await app.fetch('/oembed?format=json')).status).toBe(400);
    expect((await app.fetch(`/oembed?url=${encodeURIComponent(MET)}&format=xml`)).status).toBe(501);
    expect((await app.fetch(`/oembed?url=${encodeURIComponent(MET)}&format=yaml`)).status).toBe(400);
    const small = await app.fetch(`/oembed?url=${encodeURIComponent(MET)}&maxwidth=600`);
    expect(small.status).toBe(200);
    expect(await small.json()).not.toHaveProperty('thumbnail_url');
  });
});

describe('crawlers', () => {
  it.each([...CRAWLER_AGENTS])(
    '%s gets the page (GET, HEAD and Range) as text/html; charset=utf-8',
    async (agent) => {
      const get = await app.fetch(path(MET), { headers: { 'User-Agent': agent } });
      expect(get.status).toBe(200);
      expect(get.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8$/i);
      const full = await get.text();
      expect(full).toContain('<meta property="og:title" content="Met elkaar voor 125.000 banen"/>');

      const head = await app.fetch(path(MET), { method: 'HEAD', headers: { 'User-Agent': agent } });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8$/i);
      expect(await head.text()).toBe('');

      // Facebook asks for the first 512 KB: the whole page (200) or exactly the range asked for (206).
      const ranged = await app.fetch(path(MET), {
        headers: { 'User-Agent': agent, Range: 'bytes=0-524288', 'Accept-Encoding': 'gzip, deflate' },
      });
      expect([200, 206]).toContain(ranged.status);
      const body = await ranged.text();
      if (ranged.status === 206) expect(full.startsWith(body)).toBe(true);
      else expect(body).toBe(full);
    },
  );

  it('robots.txt lets crawlers read pages and cards', async () => {
    const text = await (await app.fetch('/robots.txt')).text();
    expect(text).toMatch(/^User-agent: \*$/m);
    expect(text).not.toMatch(/^Disallow: \/$/m);
    expect(text).not.toMatch(/^Disallow: \/(og|banenafspraak|assets)/m);
  });
});

describe('a changed title', () => {
  it('gives the article a new card URL; the old one redirects to it', async () => {
    const base = await first32k(MET);
    const before = attr(base.head, 'property', 'og:image', 'content') ?? '';
    // Same slug (the "!" is not in it), so the article URL stays and only the card changes.
    const file = '000_2e0dd2dc981fcdfb.txt';
    const text = readFileSync(join(ROOT, 'content-seed', file), 'utf8').replace(
      'Met elkaar voor 125.000 banen\n',
      'Met elkaar voor 125.000 banen!\n',
    );
    const parsed = parseDocuments([
      { file, text },
      {
        file: '001_f3f85d6d71f8b7af.txt',
        text: readFileSync(join(ROOT, 'content-seed', '001_f3f85d6d71f8b7af.txt'), 'utf8'),
      },
      { file: HOSTILE.name, text: HOSTILE.text },
    ]);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const client = openClient(`file:${app.file}`);
    try {
      expect((await seedDatabase(client, parsed.parsed)).cards).toBe(1);
    } finally {
      client.close();
    }
    // The page may come from a cache until the Worker sees the new content version (seconds).
    let after = before;
    for (let i = 0; i < 100 && after === before; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = attr((await first32k(MET)).head, 'property', 'og:image', 'content') ?? '';
    }
    expect(after).not.toBe(before);
    expect(after).toMatch(new RegExp(`^${SITE}/og/met-elkaar-voor-125000-banen\\.[0-9a-f]{16}\\.png$`));
    const old = await app.fetch(path(before), { redirect: 'manual' });
    expect(old.status).toBe(302);
    expect(new URL(old.headers.get('location') ?? '', SITE).href).toBe(after);
    const { image } = await png(after);
    expect([image.width, image.height]).toEqual([1200, 630]);
  });
});
