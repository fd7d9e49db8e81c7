/**
 * How `npm run check:content` prints its findings: `file:line: …` lines for a person (plain), GitHub
 * Actions workflow commands that put each finding on its line of a pull request (github), and a
 * Markdown summary for the job's page ($GITHUB_STEP_SUMMARY).
 */
import { isAbsolute, relative, sep } from 'node:path';
import type { CheckMessage, ContentCheck, ContentCounts } from './check-content.ts';
import { printable } from './printable.ts';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function describeCounts(counts: ContentCounts): string {
  return (
    [
      plural(counts.articles, 'article'),
      plural(counts.pages, 'page'),
      plural(counts.sections, 'section'),
      plural(counts.indexes, 'index', 'indexes'),
      plural(counts.redirects, 'redirect'),
      plural(counts.glossary, 'glossary entry', 'glossary entries'),
    ].join(', ') + (counts.drafts ? ` (${plural(counts.drafts, 'draft')} among them)` : '')
  );
}

function closing(check: ContentCheck): string[] {
  const lines: string[] = [];
  if (check.counts) lines.push(describeCounts(check.counts));
  if (check.comparison) {
    const { moved, redirected, gone } = check.comparison;
    lines.push(
      `compared with the base: ${plural(moved, 'address', 'addresses')} moved, ${redirected} redirected, ${gone} would answer 404`,
    );
  }
  const problems = check.messages.filter((m) => m.level === 'error').length;
  lines.push(problems ? `${plural(problems, 'problem')}; the seed would refuse this content` : 'no problems');
  return lines;
}

/** The plain report: `file:line: message` per finding (control characters as \xHH), then the summary. */
export function formatPlain(check: ContentCheck): string {
  const lines = check.messages.map((m) => {
    const where = m.file ? `${printable(m.file)}:${m.line ?? 1}: ` : '';
    return `${m.level === 'notice' ? 'notice: ' : ''}${where}${printable(m.message)}`;
  });
  return [...lines, ...closing(check)].join('\n');
}

/**
 * A message of a workflow command, escaped as the runner unescapes it (actions/toolkit,
 * `escapeData`): `%`, CR and LF. Other control characters are shown as \xHH, as in the plain report.
 */
export const escapeData = (text: string) =>
  printable(text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));

/** A property of a workflow command (`file=`, `title=`): also `:` and `,`, which end a property. */
export const escapeProperty = (text: string) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

/**
 * A path as GitHub names a file of the repository: relative to its root, with `/`. A path outside
 * the root stays as it is (GitHub then shows the finding on the run, not on a line).
 */
export function repositoryPath(file: string, root: string): string {
  const path = relative(root, file);
  if (path.startsWith('..') || isAbsolute(path)) return file;
  return path.split(sep).join('/');
}

/** Each finding once, as `::error file=…,line=…,title=…::…` or `::notice …`, then the summary lines. */
export function formatGithub(check: ContentCheck, root: string): string {
  const lines = check.messages.map((m: CheckMessage) => {
    const properties = [
      ...(m.file ? [`file=${escapeProperty(repositoryPath(m.file, root))}`, `line=${m.line ?? 1}`] : []),
      `title=${escapeProperty(m.title)}`,
    ];
    return `::${m.level} ${properties.join(',')}::${escapeData(m.message)}`;
  });
  return [...lines, ...closing(check)].join('\n');
}

/** Text in a Markdown table cell: no line breaks, no `|`, no HTML, no control characters. */
const cell = (text: string) =>
  printable(text.replace(/\r?\n/g, ' '))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/`/g, '\\`');

/** The Markdown the job's summary page shows: the outcome, the counts, and a table of the findings. */
export function stepSummary(check: ContentCheck, root: string): string {
  const problems = check.messages.filter((m) => m.level === 'error');
  const notices = check.messages.filter((m) => m.level === 'notice');
  const out = [
    `### Content check: ${problems.length ? `${plural(problems.length, 'problem')}` : 'no problems'}`,
    '',
    ...closing(check).map((line) => `- ${cell(line)}`),
    '',
  ];
  const table = (title: string, items: CheckMessage[]) => {
    if (items.length === 0) return;
    out.push(`#### ${title}`, '', '| file | line | what |', '| --- | --- | --- |');
    for (const m of items) {
      const file = m.file ? cell(repositoryPath(m.file, root)) : '';
      out.push(`| ${file} | ${m.file ? (m.line ?? 1) : ''} | ${cell(m.message)} |`);
    }
    out.push('');
  };
  table('Problems (the seed would refuse the content; nothing is published)', problems);
  table('Notices', notices);
  return `${out.join('\n')}\n`;
}
