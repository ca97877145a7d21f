import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  combineRuleFlags,
  outsideLimits,
  runOnOneSideOfMean,
  trend,
  twoOfThreeNearLimit,
  type PointFlag,
} from "./rules.js";

// Round-numbered limits so each fixture reads at a glance: mean 0, 2σ lines ±2, limits ±3.
const limits = { mean: 0, lpl: -3, upl: 3, lowerTwoSigma: -2, upperTwoSigma: 2 };
const none = (n: number): PointFlag[] => Array.from({ length: n }, () => null);
const all = (n: number, direction: "high" | "low"): PointFlag[] =>
  Array.from({ length: n }, () => direction);

describe("outside_limits", () => {
  test("outside_limits: a point above the upper or below the lower process limit is special cause (MDC rule 1)", () => {
    assert.deepEqual(outsideLimits([3.1, -3.1, 0, 2.9], limits), ["high", "low", null, null]);
  });

  test("outside_limits: a point exactly on a limit is inside (NHSRplotthedots uses > and <)", () => {
    assert.deepEqual(outsideLimits([3, -3], limits), [null, null]);
  });
});

describe("run", () => {
  test("run: 7 points above the mean are special cause, every point flagged (MDC, NHSRplotthedots)", () => {
    assert.deepEqual(runOnOneSideOfMean([1, 1, 2, 1, 1, 2, 1], 0, 7), all(7, "high"));
  });

  test("run: 6 points below the mean are not a run", () => {
    assert.deepEqual(runOnOneSideOfMean([-1, -1, -1, -1, -1, -1, 1], 0, 7), none(7));
  });

  test("run: a run longer than 7 is flagged in full, below the mean as low", () => {
    const values = [1, -1, -1, -1, -1, -1, -1, -1, -1];
    assert.deepEqual(runOnOneSideOfMean(values, 0, 7), [null, ...all(8, "low")]);
  });

  test("run: a point exactly on the mean breaks the run (MDC)", () => {
    assert.deepEqual(runOnOneSideOfMean([1, 1, 1, 0, 1, 1, 1, 1], 0, 7), none(8));
  });

  test("run: the run length is an option", () => {
    assert.deepEqual(runOnOneSideOfMean([0, 1, 1, 1, 1], 0, 4), [null, ...all(4, "high")]);
  });
});

describe("trend", () => {
  test("trend: 7 consecutively increasing points are special cause, every point flagged (MDC, NHSRplotthedots)", () => {
    assert.deepEqual(trend([1, 2, 3, 4, 5, 6, 7], 7), all(7, "high"));
  });

  test("trend: 7 consecutively decreasing points are low; 6 points are not a trend", () => {
    assert.deepEqual(trend([9, 7, 6, 5, 4, 3, 2, 9], 7), [...all(7, "low"), null]);
    assert.deepEqual(trend([1, 2, 3, 4, 5, 6], 7), none(6));
  });

  test("trend: an equal value breaks the trend (NHSRplotthedots compares strictly)", () => {
    assert.deepEqual(trend([1, 2, 3, 4, 4, 5, 6, 7], 7), none(8));
  });

  test("trend: a peak shared by a rising and a falling trend takes the later, falling direction (NHSRplotthedots)", () => {
    const flags = trend([1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1], 7);
    assert.deepEqual(flags, [...all(6, "high"), ...all(7, "low")]);
  });

  test("trend: the trend length is an option", () => {
    assert.deepEqual(trend([5, 1, 2, 3, 4, 5], 5), [null, ...all(5, "high")]);
  });
});

describe("two_of_three", () => {
  test("two_of_three: 2 of 3 points beyond the 2σ line, all 3 above the mean, flag the 2 near points (MDC, NHSRplotthedots)", () => {
    assert.deepEqual(twoOfThreeNearLimit([0.5, 2.5, 1, 2.5], limits), [null, "high", null, "high"]);
  });

  test("two_of_three: below the mean the near points are low", () => {
    assert.deepEqual(twoOfThreeNearLimit([-2.5, -2.6, -1], limits), ["low", "low", null]);
  });

  test("two_of_three: points on opposite sides of the mean do not count (NHSRplotthedots issue #143)", () => {
    assert.deepEqual(twoOfThreeNearLimit([2.5, -0.5, 2.5], limits), none(3));
  });

  test("two_of_three: a third point on the mean breaks the window", () => {
    assert.deepEqual(twoOfThreeNearLimit([2.5, 0, 2.5], limits), none(3));
  });

  test("two_of_three: a point outside the limits is not near them (NHSRplotthedots: that is rule 1)", () => {
    assert.deepEqual(twoOfThreeNearLimit([3.5, 2.5, 1], limits), none(3));
  });

  test("two_of_three: a point exactly on the upper limit is near it, one on the 2σ line is not", () => {
    assert.deepEqual(twoOfThreeNearLimit([3, 2.1, 1], limits), ["high", "high", null]);
    assert.deepEqual(twoOfThreeNearLimit([2, 2.1, 1], limits), none(3));
  });
});

describe("combining rules", () => {
  test("combining: a point flagged high by a run and low by a trend is low: the trend outranks the run (NHSRplotthedots)", () => {
    const verdicts = combineRuleFlags(
      { outside_limits: [null], trend: ["low"], two_of_three: [null], run: ["high"] },
      1,
    );
    assert.deepEqual(verdicts, [{ direction: "low", rules: ["trend", "run"] }]);
  });

  test("combining: outside the limits outranks a trend in the other direction", () => {
    const verdicts = combineRuleFlags(
      { outside_limits: ["high"], trend: ["low"], two_of_three: [null], run: [null] },
      1,
    );
    assert.deepEqual(verdicts, [{ direction: "high", rules: ["outside_limits", "trend"] }]);
  });

  test("combining: a point no rule flags has no direction and no rules", () => {
    const verdicts = combineRuleFlags(
      { outside_limits: [null], trend: [null], two_of_three: [null], run: [null] },
      1,
    );
    assert.deepEqual(verdicts, [{ direction: null, rules: [] }]);
  });
});
