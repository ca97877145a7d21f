/**
 * The metric events that trigger a review (DOMAIN §7, §8), read from two assessments: the one on
 * the date and the one a period earlier. A metric whose last point is now an SPC special cause of
 * concern and was not then has a new special cause of concern; a metric now in the bottom decile
 * (decile 10, polarity already applied by the benchmark) and not then has entered it. Each event is
 * dated at the end of the period that shows it, the day its data describe.
 */
import type { MetricSummary } from "../assessment/types.js";
import { addDays, addMonths, endOfMonth, type CalendarDate } from "../shared/dates.js";
import type { ReviewEvent } from "./schedule.js";

const BOTTOM_DECILE = 10;

/** The last day of a metric period that starts on `period`. */
export function periodEnd(
  period: CalendarDate,
  frequency: MetricSummary["frequency"],
): CalendarDate {
  switch (frequency) {
    case "monthly":
      return endOfMonth(period);
    case "quarterly":
      return endOfMonth(addMonths(period, 2));
    case "annual":
      return addDays(addMonths(period, 12), -1);
    case "ad_hoc":
      return period;
  }
}

function isConcern(summary: MetricSummary | undefined): boolean {
  return summary?.spc?.variation_icon?.startsWith("special_cause_concern") ?? false;
}

/** New SPC concerns and bottom-decile entries of one organisation, in metric order. */
export function metricEvents(
  current: readonly MetricSummary[],
  previous: readonly MetricSummary[],
): ReviewEvent[] {
  const before = new Map(previous.map((m) => [m.metric_id, m]));
  const events: ReviewEvent[] = [];
  for (const now of current) {
    if (now.period === null) continue;
    const period = now.period as CalendarDate;
    const then = before.get(now.metric_id);
    const detected_on = periodEnd(period, now.frequency);
    const icon = now.spc?.variation_icon;
    if (icon && isConcern(now) && !isConcern(then))
      events.push({
        type: "spc_concern",
        metric: now.metric_id,
        period,
        detected_on,
        variation_icon: icon,
      });
    if (now.decile === BOTTOM_DECILE && then?.decile !== BOTTOM_DECILE)
      events.push({
        type: "bottom_decile_entry",
        metric: now.metric_id,
        period,
        detected_on,
        value: now.value,
      });
  }
  return events;
}
