// `npm run db:migrate`: apply the committed migrations in drizzle/ to LIBSQL_URL.
import { DEFAULT_LIBSQL_URL, describeUrl, migrateDatabase, openClient } from '../pipeline/libsql.ts';

const url = process.env.LIBSQL_URL || DEFAULT_LIBSQL_URL;
const client = openClient(url);
try {
  await migrateDatabase(client);
  console.log(`migrations applied to ${describeUrl(url)}`);
} catch (error) {
  console.error(`migration failed on ${describeUrl(url)}: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
} finally {
  client.close();
}
