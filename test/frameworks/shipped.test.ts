/**
 * requirements §2, rule 1: frameworks are data. The three shipped versions load and validate, their
 * periods in force tile time without overlap — and with one documented gap, the System Oversight
 * Framework 2021/22 (docs/domain.md §4) — and `inForceOn` picks the right version on the boundary
 * dates read from the files themselves.
 */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { FrameworkRegistry } from "../../src/domain/frameworks/registry.js";
import type { Framework } from "../../src/domain/frameworks/schema.js";
import { addDays, type CalendarDate } from "../../src/domain/shared/dates.js";
import {
  FRAMEWORKS_DIR,
  loadFrameworkFile,
  loadShippedFrameworks,
} from "../../src/store/framework-files.js";

const d = (text: string) => text as CalendarDate;

describe("shipped framework files (requirements §2, rule 1)", () => {
  const shipped = loadShippedFrameworks();
  const registry = new FrameworkRegistry(shipped);

  it("are the three versions, each valid, ordered by the date they came into force", () => {
    assert.deepEqual(
      readdirSync(FRAMEWORKS_DIR)
        .filter((f) => f.endsWith(".yaml"))
        .sort(),
      ["nof-2022.yaml", "nof-2025.yaml", "sof-2016.yaml"],
    );
    assert.deepEqual(
      shipped.map((f) => f.id),
      ["sof-2016", "nof-2022", "nof-2025"],
    );
    for (const f of shipped) {
      assert.deepEqual(loadFrameworkFile(join(FRAMEWORKS_DIR, `${f.id}.yaml`)), f);
      assert.ok(f.metrics.length > 0 && f.themes.length > 0, f.id);
    }
  });

  it("every metric's theme exists and no metric id repeats within a version", () => {
    for (const f of shipped) {
      const themes = new Set(f.themes.map((t) => t.id));
      for (const m of f.metrics) assert.ok(themes.has(m.theme), `${f.id} ${m.id}`);
      assert.equal(new Set(f.metrics.map((m) => m.id)).size, f.metrics.length, f.id);
    }
  });

  // docs/domain.md §4; seed 004 §8: the System Oversight Framework 2021/22 applied until 1 July
  // 2022, and it is not in the seeds: SOF 2016/17 ends in 2021 and no file covers the year after.
  const GAPS: Record<string, string> = { "sof-2016": "2021-07-01 to 2022-06-30" };

  it("follow one another without overlap, the only gap the documented 2021/22 one; only the latest is open-ended", () => {
    for (let i = 0; i + 1 < shipped.length; i++) {
      const [current, next] = [shipped[i]!, shipped[i + 1]!];
      assert.ok(current.in_force_to, `${current.id} has ended`);
      const gap = GAPS[current.id];
      if (gap) {
        assert.equal(
          `${addDays(d(current.in_force_to), 1)} to ${addDays(d(next.in_force_from), -1)}`,
          gap,
        );
      } else {
        assert.equal(addDays(d(current.in_force_to), 1), next.in_force_from, current.id);
      }
    }
    assert.equal(shipped.at(-1)!.in_force_to, undefined);
  });

  it("inForceOn picks the version in force on each boundary date in the files", () => {
    const on = (date: string) => registry.inForceOn(d(date))?.id;
    shipped.forEach((f, i) => {
      const previous = shipped[i - 1];
      const next = shipped[i + 1];
      assert.equal(on(f.in_force_from), f.id, `${f.id} on its first day`);
      assert.equal(
        on(addDays(d(f.in_force_from), -1)),
        previous && GAPS[previous.id] ? undefined : previous?.id,
        `day before ${f.id}`,
      );
      if (f.in_force_to) {
        assert.equal(on(f.in_force_to), f.id, `${f.id} on its last day`);
        assert.equal(
          on(addDays(d(f.in_force_to), 1)),
          GAPS[f.id] ? undefined : next?.id,
          `day after ${f.id}`,
        );
      }
    });
  });

  it("inForceOn on the known dates of the three frameworks", () => {
    const on = (date: string) => registry.inForceOn(d(date))?.id;
    assert.equal(on("2016-09-30"), undefined, "before the Single Oversight Framework");
    assert.equal(on("2016-10-01"), "sof-2016");
    // Seed 004 §5, §8, §51: the System Oversight Framework 2021/22 applied from 2021.
    assert.equal(on("2021-06-30"), "sof-2016");
    assert.equal(on("2021-07-01"), undefined, "System Oversight Framework 2021/22: no file");
    assert.equal(on("2022-06-30"), undefined, "System Oversight Framework 2021/22: no file");
    assert.equal(on("2022-07-01"), "nof-2022", "ICBs became statutory");
    assert.equal(on("2025-03-31"), "nof-2022");
    assert.equal(on("2025-04-01"), "nof-2025");
    assert.equal(on("2040-12-31"), "nof-2025", "the latest stays in force until replaced");
  });

  it("inForceOn prefers the latest to have started, unless it has ended", () => {
    const base = shipped[0]!;
    const version = (id: string, from: string, to?: string): Framework => ({
      ...base,
      id,
      in_force_from: d(from),
      ...(to ? { in_force_to: d(to) } : { in_force_to: undefined }),
    });
    const r = new FrameworkRegistry([
      version("open-ended", "2020-01-01"),
      version("interim", "2021-01-01", "2021-12-31"),
    ]);
    assert.equal(r.inForceOn(d("2020-06-01"))?.id, "open-ended");
    assert.equal(r.inForceOn(d("2021-06-01"))?.id, "interim");
    assert.equal(r.inForceOn(d("2022-01-01"))?.id, "open-ended");
    assert.equal(r.get("interim")?.in_force_to, "2021-12-31");
    assert.equal(r.get("nof-2022"), undefined);
  });

  it("the metric catalogue knows every metric of every version; later definitions win", () => {
    const catalogue = registry.metricCatalogue();
    for (const f of shipped) for (const m of f.metrics) assert.ok(catalogue.has(m.id), m.id);
    for (const [id, metric] of catalogue) {
      const latest = shipped.findLast((f) => f.metrics.some((m) => m.id === id))!;
      assert.equal(
        metric,
        latest.metrics.find((m) => m.id === id),
        id,
      );
    }
  });

  it("each national-statistics measure feeds one metric", () => {
    const feeds = shipped.flatMap((f) => f.metrics.flatMap((m) => (m.feed ? [m.feed] : [])));
    assert.ok(feeds.length > 0, "some metric names the statistic that feeds it");
    for (const dataset of new Set(feeds.map((feed) => feed.split(".")[0]!))) {
      const fed = registry.metricsFedBy(dataset);
      for (const [measure, metricId] of fed)
        assert.equal(registry.metricCatalogue().get(metricId)?.feed, `${dataset}.${measure}`);
    }
  });
});
