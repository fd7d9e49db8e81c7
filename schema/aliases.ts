import * as v from 'valibot';
import { DEFAULT_SECTION, isReservedPath } from './addresses.ts';
import { listedOnce } from './listed-once.ts';

/**
 * An earlier address of an article that an editor lists (Markdown `aliases`, a .txt "Eerdere URL:"
 * line), e.g. its URL on the original site: a path, or an http(s) URL whose path is kept (the host of
 * the original site may differ from this one's). The Worker answers it with a 301 to the article.
 */

/** The most aliases one article may list, and the longest path: both keep the lookup table small. */
const MAX_ALIASES = 50;
const ALIAS_MAX_LENGTH = 500;

/**
 * Paths the site answers itself, where an alias would never be reached (or would hide a page): the
 * fixed pages and routes (isReservedPath) and the default news list. An old article path under
 * /banenafspraak/nieuws/…/… is allowed: the article route hands a slug it does not know to the aliases.
 */
const isReserved = (path: string) => path === DEFAULT_SECTION || isReservedPath(path);

/**
 * The path of an alias as the Worker compares it: as the URL parser writes it (percent-encoded, dot
 * segments resolved), without a trailing slash (the site redirects those first). Null when the text
 * is no path or http(s) URL, or has a query or fragment (only the path is redirected).
 */
export function aliasPath(input: string): { path: string } | { problem: string } {
  const text = input.trim();
  if (!text.startsWith('/') && !/^https?:\/\//i.test(text)) {
    return { problem: `the earlier URL "${input}" is neither a path (/…) nor an http(s) URL` };
  }
  if (text.startsWith('//')) return { problem: `the earlier URL "${input}" names a host without a scheme` };
  let url: URL;
  try {
    url = new URL(text, 'https://alias.invalid');
  } catch {
    return { problem: `the earlier URL "${input}" is not a valid URL` };
  }
  if (url.search || url.hash || text.includes('?') || text.includes('#')) {
    return { problem: `the earlier URL "${input}" has a query or fragment: only its path can be redirected` };
  }
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (path.length > ALIAS_MAX_LENGTH) {
    return {
      problem: `the earlier URL is ${path.length} characters long; at most ${ALIAS_MAX_LENGTH} are allowed`,
    };
  }
  if (isReserved(path)) return { problem: `the earlier URL ${path} is a page of this site itself` };
  return { path };
}

/** One alias as the contract checks it: its text in, its normalised path out. */
const Alias = v.pipe(
  v.string('an earlier URL must be text'),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const result = aliasPath(dataset.value);
    if ('problem' in result) {
      addIssue({ message: result.problem });
      return NEVER;
    }
    return result.path;
  }),
);

/** The aliases of one article: at most MAX_ALIASES, none twice. */
export const Aliases = v.pipe(
  v.array(Alias),
  v.maxLength(MAX_ALIASES, `an article may list at most ${MAX_ALIASES} earlier URLs`),
  listedOnce((path) => `the earlier URL ${path} is listed twice`),
);
