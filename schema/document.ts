import * as v from 'valibot';
import { parseDutchDate } from './dutch-date.ts';
import { slugify } from './slug.ts';

/**
 * The contract of a source document (content-seed/*.txt), as valibot schemas. The parser turns the
 * text into a `RawDocument` (structure only, no judgement); this schema decides what is acceptable and
 * turns it into rows-to-be. Every problem becomes an issue whose path points at a line of the file.
 */

const text = (what: string) => v.pipe(v.string(`${what} is missing`), v.minLength(1, `${what} is empty`));

export const Paragraph = v.object({ type: v.literal('paragraph'), text: text('a paragraph') });
export const Heading = v.object({ type: v.literal('heading'), text: text('a heading') });
export const List = v.object({
  type: v.literal('list'),
  items: v.pipe(v.array(text('a list item')), v.minLength(1, 'a list has no items')),
});
export const Block = v.variant('type', [Paragraph, Heading, List]);
export type Block = v.InferOutput<typeof Block>;

const PostedDate = v.pipe(
  v.nullable(v.string()),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const line = dataset.value;
    if (line === null) {
      addIssue({ message: 'no date: expected a line "Geplaatst op <weekday> <day> <month> <year>"' });
      return NEVER;
    }
    const match = /^Geplaatst op\s+(\S+)\s+(\d{1,2})\s+(\S+)\s+(\d{4})$/i.exec(line);
    if (!match) {
      addIssue({
        message: `malformed date "${line}": expected "Geplaatst op <weekday> <day> <month> <year>"`,
      });
      return NEVER;
    }
    const [, weekday = '', day = '', month = '', year = ''] = match;
    const parsed = parseDutchDate(weekday, day, month, year);
    if (parsed.ok) return parsed.iso;
    for (const problem of parsed.problems) {
      switch (problem.kind) {
        case 'weekday':
          addIssue({ message: `unknown weekday "${problem.weekday}"` });
          break;
        case 'month':
          addIssue({ message: `unknown month "${problem.month}"` });
          break;
        case 'day':
          addIssue({ message: `no such date: ${problem.text}` });
          break;
        case 'mismatch':
          addIssue({
            message: `weekday "${problem.weekday}" does not match ${problem.text}, which is a ${problem.actual}`,
          });
          break;
      }
    }
    return NEVER;
  }),
);

/** What the parser hands over: the document's structure, with nulls where a part was not found. */
export const RawDocument = v.object({
  about: text('the "Over VSO Werkgevers" blurb'),
  participants: v.pipe(
    v.array(text('a participant name')),
    v.minLength(1, 'no participants under "Participanten"'),
  ),
  featured: v.object(
    { title: text('the featured title under "Uitgelicht"'), text: text('the featured blurb') },
    'the "Uitgelicht" section is missing',
  ),
  title: v.pipe(
    text('the article title'),
    v.check((title) => slugify(title) !== '', 'the title has no letters or digits to make a slug from'),
  ),
  body: v.pipe(
    v.array(Block),
    v.minLength(1, 'the article has an empty body'),
    v.check(
      (blocks) => blocks.length === 0 || blocks.some((block) => block.type === 'paragraph'),
      'the article body has no paragraph to use as its excerpt',
    ),
  ),
  source: v.nullable(text('the source after "Bron:"')),
  posted: PostedDate,
});
export type RawDocumentInput = v.InferInput<typeof RawDocument>;

/** A valid document, split into what belongs to the site and what belongs to its article. */
export const SourceDocument = v.pipe(
  RawDocument,
  v.transform((doc) => {
    const excerpt = doc.body.find((block) => block.type === 'paragraph');
    return {
      site: { about: doc.about, featured: doc.featured, participants: doc.participants },
      article: {
        slug: slugify(doc.title),
        title: doc.title,
        publishedAt: doc.posted,
        source: doc.source,
        excerpt: excerpt?.type === 'paragraph' ? excerpt.text : '',
        body: doc.body,
      },
    };
  }),
);
export type SourceDocument = v.InferOutput<typeof SourceDocument>;
export type ArticleDoc = SourceDocument['article'];
export type SiteDoc = SourceDocument['site'];
