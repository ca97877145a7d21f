/**
 * The authorisation hook of the workflow services: every use case names its actor and asks
 * `authorise(actor, action, resource)` before it reads or writes. For now it refuses only what
 * is structural — the public and anonymous actors change nothing — and the access issue fills in
 * the matrix (who may do what, in which region or system) behind this one function.
 */
import type { Confidentiality } from "../ingest/bundle.js";
import { ForbiddenError } from "./errors.js";

export const WORKFLOW_ROLES = [
  "national",
  "regional",
  "icb",
  "trust",
  "cqc",
  "public",
  "system",
] as const;
export type WorkflowRole = (typeof WORKFLOW_ROLES)[number];

/** Who is acting: a named user, their role, and the scope they act in (`national`, a region code, an ICB or organisation code). */
export interface WorkflowActor {
  user: string;
  role: WorkflowRole;
  scope: string;
}

export type WorkflowAction =
  | "recommendation:create"
  | "recommendation:submit"
  | "recommendation:withdraw"
  | "recommendation:consider"
  | "recommendation:read"
  | "decision:record"
  | "segment:read"
  | "note:create"
  | "note:update"
  | "note:read"
  | "audit:read"
  | "judgement:record"
  | "enforcement:record"
  | "enforcement:read";

export interface WorkflowResource {
  type:
    | "recommendation"
    | "decision"
    | "segment_history"
    | "note"
    | "audit"
    | "judgement"
    | "enforcement_event";
  org_code?: string;
  id?: string;
}

const READS: ReadonlySet<WorkflowAction> = new Set([
  "recommendation:read",
  "segment:read",
  "note:read",
  "enforcement:read",
]);

/** Throws ForbiddenError when `actor` may not take `action` on `resource`. */
export function authorise(
  actor: WorkflowActor,
  action: WorkflowAction,
  resource: WorkflowResource,
): void {
  const target = `${resource.type}${resource.id ? ` ${resource.id}` : ""}${resource.org_code ? ` of ${resource.org_code}` : ""}`;
  if (actor.user.trim() === "")
    throw new ForbiddenError(`${action} on ${target} needs a named user`);
  if (actor.role === "public" && !READS.has(action))
    throw new ForbiddenError(`${action} on ${target}: the public may only read what is published`);
}

/** Whether `actor` may see material marked `level`: for now, the public sees only what is public. */
export function maySee(actor: WorkflowActor, level: Confidentiality): boolean {
  return actor.role !== "public" || level === "public";
}

/** The actor as the audit log records it. */
export function auditActor(actor: WorkflowActor): { user: string; role: string; scope: string } {
  return { user: actor.user, role: actor.role, scope: actor.scope };
}
