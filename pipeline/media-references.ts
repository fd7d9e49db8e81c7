/**
 * The media a folder's documents name, found among the folder's files: the set-level step after both
 * parsers (which never touch the file system). An image block or a download run must name a file
 * beside the document, or it is a problem at its line. In page text a download is a file name in the
 * running text ("Download bijlage: cijfers-gemeenten.pdf"): the longest run of words before a
 * download extension that names a file becomes a run that links to it. docs/media.md.
 */
import { basename } from 'node:path';
import type { Block, Segment } from '../schema/blocks.ts';
import { mediaKind } from './media-types.ts';
import type { DocumentProblem, ParsedFile } from './parse-result.ts';

/** One file a document names, at the line that names it. */
export interface MediaReference {
  /** The file's name in the content folder. */
  name: string;
  file: string;
  line: number;
}

export interface ResolvedMedia<T extends ParsedFile> {
  items: T[];
  references: MediaReference[];
  problems: DocumentProblem[];
  /** Images in page text without alt text: said, not refused. */
  notices: DocumentProblem[];
}

/** A word ending in a download's extension, not inside a URL, an address or a longer word. */
const DOWNLOAD = /(?<![\w/@.-])[^\s/@]*\.(?:pdf|docx|xlsx|pptx|doc|xls|odt|ods|odp|csv)(?![\w-])/gi;

const bodyOf = (item: ParsedFile) =>
  item.document.kind === 'article' ? item.document.article.body : item.document.page.body;

/** The line of an offset in a block's text: each "\n" is the next line of the file. */
const lineAt = (start: number, text: string, offset: number) =>
  start + (text.slice(0, offset).match(/\n/g)?.length ?? 0);

/**
 * Every document's images and downloads checked against `names` (the file names in the folder);
 * page text's file names made into download runs. Documents are returned as new objects.
 */
export function resolveMedia<T extends ParsedFile>(items: T[], names: ReadonlySet<string>): ResolvedMedia<T> {
  const out: ResolvedMedia<T> = { items: [], references: [], problems: [], notices: [] };
  for (const item of items) {
    const file = item.file;
    const pageText = !file.endsWith('.md');
    const refer = (name: string, line: number, what: string) => {
      if (names.has(name)) {
        const kind = mediaKind(name);
        if (kind.kind === 'refused') out.problems.push({ file, line, message: kind.problem });
        else if (what === 'image' && kind.kind !== 'image') {
          out.problems.push({ file, line, message: `${name} is not an image: link to it as a download` });
        } else out.references.push({ name, file, line });
      } else {
        out.problems.push({
          file,
          line,
          message: `the ${what} ${name} is not beside the document: no file in ${basename(file) === file ? 'the folder' : 'its folder'} has that name`,
        });
      }
    };
    const body = bodyOf(item).map((block, index): Block => {
      const line = item.blockLines?.[index] ?? item.titleLine;
      if (block.type === 'image') {
        refer(block.src, line, 'image');
        if (block.alt === '' && !block.decorative) {
          out.notices.push({
            file,
            line,
            message: `the image ${block.src} has no alt text: write "${block.src} | what it shows", or "${block.src} | -" for decoration`,
          });
        }
        return block;
      }
      if (block.type === 'heading') return block;
      if (pageText) return linkDownloads(block, line, names, refer);
      const runs = block.type === 'list' ? (block.inline ?? []).flat() : (block.inline ?? []);
      for (const run of runs) if (run.file !== undefined) refer(run.file, line, 'download');
      return block;
    });
    const document =
      item.document.kind === 'article'
        ? { ...item.document, article: { ...item.document.article, body } }
        : { ...item.document, page: { ...item.document.page, body } };
    out.items.push({ ...item, document } as T);
  }
  return out;
}

type Refer = (name: string, line: number, what: string) => void;

/** A page-text paragraph or list with every download name it holds as a run linking to the file. */
function linkDownloads(
  block: Extract<Block, { type: 'paragraph' | 'list' }>,
  line: number,
  names: ReadonlySet<string>,
  refer: Refer,
): Block {
  if (block.type === 'paragraph') {
    const runs = downloadRuns(block.text, line, names, refer);
    return runs ? { ...block, inline: runs } : block;
  }
  const items = block.items.map((item, i) => downloadRuns(item, line + i, names, refer));
  if (items.every((runs) => runs === null)) return block;
  return { ...block, inline: items.map((runs, i) => runs ?? [{ text: block.items[i] as string }]) };
}

/** The runs of a text with its download names linked; null when it names none. */
function downloadRuns(
  text: string,
  line: number,
  names: ReadonlySet<string>,
  refer: Refer,
): Segment[] | null {
  const runs: Segment[] = [];
  let done = 0;
  for (const match of text.matchAll(DOWNLOAD)) {
    const end = match.index + match[0].length;
    // The longest name that ends here: a name may hold spaces ("Titel van het stuk 2003.pdf").
    const lineStart = text.lastIndexOf('\n', match.index) + 1;
    let start = match.index;
    for (let from = Math.max(lineStart, done); from < match.index; from++) {
      const before = text[from - 1];
      if (
        (from === lineStart || before === ' ' || before === ':') &&
        names.has(text.slice(from, end).trim())
      ) {
        start = from + (text.slice(from, end).length - text.slice(from, end).trimStart().length);
        break;
      }
    }
    const name = text.slice(start, end);
    refer(name, lineAt(line, text, match.index), 'download');
    if (start > done) runs.push({ text: text.slice(done, start) });
    runs.push({ text: name, file: name });
    done = end;
  }
  if (runs.length === 0) return null;
  if (done < text.length) runs.push({ text: text.slice(done) });
  return runs;
}
