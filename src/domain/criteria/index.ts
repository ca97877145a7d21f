/**
 * Eligibility criteria of SOF 2016 and NHS OF 2022/23 (docs/domain.md §5): each criterion evaluated on
 * an organisation's facts, the licence-breach hold and the greatest need across themes.
 */
export type {
  CqcRatingInput,
  JudgementInput,
  MetricFacts,
  OrganisationFacts,
  SpcFacts,
} from "./facts.js";
export {
  eligibilityCriteriaOf,
  evaluateCriteria,
  proposeSegment,
  type Held,
  type LicenceBreachCheck,
  type Proposal,
  type SegmentEligibility,
  type ThemeNeed,
} from "./proposal.js";
export type * from "./types.js";
