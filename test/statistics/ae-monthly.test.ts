/**
 * requirements §2, rule B: `oversight import-statistics ae-monthly <file>` (importAeMonthly) on NHS
 * England's monthly A&E provider CSV exactly as published (../shared/data/nhse-statistics).
 * Expected values come from the raw columns of that file (ae-raw.ts), never from the importer.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parseAePeriod } from "../../src/ingest/ae-statistics.js";
import { registryOrganisations } from "../../src/ingest/registry.js";
import {
  importAeMonthly,
  StatisticsSourceError,
  type StatisticsImportReport,
} from "../../src/services/import-statistics.js";
import {
  openTestDatabase,
  shippedFrameworks,
  testEngines,
  type TestDatabase,
} from "../support/database.js";
import { loadRegistry } from "../registry/load-registry.js";
import { AE_MONTHLY_SAMPLE, isTotalRow, monthlyExpected, readRows } from "./ae-raw.js";

const fed = shippedFrameworks().metricsFedBy("ae");
const registry = new Set(registryOrganisations().map((o) => o.code));
const raw = readRows(AE_MONTHLY_SAMPLE);
const orgRows = raw.filter((r) => !isTotalRow(r));
const knownRows = orgRows.filter((r) => registry.has(r["Org Code"]!));

/** Expected observations, "org|metric" → value, from the raw columns. */
const expected = new Map(
  knownRows.flatMap((row) =>
    [...monthlyExpected(row)].flatMap(([measure, e]) => {
      const metric = fed.get(measure);
      return metric ? [[`${row["Org Code"]}|${metric}`, e] as const] : [];
    }),
  ),
);
const expectedPerMetric = new Map<string, number>();
for (const key of expected.keys()) {
  const metric = key.split("|")[1]!;
  expectedPerMetric.set(metric, (expectedPerMetric.get(metric) ?? 0) + 1);
}

const lines = readFileSync(AE_MONTHLY_SAMPLE, "utf8").split("\r\n");
const header = lines[0]!.split(",");

/** A copy of the sample with cells changed (rows named by Org Code), in a temp folder. */
function variant(
  dir: string,
  name: string,
  changes: { org: string; column: string; value: string }[],
): { path: string; lineOf: (org: string) => number } {
  const copy = [...lines];
  const lineOf = (org: string) => copy.findIndex((l) => l.split(",")[1] === org) + 1;
  for (const { org, column, value } of changes) {
    const index = lineOf(org) - 1;
    assert.ok(index > 0 && !copy[index]!.includes('"'), `a plain row for ${org}`);
    const cells = copy[index]!.split(",");
    cells[header.indexOf(column)] = value;
    copy[index] = cells.join(",");
  }
  const path = join(dir, name);
  writeFileSync(path, copy.join("\r\n"));
  return { path, lineOf };
}

describe("A&E monthly period names", () => {
  it("reads MSitAE-<MONTH>-<YYYY>, full or three-letter month, as the first of the month", () => {
    assert.equal(parseAePeriod("MSitAE-MAY-2026"), "2026-05-01");
    assert.equal(parseAePeriod("MSitAE-SEPTEMBER-2025"), "2025-09-01");
    assert.equal(parseAePeriod("MSitAE-Sep-2025"), "2025-09-01");
    assert.equal(parseAePeriod("MSitAE-JU-2025"), undefined, "ambiguous: June or July");
    assert.equal(parseAePeriod("TOTAL"), undefined);
  });
});

for (const engine of testEngines()) {
  describe(`import-statistics ae-monthly, published May 2026 file [${engine}] (requirements §2 B)`, () => {
    let t: TestDatabase;
    let report: StatisticsImportReport;
    let tmp: string;
    const counts = async () =>
      (
        await t.db.query<{ observations: number; imports: number; files: number }>(
          `SELECT (SELECT count(*)::int FROM observations) AS observations,
                  (SELECT count(*)::int FROM imports) AS imports,
                  (SELECT count(*)::int FROM import_files) AS files`,
        )
      )[0]!;

    before(async () => {
      tmp = mkdtempSync(join(tmpdir(), "oversight-ae-monthly-"));
      t = await openTestDatabase(engine);
      await loadRegistry(t.ctx);
      report = await importAeMonthly(t.ctx, AE_MONTHLY_SAMPLE, { importedBy: "test" });
    });
    after(async () => {
      await t.close();
      rmSync(tmp, { recursive: true, force: true });
    });

    it("imports the file as published, all or nothing; its national TOTAL row is not an organisation", async () => {
      assert.ok(raw.some(isTotalRow), "the publication ends with a TOTAL row");
      assert.deepEqual(report.rejections, []);
      assert.equal(report.ok, true);
      assert.notEqual(report.importId, null);
      assert.equal(report.observations, expected.size);
      const [imp] = await t.db.query<{ kind: string; synthetic: boolean }>(
        "SELECT kind, synthetic FROM imports WHERE id = $1",
        [report.importId],
      );
      assert.deepEqual(imp, { kind: "ae-monthly", synthetic: false });
    });

    it("imports one observation per registry trust and fed metric, for May 2026", async () => {
      const rows = await t.db.query<{ metric_id: string; n: number }>(
        `SELECT metric_id, count(*)::int AS n FROM observations
          WHERE period_start = '2026-05-01' AND period_end = '2026-05-31'
          GROUP BY metric_id ORDER BY metric_id`,
      );
      assert.deepEqual(
        rows.map((r) => [r.metric_id, r.n]),
        [...expectedPerMetric].sort(),
      );
      const [all] = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM observations");
      assert.equal(all!.n, expected.size);
    });

    it("skips and counts codes not in the registry (independent sector sites such as Workington Health Limited, AJN)", async () => {
      const skipped = Object.fromEntries(
        orgRows.filter((r) => !registry.has(r["Org Code"]!)).map((r) => [r["Org Code"]!, 1]),
      );
      assert.deepEqual(report.skippedCodes, skipped);
      const ajn = raw.find((r) => r["Org Code"] === "AJN");
      assert.equal(ajn?.["Org name"], "WORKINGTON HEALTH LIMITED");
      assert.equal(report.skippedCodes.AJN, 1);
      assert.equal(report.skippedCodes.NTP11, 1, "Practice Plus Group Hospital, Southampton");
      assert.equal("TOTAL" in report.skippedCodes, false);
      const stored = await t.db.query(
        "SELECT 1 FROM observations WHERE org_code = ANY($1::text[])",
        [Object.keys(skipped)],
      );
      assert.equal(stored.length, 0);
    });

    it("East Sussex Healthcare (RXC): 4-hour all types = (attendances − over 4h) / attendances, booked appointments included", async () => {
      const row = raw.find((r) => r["Org Code"] === "RXC")!;
      const n = (column: string) => Number(row[column]);
      const attendances =
        n("A&E attendances Type 1") +
        n("A&E attendances Type 2") +
        n("A&E attendances Other A&E Department") +
        n("A&E attendances Booked Appointments Type 1") +
        n("A&E attendances Booked Appointments Type 2") +
        n("A&E attendances Booked Appointments Other Department");
      const over4h =
        n("Attendances over 4hrs Type 1") +
        n("Attendances over 4hrs Type 2") +
        n("Attendances over 4hrs Other Department") +
        n("Attendances over 4hrs Booked Appointments Type 1") +
        n("Attendances over 4hrs Booked Appointments Type 2") +
        n("Attendances over 4hrs Booked Appointments Other Department");
      const type1 = n("A&E attendances Type 1") + n("A&E attendances Booked Appointments Type 1");
      const type1Over4h =
        n("Attendances over 4hrs Type 1") + n("Attendances over 4hrs Booked Appointments Type 1");
      assert.ok(n("A&E attendances Booked Appointments Type 1") > 0, "RXC has booked type 1");
      const stored = new Map(
        (
          await t.db.query<{
            metric_id: string;
            value: number;
            numerator: number | null;
            denominator: number | null;
          }>(
            "SELECT metric_id, value, numerator, denominator FROM observations WHERE org_code = 'RXC'",
          )
        ).map((r) => [r.metric_id, r]),
      );
      const all = stored.get(fed.get("four_hour_all")!)!;
      assert.equal(all.numerator, attendances - over4h);
      assert.equal(all.denominator, attendances);
      assert.ok(Math.abs(all.value - (100 * (attendances - over4h)) / attendances) <= 0.005);
      const t1 = stored.get(fed.get("four_hour_type1")!)!;
      assert.equal(t1.numerator, type1 - type1Over4h);
      assert.equal(t1.denominator, type1);
      assert.ok(Math.abs(t1.value - (100 * (type1 - type1Over4h)) / type1) <= 0.005);
      assert.equal(
        stored.get(fed.get("twelve_hour_dta")!)!.value,
        n("Patients who have waited 12+ hrs from DTA to admission"),
      );
      assert.equal(stored.get(fed.get("attendances")!)!.value, attendances);
    });

    it("every stored value is the raw file's, to the 0.01 percentage point it is rounded to", async () => {
      const stored = await t.db.query<{
        org_code: string;
        metric_id: string;
        value: number;
        numerator: number | null;
        denominator: number | null;
      }>("SELECT org_code, metric_id, value, numerator, denominator FROM observations");
      assert.equal(stored.length, expected.size);
      for (const s of stored) {
        const e = expected.get(`${s.org_code}|${s.metric_id}`);
        assert.ok(e, `${s.org_code} ${s.metric_id} is expected`);
        assert.ok(Math.abs(s.value - e.value) <= 0.005, `${s.org_code} ${s.metric_id}`);
        assert.equal(Number(s.value.toFixed(2)), s.value, "stored rounded to 0.01");
        assert.equal(s.numerator, e.numerator);
        assert.equal(s.denominator, e.denominator);
      }
    });

    it("a trust with no A&E attendances gets no A&E observation, not even a 0 of 12-hour waits", async () => {
      const none = knownRows.filter((r) => monthlyExpected(r).size === 0);
      assert.ok(none.length > 0, "the file lists trusts with no A&E (e.g. The Christie, RBV)");
      const stored = await t.db.query("SELECT 1 FROM observations WHERE org_code = ANY($1)", [
        none.map((r) => r["Org Code"]),
      ]);
      assert.equal(stored.length, 0);
    });

    it("importing the same file twice changes nothing", async () => {
      const beforeCounts = await counts();
      const again = await importAeMonthly(t.ctx, AE_MONTHLY_SAMPLE, { importedBy: "test" });
      assert.equal(again.ok, true);
      assert.equal(again.importId, null);
      assert.equal(again.files[0]?.unchanged, expected.size);
      assert.equal(again.files[0]?.added, 0);
      assert.equal(again.files[0]?.revised, 0);
      assert.deepEqual(await counts(), beforeCounts);
    });

    it("a copy with a non-numeric count is rejected whole with file:line, though its other rows would revise data", async () => {
      const beforeCounts = await counts();
      const { path, lineOf } = variant(tmp, "bad-count.csv", [
        { org: "RRK", column: "A&E attendances Type 1", value: "36270" },
        { org: "RXC", column: "A&E attendances Type 1", value: "n/a" },
      ]);
      const bad = await importAeMonthly(t.ctx, path, { importedBy: "test" });
      assert.equal(bad.ok, false);
      assert.equal(bad.importId, null);
      assert.equal(bad.observations, 0);
      // One bad cell is one problem, though the cell counts in both all-types and type 1.
      assert.deepEqual(bad.rejections, [
        {
          file: "bad-count.csv",
          line: lineOf("RXC"),
          reason: 'A&E attendances Type 1 is not a whole number: "n/a"',
        },
      ]);
      assert.deepEqual(await counts(), beforeCounts);
    });

    it("a copy missing a required column is rejected on line 1, naming the column", async () => {
      const column = header.indexOf("Patients who have waited 12+ hrs from DTA to admission");
      const path = join(tmp, "no-12h.csv");
      writeFileSync(
        path,
        lines
          .filter((l) => !l.includes('"'))
          .map((l) =>
            l
              .split(",")
              .filter((_, i) => i !== column)
              .join(","),
          )
          .join("\r\n"),
      );
      const beforeCounts = await counts();
      const bad = await importAeMonthly(t.ctx, path, { importedBy: "test" });
      assert.equal(bad.ok, false);
      assert.equal(bad.rejections.length, 1);
      assert.equal(bad.rejections[0]!.file, "no-12h.csv");
      assert.equal(bad.rejections[0]!.line, 1);
      assert.match(
        bad.rejections[0]!.reason,
        /missing Patients who have waited 12\+ hrs from DTA to admission/,
      );
      assert.deepEqual(await counts(), beforeCounts);
    });

    it("every problem is listed, including one on a site outside the registry and more waits over 4 hours than attendances", async () => {
      const { path, lineOf } = variant(tmp, "several.csv", [
        { org: "AJN", column: "A&E attendances Other A&E Department", value: "-4" },
        { org: "RJ1", column: "Attendances over 4hrs Type 1", value: "99999" },
        { org: "RXC", column: "Period", value: "MSitAE-MAYBE-2026" },
      ]);
      const beforeCounts = await counts();
      const bad = await importAeMonthly(t.ctx, path, { importedBy: "test" });
      assert.equal(bad.ok, false);
      assert.deepEqual(
        bad.rejections.map((r) => [r.file, r.line]),
        [
          ["several.csv", lineOf("AJN")],
          ["several.csv", lineOf("RJ1")],
          ["several.csv", lineOf("RXC")],
        ],
      );
      assert.match(bad.rejections[0]!.reason, /not a whole number: "-4"/);
      assert.match(bad.rejections[1]!.reason, /more attendances over 4 hours than attendances/);
      assert.match(bad.rejections[2]!.reason, /bad period "MSitAE-MAYBE-2026"/);
      assert.deepEqual(await counts(), beforeCounts);
    });

    it("a path that is not a file is an error, not an import", async () => {
      await assert.rejects(
        importAeMonthly(t.ctx, tmp, { importedBy: "test" }),
        StatisticsSourceError,
      );
    });
  });
}
