/**
 * What `npm run publish` does after a seed that changed pages: it checks the link previews of the
 * changed public pages (pipeline/changed-urls.ts) and purges their cache tags (purgeTargetOf).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedUrls } from '../../pipeline/changed-urls.ts';
import { readGlossary } from '../../pipeline/glossary.ts';
import { parseDocuments } from '../../pipeline/parse-documents.ts';
import { purgeTargetOf, seedDatabase } from '../../pipeline/seed-database.ts';
import { SITE } from '../support/addresses.ts';
import { startApp, type TestApp } from '../support/app.ts';
import { ROOT } from '../support/cli.ts';
import type { ExtraDocument } from '../support/database.ts';
import { ONLY_THESE, pageDocuments } from '../support/page-documents.ts';

let app: TestApp;

beforeAll(async () => {
  app = await startApp(pageDocuments, {}, ONLY_THESE);
}, 120_000);
afterAll(async () => {
  await app?.close();
});

/** Seeds `documents` over the app's database, as publish does. */
async function seed(documents: ExtraDocument[]) {
  const parsed = parseDocuments(documents.map((doc) => ({ file: doc.name, text: doc.text })));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const glossary = await readGlossary(join(ROOT, 'content-seed'));
  if (!glossary.ok) throw new Error(JSON.stringify(glossary.problems));
  return seedDatabase(app.client, parsed.parsed, {
    site: parsed.site,
    glossary: glossary.entries,
    pages: parsed.pages,
    structure: parsed.structure,
  });
}

const replaced = (name: string, from: string, to: string): ExtraDocument[] =>
  pageDocuments.map((doc) => (doc.name === name ? { name, text: doc.text.replace(from, to) } : doc));

describe('after a seed that changed pages', () => {
  it('lists nothing when nothing changed', async () => {
    const summary = await seed(pageDocuments);
    expect(summary.changed).toBe(false);
    expect(await changedUrls(app.client, summary, SITE)).toEqual([]);
  });

  it('lists a changed public page and a new one, not a changed draft nor the new index above one', async () => {
    const documents = [
      ...replaced('organisatie-achtergrond.txt', 'in Den Haag', 'in Utrecht').map((doc) =>
        doc.name === 'organisatie-geheim.md' ? { ...doc, text: doc.text.replace('besprak', 'besloot') } : doc,
      ),
      {
        name: 'vacatures.md',
        text: '---\ntitle: Werken bij het verbond\nurl: /werken/vacatures/\n---\n\nEr zijn geen vacatures.\n',
      },
    ];
    const summary = await seed(documents);
    // The seed reports what changed: the draft and the new index /werken/ too.
    expect([...(summary.pages?.inserted ?? []), ...(summary.pages?.updated ?? [])].sort()).toEqual([
      '/organisatie/achtergrond/',
      '/organisatie/geheim/',
      '/werken/',
      '/werken/vacatures/',
    ]);
    expect(await changedUrls(app.client, summary, SITE)).toEqual([
      `${SITE}/organisatie/achtergrond/`,
      `${SITE}/werken/vacatures/`,
    ]);
    // And the purge holds each changed page, its parent, and the lists of pages.
    const target = purgeTargetOf(summary);
    expect(target && 'tags' in target ? target.tags : []).toEqual(
      expect.arrayContaining([
        'page:/organisatie/achtergrond',
        'page:/organisatie',
        'page:/werken/vacatures',
        'page:/werken',
        'pages',
      ]),
    );
    // The new page is found by search at once.
    const found = (await (await app.fetch('/api/search?q=vacatures')).json()) as {
      pages: { path: string }[];
    };
    expect(found.pages.map((page) => page.path)).toEqual(['/werken/vacatures/']);
  });
});
