/**
 * requirements §2, rule D: the metric each A&E measure is imported as comes from the framework
 * catalogue's `feed` (FrameworkRegistry.metricsFedBy("ae")), never from the importer: take the
 * `feed` away from a metric and its measure is not imported.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { FrameworkRegistry } from "../../src/domain/frameworks/registry.js";
import type { Framework } from "../../src/domain/frameworks/schema.js";
import { AE_MEASURES } from "../../src/ingest/ae-statistics.js";
import { importAeMonthly } from "../../src/services/import-statistics.js";
import { loadShippedFrameworks } from "../../src/store/framework-files.js";
import {
  openTestDatabase,
  shippedFrameworks,
  testEngines,
  type TestDatabase,
} from "../support/database.js";
import { loadRegistry } from "../registry/load-registry.js";
import { AE_MONTHLY_SAMPLE } from "./ae-raw.js";

/** The shipped frameworks, with `feed` removed from every version's definition of `metricId`. */
function withoutFeed(metricId: string): FrameworkRegistry {
  const versions = structuredClone(loadShippedFrameworks()) as Framework[];
  let removed = 0;
  for (const version of versions) {
    for (const metric of version.metrics) {
      if (metric.id === metricId && metric.feed) {
        delete metric.feed;
        removed++;
      }
    }
  }
  assert.ok(removed > 0, `some shipped version feeds ${metricId}`);
  return new FrameworkRegistry(versions);
}

describe("A&E measures → metrics, from the catalogue (requirements §2 D)", () => {
  it("every measure the A&E importers yield feeds exactly one metric of the shipped catalogue", () => {
    const fed = shippedFrameworks().metricsFedBy("ae");
    const catalogue = shippedFrameworks().metricCatalogue();
    assert.deepEqual([...fed.keys()].sort(), [...AE_MEASURES].sort());
    for (const [measure, metricId] of fed)
      assert.equal(catalogue.get(metricId)?.feed, `ae.${measure}`);
  });

  it("a metric without a feed is fed by nothing", () => {
    const shipped = shippedFrameworks().metricsFedBy("ae");
    const type1 = shipped.get("four_hour_type1")!;
    const fed = withoutFeed(type1).metricsFedBy("ae");
    assert.equal(fed.has("four_hour_type1"), false);
    assert.deepEqual([...fed].sort(), [...shipped].filter(([m]) => m !== "four_hour_type1").sort());
  });
});

for (const engine of testEngines()) {
  describe(`importing A&E with a catalogue that does not feed type 1 [${engine}] (requirements §2 D)`, () => {
    let t: TestDatabase;
    before(async () => {
      t = await openTestDatabase(engine);
      await loadRegistry(t.ctx);
    });
    after(() => t.close());

    it("imports no observation of the metric that lost its feed, and the others as before", async () => {
      const shipped = shippedFrameworks().metricsFedBy("ae");
      const type1 = shipped.get("four_hour_type1")!;
      const report = await importAeMonthly(
        { db: t.db, frameworks: withoutFeed(type1) },
        AE_MONTHLY_SAMPLE,
        { importedBy: "test" },
      );
      assert.equal(report.ok, true);
      const perMetric = await t.db.query<{ metric_id: string; n: number }>(
        "SELECT metric_id, count(*)::int AS n FROM observations GROUP BY metric_id",
      );
      const metrics = perMetric.map((r) => r.metric_id).sort();
      assert.deepEqual(
        metrics,
        [...shipped]
          .filter(([m]) => m !== "four_hour_type1")
          .map(([, id]) => id)
          .sort(),
      );
      assert.ok(perMetric.every((r) => r.n > 0));
      assert.equal(
        report.observations,
        perMetric.reduce((n, r) => n + r.n, 0),
      );

      // With the shipped catalogue the same file adds the type 1 observations and nothing else.
      const full = await importAeMonthly(t.ctx, AE_MONTHLY_SAMPLE, { importedBy: "test" });
      const [added] = await t.db.query<{ n: number; other: number }>(
        `SELECT count(*) FILTER (WHERE metric_id = $1)::int AS n,
                count(*) FILTER (WHERE metric_id <> $1 AND revision > 1)::int AS other
           FROM observations`,
        [type1],
      );
      assert.equal(full.files[0]?.added, added!.n);
      assert.ok(added!.n > 0);
      assert.equal(added!.other, 0);
    });
  });
}
