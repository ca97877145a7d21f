/**
 * A database holding the demo dataset, for the tests that read it: built and loaded once per
 * version of the code and data, then cloned per test (requirements §15: the demo built once, as
 * the migrated PGlite template is). Building and loading the demo takes about a minute; a clone
 * takes a second or two.
 *
 * The template is keyed by the content of src/, data/ and frameworks/ and the migrations, so any
 * change to what the demo is made from makes a new one. PGlite: a dump in the temp folder.
 * PostgreSQL: a template database on the TEST_DATABASE_URL server, copied by CREATE DATABASE …
 * TEMPLATE. Test files run in parallel processes: the first to need a template builds it while the
 * others wait (a lock file; an advisory lock on PostgreSQL).
 */
import { createHash, randomBytes } from "node:crypto";
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { buildDemo, loadDemo, type DemoManifest } from "../../src/services/demo.js";
import { openDatabase } from "../../src/store/database.js";
import { loadShippedFrameworks } from "../../src/store/framework-files.js";
import { migrate } from "../../src/store/migrate.js";
import type { ServiceContext } from "../../src/services/context.js";
import {
  openCreatedPostgresDatabase,
  openTestDatabase,
  shippedFrameworks,
  withDatabase,
  type Engine,
  type TestDatabase,
} from "./database.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** What building and loading the template reported (demo-load.test.ts checks it). */
export interface DemoLoadReport {
  /** buildDemo's counts of what it wrote. */
  built: Record<string, number>;
  /** loadDemo's counts of what it imported, recorded and adopted. */
  loaded: Record<string, number>;
  /** How long loadDemo took. */
  seconds: number;
}

export interface DemoDatabase extends TestDatabase {
  manifest: DemoManifest;
  report: DemoLoadReport;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

let key: string | undefined;
/** What the demo database is made from: every file of src/, data/ and frameworks/. */
function demoKey(): string {
  if (key) return key;
  const hash = createHash("sha256");
  for (const dir of ["src", "data", "frameworks"])
    for (const file of filesUnder(join(ROOT, dir)).sort()) {
      if (file.endsWith(".test.ts")) continue;
      hash.update(relative(ROOT, file)).update("\0").update(readFileSync(file)).update("\0");
    }
  return (key = hash.digest("hex").slice(0, 16));
}

const cacheFile = (suffix: string) => join(tmpdir(), `oversight-test-demo-${demoKey()}.${suffix}`);

/** The demo bundle built into a temp folder (removed by `done`), its manifest and counts. */
function buildBundle(): {
  dir: string;
  manifest: DemoManifest;
  counts: Record<string, number>;
  done(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), "oversight-test-demo-build-"));
  const { manifest, counts } = buildDemo({ outDir: dir, frameworks: loadShippedFrameworks() });
  writeAtomically(cacheFile("json"), JSON.stringify(manifest));
  return { dir, manifest, counts, done: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Builds the bundle and loads it into `ctx` through loadDemo, recording the report for `engine`. */
async function loadTemplate(ctx: ServiceContext, engine: Engine): Promise<void> {
  const bundle = buildBundle();
  try {
    const started = Date.now();
    const loaded = await loadDemo(ctx, bundle.dir, { importedBy: "test demo template" });
    const report: DemoLoadReport = {
      built: bundle.counts,
      loaded,
      seconds: (Date.now() - started) / 1000,
    };
    writeAtomically(cacheFile(`${engine}.json`), JSON.stringify(report));
  } finally {
    bundle.done();
  }
}

function loadReport(engine: Engine): DemoLoadReport | undefined {
  const file = cacheFile(`${engine}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as DemoLoadReport) : undefined;
}

function writeAtomically(file: string, content: string | Buffer): void {
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, content);
  renameSync(partial, file);
}

function pidRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `build` unless `ready()`, with at most one builder across processes: the others wait for
 * it (a lock left by a process that has gone is taken over).
 */
async function once(ready: () => boolean, build: () => Promise<void>): Promise<void> {
  const lock = cacheFile("lock");
  for (;;) {
    if (ready()) return;
    let fd: number;
    try {
      fd = openSync(lock, "wx");
    } catch {
      const holder = Number(readFileSync(lock, "utf8") || NaN);
      if (Number.isInteger(holder) && !pidRunning(holder)) rmSync(lock, { force: true });
      else await sleep(250);
      continue;
    }
    writeSync(fd, String(process.pid));
    closeSync(fd);
    try {
      if (!ready()) await build();
    } finally {
      unlinkSync(lock);
    }
  }
}

/** The manifest written by whichever process built the bundle (rebuilt if it is gone). */
function demoManifest(): DemoManifest {
  const file = cacheFile("json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as DemoManifest;
  const bundle = buildBundle();
  bundle.done();
  return bundle.manifest;
}

async function pgliteDemo(): Promise<DemoDatabase> {
  const dump = cacheFile("tar");
  await once(
    () => existsSync(dump) && statSync(dump).size > 0 && loadReport("pglite") !== undefined,
    async () => {
      const t = await openTestDatabase("pglite");
      try {
        await loadTemplate(t.ctx, "pglite");
        writeAtomically(dump, Buffer.from(await (await t.db.dump!()).arrayBuffer()));
      } finally {
        await t.close();
      }
    },
  );
  const db = await openDatabase({
    engine: "pglite",
    dataDir: null,
    loadDataDir: new Blob([readFileSync(dump)]),
  });
  await migrate(db);
  return {
    engine: "pglite",
    db,
    ctx: { db, frameworks: shippedFrameworks() },
    env: {},
    close: () => db.close(),
    manifest: demoManifest(),
    report: loadReport("pglite")!,
  };
}

async function postgresDemo(): Promise<DemoDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error("TEST_DATABASE_URL is not set");
  const template = `oversight_demo_${demoKey()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    // One builder per server: the lock is the template's name.
    await admin.query("SELECT pg_advisory_lock(hashtext($1))", [template]);
    const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [
      template,
    ]);
    if (!rowCount || loadReport("postgres") === undefined) {
      const stale = await admin.query<{ datname: string }>(
        "SELECT datname FROM pg_database WHERE datname LIKE 'oversight\\_demo\\_%'",
      );
      for (const { datname } of stale.rows)
        await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
      const building = `${template}_building`;
      await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${building}`);
      const db = await openDatabase({ engine: "postgres", url: withDatabase(adminUrl, building) });
      try {
        await migrate(db);
        await loadTemplate({ db, frameworks: shippedFrameworks() }, "postgres");
      } finally {
        await db.close();
      }
      await admin.query(`ALTER DATABASE ${building} RENAME TO ${template}`);
    }
    const name = `oversight_test_${randomBytes(6).toString("hex")}`;
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    await admin.query("SELECT pg_advisory_unlock(hashtext($1))", [template]);
    return {
      ...(await openCreatedPostgresDatabase(adminUrl, name)),
      manifest: demoManifest(),
      report: loadReport("postgres")!,
    };
  } finally {
    await admin.end();
  }
}

/** A database of its own holding the demo dataset as `oversight demo` loads it. */
export function openDemoDatabase(engine: Engine): Promise<DemoDatabase> {
  return engine === "pglite" ? pgliteDemo() : postgresDemo();
}
