/**
 * The server-rendered pages: staff pages (overview, organisations, profile, SPC charts, worklist,
 * recommendations and decisions, league tables) and the public site under /public. Route
 * handlers are thin: parse the request, call the services (the same ones the API and CLI call),
 * render. Errors become NHS.UK error pages with the right status, never a bare 500.
 */
import type { FastifyError, FastifyInstance } from "fastify";
import { AssessmentRequestError } from "../../services/assessment.js";
import {
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  StaleWriteError,
} from "../../services/errors.js";
import { leaguePages } from "./league.js";
import { organisationPages } from "./organisations.js";
import { overviewPages } from "./overview.js";
import { publicPages } from "./public.js";
import { publicLeaguePages } from "./public-league.js";
import { recommendationPages } from "./recommendations.js";
import { renderPage, SignInRequiredError, type PageOptions } from "./render.js";
import { worklistPages } from "./worklist.js";

export type { PageOptions } from "./render.js";

function statusOf(error: unknown): number {
  if (error instanceof SignInRequiredError || error instanceof ForbiddenError) return 403;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof StaleWriteError) return 409;
  if (error instanceof InvalidInputError) return 400;
  if (error instanceof AssessmentRequestError)
    return error.reason === "unknown_organisation" || error.reason === "not_assessed" ? 404 : 400;
  const code = (error as FastifyError).statusCode;
  return typeof code === "number" && code >= 400 && code < 500 ? code : 500;
}

const TITLES: Record<number, string> = {
  400: "There is a problem with the request",
  403: "You cannot see this page",
  404: "Page not found",
  409: "This record has changed",
  413: "The form is too large",
  415: "The form could not be read",
  500: "Sorry, there is a problem with the service",
};

export async function pagesPlugin(app: FastifyInstance, options: PageOptions): Promise<void> {
  // requirements §6: every state-changing form carries its CSRF token (`_csrf`, render.ts); a POST
  // without a good one is refused before its route runs. Forms are parsed by the server's one
  // form parser (auth.ts).
  app.addHook("preHandler", (request, reply, done) => {
    if (request.method !== "POST") return done();
    app.csrfProtection(request, reply, done);
  });
  app.setErrorHandler((error, request, reply) => {
    // A staff page asked for by someone not signed in: sign in, then back here.
    if (error instanceof SignInRequiredError && request.method === "GET")
      return reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`, 303);
    const status = statusOf(error);
    if (status === 500) request.log.error(error);
    const fields = error instanceof InvalidInputError ? error.fields : [];
    return renderPage(
      options,
      request,
      reply,
      "error.njk",
      {
        title: TITLES[status] ?? TITLES[400],
        message:
          status === 500
            ? "Try again later."
            : error instanceof SignInRequiredError
              ? "This page is for oversight staff. The published segments are on the public site."
              : (error as Error).message,
        fields,
        signIn: error instanceof SignInRequiredError,
      },
      status,
    );
  });
  overviewPages(app, options);
  organisationPages(app, options);
  worklistPages(app, options);
  recommendationPages(app, options);
  leaguePages(app, options);
  publicPages(app, options);
  publicLeaguePages(app, options);
}
