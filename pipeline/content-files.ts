/**
 * Reading the content folder: the source documents, the site document and the glossary, as bytes.
 * Everything the pipeline reads from the folder comes through `readContentFile`, which reads only
 * regular files whose real path stays inside the folder, and at most the size limit and one byte
 * more. A symbolic link to a file outside (an SSH key, /etc/passwd) would otherwise be published
 * once it parses; a link to /dev/zero read gigabytes before the size check ran; and a FIFO blocked
 * the seed (and with it every later save under `npm start`) forever.
 */
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  realpathSync,
  type Stats,
} from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { DOCUMENT_MAX_BYTES, tooLarge } from '../schema/document.ts';
import { SITE_DOCUMENT } from '../schema/site-document.ts';
import type { DocumentInput } from './parse-result.ts';
import { REDIRECTS_DOCUMENT } from './redirects-document.ts';
import type { Progress } from './seed-database.ts';

/**
 * O_NOFOLLOW: a name swapped for a symbolic link between the lstat and the open fails (ELOOP)
 * instead of opening the target. O_NONBLOCK: a FIFO swapped in at that moment opens at once
 * (opening one for reading otherwise waits for a writer) and is then refused by its fstat; regular
 * files ignore the flag. Windows has neither flag (and no FIFOs to block on).
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** A file of the content folder: its bytes (at most `maxBytes` + 1) and its size, or why it was not read. */
export type ContentFileRead = { bytes: Uint8Array; size: number } | { refused: string };

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code;

/**
 * Reads `name` in `dir`: null when there is no such file. Only a regular file is read, never a
 * directory, FIFO, device or socket (each is refused before it is opened, by lstat, and again by
 * fstat on the handle). A symbolic link is read only when its real path is a regular file inside
 * the folder: git stores symbolic links, so a repository may hold one (a second name for a
 * document, a site document kept beside others), and one that stays inside reads nothing the
 * folder does not hold already. One that leads outside is refused, wherever it points. (The link
 * is resolved, then its target opened: someone who can swap folders inside the content folder
 * between the two could still lead it outside, but can write the documents anyway.)
 *
 * With synchronous calls: each asynchronous one is a trip through libuv's thread pool and a
 * promise, and the six of each file made reading 10,000 documents cost 1.2–1.7 s of CPU, against
 * 0.2–0.3 s this way. None of them can block: the open does not wait for a FIFO's writer.
 */
function readContentFileNow(dir: string, name: string, maxBytes: number): ContentFileRead | null {
  let path = join(dir, name);
  let info: Stats;
  try {
    info = lstatSync(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw error;
  }
  if (info.isSymbolicLink()) {
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      return { refused: 'a symbolic link that leads to no file' };
    }
    if (!real.startsWith(`${realpathSync(dir)}${sep}`))
      return { refused: 'links outside the content folder' };
    path = real;
    info = lstatSync(path);
  }
  if (!info.isFile()) return { refused: 'not a regular file' };
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (error) {
    // Replaced by a symbolic link since the lstat.
    if (errorCode(error) === 'ELOOP') return { refused: 'not a regular file' };
    throw error;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { refused: 'not a regular file' };
    // One byte more than the limit says the file is over it, whatever its size; a file that grew
    // since the fstat is read only up to that too.
    const buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    while (length < buffer.length) {
      const bytesRead = readSync(fd, buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return { bytes: buffer.subarray(0, length), size: Math.max(stat.size, length) };
  } finally {
    closeSync(fd);
  }
}

/** readContentFileNow, for callers that read a file or two among other asynchronous work. */
export async function readContentFile(
  dir: string,
  name: string,
  maxBytes: number,
): Promise<ContentFileRead | null> {
  return readContentFileNow(dir, name, maxBytes);
}

/** Whether a name in the folder is one of its documents (readDocuments reads those). */
const isDocumentName = (name: string) =>
  name.endsWith('.txt') || name.endsWith('.md') || name === SITE_DOCUMENT || name === REDIRECTS_DOCUMENT;

/**
 * The names of the folder's other files, which documents may name as images and downloads: names
 * only (each is read with readContentFile, and refused there if it is no regular file inside).
 */
export async function readMediaNames(dir: string): Promise<Set<string>> {
  return new Set((await readdir(dir)).filter((name) => !isDocumentName(name) && !name.startsWith('.')));
}

/**
 * Reads every `*.txt` and `*.md` in a folder, and its site document (site.yaml) if it has one,
 * sorted by name, as `{file, bytes}` with paths as given; a name that is not a readable regular file
 * (see readContentFile) or is over DOCUMENT_MAX_BYTES is `{file, problem}`, one problem at its name.
 * Bytes, not text: Node's 'utf8' decoding would turn every invalid byte into U+FFFD without a word,
 * and the document contract must see them to refuse the file (schema/document.ts, DocumentText).
 */
export async function readDocuments(dir: string, progress?: Progress): Promise<DocumentInput[]> {
  const names = (await readdir(dir)).filter(isDocumentName).sort();
  const out: DocumentInput[] = [];
  for (const [i, name] of names.entries()) {
    const file = join(dir, name);
    const read = readContentFileNow(dir, name, DOCUMENT_MAX_BYTES);
    progress?.('read', i + 1, names.length);
    // Gone since the readdir (an editor's save renames over it): not part of the folder now.
    if (!read) continue;
    out.push(
      'refused' in read
        ? { file, problem: { line: 1, message: read.refused } }
        : read.size > DOCUMENT_MAX_BYTES
          ? { file, problem: tooLarge(read.bytes, read.size) }
          : { file, bytes: read.bytes },
    );
  }
  return out;
}
