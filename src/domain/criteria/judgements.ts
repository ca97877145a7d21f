/**
 * Recorded judgement as criteria and considerations (docs/domain.md §5; NHS OF 2022/23 Table 3):
 * - each kind the framework lists under `segment_4.judgements` (longstanding issues, a
 *   catastrophic safety or leadership failure, a CQC recommendation) is a segment 4 criterion,
 *   fired by a record in effect on the assessment date and never inferred;
 * - capability to improve, mitigating circumstances and any other kind are additional
 *   considerations: shown to the decision-maker, never weighed by the engine.
 */
import type { EligibilityCriteria, JudgementKind } from "../frameworks/schema.js";
import { isProvider } from "../organisations/organisation.js";
import { judgementEvidence } from "./evidence.js";
import type { JudgementInput, OrganisationFacts } from "./facts.js";
import { JUDGEMENT_LABELS, listOf } from "./format.js";
import type { CriterionResult, ExplanationNode } from "./types.js";

function recordPhrase(j: JudgementInput): string {
  return `recorded by ${j.recorded_by} on ${j.recorded_on}: "${j.summary}"`;
}

export function judgementCriteria(
  criteria: EligibilityCriteria,
  facts: OrganisationFacts,
): CriterionResult[] {
  return criteria.segment_4.judgements
    .filter((kind) => kind !== "cqc_recommendation" || isProvider(facts.organisation))
    .map((kind) => {
      const records = facts.judgements.filter((j) => j.kind === kind);
      const label = JUDGEMENT_LABELS[kind];
      const capitalised = `${label.charAt(0).toUpperCase()}${label.slice(1)}`;
      const fired = records.length > 0;
      const themes = records.map(
        (j) => j.theme ?? (kind === "cqc_recommendation" ? criteria.cqc_themes.overall : null),
      );
      return {
        id: `segment_4.judgement.${kind}` as const,
        segment: 4 as const,
        label: capitalised,
        status: fired ? ("fired" as const) : ("not_fired" as const),
        sentence: fired
          ? `${capitalised} ${listOf(records.map(recordPhrase))}.`
          : `No ${label} recorded.`,
        themes: [...new Set(themes.filter((t): t is string => t !== null))],
        evidence: records.map(judgementEvidence),
        children: [],
      };
    });
}

/** Kinds the framework uses as criteria or as the licence-breach hold. */
function weighedKinds(criteria: EligibilityCriteria): Set<JudgementKind> {
  return new Set<JudgementKind>([...criteria.segment_4.judgements, "licence_breach_evidence"]);
}

/** Recorded judgement the framework leaves to the decision-maker (Table 3 additional considerations). */
export function considerations(
  criteria: EligibilityCriteria,
  facts: OrganisationFacts,
): ExplanationNode[] {
  const weighed = weighedKinds(criteria);
  return facts.judgements
    .filter((j) => !weighed.has(j.kind))
    .map((j, i) => ({
      id: `consideration/${i + 1}`,
      label: JUDGEMENT_LABELS[j.kind],
      status: "fired" as const,
      sentence:
        `${JUDGEMENT_LABELS[j.kind].charAt(0).toUpperCase()}${JUDGEMENT_LABELS[j.kind].slice(1)} ` +
        `${recordPhrase(j)}. An additional consideration for the decision-maker: it does not ` +
        "change the proposed segment.",
      evidence: [judgementEvidence(j)],
      children: [],
    }));
}
