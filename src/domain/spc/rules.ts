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

/** Maximal stretches of equal, non-zero consecutive signs: [start, end) with their sign. */
function stretches(signs: readonly Sign[]): Array<{ start: number; end: number; sign: 1 | -1 }> {
  const found: Array<{ start: number; end: number; sign: 1 | -1 }> = [];
  let start = 0;
  for (let i = 1; i <= signs.length; i++) {
    const current = signs[start];
    if (i < signs.length && signs[i] === current) continue;
    if (current !== undefined && current !== 0) found.push({ start, end: i, sign: current });
    start = i;
  }
  return found;
}

/** MDC rule 1: a point above the upper or below the lower process limit (on a limit is inside). */
export function outsideLimits(
  values: readonly number[],
  limits: Pick<XmrLimits, "lpl" | "upl">,
): PointFlag[] {
  return values.map((value) => (value > limits.upl ? "high" : value < limits.lpl ? "low" : null));
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
  const flags: PointFlag[] = values.map(() => null);
  const sides = values.map((value) => signOf(value - centre));
  for (const run of stretches(sides)) {
    if (run.end - run.start < runLength) continue;
    for (let i = run.start; i < run.end; i++) flags[i] = directionOf(run.sign);
  }
  return flags;
}

/**
 * MDC rule 3 (trend): `trendLength` or more consecutive points each strictly above (or below) the
 * one before; every point of the trend is flagged. An equal value breaks the trend. A turning
 * point that ends one trend and starts the next takes the later trend's direction
 * (NHSRplotthedots reads a trend point's direction from its right-hand side).
 */
export function trend(values: readonly number[], trendLength: number): PointFlag[] {
  const flags: PointFlag[] = values.map(() => null);
  const steps: Sign[] = [];
  for (let i = 1; i < values.length; i++) {
    steps.push(signOf((values[i] as number) - (values[i - 1] as number)));
  }
  // A stretch of k equal steps spans k + 1 points: steps[s] joins points s and s + 1.
  for (const monotone of stretches(steps)) {
    if (monotone.end - monotone.start + 1 < trendLength) continue;
    for (let i = monotone.start; i <= monotone.end; i++) flags[i] = directionOf(monotone.sign);
  }
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
  const flags: PointFlag[] = values.map(() => null);
  const sides = values.map((value) => signOf(value - limits.mean));
  const near = values.map(
    (value) =>
      (value > limits.upperTwoSigma && value <= limits.upl) ||
      (value < limits.lowerTwoSigma && value >= limits.lpl),
  );
  for (let start = 0; start + 3 <= values.length; start++) {
    const window = [start, start + 1, start + 2];
    const side = sides[start] as Sign;
    if (side === 0 || !window.every((i) => sides[i] === side)) continue;
    if (window.filter((i) => near[i]).length < 2) continue;
    for (const i of window) if (near[i]) flags[i] = directionOf(side);
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
  const verdicts: PointVerdict[] = [];
  for (let i = 0; i < pointCount; i++) {
    const rules = RULE_PRECEDENCE.filter((rule) => (flagsByRule[rule][i] ?? null) !== null);
    const decidingRule = rules[0];
    const direction = decidingRule === undefined ? null : (flagsByRule[decidingRule][i] ?? null);
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
