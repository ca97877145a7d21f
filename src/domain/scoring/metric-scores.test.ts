import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  bandScore,
  combinedScore,
  competitionRanks,
  rankScore,
  rankScores,
  scoreMetrics,
  type MetricScore,
} from "./metric-scores.js";
import { org, scoredFramework, valuesOf } from "./scoring-fixture.js";

const range = { best: 1, worst: 4 };
const framework = scoredFramework();
const scoringOf = (id: string) => framework.metrics.find((m) => m.id === id)!.scoring!;
const bandsOf = (id: string) => {
  const scoring = scoringOf(id);
  assert.equal(scoring.method, "bands");
  return scoring.bands;
};

describe("continuous rank scores", () => {
  test("1 + 3·(rank−1)/(n−1): rank 1 scores 1.00, rank n scores 4.00 (data/README.md)", () => {
    assert.equal(rankScore(1, 61, range), 1);
    assert.equal(rankScore(61, 61, range), 4);
    assert.equal(rankScore(31, 61, range), 2.5);
    // The published staff-survey score of rank 57 of 61 is 3.80.
    assert.equal(Math.round(rankScore(57, 61, range) * 100) / 100, 3.8);
  });

  test("a population of one scores best", () => {
    assert.equal(rankScore(1, 1, range), 1);
  });

  test("ties share the best rank, and so the best score (data/README.md)", () => {
    const values = new Map([
      ["a", 10],
      ["b", 20],
      ["c", 20],
      ["d", 30],
    ]);
    assert.deepEqual([...competitionRanks(values, "higher_is_better")].sort(), [
      ["a", 4],
      ["b", 2],
      ["c", 2],
      ["d", 1],
    ]);
    const scores = rankScores(values, "lower_is_better", range);
    assert.deepEqual(
      [scores.get("a"), scores.get("b"), scores.get("c"), scores.get("d")],
      [1, 2, 2, 4],
    );
  });

  test("polarity decides which end ranks first", () => {
    const values = new Map([
      ["low", 1],
      ["high", 9],
    ]);
    assert.equal(rankScores(values, "higher_is_better", range).get("high"), 1);
    assert.equal(rankScores(values, "lower_is_better", range).get("low"), 1);
  });
});

describe("discrete band scores", () => {
  test("planned surplus/deficit cut-offs at 0, −1% and −2% of income (data/README.md)", () => {
    const bands = bandsOf("plan");
    assert.deepEqual(
      [0.7, 0, -0.2, -0.99, -1, -1.12, -1.96, -2, -2.52].map((v) => bandScore(v, bands)),
      [1, 1, 2, 2, 2, 3, 3, 3, 4],
    );
  });

  test("variance to plan cut-offs at 0, −0.5% and −1% of income (data/README.md)", () => {
    const bands = bandsOf("variance");
    assert.deepEqual(
      [4.47, 0, -0.01, -0.39, -0.6, -0.78, -1.64].map((v) => bandScore(v, bands)),
      [1, 1, 2, 2, 3, 3, 4],
    );
  });

  test("a band holds min ≤ value < max: below 70% is in the band, 70% is not (UCR, data/README.md)", () => {
    const bands = bandsOf("response");
    assert.equal(bandScore(69.99, bands), 4);
    assert.equal(bandScore(70, bands), undefined);
  });
});

describe("combined scores", () => {
  const finance = scoringOf("finance");
  assert.equal(finance.method, "combined");
  if (finance.method !== "combined") return;

  test("combined finance by matrix: planned breakeven lifts the variance score one, a planned deficit lowers it one (published Q1–Q2 scores)", () => {
    assert.deepEqual(
      [
        [1, 1],
        [1, 2],
        [1, 4],
        [2, 1],
        [3, 2],
        [4, 4],
      ].map((parts) => combinedScore(finance, parts, range)),
      [1, 1, 3, 2, 3, 4],
    );
  });

  test("a matrix takes whole scores only", () => {
    assert.equal(combinedScore(finance, [1.5, 2], range), undefined);
  });

  test("worst and mean rules", () => {
    const base = { method: "combined" as const, from: ["x", "y"] };
    assert.equal(combinedScore({ ...base, rule: "worst" }, [2, 3], range), 3);
    assert.equal(combinedScore({ ...base, rule: "worst" }, [2, 3], { best: 4, worst: 1 }), 2);
    assert.equal(combinedScore({ ...base, rule: "mean" }, [2, 3], range), 2.5);
  });
});

describe("scoreMetrics over a population", () => {
  const members = ["A", "B", "C", "D"].map(org);
  const values = valuesOf({
    waits: [
      ["A", 5],
      ["B", 1],
      ["C", 9],
    ],
    reach: [
      ["A", 1],
      ["B", 2],
    ],
    response: [
      ["A", 69.99],
      ["B", 80],
      ["C", 90],
    ],
    plan: [
      ["A", 0],
      ["B", -1.5],
      ["C", 0.2],
      ["D", -3],
    ],
    variance: [
      ["A", -0.6],
      ["B", 0],
      ["C", 0.1],
    ],
  });
  const scores = scoreMetrics(framework, range, { members, covers: "peer_group", values });
  const of = (metric: string, code: string): MetricScore | undefined =>
    scores.get(metric)?.get(org(code));

  test("a metric ranked within the peer group is scored from the peer group's values", () => {
    assert.deepEqual(of("waits", "B"), { score: 1 });
    assert.deepEqual(of("waits", "A"), { score: 2.5 });
    assert.deepEqual(of("waits", "C"), { score: 4 });
    assert.equal(of("waits", "D")?.score, null);
  });

  test("a metric ranked among every reporting organisation is not scored from one peer group's data (data/README.md: that population is wider than the file)", () => {
    const result = of("reach", "A");
    assert.equal(result?.score, null);
    assert.match(result && "reason" in result ? result.reason : "", /wider population/);
    const national = scoreMetrics(framework, range, { members, covers: "all_reporting", values });
    assert.deepEqual(national.get("reach")?.get(org("A")), { score: 4 });
  });

  test("a value in no band is ranked when the scoring says otherwise: rank (UCR below 70% scores 4.00)", () => {
    assert.deepEqual(of("response", "A"), { score: 4 });
    // Ranked among all three reporting values: 90 first, 80 second.
    assert.deepEqual(of("response", "C"), { score: 1 });
    assert.deepEqual(of("response", "B"), { score: 2.5 });
  });

  test("a combined metric takes the scores computed for its parts", () => {
    assert.deepEqual(of("finance", "A"), { score: 2 }); // plan 1, variance 3
    assert.deepEqual(of("finance", "B"), { score: 2 }); // plan 3, variance 1
    assert.deepEqual(of("finance", "C"), { score: 1 });
    assert.match(JSON.stringify(of("finance", "D")), /needs a score for variance/);
  });

  test("CQC-based scores need a rating; unknown methods are flagged, never guessed", () => {
    assert.match(JSON.stringify(of("rating", "A")), /no CQC rating/);
    const rated = scoreMetrics(framework, range, {
      members,
      covers: "peer_group",
      values,
      ratings: new Map([["rating", new Map([[org("A"), "requires_improvement" as const]])]]),
    });
    assert.deepEqual(rated.get("rating")?.get(org("A")), { score: 3 });
    assert.match(JSON.stringify(of("mystery", "A")), /does not say/);
  });
});
