import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { leaguePositions } from "./league.js";

const range = { best: 1, worst: 4 };
const entry = (org: string, adjusted_segment: number, average_score: number) => ({
  org,
  adjusted_segment,
  average_score,
});

describe("league tables", () => {
  test("ranked by adjusted segment, then average score (data/README.md)", () => {
    const positions = leaguePositions(
      [entry("a", 3, 1.5), entry("b", 1, 2.1), entry("c", 1, 1.9), entry("d", 2, 3.0)],
      ["adjusted_segment", "average_score"],
      range,
    );
    assert.deepEqual(
      ["c", "b", "d", "a"].map((o) => positions.get(o)),
      [1, 2, 3, 4],
    );
  });

  test("equal keys share the best position, the next is skipped (as NHS England's ranks)", () => {
    const positions = leaguePositions(
      [entry("a", 2, 2.5), entry("b", 2, 2.5), entry("c", 2, 2.6)],
      ["adjusted_segment", "average_score"],
      range,
    );
    assert.deepEqual(
      ["a", "b", "c"].map((o) => positions.get(o)),
      [1, 1, 3],
    );
  });

  test("the key order is the framework's", () => {
    const positions = leaguePositions(
      [entry("a", 3, 1.5), entry("b", 1, 2.1)],
      ["average_score"],
      range,
    );
    assert.equal(positions.get("a"), 1);
  });
});
