/**
 * The authorisation hook of every use case (requirements §6): a service names its actor and awaits
 * `authorise(ctx, actor, action, resource)` before it reads or writes. The decision is the
 * matrix in src/domain/access/policy.ts (role × scope × action, as data); this file resolves
 * where the organisation concerned sits in the registry, and writes each refusal to the
 * hash-chained audit log before throwing ForbiddenError. The CLI, the API and the pages all
 * come through here.
 */
import {
  ACCESS_MATRIX,
  decideAccess,
  CONFIDENTIALITY_LEVELS,
  maySee as levelVisible,
  maySitOn,
  mayPublish,
  ROLES,
  type Action,
  type Actor,
  type Confidentiality,
  type Placement,
  type Role,
} from "../domain/access/policy.js";
import type { DecisionBody } from "../domain/workflow/index.js";
import { inAuditedTransaction } from "../store/audit.js";
import { allPlacements, findPlacement } from "../store/organisations.js";
import type { ServiceContext } from "./context.js";
import { ForbiddenError, InvalidInputError, NotFoundError } from "./errors.js";

export type { Action, Actor, Role } from "../domain/access/policy.js";
/** The workflow services' name for the actor (requirements §4). */
export type WorkflowActor = Actor;
export type WorkflowAction = Action;
export const USER_ROLES = ROLES;

/** The unauthenticated caller. */
export const PUBLIC_ACTOR: Actor = { user: "public", role: "public", scope: "national" };

export interface Resource {
  type: string;
  /** The organisation the action concerns, when it concerns one. */
  org_code?: string;
  /**
   * A region a list is filtered to (docs/access.md: one rule for every filter): within the
   * scope of national roles and of that region's own roles only.
   */
  region?: string;
  id?: string;
}
export type WorkflowResource = Resource;

/** Where `code` sits in the registry (its current revision), or null if it is unknown. */
export async function placementOf(ctx: ServiceContext, code: string): Promise<Placement | null> {
  return findPlacement(ctx.db, code);
}

/** Records a refusal in the audit log (requirements §6: permission denials are audited). */
async function auditDenial(
  ctx: ServiceContext,
  actor: Actor,
  action: string,
  resource: Resource,
  reason: string,
): Promise<void> {
  await inAuditedTransaction(ctx.db, async (_tx, audit) => {
    await audit({
      actor: auditActor(actor),
      action: "access.denied",
      entity_type: resource.type,
      entity_id: resource.id ?? resource.org_code ?? "",
      before: null,
      after: {
        attempted: action,
        ...(resource.org_code ? { org_code: resource.org_code } : {}),
        reason,
      },
    });
  });
}

/**
 * What the caller is told of a record that does not exist: a record outside the caller's scope or
 * clearance gets exactly this answer too (requirements §20: a refusal reveals nothing). A decision is
 * asked for by its recommendation's id.
 */
export function missingRecord(resource: Resource): NotFoundError {
  const noun = resource.type === "decision" ? "recommendation" : resource.type;
  return new NotFoundError(`no ${noun} ${resource.id}`);
}

/** Audits the refusal, then throws ForbiddenError with the reason. */
export async function refuse(
  ctx: ServiceContext,
  actor: Actor,
  action: string,
  resource: Resource,
  reason: string,
): Promise<never> {
  await auditDenial(ctx, actor, action, resource, reason);
  const target = `${resource.type}${resource.id ? ` ${resource.id}` : ""}${resource.org_code ? ` of ${resource.org_code}` : ""}`;
  throw new ForbiddenError(`${action} on ${target} refused: ${reason}`);
}

/**
 * Whether `actor` may take `action` on `orgCode`, without refusing or auditing anything: for a
 * page that shows each section only to those entitled to it, rather than asking and being refused.
 */
export async function permitted(
  ctx: ServiceContext,
  actor: Actor,
  action: Action,
  orgCode?: string,
): Promise<boolean> {
  const placement = orgCode ? await placementOf(ctx, orgCode) : null;
  return decideAccess(actor, action, placement).allowed;
}

/** Throws ForbiddenError (and audits the refusal) when `actor` may not take `action` on `resource`. */
export async function authorise(
  ctx: ServiceContext,
  actor: Actor,
  action: Action,
  resource: Resource,
): Promise<void> {
  const placement = resource.org_code
    ? await placementOf(ctx, resource.org_code)
    : resource.region
      ? { code: resource.region, region: resource.region, icb_code: null }
      : null;
  const verdict = decideAccess(actor, action, placement);
  if (verdict.allowed) return;
  // A record outside the scope: audited, and answered as if it did not exist.
  if (verdict.outOfScope && resource.id !== undefined && resource.org_code !== undefined) {
    await auditDenial(ctx, actor, action, resource, verdict.reason);
    throw missingRecord(resource);
  }
  await refuse(ctx, actor, action, resource, verdict.reason);
}

/** Throws ForbiddenError (audited) unless `actor` sits on `body` for the organisation `orgCode`. */
export async function authoriseBody(
  ctx: ServiceContext,
  actor: Actor,
  body: DecisionBody,
  orgCode: string,
  resource: Resource,
): Promise<void> {
  const placement = await placementOf(ctx, orgCode);
  const verdict = placement
    ? maySitOn(actor, body, placement)
    : { allowed: false as const, reason: `no organisation ${orgCode}` };
  if (!verdict.allowed)
    await refuse(ctx, actor, `decision:record as ${body}`, resource, verdict.reason);
}

/**
 * A predicate over organisation codes: those within `actor`'s scope, for filtering a list the
 * actor was allowed to ask for (an `in` role sees only its region, system or organisation).
 */
export async function scopeFilter(
  ctx: ServiceContext,
  actor: Actor,
  action: Action,
): Promise<(orgCode: string) => boolean> {
  const placements = await allPlacements(ctx.db);
  const byCode = new Map(placements.map((p) => [p.code, p]));
  return (orgCode) => {
    const p = byCode.get(orgCode);
    // A row of an organisation the registry does not hold is in no region: national roles only.
    return p ? decideAccess(actor, action, p).allowed : ACCESS_MATRIX[action][actor.role] === "any";
  };
}

/** Whether `actor` may see material marked `level` (CLEARANCE in the policy). */
export function maySee(actor: Actor, level: Confidentiality): boolean {
  return levelVisible(actor, level);
}

/**
 * Refuses, audited, to write something marked `level` that the actor could not read back: no one
 * files or moves material above their own clearance.
 */
export async function authoriseLevel(
  ctx: ServiceContext,
  actor: Actor,
  action: string,
  resource: Resource,
  level: Confidentiality,
): Promise<void> {
  if (maySee(actor, level)) return;
  const reason = `the ${actor.role} role may not mark a ${resource.type} ${level}, a level it cannot read`;
  await auditDenial(ctx, actor, action, resource, reason);
  // requirements §20: an existing record above the clearance is answered as missing; a new one is told
  // only the levels the caller may use, as for any value out of its choices.
  if (resource.id !== undefined) throw missingRecord(resource);
  const allowed = CONFIDENTIALITY_LEVELS.filter((l) => maySee(actor, l));
  throw new InvalidInputError(`confidentiality: must be one of ${allowed.join(", ")}`, [
    { path: "confidentiality", message: `must be one of ${allowed.join(", ")}` },
  ]);
}

/**
 * Refuses, audited, to lower a note's confidentiality unless the actor is of the organisation
 * that wrote it or national oversight (requirements §20, `mayPublish`).
 */
export async function authorisePublishing(
  ctx: ServiceContext,
  actor: Actor,
  resource: Resource,
  author: string,
): Promise<void> {
  const [account] = await ctx.db.query<{ role: Role; scope: string }>(
    "SELECT role, scope FROM users WHERE username = $1",
    [author],
  );
  const verdict = mayPublish(actor, account ?? null);
  if (!verdict.allowed) await refuse(ctx, actor, "note:publish", resource, verdict.reason);
}

/** The actor as the audit log records it. */
export function auditActor(actor: Actor): { user: string; role: Role; scope: string } {
  return { user: actor.user, role: actor.role, scope: actor.scope };
}
