import type { ArticleDoc } from '../schema/document.ts';
import type { articles } from '../schema/tables.ts';
import type { ParsedArticle as ParsedFile } from './parse-result.ts';

/** A document the seed refuses because of what the database holds; its message is `file:line: …`. */
export class SeedConflict extends Error {}

/**
 * What happens to one article, and whether it gets a new card: a new article does, and one whose
 * card's input (title, date, renderer: card-input.ts) changed or that has none; an edited body alone
 * keeps the card.
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
  /** 'card': the article stays as it is and only its card is new. */
  action: 'insert' | 'update' | 'card' | 'none';
  /** The input hash of the card to render, or null when the article keeps its card. */
  card: string | null;
}
