/**
 * Every page type of the real site, as the built Worker serves it, through the Nu Html Checker
 * (vnu-jar): one vnu run for all documents, 0 errors each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedDocuments } from '../pipeline/generated-documents.ts';
import { MET, POSTBUS } from './support/addresses.ts';
import { BLOCKS } from './support/documents.ts';
import { formatHtmlErrors, validateHtml } from './support/html-validator.ts';
import { startDatabase, startWorker, type TestDatabase, type TestWorker } from './support/worker.ts';

const MASTODON = '/deel/met-elkaar-voor-125000-banen/mastodon';
const POST = { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } };

/** Path, the status the page must answer with, and how it is asked for (GET unless said). */
const PAGES: [string, number, RequestInit?][] = [
  ['/', 200],
  ['/banenafspraak/nieuws', 200],
  ['/banenafspraak/nieuws?pagina=2', 200],
  [MET, 200],
  [POSTBUS, 200],
  [BLOCKS.path, 200],
  ['/participanten', 200],
  ['/over-vso', 200],
  ['/zelfstandige-publieke-werkgevers', 200],
  ['/zoeken', 200],
  // The whole site: a page with the sidebar, one without, an index, a sector page, a second section
  // and its feed's neighbour, search results that hold pages.
  ['/organisatie/waar-staan-wij-voor/', 200],
  ['/organisatie/achtergrond/', 200],
  ['/organisatie/', 200],
  ['/banenafspraak/sectorinformatie/gemeenten', 200],
  ['/nieuws/algemeen', 200],
  ['/zoeken?q=sectorraad', 200],
  ['/zoeken?q=banen', 200],
  ['/zoeken?q=xylofoonkwartet', 200],
  // "Bedoelde u: …?", and results that hold only some of the words.
  ['/zoeken?q=banenafsrpaak', 200],
  ['/zoeken?q=xylofoon%20banen', 200],
  [`/zoeken?q=${encodeURIComponent('werkgevers '.repeat(20))}`, 200],
  ['/deze-pagina-bestaat-niet', 404],
  [MASTODON, 200],
  [`${MASTODON}?instance=mastodon.social`, 200],
  [`${MASTODON}?instance=${encodeURIComponent('https://evil.example')}`, 400],
  [`${MASTODON} (POST from another site)`, 403, { ...POST, body: 'instance=mastodon.social' }],
  ['/ (POST)', 405, POST],
];

let db: TestDatabase;
let worker: TestWorker;
let orphan: TestWorker;

// The two real documents, 11 generated ones and one with every kind of block (numbered and bullet
// lists, a heading, a link): 14 articles, so the news has a second page.
beforeAll(async () => {
  db = await startDatabase([...generatedDocuments(11), BLOCKS]);
  [worker, orphan] = await Promise.all([
    startWorker({ libsqlUrl: db.server.url }),
    // Nothing listens on port 9: every page becomes the 503 error page.
    startWorker({ libsqlUrl: 'http://127.0.0.1:9' }),
  ]);
});
afterAll(async () => {
  await Promise.all([worker?.dispose(), orphan?.dispose()]);
  await db?.close();
});

async function html(target: TestWorker, name: string, status: number, init?: RequestInit): Promise<string> {
  const path = name.replace(/ \(.*\)$/, '');
  const response = await target.fetch(path, { redirect: 'manual', ...init });
  const body = await response.text();
  expect(response.status, `status of ${path}`).toBe(status);
  expect(response.headers.get('content-type'), `content-type of ${path}`).toBe('text/html; charset=UTF-8');
  return body;
}

describe('Nu Html Checker', () => {
  it('finds 0 errors on every page type, including search variants, 404 and 503', async () => {
    const names = [...PAGES.map(([path]) => path), '503 (database away) /banenafspraak/nieuws'];
    const documents = [
      ...(await Promise.all(PAGES.map(([path, status, init]) => html(worker, path, status, init)))),
      await html(orphan, '/banenafspraak/nieuws', 503),
    ];
    // The variants really are what they claim to be.
    const page = (name: string) => documents[names.indexOf(name)];
    expect(page('/zoeken?q=banen')).toMatch(/\d+ resultaten? voor/);
    expect(page('/zoeken?q=xylofoonkwartet')).toContain('Geen resultaten voor');
    expect(page('/zoeken?q=banenafsrpaak')).toContain('Bedoelde u:');
    expect(page('/zoeken?q=xylofoon%20banen')).toContain('Geen bericht bevat al deze woorden.');
    expect(documents[names.findIndex((name) => name.length > 200)]).toContain('Uw zoekopdracht is te lang');
    expect(page('/deze-pagina-bestaat-niet')).toContain('Pagina niet gevonden');
    expect(documents.at(-1)).toContain('Er ging even iets mis');
    expect(page(`${MASTODON}?instance=mastodon.social`)).toContain('value="mastodon.social"');
    expect(page(`${MASTODON} (POST from another site)`)).toContain('Niet toegestaan');
    expect(page('/ (POST)')).toContain('Deze methode is niet toegestaan');

    const errors = await validateHtml(documents);
    console.log(`vnu: ${documents.length} documents checked, ${errors.length} errors`);
    expect(errors, formatHtmlErrors(errors, names)).toEqual([]);
  });
});
