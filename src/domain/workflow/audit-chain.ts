/**
 * The audit log's hash chain (Issue 4, DOMAIN §12): each event carries the hash of the one
 * before it, and its own hash is taken over a canonical serialisation of the event including
 * that previous hash. Pure: the hash function (SHA-256, hex) is passed in by the store.
 */

export type HashFunction = (text: string) => string;

/** The hash the first event points back to. */
export const GENESIS_HASH = "0".repeat(64);

export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface AuditEventBody {
  seq: number;
  /** ISO 8601 instant, millisecond precision, UTC. */
  occurred_at: string;
  actor: JsonValue;
  action: string;
  entity_type: string;
  entity_id: string;
  before: JsonValue;
  after: JsonValue;
  prev_hash: string;
}

export interface AuditEvent extends AuditEventBody {
  hash: string;
}

/**
 * JSON with object keys sorted at every depth and no whitespace, so the same event always
 * serialises to the same text whichever order the database returns keys in (jsonb does not keep
 * them).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  if (typeof value === "number" && !Number.isFinite(value))
    throw new Error(`cannot serialise ${value} in an audit event`);
  return JSON.stringify(value);
}

export function hashEvent(event: AuditEventBody, hash: HashFunction): string {
  return hash(
    canonicalJson({
      seq: event.seq,
      occurred_at: event.occurred_at,
      actor: event.actor,
      action: event.action,
      entity_type: event.entity_type,
      entity_id: event.entity_id,
      before: event.before,
      after: event.after,
      prev_hash: event.prev_hash,
    }),
  );
}

/** The next event in the chain after `previous` (undefined: the first). */
export function chainEvent(
  body: Omit<AuditEventBody, "seq" | "prev_hash">,
  previous: Pick<AuditEvent, "seq" | "hash"> | undefined,
  hash: HashFunction,
): AuditEvent {
  const linked: AuditEventBody = {
    ...body,
    seq: (previous?.seq ?? 0) + 1,
    prev_hash: previous?.hash ?? GENESIS_HASH,
  };
  return { ...linked, hash: hashEvent(linked, hash) };
}

export type ChainVerdict =
  | { ok: true; events: number; last_hash: string }
  | {
      ok: false;
      events: number;
      /** The first event that does not check out: the link that is broken. */
      first_broken_seq: number;
      reason: string;
    };

/**
 * A head of the chain published earlier (`oversight audit head`: its sequence number and hash),
 * kept outside the database. A chain alone cannot show that its newest events were deleted —
 * what remains still links up — but it must still contain the published head, unchanged.
 */
export interface ChainAnchor {
  seq: number;
  hash: string;
}

/** `SEQ:HASH`, as `oversight audit head` prints it and `audit verify --anchor` reads it. */
export function parseAnchor(text: string): ChainAnchor | null {
  const m = /^([1-9][0-9]{0,15}):([0-9a-f]{64})$/.exec(text.trim());
  return m ? { seq: Number(m[1]), hash: m[2] as string } : null;
}

/**
 * Recomputes the chain, in sequence order, and names the first broken link: a gap in the
 * sequence (an event deleted), a previous-hash that does not match (an event removed or
 * re-linked), or a hash that does not match the event's content (an event edited). With an
 * anchor, the chain must also reach the anchor's event and carry its hash there (the newest
 * events deleted, or the chain rebuilt from some point on).
 */
export function verifyChain(
  events: readonly AuditEvent[],
  hash: HashFunction,
  anchor?: ChainAnchor,
): ChainVerdict {
  const ordered = [...events].sort((a, b) => a.seq - b.seq);
  let previous: AuditEvent | undefined;
  for (const event of ordered) {
    const broken = (reason: string): ChainVerdict => ({
      ok: false,
      events: ordered.length,
      first_broken_seq: event.seq,
      reason,
    });
    const expectedSeq = (previous?.seq ?? 0) + 1;
    if (event.seq !== expectedSeq)
      return broken(
        `event ${event.seq} follows ${previous ? `event ${previous.seq}` : "the start"}: event ${expectedSeq} is missing`,
      );
    const expectedPrev = previous?.hash ?? GENESIS_HASH;
    if (event.prev_hash !== expectedPrev)
      return broken(
        `event ${event.seq} points back to ${event.prev_hash.slice(0, 12)}…, but the previous hash is ${expectedPrev.slice(0, 12)}…`,
      );
    const recomputed = hashEvent(event, hash);
    if (recomputed !== event.hash)
      return broken(
        `event ${event.seq} (${event.action} ${event.entity_type} ${event.entity_id}) has been altered: its content hashes to ${recomputed.slice(0, 12)}…, not the recorded ${event.hash.slice(0, 12)}…`,
      );
    if (anchor && event.seq === anchor.seq && event.hash !== anchor.hash)
      return broken(
        `event ${event.seq} hashes to ${event.hash.slice(0, 12)}…, but the published head at event ${anchor.seq} is ${anchor.hash.slice(0, 12)}…: the chain was rebuilt from here or earlier`,
      );
    previous = event;
  }
  if (anchor && ordered.length < anchor.seq)
    return {
      ok: false,
      events: ordered.length,
      first_broken_seq: ordered.length + 1,
      reason: `the chain ends at event ${ordered.length}, but event ${anchor.seq} was published as its head: events ${ordered.length + 1} to ${anchor.seq} have been deleted`,
    };
  return { ok: true, events: ordered.length, last_hash: previous?.hash ?? GENESIS_HASH };
}
