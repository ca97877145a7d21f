/**
 * Use case: record judgement inputs (DOMAIN §5) — facts with an author and a date that the
 * assessment reads and never infers. A judgement is ended, never deleted.
 */
import { z } from "zod";
import { CONFIDENTIALITY_LEVELS } from "../domain/access/policy.js";
import { JUDGEMENT_KINDS } from "../domain/frameworks/schema.js";
import {
  closeJudgement,
  findJudgement,
  findJudgements,
  insertJudgement,
  type JudgementRecord,
} from "../store/judgements.js";
import { findOrganisationLifespan } from "../store/organisations.js";
import { authorise, maySee, scopeFilter, type WorkflowActor } from "./authorise.js";
import type { ServiceContext } from "./context.js";
import { ForbiddenError, InvalidInputError, NotFoundError, type FieldProblem } from "./errors.js";
import { calendarDate, storable, UNSTORABLE_MESSAGE } from "./input-schemas.js";
import { defineCommand } from "./kernel/command.js";
import { notOpenOn } from "./organisations.js";

export type { JudgementRecord } from "../store/judgements.js";

export const NewJudgement = z
  .object({
    org_code: z.string().min(1).refine(storable, UNSTORABLE_MESSAGE),
    kind: z.enum(JUDGEMENT_KINDS),
    summary: z.string().trim().min(1, "must not be empty").refine(storable, UNSTORABLE_MESSAGE),
    theme: z.string().min(1).refine(storable, UNSTORABLE_MESSAGE).nullable().default(null),
    // The engine refuses a judgement without an author, so a blank one must not be stored.
    recorded_by: z.string().trim().min(1, "must not be empty").refine(storable, UNSTORABLE_MESSAGE),
    recorded_on: calendarDate,
    confidentiality: z.enum(CONFIDENTIALITY_LEVELS).default("official_sensitive"),
  })
  .strict();

/** A refused judgement; `fields` names the input fields at fault, where there are any. */
export class JudgementError extends InvalidInputError {
  constructor(message: string, fields: FieldProblem[] = []) {
    super(message, fields);
    this.name = "JudgementError";
  }
}

/** A judgement's bad input is a JudgementError; refusals and missing records stay as they are. */
function asJudgementError(error: unknown): unknown {
  if (error instanceof JudgementError || error instanceof ForbiddenError) return error;
  // A missing judgement is answered as one outside the caller's scope is (docs/access.md): 404.
  if (error instanceof NotFoundError) return error;
  if (error instanceof InvalidInputError) return new JudgementError(error.message, error.fields);
  return error;
}

/** Records a judgement, if `actor` may record one for the organisation (docs/access.md). */
export const recordJudgementCommand = defineCommand({
  name: "judgement.record",
  input: NewJudgement,
  action: "judgement:record",
  resource: (j) => ({ type: "judgement", org_code: j.org_code }),
  clearance: (j) => [j.confidentiality],
  prepare: async (ctx, _actor, j) => {
    const org = await findOrganisationLifespan(ctx.db, j.org_code);
    if (!org)
      throw new JudgementError(`unknown organisation ${j.org_code}`, [
        { path: "org_code", message: `unknown organisation ${j.org_code}` },
      ]);
    // A judgement about an organisation on a day it did not exist is never read: refuse it.
    const closed = notOpenOn(org, j.recorded_on);
    if (closed) throw new JudgementError(closed, [{ path: "recorded_on", message: closed }]);
    const themes = new Set(ctx.frameworks.versions.flatMap((f) => f.themes.map((t) => t.id)));
    if (j.theme !== null && !themes.has(j.theme))
      throw new JudgementError(`unknown theme ${j.theme}`, [
        { path: "theme", message: `unknown theme ${j.theme}` },
      ]);
  },
  run: async ({ tx, input: j, audit }) => {
    const row = await insertJudgement(tx, j);
    await audit({
      action: "judgement.recorded",
      entity_type: "judgement",
      entity_id: String(row.id),
      before: null,
      after: row,
    });
    return row;
  },
  mapError: asJudgementError,
});

export const JudgementEnd = z.object({ id: z.number().int(), ends_on: calendarDate }).strict();

export const endJudgementCommand = defineCommand({
  name: "judgement.end",
  input: JudgementEnd,
  action: "judgement:end",
  resource: (e) => ({ type: "judgement", id: String(e.id) }),
  load: async (ctx, e) => {
    const found = await findJudgement(ctx.db, e.id);
    if (!found) throw new NotFoundError(`no judgement ${e.id}`);
    return found;
  },
  locate: (found) => ({ org_code: found.org_code }),
  run: async ({ tx, input: e, loaded: found, audit }) => {
    const row = await closeJudgement(tx, e.id, e.ends_on);
    if (!row)
      throw new JudgementError(
        `judgement ${e.id} has already ended, or was recorded after ${e.ends_on}`,
      );
    await audit({
      action: "judgement.ended",
      entity_type: "judgement",
      entity_id: String(row.id),
      before: found,
      after: row,
    });
    return row;
  },
  mapError: asJudgementError,
});

export function recordJudgement(
  ctx: ServiceContext,
  input: z.input<typeof NewJudgement>,
  actor: WorkflowActor,
): Promise<JudgementRecord> {
  return recordJudgementCommand(ctx, actor, input);
}

export function endJudgement(
  ctx: ServiceContext,
  id: number,
  endsOn: string,
  actor: WorkflowActor,
): Promise<JudgementRecord> {
  return endJudgementCommand(ctx, actor, { id, ends_on: endsOn });
}

/** The judgements recorded (of one organisation) that `actor` may see: scope and clearance. */
export async function listJudgements(
  ctx: ServiceContext,
  orgCode: string | undefined,
  actor: WorkflowActor,
): Promise<JudgementRecord[]> {
  await authorise(ctx, actor, "judgement:read", {
    type: "judgement",
    ...(orgCode !== undefined ? { org_code: orgCode } : {}),
  });
  const visible = await scopeFilter(ctx, actor, "judgement:read");
  const rows = await findJudgements(ctx.db, orgCode);
  return rows.filter((j) => visible(j.org_code) && maySee(actor, j.confidentiality));
}
