/**
 * NHS England's published NHS Oversight Framework data file (NOF 2025/26 onwards), exactly as
 * published: one row per trust, quarter and figure (a metric's raw value, a metric score, a domain
 * score or a summary figure), named by `Metric_ID`. What each id means is the framework file's
 * business (`published_score_id`, `criteria.published_ids`); this reader only checks the rows.
 * Every bad row is reported as `file:line: reason`.
 */
import type { OrgCode } from "../domain/organisations/organisation.js";
import { parseCalendarDate, type CalendarDate } from "../domain/shared/dates.js";
import { readCsv, type Rejection } from "./csv-file.js";

/** The columns this reader needs; the published file has others (descriptions, reporting dates). */
export const NOF_PUBLISHED_COLUMNS = {
  quarter: "Quarter",
  trustType: "Trust_type",
  trustCode: "Trust_code",
  trustName: "Trust_name",
  id: "Metric_ID",
  units: "Units",
  value: "Value",
  rank: "Rank",
} as const;

/** Columns read where present: the league tables show them beside each value. */
export const NOF_PUBLISHED_OPTIONAL_COLUMNS = {
  region: "Region",
  trustSubtype: "Trust_subtype",
  median: "Median_value",
  lowerQuartile: "Lower_quartile",
  upperQuartile: "Upper_quartile",
} as const;

/** A financial-year quarter as NHS England labels it, "Q1 2025/26", with the date it starts. */
export interface NofQuarter {
  label: string;
  start: CalendarDate;
}

export interface NofPublishedRow {
  line: number;
  quarter: NofQuarter;
  trustType: string;
  trustCode: OrgCode;
  trustName: string;
  /** The publication's figure id (`Metric_ID`). */
  id: string;
  value: number;
  /** Position within the trust type, where the publication gives one. */
  rank: number | null;
  /** NHS England region name and trust subtype, where the file gives them. */
  region?: string;
  trustSubtype?: string;
  /** The trust type's median and quartiles of this figure, where the file gives them. */
  median?: number;
  lowerQuartile?: number;
  upperQuartile?: number;
}

/**
 * How to read a file. NHS England's first acute release (Q1 2025/26) has no `Quarter` column:
 * `quarter` names the quarter every row of such a file is in (a file that has the column keeps it).
 */
export interface NofReadOptions {
  quarter?: string;
}

export type NofPublishedFile =
  | { ok: true; name: string; sha256: string; rows: NofPublishedRow[] }
  | { ok: false; rejections: Rejection[] };

/** "Q1 2025/26" → the quarter starting 2025-04-01 (the NHS financial year starts in April). */
export function parseNofQuarter(text: string): NofQuarter | undefined {
  const match = /^Q([1-4]) (\d{4})\/(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [quarter, year, next] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if ((year + 1) % 100 !== next) return undefined;
  const month = 4 + (quarter - 1) * 3;
  const start = parseCalendarDate(
    month > 12
      ? `${year + 1}-${String(month - 12).padStart(2, "0")}-01`
      : `${year}-${String(month).padStart(2, "0")}-01`,
  );
  return start && { label: text, start };
}

const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)$/;
/** ODS codes of trusts (R1A) and of care trusts registered as sites (G6V2S). */
const TRUST_CODE = /^[A-Z0-9]{3,6}$/;
const FIGURE_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Checks one row; the reasons it is bad, or the row. */
function parseRow(
  line: number,
  fields: Record<string, string>,
  options: NofReadOptions,
): NofPublishedRow | string[] {
  const c = NOF_PUBLISHED_COLUMNS;
  const field = (column: string) => fields[column] ?? "";
  const problems: string[] = [];
  const quarterText = fields[c.quarter] ?? options.quarter ?? "";
  const quarter = parseNofQuarter(quarterText);
  if (!quarter) problems.push(`bad ${c.quarter} "${quarterText}" (expected e.g. Q1 2025/26)`);
  const trustCode = field(c.trustCode);
  if (!TRUST_CODE.test(trustCode)) problems.push(`bad ${c.trustCode} "${trustCode}"`);
  for (const column of [c.trustType, c.trustName])
    if (field(column) === "") problems.push(`${column} is blank`);
  const id = field(c.id);
  if (!FIGURE_ID.test(id)) problems.push(`bad ${c.id} "${id}"`);
  const valueText = field(c.value);
  const value = Number(valueText);
  if (!NUMBER.test(valueText)) problems.push(`${c.value} is not a number: "${valueText}"`);
  else if (field(c.units) === "segment" && !(Number.isInteger(value) && value >= 1 && value <= 5))
    problems.push(`a segment must be a whole number 1–5, not ${valueText}`);
  else if (field(c.units) === "flag" && value !== 0 && value !== 1)
    problems.push(`a flag must be 0 or 1, not ${valueText}`);
  const rankText = field(c.rank);
  const rank = rankText === "" ? null : Number(rankText);
  if (rank !== null && !(NUMBER.test(rankText) && Number.isInteger(rank) && rank >= 1))
    problems.push(`${c.rank} is not a position: "${rankText}"`);
  if (problems.length > 0 || !quarter) return problems;
  const o = NOF_PUBLISHED_OPTIONAL_COLUMNS;
  const text = (column: string) => (fields[column] ? { value: fields[column] } : undefined);
  const number = (column: string) => {
    const t = fields[column] ?? "";
    return NUMBER.test(t) ? Number(t) : undefined;
  };
  const optional = {
    region: text(o.region)?.value,
    trustSubtype: text(o.trustSubtype)?.value,
    median: number(o.median),
    lowerQuartile: number(o.lowerQuartile),
    upperQuartile: number(o.upperQuartile),
  };
  return {
    line,
    quarter,
    trustType: field(c.trustType),
    trustCode: trustCode as OrgCode,
    trustName: field(c.trustName),
    id,
    value,
    rank,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
  };
}

/**
 * Reads and checks a published file: every row well formed, one value per trust, quarter and
 * figure, and one trust type and name per trust and quarter.
 */
export function readNofPublished(
  fileName: string,
  bytes: Buffer,
  options: NofReadOptions = {},
): NofPublishedFile {
  const { quarter, ...required } = NOF_PUBLISHED_COLUMNS;
  const read = readCsv(fileName, bytes, {
    required: options.quarter ? Object.values(required) : [quarter, ...Object.values(required)],
    optional: [quarter, ...Object.values(NOF_PUBLISHED_OPTIONAL_COLUMNS)],
    anyOtherColumns: true,
  });
  if (!read.file) return { ok: false, rejections: read.rejections };
  const file = read.file;
  const rejections = [...read.rejections];
  const reject = (line: number, reason: string) =>
    rejections.push({ file: file.name, line, reason });
  const rows: NofPublishedRow[] = [];
  const firstLine = new Map<string, number>();
  const trusts = new Map<string, NofPublishedRow>();
  for (const { line, fields } of file.rows) {
    const row = parseRow(line, fields, options);
    if (Array.isArray(row)) {
      for (const reason of row) reject(line, reason);
      continue;
    }
    const key = `${row.quarter.label}\u0000${row.trustCode}\u0000${row.id}`;
    const first = firstLine.get(key);
    if (first !== undefined) {
      reject(
        line,
        `${row.id} repeated for ${row.trustCode} in ${row.quarter.label} (line ${first})`,
      );
      continue;
    }
    firstLine.set(key, line);
    const trustKey = `${row.quarter.label}\u0000${row.trustCode}`;
    const trust = trusts.get(trustKey);
    if (trust && (trust.trustType !== row.trustType || trust.trustName !== row.trustName)) {
      reject(
        line,
        `${row.trustCode} in ${row.quarter.label} is "${row.trustName}" (${row.trustType}) here but "${trust.trustName}" (${trust.trustType}) on line ${trust.line}`,
      );
      continue;
    }
    trusts.set(trustKey, trust ?? row);
    rows.push(row);
  }
  if (file.rows.length === 0 && rejections.length === 0) reject(1, "no data rows");
  if (rejections.length > 0) return { ok: false, rejections };
  return { ok: true, name: file.name, sha256: file.sha256, rows };
}
