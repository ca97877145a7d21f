/**
 * requirements §2, Data bundle import: all or nothing. If any row fails, the import changes nothing and
 * the report lists every rejected row as `file:line: reason` (the header is line 1).
 *
 * Each bad bundle is otherwise full of valid rows (a new trust, new and revised observations, a
 * rating and an intelligence item), so an import that let the good rows through would show.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { formatRejection } from "../../src/ingest/csv-file.js";
import { importBundle } from "../../src/services/import-bundle.js";
import { openTestDatabase, testEngines, type TestDatabase } from "../support/database.js";
import {
  BASE_BUNDLE,
  HEADERS,
  TempFolders,
  filesOf,
  goodAdditions,
  rowCounts,
  snapshot,
  type BundleFiles,
} from "./fixtures.js";

for (const engine of testEngines()) {
  describe(`requirements §2, Data bundle import: all or nothing [${engine}]`, () => {
    let t: TestDatabase;
    const temp = new TempFolders();
    const baseCounts = {
      organisations: 3,
      observations: 3,
      cqc_ratings: 1,
      intelligence: 1,
      imports: 1,
      import_files: 4,
    };

    before(async () => {
      t = await openTestDatabase(engine);
      const report = await importBundle(t.ctx, temp.bundle(BASE_BUNDLE), { importedBy: "base" });
      assert.deepEqual(report.rejections, []);
      assert.deepEqual(await rowCounts(t.db), baseCounts);
    });
    after(async () => {
      await t.close();
      temp.remove();
    });

    /** Imports the bundle and asserts it was rejected with exactly `expected`, changing nothing. */
    async function assertRejected(files: BundleFiles, expected: string[]): Promise<void> {
      const before = await snapshot(t.db);
      const report = await importBundle(t.ctx, temp.bundle(files), { importedBy: "tester" });
      assert.equal(report.ok, false);
      assert.equal(report.importId, null);
      assert.deepEqual(report.files, []);
      assert.deepEqual(report.rejections.map(formatRejection), expected);
      assert.deepEqual(await rowCounts(t.db), baseCounts);
      assert.deepEqual(await snapshot(t.db), before);
    }

    it("rejects an unknown organisation in any file (requirements §2: unknown organisation)", async () => {
      const lines = goodAdditions();
      lines.organisations.push(
        "RZY,Trust of an unknown ICB,nhs_trust,acute,Y56,QZZ,2001-04-01,",
        "RZX,Trust whose ICB is a trust,nhs_trust,acute,Y56,RAL,2001-04-01,",
      );
      lines.observations.push("RZZ,ae_4hr_all,2024-01-01,2024-01-31,60,,");
      lines.cqc_ratings.push("RZZ,2024-01-05,good,good,good");
      lines.intelligence.push("QZZ,2024-01-09,Press,media,Local news story,public");
      await assertRejected(filesOf(lines), [
        'cqc_ratings.csv:3: unknown organisation "RZZ"',
        'intelligence.csv:3: unknown organisation "QZZ"',
        'observations.csv:4: unknown organisation "RZZ"',
        'organisations.csv:3: icb_code "QZZ" is not an ICB in the registry or this bundle',
        'organisations.csv:4: icb_code "RAL" is not an ICB in the registry or this bundle',
      ]);
    });

    it("rejects an unknown metric (requirements §2: unknown metric)", async () => {
      const lines = goodAdditions();
      lines.observations.push("RAL,ae_4hr_bogus,2024-01-01,2024-01-31,60,,");
      await assertRejected(filesOf(lines), ['observations.csv:4: unknown metric "ae_4hr_bogus"']);
    });

    it("rejects a bad date in any date column (requirements §2: bad date)", async () => {
      const lines = goodAdditions();
      lines.organisations.push(
        // A bad date is one reason, not also "before open_date".
        "RRW,Closing Trust,nhs_trust,acute,Y56,QMJ,2001-04-01,2001-02-29",
        "RRX,Closed Trust,nhs_trust,acute,Y56,QMJ,2001-04-01,2000-04-01",
        "RRY,Opening Trust,nhs_trust,acute,Y56,QMJ,01/04/2001,",
      );
      lines.observations.push(
        "RAL,ae_4hr_all,2024-02-30,2024-03-31,60,,",
        "RAL,ae_4hr_all,2024-04-01,30/04/2024,60,,",
        "RAL,ae_4hr_all,2024-05-31,2024-05-01,60,,",
      );
      lines.cqc_ratings.push("RRV,2023-13-01,good,good,good");
      lines.intelligence.push("RAL,2024-3-1,Press,media,Local news story,public");
      await assertRejected(filesOf(lines), [
        'cqc_ratings.csv:3: bad date in published_on: "2023-13-01" (expected YYYY-MM-DD)',
        'intelligence.csv:3: bad date in received_on: "2024-3-1" (expected YYYY-MM-DD)',
        'observations.csv:4: bad date in period_start: "2024-02-30" (expected YYYY-MM-DD)',
        'observations.csv:5: bad date in period_end: "30/04/2024" (expected YYYY-MM-DD)',
        "observations.csv:6: period_end is before period_start",
        'organisations.csv:3: bad date in close_date: "2001-02-29" (expected YYYY-MM-DD)',
        "organisations.csv:4: close_date is before open_date",
        'organisations.csv:5: bad date in open_date: "01/04/2001" (expected YYYY-MM-DD)',
      ]);
    });

    it("rejects a value outside the metric's valid range (requirements §2: valid range)", async () => {
      const lines = goodAdditions();
      lines.observations.push(
        "RAL,ae_4hr_all,2024-03-01,2024-03-31,100.5,,",
        "RAL,ae_4hr_all,2024-04-01,2024-04-30,-0.1,,",
        "RAL,shmi,2024-01-01,2024-12-31,5.01,,",
        // The bounds themselves are valid.
        "RAL,ae_4hr_all,2024-05-01,2024-05-31,100,,",
        "RAL,ae_4hr_all,2024-06-01,2024-06-30,0,,",
      );
      await assertRejected(filesOf(lines), [
        "observations.csv:4: value 100.5 is outside the valid range 0–100 of ae_4hr_all",
        "observations.csv:5: value -0.1 is outside the valid range 0–100 of ae_4hr_all",
        "observations.csv:6: value 5.01 is outside the valid range 0–5 of shmi",
      ]);
    });

    it("rejects a repeated key within a file (requirements §2: duplicate key)", async () => {
      const lines = goodAdditions();
      lines.organisations.push("RRV,UCLH again,foundation_trust,acute,Y56,QMJ,2001-04-01,");
      lines.observations.push("RRV,ae_4hr_all,2024-01-01,2024-01-31,68.3,,");
      lines.cqc_ratings.push("RRV,2023-11-02,good,good,good");
      lines.intelligence.push(
        "RRV,2024-03-01,CQC,finance,Maternity inspection scheduled,official",
        // Same day and source, another summary: a different key.
        "RRV,2024-03-01,CQC,quality,Surgery inspection scheduled,public",
      );
      await assertRejected(filesOf(lines), [
        "cqc_ratings.csv:3: duplicate key (org_code, published_on) first seen on line 2",
        "intelligence.csv:3: duplicate key (org_code, received_on, source, summary) first seen on line 2",
        "observations.csv:4: duplicate key (org_code, metric_id, period_start, period_end) first seen on line 2",
        "organisations.csv:3: duplicate key (code) first seen on line 2",
      ]);
    });

    it("rejects a file with a missing column (requirements §2: wrong column set)", async () => {
      const lines = goodAdditions();
      lines.observations = [
        "org_code,metric_id,period_start,value,numerator,denominator",
        "RRV,ae_4hr_all,2024-01-01,68.2,,",
      ];
      await assertRejected(filesOf(lines), [
        "observations.csv:1: wrong column set (missing period_end): expected org_code,metric_id,period_start,period_end,value",
      ]);
    });

    it("rejects a file with an extra column, and rows with extra or missing fields (requirements §2: wrong column set)", async () => {
      const lines = goodAdditions();
      lines.observations[0] = `${HEADERS.observations},comment`;
      lines.observations[1] += ",a comment";
      lines.observations[2] += ",";
      lines.cqc_ratings.push("RAL,2024-06-01,good,good,good,inadequate", "RAL,2024-07-01,good");
      await assertRejected(filesOf(lines), [
        "cqc_ratings.csv:3: wrong number of fields: 6, expected 5",
        "cqc_ratings.csv:4: wrong number of fields: 3, expected 5",
        "observations.csv:1: wrong column set (unexpected comment): expected org_code,metric_id,period_start,period_end,value",
      ]);
    });

    it("rejects bytes that are not UTF-8, by line (requirements §2: bad encoding)", async () => {
      const lines = goodAdditions();
      const files = filesOf(lines);
      files["intelligence.csv"] = Buffer.concat([
        Buffer.from(`${lines.intelligence.join("\n")}\n`),
        // "Café" in Latin-1, as a spreadsheet saving "CSV (Windows)" would write it.
        Buffer.from("RAL,2024-03-04,Caf"),
        Buffer.from([0xe9]),
        Buffer.from(",media,Story,public\nRAL,2024-03-05,Press,media,Fine line,public\n"),
        // A truncated two-byte sequence ("ŷ" is C5 B7).
        Buffer.from("RAL,2024-03-06,T"),
        Buffer.from([0xc5]),
        Buffer.from(",media,Story,public\n"),
      ]);
      await assertRejected(files, [
        "intelligence.csv:3: bad encoding: not UTF-8",
        "intelligence.csv:5: bad encoding: not UTF-8",
      ]);
    });

    it("rejects a value that does not match numerator/denominator (requirements §2: numerator/denominator)", async () => {
      const lines = goodAdditions();
      lines.observations.push(
        "RAL,ae_4hr_all,2024-03-01,2024-03-31,80,750,1000",
        // 2/3 is 66.67%: a value is checked to the places it is given to.
        "RAL,ae_4hr_all,2024-04-01,2024-04-30,66.6,2,3",
        "RAL,ae_4hr_all,2024-05-01,2024-05-31,66.7,2,3",
        "RAL,ae_4hr_all,2024-06-01,2024-06-30,67,2,3",
        // A ratio is numerator/denominator, not a percentage of it.
        "RAL,shmi,2024-01-01,2024-12-31,1.1,1100,1000",
        "RAL,shmi,2023-01-01,2023-12-31,110,1100,1000",
      );
      await assertRejected(filesOf(lines), [
        "observations.csv:4: value 80 does not match numerator/denominator (75.00)",
        "observations.csv:5: value 66.6 does not match numerator/denominator (66.67)",
        "observations.csv:9: value 110 does not match numerator/denominator (1.10)",
        "observations.csv:9: value 110 is outside the valid range 0–5 of shmi",
      ]);
    });

    it("rejects a CQC rating outside the rating scale (requirements §2: bad enum)", async () => {
      const lines = goodAdditions();
      lines.cqc_ratings.push(
        "RAL,2024-05-01,very_good,,good",
        "RAL,2024-06-01,good,Good,",
        // Every rating may be blank.
        "RAL,2024-07-01,,,",
      );
      const scale = "outstanding|good|requires_improvement|inadequate";
      await assertRejected(filesOf(lines), [
        `cqc_ratings.csv:3: overall must be one of ${scale} or blank, not "very_good"`,
        `cqc_ratings.csv:4: well_led must be one of ${scale} or blank, not "Good"`,
      ]);
    });

    it("rejects a confidentiality outside the levels, or blank (requirements §2: bad enum)", async () => {
      const lines = goodAdditions();
      lines.intelligence.push(
        "RAL,2024-03-04,Press,media,Local news story,secret",
        "RAL,2024-03-05,Press,media,Another story,",
      );
      await assertRejected(filesOf(lines), [
        'intelligence.csv:3: confidentiality must be one of public|official|official_sensitive, not "secret"',
        'intelligence.csv:4: confidentiality must be one of public|official|official_sensitive, not ""',
      ]);
    });

    it("rejects an organisation kind or sector outside the lists (requirements §2: bad enum)", async () => {
      const lines = goodAdditions();
      lines.organisations.push(
        "RRW,A trust,trust,acute,Y56,QMJ,2001-04-01,",
        "RRX,Another trust,nhs_trust,hospital,Y56,QMJ,2001-04-01,",
        "RRY,Trust in no region,nhs_trust,acute,Y99,QMJ,2001-04-01,",
      );
      await assertRejected(filesOf(lines), [
        'organisations.csv:3: kind must be one of nhs_trust|foundation_trust|icb, not "trust"',
        'organisations.csv:4: sector must be one of acute|mental_health|community|mental_health_and_community|ambulance|specialist or blank, not "hospital"',
        'organisations.csv:5: unknown region "Y99"',
      ]);
    });

    it("reports every bad row of every file, by file then line, the header being line 1 (requirements §2)", async () => {
      await assertRejected(
        filesOf({
          organisations: [
            HEADERS.organisations,
            "RRV,University College London Hospitals NHS Foundation Trust,foundation_trust,acute,Y56,QMJ,2001-04-01,",
            "rrx,Lower Case Trust,nhs_trust,acute,Y56,QMJ,2001-04-01,",
          ],
          observations: [
            HEADERS.observations,
            "RZZ,ae_4hr_all,2024-01-01,2024-01-31,60,,",
            "RRV,ae_4hr_all,2024-01-01,2024-01-31,60,,",
            // Blank lines are skipped but still counted.
            "",
            "RAL,ae_4hr_all,2024-03-01,2024-03-31,101,,",
            "RAL,ae_4hr_all,2024-13-01,2024-03-31,50,,",
          ],
          cqc_ratings: [HEADERS.cqc_ratings, "RRV,2024-05-01,good,,poor"],
          intelligence: [
            HEADERS.intelligence,
            'RAL,2024-03-02,"CQC, inspection team",quality,"A summary over',
            'two lines, with ""quotes""",official',
            "RAL,2024-03-05,Whistleblower,safety,Concern about staffing,secret",
          ],
        }),
        [
          'cqc_ratings.csv:2: safe must be one of outstanding|good|requires_improvement|inadequate or blank, not "poor"',
          'intelligence.csv:4: confidentiality must be one of public|official|official_sensitive, not "secret"',
          'observations.csv:2: unknown organisation "RZZ"',
          "observations.csv:5: value 101 is outside the valid range 0–100 of ae_4hr_all",
          'observations.csv:6: bad date in period_start: "2024-13-01" (expected YYYY-MM-DD)',
          'organisations.csv:3: code "rrx" is not an ODS code (3–6 capitals or digits)',
        ],
      );
    });

    it("numbers a row by the line it starts on, also in a CRLF file with multi-line cells (requirements §2)", async () => {
      const lines = goodAdditions();
      const files = filesOf(lines);
      files["intelligence.csv"] = [
        HEADERS.intelligence,
        'RAL,2024-03-02,Board papers,governance,"Summary over',
        'two lines",official',
        "",
        "RAL,2024-03-05,Whistleblower,safety,Concern about staffing,secret",
        'RAL,2024-03-06,Press,media,"Another summary',
        "over",
        'three lines",secret',
        "RAL,2024-03-07,Press,media,One more,secret",
        "",
      ].join("\r\n");
      await assertRejected(files, [
        'intelligence.csv:5: confidentiality must be one of public|official|official_sensitive, not "secret"',
        'intelligence.csv:6: confidentiality must be one of public|official|official_sensitive, not "secret"',
        'intelligence.csv:9: confidentiality must be one of public|official|official_sensitive, not "secret"',
      ]);
    });

    it("control: the same valid rows without the bad one are accepted (requirements §2)", async () => {
      // Runs last: proves each bundle above failed for its bad row alone, and that its valid
      // rows would have changed the counts asserted unchanged.
      const report = await importBundle(t.ctx, temp.bundle(filesOf(goodAdditions())), {
        importedBy: "tester",
      });
      assert.deepEqual(report.rejections, []);
      assert.ok(report.ok);
      assert.deepEqual(await rowCounts(t.db), {
        organisations: 4,
        observations: 5,
        cqc_ratings: 2,
        intelligence: 2,
        imports: 2,
        import_files: 8,
      });
    });
  });
}
