// `npm run card [-- --out DIR] [TITLE DATE]`: writes social cards as PNG files for a person to look
// at. Without arguments: the card of every article in content-seed/ and the default card; with a title
// and an ISO date (2019-02-12): that one card. Prints each file with its size and render time.
// `npm run card -- --bench N` renders N cards of varied titles instead and prints the time per card,
// one at a time on this thread and as one batch on every core (card-pool.ts), without writing files.

import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { renderCardsInParallel } from '../pipeline/card-pool.ts';
import { readDocuments } from '../pipeline/content-files.ts';
import { ROOT } from '../pipeline/libsql.ts';
import { formatProblem, parseDocuments } from '../pipeline/parse-documents.ts';
import { renderArticleCard, renderDefaultCard } from '../pipeline/social-card.ts';
import { formatDate } from '../schema/dates.ts';
import { slugify } from '../schema/slug.ts';

const USAGE = 'usage: npm run card [-- --out DIR] [TITLE YYYY-MM-DD] | npm run card -- --bench N';

const { values, positionals } = parseArgs({
  options: {
    out: { type: 'string', default: join(ROOT, 'test-results', 'cards') },
    bench: { type: 'string' },
  },
  allowPositionals: true,
});

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

interface Job {
  name: string;
  render: () => Promise<Uint8Array>;
}

async function articleJobs(): Promise<Job[]> {
  if (positionals.length > 0) {
    const [title, date] = positionals;
    if (positionals.length !== 2 || !title?.trim() || !date) fail(USAGE);
    const day = new Date(`${date}T12:00:00Z`);
    if (
      !/^\d{4}-\d{2}-\d{2}$/.test(date) ||
      Number.isNaN(day.getTime()) ||
      !day.toISOString().startsWith(date)
    )
      fail(`not a date: ${date} (expected YYYY-MM-DD)\n${USAGE}`);
    return [
      { name: slugify(title) || 'card', render: () => renderArticleCard({ title, date: formatDate(date) }) },
    ];
  }
  const parsed = parseDocuments(await readDocuments(join(ROOT, 'content-seed')));
  if (!parsed.ok) fail(parsed.problems.map(formatProblem).join('\n'));
  return parsed.parsed.map(({ document: { article } }) => ({
    name: article.slug,
    render: () => renderArticleCard({ title: article.title, date: formatDate(article.publishedAt) }),
  }));
}

async function bench(count: number) {
  const base = 'Met elkaar voor 125.000 banen: de sectorwerkgevers van de overheid en het onderwijs';
  const items = Array.from({ length: count }, (_, i) => ({
    title: `${base.slice(0, 20 + ((i * 7) % (base.length - 20)))} ${i}`,
    date: formatDate(`2019-02-${String((i % 28) + 1).padStart(2, '0')}`),
  }));
  await renderArticleCard(items[0] ?? { title: base, date: '' }); // fonts and wasm, once
  let start = performance.now();
  for (const item of items) await renderArticleCard(item);
  const oneByOne = (performance.now() - start) / count;
  start = performance.now();
  const cards = await renderCardsInParallel(items);
  const batch = (performance.now() - start) / count;
  const bytes = cards.reduce((sum, card) => sum + card.byteLength, 0) / count;
  console.log(
    `${count} cards: ${oneByOne.toFixed(1)} ms per card one by one, ${batch.toFixed(1)} ms per card in a batch ` +
      `on ${availableParallelism()} threads; ${(bytes / 1024).toFixed(1)} KB per card`,
  );
}

if (values.bench !== undefined) {
  const count = Number(values.bench);
  if (!Number.isInteger(count) || count < 1) fail(USAGE);
  await bench(count);
  process.exit(0);
}

const jobs = await articleJobs();
if (positionals.length === 0) jobs.push({ name: 'default', render: renderDefaultCard });

await mkdir(values.out, { recursive: true });
for (const { name, render } of jobs) {
  const start = performance.now();
  const png = await render();
  const ms = performance.now() - start;
  const file = join(values.out, `${name}.png`);
  await writeFile(file, png);
  console.log(
    `${relative(process.cwd(), file)}  ${(png.byteLength / 1024).toFixed(1)} KB  ${ms.toFixed(0)} ms`,
  );
}
