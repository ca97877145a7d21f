/**
 * Who is making a request: the one function that decides, so the access issue replaces it in one
 * place. The services' authorisation hook (src/services/authorise.ts) then decides what the
 * actor may do.
 *
 * PLACEHOLDER until the access issue: a request naming a user in `x-oversight-user` acts as that
 * user, with the role in `x-oversight-role` and the scope in `x-oversight-scope` (default
 * `national`), unchecked; a request naming no user is the public. This is not authentication —
 * anyone can send the headers — and must not be deployed beyond a trusted network as it is.
 */
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { WORKFLOW_ROLES, type WorkflowActor } from "../../services/authorise.js";
import { InvalidInputError } from "../../services/errors.js";

export const PUBLIC_ACTOR: WorkflowActor = { user: "public", role: "public", scope: "national" };

/** The roles a request may claim: `public` is the absence of a user, `system` is never claimed. */
const CLAIMABLE_ROLES = WORKFLOW_ROLES.filter((r) => r !== "public" && r !== "system");

const HEADER_FIELDS = {
  "x-oversight-user": z
    .string()
    .regex(/^[A-Za-z0-9._@-]{1,64}$/, "must be 1–64 letters, digits or . _ @ -")
    .optional()
    .describe("PLACEHOLDER for sign-in: the user the request acts as; omitted, the public"),
  "x-oversight-role": z
    .enum(CLAIMABLE_ROLES)
    .optional()
    .describe("PLACEHOLDER: the acting user's role; required with x-oversight-user"),
  "x-oversight-scope": z
    .string()
    .regex(/^[A-Za-z0-9_]{1,16}$/, "must be `national`, a region, ICB or organisation code")
    .optional()
    .describe("PLACEHOLDER: where the user acts (national, a region, ICB or organisation code)"),
};

const HeaderSchema = z
  .object(HEADER_FIELDS)
  .refine((h) => (h["x-oversight-user"] === undefined) === (h["x-oversight-role"] === undefined), {
    message: "x-oversight-user and x-oversight-role go together",
    path: ["x-oversight-role"],
  });

/** The headers every route reads, for its schema and the OpenAPI document. */
export const ActorHeaders = z.looseObject(HEADER_FIELDS);

export function resolveActor(request: FastifyRequest): WorkflowActor {
  const parsed = HeaderSchema.safeParse({
    "x-oversight-user": request.headers["x-oversight-user"],
    "x-oversight-role": request.headers["x-oversight-role"],
    "x-oversight-scope": request.headers["x-oversight-scope"],
  });
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => ({
      path: `headers.${i.path.join(".")}`,
      message: i.message,
    }));
    throw new InvalidInputError(fields.map((f) => `${f.path}: ${f.message}`).join("; "), fields);
  }
  const h = parsed.data;
  if (h["x-oversight-user"] === undefined || h["x-oversight-role"] === undefined)
    return PUBLIC_ACTOR;
  return {
    user: h["x-oversight-user"],
    role: h["x-oversight-role"],
    scope: h["x-oversight-scope"] ?? "national",
  };
}
