/**
 * Reading the content folder: the source documents and the site document, as bytes.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SITE_DOCUMENT } from '../schema/site-document.ts';
import type { Progress } from './seed-database.ts';

/** Source files read at the same time (readDocuments). */
const READ_CONCURRENCY = 32;

/**
 * Reads every `*.txt` and `*.md` in a folder, and its site document (site.yaml) if it has one,
 * sorted by name, as `{file, bytes}` with paths as given. Bytes, not
 * text: Node's 'utf8' decoding would turn every invalid byte into U+FFFD without a word, and the
 * document contract must see them to refuse the file (schema/document.ts, DocumentText).
 */
export async function readDocuments(
  dir: string,
  progress?: Progress,
): Promise<{ file: string; bytes: Uint8Array }[]> {
  const names = (await readdir(dir))
    .filter((name) => name.endsWith('.txt') || name.endsWith('.md') || name === SITE_DOCUMENT)
    .sort();
  const out: { file: string; bytes: Uint8Array }[] = new Array(names.length);
  // Several files in flight: one at a time, each file's open, stat, read and close wait on libuv's
  // thread pool in turn (2.6 s for 10,000 documents, most of a one-change publish); a bounded
  // number keeps the pool busy without holding thousands of files open.
  let next = 0;
  let done = 0;
  const reader = async () => {
    for (let i = next++; i < names.length; i = next++) {
      const file = join(dir, names[i] as string);
      out[i] = { file, bytes: await readFile(file) };
      progress?.('read', ++done, names.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, names.length) }, reader));
  return out;
}
