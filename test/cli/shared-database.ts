/**
 * A migrated test database another process (the CLI) can open: PostgreSQL as openTestDatabase
 * makes it, PGlite in a folder the CLI reaches through OVERSIGHT_DATA_DIR; `close()` may be
 * called more than once (to hand a PGlite folder to the CLI, then at the end). The PGlite folder is
 * cloned from the in-memory template rather than initialised on disk, which takes several times
 * as long.
 */
import { join } from "node:path";
import { openAuditTrail, useAuditTrail } from "../../src/store/audit.js";
import { openDatabase } from "../../src/store/database.js";
import {
  openTestDatabase,
  shippedFrameworks,
  type Engine,
  type TestDatabase,
} from "../support/database.js";

export async function openSharedTestDatabase(
  engine: Engine,
  dataDir: string,
): Promise<TestDatabase> {
  if (engine === "postgres") {
    // The CLI reaches the server by DATABASE_URL, and the audit key and anchor log through the
    // data folder: writes made here use the same.
    const t = await openTestDatabase(engine);
    useAuditTrail(t.db, openAuditTrail(dataDir));
    return { ...t, env: { ...t.env, OVERSIGHT_DATA_DIR: dataDir } };
  }
  const template = await openTestDatabase("pglite");
  const dump = await template.db.dump!();
  await template.close();
  let closed = false;
  const db = await openDatabase({
    engine: "pglite",
    dataDir: join(dataDir, "db"),
    loadDataDir: dump,
  });
  useAuditTrail(db, openAuditTrail(dataDir));
  return {
    engine,
    db,
    ctx: { db, frameworks: shippedFrameworks() },
    env: { OVERSIGHT_DATA_DIR: dataDir },
    close: async () => {
      if (closed) return;
      closed = true;
      await db.close();
    },
  };
}
