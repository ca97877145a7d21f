/**
 * Use case: export the current revision of every record as a data bundle, in the import format,
 * so that export → import into an empty database → export gives byte-identical files.
 */
import { BUNDLE_FILES, type BundleFileKind } from "../ingest/bundle.js";
import { writeBundleFile } from "../ingest/bundle-writer.js";
import type { ServiceContext } from "./context.js";

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
