/**
 * Use case: the intelligence held about an organisation (DOMAIN §8, §12) — only the items the
 * actor may see at their confidentiality (authorise.ts `maySee`), received on or before the date.
 */
import type { Confidentiality } from "../domain/access/policy.js";
import type { CalendarDate } from "../domain/shared/dates.js";
import { authorise, maySee, type WorkflowActor } from "./authorise.js";
import type { ServiceContext } from "./context.js";

export interface IntelligenceItem {
  id: string;
  received_on: string;
  source: string;
  category: string;
  summary: string;
  confidentiality: Confidentiality;
}

export async function listIntelligence(
  ctx: ServiceContext,
  actor: WorkflowActor,
  orgCode: string,
  asOf: CalendarDate,
): Promise<IntelligenceItem[]> {
  await authorise(ctx, actor, "note:read", { type: "intelligence", org_code: orgCode });
  const items = await ctx.db.query<IntelligenceItem>(
    `SELECT id::text AS id, received_on, source, category, summary, confidentiality
       FROM intelligence
      WHERE superseded_at IS NULL AND org_code = $1 AND received_on <= $2
      ORDER BY received_on DESC, id DESC`,
    [orgCode, asOf],
  );
  return items.filter((i) => maySee(actor, i.confidentiality));
}
