import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedOpenApi, startApp, type TestApp } from '../support/app.ts';
import { EQUIVALENT, RICH_MARKDOWN } from '../support/markdown-documents.ts';

// Two sites: one seeded with the Markdown documents, one with the .txt form of the same article.
let markdown: TestApp;
let text: TestApp;
beforeAll(async () => {
  [markdown, text] = await Promise.all([
    startApp([RICH_MARKDOWN, EQUIVALENT.md]),
    startApp([{ name: EQUIVALENT.txt.name, text: EQUIVALENT.txt.text }]),
  ]);
  // The two were seeded at different moments, which the page shows (article:modified_time): the one
  // difference that is not content, set alike here. The rows themselves are compared in seed.test.ts.
  for (const app of [markdown, text]) {
    await app.client.execute({
      sql: 'UPDATE articles SET updated_at = ? WHERE slug = ?',
      args: ['2019-02-01T12:00:00.000Z', EQUIVALENT.slug],
    });
  }
});
afterAll(async () => {
  await Promise.all([markdown?.close(), text?.close()]);
});

const RICH_HTML =
  '<p>Een alinea met <em>nadruk</em>, <strong>vet</strong>, een <a href="https://www.vso-werkgevers.nl/over">link</a> en<br/>' +
  'een <a href="mailto:info@vso-werkgevers.nl">link met <strong>vet</strong></a>, een <a href="https://www.vso-werkgevers.nl">verwijzing</a> ' +
  'en <a href="https://example.nl/pad">https://example.nl/pad</a>.<br/>Een harde regelbreuk<br/>daarna, en een kale ' +
  '<a href="https://www.werk.nl">www.werk.nl</a> die als vanouds een link wordt.</p>' +
  '<h2>Een kop met <em>nadruk</em></h2><h2>Een kleinere kop</h2><p>Een alinea onder de kop.</p>' +
  '<ol><li>eerste met <a href="https://a.nl">link</a></li><li>tweede</li></ol>' +
  '<ul><li>een <em>bullet</em></li><li>nog een</li></ul>' +
  '<p>Setext-kop hieronder is een gewone kop:</p><h2>Tweede niveau</h2>' +
  '<ol><li>begint bij drie, telt op de site vanaf 1</li></ol><ul><li>plus</li><li>lijst</li></ul>';

type ArticleJson = { article: { body: unknown[]; excerpt: string; source: string | null } };
const api = async (app: TestApp, slug: string) =>
  (await (await app.fetch(`/api/articles/${slug}`)).json()) as ArticleJson;

describe('a Markdown article', () => {
  it('shows its links, bold and italics on the page, one <a> per link, bare www. hosts linked as before', async () => {
    const response = await markdown.fetch(RICH_MARKDOWN.path);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(`<div class="article-body">${RICH_HTML}</div>`);
    expect(html).toContain('<p class="source">Bron: VSO Werkgevers</p>');
  });

  it('the feed carries the same body', async () => {
    const xml = await (await markdown.fetch('/feed.xml')).text();
    const escaped = RICH_HTML.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
    expect(xml.replaceAll('&quot;', '"')).toContain(escaped);
    expect(xml).toContain('<description>Een samenvatting voor de lijst.</description>');
  });

  it('the API keeps the plain text of every block and adds the runs beside it', async () => {
    const { article } = await api(markdown, RICH_MARKDOWN.slug);
    expect(article.excerpt).toBe('Een samenvatting voor de lijst.');
    expect(article.body[1]).toEqual({
      type: 'heading',
      text: 'Een kop met nadruk',
      inline: [{ text: 'Een kop met ' }, { text: 'nadruk', emphasis: true }],
    });
    expect(article.body[4]).toEqual({
      type: 'list',
      ordered: true,
      items: ['eerste met link', 'tweede'],
      inline: [[{ text: 'eerste met ' }, { text: 'link', href: 'https://a.nl' }], [{ text: 'tweede' }]],
    });
    // Blocks without marks are as they always were: no `inline`.
    expect(article.body[2]).toEqual({ type: 'heading', text: 'Een kleinere kop' });
  });

  it('is found by its words, and the search shows plain text', async () => {
    const response = await markdown.fetch('/api/search?q=regelbreuk');
    const body = (await response.json()) as { results: { slug: string; snippet: string }[] };
    expect(body.results.map((result) => result.slug)).toEqual([RICH_MARKDOWN.slug]);
    expect(body.results[0]?.snippet).not.toMatch(/[*_[\]]/);
  });

  it('a row whose blocks have no runs still reads: plain text, bare URLs linked', async () => {
    const plain = [{ type: 'paragraph', text: 'Zonder runs, zie www.werk.nl.' }];
    await markdown.client.execute({
      sql: 'UPDATE articles SET body = ? WHERE slug = ?',
      args: [JSON.stringify(plain), RICH_MARKDOWN.slug],
    });
    expect((await api(markdown, RICH_MARKDOWN.slug)).article.body).toEqual(plain);
    expect(await (await markdown.fetch(RICH_MARKDOWN.path)).text()).toContain(
      '<div class="article-body"><p>Zonder runs, zie <a href="https://www.werk.nl">www.werk.nl</a>.</p></div>',
    );
  });
});

describe('a .md and a .txt with the same content', () => {
  it('give the same article page', async () => {
    const [fromMarkdown, fromText] = await Promise.all(
      [markdown, text].map(async (app) => {
        const response = await app.fetch(EQUIVALENT.path);
        expect(response.status).toBe(200);
        return response.text();
      }),
    );
    expect(fromText).toContain(
      '<p>De eerste alinea van dit bericht staat op twee regels en noemt <a href="https://www.werk.nl/banenafspraak">www.werk.nl/banenafspraak</a>,<br/>' +
        'en het adres <a href="mailto:info@vso-werkgevers.nl">info@vso-werkgevers.nl</a>.</p><h2>Wat betekent dit?</h2>',
    );
    expect(fromMarkdown).toBe(fromText);
  });

  it('give the same API answer', async () => {
    const fromMarkdown = (await api(markdown, EQUIVALENT.slug)).article;
    const fromText = (await api(text, EQUIVALENT.slug)).article;
    expect(fromMarkdown).toEqual(fromText);
    expect(JSON.stringify(fromMarkdown.body)).not.toContain('inline');
  });
});

describe('the OpenAPI document', () => {
  it('describes `inline` as optional runs of text with href, strong and emphasis, on every block', () => {
    const doc: unknown = JSON.parse(servedOpenApi());
    const blocks: { properties: Record<string, Record<string, unknown>>; required: string[] }[] = [];
    JSON.parse(JSON.stringify(doc), (_key, value) => {
      if (['paragraph', 'heading', 'list'].includes(value?.properties?.type?.const)) blocks.push(value);
      return value;
    });
    expect(blocks.map((block) => block.properties.type?.const)).toEqual(
      expect.arrayContaining(['paragraph', 'heading', 'list']),
    );
    for (const block of blocks) {
      expect(block.required).not.toContain('inline');
      const inline = block.properties.inline as { type: string; items: Record<string, unknown> };
      expect(inline.type).toBe('array');
      const runs = (
        block.properties.type?.const === 'list' ? (inline.items as { items: unknown }).items : inline.items
      ) as { properties: Record<string, unknown>; required: string[] };
      expect(runs.required).toEqual(['text']);
      expect(runs.properties).toMatchObject({
        text: { type: 'string' },
        href: { type: 'string' },
        strong: { const: true },
        emphasis: { const: true },
      });
    }
  });
});
