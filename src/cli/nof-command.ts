/**
 * `oversight nof …`: the NHS Oversight Framework's published data. Needs no database: it reads
 * the published file and the shipped framework versions only.
 */
import { Option, type Command } from "commander";
import { FrameworkRegistry } from "../domain/frameworks/registry.js";
import { formatRejection } from "../ingest/csv-file.js";
import { NofFileError, reproduceNofFile } from "../services/nof-reproduce.js";
import { loadShippedFrameworks } from "../store/framework-files.js";
import { CliError } from "./session.js";
import { formatReproductionText } from "./nof-reproduce-text.js";
import { write } from "./io.js";

export function registerNofCommands(program: Command): void {
  const nof = program
    .command("nof")
    .description("NHS Oversight Framework 2025/26 onwards: NHS England's published data");
  nof
    .command("reproduce")
    .description(
      "recompute every figure of NHS England's published NOF trust data file that its inputs allow, beside the published value, with agreement rates",
    )
    .argument("<published.csv>", "the published trust data file, exactly as published")
    .addOption(
      new Option("--format <format>", "output format").choices(["text", "json"]).default("text"),
    )
    .option(
      "--quarter <label>",
      'the quarter of a file without a Quarter column (NHS England\'s first acute release), e.g. "Q1 2025/26"',
    )
    .action((file: string, opts: { format: "text" | "json"; quarter?: string }) => {
      let result;
      try {
        result = reproduceNofFile(
          new FrameworkRegistry(loadShippedFrameworks()),
          file,
          opts.quarter ? { quarter: opts.quarter } : {},
        );
      } catch (error) {
        if (error instanceof NofFileError) throw new CliError(error.message);
        throw error;
      }
      if (!result.ok) {
        const [first] = result.rejections;
        const more = result.rejections.length - 1;
        throw new CliError(
          `${first ? formatRejection(first) : file}${more > 0 ? ` (and ${more} more problem(s))` : ""}`,
        );
      }
      write(
        opts.format === "json"
          ? `${JSON.stringify(result.report, null, 2)}\n`
          : formatReproductionText(result.report),
      );
    });
}
