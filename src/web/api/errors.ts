/**
 * One error shape for the whole API, `{ error: { status, message, fields?, current? } }`, and the
 * mapping from what went wrong to it: bad input 400 (with the fields at fault), forbidden 403,
 * not found 404, stale 409 (with the current state). Anything unexpected is a 500 that says
 * nothing about the server; the cause is logged.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { z } from "zod";
import { AssessmentRequestError } from "../../services/assessment.js";
import {
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  StaleWriteError,
  type FieldProblem,
} from "../../services/errors.js";

export const ApiErrorSchema = z
  .object({
    error: z.object({
      status: z.number().int().min(400).max(599),
      message: z.string(),
      fields: z
        .array(z.object({ path: z.string(), message: z.string() }))
        .optional()
        .describe("The request's fields at fault: `query.as_of`, `body.org_code`, …"),
      current: z.unknown().optional().describe("On 409: the record as it now stands."),
    }),
  })
  .meta({ id: "ApiError" });

export type ApiError = z.infer<typeof ApiErrorSchema>;

/** The error responses every route can give, for its schema and the OpenAPI document. */
export const ERROR_RESPONSES = {
  400: ApiErrorSchema,
  401: ApiErrorSchema,
  403: ApiErrorSchema,
  404: ApiErrorSchema,
  500: ApiErrorSchema,
} as const;

/** What a write can also answer: 409, the record changed since the client read it. */
export const STALE_RESPONSE = { 409: ApiErrorSchema } as const;

function body(
  status: number,
  message: string,
  extra: { fields?: FieldProblem[]; current?: unknown } = {},
): ApiError {
  return { error: { status, message, ...extra } };
}

const PARTS: Record<string, string> = {
  body: "body",
  querystring: "query",
  params: "params",
  headers: "headers",
};

/** Moves a service's input-relative field paths under a request part: `org_code` → `body.org_code`. */
export function underPart(part: "body" | "query", error: unknown): unknown {
  if (!(error instanceof InvalidInputError)) return error;
  const moved = new InvalidInputError(
    error.message,
    error.fields.map((f) => ({ ...f, path: `${part}.${f.path}` })),
  );
  return moved;
}

export function toApiError(error: unknown): ApiError {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const part = PARTS[(error as FastifyError).validationContext ?? ""] ?? "request";
    const fields = error.validation.map((issue) => ({
      path: [part, ...issue.instancePath.split("/").filter(Boolean)].join("."),
      message: issue.message ?? "invalid",
    }));
    return body(
      400,
      `invalid ${part}: ${fields.map((f) => `${f.path}: ${f.message}`).join("; ")}`,
      { fields },
    );
  }
  if (error instanceof InvalidInputError)
    return body(400, error.message, error.fields.length ? { fields: error.fields } : {});
  if (error instanceof AssessmentRequestError) {
    if (error.reason === "bad_date")
      return body(400, error.message, {
        fields: [{ path: "query.as_of", message: error.message }],
      });
    if (error.reason === "unknown_framework")
      return body(400, error.message, {
        fields: [{ path: "query.framework", message: error.message }],
      });
    return body(404, error.message);
  }
  if (error instanceof NotFoundError) return body(404, error.message);
  if (error instanceof ForbiddenError) return body(403, error.message);
  if (error instanceof StaleWriteError) return body(409, error.message, { current: error.current });
  // Fastify's own refusals (bad JSON, body too large, unsupported media type, bad URL) are 4xx
  // with a message written for the client.
  const status = (error as Partial<FastifyError> | null)?.statusCode;
  if (typeof status === "number" && status >= 400 && status < 500)
    return body(status, (error as Error).message);
  return body(500, "internal error: the failure has been logged");
}

export function apiErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const answer = toApiError(error);
  if (answer.error.status >= 500)
    console.error(`oversight api: ${request.method} ${request.url} failed:`, error);
  return reply.code(answer.error.status).type("application/json").send(answer);
}
