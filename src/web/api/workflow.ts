/**
 * /api/recommendations (reads and writes, with the prior consideration), /api/decisions,
 * /api/organisations/{code}/notes, /api/notes/{id}, /api/organisations/{code}/enforcement-events and
 * /api/audit: over the workflow services (src/services/workflow.ts, audit.ts), which ask the
 * authorisation hook themselves — the audit log only for those entitled. Each write runs its
 * command through runCommand (command-route.ts).
 */
import { z } from "zod";
import {
  DECISION_BODIES,
  ENFORCEMENT_ACTIONS,
  RECOMMENDATION_STATES,
} from "../../domain/workflow/index.js";
import { listAuditEvents } from "../../services/audit.js";
import { listEnforcementEvents, recordEnforcementEvent } from "../../services/enforcement.js";
import {
  addNote,
  considerRecommendation,
  createRecommendation,
  decide,
  getRecommendation,
  listDecisions,
  listNotes,
  listRecommendations,
  submitRecommendationCommand,
  updateNoteCommand,
  withdrawRecommendationCommand,
} from "../../services/workflow.js";
import { atVersion, runCommand } from "./command-route.js";
import { resolveActor } from "./actor.js";
import { ERROR_RESPONSES, STALE_RESPONSE, underPart } from "./errors.js";
import {
  ConsiderationBodySchema,
  ConsiderationSchema,
  DecisionBodySchema,
  DecisionSchema,
  DecisionsQuery,
  EnforcementEventSchema,
  NewEnforcementEventBody,
  NewNoteBody,
  NoteChangeBody,
  NoteIdParams,
  NewRecommendationBody,
  NoteSchema,
  OrgCodeSchema,
  OrgParams,
  RecommendationIdParams,
  SegmentHistoryEntrySchema,
  VersionBody,
} from "./schemas.js";
import type { ApiInstance, ApiOptions } from "./api-instance.js";

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

  api.post(
    "/recommendations",
    {
      schema: {
        summary: "Create a draft recommendation; its proposer is the acting user",
        description:
          "Needs a named user; the public gets 403. The framework in force on `proposed_on` routes it to the body that must decide.",
        tags: ["workflow"],
        querystring: z.object({}).strict(),
        body: NewRecommendationBody,
        response: { 201: RecommendationSchema, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await runCommand(ctx, request, createRecommendation, request.body)),
  );

  for (const [event, summary] of [
    ["submit", "Submit a draft recommendation for decision"],
    ["withdraw", "Withdraw a recommendation before it is decided"],
  ] as const)
    api.post(
      `/recommendations/:id/${event}`,
      {
        schema: {
          summary,
          description:
            "Names the `version` the client read; if the recommendation has changed since, 409 with `current`.",
          tags: ["workflow"],
          params: RecommendationIdParams,
          querystring: z.object({}).strict(),
          body: VersionBody,
          response: { 200: RecommendationSchema, ...ERROR_RESPONSES, ...STALE_RESPONSE },
        },
      },
      async (request) =>
        runCommand(
          ctx,
          request,
          event === "submit" ? submitRecommendationCommand : withdrawRecommendationCommand,
          atVersion({ ...request.body, id: request.params.id }),
        ),
    );

  api.post(
    "/recommendations/:id/consideration",
    {
      schema: {
        summary: "Record a body's consideration before the deciding body takes the recommendation",
        description:
          "Where the routing rule names `considered_first_by` (requiring actions: the PRC decides having been through an RSG, DOMAIN §6), that body records its view on the submitted recommendation, once; the recommendation's version moves on. 400 for any other body; 409 with `current` on a stale `version`.",
        tags: ["workflow"],
        params: RecommendationIdParams,
        querystring: z.object({}).strict(),
        body: ConsiderationBodySchema,
        response: {
          201: z.object({
            recommendation: RecommendationSchema,
            consideration: ConsiderationSchema,
          }),
          ...ERROR_RESPONSES,
          ...STALE_RESPONSE,
        },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await runCommand(
            ctx,
            request,
            considerRecommendation,
            atVersion({ ...request.body, recommendation_id: request.params.id }),
          ),
        ),
  );

  api.post(
    "/recommendations/:id/decision",
    {
      schema: {
        summary: "Record the decision on a submitted recommendation",
        description:
          "Refused (400, with the fields at fault and each guard's reason) when the body is not the one the framework routes the change to or a guard fails; 409 with `current` on a stale `version`. An agreed or amended decision appends to the segment history.",
        tags: ["workflow"],
        params: RecommendationIdParams,
        querystring: z.object({}).strict(),
        body: DecisionBodySchema,
        response: {
          201: z.object({
            recommendation: RecommendationSchema,
            decision: DecisionSchema,
            history: SegmentHistoryEntrySchema.nullable(),
          }),
          ...ERROR_RESPONSES,
          ...STALE_RESPONSE,
        },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await runCommand(
            ctx,
            request,
            decide,
            atVersion({ ...request.body, recommendation_id: request.params.id }),
          ),
        ),
  );

  api.get(
    "/decisions",
    {
      schema: {
        summary: "Decisions recorded, oldest first, optionally on one organisation or by one body",
        tags: ["workflow"],
        querystring: DecisionsQuery,
        response: { 200: z.object({ decisions: z.array(DecisionSchema) }), ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const actor = resolveActor(request);
      const { org, body } = request.query;
      try {
        const decisions = await listDecisions(ctx, actor, {
          ...(org ? { org_code: org } : {}),
          ...(body ? { body } : {}),
        });
        return { decisions };
      } catch (error) {
        throw underPart("query", error);
      }
    },
  );

  api.get(
    "/organisations/:code/notes",
    {
      schema: {
        summary: "An organisation's notes the actor may see (the public: only those marked public)",
        tags: ["workflow"],
        params: OrgParams,
        querystring: z.object({}).strict(),
        response: { 200: z.object({ notes: z.array(NoteSchema) }), ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      return { notes: await listNotes(ctx, resolveActor(request), request.params.code) };
    },
  );

  api.post(
    "/organisations/:code/notes",
    {
      schema: {
        summary: "Add a note on an organisation; its author is the acting user",
        description: "Needs a named user; the public gets 403.",
        tags: ["workflow"],
        params: OrgParams,
        querystring: z.object({}).strict(),
        body: NewNoteBody,
        response: { 201: NoteSchema, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await runCommand(ctx, request, addNote, {
          ...request.body,
          org_code: request.params.code,
        }),
      ),
  );

  api.patch(
    "/notes/:id",
    {
      schema: {
        summary: "Change a note's text or confidentiality",
        description:
          "Names the `version` the client read; if the note has changed since, 409 with `current`.",
        tags: ["workflow"],
        params: NoteIdParams,
        querystring: z.object({}).strict(),
        body: NoteChangeBody,
        response: { 200: NoteSchema, ...ERROR_RESPONSES, ...STALE_RESPONSE },
      },
    },
    async (request) =>
      runCommand(
        ctx,
        request,
        updateNoteCommand,
        atVersion({ ...request.body, id: request.params.id }),
      ),
  );

  api.get(
    "/organisations/:code/enforcement-events",
    {
      schema: {
        summary: "An organisation's enforcement events the actor may see, oldest first",
        tags: ["workflow"],
        params: OrgParams,
        querystring: z.object({}).strict(),
        response: {
          200: z.object({ enforcement_events: z.array(EnforcementEventSchema) }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request) => {
      const actor = resolveActor(request);
      return {
        enforcement_events: await listEnforcementEvents(ctx, actor, request.params.code),
      };
    },
  );

  api.post(
    "/organisations/:code/enforcement-events",
    {
      schema: {
        summary: "Record an enforcement event (DOMAIN §10); it triggers an immediate review",
        description:
          "Needs a named user; the public gets 403. Confidential (`official_sensitive`) unless marked otherwise.",
        tags: ["workflow"],
        params: OrgParams,
        querystring: z.object({}).strict(),
        body: NewEnforcementEventBody,
        response: { 201: EnforcementEventSchema, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await runCommand(ctx, request, recordEnforcementEvent, {
          ...request.body,
          org_code: request.params.code,
        }),
      ),
  );
}
