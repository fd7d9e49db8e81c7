/**
 * The MEDIA bucket as the seed sees it through the Worker's `HEAD`/`PUT /admin/media/{key}` (bearer
 * PURGE_TOKEN): the same path for `npm start` (the local Worker, which owns its simulated R2) and
 * `npm run publish` (production). docs/media.md.
 */
import type { MediaBucketWriter } from './media-store.ts';

export function workerMediaBucket(origin: string, token: string): MediaBucketWriter {
  const url = (key: string) => `${origin.replace(/\/+$/, '')}/admin/media/${key}`;
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
  };
}
