/**
 * requirements §2, rule 4: `oversight db migrate` through the real CLI on every test engine: PGlite in an
 * OVERSIGHT_DATA_DIR folder, PostgreSQL at DATABASE_URL. It applies the migrations to an empty
 * database once, then reports the schema up to date; an edited landed migration stops it with
 * one line naming the file.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { openDatabase, type Database } from "../../src/store/database.js";
import { listMigrations } from "../../src/store/migrate.js";
import { testEngines } from "../support/database.js";
import { openSharedTestDatabase } from "./shared-database.js";
import { hasStackTrace, runCli, tempDir } from "./run-cli.js";

for (const engine of testEngines()) {
  describe(`oversight db migrate [${engine}] (requirements §2, rule 4)`, () => {
    const scratch = tempDir();
    after(() => rmSync(scratch, { recursive: true, force: true }));

    /**
     * An empty database the CLI can reach, and a way to look inside it between CLI runs (PGlite
     * allows one process at a time, so our handle is closed while the CLI runs).
     */
    async function emptyDatabase(): Promise<{
      env: Record<string, string>;
      inspect<T>(look: (db: Database) => Promise<T>): Promise<T>;
      close(): Promise<void>;
    }> {
      const t = await openSharedTestDatabase(engine, join(scratch, "data"));
      await t.db.execScript("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
      if (engine === "postgres") {
        return { env: t.env, inspect: (look) => look(t.db), close: () => t.close() };
      }
      await t.close();
      const dataDir = t.env.OVERSIGHT_DATA_DIR!;
      return {
        env: t.env,
        inspect: async (look) => {
          const db = await openDatabase({ engine: "pglite", dataDir: join(dataDir, "db") });
          try {
            return await look(db);
          } finally {
            await db.close();
          }
        },
        close: async () => undefined,
      };
    }

    it("applies the migrations once, then reports the schema up to date", async () => {
      const database = await emptyDatabase();
      try {
        const shipped = listMigrations();
        const first = await runCli(["db", "migrate"], database.env);
        assert.equal(first.code, 0, first.stderr);
        assert.equal(first.stdout, `applied ${shipped.map((m) => m.name).join(", ")}\n`);

        const second = await runCli(["db", "migrate"], database.env);
        assert.equal(second.code, 0, second.stderr);
        assert.equal(second.stdout, "schema is up to date\n");

        const recorded = await database.inspect(async (db) => {
          const rows = await db.query<{ version: string; checksum: string }>(
            "SELECT version, checksum FROM schema_migrations ORDER BY version",
          );
          // Then someone edits a landed migration: its recorded checksum no longer matches.
          await db.query("UPDATE schema_migrations SET checksum = $1 WHERE version = $2", [
            "0".repeat(64),
            shipped[0]!.version,
          ]);
          return rows;
        });
        assert.deepEqual(
          recorded,
          shipped.map(({ version, checksum }) => ({ version, checksum })),
        );

        const refused = await runCli(["db", "migrate"], database.env);
        assert.equal(refused.code, 1);
        assert.equal(refused.stdout, "");
        assert.ok(!hasStackTrace(refused.stderr), refused.stderr);
        assert.equal(
          refused.stderr,
          `oversight: migration ${shipped[0]!.name}.sql was edited after it was applied; add a new migration instead\n`,
        );
      } finally {
        await database.close();
      }
    });
  });
}
