// `npm run seed [-- --source DIR] [--prune]`: parse content-seed/*.txt and *.md (or DIR), validate every
// document, migrate LIBSQL_URL when needed and write everything in one transaction. Media go to the
// local site's bucket (dev/local-media.ts) when the database is local; `--prune` then also removes the
// media rows and objects nothing names (pipeline/media-prune.ts).
import { localMediaTarget } from '../dev/local-media.ts';
import { runMediaPrune, runSeed } from '../pipeline/seed-command.ts';

const { url, prune, media } = await runSeed((url) => localMediaTarget(url));
const pruned = !prune || (await runMediaPrune(url, media));
if ('close' in media) await media.close?.();
if (!pruned) process.exitCode = 1;
