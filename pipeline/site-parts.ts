import { basename } from 'node:path';
import type { SitePart } from '../schema/site-document.ts';
import type { ParsedArticle as ParsedFile } from './parse-result.ts';
import type { ParsedSite } from './site-document.ts';

type SiteParts = ParsedSite['parts'];

/** How each part is named where it is: the section marker in a document, the key in site.yaml. */
const SECTION: Record<SitePart, string> = {
  about: 'Over VSO Werkgevers',
  featured: 'Uitgelicht',
  participants: 'Participanten',
};

/** One document's copy of a part. */
interface Copy<K extends SitePart> {
  value: NonNullable<SiteParts[K]>;
  at: string;
  file: string;
}

/** Participants compare as sets: the site lists them alphabetically, and the scraped sidebars show
 * the same logos in a rotating order. */
const sameKey = <K extends SitePart>(part: K, value: NonNullable<SiteParts[K]>) =>
  JSON.stringify(part === 'participants' ? [...(value as string[])].sort() : value);

/** Whether two copies of a part hold the same, as written (a text, a title and blurb, a list). */
const sameCopy = (a: unknown, b: unknown): boolean =>
  a === b ||
  (typeof a === 'object' &&
    typeof b === 'object' &&
    a !== null &&
    b !== null &&
    Object.keys(a).length === Object.keys(b).length &&
    Object.entries(a).every(([key, value]) => (b as Record<string, unknown>)[key] === value));

/**
 * sameKey of each copy in turn. Most copies are the copy before them again (every document of the
 * scraped site has the same sidebar): that one's key is reused, where a sort and a JSON text per copy
 * took a tenth of the seed of one change among 10,000 documents.
 */
function keysOf<K extends SitePart>(part: K): (value: NonNullable<SiteParts[K]>) => string {
  let last: { value: NonNullable<SiteParts[K]>; key: string } | null = null;
  return (value) => {
    if (!last || !sameCopy(last.value, value)) last = { value, key: sameKey(part, value) };
    return last.key;
  };
}

const list = (names: string[]) =>
  names.length <= 4 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;

/** What a copy of the participants lacks and adds, compared with the list the site uses. */
function participantsDiff(copy: string[], used: string[]): string {
  const lacks = used.filter((name) => !copy.includes(name));
  const adds = copy.filter((name) => !used.includes(name));
  const parts = [];
  if (lacks.length > 0) parts.push(`it lacks ${list(lacks)}`);
  if (adds.length > 0) parts.push(`it adds ${list(adds)}`);
  return parts.join(' and ');
}

/**
 * The site-wide parts and what the seed says about them. Each part comes from the site document when
 * it has the part; otherwise from the newest document that has it (by date, then file name), as the
 * most recent state of the scraped site. The participants are never shrunk by a document: without a
 * site document the newest list is kept with the names that only older documents list, since a
 * sidebar that shows two logos is far more likely a partial copy than the end of eleven
 * memberships; removing a participant is done in the site document. Every copy that differs from
 * what the site uses is reported once, at its first line, with the other files that have the same
 * copy, and says which one was used. A part that nothing has is null: the database keeps its own.
 */
export function chooseSiteParts(
  parsed: ParsedFile[],
  site: ParsedSite | null,
): { parts: SiteParts | null; notices: string[]; sources: Record<SitePart, string | null> } {
  const newestFirst = [...parsed].sort(
    (a, b) =>
      b.document.article.publishedAt.localeCompare(a.document.article.publishedAt) ||
      b.file.localeCompare(a.file),
  );
  const notices: string[] = [];
  const sources: Record<SitePart, string | null> = { about: null, featured: null, participants: null };

  const choose = <K extends SitePart>(part: K): SiteParts[K] => {
    const copies: Copy<K>[] = [];
    for (const item of newestFirst) {
      const value = item.document.site[part] as SiteParts[K];
      if (value === null) continue;
      const line = item.siteLines?.[part] ?? 1;
      copies.push({ value: value as NonNullable<SiteParts[K]>, at: `${item.file}:${line}`, file: item.file });
    }
    let used: NonNullable<SiteParts[K]>;
    let usedAt: string;
    const fromSite = site?.parts[part];
    const newest = copies[0];
    if (site && fromSite !== null && fromSite !== undefined) {
      used = fromSite as NonNullable<SiteParts[K]>;
      usedAt = `${site.file}:${site.lines[part]}`;
    } else if (newest) {
      used = newest.value;
      usedAt = `${newest.at}, the newest document that has it`;
      if (part === 'participants') {
        const names = [...(newest.value as string[])];
        for (const copy of copies) {
          for (const name of copy.value as string[]) if (!names.includes(name)) names.push(name);
        }
        const kept = names.length - (newest.value as string[]).length;
        if (kept > 0) {
          used = names as NonNullable<SiteParts[K]>;
          usedAt =
            `the newest document's list (${newest.at}) with the ${kept} name(s) only older documents ` +
            'list, since a document never removes participants (a site document does)';
        }
      }
    } else {
      return null as SiteParts[K];
    }
    sources[part] = usedAt;

    // One notice per distinct copy that differs from what is used, at the first file that has it.
    const usedKey = sameKey(part, used);
    const keyOf = keysOf(part);
    const groups = new Map<string, Copy<K>[]>();
    for (const copy of copies) {
      const key = keyOf(copy.value);
      if (key === usedKey) continue;
      const group = groups.get(key);
      if (group) group.push(copy);
      else groups.set(key, [copy]);
    }
    const byFile = (a: Copy<K>, b: Copy<K>) => a.file.localeCompare(b.file);
    const sorted = [...groups.values()].map((group) => group.sort(byFile));
    for (const group of sorted.sort((a, b) => byFile(a[0] as Copy<K>, b[0] as Copy<K>))) {
      const [first, ...rest] = group;
      if (!first) continue;
      const detail =
        part === 'participants' ? `: ${participantsDiff(first.value as string[], used as string[])}` : '';
      const others =
        rest.length === 0
          ? ''
          : ` (so do ${rest.length} other document(s): ${list(rest.map((copy) => basename(copy.file)))})`;
      notices.push(
        `${first.at}: "${SECTION[part]}" differs from what the site uses${detail}${others}; ` +
          `the site uses ${usedAt}`,
      );
    }
    return used;
  };

  if (parsed.length === 0 && !site) return { parts: null, notices, sources };
  const parts = {
    about: choose('about'),
    featured: choose('featured'),
    participants: choose('participants'),
  };
  return { parts, notices, sources };
}
