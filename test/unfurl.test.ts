/**
 * The link-preview check against the built Worker in workerd (Miniflare) serving the seeded
 * documents, with SITE_URL its own address: every crawler gets a preview of every article and of
 * the home page, with the social cards as they are served.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRAWLERS } from '../pipeline/crawlers.ts';
import { CHECKS, checkPreviews } from '../pipeline/unfurl-check.ts';
import { MET, POSTBUS } from './support/addresses.ts';
import { startDatabase, startWorker, type TestDatabase, type TestWorker } from './support/worker.ts';

let db: TestDatabase;
let worker: TestWorker;

beforeAll(async () => {
  db = await startDatabase();
  worker = await startWorker({ libsqlUrl: db.server.url, siteUrl: 'served' });
});
afterAll(async () => {
  await worker?.dispose();
  await db?.close();
});

describe('the link-preview check on the Worker', () => {
  it.each([MET, POSTBUS, '/'])('passes every check of every crawler on %s', async (path) => {
    const report = await checkPreviews(`${worker.url}${path}`);
    expect(report.results.map((result) => result.crawler.name)).toEqual(CRAWLERS.map((c) => c.name));
    for (const result of report.results) {
      const verdicts = Object.fromEntries(CHECKS.map((name) => [name, result.checks[name]]));
      expect(verdicts, result.crawler.name).toEqual(
        Object.fromEntries(CHECKS.map((name) => [name, { verdict: 'ok' }])),
      );
    }
    expect(report.ok).toBe(true);
  });
});
