/**
 * Use case: record judgement inputs (DOMAIN §5) — facts with an author and a date that the
 * assessment reads and never infers. A judgement is ended, never deleted.
 */
import { z } from "zod";
import { JUDGEMENT_KINDS, type JudgementKind } from "../domain/frameworks/schema.js";
import { isCalendarDate } from "../domain/shared/dates.js";
import { CONFIDENTIALITY_LEVELS, type Confidentiality } from "../ingest/bundle.js";
import type { ServiceContext } from "./context.js";

const calendarDate = z.string().refine(isCalendarDate, "must be a date YYYY-MM-DD");

export const NewJudgement = z
  .object({
    org_code: z.string().min(1),
    kind: z.enum(JUDGEMENT_KINDS),
    summary: z.string().trim().min(1, "must not be empty"),
    theme: z.string().min(1).nullable().default(null),
    // The engine refuses a judgement without an author, so a blank one must not be stored.
    recorded_by: z.string().trim().min(1, "must not be empty"),
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

export class JudgementError extends Error {}

export async function recordJudgement(
  ctx: ServiceContext,
  input: z.input<typeof NewJudgement>,
): Promise<JudgementRecord> {
  const parsed = NewJudgement.safeParse(input);
  if (!parsed.success)
    throw new JudgementError(
      parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; "),
    );
  const j = parsed.data;
  const [org] = await ctx.db.query<{ open_date: string; close_date: string | null }>(
    "SELECT open_date, close_date FROM organisations WHERE code = $1 AND superseded_at IS NULL",
    [j.org_code],
  );
  if (!org) throw new JudgementError(`unknown organisation ${j.org_code}`);
  // A judgement about an organisation on a day it did not exist is never read: refuse it.
  if (j.recorded_on < org.open_date || (org.close_date !== null && j.recorded_on > org.close_date))
    throw new JudgementError(
      `${j.org_code} was not open on ${j.recorded_on} (open ${org.open_date} to ${org.close_date ?? "now"})`,
    );
  const themes = new Set(ctx.frameworks.versions.flatMap((f) => f.themes.map((t) => t.id)));
  if (j.theme !== null && !themes.has(j.theme))
    throw new JudgementError(`unknown theme ${j.theme}`);
  const [row] = await ctx.db.query<JudgementRecord>(
    `INSERT INTO judgements (org_code, kind, summary, theme, recorded_by, recorded_on, confidentiality)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     RETURNING id, org_code, kind, summary, theme, recorded_by, recorded_on, ends_on, confidentiality`,
    [j.org_code, j.kind, j.summary, j.theme, j.recorded_by, j.recorded_on, j.confidentiality],
  );
  return row!;
}

export async function endJudgement(
  ctx: ServiceContext,
  id: number,
  endsOn: string,
): Promise<JudgementRecord> {
  if (!isCalendarDate(endsOn)) throw new JudgementError("ends_on: must be a date YYYY-MM-DD");
  const [row] = await ctx.db.query<JudgementRecord>(
    `UPDATE judgements SET ends_on = $2
      WHERE id = $1 AND ends_on IS NULL AND recorded_on <= $2
      RETURNING id, org_code, kind, summary, theme, recorded_by, recorded_on, ends_on, confidentiality`,
    [id, endsOn],
  );
  if (!row)
    throw new JudgementError(
      `judgement ${id} does not exist, has already ended, or was recorded after ${endsOn}`,
    );
  return row;
}

export async function listJudgements(
  ctx: ServiceContext,
  orgCode?: string,
): Promise<JudgementRecord[]> {
  return ctx.db.query<JudgementRecord>(
    `SELECT id, org_code, kind, summary, theme, recorded_by, recorded_on, ends_on, confidentiality
       FROM judgements WHERE $1::text IS NULL OR org_code = $1 ORDER BY org_code, recorded_on, id`,
    [orgCode ?? null],
  );
}
