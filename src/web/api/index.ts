/**
 * The JSON API under /api: a Fastify plugin over the same services as the CLI and the pages.
 * Every route declares zod schemas for what it reads (params, query, headers, body) and what it
 * answers; those schemas validate each request, check each response, and make the OpenAPI 3.1
 * document served at /api/openapi.json. Errors have one shape (errors.ts).
 */
import fastifySwagger from "@fastify/swagger";
import type { FastifyInstance } from "fastify";
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import { csrfPassed } from "../auth.js";
import { apiErrorHandler } from "./errors.js";
import { frameworkRoutes } from "./frameworks.js";
import { judgementRoutes } from "./judgements.js";
import { leagueRoutes } from "./league.js";
import { organisationRoutes } from "./organisations.js";
import { reviewRoutes } from "./reviews.js";
import type { ApiOptions } from "./api-instance.js";
import { workflowRoutes } from "./workflow.js";

/** Whether a request URL is the API's (the plugin is registered under /api). */
export function isApiPath(url: string): boolean {
  return url === "/api" || /^\/api[/?]/.test(url);
}

export async function apiPlugin(app: FastifyInstance, options: ApiOptions): Promise<void> {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(apiErrorHandler);
  // The API speaks JSON only: any other body is a 415, not a string for the schema to refuse.
  app.removeContentTypeParser("text/plain");
  app.removeContentTypeParser("application/x-www-form-urlencoded");
  // A browser signed in by cookie may call the API too; its writes then need the CSRF token
  // (`x-csrf-token`), which a page from another site cannot read. A bearer token needs none.
  app.addHook("preHandler", async (request, reply) => {
    if (
      request.authenticatedBy !== "session" ||
      ["GET", "HEAD", "OPTIONS"].includes(request.method)
    )
      return;
    if (!csrfPassed(app, request, reply)) return reply;
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      error: { status: 404, message: `no API resource ${request.method} ${request.url}` },
    }),
  );

  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Oversight API",
        version: "0.1.0",
        description:
          "The NHS oversight platform's JSON API. Errors are `{ error: { status, message, fields? } }`. " +
          "A machine client authenticates with `Authorization: Bearer <API token>` (`oversight tokens create`); " +
          "a request without one acts as the public and sees only what is published. What each role may " +
          "do is in docs/access.md: a refusal is a 403, an invalid token a 401.",
      },
      components: {
        securitySchemes: {
          apiToken: {
            type: "http",
            scheme: "bearer",
            description: "An API token, `ovt_<id>_<secret>`, from `oversight tokens create`",
          },
        },
      },
      security: [{}, { apiToken: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  const api = app.withTypeProvider<ZodTypeProvider>();
  organisationRoutes(api, options);
  frameworkRoutes(api, options);
  judgementRoutes(api, options);
  workflowRoutes(api, options);
  reviewRoutes(api, options);
  leagueRoutes(api, options);

  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
}
