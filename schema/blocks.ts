import * as v from 'valibot';

/**
 * The body blocks of an article, as the document contract makes them and the API describes them. A
 * module of its own so that the Worker (which uses the schemas for its OpenAPI document) does not
 * bundle the rest of the contract.
 */

/** A non-empty string; `what` names it in the problems. */
export const text = (what: string) =>
  v.pipe(v.string(`${what} is missing`), v.minLength(1, `${what} is empty`));

const Paragraph = v.object({ type: v.literal('paragraph'), text: text('a paragraph') });
const Heading = v.object({ type: v.literal('heading'), text: text('a heading') });
const List = v.object({
  type: v.literal('list'),
  /** A numbered list (`<ol>`) or a bullet list (`<ul>`); the numbers themselves are not kept. */
  ordered: v.pipe(v.boolean(), v.description('A numbered list (true) or a bullet list (false).')),
  items: v.pipe(v.array(text('a list item')), v.minLength(1, 'a list has no items')),
});
export const Block = v.variant('type', [Paragraph, Heading, List]);
export type Block = v.InferOutput<typeof Block>;

/** A block as rows written before lists knew whether they are ordered hold it. */
type StoredBlock =
  | Exclude<Block, { type: 'list' }>
  | (Omit<Extract<Block, { type: 'list' }>, 'ordered'> & { ordered?: boolean });

/**
 * Blocks read back from the database. Rows seeded before lists could be ordered have no `ordered`;
 * every list then was a bullet list, so a missing `ordered` is false. The next seed rewrites those rows
 * (their content hash changes with the block JSON), but the Worker must not depend on it having run.
 */
export function storedBlocks(blocks: StoredBlock[]): Block[] {
  return blocks.map((block) =>
    block.type === 'list' ? { ...block, ordered: block.ordered === true } : block,
  );
}
