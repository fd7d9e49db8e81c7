import type { LibSQLDatabase } from 'drizzle-orm/libsql';
import type * as schema from '../schema/db.ts';

/** The database handle every query function takes first. */
export type Database = LibSQLDatabase<typeof schema>;
