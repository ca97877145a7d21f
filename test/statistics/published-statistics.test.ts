/**
 * requirements §19: `oversight import-statistics <dataset> <file>` on NHS England's files exactly as
 * published (../shared/data, data/README.md), and `oversight nof derive` against NHS England's
 * published NOF 2025/26 Q1 acute values. Each real file is imported once; expected values are
 * summed here from the raw rows, never taken from the importer. Variations (a missing or renamed
 * column, a non-numeric cell, a truncated archive, a later revision) are derived in code.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync, gzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { after, before, describe, it } from "node:test";
import { openCsvTable } from "../../src/ingest/statistics/published-table.js";
import { deriveNof, type NofDerivation } from "../../src/services/derive-nof.js";
import {
  importPublishedStatistics,
  type StatisticsImportReport,
} from "../../src/services/import-statistics.js";
import { loadRegistry } from "../registry/load-registry.js";
import { openTestDatabase, type TestDatabase } from "../support/database.js";

const DATA = fileURLToPath(new URL("../../../shared/data/", import.meta.url));
const present = existsSync(join(DATA, "README.md"));
const file = (path: string) => join(DATA, path);
const CWT = file("cancer-waiting-times/CWT-CRS-Apr-2025-to-Jul-2025-Data-Extract-Provider.xlsx");
const SURVEY = file("staff-survey/NSS24 detailed spreadsheets organisational results.xlsx");
const DM01 = file("diagnostics-dm01/DM01-MARCH-2026-full-extract_32W3L.zip");
const SITREP = file("uec-sitrep-beds/202509-September-2025-beds-sitrep-data-finalversion.csv");
const KH03 = file("kh03-beds/KH03-Available-Overnight-only.csv");
const RTT = file("rtt/20260131-RTT-January-2026-full-extract.csv.gz");
const NOF_ACUTE = file("nof-2025-26/nhs-oversight-framework-acute-trust-data.csv");

describe(
  "import-statistics on the published files (requirements §19)",
  { skip: !present && "../shared/data is not present" },
  () => {
    let t: TestDatabase;
    let tmp: string;
    const reports = new Map<string, StatisticsImportReport>();
    let derived: NofDerivation;
    const observationCount = async () =>
      (await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM observations"))[0]!.n;
    const stored = async (metric: string, org: string) =>
      t.db.query<{
        value: number;
        numerator: number | null;
        denominator: number | null;
        period_start: string;
      }>(
        `SELECT value, numerator, denominator, to_char(period_start, 'YYYY-MM-DD') AS period_start
         FROM observations WHERE metric_id = $1 AND org_code = $2 AND superseded_at IS NULL
        ORDER BY period_start`,
        [metric, org],
      );

    /** The RTT extract's header and every row of two providers: RXC (in the registry) and A4M8P (not). */
    let rttExcerpt: string[];

    before(async () => {
      tmp = mkdtempSync(join(tmpdir(), "oversight-statistics-"));
      t = await openTestDatabase("pglite");
      await loadRegistry(t.ctx);
      for (const [dataset, path] of [
        ["cancer-waiting-times", CWT],
        ["staff-survey", SURVEY],
        ["dm01", DM01],
        ["beds-sitrep", SITREP],
        ["kh03", KH03],
      ] as const)
        reports.set(
          dataset,
          await importPublishedStatistics(t.ctx, dataset, path, { importedBy: "test" }),
        );
      const lines = gunzipSync(readFileSync(RTT)).toString("utf8").split("\r\n");
      rttExcerpt = [lines[0]!, ...lines.filter((l) => /^[^,]*,[^,]*,[^,]*,(RXC|A4M8P),/.test(l))];
      const rttPath = join(tmp, "rtt-excerpt.csv.gz");
      writeFileSync(rttPath, gzipSync(rttExcerpt.join("\r\n") + "\r\n"));
      reports.set(
        "rtt",
        await importPublishedStatistics(t.ctx, "rtt", rttPath, { importedBy: "test" }),
      );
      const result = await deriveNof(t.ctx, "Q1 2025/26", NOF_ACUTE);
      assert.ok(result.ok);
      derived = result.report;
    });
    after(async () => {
      await t?.close();
      rmSync(tmp, { recursive: true, force: true });
    });

    it("reads every file as published (xlsx, zip, gzip with CRLF, CSV with BOM, long CSV) with nothing rejected", () => {
      for (const [dataset, report] of reports) {
        assert.deepEqual(report.rejections, [], dataset);
        assert.equal(report.ok, true, dataset);
        assert.ok(report.observations > 0, dataset);
      }
    });

    it("OF0010 and OF0011 = 100 × Σ WITHIN STANDARD ÷ Σ TOTAL TREATED over April–June 2025 agree with NHS England for all 118 acute trusts (data/README.md)", () => {
      for (const id of ["OF0010", "OF0011"]) {
        const m = derived.metrics[id]!;
        assert.deepEqual(
          [m.compared, m.agreed, m.tolerance, m.disagreements],
          [118, 118, 0.01, []],
          id,
        );
      }
    });

    it("OF0061 (PP3_2 raising concerns) and OF0084 (staff engagement) from the 2024 survey agree for all 134 acute trusts, Isle of Wight (R1F) by its acute sector R1F1; so do their scores OF1061/OF1084 ranked within the trust type", () => {
      for (const id of ["OF0061", "OF0084"]) {
        const m = derived.metrics[id]!;
        assert.deepEqual(
          [m.compared, m.agreed, m.disagreements, m.not_derived],
          [134, 134, [], []],
          id,
        );
        assert.deepEqual(
          [m.score?.compared, m.score?.agreed, m.score?.disagreements],
          [134, 134, []],
          id,
        );
      }
      assert.equal(
        reports.get("staff-survey")!.skippedCodes.R1F2,
        1,
        "the ambulance sector is not the acute trust",
      );
    });

    it("a metric no statistic here makes says why, and one whose period was not imported (RTT: June 2025) says which period is missing", () => {
      assert.match(derived.metrics.OF0079!.reason ?? "", /financial plans/);
      assert.equal(derived.metrics.OF0023!.compared, 0);
      assert.match(
        derived.metrics.OF0023!.reason ?? "",
        /no imported rtt\.incomplete_within_18_weeks observations for Q1 2025\/26/,
      );
    });

    it("RTT: a provider's incomplete pathways are the C_999 rows summed over all its commissioners (RXC: 56 of them)", async () => {
      const [header, ...records] = parse(rttExcerpt.join("\r\n")) as string[][];
      const rows = records.filter((c) => c[3] === "RXC" && c[9] === "Part_2" && c[11] === "C_999");
      assert.equal(rows.length, 56);
      const col = (name: string) => header!.indexOf(name);
      const within = rows.reduce(
        (n, c) =>
          n +
          c
            .slice(col("Gt 00 To 01 Weeks SUM 1"), col("Gt 17 To 18 Weeks SUM 1") + 1)
            .reduce((a, x) => a + Number(x || 0), 0),
        0,
      );
      const over52 = rows.reduce(
        (n, c) =>
          n +
          c
            .slice(col("Gt 52 To 53 Weeks SUM 1"), col("Gt 104 Weeks SUM 1") + 1)
            .reduce((a, x) => a + Number(x || 0), 0),
        0,
      );
      const total = rows.reduce((n, c) => n + Number(c[col("Total All")]), 0);
      const [rtt18] = await stored("rtt_18wk", "RXC");
      assert.deepEqual(rtt18, {
        value: Math.round((10000 * within) / total) / 100,
        numerator: within,
        denominator: total,
        period_start: "2026-01-01",
      });
      const [rtt52] = await stored("rtt_52wk", "RXC");
      assert.equal(rtt52!.numerator, over52);
      assert.equal(rtt52!.denominator, total);
    });

    it("organisations not in the registry are counted and reported, never stored (RTT A4M8P Buckshaw Hospital; staff survey CSU 0AR)", async () => {
      assert.equal(
        reports.get("rtt")!.skippedCodes.A4M8P,
        rttExcerpt.filter((l) => l.includes(",A4M8P,")).length,
      );
      assert.ok((reports.get("staff-survey")!.skippedCodes["0AR"] ?? 0) > 0);
      const rows = await t.db.query("SELECT 1 FROM observations WHERE org_code = ANY($1::text[])", [
        ["A4M8P", "0AR"],
      ]);
      assert.equal(rows.length, 0);
    });

    it("DM01: a provider's 6-week share sums its waiting list over commissioners and tests", async () => {
      const table = await openCsvTable(DM01);
      const col = (name: string) => table.header.indexOf(name);
      let waiting6 = 0;
      let total = 0;
      const provider = "RXC";
      for await (const { cells } of table.rows) {
        if (cells[col("Provider Org Code")] !== provider) continue;
        for (let i = col("06 < 07 Weeks"); i <= col("13+ Weeks"); i++) waiting6 += Number(cells[i]);
        total += Number(cells[col("Total WL")]);
      }
      const [obs] = await stored("diagnostics_6wk", provider);
      assert.deepEqual(
        [obs!.numerator, obs!.denominator, obs!.period_start],
        [waiting6, total, "2026-03-01"],
      );
    });

    it("KH03: each quarter-end snapshot is the quarter's G&A beds as published; the sitrep's adult G&A occupancy is Σ occupied ÷ Σ available over the provider's rows", async () => {
      const kh03 = readFileSync(KH03, "utf8")
        .split("\r\n")
        .filter((l) => l.startsWith("RXC,General & Acute,"))
        .map((l) => l.split(","));
      const stored2020 = await stored("kh03_ga_beds_available", "RXC");
      assert.equal(stored2020.length, kh03.length);
      const q3 = kh03.find((c) => c[3] === "30/09/2020")!;
      assert.deepEqual(
        stored2020.find((o) => o.period_start === "2020-07-01"),
        { value: Number(q3[2]), numerator: null, denominator: null, period_start: "2020-07-01" },
      );
      const sitrep = readFileSync(SITREP, "utf8")
        .split("\r\n")
        .filter((l) => l.includes(",Provider,") && l.includes(",RXC,"))
        .map((l) => l.split(","));
      const sum = (metric: string) =>
        sitrep.filter((c) => c[6] === metric).reduce((n, c) => n + Number(c[8]), 0);
      const [occupancy] = await stored("bed_occupancy", "RXC");
      assert.equal(occupancy!.numerator, sum("Adult G&A beds occupied"));
      assert.equal(occupancy!.denominator, sum("Adult G&A beds available"));
      assert.equal(occupancy!.period_start, "2025-09-01");
    });

    it("a second import of the same file changes nothing: no import recorded, every observation unchanged", async () => {
      const before = await observationCount();
      const again = await importPublishedStatistics(t.ctx, "beds-sitrep", SITREP, {
        importedBy: "test",
      });
      assert.equal(again.importId, null);
      assert.equal(again.files[0]!.unchanged, reports.get("beds-sitrep")!.observations);
      assert.equal(await observationCount(), before);
    });

    it("a later revision of a month is a new revision, the old one kept (superseded)", async () => {
      const lines = readFileSync(SITREP, "utf8").split("\r\n");
      const at = lines.findIndex((l) =>
        /,Provider,.*,RXC,.*,Adult G&A beds occupied,Type 1,/.test(l),
      );
      const cells = lines[at]!.split(",");
      cells[cells.length - 1] = String(Number(cells[cells.length - 1]) - 10);
      lines[at] = cells.join(",");
      const revised = join(tmp, "202509-September-2025-beds-sitrep-data-revised.csv");
      writeFileSync(revised, lines.join("\r\n"));
      const report = await importPublishedStatistics(t.ctx, "beds-sitrep", revised, {
        importedBy: "test",
      });
      assert.equal(report.files[0]!.revised, 1);
      const history = await t.db.query<{ revision: number; current: boolean }>(
        `SELECT revision, superseded_at IS NULL AS current FROM observations
        WHERE metric_id = 'bed_occupancy' AND org_code = 'RXC' ORDER BY revision`,
      );
      assert.deepEqual(history, [
        { revision: 1, current: false },
        { revision: 2, current: true },
      ]);
    });

    describe("bad input: one clear error naming the file, line or column; nothing kept", () => {
      const rejected = async (dataset: string, path: string) => {
        const before = await observationCount();
        const report = await importPublishedStatistics(t.ctx, dataset, path, {
          importedBy: "test",
        });
        assert.equal(report.ok, false);
        assert.equal(await observationCount(), before, "nothing kept");
        return report.rejections;
      };
      const sitrepLines = () => readFileSync(SITREP, "utf8").split("\r\n");

      it("a missing column", async () => {
        const path = join(tmp, "sitrep-no-value.csv");
        writeFileSync(
          path,
          sitrepLines()
            .map((l) => l.split(",").slice(0, -1).join(","))
            .join("\n"),
        );
        const [r] = await rejected("beds-sitrep", path);
        assert.deepEqual([r!.file, r!.line], ["sitrep-no-value.csv", 1]);
        assert.match(r!.reason, /missing column\(s\) "Value"/);
      });

      it("a renamed column (RTT `Total All` as `Total all`)", async () => {
        const path = join(tmp, "rtt-renamed.csv");
        writeFileSync(
          path,
          [rttExcerpt[0]!.replace("Total All", "Total all"), ...rttExcerpt.slice(1)].join("\r\n"),
        );
        const [r] = await rejected("rtt", path);
        assert.equal(r!.line, 1);
        assert.match(r!.reason, /missing column\(s\) "Total All"/);
      });

      it("a non-numeric cell, named by line and column", async () => {
        const lines = sitrepLines();
        const at = lines.findIndex((l) => /,Provider,.*,Adult G&A beds available,/.test(l));
        lines[at] = lines[at]!.replace(/,[^,]*$/, ",n/a");
        const path = join(tmp, "sitrep-bad-cell.csv");
        writeFileSync(path, lines.join("\r\n"));
        const rejections = await rejected("beds-sitrep", path);
        assert.deepEqual(rejections, [
          {
            file: "sitrep-bad-cell.csv",
            line: at + 1,
            reason: 'column "Value" is not a number: "n/a"',
          },
        ]);
      });

      it("a truncated zip", async () => {
        const bytes = readFileSync(DM01);
        const path = join(tmp, "DM01-truncated.zip");
        writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
        const [r] = await rejected("dm01", path);
        assert.equal(r!.file, "DM01-truncated.zip");
        assert.match(r!.reason, /not a complete zip archive/);
      });

      it("a truncated gzip", async () => {
        const bytes = gzipSync(rttExcerpt.join("\r\n"));
        const path = join(tmp, "rtt-truncated.csv.gz");
        writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
        const [r] = await rejected("rtt", path);
        assert.equal(r!.file, "rtt-truncated.csv.gz");
        assert.match(r!.reason, /truncated or corrupt/);
      });
    });
  },
);
