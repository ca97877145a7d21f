import type { CalendarDate } from "./domain/shared/dates.js";

const LONDON_DATE = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Europe/London",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/**
 * The Europe/London calendar date of an instant, whatever the server's time zone: the domain
 * reasons in these dates (DOMAIN §7 review deadlines, quarter ends), so an instant is turned into
 * one here, at the edge. In British Summer Time 23:30 UTC is already the next day in London.
 */
export function londonDateOf(instant: Date): CalendarDate {
  return LONDON_DATE.format(instant) as CalendarDate;
}

/** Today's calendar date in England, whatever the server's time zone. */
export function londonToday(now: Date = new Date()): CalendarDate {
  return londonDateOf(now);
}
