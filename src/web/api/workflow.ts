/**
 * /api/recommendations and /api/audit: reads over the workflow services (src/services/workflow.ts,
 * audit.ts), which ask the authorisation hook themselves — the audit log only for those entitled.
 */
import { z } from "zod";
import {
  DECISION_BODIES,
  ENFORCEMENT_ACTIONS,
  RECOMMENDATION_STATES,
} from "../../domain/workflow/index.js";
import { listAuditEvents } from "../../services/audit.js";
import { getRecommendation, listRecommendations } from "../../services/workflow.js";
import { ActorHeaders, resolveActor } from "./actor.js";
import { ERROR_RESPONSES, underPart } from "./errors.js";
import { OrgCodeSchema } from "./schemas.js";
import type { ApiInstance, ApiOptions } from "./types.js";

const WorkflowSegment = z.literal([1, 2, 3, 4, 5]);

export const RecommendationSchema = z.object({
  id: z.number().int(),
  org_code: z.string(),
  framework_id: z.string(),
  proposed_on: z.string(),
  proposer_user: z.string(),
  proposer_role: z.string(),
  proposer_team: z.string().nullable(),
  from_segment: WorkflowSegment,
  to_segment: WorkflowSegment,
  rationale: z.string(),
  judgement_ids: z.array(z.number().int()),
  proposed_support: z.string().nullable(),
  proposed_enforcement: z.enum(ENFORCEMENT_ACTIONS),
  state: z.enum(RECOMMENDATION_STATES),
  routed_body: z.enum(DECISION_BODIES),
  routing_rule_id: z.string(),
  routing_citation: z.string(),
  version: z
    .number()
    .int()
    .describe("Name it when changing the recommendation: a stale one is a 409"),
});

const AuditEventSchema = z.object({
  seq: z.number().int(),
  occurred_at: z.string(),
  actor: z.unknown(),
  action: z.string(),
  entity_type: z.string(),
  entity_id: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  prev_hash: z.string(),
  hash: z.string(),
});

export function workflowRoutes(api: ApiInstance, { ctx }: ApiOptions): void {
  api.get(
    "/recommendations",
    {
      schema: {
        summary: "Recommendations, optionally of one organisation, in one state, for one body",
        tags: ["workflow"],
        headers: ActorHeaders,
        querystring: z
          .object({
            org: OrgCodeSchema.optional(),
            state: z.enum(RECOMMENDATION_STATES).optional(),
            body: z.enum(DECISION_BODIES).optional().describe("The body routed to decide"),
          })
          .strict(),
        response: {
          200: z.object({ recommendations: z.array(RecommendationSchema) }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request) => {
      const actor = resolveActor(request);
      const { org, state, body } = request.query;
      try {
        const recommendations = await listRecommendations(ctx, actor, {
          ...(org ? { org_code: org } : {}),
          ...(state ? { state } : {}),
          ...(body ? { body } : {}),
        });
        return { recommendations };
      } catch (error) {
        throw underPart("query", error);
      }
    },
  );

  api.get(
    "/recommendations/:id",
    {
      schema: {
        summary: "One recommendation",
        tags: ["workflow"],
        headers: ActorHeaders,
        params: z
          .object({
            id: z.coerce
              .number()
              .int()
              .min(1)
              .max(2 ** 53 - 1),
          })
          .strict(),
        querystring: z.object({}).strict(),
        response: { 200: RecommendationSchema, ...ERROR_RESPONSES },
      },
    },
    async (request) => getRecommendation(ctx, resolveActor(request), request.params.id),
  );

  api.get(
    "/audit",
    {
      schema: {
        summary: "The audit log's events, oldest first (for those entitled; the public gets 403)",
        tags: ["workflow"],
        headers: ActorHeaders,
        querystring: z
          .object({
            entity_type: z
              .string()
              .regex(/^[a-z_]{1,40}$/)
              .optional(),
            entity_id: z
              .string()
              .regex(/^[A-Za-z0-9_-]{1,40}$/)
              .optional(),
          })
          .strict(),
        response: { 200: z.object({ events: z.array(AuditEventSchema) }), ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { entity_type, entity_id } = request.query;
      const events = await listAuditEvents(ctx, resolveActor(request), {
        ...(entity_type ? { entity_type } : {}),
        ...(entity_id ? { entity_id } : {}),
      });
      return { events };
    },
  );
}
