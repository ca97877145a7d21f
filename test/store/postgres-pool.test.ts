/**
 * The PostgreSQL adapter survives the server ending its idle connections (a restart, an
 * administrator, DROP DATABASE … WITH (FORCE)): the pool drops them and the next query opens a
 * new one. Unhandled, the pool's "error" event crashed the process (a web server, or a test run
 * whose clean-up raced a close). PostgreSQL only: PGlite has no connections.
 */
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, it } from "node:test";
import pg from "pg";
import { openTestDatabase, testEngines } from "../support/database.js";

if (testEngines().includes("postgres")) {
  describe("database adapter [postgres]: connections ended by the server", () => {
    it("the next query runs on a new connection; the process does not crash", async () => {
      const t = await openTestDatabase("postgres");
      try {
        // Several idle connections in the pool.
        await Promise.all([1, 2, 3].map(() => t.db.query("SELECT pg_sleep(0.05)")));
        const database = new URL(t.env.DATABASE_URL!).pathname.slice(1);
        const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
        await admin.connect();
        try {
          const ended = await admin.query<{ ended: boolean }>(
            "SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = $1",
            [database],
          );
          assert.ok(ended.rows.length >= 1 && ended.rows.every((r) => r.ended));
        } finally {
          await admin.end();
        }
        await sleep(200); // let the terminations reach the pool
        const [row] = await t.db.query<{ ok: number }>("SELECT 1 AS ok");
        assert.deepEqual(row, { ok: 1 });
      } finally {
        await t.close();
      }
    });
  });
}
