/**
 * The guards on a segment decision (DOMAIN §5–§7, SOF §4 in seed 000, NHS OF 2022/23 §39 and
 * Annex A in seed 004). Which segments carry mandated support comes from the framework version
 * (`mandated_support`), so the guards read policy as data: the intensive segment is the highest
 * mandated one (4 under SOF 2016 and NHS OF 2022/23, 5 — the Recovery Support Programme — under
 * NHS OF 2025/26), and the licence-breach segment is any other mandated one (3 under SOF 2016
 * and NHS OF 2022/23; none under NHS OF 2025/26, whose segments 1–4 are scored).
 */
import type { Framework } from "../frameworks/schema.js";
import type { OrgKind } from "../organisations/organisation.js";
import {
  BODY_NAMES,
  NATIONAL_BODIES,
  routeDecision,
  type DecisionBody,
  type EnforcementAction,
  type WorkflowSegment,
} from "./routing.js";

export type GuardId =
  | "no_routing_rule"
  | "wrong_body"
  | "prior_consideration"
  | "intensive_support_national_only"
  | "foundation_trust_licence_breach"
  | "exit_criteria_met";

export interface GuardRefusal {
  guard: GuardId;
  reason: string;
  citation: string;
}

export interface DecisionToCheck {
  framework: Pick<Framework, "id" | "routing" | "segments">;
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

function isMandated(framework: Pick<Framework, "segments">, segment: number): boolean {
  return framework.segments.some((s) => s.segment === segment && s.mandated_support);
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

  if (
    d.kind === "foundation_trust" &&
    d.from !== d.to &&
    licenceBreachSegments(d.framework).includes(d.to) &&
    !d.licenceBreachEvidence
  ) {
    refusals.push({
      guard: "foundation_trust_licence_breach",
      reason: `a foundation trust is placed in segment ${d.to} only with recorded evidence of actual or suspected breach of its licence (a licence_breach_evidence judgement in effect on the decision date); none is recorded`,
      citation: "DOMAIN §5; NHS OF 2022/23 Annex A §12 (seed 004); SOF §4 (seed 000)",
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
