import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDatabase, startWorker, type TestDatabase, type TestWorker } from './support/worker.ts';

let db: TestDatabase;
let worker: TestWorker;

beforeAll(async () => {
  db = await startDatabase();
  worker = await startWorker({ libsqlUrl: db.server.url });
});
afterAll(async () => {
  await worker?.dispose();
  await db?.close();
});

describe('GET /healthz through the built Worker in workerd', () => {
  it('counts the articles with one request to the libSQL server', async () => {
    await worker.fetch('/healthz'); // the client's first contact may probe the protocol version
    db.server.resetStats();
    const response = await worker.fetch('/healthz');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ ok: true, articles: 2 });
    expect(db.server.stats.pipelines).toBe(1);
  });

  it('answers 64 requests at once, none waiting on another request', async () => {
    // Over HTTP, so that workerd really runs them side by side (each is its own request context).
    const responses = await Promise.all(
      Array.from({ length: 64 }, () =>
        fetch(`${worker.url}/healthz`, { signal: AbortSignal.timeout(10_000) }),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(64).fill(200));
  });

  it('answers 503 with ok:false and the Retry-After of every 503 when the database cannot be reached', async () => {
    const orphan = await startWorker({ libsqlUrl: 'http://127.0.0.1:9' });
    try {
      const response = await orphan.fetch('/healthz');
      expect(response.status).toBe(503);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.json()).toEqual({ ok: false, articles: null });
      // The same wait as the pages and the API ask for when the database is away.
      const retryAfter = response.headers.get('retry-after');
      expect(retryAfter).toMatch(/^[1-9]\d*$/);
      for (const path of ['/api/site', '/participanten']) {
        const other = await orphan.fetch(path);
        expect(other.status, path).toBe(503);
        expect(other.headers.get('retry-after'), path).toBe(retryAfter);
        await other.body?.cancel();
      }
    } finally {
      await orphan.dispose();
    }
  });
});
