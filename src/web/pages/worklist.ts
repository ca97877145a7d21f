/**
 * The worklist (staff, DOMAIN §7): reviews due for a region or ICB with their triggers and
 * deadlines, from the review schedule service. A viewer whose scope is a region or an ICB sees
 * theirs by default.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { nationalPicture, tablesAsOf } from "../../services/national-picture.js";
import { reviewsDueFor } from "../../services/reviews.js";
import { listOrganisations } from "../../services/organisations.js";
import { calendarDate, orgCode, parseInput } from "./query.js";
import { renderPage, staffViewer, type PageOptions } from "./render.js";

const WorklistQuery = z
  .object({
    as_of: calendarDate.optional(),
    region: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z
        .string()
        .regex(/^[A-Z0-9]{3}$/, "must be a region code")
        .optional(),
    ),
    icb: z.preprocess((v) => (v === "" ? undefined : v), orgCode.optional()),
  })
  .strict();

export function worklistPages(app: FastifyInstance, options: PageOptions): void {
  const { ctx, today } = options;
  app.get("/worklist", async (request, reply) => {
    const viewer = staffViewer(request);
    const query = parseInput(WorklistQuery, request.query);
    const asOf = query.as_of ?? today();
    const organisations = await listOrganisations(ctx, asOf);
    const regions = [...new Map(organisations.map((o) => [o.region, o.regionName])).entries()];
    const icbs = organisations.filter((o) => o.kind === "icb").map((o) => [o.code, o.name]);
    // The viewer's own region or ICB unless they chose; national viewers see everything.
    const ownRegion = regions.some(([code]) => code === viewer.scope) ? viewer.scope : undefined;
    const ownIcb = icbs.some(([code]) => code === viewer.scope) ? viewer.scope : undefined;
    const chosen = query.region !== undefined || query.icb !== undefined;
    const region = chosen ? query.region : ownRegion;
    const icb = chosen ? query.icb : ownIcb;
    // requirements §6: the schedule as the viewer may see it (refused to roles not entitled to it).
    const schedule = await reviewsDueFor(ctx, viewer, { asOf, region, icb });
    // requirements §13: NOF 2025/26 segment changes below the significance threshold are reviewed
    // individually rather than made automatically (docs/national-picture.md §Significance).
    const regionName = region ? regions.find(([code]) => code === region)?.[1] : undefined;
    const individualReviews = tablesAsOf(nationalPicture(ctx), asOf).flatMap((table) =>
      table.rows
        .filter(
          (r) =>
            r.change?.verdict === "for_review" &&
            (!regionName || r.region === regionName) &&
            (!icb || r.icb_code === icb),
        )
        .map((row) => ({ table, row })),
    );
    return renderPage(options, request, reply, "pages/worklist.njk", {
      title: "Worklist: reviews due",
      individualReviews,
      asOf,
      schedule,
      region,
      icb,
      regions,
      icbs,
      regionNames: Object.fromEntries(regions),
      icbNames: Object.fromEntries(icbs),
      overdue: schedule.reviews.filter((r) => r.overdue).length,
    });
  });
}
