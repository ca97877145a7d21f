/**
 * NHS Oversight Framework 2025/26 league tables (staff; DOMAIN §4): per quarter and trust type,
 * rank, average score, segment, financial-override flag and every metric score, ours beside NHS
 * England's published figure where ours cannot be determined or differs.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { NotFoundError } from "../../services/errors.js";
import { leagueTables } from "../../services/league.js";
import type { Figure } from "../../services/nof-reproduce.js";
import { parseInput } from "./query.js";
import { renderPage, staffViewer, type PageOptions } from "./render.js";

const LeagueQuery = z
  .object({ table: z.coerce.number().int().min(0).max(1000).optional() })
  .strict();

/** Ours; the published figure, marked, where ours is not determined; both where they differ. */
export function figureText<T extends number | boolean>(figure: Figure<T>, digits = 2): string {
  const show = (v: T) =>
    typeof v === "boolean" ? (v ? "Yes" : "No") : digits === 0 ? String(v) : v.toFixed(digits);
  if (figure.ours === null)
    return figure.published === null ? "–" : `${show(figure.published)} (published)`;
  if (figure.agrees === false && figure.published !== null)
    return `${show(figure.ours)} (published ${show(figure.published)})`;
  return show(figure.ours);
}

export function leaguePages(app: FastifyInstance, options: PageOptions): void {
  app.get("/league", async (request, reply) => {
    staffViewer(request);
    const query = parseInput(LeagueQuery, request.query);
    const league = leagueTables(options.ctx);
    const index = query.table ?? league.tables.length - 1;
    const table = league.tables[index];
    if (!table) throw new NotFoundError(`There is no league table ${index}.`);
    return renderPage(options, request, reply, "pages/league.njk", {
      title: `League table: ${table.trust_type}, ${table.quarter}`,
      league,
      table,
      index,
      rows: table.entries.map((e) => ({
        code: e.trust_code,
        name: e.trust_name,
        rank: figureText(e.rank, 0),
        average: figureText(e.average_score),
        segment: figureText(e.final_segment, 0),
        override: figureText(e.financial_override),
        scores: table.metrics.map((m) => {
          const f = e.metric_scores[m.id];
          return f ? figureText(f) : "–";
        }),
      })),
    });
  });
}
