/**
 * The segment history repository (DOMAIN §12): every segment decided or adopted for an
 * organisation, each with the assessment snapshot it rested on. Append-only.
 */
import type { DecisionBody, WorkflowSegment } from "../domain/workflow/index.js";
import type { Queryable } from "./database.js";

export interface AssessmentSnapshot {
  framework: { id: string; short_name: string };
  as_of: string;
  proposed_segment: number | null;
  criteria_fired: { id: string; label: string; sentence: string }[];
  judgement_inputs: {
    id: number;
    kind: string;
    summary: string;
    recorded_by: string;
    recorded_on: string;
  }[];
  /** The engine's full output for the organisation: explanation tree and paths. */
  explanation: unknown;
}

export interface SegmentHistoryEntry {
  id: number;
  org_code: string;
  segment: WorkflowSegment;
  effective_from: string;
  deciding_body: DecisionBody;
  decision_id: number | null;
  decision_reference: string;
  framework_id: string;
  data_as_at: string;
  assessment_snapshot: AssessmentSnapshot;
  recorded_by: string;
}

const HISTORY_COLUMNS = `id, org_code, segment, effective_from, deciding_body, decision_id,
  decision_reference, framework_id, data_as_at, assessment_snapshot, recorded_by`;

/** The entry in effect for `orgCode` on `asOf`: the latest effective on or before it. */
export async function findSegmentOn(
  db: Queryable,
  orgCode: string,
  asOf: string,
): Promise<SegmentHistoryEntry | undefined> {
  const [row] = await db.query<SegmentHistoryEntry>(
    `SELECT ${HISTORY_COLUMNS} FROM segment_history
      WHERE org_code = $1 AND effective_from <= $2
      ORDER BY effective_from DESC, id DESC LIMIT 1`,
    [orgCode, asOf],
  );
  return row;
}

/** Every entry of `orgCode`, oldest first. */
export async function findSegmentHistory(
  db: Queryable,
  orgCode: string,
): Promise<SegmentHistoryEntry[]> {
  return db.query<SegmentHistoryEntry>(
    `SELECT ${HISTORY_COLUMNS} FROM segment_history WHERE org_code = $1
      ORDER BY effective_from, id`,
    [orgCode],
  );
}

/** The organisations with a segment in effect on or before `asOf`. */
export async function organisationsWithSegmentBy(
  db: Queryable,
  asOf: string,
): Promise<Set<string>> {
  const rows = await db.query<{ org_code: string }>(
    "SELECT DISTINCT org_code FROM segment_history WHERE effective_from <= $1",
    [asOf],
  );
  return new Set(rows.map((r) => r.org_code));
}

export async function insertSegmentEntry(
  tx: Queryable,
  e: Omit<SegmentHistoryEntry, "id">,
): Promise<SegmentHistoryEntry> {
  const [row] = await tx.query<SegmentHistoryEntry>(
    `INSERT INTO segment_history (org_code, segment, effective_from, deciding_body, decision_id,
       decision_reference, framework_id, data_as_at, assessment_snapshot, recorded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10) RETURNING ${HISTORY_COLUMNS}`,
    [
      e.org_code,
      e.segment,
      e.effective_from,
      e.deciding_body,
      e.decision_id,
      e.decision_reference,
      e.framework_id,
      e.data_as_at,
      JSON.stringify(e.assessment_snapshot),
      e.recorded_by,
    ],
  );
  return row!;
}
