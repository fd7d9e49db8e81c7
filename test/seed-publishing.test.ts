import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@libsql/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readDocuments } from '../pipeline/content-files.ts';
import { formatProblem, parseDocuments } from '../pipeline/parse-documents.ts';
import { SeedConflict } from '../pipeline/seed-database.ts';
import { pagePreviewPath, previewPath } from '../schema/preview.ts';
import { runScript } from './support/cli.ts';
import { lineOf, makeDocument } from './support/documents.ts';
import { openSeedFolder, type SeedFolder, seedDir } from './support/seed-folder.ts';

let docs: string;
let client: Client;
let url: string;
let folder: SeedFolder;

beforeEach(async () => {
  folder = await openSeedFolder();
  ({ docs, client, url } = folder);
});
afterEach(() => folder.close());

const write = (name: string, text: string) => writeFileSync(join(docs, name), text);
const seed = (options: { prune?: boolean; now?: string } = {}) => seedDir(client, docs, options);
async function problems() {
  const parsed = parseDocuments(await readDocuments(docs));
  return parsed.ok ? [] : parsed.problems.map(formatProblem);
}
const md = (front: string, body = 'De eerste alinea.') => `---\n${front}\n---\n\n${body}\n`;
const row = async (slug: string) =>
  (await client.execute({ sql: 'select * from articles where slug = ?', args: [slug] })).rows[0];
const formerSlugs = async () =>
  (await client.execute('select slug, article_id from former_slugs order by slug')).rows.map((r) => r.slug);
const aliases = async () =>
  (
    await client.execute(
      'select path, a.slug from article_aliases join articles a on a.id = article_id order by path',
    )
  ).rows.map((r) => `${r.path} -> ${r.slug}`);

describe('honest dates', () => {
  it('updated_at is the publication date until the content changes, then that seed; an unchanged reseed changes no date', async () => {
    write('a.md', md('title: Een bericht\ndate: 2019-07-01'));
    await seed({ now: '2026-01-01T10:00:00.000Z' });
    // 1 July 2019 began at 22:00 UTC on 30 June in the Netherlands (CEST).
    expect((await row('een-bericht'))?.updated_at).toBe('2019-06-30T22:00:00.000Z');
    const again = await seed({ now: '2026-01-02T10:00:00.000Z' });
    expect(again.changed).toBe(false);
    expect((await row('een-bericht'))?.updated_at).toBe('2019-06-30T22:00:00.000Z');
    // A draft flag is not content: the row changes, its date does not.
    write('a.md', md('title: Een bericht\ndate: 2019-07-01\ndraft: true'));
    const drafted = await seed({ now: '2026-01-03T10:00:00.000Z' });
    expect(drafted.updated).toEqual(['een-bericht']);
    expect((await row('een-bericht'))?.draft).toBe(1);
    expect((await row('een-bericht'))?.updated_at).toBe('2019-06-30T22:00:00.000Z');
    write('a.md', md('title: Een bericht\ndate: 2019-07-01', 'Een gecorrigeerde alinea.'));
    await seed({ now: '2026-01-04T10:00:00.000Z' });
    expect((await row('een-bericht'))?.updated_at).toBe('2026-01-04T10:00:00.000Z');
  });

  it('a scheduled article edited before its date was last modified when it goes live', async () => {
    write('a.md', md('title: Straks\ndate: 2030-01-15'));
    await seed({ now: '2026-01-01T10:00:00.000Z' });
    write('a.md', md('title: Straks\ndate: 2030-01-15', 'Nieuwe tekst.'));
    await seed({ now: '2026-01-02T10:00:00.000Z' });
    expect((await row('straks'))?.updated_at).toBe('2030-01-14T23:00:00.000Z');
  });

  it('a row from before honest dates (updated_at = created_at) gets its publication date, once', async () => {
    write('a.md', md('title: Oud\ndate: 2019-02-12'));
    await seed({ now: '2026-01-01T10:00:00.000Z' });
    await client.execute(
      "update articles set updated_at = created_at, created_at = '2026-01-01T10:00:00.000Z'",
    );
    await client.execute("update articles set updated_at = '2026-01-01T10:00:00.000Z'");
    const fixed = await seed({ now: '2026-02-01T10:00:00.000Z' });
    expect(fixed.updated).toEqual(['oud']);
    expect((await row('oud'))?.updated_at).toBe('2019-02-11T23:00:00.000Z');
    expect((await seed({ now: '2026-03-01T10:00:00.000Z' })).changed).toBe(false);
  });
});

describe('former slugs', () => {
  it('keeps the old slug when the title changes, across reseeds and --prune of other articles, and gives it back', async () => {
    write('a.md', md('title: Eerste titel\ndate: 2019-02-12'));
    write('b.md', md('title: Ander bericht\ndate: 2019-02-13'));
    await seed();
    write('a.md', md('title: Tweede titel\ndate: 2019-02-12'));
    await seed();
    expect(await formerSlugs()).toEqual(['eerste-titel']);
    rmSync(join(docs, 'b.md'));
    expect((await seed({ prune: true })).pruned).toEqual(['ander-bericht']);
    expect(await seed()).toMatchObject({ changed: false });
    expect(await formerSlugs()).toEqual(['eerste-titel']);
    // Back to the first title: that is the URL again, not a redirect.
    write('a.md', md('title: Eerste titel\ndate: 2019-02-12'));
    await seed();
    expect(await formerSlugs()).toEqual(['tweede-titel']);
  });

  it('refuses another article that takes a former slug, at its title line, and writes nothing', async () => {
    write('a.md', md('title: Eerste titel\ndate: 2019-02-12'));
    await seed();
    write('a.md', md('title: Tweede titel\ndate: 2019-02-12'));
    await seed();
    const before = await client.execute('select slug from articles order by slug');
    const text = makeDocument({ title: 'Eerste titel', date: 'woensdag 13 februari 2019' });
    write('c.txt', text);
    const refused = seed();
    await expect(refused).rejects.toBeInstanceOf(SeedConflict);
    await expect(refused).rejects.toThrow(
      `${join(docs, 'c.txt')}:${lineOf(text, 'Eerste titel')}: slug "eerste-titel" is an earlier URL of the article of a.md, which it redirects to; give this article another title or slug`,
    );
    expect((await client.execute('select slug from articles order by slug')).rows).toEqual(before.rows);
  });

  it('refuses a document that takes the slug another one gives up in the same seed', async () => {
    write('a.md', md('title: Eerste titel\ndate: 2019-02-12'));
    await seed();
    write('a.md', md('title: Tweede titel\ndate: 2019-02-12'));
    write('b.md', md('title: Eerste titel\ndate: 2019-02-13'));
    await expect(seed()).rejects.toThrow(
      `${join(docs, 'b.md')}:2: slug "eerste-titel" is the URL a.md had until now, and it will redirect to that article; give this article another title or slug`,
    );
  });
});

describe('aliases', () => {
  it('reads "Eerdere URL:" lines of a .txt and front matter aliases, and follows the documents', async () => {
    const text = makeDocument({
      title: 'Met een oud adres',
      body: ['De eerste alinea.', 'Eerdere URL: https://www.vsowerkgevers.nl/nieuws/123/'],
    });
    write('a.txt', text);
    write('b.md', md('title: Markdown\ndate: 2019-02-13\naliases:\n  - /oud/markdown'));
    await seed();
    expect(await aliases()).toEqual(['/nieuws/123 -> met-een-oud-adres', '/oud/markdown -> markdown']);
    const body = JSON.parse(String((await row('met-een-oud-adres'))?.body));
    expect(JSON.stringify(body)).not.toContain('Eerdere URL');
    // The alias moves from one document to the other: one seed, no conflict.
    write('a.txt', makeDocument({ title: 'Met een oud adres' }));
    write('b.md', md('title: Markdown\ndate: 2019-02-13\naliases:\n  - /oud/markdown\n  - /nieuws/123'));
    await seed();
    expect(await aliases()).toEqual(['/nieuws/123 -> markdown', '/oud/markdown -> markdown']);
    expect((await seed()).changed).toBe(false);
  });

  it.each([
    [
      'a query string',
      '/nieuws?id=3',
      'the earlier URL "/nieuws?id=3" has a query or fragment: only its path can be redirected',
    ],
    ['a page of the site', '/zoeken', 'the earlier URL /zoeken is a page of this site itself'],
    ['an API path', '/api/articles/x', 'the earlier URL /api/articles/x is a page of this site itself'],
    ['no path', 'nieuws/3', 'the earlier URL "nieuws/3" is neither a path (/…) nor an http(s) URL'],
    [
      'another scheme',
      'javascript:alert(1)',
      'the earlier URL "javascript:alert(1)" is neither a path (/…) nor an http(s) URL',
    ],
    [
      'a host without scheme',
      '//evil.example/x',
      'the earlier URL "//evil.example/x" names a host without a scheme',
    ],
  ])('refuses %s at its line', async (_, alias, message) => {
    write('b.md', md(`title: Markdown\ndate: 2019-02-13\naliases:\n  - /goed\n  - "${alias}"`));
    expect(await problems()).toEqual([`${join(docs, 'b.md')}:6: ${message}`]);
  });

  it('refuses an alias listed twice, or one that is an article URL, at the second, naming the first', async () => {
    const text = makeDocument({ title: 'Eerste', body: ['Alinea.', 'Eerdere URL: /oud'] });
    write('a.txt', text);
    write(
      'b.md',
      md('title: Tweede\ndate: 2019-02-13\naliases:\n  - /oud\n  - /banenafspraak/nieuws/2019-02-12/eerste'),
    );
    expect(await problems()).toEqual([
      `${join(docs, 'b.md')}:5: the earlier URL /oud is listed by ${join(docs, 'a.txt')}:${lineOf(text, 'Eerdere URL')} too; it can lead to one document`,
      `${join(docs, 'b.md')}:6: the earlier URL /banenafspraak/nieuws/2019-02-12/eerste is the current URL of the article of ${join(docs, 'a.txt')}:${lineOf(text, 'Eerste')}`,
    ]);
  });
});

describe('npm run seed', () => {
  it('says which articles are drafts and when the scheduled ones go live, with preview links when PREVIEW_TOKEN is set', async () => {
    write('a.md', md('title: Concept\ndate: 2019-02-12\ndraft: true'));
    write('b.md', md('title: Straks\ndate: 2030-06-01'));
    write('c.md', md('title: Nu\ndate: 2019-02-13'));
    write('d.md', md('title: Conceptpagina\nurl: /over/concept/\ndraft: true'));
    const result = runScript('seed.ts', ['--source', docs], {
      LIBSQL_URL: url,
      PREVIEW_TOKEN: 'geheim',
      SITE_URL: 'https://www.vso-werkgevers.nl',
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `draft (not public): concept (${join(docs, 'a.md')}) — voorbeeld: https://www.vso-werkgevers.nl${await previewPath('geheim', 'concept')}`,
    );
    expect(result.stdout).toContain(
      `scheduled: straks goes live on zaterdag 1 juni 2030 at 00:00 Europe/Amsterdam — voorbeeld: https://www.vso-werkgevers.nl${await previewPath('geheim', 'straks')}`,
    );
    expect(result.stdout).toContain(
      `draft page (not public): /over/concept/ (${join(docs, 'd.md')}) — voorbeeld: https://www.vso-werkgevers.nl${await pagePreviewPath('geheim', '/over/concept')}`,
    );
    expect(result.stdout).not.toMatch(/: nu\b/);
  });
});
