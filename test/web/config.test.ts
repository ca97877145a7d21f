/**
 * requirements §2, rule 7: what `npm start` (`oversight serve`) reads from the environment. readConfig
 * is given an environment object, so these are unit tests.
 */
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { describe, it } from "node:test";
import { readConfig } from "../../src/config.js";

describe("readConfig (requirements §2, rule 7)", () => {
  it("defaults: port 3000 on localhost, embedded database under ./.oversight", () => {
    assert.deepEqual(readConfig({}), {
      database: { engine: "pglite", dataDir: resolve(".oversight", "db") },
      dataDir: resolve(".oversight"),
      port: 3000,
      host: "localhost",
    });
  });

  it("PORT, HOST and OVERSIGHT_DATA_DIR override the defaults", () => {
    const config = readConfig({
      PORT: "8080",
      HOST: "0.0.0.0",
      OVERSIGHT_DATA_DIR: "/srv/oversight",
    });
    assert.equal(config.port, 8080);
    assert.equal(config.host, "0.0.0.0");
    assert.equal(config.dataDir, "/srv/oversight");
    assert.deepEqual(config.database, { engine: "pglite", dataDir: "/srv/oversight/db" });
  });

  it("a relative OVERSIGHT_DATA_DIR is resolved against the working folder", () => {
    assert.equal(readConfig({ OVERSIGHT_DATA_DIR: "data/here" }).dataDir, resolve("data/here"));
  });

  it("DATABASE_URL selects PostgreSQL; the data folder is still where demo bundles go", () => {
    const url = "postgres://oversight@db.internal:5432/oversight";
    const config = readConfig({ DATABASE_URL: url, OVERSIGHT_DATA_DIR: "/srv/o" });
    assert.deepEqual(config.database, { engine: "postgres", url });
    assert.equal(config.dataDir, "/srv/o");
  });

  it("PORT 0 (any free port) and 65535 are ports", () => {
    assert.equal(readConfig({ PORT: "0" }).port, 0);
    assert.equal(readConfig({ PORT: "65535" }).port, 65535);
  });

  for (const bad of ["abc", "65536", "-1", "80.5", "0x50", "1e3", " 80", "80 ", "８０"]) {
    it(`PORT=${JSON.stringify(bad)} is a clear error naming the value`, () => {
      assert.throws(
        () => readConfig({ PORT: bad }),
        (error: unknown) =>
          error instanceof Error &&
          error.message === `PORT must be a port number 0–65535, not "${bad}"`,
      );
    });
  }

  it("a variable set to the empty string counts as unset", () => {
    assert.deepEqual(
      readConfig({ PORT: "", HOST: "", OVERSIGHT_DATA_DIR: "", DATABASE_URL: "" }),
      readConfig({}),
    );
  });

  it("reads process.env when given nothing", () => {
    const saved = process.env.PORT;
    process.env.PORT = "4321";
    try {
      assert.equal(readConfig().port, 4321);
    } finally {
      if (saved === undefined) delete process.env.PORT;
      else process.env.PORT = saved;
    }
  });
});
