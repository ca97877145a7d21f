/**
 * Use cases of enforcement events (DOMAIN §10): record one — a step or outcome of enforcement
 * action, with its date, reference and confidentiality — and list an organisation's as the actor
 * may see them. Each event triggers an immediate review of the segment (DOMAIN §7; the review
 * schedule reads them in services/reviews.ts). Records are append-only and audited.
 */
import { z } from "zod";
import { CONFIDENTIALITY_LEVELS } from "../domain/access/policy.js";
import { ENFORCEMENT_EVENT_KINDS } from "../domain/enforcement/events.js";
import {
  findEnforcementEvents,
  insertEnforcementEvent,
  type EnforcementEventRecord,
} from "../store/enforcement-events.js";
import { authorise, maySee, type WorkflowActor } from "./authorise.js";
import type { ServiceContext } from "./context.js";
import { calendarDate, orgCodeArgument, text } from "./input-schemas.js";
import { defineCommand } from "./kernel/command.js";
import { organisationOpenOn } from "./organisations.js";

export type { EnforcementEventRecord } from "../store/enforcement-events.js";

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

export const recordEnforcementEvent = defineCommand({
  name: "enforcement_event.record",
  input: NewEnforcementEvent,
  action: "enforcement:record",
  resource: (e) => ({ type: "enforcement_event", org_code: e.org_code }),
  prepare: async (ctx, _actor, e) => {
    await organisationOpenOn(ctx, e.org_code, e.occurred_on);
  },
  run: async ({ tx, actor, input: e, audit }) => {
    const row = await insertEnforcementEvent(tx, {
      ...e,
      reference: e.reference ?? null,
      recorded_by: actor.user,
    });
    await audit({
      action: "enforcement_event.recorded",
      entity_type: "enforcement_event",
      entity_id: String(row.id),
      before: null,
      after: row,
    });
    return row;
  },
});

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
  const rows = await findEnforcementEvents(ctx.db, orgCode);
  return rows.filter((r) => maySee(actor, r.confidentiality));
}
