/**
 * `npm run bench:assess`: the assessment engine at real scale (requirements §3). A benchmark, not a
 * timed test: it prints figures and the pass/fail against the bars, and exits 0 either way.
 *
 * 1. Full assessment of every organisation of the demo dataset at its as-at (SOF 2016,
 *    2019-03-31): median, p90 and min of timed runs after warm-up. Bar: 300 ms median.
 * 2. Incremental re-assessment (`createAssessment(...).update(observation)`) after one new
 *    observation in a trust's latest period, one revised latest value and one revised old value.
 *    Bar: 20 ms median. The session's run is checked equal to a full assessment afterwards.
 * 3. Scale: the same nation cloned 5×, 10×, 25× and 50× (each organisation copied with a new code
 *    into the same populations, its values perturbed by up to ±2%), each scale in its own child
 *    process so its peak memory (maxRSS) is its own. Cloning organisations is "the same shape":
 *    series keep their 36 months and metrics, populations grow — which is what grows the cost
 *    (sorting in benchmarks); adding periods would leave the benchmarks (latest periods only) as
 *    they are. Cost per n·log₂n, relative to 1×, must not grow.
 * 4. DuckDB (`@duckdb/node-api`, in memory): quartile and decile cut-points of every metric ×
 *    population × period with `quantile_cont`, against ours (`cutPoints`, and the full
 *    `benchmarkMetricPeriod`) on the same rows; mismatches counted bit for bit.
 *
 * The demo is built (buildDemo) and loaded into an in-memory PGlite through the ordinary
 * importers, then read with loadAssessmentInput, as the service does (about 30 s). `--input FILE`
 * reuses an input saved by an earlier run (`--save-input FILE`); `--only full,incremental` (or
 * either) runs only those parts.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";

import {
  assessOrganisations,
  createAssessment,
  type AssessmentInput,
  type ObservationInput,
} from "../src/domain/assessment/index.js";
import {
  benchmarkMetricPeriod,
  cutPoints,
  metricAppliesTo,
  populationOf,
  type CutPoints,
} from "../src/domain/benchmarking/index.js";
import { FrameworkRegistry } from "../src/domain/frameworks/registry.js";
import type { Framework } from "../src/domain/frameworks/schema.js";
import type { OrgCode } from "../src/domain/organisations/organisation.js";
import { isOpenOn } from "../src/domain/organisations/organisation.js";
import type { CalendarDate } from "../src/domain/shared/dates.js";
import { loadAssessmentInput } from "../src/services/assessment.js";
import { buildDemo, loadDemo } from "../src/services/demo.js";
import { loadShippedFrameworks } from "../src/store/framework-files.js";
import { openTestDatabase } from "../test/support/database.js";

const FULL_BAR_MS = 300;
const UPDATE_BAR_MS = 20;
const WARM_UP = 5;
const RUNS = 21;
const SCALES = [1, 5, 10, 25, 50];
/** Growth allowed in cost per n·log₂n from 1× to 50× before it counts as worse than n log n. */
const NLOGN_TOLERANCE = 1.25;
const THIS_FILE = fileURLToPath(import.meta.url);

const frameworks = new FrameworkRegistry(loadShippedFrameworks());

/** The input as JSON: the framework by id. */
type SavedInput = Omit<AssessmentInput, "framework"> & { framework: string };

function revive(saved: SavedInput): AssessmentInput {
  const framework = frameworks.get(saved.framework);
  if (!framework) throw new Error(`unknown framework ${saved.framework}`);
  return { ...saved, framework };
}

async function demoInput(): Promise<AssessmentInput> {
  const dir = mkdtempSync(join(tmpdir(), "oversight-bench-"));
  try {
    const { manifest } = buildDemo({ outDir: dir, frameworks: frameworks.versions });
    const test = await openTestDatabase("pglite");
    try {
      await loadDemo(test.ctx, dir, { importedBy: "bench" });
      const framework = frameworks.get(manifest.framework) as Framework;
      return await loadAssessmentInput(test.ctx, framework, manifest.asOf);
    } finally {
      await test.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- statistics and printing ----

interface Timing {
  median: number;
  p90: number;
  min: number;
  runs: number;
}

function timing(samples: readonly number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return {
    median: sorted[Math.floor(sorted.length / 2)] as number,
    p90: at(0.9) as number,
    min: sorted[0] as number,
    runs: sorted.length,
  };
}

function time<T>(work: () => T): { ms: number; result: T } {
  const start = performance.now();
  const result = work();
  return { ms: performance.now() - start, result };
}

const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 1)} ms`;
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;
const verdict = (ok: boolean) => (ok ? "PASS" : "FAIL");
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");

function table(head: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log(line(head));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows) console.log(line(row));
}

// ---- 1. full assessment ----

function benchFull(input: AssessmentInput): Timing {
  for (let i = 0; i < WARM_UP; i++) assessOrganisations(input);
  return timing(Array.from({ length: RUNS }, () => time(() => assessOrganisations(input)).ms));
}

// ---- 2. incremental ----

const keyOf = (o: Pick<ObservationInput, "org_code" | "metric_id" | "period">) =>
  `${o.org_code}\0${o.metric_id}\0${o.period}`;

interface IncrementalResult {
  metric: string;
  period: string;
  population: string;
  n: number;
  kinds: { kind: string; timing: Timing; reassessed: number }[];
  equal: boolean;
}

/**
 * The metric-period chosen from the data: the largest population's latest period of a metric
 * with a polarity (ranked and analysed by SPC), so an update there costs the most.
 */
function benchIncremental(input: AssessmentInput): IncrementalResult {
  const run = assessOrganisations(input);
  const latest = new Map<string, string>();
  for (const b of run.benchmarks) {
    const k = `${b.metric_id}\0${b.population.id}`;
    if ((latest.get(k) ?? "") < b.period) latest.set(k, b.period);
  }
  const chosen = run.benchmarks
    .filter(
      (b) =>
        b.status === "benchmarked" && latest.get(`${b.metric_id}\0${b.population.id}`) === b.period,
    )
    .reduce((best, b) => (b.n > best.n ? b : best));
  const reporters = chosen.positions.map((p) => p.org_code).sort();
  const step = Math.max(1, Math.floor(reporters.length / RUNS));
  const sample = reporters.filter((_, i) => i % step === 0).slice(0, RUNS);
  // Warm-up: as many other organisations' latest values again, applied before timing, so the
  // timed updates run JIT-compiled code as a long-lived session's would (as part 1 warms up).
  const warmUp = reporters.filter((org) => !sample.includes(org)).slice(0, RUNS);
  const byKey = new Map(input.observations.map((o) => [keyOf(o), o]));
  const valueOf = (org: string, period: string) =>
    byKey.get(keyOf({ org_code: org, metric_id: chosen.metric_id, period }))?.value as number;

  // New observations: the sample's latest values are held back, then arrive one at a time.
  const heldBack = new Set(
    [...sample, ...warmUp].map((org) => keyOf({ ...chosen, org_code: org })),
  );
  const start: AssessmentInput = {
    ...input,
    observations: input.observations.filter((o) => !heldBack.has(keyOf(o))),
  };
  const session = createAssessment(start);
  const applied = new Map<string, ObservationInput>();
  const kinds: IncrementalResult["kinds"] = [];
  const measure = (kind: string, updates: ObservationInput[]) => {
    let reassessed = 0;
    const samples = updates.map((obs) => {
      const { ms: t, result } = time(() => session.update(obs));
      applied.set(keyOf(obs), obs);
      reassessed += result.recomputed.organisations.length;
      return t;
    });
    kinds.push({ kind, timing: timing(samples), reassessed: reassessed / updates.length });
  };
  const obs = (org: string, period: string, value: number): ObservationInput => ({
    org_code: org,
    metric_id: chosen.metric_id,
    period,
    value,
  });
  for (const org of warmUp) {
    const o = obs(org, chosen.period, valueOf(org, chosen.period));
    session.update(o);
    applied.set(keyOf(o), o);
  }
  measure(
    "new value, latest period",
    sample.map((org) => obs(org, chosen.period, valueOf(org, chosen.period))),
  );
  measure(
    "revised value, latest period",
    sample.map((org) => obs(org, chosen.period, valueOf(org, chosen.period) * 1.5 + 1)),
  );
  const firstPeriod = (org: string) =>
    input.observations
      .filter((o) => o.org_code === org && o.metric_id === chosen.metric_id)
      .reduce((a, b) => (a.period < b.period ? a : b)).period;
  measure(
    "revised value, oldest period",
    sample.map((org) => obs(org, firstPeriod(org), valueOf(org, firstPeriod(org)) * 3 + 10)),
  );

  const final = new Map(start.observations.map((o) => [keyOf(o), o]));
  for (const [k, o] of applied) final.set(k, o);
  const expected = assessOrganisations({ ...input, observations: [...final.values()] });
  return {
    metric: chosen.metric_id,
    period: chosen.period,
    population: chosen.population.id,
    n: chosen.n,
    kinds,
    equal: JSON.stringify(session.run) === JSON.stringify(expected),
  };
}

// ---- 3. scale ----

/** A deterministic perturbation in [-1, 1] for clone `j` of observation `i`. */
function wobble(j: number, i: number): number {
  const h = Math.imul(j + 1, 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca6b);
  return ((Math.imul(h ^ (h >>> 15), 0xc2b2ae35) >>> 0) % 2001) / 1000 - 1;
}

/** The nation `k` times over: every organisation cloned with a new code into its populations. */
function scaled(input: AssessmentInput, k: number): AssessmentInput {
  const organisations = [...input.organisations];
  const observations = [...input.observations];
  const cqc_ratings = [...input.cqc_ratings];
  const judgements = [...input.judgements];
  for (let j = 1; j < k; j++) {
    const code = (c: string) => `${c}-${j}`;
    for (const org of input.organisations)
      organisations.push({ ...org, code: code(org.code) as OrgCode });
    input.observations.forEach((o, i) =>
      observations.push({
        org_code: code(o.org_code),
        metric_id: o.metric_id,
        period: o.period,
        value: o.value * (1 + 0.02 * wobble(j, i)),
      }),
    );
    for (const r of input.cqc_ratings) cqc_ratings.push({ ...r, org_code: code(r.org_code) });
    for (const jm of input.judgements) {
      judgements.push({ ...jm, org_code: code(jm.org_code), id: jm.id ? code(jm.id) : null });
    }
  }
  return { ...input, organisations, observations, cqc_ratings, judgements };
}

interface ScaleResult {
  scale: number;
  organisations: number;
  observations: number;
  timing: Timing;
  heapAfterInput: number;
  heapPeak: number;
  rssAfterInput: number;
  maxRss: number;
}

/** In a child process: one scale's input, its assessment timed, its peak memory. */
function scaleChild(file: string, k: number): ScaleResult {
  const base = revive(JSON.parse(readFileSync(file, "utf8")) as SavedInput);
  for (let i = 0; i < 3; i++) assessOrganisations(base); // JIT warm-up on the 1× nation
  const input = scaled(base, k);
  const runs = k <= 10 ? 3 : 1;
  const heapAfterInput = process.memoryUsage().heapUsed;
  const rssAfterInput = process.memoryUsage().rss;
  let heapPeak = heapAfterInput;
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const { ms: t, result } = time(() => assessOrganisations(input));
    samples.push(t);
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    if (result.assessments.length === 0) throw new Error("no assessments");
  }
  return {
    scale: k,
    organisations: input.organisations.length,
    observations: input.observations.length,
    timing: timing(samples),
    heapAfterInput,
    heapPeak,
    rssAfterInput,
    maxRss: process.resourceUsage().maxRSS * 1024,
  };
}

function benchScales(file: string): ScaleResult[] {
  return SCALES.map((k) => {
    const child = spawnSync(
      process.execPath,
      [
        "--max-old-space-size=16000",
        "--import",
        "tsx",
        THIS_FILE,
        "--scale-child",
        String(k),
        file,
      ],
      { encoding: "utf8", maxBuffer: 1 << 24 },
    );
    if (child.status !== 0) throw new Error(`scale ${k}× failed: ${child.stderr}`);
    const line = child.stdout.trim().split("\n").pop() as string;
    return JSON.parse(line) as ScaleResult;
  });
}

// ---- 4. DuckDB ----

interface BenchmarkRow {
  metric_id: string;
  population_id: string;
  period: string;
  org_code: string;
  value: number;
}

/** The observations the engine benchmarks, each with its comparison population. */
function benchmarkRows(input: AssessmentInput): BenchmarkRow[] {
  const { framework } = input;
  const asOf = input.as_of as CalendarDate;
  const metrics = new Map(framework.metrics.map((m) => [m.id, m]));
  const orgs = new Map(
    input.organisations.filter((o) => isOpenOn(o, asOf)).map((o) => [o.code as string, o]),
  );
  const rows: BenchmarkRow[] = [];
  for (const o of input.observations) {
    const metric = metrics.get(o.metric_id);
    const org = orgs.get(o.org_code);
    if (!metric || !org || o.period > asOf || !metricAppliesTo(metric, org)) continue;
    rows.push({ ...o, population_id: populationOf(framework, metric, org).id });
  }
  return rows;
}

const groupKey = (r: Pick<BenchmarkRow, "metric_id" | "population_id" | "period">) =>
  `${r.metric_id}|${r.population_id}|${r.period}`;

/**
 * Rows grouped by metric, population and period. Nested maps keyed by the row's own strings, not
 * a key string built for every row: building 150k keys cost more than the sorting.
 */
function groupRows(rows: readonly BenchmarkRow[]): Map<string, BenchmarkRow[]> {
  const nested = new Map<string, Map<string, Map<string, BenchmarkRow[]>>>();
  for (const r of rows) {
    let byPopulation = nested.get(r.metric_id);
    if (!byPopulation) nested.set(r.metric_id, (byPopulation = new Map()));
    let byPeriod = byPopulation.get(r.population_id);
    if (!byPeriod) byPopulation.set(r.population_id, (byPeriod = new Map()));
    const group = byPeriod.get(r.period);
    if (group) group.push(r);
    else byPeriod.set(r.period, [r]);
  }
  const groups = new Map<string, BenchmarkRow[]>();
  for (const byPopulation of nested.values()) {
    for (const byPeriod of byPopulation.values()) {
      for (const group of byPeriod.values()) groups.set(groupKey(group[0] as BenchmarkRow), group);
    }
  }
  return groups;
}

/** Our cut-points step: group, sort each group, interpolate. */
function ourCutPoints(rows: readonly BenchmarkRow[]): Map<string, CutPoints> {
  const out = new Map<string, CutPoints>();
  for (const [k, group] of groupRows(rows)) {
    out.set(k, cutPoints(group.map((r) => r.value).sort((a, b) => a - b)));
  }
  return out;
}

/** Our whole benchmark of each metric-period: cut-points, ranks, percentiles, bands. */
function ourBenchmarks(rows: readonly BenchmarkRow[], framework: Framework): number {
  const metrics = new Map(framework.metrics.map((m) => [m.id, m]));
  let positions = 0;
  for (const group of groupRows(rows).values()) {
    const first = group[0] as BenchmarkRow;
    const b = benchmarkMetricPeriod({
      metric: metrics.get(first.metric_id) as Framework["metrics"][number],
      period: first.period,
      population: { id: first.population_id, name: first.population_id, comparison: "national" },
      entries: group,
      minPopulation: 1,
    });
    positions += b.positions.length;
  }
  return positions;
}

const DUCKDB_QUERY = `
  SELECT metric_id, population_id, period,
         quantile_cont(value, [0.25, 0.5, 0.75]) AS quartiles,
         quantile_cont(value, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]) AS deciles
    FROM obs
   GROUP BY metric_id, population_id, period`;

interface DuckResult {
  rows: number;
  groups: number;
  loadMs: number;
  duck: Timing;
  ours: Timing;
  oursFull: Timing;
  mismatches: number;
  compared: number;
  threads: string;
}

async function benchDuckDb(input: AssessmentInput): Promise<DuckResult> {
  const rows = benchmarkRows(input);
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  const loadStart = performance.now();
  await connection.run(
    "CREATE TABLE obs (metric_id VARCHAR, population_id VARCHAR, period VARCHAR, org_code VARCHAR, value DOUBLE)",
  );
  const appender = await connection.createAppender("obs");
  for (const r of rows) {
    appender.appendVarchar(r.metric_id);
    appender.appendVarchar(r.population_id);
    appender.appendVarchar(r.period);
    appender.appendVarchar(r.org_code);
    appender.appendDouble(r.value);
    appender.endRow();
  }
  appender.closeSync();
  const loadMs = performance.now() - loadStart;
  const threads = String(
    (await connection.runAndReadAll("SELECT current_setting('threads')")).getRowsJS()[0]?.[0],
  );

  const runDuck = async () => (await connection.runAndReadAll(DUCKDB_QUERY)).getRowsJS();
  for (let i = 0; i < WARM_UP; i++) await runDuck();
  const duckSamples: number[] = [];
  let duckRows: unknown[][] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    duckRows = await runDuck();
    duckSamples.push(performance.now() - start);
  }
  connection.closeSync();
  instance.closeSync();

  for (let i = 0; i < WARM_UP; i++) ourCutPoints(rows);
  const ours = Array.from({ length: RUNS }, () => time(() => ourCutPoints(rows)));
  for (let i = 0; i < WARM_UP; i++) ourBenchmarks(rows, input.framework);
  const oursFull = Array.from(
    { length: RUNS },
    () => time(() => ourBenchmarks(rows, input.framework)).ms,
  );

  const mine = (ours[0] as { result: Map<string, CutPoints> }).result;
  let mismatches = 0;
  let compared = 0;
  for (const [metric_id, population_id, period, quartiles, deciles] of duckRows as [
    string,
    string,
    string,
    number[],
    number[],
  ][]) {
    const cuts = mine.get(groupKey({ metric_id, population_id, period }));
    const expected = [...(cuts?.quartiles ?? []), ...(cuts?.deciles ?? [])];
    const got = [...quartiles, ...deciles];
    compared += got.length;
    mismatches += got.filter((v, i) => !Object.is(v, expected[i])).length;
  }
  return {
    rows: rows.length,
    groups: duckRows.length,
    loadMs,
    duck: timing(duckSamples),
    ours: timing(ours.map((o) => o.ms)),
    oursFull: timing(oursFull),
    mismatches: mismatches + Math.abs(mine.size - duckRows.length) * 12,
    compared,
    threads,
  };
}

// ---- main ----

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === "--scale-child") {
    console.log(JSON.stringify(scaleChild(args[2] as string, Number(args[1]))));
    return;
  }
  const inputFlag = args.indexOf("--input");
  const saveFlag = args.indexOf("--save-input");
  // `--only full,incremental` runs only those parts (1 and 2) and skips the summary.
  const onlyFlag = args.indexOf("--only");
  const only = onlyFlag >= 0 ? (args[onlyFlag + 1] ?? "").split(",") : null;
  console.log(`Oversight assessment benchmark — node ${process.version}, load average ${load()}`);
  let loadMs = 0;
  let input: AssessmentInput;
  if (inputFlag >= 0) {
    input = revive(JSON.parse(readFileSync(args[inputFlag + 1] as string, "utf8")) as SavedInput);
  } else {
    const start = performance.now();
    input = await demoInput();
    loadMs = performance.now() - start;
  }
  const saved = JSON.stringify({ ...input, framework: input.framework.id });
  if (saveFlag >= 0) writeFileSync(args[saveFlag + 1] as string, saved);
  console.log(
    `Demo dataset: ${input.framework.id} as at ${input.as_of}, ${input.organisations.length} organisations, ` +
      `${input.observations.length} observations, ${input.framework.metrics.length} metrics` +
      (inputFlag >= 0
        ? " (from --input)"
        : ` (built and loaded in ${(loadMs / 1000).toFixed(1)} s)`),
  );

  const runs = (part: string) => !only || only.includes(part);
  let full: Timing | null = null;
  if (runs("full")) {
    console.log(`\n1. Full assessment (${WARM_UP} warm-up runs, ${RUNS} timed), load ${load()}`);
    full = benchFull(input);
    const run = assessOrganisations(input);
    table(
      ["", "median", "p90", "min", "organisations", "benchmarks", "bar", ""],
      [
        [
          "full assessment",
          ms(full.median),
          ms(full.p90),
          ms(full.min),
          String(run.assessments.length),
          String(run.benchmarks.length),
          `< ${FULL_BAR_MS} ms`,
          verdict(full.median < FULL_BAR_MS),
        ],
      ],
    );
  }
  if (only && !only.includes("incremental")) return;

  console.log(
    `\n2. Incremental re-assessment (${RUNS} warm-up updates, ${RUNS} timed of each kind), load ${load()}`,
  );
  const inc = benchIncremental(input);
  console.log(
    `   metric ${inc.metric}, ${inc.population}, latest period ${inc.period}, n = ${inc.n}`,
  );
  table(
    ["update", "median", "p90", "min", "re-assessed", "bar", ""],
    inc.kinds.map((k) => [
      k.kind,
      ms(k.timing.median),
      ms(k.timing.p90),
      ms(k.timing.min),
      k.reassessed.toFixed(0),
      `< ${UPDATE_BAR_MS} ms`,
      verdict(k.timing.median < UPDATE_BAR_MS),
    ]),
  );
  console.log(
    `   session run after ${inc.kinds.length * RUNS} updates equals a full assessment of the updated input: ${inc.equal ? "yes" : "NO"}`,
  );
  if (only || !full) return;

  console.log(`\n3. Scale (cloned organisations, each scale in a child process), load ${load()}`);
  const dir = mkdtempSync(join(tmpdir(), "oversight-bench-"));
  const file = join(dir, "input.json");
  writeFileSync(file, saved);
  let scales: ScaleResult[];
  try {
    scales = benchScales(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const nlogn = (n: number) => n * Math.log2(n);
  const base = scales[0] as ScaleResult;
  const perNlogn = (s: ScaleResult) =>
    s.timing.median / nlogn(s.observations) / (base.timing.median / nlogn(base.observations));
  table(
    [
      "scale",
      "orgs",
      "observations",
      "time",
      "runs",
      "µs/obs",
      "t/(n log n) vs 1×",
      "heap input",
      "heap peak",
      "rss input",
      "max rss",
    ],
    scales.map((s) => [
      `${s.scale}×`,
      String(s.organisations),
      String(s.observations),
      ms(s.timing.median),
      String(s.timing.runs),
      ((s.timing.median * 1000) / s.observations).toFixed(2),
      perNlogn(s).toFixed(2),
      mb(s.heapAfterInput),
      mb(s.heapPeak),
      mb(s.rssAfterInput),
      mb(s.maxRss),
    ]),
  );
  const last = scales[scales.length - 1] as ScaleResult;
  console.log(
    `   growth no worse than n log n (t/(n log n) at ${last.scale}× ≤ ${NLOGN_TOLERANCE} × 1×): ${verdict(perNlogn(last) <= NLOGN_TOLERANCE)}`,
  );

  console.log(
    `\n4. Cut-points of every metric × population × period: ours vs DuckDB, load ${load()}`,
  );
  const duck = await benchDuckDb(input);
  console.log(
    `   ${duck.rows} observations in ${duck.groups} metric-population-periods; DuckDB in memory, ${duck.threads} threads, appender load ${ms(duck.loadMs)}`,
  );
  table(
    ["step", "median", "p90", "min", "ours ÷ DuckDB"],
    [
      [
        "DuckDB quantile_cont (query + rows to JS)",
        ms(duck.duck.median),
        ms(duck.duck.p90),
        ms(duck.duck.min),
        "1.00",
      ],
      [
        "ours: cutPoints",
        ms(duck.ours.median),
        ms(duck.ours.p90),
        ms(duck.ours.min),
        (duck.ours.median / duck.duck.median).toFixed(2),
      ],
      [
        "ours: benchmarkMetricPeriod (ranks, bands too)",
        ms(duck.oursFull.median),
        ms(duck.oursFull.p90),
        ms(duck.oursFull.min),
        (duck.oursFull.median / duck.duck.median).toFixed(2),
      ],
    ],
  );
  console.log(
    `   cut-points compared: ${duck.compared}, mismatches: ${duck.mismatches} (bit for bit)`,
  );

  console.log(`\nSummary (load average ${load()})`);
  table(
    ["check", "figure", "bar", ""],
    [
      [
        "full assessment, median",
        ms(full.median),
        `< ${FULL_BAR_MS} ms`,
        verdict(full.median < FULL_BAR_MS),
      ],
      ...inc.kinds.map((k) => [
        `re-assessment, ${k.kind}, median`,
        ms(k.timing.median),
        `< ${UPDATE_BAR_MS} ms`,
        verdict(k.timing.median < UPDATE_BAR_MS),
      ]),
      ["incremental = full", inc.equal ? "equal" : "differs", "equal", verdict(inc.equal)],
      [
        `${last.scale}× time, t/(n log n) vs 1×`,
        `${ms(last.timing.median)}, ${perNlogn(last).toFixed(2)}`,
        `≤ ${NLOGN_TOLERANCE}`,
        verdict(perNlogn(last) <= NLOGN_TOLERANCE),
      ],
      [`${last.scale}× peak memory (max rss)`, mb(last.maxRss), "reported", ""],
      [
        "cut-points, ours ÷ DuckDB",
        (duck.ours.median / duck.duck.median).toFixed(2),
        "reported",
        "",
      ],
      [
        "cut-point mismatches with DuckDB",
        String(duck.mismatches),
        "0",
        verdict(duck.mismatches === 0),
      ],
    ],
  );
}

await main();
