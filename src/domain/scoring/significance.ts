/**
 * Is a quarter-to-quarter change in a trust's average score, and so in its segment, more than
 * the noise of the metrics it is made of? (docs/national-picture.md §Significance.) NHS England
 * reviews a segment change individually when the score change is below a significance threshold
 * it does not publish; this is our documented test.
 *
 * The test is paired: the change in each metric score the trust has in both quarters, d_i, is one
 * observation of how the trust moved; the change is significant when the mean of the d_i is
 * further from zero than Student's t at the two-sided 5% level allows given their spread
 * (|mean| / (sd / √k) > t(0.975, k − 1)). Fewer than three shared metrics can never be significant.
 */

/** Two-sided 5% critical values of Student's t by degrees of freedom (1–30); 1.96 beyond. */
const T_975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145,
  2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048,
  2.045, 2.042,
] as const;

export const SIGNIFICANCE_LEVEL = 0.05;
export const MIN_SHARED_METRICS = 3;

export function criticalT(degreesOfFreedom: number): number {
  return T_975[degreesOfFreedom - 1] ?? 1.96;
}

export interface ChangeTest {
  /** Mean change over the metrics scored in both quarters (positive = worse on a 1-best scale). */
  mean_change: number;
  shared_metrics: number;
  /** |mean| / (sd / √k); null when it cannot be computed (fewer than 2 metrics). */
  t: number | null;
  critical_t: number;
  significant: boolean;
}

/** The paired test of a trust's metric scores in two quarters, by metric id. */
export function averageChangeTest(
  previous: ReadonlyMap<string, number>,
  current: ReadonlyMap<string, number>,
): ChangeTest {
  const d = [...current].flatMap(([id, score]) => {
    const before = previous.get(id);
    return before === undefined ? [] : [score - before];
  });
  const k = d.length;
  const mean = k === 0 ? 0 : d.reduce((a, b) => a + b, 0) / k;
  const critical = criticalT(Math.max(1, k - 1));
  if (k < 2)
    return {
      mean_change: mean,
      shared_metrics: k,
      t: null,
      critical_t: critical,
      significant: false,
    };
  const sd = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / (k - 1));
  // Every metric moved by the same amount: no spread, so any non-zero move is beyond noise.
  const t =
    sd === 0 ? (mean === 0 ? 0 : Number.POSITIVE_INFINITY) : Math.abs(mean) / (sd / Math.sqrt(k));
  return {
    mean_change: mean,
    shared_metrics: k,
    t: Number.isFinite(t) ? t : null,
    critical_t: critical,
    significant: k >= MIN_SHARED_METRICS && t > critical,
  };
}

export type SegmentChangeVerdict =
  | { kind: "no_change" }
  | { kind: "new" }
  /** The score change is significant: the segment moves. */
  | { kind: "significant" }
  /** The financial override flag changed: a fact, not a sample, so the move stands. */
  | { kind: "override" }
  /** Below the threshold: held for individual review instead of moving automatically. */
  | { kind: "for_review" };

/** How a segment change is to be treated, given the average score test. */
export function segmentChangeVerdict(
  previousSegment: number | null,
  currentSegment: number | null,
  test: ChangeTest | null,
  overrideChanged: boolean,
): SegmentChangeVerdict {
  if (previousSegment === null || currentSegment === null) return { kind: "new" };
  if (previousSegment === currentSegment) return { kind: "no_change" };
  if (overrideChanged) return { kind: "override" };
  return test?.significant ? { kind: "significant" } : { kind: "for_review" };
}
