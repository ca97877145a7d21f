/**
 * Submitting a draft for decision, or withdrawing a recommendation before it is decided (DOMAIN §6):
 * by the proposing roles, at the version the client read.
 */
import { z } from "zod";
import { findRecommendation } from "../../store/recommendations.js";
import type { WorkflowActor } from "../authorise.js";
import type { ServiceContext } from "../context.js";
import { expectedVersion } from "../input-schemas.js";
import { defineCommand } from "../kernel/command.js";
import { lifecycleAction, moveRecommendation } from "./move-recommendation.js";
import { recommendationOrNotFound } from "./read-recommendation.js";

/** A recommendation, at the version the client read. */
export const RecommendationAtVersion = z
  .object({ id: z.number().int().positive(), expected_version: expectedVersion })
  .strict();

function lifecycleCommand(event: "submit" | "withdraw", audited: string) {
  return defineCommand({
    name: `recommendation.${event}`,
    input: RecommendationAtVersion,
    action: lifecycleAction(event),
    resource: (r) => ({ type: "recommendation", id: String(r.id) }),
    load: (ctx, r) => recommendationOrNotFound(ctx, r.id),
    locate: (rec) => ({ org_code: rec.org_code }),
    versioned: {
      lock: (tx, r) => findRecommendation(tx, r.id, true),
      expected: (r) => r.expected_version,
      describe: (r) => `recommendation ${r.id}`,
    },
    run: async ({ tx, locked, audit }) => {
      const row = await moveRecommendation(tx, locked, event);
      await audit({
        action: audited,
        entity_type: "recommendation",
        entity_id: String(row.id),
        before: locked,
        after: row,
      });
      return row;
    },
  });
}

export const submitRecommendationCommand = lifecycleCommand("submit", "recommendation.submitted");
export const withdrawRecommendationCommand = lifecycleCommand(
  "withdraw",
  "recommendation.withdrawn",
);

export function submitRecommendation(
  ctx: ServiceContext,
  actor: WorkflowActor,
  id: number,
  expected_version: number,
) {
  return submitRecommendationCommand(ctx, actor, { id, expected_version });
}

export function withdrawRecommendation(
  ctx: ServiceContext,
  actor: WorkflowActor,
  id: number,
  expected_version: number,
) {
  return withdrawRecommendationCommand(ctx, actor, { id, expected_version });
}
