/**
 * HTTP-date (RFC 9110 §5.6.7), for conditional requests. `Date.parse` is no parser for it: it
 * takes "2030", "1 jan 2030" or "2030-01-01T00:00" as dates, and RFC 9110 §13.1.3 says a recipient
 * MUST ignore an If-Modified-Since that is not a valid HTTP-date.
 */

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].join('|');
const LONG_DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'].join('|');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH = MONTHS.join('|');
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';

interface Fields {
  day: string;
  month: string;
  year: number;
  clock: string[];
}

/**
 * The three forms, matched whole; HTTP-date is case-sensitive (RFC 9110 §5.6.7). `now` resolves
 * rfc850's two-digit year.
 */
const FORMS: { pattern: RegExp; fields: (match: string[], now: number) => Fields }[] = [
  {
    // IMF-fixdate, the preferred form: `Sun, 06 Nov 1994 08:49:37 GMT`.
    pattern: new RegExp(`^(?:${DAYS}), (\\d{2}) (${MONTH}) (\\d{4}) ${TIME} GMT$`),
    fields: ([, day = '', month = '', year, ...clock]) => ({ day, month, year: Number(year), clock }),
  },
  {
    // Obsolete rfc850-date: `Sunday, 06-Nov-94 08:49:37 GMT`. "A timestamp that appears to be more
    // than 50 years in the future" is the most recent year in the past with the same last two digits.
    pattern: new RegExp(`^(?:${LONG_DAYS}), (\\d{2})-(${MONTH})-(\\d{2}) ${TIME} GMT$`),
    fields: ([, day = '', month = '', yy, ...clock], now) => {
      const current = new Date(now).getUTCFullYear();
      const year = current - (current % 100) + Number(yy);
      return { day, month, year: year > current + 50 ? year - 100 : year, clock };
    },
  },
  {
    // Obsolete asctime-date: `Sun Nov  6 08:49:37 1994` (the day padded with a space).
    pattern: new RegExp(`^(?:${DAYS}) (${MONTH}) ( \\d|\\d{2}) ${TIME} (\\d{4})$`),
    fields: ([, month = '', day = '', hour = '', minute = '', second = '', year]) => ({
      day: day.trim(),
      month,
      year: Number(year),
      clock: [hour, minute, second],
    }),
  },
];

/**
 * The time of an HTTP-date in milliseconds since the epoch, or null when `value` is not one: another
 * format, a date that does not exist (31 Apr), or a time out of range.
 */
export function parseHttpDate(value: string, now: number = Date.now()): number | null {
  for (const { pattern, fields } of FORMS) {
    const match = pattern.exec(value);
    if (match) return toTime(fields([...match], now));
  }
  return null;
}

function toTime({ day, month, year, clock }: Fields): number | null {
  const [hour, minute, second] = clock.map(Number) as [number, number, number];
  // `second` may be 60, a leap second (RFC 9110 §5.6.7): it counts as the last second of its minute.
  if (hour > 23 || minute > 59 || second > 60) return null;
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads the years 0–99 as 1900–1999.
  date.setUTCFullYear(year, MONTHS.indexOf(month), Number(day));
  date.setUTCHours(hour, minute, Math.min(second, 59));
  // 31 Apr rolls over into 1 May: such a date does not exist.
  return date.getUTCDate() === Number(day) ? date.getTime() : null;
}
