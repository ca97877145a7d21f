/**
 * The path to a better segment under a scored framework (NHS OF 2025/26, DOMAIN §5: "what would
 * have to change to move segment"): leave the overlay programme where the organisation is in it,
 * close the deficit where the financial override caps the segment, and bring the average metric
 * score to the target segment's cut-point by the smallest set of metric moves.
 *
 * The moves are chosen greedily by the most each metric's score can improve (to the best score
 * its rule allows): the m largest possible gains are the most any m moves can gain, so the first
 * m at which they reach the needed average is the smallest number of moves (exact, not a
 * heuristic). Every move but the last goes to the metric's best score; the last goes only as far
 * as needed. Other organisations' values and today's cut-points are held as they are: a move
 * changes others' ranks and the quartiles a little, which the path does not chase.
 */
import { formatValue } from "../criteria/format.js";
import type { Framework, FrameworkMetric } from "../frameworks/schema.js";
import type { OrgCode } from "../organisations/organisation.js";
import { scoredCriteriaOf } from "../scoring/assess-population.js";
import { bandScore, combinedScore, rankScore, type ScoreRange } from "../scoring/metric-scores.js";
import type { Segment } from "../scoring/segments.js";
import type {
  MetricMove,
  MetricScoreResult,
  ScoredAssessment,
  ScoredPath,
} from "./scored-types.js";

/** What a path reads beyond the assessment: the framework and today's scoring populations. */
export interface PathContext {
  framework: Framework;
  range: ScoreRange;
  /** The values a metric is scored among today (its scoring population, current period). */
  populationValues: (metricId: string) => ReadonlyMap<OrgCode, number>;
}

const EPSILON = 1e-9;

function scoreText(score: number): string {
  return score.toFixed(2);
}

/** A path to every segment better than the organisation's, best last. */
export function scoredPaths(ctx: PathContext, a: ScoredAssessment): ScoredPath[] {
  if (a.final_segment === null) return [];
  const targets: Segment[] = [];
  for (let t = a.final_segment - 1; t >= 1; t--) targets.push(t as Segment);
  return targets.map((t) => pathToScoredSegment(ctx, a, t));
}

export function pathToScoredSegment(
  ctx: PathContext,
  a: ScoredAssessment,
  target: Segment,
): ScoredPath {
  const { framework } = ctx;
  const criteria = scoredCriteriaOf(framework);
  if (a.final_segment === null)
    throw new RangeError(`${a.organisation.code} has no segment to move from`);
  const metricOf = (id: string) => framework.metrics.find((m) => m.id === id)!;
  const clauses: string[] = [];

  const overlayExit =
    a.overlay.status === "fired" && a.overlay.segment !== null && target < a.overlay.segment
      ? `leave segment ${a.overlay.segment}: exit from the programme is a national decision, and the record that places ${a.organisation.code} there must end`
      : null;
  if (overlayExit) clauses.push(overlayExit);

  const o = a.financial_override;
  let deficit: ScoredPath["deficit_to_close"] = null;
  if (o.status === "fired" && target < o.best_segment && o.metric_id !== null) {
    const metric = metricOf(o.metric_id);
    const sentence = `the deficit must close first: ${metric.name} is ${formatValue(o.value!, metric.unit)}, and must be at least ${formatValue(o.deficit_below, metric.unit)} for any segment better than ${o.best_segment}`;
    deficit = {
      metric_id: o.metric_id,
      current_value: o.value,
      needed_value: o.deficit_below,
      comparison: "at_least",
      sentence,
    };
    clauses.push(sentence);
  }

  let averageNeeded: ScoredPath["average_needed"] = null;
  let moves: MetricMove[] = [];
  let reachable = true;
  const cut = a.cut_points?.[target - 1];
  if (a.unadjusted_segment !== null && a.average_score !== null && cut !== undefined) {
    const comparison = criteria.segmentation.method === "quartiles" ? "at_most" : "below";
    averageNeeded = { value: cut, comparison };
    if (a.unadjusted_segment > target) {
      const chosen = smallestMoves(ctx, a, cut, comparison);
      reachable = chosen !== null;
      moves = chosen ?? [];
      const need = `the average metric score must be ${comparison === "at_most" ? "at most" : "below"} ${scoreText(cut)} (today ${scoreText(a.average_score)}, the cut-point of segment ${target})`;
      clauses.push(
        chosen === null
          ? `${need}, which no set of metric moves reaches`
          : `${need}: the smallest set of metric moves that reaches it is ${moves.length} (${moves.map((m) => m.metric_name).join("; ")}), holding other trusts' values and today's cut-points`,
      );
    }
  }
  const sentence =
    clauses.length === 0
      ? `Segment ${target} needs no change from today's data.`
      : `To reach segment ${target}: ${clauses.join("; ")}.`;
  return {
    from_segment: a.final_segment,
    target_segment: target,
    overlay_exit: overlayExit,
    deficit_to_close: deficit,
    average_needed: averageNeeded,
    moves,
    reachable,
    sentence,
  };
}

/** The smallest set of moves bringing the average to the cut-point, or null when none does. */
function smallestMoves(
  ctx: PathContext,
  a: ScoredAssessment,
  cut: number,
  comparison: "at_most" | "below",
): MetricMove[] | null {
  const counted = a.metric_scores.filter((m) => m.counted && m.score !== null);
  const k = counted.length;
  const sum = counted.reduce((total, m) => total + m.score!, 0);
  const reaches = (total: number) =>
    comparison === "at_most" ? total / k <= cut + EPSILON : total / k < cut - EPSILON;
  if (reaches(sum)) return [];
  const candidates = counted
    .map((m, order) => ({ m, order, best: bestScore(ctx, a, m) }))
    .flatMap((c) =>
      c.best !== null && c.best < c.m.score! - EPSILON
        ? [{ ...c, best: c.best, gain: c.m.score! - c.best }]
        : [],
    )
    .sort((x, y) => y.gain - x.gain || x.order - y.order);
  const moves: MetricMove[] = [];
  let total = sum;
  for (const c of candidates) {
    const fullTotal = total - c.gain;
    const full = moveTo(ctx, a, c.m, c.best);
    if (!full) continue;
    if (!reaches(fullTotal)) {
      moves.push(full);
      total = fullTotal;
      continue;
    }
    // The last move: only as far as the average needs.
    const allowance = cut * k - (total - c.m.score!) - (comparison === "below" ? EPSILON : 0);
    const partial = moveTo(ctx, a, c.m, Math.max(allowance, c.best));
    moves.push(partial && reaches(total - c.m.score! + partial.target_score) ? partial : full);
    return moves;
  }
  return null;
}

/** The best score the metric's rule lets it reach, or null when it cannot be moved by a value. */
function bestScore(ctx: PathContext, a: ScoredAssessment, m: MetricScoreResult): number | null {
  const scoring = ctx.framework.metrics.find((x) => x.id === m.metric_id)!.scoring!;
  switch (scoring.method) {
    case "rank":
      return ctx.range.best;
    case "bands":
      return scoring.otherwise ? ctx.range.best : Math.min(...scoring.bands.map((b) => b.score));
    case "combined": {
      const combos = partCombinations(ctx, a, m);
      return combos.length === 0 ? null : Math.min(...combos.map((c) => c.score));
    }
    default:
      // A CQC-based score moves with a rating, not a value; an unknown rule is never guessed.
      return null;
  }
}

/** The move taking the metric's score to at most `target`, at the value it needs today. */
function moveTo(
  ctx: PathContext,
  a: ScoredAssessment,
  m: MetricScoreResult,
  target: number,
): MetricMove | null {
  const metric = ctx.framework.metrics.find((x) => x.id === m.metric_id)!;
  const scoring = metric.scoring!;
  const base = {
    metric_id: m.metric_id,
    metric_name: m.metric_name,
    period: m.period,
    current_value: m.value,
    current_score: m.score!,
  };
  if (scoring.method === "combined") {
    const combos = partCombinations(ctx, a, m).filter((c) => c.score <= target + EPSILON);
    if (combos.length === 0) return null;
    combos.sort(
      (x, y) =>
        x.changed.length - y.changed.length || x.improvement - y.improvement || y.score - x.score,
    );
    const chosen = combos[0]!;
    const parts = chosen.changed.flatMap(([part, score]) => moveTo(ctx, a, part, score) ?? []);
    return {
      ...base,
      target_score: chosen.score,
      needed_value: null,
      comparison: null,
      line: "parts",
      needed_rank: null,
      n: null,
      parts,
      sentence: `${m.metric_name}: score ${scoreText(m.score!)} to ${scoreText(chosen.score)}, by ${parts.map((p) => p.sentence.replace(/\.$/, "")).join("; ")}.`,
    };
  }
  if (m.value === null) return null;
  if (scoring.method === "bands" && !scoring.otherwise) {
    const band = nearestBand(scoring.bands, m.value, target);
    if (!band) return null;
    const [needed, comparison] =
      band.min !== undefined && m.value < band.min
        ? [band.min, "at_least" as const]
        : [band.max!, "below" as const];
    return {
      ...base,
      target_score: band.score,
      needed_value: needed,
      comparison,
      line: "band_edge",
      needed_rank: null,
      n: null,
      parts: [],
      sentence: `${m.metric_name}: ${formatValue(m.value, metric.unit)} (score ${scoreText(m.score!)}) to ${comparison === "at_least" ? "at least" : "below"} ${formatValue(needed, metric.unit)}, the band edge, for a score of ${scoreText(band.score)}.`,
    };
  }
  if (scoring.method !== "rank" && scoring.method !== "bands") return null;
  return rankMove(ctx, metric, m, target, base, a.organisation.code);
}

function rankMove(
  ctx: PathContext,
  metric: FrameworkMetric,
  m: MetricScoreResult,
  target: number,
  base: Pick<
    MetricMove,
    "metric_id" | "metric_name" | "period" | "current_value" | "current_score"
  >,
  orgCode: string,
): MetricMove | null {
  const { range } = ctx;
  if (metric.polarity === "neutral" || m.value === null) return null;
  const values = ctx.populationValues(m.metric_id);
  const n = values.size;
  const higher = metric.polarity === "higher_is_better";
  // Today's values of everyone else: tying the one at rank r takes rank r.
  const others = [...values].filter(([org]) => org !== orgCode).map(([, v]) => v);
  others.sort((x, y) => (higher ? y - x : x - y));
  // The worst rank whose score is no worse than the target: score = best + span·(r−1)/(n−1).
  const span = range.worst - range.best;
  let rank = n <= 1 ? 1 : Math.floor(1 + ((target - range.best) * (n - 1)) / span + EPSILON);
  rank = Math.max(1, Math.min(rank, n));
  let needed = others[rank - 1] ?? m.value;
  let comparison: MetricMove["comparison"] = higher ? "at_least" : "at_most";
  let line: MetricMove["line"] = "rank";
  const scoring = metric.scoring!;
  if (scoring.method === "bands") {
    // A value in a band is not ranked (e.g. below 70% scores 4.00): it must leave the band.
    const band = scoring.bands.find(
      (b) => (b.min === undefined || needed >= b.min) && (b.max === undefined || needed < b.max),
    );
    if (band && bandScore(needed, scoring.bands) !== undefined) {
      if (higher && band.max !== undefined)
        [needed, comparison, line] = [band.max, "at_least", "band_edge"];
      else if (!higher && band.min !== undefined)
        [needed, comparison, line] = [band.min, "below", "band_edge"];
    }
  }
  const score = rankScore(rank, n, range);
  const phrase = comparison === "at_least" ? "or more" : comparison === "at_most" ? "or less" : "";
  return {
    ...base,
    target_score: score,
    needed_value: needed,
    comparison,
    line,
    needed_rank: rank,
    n,
    parts: [],
    sentence:
      `${m.metric_name}: ${formatValue(m.value, metric.unit)} (score ${scoreText(m.score!)}, ${m.rank === null ? "by its band" : `rank ${m.rank} of ${n}`}) to ` +
      (line === "rank"
        ? `${formatValue(needed, metric.unit)} ${phrase}, today's value at rank ${rank} of ${n}, for a score of ${scoreText(score)}.`
        : `${comparison === "below" ? "below" : "at least"} ${formatValue(needed, metric.unit)}, the band edge, and rank ${rank} of ${n} for a score of ${scoreText(score)}.`),
  };
}

function nearestBand(
  bands: readonly { min?: number | undefined; max?: number | undefined; score: number }[],
  value: number,
  target: number,
) {
  const distance = (b: { min?: number | undefined; max?: number | undefined }) =>
    b.min !== undefined && value < b.min
      ? b.min - value
      : b.max !== undefined && value >= b.max
        ? value - b.max
        : 0;
  return bands
    .filter((b) => b.score <= target + EPSILON)
    .sort((x, y) => distance(x) - distance(y) || x.score - y.score)[0];
}

interface PartCombination {
  score: number;
  /** The parts that must improve, each with the score it needs. */
  changed: [MetricScoreResult, number][];
  improvement: number;
}

/** Every whole-score combination of a combined metric's parts that its rule can score. */
function partCombinations(
  ctx: PathContext,
  a: ScoredAssessment,
  m: MetricScoreResult,
): PartCombination[] {
  const metric = ctx.framework.metrics.find((x) => x.id === m.metric_id)!;
  const scoring = metric.scoring;
  if (scoring?.method !== "combined") return [];
  const parts = scoring.from.map((id) => a.metric_scores.find((p) => p.metric_id === id));
  if (parts.some((p) => p === undefined || p.score === null)) return [];
  const { best, worst } = ctx.range;
  const step = worst > best ? 1 : -1;
  const wholes: number[] = [];
  for (let s = best; step > 0 ? s <= worst : s >= worst; s += step) wholes.push(s);
  let combos: number[][] = [[]];
  for (let i = 0; i < parts.length; i++)
    combos = combos.flatMap((c) => wholes.map((w) => [...c, w]));
  return combos.flatMap((combo): PartCombination[] => {
    // A part never needs to get worse: keep its current score where it is better.
    const effective = combo.map((s, i) => Math.min(s, parts[i]!.score!));
    const score = combinedScore(scoring, effective, ctx.range);
    if (score === undefined) return [];
    const changed = parts.flatMap((p, i): [MetricScoreResult, number][] =>
      effective[i]! < p!.score! - EPSILON ? [[p!, effective[i]!]] : [],
    );
    if (
      changed.some(([p, s]) => {
        const b = bestScore(ctx, a, p);
        return b === null || s < b - EPSILON;
      })
    )
      return [];
    const improvement = changed.reduce((t, [p, s]) => t + p.score! - s, 0);
    return [{ score, changed, improvement }];
  });
}
