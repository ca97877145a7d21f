/**
 * The tests' own reading of NHS England's A&E files, straight from the raw columns, to check the
 * importers against: 4-hour performance = (attendances − attendances over 4 hours) / attendances.
 * Column groups are found by the published header names, not by the importer's column lists.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";

/** The published sample, copied unchanged into the repository (data/nhse-statistics/README.md). */
export const AE_MONTHLY_SAMPLE = fileURLToPath(
  new URL("../../data/nhse-statistics/ae-monthly-2026-05.csv", import.meta.url),
);
export const AE_ATTENDANCES_DIR = fileURLToPath(
  new URL("../../data/ae-attendances/", import.meta.url),
);

export interface Expected {
  value: number;
  numerator: number | null;
  denominator: number | null;
}
/** measure (as in a metric's `feed: ae.<measure>`) → expected observation. */
export type ExpectedMeasures = Map<string, Expected>;

export function readRows(path: string): Record<string, string>[] {
  return parse(readFileSync(path), { columns: true, bom: true, trim: true }) as Record<
    string,
    string
  >[];
}

const percent = (within: number, all: number): Expected => ({
  value: (100 * within) / all,
  numerator: within,
  denominator: all,
});

/** The published monthly provider CSV: the national TOTAL row is not an organisation. */
export function isTotalRow(row: Record<string, string>): boolean {
  return row["Org Code"] === "TOTAL";
}

export function monthlyExpected(row: Record<string, string>): ExpectedMeasures {
  const columns = Object.keys(row);
  const total = (names: string[]) => names.reduce((n, c) => n + Number(row[c]), 0);
  const attendanceColumns = columns.filter((c) => c.startsWith("A&E attendances "));
  const over4hColumns = columns.filter((c) => c.startsWith("Attendances over 4hrs "));
  const type1 = (names: string[]) => names.filter((c) => c.endsWith(" Type 1"));
  const attendances = total(attendanceColumns);
  const over4h = total(over4hColumns);
  const type1Attendances = total(type1(attendanceColumns));
  const type1Over4h = total(type1(over4hColumns));
  const dta = Number(row["Patients who have waited 12+ hrs from DTA to admission"]);
  const out: ExpectedMeasures = new Map();
  if (attendances > 0) {
    out.set("attendances", { value: attendances, numerator: null, denominator: null });
    out.set("four_hour_all", percent(attendances - over4h, attendances));
  }
  if (type1Attendances > 0)
    out.set("four_hour_type1", percent(type1Attendances - type1Over4h, type1Attendances));
  // A provider with no A&E attendances has no 12-hour waits to report.
  if (attendances > 0 || dta > 0)
    out.set("twelve_hour_dta", { value: dta, numerator: null, denominator: null });
  return out;
}

export function attendanceFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}-\d{2}-01\.csv$/.test(f))
    .sort();
}

/** Tidy monthly files: all types summed for all-types; type 1 alone for type 1. */
export function attendancesExpected(rows: Record<string, string>[]): ExpectedMeasures {
  const sum = (of: Record<string, string>[], column: string) =>
    of.reduce((n, r) => n + Number(r[column]), 0);
  const out: ExpectedMeasures = new Map();
  const attendances = sum(rows, "attendances");
  if (attendances > 0) {
    out.set("attendances", { value: attendances, numerator: null, denominator: null });
    out.set("four_hour_all", percent(attendances - sum(rows, "breaches"), attendances));
  }
  const type1 = rows.filter((r) => r.type === "1");
  const type1Attendances = sum(type1, "attendances");
  if (type1Attendances > 0)
    out.set(
      "four_hour_type1",
      percent(type1Attendances - sum(type1, "breaches"), type1Attendances),
    );
  return out;
}

/** Rows of a set of tidy monthly files grouped by "org|period". */
export function attendanceRowsByOrgMonth(
  dir: string,
  files: string[],
): Map<string, Record<string, string>[]> {
  const grouped = new Map<string, Record<string, string>[]>();
  for (const file of files) {
    for (const row of readRows(join(dir, file))) {
      const key = `${row.org_code}|${row.period}`;
      grouped.set(key, [...(grouped.get(key) ?? []), row]);
    }
  }
  return grouped;
}
