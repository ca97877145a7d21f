/**
 * requirements §20: the embedded database (PGlite) is one process at a time. With the server running on
 * a data folder, a command on the same folder is refused with one line naming the server and its
 * pid, and writes nothing (README, "One process at a time"); once the server stops, it runs. And
 * an import is audited under the account acting (`--user`), never a name typed in: `--as` is gone,
 * `--note` is kept beside the real actor.
 */
import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { openDatabase } from "../../src/store/database.js";
import { addUser } from "../../src/services/identity.js";
import { BASE_BUNDLE, rowCounts, TempFolders } from "../import/fixtures.js";
import { SYSTEM, TEST_PASSWORD } from "../support/access.js";
import { shippedFrameworks } from "../support/database.js";
import { migrate } from "../../src/store/migrate.js";
import { runCli, startCli, tempDir } from "./run-cli.js";

describe("one process at a time on an embedded database folder (requirements §20)", () => {
  const dataDir = tempDir("oversight-shared-folder-");
  const temp = new TempFolders();
  after(() => {
    rmSync(dataDir, { recursive: true, force: true });
    temp.remove();
  });
  const env = { OVERSIGHT_DATA_DIR: dataDir };

  it("a command on the folder the server uses gets one line naming the server and writes nothing; after it stops, the command runs", async () => {
    const server = await startCli(["serve", "--no-demo"], { ...env, PORT: "0" });
    let refused;
    try {
      refused = await runCli(["import", temp.bundle(BASE_BUNDLE)], env);
    } finally {
      assert.equal(await server.stop(), 0);
    }
    assert.equal(refused.code, 1);
    assert.equal(refused.stdout, "");
    assert.match(
      refused.stderr,
      /^oversight: the server \(pid \d+\) is using this database \(\S+\): stop it, or run this command against a PostgreSQL server the two can share \(DATABASE_URL\); nothing was written\n$/,
    );
    const db = await openDatabase({ engine: "pglite", dataDir: join(dataDir, "db") });
    try {
      assert.equal((await rowCounts(db)).imports, 0);
    } finally {
      await db.close();
    }
    const ran = await runCli(["audit", "verify"], env);
    assert.equal(ran.code, 0, ran.stderr);
  });

  it("a lock left by a process that has gone is taken over", async () => {
    writeFileSync(join(dataDir, "db.lock"), JSON.stringify({ pid: 2 ** 22 + 7, what: "gone" }));
    const ran = await runCli(["audit", "verify"], env);
    assert.equal(ran.code, 0, ran.stderr);
  });

  it("an import is audited under the --user account; --as is refused; --note is kept beside the actor", async () => {
    const db = await openDatabase({ engine: "pglite", dataDir: join(dataDir, "db") });
    try {
      await migrate(db);
      await addUser({ db, frameworks: shippedFrameworks() }, SYSTEM, {
        username: "rt.national",
        display_name: "RT National",
        role: "national_oversight",
        scope: "national",
        password: TEST_PASSWORD,
      });
    } finally {
      await db.close();
    }
    const bundle = temp.bundle(BASE_BUNDLE);
    const as = await runCli(
      ["--user", "rt.national", "import", bundle, "--as", "somebody.else"],
      env,
    );
    assert.equal(as.code, 1);
    assert.match(as.stderr, /unknown option '--as'/);
    const noted = await runCli(
      ["--user", "rt.national", "import", bundle, "--note", "somebody.else asked for it"],
      env,
    );
    assert.equal(noted.code, 0, noted.stderr);
    const check = await openDatabase({ engine: "pglite", dataDir: join(dataDir, "db") });
    try {
      const [event] = await check.query<{ actor: unknown; after: { note?: string } }>(
        "SELECT actor, after FROM audit_events WHERE action = 'import.completed'",
      );
      assert.deepEqual(event!.actor, {
        user: "rt.national",
        role: "national_oversight",
        scope: "national",
      });
      assert.equal(event!.after.note, "somebody.else asked for it");
      const [imported] = await check.query<{ imported_by: string }>(
        "SELECT imported_by FROM imports",
      );
      assert.equal(imported!.imported_by, "rt.national");
    } finally {
      await check.close();
    }
  });
});
