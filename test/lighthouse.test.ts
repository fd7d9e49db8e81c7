/**
 * Lighthouse (mobile profile) on the home page and the newest article of the real site, served over
 * HTTP by the built Worker, as `npm run audit` picks them: accessibility, best practices and SEO
 * must score 100; performance is printed, not asserted (it depends on the machine's load).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditResult, defaultAuditUrls, formatAuditTable, runAudit } from '../dev/lighthouse.ts';
import { MET } from './support/addresses.ts';
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

describe('Lighthouse', () => {
  it('scores 100 on accessibility, best practices and SEO for home and an article', {
    timeout: 240_000,
  }, async () => {
    const urls = await defaultAuditUrls(worker.url);
    expect(urls).toEqual([`${worker.url}/`, `${worker.url}${MET}`]);
    const results = await runAudit(urls);
    console.log(`Lighthouse (mobile):\n${formatAuditTable(results)}`);
    const failing = (result: AuditResult) =>
      JSON.stringify({ runtimeError: result.runtimeError, issues: result.issues, warnings: result.warnings });
    expect(results).toHaveLength(2);
    for (const result of results) {
      expect(result.runtimeError, result.url).toBeUndefined();
      expect(result.scores.performance, `${result.url} performance`).toBeTypeOf('number');
      expect(result.scores.accessibility, `${result.url} accessibility: ${failing(result)}`).toBe(1);
      expect(result.scores['best-practices'], `${result.url} best practices: ${failing(result)}`).toBe(1);
      expect(result.scores.seo, `${result.url} SEO: ${failing(result)}`).toBe(1);
    }
  });
});
