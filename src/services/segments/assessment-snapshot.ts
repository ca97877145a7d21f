/**
 * The assessment a segment rests on, as the segment history keeps it (DOMAIN §12): the engine's
 * output for the organisation on the day, the criteria that fired, and the judgements in effect.
 * An audit event carries the snapshot's hash, which pins it as well as the whole would.
 */
import type { CalendarDate } from "../../domain/shared/dates.js";
import { canonicalJson } from "../../domain/workflow/audit-chain.js";
import { sha256Hex } from "../../store/audit.js";
import { judgementInputsOn, type JudgementInput } from "../../store/judgements.js";
import type { AssessmentSnapshot, SegmentHistoryEntry } from "../../store/segment-history.js";
import { assess, isScoredRun } from "../assessment.js";
import type { ServiceContext } from "../context.js";

/** One organisation's assessment in `run`, as a segment history entry keeps it. */
export function snapshotOf(
  run: Awaited<ReturnType<typeof assess>>,
  orgCode: string,
  judgements: JudgementInput[],
): AssessmentSnapshot {
  if (isScoredRun(run)) {
    const a = run.assessments.find((x) => x.organisation.code === orgCode);
    return {
      framework: run.framework,
      as_of: run.as_of,
      proposed_segment: a?.final_segment ?? null,
      criteria_fired: (a?.explanation ?? [])
        .filter((n) => n.status === "fired")
        .map((n) => ({ id: n.id, label: n.label, sentence: n.sentence })),
      judgement_inputs: judgements,
      explanation: a ?? null,
    };
  }
  const a = run.assessments.find((x) => x.organisation.code === orgCode);
  return {
    framework: run.framework,
    as_of: run.as_of,
    proposed_segment: a?.proposed_segment ?? null,
    criteria_fired: (a?.segments ?? []).flatMap((s) =>
      s.criteria
        .filter((c) => c.status === "fired")
        .map((c) => ({ id: c.id, label: c.label, sentence: c.sentence })),
    ),
    judgement_inputs: judgements,
    explanation: a ?? null,
  };
}

/** The assessment a decision rests on, as it stands on the decision date. */
export async function assessmentSnapshot(
  ctx: ServiceContext,
  orgCode: string,
  frameworkId: string,
  asOf: CalendarDate,
): Promise<AssessmentSnapshot> {
  const run = await assess(ctx, { asOf, frameworkId, orgCode });
  const judgements = await judgementInputsOn(ctx.db, asOf, orgCode);
  return snapshotOf(run, orgCode, judgements.get(orgCode) ?? []);
}

/** A history entry as its audit event records it: the snapshot replaced by its hash. */
export function auditedEntry(entry: SegmentHistoryEntry) {
  return {
    ...entry,
    assessment_snapshot: undefined,
    snapshot_sha256: sha256Hex(canonicalJson(entry.assessment_snapshot)),
  };
}
