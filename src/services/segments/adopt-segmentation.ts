/**
 * Onboarding: records as in force on `as_of` the segment the framework then in force proposes
 * for every organisation it segments that has no segment decided by then — the segmentation an
 * oversight team carries over from before Oversight (the demo uses it for the segments of the
 * quarter before its as-at date). Each entry names national moderation as the body, `reference`
 * as its reference, no decision, and keeps the assessment it rests on; each is audited as
 * `segment.adopted`. The local operator's only (the `system` actor): it bypasses routing.
 */
import { z } from "zod";
import type { CalendarDate } from "../../domain/shared/dates.js";
import { judgementInputsOn } from "../../store/judgements.js";
import { insertSegmentEntry, organisationsWithSegmentBy } from "../../store/segment-history.js";
import { assess, isScoredRun } from "../assessment.js";
import { calendarDate, text } from "../input-schemas.js";
import { defineCommand } from "../kernel/command.js";
import { auditedEntry, snapshotOf } from "./assessment-snapshot.js";

export const SegmentationAdoption = z.object({ as_of: calendarDate, reference: text }).strict();

export const adoptSegmentation = defineCommand({
  name: "segment.adopt",
  input: SegmentationAdoption,
  action: "segment:adopt",
  resource: () => ({ type: "segment_history" }),
  prepare: async (ctx, _actor, { as_of }) => {
    const asOf = as_of as CalendarDate;
    const run = await assess(ctx, { asOf });
    const judgements = await judgementInputsOn(ctx.db, asOf);
    const proposals = isScoredRun(run)
      ? run.assessments.map((a) => [a.organisation.code, a.final_segment] as const)
      : run.assessments.map((a) => [a.organisation.code, a.proposed_segment] as const);
    return { run, judgements, proposals };
  },
  run: async ({ tx, actor, input, prepared: { run, judgements, proposals }, audit }) => {
    const decided = await organisationsWithSegmentBy(tx, input.as_of);
    let adopted = 0;
    for (const [org, segment] of proposals) {
      if (segment === null || decided.has(org)) continue;
      const entry = await insertSegmentEntry(tx, {
        org_code: org,
        segment,
        effective_from: input.as_of,
        deciding_body: "national_moderation",
        decision_id: null,
        decision_reference: input.reference,
        framework_id: run.framework.id,
        data_as_at: input.as_of,
        assessment_snapshot: snapshotOf(run, org, judgements.get(org) ?? []),
        recorded_by: actor.user,
      });
      await audit({
        action: "segment.adopted",
        entity_type: "segment_history",
        entity_id: String(entry.id),
        before: null,
        after: auditedEntry(entry),
      });
      adopted++;
    }
    return { adopted, framework_id: run.framework.id };
  },
});
