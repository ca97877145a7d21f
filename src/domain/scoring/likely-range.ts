/**
 * The likely range of every league rank and average score (docs/national-picture.md §Likely
 * range). A NOF 2025/26 average is the mean of a handful of metric scores (10–20), so which metrics
 * happen to make it up moves it a good deal, and a league rank with it. The bootstrap here redraws
 * each trust's metric scores with replacement, recomputes every trust's average, the quartile
 * segments, the financial override and the league positions, and reports the central 95% of
 * what comes out. Pure: the seed is an input, and the same inputs always give the same ranges.
 */
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import type { LeagueKey } from "./league.js";
import type { ScoreRange } from "./metric-scores.js";
import {
  adjustedSegment,
  quartileCutPoints,
  segmentOf,
  type FinancialOverride,
  type Segmentation,
} from "./segments.js";

export interface BootstrapTrust<K> {
  org: K;
  /** The metric scores its average is the mean of (a combined score counted once). */
  scores: readonly number[];
  /** The financial override's fact, held fixed: it is not a sample. Null when not known. */
  inDeficit: boolean | null;
}

export interface BootstrapRules {
  segmentation: Segmentation;
  financialOverride: FinancialOverride;
  leagueOrder: readonly LeagueKey[];
  range: ScoreRange;
}

export interface BootstrapOptions {
  /** Replicates drawn; 1,000 gives ranges stable to about one place. */
  replicates: number;
  seed: number;
  /** Central share reported, e.g. 0.95. */
  coverage: number;
}

export const DEFAULT_BOOTSTRAP: BootstrapOptions = {
  replicates: 1000,
  seed: 20251,
  coverage: 0.95,
};

export interface Interval {
  low: number;
  high: number;
}

export interface LikelyRange {
  /** League positions, best (low) to worst (high). */
  rank: Interval;
  average: Interval;
}

/** The value below which `p` of the sorted values lie (nearest rank). */
function percentile(sorted: readonly number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[index]!;
}

/**
 * Each trust's likely rank and average. Trusts with no scores are left out (they have no rank);
 * a trust whose deficit is not known is ranked as published, unadjusted.
 */
export function likelyRanges<K>(
  trusts: readonly BootstrapTrust<K>[],
  rules: BootstrapRules,
  options: BootstrapOptions = DEFAULT_BOOTSTRAP,
): Map<K, LikelyRange> {
  const ranked = trusts.filter((t) => t.scores.length > 0);
  const n = ranked.length;
  const rng = xoroshiro128plus(options.seed);
  const ranks = ranked.map(() => new Array<number>(options.replicates));
  const averages = ranked.map(() => new Array<number>(options.replicates));
  const drawn = new Float64Array(n);
  const segment = new Int8Array(n);
  const order = Array.from({ length: n }, (_, i) => i);
  const worseIsHigher = rules.range.best < rules.range.worst ? 1 : -1;
  // The framework's league order (league.ts), on arrays: the bootstrap runs it 1,000 times.
  const bySegment = rules.leagueOrder.map((key) => key === "adjusted_segment");
  const compare = (a: number, b: number): number => {
    for (let o = 0; o < bySegment.length; o++) {
      const d = bySegment[o] ? segment[a]! - segment[b]! : (drawn[a]! - drawn[b]!) * worseIsHigher;
      if (d !== 0) return d;
    }
    return 0;
  };
  const fixed = rules.segmentation.method === "quartiles" ? null : rules.segmentation.cut_points;
  for (let r = 0; r < options.replicates; r++) {
    for (let i = 0; i < n; i++) {
      const scores = ranked[i]!.scores;
      const k = scores.length;
      let sum = 0;
      for (let j = 0; j < k; j++) sum += scores[Math.floor(uniformFloat64(rng) * k)]!;
      drawn[i] = sum / k;
      averages[i]![r] = drawn[i]!;
    }
    const cuts = fixed ?? quartileCutPoints(Array.from(drawn), rules.range);
    for (let i = 0; i < n; i++) {
      const unadjusted = segmentOf(drawn[i]!, cuts, rules.range, fixed ? "worse" : "better");
      const inDeficit = ranked[i]!.inDeficit;
      segment[i] =
        inDeficit === null
          ? unadjusted
          : adjustedSegment(unadjusted, inDeficit, rules.financialOverride);
    }
    order.sort(compare);
    // Equal keys share the best position ("1224"), as leaguePositions.
    for (let p = 0; p < n; p++) {
      const i = order[p]!;
      const previous = order[p - 1];
      ranks[i]![r] =
        previous !== undefined && compare(previous, i) === 0 ? ranks[previous]![r]! : p + 1;
    }
  }
  const tail = (1 - options.coverage) / 2;
  const interval = (values: number[]): Interval => {
    const sorted = values.sort((a, b) => a - b);
    return { low: percentile(sorted, tail), high: percentile(sorted, 1 - tail) };
  };
  return new Map(
    ranked.map((trust, i) => [
      trust.org,
      { rank: interval(ranks[i]!), average: interval(averages[i]!) },
    ]),
  );
}

/** "likely between 12th and 31st". */
export function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${["th", "st", "nd", "rd"][n % 10] ?? "th"}`;
}

export function likelyRankText(range: Interval): string {
  return range.low === range.high
    ? `likely ${ordinal(range.low)}`
    : `likely between ${ordinal(range.low)} and ${ordinal(range.high)}`;
}
