/**
 * Writing versioned records (migration 0001): compares incoming records with the current
 * revisions by key, adds revision 1 for a new key, and for a changed value stamps the current
 * revision superseded and adds the next. Unchanged records are left alone, so importing the
 * same data twice changes nothing.
 */
import type { Queryable } from "./database.js";

type ColumnType = "text" | "date" | "float8";

export interface VersionedTable {
  table: string;
  key: readonly string[];
  values: readonly string[];
  types: Readonly<Record<string, ColumnType>>;
}

export const ORGANISATIONS_TABLE: VersionedTable = {
  table: "organisations",
  key: ["code"],
  values: ["name", "kind", "sector", "region", "icb_code", "open_date", "close_date"],
  types: {
    code: "text",
    name: "text",
    kind: "text",
    sector: "text",
    region: "text",
    icb_code: "text",
    open_date: "date",
    close_date: "date",
  },
};

export const OBSERVATIONS_TABLE: VersionedTable = {
  table: "observations",
  key: ["org_code", "metric_id", "period_start", "period_end"],
  values: ["value", "numerator", "denominator"],
  types: {
    org_code: "text",
    metric_id: "text",
    period_start: "date",
    period_end: "date",
    value: "float8",
    numerator: "float8",
    denominator: "float8",
  },
};

export const CQC_RATINGS_TABLE: VersionedTable = {
  table: "cqc_ratings",
  key: ["org_code", "published_on"],
  values: ["overall", "well_led", "safe"],
  types: {
    org_code: "text",
    published_on: "date",
    overall: "text",
    well_led: "text",
    safe: "text",
  },
};

/** Identified by the SHA-256 of its summary: unbounded text stays out of the unique index. */
export const INTELLIGENCE_TABLE: VersionedTable = {
  table: "intelligence",
  key: ["org_code", "received_on", "source", "summary_sha256"],
  values: ["summary", "category", "confidentiality"],
  types: {
    org_code: "text",
    received_on: "date",
    source: "text",
    summary_sha256: "text",
    summary: "text",
    category: "text",
    confidentiality: "text",
  },
};

export type Row = Record<string, string | number | null>;

export interface RevisionPlan {
  spec: VersionedTable;
  added: Row[];
  revised: { row: Row; currentId: number; currentRevision: number }[];
  unchanged: number;
}

const keyOf = (spec: VersionedTable, row: Row) =>
  spec.key.map((c) => String(row[c])).join("\u0000");

/** Works out what writing `rows` would change, without changing anything. */
export async function planRevisions(
  db: Queryable,
  spec: VersionedTable,
  rows: Row[],
): Promise<RevisionPlan> {
  const plan: RevisionPlan = { spec, added: [], revised: [], unchanged: 0 };
  if (rows.length === 0) return plan;
  const columns = [...spec.key, ...spec.values].map((c) => `t.${c}`).join(", ");
  // Only the current revisions of the incoming keys are read, via the partial unique index.
  const keyArrays = spec.key.map((c, i) => `$${i + 1}::${spec.types[c]}[]`).join(", ");
  const joinOn = spec.key.map((c) => `t.${c} = k.${c}`).join(" AND ");
  const current = await db.query<Row & { id: number; revision: number }>(
    `SELECT t.id, t.revision, ${columns}
       FROM ${spec.table} t
       JOIN unnest(${keyArrays}) AS k(${spec.key.join(", ")}) ON ${joinOn}
      WHERE t.superseded_at IS NULL`,
    spec.key.map((c) => rows.map((r) => r[c])),
  );
  const byKey = new Map(current.map((r) => [keyOf(spec, r), r]));
  for (const row of rows) {
    const existing = byKey.get(keyOf(spec, row));
    if (!existing) plan.added.push(row);
    else if (spec.values.some((c) => (existing[c] ?? null) !== (row[c] ?? null))) {
      plan.revised.push({ row, currentId: existing.id, currentRevision: existing.revision });
    } else plan.unchanged++;
  }
  return plan;
}

/** Applies a plan inside the caller's transaction; every new revision points at its source file. */
export async function applyRevisions(
  tx: Queryable,
  plan: RevisionPlan,
  sourceFileId: number,
): Promise<void> {
  const { spec } = plan;
  if (plan.revised.length > 0) {
    await tx.query(`UPDATE ${spec.table} SET superseded_at = now() WHERE id = ANY($1::bigint[])`, [
      plan.revised.map((r) => r.currentId),
    ]);
  }
  const toInsert = [
    ...plan.added.map((row) => ({ row, revision: 1 })),
    ...plan.revised.map((r) => ({ row: r.row, revision: r.currentRevision + 1 })),
  ];
  const columns = [...spec.key, ...spec.values];
  // unnest() of one array per column inserts thousands of rows in one statement on both engines.
  const BATCH = 5000;
  for (let start = 0; start < toInsert.length; start += BATCH) {
    const batch = toInsert.slice(start, start + BATCH);
    const params: unknown[] = columns.map((c) => batch.map(({ row }) => row[c] ?? null));
    params.push(batch.map((b) => b.revision));
    const selects = columns.map((c, i) => `$${i + 1}::${spec.types[c]}[]`).join(", ");
    await tx.query(
      `INSERT INTO ${spec.table} (${columns.join(", ")}, revision, source_file_id)
       SELECT *, ${sourceFileId} FROM unnest(${selects}, $${columns.length + 1}::int[])`,
      params,
    );
  }
}
