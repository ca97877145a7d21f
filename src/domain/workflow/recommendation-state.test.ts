/**
 * requirements §4 "Records": a recommendation goes draft → submitted → agreed | rejected | amended, or is
 * withdrawn from draft or submitted; nothing follows a final state.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  isFinal,
  RECOMMENDATION_STATES,
  transition,
  type RecommendationEvent,
  type RecommendationState,
} from "./recommendation-state.js";

const EVENTS: RecommendationEvent[] = ["submit", "withdraw", "agree", "reject", "amend"];

describe("recommendation state machine (requirements §4)", () => {
  it("allows exactly the transitions of the issue", () => {
    const allowed: string[] = [];
    for (const from of RECOMMENDATION_STATES)
      for (const event of EVENTS) {
        const step = transition(from, event);
        if (step.ok) allowed.push(`${from} -${event}-> ${step.to}`);
      }
    assert.deepEqual(allowed.sort(), [
      "draft -submit-> submitted",
      "draft -withdraw-> withdrawn",
      "submitted -agree-> agreed",
      "submitted -amend-> amended",
      "submitted -reject-> rejected",
      "submitted -withdraw-> withdrawn",
    ]);
  });

  it("a draft cannot be decided before it is submitted", () => {
    const step = transition("draft", "agree");
    assert.equal(step.ok, false);
    assert.match(!step.ok ? step.reason : "", /cannot agree a recommendation that is draft/);
  });

  it("nothing follows a final state, and says so", () => {
    const finals: RecommendationState[] = ["agreed", "rejected", "amended", "withdrawn"];
    for (const state of finals) {
      assert.equal(isFinal(state), true, state);
      for (const event of EVENTS) {
        const step = transition(state, event);
        assert.equal(step.ok, false);
        assert.match(!step.ok ? step.reason : "", new RegExp(`${state}, which is final`));
      }
    }
    assert.equal(isFinal("draft"), false);
    assert.equal(isFinal("submitted"), false);
  });
});
