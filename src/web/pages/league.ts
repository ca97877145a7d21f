/**
 * The NHS Oversight Framework 2025/26 league tables for staff (requirements §13; DOMAIN §4): every
 * trust type the national picture has on the date — the same service and the same row figures as
 * the public tables (services/national-picture.ts, `leagueRowView`) — with each trust linked to
 * its staff profile and the changes held for individual review linked to the worklist.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { decideAccess } from "../../domain/access/policy.js";
import { NotFoundError } from "../../services/errors.js";
import {
  findTable,
  firstPublishedDate,
  nationalPicture,
  tablesAsOf,
} from "../../services/national-picture.js";
import { leagueRowView } from "./public-league.js";
import { calendarDate, parseInput } from "./query.js";
import { renderPage, staffViewer, type PageOptions } from "./render.js";

const LeagueQuery = z
  .object({
    as_of: calendarDate.optional(),
    type: z
      .string()
      .regex(/^[a-z_]{1,40}$/, "not a trust type")
      .optional(),
    quarter: z
      .string()
      .regex(/^Q[1-4] \d{4}\/\d{2}$/, "a quarter such as Q1 2025/26")
      .optional(),
  })
  .strict();

export function leaguePages(app: FastifyInstance, options: PageOptions): void {
  const { ctx, today } = options;
  app.get("/league", async (request, reply) => {
    const viewer = staffViewer(request);
    const query = parseInput(LeagueQuery, request.query);
    const picture = nationalPicture(ctx);
    const date = query.as_of ?? today();
    const tables = tablesAsOf(picture, date);
    // The largest trust type first, unless one is chosen.
    const largest = [...tables].sort((a, b) => b.rows.length - a.rows.length)[0];
    const peer = query.type ?? largest?.peer_group;
    const table = peer ? findTable(picture, peer, query.quarter, date) : undefined;
    if (query.type && !picture.tables.some((t) => t.peer_group === query.type))
      throw new NotFoundError(`There is no trust type "${query.type}".`);
    if (query.quarter && !table)
      throw new NotFoundError(`There is no ${query.quarter} table for this trust type.`);
    const link = (peerGroup: string, quarter?: string) => {
      const params = new URLSearchParams({ type: peerGroup });
      if (quarter) params.set("quarter", quarter);
      else if (query.as_of) params.set("as_of", query.as_of);
      return `/league?${params.toString()}`;
    };
    return renderPage(options, request, reply, "pages/league.njk", {
      title: table
        ? `League table: ${table.trust_type}s, ${table.quarter}`
        : "League tables: none on this date",
      date,
      first: firstPublishedDate(picture),
      types: tables.map((t) => ({
        trustType: t.trust_type,
        quarter: t.quarter,
        current: t.peer_group === table?.peer_group,
        href: link(t.peer_group),
      })),
      table,
      quarters: table
        ? picture.tables
            .filter((t) => t.peer_group === table.peer_group)
            .map((t) => ({
              quarter: t.quarter,
              synthetic: t.synthetic === "all",
              current: t.quarter === table.quarter,
              href: link(t.peer_group, t.quarter),
            }))
        : [],
      rows: table ? table.rows.map((r) => leagueRowView(table, r)) : [],
      held: table ? table.rows.filter((r) => r.held_for_review).length : 0,
      // The worklist is linked only for those who may read it (requirements §14).
      worklistLinked: decideAccess(viewer, "review:read", null).allowed,
      publicHref: table
        ? `/public/league/${table.peer_group}?quarter=${encodeURIComponent(table.quarter)}`
        : "/public/league",
    });
  });
}
