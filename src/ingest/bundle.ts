/**
 * The data bundle: a folder of CSV files, any of which may be absent. This module turns the
 * files' rows into records and rejects, with file, line and reason, every row that is not valid.
 * It does no I/O beyond what it is given, so every rule here is unit-testable.
 */
import { CONFIDENTIALITY_LEVELS, type Confidentiality } from "../domain/access/policy.js";
import { ORG_KINDS, SECTORS, type OrgKind } from "../domain/organisations/organisation.js";
import { isCalendarDate } from "../domain/shared/dates.js";
import {
  RejectionCollector,
  type CsvFile,
  type CsvReadResult,
  type Rejection,
  type UnlistedRejections,
} from "./csv-file.js";

export const CQC_RATINGS = ["outstanding", "good", "requires_improvement", "inadequate"] as const;
export type CqcRating = (typeof CQC_RATINGS)[number];

export interface OrganisationRecord {
  code: string;
  name: string;
  kind: OrgKind;
  sector: string | null;
  region: string;
  icb_code: string | null;
  open_date: string;
  close_date: string | null;
}
export interface ObservationRecord {
  org_code: string;
  metric_id: string;
  period_start: string;
  period_end: string;
  value: number;
  numerator: number | null;
  denominator: number | null;
}
export interface CqcRatingRecord {
  org_code: string;
  published_on: string;
  overall: CqcRating | null;
  well_led: CqcRating | null;
  safe: CqcRating | null;
}
export interface IntelligenceRecord {
  org_code: string;
  received_on: string;
  source: string;
  category: string;
  summary: string;
  confidentiality: Confidentiality;
}

/** The bundle's files: name, columns (in export order) and which columns may be left out. */
export const BUNDLE_FILES = {
  organisations: {
    file: "organisations.csv",
    columns: ["code", "name", "kind", "sector", "region", "icb_code", "open_date", "close_date"],
    optional: [],
  },
  observations: {
    file: "observations.csv",
    columns: [
      "org_code",
      "metric_id",
      "period_start",
      "period_end",
      "value",
      "numerator",
      "denominator",
    ],
    optional: ["numerator", "denominator"],
  },
  cqc_ratings: {
    file: "cqc_ratings.csv",
    columns: ["org_code", "published_on", "overall", "well_led", "safe"],
    optional: [],
  },
  intelligence: {
    file: "intelligence.csv",
    columns: ["org_code", "received_on", "source", "category", "summary", "confidentiality"],
    optional: [],
  },
} as const;

export type BundleFileKind = keyof typeof BUNDLE_FILES;

export interface MetricRule {
  unit: string;
  valid_range: { min: number; max: number };
}

export interface BundleContext {
  /** Organisations already in the registry, by code. */
  organisations: ReadonlyMap<string, { kind: OrgKind }>;
  regions: ReadonlySet<string>;
  /** Every metric any shipped framework version defines. */
  metrics: ReadonlyMap<string, MetricRule>;
}

export interface BundleRecords {
  organisations: OrganisationRecord[];
  observations: ObservationRecord[];
  cqc_ratings: CqcRatingRecord[];
  intelligence: IntelligenceRecord[];
}

export interface ValidatedBundle {
  records: BundleRecords;
  files: Partial<Record<BundleFileKind, CsvFile>>;
  /** The first problems of each kind in each file (RejectionCollector). */
  rejections: Rejection[];
  /** The rest, counted. */
  unlisted: UnlistedRejections[];
}

/**
 * The longest `source` of an intelligence item: it identifies the item in a unique index, which
 * holds at most about 2,700 bytes a row (a summary is identified by its SHA-256 instead).
 */
export const INTELLIGENCE_SOURCE_MAX = 300;

const ORG_CODE = /^[A-Z0-9]{3,6}$/;

export function validateBundle(
  read: Partial<Record<BundleFileKind, CsvReadResult>>,
  context: BundleContext,
): ValidatedBundle {
  const rejections = new RejectionCollector();
  const files: Partial<Record<BundleFileKind, CsvFile>> = {};
  for (const [kind, result] of Object.entries(read) as [BundleFileKind, CsvReadResult][]) {
    rejections.push(...result.rejections);
    if (result.file) files[kind] = result.file;
  }

  const organisations = validateRows(files.organisations, rejections, ["code"], (f, reject) =>
    organisationRow(f, reject, context),
  );
  // Rows of other files may name organisations this same bundle adds.
  const known = new Map(context.organisations);
  for (const org of organisations) known.set(org.code, { kind: org.kind });
  for (const org of organisations) {
    if (org.icb_code !== null && known.get(org.icb_code)?.kind !== "icb") {
      const line = lineOf(files.organisations, "code", org.code);
      rejections.push({
        file: BUNDLE_FILES.organisations.file,
        line,
        reason: `icb_code "${org.icb_code}" is not an ICB in the registry or this bundle`,
      });
    }
  }
  const orgExists = (code: string, reject: (reason: string) => void): boolean => {
    if (!known.has(code)) reject(`unknown organisation "${code}"`);
    return known.has(code);
  };

  const observations = validateRows(
    files.observations,
    rejections,
    ["org_code", "metric_id", "period_start", "period_end"],
    (f, reject) => observationRow(f, reject, context, orgExists),
  );
  const cqc_ratings = validateRows(
    files.cqc_ratings,
    rejections,
    ["org_code", "published_on"],
    (f, reject) => cqcRow(f, reject, orgExists),
  );
  const intelligence = validateRows(
    files.intelligence,
    rejections,
    ["org_code", "received_on", "source", "summary"],
    (f, reject) => intelligenceRow(f, reject, orgExists),
  );

  return {
    records: { organisations, observations, cqc_ratings, intelligence },
    files,
    rejections: rejections.rejections(),
    unlisted: rejections.unlisted(),
  };
}

function lineOf(file: CsvFile | undefined, column: string, value: string): number {
  return file?.rows.find((r) => r.fields[column] === value)?.line ?? 0;
}

/** Validates each row, rejecting every problem found and any repeat of a key within the file. */
function validateRows<R>(
  file: CsvFile | undefined,
  rejections: RejectionCollector,
  keyColumns: readonly string[],
  toRecord: (fields: Record<string, string>, reject: (reason: string) => void) => R | null,
): R[] {
  if (!file) return [];
  const records: R[] = [];
  const firstLineOfKey = new Map<string, number>();
  for (const row of file.rows) {
    const problems: string[] = [];
    const record = toRecord(row.fields, (reason) => problems.push(reason));
    const key = keyColumns.map((c) => row.fields[c] ?? "").join("\u0000");
    const first = firstLineOfKey.get(key);
    if (first !== undefined)
      problems.push(`duplicate key (${keyColumns.join(", ")}) first seen on line ${first}`);
    else firstLineOfKey.set(key, row.line);
    for (const reason of problems) rejections.push({ file: file.name, line: row.line, reason });
    if (problems.length === 0 && record !== null) records.push(record);
  }
  return records;
}

function required(
  fields: Record<string, string>,
  column: string,
  reject: (r: string) => void,
): string {
  const value = fields[column] ?? "";
  if (value === "") reject(`${column} is required`);
  return value;
}

function date(fields: Record<string, string>, column: string, reject: (r: string) => void): string {
  const value = required(fields, column, reject);
  if (value !== "" && !isCalendarDate(value))
    reject(`bad date in ${column}: "${value}" (expected YYYY-MM-DD)`);
  return value;
}

function optionalDate(
  fields: Record<string, string>,
  column: string,
  reject: (r: string) => void,
): string | null {
  const value = fields[column] ?? "";
  if (value === "") return null;
  if (!isCalendarDate(value)) reject(`bad date in ${column}: "${value}" (expected YYYY-MM-DD)`);
  return value;
}

function oneOf<T extends string>(
  allowed: readonly T[],
  fields: Record<string, string>,
  column: string,
  reject: (r: string) => void,
  { optional = false } = {},
): T | null {
  const value = fields[column] ?? "";
  if (value === "" && optional) return null;
  if (!allowed.includes(value as T)) {
    reject(
      `${column} must be one of ${allowed.join("|")}${optional ? " or blank" : ""}, not "${value}"`,
    );
    return null;
  }
  return value as T;
}

const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

function optionalNumber(
  fields: Record<string, string>,
  column: string,
  reject: (r: string) => void,
): number | null {
  const value = fields[column] ?? "";
  if (value === "") return null;
  if (!NUMBER.test(value)) {
    reject(`${column} is not a number: "${value}"`);
    return null;
  }
  // 1e400 reads as Infinity, which the database refuses.
  if (!Number.isFinite(Number(value))) {
    reject(`${column} is out of range: "${value}"`);
    return null;
  }
  return Number(value);
}

function organisationRow(
  f: Record<string, string>,
  reject: (r: string) => void,
  context: BundleContext,
): OrganisationRecord | null {
  const code = required(f, "code", reject);
  if (code !== "" && !ORG_CODE.test(code))
    reject(`code "${code}" is not an ODS code (3–6 capitals or digits)`);
  const name = required(f, "name", reject);
  const kind = oneOf(ORG_KINDS, f, "kind", reject);
  const sector = oneOf(SECTORS, f, "sector", reject, { optional: true });
  if (kind === "icb" && sector !== null) reject("an ICB has no sector: leave sector blank");
  if (kind !== null && kind !== "icb" && sector === null && (f.sector ?? "") === "") {
    reject("sector is required for a trust");
  }
  const region = required(f, "region", reject);
  if (region !== "" && !context.regions.has(region)) reject(`unknown region "${region}"`);
  const icbCode = f.icb_code ?? "";
  if (kind === "icb" && icbCode !== "") reject("an ICB has no icb_code: leave it blank");
  if (kind !== null && kind !== "icb" && icbCode === "") reject("icb_code is required for a trust");
  const openDate = date(f, "open_date", reject);
  const closeDate = optionalDate(f, "close_date", reject);
  // Only two real dates can be compared: a bad one is rejected once, as a bad date.
  const closeable = closeDate !== null && isCalendarDate(closeDate) && isCalendarDate(openDate);
  if (closeable && closeDate < openDate) reject("close_date is before open_date");
  if (kind === null) return null;
  return {
    code,
    name,
    kind,
    sector,
    region,
    icb_code: icbCode === "" ? null : icbCode,
    open_date: openDate,
    close_date: closeDate,
  };
}

function decimals(text: string): number {
  const match = /\.(\d+)/.exec(text);
  return match?.[1]?.length ?? 0;
}

function observationRow(
  f: Record<string, string>,
  reject: (r: string) => void,
  context: BundleContext,
  orgExists: (code: string, reject: (r: string) => void) => boolean,
): ObservationRecord | null {
  const orgCode = required(f, "org_code", reject);
  if (orgCode !== "") orgExists(orgCode, reject);
  const metricId = required(f, "metric_id", reject);
  const metric = context.metrics.get(metricId);
  if (metricId !== "" && !metric) reject(`unknown metric "${metricId}"`);
  const start = date(f, "period_start", reject);
  const end = date(f, "period_end", reject);
  if (isCalendarDate(start) && isCalendarDate(end) && end < start)
    reject("period_end is before period_start");
  const numerator = optionalNumber(f, "numerator", reject);
  const denominator = optionalNumber(f, "denominator", reject);
  if (denominator !== null && denominator < 0) reject("denominator is negative");
  let value = optionalNumber(f, "value", reject);
  const valueText = f.value ?? "";
  if (metric && numerator !== null && denominator !== null) {
    if (denominator === 0) {
      if (value === null) reject("value cannot be derived: denominator is 0");
    } else {
      // A percentage is stored as a percentage: 100 × numerator / denominator, multiplied first
      // so that whole counts give the nearest double (57/100 is 57, not 56.99999999999999).
      const derived = (numerator * (metric.unit === "percent" ? 100 : 1)) / denominator;
      if (value === null) {
        if (valueText === "") value = derived;
      } else {
        const places = decimals(valueText);
        if (Math.abs(Number(derived.toFixed(places)) - value) > 10 ** -places / 2 + 1e-9) {
          reject(
            `value ${valueText} does not match numerator/denominator (${derived.toFixed(Math.max(places, 2))})`,
          );
        }
      }
    }
  } else if (value === null && valueText === "") {
    reject("value is required unless numerator and denominator are given");
  }
  if (metric && value !== null) {
    const { min, max } = metric.valid_range;
    if (value < min || value > max)
      reject(`value ${value} is outside the valid range ${min}–${max} of ${metricId}`);
  }
  if (value === null || !metric) return null;
  return {
    org_code: orgCode,
    metric_id: metricId,
    period_start: start,
    period_end: end,
    value,
    numerator,
    denominator,
  };
}

function cqcRow(
  f: Record<string, string>,
  reject: (r: string) => void,
  orgExists: (code: string, reject: (r: string) => void) => boolean,
): CqcRatingRecord | null {
  const orgCode = required(f, "org_code", reject);
  if (orgCode !== "") orgExists(orgCode, reject);
  const publishedOn = date(f, "published_on", reject);
  const overall = oneOf(CQC_RATINGS, f, "overall", reject, { optional: true });
  const wellLed = oneOf(CQC_RATINGS, f, "well_led", reject, { optional: true });
  const safe = oneOf(CQC_RATINGS, f, "safe", reject, { optional: true });
  return { org_code: orgCode, published_on: publishedOn, overall, well_led: wellLed, safe };
}

function intelligenceRow(
  f: Record<string, string>,
  reject: (r: string) => void,
  orgExists: (code: string, reject: (r: string) => void) => boolean,
): IntelligenceRecord | null {
  const orgCode = required(f, "org_code", reject);
  if (orgCode !== "") orgExists(orgCode, reject);
  const receivedOn = date(f, "received_on", reject);
  const source = required(f, "source", reject);
  if (source.length > INTELLIGENCE_SOURCE_MAX)
    reject(`source is longer than ${INTELLIGENCE_SOURCE_MAX} characters (${source.length})`);
  const category = required(f, "category", reject);
  const summary = required(f, "summary", reject);
  const confidentiality = oneOf(CONFIDENTIALITY_LEVELS, f, "confidentiality", reject);
  if (confidentiality === null) return null;
  return { org_code: orgCode, received_on: receivedOn, source, category, summary, confidentiality };
}
