/**
 * Use cases of the audit log (requirements §4, DOMAIN §12): read the events, and verify the hash chain
 * end to end, naming the first broken link.
 */
import type { AuditEvent, ChainAnchor, ChainVerdict } from "../domain/workflow/audit-chain.js";
import {
  auditReport,
  readAuditEvents,
  verifyAuditChain,
  type AnchorUsed,
  type AuditReport,
} from "../store/audit.js";
import { authorise, type WorkflowActor } from "./authorise.js";
import type { ServiceContext } from "./context.js";

/** The chain checked end to end and against the anchors found; with `anchor`, that one too. */
export async function verifyAudit(
  ctx: ServiceContext,
  actor: WorkflowActor,
  anchor?: ChainAnchor,
): Promise<ChainVerdict> {
  await authorise(ctx, actor, "audit:read", { type: "audit" });
  return verifyAuditChain(ctx.db, anchor);
}

/**
 * The chain checked end to end against every anchor found (docs/audit.md), with which anchors
 * and which key were used; with `deep`, each recorded row hash against the tables.
 */
export async function checkAudit(
  ctx: ServiceContext,
  actor: WorkflowActor,
  options: { given?: AnchorUsed; deep?: boolean } = {},
): Promise<AuditReport> {
  await authorise(ctx, actor, "audit:read", { type: "audit" });
  return auditReport(ctx.db, options);
}

export async function listAuditEvents(
  ctx: ServiceContext,
  actor: WorkflowActor,
  filter: { entity_type?: string; entity_id?: string } = {},
): Promise<AuditEvent[]> {
  await authorise(ctx, actor, "audit:read", { type: "audit" });
  return readAuditEvents(ctx.db, filter);
}
