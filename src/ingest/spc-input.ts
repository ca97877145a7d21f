/**
 * The `oversight spc` input: a CSV of `period,value` (one series) or `series,period,value`.
 * Points are ordered by period within each series; every bad row is reported.
 */
import { isCalendarDate } from "../domain/shared/dates.js";
import { readCsv, type Rejection } from "./csv-file.js";

export interface SpcSeriesInput {
  name: string;
  points: { period: string; value: number }[];
}

export type SpcInputResult =
  { ok: true; series: SpcSeriesInput[] } | { ok: false; rejections: Rejection[] };

const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

export function parseSpcCsv(fileName: string, bytes: Buffer): SpcInputResult {
  const read = readCsv(fileName, bytes, { required: ["period", "value"], optional: ["series"] });
  if (!read.file) return { ok: false, rejections: read.rejections };
  const rejections = [...read.rejections];
  const bySeries = new Map<string, { period: string; value: number; line: number }[]>();
  for (const { line, fields } of read.file.rows) {
    const name = fields.series ?? "series";
    // A month, as monthly statistics are published, is read as its first day.
    const given = fields.period ?? "";
    const period = /^\d{4}-\d{2}$/.test(given) ? `${given}-01` : given;
    const valueText = fields.value ?? "";
    if (!isCalendarDate(period))
      rejections.push({
        file: read.file.name,
        line,
        reason: `bad period "${given}" (expected a date YYYY-MM-DD or a month YYYY-MM)`,
      });
    if (!NUMBER.test(valueText))
      rejections.push({
        file: read.file.name,
        line,
        reason: `value is not a number: "${valueText}"`,
      });
    if (name === "") rejections.push({ file: read.file.name, line, reason: "series is blank" });
    const points = bySeries.get(name) ?? [];
    const clash = points.find((p) => p.period === period);
    if (clash)
      rejections.push({
        file: read.file.name,
        line,
        reason: `period ${period} repeated in series "${name}" (line ${clash.line})`,
      });
    points.push({ period, value: Number(valueText), line });
    bySeries.set(name, points);
  }
  if (read.file.rows.length === 0)
    rejections.push({ file: read.file.name, line: 1, reason: "no data rows" });
  if (rejections.length > 0) return { ok: false, rejections };
  return {
    ok: true,
    series: [...bySeries.entries()].map(([name, points]) => ({
      name,
      points: points
        .sort((a, b) => a.period.localeCompare(b.period))
        .map(({ period, value }) => ({ period, value })),
    })),
  };
}
