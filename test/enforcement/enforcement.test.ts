/**
 * requirements §4, "an enforcement event" triggers an immediate review (DOMAIN §7), with enforcement
 * events recorded as facts (DOMAIN §10): through the service and the real command line on every
 * engine, over the review fixture (SOF 2016, as at 2019-03-31).
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import type { CalendarDate } from "../../src/domain/shared/dates.js";
import type { WorkflowActor } from "../../src/services/authorise.js";
import { listEnforcementEvents, recordEnforcementEvent } from "../../src/services/enforcement.js";
import { ForbiddenError, InvalidInputError, NotFoundError } from "../../src/services/errors.js";
import { reviewsDue } from "../../src/services/reviews.js";
import { listAuditEvents, verifyAudit } from "../../src/services/audit.js";
import { hasStackTrace, runCli, tempDir } from "../cli/run-cli.js";
import { openSharedTestDatabase } from "../cli/shared-database.js";
import { SYSTEM } from "../support/access.js";
import { testEngines, type TestDatabase } from "../support/database.js";
import { AS_OF, FT_RI, importReviewFixture, OTHER_TRUST } from "../reviews/fixture.js";

const REGION: WorkflowActor = { user: "r.jones", role: "regional_team", scope: "Y56" };
const PUBLIC: WorkflowActor = { user: "public", role: "public", scope: "national" };
const SECRET = "Board minutes show the breach continued";

for (const engine of testEngines()) {
  describe(`enforcement events [${engine}] (requirements §4, DOMAIN §7 and §10)`, () => {
    const dir = tempDir("oversight-enforcement-");
    let t: TestDatabase;
    before(async () => {
      t = await openSharedTestDatabase(engine, dir);
      await importReviewFixture(t.ctx);
    });
    after(async () => {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it("DOMAIN §7: a recorded enforcement event makes a review due at once, named by kind and reference, never by its confidential summary", async () => {
      const before = await reviewsDue(t.ctx, { asOf: AS_OF as CalendarDate });
      assert.ok(!before.reviews.some((r) => r.trigger === "enforcement_event"));
      const event = await recordEnforcementEvent(t.ctx, REGION, {
        org_code: FT_RI,
        kind: "undertakings_accepted",
        occurred_on: "2019-03-26",
        reference: "ENF/2019/014",
        summary: SECRET,
      });
      assert.equal(event.confidentiality, "official_sensitive", "confidential unless marked");
      assert.equal(event.recorded_by, "r.jones");
      const schedule = await reviewsDue(t.ctx, { asOf: AS_OF as CalendarDate });
      const due = schedule.reviews.filter((r) => r.trigger === "enforcement_event");
      assert.deepEqual(
        due.map((r) => [r.organisation.code, r.due_from, r.deadline]),
        [[FT_RI, "2019-03-26", "2019-04-02"]],
      );
      assert.deepEqual(due[0]!.event, {
        type: "enforcement_event",
        id: String(event.id),
        date: "2019-03-26",
        summary: "undertakings accepted (ENF/2019/014)",
      });
      assert.ok(!JSON.stringify(schedule).includes(SECRET));
      // Not yet known on an earlier date.
      const earlier = await reviewsDue(t.ctx, { asOf: "2019-03-25" as CalendarDate });
      assert.ok(!earlier.reviews.some((r) => r.trigger === "enforcement_event"));
    });

    it("DOMAIN §12: recording is audited on the hash chain; a reader sees only what their level allows", async () => {
      const events = await listAuditEvents(t.ctx, SYSTEM, { entity_type: "enforcement_event" });
      assert.equal(events.length, 1);
      assert.equal(events[0]!.action, "enforcement_event.recorded");
      assert.equal((await verifyAudit(t.ctx, SYSTEM)).ok, true);
      await recordEnforcementEvent(t.ctx, REGION, {
        org_code: FT_RI,
        kind: "informal_action",
        occurred_on: "2019-03-27",
        summary: "Letter published on the website",
        confidentiality: "public",
      });
      assert.deepEqual(
        (await listEnforcementEvents(t.ctx, REGION, FT_RI)).map((e) => e.kind),
        ["undertakings_accepted", "informal_action"],
      );
      const seen = await listEnforcementEvents(t.ctx, PUBLIC, FT_RI);
      assert.deepEqual(
        seen.map((e) => e.kind),
        ["informal_action"],
      );
      await assert.rejects(
        recordEnforcementEvent(t.ctx, PUBLIC, {
          org_code: FT_RI,
          kind: "direction",
          occurred_on: "2019-03-27",
          summary: "x",
        }),
        ForbiddenError,
      );
    });

    it("refuses bad input with the field and the reason, and writes nothing", async () => {
      const count = async () => (await listEnforcementEvents(t.ctx, SYSTEM, OTHER_TRUST)).length;
      const n = await count();
      await assert.rejects(
        recordEnforcementEvent(t.ctx, SYSTEM, {
          org_code: OTHER_TRUST,
          kind: "fine" as never,
          occurred_on: "2019-02-30",
          summary: " ",
        }),
        (e: unknown) =>
          e instanceof InvalidInputError &&
          ["kind", "occurred_on", "summary"].every((f) => e.fields.some((p) => p.path === f)),
      );
      await assert.rejects(
        recordEnforcementEvent(t.ctx, REGION, {
          org_code: "NOPE",
          kind: "direction",
          occurred_on: "2019-03-01",
          summary: "x",
        }),
        NotFoundError,
      );
      assert.equal(await count(), n);
      // requirements §6: a region records events for its own trusts only.
      await assert.rejects(
        recordEnforcementEvent(t.ctx, REGION, {
          org_code: OTHER_TRUST,
          kind: "direction",
          occurred_on: "2019-03-01",
          summary: "x",
        }),
        ForbiddenError,
      );
      assert.equal(await count(), n);
    });

    it("`oversight enforcement record|list` and its one-line errors", async () => {
      // PGlite allows one process: hand the folder to the CLI.
      if (engine === "pglite") await t.close();
      const ok = await runCli(
        [
          "enforcement",
          "record",
          "--org",
          OTHER_TRUST,
          "--kind",
          "notice_of_intent",
          "--on",
          "2019-03-20",
          "--summary",
          "Notice of intent: A&E",
          "--reference",
          "NOI/7",
        ],
        t.env,
      );
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(
        ok.stdout,
        /^enforcement event \d+ recorded: RY1 notice_of_intent on 2019-03-20/,
      );
      const list = await runCli(["enforcement", "list", OTHER_TRUST, "--format", "json"], t.env);
      assert.equal(list.code, 0, list.stderr);
      const listed = JSON.parse(list.stdout) as { kind: string; reference: string }[];
      assert.deepEqual(
        listed.map((e) => [e.kind, e.reference]),
        [["notice_of_intent", "NOI/7"]],
      );
      const bad = await runCli(
        [
          "enforcement",
          "record",
          "--org",
          OTHER_TRUST,
          "--kind",
          "notice_of_intent",
          "--on",
          "2019-13-01",
          "--summary",
          "x",
        ],
        t.env,
      );
      assert.notEqual(bad.code, 0);
      assert.ok(!hasStackTrace(bad.stderr), bad.stderr);
      assert.match(bad.stderr, /--on must be a date YYYY-MM-DD/);
      const due = await runCli(["reviews", "due", "--as-of", AS_OF, "--format", "json"], t.env);
      assert.equal(due.code, 0, due.stderr);
      assert.ok(
        (
          JSON.parse(due.stdout) as {
            reviews: { trigger: string; organisation: { code: string } }[];
          }
        ).reviews.some(
          (r) => r.trigger === "enforcement_event" && r.organisation.code === OTHER_TRUST,
        ),
      );
    });
  });
}
