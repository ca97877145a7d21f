import type { CalendarDate } from "../domain/shared/dates.js";
import type { OrgKind, Sector } from "../domain/organisations/organisation.js";
import type { ServiceContext } from "./context.js";

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

/** The organisations open on `asOf` (the registry's current revision of each). */
export async function listOrganisations(
  ctx: ServiceContext,
  asOf: CalendarDate,
): Promise<OrganisationSummary[]> {
  return ctx.db.query<OrganisationSummary>(
    `SELECT o.code, o.name, o.kind, o.sector, o.region, r.name AS "regionName",
            o.icb_code AS "icbCode", icb.name AS "icbName",
            o.open_date AS "openDate", o.close_date AS "closeDate"
       FROM organisations o
       JOIN regions r ON r.code = o.region
       LEFT JOIN organisations icb ON icb.code = o.icb_code AND icb.superseded_at IS NULL
      WHERE o.superseded_at IS NULL
        AND o.open_date <= $1 AND (o.close_date IS NULL OR o.close_date >= $1)
      ORDER BY o.kind = 'icb', o.name`,
    [asOf],
  );
}
