// `npm run seed [-- --source DIR] [--prune]`: parse content-seed/*.txt and *.md (or DIR), validate every
// document, migrate LIBSQL_URL when needed and write everything in one transaction.
import { runSeed } from '../pipeline/seed-command.ts';

await runSeed();
