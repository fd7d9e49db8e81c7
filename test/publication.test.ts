import { describe, expect, it } from 'vitest';
import { aliasPath } from '../schema/aliases.ts';
import { amsterdamDate, startOfAmsterdamDate } from '../schema/dates.ts';
import { isPreviewToken, previewToken } from '../schema/preview.ts';
import { toVersion } from '../worker/queries/chrome.ts';

const meta = (schedule: string[] | string) => [
  { key: 'content_version', value: 'abc' },
  { key: 'content_updated_at', value: '2026-12-01T10:00:00.000Z' },
  { key: 'content_schedule', value: typeof schedule === 'string' ? schedule : JSON.stringify(schedule) },
];

describe('the content version as of a date', () => {
  it('is the seed’s until a scheduled date begins, then a new one dated from the start of that day', () => {
    const schedule = ['2026-12-05', '2027-01-10'];
    expect(toVersion(meta(schedule), '2026-12-04')).toEqual({
      id: 'abc',
      updatedAt: '2026-12-01T10:00:00.000Z',
    });
    expect(toVersion(meta(schedule), '2026-12-05')).toEqual({
      id: 'abc+1',
      updatedAt: '2026-12-04T23:00:00.000Z',
    });
    expect(toVersion(meta(schedule), '2027-02-01')).toEqual({
      id: 'abc+2',
      updatedAt: '2027-01-09T23:00:00.000Z',
    });
  });

  it('reads a database without a schedule, or with a broken one, as the seed’s version', () => {
    expect(toVersion(meta('not json'), '2030-01-01')).toEqual({
      id: 'abc',
      updatedAt: '2026-12-01T10:00:00.000Z',
    });
    expect(toVersion(meta([]).slice(0, 2), '2030-01-01')?.id).toBe('abc');
    expect(toVersion([], '2030-01-01')).toBeNull();
  });
});

describe('dates in the Netherlands', () => {
  it.each([
    ['2019-02-12', '2019-02-11T23:00:00.000Z'],
    ['2019-07-01', '2019-06-30T22:00:00.000Z'],
    // The days the clocks change: midnight is still on the old time.
    ['2026-03-29', '2026-03-28T23:00:00.000Z'],
    ['2026-10-25', '2026-10-24T22:00:00.000Z'],
  ])('%s begins at %s', (date, start) => {
    expect(startOfAmsterdamDate(date)).toBe(start);
    expect(amsterdamDate(Date.parse(start))).toBe(date);
    expect(amsterdamDate(Date.parse(start) - 1)).not.toBe(date);
  });
});

describe('earlier URLs', () => {
  it.each([
    ['/nieuws/oud', '/nieuws/oud'],
    ['/nieuws/oud/', '/nieuws/oud'],
    ['https://www.vsowerkgevers.nl/nieuws/oud', '/nieuws/oud'],
    ['/nieuws/./a/../oud', '/nieuws/oud'],
    ['/nieuws/één', '/nieuws/%C3%A9%C3%A9n'],
  ])('%s is kept as the path %s', (input, path) => {
    expect(aliasPath(input)).toEqual({ path });
  });
});

describe('preview tokens', () => {
  it('verify for their slug and secret only', async () => {
    const token = await previewToken('geheim', 'een-slug');
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(await isPreviewToken('geheim', 'een-slug', token)).toBe(true);
    expect(await isPreviewToken('geheim', 'een-andere-slug', token)).toBe(false);
    expect(await isPreviewToken('ander', 'een-slug', token)).toBe(false);
    expect(await isPreviewToken('geheim', 'een-slug', token.toUpperCase())).toBe(false);
    expect(await isPreviewToken('geheim', 'een-slug', '')).toBe(false);
  });
});
