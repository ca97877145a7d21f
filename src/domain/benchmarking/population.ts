/**
 * Comparison populations. A metric's `comparison` in the framework says whom an organisation is
 * ranked among: `national` — every reporting organisation of its level (trusts with trusts, ICBs
 * with ICBs) whatever the sector — or `peer_group` — the organisations of its peer group (kind
 * and sector). Which organisations a metric applies to, and the peer groups, are framework data.
 */
import type { Framework, FrameworkMetric, PeerGroup } from "../frameworks/schema.js";
import { isProvider, type OrgKind, type Organisation } from "../organisations/organisation.js";

export type Comparison = FrameworkMetric["comparison"];

/** A comparison population: the same id means the same set of organisations. */
export interface Population {
  /** `national:<kinds>` or `peer_group:<peer group id>`. */
  id: string;
  comparison: Comparison;
  /** How a sentence names it: "nationally (NHS trusts and foundation trusts)" or a peer group name. */
  name: string;
  /** The organisation kinds it covers. */
  kinds: OrgKind[];
  /** The peer group, for `peer_group` comparisons. */
  peer_group: string | null;
}

type OrgProfile = Pick<Organisation, "kind" | "sector">;

/**
 * Does the metric apply to the organisation? An empty list means all; sectors constrain
 * providers only, so an ICB (which has no sector) is matched by kind (framework files' note).
 */
export function metricAppliesTo(metric: FrameworkMetric, org: OrgProfile): boolean {
  const { kinds, sectors } = metric.applies_to;
  if (kinds.length > 0 && !kinds.includes(org.kind)) return false;
  if (!isProvider(org) || sectors.length === 0) return true;
  return org.sector !== null && sectors.includes(org.sector);
}

/** The first peer group, in framework order, whose kinds and sectors include the organisation. */
export function peerGroupOf(framework: Framework, org: OrgProfile): PeerGroup | undefined {
  return framework.peer_groups.find(
    (group) =>
      group.kinds.includes(org.kind) &&
      (group.sectors.length === 0 || (org.sector !== null && group.sectors.includes(org.sector))),
  );
}

const KIND_NAMES: Record<OrgKind, string> = {
  nhs_trust: "NHS trusts",
  foundation_trust: "foundation trusts",
  icb: "ICBs",
};

/**
 * The organisation's comparison population for a metric. Nationally means among the kinds of
 * organisation its peer group covers (an ICB is not ranked against trusts), in every sector; an
 * organisation in no peer group is compared with its own kind.
 */
export function populationOf(
  framework: Framework,
  metric: FrameworkMetric,
  org: OrgProfile,
): Population {
  const group = peerGroupOf(framework, org);
  if (metric.comparison === "peer_group" && group !== undefined) {
    return {
      id: `peer_group:${group.id}`,
      comparison: "peer_group",
      name: `among ${group.name.charAt(0).toLowerCase()}${group.name.slice(1)}`,
      kinds: [...group.kinds].sort(),
      peer_group: group.id,
    };
  }
  const kinds = [...new Set(group?.kinds ?? [org.kind])].sort();
  return {
    id: `national:${kinds.join("+")}`,
    comparison: "national",
    name: `nationally among ${kinds.map((kind) => KIND_NAMES[kind]).join(" and ")}`,
    kinds,
    peer_group: null,
  };
}
