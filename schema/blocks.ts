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
  items: v.pipe(v.array(text('a list item')), v.minLength(1, 'a list has no items')),
});
export const Block = v.variant('type', [Paragraph, Heading, List]);
export type Block = v.InferOutput<typeof Block>;
