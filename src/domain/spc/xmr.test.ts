import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { meanMovingRange, movingRanges, xmrLimits } from "./xmr.js";

const close = (actual: number, expected: number): void =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} ≉ ${expected}`);

describe("XmR limits (Making Data Count)", () => {
  test("moving ranges are |xᵢ − xᵢ₋₁|, none for the first point", () => {
    assert.deepEqual(movingRanges([5, 8, 6, 6]), [3, 2, 0]);
    assert.deepEqual(movingRanges([5]), []);
  });

  test("limits are mean ± 2.66 × mean moving range; 2σ lines at two thirds of that (MDC)", () => {
    // mean = 20/4 = 5; ranges 2, 2, 2 → mean moving range 2; 2.66 × 2 = 5.32; (2/3) × 5.32.
    const limits = xmrLimits([4, 6, 4, 6], { screenOutliers: true });
    close(limits.mean, 5);
    close(limits.meanMovingRange, 2);
    close(limits.lpl, -0.32);
    close(limits.upl, 10.32);
    close(limits.lowerTwoSigma, 5 - 10.64 / 3);
    close(limits.upperTwoSigma, 5 + 10.64 / 3);
  });

  // Ranges: eight 1s, then 40, 40 (the spike at 50), then 1 → mean 89/11 ≈ 8.09;
  // 3.267 × 8.09 ≈ 26.4, so both 40s go and the mean moving range is 9/9 = 1.
  const spiky = [10, 11, 10, 11, 10, 11, 10, 11, 10, 50, 10, 11];

  test("screening on: moving ranges >= 3.267 × their mean are dropped, mean recomputed (NHSRplotthedots)", () => {
    const limits = xmrLimits(spiky, { screenOutliers: true });
    close(limits.meanMovingRange, 1);
    assert.equal(limits.screenedOutMovingRanges, 2);
    close(limits.upl, 13.75 + 2.66);
  });

  test("screening off: every moving range counts (NHS England's Excel tool)", () => {
    const limits = xmrLimits(spiky, { screenOutliers: false });
    close(limits.meanMovingRange, 89 / 11);
    assert.equal(limits.screenedOutMovingRanges, 0);
    close(limits.upl, 13.75 + (2.66 * 89) / 11);
  });

  test("screening drops a moving range exactly at 3.267 × the mean (>=, NHSRplotthedots)", () => {
    // mean of [0.733, 0, 0, 3.267] is 1, so 3.267 sits exactly on the threshold.
    const screened = meanMovingRange([0.733, 0, 0, 3.267], true);
    assert.equal(screened.screenedOut, 1);
    close(screened.meanMovingRange, 0.733 / 3);
  });

  test("screening is applied once, not repeated until nothing is screened", () => {
    // Mean 4.4, threshold ≈ 14.4: only 20 goes. The new mean is 0.5, and 2 would now exceed
    // 3.267 × 0.5 ≈ 1.63, but a single pass keeps it.
    const screened = meanMovingRange([0, 0, 0, 2, 20], true);
    assert.equal(screened.screenedOut, 1);
    close(screened.meanMovingRange, 0.5);
  });

  test("a group whose moving ranges are all 0 keeps them: limits collapse onto the mean", () => {
    const limits = xmrLimits([7, 7, 7], { screenOutliers: true });
    assert.equal(limits.meanMovingRange, 0);
    assert.equal(limits.lpl, 7);
    assert.equal(limits.upl, 7);
  });

  test("fewer than 2 points have no moving range and no limits", () => {
    assert.throws(() => xmrLimits([1], { screenOutliers: true }), RangeError);
  });
});
