import type { FastifyInstance } from "fastify";
import { londonToday } from "../clock.js";
import type { AppConfig } from "../config.js";
import { isDatabaseEmpty, loadDemo, buildDemo } from "../services/demo.js";
import { openServices } from "../services/open.js";
import { buildServer } from "./server.js";
import type { ServiceContext } from "../services/context.js";
import {
  countUsers,
  disableDemoAccounts,
  enableDemoAccounts,
  MIN_PASSWORD_LENGTH,
} from "../services/identity.js";
import { randomBytes } from "node:crypto";
import { userInfo } from "node:os";

/** Whether the database holds the demo dataset (loaded by `oversight demo` or first start). */
async function holdsDemo(ctx: ServiceContext): Promise<boolean> {
  const [row] = await ctx.db.query("SELECT 1 FROM imports WHERE kind = 'demo-registry' LIMIT 1");
  return row !== undefined;
}

/**
 * requirements §6: the demo accounts sign in only while the server runs the demo, with a password made
 * for this start (or OVERSIGHT_DEMO_PASSWORD, for scripted demos and browser tests); otherwise
 * they are disabled. With no real account yet, say how to create the first administrator.
 */
async function prepareAccounts(ctx: ServiceContext, demoMode: boolean): Promise<void> {
  const operator = {
    user: `${userInfo().username} (serve)`,
    role: "system" as const,
    scope: "national",
  };
  if (demoMode) {
    const given = process.env.OVERSIGHT_DEMO_PASSWORD;
    if (given !== undefined && given.length < MIN_PASSWORD_LENGTH)
      throw new Error(`OVERSIGHT_DEMO_PASSWORD must be at least ${MIN_PASSWORD_LENGTH} characters`);
    const password = given ?? randomBytes(12).toString("base64url");
    const accounts = await enableDemoAccounts(ctx, operator, password);
    console.log(
      `demo accounts (demo only: disabled whenever the server runs without the demo), password ${given ? "from OVERSIGHT_DEMO_PASSWORD" : password}:`,
    );
    for (const a of accounts) console.log(`  ${a.username.padEnd(28)} ${a.role}, scope ${a.scope}`);
  } else {
    await disableDemoAccounts(ctx, operator);
  }
  if ((await countUsers(ctx)) === 0)
    console.log(
      "no user account exists yet: create the first administrator with `npx oversight users add NAME --role admin` (it asks for the password; there is no default)",
    );
}

/** `oversight serve` / `npm start`: the web app over the configured database. */
export async function startWebServer(
  config: AppConfig,
  options: { loadDemoIfEmpty: boolean },
): Promise<void> {
  const ctx = await openServices(config.database, {
    dataDir: config.dataDir,
    holder: "the server",
  });
  let app: FastifyInstance | undefined;
  let demoMode: boolean;
  try {
    if (options.loadDemoIfEmpty && (await isDatabaseEmpty(ctx))) {
      const started = Date.now();
      console.log(
        "empty database: building and loading the demo national dataset (first start only)…",
      );
      const outDir = `${config.dataDir}/demo`;
      buildDemo({ outDir, frameworks: ctx.frameworks.versions });
      const loaded = await loadDemo(ctx, outDir, { importedBy: "oversight demo" });
      console.log(
        `demo loaded in ${((Date.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(loaded)}`,
      );
    }
    demoMode = options.loadDemoIfEmpty && (await holdsDemo(ctx));
    await prepareAccounts(ctx, demoMode);
    app = await buildServer(ctx, {
      today: () => londonToday(),
      demoMode,
      trustProxy: process.env.OVERSIGHT_TRUST_PROXY === "1",
      ...(process.env.OVERSIGHT_COOKIE_SECRET
        ? { cookieSecret: process.env.OVERSIGHT_COOKIE_SECRET }
        : {}),
    });
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    // E.g. the port is taken: release the database so the process exits with the reason at
    // once (an open PostgreSQL pool would otherwise keep it alive for its idle timeout).
    await app?.close();
    await ctx.close();
    throw error;
  }
  const server = app;
  const shutdown = async () => {
    await server.close();
    await ctx.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown());
  process.once("SIGTERM", () => void shutdown());
  const address = server.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  console.log(`Oversight is running at http://localhost:${port}/ (${ctx.db.engine} database)`);
  // requirements §13: the demo states its dates at start-up (and in a banner on every page); building the
  // national picture here also spares the first visitor of the league tables the wait.
  if (demoMode) {
    const { demoPeriodsText, nationalPicture } = await import("../services/national-picture.js");
    console.log(
      `demonstration data: ${demoPeriodsText(nationalPicture(ctx))} Values marked synthetic are not real.`,
    );
  }
}
