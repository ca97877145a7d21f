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
  const app = await buildServer(ctx, { today: () => londonToday() });
  const shutdown = async () => {
    await app.close();
    await ctx.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown());
  process.once("SIGTERM", () => void shutdown());
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  console.log(`Oversight is running at http://localhost:${port}/ (${ctx.db.engine} database)`);
}
