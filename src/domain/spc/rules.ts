/**
 * Making Data Count special-cause rules, one small function each, evaluated within one group of
 * points (a rebase starts afresh). Each rule returns one flag per point: `null` when the rule does
 * not flag the point, otherwise the direction of the signal ("high" or "low"). `ruleFlags` runs
 * all four into one byte per point, which is what the series analysis reads.
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

/**
 * Every rule marks its flags in a shared byte per point rather than an array of its own: the
 * assessment runs the rules on every series of the national dataset, and a handful of arrays
 * per series was most of its garbage. Rule `r` (its index in `RULE_PRECEDENCE`) owns bits 2r
 * (flagged) and 2r + 1 (high, else low) of the byte.
 */
const RULE_SLOT = Object.fromEntries(RULE_PRECEDENCE.map((rule, slot) => [rule, slot])) as Readonly<
  Record<RuleName, number>
>;

/** Sets rule `slot`'s flag on point `i`; a later mark of the same rule replaces an earlier one. */
function mark(bits: Uint8Array, i: number, slot: number, sign: 1 | -1): void {
  const shift = 2 * slot;
  bits[i] = ((bits[i] as number) & ~(3 << shift)) | ((sign === 1 ? 3 : 1) << shift);
}

/** Rule `slot`'s flag on a point's byte. */
function flagOf(byte: number, slot: number): PointFlag {
  const two = (byte >> (2 * slot)) & 3;
  return two === 0 ? null : two === 3 ? "high" : "low";
}

/** One rule's flags, one per point, read back from the bytes. */
function flagsOf(bits: Uint8Array, slot: number): PointFlag[] {
  const flags: PointFlag[] = [];
  for (let i = 0; i < bits.length; i++) flags.push(flagOf(bits[i] as number, slot));
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

function markOutsideLimits(
  values: readonly number[],
  limits: Pick<XmrLimits, "lpl" | "upl">,
  bits: Uint8Array,
): void {
  const slot = RULE_SLOT.outside_limits;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    if (value > limits.upl) mark(bits, i, slot, 1);
    else if (value < limits.lpl) mark(bits, i, slot, -1);
  }
}

function markRun(
  values: readonly number[],
  centre: number,
  runLength: number,
  bits: Uint8Array,
): void {
  eachStretch(
    values.length,
    (i) => signOf((values[i] as number) - centre),
    (start, end, sign) => {
      if (end - start < runLength) return;
      for (let i = start; i < end; i++) mark(bits, i, RULE_SLOT.run, sign);
    },
  );
}

function markTrend(values: readonly number[], trendLength: number, bits: Uint8Array): void {
  // Step k joins points k and k + 1, so a stretch of steps [start, end) spans points start…end.
  // Stretches are marked in order, so a turning point takes the later trend's direction.
  eachStretch(
    Math.max(0, values.length - 1),
    (k) => signOf((values[k + 1] as number) - (values[k] as number)),
    (start, end, sign) => {
      if (end - start + 1 < trendLength) return;
      for (let i = start; i <= end; i++) mark(bits, i, RULE_SLOT.trend, sign);
    },
  );
}

function markTwoOfThree(
  values: readonly number[],
  limits: Pick<XmrLimits, "mean" | "lpl" | "upl" | "lowerTwoSigma" | "upperTwoSigma">,
  bits: Uint8Array,
): void {
  const sideAt = (i: number): Sign => signOf((values[i] as number) - limits.mean);
  const nearAt = (i: number): boolean => {
    const value = values[i] as number;
    return (
      (value > limits.upperTwoSigma && value <= limits.upl) ||
      (value < limits.lowerTwoSigma && value >= limits.lpl)
    );
  };
  for (let start = 0; start + 3 <= values.length; start++) {
    const side = sideAt(start);
    if (side === 0 || sideAt(start + 1) !== side || sideAt(start + 2) !== side) continue;
    let nearCount = 0;
    for (let i = start; i < start + 3; i++) if (nearAt(i)) nearCount++;
    if (nearCount < 2) continue;
    for (let i = start; i < start + 3; i++)
      if (nearAt(i)) mark(bits, i, RULE_SLOT.two_of_three, side);
  }
}

/** MDC rule 1: a point above the upper or below the lower process limit (on a limit is inside). */
export function outsideLimits(
  values: readonly number[],
  limits: Pick<XmrLimits, "lpl" | "upl">,
): PointFlag[] {
  const bits = new Uint8Array(values.length);
  markOutsideLimits(values, limits, bits);
  return flagsOf(bits, RULE_SLOT.outside_limits);
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
  const bits = new Uint8Array(values.length);
  markRun(values, centre, runLength, bits);
  return flagsOf(bits, RULE_SLOT.run);
}

/**
 * MDC rule 3 (trend): `trendLength` or more consecutive points each strictly above (or below) the
 * one before; every point of the trend is flagged. An equal value breaks the trend. A turning
 * point that ends one trend and starts the next takes the later trend's direction
 * (NHSRplotthedots reads a trend point's direction from its right-hand side).
 */
export function trend(values: readonly number[], trendLength: number): PointFlag[] {
  const bits = new Uint8Array(values.length);
  markTrend(values, trendLength, bits);
  return flagsOf(bits, RULE_SLOT.trend);
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
  const bits = new Uint8Array(values.length);
  markTwoOfThree(values, limits, bits);
  return flagsOf(bits, RULE_SLOT.two_of_three);
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

/**
 * All four rules over one group's values and limits, as one byte per point (see `RULE_SLOT`):
 * read it with `directionOfFlags` and `rulesOfFlags`, or `combineRuleFlags`' verdicts with
 * `evaluateRules`.
 */
export function ruleFlags(
  values: readonly number[],
  limits: XmrLimits,
  lengths: RuleLengths,
): Uint8Array {
  const bits = new Uint8Array(values.length);
  markOutsideLimits(values, limits, bits);
  markTrend(values, lengths.trendLength, bits);
  markTwoOfThree(values, limits, bits);
  markRun(values, limits.mean, lengths.runLength, bits);
  return bits;
}

/** The deciding direction of a point's flags: the first flagging rule in `RULE_PRECEDENCE`. */
export function directionOfFlags(byte: number): PointFlag {
  for (let slot = 0; slot < RULE_PRECEDENCE.length; slot++) {
    const flag = flagOf(byte, slot);
    if (flag !== null) return flag;
  }
  return null;
}

/** The rules that flag a point, in `RULE_PRECEDENCE` order (a fresh array). */
export function rulesOfFlags(byte: number): RuleName[] {
  const rules: RuleName[] = [];
  for (let slot = 0; slot < RULE_PRECEDENCE.length; slot++) {
    if (flagOf(byte, slot) !== null) rules.push(RULE_PRECEDENCE[slot] as RuleName);
  }
  return rules;
}

/** The flag bits of the given rules, to test a point's byte against (`byte & mask`). */
export function ruleMask(rules: Iterable<RuleName>): number {
  let mask = 0;
  for (const rule of rules) mask |= 3 << (2 * RULE_SLOT[rule]);
  return mask;
}

/** All four rules over one group's values and limits, one verdict per point. */
export function evaluateRules(
  values: readonly number[],
  limits: XmrLimits,
  lengths: RuleLengths,
): PointVerdict[] {
  const bits = ruleFlags(values, limits, lengths);
  const verdicts: PointVerdict[] = [];
  for (let i = 0; i < bits.length; i++) {
    const byte = bits[i] as number;
    verdicts.push({ direction: directionOfFlags(byte), rules: rulesOfFlags(byte) });
  }
  return verdicts;
}
