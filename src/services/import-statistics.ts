/**
 * Use case: import NHS England's national A&E statistics. All or nothing like a bundle: a
 * malformed row rejects the whole import; codes outside the registry are skipped and counted.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
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
