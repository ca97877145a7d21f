import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { frameworkSchema } from "../frameworks/schema.js";
import type { Organisation, OrgCode } from "../organisations/organisation.js";
import { scoredFrameworkInput } from "../scoring/scoring-fixture.js";
import type { CalendarDate } from "../shared/dates.js";
import { assessScored } from "./scored.js";
import type { AssessmentInput } from "./types.js";

/*
 * The path to a better segment (DOMAIN §5: "what would have to change to move segment"): the
 * average a segment needs (its quartile cut-point) and the smallest set of metric moves reaching
 * it. Four rank-scored metrics over five trusts, scores 1 + 3·(rank−1)/(n−1) (data/README.md):
 * 1.00, 1.75, 2.50, 3.25, 4.00.
 */
const rankMetric = (id: string) => ({
  id,
  name: `Metric ${id}`,
  theme: "access",
  unit: "count",
  polarity: "higher_is_better",
  frequency: "quarterly",
  valid_range: { min: 0, max: 100 },
  applies_to: { kinds: ["nhs_trust", "foundation_trust"], sectors: [] },
  source: "test",
  scoring: { method: "rank", population: "peer_group" },
});
const framework = frameworkSchema.parse(
  scoredFrameworkInput({ metrics: ["m1", "m2", "m3", "m4"].map(rankMetric) }),
);
// m1, m2, m4: A best … E worst; m3: E best … A worst.
const values: Record<string, number[]> = {
  m1: [10, 9, 8, 7, 6],
  m2: [10, 9, 8, 7, 6],
  m3: [6, 7, 8, 9, 10],
  m4: [10, 9, 8, 7, 6],
};
const codes = ["A", "B", "C", "D", "E"];

function input(moved: Record<string, number> = {}): AssessmentInput {
  return {
    framework,
    as_of: "2025-06-30",
    organisations: codes.map((code): Organisation => ({
      code: code as OrgCode,
      name: code,
      kind: "nhs_trust",
      sector: "community",
      region: "Y56",
      icbCode: null,
      openDate: "2000-01-01" as CalendarDate,
      closeDate: null,
    })),
    observations: Object.entries(values).flatMap(([metric_id, byOrg]) =>
      byOrg.map((value, i) => ({
        org_code: codes[i]!,
        metric_id,
        period: "2025-04-01",
        value: codes[i] === "E" ? (moved[metric_id] ?? value) : value,
      })),
    ),
    cqc_ratings: [],
    judgements: [],
  };
}

describe("the path to a better scored segment", () => {
  const e = assessScored(input()).assessments.find((a) => a.organisation.code === "E")!;

  test("E averages 3.25, worst of five; cut-points 2.125, 2.5, 2.875 (DOMAIN §4 quartiles)", () => {
    assert.equal(e.average_score, 3.25);
    assert.deepEqual(e.cut_points, [2.125, 2.5, 2.875]);
    assert.equal(e.final_segment, 4);
    assert.deepEqual(
      e.paths.map((p) => p.target_segment),
      [3, 2, 1],
    );
  });

  test("to segment 1: average at most 2.125, two moves — m1 to the best, m2 to C's value (rank 3)", () => {
    const path = e.paths.find((p) => p.target_segment === 1)!;
    assert.deepEqual(path.average_needed, { value: 2.125, comparison: "at_most" });
    assert.deepEqual(
      path.moves.map((m) => [
        m.metric_id,
        m.current_value,
        m.current_score,
        m.needed_value,
        m.needed_rank,
        m.target_score,
      ]),
      [
        ["m1", 6, 4, 10, 1, 1],
        ["m2", 6, 4, 8, 3, 2.5],
      ],
    );
    assert.match(
      path.moves[1]!.sentence,
      /to 8 or more, today's value at rank 3 of 5, for a score of 2\.50/,
    );
  });

  test("the moves are minimal: no single metric at its best score reaches the average", () => {
    for (const path of e.paths) {
      const scores = e.metric_scores.map((m) => m.score!);
      const k = scores.length;
      const sum = scores.reduce((a, b) => a + b, 0);
      const smaller = path.moves.length - 1;
      // Every subset of `smaller` metrics moved to 1.00 falls short of the cut-point.
      const subsets = (from: number, size: number): number[][] =>
        size === 0
          ? [[]]
          : from >= k
            ? []
            : [...subsets(from + 1, size - 1).map((s) => [from, ...s]), ...subsets(from + 1, size)];
      for (const subset of smaller < 0 ? [] : subsets(0, smaller)) {
        const best = sum - subset.reduce((t, i) => t + scores[i]! - 1, 0);
        assert.ok(best / k > path.average_needed!.value, `${path.target_segment}: ${subset}`);
      }
    }
  });

  test("making the moves gives the predicted scores and the needed average (re-assessed)", () => {
    const path = e.paths.find((p) => p.target_segment === 1)!;
    const after = assessScored(
      input(Object.fromEntries(path.moves.map((m) => [m.metric_id, m.needed_value!]))),
    ).assessments.find((a) => a.organisation.code === "E")!;
    for (const move of path.moves)
      assert.equal(
        after.metric_scores.find((m) => m.metric_id === move.metric_id)!.score,
        move.target_score,
      );
    assert.ok(after.average_score! <= path.average_needed!.value);
  });

  test("to segment 3: one partial move on m1, to C's value (rank 3, score 2.50 takes the sum to 11.5)", () => {
    const path = e.paths.find((p) => p.target_segment === 3)!;
    assert.deepEqual(
      path.moves.map((m) => [m.metric_id, m.needed_value, m.needed_rank]),
      [["m1", 8, 3]],
    );
    assert.match(path.sentence, /at most 2\.88 \(today 3\.25/);
  });
});
