import { count } from 'drizzle-orm';
import { articles } from '../schema/db.ts';
import type { Database } from './db.ts';

/** Number of published articles: one `select count(*)`. */
export async function countArticles(db: Database): Promise<number> {
  const [row] = await db.select({ n: count() }).from(articles);
  return row?.n ?? 0;
}
