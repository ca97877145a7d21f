/** The decisions recorded (DOMAIN §6), oldest first, within the actor's scope. */
import { DECISION_BODIES, type DecisionBody } from "../../domain/workflow/index.js";
import { findDecisions, type DecisionRecord } from "../../store/recommendations.js";
import { authorise, scopeFilter, type WorkflowActor } from "../authorise.js";
import type { ServiceContext } from "../context.js";
import { InvalidInputError } from "../errors.js";
import { orgCodeArgument } from "../input-schemas.js";

export interface DecisionFilters {
  org_code?: string;
  body?: DecisionBody;
}

/** The decisions recorded, oldest first, optionally of one organisation or by one body. */
export async function listDecisions(
  ctx: ServiceContext,
  actor: WorkflowActor,
  filters: DecisionFilters = {},
): Promise<DecisionRecord[]> {
  if (filters.org_code !== undefined) orgCodeArgument(filters.org_code);
  await authorise(ctx, actor, "decision:read", {
    type: "decision",
    ...(filters.org_code ? { org_code: filters.org_code } : {}),
  });
  if (filters.body && !DECISION_BODIES.includes(filters.body))
    throw new InvalidInputError(`body: must be one of ${DECISION_BODIES.join(", ")}`);
  const visible = await scopeFilter(ctx, actor, "decision:read");
  const rows = await findDecisions(ctx.db, filters);
  return rows.filter((r) => visible(r.org_code)).map(({ org_code: _org, ...d }) => d);
}
