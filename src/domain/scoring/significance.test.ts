import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { averageChangeTest, criticalT, segmentChangeVerdict } from "./significance.js";

// docs/national-picture.md §Significance: a paired t-test over the metrics scored in both
// quarters, two-sided 5% (t(0.975, k − 1)), at least three shared metrics.
const scores = (values: number[]) => new Map(values.map((v, i) => [`M${i}`, v]));

describe("significance of a quarter's change (docs/national-picture.md §Significance)", () => {
  it("uses Student's t at the two-sided 5% level: 2.228 for 10 degrees of freedom, 1.96 beyond 30", () => {
    assert.equal(criticalT(10), 2.228);
    assert.equal(criticalT(200), 1.96);
  });

  it("a consistent worsening over every shared metric is significant", () => {
    const before = scores([1.5, 2, 2.5, 3, 1.2, 2.2]);
    const after = scores([2.0, 2.4, 3.1, 3.4, 1.7, 2.7]);
    const test = averageChangeTest(before, after);
    assert.equal(test.shared_metrics, 6);
    assert.ok(test.t! > test.critical_t);
    assert.equal(test.significant, true);
  });

  it("one metric moving a lot while the others stand still is not significant", () => {
    const before = scores([1.5, 2, 2.5, 3, 1.2, 2.2]);
    const after = scores([1.5, 2, 2.5, 3, 1.2, 4.0]);
    const test = averageChangeTest(before, after);
    assert.equal(test.significant, false);
    assert.ok(test.t! < test.critical_t);
  });

  it("only metrics scored in both quarters count; fewer than three can never be significant", () => {
    const test = averageChangeTest(
      scores([1, 1]),
      new Map([
        ["M0", 2],
        ["M1", 2],
        ["X", 4],
      ]),
    );
    assert.equal(test.shared_metrics, 2);
    assert.equal(test.significant, false);
  });

  it("a segment change with a non-significant score change goes to individual review; an override change stands", () => {
    const flat = averageChangeTest(scores([2, 2, 2, 2]), scores([2, 2, 2, 2.4]));
    assert.equal(segmentChangeVerdict(2, 3, flat, false).kind, "for_review");
    assert.equal(segmentChangeVerdict(2, 3, flat, true).kind, "override");
    assert.equal(segmentChangeVerdict(2, 2, flat, false).kind, "no_change");
    assert.equal(segmentChangeVerdict(null, 2, null, false).kind, "new");
    const real = averageChangeTest(scores([1, 1.2, 1.4, 1.1]), scores([1.6, 1.9, 2.0, 1.8]));
    assert.equal(segmentChangeVerdict(1, 2, real, false).kind, "significant");
  });
});
