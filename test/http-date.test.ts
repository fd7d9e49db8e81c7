import { describe, expect, it } from 'vitest';
import { parseHttpDate } from '../worker/cache/http-date.ts';

const NOV_6_1994 = Date.UTC(1994, 10, 6, 8, 49, 37);
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

describe('parseHttpDate (RFC 9110 §5.6.7)', () => {
  it.each([
    ['IMF-fixdate', 'Sun, 06 Nov 1994 08:49:37 GMT'],
    ['rfc850-date', 'Sunday, 06-Nov-94 08:49:37 GMT'],
    ['asctime-date', 'Sun Nov  6 08:49:37 1994'],
  ])('reads the %s example of the RFC', (_, value) => {
    expect(parseHttpDate(value, NOW)).toBe(NOV_6_1994);
  });

  it('reads what Date#toUTCString writes (our Last-Modified)', () => {
    const time = Date.UTC(2024, 1, 29, 23, 59, 1);
    expect(parseHttpDate(new Date(time).toUTCString(), NOW)).toBe(time);
  });

  it('puts a two-digit rfc850 year within the past 50 years', () => {
    expect(parseHttpDate('Monday, 01-Jan-24 00:00:00 GMT', NOW)).toBe(Date.UTC(2024, 0, 1));
    expect(parseHttpDate('Friday, 01-Jan-76 00:00:00 GMT', NOW)).toBe(Date.UTC(2076, 0, 1));
    expect(parseHttpDate('Sunday, 01-Jan-77 00:00:00 GMT', NOW)).toBe(Date.UTC(1977, 0, 1));
  });

  it('takes years below 100 as they are written', () => {
    expect(new Date(parseHttpDate('Mon, 01 Jan 0024 00:00:00 GMT', NOW) ?? 0).getUTCFullYear()).toBe(24);
  });

  it('counts a leap second as the last second of its minute', () => {
    expect(parseHttpDate('Sat, 31 Dec 2016 23:59:60 GMT', NOW)).toBe(Date.UTC(2016, 11, 31, 23, 59, 59));
  });

  it.each([
    '2030',
    '2030-01-01',
    '2030-01-01T00:00:00Z',
    '1 Jan 2030',
    'Tue, 1 Jan 2030 00:00:00 GMT',
    'Tue, 01 Jan 2030 00:00:00 UTC',
    'Tue, 01 Jan 2030 00:00:00 +0000',
    'tue, 01 jan 2030 00:00:00 gmt',
    'Tue, 01 Jan 2030 00:00 GMT',
    ' Tue, 01 Jan 2030 00:00:00 GMT',
    'Tue, 01 Jan 2030 00:00:00 GMT, Wed, 02 Jan 2030 00:00:00 GMT',
    'Wed, 31 Apr 2030 00:00:00 GMT',
    'Sat, 29 Feb 2031 00:00:00 GMT',
    'Tue, 00 Jan 2030 00:00:00 GMT',
    'Tue, 01 Jan 2030 24:00:00 GMT',
    'Tue, 01 Jan 2030 23:60:00 GMT',
    'Tue, 01 Jan 2030 23:59:61 GMT',
    'Tuesday, 01-Jan-2030 00:00:00 GMT',
    'Tue Jan 1 00:00:00 2030',
    '',
  ])('is null for %j, which is no HTTP-date', (value) => {
    expect(parseHttpDate(value, NOW)).toBeNull();
  });
});
