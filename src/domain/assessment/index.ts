/**
 * The assessment engine's public API: `assessOrganisations` for a national run, `pathToSegment`
 * for any stored assessment, and the JSON types. See docs/assessment.md.
 */
export { assessOrganisations } from "./assess.js";
export { pathToSegment } from "./path.js";
export { assessScored } from "./scored.js";
export { pathToScoredSegment, scoredPaths, type PathContext } from "./scored-path.js";
export type {
  MetricMove,
  MetricScoreResult,
  ScoredAssessment,
  ScoredAssessmentRun,
  ScoredExplanationNode,
  ScoredPath,
} from "./scored-types.js";
export type {
  Assessment,
  AssessmentInput,
  AssessmentRun,
  CqcRatingInput,
  FrameworkRef,
  JudgementInput,
  MetricSummary,
  ObservationInput,
  PathNode,
  PathTarget,
  PathToSegment,
  TargetComparison,
} from "./types.js";
export type {
  CriterionId,
  CriterionResult,
  CriterionStatus,
  Evidence,
  ExplanationNode,
  MetricEvidence,
  Segment,
} from "../criteria/types.js";
export type {
  Held,
  LicenceBreachCheck,
  SegmentEligibility,
  ThemeNeed,
} from "../criteria/proposal.js";
export { AssessmentSession, createAssessment, type AssessmentUpdate } from "./session.js";
