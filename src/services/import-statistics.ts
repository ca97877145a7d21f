/**
 * Use case: import NHS England's national A&E statistics. All or nothing like a bundle: a
 * malformed row rejects the whole import; codes outside the registry are skipped and counted.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import type { StatisticsMeasure } from "../domain/frameworks/statistics-schema.js";
import type { ObservationRecord } from "../ingest/bundle.js";
import { convertTable } from "../ingest/statistics/convert.js";
import type { StatisticsDataset } from "../ingest/statistics/dataset.js";
import { STATISTICS_DATASETS } from "../ingest/statistics/index.js";
import {
  SPREADSHEET,
  StatisticsFileError,
  openCsvTable,
  openSheetTables,
  sha256OfFile,
} from "../ingest/statistics/published-table.js";
import {
  AE_ATTENDANCE_COLUMNS,
  AE_DATASET,
  AE_MONTHLY_REQUIRED,
  convertAeAttendances,
  convertAeMonthly,
  type AeConversion,
  type AeMetricIds,
} from "../ingest/ae-statistics.js";
import { readCsv, RejectionCollector, type CsvFile, type Rejection } from "../ingest/csv-file.js";
import { writeRecords, type ImportReport, type RecordSource } from "./import-bundle.js";
import type { Actor } from "./authorise.js";
import type { ServiceContext } from "./context.js";

export interface StatisticsImportReport extends ImportReport {
  observations: number;
  skippedCodes: Record<string, number>;
}

export class StatisticsSourceError extends Error {}

async function registryCodes(ctx: ServiceContext): Promise<Set<string>> {
  const rows = await ctx.db.query<{ code: string }>(
    "SELECT code FROM organisations WHERE superseded_at IS NULL",
  );
  return new Set(rows.map((r) => r.code));
}

async function importConverted(
  ctx: ServiceContext,
  files: { file: CsvFile | null; rejections: Rejection[] }[],
  convert: (
    file: CsvFile,
    isKnownOrg: (code: string) => boolean,
    metricIds: AeMetricIds,
  ) => AeConversion,
  options: { importedBy: string; actor?: Actor; kind: string },
): Promise<StatisticsImportReport> {
  const known = await registryCodes(ctx);
  const metricIds = ctx.frameworks.metricsFedBy(AE_DATASET);
  const rejections: Rejection[] = [];
  const skipped: Record<string, number> = {};
  const sources: RecordSource[] = [];
  for (const read of files) {
    rejections.push(...read.rejections);
    if (!read.file) continue;
    const converted = convert(read.file, (code) => known.has(code), metricIds);
    rejections.push(...converted.rejections);
    for (const [code, n] of converted.skippedCodes) skipped[code] = (skipped[code] ?? 0) + n;
    sources.push({
      name: read.file.name,
      sha256: read.file.sha256,
      records: { observations: converted.observations },
    });
  }
  const observations = sources.reduce((n, s) => n + (s.records.observations?.length ?? 0), 0);
  if (rejections.length > 0) {
    const bounded = new RejectionCollector();
    bounded.push(...rejections);
    return {
      ok: false,
      importId: null,
      files: [],
      rejections: bounded.rejections(),
      unlisted: bounded.unlisted(),
      ignoredFiles: [],
      observations: 0,
      skippedCodes: skipped,
    };
  }
  const report = await writeRecords(ctx, sources, options);
  return { ...report, observations, skippedCodes: skipped };
}

export async function importAeMonthly(
  ctx: ServiceContext,
  path: string,
  options: { importedBy: string; actor?: Actor },
): Promise<StatisticsImportReport> {
  if (!existsSync(path) || !statSync(path).isFile())
    throw new StatisticsSourceError(`not a file: ${path}`);
  const read = readCsv(path, readFileSync(path), {
    required: AE_MONTHLY_REQUIRED,
    optional: undefined,
    anyOtherColumns: true,
  });
  return importConverted(ctx, [read], convertAeMonthly, { ...options, kind: "ae-monthly" });
}

export async function importAeAttendances(
  ctx: ServiceContext,
  dir: string,
  options: { importedBy: string; actor?: Actor },
): Promise<StatisticsImportReport> {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new StatisticsSourceError(`not a folder: ${dir}`);
  const names = readdirSync(dir)
    .filter((f) => /^\d{4}-\d{2}-01\.csv$/.test(f))
    .sort();
  if (names.length === 0)
    throw new StatisticsSourceError(`no monthly files (YYYY-MM-01.csv) in ${dir}`);
  const files = names.map((name) =>
    readCsv(name, readFileSync(join(dir, name)), { required: AE_ATTENDANCE_COLUMNS }),
  );
  return importConverted(ctx, files, convertAeAttendances, { ...options, kind: "ae-attendances" });
}

/** The measures of a dataset the catalogue states, with the metric each feeds (requirements §19). */
function measuresOf(ctx: ServiceContext, dataset: StatisticsDataset) {
  const metricIds = ctx.frameworks.metricsFedBy(dataset.feedPrefix);
  const specs = new Map<string, StatisticsMeasure>();
  for (const framework of ctx.frameworks.versions)
    for (const spec of framework.statistics?.measures ?? [])
      if (spec.feed.startsWith(`${dataset.feedPrefix}.`)) specs.set(spec.feed, spec);
  // A measure no framework metric takes is not imported.
  return [...specs.values()].flatMap((spec) => {
    const metricId = metricIds.get(spec.feed.split(".")[1]!);
    return metricId ? [{ spec, metricId }] : [];
  });
}

/**
 * requirements §19: one published statistics file, read as published (docs/statistics.md), turned into
 * observations by the framework's measures, and written all or nothing with its provenance.
 */
export async function importPublishedStatistics(
  ctx: ServiceContext,
  datasetName: string,
  path: string,
  options: { importedBy: string; actor?: Actor },
): Promise<StatisticsImportReport> {
  const dataset = STATISTICS_DATASETS.find((d) => d.name === datasetName);
  if (!dataset)
    throw new StatisticsSourceError(
      `no importer "${datasetName}" (one of ${STATISTICS_DATASETS.map((d) => d.name).join(", ")})`,
    );
  if (!existsSync(path) || !statSync(path).isFile())
    throw new StatisticsSourceError(`not a file: ${path}`);
  const measures = measuresOf(ctx, dataset);
  if (measures.length === 0)
    throw new StatisticsSourceError(`no framework metric is fed by a ${dataset.name} measure`);
  const known = await registryCodes(ctx);
  const failed = (rejections: Rejection[]): StatisticsImportReport => ({
    ok: false,
    importId: null,
    files: [],
    rejections,
    ignoredFiles: [],
    observations: 0,
    skippedCodes: {},
  });
  const defaultSheet = dataset.layout.kind === "workbook" ? (dataset.layout.sheet ?? "") : "";
  const sheetOf = (spec: StatisticsMeasure) => spec.sheet ?? defaultSheet;
  const sheets = [...new Set(measures.map((m) => sheetOf(m.spec)))];
  const rejections: Rejection[] = [];
  const skipped: Record<string, number> = {};
  const observations: ObservationRecord[] = [];
  try {
    const tables =
      dataset.layout.kind === "csv"
        ? [await openCsvTable(path)]
        : SPREADSHEET.test(path)
          ? await openSheetTables(path, sheets, dataset.layout.headerFirstCell)
          : [];
    if (tables.length === 0)
      throw new StatisticsSourceError(`${basename(path)}: expected a workbook (.xlsx or .xls)`);
    for (const table of tables) {
      const sheet = table.name.match(/\[(.*)\]$/)?.[1] ?? "";
      const forTable =
        dataset.layout.kind === "csv"
          ? measures
          : measures.filter((m) => sheetOf(m.spec) === sheet);
      const converted = await convertTable(dataset, table, forTable, (code) => known.has(code));
      rejections.push(...converted.rejections);
      observations.push(...converted.observations);
      // An organisation is counted once per file, by its rows in the sheet read first.
      for (const [code, n] of converted.skippedCodes) skipped[code] ??= n;
    }
  } catch (error) {
    if (error instanceof StatisticsFileError) return failed([error.rejection]);
    throw error;
  }
  if (rejections.length > 0) {
    const bounded = new RejectionCollector();
    bounded.push(...rejections);
    return {
      ...failed(bounded.rejections()),
      unlisted: bounded.unlisted(),
      skippedCodes: skipped,
    };
  }
  const source: RecordSource = {
    name: basename(path),
    sha256: await sha256OfFile(path),
    records: { observations },
  };
  const report = await writeRecords(ctx, [source], {
    ...options,
    kind: `statistics-${dataset.name}`,
  });
  return { ...report, observations: observations.length, skippedCodes: skipped };
}
