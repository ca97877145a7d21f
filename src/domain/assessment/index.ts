/**
 * The assessment engine's public API: `assessOrganisations` for a national run, `pathToSegment`
 * for any stored assessment, and the JSON types. See docs/assessment.md.
 */
export { assessOrganisations } from "./assess.js";
export { pathToSegment } from "./path.js";
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
