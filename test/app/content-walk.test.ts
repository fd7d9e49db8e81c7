import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDocuments } from '../../pipeline/content-files.ts';
import { parseDocuments } from '../../pipeline/parse-documents.ts';
import { startApp, type TestApp } from '../support/app.ts';
import { ROOT } from '../support/cli.ts';
import { textOf } from '../support/html.ts';

// Every document in content-seed/, through the API and the article page: what the parser read is
// what visitors and API clients get.
const parsed = parseDocuments(await readDocuments(join(ROOT, 'content-seed')));
if (!parsed.ok) throw new Error('content-seed/ has invalid documents');
const documents = parsed.parsed.map((p) => [p.file, p.document.article] as const);

let app: TestApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});

describe.each(documents)('%s', (_file, article) => {
  it('is served by the API exactly as parsed', async () => {
    const response = await app.fetch(`/api/articles/${article.slug}`);
    const { article: served } = (await response.json()) as { article: Record<string, unknown> };
    expect(served).toMatchObject({
      slug: article.slug,
      title: article.title,
      publishedAt: article.publishedAt,
      source: article.source,
      excerpt: article.excerpt,
      body: article.body,
    });
  });

  it('is shown on its page with every block', async () => {
    const response = await app.fetch(`/banenafspraak/nieuws/${article.publishedAt}/${article.slug}`);
    expect(response.status).toBe(200);
    const text = textOf(await response.text());
    expect(text).toContain(article.title);
    for (const block of article.body) {
      const parts = block.type === 'list' ? block.items : block.type === 'image' ? [] : [block.text];
      for (const part of parts) expect(text).toContain(part.replace(/\s+/g, ' '));
    }
    if (article.source) expect(text).toContain(`Bron: ${article.source}`);
  });
});
