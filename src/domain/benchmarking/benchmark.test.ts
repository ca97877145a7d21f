import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { frameworkSchema, type FrameworkMetric } from "../frameworks/schema.js";
import type { OrgKind, Sector } from "../organisations/organisation.js";
import { benchmarkMetricPeriod, type BenchmarkEntry } from "./benchmark.js";
import { metricAppliesTo, peerGroupOf, populationOf } from "./population.js";
import { quantileCont } from "./quantile.js";
import { againstStandard } from "./standard.js";

const POPULATION = {
  id: "national:foundation_trust+nhs_trust",
  name: "nationally",
  comparison: "national" as const,
};

function bench(
  values: Record<string, number>,
  polarity: FrameworkMetric["polarity"] = "higher_is_better",
  minPopulation = 5,
) {
  const entries: BenchmarkEntry[] = Object.entries(values).map(([org_code, value]) => ({
    org_code,
    value,
  }));
  return benchmarkMetricPeriod({
    metric: { id: "m_test", polarity },
    period: "2019-03-01",
    population: POPULATION,
    entries,
    minPopulation,
  });
}

const positionOf = (b: ReturnType<typeof bench>, code: string) =>
  b.positions.find((p) => p.org_code === code);

describe("benchmarking one metric-period (requirements §3; DOMAIN §5 quartiles and deciles)", () => {
  test("ties share the better position: rank, percentile, quartile and decile", () => {
    const b = bench({ A: 90, B: 80, C: 80, D: 70, E: 60, F: 50 });
    assert.deepEqual(
      b.positions.map((p) => [p.org_code, p.rank]),
      [
        ["A", 1],
        ["B", 2],
        ["C", 2],
        ["D", 4],
        ["E", 5],
        ["F", 6],
      ],
    );
    const [b1, c1] = [positionOf(b, "B"), positionOf(b, "C")];
    assert.equal(b1?.percentile, 80); // 100 · (6 − 2) / 5
    assert.deepEqual([b1?.quartile, b1?.decile], [c1?.quartile, c1?.decile]);
  });

  test("polarity respected: lower is better ranks the smallest value first", () => {
    const b = bench({ A: 3, B: 9, C: 1, D: 5, E: 7 }, "lower_is_better");
    assert.deepEqual(
      b.positions.map((p) => p.org_code),
      ["C", "A", "D", "E", "B"],
    );
    assert.equal(positionOf(b, "C")?.quartile, 1);
    assert.equal(positionOf(b, "B")?.quartile, 4);
  });

  test("missing data is not assessed, never bottom: only reporters are ranked and counted", () => {
    const b = bench({ A: 5, B: 4, C: 3, D: 2, E: 1 });
    assert.equal(b.n, 5);
    assert.equal(positionOf(b, "Z"), undefined);
    assert.equal(positionOf(b, "E")?.rank, 5);
  });

  test("a population below the framework's minimum is not benchmarkable: no ranks, no cut-points", () => {
    const b = bench({ A: 5, B: 4, C: 3, D: 2 }, "higher_is_better", 5);
    assert.equal(b.status, "not_benchmarkable");
    assert.equal(b.cut_points, null);
    assert.ok(b.positions.every((p) => p.rank === null && p.quartile === null));
  });

  test("neutral polarity is reported with cut-points but never ranked good or bad", () => {
    const b = bench({ A: 5, B: 4, C: 3, D: 2, E: 1 }, "neutral");
    assert.equal(b.status, "not_ranked");
    assert.deepEqual(b.cut_points?.quartiles, [2, 3, 4]);
    assert.ok(b.positions.every((p) => p.rank === null && p.quartile === null));
  });

  test("cut-points are quantile_cont of the reporting values", () => {
    const values = { A: 61.2, B: 74.9, C: 70.1, D: 88.0, E: 79.5, F: 66.6, G: 91.3 };
    const sorted = Object.values(values).sort((a, b) => a - b);
    const b = bench(values);
    assert.deepEqual(b.cut_points?.quartiles, [
      quantileCont(sorted, 0.25),
      quantileCont(sorted, 0.5),
      quantileCont(sorted, 0.75),
    ]);
  });

  test("position equals the comparison with the cut-points, a value on a cut-point taking the better side (property)", () => {
    let seed = 11;
    const next = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let round = 0; round < 200; round++) {
      const n = 5 + Math.floor(next() * 40);
      const values: Record<string, number> = {};
      // Few distinct values, so ties and values on cut-points are common.
      for (let i = 0; i < n; i++) values[`O${i}`] = Math.floor(next() * 8) * 2.5;
      for (const polarity of ["higher_is_better", "lower_is_better"] as const) {
        const b = bench(values, polarity);
        const [q25, , q75] = b.cut_points?.quartiles ?? [];
        const d = b.cut_points?.deciles ?? [];
        for (const p of b.positions) {
          const higher = polarity === "higher_is_better";
          const top = higher ? p.value >= (q75 as number) : p.value <= (q25 as number);
          const bottom = higher ? p.value < (q25 as number) : p.value > (q75 as number);
          const bottomDecile = higher ? p.value < (d[0] as number) : p.value > (d[8] as number);
          assert.equal(p.quartile === 1, top, `top quartile, ${polarity}, value ${p.value}`);
          assert.equal(p.quartile === 4, bottom, `bottom quartile, ${polarity}, value ${p.value}`);
          assert.equal(p.decile === 10, bottomDecile, `bottom decile, ${polarity}`);
        }
        // Ranks are competition ranks: a permutation's positions with ties sharing the best.
        const ranks = b.positions.map((p) => p.rank as number);
        assert.equal(ranks[0], 1);
        ranks.forEach((rank, i) => assert.ok(rank === i + 1 || rank === ranks[i - 1]));
      }
    }
  });

  test("a standard is met or not, with the gap (e.g. A&E 4-hour 95%)", () => {
    const fourHour = {
      polarity: "higher_is_better" as const,
      standard: { value: 95, description: "95% in 4 hours" },
    };
    assert.deepEqual(againstStandard(fourHour, 71.2), { value: 95, met: false, gap: 71.2 - 95 });
    assert.equal(againstStandard(fourHour, 95)?.met, true);
    const zero = {
      polarity: "lower_is_better" as const,
      standard: { value: 0, description: "none" },
    };
    assert.equal(againstStandard(zero, 0)?.met, true);
    assert.equal(againstStandard(zero, 2)?.met, false);
    assert.equal(againstStandard({ polarity: "neutral", standard: fourHour.standard }, 50), null);
  });
});

describe("comparison populations (framework peer_groups and metric comparison)", () => {
  const framework = frameworkSchema.parse({
    id: "syn-pop",
    name: "Synthetic",
    short_name: "Syn",
    in_force_from: "2020-01-01",
    source: "test",
    organisation_kinds: ["nhs_trust", "foundation_trust", "icb"],
    themes: [{ id: "t_one", name: "One" }],
    peer_groups: [
      {
        id: "pg_acute",
        name: "Acute trusts",
        kinds: ["nhs_trust", "foundation_trust"],
        sectors: ["acute"],
      },
      {
        id: "pg_mh",
        name: "Mental health trusts",
        kinds: ["nhs_trust", "foundation_trust"],
        sectors: ["mental_health"],
      },
      { id: "pg_icb", name: "Integrated care boards", kinds: ["icb"] },
    ],
    metrics: [
      {
        id: "m_national",
        name: "National",
        theme: "t_one",
        unit: "percent",
        polarity: "higher_is_better",
        frequency: "monthly",
        valid_range: { min: 0, max: 100 },
        applies_to: { kinds: ["nhs_trust", "foundation_trust", "icb"], sectors: ["acute"] },
        source: "test",
      },
      {
        id: "m_peer",
        name: "Peer",
        theme: "t_one",
        unit: "percent",
        polarity: "higher_is_better",
        frequency: "monthly",
        valid_range: { min: 0, max: 100 },
        applies_to: { kinds: [], sectors: [] },
        comparison: "peer_group",
        source: "test",
      },
    ],
    segments: [1, 2, 3, 4].map((segment) => ({
      segment,
      name: `S${segment}`,
      description: "d",
      support: "s",
    })),
    criteria: {
      method: "scored",
      score_range: { best: 1, worst: 4 },
      populations: ["pg_acute"],
      segmentation: { method: "quartiles" },
      financial_override: { metric_role: "financial_position", deficit_below: 0, best_segment: 3 },
      league_order: ["average_score"],
      segments_organisations: ["nhs_trust"],
    },
    routing: [{ id: "r", body: "rsg", citation: "c" }],
    reviews: { cadence: [{ segments: [1, 2, 3, 4], every: "month", citation: "c" }], triggers: [] },
  });
  const [national, peer] = framework.metrics as [FrameworkMetric, FrameworkMetric];
  const org = (kind: OrgKind, sector: Sector | null) => ({ kind, sector });

  test("nationally means every reporting trust, whatever the sector; ICBs only with ICBs", () => {
    const acute = populationOf(framework, national, org("foundation_trust", "acute"));
    const mh = populationOf(framework, national, org("nhs_trust", "mental_health"));
    const icb = populationOf(framework, national, org("icb", null));
    assert.equal(acute.id, mh.id);
    assert.equal(acute.comparison, "national");
    assert.notEqual(icb.id, acute.id);
    assert.deepEqual(icb.kinds, ["icb"]);
  });

  test("a peer-group comparison ranks within the organisation's peer group of kind and sector", () => {
    const acute = populationOf(framework, peer, org("nhs_trust", "acute"));
    const mh = populationOf(framework, peer, org("foundation_trust", "mental_health"));
    assert.equal(acute.id, "peer_group:pg_acute");
    assert.equal(mh.id, "peer_group:pg_mh");
    assert.equal(peerGroupOf(framework, org("icb", null))?.id, "pg_icb");
  });

  test("a metric applies by kind and, for providers only, by sector (framework notes)", () => {
    assert.equal(metricAppliesTo(national, org("foundation_trust", "acute")), true);
    assert.equal(metricAppliesTo(national, org("foundation_trust", "mental_health")), false);
    assert.equal(metricAppliesTo(national, org("icb", null)), true);
  });
});
