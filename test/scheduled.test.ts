import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../pipeline/libsql.ts';
import { SCHEDULED } from './support/publishing-documents.ts';
import { startDatabase, startWorker, type TestDatabase, type TestWorker } from './support/worker.ts';

let db: TestDatabase;
let worker: TestWorker;

beforeAll(async () => {
  db = await startDatabase([{ name: SCHEDULED.name, text: SCHEDULED.text }]);
  worker = await startWorker({ libsqlUrl: db.server.url });
});
afterAll(async () => {
  await worker?.dispose();
  await db?.close();
});

describe('the Cron Trigger in workerd', () => {
  it('is declared in wrangler.toml for the minute after midnight in the Netherlands, winter and summer', () => {
    const toml = readFileSync(join(ROOT, 'wrangler.toml'), 'utf8');
    expect(toml).toMatch(/\[triggers\]\s*\ncrons = \["1 22,23 \* \* \*"\]/);
  });

  it('runs the scheduled handler: one database request for the day that began, then done', async () => {
    db.server.resetStats();
    // 23:01 UTC on 31 May 2030 is 01:01 on 1 June in Amsterdam: the scheduled article's day.
    const result = await worker.scheduled('1 22,23 * * *', new Date('2030-05-31T23:01:00Z'));
    expect(result.outcome).toBe('ok');
    expect(db.server.stats.pipelines).toBe(1);
    // The page it made public: the Worker's clock is today's, before that day, so still a 404.
    expect((await worker.fetch(SCHEDULED.path)).status).toBe(404);
  });

  it('fails (and says so to the platform) when the database cannot be reached', async () => {
    const orphan = await startWorker({ libsqlUrl: 'http://127.0.0.1:9' });
    try {
      const result = await orphan.scheduled('1 22,23 * * *', new Date('2030-05-31T23:01:00Z'));
      expect(result.outcome).toBe('exception');
    } finally {
      await orphan.dispose();
    }
  });
});
