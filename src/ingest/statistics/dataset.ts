/**
 * What an importer of one published dataset states: how its file is laid out, which column names
 * the provider, and the period a row is about. What a row counts towards (columns, filters) is
 * the framework's `statistics.measures` (frameworks/nof-2025.yaml), not the importer's.
 */
import { endOfMonth, parseCalendarDate, type CalendarDate } from "../../domain/shared/dates.js";
import type { Cell } from "./published-table.js";

export interface Period {
  start: CalendarDate;
  end: CalendarDate;
}

/** A row's cells by column name, as text. */
export type RowReader = (column: string) => string;

export interface StatisticsDataset {
  /** As typed after `oversight import-statistics`. */
  name: string;
  /** The prefix of the feeds it yields (`rtt` in `rtt.incomplete_within_18_weeks`). */
  feedPrefix: string;
  description: string;
  /**
   * CSV (plain, .gz or .zip), or a workbook (.xlsx/.xls) whose header row starts with
   * `headerFirstCell`, on `sheet` unless a measure names its own.
   */
  layout: { kind: "csv" } | { kind: "workbook"; headerFirstCell: string; sheet?: string };
  orgColumn: string;
  /** Columns the period is read from (checked present like the measures' columns). */
  periodColumns: readonly string[];
  /** The period a row is about, or why it cannot be read. `title`: the text above a sheet's header. */
  period(row: RowReader, title: string): Period | string;
  /** Rows that are not a provider's figures (national or regional totals). */
  skip?(row: RowReader): boolean;
  /** Columns the publication states only in its file name (KH03: which bed count the file holds). */
  columnsFromFileName?(fileName: string): Record<string, string> | string;
  /** Cell texts that mean "not applicable": counted as nothing, never as an error. */
  notApplicable: readonly string[];
}

export const MONTHS = [
  "JANUARY",
  "FEBRUARY",
  "MARCH",
  "APRIL",
  "MAY",
  "JUNE",
  "JULY",
  "AUGUST",
  "SEPTEMBER",
  "OCTOBER",
  "NOVEMBER",
  "DECEMBER",
];

export function monthPeriod(year: number, monthIndex: number): Period | undefined {
  const start = parseCalendarDate(`${year}-${String(monthIndex + 1).padStart(2, "0")}-01`);
  return start && { start, end: endOfMonth(start) };
}

/** "RTT-January-2026" or "DM01-MARCH-2026" → January 2026; `prefix` is the publication's. */
export function namedMonthPeriod(text: string, prefix: string): Period | string {
  const match = new RegExp(`^${prefix}-([A-Za-z]+)-(\\d{4})$`).exec(text.trim());
  const month = match ? MONTHS.indexOf(match[1]!.toUpperCase()) : -1;
  const period = match && month >= 0 ? monthPeriod(Number(match[2]), month) : undefined;
  return period ?? `bad period "${text}" (expected ${prefix}-MONTH-YYYY)`;
}

/** An Excel date serial (days since 1899-12-30) as a calendar date. */
export function excelSerialDate(cell: Cell): CalendarDate | undefined {
  const serial = typeof cell === "number" ? cell : Number(cell);
  if (!Number.isInteger(serial) || serial < 1) return undefined;
  const date = new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000);
  return parseCalendarDate(date.toISOString().slice(0, 10));
}
