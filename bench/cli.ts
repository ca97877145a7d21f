/**
 * `npm run bench:cli`: how long the command line takes to answer on the demo database
 * (requirements §14: under 1.5 s median for `assess --org X`, `history X` and `reviews due`). A
 * benchmark, not a timed test: it prints figures against the bar and exits 0 either way.
 *
 * Each command runs as a user runs it, `node bin/oversight.mjs …` in its own process, 7 times
 * after one warm-up (which also fills tsx's compile cache); the median, min and max are wall
 * time. `--help` and opening the embedded database alone are measured beside them, to show where
 * the time goes. The database is $OVERSIGHT_DATA_DIR if it holds one, else the demo is built and
 * loaded into a temp folder first (a minute or two).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const BIN = join(ROOT, "bin", "oversight.mjs");
const RUNS = 7;
const BAR_MS = 1500;

const dataDir =
  process.env.OVERSIGHT_DATA_DIR && existsSync(join(process.env.OVERSIGHT_DATA_DIR, "db"))
    ? process.env.OVERSIGHT_DATA_DIR
    : mkdtempSync(join(tmpdir(), "oversight-bench-cli-"));
const env: NodeJS.ProcessEnv = { ...process.env, OVERSIGHT_DATA_DIR: dataDir };
delete env.DATABASE_URL;

function run(args: string[]): { ms: number; code: number | null; stderr: string } {
  const started = performance.now();
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, env, encoding: "utf8" });
  return { ms: performance.now() - started, code: result.status, stderr: result.stderr };
}

if (!existsSync(join(dataDir, "db"))) {
  console.log(`building and loading the demo into ${dataDir} …`);
  const built = run(["demo"]);
  if (built.code !== 0) throw new Error(`oversight demo failed: ${built.stderr}`);
}

// An organisation the demo holds: the first trust `reviews due` names.
const due = spawnSync(process.execPath, [BIN, "reviews", "due", "--format", "json"], {
  cwd: ROOT,
  env,
  encoding: "utf8",
});
const org =
  (JSON.parse(due.stdout || "{}") as { reviews?: { org_code: string }[] }).reviews?.[0]?.org_code ??
  "RDE";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

console.log(
  `CLI latency on the demo database (${dataDir}); ${RUNS} runs after a warm-up; load average ${loadavg()[0]!.toFixed(1)}`,
);
const commands: [string, string[], boolean][] = [
  ["--help", ["--help"], false],
  ["frameworks list (opens no database)", ["frameworks", "list"], false],
  ["audit head (opens the database, one query)", ["audit", "head"], false],
  [`assess --org ${org}`, ["assess", "--org", org], true],
  [`history ${org}`, ["history", org], true],
  ["reviews due", ["reviews", "due"], true],
];
for (const [name, args, barred] of commands) {
  run(args);
  const times: number[] = [];
  let failed = "";
  for (let i = 0; i < RUNS; i++) {
    const r = run(args);
    if (r.code !== 0) failed = r.stderr.trim().split("\n")[0] ?? "";
    times.push(r.ms);
  }
  const m = median(times);
  const verdict = barred ? (m < BAR_MS ? "  meets the 1.5 s bar" : "  MISSES the 1.5 s bar") : "";
  console.log(
    `${name.padEnd(45)} median ${m.toFixed(0).padStart(5)} ms  min ${Math.min(...times).toFixed(0)}  max ${Math.max(...times).toFixed(0)}${verdict}${failed ? `  (exit non-zero: ${failed})` : ""}`,
  );
}
