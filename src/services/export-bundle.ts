/**
 * Use cases: export the current revision of every record as a data bundle, in the import format,
 * so that export → import into an empty database → export gives byte-identical files (internal:
 * it holds every confidentiality level; the CLI checks `data:export`); and the open-data export,
 * public content only.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "csv-stringify/sync";
import { BUNDLE_FILES, type BundleFileKind } from "../ingest/bundle.js";
import { writeBundleFile } from "../ingest/bundle-writer.js";
import { authorise, type Actor } from "./authorise.js";
import type { ServiceContext } from "./context.js";

export const AUDIT_HEAD_FILE = "audit-head.txt";

export async function exportBundle(
  ctx: ServiceContext,
  dir: string,
): Promise<{ file: string; rows: number }[]> {
  const written: { file: string; rows: number }[] = [];
  for (const [kind, spec] of Object.entries(BUNDLE_FILES) as [
    BundleFileKind,
    (typeof BUNDLE_FILES)[BundleFileKind],
  ][]) {
    const rows = await ctx.db.query<Record<string, unknown>>(
      `SELECT ${spec.columns.join(", ")} FROM ${kind} WHERE superseded_at IS NULL`,
    );
    written.push(writeBundleFile(dir, kind, rows));
  }
  return written;
}

function writeCsv(
  dir: string,
  file: string,
  columns: readonly string[],
  rows: readonly Record<string, unknown>[],
): { file: string; rows: number } {
  const text = stringify(
    rows.map((row) =>
      columns.map((c) => (row[c] === null || row[c] === undefined ? "" : String(row[c]))),
    ),
    { header: true, columns: [...columns] },
  );
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, file), text);
  return { file, rows: rows.length };
}

/**
 * The open-data export (requirements §6; DOMAIN §12): built only from what is published or marked
 * public — the registry, CQC ratings, the decided segments with their deciding body and
 * reference (never the assessment snapshot, which quotes judgements), and the intelligence,
 * notes and judgements whose level is `public`. Each query names the level it takes, so nothing
 * confidential can reach a file by default.
 */
export async function exportOpenData(
  ctx: ServiceContext,
  actor: Actor,
  dir: string,
): Promise<{ file: string; rows: number }[]> {
  await authorise(ctx, actor, "open_data:export", { type: "open_data", id: dir });
  const written = [
    writeBundleFile(
      dir,
      "organisations",
      await ctx.db.query(
        `SELECT ${BUNDLE_FILES.organisations.columns.join(", ")} FROM organisations WHERE superseded_at IS NULL`,
      ),
    ),
    writeBundleFile(
      dir,
      "cqc_ratings",
      await ctx.db.query(
        `SELECT ${BUNDLE_FILES.cqc_ratings.columns.join(", ")} FROM cqc_ratings WHERE superseded_at IS NULL`,
      ),
    ),
    writeBundleFile(
      dir,
      "intelligence",
      await ctx.db.query(
        `SELECT ${BUNDLE_FILES.intelligence.columns.join(", ")} FROM intelligence
          WHERE superseded_at IS NULL AND confidentiality = 'public'`,
      ),
    ),
  ];
  written.push(
    writeCsv(
      dir,
      "segments.csv",
      [
        "org_code",
        "segment",
        "effective_from",
        "deciding_body",
        "decision_reference",
        "framework_id",
        "public_rationale",
      ],
      // docs/domain.md §12: the decision's public rationale, written for publication; nothing else
      // of the decision (its recommendation's rationale, exit evidence) is read.
      await ctx.db.query(
        `SELECT h.org_code, h.segment, h.effective_from, h.deciding_body, h.decision_reference,
                h.framework_id, d.public_rationale
           FROM segment_history h LEFT JOIN decisions d ON d.id = h.decision_id
          ORDER BY h.org_code, h.effective_from, h.id`,
      ),
    ),
    writeCsv(
      dir,
      "notes.csv",
      ["org_code", "source", "body"],
      await ctx.db.query(
        `SELECT org_code, source, body FROM notes WHERE confidentiality = 'public'
          ORDER BY org_code, created_at, id`,
      ),
    ),
    // DOMAIN §10: the non-confidential version of enforcement action is published.
    writeCsv(
      dir,
      "enforcement_events.csv",
      ["org_code", "kind", "occurred_on", "reference", "summary"],
      await ctx.db.query(
        `SELECT org_code, kind, occurred_on, reference, summary FROM enforcement_events
          WHERE confidentiality = 'public' ORDER BY org_code, occurred_on, id`,
      ),
    ),
    writeCsv(
      dir,
      "judgements.csv",
      ["org_code", "kind", "theme", "summary", "recorded_on", "ends_on"],
      await ctx.db.query(
        `SELECT org_code, kind, theme, summary, recorded_on, ends_on FROM judgements
          WHERE confidentiality = 'public' ORDER BY org_code, recorded_on, id`,
      ),
    ),
  );
  // docs/audit.md: the head of the audit chain when the export was made, published with it, so
  // anyone holding an export can later check the chain still contains it (`audit verify
  // --anchor <dir>/audit-head.txt`). A keyed hash: it reveals nothing of the events.
  const [head] = await ctx.db.query<{ seq: number; hash: string }>(
    "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1",
  );
  if (head) {
    writeFileSync(join(dir, AUDIT_HEAD_FILE), `${head.seq}:${head.hash}\n`);
    written.push({ file: AUDIT_HEAD_FILE, rows: 1 });
  }
  return written;
}
