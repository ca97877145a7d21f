/**
 * The judgements repository (DOMAIN §5): judgement inputs with their author, date and end.
 * A judgement is ended, never deleted.
 */
import type { Confidentiality } from "../domain/access/policy.js";
import type { JudgementKind } from "../domain/frameworks/schema.js";
import type { Queryable } from "./database.js";

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

/** A judgement as an assessment snapshot quotes it. */
export interface JudgementInput {
  id: number;
  kind: string;
  summary: string;
  recorded_by: string;
  recorded_on: string;
}

const COLUMNS =
  "id, org_code, kind, summary, theme, recorded_by, recorded_on, ends_on, confidentiality";

/** SQL: the judgement is in effect on the date in `param`. */
const IN_EFFECT = (param: string) =>
  `recorded_on <= ${param} AND (ends_on IS NULL OR ends_on > ${param})`;

export async function insertJudgement(
  tx: Queryable,
  j: Omit<JudgementRecord, "id" | "ends_on">,
): Promise<JudgementRecord> {
  const [row] = await tx.query<JudgementRecord>(
    `INSERT INTO judgements (org_code, kind, summary, theme, recorded_by, recorded_on, confidentiality)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
    [j.org_code, j.kind, j.summary, j.theme, j.recorded_by, j.recorded_on, j.confidentiality],
  );
  return row!;
}

export async function findJudgement(
  db: Queryable,
  id: number,
): Promise<JudgementRecord | undefined> {
  const [row] = await db.query<JudgementRecord>(`SELECT ${COLUMNS} FROM judgements WHERE id = $1`, [
    id,
  ]);
  return row;
}

/** Every judgement, or one organisation's, by organisation then date. */
export async function findJudgements(
  db: Queryable,
  orgCode: string | undefined,
): Promise<JudgementRecord[]> {
  return db.query<JudgementRecord>(
    `SELECT ${COLUMNS} FROM judgements WHERE $1::text IS NULL OR org_code = $1
      ORDER BY org_code, recorded_on, id`,
    [orgCode ?? null],
  );
}

/** Ends a judgement still open and recorded on or before `endsOn`; undefined otherwise. */
export async function closeJudgement(
  tx: Queryable,
  id: number,
  endsOn: string,
): Promise<JudgementRecord | undefined> {
  const [row] = await tx.query<JudgementRecord>(
    `UPDATE judgements SET ends_on = $2
      WHERE id = $1 AND ends_on IS NULL AND recorded_on <= $2 RETURNING ${COLUMNS}`,
    [id, endsOn],
  );
  return row;
}

/** The ids of `ids` that are judgements of `orgCode`. */
export async function judgementIdsOf(
  db: Queryable,
  orgCode: string,
  ids: number[],
): Promise<number[]> {
  const rows = await db.query<{ id: number }>(
    "SELECT id FROM judgements WHERE org_code = $1 AND id = ANY($2::bigint[])",
    [orgCode, ids],
  );
  return rows.map((r) => r.id);
}

/** Whether a judgement of licence breach evidence about `orgCode` is in effect on `date`. */
export async function hasLicenceBreachEvidenceOn(
  db: Queryable,
  orgCode: string,
  date: string,
): Promise<boolean> {
  const [row] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM judgements
      WHERE org_code = $1 AND kind = 'licence_breach_evidence' AND ${IN_EFFECT("$2")}`,
    [orgCode, date],
  );
  return (row?.n ?? 0) > 0;
}

/** The judgements in effect on `asOf`, by organisation (one, or every one). */
export async function judgementInputsOn(
  db: Queryable,
  asOf: string,
  orgCode?: string,
): Promise<Map<string, JudgementInput[]>> {
  const rows = await db.query<JudgementInput & { org_code: string }>(
    `SELECT org_code, id, kind, summary, recorded_by, recorded_on FROM judgements
      WHERE ($1::text IS NULL OR org_code = $1) AND ${IN_EFFECT("$2")}
      ORDER BY recorded_on, id`,
    [orgCode ?? null, asOf],
  );
  const byOrg = new Map<string, JudgementInput[]>();
  for (const { org_code, ...j } of rows) byOrg.set(org_code, [...(byOrg.get(org_code) ?? []), j]);
  return byOrg;
}
