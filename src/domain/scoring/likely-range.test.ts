import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { likelyRankText, likelyRanges, ordinal, type BootstrapRules } from "./likely-range.js";

// docs/national-picture.md §Likely range: a seeded bootstrap over each trust's metric scores.
const RULES: BootstrapRules = {
  segmentation: { method: "quartiles" },
  financialOverride: { metric_role: "financial_position", deficit_below: 0, best_segment: 3 },
  leagueOrder: ["adjusted_segment", "average_score"],
  range: { best: 1, worst: 4 },
};

const trusts = Array.from({ length: 20 }, (_, i) => ({
  org: `T${i}`,
  // Spread within each trust grows with i; centres rise with i.
  scores: Array.from({ length: 12 }, (_, j) => Math.min(4, 1 + i * 0.1 + ((j % 3) - 1) * (i / 20))),
  inDeficit: false,
}));

describe("likely ranges (docs/national-picture.md §Likely range)", () => {
  it("are deterministic from the seed: the same inputs give the same ranges", () => {
    const a = likelyRanges(trusts, RULES, { replicates: 300, seed: 7, coverage: 0.95 });
    const b = likelyRanges(trusts, RULES, { replicates: 300, seed: 7, coverage: 0.95 });
    assert.deepEqual([...a], [...b]);
  });

  it("hold the trust's own average and are a sub-range of 1..n", () => {
    const ranges = likelyRanges(trusts, RULES, { replicates: 300, seed: 1, coverage: 0.95 });
    for (const t of trusts) {
      const r = ranges.get(t.org)!;
      const mean = t.scores.reduce((x, y) => x + y, 0) / t.scores.length;
      assert.ok(r.average.low <= mean + 1e-9 && mean <= r.average.high + 1e-9, t.org);
      assert.ok(1 <= r.rank.low && r.rank.low <= r.rank.high && r.rank.high <= trusts.length);
    }
  });

  it("a trust whose metric scores are all equal has a single average; more spread, a wider range", () => {
    const ranges = likelyRanges(trusts, RULES, { replicates: 300, seed: 3, coverage: 0.95 });
    const flat = ranges.get("T0")!;
    assert.equal(flat.average.low, flat.average.high);
    const wide = ranges.get("T19")!;
    assert.ok(wide.average.high - wide.average.low > 0.2);
  });

  it("the financial override holds a trust in deficit at segment 3 or worse, so it never ranks above a trust in segment 1 or 2", () => {
    const withDeficit = trusts.map((t, i) => ({ ...t, inDeficit: i === 0 }));
    const ranges = likelyRanges(withDeficit, RULES, { replicates: 200, seed: 5, coverage: 0.95 });
    // Half the trusts (quartiles 1 and 2) always rank above a trust held in segment 3.
    assert.ok(ranges.get("T0")!.rank.low > trusts.length / 2 - 1);
  });

  it("reads as 'likely between 12th and 31st'", () => {
    assert.equal(likelyRankText({ low: 12, high: 31 }), "likely between 12th and 31st");
    assert.equal(likelyRankText({ low: 2, high: 2 }), "likely 2nd");
    assert.deepEqual([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111].map(ordinal), [
      "1st",
      "2nd",
      "3rd",
      "4th",
      "11th",
      "12th",
      "13th",
      "21st",
      "22nd",
      "23rd",
      "101st",
      "111th",
    ]);
  });
});
