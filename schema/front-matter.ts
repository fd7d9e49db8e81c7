import * as v from 'valibot';
import { ARTICLE_PATH, addressKey, addressProblem } from './addresses.ts';
import { Aliases } from './aliases.ts';
import { SLUG_MAX_LENGTH, SLUG_PATTERN } from './slug.ts';

/**
 * The front matter of a source document, in both formats: YAML between two `---` lines at the very
 * top. Markdown documents always have one (title and date live there); page text (.txt) may start
 * with one, with the same keys, for what its text cannot say: an address (`url`), a section, a draft
 * flag, earlier URLs. A document with a date is an article; one without a date that names its `url`
 * is a content page; one with neither is refused ("no date"), so that a forgotten date stays an error.
 */

const frontText = (key: string) =>
  v.pipe(
    v.string(`the front matter's ${key} must be text`),
    v.trim(),
    v.minLength(1, `the front matter's ${key} is empty`),
  );
const oneLine = (key: string) => v.regex(/^[^\n]*$/, `the front matter's ${key} must be one line`);

const DATE_FORMAT = "the front matter's date must be a date written yyyy-mm-dd, e.g. 2019-02-12";

/** A calendar date that exists (2019-02-29 does not), written yyyy-mm-dd. */
const realDate = (iso: string) => {
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso;
};

/** The most a sibling position may be: enough for any menu, small enough to stay an integer column. */
const MAX_ORDER = 10_000;

/**
 * The front-matter keys, each with its rules: the one list of what a front matter may hold (a key not
 * in it is a problem at its line). Which keys a document needs depends on its kind and format
 * (frontMatterProblems below).
 */
const FRONT_MATTER = {
  title: v.optional(v.pipe(frontText('title'), oneLine('title'))),
  date: v.optional(
    v.pipe(
      v.string(DATE_FORMAT),
      v.rawCheck(({ dataset, addIssue }) => {
        if (!dataset.typed) return;
        if (!/^\d{4}-\d{2}-\d{2}$/.test(dataset.value)) addIssue({ message: DATE_FORMAT });
        else if (!realDate(dataset.value)) addIssue({ message: `no such date: ${dataset.value}` });
      }),
    ),
  ),
  source: v.optional(v.pipe(frontText('source'), oneLine('source'))),
  slug: v.optional(
    v.pipe(
      v.string("the front matter's slug must be text"),
      v.maxLength(
        SLUG_MAX_LENGTH,
        (issue) =>
          `the front matter's slug is ${issue.received} characters long; the routes accept at most ${SLUG_MAX_LENGTH}`,
      ),
      v.regex(
        SLUG_PATTERN,
        (issue) => `the front matter's slug "${issue.input}" may only hold a–z, 0–9 and single hyphens`,
      ),
    ),
  ),
  excerpt: v.optional(frontText('excerpt')),
  /** A draft is on no public page until this is removed (or false); a preview link shows it. */
  draft: v.optional(v.boolean("the front matter's draft must be true or false")),
  /** Earlier URLs of the document (paths or http(s) URLs), each answering 301 to it. */
  aliases: v.optional(
    v.pipe(
      v.array(v.unknown(), "the front matter's aliases must be a list of paths"),
      v.check(() => true),
      Aliases,
    ),
  ),
  /**
   * The document's address, exactly as the original site had it (path only, with or without its
   * trailing slash). An article's is `{section}/{date}/{slug}`; a page's any path of the site's form.
   */
  url: v.optional(v.pipe(v.string("the front matter's url must be a path, e.g. /organisatie/achtergrond/"))),
  /** An article's news section (a path listed under `sections:` in site.yaml); its url may say it instead. */
  section: v.optional(v.string("the front matter's section must be a path, e.g. /nieuws/algemeen")),
  /**
   * An article whose first image is its share image (og:image, a 1200 px wide JPEG the seed makes of
   * it) instead of its generated card, the default: `share_image: true` (docs/media.md).
   */
  share_image: v.optional(v.boolean("the front matter's share_image must be true or false")),
  /** A page without the site's sidebar: `sidebar: false`. */
  sidebar: v.optional(v.boolean("the front matter's sidebar must be true or false")),
  /** A page's place among its siblings (smaller first); pages without one follow, by title. */
  order: v.optional(
    v.pipe(
      v.number("the front matter's order must be a whole number"),
      v.integer("the front matter's order must be a whole number"),
      v.minValue(0, "the front matter's order must be 0 or more"),
      v.maxValue(MAX_ORDER, `the front matter's order must be at most ${MAX_ORDER}`),
    ),
  ),
};
const FRONT_MATTER_KEYS = Object.keys(FRONT_MATTER);
export type FrontMatterKey = keyof typeof FRONT_MATTER;
export type FrontMatterValues = v.InferOutput<v.ObjectSchema<typeof FRONT_MATTER, undefined>>;

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The path of an issue about one key of the front matter (`key`: the key itself, else its value). */
export const keyPath = (input: Record<string, unknown>, key: string, origin: 'key' | 'value') =>
  [{ type: 'object', origin, input, key, value: input[key] }] as [v.ObjectPathItem];

/**
 * A front matter as YAML read it: a mapping of known keys, each valid. Which keys a document needs is
 * its format's rule (schema/markdown-document.ts; page text needs none).
 */
export const FrontMatterObject = v.pipe(
  v.unknown(),
  v.rawCheck(({ dataset, addIssue }) => {
    if (dataset.value !== undefined && !isMapping(dataset.value)) {
      addIssue({ message: 'the front matter must be "key: value" lines (title:, date:, url: …)' });
    }
  }),
  v.looseObject(FRONT_MATTER),
  v.rawCheck(({ dataset, addIssue }) => {
    const value = dataset.value as Record<string, unknown>;
    for (const key of Object.keys(value)) {
      if (!FRONT_MATTER_KEYS.includes(key)) {
        addIssue({
          message: `unknown front-matter key "${key}": the keys are ${FRONT_MATTER_KEYS.join(', ')}`,
          path: keyPath(value, key, 'key'),
        });
      }
    }
  }),
);

/** Keys only a page may have, and keys only an article may have. */
const PAGE_ONLY: FrontMatterKey[] = ['sidebar', 'order'];
const ARTICLE_ONLY: FrontMatterKey[] = ['slug', 'section', 'source', 'share_image'];

/** Keys page text (.txt) takes from its text instead: its first line, its "Geplaatst op" and "Bron:" lines. */
const FROM_PAGE_TEXT: Partial<Record<FrontMatterKey, string>> = {
  title: 'the title is the first line after the front matter (and the page chrome)',
  date: 'the date is the "Geplaatst op …" line',
  source: 'the source is the "Bron: …" line',
};

export interface KindProblem {
  key: FrontMatterKey;
  message: string;
}

/** What a valid front matter makes of a document: an article (with its date) or a page. */
export type DocumentAddress =
  | { kind: 'article'; section: string | undefined; slug: string | undefined }
  | { kind: 'page'; path: string };

/**
 * The rules that depend on the document's kind and format, as problems at the key they are about:
 * what only a page or only an article may say, what page text says in its text, and whether the
 * `url` fits the kind (an article's `{section}/{date}/{slug}`, agreeing with its date, slug and
 * section; a page's any address of the site's form). `date` is the document's date from wherever it
 * comes (null: none).
 */
export function frontMatterProblems(
  front: Partial<Record<FrontMatterKey, unknown>>,
  format: 'markdown' | 'text',
  date: string | null,
): { problems: KindProblem[]; address: DocumentAddress | null } {
  const problems: KindProblem[] = [];
  const given = (key: FrontMatterKey) => front[key] !== undefined;
  if (format === 'text') {
    for (const [key, why] of Object.entries(FROM_PAGE_TEXT)) {
      if (given(key as FrontMatterKey)) {
        problems.push({
          key: key as FrontMatterKey,
          message: `page text takes no ${key}: in its front matter: ${why}`,
        });
      }
    }
  }
  const url = typeof front.url === 'string' ? front.url.trim() : undefined;
  if (date === null) {
    if (url === undefined) return { problems, address: null };
    for (const key of ARTICLE_ONLY) {
      if (given(key) && !(format === 'text' && key === 'source')) {
        const why =
          key === 'share_image' ? 'its link preview shows the site card' : 'its address is its url:';
        problems.push({ key, message: `a page (no date) has no ${key}: ${why}` });
      }
    }
    const problem = addressProblem(url, "the front matter's url");
    if (problem) problems.push({ key: 'url', message: problem });
    else if (ARTICLE_PATH.test(addressKey(url))) {
      problems.push({
        key: 'url',
        message: `the front matter's url ${url} is the address of an article ({section}/{date}/{slug}), but the document has no date`,
      });
    }
    return { problems, address: problems.length > 0 ? null : { kind: 'page', path: url } };
  }
  for (const key of PAGE_ONLY) {
    if (given(key))
      problems.push({ key, message: `an article (it has a date) has no ${key}: only pages do` });
  }
  const section = typeof front.section === 'string' ? front.section.trim() : undefined;
  if (section !== undefined) {
    const problem = addressProblem(section, "the front matter's section");
    if (problem) problems.push({ key: 'section', message: problem });
  }
  if (url === undefined) {
    const slug = typeof front.slug === 'string' ? front.slug : undefined;
    return { problems, address: problems.length > 0 ? null : { kind: 'article', section, slug } };
  }
  const match = ARTICLE_PATH.exec(url);
  if (!match) {
    problems.push({
      key: 'url',
      message: `the front matter's url "${url}" is not an article address: expected {section}/${date}/{slug}, e.g. /banenafspraak/nieuws/${date}/een-titel (no trailing slash)`,
    });
    return { problems, address: null };
  }
  const [, urlSection = '', urlDate = '', urlSlug = ''] = match;
  const sectionProblem = addressProblem(urlSection, 'the section of the url');
  if (sectionProblem) problems.push({ key: 'url', message: sectionProblem });
  if (urlDate !== date) {
    problems.push({
      key: 'url',
      message: `the front matter's url has the date ${urlDate}, the article ${date}`,
    });
  }
  if (typeof front.slug === 'string' && front.slug !== urlSlug) {
    problems.push({
      key: 'slug',
      message: `the front matter's slug "${front.slug}" differs from the url's "${urlSlug}"`,
    });
  }
  if (section !== undefined && section !== urlSection) {
    problems.push({
      key: 'section',
      message: `the front matter's section ${section} differs from the url's ${urlSection}`,
    });
  }
  return {
    problems,
    address: problems.length > 0 ? null : { kind: 'article', section: urlSection, slug: urlSlug },
  };
}
