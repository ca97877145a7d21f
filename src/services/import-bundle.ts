/**
 * Use case: import a data bundle, all or nothing. Every file is read and every row validated
 * before anything is written; if any row is rejected nothing changes and every rejection is
 * reported. Otherwise all changes are written in one transaction, each new revision carrying its
 * provenance (file name, SHA-256, import time and importer).
 */
import { InvalidInputError } from "./errors.js";
import { inAuditedTransaction, sha256Hex, type AuditedRows } from "../store/audit.js";
import { auditActor, type Actor } from "./authorise.js";
import { NATION } from "../domain/access/policy.js";
import { existsSync, lstatSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { readCsv, type Rejection, type UnlistedRejections } from "../ingest/csv-file.js";
import {
  BUNDLE_FILES,
  validateBundle,
  type BundleFileKind,
  type BundleRecords,
} from "../ingest/bundle.js";
import type { OrgKind } from "../domain/organisations/organisation.js";
import {
  CQC_RATINGS_TABLE,
  INTELLIGENCE_TABLE,
  OBSERVATIONS_TABLE,
  ORGANISATIONS_TABLE,
  planRevisions,
  applyRevisions,
  type RevisionPlan,
  type Row,
  type VersionedTable,
} from "../store/versioned-records.js";
import type { ServiceContext } from "./context.js";

export interface FileOutcome {
  file: string;
  sha256: string;
  rows: number;
  added: number;
  revised: number;
  unchanged: number;
}

export interface ImportReport {
  ok: boolean;
  importId: number | null;
  files: FileOutcome[];
  /** The first problems of each kind in each file; the rest are counted in `unlisted`. */
  rejections: Rejection[];
  unlisted?: UnlistedRejections[];
  ignoredFiles: string[];
}

const TABLES: Record<BundleFileKind, VersionedTable> = {
  organisations: ORGANISATIONS_TABLE,
  observations: OBSERVATIONS_TABLE,
  cqc_ratings: CQC_RATINGS_TABLE,
  intelligence: INTELLIGENCE_TABLE,
};

// Organisations first: the other files refer to them.
const WRITE_ORDER: BundleFileKind[] = [
  "organisations",
  "observations",
  "cqc_ratings",
  "intelligence",
];

/** The local operator: an import made in-process (the demo, the start-up jobs, tests). */
const OPERATOR: Actor = { user: "system", role: "system", scope: NATION };

export class BundleNotFoundError extends Error {}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

export async function importBundle(
  ctx: ServiceContext,
  dir: string,
  options: {
    importedBy: string;
    actor?: Actor;
    kind?: string;
    synthetic?: boolean;
    onProgress?: (stage: string) => void;
  },
): Promise<ImportReport> {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new BundleNotFoundError(`not a folder: ${dir}`);
  const knownNames = new Set<string>(Object.values(BUNDLE_FILES).map((f) => f.file));
  const ignoredFiles = readdirSync(dir)
    .filter((f) => !knownNames.has(f))
    .sort();
  const read: Parameters<typeof validateBundle>[0] = {};
  for (const [kind, spec] of Object.entries(BUNDLE_FILES) as [
    BundleFileKind,
    (typeof BUNDLE_FILES)[BundleFileKind],
  ][]) {
    const path = join(dir, spec.file);
    if (!existsSync(path) && !isSymlink(path)) continue;
    // requirements §6 (path traversal): a bundle file is a regular file in the folder, never a link
    // that would have the importer read, and store, a file from elsewhere.
    if (isSymlink(path) || !statSync(path).isFile())
      throw new InvalidInputError(
        `${spec.file} in ${dir} is not a regular file (a symbolic link or a folder): a bundle holds its files itself`,
      );
    const required = spec.columns.filter((c) => !(spec.optional as readonly string[]).includes(c));
    read[kind] = readCsv(spec.file, readFileSync(path), { required, optional: spec.optional });
  }
  options.onProgress?.("validating");
  const validated = validateBundle(read, await loadBundleContext(ctx));
  if (validated.rejections.length > 0) {
    return {
      ok: false,
      importId: null,
      files: [],
      rejections: validated.rejections,
      unlisted: validated.unlisted,
      ignoredFiles,
    };
  }
  const sources = WRITE_ORDER.flatMap((kind) => {
    const file = validated.files[kind];
    return file
      ? [{ name: file.name, sha256: file.sha256, records: { [kind]: validated.records[kind] } }]
      : [];
  });
  return writeRecords(ctx, sources, {
    importedBy: options.importedBy,
    ...(options.actor ? { actor: options.actor } : {}),
    kind: options.kind ?? "bundle",
    synthetic: options.synthetic ?? false,
    ignoredFiles,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}

export async function loadBundleContext(ctx: ServiceContext) {
  const orgs = await ctx.db.query<{ code: string; kind: OrgKind }>(
    "SELECT code, kind FROM organisations WHERE superseded_at IS NULL",
  );
  const regions = await ctx.db.query<{ code: string }>("SELECT code FROM regions");
  return {
    organisations: new Map(orgs.map((o) => [o.code, { kind: o.kind }])),
    regions: new Set(regions.map((r) => r.code)),
    metrics: ctx.frameworks.metricCatalogue(),
  };
}

/** Intelligence is identified by its summary's SHA-256 (migration 0008), not the text itself. */
function identified(kind: BundleFileKind, records: Row[]): Row[] {
  return kind === "intelligence"
    ? records.map((r) => ({ ...r, summary_sha256: sha256Hex(String(r.summary)) }))
    : records;
}

/** One source file and the records it yields: the unit of provenance. */
export interface RecordSource {
  name: string;
  sha256: string;
  records: Partial<BundleRecords>;
}

/**
 * Writes validated records in one transaction; shared with the national-statistics importers.
 * Sources must not repeat a key between them (each is planned against the stored state).
 */
export async function writeRecords(
  ctx: ServiceContext,
  sources: RecordSource[],
  options: {
    /** The provenance label of an in-process import; beside an `actor`, a note. */
    importedBy: string;
    /** Who is importing (the CLI's actor); without one, the local operator (`system`). */
    actor?: Actor;
    kind: string;
    synthetic?: boolean;
    ignoredFiles?: string[];
    onProgress?: (stage: string) => void;
  },
): Promise<ImportReport> {
  const actor = options.actor ?? OPERATOR;
  return inAuditedTransaction(
    ctx.db,
    async (tx, audit) => {
      const planned = [];
      for (const source of sources) {
        const plans: RevisionPlan[] = [];
        for (const kind of WRITE_ORDER) {
          const records = source.records[kind] as unknown as Row[] | undefined;
          if (records) plans.push(await planRevisions(tx, TABLES[kind], identified(kind, records)));
        }
        planned.push({ source, plans });
      }
      const outcomes: FileOutcome[] = planned.map(({ source, plans }) => ({
        file: source.name,
        sha256: source.sha256,
        rows: plans.reduce((n, p) => n + p.added.length + p.revised.length + p.unchanged, 0),
        added: plans.reduce((n, p) => n + p.added.length, 0),
        revised: plans.reduce((n, p) => n + p.revised.length, 0),
        unchanged: plans.reduce((n, p) => n + p.unchanged, 0),
      }));
      const changes = outcomes.reduce((n, o) => n + o.added + o.revised, 0);
      const report = {
        ok: true,
        importId: null,
        files: outcomes,
        rejections: [],
        ignoredFiles: options.ignoredFiles ?? [],
      };
      // The same data twice changes nothing: not even an import record.
      if (changes === 0) return report;
      options.onProgress?.("writing");
      const [imported] = await tx.query<{ id: number }>(
        "INSERT INTO imports (kind, imported_by, synthetic, summary) VALUES ($1, $2, $3, $4) RETURNING id",
        [
          options.kind,
          options.actor ? options.actor.user : options.importedBy,
          options.synthetic ?? false,
          JSON.stringify({ files: outcomes }),
        ],
      );
      const importId = imported!.id;
      const written: AuditedRows[] = [{ table: "imports", value: importId }];
      for (const { source, plans } of planned) {
        if (plans.every((p) => p.added.length + p.revised.length === 0)) continue;
        const [fileRow] = await tx.query<{ id: number }>(
          "INSERT INTO import_files (import_id, file_name, sha256) VALUES ($1, $2, $3) RETURNING id",
          [importId, source.name, source.sha256],
        );
        for (const plan of plans) {
          await applyRevisions(tx, plan, fileRow!.id);
          written.push({ table: plan.spec.table, column: "source_file_id", value: fileRow!.id });
        }
      }
      // requirements §6: every data change is on the hash-chained audit log; an import is one change, its
      // rows carrying the import's provenance. requirements §20: under the account that ran it (or the
      // local operator, `system`), never a name typed in; one given is kept as a note.
      const note = options.actor ? options.importedBy : undefined;
      await audit({
        actor: auditActor(actor),
        action: "import.completed",
        entity_type: "import",
        entity_id: String(importId),
        before: null,
        after: {
          kind: options.kind,
          synthetic: options.synthetic ?? false,
          files: outcomes,
          ...(note && note !== actor.user ? { note } : {}),
        },
        rows: written,
      });
      return { ...report, importId };
    },
    // Locked only to append: the chain does not wait for a long import's planning and writing.
    { lockFirst: false },
  );
}
