/**
 * requirements §2, rule 3: on error every command exits non-zero with a one-line reason on stderr,
 * `oversight: ...` (commander's own argument errors too, ending with where to look: "(see
 * --help)"), never a stack trace.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { hasStackTrace, runCli, tempDir, type CliResult } from "./run-cli.js";

const USAGE_HINT = " (see --help)";

/** Commander's argument error `reason`, as one line: `oversight: <reason> (see --help)`. */
function assertCommanderError(result: CliResult, reason: string | RegExp): void {
  assert.equal(result.code, 1, `exit code; stderr: ${result.stderr}`);
  assert.equal(result.stdout, "");
  assert.ok(!hasStackTrace(result.stderr), `no stack trace:\n${result.stderr}`);
  const lines = result.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, `one line:\n${result.stderr}`);
  const line = lines[0]!;
  assert.ok(line.startsWith("oversight: ") && line.endsWith(USAGE_HINT), line);
  const given = line.slice("oversight: ".length, -USAGE_HINT.length);
  if (typeof reason === "string") assert.equal(given, reason);
  else assert.match(given, reason);
}

function assertOneLineReason(result: CliResult, reason: string | RegExp): void {
  assert.equal(result.code, 1, `exit code; stderr: ${result.stderr}`);
  assert.ok(!hasStackTrace(result.stderr), `no stack trace:\n${result.stderr}`);
  assert.ok(result.stderr.endsWith("\n"));
  const lines = result.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, `exactly one line on stderr:\n${result.stderr}`);
  assert.ok(lines[0]!.startsWith("oversight: "), lines[0]);
  if (typeof reason === "string") assert.equal(lines[0], `oversight: ${reason}`);
  else assert.match(lines[0]!, reason);
}

describe("CLI errors (requirements §2, rule 3)", { concurrency: 2 }, () => {
  const scratch = tempDir();
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it("an unknown command", async () => {
    assertCommanderError(await runCli(["bogus"]), "unknown command 'bogus'");
  });

  it("an unknown subcommand", async () => {
    assertCommanderError(await runCli(["frameworks", "bogus"]), "unknown command 'bogus'");
  });

  it("an unknown option", async () => {
    assertCommanderError(
      await runCli(["frameworks", "list", "--colour"]),
      "unknown option '--colour'",
    );
  });

  it("a missing argument", async () => {
    assertCommanderError(await runCli(["import"]), "missing required argument 'dir'");
  });

  it("a missing required option", async () => {
    assertCommanderError(await runCli(["spc"]), "required option '--input <csv>' not specified");
  });

  it("bad option values", async () => {
    const [polarity, seed, target] = await Promise.all([
      runCli(["spc", "--input", "x.csv", "--polarity", "sideways"]),
      runCli(["demo", "--seed", "abc"]),
      runCli(["spc", "--input", "x.csv", "--target", "ninety"]),
    ]);
    assertCommanderError(
      polarity,
      /^option '--polarity <p>' argument 'sideways' is invalid\. Allowed choices are /,
    );
    assertCommanderError(
      seed,
      "option '--seed <n>' argument 'abc' is invalid. --seed must be a whole number.",
    );
    assertCommanderError(
      target,
      "option '--target <n>' argument 'ninety' is invalid. --target must be a number.",
    );
  });

  it("a nonexistent import folder is named, and no database is created for it", async () => {
    const dataDir = join(scratch, "data-import");
    const missing = join(scratch, "no-such-bundle");
    const result = await runCli(["import", missing], { OVERSIGHT_DATA_DIR: dataDir });
    assertOneLineReason(result, `not a folder: ${missing}`);
    assert.equal(result.stdout, "");
    assert.ok(!existsSync(join(dataDir, "db")), "the mistyped path did not create a database");
  });

  it("a nonexistent national-statistics file is named", async () => {
    const missing = join(scratch, "ae.csv");
    assertOneLineReason(
      await runCli(["import-statistics", "ae-monthly", missing]),
      `not a file: ${missing}`,
    );
  });

  it("an unknown framework id", async () => {
    assertOneLineReason(
      await runCli(["frameworks", "show", "nof-1999"]),
      'no framework "nof-1999" (see: oversight frameworks list)',
    );
  });

  it("an invalid PORT for serve is a clear one-line error, before anything is opened", async () => {
    const dataDir = join(scratch, "data-serve");
    const result = await runCli(["serve", "--no-demo"], {
      PORT: "eighty",
      OVERSIGHT_DATA_DIR: dataDir,
    });
    assertOneLineReason(result, 'PORT must be a port number 0–65535, not "eighty"');
    assert.ok(!existsSync(dataDir) || readdirSync(dataDir).length === 0);
  });

  it("an unreachable PostgreSQL server is one line", async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const result = await runCli(["db", "migrate"], {
      DATABASE_URL: "postgres://nobody@127.0.0.1:1/nothing",
    });
    assertOneLineReason(result, /^oversight: connect ECONNREFUSED 127\.0\.0\.1:1$/);
  });
});
