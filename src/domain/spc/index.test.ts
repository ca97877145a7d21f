import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { analyseSeries, type SpcInputPoint } from "./index.js";

/** Monthly points from April 2023, one per value. */
function monthly(values: readonly number[], firstMonth = "2023-04"): SpcInputPoint[] {
  const [year, month] = firstMonth.split("-").map(Number) as [number, number];
  return values.map((value, i) => {
    const index = year * 12 + (month - 1) + i;
    const period = `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}-01`;
    return { period, value };
  });
}

const close = (actual: number | null, expected: number): void =>
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-9, `${actual} ≉ ${expected}`);

/*
 * A&E: % of patients seen within 4 hours, Apr 2023 – Jun 2024, higher is better, target 95%.
 *
 *   month  Apr May Jun Jul Aug Sep Oct Nov Dec Jan Feb Mar Apr May Jun
 *   value   73  76  74  75  72  75  74  76  77  78  79  80  81  82  83
 *
 * mean           = 1155 / 15 = 77
 * moving ranges  = 3 2 1 3 3 1 2 1 1 1 1 1 1 1, sum 22 → mean moving range 22/14 = 11/7 ≈ 1.5714
 * screening      : 3.267 × 11/7 ≈ 5.13; no range reaches it, so 11/7 stands
 * limits         = 77 ∓ 2.66 × 11/7 = 77 ∓ 4.18 → lpl 72.82, upl 81.18
 * 2σ lines       = 77 ∓ (2/3) × 4.18 ≈ 74.2133 and 79.7867
 * outside_limits : Aug 72 < 72.82 (low); May 82 and Jun 83 > 81.18 (high)
 * run            : Apr–Nov 2023 are 8 points below 77 (low); Dec sits on the mean and breaks it,
 *                  leaving Jan–Jun 2024 only 6 above: no run there
 * trend          : Oct 2023 74 → Jun 2024 83, 9 strictly rising points (high); Sep 75 > Oct 74
 * two_of_three   : Apr 73, May 76, Jun 74 all below; 73 and 74 lie in [72.82, 74.2133) → Apr, Jun low.
 *                  Feb 79, Mar 80, Apr 81 all above; 80 and 81 lie in (79.7867, 81.18] → Mar, Apr high.
 *                  Aug–Oct (72, 75, 74): 72 is outside the limits, not near them, so only 1 near.
 * precedence     : Oct and Nov 2023 are in the low run and the rising trend; the trend decides.
 * polarity       : higher is better, so high → improvement, low → concern
 * variation icon : Jun 2024 is high → special_cause_improvement_high
 * assurance      : target 95 > upl 81.18 with higher better → consistently_failing
 */
const fourHour = monthly([73, 76, 74, 75, 72, 75, 74, 76, 77, 78, 79, 80, 81, 82, 83]);

describe("analyseSeries", () => {
  test("a realistic A&E series matches the hand computation (MDC, NHSRplotthedots)", () => {
    const result = analyseSeries(fourHour, { polarity: "higher_is_better", target: 95 });
    close(result.mean, 77);
    close(result.lpl, 72.82);
    close(result.upl, 81.18);
    assert.equal(result.variation_icon, "special_cause_improvement_high");
    assert.equal(result.assurance_icon, "consistently_failing");
    assert.deepEqual(result.warnings, []);
    assert.deepEqual(
      result.points.map((point) => [point.period.slice(0, 7), point.special_cause, point.rules]),
      [
        ["2023-04", "concern", ["two_of_three", "run"]],
        ["2023-05", "concern", ["run"]],
        ["2023-06", "concern", ["two_of_three", "run"]],
        ["2023-07", "concern", ["run"]],
        ["2023-08", "concern", ["outside_limits", "run"]],
        ["2023-09", "concern", ["run"]],
        ["2023-10", "improvement", ["trend", "run"]],
        ["2023-11", "improvement", ["trend", "run"]],
        ["2023-12", "improvement", ["trend"]],
        ["2024-01", "improvement", ["trend"]],
        ["2024-02", "improvement", ["trend"]],
        ["2024-03", "improvement", ["trend", "two_of_three"]],
        ["2024-04", "improvement", ["trend", "two_of_three"]],
        ["2024-05", "improvement", ["outside_limits", "trend"]],
        ["2024-06", "improvement", ["outside_limits", "trend"]],
      ],
    );
    for (const point of result.points) {
      close(point.mean, 77);
      close(point.lpl, 72.82);
      close(point.upl, 81.18);
    }
  });

  test("polarity: lower is better turns the same signals round (MDC)", () => {
    const result = analyseSeries(fourHour, { polarity: "lower_is_better", target: 95 });
    assert.equal(result.points[0]?.special_cause, "improvement");
    assert.equal(result.points[14]?.special_cause, "concern");
    assert.equal(result.variation_icon, "special_cause_concern_high");
    assert.equal(result.assurance_icon, "consistently_passing");
  });

  test("polarity: neutral marks every signal neutral and gives no assurance icon (NHSRplotthedots)", () => {
    const result = analyseSeries(fourHour, { polarity: "neutral", target: 95 });
    assert.ok(result.points.every((point) => point.special_cause === "neutral"));
    assert.equal(result.variation_icon, "special_cause_neutral_high");
    assert.equal(result.assurance_icon, null);
  });

  test("assurance: a target between the last group's limits is hit and miss; no target, no icon", () => {
    assert.equal(
      analyseSeries(fourHour, { polarity: "higher_is_better", target: 78 }).assurance_icon,
      "hit_and_miss",
    );
    assert.equal(analyseSeries(fourHour, { polarity: "higher_is_better" }).assurance_icon, null);
  });

  test("variation icon: the last point's type, common cause after an earlier spike", () => {
    // Mean 91/14 = 6.5; the two ranges of 15 are screened out, mean moving range 1, upl 9.16.
    // The spike (20) is special cause; the final 5 is inside the limits and in no run.
    const result = analyseSeries(monthly([5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 20, 5]), {
      polarity: "lower_is_better",
    });
    assert.equal(result.points[12]?.special_cause, "concern");
    assert.deepEqual(result.points[13]?.rules, []);
    assert.equal(result.variation_icon, "common_cause");
  });

  describe("screening", () => {
    // A single spike at 30 in 13 points: mean 155/13 ≈ 11.92. Moving ranges: ten 1s and two 20s,
    // mean 50/12 ≈ 4.17; 3.267 × 4.17 ≈ 13.6, so screening drops both 20s → mean moving range 1.
    const spiky = monthly([10, 11, 10, 11, 10, 11, 10, 11, 10, 30, 10, 11, 10]);
    const centre = 155 / 13;

    test("screening on (default): moving ranges >= 3.267 × their mean leave the limits (NHSRplotthedots)", () => {
      const result = analyseSeries(spiky, { polarity: "lower_is_better" });
      close(result.upl, centre + 2.66);
      close(result.lpl, centre - 2.66);
      // With the narrower limits the 10s lie between the lower 2σ line (≈ 10.15) and the lpl
      // (≈ 9.26), two in every (10, 11, 10) window: two_of_three fires.
      assert.ok(result.points[0]?.rules.includes("two_of_three"));
      assert.deepEqual(result.points[9]?.rules, ["outside_limits"]);
    });

    test("screening off: every moving range counts and the limits widen (MDC Excel tool)", () => {
      const result = analyseSeries(spiky, { polarity: "lower_is_better", screenOutliers: false });
      close(result.upl, centre + (2.66 * 50) / 12);
      close(result.lpl, centre - (2.66 * 50) / 12);
      assert.ok(result.points.every((point) => !point.rules.includes("two_of_three")));
      assert.deepEqual(result.points[9]?.rules, ["outside_limits"]);
    });
  });

  describe("rebase", () => {
    const rising = monthly([1, 2, 3, 4, 5, 6, 7]);

    test("rebase: without a rebase, 7 rising points are a trend", () => {
      const result = analyseSeries(rising, { polarity: "higher_is_better" });
      assert.ok(result.points.every((point) => point.rules.includes("trend")));
    });

    test("rebase: rules are evaluated within a group, so a trend does not cross a rebase (NHSRplotthedots)", () => {
      const result = analyseSeries(rising, {
        polarity: "higher_is_better",
        rebase: ["2023-08-01"],
      });
      assert.ok(result.points.every((point) => !point.rules.includes("trend")));
    });

    test("rebase: a new group starts at the first point on or after the rebase date, with its own limits", () => {
      const values = [1, 2, 1, 2, 1, 2, 11, 12, 11, 12, 11, 12];
      const result = analyseSeries(monthly(values), {
        polarity: "higher_is_better",
        rebase: ["2023-09-15"],
      });
      // Groups Apr–Sep (mean 1.5) and Oct–Mar (mean 11.5); each has mean moving range 1, and the
      // first point of the second group has no moving range (|11 − 2| is not counted).
      assert.deepEqual(
        result.points.map((point) => point.mean),
        [1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 11.5, 11.5, 11.5, 11.5, 11.5, 11.5],
      );
      close(result.mean, 11.5);
      close(result.lpl, 11.5 - 2.66);
      close(result.upl, 11.5 + 2.66);
      close(result.points[0]?.upl ?? null, 1.5 + 2.66);
      assert.deepEqual(result.warnings, [
        "group starting 2023-04-01: fewer than 13 points: limits are unreliable",
        "group starting 2023-10-01: fewer than 13 points: limits are unreliable",
      ]);
    });

    test("rebase: a rebase date after the last point is ignored with a warning", () => {
      const result = analyseSeries(rising, {
        polarity: "higher_is_better",
        rebase: ["2030-01-01"],
      });
      assert.ok(result.points.every((point) => point.rules.includes("trend")));
      assert.ok(result.warnings.includes("rebase 2030-01-01 is after the last point: ignored"));
    });
  });

  describe("minPoints", () => {
    test("minPoints: a last group of 1 point (default minPoints 2) has its mean but no limits and no icons", () => {
      const result = analyseSeries(monthly([1, 2, 3, 4, 5, 6, 7]), {
        polarity: "higher_is_better",
        target: 3,
        rebase: ["2023-10-01"],
      });
      const last = result.points[6];
      assert.deepEqual(last, {
        period: "2023-10-01",
        value: 7,
        mean: 7,
        lpl: null,
        upl: null,
        special_cause: "none",
        rules: [],
      });
      assert.equal(result.mean, 7);
      assert.equal(result.lpl, null);
      assert.equal(result.upl, null);
      assert.equal(result.variation_icon, null);
      assert.equal(result.assurance_icon, null);
      assert.ok(
        result.warnings.includes(
          "group starting 2023-10-01: 1 point, fewer than minPoints (2): no limits drawn",
        ),
      );
    });

    test("minPoints: groups shorter than minPoints get null limits and no special cause", () => {
      // With minPoints 5 the first group (4 points, all far below the second) gets no limits,
      // and the second group (5 points) does.
      const result = analyseSeries(monthly([1, 9, 1, 9, 50, 51, 50, 51, 50]), {
        polarity: "higher_is_better",
        rebase: ["2023-08-01"],
        minPoints: 5,
      });
      assert.ok(
        result.points.slice(0, 4).every((p) => p.lpl === null && p.special_cause === "none"),
      );
      assert.ok(result.points.slice(4).every((p) => p.lpl !== null));
      assert.equal(result.variation_icon, "common_cause");
    });
  });

  describe("warnings", () => {
    test("warnings: fewer than 13 points draw a warning (NHSRplotthedots warns below 13)", () => {
      const result = analyseSeries(monthly([5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6]), {
        polarity: "neutral",
      });
      assert.deepEqual(result.warnings, ["fewer than 13 points: limits are unreliable"]);
    });

    test("warnings: 13 points draw none", () => {
      const result = analyseSeries(monthly([5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5]), {
        polarity: "neutral",
      });
      assert.deepEqual(result.warnings, []);
    });

    test("warnings: a flat series has a zero mean moving range and limits on the mean, and no signal", () => {
      const result = analyseSeries(monthly(Array.from({ length: 13 }, () => 7)), {
        polarity: "higher_is_better",
      });
      assert.deepEqual(result.warnings, ["mean moving range is 0: the limits equal the mean"]);
      assert.equal(result.lpl, 7);
      assert.equal(result.upl, 7);
      assert.equal(result.variation_icon, "common_cause");
    });

    test("warnings: an empty series has nothing to analyse", () => {
      const result = analyseSeries([], { polarity: "neutral" });
      assert.deepEqual(result, {
        mean: null,
        lpl: null,
        upl: null,
        variation_icon: null,
        assurance_icon: null,
        warnings: ["no points: nothing to analyse"],
        points: [],
      });
    });
  });

  test("rule lengths are options: a run of 4 counts when runLength is 4", () => {
    // Mean 2.5: four points below it, then four above; the default run of 7 never forms.
    const points = monthly([1, 2, 1, 2, 3, 4, 3, 4]);
    assert.ok(
      analyseSeries(points, { polarity: "neutral" }).points.every((p) => !p.rules.includes("run")),
    );
    const result = analyseSeries(points, { polarity: "neutral", runLength: 4 });
    assert.deepEqual(
      result.points.map((p) => p.rules.includes("run")),
      [true, true, true, true, true, true, true, true],
    );
  });

  test("input that the edge should have rejected is refused loudly", () => {
    const points = monthly([1, 2, 3]);
    assert.throws(
      () => analyseSeries([points[1]!, points[0]!], { polarity: "neutral" }),
      /strictly increasing period order/,
    );
    assert.throws(
      () => analyseSeries([{ period: "2024-01-01", value: Number.NaN }], { polarity: "neutral" }),
      /not finite/,
    );
    assert.throws(() => analyseSeries(points, { polarity: "neutral", runLength: 1 }), RangeError);
    assert.throws(
      () => analyseSeries(points, { polarity: "neutral", rebase: ["May"] }),
      RangeError,
    );
  });
});
