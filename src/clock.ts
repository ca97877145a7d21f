import type { CalendarDate } from "./domain/shared/dates.js";

const LONDON_DATE = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Europe/London",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** Today's calendar date in England, whatever the server's time zone. */
export function londonToday(now: Date = new Date()): CalendarDate {
  return LONDON_DATE.format(now) as CalendarDate;
}
