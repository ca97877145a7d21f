/**
 * Enforcement events (DOMAIN §10, NHS Enforcement Guidance, seed 004): the steps and outcomes of
 * enforcement action against a provider or ICB, as recorded facts. Each one triggers an immediate
 * review of the organisation's segment (DOMAIN §7). The cases that tie them together, with their
 * statutory clocks, build on these records.
 */
export const ENFORCEMENT_EVENT_KINDS = [
  "informal_action",
  "undertakings_accepted",
  "undertakings_breached",
  "notice_of_intent",
  "final_notice",
  "discretionary_requirement",
  "non_compliance_penalty",
  "direction",
  "additional_licence_condition",
  "special_licence_condition",
  "licence_revocation",
] as const;
export type EnforcementEventKind = (typeof ENFORCEMENT_EVENT_KINDS)[number];

/** What each kind is, in a sentence's words, and where the guidance gives it. */
export const ENFORCEMENT_EVENT_LABELS: Record<
  EnforcementEventKind,
  { label: string; citation: string }
> = {
  informal_action: { label: "informal action", citation: "DOMAIN §10" },
  undertakings_accepted: { label: "undertakings accepted", citation: "DOMAIN §10 (s106)" },
  undertakings_breached: { label: "undertakings breached", citation: "DOMAIN §10" },
  notice_of_intent: {
    label: "notice of intent to impose a discretionary requirement",
    citation: "DOMAIN §10 (s105 procedure)",
  },
  final_notice: { label: "final notice", citation: "DOMAIN §10 (s105 procedure)" },
  discretionary_requirement: {
    label: "discretionary requirement imposed",
    citation: "DOMAIN §10 (s105)",
  },
  non_compliance_penalty: { label: "non-compliance penalty", citation: "DOMAIN §10" },
  direction: { label: "direction given", citation: "DOMAIN §10 (s14Z61 ICBs, s27B NHS trusts)" },
  additional_licence_condition: {
    label: "additional governance licence condition",
    citation: "DOMAIN §10 (s111, foundation trusts)",
  },
  special_licence_condition: { label: "special licence condition", citation: "DOMAIN §10" },
  licence_revocation: { label: "licence revoked", citation: "DOMAIN §10" },
};

/**
 * How a review names the event: its kind and reference, never its free-text summary, which may
 * be confidential (review lists go to everyone who may see the organisation's schedule).
 */
export function enforcementEventTitle(
  kind: EnforcementEventKind,
  reference: string | null,
): string {
  const { label } = ENFORCEMENT_EVENT_LABELS[kind];
  return reference ? `${label} (${reference})` : label;
}
