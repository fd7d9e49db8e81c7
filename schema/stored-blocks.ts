import type { Block } from './blocks.ts';

// Its own module, without the blocks' valibot schemas: the Worker reads stored blocks on every
// article, and would otherwise build the whole contract at startup for this one function.

/** A block as rows written before lists knew whether they are ordered hold it. */
type StoredBlock =
  | Exclude<Block, { type: 'list' }>
  | (Omit<Extract<Block, { type: 'list' }>, 'ordered'> & { ordered?: boolean });

/**
 * Blocks read back from the database. Rows seeded before lists could be ordered have no `ordered`;
 * every list then was a bullet list, so a missing `ordered` is false. The next seed rewrites those rows
 * (their content hash changes with the block JSON), but the Worker must not depend on it having run.
 * Rows written before inline markup have no `inline`, which is what a block without markup is.
 */
export function storedBlocks(blocks: StoredBlock[]): Block[] {
  return blocks.map((block) =>
    block.type === 'list' ? { ...block, ordered: block.ordered === true } : block,
  );
}
