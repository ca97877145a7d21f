/**
 * Reading a national statistics file exactly as NHS England publishes it: CSV (CRLF, BOM), CSV
 * inside a gzip or zip, or a sheet of an XLSX/XLS workbook with a title block above the header.
 * CSV is streamed row by row, so an 85 MB extract is never held whole; workbooks (a few MB) are
 * read at once. Zip: yauzl (streams an entry, checks its CRC, reports a truncated archive as such).
 * Spreadsheets: SheetJS (`@e965/xlsx`, the SheetJS 0.20.3 build republished to the npm registry:
 * reads both XLSX and the older binary XLS, no dependencies; the `xlsx` package on the registry is
 * stuck at 0.18.5 with known advisories, and exceljs reads no XLS). docs/statistics.md.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { parse } from "csv-parse";
import type { Entry, ZipFile } from "yauzl";
import type { Rejection } from "../csv-file.js";

/** A cell as read: text from CSV, text or number from a spreadsheet. */
export type Cell = string | number;

export interface TableRow {
  /** The file's line (CSV) or the sheet's row number (spreadsheet), 1-based. */
  line: number;
  cells: readonly Cell[];
}

export interface PublishedTable {
  /** The file as named in messages: `extract.zip` or `survey.xlsx [THEMES]`. */
  name: string;
  header: string[];
  /** Text above the header (a workbook's title block), for a period stated only there. */
  title: string;
  rows: AsyncIterable<TableRow>;
}

/** The file cannot be read as published: one rejection naming the file and, where known, the line. */
export class StatisticsFileError extends Error {
  constructor(readonly rejection: Rejection) {
    super(`${rejection.file}:${rejection.line}: ${rejection.reason}`);
  }
}

export const SPREADSHEET = /\.(xlsx|xls)$/i;

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

// The zip and spreadsheet readers are loaded by the imports that need them, so every other
// command starts without them.
async function openZipEntry(path: string): Promise<{ entry: string; stream: Readable }> {
  const name = basename(path);
  const fail = (reason: string) => new StatisticsFileError({ file: name, line: 0, reason });
  const { default: yauzl } = await import("yauzl");
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (error, zip?: ZipFile) => {
      if (error || !zip)
        return reject(fail(`not a complete zip archive (${error?.message ?? "unreadable"})`));
      const csvs: Entry[] = [];
      zip.on("error", (e: Error) => reject(fail(`not a complete zip archive (${e.message})`)));
      zip.on("entry", (entry: Entry) => {
        if (/\.csv$/i.test(entry.fileName)) csvs.push(entry);
        zip.readEntry();
      });
      zip.on("end", () => {
        if (csvs.length !== 1) {
          zip.close();
          return reject(fail(`expected one CSV file in the zip, found ${csvs.length}`));
        }
        const entry = csvs[0]!;
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(fail(`cannot read ${entry.fileName}: ${e?.message}`));
          stream.on("end", () => zip.close());
          resolve({ entry: entry.fileName, stream });
        });
      });
      zip.readEntry();
    });
  });
}

async function openCsvStream(path: string): Promise<{ name: string; stream: Readable }> {
  const name = basename(path);
  if (/\.zip$/i.test(path)) {
    const { entry, stream } = await openZipEntry(path);
    return { name: `${name} [${entry}]`, stream };
  }
  if (/\.gz$/i.test(path)) return { name, stream: createReadStream(path).pipe(createGunzip()) };
  return { name, stream: createReadStream(path) };
}

/** A CSV file, plain or in a gzip or zip, read as a stream of rows after its header. */
export async function openCsvTable(path: string): Promise<PublishedTable> {
  const { name, stream } = await openCsvStream(path);
  const parser = parse({ bom: true, info: true, relax_column_count: true });
  // A broken gzip or zip stream is reported as the file's own problem, not a parser's.
  stream.on("error", (e: Error) => parser.destroy(e));
  stream.pipe(parser);
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<{
    record: string[];
    info: { lines: number };
  }>;
  const fail = (line: number, e: unknown): never => {
    const message = e instanceof Error ? e.message : String(e);
    const reason = /unexpected end of file|invalid|incorrect header|zlib|crc|inflate/i.test(message)
      ? `the compressed file is truncated or corrupt (${message})`
      : `malformed CSV: ${message}`;
    throw new StatisticsFileError({ file: name, line, reason });
  };
  let first;
  try {
    first = await records.next();
  } catch (e) {
    fail(1, e);
  }
  if (!first || first.done)
    throw new StatisticsFileError({ file: name, line: 1, reason: "empty file: no header" });
  const header = first.value.record.map((h) => h.trim());
  async function* rows(): AsyncGenerator<TableRow> {
    let line = first!.value.info.lines;
    for (;;) {
      let next;
      try {
        next = await records.next();
      } catch (e) {
        fail(line + 1, e);
      }
      if (!next || next.done) return;
      line = next.value.info.lines;
      yield { line, cells: next.value.record };
    }
  }
  return { name, header, title: "", rows: rows() };
}

/**
 * A sheet of a workbook: the header is the first row whose first cell is `headerFirstCell`;
 * rows below it are data. The workbook is read once for all the sheets asked for.
 */
export async function openSheetTables(
  path: string,
  sheets: readonly string[],
  headerFirstCell: string,
): Promise<PublishedTable[]> {
  const file = basename(path);
  const XLSX = await import("@e965/xlsx");
  let workbook: import("@e965/xlsx").WorkBook;
  try {
    workbook = XLSX.read(await readFile(path), { sheets: [...sheets], dense: true });
  } catch (e) {
    throw new StatisticsFileError({
      file,
      line: 0,
      reason: `not a readable workbook (${(e as Error).message})`,
    });
  }
  return sheets.map((sheetName) => {
    const name = `${file} [${sheetName}]`;
    const sheet = workbook.Sheets[sheetName];
    if (!sheet)
      throw new StatisticsFileError({
        file: name,
        line: 0,
        reason: `no sheet "${sheetName}" (the workbook has ${workbook.SheetNames.join(", ")})`,
      });
    const firstRow = XLSX.utils.decode_range(sheet["!ref"] ?? "A1").s.r + 1;
    const grid = XLSX.utils.sheet_to_json<Cell[]>(sheet, {
      header: 1,
      raw: true,
      defval: "",
      blankrows: true,
    });
    const headerAt = grid.findIndex((r) => String(r[0] ?? "").trim() === headerFirstCell);
    if (headerAt < 0)
      throw new StatisticsFileError({
        file: name,
        line: 0,
        reason: `no header row starting "${headerFirstCell}"`,
      });
    const header = grid[headerAt]!.map((h) => String(h).trim());
    const title = grid
      .slice(0, headerAt)
      .flat()
      .map((c) => String(c))
      .join(" ");
    const body = grid.slice(headerAt + 1);
    async function* rows(): AsyncGenerator<TableRow> {
      for (const [i, cells] of body.entries()) yield { line: firstRow + headerAt + 1 + i, cells };
    }
    return { name, header, title, rows: rows() };
  });
}
