/**
 * requirements §2, rule 2: `oversight frameworks list | show ID | validate FILE` through the real CLI.
 */
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import {
  FRAMEWORKS_DIR,
  loadFrameworkFile,
  loadShippedFrameworks,
} from "../../src/store/framework-files.js";
import { hasStackTrace, runCli, tempDir } from "./run-cli.js";

// Each case is its own process: run them side by side.
describe("oversight frameworks (requirements §2, rule 2)", { concurrency: 2 }, () => {
  const scratch = tempDir();
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it("list shows the three shipped versions, oldest first, with their periods in force", async () => {
    const result = await runCli(["frameworks", "list"]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, "");
    const lines = result.stdout.trimEnd().split("\n");
    assert.deepEqual(
      lines.map((l) => l.split(/\s+/)[0]),
      ["sof-2016", "nof-2022", "nof-2025"],
    );
    for (const [i, f] of loadShippedFrameworks().entries()) {
      const line = lines[i]!;
      assert.ok(line.includes(f.name), line);
      assert.ok(line.includes(`in force ${f.in_force_from} to ${f.in_force_to ?? "now"}`), line);
      assert.ok(line.includes(`${f.metrics.length} metrics, ${f.themes.length} themes`), line);
    }
  });

  it("show prints a version as YAML that reads back as the same framework", async () => {
    const result = await runCli(["frameworks", "show", "nof-2022"]);
    assert.equal(result.code, 0, result.stderr);
    const shown = parseYaml(result.stdout) as Record<string, unknown>;
    const file = loadFrameworkFile(join(FRAMEWORKS_DIR, "nof-2022.yaml"));
    assert.equal(shown.id, "nof-2022");
    assert.equal(shown.name, file.name);
    assert.equal(shown.in_force_from, file.in_force_from);
    assert.equal(shown.in_force_to, file.in_force_to);
    assert.deepEqual(shown, JSON.parse(JSON.stringify(file)));
  });

  it("validate accepts a shipped file (exit 0) and a JSON copy of one", async () => {
    const jsonCopy = join(scratch, "nof-2022.json");
    const shipped = join(FRAMEWORKS_DIR, "nof-2022.yaml");
    writeFileSync(jsonCopy, JSON.stringify(parseYaml(readFileSync(shipped, "utf8"))));
    const files = [shipped, jsonCopy];
    const results = await Promise.all(files.map((f) => runCli(["frameworks", "validate", f])));
    for (const [i, file] of files.entries()) {
      const result = results[i]!;
      const framework = loadFrameworkFile(file);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(
        result.stdout,
        `${file}: valid (${framework.id}: ${framework.metrics.length} metrics)\n`,
      );
    }
  });

  it("validate rejects a bad file: exit 1, the problem on one line naming file and path", async () => {
    const dir = join(scratch, "bad-type");
    mkdirSync(dir);
    const file = join(dir, "nof-2022.yaml");
    const data = parseYaml(readFileSync(join(FRAMEWORKS_DIR, "nof-2022.yaml"), "utf8"));
    data.metrics[3].valid_range.min = "zero";
    writeFileSync(file, stringifyYaml(data));
    const result = await runCli(["frameworks", "validate", file]);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, "");
    assert.ok(!hasStackTrace(result.stderr), result.stderr);
    assert.deepEqual(result.stderr.trimEnd().split("\n"), [
      `${file}: metrics.3.valid_range.min: Invalid input: expected number, received string`,
      `oversight: ${file} is not a valid framework file`,
    ]);
  });

  it("validate names the line and column of a YAML syntax error, on one line", async () => {
    const dir = join(scratch, "bad-yaml");
    mkdirSync(dir);
    const file = join(dir, "nof-2022.yaml");
    writeFileSync(file, "id: nof-2022\nname: [unclosed\n  short_name: x\n");
    const result = await runCli(["frameworks", "validate", file]);
    assert.equal(result.code, 1);
    const lines = result.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 2, result.stderr);
    assert.match(lines[0]!, new RegExp(`^${escape(file)}: line 2, column \\d+: \\S`));
    assert.equal(lines[1], `oversight: ${file} is not a valid framework file`);
  });

  it("validate checks the id against the file name", async () => {
    const file = join(scratch, "nof-2099.yaml");
    copyFileSync(join(FRAMEWORKS_DIR, "nof-2025.yaml"), file);
    const result = await runCli(["frameworks", "validate", file]);
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr.split("\n")[0],
      `${file}: id: "nof-2025" does not match the file name "nof-2099"`,
    );
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
