// Dates are shown in Dutch, in the Netherlands' time zone. A publication date is a calendar date
// (YYYY-MM-DD); it is read at noon UTC so that no time zone can move it to another day.
const longDate = new Intl.DateTimeFormat('nl-NL', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/Amsterdam',
});
const shortDate = new Intl.DateTimeFormat('nl-NL', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/Amsterdam',
});

const atNoon = (isoDate: string) => new Date(`${isoDate.slice(0, 10)}T12:00:00Z`);

/** "dinsdag 12 februari 2019" */
export const formatLongDate = (isoDate: string) => longDate.format(atNoon(isoDate));
/** "12 februari 2019" */
export const formatDate = (isoDate: string) => shortDate.format(atNoon(isoDate));
/** RFC 822 date for RSS: "Tue, 12 Feb 2019 12:00:00 GMT". */
export const rfc822 = (iso: string) => (iso.length === 10 ? atNoon(iso) : new Date(iso)).toUTCString();

const amsterdamDay = new Intl.DateTimeFormat('en-CA', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  timeZone: 'Europe/Amsterdam',
});

/** The calendar date (YYYY-MM-DD) in the Netherlands at `ms`: the day an article dated so goes live. */
export const amsterdamDate = (ms: number) => amsterdamDay.format(new Date(ms));

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
    const candidate = midnightUtc - hours * 3_600_000;
    if (amsterdamDate(candidate) === isoDate.slice(0, 10)) return new Date(candidate).toISOString();
  }
  return new Date(midnightUtc).toISOString();
}
