import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { scoredFramework } from "./scoring-fixture.js";
import { averageScore, countedMetrics, domainScores } from "./summary-scores.js";

const framework = scoredFramework();

describe("domain and average scores", () => {
  test("the combined metric stands in for its parts, and contextual themes do not count (data/README.md, DOMAIN §4)", () => {
    assert.deepEqual(
      countedMetrics(framework).map((m) => m.id),
      ["waits", "reach", "response", "rating", "finance", "mystery"],
    );
  });

  test("a domain score is the unweighted mean of its available metric scores (data/README.md)", () => {
    const scores = new Map([
      ["waits", 1],
      ["reach", 2.5],
      ["plan", 4],
      ["variance", 4],
      ["finance", 3],
      ["health", 1],
    ]);
    assert.deepEqual(
      [...domainScores(framework, scores)],
      [
        ["access", 1.75],
        ["money", 3],
      ],
    );
  });

  test("the average is the mean of every counted metric score, not the mean of the domain scores (data/README.md)", () => {
    const scores = new Map([
      ["waits", 1],
      ["reach", 2],
      ["response", 3],
      ["finance", 4],
    ]);
    // Mean of domains would be (2 + 4) / 2 = 3; the published method gives 10 / 4.
    assert.equal(averageScore(framework, scores), 2.5);
  });

  test("no available score, no domain score and no average", () => {
    assert.deepEqual([...domainScores(framework, new Map())], []);
    assert.equal(averageScore(framework, new Map([["health", 2]])), undefined);
  });
});
