/**
 * The life of a recommendation (DOMAIN §6), the first case workflow declared as a table
 * (state-machine.ts): draft → submitted → agreed | rejected | amended, or withdrawn from draft or
 * submitted. A decided or withdrawn recommendation is final. The proposing roles submit and
 * withdraw (the access matrix's `recommendation:submit` / `:withdraw`); the body the change was
 * routed to decides it, its guards checked by guards.ts.
 */
import { isFinalState, stateMachine, step } from "./state-machine.js";

export const RECOMMENDATION_STATES = [
  "draft",
  "submitted",
  "agreed",
  "rejected",
  "amended",
  "withdrawn",
] as const;
export type RecommendationState = (typeof RECOMMENDATION_STATES)[number];

export type RecommendationEvent = "submit" | "withdraw" | "agree" | "reject" | "amend";

export const RECOMMENDATION_LIFECYCLE = stateMachine<
  RecommendationState,
  RecommendationEvent,
  never
>({
  name: "recommendation",
  states: RECOMMENDATION_STATES,
  transitions: [
    { from: "draft", event: "submit", to: "submitted", by: { action: "recommendation:submit" } },
    {
      from: "draft",
      event: "withdraw",
      to: "withdrawn",
      by: { action: "recommendation:withdraw" },
    },
    { from: "submitted", event: "agree", to: "agreed", by: { body: "routed" } },
    { from: "submitted", event: "reject", to: "rejected", by: { body: "routed" } },
    { from: "submitted", event: "amend", to: "amended", by: { body: "routed" } },
    {
      from: "submitted",
      event: "withdraw",
      to: "withdrawn",
      by: { action: "recommendation:withdraw" },
    },
  ],
});

export function isFinal(state: RecommendationState): boolean {
  return isFinalState(RECOMMENDATION_LIFECYCLE, state);
}

export type Transition = { ok: true; to: RecommendationState } | { ok: false; reason: string };

export function transition(from: RecommendationState, event: RecommendationEvent): Transition {
  const next = step(RECOMMENDATION_LIFECYCLE, from, event);
  return next.ok ? { ok: true, to: next.to } : next;
}

/** The event a decision outcome is. */
export function outcomeEvent(outcome: "agreed" | "rejected" | "amended"): RecommendationEvent {
  return outcome === "agreed" ? "agree" : outcome === "rejected" ? "reject" : "amend";
}
