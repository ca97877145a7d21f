/**
 * The explanation tree's vocabulary: a criterion is fired, not fired or not assessable, and says
 * why in one plain-English sentence backed by evidence (metric positions, SPC signals, CQC
 * ratings, recorded judgements). Every type here is plain JSON with snake_case keys.
 */
import type { EligibilityCriteria, FrameworkMetric, JudgementKind } from "../frameworks/schema.js";
import type { RuleName, VariationIcon } from "../spc/index.js";

export type Segment = 1 | 2 | 3 | 4;
/** The segments with eligibility criteria (segment 2 is the default, SOF §4 / Table 3). */
export type CriterionSegment = 1 | 3 | 4;
export type CriterionStatus = "fired" | "not_fired" | "not_assessable";
export type CqcRating = EligibilityCriteria["segment_1"]["cqc_overall"][number];
export type Unit = FrameworkMetric["unit"];

/** The criteria of docs/domain.md §5, named by what they test (never by a framework id). */
export type CriterionId =
  | "segment_1.top_quartile_themes"
  | "segment_1.balanced_finance"
  | "segment_1.cqc_good"
  | "segment_3.bottom_quartile_themes"
  | "segment_3.dramatic_drop"
  | "segment_3.sustained_bottom_decile"
  | "segment_3.finance"
  | "segment_3.cqc_requires_improvement"
  | "segment_4.cqc_inadequate"
  | "segment_4.significant_deficit"
  | `segment_4.judgement.${JudgementKind}`;

/** The line a value was compared with. */
export type CutPointName =
  | "top_quartile"
  | "bottom_quartile"
  | "bottom_decile"
  | "breakeven"
  | "on_plan"
  | "significant_deficit"
  | "significant_gap_to_plan";

export type PositionStatus = "benchmarked" | "not_benchmarkable" | "not_ranked" | "not_assessed";

/**
 * One metric's value and position for one organisation in one period. Lean by design: the
 * metric's name, unit and theme, the population's name and the full cut-points are in the
 * assessment's `metrics` list (and the run's benchmarks), once.
 */
export interface MetricEvidence {
  type: "metric";
  metric_id: string;
  /** The comparison population's period; null when the population has no data at all. */
  period: string | null;
  status: PositionStatus;
  value: number | null;
  /** 1 = best; ties share the better rank. */
  rank: number | null;
  /** Reporting organisations in the population for the period. */
  n: number;
  /** The comparison population's id (`national:…` or `peer_group:…`). */
  population: string;
  percentile: number | null;
  quartile: number | null;
  decile: number | null;
  /** Met or not and the gap (value − standard), when the metric has a standard. */
  standard: { value: number; met: boolean; gap: number } | null;
  /** The line this criterion compared the value with, if any. */
  cut_point: { name: CutPointName; value: number } | null;
}

export interface SpcSignalPoint {
  period: string;
  value: number;
  rules: RuleName[];
}

/** A metric's Making Data Count analysis as a criterion used it. */
export interface SpcEvidence {
  type: "spc";
  metric_id: string;
  /** Why the series could not be tested (too short, not reaching the latest period); else null. */
  not_assessable_reason: string | null;
  points_in_series: number;
  /** The last points examined for a signal. */
  recent_periods: string[];
  /** The latest value. */
  latest: number | null;
  mean: number | null;
  lpl: number | null;
  upl: number | null;
  variation_icon: VariationIcon | null;
  /** The special-cause rules that fired, in precedence order; empty when none. */
  rules: RuleName[];
  /** The points of the signal that reaches the recent points. */
  signal_points: SpcSignalPoint[];
}

export interface CqcEvidence {
  type: "cqc_rating";
  published_on: string;
  overall: CqcRating | null;
  well_led: CqcRating | null;
}

export interface JudgementEvidence {
  type: "judgement";
  id: string | null;
  kind: JudgementKind;
  recorded_by: string;
  recorded_on: string;
  summary: string;
  theme: string | null;
}

export type Evidence = MetricEvidence | SpcEvidence | CqcEvidence | JudgementEvidence;

export interface ExplanationNode {
  id: string;
  label: string;
  status: CriterionStatus;
  /** Plain English, with the numbers of the evidence below it. */
  sentence: string;
  evidence: Evidence[];
  children: ExplanationNode[];
}

export interface CriterionResult extends ExplanationNode {
  id: CriterionId;
  segment: CriterionSegment;
  /** The themes the criterion fired in; empty when not fired or organisation-wide. */
  themes: string[];
}
