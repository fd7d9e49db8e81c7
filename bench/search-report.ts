/** The search benchmark's report: totals and every query, as markdown, and the results as JSON. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { table } from './format.ts';
import type { EngineAnswerRow, SearchQualityResult } from './search-quality.ts';
import { RESULTS } from './settings.ts';

const figure = (value: number) => value.toFixed(3);
const cell = (answer: EngineAnswerRow, expect: string[]) =>
  `${figure(answer.recall)} / ${figure(answer.reciprocalRank)} (${answer.slugs.filter((s) => expect.includes(s)).length}/${expect.length})`;

export function searchReport(result: SearchQualityResult, loadBefore: number): string {
  const { ours, pagefind } = result.totals;
  const ahead = ours.recallAt10 > pagefind.recallAt10 && ours.mrr > pagefind.mrr;
  const lines = [
    `## Search quality: this site's search and Pagefind ${result.pagefindVersion} (${new Date().toISOString().slice(0, 19)}Z)`,
    '',
    `${result.articles} Dutch articles (bench/search/articles/), ${result.queries.length} queries with the articles a reader expects (bench/search/queries.yaml). Recall@10: the share of the expected articles among the first 10 results; MRR: the mean of 1 / the rank of the first expected article (0 when none is in the first 10). Ours: the built Worker in workerd (Miniflare) over the local libSQL server (\`/api/search\`); Pagefind: its Node indexing API over the rendered article pages (\`<html lang="nl">\`, the \`<article>\` only) and its own pagefind.js and WebAssembly, in Node. ${cpus().length} × ${cpus()[0]?.model.split(' ').slice(0, 2).join(' ') ?? 'CPU'}, shared with other work (load average ${loadBefore.toFixed(2)} at the start), so the times are indicative.`,
    '',
    table(
      ['engine', 'recall@10', 'MRR', 'median time per query'],
      [
        ['this site', figure(ours.recallAt10), figure(ours.mrr), `${ours.medianMs.toFixed(2)} ms`],
        [
          `Pagefind ${result.pagefindVersion}`,
          figure(pagefind.recallAt10),
          figure(pagefind.mrr),
          `${pagefind.medianMs.toFixed(2)} ms`,
        ],
      ],
    ),
    '',
    `Goal: ahead of Pagefind on both figures — ${ahead ? 'met' : '**not met**'}.`,
    '',
    '### Per query (recall@10 / reciprocal rank (expected found / expected))',
    '',
    table(
      ['query', 'this site', 'Pagefind', 'expected articles missed by this site'],
      result.queries.map((r) => [
        `\`${r.q}\``,
        cell(r.ours, r.expect),
        cell(r.pagefind, r.expect),
        r.expect.filter((s) => !r.ours.slugs.includes(s)).join(', ') || '—',
      ]),
    ),
    '',
  ];
  return lines.join('\n');
}

/** Writes bench/results/search.md and search.json. */
export function writeSearchReport(result: SearchQualityResult, markdown: string) {
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, 'search.md'), markdown);
  writeFileSync(
    join(RESULTS, 'search.json'),
    `${JSON.stringify({ ...result, loadAverage: loadavg() }, null, 2)}\n`,
  );
}
