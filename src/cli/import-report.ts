/** What the import commands share: checking the input path and printing an import's report. */
import { existsSync, statSync } from "node:fs";
import { formatRejection, REJECTIONS_LISTED_PER_REASON } from "../ingest/csv-file.js";
import type { ImportReport } from "../services/import-bundle.js";
import type { StatisticsImportReport } from "../services/import-statistics.js";
import { CliError } from "./session.js";
import { say, warn } from "./io.js";

// An import is audited under the account acting (--user) or the local operator, never a name
// typed in; what was typed is only a note beside it (docs/audit.md).
export const NOTE_HELP =
  "a note recorded beside the import in the audit log (the actor is --user's account or the local operator)";

/**
 * Checks an input path before the database is opened, so a mistyped path neither creates nor
 * migrates a database and is reported as itself, not as a connection problem.
 */
export function requireInput(path: string, kind: "file" | "folder"): void {
  const stat = existsSync(path) ? statSync(path) : undefined;
  const ok = kind === "file" ? stat?.isFile() : stat?.isDirectory();
  if (!ok) throw new CliError(`not a ${kind}: ${path}`);
}

export function printImportReport(report: ImportReport | StatisticsImportReport): void {
  if (!report.ok) {
    for (const r of report.rejections) warn(formatRejection(r));
    const unlisted = report.unlisted ?? [];
    for (const u of unlisted) warn(`${u.file}: ${u.count} more: ${u.reason}`);
    const total = report.rejections.length + unlisted.reduce((n, u) => n + u.count, 0);
    throw new CliError(
      unlisted.length === 0
        ? `import rejected: ${total} problem(s) listed above; nothing was changed`
        : `import rejected: ${total} problem(s), the first ${REJECTIONS_LISTED_PER_REASON} of each kind in each file listed above and the rest counted; nothing was changed`,
    );
  }
  for (const f of report.files) {
    say(
      `${f.file}: ${f.rows} rows: ${f.added} added, ${f.revised} revised, ${f.unchanged} unchanged (sha256 ${f.sha256.slice(0, 12)}…)`,
    );
  }
  for (const f of report.ignoredFiles) say(`${f}: not a bundle file, ignored`);
  if ("skippedCodes" in report) {
    const codes = Object.entries(report.skippedCodes);
    const rows = codes.reduce((n, [, c]) => n + c, 0);
    say(
      `${report.observations} observations; skipped ${codes.length} codes not in the registry (${rows} rows)`,
    );
  }
  say(report.importId === null ? "nothing changed" : `import ${report.importId} recorded`);
}
