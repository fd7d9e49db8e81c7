/**
 * Site-wide HTTP rules through the built Worker in workerd against a real local libSQL server, over
 * raw HTTP: one URL per page (trailing slashes, also for request targets such as `//evil.example/`),
 * security.txt (RFC 9116) from the Worker's configuration, and the deployment settings of
 * wrangler.toml. Methods (405 with Allow) and no-store errors: test/app/http-rules.test.ts.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unstable_readConfig } from 'wrangler';
import { closeConnections, httpSend } from '../dev/load.ts';
import { MET, SITE } from './support/addresses.ts';
import { ROOT } from './support/cli.ts';
import { startDatabase, startWorker, type TestDatabase, type TestWorker } from './support/worker.ts';

let db: TestDatabase;
let worker: TestWorker;

beforeAll(async () => {
  db = await startDatabase();
  worker = await startWorker({ libsqlUrl: db.server.url, siteUrl: SITE });
});
afterAll(async () => {
  closeConnections();
  await worker?.dispose();
  await db?.close();
});

/** One raw request: the path goes out exactly as written (`//evil.example/` stays a path). */
async function send(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  // A connection of its own: an answer that leaves a request body unread ends its connection.
  const answer = await httpSend(worker.url, { method, path, headers, body, agent: false });
  const header = (name: string) => {
    const value = answer.headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(', ') : (value ?? null);
  };
  return { status: answer.status, header, body: answer.body.toString('utf8') };
}

describe('trailing slashes', () => {
  it.each([
    ['/banenafspraak/nieuws/', `${SITE}/banenafspraak/nieuws`],
    [`${MET}/`, `${SITE}${MET}`],
    [`${MET}//`, `${SITE}${MET}`],
    ['/over-vso/?utm_source=linkedin&fbclid=x', `${SITE}/over-vso?utm_source=linkedin&fbclid=x`],
    ['/zoeken/?q=postbus&pagina=1', `${SITE}/zoeken?q=postbus&pagina=1`],
    ['/api/articles/?page=2', `${SITE}/api/articles?page=2`],
  ])('%s → 301 to %s', async (path, location) => {
    for (const method of ['GET', 'HEAD']) {
      const answer = await send(method, path);
      expect(answer.status, method).toBe(301);
      expect(answer.header('location'), method).toBe(location);
    }
  });

  it.each([
    '//evil.example/',
    '///evil.example/',
    '//evil.example//',
    '/%2F%2Fevil.example/',
    '/\\evil.example/',
    '/\\/evil.example/',
    '//evil.example/banenafspraak/nieuws/',
  ])('never leads to another host: %s', async (path) => {
    const answer = await send('GET', path, { Host: 'evil.example', 'X-Forwarded-Host': 'evil.example' });
    expect(answer.status).toBe(301);
    const location = answer.header('location') ?? '';
    // Absolute, on SITE_URL's origin: a browser resolves it to this site whatever the path holds.
    expect(location.startsWith(`${SITE}/`), location).toBe(true);
    expect(new URL(location).origin).toBe(SITE);
  });

  it('keeps `/` itself, and share links are exactly right or the 404 page', async () => {
    expect((await send('GET', '/')).status).toBe(200);
    const share = await send('GET', '/deel/met-elkaar-voor-125000-banen/linkedin/');
    expect(share.status).toBe(404);
    expect(share.header('location')).toBeNull();
  });
});

describe('/.well-known/security.txt', () => {
  it('is RFC 9116: Contact, an Expires within a year, Preferred-Languages and Canonical from SITE_URL', async () => {
    const answer = await send('GET', '/.well-known/security.txt');
    expect(answer.status).toBe(200);
    expect(answer.header('content-type')).toMatch(/^text\/plain; charset=utf-8$/i);
    const fields = Object.fromEntries(
      answer.body
        .trim()
        .split('\n')
        .map((line) => line.split(/: (.*)/s).slice(0, 2) as [string, string]),
    );
    const config = unstable_readConfig({ config: join(ROOT, 'wrangler.toml') });
    expect(fields.Contact).toBe(config.vars.SECURITY_CONTACT);
    expect(fields['Preferred-Languages']).toBe('nl, en');
    expect(fields.Canonical).toBe(`${SITE}/.well-known/security.txt`);
    const expires = Date.parse(fields.Expires ?? '');
    expect(fields.Expires).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    expect(expires).toBeGreaterThan(Date.now());
    expect(expires).toBeLessThanOrEqual(Date.now() + 365 * 86_400_000);
  });

  it('takes its contact from SECURITY_CONTACT, and defaults to security@ at the site’s domain', async () => {
    for (const [configured, contact] of [
      ['https://www.vso-werkgevers.nl/contact', 'https://www.vso-werkgevers.nl/contact'],
      ['beveiliging@vso-werkgevers.nl', 'mailto:beveiliging@vso-werkgevers.nl'],
      ['', 'mailto:security@vso-werkgevers.nl'],
    ]) {
      const other = await startWorker({
        libsqlUrl: db.server.url,
        siteUrl: SITE,
        bindings: { SECURITY_CONTACT: configured ?? '' },
      });
      try {
        const text = await (await other.fetch('/.well-known/security.txt')).text();
        expect(text, configured).toMatch(new RegExp(`^Contact: ${contact?.replace(/[.?]/g, '\\$&')}$`, 'm'));
      } finally {
        await other.dispose();
      }
    }
  });
});

describe('wrangler.toml', () => {
  it('serves the site on its own domain only: workers_dev is off', () => {
    const config = unstable_readConfig({ config: join(ROOT, 'wrangler.toml') });
    expect(config.workers_dev).toBe(false);
  });
});
