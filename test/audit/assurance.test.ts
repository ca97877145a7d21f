/**
 * requirements §20, audit log assurance (docs/audit.md): the chain is keyed with a key the database does
 * not hold, hashes each event's stored text exactly, is anchored after every audited write, treats
 * an empty log over existing data as broken, and records the content hash of the rows each event
 * wrote so `audit verify --deep` names a row edited behind the system's back.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { chainEvent } from "../../src/domain/workflow/audit-chain.js";
import { checkAudit, verifyAudit } from "../../src/services/audit.js";
import { addNote, updateNote } from "../../src/services/workflow.js";
import type { ServiceContext } from "../../src/services/context.js";
import type { Database } from "../../src/store/database.js";
import {
  appendAuditEvent,
  type AuditTrail,
  openAuditTrail,
  sha256Hex,
  useAuditTrail,
} from "../../src/store/audit.js";
import { FT_RI, importFixture } from "../assessment/fixture.js";
import { tempDir } from "../cli/run-cli.js";
import { SYSTEM } from "../support/access.js";
import { openTestDatabase, testEngines, type TestDatabase } from "../support/database.js";

const NATIONAL = { user: "n.oversight", role: "national_oversight" as const, scope: "national" };

for (const engine of testEngines()) {
  describe(`audit assurance [${engine}] (requirements §20, docs/audit.md)`, () => {
    const dir = tempDir("oversight-audit-");
    let t: TestDatabase;
    let noteId: number;
    let trail: AuditTrail;
    before(async () => {
      t = await openTestDatabase(engine);
      trail = openAuditTrail(dir, {});
      useAuditTrail(t.db, trail);
      await importFixture(t.ctx);
      const note = await addNote(t.ctx, NATIONAL, {
        org_code: FT_RI,
        source: "regional team",
        body: "Board minutes show the CIP is behind plan",
        confidentiality: "official",
      });
      noteId = (await updateNote(t.ctx, NATIONAL, note.id, 1, { body: "CIP behind plan" })).id;
    });
    after(async () => {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    });

    /**
     * Runs `sql` as someone with the database would (the audit tables' append-only triggers off),
     * then `work` on what that leaves, all in a transaction rolled back afterwards.
     */
    async function behindTheBack(
      sql: string[],
      work: (ctx: ServiceContext) => Promise<void>,
    ): Promise<void> {
      const triggers = (op: "DISABLE" | "ENABLE") => [
        `ALTER TABLE audit_events ${op} TRIGGER USER`,
        `ALTER TABLE audit_anchors ${op} TRIGGER USER`,
      ];
      const rollback = new Error("rollback");
      await t.db
        .transaction(async (tx) => {
          for (const s of [...triggers("DISABLE"), ...sql, ...triggers("ENABLE")])
            await tx.query(s);
          const db: Database = { ...t.db, query: (q, p) => tx.query(q, p) };
          useAuditTrail(db, trail);
          await work({ ...t.ctx, db });
          throw rollback;
        })
        .catch((e: unknown) => {
          if (e !== rollback) throw e;
        });
    }

    it("an intact chain verifies, keyed, against the anchor table and the anchor log", async () => {
      const report = await checkAudit(t.ctx, NATIONAL, { deep: true });
      assert.equal(report.verdict.ok, true, JSON.stringify(report.verdict));
      assert.equal(report.keyed, true);
      assert.deepEqual(
        report.anchors.map((a) => [a.source.replace(dir, "DIR"), a.seq]),
        [
          ["the anchor table (audit_anchors)", report.verdict.events],
          ["the anchor log DIR/audit-anchors.log", report.verdict.events],
        ],
      );
      assert.deepEqual(report.rows, []);
    });

    it("no events while data exist is broken (a TRUNCATE of the log, and of the anchor table)", async () => {
      await behindTheBack(["TRUNCATE audit_events", "TRUNCATE audit_anchors"], async (ctx) => {
        const verdict = await verifyAudit(ctx, NATIONAL);
        assert.equal(verdict.ok, false);
        assert.match(
          (verdict as { reason: string }).reason,
          /the audit log is empty, but the database holds data \(1 rows in imports/,
        );
      });
    });

    it("a number edited to one JavaScript reads as equal (version 1 → 1.0000000000000001) breaks the chain", async () => {
      const [event] = await t.db.query<{ seq: number }>(
        "SELECT seq FROM audit_events WHERE action = 'note.created'",
      );
      await behindTheBack(
        [
          `UPDATE audit_events SET after = jsonb_set(after, '{version}', '1.0000000000000001'::jsonb)
            WHERE seq = ${event!.seq}`,
        ],
        async (ctx) => {
          const verdict = await verifyAudit(ctx, NATIONAL);
          assert.equal(verdict.ok, false);
          assert.equal((verdict as { first_broken_seq: number }).first_broken_seq, event!.seq);
        },
      );
    });

    it("occurred_at moved by 400 µs breaks the chain", async () => {
      await behindTheBack(
        [
          "UPDATE audit_events SET occurred_at = occurred_at + interval '400 microseconds' WHERE seq = 2",
        ],
        async (ctx) => {
          const verdict = await verifyAudit(ctx, NATIONAL);
          assert.equal(verdict.ok, false);
          assert.match((verdict as { reason: string }).reason, /^event 2 .* has been altered/);
        },
      );
    });

    it("an event forged with a correctly computed hash, but without the key, does not check out", async () => {
      const [last] = await t.db.query<{ seq: number; hash: string }>(
        "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1",
      );
      // With the database alone, the forger can hash the stored text (without the key) …
      await behindTheBack([], async (ctx) => {
        await appendAuditEvent(
          { query: (q, p) => ctx.db.query(q, p) },
          {
            actor: { user: "forger", role: "national_oversight", scope: "national" },
            action: "note.created",
            entity_type: "note",
            entity_id: "999",
            before: null,
            after: null,
          },
        );
        const verdict = await verifyAudit(ctx, NATIONAL);
        assert.equal(verdict.ok, false);
        assert.match(
          (verdict as { reason: string }).reason,
          new RegExp(`^event ${last!.seq + 1} \\(note.created note 999\\) has been altered`),
        );
      });
      // … or write it in the old, unkeyed form of before the key.
      const forged = chainEvent(
        {
          occurred_at: new Date().toISOString(),
          actor: { user: "forger" },
          action: "note.created",
          entity_type: "note",
          entity_id: "998",
          before: null,
          after: null,
        },
        last,
        sha256Hex,
      );
      await behindTheBack(
        [
          `INSERT INTO audit_events (seq, occurred_at, actor, action, entity_type, entity_id, before, after, prev_hash, hash)
           VALUES (${forged.seq}, '${forged.occurred_at}', '{"user":"forger"}', 'note.created', 'note', '998', 'null', 'null', '${forged.prev_hash}', '${forged.hash}')`,
        ],
        async (ctx) => {
          const verdict = await verifyAudit(ctx, NATIONAL);
          assert.equal(verdict.ok, false);
          assert.match(
            (verdict as { reason: string }).reason,
            /is in the unkeyed form of before the audit key, after keyed events/,
          );
        },
      );
    });

    it("audit verify --deep names each row edited without the audit log: a note, an imported observation", async () => {
      const [file] = await t.db.query<{ source_file_id: number }>(
        "SELECT source_file_id FROM observations ORDER BY id LIMIT 1",
      );
      await behindTheBack(
        [
          `UPDATE notes SET body = 'nothing to see' WHERE id = ${noteId}`,
          `UPDATE observations SET value = value + 1 WHERE id = (SELECT min(id) FROM observations)`,
        ],
        async (ctx) => {
          const report = await checkAudit(ctx, NATIONAL, { deep: true });
          assert.equal(report.verdict.ok, true, "the audit log itself is intact");
          assert.deepEqual(report.rows!.map((r) => [r.table, r.column, r.value, r.action]).sort(), [
            ["notes", "id", String(noteId), "note.updated"],
            ["observations", "source_file_id", String(file!.source_file_id), "import.completed"],
          ]);
        },
      );
    });

    it("the import is audited under the local operator `system` when no account is named", async () => {
      const [event] = await t.db.query<{ actor: unknown }>(
        "SELECT actor FROM audit_events WHERE action = 'import.completed' ORDER BY seq LIMIT 1",
      );
      assert.deepEqual(event!.actor, { user: "system", role: "system", scope: "national" });
      assert.equal(SYSTEM.role, "system");
    });
  });
}
