import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
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
