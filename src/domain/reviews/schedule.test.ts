/**
 * requirements §4, review schedule: the cadence of DOMAIN §7 / SOF §4 (seed 000: "for providers in
 * segments 2, 3 and 4, teams will consider segmentation at least monthly … For providers in
 * segment 1 … generally quarterly, i.e. at the end of Q1 (ie July), Q2 (October), Q3 (January)
 * and Q4 (April)") and each event trigger ("segmentation reflects emerging concerns … in real
 * time"; DOMAIN §7: a CQC 'Inadequate' rating triggers review at once).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { frameworkSchema } from "../frameworks/schema.js";
import { loadShippedFrameworks } from "../../store/framework-files.js";
import type { CalendarDate } from "../shared/dates.js";
import {
  cadenceWindow,
  dueReviews,
  type ReviewEvent,
  type ReviewPolicy,
  type ReviewSubject,
} from "./index.js";

const d = (text: string) => text as CalendarDate;

const POLICY: ReviewPolicy = {
  cadence: [
    { segments: [1], every: "quarter", due_months: [7, 10, 1, 4], citation: "SOF §4 (seed 000)" },
    { segments: [2, 3, 4], every: "month", citation: "SOF §4 (seed 000)" },
  ],
  event_deadline_days: 7,
  triggers: [
    "cqc_inadequate",
    "cqc_requires_improvement",
    "spc_concern",
    "bottom_decile_entry",
    "intelligence_concern",
    "enforcement_event",
  ],
};
const QUARTERLY = POLICY.cadence[0]!;
const MONTHLY = POLICY.cadence[1]!;

function subject(overrides: Partial<ReviewSubject> = {}): ReviewSubject {
  return {
    org_code: "RX1",
    segment: 2,
    last_reviewed_on: d("2025-05-20"),
    events: [],
    ...overrides,
  };
}

const eventsOnly = (s: ReviewSubject, asOf: string) =>
  dueReviews(POLICY, [s], d(asOf)).filter((r) => r.trigger !== "cadence");

describe("cadence: segment 1 quarterly at the end of Q1–Q4 (DOMAIN §7; SOF §4, seed 000)", () => {
  it("reviewed in April, segment 1 is next due in July (end of Q1), by 31 July", () => {
    assert.equal(cadenceWindow(QUARTERLY, d("2025-04-15"), d("2025-06-30")), null);
    assert.deepEqual(cadenceWindow(QUARTERLY, d("2025-04-15"), d("2025-07-01")), {
      from: "2025-07-01",
      to: "2025-07-31",
    });
  });

  it("the due months run July, October, January (across the year end), April", () => {
    const windows: string[] = [];
    let last = d("2025-04-30");
    for (let i = 0; i < 4; i++) {
      const w = cadenceWindow(QUARTERLY, last, d("2030-01-01"))!;
      windows.push(w.from);
      last = w.to;
    }
    assert.deepEqual(windows, ["2025-07-01", "2025-10-01", "2026-01-01", "2026-04-01"]);
  });

  it("a review in the July window meets it: nothing due again until October", () => {
    assert.equal(cadenceWindow(QUARTERLY, d("2025-07-31"), d("2025-09-30")), null);
  });

  it("a missed July review is overdue in August, deadline 31 July", () => {
    const [due] = dueReviews(
      POLICY,
      [subject({ segment: 1, last_reviewed_on: d("2025-04-02") })],
      d("2025-08-10"),
    );
    assert.equal(due?.trigger, "cadence");
    assert.equal(due?.deadline, "2025-07-31");
    assert.equal(due?.overdue, true);
    assert.equal(due?.cadence?.every, "quarter");
  });

  it("with no review on record segment 1 is due in the latest due month opened", () => {
    assert.deepEqual(cadenceWindow(QUARTERLY, null, d("2025-12-05")), {
      from: "2025-10-01",
      to: "2025-10-31",
    });
  });
});

describe("cadence: segments 2–4 at least monthly (DOMAIN §7; SOF §4, seed 000)", () => {
  it("reviewed on 20 May, a segment 2, 3 or 4 organisation is due again in June, by 30 June", () => {
    for (const segment of [2, 3, 4]) {
      const reviews = dueReviews(POLICY, [subject({ segment })], d("2025-06-01"));
      assert.deepEqual(
        reviews.map((r) => [r.trigger, r.due_from, r.deadline, r.overdue]),
        [["cadence", "2025-06-01", "2025-06-30", false]],
        `segment ${segment}`,
      );
    }
  });

  it("nothing is due in the month of the last review", () => {
    assert.deepEqual(dueReviews(POLICY, [subject({ segment: 3 })], d("2025-05-31")), []);
  });

  it("months are calendar months: February's deadline is the 28th, or the 29th in a leap year", () => {
    assert.equal(cadenceWindow(MONTHLY, d("2025-01-31"), d("2025-02-01"))?.to, "2025-02-28");
    assert.equal(cadenceWindow(MONTHLY, d("2024-01-31"), d("2024-02-01"))?.to, "2024-02-29");
  });

  it("a segment the framework gives no cadence (5 under SOF 2016) has no cadence review", () => {
    assert.deepEqual(
      dueReviews(POLICY, [subject({ segment: 5, last_reviewed_on: null })], d("2025-06-01")),
      [],
    );
  });
});

describe("event triggers: a material event calls for review at once (DOMAIN §7; seed 000 'in real time')", () => {
  const cases: [string, ReviewEvent, string][] = [
    [
      "a new CQC rating of inadequate",
      { type: "cqc_rating", rating: "inadequate", published_on: d("2025-06-03") },
      "cqc_inadequate",
    ],
    [
      "a new CQC rating of requires improvement",
      { type: "cqc_rating", rating: "requires_improvement", published_on: d("2025-06-03") },
      "cqc_requires_improvement",
    ],
    [
      "a new SPC special cause of concern",
      {
        type: "spc_concern",
        metric: "ae_4hr_all",
        period: d("2025-05-01"),
        detected_on: d("2025-06-03"),
        variation_icon: "special_cause_concern_low",
      },
      "spc_concern",
    ],
    [
      "entry into the bottom decile",
      {
        type: "bottom_decile_entry",
        metric: "ae_4hr_all",
        period: d("2025-05-01"),
        detected_on: d("2025-06-03"),
        value: 61.2,
      },
      "bottom_decile_entry",
    ],
    [
      "an intelligence item marked as a concern",
      {
        type: "intelligence_concern",
        id: "42",
        received_on: d("2025-06-03"),
        summary: "whistleblower",
      },
      "intelligence_concern",
    ],
    [
      "an enforcement event",
      {
        type: "enforcement_event",
        id: "E1",
        date: d("2025-06-03"),
        summary: "undertakings accepted",
      },
      "enforcement_event",
    ],
  ];
  for (const [name, event, trigger] of cases) {
    it(`${name} triggers a review naming it, with the event as evidence, due 7 days after it`, () => {
      const reviews = eventsOnly(subject({ events: [event] }), "2025-06-04");
      assert.equal(reviews.length, 1);
      assert.equal(reviews[0]!.trigger, trigger);
      assert.deepEqual(reviews[0]!.event, event);
      assert.equal(reviews[0]!.due_from, "2025-06-03");
      assert.equal(reviews[0]!.deadline, "2025-06-10");
      assert.equal(reviews[0]!.overdue, false);
    });
  }

  it("a CQC rating of good or outstanding triggers nothing", () => {
    for (const rating of ["good", "outstanding"] as const)
      assert.deepEqual(
        eventsOnly(
          subject({ events: [{ type: "cqc_rating", rating, published_on: d("2025-06-03") }] }),
          "2025-06-04",
        ),
        [],
      );
  });

  it("an event on or before the last review is not new; one after the date is not yet known", () => {
    const rating = (published_on: string): ReviewEvent => ({
      type: "cqc_rating",
      rating: "inadequate",
      published_on: d(published_on),
    });
    assert.deepEqual(eventsOnly(subject({ events: [rating("2025-05-20")] }), "2025-06-04"), []);
    assert.deepEqual(eventsOnly(subject({ events: [rating("2025-06-05")] }), "2025-06-04"), []);
    assert.equal(eventsOnly(subject({ events: [rating("2025-05-21")] }), "2025-06-04").length, 1);
  });

  it("a trigger the framework does not list triggers nothing (policy is data)", () => {
    const policy = { ...POLICY, triggers: ["cqc_inadequate" as const] };
    const s = subject({
      events: [{ type: "enforcement_event", id: "E1", date: d("2025-06-03"), summary: "s" }],
    });
    assert.deepEqual(
      dueReviews(policy, [s], d("2025-06-04")).filter((r) => r.event),
      [],
    );
  });

  it("without event_deadline_days the deadline is the event's own day ('at once'), overdue the day after", () => {
    const policy: ReviewPolicy = { cadence: POLICY.cadence, triggers: POLICY.triggers };
    const s = subject({
      events: [{ type: "cqc_rating", rating: "inadequate", published_on: d("2025-06-03") }],
    });
    const [review] = dueReviews(policy, [s], d("2025-06-04")).filter((r) => r.event);
    assert.equal(review?.deadline, "2025-06-03");
    assert.equal(review?.overdue, true);
  });

  it("the deadline crosses a month end and the clock change as calendar days (26 Oct 2025 + 7 = 2 Nov)", () => {
    const s = subject({
      events: [
        { type: "intelligence_concern", id: "1", received_on: d("2025-10-26"), summary: "s" },
      ],
    });
    assert.equal(eventsOnly(s, "2025-10-27")[0]?.deadline, "2025-11-02");
  });
});

describe("the schedule is sorted by deadline", () => {
  it("earliest deadline first, then organisation, then the framework's trigger order", () => {
    const reviews = dueReviews(
      POLICY,
      [
        subject({
          org_code: "RX2",
          events: [{ type: "cqc_rating", rating: "inadequate", published_on: d("2025-06-02") }],
        }),
        subject({
          org_code: "RX1",
          events: [
            { type: "enforcement_event", id: "E1", date: d("2025-06-02"), summary: "s" },
            { type: "cqc_rating", rating: "requires_improvement", published_on: d("2025-06-02") },
          ],
        }),
      ],
      d("2025-06-04"),
    );
    assert.deepEqual(
      reviews.map((r) => [r.org_code, r.trigger, r.deadline]),
      [
        ["RX1", "cqc_requires_improvement", "2025-06-09"],
        ["RX1", "enforcement_event", "2025-06-09"],
        ["RX2", "cqc_inadequate", "2025-06-09"],
        ["RX1", "cadence", "2025-06-30"],
        ["RX2", "cadence", "2025-06-30"],
      ],
    );
  });
});

describe("the shipped frameworks' review policy (policy as data)", () => {
  it("every shipped framework reviews segment 1 in July, October, January and April and the others monthly", () => {
    for (const framework of loadShippedFrameworks()) {
      const { cadence } = framework.reviews;
      assert.deepEqual(
        cadence.find((c) => c.segments.includes(1))?.due_months,
        [7, 10, 1, 4],
        framework.id,
      );
      for (const segment of [2, 3, 4])
        assert.equal(
          cadence.find((c) => c.segments.includes(segment))?.every,
          "month",
          framework.id,
        );
      assert.equal(framework.reviews.event_deadline_days, 7, framework.id);
    }
  });
});

describe("the review policy's schema", () => {
  it("a quarterly cadence without due_months is refused, named by its path", () => {
    const framework = loadShippedFrameworks()[0]!;
    const result = frameworkSchema.safeParse({
      ...framework,
      reviews: {
        ...framework.reviews,
        cadence: [{ segments: [1], every: "quarter", citation: "SOF §4 (seed 000)" }],
      },
    });
    assert.equal(result.success, false);
    assert.deepEqual(
      result.error?.issues.map((i) => [i.path.join("."), i.message]),
      [["reviews.cadence.0.due_months", "a quarterly cadence names its due_months"]],
    );
  });
});
