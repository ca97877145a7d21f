/**
 * Conformance with Making Data Count as NHSRplotthedots implements it (DOMAIN.md §8,
 * docs/spc.md): small worked examples, each computed by hand in the comment above its test, using
 *
 *   mean            x̄ = Σx / n
 *   moving ranges   MRᵢ = |xᵢ − xᵢ₋₁| within a group (the first point of a group has none)
 *   screening       MRs ≥ 3.267 × MR̄ dropped and MR̄ recomputed once (default on)
 *   process limits  x̄ ∓ 2.66 × MR̄
 *   2σ lines        x̄ ∓ (2/3) × 2.66 × MR̄
 *
 * The values are chosen so every mean and mean moving range is exact; limits are compared
 * within 1e-9 because 2.66 has no exact binary form.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  analyseSeries,
  type RuleName,
  type SpcInputPoint,
  type SpcOptions,
  type SpcResult,
} from "./index.js";
import { xmrLimits } from "./xmr.js";

/** Monthly points from January 2023, one per value. */
function monthly(values: readonly number[]): SpcInputPoint[] {
  return values.map((value, i) => {
    const year = 2023 + Math.floor(i / 12);
    const month = String((i % 12) + 1).padStart(2, "0");
    return { period: `${year}-${month}-01`, value };
  });
}

function close(actual: number | null, expected: number, what = "value"): void {
  assert.ok(
    actual !== null && Math.abs(actual - expected) < 1e-9,
    `${what}: ${actual} ≉ ${expected}`,
  );
}

function analyse(values: readonly number[], options: Partial<SpcOptions> = {}): SpcResult {
  return analyseSeries(monthly(values), { polarity: "higher_is_better", ...options });
}

/** Each point as `value:special_cause:rule+rule` (or `-` for no rule), for compact assertions. */
function verdicts(result: SpcResult): string[] {
  return result.points.map(
    (point) => `${point.value}:${point.special_cause}:${point.rules.join("+") || "-"}`,
  );
}

/** Indexes of the points a rule flags. */
function flaggedBy(result: SpcResult, rule: RuleName): number[] {
  return result.points.flatMap((point, i) => (point.rules.includes(rule) ? [i] : []));
}

describe("Making Data Count conformance (DOMAIN §8, NHSRplotthedots)", () => {
  /*
   * (a) Screening. values 10 12 10 12 10 12 10 30 10 12 (n = 10)
   *
   *   mean           = (5 × 10 + 4 × 12 + 30) / 10 = 128 / 10 = 12.8
   *   moving ranges  = 2 2 2 2 2 2 20 20 2 (9 ranges), sum 54 → MR̄ = 54 / 9 = 6
   *
   *   without screening (NHS England's Excel tool):
   *     2.66 × 6 = 15.96       → lpl = 12.8 − 15.96 = −3.16, upl = 12.8 + 15.96 = 28.76
   *     (2/3) × 15.96 = 10.64  → 2σ lines 2.16 and 23.44
   *
   *   with screening (NHSRplotthedots, our default):
   *     3.267 × 6 = 19.602; both 20s are ≥ 19.602 → dropped; 7 ranges of 2 left
   *     MR̄ = 14 / 7 = 2 (recomputed once; 3.267 × 2 = 6.534 would drop nothing anyway)
   *     2.66 × 2 = 5.32        → lpl = 12.8 − 5.32 = 7.48, upl = 12.8 + 5.32 = 18.12
   *     (2/3) × 5.32 = 3.5466… → 2σ lines 9.2533… and 16.3466…
   *
   *   30 is outside either way (30 > 28.76 > 18.12); the first 7 points are all below 12.8 → run.
   */
  const spike = [10, 12, 10, 12, 10, 12, 10, 30, 10, 12];

  test("(a) screening drops moving ranges ≥ 3.267 × MR̄ and recomputes MR̄ once", () => {
    const screened = xmrLimits(spike, { screenOutliers: true });
    close(screened.mean, 12.8, "mean");
    close(screened.meanMovingRange, 2, "MR̄");
    assert.equal(screened.screenedOutMovingRanges, 2);
    close(screened.lpl, 7.48, "lpl");
    close(screened.upl, 18.12, "upl");
    close(screened.lowerTwoSigma, 12.8 - 5.32 * (2 / 3), "lower 2σ");
    close(screened.upperTwoSigma, 12.8 + 5.32 * (2 / 3), "upper 2σ");

    const unscreened = xmrLimits(spike, { screenOutliers: false });
    close(unscreened.mean, 12.8, "mean");
    close(unscreened.meanMovingRange, 6, "MR̄");
    assert.equal(unscreened.screenedOutMovingRanges, 0);
    close(unscreened.lpl, -3.16, "lpl");
    close(unscreened.upl, 28.76, "upl");
    close(unscreened.lowerTwoSigma, 2.16, "lower 2σ");
    close(unscreened.upperTwoSigma, 23.44, "upper 2σ");
  });

  test("(a) analyseSeries screens by default and not with screenOutliers: false", () => {
    const byDefault = analyse(spike);
    close(byDefault.lpl, 7.48, "default lpl");
    close(byDefault.upl, 18.12, "default upl");
    const excel = analyse(spike, { screenOutliers: false });
    close(excel.lpl, -3.16, "unscreened lpl");
    close(excel.upl, 28.76, "unscreened upl");
    for (const result of [byDefault, excel]) {
      assert.deepEqual(result.points[7]?.rules, ["outside_limits"]);
      assert.deepEqual(flaggedBy(result, "run"), [0, 1, 2, 3, 4, 5, 6]);
    }
  });

  /*
   * (b) Runs. A run is 7 or more consecutive points strictly on one side of the mean; a point
   * exactly on the mean breaks it. Values alternate by 1 so no point nears a limit.
   *
   * seven: 10.5 11.5 10.5 11.5 10.5 11.5 10.5 | 10 | 9.5 8.5 9.5 8.5 9.5 8.5 9.5 (n = 15)
   *   mean  = (4 × 10.5 + 3 × 11.5 + 10 + 4 × 9.5 + 3 × 8.5) / 15 = (76.5 + 10 + 63.5) / 15 = 10
   *   MRs   = six 1s, 0.5, 0.5, six 1s: sum 13 → MR̄ = 13/14 (screen at 3.267 × 13/14 ≈ 3.03: none)
   *   2.66 × 13/14 = 2.47 → limits 7.53, 12.47; 2σ = 10 ∓ 1.64666… → 8.35333…, 11.64666…
   *   every value lies in [8.5, 11.5]: inside the 2σ lines, so only the run rule can fire.
   *   7 above (improvement, higher is better), 10 is on the mean (none), 7 below (concern).
   *
   * six: 11.5 10.5 11.5 10.5 11.5 10.5 | 10 | 9.5 8.5 9.5 8.5 9.5 8.5 (n = 13)
   *   mean  = (66 + 10 + 54) / 13 = 130 / 13 = 10
   *   MRs   = five 1s, 0.5, 0.5, five 1s: sum 11 → MR̄ = 11/12
   *   2.66 × 11/12 = 2.43833… → limits 7.56166…, 12.43833…; 2σ 8.37444…, 11.62555…
   *   6 above and 6 below: no run, no signal at all.
   *
   * broken: 11.5 10.5 11.5 | 10 | 10.5 11.5 10.5 11.5 | 8.5 9.5 8.5 9.5 8.5 9.5 8.5 (n = 15)
   *   mean  = (33.5 + 10 + 44 + 62.5) / 15 = 150 / 15 = 10
   *   MRs   = 1 1 1.5 0.5 1 1 1 3 1 1 1 1 1 1: sum 16 → MR̄ = 16/14 = 8/7 (3 < 3.267 × 8/7 ≈ 3.73)
   *   2.66 × 8/7 = 3.04 → limits 6.96, 13.04; 2σ = 10 ∓ 2.02666… → 7.97333…, 12.02666…
   *   7 points above the mean, but the 10 on the mean splits them 3 + 4: no run above.
   *   The 7 below are a run.
   */
  test("(b) a run of exactly 7 on one side fires; the point on the mean is not part of it", () => {
    const result = analyse([
      10.5, 11.5, 10.5, 11.5, 10.5, 11.5, 10.5, 10, 9.5, 8.5, 9.5, 8.5, 9.5, 8.5, 9.5,
    ]);
    close(result.mean, 10, "mean");
    close(result.lpl, 7.53, "lpl");
    close(result.upl, 12.47, "upl");
    assert.deepEqual(verdicts(result), [
      ...[10.5, 11.5, 10.5, 11.5, 10.5, 11.5, 10.5].map((v) => `${v}:improvement:run`),
      "10:none:-",
      ...[9.5, 8.5, 9.5, 8.5, 9.5, 8.5, 9.5].map((v) => `${v}:concern:run`),
    ]);
    assert.equal(result.variation_icon, "special_cause_concern_low");
  });

  test("(b) a run of 6 on each side of a point on the mean does not fire", () => {
    const result = analyse([11.5, 10.5, 11.5, 10.5, 11.5, 10.5, 10, 9.5, 8.5, 9.5, 8.5, 9.5, 8.5]);
    close(result.mean, 10, "mean");
    close(result.lpl, 10 - (2.66 * 11) / 12, "lpl");
    close(result.upl, 10 + (2.66 * 11) / 12, "upl");
    assert.ok(result.points.every((point) => point.special_cause === "none"));
    assert.ok(result.points.every((point) => point.rules.length === 0));
    assert.equal(result.variation_icon, "common_cause");
  });

  test("(b) a point exactly on the mean breaks 7 points above into 3 + 4: no run", () => {
    const result = analyse([
      11.5, 10.5, 11.5, 10, 10.5, 11.5, 10.5, 11.5, 8.5, 9.5, 8.5, 9.5, 8.5, 9.5, 8.5,
    ]);
    close(result.mean, 10, "mean");
    close(result.lpl, 6.96, "lpl");
    close(result.upl, 13.04, "upl");
    assert.deepEqual(flaggedBy(result, "run"), [8, 9, 10, 11, 12, 13, 14]);
    assert.deepEqual(
      result.points.slice(0, 8).map((point) => point.special_cause),
      Array(8).fill("none"),
    );
  });

  /*
   * (c) Trends: 7 consecutive points each strictly above the one before (6 rises).
   *
   * seven: 13 | 10 11 12 13 14 15 16 | 13 13 (n = 10)
   *   mean  = (13 + 91 + 26) / 10 = 13
   *   MRs   = 3 1 1 1 1 1 1 3 0: sum 12 → MR̄ = 4/3 (3.267 × 4/3 = 4.356 > 3: none screened)
   *   2.66 × 4/3 = 3.54666… → limits 9.45333…, 16.54666…
   *   (2/3) × 3.54666… = 2.36444… → 2σ lines 10.63555…, 15.36444…
   *   10 → 16 rise 6 times: a trend of 7, every point flagged, high → improvement.
   *   Nothing else: 10 and 16 are inside the limits; near the limits only 10 (below 10.63…) and
   *   16 (above 15.36…), never 2 in one 3-point window; 3 below, 13 on the mean, 3 above: no run.
   *
   * six: 13 | 11 12 13 14 15 16 | 13 12 11 (n = 10)
   *   mean  = (13 + 81 + 36) / 10 = 13
   *   MRs   = 2 1 1 1 1 1 3 1 1: sum 12 → MR̄ = 4/3, the same limits as above
   *   11 → 16 rise 5 times: 6 points, no trend; 11 is above the lower 2σ line: nothing fires.
   */
  test("(c) 7 consecutively rising points are a trend", () => {
    const result = analyse([13, 10, 11, 12, 13, 14, 15, 16, 13, 13]);
    close(result.mean, 13, "mean");
    close(result.lpl, 13 - (2.66 * 4) / 3, "lpl");
    close(result.upl, 13 + (2.66 * 4) / 3, "upl");
    assert.deepEqual(verdicts(result), [
      "13:none:-",
      ...[10, 11, 12, 13, 14, 15, 16].map((v) => `${v}:improvement:trend`),
      "13:none:-",
      "13:none:-",
    ]);
  });

  test("(c) 6 consecutively rising points are not a trend", () => {
    const result = analyse([13, 11, 12, 13, 14, 15, 16, 13, 12, 11]);
    close(result.mean, 13, "mean");
    close(result.upl, 13 + (2.66 * 4) / 3, "upl");
    assert.ok(result.points.every((point) => point.rules.length === 0));
  });

  /*
   * (d) Two of three: in 3 consecutive points all strictly on one side of the mean, at least 2
   * between the 2σ line and the limit. Both series have mean 10 and MR̄ 2:
   *   2.66 × 2 = 5.32 → limits 4.68, 15.32; (2/3) × 5.32 = 3.54666… → 2σ 6.45333…, 13.54666…
   *   so 14 is near the upper limit (13.54… < 14 ≤ 15.32) and 6 near the lower (4.68 ≤ 6 < 6.45…).
   *
   * same side: 10 12 14 12 14 12 10 8 6 8 6 8 (n = 12)
   *   mean = (10 + 12 + 14 + 12 + 14 + 12 + 10 + 8 + 6 + 8 + 6 + 8) / 12 = 120 / 12 = 10
   *   MRs  = eleven 2s → MR̄ = 2 (3.267 × 2 = 6.534: none screened)
   *   window 14 12 14: all above, two near → the two 14s (high, improvement), not the 12
   *   window 6 8 6: all below, two near → the two 6s (low, concern), not the 8
   *   no run (5 above, 10 on the mean, 5 below), no trend (at most 3 rising), nothing outside.
   *
   * split sides: 10 12 14 9 6 8 10 12 10 9 10 10 (n = 12)
   *   mean = 120 / 12 = 10
   *   MRs  = 2 2 5 3 2 2 2 2 1 1 0: sum 22 → MR̄ = 2 (5 < 6.534: none screened), same lines
   *   window 14 9 6 holds two near points, but on opposite sides of the mean → no flag
   *   (NHSRplotthedots issue #143); window 9 6 8 is all below but only 6 is near → no flag.
   */
  test("(d) two of three near the limit on the same side flags only the near points", () => {
    const result = analyse([10, 12, 14, 12, 14, 12, 10, 8, 6, 8, 6, 8]);
    close(result.mean, 10, "mean");
    close(result.lpl, 4.68, "lpl");
    close(result.upl, 15.32, "upl");
    assert.deepEqual(verdicts(result), [
      "10:none:-",
      "12:none:-",
      "14:improvement:two_of_three",
      "12:none:-",
      "14:improvement:two_of_three",
      "12:none:-",
      "10:none:-",
      "8:none:-",
      "6:concern:two_of_three",
      "8:none:-",
      "6:concern:two_of_three",
      "8:none:-",
    ]);
  });

  test("(d) two near points on opposite sides of the mean do not count", () => {
    const result = analyse([10, 12, 14, 9, 6, 8, 10, 12, 10, 9, 10, 10]);
    close(result.mean, 10, "mean");
    close(result.lpl, 4.68, "lpl");
    close(result.upl, 15.32, "upl");
    assert.ok(result.points.every((point) => point.special_cause === "none"));
  });

  /*
   * (e) Rebase. values 10 12 10 12 10 12 (Jan–Jun 2023) | 20 21 20 21 20 21 (Jul–Dec 2023),
   * rebased at 2023-06-15, which is no period: the new group starts at the first point on or
   * after it, July.
   *
   *   group 1: mean 66 / 6 = 11; MRs five 2s → MR̄ 2; 11 ∓ 5.32 → 5.68, 16.32
   *   group 2: mean 123 / 6 = 20.5; MRs five 1s → MR̄ 1; 20.5 ∓ 2.66 → 17.84, 23.16
   *            (the 12 → 20 jump belongs to neither group: July has no moving range)
   *   series-level figures are the last group's: 20.5, 17.84, 23.16
   *
   * without the rebase: mean 189 / 12 = 15.75; MRs five 2s, 8, five 1s: sum 23 → MR̄ 23/11;
   *   3.267 × 23/11 ≈ 6.83 ≤ 8 → 8 screened out; MR̄ = 15/10 = 1.5
   *   15.75 ∓ 2.66 × 1.5 = 15.75 ∓ 3.99 → 11.76, 19.74: every 10, 20 and 21 is outside.
   */
  const stepChange = [10, 12, 10, 12, 10, 12, 20, 21, 20, 21, 20, 21];

  test("(e) a rebase gives each group its own mean, moving ranges and limits", () => {
    const result = analyse(stepChange, { rebase: ["2023-06-15"] });
    for (const point of result.points.slice(0, 6)) {
      close(point.mean, 11, `${point.period} mean`);
      close(point.lpl, 5.68, `${point.period} lpl`);
      close(point.upl, 16.32, `${point.period} upl`);
    }
    for (const point of result.points.slice(6)) {
      close(point.mean, 20.5, `${point.period} mean`);
      close(point.lpl, 17.84, `${point.period} lpl`);
      close(point.upl, 23.16, `${point.period} upl`);
    }
    close(result.mean, 20.5, "series mean");
    close(result.lpl, 17.84, "series lpl");
    close(result.upl, 23.16, "series upl");
    assert.ok(result.points.every((point) => point.special_cause === "none"));
    assert.deepEqual(result.warnings, [
      "group starting 2023-01-01: fewer than 13 points: limits are unreliable",
      "group starting 2023-07-01: fewer than 13 points: limits are unreliable",
    ]);
  });

  test("(e) without the rebase the step change is one group, far outside its limits", () => {
    const result = analyse(stepChange);
    close(result.mean, 15.75, "mean");
    close(result.lpl, 11.76, "lpl");
    close(result.upl, 19.74, "upl");
    assert.deepEqual(
      result.points.flatMap((point, i) => (point.rules.includes("outside_limits") ? [i] : [])),
      [0, 2, 4, 6, 7, 8, 9, 10, 11],
    );
  });

  /*
   * (f) Fewer than 13 points. 10 12 10 12 … alternating: 12 points (mean 11, MR̄ 2) draw limits
   * with the warning; 13 points (mean 142/13, MR̄ 2) draw them without.
   */
  test("(f) a group of fewer than 13 points warns that its limits are unreliable", () => {
    const alternating = (n: number): number[] =>
      Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 10 : 12));
    const twelve = analyse(alternating(12));
    close(twelve.mean, 11, "mean");
    close(twelve.upl, 16.32, "upl");
    assert.deepEqual(twelve.warnings, ["fewer than 13 points: limits are unreliable"]);
    const thirteen = analyse(alternating(13));
    close(thirteen.mean, 142 / 13, "mean");
    assert.deepEqual(thirteen.warnings, []);
  });

  /*
   * (g) Assurance: the target against the last group's limits. 10 12 10 12 10 12 10 12 10 12:
   *   mean 110 / 10 = 11; MRs nine 2s → MR̄ 2; 11 ∓ 5.32 → lpl 5.68, upl 16.32
   *   target 17 > upl: common-cause variation never reaches it → consistently failing when
   *     higher is better (consistently passing when lower is better)
   *   target 5 < lpl: every common-cause point exceeds it → consistently passing when higher is
   *     better (consistently failing when lower is better)
   *   target 12 within the limits, or exactly on one: hit and miss
   *   no target, or neutral polarity: no icon
   */
  test("(g) the assurance icon compares the target with the process limits", () => {
    const values = [10, 12, 10, 12, 10, 12, 10, 12, 10, 12];
    const icon = (polarity: SpcOptions["polarity"], target?: number) =>
      analyse(values, { polarity, target }).assurance_icon;
    const limits = analyse(values);
    close(limits.lpl, 5.68, "lpl");
    close(limits.upl, 16.32, "upl");

    assert.equal(icon("higher_is_better", 17), "consistently_failing");
    assert.equal(icon("higher_is_better", 5), "consistently_passing");
    assert.equal(icon("higher_is_better", 12), "hit_and_miss");
    assert.equal(icon("lower_is_better", 17), "consistently_passing");
    assert.equal(icon("lower_is_better", 5), "consistently_failing");
    assert.equal(icon("lower_is_better", 12), "hit_and_miss");
    assert.equal(icon("higher_is_better", limits.upl as number), "hit_and_miss");
    assert.equal(icon("higher_is_better", limits.lpl as number), "hit_and_miss");
    assert.equal(icon("higher_is_better"), null);
    assert.equal(icon("neutral", 17), null);
  });
});
