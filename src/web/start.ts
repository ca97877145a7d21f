import type { FastifyInstance } from "fastify";
import { londonToday } from "../clock.js";
import type { AppConfig } from "../config.js";
import { isDatabaseEmpty, loadDemo, buildDemo } from "../services/demo.js";
import { openServices } from "../services/open.js";
import { buildServer } from "./server.js";

/** `oversight serve` / `npm start`: the web app over the configured database. */
export async function startWebServer(
  config: AppConfig,
  options: { loadDemoIfEmpty: boolean },
): Promise<void> {
  const ctx = await openServices(config.database);
  let app: FastifyInstance | undefined;
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
    app = await buildServer(ctx, { today: () => londonToday() });
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
}
