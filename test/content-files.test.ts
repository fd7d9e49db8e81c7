/**
 * What the seed reads from the content folder (pipeline/content-files.ts): only regular files whose
 * real path stays inside it, and no more than the size limit. Every other name is one problem at its
 * name, the seed writes nothing, and nothing hangs: a FIFO or a link to /dev/zero is refused before
 * it is read.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdirSync, openSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readContentFile, readDocuments } from '../pipeline/content-files.ts';
import { seedSource } from '../pipeline/seed-command.ts';
import { DOCUMENT_MAX_BYTES } from '../schema/document.ts';
import { makeDocument } from './support/documents.ts';
import { openSeedFolder, type SeedFolder } from './support/seed-folder.ts';

let folder: SeedFolder;
const fifos: string[] = [];
beforeEach(async () => {
  folder = await openSeedFolder({ withSeed: true });
});
afterEach(() => {
  // A reader that opened a FIFO without O_NONBLOCK waits for a writer for ever: one comes here, so
  // that a failing run ends instead of holding its worker.
  for (const fifo of fifos.splice(0)) {
    try {
      closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      // No reader waits (ENXIO): nothing to free.
    }
  }
  folder.close();
});

/** The seed as `npm run seed` runs it, on the test's folder; its problems, or [] when it wrote. */
async function seedProblems(): Promise<string[]> {
  const outcome = await seedSource(folder.docs, folder.url);
  return outcome.ok ? [] : outcome.problems;
}

/** A file outside the content folder that would be published if it were read. */
function outsideFile(name: string, text: string): string {
  const outside = join(folder.dir, 'outside');
  mkdirSync(outside, { recursive: true });
  writeFileSync(join(outside, name), text);
  return join(outside, name);
}

const articles = async () =>
  (await folder.client.execute('select slug from articles order by slug')).rows.map((row) => row.slug);

describe('the content folder', () => {
  it('refuses a document that links to a file outside the folder, and publishes none of it', async () => {
    const target = outsideFile('secret.md', makeDocument({ title: 'Geheim buiten de map' }));
    symlinkSync(target, join(folder.docs, 'secret.txt'));
    const problems = await seedProblems();
    expect(problems).toContain(`${join(folder.docs, 'secret.txt')}:1: links outside the content folder`);
    expect(problems.at(-1)).toBe('1 problem(s); nothing was written');
    expect(await articles()).toEqual([]);
  });

  it('refuses a site.yaml and a glossary.yaml that link outside the folder', async () => {
    const site = outsideFile('site.yaml', 'about: Van buiten de map.\n');
    const glossary = outsideFile('glossary.yaml', '- term: XYZ\n  names: [Buiten de map]\n');
    for (const name of ['site.yaml', 'glossary.yaml']) rmSync(join(folder.docs, name));
    symlinkSync(site, join(folder.docs, 'site.yaml'));
    symlinkSync(glossary, join(folder.docs, 'glossary.yaml'));
    const problems = await seedProblems();
    expect(problems).toContain(`${join(folder.docs, 'site.yaml')}:1: links outside the content folder`);
    expect(problems).toContain(`${join(folder.docs, 'glossary.yaml')}:1: links outside the content folder`);
    expect(await articles()).toEqual([]);
  });

  it('reads a symbolic link that stays inside the folder (git stores links): its target is the file', async () => {
    mkdirSync(join(folder.docs, 'shared'));
    writeFileSync(join(folder.docs, 'shared', 'extra.txt'), makeDocument({ title: 'Via een link' }));
    symlinkSync(join('shared', 'extra.txt'), join(folder.docs, '002_link.txt'));
    expect(await seedProblems()).toEqual([]);
    expect(await articles()).toContain('via-een-link');
  });

  it('refuses a link to /dev/zero at once, without reading it', { timeout: 10_000 }, async () => {
    symlinkSync('/dev/zero', join(folder.docs, 'zero.md'));
    expect(await seedProblems()).toContain(
      `${join(folder.docs, 'zero.md')}:1: links outside the content folder`,
    );
  });

  it('refuses a FIFO without waiting for a writer', { timeout: 10_000 }, async () => {
    const fifo = join(folder.docs, 'pipe.md');
    execFileSync('mkfifo', [fifo]);
    fifos.push(fifo);
    expect(await seedProblems()).toContain(`${fifo}:1: not a regular file`);
    // The glossary is read by its name, not by the folder's listing: the same for it.
    rmSync(join(folder.docs, 'glossary.yaml'));
    execFileSync('mkfifo', [join(folder.docs, 'glossary.yaml')]);
    fifos.push(join(folder.docs, 'glossary.yaml'));
    expect(await seedProblems()).toContain(`${join(folder.docs, 'glossary.yaml')}:1: not a regular file`);
  });

  it('refuses a folder named like a document', async () => {
    mkdirSync(join(folder.docs, 'x.md'));
    expect(await seedProblems()).toEqual([
      `${join(folder.docs, 'x.md')}:1: not a regular file`,
      '1 problem(s); nothing was written',
    ]);
  });

  it('reads no more than the limit and one byte of a large file, and names its size and line', async () => {
    const line = 'Een regel tekst van een heel groot bestand.\n';
    const big = line.repeat(Math.ceil((4 * DOCUMENT_MAX_BYTES) / line.length));
    writeFileSync(join(folder.docs, 'big.txt'), big);
    const read = await readContentFile(folder.docs, 'big.txt', DOCUMENT_MAX_BYTES);
    expect(read && 'bytes' in read && read.bytes.byteLength).toBe(DOCUMENT_MAX_BYTES + 1);
    const [input] = (await readDocuments(folder.docs)).filter((doc) => doc.file.endsWith('big.txt'));
    const passes = Math.floor(DOCUMENT_MAX_BYTES / line.length) + 1;
    expect(input).toEqual({
      file: join(folder.docs, 'big.txt'),
      problem: {
        line: passes,
        message: `the document is ${big.length.toLocaleString('en')} bytes; at most 262,144 (256 KiB) are read, and this line passes that`,
      },
    });
  });
});
