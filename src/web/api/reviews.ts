/** /api/reviews: the reviews due on a date (src/services/reviews.ts), by deadline. */
import { z } from "zod";
import type { CalendarDate } from "../../domain/shared/dates.js";
import { reviewsDueFor } from "../../services/reviews.js";
import { resolveActor } from "./actor.js";
import { ERROR_RESPONSES, underPart } from "./errors.js";
import { CalendarDateSchema, OrgCodeSchema } from "./schemas.js";
import type { ApiInstance, ApiOptions } from "./api-instance.js";

const ScheduledReviewSchema = z.object({
  org_code: z.string(),
  organisation: z.object({
    code: z.string(),
    name: z.string(),
    kind: z.string(),
    region: z.string(),
    icb_code: z.string().nullable(),
  }),
  segment: z.number().int(),
  segment_source: z.enum(["history", "proposed"]),
  trigger: z.string().describe("`cadence`, or the event that triggered the review"),
  cadence: z
    .object({
      every: z.string(),
      window_from: z.string(),
      window_to: z.string(),
      citation: z.string(),
    })
    .nullable(),
  event: z.looseObject({ type: z.string() }).nullable(),
  due_from: z.string(),
  deadline: z.string(),
  overdue: z.boolean(),
  last_reviewed_on: z.string().nullable(),
  sentence: z.string(),
});

const ReviewScheduleSchema = z.object({
  as_of: z.string(),
  framework: z.object({ id: z.string(), short_name: z.string() }),
  region: z.string().nullable(),
  icb: z.string().nullable(),
  reviews: z.array(ScheduledReviewSchema),
});

export function reviewRoutes(api: ApiInstance, { ctx, today }: ApiOptions): void {
  api.get(
    "/reviews",
    {
      schema: {
        summary: "The reviews due on a date, each with its trigger and deadline",
        tags: ["workflow"],
        querystring: z
          .object({
            as_of: CalendarDateSchema.optional(),
            region: z
              .string()
              .regex(/^Y\d{2}$/, "must be a region code such as Y56")
              .optional(),
            icb: OrgCodeSchema.optional(),
          })
          .strict(),
        response: { 200: ReviewScheduleSchema, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const actor = resolveActor(request);
      const { as_of, region, icb } = request.query;
      try {
        const schedule = await reviewsDueFor(ctx, actor, {
          asOf: (as_of as CalendarDate | undefined) ?? today(),
          region,
          icb,
        });
        // The event is a discriminated union of interfaces; the response schema checks its type.
        return schedule as unknown as z.output<typeof ReviewScheduleSchema>;
      } catch (error) {
        throw underPart("query", error);
      }
    },
  );
}
