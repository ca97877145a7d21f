/**
 * Making Data Count special-cause rules, one small function each, evaluated within one group of
 * points (a rebase starts afresh). Each rule returns one flag per point: `null` when the rule does
 * not flag the point, otherwise the direction of the signal ("high" or "low").
 */
import type { XmrLimits } from "./xmr.js";

export type Direction = "high" | "low";
export type PointFlag = Direction | null;
export type RuleName = "outside_limits" | "run" | "trend" | "two_of_three";

/**
 * When rules disagree about a point's direction, the first rule here that flags it decides
 * (NHSRplotthedots' order). Only a trend can disagree with the others, which all follow the
 * side of the mean: a falling trend above the mean counts as low.
 */
export const RULE_PRECEDENCE: readonly RuleName[] = [
  "outside_limits",
  "trend",
  "two_of_three",
  "run",
];

type Sign = 1 | -1 | 0;

function signOf(difference: number): Sign {
  return difference > 0 ? 1 : difference < 0 ? -1 : 0;
}

function directionOf(sign: 1 | -1): Direction {
  return sign === 1 ? "high" : "low";
}

/** No flags yet: one null per point. */
function noFlags(count: number): PointFlag[] {
  const flags: PointFlag[] = [];
  for (let i = 0; i < count; i++) flags.push(null);
  return flags;
}

/**
 * Calls `found` for each maximal stretch [start, end) of equal, non-zero consecutive signs, in
 * order. Plain loops rather than intermediate arrays: the assessment runs this on every series
 * of the national dataset.
 */
function eachStretch(
  count: number,
  signAt: (i: number) => Sign,
  found: (start: number, end: number, sign: 1 | -1) => void,
): void {
  let start = 0;
  for (let i = 1; i <= count; i++) {
    const current = signAt(start);
    if (i < count && signAt(i) === current) continue;
    if (current !== 0) found(start, i, current);
    start = i;
  }
}

/** MDC rule 1: a point above the upper or below the lower process limit (on a limit is inside). */
export function outsideLimits(
  values: readonly number[],
  limits: Pick<XmrLimits, "lpl" | "upl">,
): PointFlag[] {
  const flags: PointFlag[] = [];
  for (const value of values) {
    flags.push(value > limits.upl ? "high" : value < limits.lpl ? "low" : null);
  }
  return flags;
}

/**
 * MDC rule 2 (shift): `runLength` or more consecutive points on the same side of the mean; every
 * point of the run is flagged. A point exactly on the mean belongs to neither side and breaks a run.
 */
export function runOnOneSideOfMean(
  values: readonly number[],
  centre: number,
  runLength: number,
): PointFlag[] {
  const flags = noFlags(values.length);
  eachStretch(
    values.length,
    (i) => signOf((values[i] as number) - centre),
    (start, end, sign) => {
      if (end - start < runLength) return;
      for (let i = start; i < end; i++) flags[i] = directionOf(sign);
    },
  );
  return flags;
}

/**
 * MDC rule 3 (trend): `trendLength` or more consecutive points each strictly above (or below) the
 * one before; every point of the trend is flagged. An equal value breaks the trend. A turning
 * point that ends one trend and starts the next takes the later trend's direction
 * (NHSRplotthedots reads a trend point's direction from its right-hand side).
 */
export function trend(values: readonly number[], trendLength: number): PointFlag[] {
  const flags = noFlags(values.length);
  // Step k joins points k and k + 1, so a stretch of steps [start, end) spans points start…end.
  eachStretch(
    Math.max(0, values.length - 1),
    (k) => signOf((values[k + 1] as number) - (values[k] as number)),
    (start, end, sign) => {
      if (end - start + 1 < trendLength) return;
      for (let i = start; i <= end; i++) flags[i] = directionOf(sign);
    },
  );
  return flags;
}

/**
 * MDC rule 4: two of three consecutive points beyond the 2σ line, all three on the same side of
 * the mean. As NHSRplotthedots does, only a point between the 2σ line and the process limit
 * counts as "near the limit" (a point outside the limits is rule 1's), and only the near points
 * of a qualifying window are flagged, not the third point.
 */
export function twoOfThreeNearLimit(
  values: readonly number[],
  limits: Pick<XmrLimits, "mean" | "lpl" | "upl" | "lowerTwoSigma" | "upperTwoSigma">,
): PointFlag[] {
  const flags = noFlags(values.length);
  const sides: Sign[] = [];
  const near: boolean[] = [];
  for (const value of values) {
    sides.push(signOf(value - limits.mean));
    near.push(
      (value > limits.upperTwoSigma && value <= limits.upl) ||
        (value < limits.lowerTwoSigma && value >= limits.lpl),
    );
  }
  for (let start = 0; start + 3 <= values.length; start++) {
    const side = sides[start] as Sign;
    if (side === 0 || sides[start + 1] !== side || sides[start + 2] !== side) continue;
    let nearCount = 0;
    for (let i = start; i < start + 3; i++) if (near[i]) nearCount++;
    if (nearCount < 2) continue;
    for (let i = start; i < start + 3; i++) if (near[i]) flags[i] = directionOf(side);
  }
  return flags;
}

export interface RuleLengths {
  readonly runLength: number;
  readonly trendLength: number;
}

export interface PointVerdict {
  /** The deciding direction, from the first flagging rule in `RULE_PRECEDENCE`. */
  readonly direction: PointFlag;
  /** Every rule that flags the point, in `RULE_PRECEDENCE` order. */
  readonly rules: RuleName[];
}

/** Combine each rule's flags into one verdict per point. */
export function combineRuleFlags(
  flagsByRule: Readonly<Record<RuleName, readonly PointFlag[]>>,
  pointCount: number,
): PointVerdict[] {
  const byPrecedence = RULE_PRECEDENCE.map((rule) => flagsByRule[rule]);
  const verdicts: PointVerdict[] = [];
  for (let i = 0; i < pointCount; i++) {
    const rules: RuleName[] = [];
    let direction: PointFlag = null;
    for (let r = 0; r < byPrecedence.length; r++) {
      const flag = (byPrecedence[r] as readonly PointFlag[])[i] ?? null;
      if (flag === null) continue;
      rules.push(RULE_PRECEDENCE[r] as RuleName);
      if (direction === null) direction = flag;
    }
    verdicts.push({ direction, rules });
  }
  return verdicts;
}

/** All four rules over one group's values and limits. */
export function evaluateRules(
  values: readonly number[],
  limits: XmrLimits,
  lengths: RuleLengths,
): PointVerdict[] {
  return combineRuleFlags(
    {
      outside_limits: outsideLimits(values, limits),
      run: runOnOneSideOfMean(values, limits.mean, lengths.runLength),
      trend: trend(values, lengths.trendLength),
      two_of_three: twoOfThreeNearLimit(values, limits),
    },
    values.length,
  );
}
