/**
 * /api/league-tables: the NHS Oversight Framework 2025/26 national picture (requirements §13,
 * docs/national-picture.md) — per trust type and quarter, every trust's rank with its likely
 * range, segment, average score and each change since the previous quarter marked significant
 * or not; synthetic tables and rows say so. Public figures only: the same for every caller.
 */
import { z } from "zod";
import { NotFoundError } from "../../services/errors.js";
import { findTable, nationalPicture, tablesAsOf } from "../../services/national-picture.js";
import { resolveActor } from "./actor.js";
import { ERROR_RESPONSES } from "./errors.js";
import type { ApiInstance, ApiOptions } from "./api-instance.js";

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date YYYY-MM-DD");
const TableSummary = z.object({
  peer_group: z.string(),
  trust_type: z.string(),
  quarter: z.string(),
  published_from: z.string(),
  framework: z.string(),
  synthetic: z.enum(["none", "all"]),
  trusts: z.number().int(),
  segment_changes_for_review: z.number().int(),
});

export function leagueRoutes(api: ApiInstance, { ctx, today }: ApiOptions): void {
  api.get(
    "/league-tables",
    {
      schema: {
        summary:
          "The NOF league tables published by a date (default today): the latest quarter of each trust type",
        tags: ["league tables"],
        querystring: z.object({ as_of: date.optional() }).strict(),
        response: {
          200: z.object({ as_of: z.string(), tables: z.array(TableSummary) }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request) => {
      resolveActor(request);
      const asOf = (request.query.as_of ?? today()) as ReturnType<typeof today>;
      return {
        as_of: asOf,
        tables: tablesAsOf(nationalPicture(ctx), asOf).map((t) => ({
          peer_group: t.peer_group,
          trust_type: t.trust_type,
          quarter: t.quarter,
          published_from: t.published_from,
          framework: t.framework,
          synthetic: t.synthetic,
          trusts: t.rows.length,
          segment_changes_for_review: t.rows.filter((r) => r.change?.verdict === "for_review")
            .length,
        })),
      };
    },
  );

  api.get(
    "/league-tables/:peer_group",
    {
      schema: {
        summary:
          "One trust type's league table: ranks with likely ranges, segments, averages, domain and metric figures, and each change since the previous quarter marked significant or not",
        tags: ["league tables"],
        params: z.object({ peer_group: z.string().regex(/^[a-z_]{1,40}$/) }).strict(),
        querystring: z
          .object({
            as_of: date.optional(),
            quarter: z
              .string()
              .regex(/^Q[1-4] \d{4}\/\d{2}$/)
              .optional(),
          })
          .strict(),
        response: {
          200: z.object({
            peer_group: z.string(),
            trust_type: z.string(),
            quarter: z.string(),
            synthetic: z.enum(["none", "all"]),
            source: z.string(),
            metrics: z.array(z.record(z.string(), z.unknown())),
            rows: z.array(z.record(z.string(), z.unknown())),
          }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request) => {
      resolveActor(request);
      const asOf = (request.query.as_of ?? today()) as ReturnType<typeof today>;
      const table = findTable(
        nationalPicture(ctx),
        request.params.peer_group,
        request.query.quarter,
        asOf,
      );
      if (!table)
        throw new NotFoundError(
          `No ${request.params.peer_group} league table ${request.query.quarter ?? `published by ${asOf}`}.`,
        );
      return {
        peer_group: table.peer_group,
        trust_type: table.trust_type,
        quarter: table.quarter,
        synthetic: table.synthetic,
        source: table.source,
        metrics: table.metrics as unknown as Record<string, unknown>[],
        rows: table.rows as unknown as Record<string, unknown>[],
      };
    },
  );
}
