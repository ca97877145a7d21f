/**
 * `npm run bench:import`: importing NHS England's RTT full extract (January 2026: 85 MB of CSV,
 * 183,417 rows, gzip as found) into a fresh PGlite database with the registry loaded (requirements §19).
 * Prints the import's wall time (bar: under 30 s) and the process's peak memory, maxRSS (bar:
 * under 1 GB), and exits 0 either way: a benchmark, not a test. `--file PATH` times another file,
 * `--dataset NAME` with it another importer.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { importPublishedStatistics } from "../src/services/import-statistics.js";
import { loadRegistry } from "../test/registry/load-registry.js";
import { openTestDatabase } from "../test/support/database.js";

const TIME_BAR_S = 30;
const MEMORY_BAR_MB = 1024;
const RTT = fileURLToPath(
  new URL("../../shared/data/rtt/20260131-RTT-January-2026-full-extract.csv.gz", import.meta.url),
);

const option = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const file = option("--file") ?? RTT;
const dataset = option("--dataset") ?? "rtt";
if (!existsSync(file)) {
  console.error(`bench:import: ${file} is not present (../shared/data beside the clone)`);
  process.exit(1);
}

const t = await openTestDatabase("pglite");
await loadRegistry(t.ctx);
const started = process.hrtime.bigint();
const report = await importPublishedStatistics(t.ctx, dataset, file, { importedBy: "bench" });
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const peakMb = process.resourceUsage().maxRSS / 1024;
await t.close();
if (!report.ok) {
  for (const r of report.rejections.slice(0, 5)) console.error(`${r.file}:${r.line}: ${r.reason}`);
  process.exit(1);
}
const skipped = Object.keys(report.skippedCodes).length;
console.log(
  `${dataset} ${file.split("/").pop()}: ${report.observations} observations, ${skipped} codes not in the registry`,
);
console.log(
  `import time ${seconds.toFixed(1)} s (bar < ${TIME_BAR_S} s: ${seconds < TIME_BAR_S ? "pass" : "FAIL"})`,
);
console.log(
  `peak memory (maxRSS, whole process) ${peakMb.toFixed(0)} MB (bar < ${MEMORY_BAR_MB} MB: ${peakMb < MEMORY_BAR_MB ? "pass" : "FAIL"})`,
);
