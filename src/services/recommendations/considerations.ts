/**
 * Which body considers a recommendation before its deciding body (DOMAIN §6: requiring actions go
 * to the PRC having been through an RSG), and the considerations recorded.
 */
import type { DecisionBody } from "../../domain/workflow/index.js";
import { routeDecision } from "../../domain/workflow/index.js";
import {
  findConsiderations,
  type ConsiderationRecord,
  type RecommendationRecord,
} from "../../store/recommendations.js";
import type { WorkflowActor } from "../authorise.js";
import type { ServiceContext } from "../context.js";
import { InvalidInputError } from "../errors.js";
import { organisationOpenOn } from "../organisations.js";
import { getRecommendation } from "./read-recommendation.js";

/**
 * The body the routing rule names to consider `rec` before its deciding body does, or null when
 * it goes straight to its body. Read with the organisation's kind on `onDate`.
 */
export async function consideredFirstBy(
  ctx: ServiceContext,
  rec: RecommendationRecord,
  onDate: string = rec.proposed_on,
): Promise<DecisionBody | null> {
  const framework = ctx.frameworks.get(rec.framework_id);
  if (!framework) throw new InvalidInputError(`unknown framework ${rec.framework_id}`);
  const org = await organisationOpenOn(ctx, rec.org_code, onDate);
  const routing = routeDecision(framework, {
    kind: org.kind,
    from: rec.from_segment,
    to: rec.to_segment,
    enforcement: rec.proposed_enforcement,
  });
  return routing.routed ? routing.considered_first_by : null;
}

/** The considerations recorded on a recommendation, in the order they were recorded. */
export async function listConsiderations(
  ctx: ServiceContext,
  actor: WorkflowActor,
  recommendationId: number,
): Promise<ConsiderationRecord[]> {
  const rec = await getRecommendation(ctx, actor, recommendationId);
  return findConsiderations(ctx.db, rec.id);
}
