/**
 * requirements §2, rule 3: every command has --help. The commands are enumerated from commander's program
 * object (as registerCommands builds it), so a command added later is covered without editing
 * this test. Every command's --help is run in-process (runOversight, what bin/oversight.mjs calls);
 * the real program is run for the top level and a subcommand, to show the in-process help is the
 * same and that the process exits 0.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Command } from "commander";
import { registerCommands } from "../../src/cli/commands.js";
import { hasStackTrace, runCli, runCliProcess } from "./run-cli.js";

/** Every command and subcommand, as the words typed after `oversight`. */
function commandPaths(): { path: string[]; command: Command }[] {
  const walk = (command: Command, prefix: string[]): { path: string[]; command: Command }[] =>
    command.commands.flatMap((sub) => {
      const path = [...prefix, sub.name()];
      return [{ path, command: sub }, ...walk(sub, path)];
    });
  const program = new Command();
  registerCommands(program);
  return walk(program, []);
}

/** `oversight ...words --help`, in-process: the exit code and the output. */
async function helpInProcess(
  words: string[],
): Promise<{ exitCode: number | null; out: string; err: string }> {
  const result = await runCli([...words, "--help"]);
  return { exitCode: result.code, out: result.stdout, err: result.stderr };
}

/** The command names listed under "Commands:" in a help text. */
function listedCommands(help: string): string[] {
  const section = help.split(/^Commands:$/m)[1] ?? "";
  return [...section.matchAll(/^ {2}(\S+)/gm)].map((m) => m[1]!);
}

describe("oversight --help (requirements §2, rule 3)", () => {
  const paths = commandPaths();

  it("finds the commands registerCommands defines, each with a description", () => {
    const names = paths.map((p) => p.path.join(" "));
    // A floor, not the list: new commands are covered automatically.
    for (const expected of ["serve", "db migrate", "import", "frameworks validate", "spc"])
      assert.ok(names.includes(expected), `${expected} is registered`);
    for (const { path, command } of paths)
      assert.notEqual(command.description(), "", `oversight ${path.join(" ")} has a description`);
  });

  it("--help works for every command and subcommand: exit 0, its usage, options and subcommands", async () => {
    for (const { path, command } of paths) {
      const words = path.join(" ");
      const { exitCode, out, err } = await helpInProcess(path);
      assert.equal(exitCode, 0, `oversight ${words} --help exits 0`);
      assert.equal(err, "", `oversight ${words} --help wrote to stderr`);
      assert.ok(out.startsWith(`Usage: oversight ${words} `), `usage of ${words}:\n${out}`);
      for (const option of command.options)
        assert.ok(out.includes(option.long!), `${words} --help shows ${option.long}`);
      const subs = command.commands.map((c) => c.name());
      if (subs.length > 0)
        assert.deepEqual(listedCommands(out).sort(), [...subs, "help"].sort(), words);
    }
  });

  it("the real CLI: top-level --help exits 0 and lists every registered top-level command", async () => {
    const result = await runCliProcess(["--help"]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, "");
    assert.match(result.stdout, /^Usage: oversight \[options\] \[command\]/);
    const topLevel = paths.filter((p) => p.path.length === 1).map((p) => p.path[0]);
    assert.deepEqual(listedCommands(result.stdout).sort(), [...topLevel, "help"].sort());
  });

  it("the real CLI: a subcommand's --help and `help COMMAND` match the in-process help", async () => {
    const deepest = paths.reduce((a, b) => (b.path.length > a.path.length ? b : a)).path;
    const [flag, viaHelp, group] = await Promise.all([
      runCliProcess([...deepest, "--help"]),
      runCliProcess(["help", deepest[0]!]),
      runCliProcess([deepest[0]!, "--help"]),
    ]);
    for (const result of [flag, viaHelp, group]) {
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stderr, "");
      assert.ok(!hasStackTrace(result.stdout));
    }
    assert.equal(flag.stdout, (await helpInProcess(deepest)).out);
    assert.equal(group.stdout, (await helpInProcess([deepest[0]!])).out);
    assert.equal(viaHelp.stdout, group.stdout);
  });
});
