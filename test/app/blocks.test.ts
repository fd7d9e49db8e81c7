import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedOpenApi, startApp, type TestApp } from '../support/app.ts';
import { BLOCKS } from '../support/documents.ts';

const { slug: SLUG, path: PATH } = BLOCKS;

let app: TestApp;
beforeAll(async () => {
  app = await startApp([BLOCKS]);
});
afterAll(async () => {
  await app?.close();
});

const BODY_HTML =
  '<p>De afspraken op een rij, zie <a href="https://www.werk.nl/banenafspraak">www.werk.nl/banenafspraak</a>.</p>' +
  '<ol><li>meer functies</li><li>minder regels</li></ol>' +
  '<h2>Wat betekent dit?</h2><p>De sector krijgt meer ruimte.</p>' +
  '<ul><li>een bullet</li><li>nog een</li></ul>';

describe('numbered lists, question headings and www. links', () => {
  it('the article page shows <ol>, <ul>, the heading and the https:// link', async () => {
    const response = await app.fetch(PATH);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(BODY_HTML);
  });

  it('the feed carries the same body', async () => {
    const xml = await (await app.fetch('/feed.xml')).text();
    const escaped = BODY_HTML.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
    expect(xml.replaceAll('&quot;', '"')).toContain(escaped);
  });

  it('the API says which lists are ordered', async () => {
    const body = (await (await app.fetch(`/api/articles/${SLUG}`)).json()) as { article: { body: unknown } };
    expect(body.article.body).toEqual([
      { type: 'paragraph', text: 'De afspraken op een rij, zie www.werk.nl/banenafspraak.' },
      { type: 'list', ordered: true, items: ['meer functies', 'minder regels'] },
      { type: 'heading', text: 'Wat betekent dit?' },
      { type: 'paragraph', text: 'De sector krijgt meer ruimte.' },
      { type: 'list', ordered: false, items: ['een bullet', 'nog een'] },
    ]);
  });

  it('the OpenAPI document describes `ordered` as a boolean every list has', () => {
    const doc: unknown = JSON.parse(servedOpenApi());
    const schemas: { properties?: Record<string, unknown>; required?: string[] }[] = [];
    // Every schema of a list block, wherever the document holds one.
    JSON.parse(JSON.stringify(doc), (_key, value) => {
      if (value?.properties?.type?.const === 'list') schemas.push(value);
      return value;
    });
    expect(schemas.length).toBeGreaterThan(0);
    for (const schema of schemas) {
      expect(schema.properties?.ordered).toMatchObject({ type: 'boolean' });
      expect(schema.required).toEqual(expect.arrayContaining(['type', 'ordered', 'items']));
    }
  });

  it('the OpenAPI document describes the image block and the runs that link to a download', () => {
    const doc: unknown = JSON.parse(servedOpenApi());
    const images: { properties?: Record<string, unknown>; required?: string[] }[] = [];
    const runs: { properties?: Record<string, unknown> }[] = [];
    JSON.parse(JSON.stringify(doc), (_key, value) => {
      if (value?.properties?.type?.const === 'image') images.push(value);
      if (value?.properties?.file && value?.properties?.text) runs.push(value);
      return value;
    });
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) {
      expect(image.required).toEqual(expect.arrayContaining(['type', 'src', 'alt']));
      expect(Object.keys(image.properties ?? {})).toEqual(
        expect.arrayContaining(['src', 'alt', 'decorative', 'media']),
      );
    }
    expect(runs.length).toBeGreaterThan(0);
    for (const run of runs)
      expect(Object.keys(run.properties ?? {})).toEqual(expect.arrayContaining(['file', 'download']));
  });

  it('a row written before lists knew `ordered` reads as a bullet list', async () => {
    const old = [{ type: 'list', items: ['oud', 'ouder'] }];
    await app.client.execute({
      sql: 'UPDATE articles SET body = ? WHERE slug = ?',
      args: [JSON.stringify(old), SLUG],
    });
    const body = (await (await app.fetch(`/api/articles/${SLUG}`)).json()) as { article: { body: unknown } };
    expect(body.article.body).toEqual([{ type: 'list', ordered: false, items: ['oud', 'ouder'] }]);
    expect(await (await app.fetch(PATH)).text()).toContain('<ul><li>oud</li><li>ouder</li></ul>');
  });
});
