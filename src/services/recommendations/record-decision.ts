/**
 * Recording the decision on a submitted recommendation (DOMAIN §6/§7, Annex A). Refused, with the
 * reason, when the body is not the one the framework routes the change to, or a guard fails; an
 * agreed or amended decision appends to the segment history with a snapshot of the assessment it
 * rested on. Who decided is the acting user, who must sit on the deciding body.
 */
import { z } from "zod";
import type { CalendarDate } from "../../domain/shared/dates.js";
import {
  checkDecision,
  DECISION_BODIES,
  outcomeEvent,
  transition,
  type GuardRefusal,
  type WorkflowSegment,
} from "../../domain/workflow/index.js";
import { hasLicenceBreachEvidenceOn } from "../../store/judgements.js";
import {
  findConsiderations,
  findRecommendation,
  insertDecision,
  type DecisionRecord,
  type RecommendationRecord,
} from "../../store/recommendations.js";
import {
  findSegmentOn,
  insertSegmentEntry,
  type SegmentHistoryEntry,
} from "../../store/segment-history.js";
import { authoriseBody } from "../authorise.js";
import type { ServiceContext } from "../context.js";
import { InvalidInputError } from "../errors.js";
import { calendarDate, expectedVersion, segmentNumber, text } from "../input-schemas.js";
import { assertVersion, defineCommand } from "../kernel/command.js";
import { organisationOpenOn } from "../organisations.js";
import { assessmentSnapshot, auditedEntry } from "../segments/assessment-snapshot.js";
import { moveRecommendation } from "./move-recommendation.js";
import { recommendationOrNotFound } from "./read-recommendation.js";

export const NewDecision = z
  .object({
    recommendation_id: z.number().int().positive(),
    expected_version: expectedVersion,
    body: z.enum(DECISION_BODIES),
    decided_on: calendarDate,
    outcome: z.enum(["agreed", "rejected", "amended"]),
    /** Amended only: the segment the body decided instead. */
    resulting_segment: segmentNumber.optional(),
    reference: text,
    exit_criteria_met: z.boolean().default(false),
    exit_criteria_evidence: text.nullable().default(null),
    /**
     * The short summary of reasons the body publishes with the segment (SOF §4; docs/domain.md
     * §12): written for the public, and published on the organisation's public page and in the
     * open data. Never a place for confidential intelligence.
     */
    public_rationale: text.nullable().default(null),
  })
  .strict();
type NewDecision = z.output<typeof NewDecision>;

export interface DecisionResult {
  recommendation: RecommendationRecord;
  decision: DecisionRecord;
  history: SegmentHistoryEntry | null;
}

/** The input field each guard's refusal concerns. */
const GUARD_FIELDS: Record<GuardRefusal["guard"], string> = {
  no_routing_rule: "resulting_segment",
  wrong_body: "body",
  prior_consideration: "recommendation_id",
  intensive_support_national_only: "body",
  licence_breach_evidence: "recommendation_id",
  exit_route: "resulting_segment",
  exit_criteria_met: "exit_criteria_met",
};

/** A decision that a guard refuses (DOMAIN §6/§7): each refusal with its reason and citation. */
export class DecisionRefusedError extends InvalidInputError {
  constructor(readonly refusals: GuardRefusal[]) {
    super(
      `decision refused: ${refusals.map((r) => r.reason).join("; ")}`,
      refusals.map((r) => ({ path: GUARD_FIELDS[r.guard], message: r.reason })),
    );
    this.name = "DecisionRefusedError";
  }
}

/** The segment the decision results in (none for a rejection), checked against the framework. */
function resultingSegment(d: NewDecision, rec: RecommendationRecord, frameworkSegments: number[]) {
  if (d.outcome === "amended" && d.resulting_segment === undefined)
    throw new InvalidInputError(
      "resulting_segment: an amended decision names the segment decided",
      [{ path: "resulting_segment", message: "required when the outcome is amended" }],
    );
  if (d.outcome !== "amended" && d.resulting_segment !== undefined)
    throw new InvalidInputError(
      `resulting_segment: only an amended decision names one (${d.outcome} ${d.outcome === "agreed" ? "results in the recommended segment" : "leaves the segment unchanged"})`,
    );
  const resulting: WorkflowSegment | null =
    d.outcome === "rejected" ? null : ((d.resulting_segment ?? rec.to_segment) as WorkflowSegment);
  if (resulting !== null && !frameworkSegments.includes(resulting))
    throw new InvalidInputError(
      `resulting_segment: ${rec.framework_id} has no segment ${resulting}`,
    );
  return resulting;
}

/** Every check before the decision is written, and the assessment snapshot it will keep. */
async function prepareDecision(
  ctx: ServiceContext,
  actor: Parameters<typeof authoriseBody>[1],
  d: NewDecision,
  rec: RecommendationRecord,
) {
  assertVersion(`recommendation ${rec.id}`, rec, d.expected_version);
  const step = transition(rec.state, outcomeEvent(d.outcome));
  if (!step.ok) throw new InvalidInputError(`recommendation ${rec.id}: ${step.reason}`);
  if (d.decided_on < rec.proposed_on)
    throw new InvalidInputError(
      `decided_on: ${d.decided_on} is before the recommendation was proposed (${rec.proposed_on})`,
    );
  const framework = ctx.frameworks.get(rec.framework_id);
  if (!framework) throw new InvalidInputError(`unknown framework ${rec.framework_id}`);
  const resulting = resultingSegment(
    d,
    rec,
    framework.segments.map((s) => s.segment),
  );
  const org = await organisationOpenOn(ctx, rec.org_code, d.decided_on);
  // A rejection changes no segment, but is still the routed body's to make.
  const refusals: GuardRefusal[] =
    resulting === null
      ? rec.routed_body === d.body
        ? []
        : [
            {
              guard: "wrong_body",
              reason: `recommendation ${rec.id} is routed to ${rec.routed_body} (rule ${rec.routing_rule_id}), not ${d.body}`,
              citation: rec.routing_citation,
            },
          ]
      : checkDecision({
          framework,
          kind: org.kind,
          from: rec.from_segment,
          to: resulting,
          enforcement: rec.proposed_enforcement,
          body: d.body,
          licenceBreachEvidence: await hasLicenceBreachEvidenceOn(
            ctx.db,
            rec.org_code,
            d.decided_on,
          ),
          exitCriteria: { met: d.exit_criteria_met, evidence: d.exit_criteria_evidence },
          consideredBy: (await findConsiderations(ctx.db, rec.id)).map((c) => c.body),
        });
  if (refusals.length) throw new DecisionRefusedError(refusals);
  // The acting user must sit on the body the decision is recorded for (docs/access.md).
  await authoriseBody(ctx, actor, d.body, rec.org_code, {
    type: "decision",
    id: String(rec.id),
    org_code: rec.org_code,
  });
  const snapshot =
    resulting === null
      ? null
      : await assessmentSnapshot(ctx, rec.org_code, framework.id, d.decided_on as CalendarDate);
  return { framework, resulting, snapshot };
}

export const decide = defineCommand({
  name: "decision.record",
  input: NewDecision,
  action: "decision:record",
  resource: (d) => ({ type: "decision", id: String(d.recommendation_id) }),
  load: (ctx, d) => recommendationOrNotFound(ctx, d.recommendation_id),
  locate: (rec) => ({ org_code: rec.org_code }),
  prepare: (ctx, actor, d, rec) => prepareDecision(ctx, actor, d, rec),
  versioned: {
    lock: (tx, d) => findRecommendation(tx, d.recommendation_id, true),
    expected: (d) => d.expected_version,
    describe: (d) => `recommendation ${d.recommendation_id}`,
  },
  run: async ({
    tx,
    actor,
    input: d,
    prepared,
    locked: current,
    audit,
  }): Promise<DecisionResult> => {
    const { framework, resulting, snapshot } = prepared;
    const recommendation = await moveRecommendation(tx, current, outcomeEvent(d.outcome));
    const decision = await insertDecision(tx, {
      recommendation_id: current.id,
      body: d.body,
      decided_by: actor.user,
      decided_on: d.decided_on,
      outcome: d.outcome,
      resulting_segment: resulting,
      reference: d.reference,
      exit_criteria_met: d.exit_criteria_met,
      exit_criteria_evidence: d.exit_criteria_evidence,
      public_rationale: d.public_rationale,
    });
    await audit({
      action: `recommendation.${recommendation.state}`,
      entity_type: "recommendation",
      entity_id: String(current.id),
      before: current,
      after: recommendation,
    });
    await audit({
      action: "decision.recorded",
      entity_type: "decision",
      entity_id: String(decision.id),
      before: null,
      after: decision,
    });
    if (resulting === null || snapshot === null) return { recommendation, decision, history: null };
    const previous = await findSegmentOn(tx, current.org_code, d.decided_on);
    const history = await insertSegmentEntry(tx, {
      org_code: current.org_code,
      segment: resulting,
      effective_from: d.decided_on,
      deciding_body: d.body,
      decision_id: decision.id,
      decision_reference: d.reference,
      framework_id: framework.id,
      data_as_at: d.decided_on,
      assessment_snapshot: snapshot,
      recorded_by: actor.user,
    });
    await audit({
      action: "segment.changed",
      entity_type: "segment_history",
      entity_id: String(history.id),
      before: previous ? auditedEntry(previous) : null,
      after: auditedEntry(history),
    });
    return { recommendation, decision, history };
  },
});
