/**
 * Browser tests' one place for: the Chromium launch (Debian's /usr/bin/chromium, headless, never
 * downloading anything), who the browser acts as (`actAs`: an account signed in through the real
 * sign-in form), the roles the journeys use, the demo-loaded server on loopback, axe, and where
 * screenshots go.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import type { CalendarDate } from "../../src/domain/shared/dates.js";
import type { DemoManifest } from "../../src/services/demo.js";
import { nationalPicture } from "../../src/services/national-picture.js";
import { buildServer } from "../../src/web/server.js";
import type { Actor, UserRole } from "../../src/domain/access/policy.js";
import { addUser, listUsers } from "../../src/services/identity.js";
import { SYSTEM, TEST_PASSWORD } from "../support/access.js";
import type { Engine, TestDatabase } from "../support/database.js";
import { openDemoDatabase } from "../support/demo.js";

export const CHROMIUM = "/usr/bin/chromium";
export const SCREENSHOTS = fileURLToPath(
  new URL("../../test-output/screenshots/", import.meta.url),
);

/** Why the browser tests cannot run here, or null when they can. */
export function browserUnavailable(): string | null {
  return existsSync(CHROMIUM)
    ? null
    : `${CHROMIUM} is not installed (CI installs Debian's chromium): browser tests skipped`;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
}

export interface Identity {
  user: string;
  role: UserRole;
  scope: string;
}

/** The roles the tests act in (requirements §6's role names): names live here only. */
export const ROLES = {
  national: { user: "nat.oversight", role: "national_oversight", scope: "national" },
  regional: (region: string): Identity => ({
    user: `reg.lead.${region.toLowerCase()}`,
    role: "regional_team",
    scope: region,
  }),
  prc: { user: "prc.chair", role: "prc_member", scope: "national" },
  rsgMember: (region: string): Identity => ({
    user: `rsg.chair.${region.toLowerCase()}`,
    role: "rsg_member",
    scope: region,
  }),
} satisfies Record<string, Identity | ((region: string) => Identity)>;

/** The actor a service call acts as, for setting up what a test needs. */
export const actorOf = (who: Identity): Actor => ({
  user: who.user,
  role: who.role,
  scope: who.scope,
});

/**
 * Signs the browser context in as `who` through the real sign-in form (requirements §6), creating the
 * account in the server's database first if it does not exist: every later request of the
 * context carries the session cookie, as a user's browser would.
 */
export async function actAs(
  server: DemoServer,
  context: BrowserContext,
  who: Identity,
): Promise<void> {
  const existing = await listUsers(server.t.ctx, SYSTEM);
  if (!existing.some((u) => u.username === who.user))
    await addUser(server.t.ctx, SYSTEM, {
      username: who.user,
      display_name: who.user,
      role: who.role,
      scope: who.scope,
      password: TEST_PASSWORD,
    });
  const page = await context.newPage();
  await page.goto(`${server.base}/sign-in`);
  await page.fill("#username", who.user);
  await page.fill("#password", TEST_PASSWORD);
  await Promise.all([
    page.waitForURL((url) => !url.pathname.startsWith("/sign-in")),
    page.getByRole("button", { name: "Sign in" }).click(),
  ]);
  const cookies = await context.cookies(server.base);
  assert.ok(
    cookies.some((c) => c.name === "oversight_session"),
    `signed in as ${who.user}: no session cookie`,
  );
  await page.close();
}

export interface DemoServer {
  t: TestDatabase;
  app: FastifyInstance;
  base: string;
  manifest: DemoManifest;
  close(): Promise<void>;
}

/** The real server on loopback over a database holding the demo, "today" its as-at date. */
export async function startDemoServer(engine: Engine = "pglite"): Promise<DemoServer> {
  const t = await openDemoDatabase(engine);
  const { manifest } = t;
  const app = await buildServer(t.ctx, { today: () => manifest.asOf as CalendarDate });
  // As `oversight serve` does at start-up (web/start.ts): the national picture takes seconds to
  // build, which the first page that needs it (the worklist, the league tables) would otherwise wait.
  nationalPicture(t.ctx);
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  assert.ok(address && typeof address === "object");
  return {
    t,
    app,
    base: `http://127.0.0.1:${address.port}`,
    manifest,
    close: async () => {
      await app.close();
      await t.close();
    },
  };
}

const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve("axe-core/axe.min.js"),
  "utf8",
);

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's WCAG 2.0–2.2 A and AA rules on the page as it stands. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated, not injected as a <script>, so a strict CSP on the page does not block it.
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run: (o: unknown) => Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await axe.run({
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
}

/**
 * Records console errors and uncaught page errors from the moment it is called. Chromium logs a
 * document answered with 4xx (an error page, a form sent back with its error summary) as a
 * failed load: the tests assert those statuses themselves, so only that message, for the
 * document itself, is not counted; a failed sub-resource always is.
 */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const ofDocument = message.location().url === page.url();
    if (ofDocument && /the server responded with a status of 4\d\d/.test(message.text())) return;
    errors.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
  return errors;
}

/** Tallest screenshot taken: a 40,000 px list page took over 30 s to capture on a loaded CI machine. */
const SCREENSHOT_MAX_HEIGHT = 4000;

/** The page from its top, whole up to SCREENSHOT_MAX_HEIGHT px, for review beside the test report. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  const { width, height } = await page.evaluate(() => {
    const root = (
      globalThis as unknown as {
        document: { documentElement: { scrollWidth: number; scrollHeight: number } };
      }
    ).document.documentElement;
    return { width: root.scrollWidth, height: root.scrollHeight };
  });
  await page.screenshot({
    path,
    fullPage: true,
    animations: "disabled",
    clip: { x: 0, y: 0, width, height: Math.min(height, SCREENSHOT_MAX_HEIGHT) },
  });
  return path;
}
