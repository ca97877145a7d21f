/**
 * The command-line adapter. Every command calls services only, has --help, and on error exits
 * non-zero with one line: `oversight: <reason>`.
 */
import { Command, CommanderError } from "commander";
import { registerCommands } from "./commands.js";
import { withInvocation, type CliIo } from "./io.js";

function buildProgram(io: CliIo): Command {
  const program = new Command();
  program
    .name("oversight")
    .description(
      "Oversight: NHS oversight and segmentation of trusts and ICBs.\n" +
        "Data lives in the embedded database under $OVERSIGHT_DATA_DIR (default ./.oversight),\n" +
        "or in the PostgreSQL server at $DATABASE_URL when that is set.",
    )
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      writeErr: (text) => void io.stderr.write(text),
      // Commander's own argument errors read like every other: one line, with where to look.
      outputError: (text, write) =>
        write(`oversight: ${text.trim().replace(/^error: /, "")} (see --help)\n`),
    })
    .exitOverride();
  registerCommands(program);
  return program;
}

/** Runs `oversight ...argv` with `io`; resolves with the exit code. */
export async function runOversight(argv: string[], io: CliIo): Promise<number> {
  return withInvocation(io, async () => {
    try {
      await buildProgram(io).parseAsync(argv, { from: "user" });
      return 0;
    } catch (error) {
      // Commander has already printed its message (or the help text).
      if (error instanceof CommanderError) return error.exitCode;
      const message = error instanceof Error ? error.message : String(error);
      io.stderr.write(`oversight: ${message.split("\n")[0]}\n`);
      return 1;
    }
  });
}
