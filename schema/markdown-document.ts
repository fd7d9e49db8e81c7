import * as v from 'valibot';
import {
  articleAddress,
  Block,
  bodyPath,
  bodyProblem,
  frontPath,
  type SourceDocument,
  shareImageProblem,
  titleProblems,
  toArticle,
  toPage,
} from './document.ts';
import { FrontMatterObject, type FrontMatterValues, frontMatterProblems, keyPath } from './front-matter.ts';

/**
 * The contract of a Markdown document (content-seed/*.md): YAML front matter, then a CommonMark body.
 * The parser (pipeline/parse-markdown.ts) hands over the front matter as YAML read it, the body as
 * blocks and every construct the blocks cannot show; this schema judges them with the same title,
 * body and article rules as the .txt contract (schema/document.ts) and gives the same
 * `SourceDocument`. A Markdown document is only an article: its site parts are null.
 */

const FrontMatter = v.pipe(
  v.unknown(),
  v.rawCheck(({ dataset, addIssue }) => {
    if (dataset.value === undefined) {
      addIssue({
        message:
          'no front matter: a Markdown document starts with a line "---", then "title: …" and "date: yyyy-mm-dd", then "---"',
      });
    }
  }),
  FrontMatterObject,
  v.rawCheck(({ dataset, addIssue }) => {
    const value = dataset.value;
    // Not a mapping (or no front matter at all): said once above, not again key by key.
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
    const front = value as Record<string, unknown>;
    const failed = (key: string) => dataset.issues?.some((issue) => issue.path?.[0]?.key === key) ?? false;
    if (front.title === undefined && !failed('title'))
      addIssue({ message: 'the front matter has no title:' });
    // A page names its url instead of a date; without either, the date is what was forgotten.
    if (front.date === undefined && front.url === undefined && !failed('date')) {
      addIssue({ message: 'the front matter has no date:' });
    }
    if (failed('date') || failed('url') || failed('slug') || failed('section')) return;
    const date = typeof front.date === 'string' ? front.date : null;
    const { problems, address } = frontMatterProblems(front, 'markdown', date);
    for (const problem of problems) {
      addIssue({ message: problem.message, path: keyPath(front, problem.key, 'value') });
    }
    // The title rules of the .txt contract; the slug is checked as made from the title unless the
    // front matter gives one (checked above on its own) or the document is a page.
    if (typeof front.title === 'string' && !failed('title')) {
      const fromTitle = address?.kind === 'article' && address.slug === undefined;
      for (const message of titleProblems(front.title, fromTitle)) {
        addIssue({ message, path: keyPath(front, 'title', 'value') });
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
  image: 'an image inside text: put ![alt text](naam.jpg) in a paragraph of its own',
  imageAlt:
    'an image without alt text: say what it shows between [ and ], or write ![-](naam.jpg) for an image that is only decoration',
  imageTitle: 'an image title ("…" after the file name): the site does not show it; leave it out',
  remoteImage:
    'an image from another address: put the file beside the document and write ![alt text](naam.jpg)',
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
  body: v.array(Block),
  unsupported: v.array(Unsupported),
});
export type RawMarkdownInput = v.InferInput<typeof RawMarkdown>;

/** A valid Markdown document: the same shape as a .txt document's, with no site parts. */
export const MarkdownDocument = v.pipe(
  RawMarkdown,
  v.rawTransform(({ dataset, addIssue, NEVER }): SourceDocument => {
    const { frontMatter: front, body } = dataset.value;
    const values = front as FrontMatterValues;
    const title = values.title ?? '';
    const site = { about: null, featured: null, participants: null };
    const publishing = { draft: values.draft ?? false, aliases: values.aliases ?? [] };
    if (values.date === undefined) {
      const problem = bodyProblem(body, 'page');
      if (problem) {
        addIssue({ message: problem, path: bodyPath(body) });
        return NEVER;
      }
      const page = toPage({ path: values.url ?? '', title, body, excerpt: values.excerpt, values });
      return { kind: 'page', site, page, publishing };
    }
    const problem = bodyProblem(body, 'article');
    if (problem) {
      addIssue({ message: problem, path: bodyPath(body) });
      return NEVER;
    }
    const share = shareImageProblem(values.share_image, body);
    if (share) {
      addIssue({ message: share, path: frontPath(front as Record<string, unknown>, 'share_image') });
      return NEVER;
    }
    const { section, slug } = articleAddress(values.url, values.section, values.slug);
    const article = toArticle({
      title,
      slug,
      publishedAt: values.date,
      source: values.source ?? null,
      excerpt: values.excerpt,
      body,
      section,
      shareImage: values.share_image,
    });
    return { kind: 'article', site, article, publishing };
  }),
);
