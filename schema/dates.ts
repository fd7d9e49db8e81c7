import { MONTHS, WEEKDAYS } from './dutch-date.ts';

// Dates are shown in Dutch, in the Netherlands' time zone, computed here rather than with
// Intl.DateTimeFormat: the first Intl object of an isolate loads ICU's locale and time-zone data,
// tens of milliseconds of CPU before a cold isolate's first byte, for a few names and one time-zone
// rule. test/slug-and-dates.test.ts holds both to what Intl gives.
//
// A publication date is a calendar date (YYYY-MM-DD); it is read at noon UTC so that no time zone
// can move it to another day.
const atNoon = (isoDate: string) => new Date(`${isoDate.slice(0, 10)}T12:00:00Z`);

/** "dinsdag 12 februari 2019" */
export const formatLongDate = (isoDate: string) =>
  `${WEEKDAYS[atNoon(isoDate).getUTCDay()]} ${formatDate(isoDate)}`;
/** "12 februari 2019" */
export const formatDate = (isoDate: string) => {
  const date = atNoon(isoDate);
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
};
/** RFC 822 date for RSS: "Tue, 12 Feb 2019 12:00:00 GMT". */
export const rfc822 = (iso: string) => (iso.length === 10 ? atNoon(iso) : new Date(iso)).toUTCString();

const HOUR_MS = 3_600_000;

/** 01:00 UTC on the last Sunday of `month` (0-based) in `year`. */
function lastSundayAtOneUtc(year: number, month: number): number {
  const lastDay = Date.UTC(year, month + 1, 0, 1);
  return lastDay - new Date(lastDay).getUTCDay() * 24 * HOUR_MS;
}

/**
 * The Netherlands' offset from UTC at `ms`, in hours: CET (+1), and CEST (+2) in summer time, which
 * in the European Union begins and ends at 01:00 UTC on the last Sunday of March and of October
 * (Directive 2000/84/EC, the rule since 1996).
 */
function amsterdamOffsetHours(ms: number): number {
  const year = new Date(ms).getUTCFullYear();
  return ms >= lastSundayAtOneUtc(year, 2) && ms < lastSundayAtOneUtc(year, 9) ? 2 : 1;
}

/** The calendar date (YYYY-MM-DD) in the Netherlands at `ms`: the day an article dated so goes live. */
export const amsterdamDate = (ms: number) =>
  new Date(ms + amsterdamOffsetHours(ms) * HOUR_MS).toISOString().slice(0, 10);

/**
 * The moment a calendar date begins in the Netherlands, as an ISO timestamp: 23:00 UTC the day before
 * in winter (CET), 22:00 UTC in summer (CEST). An article is published then, and an article that
 * never changed was last modified then.
 */
export function startOfAmsterdamDate(isoDate: string): string {
  const midnightUtc = Date.parse(`${isoDate.slice(0, 10)}T00:00:00Z`);
  // The Netherlands is one or two hours ahead of UTC; the earlier candidate that is already on the
  // date there is the start of it.
  for (const hours of [2, 1]) {
    const candidate = midnightUtc - hours * HOUR_MS;
    if (amsterdamDate(candidate) === isoDate.slice(0, 10)) return new Date(candidate).toISOString();
  }
  return new Date(midnightUtc).toISOString();
}
