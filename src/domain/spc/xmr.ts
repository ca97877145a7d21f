/**
 * XmR (individuals and moving range) limits for one group of points, as Making Data Count and
 * NHSRplotthedots draw them. Pure arithmetic: a group's values in, its centre line and limits out.
 */

/** 3 / d2 for moving ranges of two points (d2 = 1.128): limits sit 2.66 mean moving ranges out. */
export const PROCESS_LIMIT_FACTOR = 2.66;

/** The 2σ line is two thirds of the way from the mean to the process limit. */
export const TWO_SIGMA_FACTOR = (2 / 3) * PROCESS_LIMIT_FACTOR;

/** D4 for moving ranges of two points: a range at or above 3.267 × their mean is screened out. */
export const MOVING_RANGE_SCREEN_FACTOR = 3.267;

export interface XmrLimits {
  readonly mean: number;
  /** Mean moving range after screening (when screening is on). */
  readonly meanMovingRange: number;
  /** Lower and upper process limits: mean ∓ 2.66 × mean moving range. */
  readonly lpl: number;
  readonly upl: number;
  /** Lower and upper 2σ lines: mean ∓ (2/3) × 2.66 × mean moving range. */
  readonly lowerTwoSigma: number;
  readonly upperTwoSigma: number;
  /** How many moving ranges screening left out of the mean moving range. */
  readonly screenedOutMovingRanges: number;
}

export function mean(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

/** |xᵢ − xᵢ₋₁| for each point after the first: one fewer range than values. */
export function movingRanges(values: readonly number[]): number[] {
  const ranges: number[] = [];
  for (let i = 1; i < values.length; i++) {
    ranges.push(Math.abs((values[i] as number) - (values[i - 1] as number)));
  }
  return ranges;
}

/**
 * Mean of the moving ranges; with screening, ranges at or above 3.267 × that mean are dropped and
 * the mean recomputed, once (NHSRplotthedots). A group whose ranges are all zero is left
 * unscreened: every range would be "at or above" zero and nothing would be left to average.
 */
export function meanMovingRange(
  ranges: readonly number[],
  screenOutliers: boolean,
): { meanMovingRange: number; screenedOut: number } {
  const unscreened = mean(ranges);
  if (!screenOutliers || unscreened === 0) {
    return { meanMovingRange: unscreened, screenedOut: 0 };
  }
  // The mean of the kept ranges, summed in order as `mean` would, without an array of them.
  const screen = MOVING_RANGE_SCREEN_FACTOR * unscreened;
  let sum = 0;
  let kept = 0;
  for (const range of ranges) {
    if (range >= screen) continue;
    sum += range;
    kept++;
  }
  return { meanMovingRange: sum / kept, screenedOut: ranges.length - kept };
}

/** Limits for one group; the caller guarantees at least two values (one moving range). */
export function xmrLimits(
  values: readonly number[],
  options: { readonly screenOutliers: boolean },
): XmrLimits {
  if (values.length < 2) {
    throw new RangeError(`XmR limits need at least 2 points, got ${values.length}`);
  }
  const centre = mean(values);
  const { meanMovingRange: mr, screenedOut } = meanMovingRange(
    movingRanges(values),
    options.screenOutliers,
  );
  return {
    mean: centre,
    meanMovingRange: mr,
    lpl: centre - PROCESS_LIMIT_FACTOR * mr,
    upl: centre + PROCESS_LIMIT_FACTOR * mr,
    lowerTwoSigma: centre - TWO_SIGMA_FACTOR * mr,
    upperTwoSigma: centre + TWO_SIGMA_FACTOR * mr,
    screenedOutMovingRanges: screenedOut,
  };
}
