/**
 * The content version an isolate knows: a forced check (POST /admin/purge after a seed) that comes
 * while a check runs is not dropped, since the running read may predate the seed; and an answer that
 * comes later than a visitor would wait (a loaded isolate) still moves the isolate on.
 */
import type { Context } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type ContentVersion,
  ContentVersions,
  VERSION_CHECK_BUDGET_MS,
} from '../worker/cache/content-version.ts';

/** A context without an execution context: the background work runs, unkept (worker/lib/background.ts). */
const c = {
  get executionCtx(): never {
    throw new Error('no execution context');
  },
} as unknown as Context;

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('ContentVersions', () => {
  it('reads again after the running check when a forced check comes meanwhile', async () => {
    const answers: ((version: ContentVersion) => void)[] = [];
    const versions = new ContentVersions(
      () => new Promise<ContentVersion>((resolve) => answers.push(resolve)),
      () => 0,
    );
    versions.check(c, true);
    expect(answers).toHaveLength(1);
    // The seed writes, then the purge forces a check while the first read is still out.
    versions.check(c, true);
    expect(answers).toHaveLength(1);
    answers[0]?.({ id: 'old', updatedAt: '2026-01-01T00:00:00.000Z' });
    await settle();
    expect(answers).toHaveLength(2);
    answers[1]?.({ id: 'new', updatedAt: '2026-01-01T00:00:01.000Z' });
    await settle();
    expect(versions.current?.id).toBe('new');
  });

  it('does not read again for a check within VERSION_CHECK_MS that is not forced', async () => {
    let reads = 0;
    const versions = new ContentVersions(
      async () => {
        reads++;
        return { id: 'v', updatedAt: '2026-01-01T00:00:00.000Z' };
      },
      () => 0,
    );
    versions.check(c);
    versions.check(c);
    await settle();
    versions.check(c);
    await settle();
    expect(reads).toBe(1);
  });
});

describe('ContentVersions under load', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('takes an answer that comes later than a visitor would wait (the 3 s database limit)', async () => {
    vi.useFakeTimers();
    let answer: ((version: ContentVersion) => void) | undefined;
    const versions = new ContentVersions(
      () => new Promise<ContentVersion>((resolve) => (answer = resolve)),
      () => 0,
    );
    versions.observe({ id: 'old', updatedAt: '2026-01-01T00:00:00.000Z' });
    versions.check(c, true);
    // The isolate is busy: the answer is read only after 8 s.
    await vi.advanceTimersByTimeAsync(8000);
    answer?.({ id: 'new', updatedAt: '2026-01-01T00:00:01.000Z' });
    await vi.advanceTimersByTimeAsync(0);
    expect(versions.current?.id).toBe('new');
  });

  it('gives up on an answer that never comes after its own budget, so that a later check can run', async () => {
    vi.useFakeTimers();
    let reads = 0;
    const versions = new ContentVersions(() => {
      reads++;
      return new Promise<ContentVersion>(() => {});
    }, Date.now);
    versions.check(c, true);
    await vi.advanceTimersByTimeAsync(VERSION_CHECK_BUDGET_MS - 1);
    versions.check(c, true);
    expect(reads).toBe(1); // still waiting for the first
    await vi.advanceTimersByTimeAsync(1);
    versions.check(c, true);
    expect(reads).toBe(2);
  });
});
