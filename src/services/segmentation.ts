/**
 * Use case: every organisation's segment on a date, two ways.
 *
 * - `segmentationOn` (staff): the segment decided and in effect (segment history, docs/domain.md §12)
 *   and the engine's proposal under the framework in force, for the overview, the organisation
 *   list and the worklist. The proposal is not a decision: pages mark which is which.
 * - `publishedSegmentation` (the public, SOF §4): only decided segments, each with the short
 *   summary of reasons and support built from public-level content alone (`publicReasons`):
 *   the labels of the criteria that support the DECIDED segment — never one that contradicts it
 *   (a segment 1 criterion beside segment 4, the default segment's text beside segment 3) —
 *   the decision's own public rationale (entered for publication when the decision is recorded);
 *   and, for mandated support, the organisation's own recorded support: the summaries of its
 *   licence-breach evidence and CQC recommendations, and its enforcement steps since the spell
 *   of mandated support began, recorded as `public`. The segment's support text comes from the
 *   framework file. Notes, intelligence, recommendations' rationales, non-public judgements and
 *   enforcement events, and names of people are never read, so nothing confidential can leak.
 *
 * Both are memoised per date and data stamp (result-cache.ts): a decision changes the stamp, so the next
 * read recomputes.
 */
import type { CalendarDate } from "../domain/shared/dates.js";
import { isCalendarDate } from "../domain/shared/dates.js";
import {
  ENFORCEMENT_EVENT_LABELS,
  type EnforcementEventKind,
} from "../domain/enforcement/events.js";
import type { Framework } from "../domain/frameworks/schema.js";
import { BODY_NAMES, type DecisionBody } from "../domain/workflow/index.js";
import {
  assess,
  AssessmentRequestError,
  isScoredRun,
  type AnyAssessmentRun,
} from "./assessment.js";
import { authorise, scopeFilter, type WorkflowActor } from "./authorise.js";
import type { ServiceContext } from "./context.js";
import { InvalidInputError } from "./errors.js";
import { memoised } from "./result-cache.js";
import { listOrganisations, type OrganisationSummary } from "./organisations.js";
import type { AssessmentSnapshot } from "./workflow.js";

export interface DecidedSegment {
  segment: number;
  effective_from: string;
  deciding_body: DecisionBody;
  decision_reference: string;
  /** Null for a segment carried over when Oversight was set up (no decision in it). */
  decision_id: number | null;
  framework_id: string;
  criteria_fired: AssessmentSnapshot["criteria_fired"];
  /** The decision's public rationale (docs/domain.md §12); null without a decision or one given. */
  public_rationale: string | null;
}

export interface ProposedSegmentOf {
  segment: number | null;
  framework_id: string;
  sentence: string;
}

export interface OrganisationSegment {
  organisation: OrganisationSummary;
  decided: DecidedSegment | null;
  proposed: ProposedSegmentOf | null;
  /** The decided segment, failing that the proposal; null when neither exists. */
  segment: number | null;
  basis: "decided" | "proposed" | null;
}

export interface Segmentation {
  as_of: CalendarDate;
  /** The framework in force on the date, if any. */
  framework: { id: string; short_name: string } | null;
  organisations: OrganisationSegment[];
}

function checkDate(asOf: string): asserts asOf is CalendarDate {
  if (!isCalendarDate(asOf))
    throw new InvalidInputError(`as_of: must be a date YYYY-MM-DD, not "${asOf}"`, [
      { path: "as_of", message: "must be a date YYYY-MM-DD" },
    ]);
}

/**
 * The whole assessment run under the framework in force (or `frameworkId`); `assess` keeps it
 * per data stamp and clearance level (judgement text above the viewer's is withheld).
 */
export function assessmentRun(
  ctx: ServiceContext,
  asOf: CalendarDate,
  options: { frameworkId?: string; viewer?: WorkflowActor } = {},
): Promise<AnyAssessmentRun> {
  const { frameworkId, viewer } = options;
  return assess(ctx, {
    asOf,
    ...(frameworkId ? { frameworkId } : {}),
    ...(viewer ? { viewer } : {}),
  });
}

/** The latest segment decided for each organisation, effective on or before `asOf`. */
async function decidedOn(
  ctx: ServiceContext,
  asOf: CalendarDate,
): Promise<Map<string, DecidedSegment>> {
  const rows = await ctx.db.query<
    DecidedSegment & { org_code: string; snapshot: AssessmentSnapshot }
  >(
    `SELECT DISTINCT ON (h.org_code) h.org_code, h.segment, h.effective_from, h.deciding_body,
            h.decision_reference, h.decision_id, h.framework_id,
            h.assessment_snapshot AS snapshot, d.public_rationale
       FROM segment_history h LEFT JOIN decisions d ON d.id = h.decision_id
      WHERE h.effective_from <= $1
      ORDER BY h.org_code, h.effective_from DESC, h.id DESC`,
    [asOf],
  );
  return new Map(
    rows.map((r) => [
      r.org_code,
      {
        segment: r.segment,
        effective_from: r.effective_from,
        deciding_body: r.deciding_body,
        decision_reference: r.decision_reference,
        decision_id: r.decision_id === null ? null : Number(r.decision_id),
        framework_id: r.framework_id,
        criteria_fired: r.snapshot?.criteria_fired ?? [],
        public_rationale: r.public_rationale ?? null,
      },
    ]),
  );
}

async function proposalsOn(
  ctx: ServiceContext,
  asOf: CalendarDate,
): Promise<{ framework: Segmentation["framework"]; byCode: Map<string, ProposedSegmentOf> }> {
  let run: AnyAssessmentRun;
  try {
    run = await assessmentRun(ctx, asOf);
  } catch (error) {
    if (error instanceof AssessmentRequestError && error.reason === "no_framework_in_force")
      return { framework: null, byCode: new Map() };
    throw error;
  }
  const framework = { id: run.framework.id, short_name: run.framework.short_name };
  const byCode = new Map<string, ProposedSegmentOf>();
  if (isScoredRun(run))
    for (const a of run.assessments)
      byCode.set(a.organisation.code, {
        segment: a.final_segment,
        framework_id: run.framework.id,
        sentence: a.sentence,
      });
  else
    for (const a of run.assessments)
      byCode.set(a.organisation.code, {
        segment: a.proposed_segment,
        framework_id: run.framework.id,
        sentence: a.sentence,
      });
  return { framework, byCode };
}

/** Every organisation open on `asOf` with its decided segment and the engine's proposal. */
export async function segmentationOn(
  ctx: ServiceContext,
  actor: WorkflowActor,
  asOf: string,
): Promise<Segmentation> {
  checkDate(asOf);
  await authorise(ctx, actor, "segment:read", { type: "segment_history" });
  // requirements §6: the engine's proposal only for the organisations the viewer may assess.
  const mayAssess = await scopeFilter(ctx, actor, "assessment:read");
  const all = await memoised(ctx, `segmentation:${asOf}`, async () => {
    const [organisations, decided, proposals] = await Promise.all([
      listOrganisations(ctx, asOf),
      decidedOn(ctx, asOf),
      proposalsOn(ctx, asOf),
    ]);
    return {
      as_of: asOf,
      framework: proposals.framework,
      organisations: organisations.map((organisation): OrganisationSegment => {
        const d = decided.get(organisation.code) ?? null;
        const p = proposals.byCode.get(organisation.code) ?? null;
        return {
          organisation,
          decided: d,
          proposed: p,
          segment: d?.segment ?? p?.segment ?? null,
          basis: d ? "decided" : p && p.segment !== null ? "proposed" : null,
        };
      }),
    };
  });
  return {
    ...all,
    organisations: all.organisations.map((o) => {
      if (mayAssess(o.organisation.code) || o.proposed === null) return o;
      return {
        ...o,
        proposed: null,
        segment: o.decided?.segment ?? null,
        basis: o.decided ? "decided" : null,
      };
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// Publication (SOF §4, docs/domain.md §12)

export interface PublishedSegment {
  code: string;
  name: string;
  kind: OrganisationSummary["kind"];
  sector: OrganisationSummary["sector"];
  region: string;
  region_name: string;
  icb_code: string | null;
  icb_name: string | null;
  /** Null until a segment has been decided and published. */
  segment: number | null;
  segment_name: string | null;
  segment_from: string | null;
  decided_by: string | null;
  framework: string | null;
  /** The deciding body's own public rationale for the decision, as it wrote it; null if none. */
  rationale: string | null;
  /** Segments 2 and above (SOF §4): the short summary of reasons. */
  reasons: string[];
  /** Segments 2 and above: the support that goes with the segment. */
  support: string | null;
}

export interface PublishedSegmentation {
  as_at: CalendarDate;
  organisations: PublishedSegment[];
}

/** The segment a fired criterion argues for, from its id (`segment_<n>.…`); null if none. */
function criterionSegment(id: string): number | null {
  const m = /^segment_(\d)\./.exec(id);
  return m ? Number(m[1]) : null;
}

/**
 * The criteria that support the decided segment (docs/domain.md §5, §12): for 1 the segment 1
 * criteria; for 3 the segment 3 criteria; for 4 the segment 3 and 4 criteria ("in addition to
 * the segment 3 criteria"), a judgement criterion by its label only, never its recorded words.
 * Segment 2 is the default: no criterion argues for it, and none that argues for another segment
 * is published beside it. Then the organisation's recorded public support, for 3 and 4.
 * A scored framework's nodes (no segment in their id) are published as before.
 */
export function publicReasons(
  decided: Pick<DecidedSegment, "segment" | "criteria_fired">,
  recordedSupport: readonly string[],
): string[] {
  const supports = (id: string): boolean => {
    const s = criterionSegment(id);
    // A scored framework's explanation (NOF 2025/26) names no segment per node: its scored
    // facts all bear on the one segment; a node resting on judgement may carry what is not public.
    if (s === null) return !/judgement/.test(id);
    return decided.segment === 4 ? s === 3 || s === 4 : s === decided.segment && s !== 2;
  };
  const labels = decided.criteria_fired.filter((c) => supports(c.id)).map((c) => c.label);
  const mandated = decided.segment >= 3;
  const reasons = [...new Set([...labels, ...(mandated ? recordedSupport : [])])];
  if (mandated && reasons.length === 0)
    reasons.push("Mandated support decided on the evidence recorded at the time of the decision.");
  return reasons;
}

/**
 * The organisation's recorded support marked public, by organisation: its licence-breach evidence
 * and CQC recommendations in effect on `asOf`, then the enforcement steps (e.g. undertakings
 * accepted, whose non-confidential version is published: docs/domain.md §10) taken since its
 * current spell of mandated support (segment 3 or above) began, up to `asOf`.
 */
async function recordedPublicSupport(
  ctx: ServiceContext,
  asOf: CalendarDate,
): Promise<Map<string, string[]>> {
  const [judgements, events] = await Promise.all([
    ctx.db.query<{ org_code: string; summary: string }>(
      `SELECT org_code, summary FROM judgements
        WHERE confidentiality = 'public' AND recorded_on <= $1
          AND (ends_on IS NULL OR ends_on > $1)
          AND kind IN ('licence_breach_evidence', 'cqc_recommendation')
        ORDER BY org_code, recorded_on, id`,
      [asOf],
    ),
    ctx.db.query<{
      org_code: string;
      kind: EnforcementEventKind;
      summary: string;
      occurred: string;
    }>(
      `WITH spell AS (
         SELECT h.org_code, min(h.effective_from) AS began
           FROM segment_history h
          WHERE h.effective_from <= $1 AND h.segment >= 3
            AND h.effective_from > coalesce((
                  SELECT max(l.effective_from) FROM segment_history l
                   WHERE l.org_code = h.org_code AND l.effective_from <= $1 AND l.segment < 3),
                  DATE '0001-01-01')
          GROUP BY h.org_code)
       SELECT e.org_code, e.kind, e.summary, to_char(e.occurred_on, 'YYYY-MM-DD') AS occurred
         FROM enforcement_events e JOIN spell s ON s.org_code = e.org_code
        WHERE e.confidentiality = 'public' AND e.occurred_on >= s.began AND e.occurred_on <= $1
        ORDER BY e.org_code, e.occurred_on, e.id`,
      [asOf],
    ),
  ]);
  const byOrg = new Map<string, string[]>();
  const add = (org: string, text: string) => byOrg.set(org, [...(byOrg.get(org) ?? []), text]);
  for (const r of judgements) add(r.org_code, r.summary);
  for (const e of events)
    add(
      e.org_code,
      `${capitalise(ENFORCEMENT_EVENT_LABELS[e.kind].label)} on ${e.occurred}: ${e.summary}`,
    );
  return byOrg;
}

/**
 * Who decided, for the public: a decision's body, or — for a segment carried over when Oversight
 * was set up (no decision recorded in it) — that, with its reference. SOF 2016/17 has no
 * "NHS England after national moderation" (docs/domain.md §6), so it is never named for it.
 */
function decidedBy(d: DecidedSegment): string {
  if (d.decision_id === null)
    return `Carried over when Oversight was set up (${d.decision_reference})`;
  return capitalise(BODY_NAMES[d.deciding_body]);
}

function segmentOf(framework: Framework | undefined, segment: number) {
  return framework?.segments.find((s) => s.segment === segment);
}

/** Every organisation open on `asOf` with its published segment (decided ones only). */
export async function publishedSegmentation(
  ctx: ServiceContext,
  asOf: string,
): Promise<PublishedSegmentation> {
  checkDate(asOf);
  return memoised(ctx, `published:${asOf}`, async () => {
    const [organisations, decided, support] = await Promise.all([
      listOrganisations(ctx, asOf),
      decidedOn(ctx, asOf),
      recordedPublicSupport(ctx, asOf),
    ]);
    return {
      as_at: asOf,
      organisations: organisations.map((o): PublishedSegment => {
        const d = decided.get(o.code);
        const framework = d ? ctx.frameworks.get(d.framework_id) : undefined;
        const definition = d ? segmentOf(framework, d.segment) : undefined;
        const summarised = d !== undefined && d.segment >= 2;
        return {
          code: o.code,
          name: o.name,
          kind: o.kind,
          sector: o.sector,
          region: o.region,
          region_name: o.regionName,
          icb_code: o.icbCode,
          icb_name: o.icbName,
          segment: d?.segment ?? null,
          segment_name: definition?.name ?? null,
          segment_from: d?.effective_from ?? null,
          decided_by: d ? decidedBy(d) : null,
          framework: framework?.short_name ?? null,
          rationale: d?.public_rationale ?? null,
          reasons: summarised ? publicReasons(d, support.get(o.code) ?? []) : [],
          support: summarised ? (definition?.support ?? null) : null,
        };
      }),
    };
  });
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
