/**
 * The assessment's input and its JSON output (snake_case, like the SPC result). Same input, same
 * output: every list has a defined order, and nothing reads a clock.
 */
import type { CutPoints, MetricPeriodBenchmark, PopulationRef } from "../benchmarking/index.js";
import type { Framework, FrameworkMetric, JudgementKind, Polarity } from "../frameworks/schema.js";
import type { Organisation, OrgKind, Sector } from "../organisations/organisation.js";
import type { CqcRatingInput, JudgementInput } from "../criteria/facts.js";
import type {
  Held,
  LicenceBreachCheck,
  SegmentEligibility,
  ThemeNeed,
} from "../criteria/proposal.js";
import type {
  CqcRating,
  CriterionId,
  ExplanationNode,
  MetricEvidence,
  Segment,
  Unit,
} from "../criteria/types.js";
import type { AssuranceIcon, VariationIcon } from "../spc/index.js";

export type { CqcRatingInput, JudgementInput } from "../criteria/facts.js";

/** One value of one metric for one organisation and period (the bundle's observations.csv). */
export interface ObservationInput {
  org_code: string;
  metric_id: string;
  /** The period's start date, YYYY-MM-DD. */
  period: string;
  value: number;
}

export interface AssessmentInput {
  /** An eligibility framework (SOF 2016, NHS OF 2022/23). */
  framework: Framework;
  /** The assessment date, YYYY-MM-DD: data after it is ignored. */
  as_of: string;
  /** The organisations to assess; those not open on `as_of` are left out. */
  organisations: readonly Organisation[];
  /** Every observation known on `as_of`, for all organisations: benchmarks need them all. */
  observations: readonly ObservationInput[];
  cqc_ratings: readonly CqcRatingInput[];
  judgements: readonly JudgementInput[];
}

export interface FrameworkRef {
  id: string;
  name: string;
  short_name: string;
}

/** A metric's current position for the organisation, in full: the names the evidence leaves out. */
export interface MetricSummary {
  metric_id: string;
  metric_name: string;
  theme: string;
  unit: Unit;
  polarity: Polarity;
  frequency: FrameworkMetric["frequency"];
  population: PopulationRef;
  min_population: number;
  period: string | null;
  status: MetricEvidence["status"];
  value: number | null;
  rank: number | null;
  n: number;
  percentile: number | null;
  quartile: number | null;
  decile: number | null;
  /** The period's cut-points (quantile_cont), ascending; null when not benchmarkable. */
  cut_points: CutPoints | null;
  standard: (NonNullable<MetricEvidence["standard"]> & { description: string }) | null;
  sentence: string;
  spc: {
    points: number;
    variation_icon: VariationIcon | null;
    assurance_icon: AssuranceIcon | null;
  } | null;
}

export type TargetComparison = "at_least" | "at_most" | "below" | "above";

/** Something that would have to be true for a path to hold. */
export type PathTarget =
  | {
      type: "metric";
      metric_id: string;
      metric_name: string;
      theme: string;
      unit: Unit;
      period: string | null;
      current_value: number | null;
      needed_value: number;
      comparison: TargetComparison;
      /** The line the needed value is: a cut-point, a finance line, or an SPC line. */
      line:
        | "top_quartile"
        | "bottom_quartile"
        | "bottom_decile"
        | "breakeven"
        | "on_plan"
        | "significant_deficit"
        | "significant_gap_to_plan"
        | "spc_mean"
        | "spc_limit";
      sentence: string;
    }
  | {
      type: "data";
      metric_id: string;
      metric_name: string;
      theme: string;
      sentence: string;
    }
  | {
      type: "cqc_rating";
      aspect: "overall" | "well_led";
      current: CqcRating | null;
      needed: CqcRating[];
      sentence: string;
    }
  | {
      type: "judgement";
      kind: JudgementKind;
      change: "record" | "end";
      sentence: string;
    };

/** A requirement: at least `needed` of its children (or, at a leaf, of its targets) must hold. */
export interface PathNode {
  /**
   * The criterion the part is about; or a gate between eligible and proposed (`licence_breach`,
   * `segment_4_judgement`); or `exit_criteria`, leaving mandated support (Annex A §36–§39, §60).
   */
  criterion: CriterionId | "licence_breach" | "segment_4_judgement" | "exit_criteria" | null;
  sentence: string;
  needed: number;
  children: PathNode[];
  targets: PathTarget[];
}

export interface PathToSegment {
  from_segment: Segment;
  target_segment: Segment;
  direction: "better" | "worse";
  sentence: string;
  /** All of its children must hold. */
  requirement: PathNode;
}

/** The organisation as an assessment names it (both engines). */
export interface AssessedOrganisation {
  code: string;
  name: string;
  kind: OrgKind;
  sector: Sector | null;
  region: string;
  icb_code: string | null;
}

/** The organisation's identity in an assessment's JSON, from the registry record. */
export function assessedOrganisation(org: Organisation): AssessedOrganisation {
  return {
    code: org.code,
    name: org.name,
    kind: org.kind,
    sector: org.sector,
    region: org.region,
    icb_code: org.icbCode,
  };
}

export interface Assessment {
  organisation: AssessedOrganisation;
  framework: { id: string; short_name: string };
  as_of: string;
  proposed_segment: Segment;
  /**
   * Eligible: the segment the criteria point to, to be considered. Proposed: after the gates
   * (recorded judgement for segment 4 where the framework asks; licence-breach evidence).
   * criteria/proposal.ts states the three words once.
   */
  eligible_segment: Segment;
  held: Held | null;
  /** Where the framework's criteria stand in for text that is not available (SOF's Annex 4). */
  criteria_source: string | null;
  sentence: string;
  /** The explanation tree: segment → criterion → (theme →) metric, each with evidence. */
  segments: SegmentEligibility[];
  theme_needs: ThemeNeed[];
  licence_breach: LicenceBreachCheck | null;
  considerations: ExplanationNode[];
  /** Every applicable metric's current position, in framework order. */
  metrics: MetricSummary[];
  /**
   * The way out: a path to each better segment, and to the eligible segment of a trust held for
   * want of licence-breach evidence. `pathToSegment` gives the path to any other segment.
   */
  paths: PathToSegment[];
}

export interface AssessmentRun {
  framework: FrameworkRef;
  as_of: string;
  /** Every metric-period benchmarked: by metric (framework order), population, then period. */
  benchmarks: MetricPeriodBenchmark[];
  /** By organisation code. */
  assessments: Assessment[];
  warnings: string[];
}
