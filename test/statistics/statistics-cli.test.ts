/**
 * requirements §19 through the command line, as a user runs it: `oversight import-statistics
 * staff-survey|cancer-waiting-times <file>` then `oversight nof derive --quarter "Q1 2025/26"
 * --compare <published NOF csv> --format json`, whose JSON shape the issue fixes; and a truncated
 * archive rejected with one line naming the file (docs/statistics.md).
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { loadRegistry } from "../registry/load-registry.js";
import { openSharedTestDatabase } from "../cli/shared-database.js";
import { ROOT, runCli, tempDir } from "../cli/run-cli.js";

const DATA = fileURLToPath(new URL("../../../shared/data/", import.meta.url));
const present = existsSync(join(DATA, "README.md"));
const NOF_ACUTE = join(ROOT, "data/nof-2025-26/nhs-oversight-framework-acute-trust-data.csv");

describe(
  "oversight import-statistics and nof derive (requirements §19)",
  { skip: !present && "../shared/data is not present" },
  () => {
    let scratch: string;
    let env: Record<string, string>;

    before(async () => {
      scratch = tempDir("oversight-statistics-cli-");
      const t = await openSharedTestDatabase("pglite", join(scratch, "data"));
      await loadRegistry(t.ctx);
      await t.close();
      env = t.env;
    });
    after(() => rmSync(scratch, { recursive: true, force: true }));

    it("imports the files as published and derives OF0010, OF0011, OF0061 and OF0084 in the issue's JSON shape, agreeing for every acute trust", async () => {
      for (const [dataset, path] of [
        ["staff-survey", "staff-survey/NSS24 detailed spreadsheets organisational results.xlsx"],
        [
          "cancer-waiting-times",
          "cancer-waiting-times/CWT-CRS-Apr-2025-to-Jul-2025-Data-Extract-Provider.xlsx",
        ],
      ]) {
        const imported = await runCli(["import-statistics", dataset!, join(DATA, path!)], env);
        assert.equal(imported.code, 0, imported.stderr);
        assert.match(imported.stdout, /observations; skipped \d+ codes not in the registry/);
      }
      const derived = await runCli(
        ["nof", "derive", "--quarter", "Q1 2025/26", "--compare", NOF_ACUTE, "--format", "json"],
        env,
      );
      assert.equal(derived.code, 0, derived.stderr);
      const { metrics } = JSON.parse(derived.stdout) as {
        metrics: Record<
          string,
          {
            compared: number;
            agreed: number;
            tolerance: number;
            disagreements: unknown[];
            reason?: string;
          }
        >;
      };
      for (const [id, trusts] of [
        ["OF0010", 118],
        ["OF0011", 118],
        ["OF0061", 134],
        ["OF0084", 134],
      ] as const) {
        const m = metrics[id]!;
        assert.deepEqual(
          [m.compared, m.agreed, m.tolerance, m.disagreements],
          [trusts, trusts, 0.01, []],
          id,
        );
      }
      assert.equal(metrics.OF0023!.compared, 0);
      assert.match(metrics.OF0023!.reason!, /no imported rtt/);
    });

    it("a truncated zip is rejected with one line naming the file; the command exits 1", async () => {
      const bytes = readFileSync(
        join(DATA, "diagnostics-dm01/DM01-MARCH-2026-full-extract_32W3L.zip"),
      );
      const path = join(scratch, "DM01-cut.zip");
      writeFileSync(path, bytes.subarray(0, 1000));
      const result = await runCli(["import-statistics", "dm01", path], env);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /^DM01-cut\.zip:0: not a complete zip archive/m);
      assert.match(result.stderr, /nothing was changed/);
    });
  },
);
