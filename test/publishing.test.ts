import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClient } from '../pipeline/libsql.ts';
import { parseDocuments } from '../pipeline/parse-documents.ts';
import { seedDatabase } from '../pipeline/seed-database.ts';
import { previewPath } from '../schema/preview.ts';
import { ALIASED, DRAFT, SCHEDULED } from './support/publishing-documents.ts';
import { startDatabase, startWorker, type TestDatabase, type TestWorker } from './support/worker.ts';

// Publishing through the built Worker in workerd: the same rules as test/app/publishing.test.ts,
// with the Worker's clock set by the CLOCK binding (tests only).
const SECRET = 'een-lang-geheim-voor-de-tests';
const RENAMED = 'bericht-met-oude-adressen-herzien';

let db: TestDatabase;
let before: TestWorker;
let after: TestWorker;

beforeAll(async () => {
  db = await startDatabase([DRAFT, SCHEDULED, ALIASED].map(({ name, text }) => ({ name, text })));
  // The editor corrects a title after the first seed: the old slug must keep working.
  const client = openClient(db.server.url);
  try {
    const parsed = parseDocuments([
      { file: DRAFT.name, text: DRAFT.text },
      { file: SCHEDULED.name, text: SCHEDULED.text },
      { file: ALIASED.name, text: ALIASED.text.replace('oude adressen', 'oude adressen, herzien') },
    ]);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    await seedDatabase(client, parsed.parsed);
  } finally {
    client.close();
  }
  const bindings = { PREVIEW_TOKEN: SECRET };
  before = await startWorker({
    libsqlUrl: db.server.url,
    bindings: { ...bindings, CLOCK: '2030-05-31T21:59:00Z' },
  });
  after = await startWorker({
    libsqlUrl: db.server.url,
    bindings: { ...bindings, CLOCK: '2030-05-31T22:00:00Z' },
  });
});
afterAll(async () => {
  await before?.dispose();
  await after?.dispose();
  await db?.close();
});

const NEW_PATH = `/banenafspraak/nieuws/2019-03-02/${RENAMED}`;

describe('publishing in workerd', () => {
  it('a title change gives a 301 from every old URL of every route', async () => {
    const current = (await (await before.fetch(`/api/articles/${RENAMED}`)).json()) as {
      article: { url: string };
    };
    expect(current.article.url).toMatch(new RegExp(`${NEW_PATH}$`));
    const moved = [
      [ALIASED.path, NEW_PATH],
      [`/api/articles/${ALIASED.slug}`, `/api/articles/${RENAMED}`],
      [`/deel/${ALIASED.slug}/bluesky`, `/deel/${RENAMED}/bluesky`],
      ...ALIASED.aliases.map((alias) => [alias, NEW_PATH]),
    ];
    for (const [from, to] of moved) {
      const response = await before.fetch(from as string, { redirect: 'manual' });
      expect(response.status, from).toBe(301);
      expect(new URL(response.headers.get('Location') ?? '', 'http://x').pathname, from).toBe(to);
    }
    const card = await before.fetch(`/og/${ALIASED.slug}.0123456789abcdef.png`, { redirect: 'manual' });
    expect(card.status).toBe(301);
    expect(card.headers.get('Location')).toMatch(new RegExp(`^/og/${RENAMED}\\.[0-9a-f]{16}\\.png$`));
    const oembed = await before.fetch(
      `/oembed?url=${encodeURIComponent(`https://www.vso-werkgevers.nl${ALIASED.path}`)}`,
    );
    expect(((await oembed.json()) as { title: string }).title).toBe('Bericht met oude adressen, herzien');
  });

  it('a draft and a scheduled article are on no route; the scheduled one appears at 00:00 on its date', async () => {
    for (const doc of [DRAFT, SCHEDULED]) {
      for (const path of [doc.path, `/api/articles/${doc.slug}`, `/deel/${doc.slug}/linkedin`]) {
        expect((await before.fetch(path, { redirect: 'manual' })).status, path).toBe(404);
      }
    }
    const lists = async (worker: TestWorker) =>
      (
        await Promise.all(
          ['/', '/feed.xml', '/sitemap.xml', '/api/search?q=bericht'].map((p) =>
            worker.fetch(p).then((r) => r.text()),
          ),
        )
      ).join('');
    expect(await lists(before)).not.toContain(SCHEDULED.slug);
    expect((await after.fetch(SCHEDULED.path)).status).toBe(200);
    expect(await lists(after)).toContain(SCHEDULED.slug);
    expect(await lists(after)).not.toContain(DRAFT.slug);
  });

  it('the preview route shows a draft with the token only, never cached', async () => {
    const ok = await before.fetch(await previewPath(SECRET, DRAFT.slug));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('Cache-Control')).toBe('no-store');
    expect(ok.headers.get('X-Cache')).toBe('BYPASS');
    expect((await before.fetch(`/voorbeeld/${DRAFT.slug}?token=${'a'.repeat(64)}`)).status).toBe(404);
    const plain = await startWorker({ libsqlUrl: db.server.url });
    try {
      expect((await plain.fetch(await previewPath(SECRET, DRAFT.slug))).status).toBe(404);
    } finally {
      await plain.dispose();
    }
  });

  it('dates: an article never changed says it was modified when it was published', async () => {
    const api = (await (await before.fetch('/api/articles/met-elkaar-voor-125000-banen')).json()) as {
      article: { updatedAt: string };
    };
    expect(api.article.updatedAt).toBe('2019-02-11T23:00:00.000Z');
  });
});
