/**
 * Use cases of the audit log (Issue 4, DOMAIN §12): read the events, and verify the hash chain
 * end to end, naming the first broken link.
 */
import type { AuditEvent, ChainVerdict } from "../domain/workflow/audit-chain.js";
import { readAuditEvents, verifyAuditChain } from "../store/audit.js";
import { authorise, type WorkflowActor } from "./authorise.js";
import type { ServiceContext } from "./context.js";

export async function verifyAudit(
  ctx: ServiceContext,
  actor: WorkflowActor,
): Promise<ChainVerdict> {
  await authorise(ctx, actor, "audit:read", { type: "audit" });
  return verifyAuditChain(ctx.db);
}

export async function listAuditEvents(
  ctx: ServiceContext,
  actor: WorkflowActor,
  filter: { entity_type?: string; entity_id?: string } = {},
): Promise<AuditEvent[]> {
  await authorise(ctx, actor, "audit:read", { type: "audit" });
  return readAuditEvents(ctx.db, filter);
}
