/**
 * The guards on a segment decision (docs/domain.md §5–§7, SOF §4 in seed 000, NHS OF 2022/23 §39
 * and Annex A in seed 004). Which segments carry mandated support comes from the framework
 * version (`mandated_support`), so the guards read policy as data: the intensive segment is the
 * highest mandated one (4 under SOF 2016 and NHS OF 2022/23, 5 — the Recovery Support Programme —
 * under NHS OF 2025/26). The segments and kinds that need licence-breach evidence are the
 * eligibility criteria's `licence_breach_required_for` / `_kinds` (3 and 4, foundation trusts and
 * NHS trusts alike: "or equivalent for NHS trusts", Annex A §12 and Table 2); a scored framework
 * has none. Where a segment names `exits_to`, a decision leaving it may go only there (Annex A
 * §60: the RSP exits to segment 3).
 */
import type { Framework } from "../frameworks/schema.js";
import type { OrgKind } from "../organisations/organisation.js";
import {
  BODY_NAMES,
  NATIONAL_BODIES,
  routeDecision,
  type DecisionBody,
  type EnforcementAction,
  type ProposedMove,
  type Routing,
  type WorkflowSegment,
} from "./routing.js";

export type GuardId =
  | "no_routing_rule"
  | "wrong_body"
  | "prior_consideration"
  | "intensive_support_national_only"
  | "licence_breach_evidence"
  | "exit_criteria_met"
  | "exit_route";

export interface GuardRefusal {
  guard: GuardId;
  reason: string;
  citation: string;
}

export interface DecisionToCheck {
  framework: Pick<Framework, "id" | "routing" | "segments" | "criteria">;
  kind: OrgKind;
  from: WorkflowSegment;
  /** The segment the decision results in. */
  to: WorkflowSegment;
  enforcement: EnforcementAction;
  /** The body recording the decision. */
  body: DecisionBody;
  /** A `licence_breach_evidence` judgement is in effect for the organisation on the decision date. */
  licenceBreachEvidence: boolean;
  exitCriteria: { met: boolean; evidence: string | null };
  /** The bodies that have recorded their consideration of the recommendation. */
  consideredBy: readonly DecisionBody[];
}

/** The framework's mandated intensive support segment (special measures / the RSP), if any. */
export function intensiveSegment(framework: Pick<Framework, "segments">): number | null {
  const mandated = framework.segments.filter((s) => s.mandated_support).map((s) => s.segment);
  return mandated.length ? Math.max(...mandated) : null;
}

/** Mandated support short of intensive support: for trusts, actual or suspected breach of licence. */
export function licenceBreachSegments(framework: Pick<Framework, "segments">): number[] {
  const intensive = intensiveSegment(framework);
  return framework.segments
    .filter((s) => s.mandated_support && s.segment !== intensive)
    .map((s) => s.segment);
}

/** The segments and organisation kinds that need recorded licence-breach evidence. */
export function licenceBreachGate(framework: Pick<Framework, "criteria">): {
  segments: readonly number[];
  kinds: readonly OrgKind[];
} {
  const c = framework.criteria;
  return c.method === "eligibility"
    ? { segments: c.licence_breach_required_for, kinds: c.licence_breach_required_kinds }
    : { segments: [], kinds: [] };
}

function isMandated(framework: Pick<Framework, "segments">, segment: number): boolean {
  return framework.segments.some((s) => s.segment === segment && s.mandated_support);
}

const KIND_WORDS: Record<OrgKind, string> = {
  foundation_trust: "a foundation trust",
  nhs_trust: "an NHS trust",
  icb: "an ICB",
};

function listWords(segments: readonly number[]): string {
  return segments.join(" or ");
}

/** Every guard the decision fails; empty when it may be recorded. */
export function checkDecision(d: DecisionToCheck): GuardRefusal[] {
  const refusals: GuardRefusal[] = [];
  const move = { kind: d.kind, from: d.from, to: d.to, enforcement: d.enforcement };
  const routing = routeDecision(d.framework, move);
  if (!routing.routed) {
    refusals.push({
      guard: "no_routing_rule",
      reason: routing.reason,
      citation: "DOMAIN §6: every change is decided by a named governance body",
    });
  } else if (routing.body !== d.body) {
    refusals.push({
      guard: "wrong_body",
      reason: `${d.from}→${d.to} must be decided by ${BODY_NAMES[routing.body]} (rule ${routing.rule_id} of ${routing.framework_id}), not ${BODY_NAMES[d.body]}`,
      citation: routing.citation,
    });
  }
  if (
    routing.routed &&
    routing.considered_first_by !== null &&
    !d.consideredBy.includes(routing.considered_first_by)
  ) {
    refusals.push({
      guard: "prior_consideration",
      reason: `${d.from}→${d.to} (enforcement: ${d.enforcement}) goes to ${BODY_NAMES[routing.body]} having been through ${BODY_NAMES[routing.considered_first_by]} (rule ${routing.rule_id} of ${routing.framework_id}), and no consideration by ${BODY_NAMES[routing.considered_first_by]} is recorded`,
      citation: `DOMAIN §6; ${routing.citation}`,
    });
  }

  const intensive = intensiveSegment(d.framework);
  if (intensive !== null && (d.from === intensive || d.to === intensive)) {
    if (!NATIONAL_BODIES.includes(d.body)) {
      const what = d.from === d.to ? "keep" : d.to === intensive ? "place" : "remove";
      refusals.push({
        guard: "intensive_support_national_only",
        reason: `only the national body may ${what} an organisation in segment ${intensive}, not ${BODY_NAMES[d.body]}`,
        citation:
          'DOMAIN §6; SOF §4 (seed 000) "all decisions to place, keep or remove a provider from special measures (segment 4) will be taken by the Provider Regulation Committee"; NHS OF 2022/23 Annex A §16 and §60 (seed 004)',
      });
    }
  }

  const gate = licenceBreachGate(d.framework);
  if (
    gate.kinds.includes(d.kind) &&
    d.from !== d.to &&
    gate.segments.includes(d.to) &&
    !d.licenceBreachEvidence
  ) {
    refusals.push({
      guard: "licence_breach_evidence",
      reason: `${KIND_WORDS[d.kind]} is placed in segment ${d.to} only with recorded evidence of actual or suspected breach of its licence (or the equivalent for an NHS trust): a licence_breach_evidence judgement in effect on the decision date; none is recorded`,
      citation:
        'docs/domain.md §5; NHS OF 2022/23 Annex A §12 and Table 2 (seed 004): "actual or suspected breach of the NHS provider licence (or equivalent for NHS trusts)"; SOF §4 (seed 000)',
    });
  }

  const exits = d.framework.segments.find((s) => s.segment === d.from)?.exits_to;
  if (exits !== undefined && d.to < d.from && !exits.includes(d.to)) {
    refusals.push({
      guard: "exit_route",
      reason: `an organisation leaves segment ${d.from} for segment ${listWords(exits)} only, not ${d.to}`,
      citation:
        "docs/domain.md §9; NHS OF 2022/23 Annex A §60 (seed 004): exit from the Recovery Support Programme is to segment 3, with a transitional support package",
    });
  }

  if (isMandated(d.framework, d.from) && d.to < d.from) {
    const evidence = d.exitCriteria.evidence?.trim() ?? "";
    if (!d.exitCriteria.met || evidence === "") {
      refusals.push({
        guard: "exit_criteria_met",
        reason: `exit from segment ${d.from} needs its exit criteria recorded as met, with evidence${d.exitCriteria.met ? " (no evidence given)" : ""}`,
        citation: "DOMAIN §9; NHS OF 2022/23 §39 and Annex A §36–§38 and §60 (seed 004)",
      });
    }
  }
  return refusals;
}

/** Who is proposing a change: a region's team or NHS England's central (national) teams. */
export type ProposingTeam = "region" | "central";

/**
 * SOF §4 (seed 000): "Recommendations to place a provider in or remove a provider from special
 * measures will be led by central teams, with regional input"; and from segment 3, "central
 * teams, with regional team input, can recommend providers move to segment 4". The routing rule
 * says who leads (`recommendation_led_by`, policy as data): where it is `central`, a region's
 * team may give its input but not make the recommendation. Null when the proposer may lead it.
 */
export function checkRecommendationLead(
  routing: Extract<Routing, { routed: true }>,
  move: Pick<ProposedMove, "from" | "to">,
  proposer: ProposingTeam,
): { reason: string; citation: string } | null {
  if (routing.recommendation_led_by !== "central" || proposer === "central") return null;
  const what =
    move.from === move.to
      ? `keep an organisation in segment ${move.to}`
      : move.to > move.from
        ? `place an organisation in segment ${move.to}`
        : `take an organisation out of segment ${move.from}`;
  return {
    reason: `A recommendation to ${what} is led by NHS England's central teams, with the region's input: a regional team cannot make it. Give the region's evidence to the national oversight team, who make the recommendation (rule ${routing.rule_id} of ${routing.framework_id}).`,
    citation:
      'SOF §4 (seed 000), "Where a provider is in segment 4 (special measures)": "Recommendations to place a provider in or remove a provider from special measures will be led by central teams, with regional input."',
  };
}
