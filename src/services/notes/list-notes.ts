/** An organisation's notes, only those at or below the reader's clearance (DOMAIN §12). */
import { findNotes, type NoteRecord } from "../../store/notes.js";
import { authorise, maySee, type WorkflowActor } from "../authorise.js";
import type { ServiceContext } from "../context.js";
import { orgCodeArgument } from "../input-schemas.js";

export async function listNotes(
  ctx: ServiceContext,
  actor: WorkflowActor,
  orgCode: string,
): Promise<NoteRecord[]> {
  orgCodeArgument(orgCode);
  await authorise(ctx, actor, "note:read", { type: "note", org_code: orgCode });
  const notes = await findNotes(ctx.db, orgCode);
  return notes.filter((n) => maySee(actor, n.confidentiality));
}
