/**
 * Making Data Count: XmR chart analysis of one series — limits per group, special-cause points,
 * the variation icon and the assurance icon. Pure: points and options in, a JSON-ready result out.
 *
 * Where the rules leave a choice we follow NHSRplotthedots (NHS-R Community), and say so here and
 * in docs/spc.md:
 * 1. Moving ranges are taken within a group; the first point of each group has none.
 * 2. Screening (on by default): moving ranges >= 3.267 × their mean are dropped and the mean
 *    moving range recomputed, once. A group whose moving ranges are all 0 is not screened
 *    (NHSRplotthedots would drop every range and draw no limits; we draw limits on the mean).
 * 3. Outside the limits is strictly beyond them: a point on a limit is inside.
 * 4. Run: `runLength` (7) or more consecutive points strictly on one side of the mean; a point on
 *    the mean breaks the run; every point of the run is flagged.
 * 5. Trend: `trendLength` (7) or more consecutive points each strictly above (below) the one before,
 *    i.e. 6 rises for 7 points; an equal value breaks it; every point of the trend is flagged. A
 *    turning point shared by a rising and a falling trend takes the later trend's direction. (We
 *    do not copy the package calling a trend's last point "decreasing" when the next trend starts
 *    at the same value; see docs/spc.md.)
 * 6. Two of three: of 3 consecutive points all strictly on one side of the mean, at least 2 lie
 *    beyond the 2σ line but not outside the limits (a point outside the limits does not count
 *    towards this rule); only those near-limit points are flagged, not the third point.
 * 7. Conflicting directions: the first flagging rule in the order outside_limits, trend,
 *    two_of_three, run decides. Only a trend can disagree with the others (a falling trend above
 *    the mean counts as low). `rules` lists every flagging rule in that order.
 * 8. Polarity: high is improvement when higher_is_better, concern when lower_is_better, neutral
 *    when neutral. The variation icon is the last point's: special_cause_<cause>_<high|low>.
 * 9. Assurance uses the last group's limits: target > upl → failing if higher is better, passing
 *    if lower is better; target < lpl the reverse; otherwise (including exactly on a limit)
 *    hit_and_miss. No assurance icon without a target or with neutral polarity.
 * 10. Rebase: a new group starts at the first point whose period >= the rebase date (the package
 *    needs the exact date). A rebase after the last point is ignored with a warning.
 * 11. A group with fewer than `minPoints` (default 2) points has its mean but no limits and no
 *    special causes. If the last group has no limits, the series has no variation or assurance
 *    icon (null): there is nothing to judge the last point against.
 * 12. Warnings: a group (with limits) of fewer than 13 points warns that its limits are unreliable,
 *    as NHSRplotthedots warns for groups with n < 13.
 */
import {
  assuranceIcon,
  specialCauseOf,
  variationIcon,
  type AssuranceIcon,
  type Polarity,
  type SpecialCause,
  type VariationIcon,
} from "./icons.js";
import { evaluateRules, type PointVerdict, type RuleName } from "./rules.js";
import { mean, xmrLimits, type XmrLimits } from "./xmr.js";

export type { AssuranceIcon, Polarity, SpecialCause, VariationIcon } from "./icons.js";
export type { Direction, RuleName } from "./rules.js";

export interface SpcInputPoint {
  /** Calendar date `YYYY-MM-DD`; points are in strictly increasing period order. */
  readonly period: string;
  readonly value: number;
}

export interface SpcOptions {
  readonly polarity: Polarity;
  readonly target?: number | undefined;
  /** Periods at which a new group starts (at the first point whose period >= the date). */
  readonly rebase?: readonly string[] | undefined;
  /** Fewest points in a group for limits to be drawn (default 2, the least XmR allows). */
  readonly minPoints?: number | undefined;
  /** Screen out moving ranges >= 3.267 × their mean (default true, as NHSRplotthedots). */
  readonly screenOutliers?: boolean | undefined;
  /** Points on one side of the mean that make a run (default 7). */
  readonly runLength?: number | undefined;
  /** Consecutively rising or falling points that make a trend (default 7). */
  readonly trendLength?: number | undefined;
}

export interface SpcPointResult {
  period: string;
  value: number;
  mean: number | null;
  lpl: number | null;
  upl: number | null;
  special_cause: SpecialCause;
  rules: RuleName[];
}

/** Stable JSON contract (snake_case): series-level mean and limits are the last group's. */
export interface SpcResult {
  mean: number | null;
  lpl: number | null;
  upl: number | null;
  variation_icon: VariationIcon | null;
  assurance_icon: AssuranceIcon | null;
  warnings: string[];
  points: SpcPointResult[];
}

/** NHSRplotthedots warns when a group has fewer points than this. */
export const RELIABLE_GROUP_SIZE = 13;

const DEFAULTS = { minPoints: 2, screenOutliers: true, runLength: 7, trendLength: 7 } as const;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `ISO_DATE.test(text)`, without a regular expression: run on every point of every series. */
function isIsoDateShaped(text: string): boolean {
  if (text.length !== 10) return false;
  for (let i = 0; i < 10; i++) {
    const code = text.charCodeAt(i);
    if (i === 4 || i === 7 ? code !== 45 : code < 48 || code > 57) return false;
  }
  return true;
}

interface Group {
  readonly start: number;
  readonly points: readonly SpcInputPoint[];
  readonly limits: XmrLimits | null;
  readonly verdicts: readonly PointVerdict[];
}

export function analyseSeries(points: readonly SpcInputPoint[], options: SpcOptions): SpcResult {
  const settings = {
    polarity: options.polarity,
    minPoints: options.minPoints ?? DEFAULTS.minPoints,
    screenOutliers: options.screenOutliers ?? DEFAULTS.screenOutliers,
    runLength: options.runLength ?? DEFAULTS.runLength,
    trendLength: options.trendLength ?? DEFAULTS.trendLength,
  };
  checkInput(points, options, {
    minPoints: settings.minPoints,
    runLength: settings.runLength,
    trendLength: settings.trendLength,
  });

  const warnings: string[] = [];
  if (points.length === 0) {
    warnings.push("no points: nothing to analyse");
    return emptyResult(warnings);
  }

  const starts = groupStarts(points, options.rebase ?? [], warnings);
  const groups: Group[] = starts.map((start, g) => {
    const groupPoints = points.slice(start, starts[g + 1] ?? points.length);
    const values = groupPoints.map((point) => point.value);
    if (values.length < settings.minPoints) {
      return { start, points: groupPoints, limits: null, verdicts: [] };
    }
    const limits = xmrLimits(values, settings);
    return {
      start,
      points: groupPoints,
      limits,
      verdicts: evaluateRules(values, limits, settings),
    };
  });

  for (const group of groups) {
    const label = groups.length > 1 ? `group starting ${group.points[0]?.period}: ` : "";
    const size = group.points.length;
    if (group.limits === null) {
      warnings.push(
        `${label}${size} point${size === 1 ? "" : "s"}, fewer than minPoints ` +
          `(${settings.minPoints}): no limits drawn`,
      );
      continue;
    }
    if (size < RELIABLE_GROUP_SIZE) {
      warnings.push(`${label}fewer than ${RELIABLE_GROUP_SIZE} points: limits are unreliable`);
    }
    if (group.limits.meanMovingRange === 0) {
      warnings.push(`${label}mean moving range is 0: the limits equal the mean`);
    }
  }

  const resultPoints = groups.flatMap((group) => pointResults(group, settings.polarity));
  const last = groups[groups.length - 1] as Group;
  const lastDirection = last.verdicts[last.verdicts.length - 1]?.direction ?? null;
  return {
    mean: last.limits?.mean ?? mean(last.points.map((point) => point.value)),
    lpl: last.limits?.lpl ?? null,
    upl: last.limits?.upl ?? null,
    variation_icon: last.limits === null ? null : variationIcon(lastDirection, settings.polarity),
    assurance_icon:
      last.limits === null ? null : assuranceIcon(options.target, last.limits, settings.polarity),
    warnings,
    points: resultPoints,
  };
}

function pointResults(group: Group, polarity: Polarity): SpcPointResult[] {
  const groupMean = group.limits?.mean ?? mean(group.points.map((point) => point.value));
  return group.points.map((point, i) => {
    const verdict = group.verdicts[i];
    return {
      period: point.period,
      value: point.value,
      mean: groupMean,
      lpl: group.limits?.lpl ?? null,
      upl: group.limits?.upl ?? null,
      special_cause: specialCauseOf(verdict?.direction ?? null, polarity),
      // Each verdict's rules are a fresh array (combineRuleFlags): no copy needed.
      rules: verdict === undefined ? [] : verdict.rules,
    };
  });
}

/** Index of the first point of each group: 0, then one per effective rebase date. */
function groupStarts(
  points: readonly SpcInputPoint[],
  rebase: readonly string[],
  warnings: string[],
): number[] {
  const starts = new Set<number>([0]);
  for (const date of [...rebase].sort()) {
    const start = points.findIndex((point) => point.period >= date);
    if (start === -1) warnings.push(`rebase ${date} is after the last point: ignored`);
    else starts.add(start);
  }
  return [...starts].sort((a, b) => a - b);
}

function emptyResult(warnings: string[]): SpcResult {
  return {
    mean: null,
    lpl: null,
    upl: null,
    variation_icon: null,
    assurance_icon: null,
    warnings,
    points: [],
  };
}

/** The edge should have parsed these; a wrong chart is worse than a loud failure. */
function checkInput(
  points: readonly SpcInputPoint[],
  options: SpcOptions,
  settings: { minPoints: number; runLength: number; trendLength: number },
): void {
  for (let i = 0; i < points.length; i++) {
    const point = points[i] as SpcInputPoint;
    if (!isIsoDateShaped(point.period)) {
      throw new RangeError(`point ${i}: period "${point.period}" is not YYYY-MM-DD`);
    }
    if (!Number.isFinite(point.value)) {
      throw new RangeError(`point ${i} (${point.period}): value ${point.value} is not finite`);
    }
    const previous = points[i - 1];
    if (previous !== undefined && previous.period >= point.period) {
      throw new RangeError(
        `point ${i}: period ${point.period} does not follow ${previous.period}; ` +
          "points must be in strictly increasing period order",
      );
    }
  }
  for (const date of options.rebase ?? []) {
    if (!ISO_DATE.test(date)) throw new RangeError(`rebase "${date}" is not YYYY-MM-DD`);
  }
  if (options.target !== undefined && !Number.isFinite(options.target)) {
    throw new RangeError(`target ${options.target} is not finite`);
  }
  for (const [name, value] of Object.entries(settings)) {
    if (!Number.isInteger(value) || value < 2) {
      throw new RangeError(`${name} must be an integer of at least 2, got ${value}`);
    }
  }
}
