/**
 * requirements §4 through the real command line: `oversight history <org>` lists the decided segments
 * with the body, reference and criteria fired; `oversight audit verify` passes on an intact chain
 * and, after an edit behind the system's back, names the first broken link and exits 1.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { recordJudgement } from "../../src/services/judgements.js";
import type { WorkflowActor } from "../../src/services/authorise.js";
import { createRecommendation, decide, submitRecommendation } from "../../src/services/workflow.js";
import { openDatabase, type Queryable } from "../../src/store/database.js";
import { FT_RI, importFixture } from "../assessment/fixture.js";
import { hasStackTrace, runCli, tempDir } from "../cli/run-cli.js";
import { openSharedTestDatabase } from "../cli/shared-database.js";
import { testEngines, type TestDatabase } from "../support/database.js";
import { SYSTEM } from "../support/access.js";

const REGION: WorkflowActor = { user: "r.jones", role: "regional_team", scope: "Y56" };

for (const engine of testEngines()) {
  describe(`oversight history and audit verify [${engine}] (requirements §4)`, () => {
    const dir = tempDir("oversight-workflow-cli-");
    let t: TestDatabase;
    before(async () => {
      t = await openSharedTestDatabase(engine, dir);
      await importFixture(t.ctx);
      await recordJudgement(
        t.ctx,
        {
          org_code: FT_RI,
          kind: "licence_breach_evidence",
          summary: "Suspected breach of FT4",
          recorded_by: "r.jones",
          recorded_on: "2019-03-01",
        },
        SYSTEM,
      );
      const rec = await createRecommendation(t.ctx, REGION, {
        org_code: FT_RI,
        proposed_on: "2019-03-05",
        from_segment: 2,
        to_segment: 3,
        rationale: "CQC requires improvement; undertakings sought",
        proposed_enforcement: "seeking_actions",
      });
      await submitRecommendation(t.ctx, REGION, rec.id, 1);
      await decide(
        t.ctx,
        { user: "rsg.chair", role: "rsg_member", scope: "Y56" },
        {
          recommendation_id: rec.id,
          expected_version: 2,
          body: "rsg",
          decided_on: "2019-03-12",
          outcome: "agreed",
          reference: "RSG/Y56/2019/07",
        },
      );
      if (engine === "pglite") await t.close();
    });
    after(async () => {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    });

    /** Runs `sql` on the test database (reopening the PGlite folder the CLI has used). */
    async function behindTheBack(sql: string[]): Promise<void> {
      const run = async (db: Queryable) => {
        for (const statement of sql) await db.query(statement);
      };
      if (engine === "postgres") return run(t.db);
      const db = await openDatabase({ engine: "pglite", dataDir: join(dir, "db") });
      try {
        await run(db);
      } finally {
        await db.close();
      }
    }

    it("`history <org>` lists each decided segment with its body, reference and criteria fired", async () => {
      const r = await runCli(["history", FT_RI], t.env);
      assert.equal(r.code, 0, r.stderr);
      assert.match(
        r.stdout,
        /^2019-03-12\tsegment 3\trsg\tRSG\/Y56\/2019\/07\tsof-2016, data as at 2019-03-12; criteria fired: .+/,
      );
      const json = await runCli(["history", FT_RI, "--format", "json"], t.env);
      assert.equal(json.code, 0, json.stderr);
      const entries = JSON.parse(json.stdout) as { segment: number }[];
      assert.deepEqual(
        entries.map((e) => e.segment),
        [3],
      );
      // requirements §14: an organisation the registry does not hold is an error, not "none recorded".
      const unknown = await runCli(["history", "ZZZ"], t.env);
      assert.equal(unknown.code, 1);
      assert.equal(unknown.stderr, "oversight: unknown organisation ZZZ\n");
    });

    // Runs before the edit below. requirements §20: the head is anchored automatically after every
    // audited write (the anchor table and the anchor log file), so deleting the newest events is
    // caught without anyone having kept a head; `--anchor` adds one published by hand.
    it("`audit verify` checks the automatic anchors and says which it used; deleting the newest events is caught with no --anchor (requirements §20)", async () => {
      const head = await runCli(["audit", "head"], t.env);
      assert.equal(head.code, 0, head.stderr);
      assert.match(head.stdout.trim(), /^7:[0-9a-f]{64}$/);
      const anchored = await runCli(["audit", "verify", "--anchor", head.stdout.trim()], t.env);
      assert.equal(anchored.code, 0, anchored.stderr);
      assert.match(
        anchored.stdout,
        /; checked against the anchor table \(audit_anchors\) \(event 7\), the anchor log \S+audit-anchors\.log \(event 7\), the head given \(event 7\); keyed \(\S+audit\.key\)\n$/,
      );
      const badAnchor = await runCli(["audit", "verify", "--anchor", "7:xyz"], t.env);
      assert.equal(badAnchor.code, 1);
      assert.match(badAnchor.stderr, /^oversight: --anchor must be SEQ:HASH/);

      await behindTheBack([
        "CREATE TABLE audit_saved AS SELECT * FROM audit_events WHERE seq = 7",
        "CREATE TABLE anchors_saved AS SELECT * FROM audit_anchors WHERE seq = 7",
        "ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_or_delete",
        "DELETE FROM audit_events WHERE seq = 7",
        "ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_or_delete",
      ]);
      try {
        const alone = await runCli(["audit", "verify"], t.env);
        assert.equal(alone.code, 1, "the anchors hold event 7");
        assert.match(
          alone.stderr.trim(),
          /^oversight: audit chain broken at event 7 of 6: the chain ends at event 6, but event 7 was published as its head: events 7 to 7 have been deleted \[checked against the anchor table \(audit_anchors\) \(event 7\), the anchor log /,
        );
        // The anchor table's row for event 7 deleted too, by someone with the database (the one
        // before is the recommendation's submission, event 4): the file still holds event 7.
        await behindTheBack([
          "ALTER TABLE audit_anchors DISABLE TRIGGER audit_anchors_no_update_or_delete",
          "DELETE FROM audit_anchors WHERE seq = 7",
          "ALTER TABLE audit_anchors ENABLE TRIGGER audit_anchors_no_update_or_delete",
        ]);
        const fileOnly = await runCli(["audit", "verify"], t.env);
        assert.equal(fileOnly.code, 1);
        assert.match(
          fileOnly.stderr,
          /but event 7 was published as its head.*\[checked against the anchor table \(audit_anchors\) \(event 4\), the anchor log \S+ \(event 7\)\]/,
        );
      } finally {
        await behindTheBack([
          "INSERT INTO audit_events SELECT * FROM audit_saved",
          "INSERT INTO audit_anchors SELECT * FROM anchors_saved",
          "DROP TABLE audit_saved",
          "DROP TABLE anchors_saved",
        ]);
      }
      assert.equal(
        (await runCli(["audit", "verify", "--anchor", head.stdout.trim()], t.env)).code,
        0,
      );
    });

    it("`audit verify` passes on the intact chain, then names the first broken link and exits 1", async () => {
      const ok = await runCli(["audit", "verify"], t.env);
      assert.equal(ok.code, 0, ok.stderr);
      // The fixture's import, the judgement recorded in `before`, then the recommendation's four
      // (requirements §6: every data change is audited).
      assert.match(ok.stdout, /^audit chain intact: 7 events, last hash [0-9a-f]{16}…/);

      await behindTheBack([
        "ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_or_delete",
        "UPDATE audit_events SET actor = jsonb_set(actor, '{user}', '\"someone.else\"') WHERE seq = 4",
        "ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_or_delete",
      ]);
      const broken = await runCli(["audit", "verify"], t.env);
      assert.equal(broken.code, 1);
      assert.equal(broken.stdout, "");
      assert.ok(!hasStackTrace(broken.stderr), broken.stderr);
      assert.match(
        broken.stderr.trim(),
        /^oversight: audit chain broken at event 4 of 7: event 4 \(recommendation\.submitted recommendation \d+\) has been altered/,
      );
    });
  });
}
