/**
 * `npm run bench:web`: publication day (requirements §5). A benchmark, not a timed test: it prints
 * figures and PASS/FAIL against the bar, and exits 0 either way.
 *
 * The real server on loopback over the demo dataset (built and loaded through the ordinary
 * importers, about 15 s), "today" the demo's as-at date. After one warm-up request per page,
 * autocannon drives 200 concurrent connections for DURATION seconds against the public pages in
 * turn (the index, an organisation's page, the CSV and the JSON download; requirements §13: the NOF
 * 2025/26 league table of the largest trust type, its latest quarter, and its CSV and JSON
 * downloads, prepared once per data change), then against a static
 * file of the same byte size as the public index served by the same server (@fastify/static):
 * the ceiling. Bar: p99 latency under 100 ms on the public pages. The ratio printed is the public
 * pages' requests per second over the static file's.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import autocannon, { type Result } from "autocannon";
import fastifyStatic from "@fastify/static";
import type { CalendarDate } from "../src/domain/shared/dates.js";
import { buildDemo, loadDemo } from "../src/services/demo.js";
import { nationalPicture } from "../src/services/national-picture.js";
import { loadShippedFrameworks } from "../src/store/framework-files.js";
import { buildServer } from "../src/web/server.js";
import { openTestDatabase } from "../test/support/database.js";

const CONNECTIONS = 200;
const DURATION = Number(process.env.BENCH_WEB_SECONDS ?? 10);
const P99_BAR_MS = 100;

/** autocannon in a worker thread, so load generation does not share the server's event loop. */
function run(url: string): Promise<Result> {
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION,
    workers: 1,
    // As a browser asks: answers that keep a compressed copy (the league tables) send it.
    headers: { "accept-encoding": "gzip" },
  });
}

function line(name: string, r: Result): string {
  const errors = r.errors + r.timeouts + r.non2xx;
  return (
    `${name.padEnd(34)} p50 ${String(r.latency.p50).padStart(4)} ms  p99 ${String(r.latency.p99).padStart(4)} ms  ` +
    `${Math.round(r.requests.average).toString().padStart(6)} req/s  ${errors} errors`
  );
}

async function main(): Promise<void> {
  const started = Date.now();
  const scratch = mkdtempSync(join(tmpdir(), "oversight-bench-web-"));
  const { manifest } = buildDemo({
    outDir: join(scratch, "demo"),
    frameworks: loadShippedFrameworks(),
  });
  const t = await openTestDatabase("pglite");
  await loadDemo(t.ctx, join(scratch, "demo"), { importedBy: "bench:web" });
  const app = await buildServer(t.ctx, { today: () => manifest.asOf as CalendarDate });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  if (!address || typeof address !== "object") throw new Error("no address");
  const base = `http://127.0.0.1:${address.port}`;
  const org = manifest.stories[0]!.org_code;
  // requirements §13: the league table of the largest trust type in its latest quarter, and its downloads.
  const largest = nationalPicture(t.ctx)
    .tables.filter((table) => table.peer_group === "acute_trusts")
    .at(-1)!;
  const quarter = `?quarter=${encodeURIComponent(largest.quarter)}`;
  const pages = [
    "/public",
    `/public/organisations/${org}`,
    "/public/segmentation.csv",
    "/public/segmentation.json",
    `/public/league/acute_trusts${quarter}`,
    `/public/league/acute_trusts.csv${quarter}`,
    `/public/league/acute_trusts.json${quarter}`,
  ];
  // Warm-up: the first request computes the published segmentation (then memoised per data stamp).
  const sizes: number[] = [];
  for (const page of pages) {
    const response = await fetch(`${base}${page}`);
    if (response.status !== 200) throw new Error(`${page}: ${response.status}`);
    sizes.push((await response.arrayBuffer()).byteLength);
  }
  // The ceiling: a static file the size of the public index, from the same server.
  const staticDir = join(scratch, "static");
  await import("node:fs").then((fs) => fs.mkdirSync(staticDir));
  writeFileSync(join(staticDir, "ceiling.html"), "x".repeat(sizes[0]!));
  await app.close();
  const withStatic = await buildServer(t.ctx, { today: () => manifest.asOf as CalendarDate });
  await withStatic.register(fastifyStatic, {
    root: staticDir,
    prefix: "/bench-static/",
    decorateReply: false,
  });
  await withStatic.listen({ host: "127.0.0.1", port: address.port });
  console.log(
    `bench:web — demo loaded in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
      `${CONNECTIONS} connections, ${DURATION} s per target; load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
  );
  console.log(
    `public index ${sizes[0]} bytes, organisation page ${sizes[1]}, CSV ${sizes[2]}, JSON ${sizes[3]}; ` +
      `${largest.trust_type} league table ${largest.quarter} (${largest.rows.length} trusts) ${sizes[4]} bytes, CSV ${sizes[5]}, JSON ${sizes[6]}`,
  );

  const results: Result[] = [];
  for (const page of pages) {
    const r = await run(`${base}${page}`);
    results.push(r);
    console.log(line(page, r));
  }
  const index = results[0]!;
  const ceiling = await run(`${base}/bench-static/ceiling.html`);
  console.log(line(`static file (${sizes[0]} bytes)`, ceiling));
  const worstP99 = Math.max(...results.map((r) => r.latency.p99));
  const errors = results.reduce((n, r) => n + r.errors + r.timeouts + r.non2xx, 0);
  console.log(
    `ratio: public index ${Math.round(index.requests.average)} req/s / static ${Math.round(ceiling.requests.average)} req/s = ` +
      `${(index.requests.average / ceiling.requests.average).toFixed(2)}; p99 ${index.latency.p99} ms vs ${ceiling.latency.p99} ms`,
  );
  console.log(
    `${worstP99 < P99_BAR_MS && errors === 0 ? "PASS" : "FAIL"}: worst public p99 ${worstP99} ms (bar < ${P99_BAR_MS} ms), ${errors} errors`,
  );
  await withStatic.close();
  await t.close();
  rmSync(scratch, { recursive: true, force: true });
}

await main();
