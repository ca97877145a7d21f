/**
 * The JSON output of a scored assessment (NHS OF 2025/26, DOMAIN §4): snake_case like the
 * eligibility Assessment (types.ts), every list in a defined order, nothing read from a clock.
 * The input is the eligibility engine's AssessmentInput.
 */
import type { CriterionStatus, JudgementEvidence } from "../criteria/types.js";
import type { FrameworkMetric, Polarity } from "../frameworks/schema.js";
import type { RankPopulation } from "../scoring/metric-scores.js";
import type { ScoredSegment, Segment } from "../scoring/segments.js";
import type { AssessedOrganisation, FrameworkRef } from "./types.js";

export type ScoringMethod = NonNullable<FrameworkMetric["scoring"]>["method"];

/** Whom a metric was ranked among, for its current period. */
export interface ScoringPopulationRef {
  /** `peer_group:<id>` (the trust type) or `all_reporting`. */
  id: string;
  covers: RankPopulation;
  /** For a sentence: "mental health and community trusts", "all trusts reporting it". */
  name: string;
}

export type MetricScoreStatus =
  /** Scored from its value by its rule. */
  | "scored"
  /** No value for the population's latest period on or before the date. */
  | "not_assessed"
  /** A value, but its rule cannot score it (e.g. a CQC-based score with no rating given). */
  | "not_scored"
  /** The framework does not say how the metric is scored: listed, never guessed. */
  | "scoring_rule_unknown";

export interface MetricScoreResult {
  metric_id: string;
  metric_name: string;
  theme: string;
  unit: FrameworkMetric["unit"];
  polarity: Polarity;
  /** The metric's scoring rule in the framework. */
  rule: ScoringMethod;
  /** Which branch of the rule gave the score: a band, the rank, a CQC rating, a combination. */
  scored_by: "rank" | "band" | "cqc_rating" | "combined" | null;
  status: MetricScoreStatus;
  /** Counts towards the domain and average scores (a combined score stands in for its parts). */
  counted: boolean;
  /** The period scored: the population's latest with a value on or before the date. */
  period: string | null;
  value: number | null;
  /** Position best to worst in `population` (ties share the best), when scored by rank. */
  rank: number | null;
  n: number | null;
  population: ScoringPopulationRef | null;
  /** The band the value fell in, when scored by a band. */
  band: { min: number | null; max: number | null; score: number } | null;
  /** The metrics a combined score is made from. */
  parts: string[];
  score: number | null;
  /** Why there is no score. */
  reason: string | null;
  sentence: string;
}

export interface DomainScoreResult {
  theme: string;
  name: string;
  score: number;
  /** The counted metric scores it is the mean of. */
  metrics: string[];
  sentence: string;
}

export type ScoredEvidence =
  | {
      type: "metric_score";
      metric_id: string;
      period: string | null;
      value: number | null;
      rank: number | null;
      n: number | null;
      population: string | null;
      score: number | null;
      rule: ScoringMethod;
    }
  | {
      type: "average_score";
      average_score: number;
      metrics: number;
      /** The population's cut-points, best first (quartiles of averages, or fixed thresholds). */
      cut_points: number[];
      cut_point_kind: "quartiles" | "thresholds";
      population: string;
      n: number;
      segment: ScoredSegment;
    }
  | {
      type: "financial_position";
      metric_id: string;
      period: string | null;
      value: number | null;
      deficit_below: number;
      best_segment: number;
    }
  | JudgementEvidence;

/** The explanation tree, shaped as the eligibility ExplanationNode with scored evidence. */
export interface ScoredExplanationNode {
  id: string;
  label: string;
  status: CriterionStatus;
  /** Plain English, with the numbers of the evidence below it. */
  sentence: string;
  evidence: ScoredEvidence[];
  children: ScoredExplanationNode[];
}

/** A metric move on a path: what the metric must reach for the score the path needs. */
export interface MetricMove {
  metric_id: string;
  metric_name: string;
  period: string | null;
  current_value: number | null;
  current_score: number;
  target_score: number;
  /** Null for a combined score: its parts' moves say what is needed. */
  needed_value: number | null;
  comparison: "at_least" | "at_most" | "below" | "above" | null;
  /** The line the needed value is: today's value at the needed rank, or a band edge. */
  line: "rank" | "band_edge" | "parts" | null;
  needed_rank: number | null;
  n: number | null;
  parts: MetricMove[];
  sentence: string;
}

export interface ScoredPath {
  from_segment: Segment;
  target_segment: Segment;
  /** Exit from the overlay programme, where the organisation is in it (a national decision). */
  overlay_exit: string | null;
  /** The financial override caps the segment: the deficit must close first. */
  deficit_to_close: {
    metric_id: string;
    current_value: number | null;
    needed_value: number;
    comparison: "at_least";
    sentence: string;
  } | null;
  /** The average score the target segment needs (at most this; `below` for fixed thresholds). */
  average_needed: { value: number; comparison: "at_most" | "below" } | null;
  /** The smallest set of metric moves that takes the average there (empty when it is already). */
  moves: MetricMove[];
  reachable: boolean;
  sentence: string;
}

export interface ScoredAssessment {
  organisation: AssessedOrganisation;
  framework: { id: string; short_name: string };
  as_of: string;
  /** False for organisations the framework does not segment (ICBs in 2025/26). */
  segmented: boolean;
  /** The trust type it is segmented and ranked within. */
  population: { id: string; name: string; n: number } | null;
  metric_scores: MetricScoreResult[];
  domain_scores: DomainScoreResult[];
  average_score: number | null;
  /** The cut-points of the population's averages used, best first. */
  cut_points: number[] | null;
  unadjusted_segment: ScoredSegment | null;
  financial_override: {
    status: CriterionStatus;
    metric_id: string | null;
    period: string | null;
    value: number | null;
    deficit_below: number;
    best_segment: number;
    sentence: string;
  };
  adjusted_segment: Segment | null;
  overlay: {
    status: CriterionStatus;
    segment: number | null;
    judgement: JudgementEvidence | null;
    sentence: string;
  };
  final_segment: Segment | null;
  league: { position: number; of: number; population: string } | null;
  sentence: string;
  explanation: ScoredExplanationNode[];
  paths: ScoredPath[];
}

export interface ScoredPopulationSummary {
  id: string;
  name: string;
  /** Members with an average score. */
  n: number;
  cut_points: number[] | null;
}

export interface ScoredAssessmentRun {
  method: "scored";
  framework: FrameworkRef;
  as_of: string;
  populations: ScoredPopulationSummary[];
  /** By organisation code. */
  assessments: ScoredAssessment[];
  warnings: string[];
}
