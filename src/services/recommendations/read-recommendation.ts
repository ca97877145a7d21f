/**
 * Reading recommendations (DOMAIN §6): one, or a filtered list, only within the actor's scope.
 * A role that may not read recommendations at all is refused before learning whether one exists.
 */
import {
  DECISION_BODIES,
  RECOMMENDATION_STATES,
  type DecisionBody,
  type RecommendationState,
} from "../../domain/workflow/index.js";
import {
  findRecommendation,
  findRecommendations,
  type RecommendationRecord,
} from "../../store/recommendations.js";
import { authorise, scopeFilter, type WorkflowActor } from "../authorise.js";
import type { ServiceContext } from "../context.js";
import { InvalidInputError, NotFoundError } from "../errors.js";
import { orgCodeArgument } from "../input-schemas.js";

/** The recommendation `id`, or NotFoundError: what a command on it loads first. */
export async function recommendationOrNotFound(
  ctx: ServiceContext,
  id: number,
): Promise<RecommendationRecord> {
  const row = await findRecommendation(ctx.db, id);
  if (!row) throw new NotFoundError(`no recommendation ${id}`);
  return row;
}

/** One recommendation; 404 if there is none, 403 if its organisation is outside the scope. */
export async function getRecommendation(
  ctx: ServiceContext,
  actor: WorkflowActor,
  id: number,
): Promise<RecommendationRecord> {
  await authorise(ctx, actor, "recommendation:read", { type: "recommendation", id: String(id) });
  const row = await recommendationOrNotFound(ctx, id);
  await authorise(ctx, actor, "recommendation:read", {
    type: "recommendation",
    id: String(id),
    org_code: row.org_code,
  });
  return row;
}

export interface RecommendationFilters {
  org_code?: string;
  state?: RecommendationState;
  body?: DecisionBody;
}

export async function listRecommendations(
  ctx: ServiceContext,
  actor: WorkflowActor,
  filters: RecommendationFilters = {},
): Promise<RecommendationRecord[]> {
  if (filters.org_code !== undefined) orgCodeArgument(filters.org_code);
  await authorise(ctx, actor, "recommendation:read", {
    type: "recommendation",
    ...(filters.org_code ? { org_code: filters.org_code } : {}),
  });
  if (filters.state && !RECOMMENDATION_STATES.includes(filters.state))
    throw new InvalidInputError(`state: must be one of ${RECOMMENDATION_STATES.join(", ")}`);
  if (filters.body && !DECISION_BODIES.includes(filters.body))
    throw new InvalidInputError(`body: must be one of ${DECISION_BODIES.join(", ")}`);
  const visible = await scopeFilter(ctx, actor, "recommendation:read");
  const rows = await findRecommendations(ctx.db, filters);
  return rows.filter((r) => visible(r.org_code));
}
