/**
 * Who is making a request: the one function routes and pages ask. The server resolves every
 * request before any route runs (src/web/auth.ts): a session cookie from signing in at /sign-in,
 * `Authorization: Bearer <token>` with an API token, or neither — the public. What the actor may
 * then do is the services' decision (src/services/authorise.ts).
 */
import type { FastifyRequest } from "fastify";
import type { Actor } from "../../domain/access/policy.js";
import { PUBLIC_ACTOR } from "../../services/authorise.js";

export { PUBLIC_ACTOR };

export function resolveActor(request: FastifyRequest): Actor {
  return request.actor ?? PUBLIC_ACTOR;
}
