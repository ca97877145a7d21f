/**
 * Use case: record judgement inputs (DOMAIN §5) — facts with an author and a date that the
 * assessment reads and never infers. A judgement is ended, never deleted.
 */
import { z } from "zod";
import { JUDGEMENT_KINDS, type JudgementKind } from "../domain/frameworks/schema.js";
import { isCalendarDate } from "../domain/shared/dates.js";
import { CONFIDENTIALITY_LEVELS, type Confidentiality } from "../ingest/bundle.js";
import { inAuditedTransaction } from "../store/audit.js";
import type { Transaction } from "../store/database.js";
import {
  auditActor,
  authorise,
  maySee,
  authoriseLevel,
  scopeFilter,
  type WorkflowActor,
} from "./authorise.js";
import type { ServiceContext } from "./context.js";
import { InvalidInputError, NotFoundError, type FieldProblem } from "./errors.js";
import { calendarDate, storable, UNSTORABLE_MESSAGE } from "./input-schemas.js";

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

export interface JudgementRecord {
  id: number;
  org_code: string;
  kind: JudgementKind;
  summary: string;
  theme: string | null;
  recorded_by: string;
  recorded_on: string;
  ends_on: string | null;
  confidentiality: Confidentiality;
}

const COLUMNS =
  "id, org_code, kind, summary, theme, recorded_by, recorded_on, ends_on, confidentiality";

/** Runs one change to a judgement and appends its audit event in the same transaction. */
async function audited(
  ctx: ServiceContext,
  actor: WorkflowActor,
  action: string,
  before: JudgementRecord | null,
  change: (tx: Transaction) => Promise<JudgementRecord>,
): Promise<JudgementRecord> {
  return inAuditedTransaction(ctx.db, async (tx, audit) => {
    const after = await change(tx);
    await audit({
      actor: auditActor(actor),
      action,
      entity_type: "judgement",
      entity_id: String(after.id),
      before,
      after,
    });
    return after;
  });
}

/** A refused judgement; `fields` names the input fields at fault, where there are any. */
export class JudgementError extends InvalidInputError {
  constructor(message: string, fields: FieldProblem[] = []) {
    super(message, fields);
    this.name = "JudgementError";
  }
}

/** Records a judgement, if `actor` may record one for the organisation (Issue 6). */
export async function recordJudgement(
  ctx: ServiceContext,
  input: z.input<typeof NewJudgement>,
  actor: WorkflowActor,
): Promise<JudgementRecord> {
  const parsed = NewJudgement.safeParse(input);
  if (!parsed.success)
    throw new JudgementError(
      parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; "),
      parsed.error.issues.map((i) => ({ path: i.path.join(".") || "input", message: i.message })),
    );
  const j = parsed.data;
  await authorise(ctx, actor, "judgement:record", { type: "judgement", org_code: j.org_code });
  await authoriseLevel(
    ctx,
    actor,
    "judgement:record",
    { type: "judgement", org_code: j.org_code },
    j.confidentiality,
  );
  const [org] = await ctx.db.query<{ open_date: string; close_date: string | null }>(
    "SELECT open_date, close_date FROM organisations WHERE code = $1 AND superseded_at IS NULL",
    [j.org_code],
  );
  if (!org)
    throw new JudgementError(`unknown organisation ${j.org_code}`, [
      { path: "org_code", message: `unknown organisation ${j.org_code}` },
    ]);
  // A judgement about an organisation on a day it did not exist is never read: refuse it.
  if (
    j.recorded_on < org.open_date ||
    (org.close_date !== null && j.recorded_on > org.close_date)
  ) {
    const message = `${j.org_code} was not open on ${j.recorded_on} (open ${org.open_date} to ${org.close_date ?? "now"})`;
    throw new JudgementError(message, [{ path: "recorded_on", message }]);
  }
  const themes = new Set(ctx.frameworks.versions.flatMap((f) => f.themes.map((t) => t.id)));
  if (j.theme !== null && !themes.has(j.theme))
    throw new JudgementError(`unknown theme ${j.theme}`, [
      { path: "theme", message: `unknown theme ${j.theme}` },
    ]);
  return audited(ctx, actor, "judgement.recorded", null, async (tx) => {
    const [row] = await tx.query<JudgementRecord>(
      `INSERT INTO judgements (org_code, kind, summary, theme, recorded_by, recorded_on, confidentiality)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [j.org_code, j.kind, j.summary, j.theme, j.recorded_by, j.recorded_on, j.confidentiality],
    );
    return row!;
  });
}

export async function endJudgement(
  ctx: ServiceContext,
  id: number,
  endsOn: string,
  actor: WorkflowActor,
): Promise<JudgementRecord> {
  if (!isCalendarDate(endsOn)) throw new JudgementError("ends_on: must be a date YYYY-MM-DD");
  await authorise(ctx, actor, "judgement:end", { type: "judgement", id: String(id) });
  const [found] = await ctx.db.query<JudgementRecord>(
    `SELECT ${COLUMNS} FROM judgements WHERE id = $1`,
    [id],
  );
  // Issue 20: answered as a judgement outside the caller's scope is (authorise: missingRecord).
  if (!found) throw new NotFoundError(`no judgement ${id}`);
  await authorise(ctx, actor, "judgement:end", {
    type: "judgement",
    id: String(id),
    org_code: found.org_code,
  });
  return audited(ctx, actor, "judgement.ended", found, async (tx) => {
    const [row] = await tx.query<JudgementRecord>(
      `UPDATE judgements SET ends_on = $2
        WHERE id = $1 AND ends_on IS NULL AND recorded_on <= $2 RETURNING ${COLUMNS}`,
      [id, endsOn],
    );
    if (!row)
      throw new JudgementError(
        `judgement ${id} has already ended, or was recorded after ${endsOn}`,
      );
    return row;
  });
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
  const rows = await ctx.db.query<JudgementRecord>(
    `SELECT ${COLUMNS} FROM judgements WHERE $1::text IS NULL OR org_code = $1 ORDER BY org_code, recorded_on, id`,
    [orgCode ?? null],
  );
  return rows.filter((j) => visible(j.org_code) && maySee(actor, j.confidentiality));
}
