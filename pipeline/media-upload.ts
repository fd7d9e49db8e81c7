/**
 * The MEDIA bucket as the seed sees it through the Worker's `/admin/media` routes (bearer
 * PURGE_TOKEN): `HEAD` and `PUT /admin/media/{key}` to store, `GET /admin/media?cursor=` and
 * `DELETE /admin/media/{key}` to prune. `npm run publish` sends to SITE_URL (production), `npm start`'s
 * live seeds and a `npm run seed` beside a running `npm start` to the local Worker, which owns its
 * simulated R2. docs/media.md.
 */
import type { MediaBucket } from './media-prune.ts';

export function workerMediaBucket(origin: string, token: string): MediaBucket {
  const base = `${origin.replace(/\/+$/, '')}/admin/media`;
  const url = (key: string) => `${base}/${key}`;
  const headers = { Authorization: `Bearer ${token}` };
  return {
    async head(key) {
      const response = await fetch(url(key), {
        method: 'HEAD',
        headers,
        signal: AbortSignal.timeout(30_000),
      });
      if (response.status !== 200 && response.status !== 404) {
        throw new Error(`HEAD ${url(key)} answered ${response.status}`);
      }
      return response.status === 200 ? {} : null;
    },
    async put(key, value) {
      const response = await fetch(url(key), {
        method: 'PUT',
        headers: { ...headers, 'Content-Type': 'application/octet-stream' },
        body: value,
        signal: AbortSignal.timeout(120_000),
      });
      await response.body?.cancel();
      if (response.status !== 201) throw new Error(`PUT ${url(key)} answered ${response.status}`);
      return {};
    },
    async list(options) {
      const query = options?.cursor ? `?cursor=${encodeURIComponent(options.cursor)}` : '';
      const response = await fetch(`${base}${query}`, { headers, signal: AbortSignal.timeout(30_000) });
      if (response.status !== 200) {
        await response.body?.cancel();
        throw new Error(`GET ${base} answered ${response.status}`);
      }
      const { keys, cursor } = (await response.json()) as { keys: string[]; cursor?: string };
      return { objects: keys.map((key) => ({ key })), truncated: cursor !== undefined, cursor };
    },
    async delete(key) {
      const response = await fetch(url(key), {
        method: 'DELETE',
        headers,
        signal: AbortSignal.timeout(30_000),
      });
      await response.body?.cancel();
      if (response.status !== 204) throw new Error(`DELETE ${url(key)} answered ${response.status}`);
    },
  };
}
