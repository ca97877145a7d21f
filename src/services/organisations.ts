import type { CalendarDate } from "../domain/shared/dates.js";
import type { OrgKind, Sector } from "../domain/organisations/organisation.js";
import {
  findOrganisationLifespan,
  openOnCondition,
  type OrganisationLifespan,
} from "../store/organisations.js";
import type { ServiceContext } from "./context.js";
import { InvalidInputError, NotFoundError } from "./errors.js";

export interface OrganisationSummary {
  code: string;
  name: string;
  kind: OrgKind;
  sector: Sector | null;
  region: string;
  regionName: string;
  icbCode: string | null;
  icbName: string | null;
  openDate: CalendarDate;
  closeDate: CalendarDate | null;
}

/** An organisation's current revision with its region's and ICB's names. */
const SELECT_SUMMARY = `SELECT o.code, o.name, o.kind, o.sector, o.region, r.name AS "regionName",
            o.icb_code AS "icbCode", icb.name AS "icbName",
            o.open_date AS "openDate", o.close_date AS "closeDate"
       FROM organisations o
       JOIN regions r ON r.code = o.region
       LEFT JOIN organisations icb ON icb.code = o.icb_code AND icb.superseded_at IS NULL`;

/** The organisations open on `asOf` (the registry's current revision of each). */
export async function listOrganisations(
  ctx: ServiceContext,
  asOf: CalendarDate,
): Promise<OrganisationSummary[]> {
  return ctx.db.query<OrganisationSummary>(
    `${SELECT_SUMMARY}
      WHERE o.superseded_at IS NULL AND ${openOnCondition("$1", "o")}
      ORDER BY o.kind = 'icb', o.name`,
    [asOf],
  );
}

/** One organisation as on `asOf`; NotFoundError if it is unknown or was not open that day. */
export async function getOrganisation(
  ctx: ServiceContext,
  code: string,
  asOf: CalendarDate,
): Promise<OrganisationSummary> {
  const [org] = await ctx.db.query<OrganisationSummary>(
    `${SELECT_SUMMARY} WHERE o.superseded_at IS NULL AND o.code = $1`,
    [code],
  );
  if (!org) throw new NotFoundError(`no organisation ${code}`);
  const closed = notOpenOn({ code, open_date: org.openDate, close_date: org.closeDate }, asOf);
  if (closed) throw new NotFoundError(closed);
  return org;
}

/** Why `org` was not open on `date` (a sentence), or null if it was. */
export function notOpenOn(
  org: Pick<OrganisationLifespan, "code" | "open_date" | "close_date">,
  date: string,
): string | null {
  return org.open_date > date || (org.close_date !== null && org.close_date < date)
    ? `${org.code} was not open on ${date} (open ${org.open_date} to ${org.close_date ?? "now"})`
    : null;
}

/**
 * The organisation a write concerns, which must have been open on the date the write is about:
 * NotFoundError if the registry does not hold it, InvalidInputError if it was closed (or not yet
 * open) that day.
 */
export async function organisationOpenOn(
  ctx: ServiceContext,
  code: string,
  date: string,
): Promise<OrganisationLifespan> {
  const org = await findOrganisationLifespan(ctx.db, code);
  if (!org) throw new NotFoundError(`no organisation ${code}`);
  const closed = notOpenOn(org, date);
  if (closed) throw new InvalidInputError(closed);
  return org;
}

export interface CqcRatingRecord {
  published_on: string;
  overall: string | null;
  well_led: string | null;
}

/** An organisation's CQC ratings published on or before `asOf`, newest first (public data). */
export async function cqcRatings(
  ctx: ServiceContext,
  code: string,
  asOf: CalendarDate,
): Promise<CqcRatingRecord[]> {
  return ctx.db.query<CqcRatingRecord>(
    `SELECT published_on, overall, well_led FROM cqc_ratings
      WHERE superseded_at IS NULL AND org_code = $1 AND published_on <= $2
      ORDER BY published_on DESC`,
    [code, asOf],
  );
}
