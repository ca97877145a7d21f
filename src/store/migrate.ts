/**
 * Versioned SQL migrations: `src/store/migrations/NNNN_name.sql`, applied in order, each in its
 * own transaction, recorded with a checksum. A landed migration is never edited: if its checksum
 * no longer matches, start-up stops and says which file changed.
 */
import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Database } from "./database.js";

const MIGRATIONS_DIR = fileURLToPath(new URL("./migrations/", import.meta.url));
// Serialises concurrent start-ups against one PostgreSQL server.
const MIGRATION_LOCK = 7_411_001;

export interface Migration {
  version: string;
  name: string;
  sql: string;
  checksum: string;
}

export function listMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const sql = readFileSync(`${dir}/${file}`, "utf8");
      return {
        version: file.slice(0, 4),
        name: file.replace(/\.sql$/, ""),
        sql,
        checksum: createHash("sha256").update(sql).digest("hex"),
      };
    });
  // Two files with one version would be recorded as one, and the second then reported as an
  // edit of the first.
  migrations.forEach((m, i) => {
    const previous = migrations[i - 1];
    if (previous?.version === m.version)
      throw new Error(
        `migrations ${previous.name}.sql and ${m.name}.sql share version ${m.version}; renumber one`,
      );
  });
  return migrations;
}

export async function migrate(db: Database, migrations = listMigrations()): Promise<string[]> {
  // Under the lock too: two start-ups creating the table at once would collide in the catalogue
  // (CREATE TABLE IF NOT EXISTS is not safe against a concurrent create).
  await db.transaction(async (tx) => {
    if (db.engine === "postgres")
      await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    await tx.execScript(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version text PRIMARY KEY,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
  });
  const applied: string[] = [];
  for (const migration of migrations) {
    const done = await db.transaction(async (tx) => {
      if (db.engine === "postgres")
        await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
      const [existing] = await tx.query<{ checksum: string }>(
        "SELECT checksum FROM schema_migrations WHERE version = $1",
        [migration.version],
      );
      if (existing) {
        if (existing.checksum !== migration.checksum) {
          throw new Error(
            `migration ${migration.name}.sql was edited after it was applied; add a new migration instead`,
          );
        }
        return false;
      }
      await tx.execScript(migration.sql);
      await tx.query(
        "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
        [migration.version, migration.name, migration.checksum],
      );
      return true;
    });
    if (done) applied.push(migration.name);
  }
  return applied;
}
