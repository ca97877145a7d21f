/**
 * requirements §3: the `oversight spc` command-line contract, kept stable because other tools use it.
 *
 *   oversight spc --input <csv> [--polarity higher_is_better|lower_is_better|neutral]
 *                 [--target N] [--rebase YYYY-MM-DD,...] [--min-points N] --format json
 *
 * The CSV is `period,value` (one series) or `series,period,value`. The JSON is an array with one
 * object per series; its fields and each point's are checked as exact key sets, so a rename
 * fails here. The arithmetic itself is src/domain/spc/conformance.test.ts's; these tests run
 * the real program (no database) and check what reaches stdout and stderr.
 */
import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { hasStackTrace, runCli, tempDir, type CliResult } from "./run-cli.js";

/** The series object's fields: requirements §3's, plus `warnings` (docs/spc.md `SpcResult`). */
const SERIES_KEYS = [
  "assurance_icon",
  "lpl",
  "mean",
  "points",
  "series",
  "upl",
  "variation_icon",
  "warnings",
];
const POINT_KEYS = ["lpl", "mean", "period", "rules", "special_cause", "upl", "value"];

interface PointJson {
  period: string;
  value: number;
  mean: number | null;
  lpl: number | null;
  upl: number | null;
  special_cause: string;
  rules: string[];
}

interface SeriesJson {
  series: string;
  mean: number | null;
  lpl: number | null;
  upl: number | null;
  variation_icon: string | null;
  assurance_icon: string | null;
  warnings: string[];
  points: PointJson[];
}

const scratch = tempDir("oversight-spc-");
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Writes a CSV into the scratch folder and returns its path. */
function csv(name: string, lines: readonly string[]): string {
  const path = join(scratch, name);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

/** Monthly `period,value` rows from January 2023. */
function monthlyRows(values: readonly number[], series?: string): string[] {
  return values.map((value, i) => {
    const period = `${2023 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}-01`;
    return series === undefined ? `${period},${value}` : `${series},${period},${value}`;
  });
}

// Mean 11, moving ranges all 2: limits 11 ∓ 2.66 × 2 = 5.68 and 16.32 (conformance (g)).
const ALTERNATING = [10, 12, 10, 12, 10, 12, 10, 12, 10, 12];
// Jan–Jun 2023 around 11 (limits 5.68, 16.32), Jul–Dec around 20.5 (limits 17.84, 23.16); as
// one group: mean 15.75, limits 11.76 and 19.74, every 10, 20 and 21 outside (conformance (e)).
const STEP = [10, 12, 10, 12, 10, 12, 20, 21, 20, 21, 20, 21];

const alternatingCsv = csv("alternating.csv", ["period,value", ...monthlyRows(ALTERNATING)]);
const stepCsv = csv("step.csv", ["period,value", ...monthlyRows(STEP)]);

function close(actual: number | null | undefined, expected: number, what: string): void {
  assert.ok(
    typeof actual === "number" && Math.abs(actual - expected) < 1e-9,
    `${what}: ${actual} ≉ ${expected}`,
  );
}

/** Runs `oversight spc`, expects success, checks the JSON's shape and returns it. */
async function spc(args: string[]): Promise<SeriesJson[]> {
  const result = await runCli(["spc", ...args, "--format", "json"]);
  assert.equal(result.code, 0, `exit code; stderr: ${result.stderr}`);
  assert.equal(result.stderr, "");
  const parsed = JSON.parse(result.stdout) as unknown;
  assert.ok(Array.isArray(parsed), "an array, one object per series");
  for (const series of parsed as SeriesJson[]) {
    assert.deepEqual(Object.keys(series).sort(), SERIES_KEYS, "series fields");
    for (const point of series.points) {
      assert.deepEqual(Object.keys(point).sort(), POINT_KEYS, `${point.period}: point fields`);
      assert.ok(["none", "improvement", "concern", "neutral"].includes(point.special_cause));
      assert.ok(Array.isArray(point.rules));
    }
  }
  return parsed as SeriesJson[];
}

/** The one series of a single-series run. */
async function spcOne(args: string[]): Promise<SeriesJson> {
  const output = await spc(args);
  assert.equal(output.length, 1);
  return output[0] as SeriesJson;
}

/** Exit 1, nothing on stdout, no stack trace, and exactly these lines on stderr. */
function assertRefused(result: CliResult, lines: readonly (string | RegExp)[]): void {
  assert.equal(result.code, 1, `exit code; stdout: ${result.stdout}`);
  assert.equal(result.stdout, "", "nothing on stdout");
  assert.ok(!hasStackTrace(result.stderr), `no stack trace:\n${result.stderr}`);
  const actual = result.stderr.trimEnd().split("\n");
  assert.equal(actual.length, lines.length, `stderr lines:\n${result.stderr}`);
  lines.forEach((expected, i) => {
    if (typeof expected === "string") assert.equal(actual[i], expected);
    else assert.match(actual[i] as string, expected);
  });
}

/**
 * A CSV with one bad row: the row's reason (`file:line: reason`) on one line, then the command's
 * one-line summary: every bad row is named, as the importers do.
 */
function assertCsvRefused(result: CliResult, path: string, reason: string | RegExp): void {
  assertRefused(result, [reason, `oversight: ${path}: 1 problem(s) listed above`]);
}

describe("oversight spc (requirements §3 CLI contract)", { concurrency: 2 }, () => {
  it("period,value: one series object with exactly the contract's fields", async () => {
    const series = await spcOne(["--input", alternatingCsv, "--polarity", "higher_is_better"]);
    assert.equal(series.series, "series");
    close(series.mean, 11, "mean");
    close(series.lpl, 5.68, "lpl");
    close(series.upl, 16.32, "upl");
    assert.equal(series.variation_icon, "common_cause");
    assert.equal(series.assurance_icon, null, "no target, no assurance icon");
    assert.deepEqual(series.warnings, ["fewer than 13 points: limits are unreliable"]);
    assert.deepEqual(
      series.points.map((point) => [point.period, point.value]),
      ALTERNATING.map((value, i) => [`2023-${String(i + 1).padStart(2, "0")}-01`, value]),
    );
    for (const point of series.points) {
      close(point.mean, 11, `${point.period} mean`);
      close(point.lpl, 5.68, `${point.period} lpl`);
      close(point.upl, 16.32, `${point.period} upl`);
      assert.equal(point.special_cause, "none");
      assert.deepEqual(point.rules, []);
    }
  });

  it("periods given as months YYYY-MM are read as their first day, and so is a --rebase month", async () => {
    const months = csv("months.csv", [
      "period,value",
      ...monthlyRows(STEP).map((row) => row.replace(/-01,/, ",")),
    ]);
    const [byMonth, byDay] = await Promise.all([
      spcOne(["--input", months, "--rebase", "2023-07"]),
      spcOne(["--input", stepCsv, "--rebase", "2023-07-01"]),
    ]);
    assert.deepEqual(byMonth, byDay);
    assert.equal(byMonth.points[0]!.period, "2023-01-01");
  });

  it("series,period,value: one object per series, in file order, each with its own limits", async () => {
    // Rows interleaved and out of period order: each series is analysed alone, by period.
    const waits = monthlyRows(ALTERNATING, "waits");
    const beds = monthlyRows(STEP.slice(6), "beds");
    const path = csv("two-series.csv", [
      "series,period,value",
      ...[...waits].reverse().slice(0, 5),
      ...beds.slice(3),
      ...[...waits].reverse().slice(5),
      ...beds.slice(0, 3),
    ]);
    const output = await spc(["--input", path, "--polarity", "higher_is_better"]);
    assert.deepEqual(
      output.map((series) => series.series),
      ["waits", "beds"],
    );
    const [first, second] = output as [SeriesJson, SeriesJson];
    assert.deepEqual(
      first.points.map((point) => point.value),
      ALTERNATING,
    );
    assert.deepEqual(
      first.points.map((point) => point.period),
      [...first.points.map((point) => point.period)].sort(),
    );
    close(first.mean, 11, "waits mean");
    close(first.lpl, 5.68, "waits lpl");
    close(first.upl, 16.32, "waits upl");
    // beds 20 21 20 21 20 21: mean 20.5, moving ranges all 1 → 20.5 ∓ 2.66.
    assert.deepEqual(
      second.points.map((point) => point.value),
      [20, 21, 20, 21, 20, 21],
    );
    close(second.mean, 20.5, "beds mean");
    close(second.lpl, 17.84, "beds lpl");
    close(second.upl, 23.16, "beds upl");
  });

  it("--rebase gives the points before and after a date their own limits", async () => {
    const [whole, rebased, twice] = await Promise.all([
      spcOne(["--input", stepCsv]),
      spcOne(["--input", stepCsv, "--rebase", "2023-07-01"]),
      spcOne(["--input", stepCsv, "--rebase", "2023-04-01,2023-07-01"]),
    ]);
    for (const point of whole.points) {
      close(point.mean, 15.75, `${point.period} mean`);
      close(point.lpl, 11.76, `${point.period} lpl`);
      close(point.upl, 19.74, `${point.period} upl`);
    }
    const limitsOf = (series: SeriesJson) =>
      series.points.map((point) => [point.mean, point.lpl, point.upl].map((n) => n?.toFixed(6)));
    const before = ["11.000000", "5.680000", "16.320000"];
    const afterwards = ["20.500000", "17.840000", "23.160000"];
    assert.deepEqual(limitsOf(rebased), [...Array(6).fill(before), ...Array(6).fill(afterwards)]);
    close(rebased.mean, 20.5, "series mean: the last group's");
    close(rebased.lpl, 17.84, "series lpl: the last group's");
    close(rebased.upl, 23.16, "series upl: the last group's");
    assert.ok(rebased.points.every((point) => point.special_cause === "none"));
    // Two dates, three groups: Jan–Mar 10 12 10 (mean 32/3), Apr–Jun 12 10 12 (mean 34/3).
    const means = twice.points.map((point) => point.mean);
    assert.deepEqual(
      [...new Set(means.map((m) => m?.toFixed(6)))],
      [(32 / 3).toFixed(6), (34 / 3).toFixed(6), "20.500000"],
    );
  });

  it("--min-points: a group shorter than it keeps its mean but has null limits and no signals", async () => {
    const [enough, tooFew, lastGroupShort] = await Promise.all([
      spcOne(["--input", alternatingCsv, "--min-points", "10", "--target", "17"]),
      spcOne([
        "--input",
        alternatingCsv,
        "--min-points",
        "11",
        "--target",
        "17",
        "--polarity",
        "higher_is_better",
      ]),
      // Jan–Sep (9 points) keep limits; Oct–Dec (3 points) are fewer than 4.
      spcOne(["--input", stepCsv, "--rebase", "2023-10-01", "--min-points", "4"]),
    ]);
    close(enough.lpl, 5.68, "10 points, --min-points 10: lpl");

    assert.deepEqual(
      { ...tooFew, points: [] },
      {
        series: "series",
        mean: 11,
        lpl: null,
        upl: null,
        variation_icon: null,
        assurance_icon: null,
        warnings: ["10 points, fewer than minPoints (11): no limits drawn"],
        points: [],
      },
    );
    for (const point of tooFew.points) {
      assert.deepEqual(
        { mean: point.mean, lpl: point.lpl, upl: point.upl },
        { mean: 11, lpl: null, upl: null },
      );
      assert.equal(point.special_cause, "none");
      assert.deepEqual(point.rules, []);
    }

    assert.ok(lastGroupShort.points.slice(0, 9).every((point) => point.lpl !== null));
    assert.ok(lastGroupShort.points.slice(9).every((point) => point.lpl === null));
    assert.equal(lastGroupShort.lpl, null);
    assert.equal(lastGroupShort.upl, null);
    assert.equal(lastGroupShort.variation_icon, null);
    close(lastGroupShort.mean, 62 / 3, "mean of 21 20 21 (Oct–Dec)");
    assert.ok(
      lastGroupShort.warnings.includes(
        "group starting 2023-10-01: 3 points, fewer than minPoints (4): no limits drawn",
      ),
      lastGroupShort.warnings.join("\n"),
    );
  });

  it("--target sets the assurance icon against the limits (5.68, 16.32)", async () => {
    const icon = async (...args: string[]) =>
      (await spcOne(["--input", alternatingCsv, ...args])).assurance_icon;
    const cases: [string[], string | null][] = [
      [["--polarity", "higher_is_better", "--target", "17"], "consistently_failing"],
      [["--polarity", "higher_is_better", "--target", "5"], "consistently_passing"],
      [["--polarity", "higher_is_better", "--target", "12"], "hit_and_miss"],
      [["--polarity", "lower_is_better", "--target", "17"], "consistently_passing"],
      [["--polarity", "lower_is_better", "--target", "5"], "consistently_failing"],
      [["--polarity", "lower_is_better", "--target", "-1.5"], "consistently_failing"],
      [["--polarity", "higher_is_better"], null],
      [["--polarity", "neutral", "--target", "17"], null],
    ];
    const icons = await Promise.all(cases.map(([args]) => icon(...args)));
    assert.deepEqual(
      icons,
      cases.map(([, expected]) => expected),
    );
  });

  it("polarity turns high and low signals into improvement, concern or neutral", async () => {
    // As one group the step series has 10s below the lpl (low) and 20s, 21s above the upl (high).
    const [neutral, byDefault, higher, lower] = await Promise.all([
      spcOne(["--input", stepCsv, "--polarity", "neutral"]),
      spcOne(["--input", stepCsv]),
      spcOne(["--input", stepCsv, "--polarity", "higher_is_better"]),
      spcOne(["--input", stepCsv, "--polarity", "lower_is_better"]),
    ]);
    const causes = (series: SeriesJson) => series.points.map((point) => point.special_cause);
    assert.deepEqual(causes(neutral), Array(12).fill("neutral"));
    assert.equal(neutral.variation_icon, "special_cause_neutral_high");
    assert.deepEqual(byDefault, neutral, "polarity defaults to neutral");
    assert.deepEqual(neutral.points[0]?.rules, ["outside_limits"]);
    assert.deepEqual(neutral.points[11]?.rules, ["outside_limits"]);
    assert.deepEqual(causes(higher).slice(6), Array(6).fill("improvement"));
    assert.equal(higher.points[0]?.special_cause, "concern");
    assert.equal(higher.variation_icon, "special_cause_improvement_high");
    assert.deepEqual(causes(lower).slice(6), Array(6).fill("concern"));
    assert.equal(lower.points[0]?.special_cause, "improvement");
    assert.equal(lower.variation_icon, "special_cause_concern_high");
  });

  describe("bad input: exit 1, the reason on stderr, nothing on stdout", { concurrency: 2 }, () => {
    it("a missing column", async () => {
      const path = csv("no-value.csv", ["period,amount", "2023-01-01,10"]);
      assertCsvRefused(
        await runCli(["spc", "--input", path, "--format", "json"]),
        path,
        /^no-value\.csv:1: .*missing value/,
      );
    });

    it("a value that is not a number", async () => {
      const path = csv("not-a-number.csv", ["period,value", "2023-01-01,10", "2023-02-01,n/a"]);
      assertCsvRefused(
        await runCli(["spc", "--input", path, "--format", "json"]),
        path,
        'not-a-number.csv:3: value is not a number: "n/a"',
      );
    });

    it("a period repeated within a series", async () => {
      const path = csv("repeated.csv", [
        "series,period,value",
        "a,2023-01-01,10",
        "b,2023-01-01,11",
        "a,2023-01-01,12",
      ]);
      assertCsvRefused(
        await runCli(["spc", "--input", path, "--format", "json"]),
        path,
        'repeated.csv:4: period 2023-01-01 repeated in series "a" (line 2)',
      );
    });

    it("a period that is not a date", async () => {
      const path = csv("bad-period.csv", ["period,value", "2023-01-01,10", "2023-02-30,11"]);
      assertCsvRefused(
        await runCli(["spc", "--input", path, "--format", "json"]),
        path,
        'bad-period.csv:3: bad period "2023-02-30" (expected a date YYYY-MM-DD or a month YYYY-MM)',
      );
    });

    it("a CSV with no data rows", async () => {
      const path = csv("empty.csv", ["period,value"]);
      assertCsvRefused(
        await runCli(["spc", "--input", path, "--format", "json"]),
        path,
        "empty.csv:1: no data rows",
      );
    });

    it("an input file that does not exist", async () => {
      const path = join(scratch, "no-such.csv");
      assertRefused(await runCli(["spc", "--input", path, "--format", "json"]), [
        `oversight: cannot read ${path}`,
      ]);
    });

    it("a --rebase that is not a YYYY-MM-DD date, including an impossible one", async () => {
      const bad = ["July", "2023/07/01", "2023-13-01", "2023-02-30", "2023-07-01,"];
      const results = await Promise.all(
        bad.map((rebase) =>
          runCli(["spc", "--input", stepCsv, "--rebase", rebase, "--format", "json"]),
        ),
      );
      results.forEach((result, i) => {
        const offending = (bad[i] as string).split(",").find((d) => d !== "2023-07-01") ?? "";
        assertRefused(result, [
          `oversight: series "series": rebase "${offending}" is not YYYY-MM-DD`,
        ]);
      });
    });

    it("a --polarity outside the three choices", async () => {
      assertRefused(
        await runCli(["spc", "--input", stepCsv, "--polarity", "up", "--format", "json"]),
        [
          "oversight: option '--polarity <p>' argument 'up' is invalid. Allowed choices are " +
            "higher_is_better, lower_is_better, neutral. (see --help)",
        ],
      );
    });

    it("a --min-points below 2 or not a whole number, a --target that is not a number", async () => {
      const [one, half, target] = await Promise.all([
        runCli(["spc", "--input", stepCsv, "--min-points", "1", "--format", "json"]),
        runCli(["spc", "--input", stepCsv, "--min-points", "2.5", "--format", "json"]),
        runCli(["spc", "--input", stepCsv, "--target", "high", "--format", "json"]),
      ]);
      assertRefused(one, [
        'oversight: series "series": minPoints must be an integer of at least 2, got 1',
      ]);
      assertRefused(half, [
        "oversight: option '--min-points <n>' argument '2.5' is invalid. --min-points must be a whole number. (see --help)",
      ]);
      assertRefused(target, [
        "oversight: option '--target <n>' argument 'high' is invalid. --target must be a number. (see --help)",
      ]);
    });

    it("a --format other than json", async () => {
      assertRefused(await runCli(["spc", "--input", stepCsv, "--format", "csv"]), [
        /^oversight: option '--format <format>' argument 'csv' is invalid\..* \(see --help\)$/,
      ]);
    });
  });
});
