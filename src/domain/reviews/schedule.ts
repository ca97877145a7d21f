/**
 * The review schedule (DOMAIN §7; SOF §4, seed 000): which organisations' segmentation must be
 * reviewed, why, and by when. Pure: the framework's review policy, each organisation's current
 * segment, last review and the events since, and the date, in; due reviews out.
 *
 * - Cadence: each framework cadence rule names its segments and `every: month | quarter`. A
 *   review window is a calendar month: every month for a monthly cadence, the `due_months` for a
 *   quarterly one (segment 1 at the end of Q1 — July —, Q2 — October —, Q3 — January — and Q4 —
 *   April). A window is met by a review on any day of it; the review falls due on the window's
 *   first day and its deadline is the window's last day. The window due is the first one opening
 *   after the last review; with no review on record, the latest window opened by the date.
 * - Events: a new CQC rating of 'inadequate' or 'requires improvement' (overall), a new SPC
 *   special cause of concern, entry into the bottom decile, an intelligence item marked as a
 *   concern, an enforcement event — each, where the framework lists it among its `triggers`,
 *   calls for a review of its own (DOMAIN §7: "a material event triggers review at once"). An
 *   event is new when it happened after the last review and on or before the date; its deadline
 *   is `event_deadline_days` after it.
 *
 * All dates are Europe/London calendar dates (src/clock.ts turns an instant into one).
 */
import type { CqcRating } from "../criteria/types.js";
import type { Framework } from "../frameworks/schema.js";
import {
  addDays,
  addMonths,
  endOfMonth,
  startOfMonth,
  type CalendarDate,
} from "../shared/dates.js";
import type { VariationIcon } from "../spc/index.js";

export type ReviewPolicy = Framework["reviews"];
export type ReviewCadence = ReviewPolicy["cadence"][number];
export type EventTrigger = ReviewPolicy["triggers"][number];

/** What happened to an organisation that may call for a review, with its evidence. */
export type ReviewEvent =
  | { type: "cqc_rating"; rating: CqcRating; published_on: CalendarDate }
  | {
      type: "spc_concern";
      metric: string;
      /** The period's start date, as the observations give it. */
      period: CalendarDate;
      /** When the data showed it: the end of the period. */
      detected_on: CalendarDate;
      variation_icon: VariationIcon;
    }
  | {
      type: "bottom_decile_entry";
      metric: string;
      period: CalendarDate;
      detected_on: CalendarDate;
      value: number | null;
    }
  | { type: "intelligence_concern"; id: string; received_on: CalendarDate; summary: string }
  | { type: "enforcement_event"; id: string; date: CalendarDate; summary: string };

export interface ReviewSubject {
  org_code: string;
  segment: number;
  /** The last review on record, or null when none is. */
  last_reviewed_on: CalendarDate | null;
  /** Events known about the organisation; those not new on the date are ignored. */
  events: readonly ReviewEvent[];
}

export type DueReviewTrigger = "cadence" | EventTrigger;

export interface DueReview {
  org_code: string;
  segment: number;
  trigger: DueReviewTrigger;
  /** For a cadence review: the rule and the window it falls in. */
  cadence: {
    every: ReviewCadence["every"];
    window_from: CalendarDate;
    window_to: CalendarDate;
    citation: string;
  } | null;
  /** For an event-triggered review: the event, its evidence. */
  event: ReviewEvent | null;
  /** The day it happened (events) or the window opened (cadence). */
  due_from: CalendarDate;
  deadline: CalendarDate;
  /** The deadline has passed on the date. */
  overdue: boolean;
  sentence: string;
}

/** The day an event happened, from which its review deadline runs. */
export function eventDate(event: ReviewEvent): CalendarDate {
  switch (event.type) {
    case "cqc_rating":
      return event.published_on;
    case "spc_concern":
    case "bottom_decile_entry":
      return event.detected_on;
    case "intelligence_concern":
      return event.received_on;
    case "enforcement_event":
      return event.date;
  }
}

/** The framework trigger an event is, or null when it is not one (a 'good' CQC rating). */
export function triggerOf(event: ReviewEvent): EventTrigger | null {
  switch (event.type) {
    case "cqc_rating":
      return event.rating === "inadequate"
        ? "cqc_inadequate"
        : event.rating === "requires_improvement"
          ? "cqc_requires_improvement"
          : null;
    default:
      return event.type;
  }
}

/** The cadence rule for a segment, or undefined when the framework has none for it. */
export function cadenceFor(policy: ReviewPolicy, segment: number): ReviewCadence | undefined {
  return policy.cadence.find((c) => c.segments.includes(segment));
}

function monthOf(date: CalendarDate): number {
  return Number(date.slice(5, 7));
}

function isDueMonth(cadence: ReviewCadence, monthStart: CalendarDate): boolean {
  if (cadence.every === "month") return true;
  return (cadence.due_months ?? []).includes(monthOf(monthStart));
}

/**
 * The cadence window a review is due in on `asOf`, or null when none has opened since the last
 * review. A cadence has a due month at least once a year, so twelve months is as far as to look.
 */
export function cadenceWindow(
  cadence: ReviewCadence,
  lastReviewedOn: CalendarDate | null,
  asOf: CalendarDate,
): { from: CalendarDate; to: CalendarDate } | null {
  const window = (from: CalendarDate) => ({ from, to: endOfMonth(from) });
  if (lastReviewedOn === null) {
    for (let back = 0; back < 12; back++) {
      const from = addMonths(startOfMonth(asOf), -back);
      if (isDueMonth(cadence, from)) return window(from);
    }
    return null;
  }
  for (let ahead = 1; ahead <= 12; ahead++) {
    const from = addMonths(startOfMonth(lastReviewedOn), ahead);
    if (from > asOf) return null;
    if (isDueMonth(cadence, from)) return window(from);
  }
  return null;
}

const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

function describeEvent(event: ReviewEvent): string {
  switch (event.type) {
    case "cqc_rating":
      return `CQC rated it ${event.rating.replace("_", " ")} overall (published ${event.published_on})`;
    case "spc_concern":
      return `SPC special cause of concern on ${event.metric} in the period from ${event.period}`;
    case "bottom_decile_entry":
      return `entered the bottom decile on ${event.metric} in the period from ${event.period}`;
    case "intelligence_concern":
      return `intelligence ${event.id} received ${event.received_on} marked as a concern`;
    case "enforcement_event":
      return `enforcement event ${event.id} on ${event.date}: ${event.summary}`;
  }
}

/** The reviews due for each organisation on `asOf`, by deadline, then organisation, then trigger. */
export function dueReviews(
  policy: ReviewPolicy,
  subjects: readonly ReviewSubject[],
  asOf: CalendarDate,
): DueReview[] {
  const due: DueReview[] = [];
  const deadlineDays = policy.event_deadline_days ?? 0;
  for (const subject of subjects) {
    const isNew = (date: CalendarDate) =>
      date <= asOf && (subject.last_reviewed_on === null || date > subject.last_reviewed_on);
    const cadence = cadenceFor(policy, subject.segment);
    const window = cadence ? cadenceWindow(cadence, subject.last_reviewed_on, asOf) : null;
    if (cadence && window) {
      const month = MONTH_NAMES[monthOf(window.from) - 1]!;
      due.push({
        org_code: subject.org_code,
        segment: subject.segment,
        trigger: "cadence",
        cadence: {
          every: cadence.every,
          window_from: window.from,
          window_to: window.to,
          citation: cadence.citation,
        },
        event: null,
        due_from: window.from,
        deadline: window.to,
        overdue: window.to < asOf,
        sentence: `${cadence.every === "month" ? "monthly" : "quarterly"} review of segment ${subject.segment} due in ${month} ${window.from.slice(0, 4)}, by ${window.to}`,
      });
    }
    for (const event of subject.events) {
      const trigger = triggerOf(event);
      const happened = eventDate(event);
      if (trigger === null || !policy.triggers.includes(trigger) || !isNew(happened)) continue;
      const deadline = addDays(happened, deadlineDays);
      due.push({
        org_code: subject.org_code,
        segment: subject.segment,
        trigger,
        cadence: null,
        event,
        due_from: happened,
        deadline,
        overdue: deadline < asOf,
        sentence: `review at once: ${describeEvent(event)}; by ${deadline}`,
      });
    }
  }
  const order = (t: DueReviewTrigger) =>
    t === "cadence" ? policy.triggers.length : policy.triggers.indexOf(t);
  return due.sort(
    (a, b) =>
      compare(a.deadline, b.deadline) ||
      compare(a.org_code, b.org_code) ||
      order(a.trigger) - order(b.trigger) ||
      compare(a.due_from, b.due_from),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
