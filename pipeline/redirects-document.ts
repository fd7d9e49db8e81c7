import { aliasPath } from '../schema/aliases.ts';
import type { DocumentProblem } from './parse-result.ts';
import { readYamlMapping } from './yaml-source.ts';

/**
 * redirects.yaml: addresses that no document owns any more (a merged or removed page, an old menu
 * link), each sent to a path of this site with a 301. One `old: new` line each:
 *
 *     /organisatie/oud-adres/: /organisatie/achtergrond/
 *
 * The old address is compared as the site compares every address (without its trailing slash), so
 * both of its forms are redirected. Whether the new one answers, and that no redirect leads to
 * another, is checked with the documents (pipeline/site-addresses.ts).
 */

/** The file name of the redirects document in a content folder. */
export const REDIRECTS_DOCUMENT = 'redirects.yaml';

/** The most redirects the file may hold: the Worker keeps them all in memory per isolate. */
const MAX_REDIRECTS = 5000;

export interface Redirect {
  /** The old address as the site compares it (schema/aliases.ts, aliasPath). */
  from: string;
  /** A path of this site, as written. */
  to: string;
  line: number;
}

export type RedirectsResult =
  | { ok: true; redirects: Redirect[]; file: string }
  | { ok: false; problems: DocumentProblem[] };

export function parseRedirectsDocument(input: string | Uint8Array, file: string): RedirectsResult {
  const read = readYamlMapping(
    input,
    file,
    'redirects.yaml must be "old address: new address" lines, e.g. /oud/: /nieuw/',
  );
  if (!read.ok) return read;
  const { value, yaml } = read;
  const problems: DocumentProblem[] = [];
  const redirects: Redirect[] = [];
  const seen = new Map<string, number>();
  const entries = Object.entries(value);
  if (entries.length > MAX_REDIRECTS) {
    problems.push({
      file,
      line: 1,
      message: `at most ${MAX_REDIRECTS} redirects; this file has ${entries.length}`,
    });
  }
  for (const [from, to] of entries) {
    const line = yaml.lineOf([from], true);
    const old = aliasPath(from);
    if ('problem' in old) {
      problems.push({ file, line, message: old.problem.replace('the earlier URL', 'the old address') });
      continue;
    }
    if (
      typeof to !== 'string' ||
      !to.trim().startsWith('/') ||
      to.trim().startsWith('//') ||
      /[?#\s]/.test(to.trim())
    ) {
      problems.push({
        file,
        line,
        message: `the new address of ${from} must be a path of this site, starting with one "/" (no host, query or spaces)`,
      });
      continue;
    }
    const first = seen.get(old.path);
    if (first !== undefined) {
      problems.push({ file, line, message: `${from} is the same address as the one on line ${first}` });
      continue;
    }
    seen.set(old.path, line);
    redirects.push({ from: old.path, to: to.trim(), line });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, redirects, file };
}
