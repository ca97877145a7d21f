/**
 * requirements §2, rule 4: migrations are applied once, in order, each recorded with its checksum;
 * re-running applies nothing; a landed migration that was edited is refused, naming the file.
 * The behaviour is exercised with a temp migrations folder on every test engine.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { listMigrations, migrate } from "../../src/store/migrate.js";
import { openTestDatabase, testEngines, type TestDatabase } from "../support/database.js";

const scratch = mkdtempSync(join(tmpdir(), "oversight-migrations-"));
let folders = 0;

/** A migrations folder holding `files` (name → SQL). Versions 9xxx keep clear of the shipped ones. */
function migrationsFolder(files: Record<string, string>): string {
  const dir = join(scratch, String(++folders));
  mkdirSync(dir);
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

const WIDGETS = "CREATE TABLE widgets (id integer PRIMARY KEY, name text NOT NULL);\n";
const COLOUR =
  "ALTER TABLE widgets ADD COLUMN colour text;\nINSERT INTO widgets VALUES (1, 'a', 'red');\n";

after(() => rmSync(scratch, { recursive: true, force: true }));

describe("listMigrations (requirements §2, rule 4)", () => {
  it("reads NNNN_name.sql files in version order with a SHA-256 of each, ignoring others", () => {
    const dir = migrationsFolder({
      "9002_add_colour.sql": COLOUR,
      "9001_widgets.sql": WIDGETS,
      "README.md": "not a migration",
      "9003_Widgets.sql": "-- capital letters: not a migration name",
      "903_short.sql": "-- three digits: not a version",
      "9004_draft.sql.bak": "-- not .sql",
    });
    assert.deepEqual(listMigrations(dir), [
      { version: "9001", name: "9001_widgets", sql: WIDGETS, checksum: sha256(WIDGETS) },
      { version: "9002", name: "9002_add_colour", sql: COLOUR, checksum: sha256(COLOUR) },
    ]);
  });

  it("refuses two files with one version, naming both", () => {
    const dir = migrationsFolder({ "9001_widgets.sql": WIDGETS, "9001_gadgets.sql": WIDGETS });
    assert.throws(
      () => listMigrations(dir),
      /migrations 9001_gadgets\.sql and 9001_widgets\.sql share version 9001/,
    );
  });

  it("the shipped migrations are numbered from 0001 without gaps", () => {
    const shipped = listMigrations();
    assert.ok(shipped.length >= 2);
    shipped.forEach((m, i) => assert.equal(m.version, String(i + 1).padStart(4, "0"), m.name));
  });
});

for (const engine of testEngines()) {
  // One database per engine; each test uses its own migration versions and tables, and the
  // last one starts again from an empty schema.
  describe(`migrate [${engine}] (requirements §2, rule 4)`, () => {
    let t: TestDatabase;
    before(async () => {
      t = await openTestDatabase(engine);
    });
    after(async () => {
      await t?.close();
    });

    it("the shipped migrations are recorded once each, with their checksums", async () => {
      const rows = await t.db.query<{ version: string; name: string; checksum: string }>(
        "SELECT version, name, checksum FROM schema_migrations ORDER BY version",
      );
      assert.deepEqual(
        rows,
        listMigrations().map(({ version, name, checksum }) => ({ version, name, checksum })),
      );
      assert.deepEqual(await migrate(t.db), [], "nothing left to apply");
    });

    it("applies pending migrations once, in order; a second run applies nothing", async () => {
      const dir = migrationsFolder({ "9001_widgets.sql": WIDGETS, "9002_add_colour.sql": COLOUR });
      assert.deepEqual(await migrate(t.db, listMigrations(dir)), [
        "9001_widgets",
        "9002_add_colour",
      ]);
      assert.deepEqual(await migrate(t.db, listMigrations(dir)), []);
      // Applied once: the INSERT in 9002 did not run twice.
      assert.deepEqual(await t.db.query("SELECT id, name, colour FROM widgets"), [
        { id: 1, name: "a", colour: "red" },
      ]);
      const recorded = await t.db.query<{ version: string; checksum: string; applied_at: string }>(
        "SELECT version, checksum, applied_at FROM schema_migrations WHERE version LIKE '90%' ORDER BY version",
      );
      assert.deepEqual(
        recorded.map((r) => [r.version, r.checksum]),
        [
          ["9001", sha256(WIDGETS)],
          ["9002", sha256(COLOUR)],
        ],
      );
      for (const r of recorded) assert.ok(!Number.isNaN(Date.parse(r.applied_at)));

      // A migration added later is the only one applied.
      const later = migrationsFolder({
        "9001_widgets.sql": WIDGETS,
        "9002_add_colour.sql": COLOUR,
        "9003_index.sql": "CREATE INDEX widgets_name ON widgets (name);",
      });
      assert.deepEqual(await migrate(t.db, listMigrations(later)), ["9003_index"]);
    });

    it("refuses an edited landed migration, naming the file, and applies nothing after it", async () => {
      const gizmos = "CREATE TABLE gizmos (id integer PRIMARY KEY, name text NOT NULL);\n";
      await migrate(t.db, listMigrations(migrationsFolder({ "9101_gizmos.sql": gizmos })));
      const edited = migrationsFolder({
        "9101_gizmos.sql": gizmos.replace("name text", "label text"),
        "9102_more.sql": "ALTER TABLE gizmos ADD COLUMN size integer;",
      });
      await assert.rejects(
        migrate(t.db, listMigrations(edited)),
        /^Error: migration 9101_gizmos\.sql was edited after it was applied; add a new migration instead$/,
      );
      const later = await t.db.query("SELECT 1 FROM schema_migrations WHERE version = '9102'");
      assert.equal(later.length, 0, "9102 was not applied");
      const columns = await t.db.query<{ column_name: string }>(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'gizmos' ORDER BY column_name",
      );
      assert.deepEqual(
        columns.map((c) => c.column_name),
        ["id", "name"],
      );
    });

    it("a failing migration is rolled back whole and not recorded", async () => {
      const dir = migrationsFolder({
        "9201_sprockets.sql": "CREATE TABLE sprockets (id integer);",
        "9202_broken.sql":
          "CREATE TABLE gadgets (id integer);\nSELECT no_such_column FROM sprockets;\n",
      });
      await assert.rejects(migrate(t.db, listMigrations(dir)), /no_such_column/);
      const versions = await t.db.query<{ version: string }>(
        "SELECT version FROM schema_migrations WHERE version LIKE '92%'",
      );
      assert.deepEqual(versions, [{ version: "9201" }], "9201 committed, 9202 not recorded");
      const gadgets = await t.db.query(
        "SELECT 1 FROM information_schema.tables WHERE table_name = 'gadgets'",
      );
      assert.equal(gadgets.length, 0, "9202's first statement was rolled back");
    });

    it("concurrent start-ups on an empty database apply each migration exactly once", async () => {
      const names = listMigrations().map((m) => m.name);
      // A race, so several rounds on PostgreSQL, where each run has its own connection.
      for (let round = 0; round < (engine === "postgres" ? 6 : 1); round++) {
        await t.db.execScript("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
        const runs = await Promise.all([1, 2, 3, 4].map(() => migrate(t.db)));
        assert.deepEqual(runs.flat().sort(), names, "each applied by exactly one run");
        const rows = await t.db.query("SELECT version FROM schema_migrations");
        assert.equal(rows.length, names.length);
      }
    });
  });
}
