/**
 * Use case: the review schedule (requirements §4; DOMAIN §7). Loads each organisation's current segment,
 * its last review and the events since from the store and the assessment engine, and hands them
 * to the pure schedule (src/domain/reviews), filtered by region or ICB and sorted by deadline.
 *
 * Where the facts come from (decisions recorded in docs/reviews.md):
 * - Current segment: the latest segment_history entry effective on or before the date; an
 *   organisation with none (nothing decided yet) takes the assessment's proposed segment, and the
 *   review says so (`segment_source: "proposed"`).
 * - Last review: the latest of its segment_history entries and the decisions on its
 *   recommendations (any outcome: the deciding body has reviewed it), on or before the date.
 * - CQC: the organisation's latest published rating (overall) on or before the date — a newer
 *   rating replaces it, so only the current one can be new.
 * - Intelligence: an item is a concern when its category is `concern` or ends in `_concern`
 *   (`quality_concern`, `safety_concern`), case-insensitive.
 * - SPC concerns and bottom-decile entries: the eligibility assessment on the date compared with
 *   the one a month earlier under the same framework (a monthly metric's previous period). A
 *   scored framework's assessment (NHS OF 2025/26) carries no SPC icons or deciles, so it yields
 *   none of these events.
 * - Enforcement events: every recorded event (services/enforcement.ts) on or before the date, named
 *   by its kind and reference — never its summary, which may be confidential.
 */
import type { Assessment, MetricSummary } from "../domain/assessment/index.js";
import {
  dueReviews,
  metricEvents,
  type DueReview,
  type ReviewEvent,
  type ReviewSubject,
} from "../domain/reviews/index.js";
import type { CqcRating } from "../domain/criteria/types.js";
import { enforcementEventTitle, type EnforcementEventKind } from "../domain/enforcement/events.js";
import { addMonths, isCalendarDate, type CalendarDate } from "../domain/shared/dates.js";
import { assess, frameworkFor, isScoredRun, type AnyAssessmentRun } from "./assessment.js";
import { authorise, scopeFilter, type Actor } from "./authorise.js";
import type { ServiceContext } from "./context.js";
import { InvalidInputError } from "./errors.js";
import { memoised } from "./result-cache.js";
import { findRegionCode, icbExists, regionExists } from "../store/organisations.js";

export interface ReviewsDueOptions {
  asOf: CalendarDate;
  /** A region code (Y56…): only its organisations. */
  region?: string | undefined;
  /** An ICB code: the ICB and the organisations in its system. */
  icb?: string | undefined;
}

export interface ScheduledReview extends DueReview {
  organisation: {
    code: string;
    name: string;
    kind: string;
    region: string;
    icb_code: string | null;
  };
  /** Where the segment came from: the recorded segment history, or the assessment's proposal. */
  segment_source: "history" | "proposed";
  last_reviewed_on: CalendarDate | null;
}

export interface ReviewSchedule {
  as_of: CalendarDate;
  framework: { id: string; short_name: string };
  region: string | null;
  icb: string | null;
  reviews: ScheduledReview[];
}

const CONCERN_CATEGORY = /(^|_)concern$/i;

type AssessedOrganisation = Assessment["organisation"];

interface Assessed {
  organisation: AssessedOrganisation;
  proposed: number | null;
  metrics: readonly MetricSummary[];
}

function assessedOrganisations(run: AnyAssessmentRun): Assessed[] {
  if (isScoredRun(run))
    return run.assessments.map((a) => ({
      organisation: a.organisation,
      proposed: a.final_segment,
      metrics: [],
    }));
  return run.assessments.map((a) => ({
    organisation: a.organisation,
    proposed: a.proposed_segment,
    metrics: a.metrics,
  }));
}

function unknownRegion(given: string): InvalidInputError {
  return new InvalidInputError(
    `no region "${given}" (a region's name, e.g. London, or its code, Y56–Y63)`,
    [{ path: "region", message: "unknown region" }],
  );
}

async function checkFilters(ctx: ServiceContext, options: ReviewsDueOptions): Promise<void> {
  if (options.region !== undefined && !(await regionExists(ctx.db, options.region)))
    throw unknownRegion(options.region);
  if (options.icb !== undefined && !(await icbExists(ctx.db, options.icb)))
    throw new InvalidInputError(`no ICB "${options.icb}"`, [
      { path: "icb", message: "unknown ICB" },
    ]);
}

interface Recorded {
  segment: Map<string, number>;
  lastReviewed: Map<string, CalendarDate>;
}

/** Segments and reviews on record: segment history and decisions (migration 0004). */
async function loadRecorded(ctx: ServiceContext, asOf: CalendarDate): Promise<Recorded> {
  const [history, decided] = await Promise.all([
    ctx.db.query<{ org_code: string; segment: number; effective_from: CalendarDate }>(
      `SELECT org_code, segment, effective_from
         FROM segment_history
        WHERE effective_from <= $1
        ORDER BY org_code, effective_from, id`,
      [asOf],
    ),
    ctx.db.query<{ org_code: string; decided_on: CalendarDate }>(
      `SELECT r.org_code, max(d.decided_on) AS decided_on
         FROM decisions d JOIN recommendations r ON r.id = d.recommendation_id
        WHERE d.decided_on <= $1
        GROUP BY r.org_code`,
      [asOf],
    ),
  ]);
  const segment = new Map<string, number>();
  const lastReviewed = new Map<string, CalendarDate>();
  const later = (org: string, date: CalendarDate) => {
    const seen = lastReviewed.get(org);
    if (seen === undefined || date > seen) lastReviewed.set(org, date);
  };
  // Ordered by effective date: the last entry is the current segment.
  for (const h of history) {
    segment.set(h.org_code, h.segment);
    later(h.org_code, h.effective_from);
  }
  for (const d of decided) later(d.org_code, d.decided_on);
  return { segment, lastReviewed };
}

/** The latest CQC rating and the concerns in intelligence, per organisation, known on the date. */
async function loadRecordedEvents(
  ctx: ServiceContext,
  asOf: CalendarDate,
): Promise<Map<string, ReviewEvent[]>> {
  const [ratings, intelligence, enforcement] = await Promise.all([
    ctx.db.query<{ org_code: string; published_on: CalendarDate; overall: CqcRating | null }>(
      `SELECT DISTINCT ON (org_code) org_code, published_on, overall
         FROM cqc_ratings
        WHERE superseded_at IS NULL AND published_on <= $1
        ORDER BY org_code, published_on DESC`,
      [asOf],
    ),
    ctx.db.query<{
      id: string;
      org_code: string;
      received_on: CalendarDate;
      category: string;
      summary: string;
    }>(
      `SELECT id::text AS id, org_code, received_on, category, summary
         FROM intelligence
        WHERE superseded_at IS NULL AND received_on <= $1
        ORDER BY org_code, received_on, id`,
      [asOf],
    ),
    ctx.db.query<{
      id: string;
      org_code: string;
      kind: EnforcementEventKind;
      occurred_on: CalendarDate;
      reference: string | null;
    }>(
      `SELECT id::text AS id, org_code, kind, occurred_on, reference
         FROM enforcement_events
        WHERE occurred_on <= $1
        ORDER BY org_code, occurred_on, id`,
      [asOf],
    ),
  ]);
  const events = new Map<string, ReviewEvent[]>();
  const add = (org: string, event: ReviewEvent) => {
    const list = events.get(org) ?? [];
    list.push(event);
    events.set(org, list);
  };
  for (const r of ratings)
    if (r.overall !== null)
      add(r.org_code, { type: "cqc_rating", rating: r.overall, published_on: r.published_on });
  for (const i of intelligence)
    if (CONCERN_CATEGORY.test(i.category))
      add(i.org_code, {
        type: "intelligence_concern",
        id: i.id,
        received_on: i.received_on,
        summary: i.summary,
      });
  for (const e of enforcement)
    add(e.org_code, {
      type: "enforcement_event",
      id: e.id,
      date: e.occurred_on,
      summary: enforcementEventTitle(e.kind, e.reference),
    });
  return events;
}

/** The reviews due on `asOf`, sorted by deadline (then organisation and trigger). */
export async function reviewsDue(
  ctx: ServiceContext,
  options: ReviewsDueOptions,
): Promise<ReviewSchedule> {
  if (!isCalendarDate(options.asOf))
    throw new InvalidInputError(`as-of date must be YYYY-MM-DD, not "${options.asOf}"`, [
      { path: "as_of", message: "must be a date YYYY-MM-DD" },
    ]);
  const framework = frameworkFor(ctx, options.asOf);
  await checkFilters(ctx, options);
  const [current, previous, recorded, events] = await Promise.all([
    assess(ctx, { asOf: options.asOf, frameworkId: framework.id }),
    assess(ctx, { asOf: addMonths(options.asOf, -1), frameworkId: framework.id }),
    loadRecorded(ctx, options.asOf),
    loadRecordedEvents(ctx, options.asOf),
  ]);
  const before = new Map(assessedOrganisations(previous).map((a) => [a.organisation.code, a]));
  const inScope = assessedOrganisations(current).filter(
    ({ organisation: o }) =>
      (options.region === undefined || o.region === options.region) &&
      (options.icb === undefined || o.icb_code === options.icb || o.code === options.icb),
  );
  const subjects: (ReviewSubject & { assessed: Assessed; source: "history" | "proposed" })[] = [];
  for (const assessed of inScope) {
    const code = assessed.organisation.code;
    const historic = recorded.segment.get(code);
    const segment = historic ?? assessed.proposed;
    // Not segmented by the framework (ICBs under NHS OF 2025/26) and never decided: no review.
    if (segment === null) continue;
    subjects.push({
      org_code: code,
      segment,
      last_reviewed_on: recorded.lastReviewed.get(code) ?? null,
      events: [
        ...(events.get(code) ?? []),
        ...metricEvents(assessed.metrics, before.get(code)?.metrics ?? []),
      ],
      assessed,
      source: historic === undefined ? "proposed" : "history",
    });
  }
  const byCode = new Map(subjects.map((s) => [s.org_code, s]));
  const reviews = dueReviews(framework.reviews, subjects, options.asOf).map(
    (review): ScheduledReview => {
      const s = byCode.get(review.org_code)!;
      const o = s.assessed.organisation;
      return {
        organisation: {
          code: o.code,
          name: o.name,
          kind: o.kind,
          region: o.region,
          icb_code: o.icb_code,
        },
        ...review,
        segment_source: s.source,
        last_reviewed_on: s.last_reviewed_on,
      };
    },
  );
  return {
    as_of: options.asOf,
    framework: { id: framework.id, short_name: framework.short_name },
    region: options.region ?? null,
    icb: options.icb ?? null,
    reviews,
  };
}

/** `reviewsDue`, memoised per options and data stamp (result-cache.ts): the worklist reads it often. */
export function reviewsDueMemoised(
  ctx: ServiceContext,
  options: ReviewsDueOptions,
): Promise<ReviewSchedule> {
  return memoised(ctx, `reviews:${options.asOf}:${options.region ?? ""}:${options.icb ?? ""}`, () =>
    reviewsDue(ctx, options),
  );
}

/**
 * The reviews due as `actor` may see them (requirements §6): only roles entitled to review triggers, and
 * only the organisations in their scope (a regional team sees its region's).
 */
export async function reviewsDueFor(
  ctx: ServiceContext,
  actor: Actor,
  given: ReviewsDueOptions,
): Promise<ReviewSchedule> {
  // A region by its name or its code: people say "London", the registry says Y56.
  let options = given;
  if (given.region !== undefined) {
    const region = await findRegionCode(ctx.db, given.region);
    if (region === undefined) throw unknownRegion(given.region);
    options = { ...given, region };
  }
  // docs/access.md: a filter naming a place outside the caller's scope is refused, whichever.
  await authorise(ctx, actor, "review:read", {
    type: "review",
    ...(options.icb !== undefined ? { org_code: options.icb } : {}),
    ...(options.region !== undefined ? { region: options.region } : {}),
  });
  const schedule = await reviewsDueMemoised(ctx, options);
  const visible = await scopeFilter(ctx, actor, "review:read");
  return { ...schedule, reviews: schedule.reviews.filter((r) => visible(r.org_code)) };
}
