import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { formatRejection } from "./csv-file.js";
import { parseNofQuarter, readNofPublished } from "./nof-published.js";

const HEADER =
  "Quarter,Region,Trust_type,Trust_subtype,Trust_code,Trust_name,Domain,Sub-domain,Metric_ID,Metric_description,Reporting_date,Units,Value,Median_value,Lower_quartile,Upper_quartile,Rank";
const row = (fields: Partial<Record<string, string>> = {}) => {
  const f = {
    quarter: "Q1 2025/26",
    type: "Type A",
    code: "R1A",
    name: '"Trust A, Worcester"',
    id: "M1",
    units: "score",
    value: "2.31",
    rank: "42.0",
    ...fields,
  };
  return `${f.quarter},Midlands,${f.type},Community,${f.code},${f.name},D,S,${f.id},desc,Jun-25,${f.units},${f.value},,,,${f.rank}`;
};
const read = (...rows: string[]) =>
  readNofPublished("nof.csv", Buffer.from(`${[HEADER, ...rows].join("\r\n")}\r\n`));
const problems = (...rows: string[]) => {
  const result = read(...rows);
  assert.equal(result.ok, false);
  return result.ok ? [] : result.rejections.map(formatRejection);
};

describe("NHS England's published NOF data file", () => {
  test("quarters are financial-year quarters starting in April (Q4 is January of the next year)", () => {
    assert.deepEqual(parseNofQuarter("Q1 2025/26"), { label: "Q1 2025/26", start: "2025-04-01" });
    assert.equal(parseNofQuarter("Q2 2025/26")?.start, "2025-07-01");
    assert.equal(parseNofQuarter("Q4 2025/26")?.start, "2026-01-01");
    assert.equal(parseNofQuarter("Q4 2099/00")?.start, "2100-01-01");
    for (const bad of ["Q5 2025/26", "Q1 2025/27", "Q1 2025-26", "q1 2025/26"])
      assert.equal(parseNofQuarter(bad), undefined, bad);
  });

  test("reads a row as published, quoted names and CRLF included", () => {
    const result = read(row(), row({ id: "M2", units: "segment", value: "3.0", rank: "" }));
    assert.ok(result.ok);
    assert.deepEqual(
      result.rows.map((r) => [r.line, r.trustCode, r.trustName, r.id, r.value, r.rank]),
      [
        [2, "R1A", "Trust A, Worcester", "M1", 2.31, 42],
        [3, "R1A", "Trust A, Worcester", "M2", 3, null],
      ],
    );
  });

  test("every bad row is named by file and line", () => {
    assert.deepEqual(
      problems(
        row({ quarter: "Q5 2025/26" }),
        row({ id: "M2", value: "" }),
        row({ id: "M3", units: "segment", value: "2.5" }),
        row({ id: "M4", units: "flag", value: "2" }),
        row({ id: "M5", rank: "0" }),
        row({ id: "M6", code: "r1a!" }),
      ),
      [
        'nof.csv:2: bad Quarter "Q5 2025/26" (expected e.g. Q1 2025/26)',
        'nof.csv:3: Value is not a number: ""',
        "nof.csv:4: a segment must be a whole number 1–5, not 2.5",
        "nof.csv:5: a flag must be 0 or 1, not 2",
        'nof.csv:6: Rank is not a position: "0"',
        'nof.csv:7: bad Trust_code "r1a!"',
      ],
    );
  });

  test("one value per trust, quarter and figure; one name and type per trust and quarter", () => {
    assert.deepEqual(problems(row(), row(), row({ id: "M2", type: "Type B" })), [
      "nof.csv:3: M1 repeated for R1A in Q1 2025/26 (line 2)",
      'nof.csv:4: R1A in Q1 2025/26 is "Trust A, Worcester" (Type B) here but "Trust A, Worcester" (Type A) on line 2',
    ]);
  });

  test("a file without the published columns, or without rows, is rejected", () => {
    const wrong = readNofPublished("x.csv", Buffer.from("a,b\n1,2\n"));
    assert.ok(!wrong.ok);
    assert.match(
      formatRejection(wrong.rejections[0]!),
      /^x\.csv:1: wrong column set \(missing Quarter/,
    );
    assert.deepEqual(problems(), ["nof.csv:1: no data rows"]);
  });
});
