import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { openTestDatabase, testEngines } from "../support/database.js";

for (const engine of testEngines()) {
  describe(`database adapter [${engine}]`, () => {
    it("parses dates as calendar-day text, numerics and bigints as numbers", async () => {
      const t = await openTestDatabase(engine);
      try {
        const [row] = await t.db.query<{ d: unknown; n: unknown; b: unknown }>(
          "SELECT DATE '2024-03-31' AS d, 12.5::numeric AS n, 9007199254740991::int8 AS b",
        );
        assert.deepEqual(row, { d: "2024-03-31", n: 12.5, b: 9007199254740991 });
      } finally {
        await t.close();
      }
    });

    it("rolls a failed transaction back whole", async () => {
      const t = await openTestDatabase(engine);
      try {
        await assert.rejects(
          t.db.transaction(async (tx) => {
            await tx.query("INSERT INTO regions (code, name) VALUES ('Z99', 'Test region')");
            throw new Error("boom");
          }),
          /boom/,
        );
        const rows = await t.db.query("SELECT 1 FROM regions WHERE code = 'Z99'");
        assert.equal(rows.length, 0);
      } finally {
        await t.close();
      }
    });
  });
}
