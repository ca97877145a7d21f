/**
 * Writing bundle CSV files: the one place that decides their bytes. Rows are sorted by key (by
 * code point) and values written in their shortest exact form, so the same records always give
 * the same file, whichever database they came from.
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "csv-stringify/sync";
import { BUNDLE_FILES, type BundleFileKind } from "./bundle.js";

export const BUNDLE_KEYS: Record<BundleFileKind, readonly string[]> = {
  organisations: ["code"],
  observations: ["org_code", "metric_id", "period_start", "period_end"],
  cqc_ratings: ["org_code", "published_on"],
  intelligence: ["org_code", "received_on", "source", "summary"],
};

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  return String(value);
}

export function writeBundleFile(
  dir: string,
  kind: BundleFileKind,
  rows: readonly Record<string, unknown>[],
): { file: string; rows: number } {
  const spec = BUNDLE_FILES[kind];
  // UTF-8 bytes sort in code point order; JavaScript's `<` compares UTF-16 code units, which
  // puts characters beyond U+FFFF (emoji) before U+E000–U+FFFF.
  const keyed = rows.map((row) => ({
    row,
    key: Buffer.from(BUNDLE_KEYS[kind].map((c) => formatCell(row[c])).join("\u0000")),
  }));
  keyed.sort((a, b) => Buffer.compare(a.key, b.key));
  const text = stringify(
    keyed.map(({ row }) => spec.columns.map((c) => formatCell(row[c]))),
    { header: true, columns: [...spec.columns] },
  );
  mkdirSync(dir, { recursive: true });
  // Written beside and renamed, so a reader never sees half a file.
  const path = join(dir, spec.file);
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
  return { file: spec.file, rows: rows.length };
}
