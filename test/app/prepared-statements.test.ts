/**
 * The statements prepared once per isolate (worker/queries/prepared.ts) against drizzle's builder
 * path: every defined statement, with the values of real requests, sends the same SQL and arguments
 * and maps to the same rows as the same builder query run through `db.batch`. And every page kind
 * is one round trip that builds no SQL once its statements are prepared (only search builds its own
 * word-dependent statements).
 */
import { drizzle } from 'drizzle-orm/libsql';
import { SQLiteDialect } from 'drizzle-orm/sqlite-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SECTION } from '../../schema/addresses.ts';
import { pagePreviewPath, previewPath } from '../../schema/preview.ts';
import * as schema from '../../schema/tables.ts';
import { definedStatements, readBatch } from '../../worker/queries/prepared.ts';
import { articlePath, cardPath } from '../../worker/site.ts';
import { SITE_URL, startApp, type TestApp } from '../support/app.ts';

const SECRET = 'een-lang-geheim-voor-de-tests';
const DEEP_PAGE = '/banenafspraak/sectorinformatie/gemeenten';

let app: TestApp;
let newest: { slug: string; section: string; publishedAt: string; cardHash: string };
/** The seeded content version: the sidebar's statements read no rows when told it is known. */
let version: string;
beforeAll(async () => {
  app = await startApp([], { previewToken: SECRET });
  const { rows } = await app.client.execute(
    'select slug, section, published_at, card_hash from articles order by published_at desc limit 1',
  );
  const row = rows[0];
  if (!row) throw new Error('no article seeded');
  newest = {
    slug: String(row.slug),
    section: String(row.section),
    publishedAt: String(row.published_at),
    cardHash: String(row.card_hash),
  };
  const [meta] = (await app.client.execute("select value from site_meta where key = 'content_version'")).rows;
  version = String(meta?.value);
  // Share counts, so that the share statements have rows to map.
  await app.client.execute({
    sql: "insert into share_counts (article_id, network, count) select id, 'linkedin', 3 from articles where slug = ?",
    args: [newest.slug],
  });
}, 120_000);
afterAll(async () => {
  await app?.close();
});

/** Values of the placeholders as requests give them: a hit, a miss, and another page and day. */
function valueSets(): Record<string, string | number>[] {
  return [
    {
      slug: newest.slug,
      today: '2099-12-31',
      section: DEFAULT_SECTION,
      limit: 10,
      offset: 0,
      key: DEEP_PAGE,
      above: JSON.stringify(['/banenafspraak', '/banenafspraak/sectorinformatie']),
      known: '',
    },
    {
      slug: 'bestaat-niet',
      today: newest.publishedAt,
      section: '/nieuws/algemeen',
      limit: 1,
      offset: 1,
      key: '/banenafspraak',
      above: '[]',
      known: version,
    },
    {
      slug: newest.slug,
      today: '2000-01-01',
      section: '/geen',
      limit: 5,
      offset: 3,
      key: '/nergens',
      above: '["/x"]',
      known: 'een-andere-versie',
    },
  ];
}

describe('prepared statements against the builder path', () => {
  it('every statement sends the same SQL and arguments and maps to the same rows', async () => {
    const db = drizzle(app.client, { schema });
    const statements = definedStatements();
    // The statements of every query module are defined once the app is imported.
    expect(statements.length).toBeGreaterThan(25);
    let withRows = 0;
    for (const statement of statements) {
      for (const values of valueSets()) {
        const label = `${statement.name} ${JSON.stringify(values)}`;
        const given = Object.fromEntries(statement.names.map((name) => [name, values[name]]));
        const bound = statement.bind(given as never);
        const builder = statement.build(db, given as never);
        const built = builder.toSQL();
        // drizzle leaves `offset 0` out of a builder query; a prepared one cannot know its offset.
        const zeroOffset = given.offset === 0 ? { sql: ' offset ?', params: [0] } : { sql: '', params: [] };
        expect(bound.sql, label).toBe(`${built.sql}${zeroOffset.sql}`);
        expect(bound.args, label).toEqual([...built.params, ...zeroOffset.params]);
        const [prepared] = await readBatch(db, [bound]);
        const [rows] = (await db.batch([builder as never])) as unknown[];
        expect(prepared, label).toEqual(rows);
        if (Array.isArray(rows) && rows.length > 0) withRows++;
      }
    }
    // Most comparisons are of rows, not of two empty lists.
    expect(withRows).toBeGreaterThan(statements.length);
  });
});

describe('one round trip per page, no SQL built once prepared', () => {
  const pages = async () => [
    '/',
    DEFAULT_SECTION,
    '/nieuws/algemeen',
    `${DEFAULT_SECTION}?pagina=1`,
    articlePath(newest),
    DEEP_PAGE,
    '/banenafspraak/',
    '/participanten',
    '/over-vso',
    '/feed.xml',
    '/sitemap.xml',
    '/healthz',
    cardPath(newest.slug, newest.cardHash),
    `/oembed?url=${encodeURIComponent(`${SITE_URL}${articlePath(newest)}`)}&format=json`,
    await previewPath(SECRET, newest.slug),
    await pagePreviewPath(SECRET, DEEP_PAGE),
    '/api/articles',
    '/api/articles?section=/nieuws/algemeen',
    `/api/articles/${newest.slug}`,
    '/api/sections',
    `/api/pages?path=${encodeURIComponent(DEEP_PAGE)}`,
    '/api/participants',
    '/api/site',
  ];

  it('each page kind', async () => {
    const built = vi.spyOn(SQLiteDialect.prototype, 'sqlToQuery');
    try {
      for (const path of await pages()) {
        // The first request prepares the page's statements (and reads the site map).
        expect((await app.fetch(path)).status, path).toBeLessThan(400);
        app.resetStats();
        built.mockClear();
        const response = await app.fetch(path);
        expect(response.status, path).toBeLessThan(400);
        expect(app.roundTrips, path).toBe(1);
        expect(built.mock.calls.length, path).toBe(0);
      }
    } finally {
      built.mockRestore();
    }
  });

  it('search: one round trip; only its own statements are built', async () => {
    const built = vi.spyOn(SQLiteDialect.prototype, 'sqlToQuery');
    try {
      for (const path of ['/zoeken?q=banen', '/api/search?q=werkgevers+banen']) {
        await app.fetch(path);
        app.resetStats();
        built.mockClear();
        expect((await app.fetch(path)).status, path).toBe(200);
        expect(app.roundTrips, path).toBe(1);
        // The ranked results, the count, the pages and the vocabulary; not the glossary or the sidebar.
        expect(built.mock.calls.length, path).toBe(4);
      }
    } finally {
      built.mockRestore();
    }
  });
});
