/**
 * Calendar dates as the domain sees them: ISO `YYYY-MM-DD` strings. Oversight reasons about
 * Europe/London calendar days (periods, deadlines, quarter ends), never instants, so a date
 * carries no time zone and compares correctly as a string.
 */
export type CalendarDate = string & { readonly __brand: "CalendarDate" };

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseCalendarDate(text: string): CalendarDate | undefined {
  const match = ISO_DATE.exec(text);
  if (!match) return undefined;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const probe = new Date(Date.UTC(y, m - 1, d));
  const valid =
    probe.getUTCFullYear() === y && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d;
  return valid ? (text as CalendarDate) : undefined;
}

export function isCalendarDate(text: string): text is CalendarDate {
  return parseCalendarDate(text) !== undefined;
}

/** `YYYYMMDD` (the ODS layout) to a calendar date. */
export function parseCompactDate(text: string): CalendarDate | undefined {
  if (!/^\d{8}$/.test(text)) return undefined;
  return parseCalendarDate(`${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`);
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10) as CalendarDate;
}

export function addMonths(date: CalendarDate, months: number): CalendarDate {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0));
  const day = Math.min(d, lastDay.getUTCDate());
  return new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), day))
    .toISOString()
    .slice(0, 10) as CalendarDate;
}

export function endOfMonth(date: CalendarDate): CalendarDate {
  const [y, m] = date.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10) as CalendarDate;
}

export function startOfMonth(date: CalendarDate): CalendarDate {
  return `${date.slice(0, 7)}-01` as CalendarDate;
}
