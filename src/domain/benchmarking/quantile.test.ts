import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { cutPoints, quantileCont } from "./quantile.js";

/*
 * Reference values: DuckDB v1.5.6, `SELECT quantile_cont(v, p)::DOUBLE FROM t` on a DOUBLE column
 * holding the values, for p = 0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9. Our
 * cut-points must be the same doubles, bit for bit (the benchmark compares them with DuckDB's).
 */
const PROBABILITIES = [0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9];
const DUCKDB: Record<string, { values: number[]; cuts: number[] }> = {
  four: {
    values: [4, 1, 3, 2],
    cuts: [1.3, 1.6, 1.75, 1.9, 2.2, 2.5, 2.8, 3.0999999999999996, 3.25, 3.4000000000000004, 3.7],
  },
  // 30 × 0.1 is 3.0000000000000004 in doubles: the interpolation weight is not quite zero.
  thirtyOne: {
    values: [
      60, 61.48, 62.96, 64.11, 65.59, 67.07, 68.22, 69.7, 71.18, 72.33, 73.81, 75.29, 76.44, 77.92,
      79.4, 80.55, 82.03, 83.51, 84.66, 86.14, 87.62, 88.77, 90.25, 91.73, 92.88, 94.36, 95.84,
      96.99, 98.47, 99.95, 101.1,
    ],
    cuts: [64.11, 68.22, 70.44, 72.33, 76.44, 80.55, 84.66, 88.77, 90.99000000000001, 92.88, 96.99],
  },
  ties: {
    values: [70, 70, 70, 75, 75, 80, 81.5, 90, 90, 90, 92.3],
    cuts: [70, 70, 72.5, 75, 75, 80, 81.5, 90, 90, 90, 90],
  },
  awkward: {
    values: [0.1, 0.7, 0.3, 0.2, 0.9, 0.15, 0.45, 0.6],
    cuts: [
      0.135, 0.17, 0.18750000000000003, 0.21000000000000002, 0.28, 0.375, 0.48000000000000004,
      0.585, 0.625, 0.66, 0.76,
    ],
  },
  negatives: {
    values: [-3.2, -1.1, 0.4, -0.7, 2.5, -5.05, 1.25],
    cuts: [
      -3.94, -2.78, -2.1500000000000004, -1.5200000000000005, -0.94, -0.7, -0.04000000000000037,
      0.5699999999999994, 0.825, 1.0800000000000005, 1.7500000000000004,
    ],
  },
};

const ascending = (values: number[]): number[] => [...values].sort((a, b) => a - b);

describe("quantileCont (PostgreSQL percentile_cont / DuckDB quantile_cont)", () => {
  for (const [name, { values, cuts }] of Object.entries(DUCKDB)) {
    test(`cut-points equal DuckDB's quantile_cont exactly: ${name}`, () => {
      const sorted = ascending(values);
      assert.deepEqual(
        PROBABILITIES.map((p) => quantileCont(sorted, p)),
        cuts,
      );
    });
  }

  test("linear interpolation between closest ranks: h = (n − 1)·p, by hand", () => {
    // [1, 2, 3, 4], p = 0.25: h = 0.75, so 1 · 0.25 + 2 · 0.75 = 1.75.
    assert.equal(quantileCont([1, 2, 3, 4], 0.25), 1.75);
    assert.equal(quantileCont([1, 2, 3, 4], 0.5), 2.5);
    assert.equal(quantileCont([10, 20, 30], 0.5), 20);
  });

  test("p = 0 and p = 1 are the minimum and maximum; one value is every quantile", () => {
    assert.equal(quantileCont([3, 5, 9], 0), 3);
    assert.equal(quantileCont([3, 5, 9], 1), 9);
    assert.equal(quantileCont([42], 0.9), 42);
  });

  test("no values, or a probability outside [0, 1], is an error rather than a cut-point", () => {
    assert.throws(() => quantileCont([], 0.5), RangeError);
    assert.throws(() => quantileCont([1, 2], 1.5), RangeError);
  });

  test("cutPoints gives quartiles 25/50/75 and deciles 10…90, ascending", () => {
    const { values, cuts } = DUCKDB.thirtyOne as { values: number[]; cuts: number[] };
    const result = cutPoints(ascending(values));
    assert.deepEqual(result.quartiles, [cuts[2], cuts[5], cuts[8]]);
    assert.deepEqual(result.deciles, [
      cuts[0],
      cuts[1],
      cuts[3],
      cuts[4],
      cuts[5],
      cuts[6],
      cuts[7],
      cuts[9],
      cuts[10],
    ]);
  });
});
