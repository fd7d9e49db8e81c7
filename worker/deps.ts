import type { Database } from './database.ts';
import type { ShareMessage } from './lib/share-queue.ts';

/**
 * What the site is built from (createApp in worker/app.tsx). Its own module, so that the routes can
 * take it without importing the app that mounts them.
 */
export interface AppDeps {
  db: Database;
  /** Public origin (SITE_URL): every absolute URL is built from it, never from the request. */
  siteUrl: string;
  /** How long a database call may take before the request is answered without it. */
  dbTimeoutMs: number;
  /** The L1 page cache on the Cache API; off only to measure rendering (the benchmark). */
  l1Cache: boolean;
  /** Secret of `POST /admin/purge`; without it the route does not exist. */
  purgeToken?: string;
  /** Contact of /.well-known/security.txt (SECURITY_CONTACT); default security@ at SITE_URL's domain. */
  securityContact?: string;
  /** Workers Rate Limiting (SHARE_LIMITER): how many shares one client may add to an article. */
  shareLimiter?: { limit(options: { key: string }): Promise<{ success: boolean }> };
  /**
   * The clock, in ms since the epoch (default Date.now). Its date in the Netherlands decides which
   * scheduled articles are public; tests give the app another day.
   */
  now?: () => number;
  /** Secret of the preview links (/voorbeeld/…); without it the route does not exist. */
  previewToken?: string;
  /** R2 bucket (MEDIA) the images and downloads are served from (`/media/…`); without it they are 404. */
  media?: R2Bucket;
  /** Cloudflare Queue (SHARE_QUEUE) the share counts go through; without it they are written at once. */
  shareQueue?: { send(message: ShareMessage): Promise<unknown> };
}
