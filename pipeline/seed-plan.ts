import type { ArticleDoc } from '../schema/document.ts';
import type { articles } from '../schema/tables.ts';
import type { ParsedFile } from './parse-document.ts';

/** A document the seed refuses because of what the database holds; its message is `file:line: …`. */
export class SeedConflict extends Error {}

/**
 * What happens to one article. A card is rendered for every new or changed article, and for an
 * unchanged one that has none (a database seeded before cards existed).
 */
export interface ArticlePlan {
  article: ArticleDoc;
  file: string;
  titleLine: number;
  publishing: ParsedFile['document']['publishing'];
  /** Line of each alias in the document, for problems about it. */
  aliasLines: number[];
  /** The slug the matched row has now, when the document gives it another one. */
  previousSlug: string | null;
  values: Omit<typeof articles.$inferInsert, 'createdAt'>;
  rowId: number | null;
  action: 'insert' | 'update' | 'card' | 'none';
}
