/**
 * The scored segmentation of one population (e.g. one trust type in one quarter) under a scored
 * framework, end to end: metric scores → domain scores and average → unadjusted segment →
 * financial override → overlay → league position. Every rule and parameter comes from the
 * framework; the data come in as plain values.
 */
import type { Framework } from "../frameworks/schema.js";
import type { OrgCode } from "../organisations/organisation.js";
import { leaguePositions } from "./league.js";
import {
  scoreMetrics,
  type MetricScore,
  type ScoreRange,
  type ScoringData,
} from "./metric-scores.js";
import {
  adjustedSegment,
  finalSegment,
  inFinancialDeficit,
  unadjustedSegments,
  type ScoredSegment,
  type Segment,
} from "./segments.js";
import { averageScore, domainScores } from "./summary-scores.js";

export type ScoredCriteria = Extract<Framework["criteria"], { method: "scored" }>;

/** The framework's scored criteria; a framework of eligibility criteria is not scored. */
export function scoredCriteriaOf(framework: Framework): ScoredCriteria {
  if (framework.criteria.method !== "scored")
    throw new Error(`framework ${framework.id} does not score metrics`);
  return framework.criteria;
}

export interface ScoredAssessment {
  org: OrgCode;
  metricScores: Map<string, MetricScore>;
  domainScores: Map<string, number>;
  /** Null when no counted metric could be scored. */
  averageScore: number | null;
  unadjustedSegment: ScoredSegment | null;
  /** Null when the financial position is not known. */
  inDeficit: boolean | null;
  adjustedSegment: Segment | null;
  finalSegment: Segment | null;
  leaguePosition: number | null;
}

export interface PopulationData extends ScoringData {
  /** Organisations in the overlay programme (the Recovery Support Programme). */
  overlayMembers: ReadonlySet<OrgCode>;
}

export function assessScoredPopulation(
  framework: Framework,
  data: PopulationData,
): ScoredAssessment[] {
  const criteria = scoredCriteriaOf(framework);
  const range: ScoreRange = criteria.score_range;
  const metricScores = scoreMetrics(framework, range, data);
  const scoresOf = (org: OrgCode) =>
    new Map(
      [...metricScores].flatMap(([id, byOrg]) => {
        const score = byOrg.get(org)?.score;
        return score == null ? [] : [[id, score] as const];
      }),
    );
  const averages = new Map<OrgCode, number>();
  for (const org of data.members) {
    const average = averageScore(framework, scoresOf(org));
    if (average !== undefined) averages.set(org, average);
  }
  const unadjusted = unadjustedSegments(criteria.segmentation, averages, range);
  const override = criteria.financial_override;
  const positionMetrics = framework.metrics.filter((m) => m.roles.includes(override.metric_role));
  const assessments = data.members.map((org): ScoredAssessment => {
    const position = positionMetrics
      .map((m) => data.values.get(m.id)?.get(org))
      .find((v) => v !== undefined);
    const inDeficit = position === undefined ? null : inFinancialDeficit(position, override);
    const segment = unadjusted.get(org) ?? null;
    const adjusted =
      segment === null || inDeficit === null ? null : adjustedSegment(segment, inDeficit, override);
    return {
      org,
      metricScores: new Map([...metricScores].map(([id, byOrg]) => [id, byOrg.get(org)!])),
      domainScores: domainScores(framework, scoresOf(org)),
      averageScore: averages.get(org) ?? null,
      unadjustedSegment: segment,
      inDeficit,
      adjustedSegment: adjusted,
      finalSegment:
        adjusted === null
          ? null
          : finalSegment(adjusted, data.overlayMembers.has(org), criteria.overlay_segment),
      leaguePosition: null,
    };
  });
  const positions = leaguePositions(
    assessments.flatMap((a) =>
      a.adjustedSegment === null || a.averageScore === null
        ? []
        : [{ org: a.org, adjusted_segment: a.adjustedSegment, average_score: a.averageScore }],
    ),
    criteria.league_order,
    range,
  );
  return assessments.map((a) => ({ ...a, leaguePosition: positions.get(a.org) ?? null }));
}
