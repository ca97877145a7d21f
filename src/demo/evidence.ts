/**
 * The demo's recorded evidence: what a regulator's staff would have on file for the synthetic
 * national dataset, so that the segmentation the demo adopts rests on evidence, as segments 3
 * and 4 must (docs/domain.md §5). Pure: the assessment in, the records out. Every record is
 * labelled synthetic. The rules are the demo's stand-in for people's judgement, not policy:
 * - licence-breach evidence (undertakings accepted on reasonable grounds to suspect a breach,
 *   Enforcement Guidance; docs/domain.md §10) for every trust eligible for segment 3 or 4 on
 *   two or more segment 3/4 criteria — a trust eligible on one criterion alone is, as SOF §4
 *   puts it, a provider with "emerging concerns" that "may remain in segment 2" while evidence is
 *   gathered — and for every trust given a segment 4 judgement below;
 * - a CQC recommendation of special measures for every trust CQC rates 'Inadequate' overall
 *   (NHS OF 2022/23 Annex A §14: "normally" so);
 * - financial special measures (recorded as longstanding issues) for the planted deficit story,
 *   and a catastrophic safety failure for the planted sharp-deterioration story.
 */
import type { Assessment } from "../domain/assessment/types.js";
import type { JudgementKind } from "../domain/frameworks/schema.js";
import type { Story } from "./synthesise.js";

export interface DemoJudgement {
  org_code: string;
  kind: JudgementKind;
  summary: string;
  recorded_by: string;
  recorded_on: string;
  confidentiality: "public" | "official_sensitive";
}

const REGION = "Regional oversight team (synthetic demo record)";
const CQC = "CQC Chief Inspector of Hospitals (synthetic demo record)";
const CENTRAL = "National intensive support team (synthetic demo record)";

function firedAt3Or4(a: Assessment): string[] {
  return a.segments
    .filter((s) => s.segment >= 3)
    .flatMap((s) => s.criteria.filter((c) => c.status === "fired").map((c) => c.label));
}

/** The records a regulator would hold on `on`, given the assessment on that date. */
export function demoEvidence(
  assessments: readonly Assessment[],
  stories: readonly Story[],
  on: string,
): DemoJudgement[] {
  const storyOf = new Map(stories.map((s) => [s.org_code, s.kind]));
  const records: DemoJudgement[] = [];
  for (const a of assessments) {
    const code = a.organisation.code;
    const segment4: DemoJudgement[] = [];
    const inadequate = a.segments
      .find((s) => s.segment === 4)
      ?.criteria.some((c) => c.id === "segment_4.cqc_inadequate" && c.status === "fired");
    if (inadequate)
      segment4.push({
        org_code: code,
        kind: "cqc_recommendation",
        summary:
          "The Chief Inspector of Hospitals recommends special measures following CQC's 'Inadequate' rating (synthetic).",
        recorded_by: CQC,
        recorded_on: on,
        confidentiality: "public",
      });
    if (storyOf.get(code) === "financial_deficit")
      segment4.push({
        org_code: code,
        kind: "longstanding_issues",
        summary:
          "Financial special measures recommended: a deficit far behind plan for a sustained period, with no credible recovery plan (synthetic).",
        recorded_by: CENTRAL,
        recorded_on: on,
        confidentiality: "public",
      });
    if (storyOf.get(code) === "sharp_deterioration")
      segment4.push({
        org_code: code,
        kind: "catastrophic_safety_failure",
        summary:
          "Serious incidents on the wards, corroborated by a whistleblower and the trust's own reviews (synthetic).",
        recorded_by: CENTRAL,
        recorded_on: on,
        confidentiality: "official_sensitive",
      });
    const fired = firedAt3Or4(a);
    if (segment4.length > 0 || (a.eligible_segment >= 3 && fired.length >= 2)) {
      records.push({
        org_code: code,
        kind: "licence_breach_evidence",
        summary:
          `${a.organisation.kind === "foundation_trust" ? "Undertakings accepted (s106)" : "Undertakings accepted under the equivalent conditions for an NHS trust"} ` +
          `on reasonable grounds to suspect a breach: ${fired.join("; ").toLowerCase() || "see the segment 4 judgement"} (synthetic).`,
        recorded_by: REGION,
        recorded_on: on,
        confidentiality: "public",
      });
    }
    records.push(...segment4);
  }
  return records;
}
