/**
 * The API of content pages and sections: GET /api/pages?path= (either slash form, the seed's
 * indexes, never a draft), GET /api/sections, GET /api/articles?section=, each one round trip.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SITE } from '../support/addresses.ts';
import { startApp, type TestApp } from '../support/app.ts';
import { ONLY_THESE, pageDocuments, SECTION } from '../support/page-documents.ts';

let app: TestApp;

beforeAll(async () => {
  app = await startApp(pageDocuments, {}, ONLY_THESE);
}, 120_000);
afterAll(async () => {
  await app?.close();
});

/** The answer and its JSON, asserting that it took one round trip to the database. */
async function get(
  path: string,
): Promise<{ status: number; body: Record<string, unknown>; response: Response }> {
  app.resetStats();
  const response = await app.fetch(path);
  const body = response.status === 301 ? {} : ((await response.json()) as Record<string, unknown>);
  expect(app.roundTrips, path).toBe(1);
  return { status: response.status, body, response };
}

describe('GET /api/pages', () => {
  const achtergrond = {
    path: '/organisatie/achtergrond/',
    url: `${SITE}/organisatie/achtergrond/`,
    title: 'Achtergrond van het verbond',
    excerpt:
      'Het verbond werd opgericht als overleg van de werkgevers in de publieke sector. Het secretariaat zit in Den Haag.',
    body: [
      {
        type: 'paragraph',
        text: 'Het verbond werd opgericht als overleg van de werkgevers in de publieke sector. Het secretariaat zit in Den Haag.',
      },
      {
        type: 'paragraph',
        text: 'De arbeidsvoorwaardenregeling geldt voor de pinguinkolonie van alle gemeenten. Binnenlandse Zaken en Koninkrijksrelaties tekent mee.',
      },
    ],
    virtual: false,
    parent: '/organisatie/',
    children: [],
    updatedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
  };

  it('answers a page by its exact path and by the other slash form alike', async () => {
    for (const path of ['/organisatie/achtergrond/', '/organisatie/achtergrond']) {
      const { status, body, response } = await get(`/api/pages?path=${path}`);
      expect(status, path).toBe(200);
      expect(body, path).toEqual({ page: achtergrond });
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    }
    const { body } = await get('/api/pages?path=/organisatie/contact/');
    expect(body.page).toMatchObject({ path: '/organisatie/contact', url: `${SITE}/organisatie/contact` });
  });

  it('answers an alias of a page with a 301 to the page in the API', async () => {
    const { status, response } = await get('/api/pages?path=/over-ons/contact/');
    expect(status).toBe(301);
    expect(response.headers.get('location')).toBe('/api/pages?path=%2Forganisatie%2Fcontact');
  });

  it("answers the seed's index with no body and its public children in order", async () => {
    const { status, body } = await get('/api/pages?path=/organisatie');
    expect(status).toBe(200);
    expect(body.page).toMatchObject({
      path: '/organisatie/',
      url: `${SITE}/organisatie/`,
      body: [],
      virtual: true,
      parent: null,
      // `order: 1` first; then by title. The draft is not among them.
      children: [
        {
          path: '/organisatie/contact',
          url: `${SITE}/organisatie/contact`,
          title: 'Contact met het secretariaat',
          excerpt: 'Bel het secretariaat over de walrusvergadering.',
        },
        {
          path: '/organisatie/achtergrond/',
          url: `${SITE}/organisatie/achtergrond/`,
          title: 'Achtergrond van het verbond',
          excerpt: achtergrond.excerpt,
        },
      ],
    });
  });

  it('answers 404 for a draft and for a path no page has, in the envelope', async () => {
    for (const path of ['/organisatie/geheim/', '/organisatie/geheim', '/bestaat/niet']) {
      const { status, body } = await get(`/api/pages?path=${path}`);
      expect(status, path).toBe(404);
      expect(body, path).toEqual({ error: { code: 'not_found', message: 'Deze pagina bestaat niet.' } });
    }
  });

  it('answers 400 for a path that is none, or none given', async () => {
    for (const query of [
      '',
      '?path=',
      '?path=organisatie',
      '?path=/Organisatie/',
      '?path=/a//b',
      '?path=/',
      `?path=/${'a'.repeat(500)}`,
    ]) {
      app.resetStats();
      const response = await app.fetch(`/api/pages${query}`);
      const body = (await response.json()) as { error: { code: string; issues: { path: string }[] } };
      expect(response.status, query).toBe(400);
      expect(body.error.code, query).toBe('invalid_request');
      expect(
        body.error.issues.map((issue) => issue.path),
        query,
      ).toContain('path');
      expect(app.roundTrips, query).toBe(0);
    }
  });
});

describe('GET /api/sections', () => {
  it('lists the default section first, then those of site.yaml', async () => {
    const { status, body } = await get('/api/sections');
    expect(status).toBe(200);
    expect(body).toEqual({
      sections: [
        { path: '/banenafspraak/nieuws', title: 'Nieuws', url: `${SITE}/banenafspraak/nieuws` },
        { path: SECTION, title: 'Algemeen nieuws', url: `${SITE}${SECTION}` },
      ],
    });
  });
});

describe('GET /api/articles?section=', () => {
  type List = {
    articles: { slug: string; section: string; url: string }[];
    meta: { pagination: { total: number } };
  };

  it('lists only the articles of that section, in either slash form', async () => {
    for (const section of [SECTION, `${SECTION}/`]) {
      const { status, body } = await get(`/api/articles?section=${section}`);
      const list = body as unknown as List;
      expect(status, section).toBe(200);
      expect(list.articles, section).toEqual([
        expect.objectContaining({
          slug: 'een-bericht-over-de-kolibrie',
          section: SECTION,
          url: `${SITE}${SECTION}/2020-03-03/een-bericht-over-de-kolibrie`,
        }),
      ]);
      expect(list.meta.pagination.total).toBe(1);
    }
    const news = (await get('/api/articles?section=/banenafspraak/nieuws&limit=100')).body as unknown as List;
    expect(news.articles.length).toBeGreaterThan(1);
    expect(news.articles.every((a) => a.section === '/banenafspraak/nieuws')).toBe(true);
    const all = (await get('/api/articles?limit=100')).body as unknown as List;
    expect(all.meta.pagination.total).toBe(news.meta.pagination.total + 1);
  });

  it('answers 400 for a section the site does not have, naming those it has', async () => {
    const { status, body } = await get('/api/articles?section=/nieuws/onbekend');
    expect(status).toBe(400);
    expect(body).toEqual({
      error: {
        code: 'invalid_request',
        message: `De sectie /nieuws/onbekend bestaat niet; wel: /banenafspraak/nieuws, ${SECTION}.`,
        issues: [
          {
            path: 'section',
            message: `De sectie /nieuws/onbekend bestaat niet; wel: /banenafspraak/nieuws, ${SECTION}.`,
          },
        ],
      },
    });
    app.resetStats();
    const malformed = await app.fetch('/api/articles?section=nieuws');
    expect(malformed.status).toBe(400);
    expect(app.roundTrips).toBe(0);
  });

  it('gives an article its section and URL in /api/articles/{slug} too', async () => {
    const { body } = await get('/api/articles/een-bericht-over-de-kolibrie');
    expect(body.article).toMatchObject({
      section: SECTION,
      url: `${SITE}${SECTION}/2020-03-03/een-bericht-over-de-kolibrie`,
    });
  });
});
