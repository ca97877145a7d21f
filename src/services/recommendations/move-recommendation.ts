/**
 * A recommendation moved along its lifecycle (src/domain/workflow/recommendation-state.ts) inside a
 * command's transaction, from the version the command locked and checked.
 */
import {
  RECOMMENDATION_LIFECYCLE,
  transition,
  type RecommendationEvent,
} from "../../domain/workflow/index.js";
import type { Action } from "../../domain/access/policy.js";
import type { Transaction } from "../../store/database.js";
import { advanceRecommendation, type RecommendationRecord } from "../../store/recommendations.js";
import { InvalidInputError, StaleWriteError } from "../errors.js";

/** The state `event` moves `current` to, or bad input naming why it cannot. */
export function nextState(current: RecommendationRecord, event: RecommendationEvent) {
  const step = transition(current.state, event);
  if (!step.ok) throw new InvalidInputError(`recommendation ${current.id}: ${step.reason}`);
  return step.to;
}

/** Moves the locked `current` on by `event`: its new state, its version one on. */
export async function moveRecommendation(
  tx: Transaction,
  current: RecommendationRecord,
  event: RecommendationEvent,
): Promise<RecommendationRecord> {
  const row = await advanceRecommendation(
    tx,
    current.id,
    current.version,
    nextState(current, event),
  );
  if (!row) throw new StaleWriteError(`recommendation ${current.id} has changed`, current);
  return row;
}

/** The action the lifecycle table says the roles taking `event` need. */
export function lifecycleAction(event: RecommendationEvent): Action {
  const rule = RECOMMENDATION_LIFECYCLE.transitions.find((t) => t.event === event);
  if (!rule || !("action" in rule.by))
    throw new Error(`the recommendation lifecycle has no role-taken ${event}`);
  return rule.by.action;
}
