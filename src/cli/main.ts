/**
 * The command-line adapter. Every command calls services only, has --help, and on error exits
 * non-zero with a one-line reason.
 */
import { Command, CommanderError } from "commander";
import { registerCommands } from "./commands.js";

const program = new Command();
program
  .name("oversight")
  .description(
    "Oversight: NHS oversight and segmentation of trusts and ICBs.\n" +
      "Data lives in the embedded database under $OVERSIGHT_DATA_DIR (default ./.oversight),\n" +
      "or in the PostgreSQL server at $DATABASE_URL when that is set.",
  )
  .showHelpAfterError("(run with --help for usage)")
  .exitOverride();

registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander has already printed its message (or the help text).
    process.exitCode = error.exitCode;
  } else {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`oversight: ${message.split("\n")[0]}`);
    process.exitCode = process.exitCode || 1;
  }
}
