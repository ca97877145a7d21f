/**
 * /sign-in and /sign-out (requirements §6): the NHS.UK sign-in form with an error summary, guarded by a
 * CSRF token and rate-limited per address; a success starts a fresh server-side session (the
 * id any earlier cookie held is ended, never reused) in an HttpOnly, Secure, SameSite cookie.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ServiceContext } from "../services/context.js";
import { countUsers, SESSION_HOURS, signIn, signOut } from "../services/identity.js";
import { resolveActor } from "./api/actor.js";
import { staffNavigation } from "./pages/render.js";
import { cookieOptions, csrfToken, SESSION_COOKIE } from "./auth.js";

/** A device that has signed in before: its sign-ins are not held back by a pause (requirements §20). */
export const DEVICE_COOKIE = "oversight_device";
const DEVICE_DAYS = 365;

/** Sign-in attempts allowed per client address per minute, before 429. */
export const SIGN_IN_ATTEMPTS_PER_MINUTE = 10;

type Render = (template: string, context: Record<string, unknown>) => string;

/** Only a path on this site, never `//elsewhere` or a URL: no open redirect after sign-in. */
export function safeNext(next: unknown): string {
  return typeof next === "string" && /^\/(?![/\\])[^\s]*$/.test(next) && next.length <= 512
    ? next
    : "/";
}

export function signInRoutes(
  app: FastifyInstance,
  options: { ctx: ServiceContext; demoMode: boolean; attemptsPerMinute: number; render: Render },
): void {
  const { ctx, demoMode, render } = options;

  const page = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    form: { username?: string; next?: string; errors?: { field: string; text: string }[] } = {},
  ) => {
    const errors = form.errors ?? [];
    return reply
      .code(status)
      .type("text/html")
      .send(
        render("sign-in.njk", {
          viewer: resolveActor(request),
          staff: resolveActor(request).role !== "public",
          navigation: staffNavigation(resolveActor(request), "/sign-in"),
          path: "/sign-in",
          csrfToken: csrfToken(request, reply),
          noUsers: !demoMode && (await countUsers(ctx)) === 0,
          demoMode,
          username: form.username ?? "",
          next: safeNext(form.next ?? (request.query as { next?: string }).next),
          errors: errors.map((e) => ({ text: e.text, href: `#${e.field}` })),
          fieldErrors: Object.fromEntries(errors.map((e) => [e.field, e.text])),
        }),
      );
  };

  app.get("/sign-in", async (request, reply) => page(request, reply, 200));

  app.post<{ Body: Record<string, unknown> }>(
    "/sign-in",
    {
      onRequest: app.rateLimit({ max: options.attemptsPerMinute, timeWindow: "1 minute" }),
      preHandler: app.csrfProtection,
    },
    async (request, reply) => {
      const body = request.body && typeof request.body === "object" ? request.body : {};
      const username = typeof body.username === "string" ? body.username.slice(0, 200) : "";
      const password = typeof body.password === "string" ? body.password : "";
      const next = typeof body.next === "string" ? body.next : "/";
      const missing = [
        ...(username.trim() === "" ? [{ field: "username", text: "Enter your username" }] : []),
        ...(password === "" ? [{ field: "password", text: "Enter your password" }] : []),
      ];
      if (missing.length) return page(request, reply, 400, { username, next, errors: missing });

      const result = await signIn(
        ctx,
        { username, password },
        { demoMode, source: request.ip, device: request.cookies[DEVICE_COOKIE] },
      );
      if (!result.ok) {
        // requirements §20: one answer for a wrong name, a wrong password and a paused name alike.
        const text =
          result.reason === "no_users"
            ? "No user account exists yet: an administrator must create the first one"
            : "The username or password is not right. After repeated failures, sign-in for that name from here pauses for a few minutes.";
        return page(request, reply, 401, {
          username,
          next,
          errors: [{ field: "username", text }],
        });
      }
      // Rotation: the session the browser came with (if any) ends; the new one has a new id.
      if (request.sessionId) await signOut(ctx, request.sessionId, request.actor);
      return reply
        .setCookie(SESSION_COOKIE, result.sessionId, cookieOptions(SESSION_HOURS * 3600))
        .setCookie(DEVICE_COOKIE, result.device, cookieOptions(DEVICE_DAYS * 86_400))
        .redirect(safeNext(next), 303);
    },
  );

  app.post("/sign-out", { preHandler: app.csrfProtection }, async (request, reply) => {
    if (request.sessionId) await signOut(ctx, request.sessionId, request.actor);
    return reply.clearCookie(SESSION_COOKIE, { path: "/" }).redirect("/", 303);
  });
}
