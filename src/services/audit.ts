/**
 * Use cases of the audit log (Issue 4, DOMAIN §12): read the events, and verify the hash chain
 * end to end, naming the first broken link.
 */
import type { AuditEvent, ChainAnchor, ChainVerdict } from "../domain/workflow/audit-chain.js";
import { readAuditEvents, verifyAuditChain } from "../store/audit.js";
import { authorise, type WorkflowActor } from "./authorise.js";
import type { ServiceContext } from "./context.js";

/** The chain checked end to end; with `anchor`, also against a head published earlier. */
export async function verifyAudit(
  ctx: ServiceContext,
  actor: WorkflowActor,
  anchor?: ChainAnchor,
): Promise<ChainVerdict> {
  await authorise(ctx, actor, "audit:read", { type: "audit" });
  return verifyAuditChain(ctx.db, anchor);
}

export async function listAuditEvents(
  ctx: ServiceContext,
  actor: WorkflowActor,
  filter: { entity_type?: string; entity_id?: string } = {},
): Promise<AuditEvent[]> {
  await authorise(ctx, actor, "audit:read", { type: "audit" });
  return readAuditEvents(ctx.db, filter);
}
