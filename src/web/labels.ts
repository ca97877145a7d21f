import type { OrgKind, Sector } from "../domain/organisations/organisation.js";

export const KIND_LABELS: Record<OrgKind, string> = {
  nhs_trust: "NHS trust",
  foundation_trust: "NHS foundation trust",
  icb: "Integrated care board",
};

export const SECTOR_LABELS: Record<Sector, string> = {
  acute: "Acute",
  mental_health: "Mental health",
  community: "Community",
  mental_health_and_community: "Mental health and community",
  ambulance: "Ambulance",
  specialist: "Specialist",
};
