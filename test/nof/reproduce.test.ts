/**
 * requirements §3: `oversight nof reproduce` on NHS England's published NOF 2025/26 data for mental health
 * and community trusts. The bar: every domain score and average score within 0.01 of the
 * published one, every adjusted segment equal — on the file, and on quarters the rules have never
 * seen (each quarter alone, and a quarter relabelled to one not in the file). Variants of the
 * file are derived here in code; the data file itself is never edited.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, describe, test } from "node:test";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { FrameworkRegistry } from "../../src/domain/frameworks/registry.js";
import type { CalendarDate } from "../../src/domain/shared/dates.js";
import { countedMetrics } from "../../src/domain/scoring/summary-scores.js";
import type { Figure, Reproduction } from "../../src/services/nof-reproduce.js";
import { loadShippedFrameworks } from "../../src/store/framework-files.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const PUBLISHED = fileURLToPath(
  new URL("../../data/nof-2025-26/mh-community-trust-data-q1-q2.csv", import.meta.url),
);
const scratch = mkdtempSync(join(tmpdir(), "oversight-nof-"));
const dataDir = mkdtempSync(join(tmpdir(), "oversight-nof-data-"));
after(() => {
  rmSync(scratch, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

function reproduce(file: string, format = "json") {
  const result = spawnSync(
    process.execPath,
    ["bin/oversight.mjs", "nof", "reproduce", file, "--format", format],
    {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, OVERSIGHT_DATA_DIR: dataDir, DATABASE_URL: "", NODE_TEST_CONTEXT: "" },
    },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function reproduceJson(file: string): Reproduction {
  const result = reproduce(file);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as Reproduction;
}

type Record_ = Record<string, string>;
const published: Record_[] = parse(readFileSync(PUBLISHED), { bom: true, columns: true });
const header = Object.keys(published[0]!);

/** Writes a variant of the published file, derived in code. */
function variant(name: string, rows: Record_[]): string {
  const path = join(scratch, name);
  writeFileSync(path, stringify(rows, { header: true, columns: header }));
  return path;
}

const within = (f: Figure<number>) =>
  f.ours !== null && f.published !== null && Math.abs(f.ours - f.published) <= 0.01 + 1e-9;

/** The bar, figure by figure, naming the first figure that misses it. */
function assertBar(report: Reproduction): void {
  assert.ok(report.rows.length > 0);
  for (const row of report.rows) {
    const where = `${row.quarter} ${row.trust_code}`;
    assert.ok(within(row.average_score), `${where} average ${JSON.stringify(row.average_score)}`);
    assert.ok(row.adjusted_segment.ours !== null, `${where} adjusted segment determined`);
    assert.equal(row.adjusted_segment.ours, row.adjusted_segment.published, `${where} adjusted`);
    for (const [id, f] of Object.entries(row.domain_scores))
      if (f.published !== null) assert.ok(within(f), `${where} ${id} ${JSON.stringify(f)}`);
  }
  const { agreement } = report;
  for (const figure of ["average_score", "adjusted_segment", "domain_scores"] as const) {
    assert.equal(agreement[figure].agreed, agreement[figure].published, figure);
    assert.equal(agreement[figure].rate, 1, figure);
  }
}

const framework = new FrameworkRegistry(loadShippedFrameworks()).inForceOn(
  "2025-04-01" as CalendarDate,
)!;

describe("oversight nof reproduce on the published NOF 2025/26 file (requirements §3)", () => {
  const full = reproduce(PUBLISHED);
  const report = JSON.parse(full.stdout) as Reproduction;

  test("meets the bar: every domain score and average within 0.01, every adjusted segment equal", () => {
    assert.equal(full.code, 0, full.stderr);
    assert.equal(full.stderr, "");
    assertBar(report);
    const domainCells = report.rows.flatMap((r) => Object.values(r.domain_scores));
    assert.ok(domainCells.length >= 5 * 100, "domain scores of both quarters compared");
  });

  test("prints the stable JSON shape: a row per trust and quarter, ours beside published", () => {
    assert.deepEqual(
      report.quarters.map((q) => [q.quarter, q.framework, q.trusts]),
      [
        ["Q1 2025/26", framework.id, 61],
        ["Q2 2025/26", framework.id, 61],
      ],
    );
    assert.equal(report.rows.length, 122);
    const row = report.rows[0]!;
    for (const key of [
      "quarter",
      "trust_code",
      "average_score",
      "adjusted_segment",
      "unadjusted_segment",
      "domain_scores",
      "metric_scores",
    ])
      assert.ok(key in row, key);
    for (const f of [row.average_score, row.adjusted_segment, row.unadjusted_segment])
      assert.deepEqual(Object.keys(f).slice(0, 2), ["ours", "published"]);
    // Every cell ours cannot determine says why.
    for (const r of report.rows)
      for (const f of Object.values(r.metric_scores))
        if (f.ours === null) assert.ok(f.reason && f.reason.length > 0, JSON.stringify(f));
    const criteria = framework.criteria.method === "scored" ? framework.criteria : undefined;
    const domainIds = Object.values(criteria!.published_ids!.domain_scores).sort();
    assert.deepEqual(Object.keys(report.agreement.domain_scores.by_id), domainIds);
  });

  test("metric scores whose population is in the file are recomputed and agree; wider ones are not determined, with a reason", () => {
    const metrics = report.agreement.metric_scores;
    assert.ok(metrics.compared >= 4 * 122, `compared ${metrics.compared}`);
    assert.equal(metrics.agreed, metrics.compared);
    assert.ok(metrics.not_determined > 0);
    const reasons = new Set(
      report.rows.flatMap((r) =>
        Object.values(r.metric_scores).flatMap((f) => (f.reason ? [f.reason] : [])),
      ),
    );
    assert.ok(
      [...reasons].some((r) => /wider population/.test(r)),
      [...reasons].join("; "),
    );
  });

  test("the league rank and the segment 5 overlay are reproduced from the published inputs", () => {
    assert.equal(report.agreement.league_rank.agreed, 122);
    assert.equal(report.agreement.final_segment.agreed, 122);
    assert.ok(report.rows.some((r) => r.final_segment.published === 5));
  });

  test("is deterministic: the same input gives byte-identical JSON and text", () => {
    assert.equal(reproduce(PUBLISHED).stdout, full.stdout);
    const text = reproduce(PUBLISHED, "text");
    assert.equal(text.code, 0, text.stderr);
    assert.equal(reproduce(PUBLISHED, "text").stdout, text.stdout);
    assert.match(text.stdout, /average_score +122\/122 agree within 0\.01/);
    assert.match(text.stdout, /adjusted_segment +122\/122 agree/);
  });

  test("needs no database: the data folder stays empty", () => {
    assert.deepEqual(readdirSync(dataDir), []);
  });
});

describe("quarters the rules have never seen (requirements §3): nothing is fitted to the published values", () => {
  const full = reproduceJson(PUBLISHED);

  for (const quarter of ["Q1 2025/26", "Q2 2025/26"]) {
    test(`${quarter} alone meets the bar, with the same figures as in the whole file`, () => {
      const alone = reproduceJson(
        variant(
          `${quarter.slice(0, 2)}.csv`,
          published.filter((r) => r.Quarter === quarter),
        ),
      );
      assert.deepEqual(
        alone.quarters.map((q) => q.quarter),
        [quarter],
      );
      assertBar(alone);
      assert.deepEqual(
        alone.rows,
        full.rows.filter((r) => r.quarter === quarter),
      );
    });
  }

  test("a quarter relabelled to one not in the file (Q3) meets the bar", () => {
    const relabelled = published
      .filter((r) => r.Quarter === "Q2 2025/26")
      .map((r) => ({ ...r, Quarter: "Q3 2025/26" }));
    const report = reproduceJson(variant("q3.csv", relabelled));
    assert.deepEqual(
      report.quarters.map((q) => q.quarter),
      ["Q3 2025/26"],
    );
    assertBar(report);
  });

  test("ours follows the inputs, not the published answer: a changed metric score moves our average away from the published one", () => {
    const counted = countedMetrics(framework).flatMap((m) =>
      m.scoring?.published_score_id ? [m.scoring.published_score_id] : [],
    );
    const target = published.find(
      (r) => r.Quarter === "Q1 2025/26" && counted.includes(r.Metric_ID!),
    )!;
    const before = Number(target.Value);
    const after = before < 2.5 ? 4 : 1;
    const changed = published.map((r) => (r === target ? { ...r, Value: String(after) } : r));
    const report = reproduceJson(variant("changed.csv", changed));
    const row = report.rows.find(
      (r) => r.quarter === target.Quarter && r.trust_code === target.Trust_code,
    )!;
    const original = full.rows.find(
      (r) => r.quarter === target.Quarter && r.trust_code === target.Trust_code,
    )!;
    assert.equal(row.average_score.published, original.average_score.published);
    assert.notEqual(row.average_score.ours, original.average_score.ours);
    assert.equal(row.average_score.agrees, false);
    assert.equal(report.agreement.average_score.agreed, 121);
  });
});

describe("a bad file (requirements §3)", () => {
  const assertOneLine = (result: ReturnType<typeof reproduce>, pattern: RegExp) => {
    assert.equal(result.code, 1);
    assert.equal(result.stdout, "");
    const lines = result.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0]!, pattern);
  };

  test("a row with a bad value is named by file and line; exit non-zero, one line", () => {
    const rows = published.map((r, i) => (i === 9 ? { ...r, Value: "n/a" } : r));
    // Row 10 is on line 11, after the header.
    assertOneLine(
      reproduce(variant("bad-value.csv", rows)),
      /^oversight: bad-value\.csv:11: Value is not a number: "n\/a"$/,
    );
  });

  test("a repeated row is named with the line it repeats", () => {
    const rows = [...published.slice(0, 5), published[2]!, published[3]!];
    assertOneLine(
      reproduce(variant("repeated.csv", rows)),
      /^oversight: repeated\.csv:7: \S+ repeated for \S+ in Q1 2025\/26 \(line 4\) \(and 1 more problem\(s\)\)$/,
    );
  });

  test("a trust type the framework has no population for is rejected", () => {
    const rows = [...published.slice(0, 3), { ...published[3]!, Trust_type: "Martian trust" }];
    assertOneLine(
      reproduce(variant("martian.csv", rows)),
      /^oversight: martian\.csv:5: trust type "Martian trust" is not a population of /,
    );
  });

  test("a file that is not the published layout, and a missing file", () => {
    const notNof = join(scratch, "organisations.csv");
    writeFileSync(notNof, "code,name\nRXX,Somewhere\n");
    assertOneLine(reproduce(notNof), /^oversight: \S*organisations\.csv:1: wrong column set/);
    assertOneLine(reproduce(join(scratch, "missing.csv")), /^oversight: cannot read /);
  });
});
