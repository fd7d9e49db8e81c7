import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { amsterdamDate, formatDate, formatLongDate, startOfAmsterdamDate } from '../schema/dates.ts';
import { TITLE_MAX_LENGTH } from '../schema/document.ts';
import { parseDutchDate } from '../schema/dutch-date.ts';
import { SLUG_MAX_LENGTH, SLUG_PATTERN, slugify } from '../schema/slug.ts';
import { SlugParam } from '../worker/routes/api-schemas.ts';

describe('slugify', () => {
  it.each([
    ['Met elkaar voor 125.000 banen', 'met-elkaar-voor-125000-banen'],
    [
      'Centrale postbus voor vragen over de banenafspraak',
      'centrale-postbus-voor-vragen-over-de-banenafspraak',
    ],
    ['Het creëren van banen', 'het-creeren-van-banen'],
    ['Thema’s en ‘quotes’ en "meer" „nog” “meer”', 'themas-en-quotes-en-meer-nog-meer'],
    ["Zo'n   dag -- met / tekens", 'zon-dag-met-tekens'],
    ['  --Één Ærø ÅÇ-- ', 'een-r-ac'],
    ['v.d. Berg & Co. 2.0', 'vd-berg-co-20'],
  ])('%s → %s', (title, slug) => {
    expect(slugify(title)).toBe(slug);
    expect(slug).toMatch(SLUG_PATTERN);
  });

  it('gives an empty slug for a title without letters or digits', () => {
    expect(slugify('‘…’ — !')).toBe('');
  });

  it('never makes a slug longer than its title, so a title of TITLE_MAX_LENGTH fits the routes', () => {
    // Per code point: lowercasing (İ → i̇), decomposition (ǆ, ﬁ, Hangul) and mark stripping never
    // leave more than one slug character for one title character.
    for (let code = 0; code <= 0x3ffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const character = String.fromCodePoint(code);
      if (slugify(`a${character}a`).length > 3) throw new Error(`U+${code.toString(16)} lengthens the slug`);
    }
    expect(TITLE_MAX_LENGTH).toBeLessThanOrEqual(SLUG_MAX_LENGTH);
  });

  it('shares one length limit with the routes', () => {
    const longest = 'a'.repeat(SLUG_MAX_LENGTH);
    expect(v.safeParse(SlugParam, { slug: longest }).success).toBe(true);
    expect(v.safeParse(SlugParam, { slug: `${longest}a` }).success).toBe(false);
  });
});

describe('parseDutchDate', () => {
  it('reads a date whose weekday agrees, case-insensitively', () => {
    expect(parseDutchDate('dinsdag', '12', 'februari', '2019')).toEqual({ ok: true, iso: '2019-02-12' });
    expect(parseDutchDate('Dinsdag', '22', 'Januari', '2019')).toEqual({ ok: true, iso: '2019-01-22' });
    expect(parseDutchDate('donderdag', '29', 'februari', '2024')).toEqual({ ok: true, iso: '2024-02-29' });
    expect(parseDutchDate('zondag', '1', 'december', '2024')).toEqual({ ok: true, iso: '2024-12-01' });
  });

  it('rejects a weekday that disagrees, an unknown month or weekday, and impossible days', () => {
    expect(parseDutchDate('woensdag', '12', 'februari', '2019')).toEqual({
      ok: false,
      problems: [{ kind: 'mismatch', weekday: 'woensdag', actual: 'dinsdag', text: '12 februari 2019' }],
    });
    expect(parseDutchDate('dinsdag', '12', 'feb', '2019')).toMatchObject({
      ok: false,
      problems: [{ kind: 'month' }],
    });
    expect(parseDutchDate('dins', '12', 'februari', '2019')).toMatchObject({
      ok: false,
      problems: [{ kind: 'weekday' }],
    });
    expect(parseDutchDate('vrijdag', '29', 'februari', '2019')).toMatchObject({
      ok: false,
      problems: [{ kind: 'day' }],
    });
    expect(parseDutchDate('vrijdag', '0', 'februari', '2019')).toMatchObject({
      ok: false,
      problems: [{ kind: 'day' }],
    });
  });
});

// The Worker computes Dutch dates and the Netherlands' time zone itself (no ICU at startup); Intl,
// with the tz database, is the reference they must agree with.
describe('dates in Dutch and in the Netherlands, as Intl has them', () => {
  const DAY_MS = 86_400_000;
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

  it('names every day from 1990 to 2040 as Intl does in nl-NL', () => {
    const long = new Intl.DateTimeFormat('nl-NL', {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'Europe/Amsterdam',
    });
    const short = new Intl.DateTimeFormat('nl-NL', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'Europe/Amsterdam',
    });
    const wrong: string[] = [];
    for (let ms = Date.UTC(1990, 0, 1, 12); ms < Date.UTC(2041, 0, 1); ms += DAY_MS) {
      const date = iso(ms);
      if (formatLongDate(date) !== long.format(ms) || formatDate(date) !== short.format(ms)) wrong.push(date);
    }
    expect(wrong).toEqual([]);
    expect(formatLongDate('2019-02-12')).toBe('dinsdag 12 februari 2019');
    expect(formatDate('2019-02-12T23:30:00.000Z')).toBe('12 februari 2019');
  });

  it('gives the date in the Netherlands from 1996 to 2040, summer time included', () => {
    const day = new Intl.DateTimeFormat('en-CA', {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      timeZone: 'Europe/Amsterdam',
    });
    // The date there turns at 22:00 UTC (summer time) or 23:00 UTC: around both, every day.
    const wrong: string[] = [];
    for (let ms = Date.UTC(1996, 0, 1); ms < Date.UTC(2041, 0, 1); ms += DAY_MS) {
      for (const minutes of [12 * 60, 22 * 60 - 1, 22 * 60, 23 * 60 - 1, 23 * 60]) {
        const at = ms + minutes * 60_000;
        if (amsterdamDate(at) !== day.format(at)) wrong.push(new Date(at).toISOString());
      }
    }
    expect(wrong).toEqual([]);
    // Summer time starts and ends at 01:00 UTC: a minute before, the old offset still holds.
    expect(amsterdamDate(Date.parse('2026-03-28T22:59:00Z'))).toBe('2026-03-28');
    expect(amsterdamDate(Date.parse('2026-03-28T23:00:00Z'))).toBe('2026-03-29');
    expect(amsterdamDate(Date.parse('2026-10-24T21:59:00Z'))).toBe('2026-10-24');
    expect(amsterdamDate(Date.parse('2026-10-24T22:00:00Z'))).toBe('2026-10-25');
  });

  it('starts a date at midnight in the Netherlands', () => {
    expect(startOfAmsterdamDate('2026-01-15')).toBe('2026-01-14T23:00:00.000Z');
    expect(startOfAmsterdamDate('2026-07-15')).toBe('2026-07-14T22:00:00.000Z');
    // The days summer time begins and ends begin in the offset of the night before.
    expect(startOfAmsterdamDate('2026-03-29')).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfAmsterdamDate('2026-10-25')).toBe('2026-10-24T22:00:00.000Z');
  });
});
