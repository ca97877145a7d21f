/** /api/frameworks: the framework versions, policy as data. */
import { frameworkSchema } from "../../domain/frameworks/schema.js";
import { NotFoundError } from "../../services/errors.js";
import { resolveActor } from "./actor.js";
import { ERROR_RESPONSES } from "./errors.js";
import { FrameworkParams, FrameworkSummarySchema } from "./schemas.js";
import type { ApiInstance, ApiOptions } from "./api-instance.js";
import { z } from "zod";

export function frameworkRoutes(api: ApiInstance, { ctx }: ApiOptions): void {
  api.get(
    "/frameworks",
    {
      schema: {
        summary: "The framework versions known, oldest first",
        tags: ["frameworks"],
        querystring: z.object({}).strict(),
        response: {
          200: z.object({ frameworks: z.array(FrameworkSummarySchema) }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request) => {
      resolveActor(request);
      const frameworks = [...ctx.frameworks.versions]
        .sort((a, b) => a.in_force_from.localeCompare(b.in_force_from))
        .map((f) => ({
          id: f.id,
          name: f.name,
          short_name: f.short_name,
          in_force_from: f.in_force_from,
          in_force_to: f.in_force_to ?? null,
          method: f.criteria.method,
          organisation_kinds: f.organisation_kinds,
        }));
      return { frameworks };
    },
  );

  api.get(
    "/frameworks/:id",
    {
      schema: {
        summary: "One framework version in full, as its file defines it",
        tags: ["frameworks"],
        params: FrameworkParams,
        querystring: z.object({}).strict(),
        response: { 200: frameworkSchema, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      resolveActor(request);
      const framework = ctx.frameworks.get(request.params.id);
      if (!framework) throw new NotFoundError(`no framework ${request.params.id}`);
      return framework;
    },
  );
}
