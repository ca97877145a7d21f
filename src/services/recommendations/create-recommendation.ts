/**
 * Proposing a change of segment (DOMAIN §6): a draft recommendation, routed by the framework in
 * force on the day it is proposed to the body that must decide it. Its proposer is the actor.
 */
import { z } from "zod";
import type { CalendarDate } from "../../domain/shared/dates.js";
import { ROLE_SCOPE } from "../../domain/access/policy.js";
import {
  checkRecommendationLead,
  ENFORCEMENT_ACTIONS,
  routeDecision,
  type WorkflowSegment,
} from "../../domain/workflow/index.js";
import type { WorkflowActor } from "../authorise.js";
import { judgementIdsOf } from "../../store/judgements.js";
import { insertRecommendation } from "../../store/recommendations.js";
import { findSegmentOn } from "../../store/segment-history.js";
import type { ServiceContext } from "../context.js";
import { InvalidInputError } from "../errors.js";
import { calendarDate, segmentNumber, text } from "../input-schemas.js";
import { defineCommand } from "../kernel/command.js";
import { organisationOpenOn } from "../organisations.js";

export const NewRecommendation = z
  .object({
    org_code: text,
    proposed_on: calendarDate,
    from_segment: segmentNumber,
    to_segment: segmentNumber,
    rationale: text,
    judgement_ids: z.array(z.number().int().positive()).default([]),
    proposed_support: text.nullable().default(null),
    proposed_enforcement: z.enum(ENFORCEMENT_ACTIONS).default("none"),
    proposer_team: text.nullable().default(null),
  })
  .strict();
type NewRecommendation = z.output<typeof NewRecommendation>;

/** The framework version in force on `date`, or bad input. */
export function frameworkInForce(ctx: ServiceContext, date: string) {
  const framework = ctx.frameworks.inForceOn(date as CalendarDate);
  if (!framework) throw new InvalidInputError(`no framework version is in force on ${date}`);
  return framework;
}

/** The checks a proposal must pass, and the routing of the change it proposes. */
async function routeProposal(ctx: ServiceContext, actor: WorkflowActor, r: NewRecommendation) {
  const org = await organisationOpenOn(ctx, r.org_code, r.proposed_on);
  const framework = frameworkInForce(ctx, r.proposed_on);
  if (!framework.organisation_kinds.includes(org.kind))
    throw new InvalidInputError(
      `${r.org_code} (${org.kind}) is not segmented under ${framework.id}, in force on ${r.proposed_on}`,
    );
  const segments = framework.segments.map((s) => s.segment);
  for (const field of ["from_segment", "to_segment"] as const)
    if (!segments.includes(r[field]))
      throw new InvalidInputError(
        `${field}: ${framework.id} has segments ${segments.join(", ")}, not ${r[field]}`,
        [{ path: field, message: `not a segment of ${framework.id}` }],
      );
  const current = await findSegmentOn(ctx.db, r.org_code, r.proposed_on);
  if (current && current.segment !== r.from_segment)
    throw new InvalidInputError(
      `from_segment: ${r.org_code} is in segment ${current.segment} on ${r.proposed_on} (since ${current.effective_from}), not ${r.from_segment}`,
      [{ path: "from_segment", message: `the current segment is ${current.segment}` }],
    );
  if (r.judgement_ids.length) {
    const found = await judgementIdsOf(ctx.db, r.org_code, r.judgement_ids);
    const missing = r.judgement_ids.filter((id) => !found.includes(id));
    if (missing.length)
      throw new InvalidInputError(
        `judgement_ids: no judgement ${missing.join(", ")} of ${r.org_code}`,
        [{ path: "judgement_ids", message: `unknown: ${missing.join(", ")}` }],
      );
  }
  const routing = routeDecision(framework, {
    kind: org.kind,
    from: r.from_segment as WorkflowSegment,
    to: r.to_segment as WorkflowSegment,
    enforcement: r.proposed_enforcement,
  });
  if (!routing.routed) throw new InvalidInputError(routing.reason);
  // SOF §4: segment 4 recommendations are led by central teams — the roles that act nationally.
  const lead = checkRecommendationLead(
    routing,
    { from: r.from_segment as WorkflowSegment, to: r.to_segment as WorkflowSegment },
    ROLE_SCOPE[actor.role] === "nation" ? "central" : "region",
  );
  if (lead)
    throw new InvalidInputError(lead.reason, [{ path: "to_segment", message: lead.reason }]);
  return { framework, routing };
}

export const createRecommendation = defineCommand({
  name: "recommendation.create",
  input: NewRecommendation,
  action: "recommendation:create",
  resource: (r) => ({ type: "recommendation", org_code: r.org_code }),
  prepare: (ctx, actor, r) => routeProposal(ctx, actor, r),
  run: async ({ tx, actor, input: r, prepared: { framework, routing }, audit }) => {
    const row = await insertRecommendation(tx, {
      org_code: r.org_code,
      framework_id: framework.id,
      proposed_on: r.proposed_on,
      proposer_user: actor.user,
      proposer_role: actor.role,
      proposer_team: r.proposer_team,
      from_segment: r.from_segment as WorkflowSegment,
      to_segment: r.to_segment as WorkflowSegment,
      rationale: r.rationale,
      judgement_ids: r.judgement_ids,
      proposed_support: r.proposed_support,
      proposed_enforcement: r.proposed_enforcement,
      routed_body: routing.body,
      routing_rule_id: routing.rule_id,
      routing_citation: routing.citation,
    });
    await audit({
      action: "recommendation.created",
      entity_type: "recommendation",
      entity_id: String(row.id),
      before: null,
      after: row,
    });
    return row;
  },
});
