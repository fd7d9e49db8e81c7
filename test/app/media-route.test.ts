/**
 * `/media/{key}` and `/media/{key}/{name}` over a real R2 bucket (Miniflare's, from Node): immutable,
 * with R2's ETag, conditional and range requests, the Content-Type of the key's extension, and
 * downloads saved under their name (RFC 6266). No database request.
 */
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentDisposition } from '../../worker/routes/media.ts';
import { startApp, type TestApp } from '../support/app.ts';

const IMAGE = `${'a'.repeat(32)}.webp`;
const PDF = `${'b'.repeat(32)}.pdf`;
const BYTES = new TextEncoder().encode('0123456789abcdefghij');

let mf: Miniflare;
let app: TestApp;
beforeAll(async () => {
  mf = new Miniflare({
    modules: true,
    script: 'export default { fetch() { return new Response(null); } }',
    r2Buckets: ['MEDIA'],
  });
  const bucket = await mf.getR2Bucket('MEDIA');
  await bucket.put(IMAGE, BYTES);
  await bucket.put(PDF, new TextEncoder().encode('%PDF-1.7 een jaarverslag'));
  app = await startApp([], { media: bucket as unknown as R2Bucket });
});
afterAll(async () => {
  await app?.close();
  await mf?.dispose();
});

describe('media', () => {
  it('serves an image immutable, with its type, ETag and nosniff, and no database request', async () => {
    const before = app.roundTrips;
    const response = await app.fetch(`/media/${IMAGE}`);
    expect(response.status).toBe(200);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'content-type': 'image/webp',
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
      'accept-ranges': 'bytes',
      'content-length': '20',
      etag: expect.stringMatching(/^"[0-9a-f]+"$/),
    });
    expect(await response.text()).toBe('0123456789abcdefghij');
    expect(app.roundTrips).toBe(before);
  });

  it('answers If-None-Match with 304 and Range with 206', async () => {
    const etag = (await app.fetch(`/media/${IMAGE}`)).headers.get('ETag') ?? '';
    const cached = await app.fetch(`/media/${IMAGE}`, { headers: { 'If-None-Match': etag } });
    expect(cached.status).toBe(304);
    const part = await app.fetch(`/media/${IMAGE}`, { headers: { Range: 'bytes=2-5' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('Content-Range')).toBe('bytes 2-5/20');
    expect(await part.text()).toBe('2345');
    const tail = await app.fetch(`/media/${IMAGE}`, { headers: { Range: 'bytes=-3' } });
    expect([tail.status, tail.headers.get('Content-Range'), await tail.text()]).toEqual([
      206,
      'bytes 17-19/20',
      'hij',
    ]);
    const past = await app.fetch(`/media/${IMAGE}`, { headers: { Range: 'bytes=50-' } });
    expect([past.status, past.headers.get('Content-Range')]).toEqual([416, 'bytes */20']);
  });

  it('serves a download under its name, and nothing under a name or key it does not have', async () => {
    const response = await app.fetch(`/media/${PDF}/${encodeURIComponent('Jaarverslag Één 2003.pdf')}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/pdf');
    expect(response.headers.get('Content-Disposition')).toBe(
      `attachment; filename="Jaarverslag Een 2003.pdf"; filename*=UTF-8''Jaarverslag%20%C3%89%C3%A9n%202003.pdf`,
    );
    for (const path of [
      `/media/${PDF}`,
      `/media/${IMAGE}/foto.webp`,
      `/media/${PDF}/stuk.html`,
      `/media/${'c'.repeat(32)}.webp`,
      '/media/../wrangler.toml',
      `/media/${'a'.repeat(31)}.webp`,
    ]) {
      const missing = await app.fetch(path);
      expect([path, missing.status, missing.headers.get('Cache-Control')]).toEqual([path, 404, 'no-store']);
    }
  });

  it('quotes a name that could break the header', () => {
    expect(contentDisposition('a"b\\c.pdf')).toBe(
      `attachment; filename="a_b_c.pdf"; filename*=UTF-8''a%22b%5Cc.pdf`,
    );
  });
});

describe('uploading media', () => {
  let upload: TestApp;
  beforeAll(async () => {
    upload = await startApp([], {
      media: (await mf.getR2Bucket('MEDIA')) as unknown as R2Bucket,
      purgeToken: 'geheim',
    });
  });
  afterAll(async () => {
    await upload?.close();
  });
  const auth = { Authorization: 'Bearer geheim' };
  const hashOf = async (bytes: Uint8Array) =>
    [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)).subarray(0, 16)]
      .map((b) => b.toString(16).padStart(2, '0'))
      .join('');

  it('stores content under its own hash only, with the token', async () => {
    const bytes = new TextEncoder().encode('%PDF-1.7 nieuw');
    const key = `${await hashOf(bytes)}.pdf`;
    expect((await upload.fetch(`/admin/media/${key}`, { method: 'HEAD', headers: auth })).status).toBe(404);
    const put = (path: string, headers: Record<string, string>) =>
      upload.fetch(path, {
        method: 'PUT',
        headers: { ...headers, 'Content-Length': String(bytes.length) },
        body: bytes,
      });
    expect((await put(`/admin/media/${key}`, {})).status).toBe(401);
    expect((await put(`/admin/media/${'d'.repeat(32)}.pdf`, auth)).status).toBe(400);
    expect((await put(`/admin/media/${key}`, auth)).status).toBe(201);
    expect((await upload.fetch(`/admin/media/${key}`, { method: 'HEAD', headers: auth })).status).toBe(200);
    const served = await upload.fetch(`/media/${key}/nieuw.pdf`);
    expect([served.status, await served.text()]).toEqual([200, '%PDF-1.7 nieuw']);
  });

  it('lists the keys a page at a time and deletes one, with the token only', async () => {
    const listed = await upload.fetch('/admin/media', { headers: auth });
    expect(listed.status).toBe(200);
    expect(listed.headers.get('Cache-Control')).toBe('no-store');
    const { keys, cursor } = (await listed.json()) as { keys: string[]; cursor?: string };
    expect(keys).toEqual(expect.arrayContaining([IMAGE, PDF]));
    expect(cursor).toBeUndefined();
    // R2's cursor, passed back as it came.
    const r2 = await mf.getR2Bucket('MEDIA');
    const first = await r2.list({ limit: 1 });
    const next = await upload.fetch(
      `/admin/media?cursor=${encodeURIComponent(first.truncated ? first.cursor : '')}`,
      {
        headers: auth,
      },
    );
    expect(((await next.json()) as { keys: string[] }).keys).toEqual(keys.slice(1));

    for (const headers of [{}, { Authorization: 'Bearer fout' }] as Record<string, string>[]) {
      for (const [method, path] of [
        ['GET', '/admin/media'],
        ['DELETE', `/admin/media/${IMAGE}`],
        ['HEAD', `/admin/media/${IMAGE}`],
      ] as const) {
        const refused = await upload.fetch(path, { method, headers });
        expect([method, path, refused.status]).toEqual([method, path, 401]);
      }
    }
    const unknown = await upload.fetch('/admin/media?limit=5', { headers: auth });
    expect([unknown.status, ((await unknown.json()) as { error: { code: string } }).error.code]).toEqual([
      400,
      'invalid_request',
    ]);
    expect((await upload.fetch('/admin/media/../x', { method: 'DELETE', headers: auth })).status).toBe(404);

    expect((await upload.fetch(`/admin/media/${IMAGE}`, { method: 'DELETE', headers: auth })).status).toBe(
      204,
    );
    expect((await upload.fetch(`/media/${IMAGE}`)).status).toBe(404);
    // Gone is gone: a second DELETE is the same answer.
    expect((await upload.fetch(`/admin/media/${IMAGE}`, { method: 'DELETE', headers: auth })).status).toBe(
      204,
    );
    await r2.put(IMAGE, BYTES);
  });
});
