/**
 * requirements §2, Data bundle import: a value derivable from numerator/denominator, idempotence,
 * revisions that keep history, and provenance on every row.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { formatRejection } from "../../src/ingest/csv-file.js";
import { importBundle } from "../../src/services/import-bundle.js";
import { openTestDatabase, testEngines, type TestDatabase } from "../support/database.js";
import {
  BASE_BUNDLE,
  HEADERS,
  TempFolders,
  csv,
  rowCounts,
  sha256OfFile,
  snapshot,
} from "./fixtures.js";

const temp = new TempFolders();
after(() => temp.remove());

async function withDatabase(
  engine: Parameters<typeof openTestDatabase>[0],
  work: (t: TestDatabase) => Promise<void>,
): Promise<void> {
  const t = await openTestDatabase(engine);
  try {
    await work(t);
  } finally {
    await t.close();
  }
}

interface ObservationRow {
  org_code: string;
  metric_id: string;
  period_start: string;
  value: number;
  numerator: number | null;
  denominator: number | null;
}

for (const engine of testEngines()) {
  describe(`requirements §2, Data bundle import: import rules [${engine}]`, () => {
    it("derives a blank value from numerator/denominator (requirements §2: value derivable)", async () => {
      await withDatabase(engine, async (t) => {
        const organisations = BASE_BUNDLE["organisations.csv"]!;
        // Values that cannot be derived, or derive out of range, are rejected first.
        const bad = await importBundle(
          t.ctx,
          temp.bundle({
            "organisations.csv": organisations,
            "observations.csv": csv(
              HEADERS.observations,
              "RAL,ae_4hr_all,2024-03-01,2024-03-31,,5,0",
              "RAL,ae_4hr_all,2024-04-01,2024-04-30,,750,",
              "RAL,ae_4hr_all,2024-05-01,2024-05-31,,1100,1000",
            ),
          }),
          { importedBy: "tester" },
        );
        assert.deepEqual(bad.rejections.map(formatRejection), [
          "observations.csv:2: value cannot be derived: denominator is 0",
          "observations.csv:3: value is required unless numerator and denominator are given",
          "observations.csv:4: value 110 is outside the valid range 0–100 of ae_4hr_all",
        ]);
        assert.equal((await rowCounts(t.db)).observations, 0);

        const report = await importBundle(
          t.ctx,
          temp.bundle({
            "organisations.csv": organisations,
            "observations.csv": csv(
              HEADERS.observations,
              "RAL,ae_4hr_all,2024-03-01,2024-03-31,,1234,1500",
              "RKE,ae_4hr_all,2024-03-01,2024-03-31,,2,3",
              "RAL,shmi,2023-01-01,2023-12-31,,1100,1000",
              // A value given with numerator/denominator is kept as given.
              "RKE,ae_4hr_all,2024-04-01,2024-04-30,66.7,2,3",
              // A value with a denominator of 0 is accepted as given.
              "RKE,ae_4hr_all,2024-05-01,2024-05-31,0,0,0",
              "RKE,ae_4hr_all,2024-06-01,2024-06-30,,57,100",
              "RKE,ae_4hr_all,2024-07-01,2024-07-31,,7,100",
            ),
          }),
          { importedBy: "tester" },
        );
        assert.deepEqual(report.rejections, []);
        const rows = await t.db.query<ObservationRow>(
          `SELECT org_code, metric_id, period_start, value, numerator, denominator
             FROM observations ORDER BY org_code, metric_id, period_start`,
        );
        assert.equal(rows.length, 7);
        const [ralAe, ralShmi, rkeMarch, rkeApril, rkeMay, rkeJune, rkeJuly] = rows;
        // A percentage is 100 × numerator / denominator, the nearest double to it.
        assert.equal(ralAe!.metric_id, "ae_4hr_all");
        assert.equal(ralAe!.value, 82.26666666666667);
        assert.deepEqual([ralAe!.numerator, ralAe!.denominator], [1234, 1500]);
        assert.equal(rkeMarch!.value, 66.66666666666667);
        assert.equal(rkeJune!.value, 57);
        assert.equal(rkeJuly!.value, 7);
        // A ratio is numerator / denominator.
        assert.deepEqual(ralShmi, {
          org_code: "RAL",
          metric_id: "shmi",
          period_start: "2023-01-01",
          value: 1.1,
          numerator: 1100,
          denominator: 1000,
        });
        assert.equal(rkeApril!.value, 66.7);
        assert.deepEqual([rkeMay!.value, rkeMay!.numerator, rkeMay!.denominator], [0, 0, 0]);
      });
    });

    it("accepts an observations file without the optional numerator/denominator columns (requirements §2)", async () => {
      await withDatabase(engine, async (t) => {
        const report = await importBundle(
          t.ctx,
          temp.bundle({
            "organisations.csv": BASE_BUNDLE["organisations.csv"]!,
            "observations.csv": csv(
              "org_code,metric_id,period_start,period_end,value",
              "RAL,ae_4hr_all,2024-01-01,2024-01-31,72.5",
            ),
          }),
          { importedBy: "tester" },
        );
        assert.deepEqual(report.rejections, []);
        const rows = await t.db.query("SELECT value, numerator, denominator FROM observations");
        assert.deepEqual(rows, [{ value: 72.5, numerator: null, denominator: null }]);
      });
    });

    it("imports the same bundle twice as no change: no revisions, no new import (requirements §2: idempotent)", async () => {
      await withDatabase(engine, async (t) => {
        const dir = temp.bundle(BASE_BUNDLE);
        const first = await importBundle(t.ctx, dir, { importedBy: "tester" });
        assert.ok(first.ok);
        assert.notEqual(first.importId, null);
        assert.deepEqual(
          first.files.map((f) => [f.file, f.added, f.revised, f.unchanged]),
          [
            ["organisations.csv", 3, 0, 0],
            ["observations.csv", 3, 0, 0],
            ["cqc_ratings.csv", 1, 0, 0],
            ["intelligence.csv", 1, 0, 0],
          ],
        );
        const counts = await rowCounts(t.db);
        assert.deepEqual(counts, {
          organisations: 3,
          observations: 3,
          cqc_ratings: 1,
          intelligence: 1,
          imports: 1,
          import_files: 4,
        });
        const before = await snapshot(t.db);

        const second = await importBundle(t.ctx, dir, { importedBy: "someone else" });
        assert.ok(second.ok);
        assert.equal(second.importId, null);
        assert.deepEqual(
          second.files.map((f) => [f.file, f.rows, f.added, f.revised, f.unchanged]),
          [
            ["organisations.csv", 3, 0, 0, 3],
            ["observations.csv", 3, 0, 0, 3],
            ["cqc_ratings.csv", 1, 0, 0, 1],
            ["intelligence.csv", 1, 0, 0, 1],
          ],
        );
        assert.deepEqual(await rowCounts(t.db), counts);
        assert.deepEqual(await snapshot(t.db), before);

        // The same records written differently (CRLF, rows reordered, "72.50", a BOM) are
        // still the same records: idempotence is by key and value, not by file bytes.
        const reordered = BASE_BUNDLE["observations.csv"]!.toString().trimEnd().split("\n");
        const rewritten = `\ufeff${[reordered[0], reordered[3], reordered[2], reordered[1]!.replace("72.5", "72.50")].join("\r\n")}\r\n`;
        const third = await importBundle(
          t.ctx,
          temp.bundle({ ...BASE_BUNDLE, "observations.csv": rewritten }),
          { importedBy: "tester" },
        );
        assert.equal(third.importId, null);
        assert.deepEqual(
          third.files.map((f) => f.added + f.revised),
          [0, 0, 0, 0],
        );
        assert.deepEqual(await snapshot(t.db), before);
      });
    });

    it("keeps the old revision, superseded, when a value changes (requirements §2: revision)", async () => {
      await withDatabase(engine, async (t) => {
        const first = await importBundle(t.ctx, temp.bundle(BASE_BUNDLE), { importedBy: "a" });
        assert.ok(first.ok);
        const unchangedBefore = await t.db.query(
          "SELECT * FROM observations WHERE period_start = '2024-02-01'",
        );

        const second = await importBundle(
          t.ctx,
          temp.bundle({
            "organisations.csv": csv(
              HEADERS.organisations,
              "RAL,Royal Free London NHS FT,foundation_trust,acute,Y56,QMJ,2002-04-01,",
            ),
            "observations.csv": csv(
              HEADERS.observations,
              "RAL,ae_4hr_all,2024-01-01,2024-01-31,73.5,,",
              "RAL,ae_4hr_all,2024-02-01,2024-02-29,70.1,,",
            ),
          }),
          { importedBy: "b" },
        );
        assert.deepEqual(
          second.files.map((f) => [f.file, f.added, f.revised, f.unchanged]),
          [
            ["organisations.csv", 0, 1, 0],
            ["observations.csv", 0, 1, 1],
          ],
        );
        const third = await importBundle(
          t.ctx,
          temp.bundle({
            "observations.csv": csv(
              HEADERS.observations,
              "RAL,ae_4hr_all,2024-01-01,2024-01-31,74,740,1000",
            ),
          }),
          { importedBy: "c" },
        );
        assert.deepEqual(
          third.files.map((f) => [f.file, f.added, f.revised, f.unchanged]),
          [["observations.csv", 0, 1, 0]],
        );

        const importedAt = new Map(
          (
            await t.db.query<{ id: number; imported_at: string }>(
              "SELECT id, imported_at FROM imports",
            )
          ).map((r) => [r.id, r.imported_at]),
        );
        // The history of one key: every revision, oldest first, each but the last superseded
        // at the moment the import that replaced it was recorded.
        const history = await t.db.query<{
          revision: number;
          value: number;
          numerator: number | null;
          superseded_at: string | null;
          import_id: number;
        }>(
          `SELECT o.revision, o.value, o.numerator, o.superseded_at, f.import_id
             FROM observations o JOIN import_files f ON f.id = o.source_file_id
            WHERE o.org_code = $1 AND o.metric_id = $2 AND o.period_start = $3 AND o.period_end = $4
            ORDER BY o.revision`,
          ["RAL", "ae_4hr_all", "2024-01-01", "2024-01-31"],
        );
        assert.deepEqual(
          history.map((h) => [h.revision, h.value, h.numerator, h.import_id]),
          [
            [1, 72.5, null, first.importId],
            [2, 73.5, null, second.importId],
            [3, 74, 740, third.importId],
          ],
        );
        assert.equal(history[0]!.superseded_at, importedAt.get(second.importId!));
        assert.equal(history[1]!.superseded_at, importedAt.get(third.importId!));
        assert.equal(history[2]!.superseded_at, null);
        assert.ok(history[0]!.superseded_at! < history[1]!.superseded_at!);

        // Only the current revision is current; the unchanged row was not touched.
        const current = await t.db.query<{ value: number }>(
          `SELECT value FROM observations
            WHERE org_code = 'RAL' AND period_start = '2024-01-01' AND superseded_at IS NULL`,
        );
        assert.deepEqual(current, [{ value: 74 }]);
        assert.deepEqual(
          await t.db.query("SELECT * FROM observations WHERE period_start = '2024-02-01'"),
          unchangedBefore,
        );
        const names = await t.db.query(
          "SELECT revision, name, superseded_at IS NULL AS current FROM organisations WHERE code = 'RAL' ORDER BY revision",
        );
        assert.deepEqual(names, [
          { revision: 1, name: "Royal Free London NHS Foundation Trust", current: false },
          { revision: 2, name: "Royal Free London NHS FT", current: true },
        ]);
      });
    });

    it("records provenance on every row: file, SHA-256, when and by whom (requirements §2: provenance)", async () => {
      await withDatabase(engine, async (t) => {
        const dir = temp.bundle(BASE_BUNDLE);
        const started = Date.now();
        const report = await importBundle(t.ctx, dir, { importedBy: "alice" });
        assert.ok(report.ok);
        for (const f of report.files) assert.equal(f.sha256, sha256OfFile(join(dir, f.file)));

        const revised = temp.bundle({
          "observations.csv": csv(
            HEADERS.observations,
            "RAL,ae_4hr_all,2024-01-01,2024-01-31,73.5,,",
            "RAL,ae_4hr_all,2024-02-01,2024-02-29,70.1,,",
            "RAL,ae_4hr_all,2024-03-01,2024-03-31,69,,",
          ),
        });
        const second = await importBundle(t.ctx, revised, { importedBy: "bob" });
        assert.ok(second.ok);
        // Only files with changes are recorded, once each.
        assert.deepEqual(
          await t.db.query(
            "SELECT import_id, file_name FROM import_files ORDER BY import_id, file_name",
          ),
          [
            { import_id: report.importId, file_name: "cqc_ratings.csv" },
            { import_id: report.importId, file_name: "intelligence.csv" },
            { import_id: report.importId, file_name: "observations.csv" },
            { import_id: report.importId, file_name: "organisations.csv" },
            { import_id: second.importId, file_name: "observations.csv" },
          ],
        );

        const expectedSha = (importId: number | null, file: string) =>
          sha256OfFile(join(importId === report.importId ? dir : revised, file));
        for (const table of ["organisations", "observations", "cqc_ratings", "intelligence"]) {
          const rows = await t.db.query<{
            id: number;
            revision: number;
            file_name: string | null;
            sha256: string | null;
            import_id: number | null;
            imported_at: string | null;
            imported_by: string | null;
            kind: string | null;
          }>(
            `SELECT t.id, t.revision, f.file_name, f.sha256, f.import_id, i.imported_at, i.imported_by, i.kind
               FROM ${table} t
               LEFT JOIN import_files f ON f.id = t.source_file_id
               LEFT JOIN imports i ON i.id = f.import_id
              ORDER BY t.id`,
          );
          assert.ok(rows.length > 0, table);
          for (const row of rows) {
            const label = `${table} row ${row.id}`;
            assert.equal(row.file_name, `${table}.csv`, label);
            assert.match(row.sha256 ?? "", /^[0-9a-f]{64}$/, label);
            assert.equal(row.sha256, expectedSha(row.import_id, `${table}.csv`), label);
            assert.equal(row.kind, "bundle", label);
            assert.equal(row.imported_by, row.import_id === report.importId ? "alice" : "bob");
            const at = Date.parse(row.imported_at ?? "");
            // The database's clock, on this machine: allow a little skew.
            assert.ok(
              at >= started - 5000 && at <= Date.now() + 5000,
              `${label}: ${row.imported_at}`,
            );
          }
        }
        const observations = await t.db.query<{ revision: number; imported_by: string }>(
          `SELECT o.revision, i.imported_by FROM observations o
             JOIN import_files f ON f.id = o.source_file_id JOIN imports i ON i.id = f.import_id
            WHERE o.org_code = 'RAL' ORDER BY o.period_start, o.revision`,
        );
        // 2024-01: alice's revision 1 and bob's revision 2; 2024-02 unchanged; 2024-03 new.
        assert.deepEqual(
          observations.map((o) => [o.revision, o.imported_by]),
          [
            [1, "alice"],
            [2, "bob"],
            [1, "alice"],
            [1, "bob"],
          ],
        );
      });
    });
  });
}
