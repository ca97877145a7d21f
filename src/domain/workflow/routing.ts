/**
 * Routing: which body must decide a proposed segment change (docs/domain.md §6; SOF §4, seed 000; NHS OF
 * 2022/23 §32 and Annex A, seed 004). The rules are the framework version's routing table
 * (policy as data); the first rule whose every stated condition matches decides the body, as the
 * framework files say. An omitted condition matches anything.
 */
import type { Framework, RoutingRule } from "../frameworks/schema.js";
import type { OrgKind } from "../organisations/organisation.js";

export type DecisionBody = RoutingRule["body"];
export type EnforcementAction = NonNullable<RoutingRule["enforcement"]>[number];
export type WorkflowSegment = 1 | 2 | 3 | 4 | 5;

export const DECISION_BODIES = ["rsg", "prc", "national_moderation", "nhse_with_icb"] as const;
export const ENFORCEMENT_ACTIONS = ["none", "seeking_actions", "requiring_actions"] as const;

/** The bodies that decide nationally (docs/domain.md §2, §6): the PRC / NHS England after national moderation. */
export const NATIONAL_BODIES: readonly DecisionBody[] = ["prc", "national_moderation"];

export const BODY_NAMES: Record<DecisionBody, string> = {
  rsg: "the Regional Support Group",
  prc: "the Provider Regulation Committee (national)",
  national_moderation: "NHS England after national moderation",
  nhse_with_icb: "NHS England with the ICB",
};

export interface ProposedMove {
  kind: OrgKind;
  from: WorkflowSegment;
  to: WorkflowSegment;
  enforcement: EnforcementAction;
}

export type Routing =
  | {
      routed: true;
      framework_id: string;
      rule_id: string;
      body: DecisionBody;
      /** The body that must consider the recommendation before `body` decides, if any. */
      considered_first_by: DecisionBody | null;
      /** Who leads the recommendation (SOF §4: special measures — central teams). */
      recommendation_led_by: "region" | "central";
      citation: string;
    }
  | { routed: false; framework_id: string; reason: string };

function matches(rule: RoutingRule, move: ProposedMove): boolean {
  return (
    (rule.from === undefined || rule.from.includes(move.from)) &&
    (rule.to === undefined || rule.to.includes(move.to)) &&
    (rule.kinds === undefined || rule.kinds.includes(move.kind)) &&
    (rule.enforcement === undefined || rule.enforcement.includes(move.enforcement))
  );
}

export function describeMove(move: ProposedMove): string {
  return `${move.kind} ${move.from}→${move.to} (enforcement: ${move.enforcement})`;
}

/** The body that must decide `move` under `framework`, and the rule (with its citation) that says so. */
export function routeDecision(
  framework: Pick<Framework, "id" | "routing">,
  move: ProposedMove,
): Routing {
  const rule = framework.routing.find((r) => matches(r, move));
  if (!rule)
    return {
      routed: false,
      framework_id: framework.id,
      reason: `no routing rule in ${framework.id} covers ${describeMove(move)}`,
    };
  return {
    routed: true,
    framework_id: framework.id,
    rule_id: rule.id,
    body: rule.body,
    considered_first_by: rule.considered_first_by ?? null,
    recommendation_led_by: rule.recommendation_led_by ?? "region",
    citation: rule.citation,
  };
}
