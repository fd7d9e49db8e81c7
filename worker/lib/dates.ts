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
