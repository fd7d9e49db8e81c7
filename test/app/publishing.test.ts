import { join } from 'node:path';
import { drizzle } from 'drizzle-orm/libsql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDocuments } from '../../pipeline/content-files.ts';
import { ROOT } from '../../pipeline/libsql.ts';
import { parseDocuments } from '../../pipeline/parse-documents.ts';
import { seedDatabase } from '../../pipeline/seed-database.ts';
import { aliasPath } from '../../schema/aliases.ts';
import { pagePreviewPath, previewPath } from '../../schema/preview.ts';
import * as schema from '../../schema/tables.ts';
import { createApp } from '../../worker/app.tsx';
import { purgeGoingLive } from '../../worker/lib/go-live.ts';
import { SITE_URL, startApp, type TestApp } from '../support/app.ts';
import { ALIASED, DRAFT, DRAFT_PAGE, NOW, SCHEDULED } from '../support/publishing-documents.ts';

const DOCS = [DRAFT, SCHEDULED, ALIASED, DRAFT_PAGE];
const SECRET = 'een-lang-geheim-voor-de-tests';

let app: TestApp;
beforeAll(async () => {
  app = await startApp(DOCS, { now: () => NOW, previewToken: SECRET });
});
afterAll(async () => {
  await app?.close();
});

const text = async (path: string) => (await app.fetch(path)).text();

describe('drafts and scheduled articles', () => {
  const hidden = [DRAFT, SCHEDULED];

  it.each(hidden)(
    '$slug: its page, API answer, oEmbed, share route and card are 404, as if it did not exist',
    async (doc) => {
      const card = (
        await app.client.execute({ sql: 'select card_hash from articles where slug = ?', args: [doc.slug] })
      ).rows[0]?.card_hash;
      expect(typeof card).toBe('string');
      for (const path of [
        doc.path,
        `/api/articles/${doc.slug}`,
        `/oembed?url=${encodeURIComponent(`https://www.vso-werkgevers.nl${doc.path}`)}`,
        `/deel/${doc.slug}/linkedin`,
        `/og/${doc.slug}.${card}.png`,
      ]) {
        expect((await app.fetch(path)).status, path).toBe(404);
      }
    },
  );

  it('are in no list, feed, sitemap, search result or count', async () => {
    const everywhere = [
      await text('/'),
      await text('/banenafspraak/nieuws'),
      await text('/feed.xml'),
      await text('/sitemap.xml'),
      await text('/api/articles?limit=100'),
      await text('/zoeken?q=bericht'),
      await text('/api/search?q=concept'),
      await text('/api/search?q=later'),
    ].join('\n');
    expect(everywhere).toContain(ALIASED.slug);
    for (const doc of hidden) expect(everywhere).not.toContain(doc.slug);
    const health = (await (await app.fetch('/healthz')).json()) as { articles: number };
    // The two seeds and the aliased article; the draft and the scheduled one are not counted.
    expect(health.articles).toBe(3);
  });

  it('a scheduled article is public from 00:00 on its date in the Netherlands, with no new seed', async () => {
    const at = async (iso: string) => {
      const other = await startApp(DOCS, { now: () => Date.parse(iso) });
      try {
        const found = (await (await other.fetch('/api/search?q=verschijnt')).json()) as {
          results: { slug: string }[];
        };
        return {
          page: (await other.fetch(SCHEDULED.path)).status,
          listed: (await other.fetch('/banenafspraak/nieuws')).text().then((t) => t.includes(SCHEDULED.slug)),
          searched: found.results.map((result) => result.slug),
        };
      } finally {
        await other.close();
      }
    };
    // 31 May 23:59 in Amsterdam (CEST, UTC+2), then 1 June 00:00.
    const before = await at('2030-05-31T21:59:00Z');
    const after = await at('2030-05-31T22:00:00Z');
    expect(before.page).toBe(404);
    expect(await before.listed).toBe(false);
    expect(before.searched).toEqual([]);
    expect(after.page).toBe(200);
    expect(await after.listed).toBe(true);
    expect(after.searched).toEqual([SCHEDULED.slug]);
  });

  it('a draft is not in the search index: no result, and its words are never suggested', async () => {
    const found = (await (await app.fetch('/api/search?q=concept')).json()) as {
      results: unknown[];
      suggestions: unknown[];
    };
    expect(found.results).toEqual([]);
    const typo = (await (await app.fetch('/api/search?q=concpet')).json()) as { suggestions: unknown[] };
    expect(JSON.stringify(typo.suggestions)).not.toContain('concept');
    // The same typo of a public article's word is suggested: the check above can fail.
    const other = (await (await app.fetch('/api/search?q=banenafsrpaak')).json()) as {
      suggestions: unknown[];
    };
    expect(JSON.stringify(other.suggestions)).toContain('banenafspraak');
  });

  it('the preview link shows a draft, never stored and never indexed; a wrong token is a 404', async () => {
    const path = await previewPath(SECRET, DRAFT.slug);
    const response = await app.fetch(path);
    expect(response.status).toBe(200);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(response.headers.get('X-Robots-Tag')).toBe('noindex');
    const html = await response.text();
    expect(html).toContain('Een concept over banen');
    expect(html).toContain('Dit is een concept: het staat nog niet op de site.');
    expect(html).toMatch(/<meta name="robots" content="noindex/);
    const scheduled = await text(await previewPath(SECRET, SCHEDULED.slug));
    expect(scheduled).toContain('Dit artikel verschijnt op zaterdag 1 juni 2030.');
    // Another article's token, a changed token, no token, another secret's token.
    const other = (await previewPath(SECRET, SCHEDULED.slug)).split('token=')[1];
    for (const bad of [
      `/voorbeeld/${DRAFT.slug}?token=${other}`,
      `/voorbeeld/${DRAFT.slug}?token=${'0'.repeat(64)}`,
      `/voorbeeld/${DRAFT.slug}`,
      await previewPath('een ander geheim', DRAFT.slug),
    ]) {
      expect((await app.fetch(bad)).status, bad).toBe(404);
    }
  });

  it('a draft page is on no public page; its preview link shows it, and only its own token opens it', async () => {
    expect((await app.fetch(DRAFT_PAGE.path)).status).not.toBe(200);
    expect(await text('/organisatie/')).not.toContain('Een nieuwe koers');
    const key = DRAFT_PAGE.path.replace(/\/$/, '');
    const response = await app.fetch(await pagePreviewPath(SECRET, key));
    expect(response.status).toBe(200);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    const html = await response.text();
    expect(html).toContain('Een nieuwe koers');
    expect(html).toContain('Dit is een concept: deze pagina staat nog niet op de site.');
    expect(html).toMatch(/<meta name="robots" content="noindex/);
    // An article's token, another page's token, another secret's: the 404 page.
    const articleToken = (await previewPath(SECRET, DRAFT.slug)).split('token=')[1];
    for (const bad of [
      `/voorbeeld/pagina?adres=${encodeURIComponent(key)}&token=${articleToken}`,
      await pagePreviewPath(SECRET, '/organisatie/achtergrond'),
      await pagePreviewPath('een ander geheim', key),
    ]) {
      const answer = await app.fetch(bad);
      const shown = await answer.text();
      expect(answer.status === 404 || !shown.includes('Een nieuwe koers'), bad).toBe(true);
    }
  });

  it('without PREVIEW_TOKEN the preview route does not exist', async () => {
    const other = await startApp(DOCS, { now: () => NOW });
    try {
      expect((await other.fetch(await previewPath(SECRET, DRAFT.slug))).status).toBe(404);
    } finally {
      await other.close();
    }
  });
});

describe('earlier URLs', () => {
  it('each alias answers 301 to the article, GET and HEAD; an unknown path stays 404', async () => {
    for (const alias of ALIASED.aliases) {
      for (const method of ['GET', 'HEAD']) {
        const response = await app.fetch(alias, { method });
        expect(response.status, `${method} ${alias}`).toBe(301);
        expect(response.headers.get('Location')).toBe(ALIASED.path);
      }
    }
    expect((await app.fetch('/nieuws/nog-een-oud-bericht')).status).toBe(404);
  });

  it('unknown paths cost a database round trip once per content version, not per request', async () => {
    await app.fetch('/nieuws/iets-anders');
    app.resetStats();
    for (const path of ['/nieuws/a', '/wp-login.php', '/nieuws/oud-bericht', '/x/y/z']) await app.fetch(path);
    expect(app.roundTrips).toBe(0);
  });

  it('a former slug answers 301 on the page, the API, the share route and the card; oEmbed answers for the article', async () => {
    const other = await startApp(DOCS, { now: () => NOW });
    try {
      // The editor corrects the title: the slug changes, and the seed keeps the old one.
      const documents = [
        ...(await readDocuments(join(ROOT, 'content-seed'))),
        ...DOCS.map((doc) =>
          doc === ALIASED
            ? {
                file: doc.name,
                text: doc.text.replace('Bericht met oude adressen', 'Bericht met oude adressen, herzien'),
              }
            : { file: doc.name, text: doc.text },
        ),
      ];
      const parsed = parseDocuments(documents);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
      const summary = await seedDatabase(other.client, parsed.parsed, { site: parsed.site });
      expect(summary.updated).toEqual(['bericht-met-oude-adressen-herzien']);
      const old = ALIASED.slug;
      const now = 'bericht-met-oude-adressen-herzien';
      const page = await other.fetch(ALIASED.path);
      expect(page.status).toBe(301);
      expect(page.headers.get('Location')).toBe(`/banenafspraak/nieuws/2019-03-02/${now}`);
      const api = await other.fetch(`/api/articles/${old}`);
      expect(api.status).toBe(301);
      expect(api.headers.get('Location')).toBe(`/api/articles/${now}`);
      const share = await other.fetch(`/deel/${old}/linkedin`);
      expect(share.status).toBe(301);
      expect(share.headers.get('Location')).toBe(`/deel/${now}/linkedin`);
      const hash = (
        await other.client.execute({ sql: 'select card_hash from articles where slug = ?', args: [now] })
      ).rows[0]?.card_hash;
      const card = await other.fetch(`/og/${old}.0000000000000000.png`);
      expect(card.status).toBe(301);
      expect(card.headers.get('Location')).toBe(`/og/${now}.${hash}.png`);
      const oembed = await other.fetch(
        `/oembed?url=${encodeURIComponent(`https://www.vso-werkgevers.nl${ALIASED.path}`)}`,
      );
      expect(oembed.status).toBe(200);
      expect(((await oembed.json()) as { title: string }).title).toBe('Bericht met oude adressen, herzien');
      // The aliases still lead to the article, at its new URL.
      const alias = await other.fetch(ALIASED.aliases[0] as string);
      expect(alias.headers.get('Location')).toBe(`/banenafspraak/nieuws/2019-03-02/${now}`);
    } finally {
      await other.close();
    }
  });
});

describe('honest dates', () => {
  it('an article never changed was last modified when it was published: API, page and sitemap', async () => {
    const slug = 'met-elkaar-voor-125000-banen';
    const api = (await (await app.fetch(`/api/articles/${slug}`)).json()) as {
      article: { updatedAt: string };
    };
    // 12 February 2019 began at 23:00 UTC on the 11th in the Netherlands (CET).
    expect(api.article.updatedAt).toBe('2019-02-11T23:00:00.000Z');
    const page = await text(`/banenafspraak/nieuws/2019-02-12/${slug}`);
    expect(page).toContain('<meta property="article:modified_time" content="2019-02-11T23:00:00.000Z"/>');
    expect(page).toContain('"dateModified":"2019-02-11T23:00:00.000Z"');
    const sitemap = await text('/sitemap.xml');
    expect(sitemap).toMatch(new RegExp(`${slug}</loc><lastmod>2019-02-11T23:00:00(\\.000)?Z</lastmod>`));
  });
});

describe('what an alias may be', () => {
  it('never a path a route of the site answers', () => {
    const site = createApp({
      db: drizzle(app.client, { schema }),
      siteUrl: SITE_URL,
      dbTimeoutMs: 1000,
      l1Cache: false,
      purgeToken: 'x',
      previewToken: 'y',
    });
    const prefixes = new Set<string>();
    for (const route of site.routes) {
      if (route.path === '*' || route.path === '/*') continue;
      // The static part of the route, and a path it answers with its parameters filled in.
      prefixes.add(route.path.split('/:')[0]?.replace(/\/\*$/, '') || '/');
      if (!route.path.startsWith('/banenafspraak/nieuws/:'))
        prefixes.add(route.path.replaceAll(/:[a-z]+/g, 'x'));
    }
    expect(prefixes.size).toBeGreaterThan(15);
    for (const path of prefixes) expect(aliasPath(path), path).toHaveProperty('problem');
  });
});

describe('the Cron Trigger', () => {
  it('purges the tags of the articles that go live that day, and nothing on other days', async () => {
    const purged: unknown[] = [];
    const cache = {
      purge: async (options: unknown) => {
        purged.push(options);
        return { success: true, errors: [] };
      },
    } as unknown as CacheContext;
    const db = drizzle(app.client, { schema });
    expect(await purgeGoingLive(db, '2030-05-31', cache)).toEqual({
      slugs: [],
      tags: [],
      workersCache: 'nothing to purge',
    });
    expect(purged).toEqual([]);
    const live = await purgeGoingLive(db, SCHEDULED.date, cache);
    expect(live).toEqual({
      slugs: [SCHEDULED.slug],
      tags: [`article:${SCHEDULED.slug}`, 'articles'],
      workersCache: 'purged',
    });
    expect(purged).toEqual([{ tags: [`article:${SCHEDULED.slug}`, 'articles'] }]);
    // A draft dated that day does not go live.
    expect((await purgeGoingLive(db, '2019-03-01', cache)).slugs).toEqual([]);
    expect((await purgeGoingLive(db, SCHEDULED.date, undefined)).workersCache).toBe('unavailable');
  });
});
