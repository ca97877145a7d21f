/**
 * The audit log in the store: appends an event to the hash chain inside the caller's
 * transaction, and reads the chain back for verification. SHA-256 lives here because the
 * domain (src/domain/workflow/audit-chain.ts) does no I/O and imports no node: modules.
 */
import { createHash } from "node:crypto";
import {
  chainEvent,
  verifyChain,
  type AuditEvent,
  type ChainAnchor,
  type ChainVerdict,
  type JsonValue,
} from "../domain/workflow/audit-chain.js";
import type { Database, Queryable, Transaction } from "./database.js";

export const sha256Hex = (text: string): string =>
  createHash("sha256").update(text, "utf8").digest("hex");

// Serialises appends on a PostgreSQL server so two transactions never link to the same event.
const AUDIT_CHAIN_LOCK = 7_411_004;

export interface NewAuditEvent {
  actor: JsonValue;
  action: string;
  entity_type: string;
  entity_id: string;
  before: unknown;
  after: unknown;
}

/** What jsonb gives back: the value as JSON would carry it (undefined dropped, dates as text). */
function asJson(value: unknown): JsonValue {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as JsonValue);
}

const COLUMNS = `seq, occurred_at, actor, action, entity_type, entity_id, before, after, prev_hash, hash`;

/** Takes the chain's lock for the rest of the transaction (PostgreSQL; PGlite has one writer). */
export async function lockAuditChain(
  tx: Transaction,
  engine: "pglite" | "postgres",
): Promise<void> {
  if (engine === "postgres") await tx.query("SELECT pg_advisory_xact_lock($1)", [AUDIT_CHAIN_LOCK]);
}

/**
 * Runs `work` in one transaction holding the chain's lock, with `audit` to append its events
 * before the commit: a change and its audit events are written together or not at all.
 */
export async function inAuditedTransaction<T>(
  db: Database,
  work: (tx: Transaction, audit: (event: NewAuditEvent) => Promise<void>) => Promise<T>,
): Promise<T> {
  return db.transaction(async (tx) => {
    await lockAuditChain(tx, db.engine);
    return work(tx, async (event) => {
      await appendAuditEvent(tx, event);
    });
  });
}

/**
 * Appends one event, in `tx`. The caller must hold the chain's lock (`lockAuditChain`) so the
 * read of the last event and the insert are not interleaved with another writer.
 */
export async function appendAuditEvent(
  tx: Queryable,
  event: NewAuditEvent,
  occurredAt: Date = new Date(),
): Promise<AuditEvent> {
  const [last] = await tx.query<{ seq: number; hash: string }>(
    "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1",
  );
  const chained = chainEvent(
    {
      // Millisecond precision: what a timestamptz read back through the adapters gives.
      occurred_at: occurredAt.toISOString(),
      actor: asJson(event.actor),
      action: event.action,
      entity_type: event.entity_type,
      entity_id: event.entity_id,
      before: asJson(event.before),
      after: asJson(event.after),
    },
    last,
    sha256Hex,
  );
  await tx.query(
    `INSERT INTO audit_events (${COLUMNS})
     VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7::jsonb, $8::jsonb, $9, $10)`,
    [
      chained.seq,
      chained.occurred_at,
      JSON.stringify(chained.actor),
      chained.action,
      chained.entity_type,
      chained.entity_id,
      JSON.stringify(chained.before),
      JSON.stringify(chained.after),
      chained.prev_hash,
      chained.hash,
    ],
  );
  return chained;
}

export async function readAuditEvents(
  db: Queryable,
  filter: { entity_type?: string; entity_id?: string } = {},
): Promise<AuditEvent[]> {
  return db.query<AuditEvent>(
    `SELECT ${COLUMNS} FROM audit_events
      WHERE ($1::text IS NULL OR entity_type = $1) AND ($2::text IS NULL OR entity_id = $2)
      ORDER BY seq`,
    [filter.entity_type ?? null, filter.entity_id ?? null],
  );
}

/** Recomputes the whole chain from the stored events. */
export async function verifyAuditChain(db: Queryable, anchor?: ChainAnchor): Promise<ChainVerdict> {
  return verifyChain(await readAuditEvents(db), sha256Hex, anchor);
}
