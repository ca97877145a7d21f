/**
 * requirements §4 "Integrity" (DOMAIN §12): events are hash-chained; verification recomputes the chain
 * and names the first broken link — an edited event, a deleted one, or one re-linked.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import {
  canonicalJson,
  chainEvent,
  GENESIS_HASH,
  parseAnchor,
  verifyChain,
  type AuditEvent,
} from "./audit-chain.js";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

function chain(n: number): AuditEvent[] {
  const events: AuditEvent[] = [];
  for (let i = 0; i < n; i++)
    events.push(
      chainEvent(
        {
          occurred_at: `2026-01-0${i + 1}T10:00:00.000Z`,
          actor: { user: "u", role: "regional", scope: "Y56" },
          action: "recommendation.created",
          entity_type: "recommendation",
          entity_id: String(i + 1),
          before: null,
          after: { state: "draft", to_segment: 3, n: i },
        },
        events.at(-1),
        sha256,
      ),
    );
  return events;
}

describe("audit hash chain (requirements §4, DOMAIN §12)", () => {
  it("links each event to the previous one's hash, from the genesis hash", () => {
    const events = chain(3);
    assert.deepEqual(
      events.map((e) => e.seq),
      [1, 2, 3],
    );
    assert.equal(events[0]!.prev_hash, GENESIS_HASH);
    assert.equal(events[1]!.prev_hash, events[0]!.hash);
    assert.deepEqual(verifyChain(events, sha256), {
      ok: true,
      events: 3,
      last_hash: events[2]!.hash,
    });
    assert.deepEqual(verifyChain([], sha256), { ok: true, events: 0, last_hash: GENESIS_HASH });
  });

  it("serialises canonically: key order does not change the text", () => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } }),
      canonicalJson({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }),
    );
    assert.equal(canonicalJson({ b: 1, a: "x" }), '{"a":"x","b":1}');
  });

  it("names an edited event as the first broken link", () => {
    const events = chain(4);
    events[1] = { ...events[1]!, after: { state: "agreed", to_segment: 3, n: 1 } };
    const verdict = verifyChain(events, sha256);
    assert.equal(verdict.ok, false);
    assert.equal(!verdict.ok && verdict.first_broken_seq, 2);
    assert.match(!verdict.ok ? verdict.reason : "", /event 2 .* has been altered/);
  });

  it("names the event after a deleted one", () => {
    const events = chain(4);
    events.splice(1, 1);
    const verdict = verifyChain(events, sha256);
    assert.equal(!verdict.ok && verdict.first_broken_seq, 3);
    assert.match(!verdict.ok ? verdict.reason : "", /event 2 is missing/);
  });

  it("catches an event rehashed without its successor being relinked", () => {
    const events = chain(3);
    const edited = { ...events[0]!, action: "recommendation.withdrawn" };
    const rehashed = chainEvent(edited, undefined, sha256);
    events[0] = { ...rehashed, action: "recommendation.withdrawn" };
    const verdict = verifyChain(events, sha256);
    assert.equal(!verdict.ok && verdict.first_broken_seq, 2);
    assert.match(!verdict.ok ? verdict.reason : "", /points back to/);
  });

  // A deletion of the newest events leaves a chain that still links up: only a head published
  // elsewhere (DOMAIN §12: tamper-evident) shows it.
  it("with a published head, detects the newest events deleted and the chain rebuilt", () => {
    const events = chain(5);
    const head = { seq: 4, hash: events[3]!.hash };
    assert.equal(verifyChain(events, sha256, head).ok, true);
    const truncated = events.slice(0, 3);
    assert.equal(verifyChain(truncated, sha256).ok, true, "without the head it cannot tell");
    assert.deepEqual(verifyChain(truncated, sha256, head), {
      ok: false,
      events: 3,
      first_broken_seq: 4,
      reason:
        "the chain ends at event 3, but event 4 was published as its head: events 4 to 4 have been deleted",
    });
    // Rebuilt from event 2 on with different content: it links up, but not to the head.
    const forged: AuditEvent[] = [events[0]!];
    for (const e of events.slice(1))
      forged.push(
        chainEvent(
          {
            occurred_at: e.occurred_at,
            actor: e.actor,
            action: e.action,
            entity_type: e.entity_type,
            entity_id: e.entity_id,
            before: e.before,
            after: { forged: true, seq: e.seq },
          },
          forged.at(-1),
          sha256,
        ),
      );
    assert.equal(verifyChain(forged, sha256).ok, true);
    const verdict = verifyChain(forged, sha256, head);
    assert.equal(verdict.ok, false);
    assert.equal(!verdict.ok && verdict.first_broken_seq, 4);
  });

  it("reads a head as SEQ:HASH and nothing else", () => {
    const hash = "a".repeat(64);
    assert.deepEqual(parseAnchor(`12:${hash}`), { seq: 12, hash });
    for (const bad of [
      "",
      "12",
      `0:${hash}`,
      `12:${"a".repeat(63)}`,
      `x:${hash}`,
      `12:${"A".repeat(64)}`,
    ])
      assert.equal(parseAnchor(bad), null, bad);
  });
});
