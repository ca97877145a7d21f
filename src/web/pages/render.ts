/**
 * The one place a page is rendered: it resolves who is viewing (`resolveActor`, the access
 * issue's hook) and hands every template the same frame — `viewer`, `csrfToken`, `today` — so a
 * template never decides identity for itself. Every POST form carries `csrfToken` in `_csrf`.
 */
import { csrfToken } from "../auth.js";
import { decideAccess, type Action } from "../../domain/access/policy.js";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Environment } from "nunjucks";
import type { CalendarDate } from "../../domain/shared/dates.js";
import type { WorkflowActor } from "../../services/authorise.js";
import type { ServiceContext } from "../../services/context.js";
import { resolveActor } from "../api/actor.js";

export interface PageOptions {
  ctx: ServiceContext;
  views: Environment;
  today: () => CalendarDate;
  /** While the server runs the demo: the banner naming its periods, on every page. */
  demo?: { text: string };
}

/** Staff pages refuse the public: a GET is sent to sign in (index.ts), anything else refused. */
export class SignInRequiredError extends Error {
  constructor() {
    super("This page is for oversight staff.");
    this.name = "SignInRequiredError";
  }
}

export function viewerOf(request: FastifyRequest): WorkflowActor {
  return resolveActor(request);
}

export function isStaff(viewer: WorkflowActor): boolean {
  return viewer.role !== "public";
}

/** The viewer of a staff page; the public are sent to sign in (SignInRequiredError). */
export function staffViewer(request: FastifyRequest): WorkflowActor {
  const viewer = viewerOf(request);
  if (!isStaff(viewer)) throw new SignInRequiredError();
  return viewer;
}

/**
 * The CSRF token for a page's forms (requirements §6; @fastify/csrf-protection, registered in auth.ts):
 * every POST form sends it as `_csrf`. A page rendered once for many readers (the public site's
 * kept answers) has no reply of its own and no form that changes anything: no token.
 */
export function csrfTokenFor(reply: FastifyReply | undefined): string {
  return reply ? csrfToken(reply.request, reply) : "";
}

/** The viewer, or null when the request's identity is malformed (its error page is public). */
export function viewerOrNull(request: FastifyRequest): WorkflowActor | null {
  try {
    return viewerOf(request);
  } catch {
    return null;
  }
}

export function renderPage(
  options: PageOptions,
  request: FastifyRequest,
  reply: FastifyReply,
  view: string,
  data: Record<string, unknown>,
  status = 200,
): FastifyReply {
  return reply
    .code(status)
    .type("text/html; charset=utf-8")
    .send(renderHtml(options, request, view, data, reply));
}

/**
 * The staff header's links: only to the pages the viewer may open (requirements §20: the crawl of every
 * rendered link found the worklist and recommendations linked for roles refused them).
 */
export function staffNavigation(viewer: WorkflowActor, path: string) {
  const may = (action: Action) => decideAccess(viewer, action, null).allowed;
  return [
    { href: "/", text: "Overview", current: path === "/", show: true },
    {
      href: "/organisations",
      text: "Organisations",
      current: path.startsWith("/organisations"),
      show: true,
    },
    {
      href: "/worklist",
      text: "Worklist",
      current: path === "/worklist",
      show: may("review:read"),
    },
    {
      href: "/recommendations",
      text: "Recommendations",
      current: path.startsWith("/recommendations"),
      show: may("recommendation:read"),
    },
    { href: "/league", text: "League tables", current: path.startsWith("/league"), show: true },
    { href: "/public", text: "Public site", current: path.startsWith("/public"), show: true },
  ]
    .filter((item) => item.show)
    .map(({ show: _show, ...item }) => item);
}

/** The page as HTML, with the frame every template gets. */
export function renderHtml(
  options: PageOptions,
  request: FastifyRequest,
  view: string,
  data: Record<string, unknown>,
  reply?: FastifyReply,
): string {
  const viewer = viewerOrNull(request);
  const path = request.url.split("?")[0] ?? "/";
  return options.views.render(view, {
    ...data,
    viewer,
    staff: viewer !== null && isStaff(viewer),
    navigation: viewer ? staffNavigation(viewer, path) : [],
    csrfToken: csrfTokenFor(reply),
    today: options.today(),
    path,
    demo: options.demo,
  });
}
