/** The enforcement events repository (DOMAIN §10): append-only, each with its confidentiality. */
import type { Confidentiality } from "../domain/access/policy.js";
import type { EnforcementEventKind } from "../domain/enforcement/events.js";
import type { Queryable } from "./database.js";

export interface EnforcementEventRecord {
  id: number;
  org_code: string;
  kind: EnforcementEventKind;
  occurred_on: string;
  reference: string | null;
  summary: string;
  confidentiality: Confidentiality;
  recorded_by: string;
}

const COLUMNS = `id::int AS id, org_code, kind, occurred_on, reference, summary, confidentiality,
  recorded_by`;

export async function insertEnforcementEvent(
  tx: Queryable,
  e: Omit<EnforcementEventRecord, "id">,
): Promise<EnforcementEventRecord> {
  const [row] = await tx.query<EnforcementEventRecord>(
    `INSERT INTO enforcement_events
       (org_code, kind, occurred_on, reference, summary, confidentiality, recorded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
    [e.org_code, e.kind, e.occurred_on, e.reference, e.summary, e.confidentiality, e.recorded_by],
  );
  return row!;
}

/** An organisation's enforcement events, oldest first. */
export async function findEnforcementEvents(
  db: Queryable,
  orgCode: string,
): Promise<EnforcementEventRecord[]> {
  return db.query<EnforcementEventRecord>(
    `SELECT ${COLUMNS} FROM enforcement_events WHERE org_code = $1 ORDER BY occurred_on, id`,
    [orgCode],
  );
}
