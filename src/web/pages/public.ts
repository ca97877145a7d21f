/**
 * The public site (SOF §4, DOMAIN §12): every organisation's published segment, for segments 2–4
 * the short summary of reasons and support, search, and open-data downloads stamped with the
 * date they are as at. Built only from `publishedSegmentation`, which reads public-level content
 * alone; these routes never look at who is asking.
 */
import { stringify } from "csv-stringify/sync";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { NotFoundError } from "../../services/errors.js";
import { publishedSegmentation, type PublishedSegment } from "../../services/segmentation.js";
import { KIND_LABELS, SECTOR_LABELS } from "../labels.js";
import { calendarDate, optionalText, orgCode, parseInput } from "./query.js";
import { renderPage, type PageOptions } from "./render.js";

const PublicQuery = z
  .object({
    as_of: calendarDate.optional(),
    q: optionalText,
    segment: z
      .enum(["1", "2", "3", "4", "5", "none", ""])
      .optional()
      .transform((s) => (s === "" ? undefined : s)),
  })
  .strict();

const AsOfOnly = z.object({ as_of: calendarDate.optional() }).strict();

export const OPEN_DATA_COLUMNS = [
  "as_at",
  "code",
  "name",
  "kind",
  "sector",
  "region",
  "region_name",
  "icb_code",
  "icb_name",
  "segment",
  "segment_name",
  "segment_from",
  "decided_by",
  "framework",
  "reasons",
  "support",
] as const;

function matches(o: PublishedSegment, q: string | undefined, segment: string | undefined) {
  if (q) {
    const needle = q.toLowerCase();
    if (!o.name.toLowerCase().includes(needle) && o.code.toLowerCase() !== needle) return false;
  }
  if (segment === "none") return o.segment === null;
  if (segment) return o.segment === Number(segment);
  return true;
}

export function publicPages(app: FastifyInstance, options: PageOptions): void {
  const { ctx, today } = options;

  app.get("/public", async (request, reply) => {
    const query = parseInput(PublicQuery, request.query);
    const asOf = query.as_of ?? today();
    const published = await publishedSegmentation(ctx, asOf);
    const organisations = published.organisations.filter((o) => matches(o, query.q, query.segment));
    const counts = [1, 2, 3, 4, 5].map(
      (s) => published.organisations.filter((o) => o.segment === s).length,
    );
    return renderPage(options, request, reply, "pages/public-index.njk", {
      title: "Published segments",
      asAt: published.as_at,
      organisations,
      total: published.organisations.length,
      counts,
      notPublished: published.organisations.filter((o) => o.segment === null).length,
      query,
    });
  });

  app.get<{ Params: { code: string } }>("/public/organisations/:code", async (request, reply) => {
    const code = parseInput(orgCode, request.params.code);
    const { as_of } = parseInput(AsOfOnly, request.query);
    const published = await publishedSegmentation(ctx, as_of ?? today());
    const organisation = published.organisations.find((o) => o.code === code);
    if (!organisation)
      throw new NotFoundError(`No organisation ${code} is open on ${published.as_at}.`);
    return renderPage(options, request, reply, "pages/public-organisation.njk", {
      title: organisation.name,
      asAt: published.as_at,
      organisation,
    });
  });

  app.get("/public/data", async (request, reply) => {
    const { as_of } = parseInput(AsOfOnly, request.query);
    return renderPage(options, request, reply, "pages/public-data.njk", {
      title: "Open data",
      asAt: as_of ?? today(),
      columns: OPEN_DATA_COLUMNS,
    });
  });

  app.get("/public/segmentation.json", async (request, reply) => {
    const { as_of } = parseInput(AsOfOnly, request.query);
    const published = await publishedSegmentation(ctx, as_of ?? today());
    return reply
      .header("content-disposition", `attachment; filename="segmentation-${published.as_at}.json"`)
      .type("application/json; charset=utf-8")
      .send(JSON.stringify(published));
  });

  app.get("/public/segmentation.csv", async (request, reply) => {
    const { as_of } = parseInput(AsOfOnly, request.query);
    const published = await publishedSegmentation(ctx, as_of ?? today());
    const rows = published.organisations.map((o) => ({
      ...o,
      as_at: published.as_at,
      kind: KIND_LABELS[o.kind],
      sector: o.sector ? SECTOR_LABELS[o.sector] : "",
      reasons: o.reasons.join("; "),
    }));
    const csv = stringify(rows, { header: true, columns: [...OPEN_DATA_COLUMNS] });
    return reply
      .header("content-disposition", `attachment; filename="segmentation-${published.as_at}.csv"`)
      .type("text/csv; charset=utf-8")
      .send(csv);
  });
}
