/**
 * A published table turned into observations by the framework's measures: for each provider and
 * period, Σ numerator columns (and Σ denominator columns) over the rows each measure takes. Every
 * row is checked — a missing column, a period or a count that cannot be read is a rejection naming
 * the file, the line and the column — including rows of organisations not in the registry, which
 * are then counted and reported rather than imported.
 */
import type { StatisticsMeasure } from "../../domain/frameworks/statistics-schema.js";
import type { ObservationRecord } from "../bundle.js";
import type { Rejection } from "../csv-file.js";
import type { StatisticsDataset } from "./dataset.js";
import type { Cell, PublishedTable } from "./published-table.js";

export interface StatisticsConversion {
  observations: ObservationRecord[];
  rejections: Rejection[];
  /** Codes in the file that are not organisations in the registry, with their row counts. */
  skippedCodes: Map<string, number>;
  rows: number;
}

/** Beyond this many, further rejections are counted, not listed. */
const MAX_REJECTIONS = 50;
const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)$/;
/** Counts over 999 written with thousands separators, as KH03 writes some ("2,079"). */
const GROUPED_NUMBER = /^-?\d{1,3}(,\d{3})+(\.\d+)?$/;

interface CompiledPart {
  columns: number[];
  where: [number, Set<string>][];
}

interface CompiledMeasure {
  spec: StatisticsMeasure;
  metricId: string;
  where: [number, Set<string>][];
  numerator: CompiledPart;
  denominator: CompiledPart | undefined;
}

interface Tally {
  metricId: string;
  spec: StatisticsMeasure;
  org: string;
  start: string;
  end: string;
  numerator: number;
  denominator: number;
  /** Cells that held a figure (not blank, not "not applicable"). */
  numeratorCells: number;
  denominatorCells: number;
  firstLine: number;
}

/** Columns named by a measure, resolved against the header; the names missing, if any. */
function compile(
  header: readonly string[],
  measures: readonly { spec: StatisticsMeasure; metricId: string }[],
  missing: Set<string>,
): CompiledMeasure[] {
  const index = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) missing.add(name);
    return i;
  };
  const filter = (where: Record<string, string[]> | undefined): [number, Set<string>][] =>
    Object.entries(where ?? {}).map(([column, values]) => [index(column), new Set(values)]);
  const columns = (spec: StatisticsMeasure["numerator"]["columns"]): number[] => {
    if (Array.isArray(spec)) return spec.map(index);
    const [from, to] = [index(spec.from), index(spec.to)];
    if (from < 0 || to < 0) return [];
    if (to < from) missing.add(`${spec.from} … ${spec.to} (in that order)`);
    return Array.from({ length: to - from + 1 }, (_, k) => from + k);
  };
  const part = (p: StatisticsMeasure["numerator"]): CompiledPart => ({
    columns: columns(p.columns),
    where: filter(p.where),
  });
  return measures.map(({ spec, metricId }) => ({
    spec,
    metricId,
    where: filter(spec.where),
    numerator: part(spec.numerator),
    denominator: spec.denominator && part(spec.denominator),
  }));
}

const matches = (cells: readonly string[], where: [number, Set<string>][]) =>
  where.every(([i, values]) => values.has(cells[i]!));

/** Two decimals for a percentage or rate, as a person reads it; the counts are kept exactly. */
const round2 = (value: number) => Math.round(value * 100) / 100;
/** Survey scores and average bed counts keep the publication's precision (to 1e-6). */
const round6 = (value: number) => Math.round(value * 1e6) / 1e6;

export async function convertTable(
  dataset: StatisticsDataset,
  table: PublishedTable,
  measures: readonly { spec: StatisticsMeasure; metricId: string }[],
  isKnownOrg: (code: string) => boolean,
): Promise<StatisticsConversion> {
  const rejections: Rejection[] = [];
  let dropped = 0;
  const reject = (line: number, reason: string) => {
    if (rejections.length < MAX_REJECTIONS) rejections.push({ file: table.name, line, reason });
    else dropped++;
  };
  const extra = dataset.columnsFromFileName?.(table.name) ?? {};
  if (typeof extra === "string") {
    reject(0, extra);
    return { observations: [], rejections, skippedCodes: new Map(), rows: 0 };
  }
  const extraNames = Object.keys(extra);
  const header = [...table.header, ...extraNames];
  const width = table.header.length;
  const missing = new Set<string>();
  const compiled = compile(header, measures, missing);
  const orgAt = header.indexOf(dataset.orgColumn);
  const periodAt = new Map(dataset.periodColumns.map((c) => [c, header.indexOf(c)]));
  for (const c of [dataset.orgColumn, ...dataset.periodColumns])
    if (header.indexOf(c) < 0) missing.add(c);
  if (missing.size > 0) {
    reject(
      1,
      `missing column(s) ${[...missing].map((c) => `"${c}"`).join(", ")} (the header has ${table.header.length} columns; a renamed column is missing under its published name)`,
    );
    return { observations: [], rejections, skippedCodes: new Map(), rows: 0 };
  }
  const notApplicable = new Set(dataset.notApplicable);
  const tallies = new Map<string, Tally>();
  const skippedCodes = new Map<string, number>();
  let rows = 0;
  for await (const row of table.rows) {
    const cells: string[] = row.cells.map((c: Cell) => String(c).trim());
    if (cells.every((c) => c === "")) continue;
    if (dataset.layout.kind === "csv" && cells.length !== width) {
      reject(row.line, `wrong number of fields: ${cells.length}, expected ${width}`);
      continue;
    }
    while (cells.length < width) cells.push("");
    cells.length = width;
    cells.push(...extraNames.map((n) => extra[n]!));
    const get = (column: string) => {
      const i = periodAt.get(column) ?? header.indexOf(column);
      return i < 0 ? "" : cells[i]!;
    };
    if (dataset.skip?.(get)) continue;
    rows++;
    const org = cells[orgAt]!;
    if (org === "") {
      reject(row.line, `${dataset.orgColumn} is blank`);
      continue;
    }
    const period = dataset.period(get, table.title);
    if (typeof period === "string") {
      reject(row.line, period);
      continue;
    }
    // A code only a measure reads as an organisation's (a survey's sector of a trust) is counted
    // as skipped only if no measure takes it.
    const takenBy = compiled.filter((m) => isKnownOrg(m.spec.codes[org] ?? org));
    if (takenBy.length === 0) skippedCodes.set(org, (skippedCodes.get(org) ?? 0) + 1);
    for (const m of compiled) {
      if (!matches(cells, m.where)) continue;
      const measureOrg = m.spec.codes[org] ?? org;
      const known = isKnownOrg(measureOrg);
      const sum = (part: CompiledPart | undefined) => {
        let total = 0;
        let figures = 0;
        if (!part || !matches(cells, part.where)) return { total, figures };
        for (const i of part.columns) {
          const text = cells[i]!;
          if (notApplicable.has(text)) continue;
          const number = NUMBER.test(text)
            ? Number(text)
            : GROUPED_NUMBER.test(text)
              ? Number(text.replaceAll(",", ""))
              : undefined;
          if (number === undefined) {
            reject(row.line, `column "${header[i]}" is not a number: "${text}"`);
            continue;
          }
          total += number;
          figures++;
        }
        return { total, figures };
      };
      const numerator = sum(m.numerator);
      const denominator = sum(m.denominator);
      if (!known || numerator.figures + denominator.figures === 0) continue;
      const key = `${m.spec.feed}\u0000${measureOrg}\u0000${period.start}\u0000${period.end}`;
      const tally = tallies.get(key);
      if (tally && m.spec.combine === "one") {
        reject(
          row.line,
          `a second row for ${measureOrg} in ${period.start}…${period.end} (first on line ${tally.firstLine})`,
        );
        continue;
      }
      const t: Tally = tally ?? {
        metricId: m.metricId,
        spec: m.spec,
        org: measureOrg,
        start: period.start,
        end: period.end,
        numerator: 0,
        denominator: 0,
        numeratorCells: 0,
        denominatorCells: 0,
        firstLine: row.line,
      };
      t.numerator += numerator.total;
      t.numeratorCells += numerator.figures;
      t.denominator += denominator.total;
      t.denominatorCells += denominator.figures;
      tallies.set(key, t);
    }
  }
  if (dropped > 0) rejections.push({ file: table.name, line: 0, reason: `and ${dropped} more` });
  const observations: ObservationRecord[] = [];
  for (const t of tallies.values()) {
    const base = {
      org_code: t.org,
      metric_id: t.metricId,
      period_start: t.start,
      period_end: t.end,
    };
    if (!t.spec.denominator) {
      if (t.numeratorCells > 0)
        observations.push({
          ...base,
          value: round6(t.numerator * t.spec.scale),
          numerator: null,
          denominator: null,
        });
      // A ratio over nothing (no pathways, no beds) is not a measurement.
    } else if (t.denominator > 0)
      observations.push({
        ...base,
        value: round2((t.spec.scale * t.numerator) / t.denominator),
        numerator: t.numerator,
        denominator: t.denominator,
      });
  }
  return { observations, rejections, skippedCodes, rows };
}
