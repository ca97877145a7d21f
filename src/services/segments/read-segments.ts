/**
 * The segments decided for an organisation (DOMAIN §12): the one in effect on a date, the whole
 * history with the snapshot each rested on, and — where none has been decided — the engine's
 * proposal, shown only to those who may read assessments.
 */
import { isCalendarDate, type CalendarDate } from "../../domain/shared/dates.js";
import {
  findSegmentHistory,
  findSegmentOn,
  type SegmentHistoryEntry,
} from "../../store/segment-history.js";
import { findPlacement } from "../../store/organisations.js";
import { proposedSegment } from "../assessment.js";
import { authorise, permitted, type WorkflowActor } from "../authorise.js";
import type { ServiceContext } from "../context.js";
import { InvalidInputError, NotFoundError } from "../errors.js";
import { orgCodeArgument } from "../input-schemas.js";

/** The segment decided for `orgCode` in effect on `asOf`, or null if none has been decided. */
export async function currentSegment(
  ctx: ServiceContext,
  actor: WorkflowActor,
  orgCode: string,
  asOf: CalendarDate,
): Promise<SegmentHistoryEntry | null> {
  orgCodeArgument(orgCode);
  await authorise(ctx, actor, "segment:read", { type: "segment_history", org_code: orgCode });
  if (!isCalendarDate(asOf))
    throw new InvalidInputError(`as_of: must be a date YYYY-MM-DD, not "${asOf}"`);
  return (await findSegmentOn(ctx.db, orgCode, asOf)) ?? null;
}

/** Every segment decided for `orgCode`, oldest first, each with the snapshot it rested on. */
export async function segmentHistory(
  ctx: ServiceContext,
  actor: WorkflowActor,
  orgCode: string,
): Promise<SegmentHistoryEntry[]> {
  orgCodeArgument(orgCode);
  await authorise(ctx, actor, "segment_history:read", {
    type: "segment_history",
    org_code: orgCode,
  });
  // "No decisions recorded" is a statement about an organisation: one the registry holds.
  if (!(await findPlacement(ctx.db, orgCode)))
    throw new NotFoundError(`unknown organisation ${orgCode}`);
  return findSegmentHistory(ctx.db, orgCode);
}

/** The segment of an organisation on a date, decided or (where none is) proposed. */
export interface SegmentOnDate {
  segment: 1 | 2 | 3 | 4 | 5 | null;
  /** `decided`: the history's entry in effect; `proposed`: the engine's, which is no decision. */
  basis: "decided" | "proposed";
  framework_id: string;
  as_of: string;
  sentence: string;
  decision: { effective_from: string; deciding_body: string; decision_reference: string } | null;
}

/**
 * The segment decided in effect on `asOf`; failing that, the engine's proposal, marked so — which
 * is not published: null for those who may not read assessments (docs/access.md).
 */
export async function segmentOn(
  ctx: ServiceContext,
  actor: WorkflowActor,
  code: string,
  asOf: CalendarDate,
): Promise<SegmentOnDate | null> {
  const decided = await currentSegment(ctx, actor, code, asOf);
  if (decided)
    return {
      segment: decided.segment,
      basis: "decided",
      framework_id: decided.framework_id,
      as_of: asOf,
      sentence: `Segment ${decided.segment} from ${decided.effective_from}, decided by ${decided.deciding_body} (${decided.decision_reference}).`,
      decision: {
        effective_from: decided.effective_from,
        deciding_body: decided.deciding_body,
        decision_reference: decided.decision_reference,
      },
    };
  if (!(await permitted(ctx, actor, "assessment:read", code))) return null;
  const proposed = await proposedSegment(ctx, code, asOf, actor);
  return proposed && { ...proposed, basis: "proposed", decision: null };
}
