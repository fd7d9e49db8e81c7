/**
 * The link-preview check of `npm run unfurl` and `npm run publish`: a page fetched as every crawler
 * in pipeline/crawlers.ts fetches it, and what each one needs of it checked. A failure is a preview
 * that would break (no card, no title, no image, wrong characters); a warning is one that shows,
 * but cut (a title longer than that network shows) or resolved by a lenient crawler.
 */
import sharp from 'sharp';
import { CARD_HEIGHT, CARD_MAX_BYTES, CARD_WIDTH } from '../schema/card-size.ts';
import { CRAWLERS, type Crawler } from './crawlers.ts';
import { type PageTag, pageTags } from './preview-tags.ts';
import { printable } from './printable.ts';
import { robotsAllow } from './robots.ts';
import { fetchAs } from './unfurl-fetch.ts';

export const CHECKS = ['status', 'robots', 'type', 'tags', 'urls', 'image', 'title', 'description'] as const;
export type CheckName = (typeof CHECKS)[number];
type Verdict = 'ok' | 'warn' | 'fail' | 'skip';

interface Finding {
  verdict: Verdict;
  /** Why, for anything but ok. */
  note?: string;
}

interface CrawlerResult {
  crawler: Crawler;
  checks: Record<CheckName, Finding>;
  /** No check failed. */
  ok: boolean;
}

export interface PreviewReport {
  url: string;
  /** False when no crawler got any answer (DNS, refused connection, timeout). */
  reachable: boolean;
  results: CrawlerResult[];
  ok: boolean;
}

/** How much of a page is read at most: enough to tell a tag after a crawler's limit from a missing one. */
const PAGE_READ_BYTES = 4 * 1024 * 1024;
/** How much of an image: enough to say by how much it is over the card limit. */
const IMAGE_READ_BYTES = 16 * 1024 * 1024;
/** Tags whose values are URLs: every one must be absolute (a crawler has no base to resolve them). */
const URL_TAGS = ['og:image', 'og:image:secure_url', 'og:url', 'twitter:image', 'oembed'];

const ok: Finding = { verdict: 'ok' };
const fail = (note: string): Finding => ({ verdict: 'fail', note });
const warn = (note: string): Finding => ({ verdict: 'warn', note });
const skip = (note: string): Finding => ({ verdict: 'skip', note });
const bytes = (n: number) => n.toLocaleString('en-US');

/** The media type and charset of a Content-Type (RFC 9110 §8.3), lower case. */
function mediaType(header: string | null): { type: string; charset: string | null } {
  const [type = '', ...parameters] = (header ?? '').split(';');
  const charset = parameters
    .map((p) => p.trim().split('='))
    .find(([name]) => name?.trim().toLowerCase() === 'charset')?.[1];
  return {
    type: type.trim().toLowerCase(),
    charset: charset ? charset.trim().replace(/^"|"$/g, '').toLowerCase() : null,
  };
}

function checkType(header: string | null): Finding {
  const { type, charset } = mediaType(header);
  if (type !== 'text/html') return fail(`Content-Type ${header ?? '(none)'}, not text/html`);
  // Without charset=utf-8 a crawler may read the bytes as Windows-1252: ë and é break.
  if (charset !== 'utf-8') return fail(`Content-Type ${header}: no charset=utf-8`);
  return ok;
}

const first = (tags: PageTag[], key: string) => tags.find((tag) => tag.key === key && tag.value !== '');

function checkTags(crawler: Crawler, tags: PageTag[]): Finding {
  const problems: string[] = [];
  for (const key of crawler.needs) {
    const tag = first(tags, key);
    if (!tag) problems.push(`no ${key}`);
    else if (tag.endByte > crawler.pageBytes) {
      problems.push(
        `${key} ends at byte ${bytes(tag.endByte)}, ${crawler.name} reads ${bytes(crawler.pageBytes)}`,
      );
    } else if (key === 'twitter:card' && tag.value !== 'summary_large_image') {
      problems.push(`twitter:card is "${tag.value}", not summary_large_image (no large image)`);
    }
  }
  return problems.length ? fail(problems.join('; ')) : ok;
}

const isAbsolute = (value: string) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol);

function checkUrls(crawler: Crawler, tags: PageTag[]): Finding {
  const relative = tags.filter((tag) => URL_TAGS.includes(tag.key) && !isAbsolute(tag.value));
  if (relative.length === 0) return ok;
  const list = relative.map((tag) => `${tag.key} "${tag.value}"`).join(', ');
  const onlyImage = relative.every((tag) => tag.key === 'og:image');
  if (onlyImage && crawler.resolvesRelativeImage)
    return warn(`relative ${list}; ${crawler.name} resolves it`);
  return fail(`relative ${list}`);
}

/**
 * The format and size of an image as sharp reads its header (nothing is decoded), or null when the
 * bytes are no image sharp knows.
 */
async function imageHeader(
  body: Uint8Array,
): Promise<{ format: string; width: number; height: number } | null> {
  try {
    const meta = await sharp(body, { failOn: 'none' }).metadata();
    return meta.width && meta.height ? { format: meta.format, width: meta.width, height: meta.height } : null;
  } catch {
    return null;
  }
}

/**
 * The two images an og:image may be: the generated card (a PNG of exactly CARD_WIDTH × CARD_HEIGHT)
 * or an article's share image (front matter `share_image: true`: a JPEG CARD_WIDTH wide, of the
 * image's own height). Both within CARD_MAX_BYTES, and as og:image:width/height say.
 */
async function checkImage(crawler: Crawler, page: URL, tags: PageTag[]): Promise<Finding> {
  const tag = first(tags, 'og:image');
  if (!tag) return skip('no og:image');
  if (!isAbsolute(tag.value) && !crawler.resolvesRelativeImage) return skip('relative og:image');
  if (!URL.canParse(tag.value, page.href)) return fail(`og:image "${tag.value}" is not a URL`);
  const url = new URL(tag.value, page);
  const image = await fetchAs(crawler, url, { readBytes: IMAGE_READ_BYTES, range: false });
  if (!image.ok) return fail(`og:image: ${image.reason}`);
  if (image.status !== 200) return fail(`og:image answers ${image.status}`);
  const { type } = mediaType(image.headers.get('Content-Type'));
  const size = await imageHeader(image.body);
  const problems: string[] = [];
  const expected = size?.format === 'jpeg' ? 'image/jpeg' : 'image/png';
  if (!size || (size.format !== 'png' && size.format !== 'jpeg')) {
    problems.push(
      `og:image is ${type || 'untyped'}, ${size ? `a ${size.format} image` : 'not an image'}; the card is a PNG, a share image a JPEG`,
    );
  } else if (type !== expected) {
    problems.push(`og:image is sent as ${type || 'untyped'}, but its bytes are ${expected}`);
  }
  if (size?.format === 'png' && (size.width !== CARD_WIDTH || size.height !== CARD_HEIGHT)) {
    problems.push(`og:image is ${size.width}×${size.height}, not ${CARD_WIDTH}×${CARD_HEIGHT}`);
  }
  if (size?.format === 'jpeg' && size.width !== CARD_WIDTH) {
    problems.push(`og:image is ${size.width}×${size.height}, not ${CARD_WIDTH} px wide`);
  }
  if (image.cut || image.body.length > CARD_MAX_BYTES) {
    const length = image.cut ? `over ${bytes(IMAGE_READ_BYTES)}` : bytes(image.body.length);
    problems.push(`og:image has ${length} bytes, more than ${bytes(CARD_MAX_BYTES)}`);
  }
  const declared = [first(tags, 'og:image:width')?.value, first(tags, 'og:image:height')?.value];
  if (size && declared.every(Boolean) && declared.join('×') !== `${size.width}×${size.height}`) {
    problems.push(
      `og:image:width/height say ${declared.join('×')}, the image is ${size.width}×${size.height}`,
    );
  }
  return problems.length ? fail(problems.join('; ')) : ok;
}

/** RFC 9309 §2.3.1.5: a crawler reads at least the first 500 KiB of robots.txt. */
const ROBOTS_READ_BYTES = 500 * 1024;

/**
 * For a crawler that obeys robots.txt: whether it lets it fetch the page (as asked for and as it
 * answered) and the image on the same origin. RFC 9309 §2.3.1.3–4: a robots.txt that is not there
 * (4xx) allows everything; one that cannot be read (5xx, no answer) allows nothing.
 */
async function checkRobots(crawler: Crawler, pages: URL[], tags: PageTag[]): Promise<Finding> {
  const token = crawler.robotsToken;
  const page = pages[0];
  if (!token || !page) return ok;
  const robotsUrl = new URL('/robots.txt', page);
  const robots = await fetchAs(crawler, robotsUrl, { readBytes: ROBOTS_READ_BYTES, range: false });
  if (!robots.ok || robots.status >= 500) {
    const why = robots.ok ? `answers ${robots.status}` : robots.reason;
    return fail(`robots.txt cannot be read (${why}): ${crawler.name} fetches nothing`);
  }
  if (robots.status !== 200) return ok;
  const text = new TextDecoder('utf-8').decode(robots.body);
  const image = first(tags, 'og:image')?.value;
  const urls = [...pages, ...(image && URL.canParse(image, page.href) ? [new URL(image, page)] : [])];
  const blocked = urls
    .filter((url) => url.origin === robotsUrl.origin)
    .map((url) => `${url.pathname}${url.search}`)
    .filter((path, i, all) => all.indexOf(path) === i && !robotsAllow(text, token, path));
  return blocked.length ? fail(`robots.txt disallows ${blocked.join(', ')} for ${token}`) : ok;
}

/** Grapheme clusters: what a reader counts as characters (emoji, combining accents). */
const length = (text: string) =>
  [...new Intl.Segmenter('nl', { granularity: 'grapheme' }).segment(text)].length;

function checkLength(crawler: Crawler, what: 'title' | 'description', value: string | undefined): Finding {
  const limit = crawler.shows[what];
  if (value === undefined) return skip(`no ${what}`);
  if (limit === null) return ok;
  const n = length(value);
  return n > limit ? warn(`${what} has ${n} characters, ${crawler.name} shows ${limit}`) : ok;
}

async function checkCrawler(crawler: Crawler, url: URL): Promise<CrawlerResult & { unreachable: boolean }> {
  const checks = Object.fromEntries(CHECKS.map((name) => [name, skip('page not read')])) as Record<
    CheckName,
    Finding
  >;
  const done = (unreachable = false) => ({
    crawler,
    checks,
    ok: !Object.values(checks).some((finding) => finding.verdict === 'fail'),
    unreachable,
  });
  const page = await fetchAs(crawler, url, { readBytes: PAGE_READ_BYTES, range: true });
  if (!page.ok) {
    checks.status = fail(page.reason);
    return done(page.unreachable);
  }
  // A crawler that sent Range takes a 206 with its bytes as well as the whole page.
  const expected = crawler.sendsRange ? [200, 206] : [200];
  if (!expected.includes(page.status)) {
    checks.status = fail(`${page.status}${page.url.href !== url.href ? ` at ${page.url.href}` : ''}`);
    return done();
  }
  checks.status = ok;
  checks.type = checkType(page.headers.get('Content-Type'));
  const tags = pageTags(page.body);
  checks.tags = checkTags(crawler, tags);
  checks.urls = checkUrls(crawler, tags);
  checks.image = await checkImage(crawler, page.url, tags);
  checks.robots = await checkRobots(crawler, [url, page.url], tags);
  checks.title = checkLength(crawler, 'title', (first(tags, 'og:title') ?? first(tags, 'title'))?.value);
  checks.description = checkLength(crawler, 'description', first(tags, 'og:description')?.value);
  return done();
}

/** Every crawler's view of `url`, one after the other (as they come, each on its own). */
export async function checkPreviews(
  url: string,
  crawlers: readonly Crawler[] = CRAWLERS,
): Promise<PreviewReport> {
  const target = new URL(url);
  const results: (CrawlerResult & { unreachable: boolean })[] = [];
  for (const crawler of crawlers) results.push(await checkCrawler(crawler, target));
  return {
    url: target.href,
    reachable: !results.every((result) => result.unreachable),
    results: results.map(({ unreachable: _, ...result }) => result),
    ok: results.every((result) => result.ok),
  };
}

const CELL: Record<Verdict, string> = { ok: 'ok', warn: 'warn', fail: 'FAIL', skip: '-' };

/** The report as a table (a row per crawler, a column per check), then every failure and warning. */
export function formatReport(report: PreviewReport): string {
  const header = ['crawler', ...CHECKS, 'preview'];
  const rows = report.results.map((result) => [
    result.crawler.name,
    ...CHECKS.map((name) => CELL[result.checks[name].verdict]),
    result.ok ? 'ok' : 'BREAKS',
  ]);
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const notes = report.results.flatMap((result) =>
    CHECKS.flatMap((name) => {
      const { verdict, note } = result.checks[name];
      if (verdict !== 'fail' && verdict !== 'warn') return [];
      return [
        `  ${verdict === 'fail' ? 'FAIL' : 'warn'} ${result.crawler.name} ${name}: ${printable(note ?? '')}`,
      ];
    }),
  );
  return [printable(report.url), line(header), ...rows.map(line), ...notes].join('\n');
}
