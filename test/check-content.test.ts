import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkContent } from '../pipeline/check-content.ts';
import { formatPlain } from '../pipeline/check-report.ts';
import { ROOT, runScript } from './support/cli.ts';
import { lineOf, tempDir } from './support/documents.ts';

// The content check of `npm run check:content`: the seed's validations without a database, and the
// comparison of a head folder's addresses with a base folder's (a pull request's base commit).

let dir: string;
let base: string;
let head: string;

/** A copy of content-seed/ at `to`. */
const copySeed = (to: string) => cpSync(join(ROOT, 'content-seed'), to, { recursive: true });
const edit = (folder: string, name: string, change: (text: string) => string) =>
  writeFileSync(join(folder, name), change(readFileSync(join(folder, name), 'utf8')));

/** A page both folders may hold: under an address no menu item names, so that it can go. */
const EXTRA_PAGE = '---\ntitle: Oud adres\nurl: /organisatie/oud-adres/\n---\n\nEen pagina die weg kan.\n';

beforeEach(() => {
  dir = tempDir();
  base = join(dir, 'base');
  head = join(dir, 'head');
  copySeed(base);
  copySeed(head);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the content check', () => {
  it('passes content-seed/ and counts what it holds', async () => {
    const check = await checkContent(join(ROOT, 'content-seed'));
    expect(check).toMatchObject({ ok: true, messages: [], comparison: null });
    expect(check.counts).toMatchObject({ articles: 2, sections: 2, redirects: 0 });
    expect(check.counts?.pages).toBeGreaterThan(0);
  });

  it('reports each problem once, at its file and line: documents, the set and the glossary', async () => {
    edit(head, 'organisatie-achtergrond.md', (text) => text.replace('order: 2', 'order: 2\ncolour: blue'));
    edit(head, 'glossary.yaml', (text) => `${text}- term: BZK\n  names: [Binnenlandse Zaken]\n`);
    const check = await checkContent(head);
    expect(check.ok).toBe(false);
    expect(check.counts).toBeNull();
    const errors = check.messages.filter((m) => m.level === 'error');
    expect(errors.map((m) => `${m.file}:${m.line}`)).toEqual([
      `${join(head, 'organisatie-achtergrond.md')}:${lineOf(readFileSync(join(head, 'organisatie-achtergrond.md'), 'utf8'), 'colour')}`,
      `${join(head, 'glossary.yaml')}:${readFileSync(join(head, 'glossary.yaml'), 'utf8').trimEnd().split('\n').length - 1}`,
    ]);
    expect(errors[0]?.message).toMatch(/colour/);
    expect(errors[1]?.message).toMatch(/term "BZK" is already an entry/);
  });

  it('finds a download a document names beside it, and reports one that is not there at its line', async () => {
    writeFileSync(join(head, 'jaarverslag.pdf'), '%PDF-1.4\n%%EOF\n');
    const named = (file: string) =>
      edit(head, 'organisatie-achtergrond.md', (text) => `${text}\nLees [het jaarverslag](${file}).\n`);
    named('jaarverslag.pdf');
    expect((await checkContent(head)).ok).toBe(true);
    named('verdwenen.pdf');
    const check = await checkContent(head);
    const file = join(head, 'organisatie-achtergrond.md');
    expect(check.messages.filter((m) => m.level === 'error').map((m) => `${m.file}:${m.line}`)).toEqual([
      `${file}:${lineOf(readFileSync(file, 'utf8'), 'verdwenen.pdf')}`,
    ]);
  });

  it('reports a menu item that leads nowhere (a check of the whole set) at its line of site.yaml', async () => {
    edit(head, 'site.yaml', (text) =>
      text.replace('path: /vertegenwoordiging/rop/', 'path: /vertegenwoordiging/nergens/'),
    );
    const check = await checkContent(head);
    const site = readFileSync(join(head, 'site.yaml'), 'utf8');
    expect(check.messages).toEqual([
      expect.objectContaining({
        level: 'error',
        file: join(head, 'site.yaml'),
        line: lineOf(site, 'label: ROP'),
        message: expect.stringMatching(/leads to no page of this site/),
      }),
    ]);
  });

  it('refuses a folder that cannot be read or holds no documents', async () => {
    expect((await checkContent(join(dir, 'missing'))).messages[0]?.message).toMatch(/^cannot read/);
    rmSync(head, { recursive: true });
    cpSync(join(base, 'site.yaml'), join(dir, 'site.yaml'));
    const empty = await checkContent(dir);
    expect(empty.ok).toBe(false);
    expect(empty.messages.map((m) => m.message).join('\n')).toMatch(
      /no \*\.txt or \*\.md documents|leads to no page/,
    );
  });
});

describe('the comparison with the base', () => {
  it('finds nothing when the base and the head are the same', async () => {
    const check = await checkContent(head, base);
    expect(check).toMatchObject({ ok: true, messages: [], comparison: { moved: 0, redirected: 0, gone: 0 } });
    expect(formatPlain(check)).toContain(
      'compared with the base: 0 addresses moved, 0 redirected, 0 would answer 404',
    );
  });

  it('a page whose file names a new url: a notice at that line, the old address answers 301', async () => {
    edit(head, 'vertegenwoordiging-rop.md', (text) =>
      text.replace('url: /vertegenwoordiging/rop/', 'url: /vertegenwoordiging/raad/'),
    );
    edit(head, 'site.yaml', (text) =>
      text.replace('path: /vertegenwoordiging/rop/', 'path: /vertegenwoordiging/raad/'),
    );
    const check = await checkContent(head, base);
    expect(check.ok).toBe(true);
    expect(check.messages).toEqual([
      {
        level: 'notice',
        file: join(head, 'vertegenwoordiging-rop.md'),
        line: 3,
        title: 'Address moved',
        message: '/vertegenwoordiging/rop/ → /vertegenwoordiging/raad/, the old address answers 301',
      },
    ]);
    expect(check.comparison).toEqual({ moved: 1, redirected: 0, gone: 0 });
  });

  it('a page that is gone without a redirect: a problem, it would answer 404', async () => {
    writeFileSync(join(base, 'oud-adres.md'), EXTRA_PAGE);
    const check = await checkContent(head, base);
    expect(check.ok).toBe(false);
    expect(check.messages).toEqual([
      expect.objectContaining({
        level: 'error',
        file: join(head, 'oud-adres.md'),
        line: 1,
        title: 'Address would answer 404',
        message: expect.stringContaining(
          'the page /organisatie/oud-adres/ would answer 404: addresses are forever. Add "/organisatie/oud-adres/: <new address>" to redirects.yaml',
        ),
      }),
    ]);
    expect(check.comparison).toEqual({ moved: 0, redirected: 0, gone: 1 });
  });

  it('a page that is gone with a redirect in redirects.yaml: a notice at the redirect line', async () => {
    writeFileSync(join(base, 'oud-adres.md'), EXTRA_PAGE);
    writeFileSync(
      join(head, 'redirects.yaml'),
      '# Weg\n/organisatie/oud-adres/: /organisatie/achtergrond/\n',
    );
    const check = await checkContent(head, base);
    expect(check.ok).toBe(true);
    expect(check.messages).toEqual([
      {
        level: 'notice',
        file: join(head, 'redirects.yaml'),
        line: 2,
        title: 'Address redirected',
        message:
          '/organisatie/oud-adres/ (the page until now) answers 301 to /organisatie/achtergrond/ (redirects.yaml)',
      },
    ]);
  });

  it('a page that is gone, its address an earlier URL of another document: a notice there', async () => {
    writeFileSync(join(base, 'oud-adres.md'), EXTRA_PAGE);
    edit(head, 'organisatie-achtergrond.md', (text) =>
      text.replace('order: 2', 'order: 2\naliases:\n  - /organisatie/oud-adres/'),
    );
    const check = await checkContent(head, base);
    expect(check.ok).toBe(true);
    expect(check.messages).toEqual([
      expect.objectContaining({
        level: 'notice',
        file: join(head, 'organisatie-achtergrond.md'),
        line: lineOf(
          readFileSync(join(head, 'organisatie-achtergrond.md'), 'utf8'),
          '- /organisatie/oud-adres/',
        ),
        message:
          '/organisatie/oud-adres/ (the page until now) answers 301 to /organisatie/achtergrond/ (an earlier URL of this document)',
      }),
    ]);
  });

  it('an article whose title (and slug) changed: a notice; one whose document is gone: a problem', async () => {
    edit(head, '001_f3f85d6d71f8b7af.txt', (text) =>
      text.replace(
        '\nCentrale postbus voor vragen over de banenafspraak\n',
        '\nEen postbus voor vragen over de banenafspraak\n',
      ),
    );
    rmSync(join(head, '000_2e0dd2dc981fcdfb.txt'));
    const check = await checkContent(head, base);
    expect(check.ok).toBe(false);
    expect(check.messages).toEqual([
      expect.objectContaining({
        level: 'error',
        file: join(head, '000_2e0dd2dc981fcdfb.txt'),
        line: 1,
        message: expect.stringContaining(
          'the article /banenafspraak/nieuws/2019-02-12/met-elkaar-voor-125000-banen would answer 404',
        ),
      }),
      {
        level: 'notice',
        file: join(head, '001_f3f85d6d71f8b7af.txt'),
        line: 65,
        title: 'Address moved',
        message:
          '/banenafspraak/nieuws/2019-01-22/centrale-postbus-voor-vragen-over-de-banenafspraak → /banenafspraak/nieuws/2019-01-22/een-postbus-voor-vragen-over-de-banenafspraak, the old address answers 301',
      },
    ]);
  });

  it('a base that does not pass the check itself is not compared (a change that mends it must pass)', async () => {
    edit(base, 'organisatie-achtergrond.md', (text) => text.replace('order: 2', 'order: 2\ncolour: blue'));
    const check = await checkContent(head, base);
    expect(check.ok).toBe(true);
    expect(check.comparison).toBeNull();
    expect(check.messages).toEqual([
      expect.objectContaining({
        level: 'notice',
        message: expect.stringMatching(/has 1 problem\(s\) of its own/),
      }),
    ]);
  });
});

describe('npm run check:content', () => {
  it('as a process: plain, exit 0 on content-seed/', () => {
    const run = runScript('check-content.ts', []);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^2 articles, \d+ pages, 2 sections, .*\nno problems\n$/);
  });

  it('as a process: --format github, each finding once as a workflow command, paths from --root, the step summary appended', () => {
    writeFileSync(join(base, 'oud-adres.md'), EXTRA_PAGE);
    edit(head, 'vertegenwoordiging-rop.md', (text) =>
      text.replace('url: /vertegenwoordiging/rop/', 'url: /vertegenwoordiging/raad/'),
    );
    edit(head, 'site.yaml', (text) =>
      text.replace('path: /vertegenwoordiging/rop/', 'path: /vertegenwoordiging/raad/'),
    );
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '### Earlier step\n');
    const run = runScript(
      'check-content.ts',
      ['--source', head, '--base', base, '--format', 'github', '--root', dir],
      {
        GITHUB_STEP_SUMMARY: summary,
      },
    );
    expect(run.code).toBe(1);
    const commands = run.stdout.split('\n').filter((line) => line.startsWith('::'));
    expect(commands).toEqual([
      '::error file=head/oud-adres.md,line=1,title=Address would answer 404::the page /organisatie/oud-adres/ would answer 404: addresses are forever. Add "/organisatie/oud-adres/: <new address>" to redirects.yaml, or list it under aliases: of the document that replaces it',
      '::notice file=head/vertegenwoordiging-rop.md,line=3,title=Address moved::/vertegenwoordiging/rop/ → /vertegenwoordiging/raad/, the old address answers 301',
    ]);
    expect(run.stdout).toMatch(
      /compared with the base: 1 address moved, 0 redirected, 1 would answer 404\n1 problem; /,
    );
    const text = readFileSync(summary, 'utf8');
    expect(text.startsWith('### Earlier step\n### Content check: 1 problem\n')).toBe(true);
    expect(text).toContain('| head/oud-adres.md | 1 | the page /organisatie/oud-adres/ would answer 404');
    expect(text).toContain(
      '| head/vertegenwoordiging-rop.md | 3 | /vertegenwoordiging/rop/ → /vertegenwoordiging/raad/',
    );
  });

  it('as a process: plain, each problem once at its file:line, exit 1, nothing but the report', () => {
    edit(head, 'organisatie-achtergrond.md', (text) => text.replace('order: 2', 'order: 2\ncolour: blue'));
    edit(head, 'glossary.yaml', (text) => `${text}- term: BZK\n  names: [Binnenlandse Zaken]\n`);
    const run = runScript('check-content.ts', ['--source', head]);
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(new RegExp(`^${join(head, 'organisatie-achtergrond.md')}:\\d+: .*colour`));
    expect(lines[1]).toMatch(
      new RegExp(`^${join(head, 'glossary.yaml')}:\\d+: term "BZK" is already an entry`),
    );
    expect(lines[2]).toBe('2 problems; the seed would refuse this content');
  });

  it('refuses an unknown format', () => {
    const run = runScript('check-content.ts', ['--format', 'json']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/use plain \(the default\) or github/);
  });
});
