/**
 * Use cases of enforcement events (DOMAIN §10): record one — a step or outcome of enforcement
 * action, with its date, reference and confidentiality — and list an organisation's as the actor
 * may see them. Each event triggers an immediate review of the segment (DOMAIN §7; the review
 * schedule reads them in services/reviews.ts). Records are append-only and audited.
 */
import { z } from "zod";
import {
  ENFORCEMENT_EVENT_KINDS,
  type EnforcementEventKind,
} from "../domain/enforcement/events.js";
import type { CalendarDate } from "../domain/shared/dates.js";
import { CONFIDENTIALITY_LEVELS, type Confidentiality } from "../ingest/bundle.js";
import { auditActor, authorise, maySee, type WorkflowActor } from "./authorise.js";
import type { ServiceContext } from "./context.js";
import { calendarDate, text } from "./input-schemas.js";
import { inWorkflowTransaction, organisationOn, orgCodeArgument, parse } from "./workflow.js";

export interface EnforcementEventRecord {
  id: number;
  org_code: string;
  kind: EnforcementEventKind;
  occurred_on: CalendarDate;
  reference: string | null;
  summary: string;
  confidentiality: Confidentiality;
  recorded_by: string;
}

const COLUMNS = `id::int AS id, org_code, kind, occurred_on, reference, summary, confidentiality,
  recorded_by`;

export const NewEnforcementEvent = z
  .object({
    org_code: text,
    kind: z.enum(ENFORCEMENT_EVENT_KINDS),
    occurred_on: calendarDate,
    reference: text.nullable().optional(),
    summary: text,
    confidentiality: z.enum(CONFIDENTIALITY_LEVELS).default("official_sensitive"),
  })
  .strict();

export async function recordEnforcementEvent(
  ctx: ServiceContext,
  actor: WorkflowActor,
  input: z.input<typeof NewEnforcementEvent>,
): Promise<EnforcementEventRecord> {
  const e = parse(NewEnforcementEvent, input);
  await authorise(ctx, actor, "enforcement:record", {
    type: "enforcement_event",
    org_code: e.org_code,
  });
  await organisationOn(ctx, e.org_code, e.occurred_on);
  return inWorkflowTransaction(ctx, async (tx, audit) => {
    const [row] = await tx.query<EnforcementEventRecord>(
      `INSERT INTO enforcement_events
         (org_code, kind, occurred_on, reference, summary, confidentiality, recorded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [
        e.org_code,
        e.kind,
        e.occurred_on,
        e.reference ?? null,
        e.summary,
        e.confidentiality,
        actor.user,
      ],
    );
    await audit({
      actor: auditActor(actor),
      action: "enforcement_event.recorded",
      entity_type: "enforcement_event",
      entity_id: String(row!.id),
      before: null,
      after: row,
    });
    return row!;
  });
}

/** An organisation's enforcement events, oldest first, only those the actor may see. */
export async function listEnforcementEvents(
  ctx: ServiceContext,
  actor: WorkflowActor,
  orgCode: string,
): Promise<EnforcementEventRecord[]> {
  orgCodeArgument(orgCode);
  await authorise(ctx, actor, "enforcement:read", {
    type: "enforcement_event",
    org_code: orgCode,
  });
  const rows = await ctx.db.query<EnforcementEventRecord>(
    `SELECT ${COLUMNS} FROM enforcement_events WHERE org_code = $1 ORDER BY occurred_on, id`,
    [orgCode],
  );
  return rows.filter((r) => maySee(actor, r.confidentiality));
}
