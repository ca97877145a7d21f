/**
 * requirements §2, rule E (the files): `oversight demo` builds the demo national dataset deterministically
 * from a seed, over the real organisation list and the 36 months of the real A&E series, with
 * planted stories that must be visible in the generated CSVs. What is planted is read from
 * src/demo/synthesise.ts; expectations come from the manifest, the framework catalogue, the
 * profiles in data/demo/metric-profiles.yaml and the CSVs themselves.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { after, before, describe, it } from "node:test";
import { parse } from "csv-parse/sync";
import { parse as parseYaml } from "yaml";
import { synthesiseDemo, type MetricProfile } from "../../src/demo/synthesise.js";
import type { FrameworkMetric } from "../../src/domain/frameworks/schema.js";
import { addMonths, type CalendarDate } from "../../src/domain/shared/dates.js";
import { registryOrganisations } from "../../src/ingest/registry.js";
import {
  buildDemo,
  DEFAULT_DEMO_SEED,
  DEMO_AE_DIR,
  readDemoManifest,
  type DemoManifest,
} from "../../src/services/demo.js";
import { loadShippedFrameworks } from "../../src/store/framework-files.js";
import { shippedFrameworks } from "../support/database.js";

type Row = Record<string, string>;
const readCsv = (path: string) => parse(readFileSync(path), { columns: true }) as Row[];
const PROFILES = parseYaml(
  readFileSync(new URL("../../data/demo/metric-profiles.yaml", import.meta.url), "utf8"),
) as Record<string, MetricProfile>;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
/** +1 when higher is better, −1 when lower is, 0 for a neutral metric. */
const direction = (m: FrameworkMetric) =>
  m.polarity === "higher_is_better" ? 1 : m.polarity === "lower_is_better" ? -1 : 0;

describe("demo dataset build (requirements §2 E)", () => {
  let tmp: string;
  let manifest: DemoManifest;
  let counts: Record<string, number>;
  let organisations: Row[];
  let observations: Row[];
  let ratings: Row[];
  let intelligence: Row[];
  let metrics: Map<string, FrameworkMetric>;
  const sectorOf = new Map<string, string>();
  const story = (kind: string) => {
    const found = manifest.stories.find((s) => s.kind === kind);
    assert.ok(found, `the manifest has a ${kind} story`);
    return found.org_code;
  };
  /** "metric" → "period_start" → "org" → value. */
  const values = new Map<string, Map<string, Map<string, number>>>();
  const seriesOf = (metric: string, org: string) =>
    [...(values.get(metric) ?? new Map<string, Map<string, number>>())]
      .filter(([, byOrg]) => byOrg.has(org))
      .map(([period, byOrg]) => ({ period, value: byOrg.get(org)! }))
      .sort((a, b) => a.period.localeCompare(b.period));

  before(() => {
    tmp = mkdtempSync(join(tmpdir(), "oversight-demo-build-"));
    const built = buildDemo({ outDir: join(tmp, "a"), frameworks: loadShippedFrameworks() });
    manifest = built.manifest;
    counts = built.counts;
    organisations = readCsv(join(tmp, "a", "registry", "organisations.csv"));
    observations = readCsv(join(tmp, "a", "synthetic", "observations.csv"));
    ratings = readCsv(join(tmp, "a", "synthetic", "cqc_ratings.csv"));
    intelligence = readCsv(join(tmp, "a", "synthetic", "intelligence.csv"));
    metrics = new Map(
      shippedFrameworks()
        .get(manifest.framework)!
        .metrics.map((m) => [m.id, m]),
    );
    for (const o of organisations) sectorOf.set(o.code!, o.sector!);
    for (const o of observations) {
      const byPeriod = values.get(o.metric_id!) ?? new Map<string, Map<string, number>>();
      const byOrg = byPeriod.get(o.period_start!) ?? new Map<string, number>();
      byOrg.set(o.org_code!, Number(o.value));
      byPeriod.set(o.period_start!, byOrg);
      values.set(o.metric_id!, byPeriod);
    }
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it("the same seed gives byte-identical files; the manifest says which seed", () => {
    buildDemo({ outDir: join(tmp, "b"), frameworks: loadShippedFrameworks() });
    const files = filesUnder(join(tmp, "a"));
    assert.deepEqual(files, filesUnder(join(tmp, "b")));
    assert.deepEqual(files, [
      "manifest.json",
      "registry/organisations.csv",
      "synthetic/cqc_ratings.csv",
      "synthetic/intelligence.csv",
      "synthetic/observations.csv",
    ]);
    for (const f of files) {
      assert.ok(
        readFileSync(join(tmp, "a", f)).equals(readFileSync(join(tmp, "b", f))),
        `${f} is identical`,
      );
    }
    assert.equal(manifest.seed, DEFAULT_DEMO_SEED);
    assert.deepEqual(readDemoManifest(join(tmp, "a")), manifest);
  });

  it("a different seed gives different synthetic observations for the same organisations, metrics and periods", () => {
    const other = buildDemo({
      seed: DEFAULT_DEMO_SEED + 1,
      outDir: join(tmp, "c"),
      frameworks: loadShippedFrameworks(),
    });
    assert.equal(other.manifest.seed, DEFAULT_DEMO_SEED + 1);
    assert.ok(
      readFileSync(join(tmp, "a", "registry", "organisations.csv")).equals(
        readFileSync(join(tmp, "c", "registry", "organisations.csv")),
      ),
    );
    const otherObservations = readCsv(join(tmp, "c", "synthetic", "observations.csv"));
    const key = (o: Row) => `${o.org_code}|${o.metric_id}|${o.period_start}|${o.period_end}`;
    assert.deepEqual(otherObservations.map(key), observations.map(key));
    const differing = observations.filter((o, i) => o.value !== otherObservations[i]!.value);
    assert.ok(
      differing.length > observations.length / 2,
      `${differing.length} of ${observations.length} values differ`,
    );
  });

  it("covers the real organisation list and the 36 months of the real A&E series", () => {
    assert.deepEqual(
      organisations.map((o) => o.code),
      registryOrganisations().map((o) => o.code),
    );
    assert.equal(counts.organisations, organisations.length);
    const months = readdirSync(DEMO_AE_DIR)
      .filter((f) => /^\d{4}-\d{2}-01\.csv$/.test(f))
      .map((f) => f.slice(0, 10))
      .sort();
    assert.equal(months.length, 36);
    assert.equal(manifest.firstMonth, months[0]);
    assert.equal(manifest.lastMonth, months[35]);
    const monthly = observations.filter((o) => metrics.get(o.metric_id!)?.frequency === "monthly");
    assert.deepEqual([...new Set(monthly.map((o) => o.period_start))].sort(), months);
    assert.equal(counts.synthetic_observations, observations.length);
    assert.equal(counts.cqc_ratings, ratings.length);
    assert.equal(counts.intelligence, intelligence.length);
  });

  it("synthesises every metric of the framework in force except those the real A&E series feeds", () => {
    assert.equal(shippedFrameworks().inForceOn(manifest.asOf)?.id, manifest.framework);
    const fed = shippedFrameworks().metricsFedBy("ae");
    const real = ["four_hour_all", "four_hour_type1", "attendances"].map((m) => fed.get(m)!);
    assert.deepEqual(manifest.unprofiledMetrics, []);
    assert.deepEqual(
      [...new Set(observations.map((o) => o.metric_id))].sort(),
      [...metrics.keys()].filter((id) => !real.includes(id)).sort(),
    );
    assert.ok(observations.some((o) => o.metric_id === fed.get("twelve_hour_dta")));
  });

  it("every value lies in its metric's valid range, and nothing is dated outside its organisation's life", () => {
    const org = new Map(organisations.map((o) => [o.code!, o]));
    const openOn = (code: string, date: string) => {
      const o = org.get(code)!;
      return o.open_date! <= date && (o.close_date === "" || date <= o.close_date!);
    };
    for (const o of observations) {
      const { min, max } = metrics.get(o.metric_id!)!.valid_range;
      const v = Number(o.value);
      assert.ok(v >= min && v <= max, `${o.metric_id} ${v}`);
      assert.ok(openOn(o.org_code!, o.period_start!) && openOn(o.org_code!, o.period_end!));
    }
    for (const r of ratings) assert.ok(openOn(r.org_code!, r.published_on!));
    for (const r of intelligence) assert.ok(openOn(r.org_code!, r.received_on!));
  });

  it("plants four stories on four different acute trusts open throughout the window", () => {
    assert.deepEqual(manifest.stories.map((s) => s.kind).sort(), [
      "cqc_inadequate",
      "financial_deficit",
      "sharp_deterioration",
      "top_performer",
    ]);
    const codes = manifest.stories.map((s) => s.org_code);
    assert.equal(new Set(codes).size, 4);
    for (const s of manifest.stories) {
      const o = organisations.find((r) => r.code === s.org_code)!;
      assert.equal(o.name, s.org_name);
      assert.equal(o.sector, "acute");
      assert.ok(o.open_date! <= manifest.firstMonth && o.close_date === "");
    }
  });

  it("sharp deterioration: every monthly measure of performance falls sharply in the last eight months", () => {
    const org = story("sharp_deterioration");
    // "performance falls sharply over the last eight months"
    const from = addMonths(manifest.lastMonth, -7);
    const directional = [...metrics.values()].filter(
      (m) => m.frequency === "monthly" && direction(m) !== 0 && seriesOf(m.id, org).length > 0,
    );
    assert.ok(directional.length >= 10);
    /** Standardised goodness per month, averaged over the metrics. */
    const composite = new Map<string, number[]>();
    for (const m of directional) {
      const profile = PROFILES[m.id]!.by_sector?.acute ?? PROFILES[m.id]!;
      const series = seriesOf(m.id, org);
      assert.equal(series.length, 36);
      const earlier = mean(series.filter((p) => p.period < from).map((p) => p.value));
      const last8 = series.filter((p) => p.period >= from).map((p) => p.value);
      assert.equal(last8.length, 8);
      const fall = (direction(m) * (earlier - mean(last8))) / profile.sd;
      assert.ok(fall >= 1, `${m.id} worsens by ${fall.toFixed(2)} sd (at least 1)`);
      for (const p of series) {
        const z = (direction(m) * (p.value - profile.mean)) / profile.sd;
        composite.set(p.period, [...(composite.get(p.period) ?? []), z]);
      }
    }
    const byMonth = [...composite].map(([period, zs]) => ({ period, z: mean(zs) }));
    const worstBefore = Math.min(...byMonth.filter((p) => p.period < from).map((p) => p.z));
    const bestAfter = Math.max(...byMonth.filter((p) => p.period >= from).map((p) => p.z));
    assert.ok(
      bestAfter < worstBefore,
      `each of the last eight months (best ${bestAfter.toFixed(2)}) is worse than every earlier month (worst ${worstBefore.toFixed(2)})`,
    );
  });

  it("CQC inadequate: the trust's latest rating is inadequate overall and for well-led, in the final months", () => {
    const org = story("cqc_inadequate");
    const own = ratings
      .filter((r) => r.org_code === org)
      .sort((a, b) => a.published_on!.localeCompare(b.published_on!));
    const latest = own.at(-1)!;
    assert.equal(latest.overall, "inadequate");
    assert.equal(latest.well_led, "inadequate");
    assert.ok(latest.published_on! >= addMonths(manifest.lastMonth, -5), latest.published_on);
    assert.ok(
      intelligence.some((i) => i.org_code === org && i.confidentiality === "official_sensitive"),
      "with a sensitive concern on record",
    );
  });

  it("financial deficit: the trust's financial position and variance to plan are negative every month", () => {
    const org = story("financial_deficit");
    const finance = [...metrics.values()].filter(
      (m) => m.roles.includes("financial_position") || m.roles.includes("variance_to_plan"),
    );
    assert.ok(finance.some((m) => m.roles.includes("financial_position")));
    assert.ok(finance.some((m) => m.roles.includes("variance_to_plan")));
    for (const m of finance) {
      const series = seriesOf(m.id, org);
      assert.equal(series.length, 36);
      for (const p of series) assert.ok(p.value < 0, `${m.id} ${p.period}: ${p.value}`);
    }
  });

  it("top performer: in the top quartile of its sector's peers on most points of every measure; CQC outstanding; in surplus", () => {
    const org = story("top_performer");
    let top = 0;
    let all = 0;
    for (const m of metrics.values()) {
      if (direction(m) === 0) continue;
      let metricTop = 0;
      const series = seriesOf(m.id, org);
      if (series.length === 0) continue; // real A&E series: not planted
      for (const { period, value } of series) {
        const peers = [...values.get(m.id)!.get(period)!].filter(
          ([code]) => sectorOf.get(code) === sectorOf.get(org),
        );
        const better = peers.filter(([, v]) => direction(m) * (v - value) > 0).length;
        if (better < peers.length / 4) metricTop++;
      }
      assert.ok(
        metricTop > series.length / 2,
        `${m.id}: top quartile ${metricTop}/${series.length}`,
      );
      top += metricTop;
      all += series.length;
    }
    assert.ok(top >= 0.75 * all, `top quartile on ${top} of ${all} points`);
    const latest = ratings
      .filter((r) => r.org_code === org)
      .sort((a, b) => a.published_on!.localeCompare(b.published_on!))
      .at(-1)!;
    assert.equal(latest.overall, "outstanding");
    const position = [...metrics.values()].find((m) => m.roles.includes("financial_position"))!;
    const surplus = seriesOf(position.id, org).filter((p) => p.value > 0).length;
    assert.ok(surplus > 0.75 * 36, `in surplus ${surplus} of 36 months`);
  });

  it("realistic: the per-sector median lies within the profile's mean ± sd (sectors of 10 or more trusts)", () => {
    const sizes = new Map<string, number>();
    for (const s of sectorOf.values()) if (s) sizes.set(s, (sizes.get(s) ?? 0) + 1);
    let checked = 0;
    // written_complaints has a profile per sector; the others one national profile.
    for (const id of ["written_complaints", "rtt_18wk_incomplete", "staff_sickness"]) {
      const bySector = new Map<string, number[]>();
      for (const byOrg of values.get(id)!.values())
        for (const [code, v] of byOrg)
          bySector.set(sectorOf.get(code)!, [...(bySector.get(sectorOf.get(code)!) ?? []), v]);
      for (const [sector, vs] of bySector) {
        if ((sizes.get(sector) ?? 0) < 10) continue;
        const profile = PROFILES[id]!.by_sector?.[sector] ?? PROFILES[id]!;
        const m = median(vs);
        assert.ok(
          Math.abs(m - profile.mean) <= profile.sd,
          `${id} ${sector}: median ${m}, profile ${profile.mean} ± ${profile.sd}`,
        );
        checked++;
      }
    }
    assert.ok(checked >= 8, `${checked} sector medians checked`);
  });
});

describe("synthetic data respects organisations' lives, whatever the seed (requirements §2 E)", () => {
  it("no observation, rating or intelligence item is dated before an organisation opened or after it closed", () => {
    const organisations = registryOrganisations();
    const byCode = new Map(organisations.map((o) => [o.code, o]));
    const openOn = (code: string, date: string) => {
      const o = byCode.get(code)!;
      return o.open_date <= date && (o.close_date === null || date <= o.close_date);
    };
    assert.ok(
      organisations.some((o) => o.kind !== "icb" && o.open_date > "2016-04-01"),
      "the registry has trusts that open during or after the window (e.g. R0D in 2020)",
    );
    const framework = shippedFrameworks().inForceOn("2019-03-31" as CalendarDate)!;
    // Two metrics keep this fast; thirty seeds give thirty different draws of dates.
    const some = {
      ...framework,
      metrics: framework.metrics.filter((m) => m.id === "staff_sickness" || m.id === "shmi"),
    };
    for (let seed = 1; seed <= 30; seed++) {
      const out = synthesiseDemo({
        seed,
        framework: some,
        organisations,
        profiles: PROFILES,
        realMetrics: new Set(),
        firstMonth: "2016-04-01" as CalendarDate,
        lastMonth: "2019-03-01" as CalendarDate,
      });
      for (const o of out.observations)
        assert.ok(openOn(o.org_code, o.period_start) && openOn(o.org_code, o.period_end));
      for (const r of out.cqc_ratings) assert.ok(openOn(r.org_code, r.published_on));
      for (const r of out.intelligence)
        assert.ok(
          openOn(r.org_code, r.received_on),
          `seed ${seed}: ${r.org_code} ${r.received_on}`,
        );
    }
  });
});
