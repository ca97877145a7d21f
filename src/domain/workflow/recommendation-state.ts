/**
 * The life of a recommendation (Issue 4): draft → submitted → agreed | rejected | amended, or
 * withdrawn from draft or submitted. A decided or withdrawn recommendation is final. The
 * transitions are a table, not scattered conditions.
 */
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

const TRANSITIONS: Record<
  RecommendationState,
  Partial<Record<RecommendationEvent, RecommendationState>>
> = {
  draft: { submit: "submitted", withdraw: "withdrawn" },
  submitted: { agree: "agreed", reject: "rejected", amend: "amended", withdraw: "withdrawn" },
  agreed: {},
  rejected: {},
  amended: {},
  withdrawn: {},
};

export function isFinal(state: RecommendationState): boolean {
  return Object.keys(TRANSITIONS[state]).length === 0;
}

export type Transition = { ok: true; to: RecommendationState } | { ok: false; reason: string };

export function transition(from: RecommendationState, event: RecommendationEvent): Transition {
  const to = TRANSITIONS[from][event];
  if (to) return { ok: true, to };
  return {
    ok: false,
    reason: isFinal(from)
      ? `the recommendation is ${from}, which is final: nothing can follow`
      : `cannot ${event} a recommendation that is ${from}`,
  };
}

/** The event a decision outcome is. */
export function outcomeEvent(outcome: "agreed" | "rejected" | "amended"): RecommendationEvent {
  return outcome === "agreed" ? "agree" : outcome === "rejected" ? "reject" : "amend";
}
