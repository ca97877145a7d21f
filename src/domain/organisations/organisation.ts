import type { CalendarDate } from "../shared/dates.js";

export const ORG_KINDS = ["nhs_trust", "foundation_trust", "icb"] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

export const SECTORS = [
  "acute",
  "mental_health",
  "community",
  "mental_health_and_community",
  "ambulance",
  "specialist",
] as const;
export type Sector = (typeof SECTORS)[number];

/** An ODS organisation code, e.g. `RJ1` (trust) or `QOP` (ICB). */
export type OrgCode = string & { readonly __brand: "OrgCode" };

export interface Organisation {
  code: OrgCode;
  name: string;
  kind: OrgKind;
  /** Providers only: an ICB has no sector. */
  sector: Sector | null;
  /** NHS England region code, Y56–Y63. */
  region: string;
  /** The ICB a trust belongs to; null for an ICB itself. */
  icbCode: OrgCode | null;
  openDate: CalendarDate;
  closeDate: CalendarDate | null;
}

export function isProvider(org: Pick<Organisation, "kind">): boolean {
  return org.kind !== "icb";
}

/** Organisations merge and close: an "as at" view sees only those open on that day. */
export function isOpenOn(
  org: Pick<Organisation, "openDate" | "closeDate">,
  date: CalendarDate,
): boolean {
  return org.openDate <= date && (org.closeDate === null || date <= org.closeDate);
}
