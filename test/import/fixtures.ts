/**
 * Shared helpers for the data bundle import/export tests (requirements §2, Data bundle import): small
 * hand-written bundles in temp folders, and ways to see what an import changed.
 */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Queryable } from "../../src/store/database.js";

export const HEADERS = {
  organisations: "code,name,kind,sector,region,icb_code,open_date,close_date",
  observations: "org_code,metric_id,period_start,period_end,value,numerator,denominator",
  cqc_ratings: "org_code,published_on,overall,well_led,safe",
  intelligence: "org_code,received_on,source,category,summary,confidentiality",
} as const;

/** CSV text: the lines joined with LF and ended with one. */
export function csv(...lines: string[]): string {
  return `${lines.join("\n")}\n`;
}

export type BundleFiles = Record<string, string | Buffer>;

/**
 * A base bundle with every file kind: an ICB (QMJ) and two trusts (RAL, RKE) in London (Y56),
 * three observations, a CQC rating and an intelligence item.
 */
export const BASE_BUNDLE: BundleFiles = {
  "organisations.csv": csv(
    HEADERS.organisations,
    "QMJ,NHS North Central London Integrated Care Board,icb,,Y56,,2022-07-01,",
    "RAL,Royal Free London NHS Foundation Trust,foundation_trust,acute,Y56,QMJ,2002-04-01,",
    "RKE,Whittington Health NHS Trust,nhs_trust,community,Y56,QMJ,2011-04-01,",
  ),
  "observations.csv": csv(
    HEADERS.observations,
    "RAL,ae_4hr_all,2024-01-01,2024-01-31,72.5,,",
    "RAL,ae_4hr_all,2024-02-01,2024-02-29,70.1,,",
    "RKE,ae_4hr_all,2024-01-01,2024-01-31,75,750,1000",
  ),
  "cqc_ratings.csv": csv(HEADERS.cqc_ratings, "RAL,2023-06-14,good,good,requires_improvement"),
  "intelligence.csv": csv(
    HEADERS.intelligence,
    "RKE,2024-02-03,Regional team,finance,Deficit plan agreed,official",
  ),
};

/**
 * A bundle of valid rows only, for an import into a database holding BASE_BUNDLE: a new trust
 * (RRV) and rows about it and the base organisations. The rejection tests add one bad row to it,
 * so that a broken all-or-nothing would show as added rows.
 */
export function goodAdditions(): Record<keyof typeof HEADERS, string[]> {
  return {
    organisations: [
      HEADERS.organisations,
      "RRV,University College London Hospitals NHS Foundation Trust,foundation_trust,acute,Y56,QMJ,2001-04-01,",
    ],
    observations: [
      HEADERS.observations,
      "RRV,ae_4hr_all,2024-01-01,2024-01-31,68.2,,",
      "RAL,ae_4hr_all,2024-01-01,2024-01-31,73.5,,",
    ],
    cqc_ratings: [HEADERS.cqc_ratings, "RRV,2023-11-02,outstanding,good,good"],
    intelligence: [
      HEADERS.intelligence,
      "RRV,2024-03-01,CQC,quality,Maternity inspection scheduled,public",
    ],
  };
}

/** Files of a bundle from lines per kind, as goodAdditions() gives them. */
export function filesOf(lines: Partial<Record<keyof typeof HEADERS, string[]>>): BundleFiles {
  return Object.fromEntries(Object.entries(lines).map(([kind, l]) => [`${kind}.csv`, csv(...l)]));
}

/** Temp folders for bundles, removed together. */
export class TempFolders {
  readonly root = mkdtempSync(join(tmpdir(), "oversight-import-test-"));
  private count = 0;

  /** A new empty folder. */
  folder(name = "dir"): string {
    const dir = join(this.root, `${++this.count}-${name}`);
    mkdirSync(dir);
    return dir;
  }

  /** A new folder holding these files. */
  bundle(files: BundleFiles): string {
    const dir = this.folder("bundle");
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    return dir;
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

export const DATA_TABLES = [
  "organisations",
  "observations",
  "cqc_ratings",
  "intelligence",
  "imports",
  "import_files",
] as const;

export async function rowCounts(db: Queryable): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of DATA_TABLES) {
    const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    counts[table] = row!.n;
  }
  return counts;
}

/** Every row of every data table, in id order: equal snapshots mean nothing changed. */
export async function snapshot(db: Queryable): Promise<Record<string, unknown[]>> {
  const all: Record<string, unknown[]> = {};
  for (const table of DATA_TABLES)
    all[table] = await db.query(`SELECT * FROM ${table} ORDER BY id`);
  return all;
}

export function sha256(bytes: Buffer | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export function sha256OfFile(path: string): string {
  return sha256(readFileSync(path));
}
