/**
 * The audit log in the store (docs/audit.md): appends events to the hash chain inside the
 * caller's transaction, anchors the chain's head outside the audit table, and reads the chain
 * back for verification. The cryptography lives here because the domain
 * (src/domain/workflow/audit-chain.ts) does no I/O and imports no node: modules.
 *
 * - Each event's hash is an HMAC-SHA-256, keyed with the audit key (OVERSIGHT_AUDIT_KEY, or the
 *   key file in the data folder, made on first start), over the event exactly as the database
 *   stores it (hash version 2). The database does not hold the key: someone with only database
 *   access can neither edit an event nor append one that checks out.
 * - After every audited transaction the new head (SEQ:HASH) is written to `audit_anchors` (in the
 *   transaction) and, once committed, appended to the anchor log file next to the data folder:
 *   deleting the newest events, or the whole log, no longer passes.
 * - An event may name the rows it wrote (`rows`); their content hash is recorded in the event and
 *   `audit verify --deep` recomputes it against the tables.
 */
import { createHash, createHmac, randomBytes } from "node:crypto";
import { appendFileSync, closeSync, existsSync, openSync, readFileSync, readSync } from "node:fs";
import { fstatSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  hashEvent,
  hashInputV2,
  verifyLinks,
  type AuditEvent,
  type ChainAnchor,
  type ChainVerdict,
  type JsonValue,
  type StoredEventText,
} from "../domain/workflow/audit-chain.js";
import type { Database, Queryable, Transaction } from "./database.js";

export const sha256Hex = (text: string): string =>
  createHash("sha256").update(text, "utf8").digest("hex");

// Serialises appends on a PostgreSQL server so two transactions never link to the same event.
const AUDIT_CHAIN_LOCK = 7_411_004;

/** Rows an event wrote: those of `table` whose `column` (default `id`) equals `value`. */
export interface AuditedRows {
  table: string;
  column?: string;
  value: string | number;
}

export interface NewAuditEvent {
  actor: JsonValue;
  action: string;
  entity_type: string;
  entity_id: string;
  before: unknown;
  after: unknown;
  /**
   * The rows this event wrote, read back at the end of the transaction: their content hash is
   * recorded in the event, and `audit verify --deep` names any that has changed since.
   */
  rows?: AuditedRows[];
}

// ---------------------------------------------------------------------------------------------
// The audit key and the anchor log

export interface AuditTrail {
  key: Buffer;
  /** False when no key is configured: the chain is then hashed with a published key. */
  keyed: boolean;
  /** Where the key came from, for `audit verify` to say. */
  keySource: string;
  /** The append-only anchor log file, or null (no data folder). */
  anchorFile: string | null;
}

export const AUDIT_KEY_FILE = "audit.key";
export const AUDIT_ANCHOR_FILE = "audit-anchors.log";

// Without a configured key the chain is still an HMAC, with this published key: it detects
// accidents, not a forger (docs/audit.md).
const UNKEYED = Buffer.from("oversight: no audit key configured", "utf8");

function keyFromEnv(env: NodeJS.ProcessEnv): Buffer | null {
  const text = env.OVERSIGHT_AUDIT_KEY;
  if (!text) return null;
  if (text.length < 32)
    throw new Error("OVERSIGHT_AUDIT_KEY must be at least 32 characters (e.g. 64 hex digits)");
  return Buffer.from(text, "utf8");
}

const DEFAULT_TRAIL = (): AuditTrail => {
  const key = keyFromEnv(process.env);
  return key
    ? { key, keyed: true, keySource: "OVERSIGHT_AUDIT_KEY", anchorFile: null }
    : { key: UNKEYED, keyed: false, keySource: "none configured", anchorFile: null };
};

/**
 * The audit trail of an installation whose data folder is `dataDir`: the key from
 * OVERSIGHT_AUDIT_KEY or `dataDir/audit.key` (made, readable by its owner only, when neither
 * exists), and the anchor log `dataDir/audit-anchors.log`.
 */
export function openAuditTrail(dataDir: string, env: NodeJS.ProcessEnv = process.env): AuditTrail {
  const anchorFile = join(dataDir, AUDIT_ANCHOR_FILE);
  const fromEnv = keyFromEnv(env);
  if (fromEnv) return { key: fromEnv, keyed: true, keySource: "OVERSIGHT_AUDIT_KEY", anchorFile };
  const keyFile = join(dataDir, AUDIT_KEY_FILE);
  if (!existsSync(keyFile)) {
    mkdirSync(dataDir, { recursive: true });
    try {
      writeFileSync(keyFile, `${randomBytes(32).toString("hex")}\n`, { mode: 0o600, flag: "wx" });
    } catch (error) {
      // Another process made it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  const key = readFileSync(keyFile, "utf8").trim();
  if (!/^[0-9a-f]{64}$/.test(key))
    throw new Error(`${keyFile} is not an audit key (64 hex digits): restore it from a backup`);
  return { key: Buffer.from(key, "hex"), keyed: true, keySource: keyFile, anchorFile };
}

const trails = new WeakMap<object, AuditTrail>();

/** Uses `trail` for every audited write through `db` (openServices sets it). */
export function useAuditTrail(db: Database, trail: AuditTrail): void {
  trails.set(db, trail);
}

export function auditTrailOf(db: Database): AuditTrail {
  return trails.get(db) ?? DEFAULT_TRAIL();
}

const hmac = (key: Buffer, text: string) => createHmac("sha256", key).update(text).digest("hex");

function appendAnchorFile(trail: AuditTrail, head: ChainAnchor): void {
  if (!trail.anchorFile) return;
  appendFileSync(trail.anchorFile, `${new Date().toISOString()} ${head.seq}:${head.hash}\n`);
}

/** The last anchor in the log file (its last line), read from the end: the file only grows. */
export function lastFileAnchor(file: string): ChainAnchor | null {
  if (!existsSync(file)) return null;
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, 4096);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    const lines = buffer.toString("utf8").trim().split("\n");
    const last = lines[lines.length - 1]?.split(" ")[1];
    return last ? parseHead(last) : null;
  } finally {
    closeSync(fd);
  }
}

function parseHead(text: string): ChainAnchor | null {
  const m = /^([1-9][0-9]{0,15}):([0-9a-f]{64})$/.exec(text.trim());
  return m ? { seq: Number(m[1]), hash: m[2] as string } : null;
}

// ---------------------------------------------------------------------------------------------
// Appending

/** Takes the chain's lock for the rest of the transaction (PostgreSQL; PGlite has one writer). */
export async function lockAuditChain(
  tx: Transaction,
  engine: "pglite" | "postgres",
): Promise<void> {
  if (engine === "postgres") await tx.query("SELECT pg_advisory_xact_lock($1)", [AUDIT_CHAIN_LOCK]);
}

/**
 * Runs `work` in one transaction holding the chain's lock, with `audit` to record its events:
 * they are appended when `work` has finished (so the rows they name are read as committed), the
 * new head is anchored, and a change and its audit events are written together or not at all.
 * `lockFirst: false` takes the lock only to append (a long import does not hold up the chain).
 */
export async function inAuditedTransaction<T>(
  db: Database,
  work: (tx: Transaction, audit: (event: NewAuditEvent) => Promise<void>) => Promise<T>,
  options: { lockFirst?: boolean } = {},
): Promise<T> {
  const trail = auditTrailOf(db);
  let head: ChainAnchor | null = null;
  const result = await db.transaction(async (tx) => {
    if (options.lockFirst !== false) await lockAuditChain(tx, db.engine);
    const events: NewAuditEvent[] = [];
    const value = await work(tx, async (event) => {
      events.push(event);
    });
    if (events.length === 0) return value;
    if (options.lockFirst === false) await lockAuditChain(tx, db.engine);
    let last: AuditEvent | undefined;
    for (const event of events) last = await appendAuditEvent(tx, event, new Date(), trail);
    head = { seq: last!.seq, hash: last!.hash };
    await tx.query("INSERT INTO audit_anchors (seq, hash) VALUES ($1, $2)", [head.seq, head.hash]);
    return value;
  });
  if (head) appendAnchorFile(trail, head);
  return result;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * The content hash of the rows `ref` names, as stored (each row's jsonb text, sorted; a row's
 * `superseded_at` is left out: a later import stamps it, audited in its own right).
 */
async function rowsHash(tx: Queryable, ref: AuditedRows): Promise<string> {
  const column = ref.column ?? "id";
  if (!IDENTIFIER.test(ref.table) || !IDENTIFIER.test(column))
    throw new Error(`not a table and column: ${ref.table}.${column}`);
  const [row] = await tx.query<{ hash: string }>(
    `SELECT encode(sha256(convert_to(coalesce(string_agg(r, E'\\n' ORDER BY r), ''), 'UTF8')), 'hex') AS hash
       FROM (SELECT (to_jsonb(t) - 'superseded_at')::text AS r FROM ${ref.table} t
              WHERE t.${column} = $1) rows`,
    [String(ref.value)],
  );
  return row!.hash;
}

const OCCURRED_AT_TEXT = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * Appends one event, in `tx`. The caller must hold the chain's lock (`lockAuditChain`) so the
 * read of the last event and the insert are not interleaved with another writer.
 */
export async function appendAuditEvent(
  tx: Queryable,
  event: NewAuditEvent,
  occurredAt: Date = new Date(),
  trail: AuditTrail = DEFAULT_TRAIL(),
): Promise<AuditEvent> {
  const [last] = await tx.query<{ seq: number; hash: string }>(
    "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1",
  );
  // One query at a time: a transaction is one connection, and pg refuses overlapping queries.
  let rowHashes: { table: string; column: string; value: string; sha256: string }[] | null = null;
  if (event.rows?.length) {
    rowHashes = [];
    for (const ref of event.rows)
      rowHashes.push({
        table: ref.table,
        column: ref.column ?? "id",
        value: String(ref.value),
        sha256: await rowsHash(tx, ref),
      });
  }
  // The text the database will store, so the hash covers exactly what is kept.
  const [stored] = await tx.query<Omit<StoredEventText, "seq" | "action" | "entity_type">>(
    `SELECT ${OCCURRED_AT_TEXT("$1::timestamptz")} AS occurred_at, $2::jsonb::text AS actor,
            $3::jsonb::text AS before, $4::jsonb::text AS after, $5::jsonb::text AS row_hashes`,
    [
      occurredAt.toISOString(),
      JSON.stringify(event.actor ?? null),
      JSON.stringify(event.before ?? null),
      JSON.stringify(event.after ?? null),
      rowHashes ? JSON.stringify(rowHashes) : null,
    ],
  );
  const text: StoredEventText = {
    ...stored!,
    seq: (last?.seq ?? 0) + 1,
    action: event.action,
    entity_type: event.entity_type,
    entity_id: event.entity_id,
    prev_hash: last?.hash ?? "0".repeat(64),
  };
  const hash = hmac(trail.key, hashInputV2(text));
  const [row] = await tx.query<AuditEvent>(
    `INSERT INTO audit_events (seq, occurred_at, actor, action, entity_type, entity_id, before,
                               after, prev_hash, hash, hash_version, row_hashes)
     VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7::jsonb, $8::jsonb, $9, $10, 2, $11::jsonb)
     RETURNING ${COLUMNS}`,
    [
      text.seq,
      occurredAt.toISOString(),
      text.actor,
      text.action,
      text.entity_type,
      text.entity_id,
      text.before,
      text.after,
      text.prev_hash,
      hash,
      text.row_hashes,
    ],
  );
  return row!;
}

// ---------------------------------------------------------------------------------------------
// Reading and verifying

const COLUMNS = `seq, occurred_at, actor, action, entity_type, entity_id, before, after, prev_hash, hash`;

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

type StoredEvent = AuditEvent & {
  hash_version: 1 | 2;
  text: StoredEventText;
};

async function readStoredEvents(db: Queryable): Promise<StoredEvent[]> {
  const rows = await db.query<
    AuditEvent & {
      hash_version: number;
      occurred_at_text: string;
      actor_text: string;
      before_text: string | null;
      after_text: string | null;
      row_hashes_text: string | null;
    }
  >(
    `SELECT ${COLUMNS}, hash_version, ${OCCURRED_AT_TEXT("occurred_at")} AS occurred_at_text,
            actor::text AS actor_text, before::text AS before_text, after::text AS after_text,
            row_hashes::text AS row_hashes_text
       FROM audit_events ORDER BY seq`,
  );
  return rows.map((r) => ({
    ...r,
    hash_version: r.hash_version === 2 ? 2 : 1,
    text: {
      seq: r.seq,
      occurred_at: r.occurred_at_text,
      actor: r.actor_text,
      action: r.action,
      entity_type: r.entity_type,
      entity_id: r.entity_id,
      before: r.before_text,
      after: r.after_text,
      row_hashes: r.row_hashes_text,
      prev_hash: r.prev_hash,
    },
  }));
}

/** Where a head was found: the anchor table, the anchor log file, or one given by hand. */
export interface AnchorUsed extends ChainAnchor {
  source: string;
}

/** A row that no longer hashes to what the event that last wrote it recorded. */
export interface RowDifference {
  table: string;
  column: string;
  value: string;
  seq: number;
  action: string;
}

export interface AuditReport {
  verdict: ChainVerdict;
  keyed: boolean;
  keySource: string;
  /** The anchors the chain was checked against (none found: an empty list). */
  anchors: AnchorUsed[];
  /** With `deep`: the rows that differ from what their last event recorded. */
  rows?: RowDifference[];
}

// Tables whose rows exist only through audited writes: rows here and no events means the log
// was emptied.
const AUDITED_DATA = ["imports", "users", "notes", "recommendations"] as const;

/**
 * Recomputes the whole chain from the stored events, and checks it against every anchor it can
 * find (the latest in the anchor table, the latest in the anchor log file, and `given`). With
 * `deep`, also recomputes the recorded row hashes against the tables.
 */
export async function auditReport(
  db: Database,
  options: { given?: AnchorUsed; deep?: boolean } = {},
): Promise<AuditReport> {
  const trail = auditTrailOf(db);
  const events = await readStoredEvents(db);
  const anchors: AnchorUsed[] = [];
  const [tableHead] = await db.query<{ seq: number; hash: string }>(
    "SELECT seq, hash FROM audit_anchors ORDER BY seq DESC LIMIT 1",
  );
  if (tableHead) anchors.push({ ...tableHead, source: "the anchor table (audit_anchors)" });
  const fileHead = trail.anchorFile ? lastFileAnchor(trail.anchorFile) : null;
  if (fileHead) anchors.push({ ...fileHead, source: `the anchor log ${trail.anchorFile}` });
  if (options.given) anchors.push(options.given);
  const base = { keyed: trail.keyed, keySource: trail.keySource, anchors };

  if (events.length === 0) {
    for (const table of AUDITED_DATA) {
      const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
      if (row!.n > 0)
        return {
          ...base,
          verdict: {
            ok: false,
            events: 0,
            first_broken_seq: 1,
            reason: `the audit log is empty, but the database holds data (${row!.n} rows in ${table}, every one written with an audit event): the log has been emptied`,
          },
        };
    }
  }
  const verdict = verifyLinks(
    events.map((e) => ({ ...e, label: `${e.action} ${e.entity_type} ${e.entity_id}` })),
    (e) => (e.hash_version === 2 ? hmac(trail.key, hashInputV2(e.text)) : hashEvent(e, sha256Hex)),
    anchors,
  );
  if (!options.deep) return { ...base, verdict };
  const latest = new Map<
    string,
    { ref: AuditedRows; sha256: string; seq: number; action: string }
  >();
  for (const e of events) {
    if (!e.text.row_hashes) continue;
    const recorded = JSON.parse(e.text.row_hashes) as {
      table: string;
      column: string;
      value: string;
      sha256: string;
    }[];
    for (const r of recorded)
      latest.set(`${r.table}\u0000${r.column}\u0000${r.value}`, {
        ref: { table: r.table, column: r.column, value: r.value },
        sha256: r.sha256,
        seq: e.seq,
        action: e.action,
      });
  }
  const rows: RowDifference[] = [];
  for (const { ref, sha256, seq, action } of latest.values()) {
    if ((await rowsHash(db, ref)) !== sha256)
      rows.push({ table: ref.table, column: ref.column!, value: String(ref.value), seq, action });
  }
  return { ...base, verdict, rows };
}

/** The chain's verdict alone (see auditReport). */
export async function verifyAuditChain(db: Database, anchor?: ChainAnchor): Promise<ChainVerdict> {
  return (await auditReport(db, anchor ? { given: { ...anchor, source: "the head given" } } : {}))
    .verdict;
}
