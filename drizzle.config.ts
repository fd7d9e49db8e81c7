import { defineConfig } from 'drizzle-kit';
import { DEFAULT_LIBSQL_URL } from './pipeline/libsql.ts';

export default defineConfig({
  dialect: 'turso',
  schema: './schema/tables.ts',
  out: './drizzle',
  dbCredentials: {
    url: process.env.LIBSQL_URL ?? DEFAULT_LIBSQL_URL,
    authToken: process.env.LIBSQL_AUTH_TOKEN,
  },
});
