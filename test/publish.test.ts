/**
 * `npm run publish` end to end: it seeds the configured database through the local libSQL server
 * and calls the running Worker's POST /admin/purge with the tags of what changed.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../dev/load.ts';
import { POSTBUS } from './support/addresses.ts';
import { ROOT } from './support/cli.ts';
import { tempDir } from './support/documents.ts';
import { startDatabase, startWorker, type TestDatabase, type TestWorker } from './support/worker.ts';

const TOKEN = 'publish-test-token-42';
let db: TestDatabase;
let worker: TestWorker;
let docs: string;

beforeAll(async () => {
  db = await startDatabase();
  worker = await startWorker({
    libsqlUrl: db.server.url,
    siteUrl: 'served',
    bindings: { PURGE_TOKEN: TOKEN },
  });
  docs = join(tempDir(), 'docs');
  mkdirSync(docs);
  for (const name of readdirSync(join(ROOT, 'content-seed'))) {
    copyFileSync(join(ROOT, 'content-seed', name), join(docs, name));
  }
});
afterAll(async () => {
  await worker?.dispose();
  await db?.close();
});

/** Replaces `from` with `to` in the document of the Postbus article. */
function edit(from: string, to: string) {
  const file = join(docs, '001_f3f85d6d71f8b7af.txt');
  writeFileSync(file, readFileSync(file, 'utf8').replace(from, to));
}

/** Runs scripts/publish.ts without blocking this process, which serves the database and the Worker. */
function publish(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'scripts', 'publish.ts'), '--source', docs], {
      cwd: ROOT,
      env: { ...process.env, LIBSQL_URL: db.server.url, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run publish', () => {
  it('says nothing changed and purges nothing when the documents are as seeded', async () => {
    const run = await publish({ SITE_URL: worker.url, PURGE_TOKEN: TOKEN });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('nothing changed');
    expect(run.stdout).toContain('nothing to purge');
  });

  it('seeds a changed document and purges its tags through the Worker', async () => {
    const file = join(docs, '001_f3f85d6d71f8b7af.txt');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('Centrale postbus voor vragen', 'Centrale postbus voor vragen,'),
    );
    const run = await publish({ SITE_URL: worker.url, PURGE_TOKEN: TOKEN });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('0 inserted, 1 updated, 1 unchanged');
    expect(run.stdout).toContain(
      `purged tags article:centrale-postbus-voor-vragen-over-de-banenafspraak, articles at ${worker.url}`,
    );
    // Miniflare has no Workers Cache; the Worker said so and publish passes it on.
    expect(run.stdout).toContain('no Workers Cache there');
    // Then the changed article's link preview, as every crawler fetches it from the Worker.
    expect(run.stdout).toContain('checking the link previews of 1 changed article(s) and page(s)');
    expect(run.stdout).toContain(`${worker.url}${POSTBUS}\ncrawler `);
    expect(run.stdout).toMatch(/^X +ok +ok +ok +ok +ok +ok +ok +ok +ok$/m);
    expect(run.stdout).toContain('every link preview is fine');
  });

  it('fails with a clear message on a wrong token, and skips the purge without one', async () => {
    const file = join(docs, '001_f3f85d6d71f8b7af.txt');
    writeFileSync(file, readFileSync(file, 'utf8').replace('vragen,', 'vragen;'));
    const wrong = await publish({ SITE_URL: worker.url, PURGE_TOKEN: 'not-the-token' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/purge at .* failed: HTTP 401/);
    writeFileSync(file, readFileSync(file, 'utf8').replace('vragen;', 'vragen:'));
    const none = await publish({ SITE_URL: worker.url, PURGE_TOKEN: '' });
    expect(none.code).toBe(0);
    expect(none.stdout).toContain(
      'not purged (tags article:centrale-postbus-voor-vragen-over-de-banenafspraak, articles)',
    );
    expect(none.stdout).toContain('every link preview is fine');
  });

  it('fails when a changed article would not unfurl on SITE_URL', async () => {
    // A site that answers every request with a 404 page: no crawler gets a preview.
    const site = createServer((_request, response) =>
      response.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8' }).end('<title>weg</title>'),
    );
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    try {
      const origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
      edit('vragen:', 'vragen!');
      const run = await publish({ SITE_URL: origin, PURGE_TOKEN: '' });
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/^LinkedIn +FAIL +- +- +- +- +- +- +- +BREAKS$/m);
      expect(run.stdout).toContain('FAIL Facebook status: 404');
      expect(run.stdout).toContain('some link previews would break');
    } finally {
      await new Promise((resolve) => site.close(resolve));
    }
  });

  it('fails when SITE_URL cannot be reached for the check, and skips it loudly with PREVIEW_CHECK=if-reachable', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    edit('vragen!', 'vragen?');
    const required = await publish({ SITE_URL: nowhere, PURGE_TOKEN: '' });
    expect(required.code).toBe(1);
    expect(required.stdout).toContain('0 inserted, 1 updated');
    expect(required.stderr).toContain(`!!! LINK PREVIEWS NOT CHECKED: ${nowhere} cannot be reached`);
    expect(required.stderr).toContain(`npm run unfurl -- ${nowhere}${POSTBUS}`);
    edit('vragen?', 'vragen.');
    const lenient = await publish({ SITE_URL: nowhere, PURGE_TOKEN: '', PREVIEW_CHECK: 'if-reachable' });
    expect(lenient.code).toBe(0);
    expect(lenient.stderr).toContain('PREVIEW_CHECK=if-reachable: skipped');
    const wrong = await publish({ SITE_URL: nowhere, PREVIEW_CHECK: 'maybe' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('PREVIEW_CHECK is "maybe": use required (the default) or if-reachable');
  });
});
