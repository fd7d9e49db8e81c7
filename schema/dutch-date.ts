/** Dutch weekday names, indexed like Date#getUTCDay (0 = Sunday). */
export const WEEKDAYS = [
  'zondag',
  'maandag',
  'dinsdag',
  'woensdag',
  'donderdag',
  'vrijdag',
  'zaterdag',
] as const;
/** Dutch month names, indexed like Date#getUTCMonth (0 = January). */
export const MONTHS = [
  'januari',
  'februari',
  'maart',
  'april',
  'mei',
  'juni',
  'juli',
  'augustus',
  'september',
  'oktober',
  'november',
  'december',
] as const;

export type DutchDateProblem =
  | { kind: 'weekday'; weekday: string }
  | { kind: 'month'; month: string }
  | { kind: 'day'; text: string }
  | { kind: 'mismatch'; weekday: string; actual: string; text: string };

/**
 * Reads "dinsdag 12 februari 2019" into an ISO date ("2019-02-12"). Case-insensitive. The weekday
 * must agree with the date: a mismatch means the document is wrong somewhere, and we would rather
 * stop than publish the wrong date.
 */
export function parseDutchDate(
  weekday: string,
  day: string,
  month: string,
  year: string,
): { ok: true; iso: string } | { ok: false; problems: DutchDateProblem[] } {
  const problems: DutchDateProblem[] = [];
  const weekdayIndex = WEEKDAYS.indexOf(weekday.toLowerCase() as (typeof WEEKDAYS)[number]);
  const monthIndex = MONTHS.indexOf(month.toLowerCase() as (typeof MONTHS)[number]);
  if (weekdayIndex < 0) problems.push({ kind: 'weekday', weekday });
  if (monthIndex < 0) problems.push({ kind: 'month', month });
  if (problems.length > 0) return { ok: false, problems };

  const y = Number(year);
  const d = Number(day);
  const date = new Date(Date.UTC(y, monthIndex, d));
  const text = `${d} ${MONTHS[monthIndex]} ${y}`;
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== monthIndex || date.getUTCDate() !== d) {
    return { ok: false, problems: [{ kind: 'day', text }] };
  }
  const actual = WEEKDAYS[date.getUTCDay()] ?? '';
  if (actual !== WEEKDAYS[weekdayIndex]) {
    return { ok: false, problems: [{ kind: 'mismatch', weekday, actual, text }] };
  }
  return { ok: true, iso: date.toISOString().slice(0, 10) };
}
