/**
 * Reading the CSV files of a bundle or a national statistics release: strict UTF-8, an exact
 * header, and every problem reported as `file:line: reason` rather than thrown.
 */
import { createHash } from "node:crypto";
import { basename } from "node:path";
import { parse } from "csv-parse/sync";

export interface Rejection {
  file: string;
  line: number;
  reason: string;
}

export function formatRejection(r: Rejection): string {
  return `${r.file}:${r.line}: ${r.reason}`;
}

/**
 * How many problems of one kind in one file are listed, line by line, before the rest are only
 * counted (README, "Importing data"): a file of 2.5 million bad rows is reported in a few dozen
 * lines, and held in memory as that many.
 */
export const REJECTIONS_LISTED_PER_REASON = 20;
/** A value quoted in a reason is cut to this many characters. */
export const ECHOED_VALUE_LIMIT = 80;

/** Problems of one kind in one file beyond the first REJECTIONS_LISTED_PER_REASON. */
export interface UnlistedRejections {
  file: string;
  /** The reason with its particular values left out: `unknown organisation "…"`. */
  reason: string;
  count: number;
}

/** The kind of a reason: its quoted values and numbers left out. */
function reasonKind(reason: string): string {
  return reason.replace(/"(?:[^"]|"")*"/g, '"…"').replace(/\d+(\.\d+)?/g, "N");
}

/** A value echoed in a reason, cut to ECHOED_VALUE_LIMIT characters. */
function truncateEchoes(reason: string): string {
  return reason.replace(
    new RegExp(`"([^"]{${ECHOED_VALUE_LIMIT + 1},})"`, "g"),
    (_m, value: string) => `"${value.slice(0, ECHOED_VALUE_LIMIT)}…" (${value.length} characters)`,
  );
}

/**
 * Collects rejections as an importer finds them, keeping the first REJECTIONS_LISTED_PER_REASON
 * of each kind in each file (echoed values cut short) and counting the rest.
 */
export class RejectionCollector {
  private readonly listed: Rejection[] = [];
  private readonly counts = new Map<string, UnlistedRejections & { seen: number }>();
  total = 0;

  push(...rejections: Rejection[]): void {
    for (const r of rejections) {
      this.total++;
      const kind = reasonKind(r.reason);
      const key = `${r.file}\u0000${kind}`;
      const entry = this.counts.get(key) ?? { file: r.file, reason: kind, count: 0, seen: 0 };
      this.counts.set(key, entry);
      if (++entry.seen <= REJECTIONS_LISTED_PER_REASON)
        this.listed.push({ ...r, reason: truncateEchoes(r.reason) });
      else entry.count++;
    }
  }

  /** The listed rejections, by file and line. */
  rejections(): Rejection[] {
    return [...this.listed].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  }

  unlisted(): UnlistedRejections[] {
    return [...this.counts.values()]
      .filter((c) => c.count > 0)
      .map(({ file, reason, count }) => ({ file, reason, count }));
  }
}

export interface CsvRow {
  line: number;
  fields: Record<string, string>;
}

export interface CsvFile {
  name: string;
  sha256: string;
  header: string[];
  rows: CsvRow[];
}

/**
 * A file that could be read (`file` set) may still carry row-level rejections (a row with the
 * wrong number of fields); a file that could not be read at all has only rejections.
 */
export interface CsvReadResult {
  file: CsvFile | null;
  rejections: Rejection[];
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Lines (1-based) whose bytes are not valid UTF-8. */
function linesWithBadEncoding(bytes: Buffer): number[] {
  const bad: number[] = [];
  let start = 0;
  let line = 1;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      try {
        strictUtf8.decode(bytes.subarray(start, i));
      } catch {
        bad.push(line);
      }
      start = i + 1;
      line++;
    }
  }
  return bad;
}

/**
 * The line (1-based) on which each non-empty record of `text` starts. csv-parse's `info.lines` is
 * the line a record ends on, and counts a CRLF inside a quoted field as two lines, so a row after
 * a multi-line cell in a CRLF file would be reported on the wrong line. A quote can only open or
 * close a quoted field (or be doubled inside one) in text csv-parse accepted, so toggling on every
 * quote tracks whether a line break ends a record.
 */
function recordStartLines(text: string): number[] {
  const starts: number[] = [];
  let line = 1;
  let quoted = false;
  let atRecordStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const lineBreak = c === "\n" || (c === "\r" && text[i + 1] !== "\n");
    if (atRecordStart && c !== "\n" && c !== "\r") {
      starts.push(line);
      atRecordStart = false;
    }
    if (c === '"') quoted = !quoted;
    else if (lineBreak) {
      line++;
      if (!quoted) atRecordStart = true;
    }
  }
  return starts;
}

/**
 * Parses CSV bytes. `expectedHeader` is the exact column set (order free); `allowedExtra` lists
 * optional columns that may be present.
 */
export function readCsv(
  fileName: string,
  bytes: Buffer,
  expectedHeader: {
    required: readonly string[];
    optional?: readonly string[] | undefined;
    /** Published national files carry columns we do not read: allow them. */
    anyOtherColumns?: boolean;
  },
): CsvReadResult {
  const name = basename(fileName);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const badLines = linesWithBadEncoding(bytes);
  if (badLines.length > 0) {
    return {
      file: null,
      rejections: badLines.map((line) => ({ file: name, line, reason: "bad encoding: not UTF-8" })),
    };
  }
  const text = strictUtf8.decode(bytes);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    return {
      file: null,
      rejections: [{ file: name, line, reason: `malformed CSV: ${(error as Error).message}` }],
    };
  }
  // Should the scan and csv-parse ever disagree on the records, csv-parse's count is used.
  const starts = recordStartLines(text);
  const lines = records.map((r, i) =>
    starts.length === records.length ? starts[i]! : r.info.lines,
  );
  const [head, ...body] = records;
  if (!head)
    return { file: null, rejections: [{ file: name, line: 1, reason: "empty file: no header" }] };
  const header = head.record.map((h) => h.trim());
  const required = expectedHeader.required;
  const allowed = new Set([...required, ...(expectedHeader.optional ?? [])]);
  const missing = required.filter((c) => !header.includes(c));
  const unexpected = expectedHeader.anyOtherColumns ? [] : header.filter((c) => !allowed.has(c));
  const repeated = header.filter((c, i) => header.indexOf(c) !== i);
  if (missing.length || unexpected.length || repeated.length) {
    const parts = [
      missing.length ? `missing ${missing.join(", ")}` : "",
      unexpected.length ? `unexpected ${unexpected.join(", ")}` : "",
      repeated.length ? `repeated ${repeated.join(", ")}` : "",
    ].filter(Boolean);
    return {
      file: null,
      rejections: [
        {
          file: name,
          line: 1,
          reason: `wrong column set (${parts.join("; ")}): expected ${required.join(",")}`,
        },
      ],
    };
  }
  const rejections: Rejection[] = [];
  const rows: CsvRow[] = [];
  for (const [index, { record }] of body.entries()) {
    const line = lines[index + 1]!;
    if (record.length !== header.length) {
      rejections.push({
        file: name,
        line,
        reason: `wrong number of fields: ${record.length}, expected ${header.length}`,
      });
      continue;
    }
    const fields: Record<string, string> = {};
    header.forEach((column, i) => (fields[column] = (record[i] ?? "").trim()));
    // The database cannot store U+0000 in text: refused here, with its line, not by the database.
    const withNul = header.filter((column) => fields[column]!.includes("\u0000"));
    if (withNul.length > 0) {
      rejections.push({
        file: name,
        line,
        reason: `${withNul.join(", ")}: contains a NUL character (U+0000), which cannot be stored`,
      });
      continue;
    }
    rows.push({ line, fields });
  }
  return { file: { name, sha256, header, rows }, rejections };
}
