/**
 * requirements §2, rule E (the database): loadDemo brings a built demo in through the ordinary importers
 * (registry bundle, the real A&E series, the synthetic bundle). Synthetic data is flagged
 * synthetic on its import; the real A&E series is not. The database read here is the demo
 * template of test/support/demo.ts, which loadDemo made once per engine and version of the code,
 * with what it reported.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { registryOrganisations } from "../../src/ingest/registry.js";
import { DEMO_AE_DIR, type DemoManifest } from "../../src/services/demo.js";
import { listOrganisations } from "../../src/services/organisations.js";
import { shippedFrameworks, testEngines } from "../support/database.js";
import { openDemoDatabase, type DemoDatabase } from "../support/demo.js";
import {
  attendanceFiles,
  attendanceRowsByOrgMonth,
  attendancesExpected,
} from "../statistics/ae-raw.js";

/** The real series as the tests read it: observations per registry trust, month and fed metric. */
function realSeries(): { observations: number; skippedCodes: number; metrics: Set<string> } {
  const fed = shippedFrameworks().metricsFedBy("ae");
  const registry = new Set(registryOrganisations().map((o) => o.code));
  let observations = 0;
  const skipped = new Set<string>();
  const metrics = new Set<string>();
  for (const [key, rows] of attendanceRowsByOrgMonth(DEMO_AE_DIR, attendanceFiles(DEMO_AE_DIR))) {
    const org = key.split("|")[0]!;
    if (!registry.has(org)) {
      skipped.add(org);
      continue;
    }
    for (const measure of attendancesExpected(rows).keys()) {
      const metric = fed.get(measure);
      if (metric) {
        observations++;
        metrics.add(metric);
      }
    }
  }
  return { observations, skippedCodes: skipped.size, metrics };
}

for (const engine of testEngines()) {
  describe(`demo dataset loaded [${engine}] (requirements §2 E)`, () => {
    let t: DemoDatabase;
    let manifest: DemoManifest;
    let built: Record<string, number>;
    let loaded: Record<string, number>;
    const real = realSeries();

    before(async () => {
      t = await openDemoDatabase(engine);
      ({ manifest } = t);
      ({ built, loaded } = t.report);
    });
    after(() => t.close());

    it("loads the registry, the real A&E series and every synthetic row", async (ctx) => {
      ctx.diagnostic(`loadDemo took ${t.report.seconds.toFixed(1)} s: ${JSON.stringify(loaded)}`);
      const synthetic = ["synthetic_observations", "cqc_ratings", "intelligence"]
        .map((count) => built[count]!)
        .reduce((a, b) => a + b, 0);
      const { adopted_segments: adopted, recorded_judgements: recorded, ...imported } = loaded;
      // requirements §12: the evidence a regulator would hold (src/demo/evidence.ts), recorded through the
      // judgement service before the segmentation is adopted.
      const [judged] = await t.ctx.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM judgements",
      );
      assert.ok(recorded! > 0);
      assert.equal(judged!.n, recorded);
      assert.deepEqual(imported, {
        organisations: built.organisations,
        real_ae_observations: real.observations,
        ae_codes_skipped: real.skippedCodes,
        synthetic_rows: synthetic,
      });
      // The segmentation in force from the quarter before the as-at date: one entry for each
      // organisation the framework then in force segments, by national moderation, each audited.
      const history = await t.db.query<{ n: number; orgs: number; from: string; body: string }>(
        `SELECT count(*)::int AS n, count(DISTINCT org_code)::int AS orgs,
                min(effective_from)::text AS from, min(deciding_body) AS body
           FROM segment_history`,
      );
      assert.ok(adopted! > 200, `adopted ${adopted}`);
      assert.deepEqual(history, [
        { n: adopted, orgs: adopted, from: "2018-12-31", body: "national_moderation" },
      ]);
      const [events] = await t.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM audit_events WHERE action = 'segment.adopted'",
      );
      assert.equal(events!.n, adopted);
      const [stored] = await t.db.query<{ orgs: number; obs: number; cqc: number; intel: number }>(
        `SELECT (SELECT count(*)::int FROM organisations) AS orgs,
                (SELECT count(*)::int FROM observations) AS obs,
                (SELECT count(*)::int FROM cqc_ratings) AS cqc,
                (SELECT count(*)::int FROM intelligence) AS intel`,
      );
      assert.deepEqual(stored, {
        orgs: built.organisations,
        obs: built.synthetic_observations! + real.observations,
        cqc: built.cqc_ratings,
        intel: built.intelligence,
      });
    });

    it("every synthetic row comes from an import flagged synthetic; the real A&E series and the registry do not", async () => {
      const provenance = async (table: string) =>
        t.db.query<{ kind: string; synthetic: boolean; metric: string | null; n: number }>(
          `SELECT i.kind, i.synthetic, ${table === "observations" ? "r.metric_id" : "NULL"} AS metric,
                  count(*)::int AS n
             FROM ${table} r
             JOIN import_files f ON f.id = r.source_file_id
             JOIN imports i ON i.id = f.import_id
            GROUP BY 1, 2, 3`,
        );
      const observations = await provenance("observations");
      for (const row of observations) {
        const isReal = real.metrics.has(row.metric!);
        assert.equal(row.synthetic, !isReal, `${row.metric} from ${row.kind}`);
        assert.equal(row.kind, isReal ? "ae-attendances" : "demo-synthetic");
      }
      assert.deepEqual(
        new Set(observations.filter((r) => !r.synthetic).map((r) => r.metric)),
        real.metrics,
      );
      for (const table of ["cqc_ratings", "intelligence"]) {
        assert.deepEqual(
          (await provenance(table)).map((r) => [r.kind, r.synthetic]),
          [["demo-synthetic", true]],
        );
      }
      assert.deepEqual(
        (await provenance("organisations")).map((r) => [r.kind, r.synthetic]),
        [["demo-registry", false]],
      );
    });

    it("the stories are in the database: the inadequate trust's latest rating, the deficit, all four trusts listed as at the end", async () => {
      const code = (kind: string) => manifest.stories.find((s) => s.kind === kind)!.org_code;
      const [latest] = await t.db.query<{ overall: string }>(
        `SELECT overall FROM cqc_ratings WHERE org_code = $1 AND superseded_at IS NULL
          ORDER BY published_on DESC LIMIT 1`,
        [code("cqc_inadequate")],
      );
      assert.equal(latest?.overall, "inadequate");
      const position = shippedFrameworks()
        .get(manifest.framework)!
        .metrics.find((m) => m.roles.includes("financial_position"))!.id;
      const [deficit] = await t.db.query<{ n: number; max: number }>(
        "SELECT count(*)::int AS n, max(value) AS max FROM observations WHERE org_code = $1 AND metric_id = $2",
        [code("financial_deficit"), position],
      );
      assert.equal(deficit?.n, 36);
      assert.ok(deficit!.max < 0);
      const listed = new Set((await listOrganisations(t.ctx, manifest.asOf)).map((o) => o.code));
      for (const s of manifest.stories) assert.ok(listed.has(s.org_code), s.org_code);
    });
  });
}
