import type { ArticleDoc } from '../schema/document.ts';
import type { articles } from '../schema/tables.ts';
import type { ParsedArticle as ParsedFile } from './parse-result.ts';

/** A document the seed refuses because of what the database holds; its message is `file:line: …`. */
export class SeedConflict extends Error {}

/** The columns of an article row that a seed writes (search_input always). */
type ArticleValues = Omit<typeof articles.$inferInsert, 'createdAt'> & { searchInput: string };

/**
 * What happens to one article, and whether it gets a new card: a new article does, and one whose
 * card's input (title, date, renderer: card-input.ts) changed or that has none; an edited body alone
 * keeps the card.
 */
interface PlanOf<Action, Values> {
  article: ArticleDoc;
  file: string;
  titleLine: number;
  publishing: ParsedFile['document']['publishing'];
  /** Line of each alias in the document, for problems about it. */
  aliasLines: number[];
  /** The slug the matched row has now, when the document gives it another one. */
  previousSlug: string | null;
  values: Values;
  rowId: number | null;
  /**
   * 'card': the article stays as it is and only its card is new. 'search-input': only what its
   * index text is made from has a new hash (its text is the same): stored quietly, as nothing a
   * visitor sees changed.
   */
  action: Action;
  /** The input hash of the card to render, or null when the article keeps its card. */
  card: string | null;
}

/**
 * A row that is written whole has its body text and index text; one that is not never has them
 * made (see SearchTexts.inputOf).
 */
export type WrittenPlan = PlanOf<'insert' | 'update', ArticleValues>;
export type ArticlePlan =
  | WrittenPlan
  | PlanOf<'card' | 'search-input' | 'none', Omit<ArticleValues, 'bodyText' | 'searchText'>>;
