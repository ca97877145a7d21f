/**
 * The HTTP adapter: Fastify serving server-rendered NHS.UK pages (Nunjucks with the
 * nhsuk-frontend macros) and the JSON API under /api (./api/). Routes call services only.
 */
import { fileURLToPath } from "node:url";
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from "fastify";
import fastifyStatic from "@fastify/static";
import nunjucks from "nunjucks";
import { isCalendarDate, type CalendarDate } from "../domain/shared/dates.js";
import type { ServiceContext } from "../services/context.js";
import { listOrganisations } from "../services/organisations.js";
import { resolveActor } from "./api/actor.js";
import { apiErrorHandler } from "./api/errors.js";
import { registerAuth } from "./auth.js";
import { SIGN_IN_ATTEMPTS_PER_MINUTE, signInRoutes } from "./sign-in.js";
import { apiPlugin, isApiPath } from "./api/index.js";
import { KIND_LABELS, SECTOR_LABELS } from "./labels.js";

const NHSUK_DIST = fileURLToPath(
  new URL("../../node_modules/nhsuk-frontend/dist/", import.meta.url),
);
const VIEWS = fileURLToPath(new URL("./views/", import.meta.url));

export interface WebOptions {
  /** The date the app treats as today (Europe/London), so pages are reproducible in tests. */
  today: () => CalendarDate;
  /** Whether the server runs the demo: only then do the demo accounts sign in. */
  demoMode?: boolean;
  /** Behind a TLS-terminating proxy: trust its X-Forwarded-* headers (and so send HSTS). */
  trustProxy?: boolean;
  /** Signs the CSRF secret cookie; random per process when not given. */
  cookieSecret?: string;
  /** Sign-in attempts allowed per client address per minute (default SIGN_IN_ATTEMPTS_PER_MINUTE). */
  signInAttemptsPerMinute?: number;
}

export async function buildServer(
  ctx: ServiceContext,
  options: WebOptions,
): Promise<FastifyInstance> {
  const demoMode = options.demoMode ?? false;
  const app = Fastify({
    logger: false,
    bodyLimit: 1_000_000,
    trustProxy: options.trustProxy ?? false,
    // What the router refuses before any route runs (a malformed URL escape, an over-long
    // parameter): under /api, in the API's error shape; elsewhere, Fastify's own answer.
    frameworkErrors: (error, request, reply) =>
      isApiPath(request.url)
        ? apiErrorHandler(error, request, reply)
        : (reply as FastifyReply).code(error.statusCode ?? 400).send(error),
  });
  const views = nunjucks.configure([VIEWS, NHSUK_DIST], {
    autoescape: true,
    throwOnUndefined: false,
  });
  views.addGlobal("kindLabels", KIND_LABELS);
  views.addGlobal("sectorLabels", SECTOR_LABELS);

  await app.register(fastifyStatic, { root: `${NHSUK_DIST}nhsuk/assets`, prefix: "/assets/" });
  await app.register(fastifyStatic, {
    root: `${NHSUK_DIST}nhsuk`,
    prefix: "/nhsuk/",
    decorateReply: false,
    allowedPath: (path) => /^\/nhsuk-frontend\.min\.(css|js)$/.test(path),
  });

  await registerAuth(app, {
    ctx,
    demoMode,
    cookieSecret: options.cookieSecret,
    templateFile: `${NHSUK_DIST}nhsuk/template.njk`,
  });
  // A page's error (a refused CSRF token, a body too large): an error page, not JSON.
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) console.error(`oversight: ${request.method} ${request.url} failed:`, error);
    const title =
      status === 403
        ? "Your form has expired"
        : status === 413
          ? "Too much data"
          : status === 429
            ? "Too many attempts"
            : status >= 500
              ? "Sorry, there is a problem with the service"
              : "Something was wrong with the request";
    const message =
      status === 403
        ? "The form was missing its security token or it had expired. Go back, reload the page and try again."
        : status >= 500
          ? "Try again later."
          : error.message;
    return reply
      .code(status)
      .type("text/html")
      .send(views.render("error.njk", { title, message, viewer: resolveActor(request) }));
  });

  app.get("/healthz", async () => ({ status: "ok" }));
  signInRoutes(app, {
    ctx,
    demoMode,
    attemptsPerMinute: options.signInAttemptsPerMinute ?? SIGN_IN_ATTEMPTS_PER_MINUTE,
    render: (t, c) => views.render(t, c),
  });
  await app.register(apiPlugin, { prefix: "/api", ctx, today: options.today });

  app.get<{ Querystring: { as_of?: string } }>("/", async (request, reply) => {
    const requested = request.query.as_of;
    if (requested !== undefined && !isCalendarDate(requested)) {
      return reply
        .code(400)
        .type("text/html")
        .send(
          views.render("error.njk", {
            title: "Bad date",
            message: `as_of must be a date YYYY-MM-DD, not "${requested}"`,
          }),
        );
    }
    const asOf = (requested as CalendarDate | undefined) ?? options.today();
    const organisations = await listOrganisations(ctx, asOf);
    return reply
      .type("text/html")
      .send(views.render("home.njk", { organisations, asOf, viewer: resolveActor(request) }));
  });

  app.setNotFoundHandler((_request, reply) =>
    reply
      .code(404)
      .type("text/html")
      .send(
        views.render("error.njk", {
          title: "Page not found",
          message: "There is no page at this address.",
        }),
      ),
  );
  return app;
}
