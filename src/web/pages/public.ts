/**
 * The public site (SOF §4, DOMAIN §12): every organisation's published segment, for segments 2–4
 * the short summary of reasons and support, search, and open-data downloads stamped with the
 * date they are as at. Built only from `publishedSegmentation`, which reads public-level content
 * alone; these routes never look at who is asking.
 */
import { stringify } from "csv-stringify/sync";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { NotFoundError } from "../../services/errors.js";
import { currentStamp } from "../../services/result-cache.js";
import { nationalPicture, tablesAsOf } from "../../services/national-picture.js";
import { publishedSegmentation, type PublishedSegment } from "../../services/segmentation.js";
import { KIND_LABELS, SECTOR_LABELS } from "../labels.js";
import { sendKept, type KeptAnswer } from "./kept-answer.js";
import { calendarDate, optionalText, orgCode, parseInput } from "./query.js";
import { isStaff, renderHtml, viewerOrNull, type PageOptions } from "./render.js";

const PublicQuery = z
  .object({
    as_of: calendarDate.optional(),
    q: optionalText,
    segment: z
      .enum(["1", "2", "3", "4", "5", "none", ""])
      .optional()
      .transform((s) => (s === "" ? undefined : s)),
    page: z.coerce.number().int().min(1).max(10_000).optional(),
  })
  .strict();

/** Rows on a page of the public list: a page a phone loads quickly, search for the rest. */
const PAGE_SIZE = 50;

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
  "rationale",
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

type Answer = KeptAnswer;

/**
 * Publication day: a public answer is the same for every visitor until the data changes, so each
 * is kept per data stamp (services/result-cache.ts `currentStamp`, re-read after any write, so a decision
 * shows at once), address, "today", and whether the header shows staff navigation. A new stamp
 * drops them all. Errors are never kept.
 */
class PublicAnswers {
  private stamp = "";
  private readonly answers = new Map<string, Answer>();
  constructor(private readonly capacity: number) {}

  async get(stamp: string, key: string, produce: () => Promise<Answer>): Promise<Answer> {
    if (stamp !== this.stamp) {
      this.answers.clear();
      this.stamp = stamp;
    }
    const kept = this.answers.get(key);
    if (kept) return kept;
    const answer = await produce();
    if (this.stamp === stamp) {
      if (this.answers.size >= this.capacity)
        this.answers.delete(this.answers.keys().next().value!);
      this.answers.set(key, answer);
    }
    return answer;
  }
}

export function publicPages(app: FastifyInstance, options: PageOptions): void {
  const { ctx, today } = options;
  const kept = new PublicAnswers(512);

  async function answer(
    request: FastifyRequest,
    reply: FastifyReply,
    produce: () => Promise<Answer>,
  ): Promise<FastifyReply> {
    const viewer = viewerOrNull(request);
    // The page frame names a signed-in viewer: kept per staff user, one copy for the public.
    const who = viewer && isStaff(viewer) ? `staff:${viewer.user}` : "public";
    const key = `${who} ${today()} ${request.url}`;
    return sendKept(request, reply, await kept.get(await currentStamp(ctx), key, produce));
  }
  const page = (request: FastifyRequest, view: string, data: Record<string, unknown>): Answer => ({
    type: "text/html; charset=utf-8",
    body: renderHtml(options, request, view, data),
  });

  app.get("/public", (request, reply) =>
    answer(request, reply, async () => {
      const query = parseInput(PublicQuery, request.query);
      const published = await publishedSegmentation(ctx, query.as_of ?? today());
      const organisations = published.organisations.filter((o) =>
        matches(o, query.q, query.segment),
      );
      const counts = [1, 2, 3, 4, 5].map(
        (s) => published.organisations.filter((o) => o.segment === s).length,
      );
      const pages = Math.max(1, Math.ceil(organisations.length / PAGE_SIZE));
      const current = Math.min(query.page ?? 1, pages);
      const link = (n: number) => {
        const params = new URLSearchParams();
        if (query.as_of) params.set("as_of", query.as_of);
        if (query.q) params.set("q", query.q);
        if (query.segment) params.set("segment", query.segment);
        if (n > 1) params.set("page", String(n));
        const text = params.toString();
        return text ? `/public?${text}` : "/public";
      };
      // requirements §13: the national picture under the framework in force on the date, first.
      const date = query.as_of ?? today();
      const leagues = tablesAsOf(nationalPicture(ctx), date).map((t) => ({
        table: t,
        counts: [1, 2, 3, 4, 5].map((s) => t.rows.filter((r) => r.final_segment === s).length),
      }));
      return page(request, "pages/public-index.njk", {
        title: current > 1 ? `Published segments, page ${current}` : "Published segments",
        framework: ctx.frameworks.inForceOn(date) ?? null,
        leagues,
        asAt: published.as_at,
        organisations: organisations.slice((current - 1) * PAGE_SIZE, current * PAGE_SIZE),
        matching: organisations.length,
        from: organisations.length ? (current - 1) * PAGE_SIZE + 1 : 0,
        pagination:
          pages > 1
            ? {
                items: Array.from({ length: pages }, (_, i) => ({
                  number: i + 1,
                  href: link(i + 1),
                  current: i + 1 === current,
                })),
                ...(current > 1 ? { previous: { href: link(current - 1) } } : {}),
                ...(current < pages ? { next: { href: link(current + 1) } } : {}),
              }
            : null,
        total: published.organisations.length,
        counts,
        notPublished: published.organisations.filter((o) => o.segment === null).length,
        query,
      });
    }),
  );

  app.get<{ Params: { code: string } }>("/public/organisations/:code", (request, reply) =>
    answer(request, reply, async () => {
      const code = parseInput(orgCode, request.params.code);
      const { as_of } = parseInput(AsOfOnly, request.query);
      const published = await publishedSegmentation(ctx, as_of ?? today());
      const organisation = published.organisations.find((o) => o.code === code);
      if (!organisation)
        throw new NotFoundError(`No organisation ${code} is open on ${published.as_at}.`);
      return page(request, "pages/public-organisation.njk", {
        title: organisation.name,
        asAt: published.as_at,
        organisation,
      });
    }),
  );

  app.get("/public/data", (request, reply) =>
    answer(request, reply, async () => {
      const { as_of } = parseInput(AsOfOnly, request.query);
      return page(request, "pages/public-data.njk", {
        title: "Open data",
        asAt: as_of ?? today(),
        columns: OPEN_DATA_COLUMNS,
      });
    }),
  );

  app.get("/public/segmentation.json", (request, reply) =>
    answer(request, reply, async () => {
      const { as_of } = parseInput(AsOfOnly, request.query);
      const published = await publishedSegmentation(ctx, as_of ?? today());
      return {
        type: "application/json; charset=utf-8",
        body: JSON.stringify(published),
        filename: `segmentation-${published.as_at}.json`,
      };
    }),
  );

  app.get("/public/segmentation.csv", (request, reply) =>
    answer(request, reply, async () => {
      const { as_of } = parseInput(AsOfOnly, request.query);
      const published = await publishedSegmentation(ctx, as_of ?? today());
      const rows = published.organisations.map((o) => ({
        ...o,
        as_at: published.as_at,
        kind: KIND_LABELS[o.kind],
        sector: o.sector ? SECTOR_LABELS[o.sector] : "",
        rationale: o.rationale ?? "",
        reasons: o.reasons.join("; "),
      }));
      return {
        type: "text/csv; charset=utf-8",
        body: stringify(rows, { header: true, columns: [...OPEN_DATA_COLUMNS] }),
        filename: `segmentation-${published.as_at}.csv`,
      };
    }),
  );
}
