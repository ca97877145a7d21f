/**
 * From average metric score to segment in a scored framework (NOF 2025/26, DOMAIN §4): averages
 * cut into segments 1–4 (quartiles over the population, or fixed thresholds in later versions),
 * the financial override (a trust in deficit is no better than a set segment), and the overlay
 * segment for organisations in the Recovery Support Programme.
 */
import { QUARTILE_PROBABILITIES, quantileCont } from "../benchmarking/quantile.js";
import type { Framework } from "../frameworks/schema.js";
import type { ScoreRange } from "./metric-scores.js";

/** The segments an average score can place an organisation in. */
export type ScoredSegment = 1 | 2 | 3 | 4;
/** A segment after the overlay, which may place an organisation in segment 5. */
export type Segment = ScoredSegment | 5;

type ScoredCriteria = Extract<Framework["criteria"], { method: "scored" }>;
export type Segmentation = ScoredCriteria["segmentation"];
export type FinancialOverride = ScoredCriteria["financial_override"];

/**
 * The three quartile cut-points of a population's averages, best first, by linear interpolation
 * between order statistics (R type 7, Excel QUARTILE.INC), as the benchmarks' quartiles.
 */
export function quartileCutPoints(averages: readonly number[], range: ScoreRange): number[] {
  const sorted = [...averages].sort((a, b) => a - b);
  const cuts = QUARTILE_PROBABILITIES.map((p) => quantileCont(sorted, p));
  return range.best < range.worst ? cuts : cuts.reverse();
}

/**
 * The segment of an average given cut-points best first: one segment worse for every cut-point
 * the average is worse than. An average exactly on a quartile cut-point takes the better
 * segment; on a fixed threshold, the worse one ("segment i is below cut_points[i-1]").
 */
export function segmentOf(
  average: number,
  cutPoints: readonly number[],
  range: ScoreRange,
  onCutPoint: "better" | "worse",
): ScoredSegment {
  const worse = (a: number, cut: number) =>
    range.best < range.worst
      ? a > cut || (onCutPoint === "worse" && a === cut)
      : a < cut || (onCutPoint === "worse" && a === cut);
  return (1 + cutPoints.filter((cut) => worse(average, cut)).length) as ScoredSegment;
}

/** Every member's unadjusted segment from its average score, over the population given. */
export function unadjustedSegments<K>(
  segmentation: Segmentation,
  averages: ReadonlyMap<K, number>,
  range: ScoreRange,
): Map<K, ScoredSegment> {
  const result = new Map<K, ScoredSegment>();
  if (averages.size === 0) return result;
  const [cutPoints, onCutPoint] =
    segmentation.method === "quartiles"
      ? [quartileCutPoints([...averages.values()], range), "better" as const]
      : [segmentation.cut_points, "worse" as const];
  for (const [key, average] of averages)
    result.set(key, segmentOf(average, cutPoints, range, onCutPoint));
  return result;
}

/** Is the organisation in deficit on the override's financial position metric? */
export function inFinancialDeficit(value: number, override: FinancialOverride): boolean {
  return value < override.deficit_below;
}

/** NOF 2025/26: a trust in financial deficit can be no better than segment 3 (data/README.md). */
export function adjustedSegment(
  unadjusted: ScoredSegment,
  inDeficit: boolean,
  override: FinancialOverride,
): Segment {
  return inDeficit ? (Math.max(unadjusted, override.best_segment) as Segment) : unadjusted;
}

/** Segment 5 is an overlay for organisations in the Recovery Support Programme (DOMAIN §4). */
export function finalSegment(
  adjusted: Segment,
  inOverlayProgramme: boolean,
  overlaySegment: number | undefined,
): Segment {
  return inOverlayProgramme && overlaySegment !== undefined
    ? (overlaySegment as Segment)
    : adjusted;
}
