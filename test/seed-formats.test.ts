/**
 * The seed with Markdown documents: a .md and a .txt with the same content write the same row, and
 * `npm run seed` reads .md documents next to the .txt ones, refusing a bad one at its line.
 */
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readDocuments } from '../pipeline/content-files.ts';
import { migrateDatabase, openClient } from '../pipeline/libsql.ts';
import { parseDocuments } from '../pipeline/parse-documents.ts';
import { seedDatabase } from '../pipeline/seed-database.ts';
import { ROOT, runScript } from './support/cli.ts';
import { tempDir } from './support/documents.ts';
import { EQUIVALENT } from './support/markdown-documents.ts';

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Every column of every article row, as plain objects. */
async function seedAlone(doc: { name: string; text: string }) {
  const folder = join(dir, doc.name.replace('.', '-'));
  mkdirSync(folder);
  writeFileSync(join(folder, doc.name), doc.text);
  const client = openClient(`file:${join(folder, 'vso.db')}`);
  try {
    await migrateDatabase(client);
    const parsed = parseDocuments(await readDocuments(folder));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    await seedDatabase(client, parsed.parsed, { now: '2019-02-01T12:00:00.000Z' });
    const result = await client.execute('select * from articles');
    return result.rows.map((row) =>
      Object.fromEntries(result.columns.map((column) => [column, row[column]])),
    );
  } finally {
    client.close();
  }
}

describe('a .md and a .txt with the same content', () => {
  it('write the same row, apart from the name of the source file', async () => {
    const [fromMarkdown] = await seedAlone(EQUIVALENT.md);
    const [fromText] = await seedAlone(EQUIVALENT.txt);
    expect(fromMarkdown?.source_file).toBe('gelijk.md');
    expect(fromText?.source_file).toBe('gelijk.txt');
    expect({ ...fromMarkdown, source_file: null }).toEqual({ ...fromText, source_file: null });
    expect(fromText?.body_text).toContain('meer functies\nminder regels');
  });
});

describe('npm run seed with Markdown', () => {
  it('seeds a .md next to a .txt, and refuses a bad .md at its line with nothing written', async () => {
    const docs = join(dir, 'docs');
    mkdirSync(docs);
    writeFileSync(join(docs, 'a.md'), EQUIVALENT.md.text);
    copyFileSync(join(ROOT, 'docs', 'examples', 'article.txt'), join(docs, 'c.txt'));
    const url = `file:${join(dir, 'vso.db')}`;
    const good = runScript('seed.ts', ['--source', docs], { LIBSQL_URL: url });
    expect(good.stdout).toContain('2 documents: 2 inserted, 0 updated, 0 unchanged');

    writeFileSync(join(docs, 'b.md'), '---\ntitle: Nog een\ndate: 2019-02-02\nauteur: Piet\n---\n\nTekst.\n');
    const bad = runScript('seed.ts', ['--source', docs], { LIBSQL_URL: url });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      `${join(docs, 'b.md')}:4: unknown front-matter key "auteur": the keys are title, date, source, slug, excerpt, draft, aliases`,
    );
    expect(bad.stderr).toContain('1 problem(s); nothing was written');
    const client = openClient(url);
    try {
      const rows = (await client.execute('select slug from articles order by slug')).rows.map(
        (row) => row.slug,
      );
      expect(rows).toEqual(['banenafspraak-zet-een-nieuwe-stap', EQUIVALENT.slug]);
    } finally {
      client.close();
    }
  });
});
