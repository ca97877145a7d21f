/**
 * The CQC criteria, for trusts only (CQC rates providers, not ICBs), on the latest rating
 * published on or before the assessment date (docs/domain.md §5; NHS OF 2022/23 Table 3, Annex A §14):
 * - segment 1: 'Good' or 'Outstanding' overall and for well-led;
 * - segment 3: 'Requires improvement' overall and for well-led (the framework lists the ratings);
 * - segment 4: 'Inadequate' overall, on which CQC normally recommends intensive support.
 * A rating that is missing leaves the criterion not assessable.
 */
import type { EligibilityCriteria } from "../frameworks/schema.js";
import type { OrganisationFacts } from "./facts.js";
import { cqcLabel, cqcList } from "./format.js";
import { allOf } from "./logic.js";
import type { CqcEvidence, CqcRating, CriterionResult, CriterionStatus } from "./types.js";

export const CQC_RATINGS_BEST_FIRST: readonly CqcRating[] = [
  "outstanding",
  "good",
  "requires_improvement",
  "inadequate",
];

type CqcCriterionId =
  "segment_1.cqc_good" | "segment_3.cqc_requires_improvement" | "segment_4.cqc_inadequate";

function test(rating: CqcRating | null, accepted: readonly CqcRating[]): CriterionStatus {
  if (rating === null) return "not_assessable";
  return accepted.includes(rating) ? "fired" : "not_fired";
}

function cqcCriterion(
  facts: OrganisationFacts,
  spec: {
    id: CqcCriterionId;
    segment: 1 | 3 | 4;
    label: string;
    overall: readonly CqcRating[];
    wellLed: readonly CqcRating[] | null;
    themes: string[];
  },
): CriterionResult {
  const rating = facts.cqc;
  const base = { id: spec.id, segment: spec.segment, label: spec.label, children: [] };
  const wanted =
    `${cqcList(spec.overall)} overall` +
    (spec.wellLed ? ` and ${cqcList(spec.wellLed)} for well-led` : "");
  if (rating === null) {
    return {
      ...base,
      status: "not_assessable",
      sentence: `No CQC rating published: cannot tell whether rated ${wanted}.`,
      themes: [],
      evidence: [],
    };
  }
  const evidence: CqcEvidence = {
    type: "cqc_rating",
    published_on: rating.published_on,
    overall: rating.overall,
    well_led: rating.well_led,
  };
  const parts = [test(rating.overall, spec.overall)];
  if (spec.wellLed) parts.push(test(rating.well_led, spec.wellLed));
  const status = allOf(parts);
  const rated =
    `CQC rated the trust ${cqcLabel(rating.overall)} overall` +
    (spec.wellLed ? ` and ${cqcLabel(rating.well_led)} for well-led` : "") +
    ` (published ${rating.published_on})`;
  const verdict =
    status === "fired"
      ? "meets"
      : status === "not_fired"
        ? "does not meet"
        : "cannot be tested against";
  return {
    ...base,
    status,
    sentence: `${rated}: ${verdict} the test of ${wanted}.`,
    themes: status === "fired" ? [...new Set(spec.themes)] : [],
    evidence: [evidence],
  };
}

export function cqcGood(criteria: EligibilityCriteria, facts: OrganisationFacts): CriterionResult {
  return cqcCriterion(facts, {
    id: "segment_1.cqc_good",
    segment: 1,
    label: "CQC 'Good' or 'Outstanding' overall and for well-led",
    overall: criteria.segment_1.cqc_overall,
    wellLed: criteria.segment_1.cqc_well_led,
    themes: [criteria.cqc_themes.overall, criteria.cqc_themes.well_led],
  });
}

export function cqcRequiresImprovement(
  criteria: EligibilityCriteria,
  facts: OrganisationFacts,
): CriterionResult {
  return cqcCriterion(facts, {
    id: "segment_3.cqc_requires_improvement",
    segment: 3,
    label: "CQC 'Requires improvement' overall and for well-led",
    overall: criteria.segment_3.cqc_overall,
    wellLed: criteria.segment_3.cqc_well_led,
    themes: [criteria.cqc_themes.overall, criteria.cqc_themes.well_led],
  });
}

export function cqcInadequate(
  criteria: EligibilityCriteria,
  facts: OrganisationFacts,
): CriterionResult {
  return cqcCriterion(facts, {
    id: "segment_4.cqc_inadequate",
    segment: 4,
    label: "CQC 'Inadequate' overall",
    overall: criteria.segment_4.cqc_overall,
    wellLed: null,
    themes: [criteria.cqc_themes.overall],
  });
}
