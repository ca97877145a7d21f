/**
 * NHS England's A&E statistics, turned into observations of the A&E metrics. Two shapes are
 * read: the monthly provider CSV exactly as published, and the tidy monthly attendance files
 * of the demo's real series. Codes that are not organisations in the registry (independent
 * sites, closed trusts) are skipped and counted, not fatal.
 *
 * Which metric each A&E measure feeds is the framework catalogue's business (`feed: ae.<measure>`);
 * a measure no framework metric takes is not imported.
 */
import { endOfMonth, parseCalendarDate, type CalendarDate } from "../domain/shared/dates.js";
import type { ObservationRecord } from "./bundle.js";
import type { CsvFile, Rejection } from "./csv-file.js";
import { MONTHS } from "./statistics/dataset.js";

/** The measures these publications yield, as named in a metric's `feed`. */
export const AE_DATASET = "ae";
export const AE_MEASURES = [
  "four_hour_all",
  "four_hour_type1",
  "attendances",
  "twelve_hour_dta",
] as const;
export type AeMeasure = (typeof AE_MEASURES)[number];
/** Measure → metric id, from the catalogue (`FrameworkRegistry.metricsFedBy("ae")`). */
export type AeMetricIds = ReadonlyMap<string, string>;

export interface AeConversion {
  observations: ObservationRecord[];
  rejections: Rejection[];
  /** Codes in the file that are not organisations in the registry, with their row counts. */
  skippedCodes: Map<string, number>;
}

interface MonthlyCounts {
  attendances: number;
  within4h: number;
  type1Attendances: number;
  type1Within4h: number;
  twelveHourDta: number | null;
}

function percent(numerator: number, denominator: number): number {
  // Rounded to 0.01 so the stored value is the one a person reads, and exports round-trip.
  return Math.round((numerator / denominator) * 10000) / 100;
}

function observationsFor(
  org: string,
  start: CalendarDate,
  c: MonthlyCounts,
  metricIds: AeMetricIds,
): ObservationRecord[] {
  const period = { org_code: org, period_start: start, period_end: endOfMonth(start) };
  const values: [AeMeasure, number, number | null, number | null][] = [];
  if (c.attendances > 0) {
    values.push(["attendances", c.attendances, null, null]);
    values.push(["four_hour_all", percent(c.within4h, c.attendances), c.within4h, c.attendances]);
  }
  if (c.type1Attendances > 0)
    values.push([
      "four_hour_type1",
      percent(c.type1Within4h, c.type1Attendances),
      c.type1Within4h,
      c.type1Attendances,
    ]);
  // A provider with no A&E attendances (a specialist or mental health trust listed for its other
  // emergency admissions) has no 12-hour waits to report: a 0 there is not a measurement.
  if (c.twelveHourDta !== null && (c.attendances > 0 || c.twelveHourDta > 0))
    values.push(["twelve_hour_dta", c.twelveHourDta, null, null]);
  return values.flatMap(([measure, value, numerator, denominator]) => {
    const metric_id = metricIds.get(measure);
    return metric_id ? [{ ...period, metric_id, value, numerator, denominator }] : [];
  });
}

const COUNT = /^\d+$/;

function count(
  file: CsvFile,
  line: number,
  fields: Record<string, string>,
  column: string,
  rejections: Rejection[],
): number {
  const text = fields[column] ?? "";
  if (!COUNT.test(text)) {
    rejections.push({
      file: file.name,
      line,
      reason: `${column} is not a whole number: "${text}"`,
    });
    return 0;
  }
  return Number(text);
}

/** Columns of NHS England's monthly provider CSV that the conversion reads. */
export const AE_MONTHLY_COLUMNS = {
  period: "Period",
  org: "Org Code",
  attendances: [
    "A&E attendances Type 1",
    "A&E attendances Type 2",
    "A&E attendances Other A&E Department",
    "A&E attendances Booked Appointments Type 1",
    "A&E attendances Booked Appointments Type 2",
    "A&E attendances Booked Appointments Other Department",
  ],
  over4h: [
    "Attendances over 4hrs Type 1",
    "Attendances over 4hrs Type 2",
    "Attendances over 4hrs Other Department",
    "Attendances over 4hrs Booked Appointments Type 1",
    "Attendances over 4hrs Booked Appointments Type 2",
    "Attendances over 4hrs Booked Appointments Other Department",
  ],
  type1: ["A&E attendances Type 1", "A&E attendances Booked Appointments Type 1"],
  type1Over4h: ["Attendances over 4hrs Type 1", "Attendances over 4hrs Booked Appointments Type 1"],
  twelveHourDta: "Patients who have waited 12+ hrs from DTA to admission",
} as const;

/** The count columns (type 1 columns are among the all-types ones). */
const AE_MONTHLY_COUNTS: string[] = [
  ...AE_MONTHLY_COLUMNS.attendances,
  ...AE_MONTHLY_COLUMNS.over4h,
  AE_MONTHLY_COLUMNS.twelveHourDta,
];

export const AE_MONTHLY_REQUIRED: string[] = [
  AE_MONTHLY_COLUMNS.period,
  AE_MONTHLY_COLUMNS.org,
  ...AE_MONTHLY_COUNTS,
];

/** "MSitAE-MAY-2026" (or "MSitAE-SEPTEMBER-2025") → 2026-05-01. */
export function parseAePeriod(text: string): CalendarDate | undefined {
  const match = /^MSitAE-([A-Z]+)-(\d{4})$/i.exec(text.trim());
  if (!match) return undefined;
  const name = match[1]!.toUpperCase();
  const month = MONTHS.findIndex((m) => m.startsWith(name) && name.length >= 3);
  if (month < 0) return undefined;
  return parseCalendarDate(`${match[2]}-${String(month + 1).padStart(2, "0")}-01`);
}

/**
 * The published monthly provider CSV. 4-hour performance counts booked appointments in both
 * the attendances and the waits over 4 hours, as NHS England's headline figures do.
 */
export function convertAeMonthly(
  file: CsvFile,
  isKnownOrg: (code: string) => boolean,
  metricIds: AeMetricIds,
): AeConversion {
  const rejections: Rejection[] = [];
  const skippedCodes = new Map<string, number>();
  const observations: ObservationRecord[] = [];
  const seen = new Map<string, number>();
  for (const { line, fields } of file.rows) {
    // The publication ends with a national TOTAL row: not an organisation, and not read.
    if (fields[AE_MONTHLY_COLUMNS.period] === "TOTAL" && fields[AE_MONTHLY_COLUMNS.org] === "TOTAL")
      continue;
    const start = parseAePeriod(fields[AE_MONTHLY_COLUMNS.period] ?? "");
    if (!start) {
      rejections.push({
        file: file.name,
        line,
        reason: `bad period "${fields[AE_MONTHLY_COLUMNS.period]}" (expected MSitAE-MONTH-YYYY)`,
      });
      continue;
    }
    const org = fields[AE_MONTHLY_COLUMNS.org] ?? "";
    const key = `${org}\u0000${start}`;
    if (seen.has(key)) {
      rejections.push({
        file: file.name,
        line,
        reason: `duplicate row for ${org} ${start} (first on line ${seen.get(key)})`,
      });
      continue;
    }
    seen.set(key, line);
    const before = rejections.length;
    // Each column is read once, so a bad cell is reported once.
    const value = new Map(
      AE_MONTHLY_COUNTS.map((c) => [c, count(file, line, fields, c, rejections)]),
    );
    if (rejections.length > before) continue;
    const sum = (columns: readonly string[]) => columns.reduce((n, c) => n + value.get(c)!, 0);
    const counts: MonthlyCounts = {
      attendances: sum(AE_MONTHLY_COLUMNS.attendances),
      within4h: sum(AE_MONTHLY_COLUMNS.attendances) - sum(AE_MONTHLY_COLUMNS.over4h),
      type1Attendances: sum(AE_MONTHLY_COLUMNS.type1),
      type1Within4h: sum(AE_MONTHLY_COLUMNS.type1) - sum(AE_MONTHLY_COLUMNS.type1Over4h),
      twelveHourDta: value.get(AE_MONTHLY_COLUMNS.twelveHourDta)!,
    };
    if (counts.within4h < 0 || counts.type1Within4h < 0) {
      rejections.push({
        file: file.name,
        line,
        reason: "more attendances over 4 hours than attendances",
      });
      continue;
    }
    if (!isKnownOrg(org)) {
      skippedCodes.set(org, (skippedCodes.get(org) ?? 0) + 1);
      continue;
    }
    observations.push(...observationsFor(org, start, counts, metricIds));
  }
  return { observations, rejections, skippedCodes };
}

export const AE_ATTENDANCE_COLUMNS = [
  "period",
  "org_code",
  "type",
  "attendances",
  "breaches",
  "admissions",
];

/** What the tidy monthly files can yield: they carry no 12-hour waits. */
export const AE_ATTENDANCE_MEASURES: readonly AeMeasure[] = [
  "four_hour_all",
  "four_hour_type1",
  "attendances",
];

/** One tidy monthly file: a row per provider and A&E type (1, 2, other). */
export function convertAeAttendances(
  file: CsvFile,
  isKnownOrg: (code: string) => boolean,
  metricIds: AeMetricIds,
): AeConversion {
  const rejections: Rejection[] = [];
  const skippedCodes = new Map<string, number>();
  const byOrgMonth = new Map<string, { org: string; start: CalendarDate; counts: MonthlyCounts }>();
  const seen = new Map<string, number>();
  for (const { line, fields } of file.rows) {
    const start = parseCalendarDate(fields.period ?? "");
    if (!start || !start.endsWith("-01")) {
      rejections.push({
        file: file.name,
        line,
        reason: `bad period "${fields.period}" (expected the first day of a month)`,
      });
      continue;
    }
    const type = fields.type ?? "";
    if (!["1", "2", "other"].includes(type)) {
      rejections.push({
        file: file.name,
        line,
        reason: `type must be 1, 2 or other, not "${type}"`,
      });
      continue;
    }
    const org = fields.org_code ?? "";
    const key = `${org}\u0000${start}\u0000${type}`;
    if (seen.has(key)) {
      rejections.push({
        file: file.name,
        line,
        reason: `duplicate row for ${org} ${start} type ${type} (first on line ${seen.get(key)})`,
      });
      continue;
    }
    seen.set(key, line);
    const before = rejections.length;
    const attendances = count(file, line, fields, "attendances", rejections);
    const breaches = count(file, line, fields, "breaches", rejections);
    if (rejections.length > before) continue;
    if (breaches > attendances) {
      rejections.push({ file: file.name, line, reason: "more breaches than attendances" });
      continue;
    }
    if (!isKnownOrg(org)) {
      skippedCodes.set(org, (skippedCodes.get(org) ?? 0) + 1);
      continue;
    }
    const entry = byOrgMonth.get(`${org}\u0000${start}`) ?? {
      org,
      start,
      counts: {
        attendances: 0,
        within4h: 0,
        type1Attendances: 0,
        type1Within4h: 0,
        twelveHourDta: null,
      },
    };
    entry.counts.attendances += attendances;
    entry.counts.within4h += attendances - breaches;
    if (type === "1") {
      entry.counts.type1Attendances += attendances;
      entry.counts.type1Within4h += attendances - breaches;
    }
    byOrgMonth.set(`${org}\u0000${start}`, entry);
  }
  const observations = [...byOrgMonth.values()].flatMap((e) =>
    observationsFor(e.org, e.start, e.counts, metricIds),
  );
  return { observations, rejections, skippedCodes };
}
