/**
 * The organisations repository: the registry's current revision of each organisation, where it
 * sits (region, ICB) and the days it was open. Services ask here instead of writing the SQL.
 */
import type { Placement } from "../domain/access/policy.js";
import type { OrgKind } from "../domain/organisations/organisation.js";
import type { Queryable } from "./database.js";

/** An organisation's kind and the days it was open (its current revision). */
export interface OrganisationLifespan {
  code: string;
  kind: OrgKind;
  open_date: string;
  close_date: string | null;
}

/**
 * The SQL condition "open on the date in `param`" over the organisations table (aliased `alias`),
 * for the queries that list organisations as at a day.
 */
export function openOnCondition(param: string, alias = ""): string {
  const a = alias ? `${alias}.` : "";
  return `${a}open_date <= ${param} AND (${a}close_date IS NULL OR ${a}close_date >= ${param})`;
}

/** The current revision of `code`, or undefined if the registry does not hold it. */
export async function findOrganisationLifespan(
  db: Queryable,
  code: string,
): Promise<OrganisationLifespan | undefined> {
  const [row] = await db.query<OrganisationLifespan>(
    `SELECT code, kind, open_date, close_date FROM organisations
      WHERE code = $1 AND superseded_at IS NULL`,
    [code],
  );
  return row;
}

/** Where `code` sits in the registry (its current revision), or null if it is unknown. */
export async function findPlacement(db: Queryable, code: string): Promise<Placement | null> {
  const [row] = await db.query<Placement>(
    `SELECT code, region, icb_code FROM organisations WHERE code = $1 AND superseded_at IS NULL`,
    [code],
  );
  return row ?? null;
}

/** Where every organisation sits (current revisions). */
export async function allPlacements(db: Queryable): Promise<Placement[]> {
  return db.query<Placement>(
    "SELECT code, region, icb_code FROM organisations WHERE superseded_at IS NULL",
  );
}

/** Whether `code` is a region (migration 0002). */
export async function regionExists(db: Queryable, code: string): Promise<boolean> {
  const [row] = await db.query("SELECT 1 FROM regions WHERE code = $1", [code]);
  return row !== undefined;
}

/** The code of the region `codeOrName` names ("Y56", "london"), or undefined. */
export async function findRegionCode(
  db: Queryable,
  codeOrName: string,
): Promise<string | undefined> {
  const [row] = await db.query<{ code: string }>(
    "SELECT code FROM regions WHERE upper(code) = upper($1) OR lower(name) = lower($1)",
    [codeOrName.trim()],
  );
  return row?.code;
}

/** Whether `code` is an ICB the registry holds (its current revision). */
export async function icbExists(db: Queryable, code: string): Promise<boolean> {
  const [row] = await db.query(
    "SELECT 1 FROM organisations WHERE code = $1 AND kind = 'icb' AND superseded_at IS NULL",
    [code],
  );
  return row !== undefined;
}

/**
 * The first open trust (by region, ICB and code) whose ICB the registry holds, with its region and
 * ICB: where the demo's regional, ICB and trust accounts act.
 */
export async function firstTrustWithIcb(
  db: Queryable,
): Promise<{ region: string; icb: string; trust: string } | undefined> {
  const [place] = await db.query<{ region: string; icb: string; trust: string }>(
    `SELECT t.region, t.icb_code AS icb, t.code AS trust
       FROM organisations t JOIN organisations i ON i.code = t.icb_code AND i.superseded_at IS NULL
      WHERE t.superseded_at IS NULL AND t.kind <> 'icb' AND t.close_date IS NULL
      ORDER BY t.region, t.icb_code, t.code LIMIT 1`,
  );
  return place;
}
