/**
 * The audit log's hash chain (requirements §4, DOMAIN §12): each event carries the hash of the one
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
 * Hash version 2 (docs/audit.md): the event exactly as the database stores it — each jsonb
 * column as the database's own text of it (numbers as written, `2.0000000000000001` stays so),
 * `occurred_at` to the microsecond — in a fixed order, with the previous hash. The store keys the
 * hash (HMAC-SHA-256 with a key the database does not hold), so an event forged by someone with
 * only database access does not check out.
 */
export interface StoredEventText {
  seq: number;
  /** `YYYY-MM-DDTHH:MM:SS.uuuuuuZ`, the database's precision. */
  occurred_at: string;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  before: string | null;
  after: string | null;
  /** The content hashes of the rows the event wrote (jsonb text), or null. */
  row_hashes: string | null;
  prev_hash: string;
}

export function hashInputV2(e: StoredEventText): string {
  return JSON.stringify([
    "oversight-audit/2",
    String(e.seq),
    e.occurred_at,
    e.actor,
    e.action,
    e.entity_type,
    e.entity_id,
    e.before,
    e.after,
    e.row_hashes,
    e.prev_hash,
  ]);
}

/** What verification needs of an event, whatever its hash version. */
export interface ChainLink {
  seq: number;
  prev_hash: string;
  hash: string;
  /** 1: unkeyed SHA-256 of the parsed event (before the audit key); 2: keyed, exact text. */
  hash_version?: 1 | 2;
  /** How a broken event is named: `action entity_type entity_id`. */
  label: string;
}

/**
 * Recomputes the chain, in sequence order, and names the first broken link: a gap in the
 * sequence (an event deleted), a previous-hash that does not match (an event removed or
 * re-linked), a hash that does not match the event's content (an event edited, or forged without
 * the key), or an unkeyed event after keyed ones (one forged in the old form). Each anchor (a head
 * written outside the audit table) must still be in the chain, unchanged (the newest events
 * deleted, or the chain rebuilt from some point on).
 */
export function verifyLinks<E extends ChainLink>(
  events: readonly E[],
  recompute: (event: E) => string,
  anchors: readonly ChainAnchor[] = [],
): ChainVerdict {
  const ordered = [...events].sort((a, b) => a.seq - b.seq);
  const anchorAt = new Map(anchors.map((a) => [a.seq, a]));
  let previous: E | undefined;
  let keyed = false;
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
    const version = event.hash_version ?? 1;
    if (keyed && version === 1)
      return broken(
        `event ${event.seq} (${event.label}) is in the unkeyed form of before the audit key, after keyed events: it was not written by Oversight`,
      );
    keyed ||= version === 2;
    const recomputed = recompute(event);
    if (recomputed !== event.hash)
      return broken(
        `event ${event.seq} (${event.label}) has been altered: its content hashes to ${recomputed.slice(0, 12)}…, not the recorded ${event.hash.slice(0, 12)}…` +
          (version === 2 ? " (or it was written with another audit key)" : ""),
      );
    const anchor = anchorAt.get(event.seq);
    if (anchor && event.hash !== anchor.hash)
      return broken(
        `event ${event.seq} hashes to ${event.hash.slice(0, 12)}…, but the published head at event ${anchor.seq} is ${anchor.hash.slice(0, 12)}…: the chain was rebuilt from here or earlier`,
      );
    previous = event;
  }
  const furthest = anchors.reduce((m, a) => Math.max(m, a.seq), 0);
  if (ordered.length < furthest)
    return {
      ok: false,
      events: ordered.length,
      first_broken_seq: ordered.length + 1,
      reason: `the chain ends at event ${ordered.length}, but event ${furthest} was published as its head: events ${ordered.length + 1} to ${furthest} have been deleted`,
    };
  return { ok: true, events: ordered.length, last_hash: previous?.hash ?? GENESIS_HASH };
}

/** Verifies hash-version-1 events (unkeyed SHA-256 over canonical JSON): see verifyLinks. */
export function verifyChain(
  events: readonly AuditEvent[],
  hash: HashFunction,
  anchor?: ChainAnchor,
): ChainVerdict {
  return verifyLinks(
    events.map((e) => ({ ...e, label: `${e.action} ${e.entity_type} ${e.entity_id}` })),
    (e) => hashEvent(e, hash),
    anchor ? [anchor] : [],
  );
}
