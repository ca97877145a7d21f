/**
 * requirements §2, Data bundle import, through the real CLI (`node bin/oversight.mjs import <dir>`): a
 * kill mid-import leaves the database as it was, and the exit code and output say what happened.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { importBundle } from "../../src/services/import-bundle.js";
import {
  openTestDatabase,
  testEngines,
  type Engine,
  type TestDatabase,
} from "../support/database.js";
import {
  BASE_BUNDLE,
  HEADERS,
  TempFolders,
  csv,
  rowCounts,
  sha256OfFile,
  snapshot,
} from "./fixtures.js";

const CLI = fileURLToPath(new URL("../../bin/oversight.mjs", import.meta.url));
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

const temp = new TempFolders();
after(() => temp.remove());

interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `oversight import <dir>` against the test database. `kill`: once stdout matches `on`,
 * waits for `after` and then SIGKILLs the process.
 */
function runImport(
  t: TestDatabase,
  dir: string,
  kill?: { on: RegExp; after: (running: () => boolean) => Promise<void> },
): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...t.env, OVERSIGHT_USER: "cli-tester" };
  if (t.engine === "pglite") delete env.DATABASE_URL;
  const child = spawn(process.execPath, [CLI, "import", dir], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  const run: CliRun = { code: null, signal: null, stdout: "", stderr: "" };
  let killing = false;
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    run.stdout += chunk;
    if (!kill || killing || !kill.on.test(run.stdout)) return;
    killing = true;
    void kill.after(running).finally(() => running() && child.kill("SIGKILL"));
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (run.stderr += chunk));
  // A hung CLI fails the test rather than hanging it.
  const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ ...run, code, signal });
    });
  });
}

/** Polls `check` until it holds or the process it watches has ended. */
async function until(check: () => Promise<boolean>, running: () => boolean): Promise<void> {
  while (running() && !(await check())) await new Promise((r) => setTimeout(r, 5));
}

/** Every file of a folder tree with its modification time and size. */
function fileStates(dir: string): Map<string, string> {
  const states = new Map<string, string>();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    try {
      const stat = statSync(path);
      states.set(path, `${stat.mtimeMs}:${stat.size}`);
    } catch {
      // Removed while we looked.
    }
  }
  return states;
}

/**
 * Waits until the CLI is part-way through writing its transaction, so that a kill leaves
 * uncommitted rows behind. Killing on the "writing…" line alone would land before the first
 * INSERT, and pass even if the rows were not written in one transaction. On PostgreSQL: until
 * the CLI's connection, in its transaction (not idle, as ours are), has begun inserting
 * observations, after the import, its files and the organisations. On PGlite: until the CLI has
 * written database pages to disk.
 */
function partWayThroughWriting(
  t: TestDatabase,
  dataDir: string,
): (running: () => boolean) => Promise<void> {
  if (t.engine === "postgres") {
    return (running) =>
      until(
        async () =>
          (
            await t.db.query(
              `SELECT 1 FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid()
                  AND state <> 'idle' AND query LIKE 'INSERT INTO observations%'`,
            )
          ).length > 0,
        running,
      );
  }
  const tables = join(dataDir, "db", "base");
  return (running) => {
    const start = fileStates(tables);
    return until(async () => {
      const now = fileStates(tables);
      return [...now].some(([path, state]) => start.get(path) !== state);
    }, running);
  };
}

/**
 * The database of `t`, reachable by another process: PGlite is single-process, so our handle is
 * closed while the CLI runs and reopened afterwards.
 */
async function handOver(
  engine: Engine,
  t: TestDatabase,
  dataDir: string,
  work: () => Promise<void>,
): Promise<TestDatabase> {
  if (engine !== "pglite") {
    await work();
    return t;
  }
  await t.close();
  await work();
  return openTestDatabase(engine, { onDisk: dataDir });
}

/**
 * A big bundle: the base organisations and 80 more trusts, 24,000 observations, and a
 * revision of one of the base observations.
 */
function bigBundle(): { dir: string; trusts: number; observations: number } {
  const organisations = [...BASE_BUNDLE["organisations.csv"]!.toString().trimEnd().split("\n")];
  const observations = [HEADERS.observations, "RAL,ae_4hr_all,2024-01-01,2024-01-31,71.5,,"];
  const trusts = 80;
  const metrics = ["ae_4hr_all", "ae_4hr_type1", "diagnostics_6wk"];
  for (let i = 0; i < trusts; i++) {
    const code = `R${String(i).padStart(3, "0")}`;
    organisations.push(`${code},Generated Trust ${i},nhs_trust,acute,Y60,QMJ,2000-04-01,`);
    for (let m = 0; m < 100; m++) {
      const month = `${2010 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, "0")}`;
      for (const [j, metric] of metrics.entries())
        observations.push(`${code},${metric},${month}-01,${month}-28,${(i + m + j) % 101},,`);
    }
  }
  const dir = temp.bundle({
    "organisations.csv": csv(...organisations),
    "observations.csv": csv(...observations),
  });
  return { dir, trusts, observations: observations.length - 2 };
}

for (const engine of testEngines()) {
  describe(`requirements §2, Data bundle import: the CLI [${engine}]`, () => {
    // One on-disk database for both tests (creating one takes seconds on PGlite). The first
    // test starts from it empty; the second brings it to the base bundle itself.
    const dataDir = temp.folder("data");
    let t: TestDatabase;
    before(async () => {
      t = await openTestDatabase(engine, { onDisk: dataDir });
    });
    after(() => t.close());

    it("exits non-zero with every rejection on stderr for a bad bundle, 0 and a summary for a good one (requirements §2)", async () => {
      assert.deepEqual(Object.values(await rowCounts(t.db)), [0, 0, 0, 0, 0, 0]);
      const bad = temp.bundle({
        ...BASE_BUNDLE,
        "observations.csv": csv(
          HEADERS.observations,
          "RAL,ae_4hr_all,2024-01-01,2024-01-31,172.5,,",
          "RZZ,ae_4hr_all,2024-01-01,2024-01-31,70,,",
        ),
        "cqc_ratings.csv": csv(HEADERS.cqc_ratings, "RAL,2023-06-14,superb,,"),
      });
      let rejected: CliRun | undefined;
      t = await handOver(engine, t, dataDir, async () => {
        rejected = await runImport(t, bad);
      });
      assert.equal(rejected!.code, 1, JSON.stringify(rejected));
      assert.equal(
        rejected!.stderr,
        [
          'cqc_ratings.csv:2: overall must be one of outstanding|good|requires_improvement|inadequate or blank, not "superb"',
          "observations.csv:2: value 172.5 is outside the valid range 0–100 of ae_4hr_all",
          'observations.csv:3: unknown organisation "RZZ"',
          "oversight: import rejected: 3 problem(s) listed above; nothing was changed",
          "",
        ].join("\n"),
      );
      assert.doesNotMatch(rejected!.stdout, /writing/);
      assert.deepEqual(Object.values(await rowCounts(t.db)), [0, 0, 0, 0, 0, 0]);

      const good = temp.bundle({ ...BASE_BUNDLE, "notes.txt": "not part of the bundle\n" });
      let accepted: CliRun | undefined;
      t = await handOver(engine, t, dataDir, async () => {
        accepted = await runImport(t, good);
      });
      assert.equal(accepted!.code, 0, JSON.stringify(accepted));
      assert.equal(accepted!.stderr, "");
      const [imported] = await t.db.query<{ id: number; imported_by: string }>(
        "SELECT id, imported_by FROM imports",
      );
      assert.equal(imported?.imported_by, "cli-tester");
      const sha = (file: string) => `${sha256OfFile(join(good, file)).slice(0, 12)}…`;
      assert.equal(
        accepted!.stdout,
        [
          "validating…",
          "writing…",
          `organisations.csv: 3 rows: 3 added, 0 revised, 0 unchanged (sha256 ${sha("organisations.csv")})`,
          `observations.csv: 3 rows: 3 added, 0 revised, 0 unchanged (sha256 ${sha("observations.csv")})`,
          `cqc_ratings.csv: 1 rows: 1 added, 0 revised, 0 unchanged (sha256 ${sha("cqc_ratings.csv")})`,
          `intelligence.csv: 1 rows: 1 added, 0 revised, 0 unchanged (sha256 ${sha("intelligence.csv")})`,
          "notes.txt: not a bundle file, ignored",
          `import ${imported!.id} recorded`,
          "",
        ].join("\n"),
      );
      assert.deepEqual(await rowCounts(t.db), {
        organisations: 3,
        observations: 3,
        cqc_ratings: 1,
        intelligence: 1,
        imports: 1,
        import_files: 4,
      });
    });

    it("leaves the database as it was when killed mid-import, and imports afterwards (requirements §2: crash safety)", async () => {
      // The base bundle, unless the test above left it there already.
      const base = await importBundle(t.ctx, temp.bundle(BASE_BUNDLE), { importedBy: "base" });
      assert.ok(base.ok);
      const before = await snapshot(t.db);
      const countsBefore = await rowCounts(t.db);
      assert.equal(countsBefore.organisations, 3);
      const big = bigBundle();

      let killed: CliRun | undefined;
      t = await handOver(engine, t, dataDir, async () => {
        killed = await runImport(t, big.dir, {
          on: /^writing…$/m,
          after: partWayThroughWriting(t, dataDir),
        });
      });
      // Killed part-way through writing: validation was over, the import not yet recorded.
      assert.equal(killed!.signal, "SIGKILL", `not killed: ${JSON.stringify(killed)}`);
      assert.match(killed!.stdout, /^validating…\nwriting…\n$/);

      assert.deepEqual(await rowCounts(t.db), countsBefore);
      assert.deepEqual(await snapshot(t.db), before);

      // The database is usable: the same import, run in full, works.
      const report = await importBundle(t.ctx, big.dir, { importedBy: "after the crash" });
      assert.deepEqual(report.rejections, []);
      assert.deepEqual(
        report.files.map((f) => [f.file, f.added, f.revised, f.unchanged]),
        [
          ["organisations.csv", big.trusts, 0, 3],
          ["observations.csv", big.observations, 1, 0],
        ],
      );
      assert.deepEqual(await rowCounts(t.db), {
        ...countsBefore,
        organisations: countsBefore.organisations! + big.trusts,
        observations: countsBefore.observations! + big.observations + 1,
        imports: countsBefore.imports! + 1,
        import_files: countsBefore.import_files! + 2,
      });
    });
  });
}
