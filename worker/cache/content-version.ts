import type { Context } from 'hono';
import { inBackground } from '../lib/background.ts';
import { withTimeout } from '../lib/timeout.ts';

/** What the seed writes to site_meta with every change: an id for the content, and when it changed. */
export interface ContentVersion {
  id: string;
  updatedAt: string;
}

/** How often an isolate asks the database whether the content changed (in the background). */
export const VERSION_CHECK_MS = 3000;

/**
 * How long a background check may wait for its answer. Nobody waits for it, so it is not held to a
 * visitor's limit (AppDeps.dbTimeoutMs, 3 s): under saturating load an answer can take longer than
 * that to be read, and were it dropped, a loaded isolate would keep serving the old content until
 * max-age. Below the 30 s workerd keeps `waitUntil` work alive after a response.
 */
export const VERSION_CHECK_BUDGET_MS = 20_000;

/**
 * The newest content version this isolate knows. Pages learn it from their own database batch;
 * between misses it is re-read in the background at most every VERSION_CHECK_MS, so that a
 * published change shows within seconds while cache hits never wait for the database.
 */
export class ContentVersions {
  current: ContentVersion | null = null;
  #checkedAt = Number.NEGATIVE_INFINITY;
  #checking = false;
  #again = false;
  readonly #read: () => Promise<ContentVersion | null>;
  readonly #now: () => number;

  constructor(read: () => Promise<ContentVersion | null>, now: () => number = Date.now) {
    this.#read = read;
    this.#now = now;
  }

  /**
   * A version read in a page's own batch: as good as a check, so the next check can wait. Kept when
   * it is at least as new as the known one (an older read can finish after a newer one).
   */
  observe(version: ContentVersion | null): void {
    if (!version) return;
    this.#checkedAt = this.#now();
    if (!this.current || version.updatedAt >= this.current.updatedAt) this.current = version;
  }

  /**
   * Starts a background re-read when the last one is older than VERSION_CHECK_MS (or `force`). A
   * forced check while one runs (a purge right after a seed) reads again when that one ends: the
   * running read may have started before the seed wrote, and must not stand for the next seconds.
   */
  check(c: Context, force = false): void {
    if (this.#checking) {
      if (force) this.#again = true;
      return;
    }
    if (!force && this.#now() - this.#checkedAt < VERSION_CHECK_MS) return;
    this.#checking = true;
    this.#checkedAt = this.#now();
    const read = withTimeout(this.#read(), VERSION_CHECK_BUDGET_MS)
      .then((version) => {
        // The database's answer is authoritative, also when a seed went back to older content.
        if (version) this.current = version;
      })
      .finally(() => {
        this.#checking = false;
        if (this.#again) {
          this.#again = false;
          this.check(c, true);
        }
      });
    inBackground(c, 'content version check', read);
  }
}
