/**
 * Cut-points by linear interpolation between closest ranks: the definition of PostgreSQL's
 * `percentile_cont` and DuckDB's `quantile_cont` (also R's type 7 and NumPy's default), written
 * to give the very same double as DuckDB's `quantile_cont` on a DOUBLE column:
 *
 *   h = (n − 1) · p            (in double arithmetic, as DuckDB computes `RN`)
 *   lo = x[floor h], hi = x[ceil h]   over the values sorted ascending
 *   result = lo                        when floor h = ceil h
 *          = lo · (1 − d) + hi · d     otherwise, with d = h − floor h
 *
 * DuckDB's interpolation for doubles is `lo * (1.0 - d) + hi * d` (not `lo + d·(hi − lo)`); the
 * two can differ in the last bit, so we use DuckDB's form. PostgreSQL's is mathematically equal.
 */

/** The cut-points we report: quartiles (25, 50, 75) and deciles (10 … 90), in ascending order. */
export const QUARTILE_PROBABILITIES = [0.25, 0.5, 0.75] as const;
export const DECILE_PROBABILITIES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9] as const;

/**
 * The `p` quantile (0 ≤ p ≤ 1) of values already sorted ascending, as `quantile_cont(x, p)`.
 * Throws on an empty list: a population with no values has no cut-points.
 */
export function quantileCont(sortedAscending: readonly number[], p: number): number {
  const n = sortedAscending.length;
  if (n === 0) throw new RangeError("quantile of no values");
  if (!(p >= 0 && p <= 1)) throw new RangeError(`probability ${p} is not between 0 and 1`);
  const h = (n - 1) * p;
  const floor = Math.floor(h);
  const ceil = Math.ceil(h);
  const lo = sortedAscending[floor] as number;
  if (floor === ceil) return lo;
  const hi = sortedAscending[ceil] as number;
  const d = h - floor;
  return lo * (1.0 - d) + hi * d;
}

/** Cut-points on the value scale, ascending by probability whatever the metric's polarity. */
export interface CutPoints {
  /** The 25th, 50th and 75th percentiles. */
  quartiles: [number, number, number];
  /** The 10th, 20th, … 90th percentiles. */
  deciles: number[];
}

export function cutPoints(sortedAscending: readonly number[]): CutPoints {
  const [q25, q50, q75] = QUARTILE_PROBABILITIES.map((p) => quantileCont(sortedAscending, p));
  return {
    quartiles: [q25 as number, q50 as number, q75 as number],
    deciles: DECILE_PROBABILITIES.map((p) => quantileCont(sortedAscending, p)),
  };
}
