import * as v from 'valibot';
import { type Block, type RawDocumentInput, SourceDocument } from '../schema/document.ts';
import { readFrontMatter } from './front-matter-source.ts';
import { decodeDocument, type ParseResult } from './parse-result.ts';

export type { DocumentInput, DocumentProblem, ParseResult } from './parse-result.ts';

interface Line {
  text: string;
  no: number;
}

const ABOUT = 'over vso werkgevers';
const PARTICIPANTS = 'participanten';
const FEATURED = 'uitgelicht';
const READ_MORE_ABOUT = /Lees verder\.?$/;
const READ_MORE_FEATURED = /Lees verder\s*»$/;

/**
 * `text` without its trailing "Lees verder" and the spaces before it. (As one expression with a
 * leading `\s*`, the spaces were tried at every position of the text: a tenth of parsing.)
 */
function withoutReadMore(text: string, readMore: RegExp): string {
  const match = readMore.exec(text);
  return match ? text.slice(0, match.index).trimEnd() : text;
}
const POSTED = /^Geplaatst op\b/i;
const TRAILER = /^(Deel dit artikel|Ga naar\.\.\.)$/i;
const SOURCE = /^Bron:\s*(.*)$/;
/** An earlier address of the article, anywhere in it: `Eerdere URL: /pad` or a full URL. */
const ALIAS = /^Eerdere URL:\s*(.*)$/i;
const BULLET = /^(?:•\s*|[-*]\s+)/;
const AGENDA = 'agenda';

/**
 * Blocks are runs of non-blank lines; a line holding only (no-break) spaces is blank. Also the
 * number of lines. The text is decoded (decodeDocument): its line breaks are all LF.
 */
function splitBlocks(text: string): { blocks: Line[][]; lines: number } {
  const blocks: Line[][] = [];
  let current: Line[] = [];
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  lines.forEach((raw, index) => {
    // Scraped text: trailing spaces, lines of only a space, and double spaces inside a line are
    // how the old pages were typed, not meaning; a tab may still separate columns.
    const trimmed = raw.trim();
    const line = trimmed.includes('  ') ? trimmed.replace(/ {2,}/g, ' ') : trimmed;
    if (line === '') {
      if (current.length > 0) blocks.push(current);
      current = [];
    } else {
      current.push({ text: line, no: index + 1 });
    }
  });
  if (current.length > 0) blocks.push(current);
  return { blocks, lines: lines.length };
}

const blockText = (block: Line[]) => block.map((line) => line.text).join('\n');
// Only a line of the marker's length is lowercased to compare: every block is tried for each marker.
const isMarker = (block: Line[] | undefined, marker: string) =>
  block?.length === 1 && block[0]?.text.length === marker.length && block[0].text.toLowerCase() === marker;

/** A numbered list item: one to three digits, then "." or ")" and a space, as in "1. " or "2) ". */
const NUMBERED = /^\d{1,3}[.)]\s+(?=\S)/;

type LineKind = 'bullet' | 'numbered' | 'text';
const kindOf = (line: Line): LineKind =>
  BULLET.test(line.text) ? 'bullet' : NUMBERED.test(line.text) ? 'numbered' : 'text';

/**
 * The heading rule of the contract: a block whose first line is at most 80 characters, is not a list
 * item, does not end in . ! : ; and is followed by a single line break is a heading followed by a
 * paragraph (a question such as "Wat betekent dit?" is a heading). Consecutive lines starting with a
 * bullet form a bullet list, consecutive lines starting with a number ("1. ", "2) ") a numbered list;
 * other runs of lines are paragraphs (their line breaks kept).
 */
function toBlocks(lines: Line[]): { block: Block; line: number }[] {
  const out: { block: Block; line: number }[] = [];
  let rest = lines;
  const first = lines[0];
  if (
    first &&
    lines.length >= 2 &&
    kindOf(first) === 'text' &&
    [...first.text].length <= 80 &&
    !/[.!:;]$/.test(first.text)
  ) {
    out.push({ block: { type: 'heading', text: first.text }, line: first.no });
    rest = lines.slice(1);
  }
  let i = 0;
  while (i < rest.length) {
    const start = rest[i] as Line;
    const kind = kindOf(start);
    const run: Line[] = [];
    while (i < rest.length && kindOf(rest[i] as Line) === kind) run.push(rest[i++] as Line);
    const marker = kind === 'bullet' ? BULLET : NUMBERED;
    out.push({
      block:
        kind === 'text'
          ? { type: 'paragraph', text: blockText(run) }
          : {
              type: 'list',
              ordered: kind === 'numbered',
              items: run.map((line) => line.text.replace(marker, '').trim()),
            },
      line: start.no,
    });
  }
  return out;
}

/**
 * A line that is only the file name of an image beside the document, with its alt text after a "|":
 * `naam met spaties.jpg | Wat de foto laat zien`, or `| -` for an image that is only decoration. The
 * old pages had such lines without alt text: still an image (the seed prints a notice).
 */
const IMAGE_LINE = /^([^|/\\]*[^|/\\\s]\.(?:jpe?g|png|webp|avif|gif))(?:\s*\|\s*(.*))?$/i;

/** A block's lines as blocks, each image line an image block of its own and the text around it split. */
function withImages(lines: Line[]): { block: Block; line: number }[] {
  const out: { block: Block; line: number }[] = [];
  let run: Line[] = [];
  const flush = () => {
    if (run.length > 0) out.push(...toBlocks(run));
    run = [];
  };
  for (const line of lines) {
    const match = IMAGE_LINE.exec(line.text);
    if (!match) {
      run.push(line);
      continue;
    }
    flush();
    const src = (match[1] ?? '').trim();
    const alt = (match[2] ?? '').trim();
    const block: Block =
      alt === '-' ? { type: 'image', src, alt: '', decorative: true } : { type: 'image', src, alt };
    out.push({ block, line: line.no });
  }
  flush();
  return out;
}

/**
 * Parses one source document: page chrome, "Over VSO Werkgevers", "Participanten", "Uitgelicht",
 * then the article up to "Geplaatst op …", then "Deel dit artikel" / "Ga naar...". The parser only
 * finds structure; the valibot contract in schema/document.ts judges it, and every issue it raises
 * is mapped back to the line it is about.
 */
export function parseDocument(input: string | Uint8Array, file: string): ParseResult {
  // First the file itself (size, encoding, control characters).
  const decoded = decodeDocument(input, file);
  if (!decoded.ok) return decoded;
  // Then the front matter, if the text starts with one: its lines are blanked, not removed.
  const front = readFrontMatter(decoded.text, file);
  if (front.problems.length > 0) return { ok: false, problems: front.problems };
  const text = front.rest;
  const { blocks, lines: lineCount } = splitBlocks(text);
  const lastLine = Math.max(1, lineCount);
  const lineOf = (block: Line[] | undefined, fallback: number) => block?.[0]?.no ?? fallback;
  const find = (marker: string, from: number) => {
    const index = blocks.findIndex((block, i) => i >= from && isMarker(block, marker));
    return index < 0 ? null : index;
  };

  const about = find(ABOUT, 0);
  const participants = find(PARTICIPANTS, about ?? 0);
  const featured = find(FEATURED, participants ?? about ?? 0);

  // Every section before the article is optional: a document may be only an article. Each section
  // that is there is read as the scraped page has it, and the article starts after the last of them.
  let articleStart = 0;

  // "Over VSO Werkgevers": the blurb runs up to "Participanten" (or is one block without it). A
  // marker without a blurb is `undefined`, which the contract reports as a missing blurb.
  let aboutText: string | null | undefined = null;
  if (about !== null) {
    const end = Math.min(blocks.length, participants ?? about + 2);
    const parts = blocks.slice(about + 1, end).map(blockText);
    aboutText = parts.length > 0 ? withoutReadMore(parts.join('\n\n'), READ_MORE_ABOUT) : undefined;
    articleStart = end;
  }

  // "Participanten": each name appears twice (logo text and caption); keep the first of each. The list
  // runs up to "Uitgelicht"; without it, for as long as single-line blocks come in such pairs.
  let names: string[] | null = null;
  if (participants !== null) {
    let end = featured ?? participants + 1;
    if (featured === null) {
      const single = (i: number) => (blocks[i]?.length === 1 ? blocks[i]?.[0]?.text : undefined);
      while (single(end) !== undefined && single(end) === single(end + 1)) end += 2;
    }
    const unique = new Set<string>();
    for (const block of blocks.slice(participants + 1, end)) {
      for (const line of block) unique.add(line.text);
    }
    names = [...unique];
    articleStart = end;
  }

  // "Uitgelicht": a title, then the blurb up to and including the block ending in "Lees verder »".
  let featuredDoc: RawDocumentInput['featured'] = null;
  if (featured !== null) {
    const title = blocks[featured + 1];
    let end = blocks.findIndex((block, i) => i > featured + 1 && READ_MORE_FEATURED.test(blockText(block)));
    if (end < 0) end = featured + 2;
    const blurb = blocks.slice(featured + 2, end + 1).map(blockText);
    featuredDoc = {
      title: title ? blockText(title) : (null as unknown as string),
      text:
        blurb.length > 0
          ? withoutReadMore(blurb.join('\n\n'), READ_MORE_FEATURED)
          : (null as unknown as string),
    };
    articleStart = Math.min(blocks.length, end + 1);
  }

  // The article: from after the featured blurb to the last "Geplaatst op" line (or the trailer).
  let posted: number | null = null;
  for (let i = blocks.length - 1; i >= articleStart; i--) {
    if (POSTED.test(blocks[i]?.[0]?.text ?? '')) {
      posted = i;
      break;
    }
  }
  let end = posted;
  if (end === null) {
    const trailer = blocks.findIndex((block, i) => i >= articleStart && TRAILER.test(blockText(block)));
    end = trailer < 0 ? blocks.length : trailer;
  }
  const postedLine = lineOf(blocks[end], lastLine);
  // A page (no date) of the old site may start with a lone "Agenda": a link of its menu, not its title.
  if (posted === null && isMarker(blocks[articleStart], AGENDA) && end - articleStart > 1) articleStart++;
  const article = blocks.slice(articleStart, end);

  const titleBlock = article[0];
  const title = titleBlock?.[0] ?? null;
  const articleLines: Line[][] = [];
  if (titleBlock && titleBlock.length > 1) articleLines.push(titleBlock.slice(1));
  articleLines.push(...article.slice(1));

  // "Eerdere URL:" lines are not text of the article: taken out wherever they are.
  const aliases: Line[] = [];
  const bodyLines = articleLines
    .map((block) =>
      block.filter((line) => {
        if (!ALIAS.test(line.text)) return true;
        aliases.push(line);
        return false;
      }),
    )
    .filter((block) => block.length > 0);

  // An optional "Bron: …" line, the last block before the date.
  let source: string | null = null;
  let sourceLine = postedLine;
  const last = bodyLines[bodyLines.length - 1];
  const sourceMatch = last?.length === 1 ? SOURCE.exec(last[0]?.text ?? '') : null;
  if (last && sourceMatch) {
    source = (sourceMatch[1] ?? '').trim();
    sourceLine = lineOf(last, postedLine);
    bodyLines.pop();
  }

  // Every other "Bron:" line is a problem at its line; a final block of several is the source and
  // its repeats.
  const otherSources: { text: string; line: number }[] = [];
  if (source === null && last && last.length > 1 && last.every((line) => SOURCE.test(line.text))) {
    const [first, ...rest] = last;
    source = (SOURCE.exec(first?.text ?? '')?.[1] ?? '').trim();
    sourceLine = first?.no ?? postedLine;
    otherSources.push(...rest.map((line) => ({ text: line.text, line: line.no })));
    bodyLines.pop();
  }
  for (const block of bodyLines) {
    for (const line of block)
      if (SOURCE.test(line.text)) otherSources.push({ text: line.text, line: line.no });
  }
  otherSources.sort((a, b) => a.line - b.line);

  const body = bodyLines.flatMap(withImages);
  const raw = {
    frontMatter: front.value,
    about: aboutText as string | null,
    participants: names,
    featured: featuredDoc,
    title: title?.text ?? null,
    body: body.map((b) => b.block),
    source,
    otherSources: otherSources.map((other) => ({
      text: other.text,
      sourceLine: source === null ? null : sourceLine,
    })),
    posted: posted === null ? null : blockText(blocks[posted] ?? []),
    aliases: aliases.map((line) => (ALIAS.exec(line.text)?.[1] ?? '').trim()),
  };
  const lines: Record<keyof typeof raw, number> = {
    frontMatter: 1,
    about: lineOf(about === null ? undefined : blocks[about], 1),
    participants: lineOf(participants === null ? undefined : blocks[participants], 1),
    featured: lineOf(featured === null ? undefined : blocks[featured], 1),
    title: title?.no ?? postedLine,
    body: title?.no ?? postedLine,
    source: sourceLine,
    otherSources: otherSources[0]?.line ?? sourceLine,
    posted: postedLine,
    aliases: aliases[0]?.no ?? postedLine,
  };

  const result = v.safeParse(SourceDocument, raw);
  const frontValue = front.value as { aliases?: unknown } | undefined;
  const frontAliases = Array.isArray(frontValue?.aliases) ? frontValue.aliases : [];
  if (result.success) {
    const siteLines = { about: lines.about, participants: lines.participants, featured: lines.featured };
    const aliasLines = [
      ...aliases.map((line) => line.no),
      ...frontAliases.map((_, index) => front.lines.get(`aliases.${index}`) ?? 1),
    ];
    const frontLines = Object.fromEntries(front.lines);
    return {
      ok: true,
      parsed: {
        file,
        document: result.output,
        titleLine: lines.title,
        siteLines,
        aliasLines,
        frontLines,
        blockLines: body.map((b) => b.line),
      },
    };
  }
  const problems = result.issues.map((issue) => {
    const [key, index, sub] = (issue.path ?? []).map((item) => item.key);
    let line = lines[key as keyof typeof raw] ?? 1;
    if (key === 'frontMatter' && index !== undefined) {
      line =
        front.lines.get(sub === undefined ? String(index) : `${String(index)}.${String(sub)}`) ??
        front.lines.get(String(index)) ??
        1;
    }
    if (key === 'body' && typeof index === 'number') line = body[index]?.line ?? line;
    if (key === 'otherSources' && typeof index === 'number') line = otherSources[index]?.line ?? line;
    if (key === 'aliases' && typeof index === 'number') line = aliases[index]?.no ?? line;
    return { file, line, message: issue.message };
  });
  return { ok: false, problems };
}
