import type { Client } from '@libsql/client';
import type { LibSQLDatabase } from 'drizzle-orm/libsql';
import type * as schema from '../schema/tables.ts';

/** The database handle every query function takes first (drizzle, with its libSQL client). */
export type Database = LibSQLDatabase<typeof schema> & { $client: Client };
