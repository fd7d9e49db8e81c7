import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedDocuments } from '../../pipeline/generated-documents.ts';
import { buildOpenApi } from '../../worker/routes/openapi.ts';
import { SITE_URL as SITE, servedOpenApi, startApp, type TestApp } from '../support/app.ts';

let app: TestApp;

// In-process, so without the L1 cache (test/cache.test.ts covers it in workerd).
beforeAll(async () => {
  app = await startApp(generatedDocuments(21));
});
afterAll(async () => {
  await app?.close();
});

async function api(path: string, init?: RequestInit) {
  app.resetStats();
  const response = await app.fetch(path, init);
  const text = await response.text();
  return { response, body: text ? JSON.parse(text) : null, roundTrips: app.roundTrips };
}

describe('GET /api/articles', () => {
  it('pages the summaries newest first, 15 by default, in one round trip', async () => {
    const { response, body, roundTrips } = await api('/api/articles');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(body.articles).toHaveLength(15);
    expect(body.articles[0]).toEqual({
      slug: 'bericht-nummer-21',
      section: '/banenafspraak/nieuws',
      title: 'Bericht nummer 21',
      publishedAt: '2020-01-21',
      excerpt: 'Samenvatting van bericht 21 over werkgevers.',
      url: `${SITE}/banenafspraak/nieuws/2020-01-21/bericht-nummer-21`,
      updatedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
    });
    expect(body.meta).toEqual({
      pagination: { page: 1, limit: 15, pages: 2, total: 23, next: 2, prev: null },
    });
    expect(roundTrips).toBe(1);
  });

  it('honours page and limit', async () => {
    const { body } = await api('/api/articles?page=3&limit=10');
    expect(body.articles.map((a: { slug: string }) => a.slug)).toEqual([
      'bericht-nummer-1',
      'met-elkaar-voor-125000-banen',
      'centrale-postbus-voor-vragen-over-de-banenafspraak',
    ]);
    expect(body.meta.pagination).toEqual({ page: 3, limit: 10, pages: 3, total: 23, next: null, prev: 2 });
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=1000', 'limit'],
    ['limit=abc', 'limit'],
    ['page=abc', 'page'],
    ['page=0', 'page'],
    ['page=-1', 'page'],
    ['page=1.5', 'page'],
    ['page=99999999999', 'page'],
  ])('?%s → 400 with the envelope naming %s', async (query, field) => {
    const { response, body, roundTrips } = await api(`/api/articles?${query}`);
    expect(response.status).toBe(400);
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.message).toBeTypeOf('string');
    expect(body.error.issues.map((i: { path: string }) => i.path)).toContain(field);
    expect(roundTrips).toBe(0);
  });
});

describe('GET /api/articles/{slug}', () => {
  it('returns the article with its exact body blocks and absolute canonical URL', async () => {
    const { body, roundTrips } = await api(
      '/api/articles/centrale-postbus-voor-vragen-over-de-banenafspraak',
    );
    expect(Object.keys(body.article).sort()).toEqual(
      [
        'body',
        'excerpt',
        'publishedAt',
        'section',
        'shares',
        'slug',
        'source',
        'title',
        'updatedAt',
        'url',
      ].sort(),
    );
    expect(body.article).toMatchObject({
      slug: 'centrale-postbus-voor-vragen-over-de-banenafspraak',
      title: 'Centrale postbus voor vragen over de banenafspraak',
      publishedAt: '2019-01-22',
      source: null,
      url: `${SITE}/banenafspraak/nieuws/2019-01-22/centrale-postbus-voor-vragen-over-de-banenafspraak`,
    });
    expect(body.article.body[4]).toEqual({ type: 'heading', text: 'Kennisalliantie' });
    expect(body.article.body).toHaveLength(7);
    expect(roundTrips).toBe(1);
  });

  it('404 with the envelope for an unknown slug; 400 for characters outside the slug alphabet', async () => {
    const missing = await api('/api/articles/bestaat-niet');
    expect(missing.response.status).toBe(404);
    expect(missing.body).toEqual({ error: { code: 'not_found', message: 'Dit artikel bestaat niet.' } });
    for (const slug of [
      'Hoofdletters',
      'met_underscore',
      'a--b',
      '-a',
      '%3Cscript%3E',
      'caf%C3%A9',
      `${'a'.repeat(201)}`,
    ]) {
      const bad = await api(`/api/articles/${slug}`);
      expect(bad.response.status, slug).toBe(400);
      expect(bad.body.error.code).toBe('invalid_request');
      expect(bad.body.error.issues[0].path).toBe('slug');
    }
  });
});

describe('other endpoints', () => {
  it('/api/participants lists 13 names with slugs, alphabetically', async () => {
    const { body } = await api('/api/participants');
    expect(body.participants).toHaveLength(13);
    expect(body.participants[0]).toEqual({
      name: 'Interprovinciaal Overleg',
      slug: 'interprovinciaal-overleg',
    });
  });

  it('/api/site gives about, featured and navigation with absolute URLs', async () => {
    const { body } = await api('/api/site');
    // Where content-seed/site.yaml's about.url, featured.url and menu lead.
    expect(body.about.url).toBe(`${SITE}/organisatie/waar-staan-wij-voor/`);
    expect(body.featured).toMatchObject({
      title: 'Zelfstandige Publieke Werkgevers',
      url: `${SITE}/bestuur/zelfstandige-publieke-werkgevers/`,
    });
    expect(body.navigation.map((n: { label: string }) => n.label)).toEqual([
      'Home',
      'Nieuws',
      'Over VSO Werkgevers',
      'Zelfstandige Publieke Werkgevers',
      'Vertegenwoordiging',
      'Banenafspraak',
      'Participanten',
      'Zoeken',
    ]);
  });

  it('/api/search finds without diacritics and marks the match in an HTML-escaped snippet', async () => {
    const { body, roundTrips } = await api('/api/search?q=creeren');
    expect(body.query).toBe('creeren');
    expect(body.results).toHaveLength(1);
    expect(body.results[0].slug).toBe('met-elkaar-voor-125000-banen');
    expect(body.results[0].snippet).toContain('<mark>creëren</mark>');
    expect(roundTrips).toBe(1);
    const missing = await api('/api/search');
    expect(missing.response.status).toBe(400);
    const long = await api(`/api/search?q=${'b'.repeat(201)}`);
    expect(long.response.status).toBe(400);
    expect(long.body.error.issues[0]).toEqual({ path: 'q', message: 'q must be at most 200 characters' });
  });

  it('/api/search pages its results with meta.pagination', async () => {
    const { body } = await api('/api/search?q=samenvatting&limit=5&page=2');
    expect(body.results).toHaveLength(5);
    expect(body.meta.pagination).toEqual({
      page: 2,
      limit: 5,
      pages: 5,
      total: 21,
      next: 3,
      prev: 1,
      matches: 21,
    });
    const first = await api('/api/search?q=samenvatting');
    expect(first.body.results).toHaveLength(10);
    expect(first.body.meta.pagination).toMatchObject({ page: 1, limit: 10, pages: 3, next: 2, prev: null });
    for (const query of ['limit=0', 'limit=51', 'page=0', 'page=abc']) {
      const bad = await api(`/api/search?q=samenvatting&${query}`);
      expect(bad.response.status, query).toBe(400);
      expect(bad.body.error.code).toBe('invalid_request');
    }
  });

  it('/api/openapi.json is an OpenAPI 3.1 document with the routes and their parameters', () => {
    const body = JSON.parse(servedOpenApi());
    expect(body.openapi).toBe('3.1.0');
    expect(Object.keys(body.paths).sort()).toEqual([
      '/articles',
      '/articles/{slug}',
      '/pages',
      '/participants',
      '/search',
      '/sections',
      '/site',
    ]);
    const section = body.paths['/articles'].get.parameters.find(
      (p: { name: string }) => p.name === 'section',
    );
    expect(section).toMatchObject({ in: 'query', required: false });
    const path = body.paths['/pages'].get.parameters.find((p: { name: string }) => p.name === 'path');
    expect(path).toMatchObject({
      in: 'query',
      required: true,
      schema: { pattern: '^(?:/[a-z0-9]+(?:-[a-z0-9]+)*)+/?$' },
    });
    const search = body.paths['/search'].get.responses['200'].content['application/json'].schema;
    expect(Object.keys(search.properties)).toEqual(expect.arrayContaining(['results', 'pages']));
    expect(search.properties.results.items.required).toEqual(expect.arrayContaining(['section', 'url']));
    const limit = body.paths['/articles'].get.parameters.find((p: { name: string }) => p.name === 'limit');
    expect(limit.in).toBe('query');
    const slug = body.paths['/articles/{slug}'].get.parameters[0];
    expect(slug.schema.pattern).toBe('^[a-z0-9]+(?:-[a-z0-9]+)*$');
  });

  it('/api/openapi.json is, byte for byte, the document the schemas give (generated at build time)', () => {
    expect(servedOpenApi()).toBe(JSON.stringify(buildOpenApi(SITE)));
    expect(JSON.parse(servedOpenApi()).servers).toEqual([{ url: `${SITE}/api` }]);
  });

  it('/api/openapi.json is no route of the Worker: a static asset answers it (test/pages.test.ts)', async () => {
    const { response, body } = await api('/api/openapi.json');
    expect(response.status).toBe(404);
    expect(body.error.code).toBe('not_found');
  });
});

describe('methods and unknown routes', () => {
  it('unknown API routes → 404 envelope', async () => {
    const { response, body } = await api('/api/onbekend');
    expect(response.status).toBe(404);
    expect(body.error.code).toBe('not_found');
  });

  it.each(['POST', 'PUT', 'PATCH', 'DELETE'])('%s → 405 with Allow', async (method) => {
    const { response, body } = await api('/api/articles', { method });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect(body.error.code).toBe('method_not_allowed');
  });

  it('HEAD has the headers and no body; OPTIONS answers the CORS preflight', async () => {
    const head = await app.fetch('/api/articles', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await head.text()).toBe('');
    const preflight = await app.fetch('/api/articles', {
      method: 'OPTIONS',
      headers: { Origin: 'https://example.org', 'Access-Control-Request-Method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('GET');
  });
});
