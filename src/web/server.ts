/**
 * The HTTP adapter: Fastify serving server-rendered NHS.UK pages (Nunjucks with the
 * nhsuk-frontend macros) and the JSON API under /api (./api/). Routes call services only.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Fastify, { type FastifyInstance, type FastifyReply } from "fastify";
import fastifyStatic from "@fastify/static";
import nunjucks from "nunjucks";
import type { CalendarDate } from "../domain/shared/dates.js";
import { formatValue } from "../domain/criteria/format.js";
import type { Unit } from "../domain/criteria/types.js";
import { BODY_NAMES } from "../domain/workflow/index.js";
import type { ServiceContext } from "../services/context.js";
import { apiErrorHandler } from "./api/errors.js";
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
}

export async function buildServer(
  ctx: ServiceContext,
  options: WebOptions,
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: 1_000_000,
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

  app.get("/healthz", async () => ({ status: "ok" }));
  await app.register(apiPlugin, { prefix: "/api", ctx, today: options.today });

  const pageOptions = { ctx, views, today: options.today };
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
