/**
 * requirements §20, imports: every field the database would refuse is refused at the edge with
 * `file:line: reason` (a NUL character, a number out of range, a source too long to identify an
 * item by); a long but ordinary intelligence summary imports (items are identified by the SHA-256
 * of their summary, migration 0008, not by the text in a unique index); and rejection output is
 * bounded — the first REJECTIONS_LISTED_PER_REASON problems of each kind in each file, the rest
 * counted, echoed values cut to ECHOED_VALUE_LIMIT characters.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ECHOED_VALUE_LIMIT, REJECTIONS_LISTED_PER_REASON } from "../../src/ingest/csv-file.js";
import { INTELLIGENCE_SOURCE_MAX } from "../../src/ingest/bundle.js";
import { importBundle } from "../../src/services/import-bundle.js";
import { openTestDatabase, testEngines, type TestDatabase } from "../support/database.js";
import { BASE_BUNDLE, csv, HEADERS, rowCounts, TempFolders } from "./fixtures.js";

for (const engine of testEngines()) {
  describe(`import hardening [${engine}] (requirements §20)`, () => {
    const temp = new TempFolders();
    let t: TestDatabase;
    before(async () => {
      t = await openTestDatabase(engine);
      assert.ok((await importBundle(t.ctx, temp.bundle(BASE_BUNDLE), { importedBy: "base" })).ok);
    });
    after(async () => {
      await t.close();
      temp.remove();
    });

    const intelligence = (...rows: string[]) =>
      temp.bundle({ "intelligence.csv": csv(HEADERS.intelligence, ...rows) });

    it("a NUL character, a number out of range, a source too long: refused with file:line, nothing written", async () => {
      const before = await rowCounts(t.db);
      const long = "S".repeat(INTELLIGENCE_SOURCE_MAX + 1);
      const dir = temp.bundle({
        "intelligence.csv": csv(
          HEADERS.intelligence,
          "RKE,2024-03-01,Regional team,finance,Cash\u0000flow,official",
          `RKE,2024-03-02,${long},finance,Cash flow,official`,
        ),
        "observations.csv": csv(
          HEADERS.observations,
          "RAL,ae_4hr_all,2024-03-01,2024-03-31,1e400,,",
        ),
      });
      const report = await importBundle(t.ctx, dir, { importedBy: "t" });
      assert.equal(report.ok, false);
      assert.deepEqual(
        report.rejections.map((r) => `${r.file}:${r.line}: ${r.reason}`),
        [
          "intelligence.csv:2: summary: contains a NUL character (U+0000), which cannot be stored",
          `intelligence.csv:3: source is longer than ${INTELLIGENCE_SOURCE_MAX} characters (${INTELLIGENCE_SOURCE_MAX + 1})`,
          'observations.csv:2: value is out of range: "1e400"',
        ],
      );
      assert.deepEqual(await rowCounts(t.db), before);
    });

    it("a summary of 9,000 ordinary characters imports, and importing it again changes nothing", async () => {
      const summary = "The trust reported a further deterioration in its cash position. "
        .repeat(140)
        .trim();
      assert.ok(summary.length > 9000);
      const dir = intelligence(`RKE,2024-03-05,Regional team,finance,${summary},official`);
      const first = await importBundle(t.ctx, dir, { importedBy: "t" });
      assert.equal(first.ok, true, JSON.stringify(first.rejections));
      assert.equal(first.files[0]!.added, 1);
      const again = await importBundle(t.ctx, dir, { importedBy: "t" });
      assert.equal(again.importId, null);
      assert.equal(again.files[0]!.unchanged, 1);
      const [row] = await t.db.query<{ summary: string }>(
        "SELECT summary FROM intelligence WHERE received_on = '2024-03-05'",
      );
      assert.ok(row!.summary === summary, "the summary is stored whole");
    });

    it("5,000 problems of one kind: the first 20 listed, the rest counted; a 100,000-character value echoed cut short", async () => {
      const rows = Array.from({ length: 5000 }, () => "RAL,ae_4hr_all,2024-01-01,2024-01-31,x,,");
      const huge = "z".repeat(100_000);
      const dir = temp.bundle({
        "observations.csv": csv(HEADERS.observations, ...rows),
        "cqc_ratings.csv": csv(HEADERS.cqc_ratings, `RAL,2024-01-01,${huge},,`),
      });
      const report = await importBundle(t.ctx, dir, { importedBy: "t" });
      assert.equal(report.ok, false);
      const notANumber = report.rejections.filter((r) => /value is not a number/.test(r.reason));
      const duplicates = report.rejections.filter((r) => /duplicate key/.test(r.reason));
      assert.equal(notANumber.length, REJECTIONS_LISTED_PER_REASON);
      assert.equal(duplicates.length, REJECTIONS_LISTED_PER_REASON);
      assert.deepEqual(
        notANumber.slice(0, 2).map((r) => r.line),
        [2, 3],
      );
      assert.deepEqual(report.unlisted, [
        {
          file: "observations.csv",
          reason: 'value is not a number: "…"',
          count: 5000 - REJECTIONS_LISTED_PER_REASON,
        },
        {
          file: "observations.csv",
          reason:
            "duplicate key (org_code, metric_id, period_start, period_end) first seen on line N",
          count: 4999 - REJECTIONS_LISTED_PER_REASON,
        },
      ]);
      const echoed = report.rejections.find((r) => r.file === "cqc_ratings.csv")!;
      assert.equal(
        echoed.reason,
        `overall must be one of outstanding|good|requires_improvement|inadequate or blank, not "${"z".repeat(ECHOED_VALUE_LIMIT)}…" (100000 characters)`,
      );
    });
  });
}
