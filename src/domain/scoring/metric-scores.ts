/**
 * Metric scores of a scored framework (NOF 2025/26): every metric scored from best to worst of
 * the framework's `score_range` (1.00 to 4.00), continuous by rank or discrete by bands, CQC
 * rating or a combination of other scores. Which rule applies to a metric, and its bands, come
 * from the metric's `scoring` block in the framework file; nothing here names a metric.
 */
import type { Framework, FrameworkMetric, Polarity } from "../frameworks/schema.js";
import type { OrgCode } from "../organisations/organisation.js";

export interface ScoreRange {
  best: number;
  worst: number;
}

export type MetricScoring = NonNullable<FrameworkMetric["scoring"]>;
type BandsScoring = Extract<MetricScoring, { method: "bands" }>;
type CombinedScoring = Extract<MetricScoring, { method: "combined" }>;
type CqcScoring = Extract<MetricScoring, { method: "cqc_rating" }>;
export type CqcRating = keyof CqcScoring["scores"];
export type RankPopulation = Extract<MetricScoring, { method: "rank" }>["population"];

/** A metric score, or the reason the data given cannot determine it. */
export type MetricScore = { score: number } | { score: null; reason: string };

/** Is `a` better than `b` under the metric's polarity? */
function better(a: number, b: number, polarity: Polarity): boolean {
  return polarity === "higher_is_better" ? a > b : a < b;
}

/**
 * Positions best to worst; tied values share the best position of the tie ("1224" ranking), as
 * NHS England's published ranks do (data/README.md). `finerOrder`, where given, orders values
 * that are equal only because they were rounded (a publisher's positions from unrounded values):
 * values tie only when their finer positions tie too.
 */
export function competitionRanks<K>(
  values: ReadonlyMap<K, number>,
  polarity: Exclude<Polarity, "neutral">,
  finerOrder?: ReadonlyMap<K, number>,
): Map<K, number> {
  const compare = ([ka, a]: [K, number], [kb, b]: [K, number]): number => {
    if (better(a, b, polarity)) return -1;
    if (better(b, a, polarity)) return 1;
    const [fa, fb] = [finerOrder?.get(ka), finerOrder?.get(kb)];
    return fa === undefined || fb === undefined ? 0 : fa - fb;
  };
  const sorted = [...values.entries()].sort(compare);
  const ranks = new Map<K, number>();
  sorted.forEach((entry, i) => {
    const previous = sorted[i - 1];
    const tied = previous !== undefined && compare(previous, entry) === 0;
    ranks.set(entry[0], tied ? ranks.get(previous[0])! : i + 1);
  });
  return ranks;
}

/**
 * The continuous score of rank `rank` among `n`: best + (worst − best)·(rank − 1)/(n − 1), i.e.
 * 1 + 3·(rank−1)/(n−1) on NOF 2025/26's 1–4 scale (data/README.md). A population of one scores best.
 */
export function rankScore(rank: number, n: number, range: ScoreRange): number {
  if (n <= 1) return range.best;
  return range.best + ((range.worst - range.best) * (rank - 1)) / (n - 1);
}

/** Scores every value by its rank within the values given (the whole scoring population). */
export function rankScores<K>(
  values: ReadonlyMap<K, number>,
  polarity: Exclude<Polarity, "neutral">,
  range: ScoreRange,
  finerOrder?: ReadonlyMap<K, number>,
): Map<K, number> {
  const ranks = competitionRanks(values, polarity, finerOrder);
  return new Map([...ranks].map(([key, rank]) => [key, rankScore(rank, values.size, range)]));
}

/** The first band holding the value (min ≤ value < max, an omitted bound open), or none. */
export function bandScore(value: number, bands: BandsScoring["bands"]): number | undefined {
  return bands.find(
    (band) =>
      (band.min === undefined || value >= band.min) && (band.max === undefined || value < band.max),
  )?.score;
}

export function cqcRatingScore(rating: CqcRating, scoring: CqcScoring): number | undefined {
  return scoring.scores[rating];
}

/**
 * A combined score from its parts' scores, in the order of the scoring's `from` list. A matrix
 * is indexed by whole scores counted from the best (row: first part, column: second part).
 */
export function combinedScore(
  scoring: CombinedScoring,
  parts: readonly number[],
  range: ScoreRange,
): number | undefined {
  if (parts.length !== scoring.from.length || parts.length === 0) return undefined;
  const worseFirst = range.worst > range.best ? 1 : -1;
  switch (scoring.rule) {
    case "worst":
      return parts.reduce((a, b) => ((b - a) * worseFirst > 0 ? b : a));
    case "mean":
      return parts.reduce((a, b) => a + b, 0) / parts.length;
    case "matrix": {
      const [row, column] = parts.map((p) => (p - range.best) * worseFirst);
      if (!Number.isInteger(row) || !Number.isInteger(column)) return undefined;
      return scoring.matrix?.[row!]?.[column!];
    }
  }
}

/**
 * What a scoring population's data hold. `covers` says whom the values cover: every member of
 * one peer group (e.g. a published file for one trust type), or every organisation reporting
 * each metric. A metric ranked among a wider population than the data cover is not scored.
 */
export interface ScoringData {
  members: readonly OrgCode[];
  covers: RankPopulation;
  /** Metric id → organisation → value. */
  values: ReadonlyMap<string, ReadonlyMap<OrgCode, number>>;
  /** Metric id → organisation → the CQC rating a `cqc_rating` metric is scored from. */
  ratings?: ReadonlyMap<string, ReadonlyMap<OrgCode, CqcRating>>;
  /**
   * Metric id → organisation → position, where the values are rounded and their publisher's
   * positions (from unrounded values) are known: orders values equal only after rounding.
   */
  positions?: ReadonlyMap<string, ReadonlyMap<OrgCode, number>>;
}

/** Data covering every reporting organisation can rank among any population; one peer group's, only within it. */
function canRank(population: RankPopulation, covers: RankPopulation): boolean {
  return population === covers || covers === "all_reporting";
}

/**
 * Every member's score on every scored metric of the framework, or why it cannot be determined.
 * Combined metrics take the scores computed here for their parts.
 */
export function scoreMetrics(
  framework: Framework,
  range: ScoreRange,
  data: ScoringData,
): Map<string, Map<OrgCode, MetricScore>> {
  const results = new Map<string, Map<OrgCode, MetricScore>>();
  const scored = framework.metrics.filter((m) => m.scoring !== undefined);
  // Parts first, so a combined metric finds their scores.
  const ordered = [
    ...scored.filter((m) => m.scoring!.method !== "combined"),
    ...scored.filter((m) => m.scoring!.method === "combined"),
  ];
  for (const metric of ordered) {
    results.set(metric.id, scoreOneMetric(metric, metric.scoring!, range, data, results));
  }
  return results;
}

function scoreOneMetric(
  metric: FrameworkMetric,
  scoring: MetricScoring,
  range: ScoreRange,
  data: ScoringData,
  earlier: ReadonlyMap<string, ReadonlyMap<OrgCode, MetricScore>>,
): Map<OrgCode, MetricScore> {
  const values = data.values.get(metric.id) ?? new Map<OrgCode, number>();
  const result = new Map<OrgCode, MetricScore>();
  const each = (score: (org: OrgCode) => MetricScore) => {
    for (const org of data.members) result.set(org, score(org));
  };
  const noValue: MetricScore = { score: null, reason: "no value reported" };
  const unscorable =
    (reason: string) =>
    (org: OrgCode): MetricScore =>
      values.has(org) ? { score: null, reason } : noValue;
  const ranked = (
    population: RankPopulation,
    among: (value: number) => boolean = () => true,
    over: ScoreRange = range,
  ): ((org: OrgCode) => MetricScore) => {
    const polarity = metric.polarity;
    if (polarity === "neutral")
      return unscorable("a metric with neutral polarity cannot be ranked");
    if (!canRank(population, data.covers))
      return unscorable(
        "ranked among every organisation that reports it, a wider population than the data hold",
      );
    const members = new Set(data.members);
    const scores = rankScores(
      new Map([...values].filter(([org, value]) => members.has(org) && among(value))),
      polarity,
      over,
      data.positions?.get(metric.id),
    );
    return (org) => {
      const score = scores.get(org);
      return score === undefined ? noValue : { score };
    };
  };
  switch (scoring.method) {
    case "rank":
      each(ranked(scoring.population));
      break;
    case "bands": {
      // Values in no band are ranked among the population (e.g. UCR at or above 70%); with an
      // `otherwise_range`, among the values in no band only, over that range (threshold then rank).
      const inNoBand = (value: number) => bandScore(value, scoring.bands) === undefined;
      const otherwise =
        scoring.otherwise && scoring.population
          ? scoring.otherwise_range
            ? ranked(scoring.population, inNoBand, scoring.otherwise_range)
            : ranked(scoring.population)
          : null;
      each((org) => {
        const value = values.get(org);
        if (value === undefined) return noValue;
        const score = bandScore(value, scoring.bands);
        if (score !== undefined) return { score };
        return otherwise ? otherwise(org) : { score: null, reason: `${value} is in no band` };
      });
      break;
    }
    case "cqc_rating": {
      const ratings = data.ratings?.get(metric.id);
      each((org) => {
        const rating = ratings?.get(org);
        if (rating === undefined) return { score: null, reason: "no CQC rating given" };
        const score = cqcRatingScore(rating, scoring);
        return score === undefined
          ? { score: null, reason: `no score for CQC rating "${rating}"` }
          : { score };
      });
      break;
    }
    case "combined":
      each((org) => {
        const parts = scoring.from.map((id) => earlier.get(id)?.get(org));
        const missing = scoring.from.filter((_, i) => parts[i]?.score == null);
        if (missing.length > 0)
          return { score: null, reason: `needs a score for ${missing.join(", ")}` };
        const score = combinedScore(
          scoring,
          parts.map((p) => p!.score!),
          range,
        );
        return score === undefined
          ? { score: null, reason: "no combination for these scores" }
          : { score };
      });
      break;
    case "unknown":
      each(() => ({ score: null, reason: "the framework does not say how this metric is scored" }));
      break;
  }
  return result;
}
