/**
 * requirements §2, rule C: `oversight import-statistics ae-attendances <dir>` (importAeAttendances) on
 * the 36 tidy monthly files of data/ae-attendances (April 2016 – March 2019, copied unchanged
 * from ../shared/data/ae_attendances). Expected values are recomputed here from the raw rows:
 * all types summed for all-types performance, type 1 alone for type 1.
 */
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { registryOrganisations } from "../../src/ingest/registry.js";
import {
  importAeAttendances,
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
import {
  AE_ATTENDANCES_DIR,
  attendanceFiles,
  attendanceRowsByOrgMonth,
  attendancesExpected,
  readRows,
  type Expected,
} from "./ae-raw.js";

const fed = shippedFrameworks().metricsFedBy("ae");
const registry = new Set(registryOrganisations().map((o) => o.code));
const ALL_FILES = attendanceFiles(AE_ATTENDANCES_DIR);
/** Three months: the first, the month Manchester University FT (R0A) opened, and the last. */
const SOME_FILES = ["2016-04-01.csv", "2017-10-01.csv", "2019-03-01.csv"];

interface Oracle {
  observations: Map<string, Expected>;
  perMetric: Map<string, number>;
  skippedRows: Record<string, number>;
}

/** What importing `files` should store: "org|metric|period" → value, and the skipped codes. */
function oracle(files: string[]): Oracle {
  const observations = new Map<string, Expected>();
  const perMetric = new Map<string, number>();
  const skippedRows: Record<string, number> = {};
  for (const [key, rows] of attendanceRowsByOrgMonth(AE_ATTENDANCES_DIR, files)) {
    const [org, period] = key.split("|") as [string, string];
    if (!registry.has(org)) {
      skippedRows[org] = (skippedRows[org] ?? 0) + rows.length;
      continue;
    }
    for (const [measure, e] of attendancesExpected(rows)) {
      const metric = fed.get(measure);
      if (!metric) continue;
      observations.set(`${org}|${metric}|${period}`, e);
      perMetric.set(metric, (perMetric.get(metric) ?? 0) + 1);
    }
  }
  return { observations, perMetric, skippedRows };
}

for (const engine of testEngines()) {
  describe(`import-statistics ae-attendances, the demo's real A&E series [${engine}] (requirements §2 C)`, () => {
    let t: TestDatabase;
    let tmp: string;
    let some: string;
    let report: StatisticsImportReport;
    const expected = oracle(SOME_FILES);
    const stored = () =>
      t.db.query<{
        org_code: string;
        metric_id: string;
        period_start: string;
        period_end: string;
        value: number;
        numerator: number | null;
        denominator: number | null;
      }>(
        "SELECT org_code, metric_id, period_start, period_end, value, numerator, denominator FROM observations",
      );
    const counts = async () =>
      (
        await t.db.query<{ observations: number; imports: number }>(
          `SELECT (SELECT count(*)::int FROM observations) AS observations,
                  (SELECT count(*)::int FROM imports) AS imports`,
        )
      )[0]!;

    before(async () => {
      tmp = mkdtempSync(join(tmpdir(), "oversight-ae-attendances-"));
      some = join(tmp, "some");
      for (const f of SOME_FILES) {
        copyFileSync(join(AE_ATTENDANCES_DIR, f), join(folder(some), f));
      }
      t = await openTestDatabase(engine);
      await loadRegistry(t.ctx);
      report = await importAeAttendances(t.ctx, some, { importedBy: "test" });
    });
    after(async () => {
      await t.close();
      rmSync(tmp, { recursive: true, force: true });
    });

    it("imports three monthly files: one observation per registry trust, month and fed metric", async () => {
      assert.deepEqual(report.rejections, []);
      assert.equal(report.ok, true);
      assert.equal(report.observations, expected.observations.size);
      assert.deepEqual(
        report.files.map((f) => [f.file, f.added]),
        SOME_FILES.map((f) => [
          f,
          [...expected.observations.keys()].filter((k) => k.endsWith(`|${f.slice(0, 10)}`)).length,
        ]),
      );
      const perMetric = await t.db.query<{ metric_id: string; n: number }>(
        "SELECT metric_id, count(*)::int AS n FROM observations GROUP BY metric_id ORDER BY metric_id",
      );
      assert.deepEqual(
        perMetric.map((r) => [r.metric_id, r.n]),
        [...expected.perMetric].sort(),
      );
      assert.equal(
        expected.perMetric.has(fed.get("twelve_hour_dta")!),
        false,
        "the tidy files carry no 12-hour waits",
      );
    });

    it("skips and counts (by rows) the codes that are not in the registry", () => {
      assert.deepEqual(report.skippedCodes, expected.skippedRows);
      assert.ok(Object.keys(report.skippedCodes).length > 0);
    });

    it("Guy's and St Thomas' (RJ1), April 2016: all types summed; type 1 alone", async () => {
      const rows = readRows(join(AE_ATTENDANCES_DIR, "2016-04-01.csv")).filter(
        (r) => r.org_code === "RJ1",
      );
      assert.deepEqual(rows.map((r) => r.type).sort(), ["1", "2", "other"]);
      const attendances = rows.reduce((n, r) => n + Number(r.attendances), 0);
      const breaches = rows.reduce((n, r) => n + Number(r.breaches), 0);
      const type1 = rows.find((r) => r.type === "1")!;
      const rj1 = new Map(
        (await stored())
          .filter((o) => o.org_code === "RJ1" && o.period_start === "2016-04-01")
          .map((o) => [o.metric_id, o]),
      );
      const all = rj1.get(fed.get("four_hour_all")!)!;
      assert.equal(all.period_end, "2016-04-30");
      assert.equal(all.numerator, attendances - breaches);
      assert.equal(all.denominator, attendances);
      assert.ok(Math.abs(all.value - (100 * (attendances - breaches)) / attendances) <= 0.005);
      const t1 = rj1.get(fed.get("four_hour_type1")!)!;
      assert.equal(t1.numerator, Number(type1.attendances) - Number(type1.breaches));
      assert.equal(t1.denominator, Number(type1.attendances));
      assert.equal(rj1.get(fed.get("attendances")!)!.value, attendances);
      assert.notEqual(all.value, t1.value, "type 2 and other departments count in all types");
    });

    it("every stored value is the one recomputed from the raw rows", async () => {
      const rows = await stored();
      assert.equal(rows.length, expected.observations.size);
      for (const o of rows) {
        const e = expected.observations.get(`${o.org_code}|${o.metric_id}|${o.period_start}`);
        assert.ok(e, `${o.org_code} ${o.metric_id} ${o.period_start} is expected`);
        assert.ok(Math.abs(o.value - e.value) <= 0.005);
        assert.equal(o.numerator, e.numerator);
        assert.equal(o.denominator, e.denominator);
      }
    });

    it("importing the same folder again changes nothing", async () => {
      const beforeCounts = await counts();
      const again = await importAeAttendances(t.ctx, some, { importedBy: "test" });
      assert.equal(again.importId, null);
      assert.equal(
        again.files.reduce((n, f) => n + f.unchanged, 0),
        expected.observations.size,
      );
      assert.deepEqual(await counts(), beforeCounts);
    });

    it("a folder with one malformed row is rejected whole with file:line; no month is written", async () => {
      const bad = join(tmp, "bad");
      copyFileSync(join(AE_ATTENDANCES_DIR, "2016-05-01.csv"), join(folder(bad), "2016-05-01.csv"));
      const june = readFileSync(join(AE_ATTENDANCES_DIR, "2016-06-01.csv"), "utf8").split("\n");
      june[4] = june[4]!.replace(/,(1|2|other),/, ",3,");
      june[7] = june[7]!.replace(/,(\d+),(\d+),(\d+)$/, ",$1,many,$3");
      writeFileSync(join(bad, "2016-06-01.csv"), june.join("\n"));
      const beforeCounts = await counts();
      const rejected = await importAeAttendances(t.ctx, bad, { importedBy: "test" });
      assert.equal(rejected.ok, false);
      assert.equal(rejected.importId, null);
      assert.deepEqual(
        rejected.rejections.map((r) => [r.file, r.line]),
        [
          ["2016-06-01.csv", 5],
          ["2016-06-01.csv", 8],
        ],
      );
      assert.match(rejected.rejections[0]!.reason, /type must be 1, 2 or other, not "3"/);
      assert.match(rejected.rejections[1]!.reason, /breaches is not a whole number: "many"/);
      assert.deepEqual(await counts(), beforeCounts, "not even the good May file");
    });

    it("a folder with no YYYY-MM-01.csv files, or no folder, is an error", async () => {
      const empty = folder(join(tmp, "empty"));
      writeFileSync(join(empty, "april.csv"), "period,org_code\n");
      await assert.rejects(
        importAeAttendances(t.ctx, empty, { importedBy: "test" }),
        StatisticsSourceError,
      );
      await assert.rejects(
        importAeAttendances(t.ctx, join(tmp, "missing"), { importedBy: "test" }),
        StatisticsSourceError,
      );
    });

    it("the full directory: 36 months, every value as recomputed, the three months already there unchanged", async () => {
      assert.equal(ALL_FILES.length, 36);
      const full = oracle(ALL_FILES);
      const imported = await importAeAttendances(t.ctx, AE_ATTENDANCES_DIR, { importedBy: "test" });
      assert.equal(imported.ok, true);
      assert.equal(imported.observations, full.observations.size);
      assert.deepEqual(imported.skippedCodes, full.skippedRows);
      assert.equal(
        imported.files.reduce((n, f) => n + f.unchanged, 0),
        expected.observations.size,
      );
      assert.equal(
        imported.files.reduce((n, f) => n + f.added, 0),
        full.observations.size - expected.observations.size,
      );
      const rows = await stored();
      assert.equal(rows.length, full.observations.size);
      assert.equal(new Set(rows.map((r) => r.period_start)).size, 36);
      for (const o of rows) {
        const e = full.observations.get(`${o.org_code}|${o.metric_id}|${o.period_start}`);
        assert.ok(e && Math.abs(o.value - e.value) <= 0.005, `${o.org_code} ${o.period_start}`);
      }
    });
  });
}

/** Makes the folder (and its parents) if need be, and names it. */
function folder(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}
