/**
 * Site-wide HTTP rules of the app, in-process: 405 with Allow for methods a URL does not answer
 * (RFC 9110 §15.5.5–6), and no error ever stored by a cache (RFC 9111 §5.2.2.5). Trailing slashes
 * and security.txt, over raw HTTP through the built Worker: test/http-rules.test.ts.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MET } from '../support/addresses.ts';
import { SITE_URL as SITE, startApp, type TestApp } from '../support/app.ts';

let app: TestApp;

beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});

/** One request, answered with its status, a header reader and the body as text. */
async function send(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  const response = await app.fetch(path, { method, headers, body, redirect: 'manual' });
  const header = (name: string) => response.headers.get(name);
  return { status: response.status, header, body: await response.text() };
}

describe('methods', () => {
  it.each([
    ['POST', '/'],
    ['PUT', '/banenafspraak/nieuws'],
    ['DELETE', MET],
    ['PATCH', '/over-vso'],
    ['POST', '/zoeken'],
    ['POST', '/feed.xml'],
    ['OPTIONS', '/participanten'],
    ['POST', '/deel/met-elkaar-voor-125000-banen/linkedin'],
    ['POST', '/.well-known/security.txt'],
  ])('%s %s → 405, Allow: GET, HEAD, the Dutch page, no-store', async (method, path) => {
    const answer = await send(method, path, { 'Content-Type': 'application/x-www-form-urlencoded' }, 'a=1');
    expect(answer.status).toBe(405);
    expect(answer.header('allow')).toBe('GET, HEAD');
    expect(answer.header('cache-control')).toBe('no-store');
    expect(answer.header('content-type')).toMatch(/^text\/html; charset=utf-8$/i);
    expect(answer.body).toContain('Deze methode is niet toegestaan');
    expect(answer.body).toContain('<html lang="nl"');
  });

  it('names POST in Allow where the URL takes one (the Mastodon form)', async () => {
    const answer = await send('PUT', '/deel/met-elkaar-voor-125000-banen/mastodon');
    expect(answer.status).toBe(405);
    expect(answer.header('allow')).toBe('GET, HEAD, POST');
  });

  it('answers a method on a URL that does not exist with the 404 page', async () => {
    const answer = await send('POST', '/bestaat-niet');
    expect(answer.status).toBe(404);
    expect(answer.header('allow')).toBeNull();
  });
});

describe('errors are never stored', () => {
  it.each([
    ['GET', '/bestaat-niet', 404],
    ['GET', '/banenafspraak/nieuws?pagina=999', 404],
    ['GET', '/og/bestaat-niet.0123456789abcdef.png', 404],
    ['GET', '/api/articles/bestaat-niet', 404],
    ['GET', '/api/articles?limit=0', 400],
    ['GET', '/api/bestaat-niet', 404],
    ['POST', '/api/articles', 405],
    ['DELETE', '/api/search?q=x', 405],
    ['GET', '/oembed?format=json', 400],
    ['GET', `/oembed?url=${encodeURIComponent(`${SITE}${MET}`)}&format=xml`, 501],
    ['GET', '/deel/bestaat-niet/x', 404],
    ['POST', '/', 405],
  ])('%s %s → %i with Cache-Control: no-store', async (method, path, status) => {
    const answer = await send(method, path);
    expect(answer.status).toBe(status);
    expect(answer.header('cache-control')).toBe('no-store');
  });

  it('the API’s 405 keeps its envelope and Allow', async () => {
    const answer = await send('PUT', '/api/articles');
    expect(answer.status).toBe(405);
    expect(answer.header('allow')).toBe('GET, HEAD, OPTIONS');
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'method_not_allowed' } });
  });
});
