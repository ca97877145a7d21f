import { readFileSync } from "node:fs";
import { Command, InvalidArgumentError, Option } from "commander";
import { stringify as stringifyYaml } from "yaml";
import { readConfig } from "../config.js";
import { analyseSeries, type SpcResult } from "../domain/spc/index.js";
import { formatRejection } from "../ingest/csv-file.js";
import { loadFrameworkFile, loadShippedFrameworks } from "../store/framework-files.js";
import { parseSpcCsv } from "../ingest/spc-input.js";
import { authorise } from "../services/authorise.js";
import { registerAssessCommands } from "./assess-command.js";
import { registerNofCommands } from "./nof-command.js";
import { registerReviewsCommands } from "./reviews-command.js";
import { registerStatisticsCommands } from "./statistics-command.js";
import { registerUserCommands } from "./users-command.js";
import { registerWorkflowCommands } from "./workflow-command.js";
import { NOTE_HELP, printImportReport, requireInput } from "./import-report.js";
import { actAs, CliError, withServicesAs } from "./session.js";
import { cliEnv, say, warn, write } from "./io.js";

export function registerCommands(program: Command): void {
  program.option(
    "--user <username>",
    "act as this user account, with its role and scope (default: the local operator, as system)",
  );
  program.hook("preAction", (_program, action) => {
    const names: string[] = [];
    for (let c: Command | null = action; c && c !== program; c = c.parent) names.unshift(c.name());
    actAs(
      names.join(" "),
      (program.opts() as { user?: string }).user ?? (cliEnv().OVERSIGHT_ACT_AS || undefined),
    );
  });
  program
    .command("serve")
    .description("start the web server (loads the demo dataset into an empty database first)")
    .option("--no-demo", "do not load the demo dataset into an empty database")
    .action(async (opts: { demo: boolean }) => {
      const config = readConfig(cliEnv());
      const { startWebServer } = await import("../web/start.js");
      await startWebServer(config, { loadDemoIfEmpty: opts.demo });
    });

  const db = program.command("db").description("database administration");
  db.command("migrate")
    .description("apply any pending schema migrations")
    .action(async () => {
      const { openDatabase } = await import("../store/database.js");
      const { migrate } = await import("../store/migrate.js");
      const database = await openDatabase(readConfig(cliEnv()).database);
      try {
        const applied = await migrate(database);
        say(applied.length ? `applied ${applied.join(", ")}` : "schema is up to date");
      } finally {
        await database.close();
      }
    });

  program
    .command("import")
    .description(
      "import a data bundle folder (organisations.csv, observations.csv, cqc_ratings.csv, intelligence.csv), all or nothing",
    )
    .argument("<dir>", "the bundle folder")
    .option("--note <text>", NOTE_HELP)
    .option("--synthetic", "mark the data as synthetic (made up for a demo)", false)
    .action(async (dir: string, opts: { note?: string; synthetic: boolean }) => {
      requireInput(dir, "folder");
      const { importBundle } = await import("../services/import-bundle.js");
      const report = await withServicesAs(async (ctx, actor) => {
        await authorise(ctx, actor, "data:import", { type: "bundle", id: dir });
        return importBundle(ctx, dir, {
          actor,
          importedBy: opts.note ?? actor.user,
          synthetic: opts.synthetic,
          onProgress: (stage) => say(`${stage}…`),
        });
      });
      printImportReport(report);
    });

  program
    .command("export")
    .description(
      "export the current data as a bundle folder in the import format (confidential: it holds every level), or --open-data: only what is public",
    )
    .argument("<dir>", "the folder to write")
    .option(
      "--open-data",
      "the open-data export: registry, decided segments and public-level content only",
      false,
    )
    .action(async (dir: string, opts: { openData: boolean }) => {
      const { exportBundle, exportOpenData } = await import("../services/export-bundle.js");
      const written = await withServicesAs(async (ctx, actor) => {
        if (opts.openData) return exportOpenData(ctx, actor, dir);
        await authorise(ctx, actor, "data:export", { type: "bundle", id: dir });
        return exportBundle(ctx, dir);
      });
      for (const w of written) say(`${w.file}: ${w.rows} rows`);
    });

  const stats = program
    .command("import-statistics")
    .description(
      "import NHS England national statistics; codes not in the registry are skipped and counted",
    );
  stats
    .command("ae-monthly")
    .description(
      "the monthly A&E attendances and emergency admissions provider CSV, exactly as published",
    )
    .argument("<file>", "the CSV file")
    .option("--note <text>", NOTE_HELP)
    .action(async (file: string, opts: { note?: string }) => {
      requireInput(file, "file");
      const { importAeMonthly } = await import("../services/import-statistics.js");
      printImportReport(
        await withServicesAs(async (ctx, actor) => {
          await authorise(ctx, actor, "data:import", { type: "statistics", id: file });
          return importAeMonthly(ctx, file, { actor, importedBy: opts.note ?? actor.user });
        }),
      );
    });
  stats
    .command("ae-attendances")
    .description(
      "a folder of monthly A&E attendance files YYYY-MM-01.csv (period,org_code,type,attendances,breaches,admissions)",
    )
    .argument("<dir>", "the folder")
    .option("--note <text>", NOTE_HELP)
    .action(async (dir: string, opts: { note?: string }) => {
      requireInput(dir, "folder");
      const { importAeAttendances } = await import("../services/import-statistics.js");
      printImportReport(
        await withServicesAs(async (ctx, actor) => {
          await authorise(ctx, actor, "data:import", { type: "statistics", id: dir });
          return importAeAttendances(ctx, dir, { actor, importedBy: opts.note ?? actor.user });
        }),
      );
    });

  program
    .command("demo")
    .description("build the demo national dataset (deterministic from --seed) and load it")
    .option("--seed <n>", "random seed", (v) => parseIntOption(v, "--seed"), 20160401)
    .option("--out <dir>", "where to write the demo bundles (default $OVERSIGHT_DATA_DIR/demo)")
    .option("--no-load", "only write the bundles, do not import them")
    .action(async (opts: { seed: number; out?: string; load: boolean }) => {
      const { buildDemo, loadDemo } = await import("../services/demo.js");
      const config = readConfig(cliEnv());
      const out = opts.out ?? `${config.dataDir}/demo`;
      const started = Date.now();
      const built = buildDemo({
        seed: opts.seed,
        outDir: out,
        frameworks: loadShippedFrameworks(),
      });
      say(`demo bundle written to ${out}: ${JSON.stringify(built.counts)}`);
      if (!opts.load) return;
      await withServicesAs(async (ctx, actor) => {
        await authorise(ctx, actor, "data:import", { type: "bundle", id: out });
        const loaded = await loadDemo(ctx, out, { importedBy: "oversight demo" });
        say(`loaded: ${JSON.stringify(loaded)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      });
    });

  const frameworks = program
    .command("frameworks")
    .description("framework versions (policy as data)");
  frameworks
    .command("list")
    .description("list the shipped framework versions")
    .action(() => {
      for (const f of loadShippedFrameworks()) {
        const period = `${f.in_force_from} to ${f.in_force_to ?? "now"}`;
        say(
          `${f.id.padEnd(10)} ${f.name} (in force ${period}; ${f.metrics.length} metrics, ${f.themes.length} themes)`,
        );
      }
    });
  frameworks
    .command("show")
    .description("print one framework version as YAML")
    .argument("<id>", "framework id, e.g. nof-2022")
    .action((id: string) => {
      const found = loadShippedFrameworks().find((f) => f.id === id);
      if (!found) throw new CliError(`no framework "${id}" (see: oversight frameworks list)`);
      write(stringifyYaml(found));
    });
  frameworks
    .command("validate")
    .description("validate a framework file against the schema; problems are named by path")
    .argument("<file>", "a YAML or JSON framework file")
    .action((file: string) => {
      try {
        const f = loadFrameworkFile(file);
        say(`${file}: valid (${f.id}: ${f.metrics.length} metrics)`);
      } catch (error) {
        warn((error as Error).message);
        throw new CliError(`${file} is not a valid framework file`);
      }
    });

  program
    .command("spc")
    .description(
      "Making Data Count XmR analysis of a series (CSV period,value or series,period,value; a period is a date YYYY-MM-DD or a month YYYY-MM, read as its first day)",
    )
    .requiredOption("--input <csv>", "the CSV file")
    .addOption(
      new Option("--polarity <p>", "which direction is better")
        .choices(["higher_is_better", "lower_is_better", "neutral"])
        .default("neutral"),
    )
    .option("--target <n>", "target value, for the assurance icon", (v) =>
      parseNumberOption(v, "--target"),
    )
    .option(
      "--rebase <dates>",
      "comma-separated dates YYYY-MM-DD (or months YYYY-MM) at which to start a new baseline",
    )
    .option("--min-points <n>", "fewest points in a group before limits are drawn", (v) =>
      parseIntOption(v, "--min-points"),
    )
    .addOption(new Option("--format <format>", "output format").choices(["json"]).default("json"))
    .action(
      (opts: {
        input: string;
        polarity: "higher_is_better" | "lower_is_better" | "neutral";
        target?: number;
        rebase?: string;
        minPoints?: number;
      }) => {
        let bytes: Buffer;
        try {
          bytes = readFileSync(opts.input);
        } catch {
          throw new CliError(`cannot read ${opts.input}`);
        }
        const parsed = parseSpcCsv(opts.input, bytes);
        if (!parsed.ok) {
          for (const r of parsed.rejections) warn(formatRejection(r));
          throw new CliError(`${opts.input}: ${parsed.rejections.length} problem(s) listed above`);
        }
        // Months (YYYY-MM) mean their first day, as in the input file.
        const rebase = opts.rebase
          ? opts.rebase.split(",").map((d) => d.trim().replace(/^(\d{4}-\d{2})$/, "$1-01"))
          : [];
        const results: (SpcResult & { series: string })[] = [];
        for (const series of parsed.series) {
          try {
            const result = analyseSeries(series.points, {
              polarity: opts.polarity,
              target: opts.target,
              rebase,
              minPoints: opts.minPoints,
            });
            results.push({ series: series.name, ...result });
          } catch (error) {
            throw new CliError(`series "${series.name}": ${(error as Error).message}`);
          }
        }
        write(`${JSON.stringify(results, null, 2)}\n`);
      },
    );

  registerAssessCommands(program);
  registerNofCommands(program);
  registerReviewsCommands(program);
  registerWorkflowCommands(program);
  registerUserCommands(program);
  registerStatisticsCommands(program);
}

function parseIntOption(value: string, name: string): number {
  if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError(`${name} must be a whole number.`);
  return Number(value);
}

function parseNumberOption(value: string, name: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n))
    throw new InvalidArgumentError(`${name} must be a number.`);
  return n;
}
