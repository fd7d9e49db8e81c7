/**
 * How SQLite runs the pages' own statements (captured from the app's batches, then EXPLAIN QUERY
 * PLAN): the public listing and its count must read an index, not every article row, or a page's
 * time grows with the number of articles (npm run bench, section 3).
 */
import type { InStatement } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MET } from '../support/addresses.ts';
import { startApp, type TestApp } from '../support/app.ts';

let app: TestApp;
let captured: { sql: string; args: unknown[] }[] = [];

beforeAll(async () => {
  app = await startApp();
  const batch = app.client.batch.bind(app.client);
  app.client.batch = ((statements: InStatement[], mode?: 'read' | 'write' | 'deferred') => {
    for (const s of statements) {
      captured.push(
        typeof s === 'string' ? { sql: s, args: [] } : { sql: s.sql, args: (s.args ?? []) as unknown[] },
      );
    }
    return batch(statements, mode);
  }) as typeof app.client.batch;
});
afterAll(() => app?.close());

/** The plan of every statement the page at `path` sent, as `sql → plan` lines. */
async function plans(path: string): Promise<{ sql: string; plan: string }[]> {
  captured = [];
  expect((await app.fetch(path)).status).toBe(200);
  return Promise.all(
    captured.map(async ({ sql, args }) => {
      const rows = await app.client.execute({ sql: `explain query plan ${sql}`, args: args as never });
      return { sql, plan: rows.rows.map((row) => String(row.detail)).join('; ') };
    }),
  );
}

describe('query plans', () => {
  it('the home page lists and counts the public articles from the index, reading no row it does not show', async () => {
    const statements = await plans('/');
    const counted = statements.find((s) => /^select count\(\*\) from "articles"/.test(s.sql));
    expect(counted?.plan).toMatch(/USING COVERING INDEX articles_public_idx/);
    const listed = statements.find((s) => /^select "slug", "section", "title", "excerpt"/.test(s.sql));
    expect(listed?.plan).toMatch(/USING INDEX articles_public_idx/);
    expect(listed?.plan).not.toMatch(/TEMP B-TREE/);
  });

  it('a section’s list (the news page) lists and counts its articles from the section index', async () => {
    const statements = await plans('/banenafspraak/nieuws');
    const counted = statements.find((s) => /^select count\(\*\) from "articles"/.test(s.sql));
    expect(counted?.plan).toMatch(/USING COVERING INDEX articles_section_idx \(section=\?/);
    const listed = statements.find((s) => /^select "slug", "section", "title", "excerpt"/.test(s.sql));
    expect(listed?.plan).toMatch(/USING INDEX articles_section_idx \(section=\?/);
    expect(listed?.plan).not.toMatch(/TEMP B-TREE/);
  });

  it('an article page finds the article by its slug and its neighbours by the index', async () => {
    const statements = await plans(MET);
    const article = statements.find((s) => /^select "id", "slug", "section", "title"/.test(s.sql));
    expect(article?.plan).toMatch(/SEARCH articles USING INDEX articles_slug_unique \(slug=\?\)/);
    expect(article?.plan).not.toMatch(/SCAN articles/);
    for (const s of statements.filter((s) =>
      /^select "slug", "section", "title", "published_at" from "articles"/.test(s.sql),
    )) {
      expect(s.plan).toMatch(/SEARCH articles USING INDEX articles_public_idx \(published_at[<>]/);
    }
  });
});
