/**
 * Who may do what (requirements §6; DOMAIN §2, §6, §12): roles, the scope each acts in, and the matrix of
 * role × action → where, as data. Pure: the service layer (src/services/authorise.ts) resolves
 * where an organisation sits and asks these functions; the CLI, the API and the pages share it.
 * docs/access.md is this file in prose, and test/access/matrix.test.ts holds the expected table.
 */
import type { DecisionBody } from "../workflow/index.js";

export const ROLES = [
  "national_oversight",
  "regional_team",
  "rsg_member",
  "prc_member",
  "icb_user",
  "trust_user",
  "cqc_user",
  "admin",
] as const;
/** A role a user account holds. */
export type UserRole = (typeof ROLES)[number];

/**
 * Every role an actor can have: a user's, `public` (no one signed in) or `system` (the local
 * operator at the command line and the start-up jobs: whoever runs the CLI holds the database).
 */
export type Role = UserRole | "public" | "system";
export const ALL_ROLES: readonly Role[] = [...ROLES, "public", "system"];

export type ScopeKind = "nation" | "region" | "icb" | "organisation";

/** The kind of scope each role is granted in: a region's team acts in a region, and so on. */
export const ROLE_SCOPE: Record<Role, ScopeKind> = {
  national_oversight: "nation",
  regional_team: "region",
  rsg_member: "region",
  prc_member: "nation",
  icb_user: "icb",
  trust_user: "organisation",
  cqc_user: "nation",
  admin: "nation",
  public: "nation",
  system: "nation",
};

export const NATION = "national";

export const ACTIONS = [
  "organisation:read",
  "framework:read",
  "segment:read",
  "segment_history:read",
  "segment:adopt",
  "assessment:read",
  "review:read",
  "recommendation:read",
  "recommendation:create",
  "recommendation:submit",
  "recommendation:withdraw",
  "recommendation:consider",
  "decision:read",
  "decision:record",
  "note:read",
  "note:create",
  "note:update",
  "judgement:read",
  "judgement:record",
  "judgement:end",
  "enforcement:read",
  "enforcement:record",
  "audit:read",
  "user:manage",
  "data:import",
  "data:export",
  "open_data:export",
] as const;
export type Action = (typeof ACTIONS)[number];

/** Actions that change nothing: all a read-only API token may do. */
export const READ_ACTIONS: ReadonlySet<Action> = new Set([
  "organisation:read",
  "framework:read",
  "segment:read",
  "segment_history:read",
  "assessment:read",
  "review:read",
  "recommendation:read",
  "decision:read",
  "note:read",
  "judgement:read",
  "enforcement:read",
  "audit:read",
  "data:export",
  "open_data:export",
]);

/**
 * Where a role may take an action: `any` organisation, only those `in` its scope, or `none`.
 * An action on no one organisation (a list) is allowed to `in` roles and its rows are then
 * filtered to the scope.
 */
export type Reach = "any" | "in" | "none";

const EVERYONE: Record<Role, Reach> = {
  national_oversight: "any",
  regional_team: "any",
  rsg_member: "any",
  prc_member: "any",
  icb_user: "any",
  trust_user: "any",
  cqc_user: "any",
  admin: "any",
  public: "any",
  system: "any",
};

/** Every oversight and partner role, each in its scope (national roles everywhere). */
const STAFF_IN_SCOPE: Record<Role, Reach> = {
  national_oversight: "any",
  regional_team: "in",
  rsg_member: "in",
  prc_member: "any",
  icb_user: "in",
  trust_user: "in",
  cqc_user: "any",
  admin: "none",
  public: "none",
  system: "any",
};

/** NHS England's deliberations: national, regional and committee roles, and the ICB's (§6 2022/23). */
const DELIBERATION: Record<Role, Reach> = {
  national_oversight: "any",
  regional_team: "in",
  rsg_member: "in",
  prc_member: "any",
  icb_user: "in",
  trust_user: "none",
  cqc_user: "none",
  admin: "none",
  public: "none",
  system: "any",
};

/**
 * NHS England's oversight roles in scope: those cleared for everything, for what quotes
 * intelligence and judgements verbatim (review triggers, assessment snapshots).
 */
const NHSE_IN_SCOPE: Record<Role, Reach> = {
  ...DELIBERATION,
  icb_user: "none",
};

/** Only the roles granted, and `system`, which may do everything. */
function nobodyBut(grants: Partial<Record<Role, Reach>>): Record<Role, Reach> {
  return {
    national_oversight: "none",
    regional_team: "none",
    rsg_member: "none",
    prc_member: "none",
    icb_user: "none",
    trust_user: "none",
    cqc_user: "none",
    admin: "none",
    public: "none",
    system: "any",
    ...grants,
  };
}

/** Proposing a change: the region for its trusts, central teams for any (DOMAIN §6). */
const RECOMMENDING = nobodyBut({ national_oversight: "any", regional_team: "in" });

/** The matrix: action × role → reach. `system` may do everything. */
export const ACCESS_MATRIX: Record<Action, Record<Role, Reach>> = {
  // Published: the registry, the framework versions, the decided segment (DOMAIN §12).
  "organisation:read": EVERYONE,
  "framework:read": EVERYONE,
  "segment:read": EVERYONE,
  // Onboarding the segments in force before Oversight: the local operator only.
  "segment:adopt": nobodyBut({}),
  // The history carries the assessment snapshot quoting judgements verbatim.
  "segment_history:read": NHSE_IN_SCOPE,
  // The engine's proposal is not published; judgement text above the reader's clearance is
  // withheld from it.
  "assessment:read": STAFF_IN_SCOPE,
  // A review's trigger quotes the intelligence item behind it, whatever its level.
  "review:read": NHSE_IN_SCOPE,
  "recommendation:read": DELIBERATION,
  "recommendation:create": RECOMMENDING,
  "recommendation:submit": RECOMMENDING,
  "recommendation:withdraw": RECOMMENDING,
  "decision:read": DELIBERATION,
  // Then the body named must be one the actor sits on (DECISION_BODY_SEATS).
  "decision:record": nobodyBut({ national_oversight: "any", rsg_member: "in", prc_member: "any" }),
  // The RSG's view before the PRC decides requiring actions (DOMAIN §6); the body named must be
  // one the actor sits on, as for a decision.
  "recommendation:consider": nobodyBut({
    national_oversight: "any",
    rsg_member: "in",
    prc_member: "any",
  }),
  // Notes and judgements: readable as far as the reader's clearance goes (CLEARANCE); the public
  // reads those marked public, of any organisation.
  "note:read": { ...STAFF_IN_SCOPE, public: "any" },
  "note:create": { ...STAFF_IN_SCOPE },
  "note:update": { ...STAFF_IN_SCOPE },
  "judgement:read": { ...STAFF_IN_SCOPE, public: "any" },
  "judgement:record": RECOMMENDING,
  "judgement:end": RECOMMENDING,
  // Enforcement events (DOMAIN §10): read as far as the reader's clearance goes, like notes;
  // recorded by the teams that run enforcement cases — the region for its trusts, and national.
  "enforcement:read": { ...STAFF_IN_SCOPE, public: "any" },
  "enforcement:record": nobodyBut({ national_oversight: "any", regional_team: "in" }),
  // The audit log holds every note's text before and after: national oversight only.
  "audit:read": nobodyBut({ national_oversight: "any" }),
  // Admin manages accounts and is not a regulator: it sees only what is public.
  "user:manage": nobodyBut({ admin: "any" }),
  "data:import": nobodyBut({ national_oversight: "any" }),
  // The full export holds confidential intelligence.
  "data:export": nobodyBut({ national_oversight: "any" }),
  "open_data:export": EVERYONE,
};

/**
 * How confidential a note, judgement, intelligence item or enforcement event is, least first
 * (DOMAIN §12): the one definition, read by the importers, the services and the pages.
 */
export const CONFIDENTIALITY_LEVELS = ["public", "official", "official_sensitive"] as const;
export type Confidentiality = (typeof CONFIDENTIALITY_LEVELS)[number];

/**
 * The most confidential level a role may read (FOI s31/s33/s36, seed 002; s109, seed 004):
 * NHS England's oversight roles everything; partners (ICB, trust, CQC) up to `official`;
 * admin and the public only what is public.
 */
export const CLEARANCE: Record<Role, Confidentiality> = {
  national_oversight: "official_sensitive",
  regional_team: "official_sensitive",
  rsg_member: "official_sensitive",
  prc_member: "official_sensitive",
  icb_user: "official",
  trust_user: "official",
  cqc_user: "official",
  admin: "public",
  public: "public",
  system: "official_sensitive",
};

/**
 * Who may record a decision as each body (DOMAIN §6): the RSG of the organisation's region; the
 * PRC; national moderation by the PRC or national oversight; the 2022/23 NHS England decision
 * with the ICB by national oversight or the region's team or RSG.
 */
export const DECISION_BODY_SEATS: Record<DecisionBody, Partial<Record<Role, Reach>>> = {
  rsg: { rsg_member: "in", system: "any" },
  prc: { prc_member: "any", system: "any" },
  national_moderation: { prc_member: "any", national_oversight: "any", system: "any" },
  nhse_with_icb: {
    national_oversight: "any",
    regional_team: "in",
    rsg_member: "in",
    system: "any",
  },
};

/** Who is acting: a named user, their role, the scope they act in, and how they came. */
export interface Actor {
  user: string;
  role: Role;
  /** `national`, a region code (Y56), an ICB code (QWE) or an organisation code (RX1). */
  scope: string;
  /** A read-only API token may only read, whatever the role. */
  readOnly?: boolean;
}

/** Where an organisation sits in the registry. */
export interface Placement {
  code: string;
  region: string;
  icb_code: string | null;
}

export function inScope(actor: Actor, org: Placement): boolean {
  switch (ROLE_SCOPE[actor.role]) {
    case "nation":
      return true;
    case "region":
      return org.region === actor.scope;
    case "icb":
      return org.code === actor.scope || org.icb_code === actor.scope;
    case "organisation":
      return org.code === actor.scope;
  }
}

export type AccessVerdict =
  | { allowed: true }
  /** `outOfScope`: the role may take the action, but not on this organisation. */
  | { allowed: false; reason: string; outOfScope?: true };

const deny = (reason: string): AccessVerdict => ({ allowed: false, reason });

function reachAllows(reach: Reach | undefined, actor: Actor, org: Placement | null): boolean {
  if (reach === "any") return true;
  if (reach !== "in") return false;
  // A list (no one organisation) is filtered to the scope afterwards.
  return org === null || inScope(actor, org);
}

/**
 * Whether `actor` may take `action` on `org` (null: on no one organisation, or on one the
 * registry does not hold — the registry is public, so the caller is then told it does not exist).
 */
export function decideAccess(actor: Actor, action: Action, org: Placement | null): AccessVerdict {
  if (actor.user.trim() === "") return deny("needs a named user");
  if (actor.readOnly && !READ_ACTIONS.has(action))
    return deny("the API token is read-only: it cannot change anything");
  const reach = ACCESS_MATRIX[action][actor.role];
  if (reach === "none") return deny(`the ${actor.role} role may not ${action.replace(":", " ")}`);
  if (!reachAllows(reach, actor, org))
    return {
      allowed: false,
      reason: `${org?.code} is outside the ${actor.role}'s scope (${actor.scope})`,
      outOfScope: true,
    };
  return { allowed: true };
}

/**
 * Who may publish (lower the confidentiality of) a note (requirements §20): national oversight (and the
 * local operator), or someone of the organisation that wrote it — NHS England's roles for a note
 * NHS England wrote, the ICB or trust for its own, the CQC for the CQC's. `author` is the author's
 * role and scope (null: not an account, written by the local operator for NHS England).
 */
export function mayPublish(
  actor: Actor,
  author: { role: Role; scope: string } | null,
): AccessVerdict {
  if (actor.role === "national_oversight" || actor.role === "system") return { allowed: true };
  const body = (who: { role: Role; scope: string }): string =>
    who.role === "icb_user" || who.role === "trust_user"
      ? `${who.role}:${who.scope}`
      : who.role === "cqc_user"
        ? "cqc"
        : "nhs_england";
  const authorBody = author ? body(author) : "nhs_england";
  if (body(actor) === authorBody) return { allowed: true };
  return deny(
    `lowering a note's confidentiality is for the organisation that wrote it or national oversight, not the ${actor.role}`,
  );
}

/** Whether `actor` may record a decision as `body` for an organisation at `org`. */
export function maySitOn(actor: Actor, body: DecisionBody, org: Placement): AccessVerdict {
  const reach = DECISION_BODY_SEATS[body][actor.role];
  if (reach === undefined || reach === "none")
    return deny(`the ${actor.role} role does not sit on ${body}`);
  if (reach === "in" && !inScope(actor, org))
    return deny(`the ${actor.role} of ${actor.scope} does not sit on ${body} for ${org.code}`);
  return { allowed: true };
}

/** Whether `actor` may read material marked `level`. */
export function maySee(actor: Actor, level: Confidentiality): boolean {
  return (
    CONFIDENTIALITY_LEVELS.indexOf(level) <= CONFIDENTIALITY_LEVELS.indexOf(CLEARANCE[actor.role])
  );
}

/** Checks that `scope` is of the kind `role` acts in (the code's existence is the store's). */
export function scopeShapeProblem(role: Role, scope: string): string | null {
  const kind = ROLE_SCOPE[role];
  if (kind === "nation")
    return scope === NATION ? null : `a ${role} acts nationally: scope must be "${NATION}"`;
  if (!/^[A-Z0-9]{3,5}$/.test(scope))
    return `a ${role} acts in one ${kind}: scope must be its code (e.g. ${kind === "region" ? "Y56" : kind === "icb" ? "QWE" : "RX1"})`;
  if (kind === "region" && !/^Y\d{2}$/.test(scope))
    return `a ${role} acts in a region: scope must be a region code such as Y56`;
  return null;
}
