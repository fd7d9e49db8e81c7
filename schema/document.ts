import * as v from 'valibot';
import { ARTICLE_PATH, DEFAULT_SECTION } from './addresses.ts';
import { Aliases } from './aliases.ts';
import { Block, text } from './blocks.ts';
import { parseDutchDate } from './dutch-date.ts';
import { FrontMatterObject, type FrontMatterValues, frontMatterProblems } from './front-matter.ts';
import { SLUG_MAX_LENGTH, slugify } from './slug.ts';
import { describeCharacter, undrawableGraphemes } from './title-characters.ts';

/**
 * The contract of a source document (content-seed/*.txt), as valibot schemas. The parser turns the
 * text into a `RawDocument` (structure only, no judgement); this schema decides what is acceptable and
 * turns it into rows-to-be. Every problem becomes an issue whose path points at a line of the file.
 * Markdown documents (*.md, schema/markdown-document.ts) share the file, title, body and article rules
 * below and give the same `SourceDocument`.
 */

/**
 * The longest article title, in characters (code points). The title becomes the slug, and slugify
 * never makes a slug longer than its title (it lowercases, drops marks and quotes, and folds runs of
 * other characters into one hyphen), so 150 keeps every slug within SLUG_MAX_LENGTH, the limit the
 * routes accept; the contract checks the slug against that same constant as well. 150 also keeps the
 * title whole on its social card (five lines at the smallest size hold about 200 characters of
 * ordinary text) and in search results and feed readers, which cut titles far shorter.
 */
export const TITLE_MAX_LENGTH = 150;

/**
 * The largest source document, in bytes of UTF-8. The longest real article is a few kilobytes and a
 * very long one (10,000 words) about 70 KB; everything a document holds ends up in its page, its API
 * answer, the feeds and the full-text index, so a limit of 256 KiB keeps all of those bounded.
 */
export const DOCUMENT_MAX_BYTES = 256 * 1024;

export { Block } from './blocks.ts';

const PostedDate = v.pipe(
  v.nullable(v.string()),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const line = dataset.value;
    // No date at all is judged with the front matter: a page names its url instead (SourceDocument).
    if (line === null) return null;
    const match = /^Geplaatst op\s+(\S+)\s+(\d{1,2})\s+(\S+)\s+(\d{4})$/i.exec(line);
    if (!match) {
      addIssue({
        message: `malformed date "${line}": expected "Geplaatst op <weekday> <day> <month> <year>"`,
      });
      return NEVER;
    }
    const [, weekday = '', day = '', month = '', year = ''] = match;
    const parsed = parseDutchDate(weekday, day, month, year);
    if (parsed.ok) return parsed.iso;
    for (const problem of parsed.problems) {
      switch (problem.kind) {
        case 'weekday':
          addIssue({ message: `unknown weekday "${problem.weekday}"` });
          break;
        case 'month':
          addIssue({ message: `unknown month "${problem.month}"` });
          break;
        case 'day':
          addIssue({ message: `no such date: ${problem.text}` });
          break;
        case 'mismatch':
          addIssue({
            message: `weekday "${problem.weekday}" does not match ${problem.text}, which is a ${problem.actual}`,
          });
          break;
      }
    }
    return NEVER;
  }),
);

/**
 * The title rules of every format. When the slug is made from the title, it must have letters or
 * digits and stay within SLUG_MAX_LENGTH; the title itself is at most TITLE_MAX_LENGTH characters
 * (a longer one is reported as such, not also as a long slug) and holds only what the card can draw.
 */
export function titleProblems(title: string, slugFromTitle: boolean): string[] {
  const problems: string[] = [];
  const length = [...title].length;
  const slug = slugify(title).length;
  if (slugFromTitle && slug === 0) problems.push('the title has no letters or digits to make a slug from');
  if (length > TITLE_MAX_LENGTH) {
    problems.push(
      `the title is ${length} characters long; at most ${TITLE_MAX_LENGTH} are allowed, so that its URL and social card hold it`,
    );
  } else if (slugFromTitle && slug > SLUG_MAX_LENGTH) {
    problems.push(
      `the title makes a slug of ${slug} characters; the routes accept at most ${SLUG_MAX_LENGTH}`,
    );
  }
  const undrawable = undrawableGraphemes(title);
  if (undrawable.length > 0) {
    problems.push(
      `the title holds ${undrawable.map(describeCharacter).join(', ')}, which the social card ` +
        'cannot draw: a title may use Latin, Greek and Cyrillic letters, digits, punctuation and emoji',
    );
  }
  return problems;
}

/**
 * The body rule of every format: at least one block, and for an article a paragraph among them for
 * the excerpt (a page without one has an empty excerpt).
 */
export function bodyProblem(body: Block[], kind: 'article' | 'page'): string | null {
  if (body.length === 0) return `the ${kind} has an empty body`;
  if (kind === 'article' && !body.some((block) => block.type === 'paragraph')) {
    return 'the article body has no paragraph to use as its excerpt';
  }
  return null;
}

/** The path of an issue about the body as a whole. */
export const bodyPath = (body: Block[]) =>
  [{ type: 'object', origin: 'value', input: { body }, key: 'body', value: body }] as [v.ObjectPathItem];

/** An article's section and slug from its front matter: the url's when it has one (checked before). */
export function articleAddress(
  url: string | undefined,
  section: string | undefined,
  slug: string | undefined,
): { section: string | undefined; slug: string | undefined } {
  const match = url === undefined ? null : ARTICLE_PATH.exec(url.trim());
  return match ? { section: match[1], slug: match[3] } : { section: section?.trim(), slug };
}

/** The article of a valid document in either format, as the seed writes it. */
export function toArticle(doc: {
  title: string;
  slug?: string | undefined;
  publishedAt: string;
  source: string | null;
  excerpt?: string | undefined;
  body: Block[];
  section?: string | undefined;
  /** share_image: true: the first image is marked as the article's share image (og:image). */
  shareImage?: boolean | undefined;
}) {
  const first = doc.body.find((block) => block.type === 'paragraph');
  const shared = doc.shareImage ? doc.body.findIndex((block) => block.type === 'image') : -1;
  return {
    slug: doc.slug ?? slugify(doc.title),
    title: doc.title,
    publishedAt: doc.publishedAt,
    source: doc.source,
    excerpt: doc.excerpt ?? (first?.type === 'paragraph' ? first.text : ''),
    // In the body, and so in the content hash: choosing the share image is a change of the article.
    body: doc.body.map((block, i) => (i === shared ? { ...block, share: true as const } : block)),
    // Last, and left out of the content hash in the default section (pipeline/seed-database.ts), so
    // that the articles written before sections existed keep their hash and their date.
    section: doc.section ?? DEFAULT_SECTION,
  };
}

/** A content page of a valid document, as the seed writes it. */
export function toPage(doc: {
  path: string;
  title: string;
  body: Block[];
  excerpt?: string | undefined;
  values: { sidebar?: boolean | undefined; order?: number | undefined };
}) {
  const first = doc.body.find((block) => block.type === 'paragraph');
  return {
    path: doc.path.trim(),
    title: doc.title,
    excerpt: doc.excerpt ?? (first?.type === 'paragraph' ? first.text : ''),
    body: doc.body,
    sidebar: doc.values.sidebar ?? true,
    position: doc.values.order ?? null,
  };
}
type PageDoc = ReturnType<typeof toPage>;

/**
 * What the parser hands over: the document's structure. Each chrome section ("Over VSO Werkgevers",
 * "Participanten", "Uitgelicht") is null when the document does not have it, since a document may be
 * only an article; a section that is there must be complete. Other parts are null where not found.
 */
const RawDocument = v.object({
  /** The front matter (YAML between `---` lines at the very top) as YAML read it; undefined: none. */
  frontMatter: v.optional(FrontMatterObject),
  about: v.nullable(text('the "Over VSO Werkgevers" blurb')),
  participants: v.nullable(
    v.pipe(v.array(text('a participant name')), v.minLength(1, 'no participants under "Participanten"')),
  ),
  featured: v.nullable(
    v.object({ title: text('the featured title under "Uitgelicht"'), text: text('the featured blurb') }),
  ),
  title: text('the article title'),
  body: v.array(Block),
  source: v.nullable(text('the source after "Bron:"')),
  /** Every "Bron:" line of the article other than its source, which belongs just before the date. */
  otherSources: v.array(
    v.pipe(
      v.object({ text: v.string(), sourceLine: v.nullable(v.number()) }),
      v.rawCheck(({ dataset, addIssue }) => {
        if (!dataset.typed) return;
        const { sourceLine } = dataset.value;
        addIssue({
          message:
            sourceLine === null
              ? 'a "Bron:" line inside the article: the source belongs on its own line, just before the date'
              : `another "Bron:" line: the article's source is on line ${sourceLine}, and an article has one`,
        });
      }),
    ),
  ),
  posted: PostedDate,
  /** The "Eerdere URL:" lines: earlier addresses of the article that answer 301 to it. */
  aliases: Aliases,
});
export type RawDocumentInput = v.InferInput<typeof RawDocument>;

/** The site parts a document's chrome holds: null where it has none (the seed takes it elsewhere). */
type SiteCopy = {
  about: string | null;
  featured: { title: string; text: string } | null;
  participants: string[] | null;
};

/**
 * A valid document, split into what belongs to the site and what belongs to its article or page. A
 * document with a date is an article; one without a date that names its url is a page; one with
 * neither is refused, as a forgotten date always was.
 */
export type SourceDocument =
  | {
      kind: 'article';
      site: SiteCopy;
      article: ReturnType<typeof toArticle>;
      // Not part of the article's content: changing them changes no date (see the seed).
      publishing: { draft: boolean; aliases: string[] };
    }
  | { kind: 'page'; site: SiteCopy; page: PageDoc; publishing: { draft: boolean; aliases: string[] } };

/** `share_image: true` needs an image to share; null when there is one (or none is asked for). */
export function shareImageProblem(shareImage: boolean | undefined, body: Block[]): string | null {
  if (!shareImage || body.some((block) => block.type === 'image')) return null;
  return 'share_image: true, but the article has no image: add one, or leave share_image out for the generated card';
}

/** The path of an issue about one key of the front matter (either format). */
export const frontPath = (front: Record<string, unknown>, key: string) =>
  [
    { type: 'object', origin: 'value', input: {}, key: 'frontMatter', value: front },
    { type: 'object', origin: 'value', input: front, key, value: front[key] },
  ] as [v.ObjectPathItem, v.ObjectPathItem];

/** The kind a raw document will be: page text without a date that names its url is a page. */
const kindOf = (doc: { posted: string | null; frontMatter?: unknown }) =>
  doc.posted === null && (doc.frontMatter as { url?: unknown } | undefined)?.url !== undefined
    ? 'page'
    : 'article';

export const SourceDocument = v.pipe(
  RawDocument,
  // Checked even when other parts have problems, so that every problem is reported at once.
  v.forward(
    v.partialCheck(
      [['body'], ['posted'], ['frontMatter']],
      (doc) => bodyProblem(doc.body, kindOf(doc)) === null,
      (issue) => {
        const doc = issue.input as { body: Block[]; posted: string | null; frontMatter?: unknown };
        return bodyProblem(doc.body, kindOf(doc)) ?? '';
      },
    ),
    ['body'],
  ),
  v.rawTransform(({ dataset, addIssue, NEVER }): SourceDocument => {
    const doc = dataset.value;
    const front = (doc.frontMatter ?? {}) as FrontMatterValues & Record<string, unknown>;
    const { problems, address } = frontMatterProblems(front, 'text', doc.posted);
    for (const problem of problems)
      addIssue({ message: problem.message, path: frontPath(front, problem.key) });
    const postedPath = [{ type: 'object', origin: 'value', input: {}, key: 'posted', value: null }] as [
      v.ObjectPathItem,
    ];
    if (doc.posted === null && front.url === undefined) {
      addIssue({
        message: 'no date: expected a line "Geplaatst op <weekday> <day> <month> <year>"',
        path: postedPath,
      });
    }
    const body = bodyProblem(doc.body, kindOf(doc));
    const fromTitle = address?.kind === 'article' && address.slug === undefined;
    const titlePath = [{ type: 'object', origin: 'value', input: {}, key: 'title', value: doc.title }] as [
      v.ObjectPathItem,
    ];
    for (const message of titleProblems(doc.title, fromTitle)) addIssue({ message, path: titlePath });
    const share = address?.kind === 'article' ? shareImageProblem(front.share_image, doc.body) : null;
    if (share) addIssue({ message: share, path: frontPath(front, 'share_image') });
    if (problems.length > 0 || !address || body || share || dataset.issues) return NEVER;
    const site = { about: doc.about, featured: doc.featured, participants: doc.participants };
    const publishing = { draft: front.draft ?? false, aliases: [...doc.aliases, ...(front.aliases ?? [])] };
    if (address.kind === 'page') {
      const page = toPage({
        path: address.path,
        title: doc.title,
        body: doc.body,
        excerpt: front.excerpt,
        values: front,
      });
      return { kind: 'page', site, page, publishing };
    }
    const article = toArticle({
      title: doc.title,
      slug: address.slug,
      publishedAt: doc.posted as string,
      source: doc.source,
      excerpt: front.excerpt,
      body: doc.body,
      section: address.section,
      shareImage: front.share_image,
    });
    return { kind: 'article', site, article, publishing };
  }),
);

export type ArticleDoc = ReturnType<typeof toArticle>;

// --- the file itself ---------------------------------------------------------------------------------

/** An issue about one line of the file: its path holds the 1-based line number as its only key. */
const atLine = (line: number, lines: string[]) =>
  [{ type: 'unknown', origin: 'value', input: lines, key: line, value: lines[line - 1] }] as [
    v.UnknownPathItem,
  ];

/** Line of a byte offset, counting LF, CRLF and lone CR as line breaks (as the parser does). */
function lineAtByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) {
    if (bytes[i] === 0x0a || (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a)) line++;
  }
  return line;
}

/**
 * The problem of a document of `size` bytes, over DOCUMENT_MAX_BYTES, at the line that passes the
 * limit. `bytes` need hold only the first DOCUMENT_MAX_BYTES: the folder reader reads no more
 * (pipeline/content-files.ts), so `size` is the file's, not the length of `bytes`.
 */
export function tooLarge(bytes: Uint8Array, size: number): { line: number; message: string } {
  return {
    line: lineAtByte(bytes, DOCUMENT_MAX_BYTES),
    message: `the document is ${bytesLabel(size)} bytes; at most ${bytesLabel(DOCUMENT_MAX_BYTES)} (${DOCUMENT_MAX_BYTES / 1024} KiB) are read, and this line passes that`,
  };
}

const hex = (code: number, digits: number) => code.toString(16).toUpperCase().padStart(digits, '0');
const bytesLabel = (n: number) => n.toLocaleString('en');

/** The offset of the first byte of the first invalid UTF-8 sequence, decoding as the WHATWG Encoding
 * Standard does (TextDecoder with fatal: true): byte by byte in streaming mode, so that the decoder
 * itself says where the bytes stop making sense. */
function firstInvalidByte(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  for (let i = 0; i < bytes.length; i++) {
    try {
      decoder.decode(bytes.subarray(i, i + 1), { stream: true });
    } catch {
      // The sequence that failed began at the last lead byte (0xC0 and up) before this one, if the
      // bytes in between are continuation bytes (0x80–0xBF); otherwise this byte is the bad one.
      for (let k = i - 1; k >= Math.max(0, i - 3); k--) {
        const byte = bytes[k] ?? 0;
        if (byte >= 0xc0) return k;
        if (byte < 0x80) break;
      }
      return i;
    }
  }
  return bytes.length;
}

// Control characters (Unicode category Cc) other than tab and line feed; CR is a line break. Word
// writes U+000B for a manual line break, and U+0002/U+0003 are the search snippet's own markers.
// U+FFFD is where an earlier conversion lost a character.
// [^\P{Cc}\t\n] is "Cc, but not tab or LF": U+0000–U+0008, U+000B–U+001F, U+007F–U+009F.
const CONTROL = /[^\P{Cc}\t\n]/u;
const CONTROLS = /[^\P{Cc}\t\n]/gu;
const REPLACEMENT = /\uFFFD/;
const C0_NAMES =
  'NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US';
const controlName = (code: number) =>
  `U+${hex(code, 4)}${code < 0x20 ? ` (${C0_NAMES.split(' ')[code]})` : code === 0x7f ? ' (DEL)' : ''}`;

/**
 * A source document as it was read: bytes of UTF-8 (or text already decoded), at most
 * DOCUMENT_MAX_BYTES. A UTF-8 byte order mark, which Windows editors write, is accepted and dropped;
 * any other encoding is refused rather than guessed at (Latin-1 and Windows-1252 bytes are valid in
 * neither). CRLF and lone CR line endings become LF. Control characters other than tab are refused
 * at their line, as is U+FFFD. The output is the text the parser reads.
 */
export const DocumentText = v.pipe(
  v.union([v.string(), v.instance(Uint8Array)], 'a document is text or bytes'),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const input = dataset.value;
    const size = typeof input === 'string' ? new TextEncoder().encode(input).byteLength : input.byteLength;
    if (size > DOCUMENT_MAX_BYTES) {
      const problem = tooLarge(typeof input === 'string' ? new TextEncoder().encode(input) : input, size);
      addIssue({ message: problem.message, path: atLine(problem.line, []) });
      return NEVER;
    }
    let text: string;
    if (typeof input === 'string') {
      text = input.replace(/^\uFEFF/, '');
    } else {
      try {
        // ignoreBOM false (the default): a leading UTF-8 byte order mark is consumed, not kept.
        text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(input);
      } catch {
        const offset = firstInvalidByte(input);
        addIssue({
          message: `not valid UTF-8 (byte 0x${hex(input[offset] ?? 0, 2)}): save the document as UTF-8; other encodings such as Latin-1 or Windows-1252 are not read`,
          path: atLine(lineAtByte(input, offset), []),
        });
        return NEVER;
      }
    }
    text = text.replace(/\r\n?/g, '\n');
    // Line by line only when there is something to report.
    if (!CONTROL.test(text) && !REPLACEMENT.test(text)) return text;
    const lines = text.split('\n');
    lines.forEach((line, index) => {
      const controls = [...new Set(line.match(CONTROLS) ?? [])];
      if (controls.length > 0) {
        const column = [...line].findIndex((c) => CONTROL.test(c)) + 1;
        addIssue({
          message: `control character${controls.length > 1 ? 's' : ''} ${controls.map((c) => controlName(c.charCodeAt(0))).join(', ')} at column ${column}: only tabs and line breaks may be in a document`,
          path: atLine(index + 1, lines),
        });
      }
      if (REPLACEMENT.test(line)) {
        const column = [...line].indexOf('\uFFFD') + 1;
        addIssue({
          message: `replacement character U+FFFD at column ${column}: a character was lost when the text was converted; restore it from the original`,
          path: atLine(index + 1, lines),
        });
      }
    });
    return text;
  }),
);
