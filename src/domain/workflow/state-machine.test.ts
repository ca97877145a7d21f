/**
 * Case workflows as tables (docs/architecture.md): the shared step and deadline functions, on the
 * recommendation lifecycle and on a small case type with a clock — the discretionary-requirement
 * procedure of the Enforcement Guidance (DOMAIN §10, seed 004: representations for at least 28
 * days from the day after receipt of the notice of intent).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CalendarDate } from "../shared/dates.js";
import { RECOMMENDATION_LIFECYCLE } from "./recommendation-state.js";
import {
  isFinalState,
  runningDeadline,
  stateMachine,
  step,
  transitionsFrom,
} from "./state-machine.js";

const d = (s: string) => s as CalendarDate;

type DrState = "considering" | "notice_of_intent" | "final_notice" | "closed";
type DrEvent = "issue_notice" | "issue_final_notice" | "close";
const DISCRETIONARY_REQUIREMENT = stateMachine<DrState, DrEvent, "representations_heard">({
  name: "discretionary requirement",
  states: ["considering", "notice_of_intent", "final_notice", "closed"],
  transitions: [
    {
      from: "considering",
      event: "issue_notice",
      to: "notice_of_intent",
      by: { body: "prc" },
      clock: { name: "representations_period" },
    },
    {
      from: "notice_of_intent",
      event: "issue_final_notice",
      to: "final_notice",
      by: { body: "prc" },
      guard: "representations_heard",
      clock: { name: "payment_period" },
    },
    { from: "final_notice", event: "close", to: "closed", by: { action: "enforcement:record" } },
  ],
});
const DURATIONS = { representations_period: { days: 28 }, payment_period: { days: 28 } };

describe("case workflows as state-machine tables (docs/architecture.md)", () => {
  it("the recommendation lifecycle: only the proposing roles submit; the routed body decides", () => {
    assert.deepEqual(
      transitionsFrom(RECOMMENDATION_LIFECYCLE, "draft").map((t) => [t.event, t.by]),
      [
        ["submit", { action: "recommendation:submit" }],
        ["withdraw", { action: "recommendation:withdraw" }],
      ],
    );
    for (const event of ["agree", "reject", "amend"] as const)
      assert.deepEqual(RECOMMENDATION_LIFECYCLE.transitions.find((t) => t.event === event)?.by, {
        body: "routed",
      });
  });

  it("refuses a transition the table does not hold, naming the final state", () => {
    const refused = step(DISCRETIONARY_REQUIREMENT, "closed", "issue_notice");
    assert.deepEqual(refused, {
      ok: false,
      reason: "the discretionary requirement is closed, which is final: nothing can follow",
    });
    assert.equal(isFinalState(DISCRETIONARY_REQUIREMENT, "closed"), true);
  });

  it("a failing guard refuses the transition with the guard's reason", () => {
    const refused = step(
      DISCRETIONARY_REQUIREMENT,
      "notice_of_intent",
      "issue_final_notice",
      (g) => (g === "representations_heard" ? "the representations period has not ended" : null),
    );
    assert.deepEqual(refused, { ok: false, reason: "the representations period has not ended" });
    const allowed = step(DISCRETIONARY_REQUIREMENT, "notice_of_intent", "issue_final_notice");
    assert.equal(allowed.ok && allowed.to, "final_notice");
  });

  it("DOMAIN §10: representations for 28 days from the day after the notice (due the 28th day after)", () => {
    const events = [{ event: "issue_notice" as const, on: d("2025-03-01") }];
    assert.deepEqual(
      runningDeadline(DISCRETIONARY_REQUIREMENT, "considering", events, DURATIONS, d("2025-03-29")),
      {
        clock: "representations_period",
        state: "notice_of_intent",
        started_on: "2025-03-01",
        due_on: "2025-03-29",
        overdue: false,
      },
    );
    const late = runningDeadline(
      DISCRETIONARY_REQUIREMENT,
      "considering",
      events,
      DURATIONS,
      d("2025-03-30"),
    );
    assert.equal(late?.overdue, true);
  });

  it("a clock stops when the case leaves its state; the next transition's clock runs", () => {
    const events = [
      { event: "issue_notice" as const, on: d("2025-03-01") },
      { event: "issue_final_notice" as const, on: d("2025-04-10") },
    ];
    const deadline = runningDeadline(
      DISCRETIONARY_REQUIREMENT,
      "considering",
      events,
      DURATIONS,
      d("2025-04-11"),
    );
    assert.equal(deadline?.clock, "payment_period");
    assert.equal(deadline?.due_on, "2025-05-08");
    const closed = [...events, { event: "close" as const, on: d("2025-05-01") }];
    assert.equal(
      runningDeadline(DISCRETIONARY_REQUIREMENT, "considering", closed, DURATIONS, d("2025-05-02")),
      null,
    );
  });

  it("a history the table cannot replay, or a clock without a duration, is an error", () => {
    assert.throws(
      () =>
        runningDeadline(
          DISCRETIONARY_REQUIREMENT,
          "considering",
          [{ event: "close", on: d("2025-03-01") }],
          DURATIONS,
          d("2025-03-02"),
        ),
      /cannot close a discretionary requirement that is considering/,
    );
    assert.throws(
      () =>
        runningDeadline(
          DISCRETIONARY_REQUIREMENT,
          "considering",
          [{ event: "issue_notice", on: d("2025-03-01") }],
          {},
          d("2025-03-02"),
        ),
      /no duration for the clock representations_period/,
    );
  });

  it("a table whose transition names an unknown state is refused when declared", () => {
    assert.throws(
      () =>
        stateMachine<"a" | "b", "go", never>({
          name: "broken",
          states: ["a"],
          transitions: [{ from: "a", event: "go", to: "b", by: { body: "prc" } }],
        }),
      /broken: a --go--> b joins an unknown state/,
    );
  });
});
