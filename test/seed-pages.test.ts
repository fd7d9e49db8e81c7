/**
 * The seed of content pages, their indexes, earlier addresses, sections, the menu and redirects,
 * through the real folder reader, parser and seed into a real libSQL file database.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { purgeTargetOf, SeedConflict } from '../pipeline/seed-database.ts';
import { tags } from '../schema/cache-tags.ts';
import { openSeedFolder, type SeedFolder, seedDir } from './support/seed-folder.ts';

let folder: SeedFolder;
beforeEach(async () => {
  folder = await openSeedFolder({ withSeed: true });
});
afterEach(() => folder.close());

const rows = async (sql: string) => (await folder.client.execute(sql)).rows.map((row) => ({ ...row }));
const write = (name: string, text: string) => writeFileSync(join(folder.docs, name), text);
/** site.yaml without its menu, for the tests that move or remove pages the menu names. */
const dropMenu = () => {
  const site = readFileSync(join(folder.docs, 'site.yaml'), 'utf8');
  write('site.yaml', site.slice(0, site.indexOf('\nmenu:')));
};

describe('pages in the seed', () => {
  it('writes every page of content-seed/ at its exact address, an index above those without a document, sections, menu and links', async () => {
    const summary = await seedDir(folder.client, folder.docs);
    const pages = await rows('select path, key, parent, virtual, sidebar from pages order by key');
    expect(pages).toContainEqual({
      path: '/organisatie/achtergrond/',
      key: '/organisatie/achtergrond',
      parent: '/organisatie',
      virtual: 0,
      sidebar: 0,
    });
    expect(pages).toContainEqual({
      path: '/banenafspraak/sectorinformatie/gemeenten',
      key: '/banenafspraak/sectorinformatie/gemeenten',
      parent: '/banenafspraak/sectorinformatie',
      virtual: 0,
      sidebar: 1,
    });
    const indexes = pages.filter((page) => page.virtual === 1).map((page) => page.path);
    expect(indexes.sort()).toEqual(['/banenafspraak/', '/bestuur/', '/organisatie/', '/vertegenwoordiging/']);
    expect(await rows('select path, title from sections')).toEqual([
      { path: '/nieuws/algemeen', title: 'Algemeen nieuws' },
    ]);
    const [menu] = await rows("select value from site_meta where key = 'menu'");
    expect(JSON.parse(String(menu?.value))[2]).toEqual({
      label: 'Over VSO Werkgevers',
      path: '/organisatie/',
      children: [
        { label: 'Waar staan wij voor', path: '/organisatie/waar-staan-wij-voor/' },
        { label: 'Achtergrond', path: '/organisatie/achtergrond/' },
      ],
    });
    expect(await rows('select key, url from site_blocks order by key')).toEqual([
      { key: 'about', url: '/organisatie/waar-staan-wij-voor/' },
      { key: 'featured', url: '/bestuur/zelfstandige-publieke-werkgevers/' },
    ]);
    expect(summary.pages?.inserted).toHaveLength(12);
    // A second seed of the same documents writes nothing.
    const again = await seedDir(folder.client, folder.docs);
    expect(again.changed).toBe(false);
    expect(again.contentVersion).toBe(summary.contentVersion);
  });

  it('a page whose url changes keeps answering at its old address (one 301, to the new one), and the purge names both', async () => {
    dropMenu();
    await seedDir(folder.client, folder.docs);
    const file = join(folder.docs, 'organisatie-achtergrond.md');
    write(
      'organisatie-achtergrond.md',
      readFileSync(file, 'utf8').replace('url: /organisatie/achtergrond/', 'url: /organisatie/geschiedenis/'),
    );
    const moved = await seedDir(folder.client, folder.docs);
    expect(moved.pages?.moved).toEqual(['/organisatie/achtergrond/ → /organisatie/geschiedenis/']);
    expect(
      await rows(
        'select a.path, a.kind, p.path as target from page_addresses a join pages p on p.id = a.page_id',
      ),
    ).toEqual([{ path: '/organisatie/achtergrond', kind: 'former', target: '/organisatie/geschiedenis/' }]);
    const purge = purgeTargetOf(moved);
    expect(purge).toMatchObject({
      tags: expect.arrayContaining([
        tags.page('/organisatie/achtergrond'),
        tags.page('/organisatie/geschiedenis'),
        tags.page('/organisatie'),
      ]),
    });
    // Moved again: the first address now leads to the newest one too, never through the second.
    write(
      'organisatie-achtergrond.md',
      readFileSync(file, 'utf8').replace('url: /organisatie/geschiedenis/', 'url: /organisatie/historie/'),
    );
    await seedDir(folder.client, folder.docs);
    expect(
      await rows(
        'select a.path, p.path as target from page_addresses a join pages p on p.id = a.page_id order by a.path',
      ),
    ).toEqual([
      { path: '/organisatie/achtergrond', target: '/organisatie/historie/' },
      { path: '/organisatie/geschiedenis', target: '/organisatie/historie/' },
    ]);
  });

  it('a page removed with --prune must leave its address to a redirect; redirects.yaml takes it over', async () => {
    dropMenu();
    await seedDir(folder.client, folder.docs);
    const before = await rows('select count(*) as n from pages');
    rmSync(join(folder.docs, 'vertegenwoordiging-rop.md'));
    const refused = seedDir(folder.client, folder.docs, { prune: true });
    await expect(refused).rejects.toThrow(SeedConflict);
    await expect(refused).rejects.toThrow(
      'vertegenwoordiging-rop.md:1: the page /vertegenwoordiging/rop/ (vertegenwoordiging-rop.md) would no longer answer',
    );
    expect(await rows('select count(*) as n from pages')).toEqual(before);
    // Without --prune the page is kept, as articles are.
    const kept = await seedDir(folder.client, folder.docs);
    expect(kept.pages?.kept).toEqual(['/vertegenwoordiging/rop/']);
    write(
      'redirects.yaml',
      '/vertegenwoordiging/rop/: /organisatie/waar-staan-wij-voor/\n/vertegenwoordiging/: /organisatie/\n',
    );
    const pruned = await seedDir(folder.client, folder.docs, { prune: true });
    expect(pruned.pages?.pruned).toEqual(['/vertegenwoordiging/rop/']);
    expect(await rows('select path, target from redirects order by path')).toEqual([
      { path: '/vertegenwoordiging', target: '/organisatie/' },
      { path: '/vertegenwoordiging/rop', target: '/organisatie/waar-staan-wij-voor/' },
    ]);
    expect(await rows("select count(*) as n from pages where key like '/vertegenwoordiging%'")).toEqual([
      { n: 0 },
    ]);
  });

  it('an index whose children all moved under one new address leads there', async () => {
    await seedDir(folder.client, folder.docs);
    for (const [name, from, to] of [
      ['organisatie-achtergrond.md', '/organisatie/achtergrond/', '/over-ons/achtergrond/'],
      [
        'organisatie-waar-staan-wij-voor.txt',
        '/organisatie/waar-staan-wij-voor/',
        '/over-ons/waar-staan-wij-voor/',
      ],
    ] as const) {
      write(name, readFileSync(join(folder.docs, name), 'utf8').replace(`url: ${from}`, `url: ${to}`));
    }
    const site = readFileSync(join(folder.docs, 'site.yaml'), 'utf8').replaceAll(
      '/organisatie/',
      '/over-ons/',
    );
    write('site.yaml', site);
    await seedDir(folder.client, folder.docs);
    const addresses = await rows(
      'select a.path, p.path as target from page_addresses a join pages p on p.id = a.page_id order by a.path',
    );
    expect(addresses).toEqual([
      { path: '/organisatie', target: '/over-ons/' },
      { path: '/organisatie/achtergrond', target: '/over-ons/achtergrond/' },
      { path: '/organisatie/waar-staan-wij-voor', target: '/over-ons/waar-staan-wij-voor/' },
    ]);
  });

  it('a document renamed on disk keeps its page: no new row, no earlier address', async () => {
    await seedDir(folder.client, folder.docs);
    const [before] = await rows("select id from pages where key = '/organisatie/achtergrond'");
    renameSync(join(folder.docs, 'organisatie-achtergrond.md'), join(folder.docs, 'achtergrond.md'));
    await seedDir(folder.client, folder.docs);
    expect(await rows("select id from pages where key = '/organisatie/achtergrond'")).toEqual([before]);
    expect(await rows('select * from page_addresses')).toEqual([]);
  });
});
