/** /api/judgements: the judgement inputs the assessment reads (DOMAIN §5). */
import { z } from "zod";
import { listJudgements, recordJudgementCommand } from "../../services/judgements.js";
import { resolveActor } from "./actor.js";
import { runCommand } from "./command-route.js";
import { ERROR_RESPONSES } from "./errors.js";
import { JudgementSchema, JudgementsQuery, NewJudgementBody } from "./schemas.js";
import type { ApiInstance, ApiOptions } from "./api-instance.js";

export function judgementRoutes(api: ApiInstance, { ctx }: ApiOptions): void {
  api.get(
    "/judgements",
    {
      schema: {
        summary: "The judgements recorded that the actor may see",
        description:
          "Filtered to the caller's scope and clearance: the public sees only judgements marked `public`.",
        tags: ["judgements"],
        querystring: JudgementsQuery,
        response: { 200: z.object({ judgements: z.array(JudgementSchema) }), ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const actor = resolveActor(request);
      return { judgements: await listJudgements(ctx, request.query.org, actor) };
    },
  );

  api.post(
    "/judgements",
    {
      schema: {
        summary: "Record a judgement; its author is the acting user",
        description:
          "Needs a signed-in user or API token whose role may record judgements in the organisation's scope (docs/access.md); otherwise 403.",
        tags: ["judgements"],
        querystring: z.object({}).strict(),
        body: NewJudgementBody,
        response: { 201: JudgementSchema, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await runCommand(ctx, request, recordJudgementCommand, {
          ...request.body,
          recorded_by: resolveActor(request).user,
        }),
      ),
  );
}
