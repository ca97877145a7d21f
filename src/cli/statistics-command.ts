/**
 * requirements §19: `oversight import-statistics <dataset> <file>` for each published dataset of the one
 * list (src/ingest/statistics/index.ts), and `oversight nof derive`, the NOF metrics made from the
 * imported statistics beside NHS England's published values.
 */
import { Option, type Command } from "commander";
import { formatRejection } from "../ingest/csv-file.js";
import { STATISTICS_DATASETS } from "../ingest/statistics/index.js";
import { authorise } from "../services/authorise.js";
import { deriveNof, type NofDerivation } from "../services/derive-nof.js";
import { InvalidInputError } from "../services/errors.js";
import { importPublishedStatistics, StatisticsSourceError } from "../services/import-statistics.js";
import { printImportReport, requireInput } from "./import-report.js";
import { CliError, withServices, withServicesAs } from "./session.js";
import { NOTE_HELP } from "./import-report.js";
import { write } from "./io.js";

function subcommand(program: Command, name: string): Command {
  const found = program.commands.find((c) => c.name() === name);
  if (!found) throw new Error(`the ${name} command is registered before the statistics commands`);
  return found;
}

function derivationText(report: NofDerivation): string {
  const lines = [`${report.quarter} (${report.framework}): derived from imported statistics`];
  lines.push("metric   compared  agreed  tolerance  reason");
  for (const [id, m] of Object.entries(report.metrics)) {
    const reason = m.compared === 0 || m.disagreements.length > 0 ? (m.reason ?? "") : "";
    lines.push(
      `${id.padEnd(8)} ${String(m.compared).padStart(8)}  ${String(m.agreed).padStart(6)}  ${String(m.tolerance).padStart(9)}  ${reason}`,
    );
    for (const d of m.disagreements)
      lines.push(`           ${d.trust_code}: ours ${d.ours}, published ${d.published}`);
  }
  return `${lines.join("\n")}\n`;
}

export function registerStatisticsCommands(program: Command): void {
  const stats = subcommand(program, "import-statistics");
  for (const dataset of STATISTICS_DATASETS) {
    stats
      .command(dataset.name)
      .description(`${dataset.description}, exactly as published (docs/statistics.md)`)
      .argument("<file>", "the published file")
      .option("--note <text>", NOTE_HELP)
      .action(async (file: string, opts: { note?: string }) => {
        requireInput(file, "file");
        printImportReport(
          await withServicesAs(async (ctx, actor) => {
            await authorise(ctx, actor, "data:import", { type: "statistics", id: file });
            try {
              return await importPublishedStatistics(ctx, dataset.name, file, {
                actor,
                importedBy: opts.note ?? actor.user,
              });
            } catch (error) {
              if (error instanceof StatisticsSourceError) throw new CliError(error.message);
              throw error;
            }
          }),
        );
      });
  }

  subcommand(program, "nof")
    .command("derive")
    .description(
      "make every NOF metric the imported statistics allow for a quarter (frameworks/nof-2025.yaml statistics.derivations) and compare it with NHS England's published values",
    )
    .requiredOption("--quarter <quarter>", 'the quarter, e.g. "Q1 2025/26"')
    .requiredOption("--compare <published.csv>", "NHS England's published NOF trust data file")
    .addOption(
      new Option("--format <format>", "output format").choices(["text", "json"]).default("text"),
    )
    .action(async (opts: { quarter: string; compare: string; format: "text" | "json" }) => {
      requireInput(opts.compare, "file");
      const result = await withServices(async (ctx) => {
        try {
          return await deriveNof(ctx, opts.quarter, opts.compare);
        } catch (error) {
          if (error instanceof InvalidInputError) throw new CliError(error.message);
          throw error;
        }
      });
      if (!result.ok) {
        const [first] = result.rejections;
        throw new CliError(first ? formatRejection(first) : opts.compare);
      }
      write(
        opts.format === "json"
          ? `${JSON.stringify({ metrics: result.report.metrics }, null, 2)}\n`
          : derivationText(result.report),
      );
    });
}
