/**
 * The HTTP adapter: Fastify serving server-rendered NHS.UK pages (Nunjucks with the
 * nhsuk-frontend macros) and the JSON API under /api (./api/). Routes call services only.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from "fastify";
import fastifyStatic from "@fastify/static";
import nunjucks from "nunjucks";
import { demoPeriodsText, nationalPicture } from "../services/national-picture.js";
import type { CalendarDate } from "../domain/shared/dates.js";
import { formatValue } from "../domain/criteria/format.js";
import type { Unit } from "../domain/criteria/types.js";
import { BODY_NAMES } from "../domain/workflow/index.js";
import type { ServiceContext } from "../services/context.js";
import { resolveActor } from "./api/actor.js";
import { apiErrorHandler } from "./api/errors.js";
import { registerAuth } from "./auth.js";
import { SIGN_IN_ATTEMPTS_PER_MINUTE, signInRoutes } from "./sign-in.js";
import { apiPlugin, isApiPath } from "./api/index.js";
import { KIND_LABELS, SECTOR_LABELS } from "./labels.js";
import { pagesPlugin } from "./pages/index.js";
import { renderPage } from "./pages/render.js";

const NHSUK_DIST = fileURLToPath(
  new URL("../../node_modules/nhsuk-frontend/dist/", import.meta.url),
);
const VIEWS = fileURLToPath(new URL("./views/", import.meta.url));
const STATIC = fileURLToPath(new URL("./static/", import.meta.url));

/**
 * The NHS.UK stylesheet without its @font-face rules, which fetch the licensed Frutiger font from
 * assets.nhs.uk: the service loads nothing from another origin (a strict CSP, and no network at
 * test time), and the design system's own fallback (Arial) is used instead.
 */
function selfContainedStylesheet(): string {
  const css = readFileSync(`${NHSUK_DIST}nhsuk/nhsuk-frontend.min.css`, "utf8");
  return css.replace(/@font-face\{[^}]*https?:\/\/[^}]*\}/g, "");
}

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
  views.addGlobal("bodyNames", BODY_NAMES);
  // Nunjucks' `capitalize` lowers the rest ("the Regional Support Group" → "The regional …").
  views.addFilter("sentenceCase", (text: unknown) =>
    typeof text === "string" && text.length ? text[0]!.toUpperCase() + text.slice(1) : text,
  );
  views.addFilter("fmtValue", (value: number, unit: Unit) => formatValue(value, unit));

  await app.register(fastifyStatic, { root: `${NHSUK_DIST}nhsuk/assets`, prefix: "/assets/" });
  await app.register(fastifyStatic, {
    root: `${NHSUK_DIST}nhsuk`,
    prefix: "/nhsuk/",
    decorateReply: false,
    allowedPath: (path) => path === "/nhsuk-frontend.min.js",
  });
  const stylesheet = selfContainedStylesheet();
  app.get("/nhsuk/nhsuk-frontend.min.css", (_request, reply) =>
    reply
      .type("text/css; charset=utf-8")
      .header("cache-control", "public, max-age=3600")
      .send(stylesheet),
  );
  await app.register(fastifyStatic, { root: STATIC, prefix: "/static/", decorateReply: false });

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

  const pageOptions = {
    ctx,
    views,
    today: options.today,
    // Worked out at the first page, not at start-up: the national picture takes seconds to build.
    ...(demoMode
      ? {
          demo: {
            get text() {
              return demoPeriodsText(nationalPicture(ctx));
            },
          },
        }
      : {}),
  };
  await app.register(pagesPlugin, pageOptions);

  app.setNotFoundHandler((request, reply) =>
    renderPage(
      pageOptions,
      request,
      reply,
      "error.njk",
      { title: "Page not found", message: "There is no page at this address." },
      404,
    ),
  );
  return app;
}
