/**
 * Fresh, migrated databases for tests, on every engine the run has: PGlite always, and the
 * PostgreSQL server at TEST_DATABASE_URL when it is set (each test gets its own database there,
 * dropped afterwards). Database tests loop over `testEngines()` so both engines run the same test.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { FrameworkRegistry } from "../../src/domain/frameworks/registry.js";
import { openDatabase, type Database } from "../../src/store/database.js";
import { loadShippedFrameworks } from "../../src/store/framework-files.js";
import { listMigrations, migrate } from "../../src/store/migrate.js";
import { openAuditTrail, useAuditTrail } from "../../src/store/audit.js";
import type { ServiceContext } from "../../src/services/context.js";

export type Engine = "pglite" | "postgres";

export function testEngines(): Engine[] {
  return process.env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];
}

export interface TestDatabase {
  engine: Engine;
  ctx: ServiceContext;
  db: Database;
  /** How another process (the CLI) reaches this database. */
  env: Record<string, string>;
  close(): Promise<void>;
}

let frameworks: FrameworkRegistry | undefined;
export function shippedFrameworks(): FrameworkRegistry {
  return (frameworks ??= new FrameworkRegistry(loadShippedFrameworks()));
}

// initdb in PGlite takes seconds; a migrated data directory, dumped once per schema version
// and cached in the temp folder, starts in a fraction of that.
async function pgliteTemplate(): Promise<Blob> {
  const schema = createHash("sha256")
    .update(
      listMigrations()
        .map((m) => `${m.name}:${m.checksum}`)
        .join(),
    )
    .digest("hex")
    .slice(0, 16);
  const file = join(tmpdir(), `oversight-test-template-${schema}.tar`);
  if (!existsSync(file)) {
    const db = await openDatabase({ engine: "pglite", dataDir: null });
    await migrate(db);
    const dump = await db.dump!();
    await db.close();
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, file);
  }
  return new Blob([readFileSync(file)]);
}

export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** A migrated, empty database. `onDisk` puts PGlite in a folder so a CLI process can open it. */
export async function openTestDatabase(
  engine: Engine,
  options: { onDisk?: string } = {},
): Promise<TestDatabase> {
  if (engine === "pglite") {
    const dataDir = options.onDisk ?? null;
    if (dataDir) mkdirSync(dataDir, { recursive: true });
    const db = await openDatabase({
      engine: "pglite",
      dataDir: dataDir ? join(dataDir, "db") : null,
      ...(dataDir ? {} : { loadDataDir: await pgliteTemplate() }),
    });
    await migrate(db);
    // The CLI on this folder uses its audit key and anchor log: so do writes made here.
    if (dataDir) useAuditTrail(db, openAuditTrail(dataDir));
    return {
      engine,
      db,
      ctx: { db, frameworks: shippedFrameworks() },
      env: dataDir ? { OVERSIGHT_DATA_DIR: dataDir } : {},
      close: () => db.close(),
    };
  }
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error("TEST_DATABASE_URL is not set");
  const name = `oversight_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return openCreatedPostgresDatabase(adminUrl, name);
}

/**
 * The database `name`, already created on the server at `adminUrl`, opened and migrated as a test
 * database of its own: dropped when it is closed.
 */
export async function openCreatedPostgresDatabase(
  adminUrl: string,
  name: string,
): Promise<TestDatabase> {
  const url = withDatabase(adminUrl, name);
  const db = await openDatabase({ engine: "postgres", url });
  await migrate(db);
  return {
    engine: "postgres",
    db,
    ctx: { db, frameworks: shippedFrameworks() },
    env: { DATABASE_URL: url },
    close: async () => {
      await db.close();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
