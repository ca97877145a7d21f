/**
 * Who is asking, and the defences around it (requirements §6), for the whole server — pages and API:
 *
 * - every request is resolved once, before any route runs, to an actor: a session cookie (a
 *   browser signed in at /sign-in), `Authorization: Bearer <token>` (an API token), or neither
 *   (the public). `resolveActor(request)` (./api/actor.ts) hands it to routes and pages;
 * - cookies are signed where they carry a secret, and HttpOnly, Secure and SameSite;
 * - CSRF tokens (`reply.generateCsrf()` in a form, `app.csrfProtection` on its POST) guard every
 *   state-changing form, and an API write made with a session cookie instead of a token;
 * - security headers: a Content-Security-Policy without 'unsafe-inline' (the one inline script
 *   of the NHS.UK template is allowed by its SHA-256), HSTS only on a request that came over TLS.
 */
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import fastifyCookie from "@fastify/cookie";
import fastifyCsrf from "@fastify/csrf-protection";
import fastifyFormbody from "@fastify/formbody";
import fastifyHelmet from "@fastify/helmet";
import fastifyRateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Actor } from "../domain/access/policy.js";
import { PUBLIC_ACTOR } from "../services/authorise.js";
import type { ServiceContext } from "../services/context.js";
import { sessionActor, tokenActor } from "../services/identity.js";

export const SESSION_COOKIE = "oversight_session";

declare module "fastify" {
  interface FastifyRequest {
    /** Who is making the request (set before any route runs; the public if no one). */
    actor: Actor;
    /** How the actor was established. */
    authenticatedBy: "session" | "token" | "none";
    /** The session cookie's value, when a live session authenticated the request. */
    sessionId: string | null;
  }
}

export interface AuthOptions {
  ctx: ServiceContext;
  /** Demo accounts sign in only while the server runs the demo. */
  demoMode: boolean;
  /** Signs the CSRF secret cookie; a random one per process when not given. */
  cookieSecret?: string | undefined;
}

/** What a CSRF token is bound to: the session (hashed), or none before sign-in. */
function sessionBinding(request: FastifyRequest): string {
  return request.sessionId
    ? createHash("sha256").update(request.sessionId).digest("hex")
    : "no session";
}

/** A CSRF token for a form or script on this request's page, bound to its session. */
export function csrfToken(request: FastifyRequest, reply: FastifyReply): string {
  return reply.generateCsrf({ userInfo: sessionBinding(request) });
}

/**
 * requirements §20: what a signed-in caller is shown (a staff page, a confidential API answer) is never
 * kept by a browser or proxy cache; nor is the sign-in form with its token.
 */
function mustNotBeCached(request: FastifyRequest): boolean {
  if (/^\/(static|assets|nhsuk)\//.test(request.url)) return false;
  return request.authenticatedBy !== "none" || request.url.startsWith("/sign-in");
}

/** The SHA-256 source of the NHS.UK template's inline script, for the CSP (no 'unsafe-inline'). */
export function templateScriptHashes(templateFile: string): string[] {
  const template = readFileSync(templateFile, "utf8");
  return [...template.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)]
    .map((m) => m[1]!)
    .filter((body) => body.trim() !== "")
    .map((body) => `'sha256-${createHash("sha256").update(body, "utf8").digest("base64")}'`);
}

export function cookieOptions(maxAgeSeconds?: number) {
  return {
    path: "/",
    httpOnly: true,
    // Browsers accept Secure cookies from http://localhost too, so development needs no TLS.
    secure: true,
    sameSite: "lax" as const,
    ...(maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds } : {}),
  };
}

function unauthenticated(request: FastifyRequest, reply: FastifyReply, message: string) {
  const api = request.url === "/api" || /^\/api[/?]/.test(request.url);
  reply.header("www-authenticate", 'Bearer realm="oversight"');
  return api
    ? reply
        .code(401)
        .type("application/json")
        .send({ error: { status: 401, message } })
    : reply.code(401).type("text/plain").send(message);
}

export async function registerAuth(
  app: FastifyInstance,
  options: AuthOptions & { templateFile: string },
): Promise<void> {
  const { ctx, demoMode } = options;
  const secret = options.cookieSecret ?? randomBytes(32).toString("hex");
  await app.register(fastifyCookie, { secret });
  await app.register(fastifyCsrf, {
    cookieOpts: { ...cookieOptions(), signed: true, sameSite: "strict" },
    // requirements §20: a token is bound to the session it was made in (`csrfToken` below), so one
    // from before sign-in (or from another session) stops working once the session changes.
    getUserInfo: (request) => sessionBinding(request),
    csrfOpts: { hmacKey: createHash("sha256").update(`csrf:${secret}`).digest("hex") },
    // A form sends `_csrf`; a script sends the `x-csrf-token` header.
    getToken: (request) => {
      const body = request.body as Record<string, unknown> | undefined;
      const field = body && typeof body === "object" ? body._csrf : undefined;
      if (typeof field === "string") return field;
      const header = request.headers["x-csrf-token"];
      return typeof header === "string" ? header : undefined;
    },
  });
  await app.register(fastifyFormbody, { bodyLimit: 16_384 });
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        "default-src": ["'self'"],
        "script-src": ["'self'", ...templateScriptHashes(options.templateFile)],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
      },
    },
    // HSTS only over TLS (below): sent over plain HTTP it would be ignored at best.
    strictTransportSecurity: false,
  });
  app.addHook("onSend", async (request, reply) => {
    if (mustNotBeCached(request)) reply.header("cache-control", "no-store");
    if (request.protocol === "https")
      reply.header("strict-transport-security", "max-age=31536000; includeSubDomains");
  });

  app.decorateRequest("actor", null as unknown as Actor);
  app.decorateRequest("authenticatedBy", "none" as const);
  app.decorateRequest("sessionId", null as string | null);
  app.addHook("onRequest", async (request, reply) => {
    request.actor = PUBLIC_ACTOR;
    request.authenticatedBy = "none";
    request.sessionId = null;
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer ([^\s]+)$/i.exec(authorization);
      const actor = match ? await tokenActor(ctx, match[1]!, { demoMode }) : null;
      if (!actor)
        return unauthenticated(
          request,
          reply,
          "the API token is not valid (malformed, unknown, revoked or expired)",
        );
      request.actor = actor;
      request.authenticatedBy = "token";
      return;
    }
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie) {
      const actor = await sessionActor(ctx, cookie, { demoMode });
      if (actor) {
        request.actor = actor;
        request.authenticatedBy = "session";
        request.sessionId = cookie;
      } else reply.clearCookie(SESSION_COOKIE, { path: "/" });
    }
  });
}

/**
 * Runs the CSRF check in a hook that decides whether it applies. True if the token is good;
 * otherwise the 403 has been sent (return the reply from the hook).
 */
export function csrfPassed(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
): boolean {
  let passed = false;
  // Synchronous: it either calls back or sends the 403 before returning.
  app.csrfProtection(request, reply, () => {
    passed = true;
  });
  return passed;
}
