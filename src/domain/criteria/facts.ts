/**
 * What the criteria read about one organisation: each applicable metric's positions in its
 * comparison population's latest periods and its SPC analysis, the latest CQC rating and the
 * recorded judgements in effect. The assessment builds these once for every organisation
 * (benchmarking each metric-period and analysing each series once); the criteria only read them.
 */
import type { CutPoints, Population } from "../benchmarking/index.js";
import type { FrameworkMetric, JudgementKind } from "../frameworks/schema.js";
import type { Organisation } from "../organisations/organisation.js";
import type { AssuranceIcon } from "../spc/index.js";
import type { CqcRating, MetricEvidence, SpcEvidence } from "./types.js";

export interface CqcRatingInput {
  org_code: string;
  published_on: string;
  overall: CqcRating | null;
  well_led: CqcRating | null;
}

/** A recorded judgement (docs/domain.md §5 additional considerations): a fact with author and date. */
export interface JudgementInput {
  /** The record's id, for citation. */
  id?: string | null | undefined;
  org_code: string;
  kind: JudgementKind;
  recorded_by: string;
  /** In effect from this date. */
  recorded_on: string;
  /** No longer in effect from this date (e.g. the issue was resolved); absent while it stands. */
  ends_on?: string | null | undefined;
  summary: string;
  /** The theme it concerns, where the recorder said; otherwise organisation-wide. */
  theme?: string | null | undefined;
}

/**
 * A series' SPC analysis, summarised as soon as it is run (the full chart is not kept): the
 * evidence the dramatic-drop test reads, and the icons the metric summary shows.
 */
export type SpcFacts =
  | {
      status: "analysed";
      evidence: SpcEvidence;
      assurance_icon: AssuranceIcon | null;
    }
  | { status: "not_assessable"; reason: string; points: number };

/** A position and the cut-points of its period (null when not benchmarkable). */
export interface PeriodPosition {
  evidence: MetricEvidence;
  cut_points: CutPoints | null;
}

export interface MetricFacts {
  metric: FrameworkMetric;
  population: Population;
  /** The framework's minimum population for benchmarking. */
  min_population: number;
  /**
   * Positions in the population's latest periods, oldest first; the last is the current period.
   * Holds up to the sustained-bottom-decile run length of periods; empty when the population has
   * no data on or before the assessment date.
   */
  periods: PeriodPosition[];
  /** The current period's position (not assessed, period null, when the population has no data). */
  current: PeriodPosition;
  /** Null for neutral metrics, which are never judged good or bad. */
  spc: SpcFacts | null;
}

export interface OrganisationFacts {
  organisation: Organisation;
  /** The metrics that apply to the organisation, in framework order. */
  metrics: MetricFacts[];
  /** The latest rating published on or before the assessment date. */
  cqc: CqcRatingInput | null;
  /** Judgements in effect on the assessment date, oldest first. */
  judgements: JudgementInput[];
}
