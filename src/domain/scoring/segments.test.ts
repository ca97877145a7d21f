import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  adjustedSegment,
  finalSegment,
  inFinancialDeficit,
  quartileCutPoints,
  segmentOf,
  unadjustedSegments,
} from "./segments.js";

const range = { best: 1, worst: 4 };
const override = { metric_role: "financial_position" as const, deficit_below: 0, best_segment: 3 };

describe("segments from average scores", () => {
  test("quartile cut-points interpolate linearly between order statistics (QUARTILE.INC)", () => {
    assert.deepEqual(quartileCutPoints([5, 1, 4, 2, 3], range), [2, 3, 4]);
    assert.deepEqual(quartileCutPoints([1, 2, 3, 4], range), [1.75, 2.5, 3.25]);
  });

  test("averages quartiled into segments 1–4 over the population, 1 = best quartile (DOMAIN §4)", () => {
    const averages = new Map(
      [1.1, 1.5, 1.9, 2.0, 2.2, 2.6, 2.9, 3.3, 3.9].map((a, i) => [`t${i}`, a] as const),
    );
    const segments = unadjustedSegments({ method: "quartiles" }, averages, range);
    // Cut-points 1.9, 2.2, 2.9: an average on a cut-point takes the better segment.
    assert.deepEqual([...segments.values()], [1, 1, 1, 2, 2, 3, 3, 4, 4]);
  });

  test("where a higher score is better, the best quartile is the top one", () => {
    assert.deepEqual(quartileCutPoints([1, 2, 3, 4, 5], { best: 4, worst: 1 }), [4, 3, 2]);
    assert.equal(segmentOf(4.5, [4, 3, 2], { best: 4, worst: 1 }, "better"), 1);
    assert.equal(segmentOf(1.5, [4, 3, 2], { best: 4, worst: 1 }, "better"), 4);
  });

  test("fixed thresholds (later versions, DOMAIN §4): segment i is below cut_points[i-1]", () => {
    const averages = new Map([
      ["a", 1.5],
      ["b", 2],
      ["c", 2.4],
      ["d", 3.5],
    ]);
    const segments = unadjustedSegments(
      { method: "thresholds", cut_points: [2, 2.5, 3] },
      averages,
      range,
    );
    assert.deepEqual([...segments.values()], [1, 2, 2, 4]);
  });

  test("an empty population has no segments", () => {
    assert.equal(unadjustedSegments({ method: "quartiles" }, new Map(), range).size, 0);
  });
});

describe("financial override and overlay", () => {
  test("a trust in financial deficit can be no better than segment 3 (data/README.md)", () => {
    assert.deepEqual(
      ([1, 2, 3, 4] as const).map((s) => adjustedSegment(s, true, override)),
      [3, 3, 3, 4],
    );
    assert.deepEqual(
      ([1, 2, 3, 4] as const).map((s) => adjustedSegment(s, false, override)),
      [1, 2, 3, 4],
    );
  });

  test("in deficit means below the override's threshold; breakeven is not a deficit", () => {
    assert.equal(inFinancialDeficit(-0.01, override), true);
    assert.equal(inFinancialDeficit(0, override), false);
  });

  test("segment 5 is an overlay for trusts in the Recovery Support Programme (DOMAIN §4)", () => {
    assert.equal(finalSegment(3, true, 5), 5);
    assert.equal(finalSegment(3, false, 5), 3);
    assert.equal(finalSegment(4, true, undefined), 4);
  });
});
