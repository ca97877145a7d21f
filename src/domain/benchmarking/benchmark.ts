/**
 * Benchmarking one metric in one period across one comparison population: ranks respecting
 * polarity, positions (percentile, quartile, decile) and the cut-points they come from.
 *
 * - Rank 1 is the best value; tied values share the better rank ("1224" competition ranking).
 * - Percentile = 100 · (n − rank) / (n − 1): 100 for the best, 0 for the worst; ties share the
 *   higher one.
 * - Quartile and decile (1 = best) come from comparing the value with the cut-points (quantile.ts),
 *   a value on a cut-point taking the better side, so ties share the better position and the
 *   position is exactly what `value >= quantile_cont(...)` says in SQL. Top quartile: at or above
 *   the 75th percentile when higher is better, at or below the 25th when lower is better. Bottom
 *   quartile: strictly below the 25th (higher is better) or above the 75th (lower is better).
 * - Missing data is not in the population: an organisation without a value is "not assessed",
 *   never bottom. Fewer reporting organisations than the framework's minimum: "not benchmarkable"
 *   for everyone, and no cut-points are published.
 * - Neutral polarity: reported with its cut-points, never ranked good or bad ("not_ranked").
 */
import type { FrameworkMetric, Polarity } from "../frameworks/schema.js";
import { cutPoints, type CutPoints } from "./quantile.js";
import type { Population } from "./population.js";

export interface BenchmarkEntry {
  org_code: string;
  value: number;
}

export type BenchmarkStatus = "benchmarked" | "not_benchmarkable" | "not_ranked";

export interface Position {
  org_code: string;
  value: number;
  /** 1 = best; null when not ranked (neutral polarity, or population too small). */
  rank: number | null;
  percentile: number | null;
  /** 1 = top quartile … 4 = bottom quartile. */
  quartile: number | null;
  /** 1 = top decile … 10 = bottom decile. */
  decile: number | null;
}

/** One metric, one period, one population: a stable JSON record. */
export interface MetricPeriodBenchmark {
  metric_id: string;
  period: string;
  population: PopulationRef;
  polarity: Polarity;
  /** Reporting organisations: those with a value for the period. */
  n: number;
  min_population: number;
  status: BenchmarkStatus;
  /** Null when not benchmarkable. */
  cut_points: CutPoints | null;
  /** Best first (by rank, then organisation code); by value then code when not ranked. */
  positions: Position[];
}

export type PopulationRef = Pick<Population, "id" | "name" | "comparison">;

export function benchmarkMetricPeriod(args: {
  metric: Pick<FrameworkMetric, "id" | "polarity">;
  period: string;
  population: PopulationRef;
  entries: readonly BenchmarkEntry[];
  minPopulation: number;
}): MetricPeriodBenchmark {
  const { metric, period, population, entries, minPopulation } = args;
  const polarity = metric.polarity;
  const ascending = [...entries].sort(
    (a, b) => a.value - b.value || compareCodes(a.org_code, b.org_code),
  );
  const n = ascending.length;
  const base = {
    metric_id: metric.id,
    period,
    population: { id: population.id, name: population.name, comparison: population.comparison },
    polarity,
    n,
    min_population: minPopulation,
  };
  if (n < minPopulation) {
    return {
      ...base,
      status: "not_benchmarkable",
      cut_points: null,
      positions: ascending.map((entry) => unranked(entry)),
    };
  }
  const cuts = cutPoints(ascending.map((entry) => entry.value));
  if (polarity === "neutral") {
    return {
      ...base,
      status: "not_ranked",
      cut_points: cuts,
      positions: ascending.map((entry) => unranked(entry)),
    };
  }
  const higherIsBetter = polarity === "higher_is_better";
  const bestFirst = higherIsBetter
    ? [...ascending].sort((a, b) => b.value - a.value || compareCodes(a.org_code, b.org_code))
    : ascending;
  const positions: Position[] = [];
  let rank = 0;
  bestFirst.forEach((entry, i) => {
    if (i === 0 || entry.value !== (bestFirst[i - 1] as BenchmarkEntry).value) rank = i + 1;
    positions.push({
      org_code: entry.org_code,
      value: entry.value,
      rank,
      percentile: n > 1 ? (100 * (n - rank)) / (n - 1) : 100,
      quartile: bandOf(entry.value, cuts.quartiles, higherIsBetter),
      decile: bandOf(entry.value, cuts.deciles, higherIsBetter),
    });
  });
  return { ...base, status: "benchmarked", cut_points: cuts, positions };
}

/**
 * 1-based band counted from the best: 1 + the number of cut-points the value is strictly worse
 * than. A value on a cut-point is not worse than it, so it takes the better band.
 */
export function bandOf(
  value: number,
  ascendingCuts: readonly number[],
  higherIsBetter: boolean,
): number {
  let worseThan = 0;
  for (const cut of ascendingCuts) if (higherIsBetter ? value < cut : value > cut) worseThan++;
  return 1 + worseThan;
}

function unranked(entry: BenchmarkEntry): Position {
  return {
    org_code: entry.org_code,
    value: entry.value,
    rank: null,
    percentile: null,
    quartile: null,
    decile: null,
  };
}

/** Code-point order, independent of locale, so output is the same on every machine. */
export function compareCodes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
