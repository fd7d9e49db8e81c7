import * as v from 'valibot';
import { Aliases } from './aliases.ts';
import { ArticleBody, type SourceDocument, titleProblems, toArticle } from './document.ts';
import { SLUG_MAX_LENGTH, SLUG_PATTERN } from './slug.ts';

/**
 * The contract of a Markdown document (content-seed/*.md): YAML front matter, then a CommonMark body.
 * The parser (pipeline/parse-markdown.ts) hands over the front matter as YAML read it, the body as
 * blocks and every construct the blocks cannot show; this schema judges them with the same title,
 * body and article rules as the .txt contract (schema/document.ts) and gives the same
 * `SourceDocument`. A Markdown document is only an article: its site parts are null.
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

/**
 * The front-matter keys, each with its rules: the one list of what a front matter may hold (a key not
 * in it is a problem at its line). `title` and `date` are required; the title rules themselves are
 * checked below, where it is known whether the slug comes from the title.
 */
const FRONT_MATTER = {
  title: v.pipe(frontText('title'), oneLine('title')),
  date: v.pipe(
    v.string(DATE_FORMAT),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(dataset.value)) addIssue({ message: DATE_FORMAT });
      else if (!realDate(dataset.value)) addIssue({ message: `no such date: ${dataset.value}` });
    }),
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
  /** Earlier URLs of the article (paths or http(s) URLs), each answering 301 to it. */
  aliases: v.optional(
    v.pipe(
      v.array(v.unknown(), "the front matter's aliases must be a list of paths"),
      v.check(() => true),
      Aliases,
    ),
  ),
};
const KEYS = Object.keys(FRONT_MATTER);

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const keyPath = (input: Record<string, unknown>, key: string, origin: 'key' | 'value') =>
  [{ type: 'object', origin, input, key, value: input[key] }] as [v.ObjectPathItem];

const FrontMatter = v.pipe(
  v.unknown(),
  v.rawCheck(({ dataset, addIssue }) => {
    if (dataset.value === undefined) {
      addIssue({
        message:
          'no front matter: a Markdown document starts with a line "---", then "title: …" and "date: yyyy-mm-dd", then "---"',
      });
    } else if (!isMapping(dataset.value)) {
      addIssue({ message: 'the front matter must be "key: value" lines (title:, date: …)' });
    }
  }),
  v.looseObject(
    FRONT_MATTER,
    (issue) => `the front matter has no ${String(issue.expected).replaceAll('"', '')}:`,
  ),
  v.rawCheck(({ dataset, addIssue }) => {
    const value = dataset.value as Record<string, unknown>;
    for (const key of Object.keys(value)) {
      if (!KEYS.includes(key)) {
        addIssue({
          message: `unknown front-matter key "${key}": the keys are ${KEYS.join(', ')}`,
          path: keyPath(value, key, 'key'),
        });
      }
    }
    // The title rules of the .txt contract; the slug is checked as made from the title unless the
    // front matter gives one (checked above on its own).
    const titleIsText = !dataset.issues?.some((issue) => issue.path?.[0]?.key === 'title');
    if (typeof value.title === 'string' && titleIsText) {
      for (const message of titleProblems(value.title, value.slug === undefined)) {
        addIssue({ message, path: keyPath(value, 'title', 'value') });
      }
    }
  }),
);

/**
 * What the block model cannot show, by kind: each is a problem at its line, never dropped.
 * `other` is Markdown not listed here; its message names the construct.
 */
const UNSUPPORTED = {
  heading1:
    'a "#" heading: the title is the front matter\'s title:, and headings in the body start with "##" or "###"',
  deepHeading: 'a heading deeper than "###": the body has "##" and "###" headings only',
  image: 'an image: articles show no images; link to it instead, as [tekst](https://…)',
  html: 'HTML (or an HTML comment): the site shows only paragraphs, headings, lists, links, bold and italics',
  code: 'a code block: the site cannot show code; write it as a paragraph',
  inlineCode: 'code in the text (`…`): the site cannot show code; write it as plain text',
  blockquote: 'a quote (">"): the site cannot show quotes as such; write it as a paragraph',
  thematicBreak: 'a horizontal rule ("---", "***" or "___"): the site cannot show it; leave it out',
  table: 'a table: the site cannot show tables; write it as a list',
  footnote: 'a footnote: the site cannot show footnotes; write the note in the text',
  strikethrough: 'struck-through text ("~~…~~"): the site cannot show it',
  taskList: 'a task list item ("- [ ]" or "- [x]"): the site cannot show checkboxes',
  nestedList: 'a list inside a list item: lists on the site have one level',
  itemBlocks:
    'a list item with more than one paragraph, or a heading in a list item: an item is one paragraph',
  linkTitle: 'a link title ("…" after the address): the site does not show it; leave it out',
  emptyLink: 'a link without text: write its text between [ and ]',
  other: 'Markdown the site cannot show',
} as const;
export type UnsupportedConstruct = keyof typeof UNSUPPORTED;

const Unsupported = v.pipe(
  v.object({
    construct: v.picklist(Object.keys(UNSUPPORTED) as UnsupportedConstruct[]),
    /** The Markdown node, named in the message of `other`. */
    node: v.string(),
  }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const { construct, node } = dataset.value;
    addIssue({ message: construct === 'other' ? `${UNSUPPORTED.other} (${node})` : UNSUPPORTED[construct] });
  }),
);

const RawMarkdown = v.object({
  /** The front matter as YAML read it; undefined when the document has none. */
  frontMatter: FrontMatter,
  body: ArticleBody,
  unsupported: v.array(Unsupported),
});
export type RawMarkdownInput = v.InferInput<typeof RawMarkdown>;

/** A valid Markdown document: the same shape as a .txt document's, with no site parts. */
export const MarkdownDocument = v.pipe(
  RawMarkdown,
  v.transform(
    (doc): SourceDocument => ({
      site: { about: null, featured: null, participants: null },
      article: toArticle({
        title: doc.frontMatter.title,
        slug: doc.frontMatter.slug,
        publishedAt: doc.frontMatter.date,
        source: doc.frontMatter.source ?? null,
        excerpt: doc.frontMatter.excerpt,
        body: doc.body,
      }),
      publishing: { draft: doc.frontMatter.draft ?? false, aliases: doc.frontMatter.aliases ?? [] },
    }),
  ),
);
