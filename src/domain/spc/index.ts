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
import { isCalendarDate } from "../shared/dates.js";
import { directionOfFlags, ruleFlags, rulesOfFlags, type RuleName } from "./rules.js";
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

/** Shaped `YYYY-MM-DD`, checked without a regular expression: this runs on every point. */
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
  /** One byte of rule flags per point (rules.ts `ruleFlags`); null without limits. */
  readonly flags: Uint8Array | null;
}

interface Settings {
  readonly polarity: Polarity;
  readonly minPoints: number;
  readonly screenOutliers: boolean;
  readonly runLength: number;
  readonly trendLength: number;
}

function settingsOf(options: SpcOptions): Settings {
  return {
    polarity: options.polarity,
    minPoints: options.minPoints ?? DEFAULTS.minPoints,
    screenOutliers: options.screenOutliers ?? DEFAULTS.screenOutliers,
    runLength: options.runLength ?? DEFAULTS.runLength,
    trendLength: options.trendLength ?? DEFAULTS.trendLength,
  };
}

/** One group's limits and rule flags: none when it has fewer than `minPoints` points. */
function analyseGroup(
  values: readonly number[],
  settings: Settings,
): { limits: XmrLimits | null; flags: Uint8Array | null } {
  if (values.length < settings.minPoints) return { limits: null, flags: null };
  const limits = xmrLimits(values, settings);
  return { limits, flags: ruleFlags(values, limits, settings) };
}

/** The series-level figures: the last group's mean, limits and icons. */
function seriesFigures(
  values: readonly number[],
  limits: XmrLimits | null,
  flags: Uint8Array | null,
  polarity: Polarity,
  target: number | undefined,
): Pick<SpcResult, "mean" | "lpl" | "upl" | "variation_icon" | "assurance_icon"> {
  if (limits === null || flags === null) {
    return {
      mean: mean(values),
      lpl: null,
      upl: null,
      variation_icon: null,
      assurance_icon: null,
    };
  }
  const last = flags.length === 0 ? 0 : (flags[flags.length - 1] as number);
  return {
    mean: limits.mean,
    lpl: limits.lpl,
    upl: limits.upl,
    variation_icon: variationIcon(directionOfFlags(last), polarity),
    assurance_icon: assuranceIcon(target, limits, polarity),
  };
}

export function analyseSeries(points: readonly SpcInputPoint[], options: SpcOptions): SpcResult {
  const settings = settingsOf(options);
  checkInput(points, options, settings);

  const warnings: string[] = [];
  if (points.length === 0) {
    warnings.push("no points: nothing to analyse");
    return emptyResult(warnings);
  }

  const starts = groupStarts(points, options.rebase ?? [], warnings);
  const groups: Group[] = starts.map((start, g) => {
    const groupPoints = points.slice(start, starts[g + 1] ?? points.length);
    return {
      start,
      points: groupPoints,
      ...analyseGroup(
        groupPoints.map((point) => point.value),
        settings,
      ),
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
  return {
    ...seriesFigures(
      last.points.map((point) => point.value),
      last.limits,
      last.flags,
      settings.polarity,
      options.target,
    ),
    warnings,
    points: resultPoints,
  };
}

/**
 * What `analyseSeries` says of a series analysed as one group (no rebase), with each point's
 * signal left as its byte of rule flags (read with rules.ts `directionOfFlags` and
 * `rulesOfFlags`) instead of a result object per point, and no warnings. For a caller that
 * analyses every series of a national dataset and reads a few points of each (the assessment),
 * and that has already checked the values: finite, one per period, in period order. Only the
 * options are checked here.
 */
export interface SeriesSignals extends Pick<
  SpcResult,
  "mean" | "lpl" | "upl" | "variation_icon" | "assurance_icon"
> {
  /** One byte of rule flags per point; all 0 when the series has too few points for limits. */
  flags: Uint8Array;
}

export function seriesSignals(
  values: readonly number[],
  options: Omit<SpcOptions, "rebase">,
): SeriesSignals {
  const settings = settingsOf(options);
  checkOptions(options, settings);
  if (values.length === 0) return { ...emptyResult([]), flags: new Uint8Array(0) };
  const { limits, flags } = analyseGroup(values, settings);
  return {
    ...seriesFigures(values, limits, flags, settings.polarity, options.target),
    flags: flags ?? new Uint8Array(values.length),
  };
}

function pointResults(group: Group, polarity: Polarity): SpcPointResult[] {
  const groupMean = group.limits?.mean ?? mean(group.points.map((point) => point.value));
  return group.points.map((point, i) => {
    const flags = group.flags?.[i] ?? 0;
    return {
      period: point.period,
      value: point.value,
      mean: groupMean,
      lpl: group.limits?.lpl ?? null,
      upl: group.limits?.upl ?? null,
      special_cause: specialCauseOf(directionOfFlags(flags), polarity),
      rules: rulesOfFlags(flags),
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
    // A calendar date, not just its shape: "2024-02-30" would silently start a group in March.
    if (!isCalendarDate(date)) throw new RangeError(`rebase "${date}" is not YYYY-MM-DD`);
  }
  checkOptions(options, settings);
}

function checkOptions(
  options: Pick<SpcOptions, "target">,
  settings: { minPoints: number; runLength: number; trendLength: number },
): void {
  if (options.target !== undefined && !Number.isFinite(options.target)) {
    throw new RangeError(`target ${options.target} is not finite`);
  }
  // Checked one by one, not over Object.entries: this runs for every series the assessment analyses.
  checkLength("minPoints", settings.minPoints);
  checkLength("runLength", settings.runLength);
  checkLength("trendLength", settings.trendLength);
}

function checkLength(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 2) {
    throw new RangeError(`${name} must be an integer of at least 2, got ${value}`);
  }
}
