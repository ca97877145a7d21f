/**
 * The national overview (staff): segment counts by region, kind and sector on a date, and the
 * organisations whose segment moved since a quarter before, with why. The public are sent to
 * the public site.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import {
  movementsBetween,
  tallySegments,
  type SegmentRow,
} from "../../domain/overview/overview.js";
import { addMonths } from "../../domain/shared/dates.js";
import { segmentationOn, type Segmentation } from "../../services/segmentation.js";
import { calendarDate, parseInput } from "./query.js";
import { isStaff, renderPage, viewerOf, type PageOptions } from "./render.js";

const OverviewQuery = z.object({ as_of: calendarDate.optional() }).strict();

function rowsOf(segmentation: Segmentation): SegmentRow[] {
  return segmentation.organisations.map((r) => ({
    code: r.organisation.code,
    name: r.organisation.name,
    group: {
      region: r.organisation.region,
      kind: r.organisation.kind,
      sector: r.organisation.sector,
    },
    segment: r.segment,
  }));
}

export function overviewPages(app: FastifyInstance, options: PageOptions): void {
  const { ctx, today } = options;
  app.get("/", async (request, reply) => {
    const viewer = viewerOf(request);
    if (!isStaff(viewer)) return reply.redirect("/public", 303);
    const query = parseInput(OverviewQuery, request.query);
    const asOf = query.as_of ?? today();
    const since = addMonths(asOf, -3);
    const [now, before] = await Promise.all([
      segmentationOn(ctx, viewer, asOf),
      segmentationOn(ctx, viewer, since),
    ]);
    const rows = rowsOf(now);
    const segments = Math.max(
      4,
      ...(now.framework
        ? ctx.frameworks.get(now.framework.id)!.segments.map((s) => s.segment)
        : []),
    );
    const regionNames = Object.fromEntries(
      now.organisations.map((r) => [r.organisation.region, r.organisation.regionName]),
    );
    const byCode = new Map(now.organisations.map((r) => [r.organisation.code, r]));
    const movements = movementsBetween(rowsOf(before), rows).map((m) => {
      const r = byCode.get(m.code)!;
      return {
        ...m,
        why:
          r.decided && r.decided.effective_from > since
            ? `Decided by ${r.decided.deciding_body.toUpperCase()} from ${r.decided.effective_from} (${r.decided.decision_reference}).`
            : (r.proposed?.sentence ?? ""),
        basis: r.basis,
      };
    });
    return renderPage(options, request, reply, "pages/overview.njk", {
      title: "National overview",
      asOf,
      since,
      framework: now.framework,
      segments: Array.from({ length: segments }, (_, i) => i + 1),
      byRegion: tallySegments(rows, "region", segments),
      byKind: tallySegments(rows, "kind", segments),
      bySector: tallySegments(rows, "sector", segments),
      regionNames,
      movements,
      decidedCount: now.organisations.filter((r) => r.basis === "decided").length,
    });
  });
}
