import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'turso',
  schema: './schema/tables.ts',
  out: './drizzle',
  dbCredentials: {
    url: process.env.LIBSQL_URL ?? 'file:.data/vso.db',
    authToken: process.env.LIBSQL_AUTH_TOKEN,
  },
});
