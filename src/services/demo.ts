/**
 * The demo national dataset: the real organisation registry, the real A&E series (April 2016 –
 * March 2019) and synthetic series for every other metric of the framework in force at the end
 * of that window, with planted stories. Built as bundles on disk (deterministic from the seed),
 * then loaded through the same importers a user runs.
 */
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { FrameworkRegistry } from "../domain/frameworks/registry.js";
import type { Framework } from "../domain/frameworks/schema.js";
import { addMonths, endOfMonth, type CalendarDate } from "../domain/shared/dates.js";
import { AE_ATTENDANCE_MEASURES, AE_DATASET } from "../ingest/ae-statistics.js";
import type { OrganisationRecord } from "../ingest/bundle.js";
import { writeBundleFile } from "../ingest/bundle-writer.js";
import { registryOrganisations } from "../ingest/registry.js";
import { synthesiseDemo, type MetricProfile, type Story } from "../demo/synthesise.js";
import type { ServiceContext } from "./context.js";
import { importBundle, type ImportReport } from "./import-bundle.js";
import { demoEvidence } from "../demo/evidence.js";
import { assess, isScoredRun } from "./assessment.js";
import { importAeAttendances } from "./import-statistics.js";
import { recordJudgement } from "./judgements.js";
import { adoptSegmentation } from "./workflow.js";

export const DEMO_AE_DIR = fileURLToPath(new URL("../../data/ae-attendances/", import.meta.url));
const PROFILES_FILE = fileURLToPath(
  new URL("../../data/demo/metric-profiles.yaml", import.meta.url),
);
export const DEFAULT_DEMO_SEED = 20160401;

export interface DemoManifest {
  seed: number;
  framework: string;
  asOf: CalendarDate;
  firstMonth: CalendarDate;
  lastMonth: CalendarDate;
  stories: Story[];
  unprofiledMetrics: string[];
}

/** The window is that of the real A&E series shipped in data/ae-attendances. */
function realSeriesWindow(): { firstMonth: CalendarDate; lastMonth: CalendarDate } {
  const months = readdirSync(DEMO_AE_DIR)
    .filter((f) => /^\d{4}-\d{2}-01\.csv$/.test(f))
    .map((f) => f.slice(0, 10) as CalendarDate)
    .sort();
  if (months.length === 0) throw new Error(`no A&E files in ${DEMO_AE_DIR}`);
  return { firstMonth: months[0]!, lastMonth: months[months.length - 1]! };
}

/** The metrics the demo's real A&E series feed; every other metric is synthesised. */
function realSeriesMetrics(frameworks: readonly Framework[]): Set<string> {
  const fed = new FrameworkRegistry(frameworks).metricsFedBy(AE_DATASET);
  return new Set(AE_ATTENDANCE_MEASURES.flatMap((m) => fed.get(m) ?? []));
}

export function buildDemo(options: {
  seed?: number;
  outDir: string;
  frameworks: readonly Framework[];
}): {
  manifest: DemoManifest;
  counts: Record<string, number>;
} {
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const { firstMonth, lastMonth } = realSeriesWindow();
  const asOf = endOfMonth(lastMonth);
  const framework = new FrameworkRegistry(options.frameworks).inForceOn(asOf);
  if (!framework) throw new Error(`no framework version is in force on ${asOf}`);
  const organisations = writeRegistryBundle(join(options.outDir, "registry"));
  const profiles = parseYaml(readFileSync(PROFILES_FILE, "utf8")) as Record<string, MetricProfile>;
  const synthetic = synthesiseDemo({
    seed,
    framework,
    organisations,
    profiles,
    realMetrics: realSeriesMetrics(options.frameworks),
    firstMonth,
    lastMonth,
  });
  const syntheticDir = join(options.outDir, "synthetic");
  writeBundleFile(
    syntheticDir,
    "observations",
    synthetic.observations as unknown as Record<string, unknown>[],
  );
  writeBundleFile(
    syntheticDir,
    "cqc_ratings",
    synthetic.cqc_ratings as unknown as Record<string, unknown>[],
  );
  writeBundleFile(
    syntheticDir,
    "intelligence",
    synthetic.intelligence as unknown as Record<string, unknown>[],
  );
  const manifest: DemoManifest = {
    seed,
    framework: framework.id,
    asOf,
    firstMonth,
    lastMonth,
    stories: synthetic.stories,
    unprofiledMetrics: synthetic.unprofiledMetrics,
  };
  mkdirSync(options.outDir, { recursive: true });
  writeFileSync(join(options.outDir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  return {
    manifest,
    counts: {
      organisations: organisations.length,
      synthetic_observations: synthetic.observations.length,
      cqc_ratings: synthetic.cqc_ratings.length,
      intelligence: synthetic.intelligence.length,
    },
  };
}

/** The shipped registry (data/registry) written as a bundle folder holding organisations.csv. */
export function writeRegistryBundle(dir: string): OrganisationRecord[] {
  const organisations = registryOrganisations();
  writeBundleFile(dir, "organisations", organisations as unknown as Record<string, unknown>[]);
  return organisations;
}

/** Loads a registry bundle folder through the ordinary bundle importer; a rejection throws. */
export async function importRegistryBundle(
  ctx: ServiceContext,
  dir: string,
  options: { importedBy: string },
): Promise<ImportReport> {
  return mustSucceed(
    "registry",
    await importBundle(ctx, dir, { ...options, kind: "demo-registry" }),
  );
}

export function readDemoManifest(outDir: string): DemoManifest {
  return JSON.parse(readFileSync(join(outDir, "manifest.json"), "utf8")) as DemoManifest;
}

function mustSucceed(step: string, report: ImportReport): ImportReport {
  if (!report.ok) {
    const first = report.rejections[0];
    throw new Error(
      `demo ${step} rejected (${report.rejections.length} problems; first: ${first?.file}:${first?.line}: ${first?.reason})`,
    );
  }
  return report;
}

/**
 * Loads a built demo through the ordinary importers: registry, real A&E, then synthetic data;
 * records the evidence a regulator would hold at the end of the quarter before the demo's as-at
 * date (src/demo/evidence.ts: licence-breach evidence, CQC recommendations, a few segment 4
 * judgements) through the ordinary judgement service; then adopts the segments the engine
 * proposes on that date as the segmentation in force (`adoptSegmentation`, reference "Demo:
 * segmentation in force from <date>"), so the public site and the overview's movements have
 * decided segments to show, each segment 3 or 4 backed by its evidence.
 */
export async function loadDemo(
  ctx: ServiceContext,
  outDir: string,
  options: { importedBy: string },
): Promise<Record<string, number>> {
  const added = (r: ImportReport) => r.files.reduce((n, f) => n + f.added + f.revised, 0);
  const registry = await importRegistryBundle(ctx, join(outDir, "registry"), options);
  const ae = await importAeAttendances(ctx, DEMO_AE_DIR, options);
  mustSucceed("A&E series", ae);
  const synthetic = mustSucceed(
    "synthetic data",
    await importBundle(ctx, join(outDir, "synthetic"), {
      ...options,
      kind: "demo-synthetic",
      synthetic: true,
    }),
  );
  const manifest = readDemoManifest(outDir);
  const adoptOn = endOfMonth(addMonths(manifest.asOf, -3));
  const system = { user: options.importedBy, role: "system", scope: "national" } as const;
  const run = await assess(ctx, { asOf: adoptOn });
  const evidence = isScoredRun(run) ? [] : demoEvidence(run.assessments, manifest.stories, adoptOn);
  for (const record of evidence) await recordJudgement(ctx, record, system);
  const { adopted } = await adoptSegmentation(ctx, system, {
    as_of: adoptOn,
    reference: `Demo: segmentation in force from ${adoptOn}`,
  });
  return {
    organisations: added(registry),
    real_ae_observations: added(ae),
    ae_codes_skipped: Object.keys(ae.skippedCodes).length,
    synthetic_rows: added(synthetic),
    recorded_judgements: evidence.length,
    adopted_segments: adopted,
  };
}

export async function isDatabaseEmpty(ctx: ServiceContext): Promise<boolean> {
  const [row] = await ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM organisations");
  return (row?.n ?? 0) === 0;
}
