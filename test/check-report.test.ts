import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ContentCheck } from '../pipeline/check-content.ts';
import {
  escapeData,
  escapeProperty,
  formatGithub,
  formatPlain,
  repositoryPath,
  stepSummary,
} from '../pipeline/check-report.ts';

// How `npm run check:content` prints: GitHub's workflow commands must survive any file name and
// message (actions/toolkit's escaping), and the plain report shows control characters as \xHH.

const ROOT = '/repo';

const check = (messages: ContentCheck['messages']): ContentCheck => ({
  ok: !messages.some((m) => m.level === 'error'),
  messages,
  counts: { articles: 2, pages: 1, drafts: 0, sections: 1, indexes: 0, redirects: 3, glossary: 1 },
  comparison: null,
});

describe('workflow command escaping', () => {
  it('escapes %, CR and LF in a message, and also : and , in a property', () => {
    expect(escapeData('100% klaar\r\nnu: a, b :: c')).toBe('100%25 klaar%0D%0Anu: a, b :: c');
    expect(escapeProperty('a::b, c%\n')).toBe('a%3A%3Ab%2C c%25%0A');
  });

  it('shows other control characters as \\xHH, so that no escape sequence reaches the log', () => {
    expect(escapeData('a\u001b[2Jb')).toBe('a\\x1B[2Jb');
  });
});

describe('--format github', () => {
  it('prints each finding once, with the file relative to the repository root and escaped properties', () => {
    const out = formatGithub(
      check([
        {
          level: 'error',
          file: join(ROOT, 'content-seed', 'a,b:c.md'),
          line: 4,
          title: 'Problem: one, two',
          message: 'regel een\nregel twee 50% :: klaar',
        },
        {
          level: 'notice',
          file: join(ROOT, 'content-seed', 'x.md'),
          line: 2,
          title: 'Address moved',
          message: '/a → /b',
        },
        { level: 'error', title: 'Content problem', message: 'cannot read /elders' },
      ]),
      ROOT,
    );
    const lines = out.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      '::error file=content-seed/a%2Cb%3Ac.md,line=4,title=Problem%3A one%2C two::regel een%0Aregel twee 50%25 :: klaar',
      '::notice file=content-seed/x.md,line=2,title=Address moved::/a → /b',
      '::error title=Content problem::cannot read /elders',
    ]);
    expect(lines.filter((line) => line.includes('regel een'))).toHaveLength(1);
    expect(lines.slice(3)).toEqual([
      '2 articles, 1 page, 1 section, 0 indexes, 3 redirects, 1 glossary entry',
      '2 problems; the seed would refuse this content',
    ]);
  });

  it('keeps a path outside the repository as it is', () => {
    expect(repositoryPath('/elders/a.md', ROOT)).toBe('/elders/a.md');
    expect(repositoryPath('/repo/content-seed/a.md', ROOT)).toBe('content-seed/a.md');
  });
});

describe('the plain report and the step summary', () => {
  const findings = check([
    {
      level: 'error',
      file: '/repo/content-seed/\u001b]0;x.md',
      line: 3,
      title: 'T',
      message: 'fout in | tabel <b>',
    },
    { level: 'notice', file: '/repo/content-seed/y.md', line: 1, title: 'Address moved', message: '/a → /b' },
  ]);

  it('plain: file:line: message, control characters as \\xHH', () => {
    expect(formatPlain(findings).split('\n').slice(0, 2)).toEqual([
      '/repo/content-seed/\\x1B]0;x.md:3: fout in | tabel <b>',
      'notice: /repo/content-seed/y.md:1: /a → /b',
    ]);
  });

  it('the summary: a heading, the counts, and a table per kind, its cells escaped', () => {
    const text = stepSummary(findings, ROOT);
    expect(text).toContain('### Content check: 1 problem\n');
    expect(text).toContain('- 2 articles, 1 page, 1 section, 0 indexes, 3 redirects, 1 glossary entry\n');
    expect(text).toContain('| content-seed/\\x1B]0;x.md | 3 | fout in \\| tabel &lt;b&gt; |');
    expect(text).toContain(
      '#### Notices\n\n| file | line | what |\n| --- | --- | --- |\n| content-seed/y.md | 1 | /a → /b |',
    );
    expect(stepSummary(check([]), ROOT)).toContain('### Content check: no problems\n');
  });
});
