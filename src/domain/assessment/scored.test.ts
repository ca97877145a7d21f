import assert from "node:assert/strict";
import { describe, test } from "node:test";

import type { Organisation, OrgCode } from "../organisations/organisation.js";
import { assessScoredPopulation } from "../scoring/assess-population.js";
import { org, scoredFramework, valuesOf } from "../scoring/scoring-fixture.js";
import type { CalendarDate } from "../shared/dates.js";
import { assessScored } from "./scored.js";
import type { AssessmentInput, ObservationInput } from "./types.js";

/*
 * The scored engine on stored observations (DOMAIN §4; data/README.md: metric scores 1.00–4.00,
 * averages quartiled within trust type, a trust in deficit no better than segment 3, segment 5 an
 * overlay, league by adjusted segment then average). Same five trusts as assess-population.test.ts.
 */
const framework = scoredFramework();
const Q1 = "2025-04-01";

function organisation(code: string, kind: Organisation["kind"] = "nhs_trust"): Organisation {
  return {
    code: code as OrgCode,
    name: `Trust ${code}`,
    kind,
    sector: kind === "icb" ? null : "mental_health",
    region: "Y56",
    icbCode: null,
    openDate: "2000-01-01" as CalendarDate,
    closeDate: null,
  };
}

const table: Record<string, [string, number][]> = {
  waits: [
    ["A", 1],
    ["B", 2],
    ["C", 3],
    ["D", 4],
    ["E", 0.5],
  ],
  plan: [
    ["A", 0],
    ["B", 0],
    ["C", 0],
    ["D", 0],
    ["E", -0.5],
  ],
  variance: ["A", "B", "C", "D", "E"].map((c) => [c, 0]),
  health: [["A", 5]],
};

function observations(): ObservationInput[] {
  const current = Object.entries(table).flatMap(([metric_id, pairs]) =>
    pairs.map(([org_code, value]) => ({ org_code, metric_id, period: Q1, value })),
  );
  return [
    ...current,
    // An earlier quarter (superseded by Q1) and a later one (after the date): neither is read.
    { org_code: "D", metric_id: "waits", period: "2025-01-01", value: 0.1 },
    { org_code: "D", metric_id: "waits", period: "2025-10-01", value: 0.1 },
    { org_code: "A", metric_id: "not_a_metric", period: Q1, value: 1 },
  ];
}

function input(overrides: Partial<AssessmentInput> = {}): AssessmentInput {
  return {
    framework,
    as_of: "2025-06-30",
    organisations: [..."EDCBA"].map((c) => organisation(c)).concat(organisation("QXX", "icb")),
    observations: observations(),
    cqc_ratings: [],
    judgements: [
      {
        id: "7",
        org_code: "C",
        kind: "recovery_support_programme",
        recorded_by: "national.team",
        recorded_on: "2025-05-01",
        summary: "Entered the Recovery Support Programme",
      },
    ],
    ...overrides,
  };
}

describe("assessScored: NOF 2025/26-shaped scoring from stored observations (DOMAIN §4)", () => {
  const run = assessScored(input());
  const of = (code: string) => run.assessments.find((a) => a.organisation.code === code)!;

  test("agrees with the scoring pipeline of src/domain/scoring on the same data", () => {
    const population = assessScoredPopulation(framework, {
      members: [..."ABCDE"].map(org),
      covers: "peer_group",
      values: valuesOf(table),
      overlayMembers: new Set([org("C")]),
    });
    for (const p of population) {
      const a = of(p.org);
      assert.equal(a.average_score, p.averageScore, p.org);
      assert.equal(a.unadjusted_segment, p.unadjustedSegment, p.org);
      assert.equal(a.adjusted_segment, p.adjustedSegment, p.org);
      assert.equal(a.final_segment, p.finalSegment, p.org);
      assert.equal(a.league?.position, p.leaguePosition, p.org);
    }
  });

  test("metric score evidence: value, latest period, rank of n, score, rule", () => {
    const waits = of("A").metric_scores.find((m) => m.metric_id === "waits")!;
    assert.deepEqual(
      [waits.status, waits.period, waits.value, waits.rank, waits.n, waits.score, waits.scored_by],
      ["scored", Q1, 1, 2, 5, 1.75, "rank"],
    );
    assert.match(waits.sentence, /rank 2 of 5 peers, scores 1\.75/);
    const plan = of("E").metric_scores.find((m) => m.metric_id === "plan")!;
    assert.deepEqual(
      [plan.scored_by, plan.band, plan.score],
      ["band", { min: -1, max: null, score: 2 }, 2],
    );
    assert.equal(of("D").metric_scores.find((m) => m.metric_id === "waits")!.value, 4);
  });

  test("no data is 'not assessed'; an unknown rule is listed but not scored", () => {
    const a = of("A");
    const status = (id: string) => a.metric_scores.find((m) => m.metric_id === id)!.status;
    assert.equal(status("reach"), "not_assessed");
    assert.equal(status("mystery"), "scoring_rule_unknown");
    assert.match(
      a.metric_scores.find((m) => m.metric_id === "mystery")!.sentence,
      /scoring rule unknown/,
    );
    assert.deepEqual(
      a.domain_scores.map((d) => [d.theme, d.score]),
      [
        ["access", 1.75],
        ["money", 1],
      ],
    );
  });

  test("quartile cut-points of the averages, the financial override with its evidence (data/README.md)", () => {
    const e = of("E");
    assert.deepEqual(e.cut_points, [1.5, 1.75, 2.125]);
    assert.equal(e.unadjusted_segment, 1);
    assert.equal(e.financial_override.status, "fired");
    assert.equal(e.financial_override.value, -0.5);
    assert.equal(e.adjusted_segment, 3);
    assert.match(e.sentence, /^Segment 3 \(Segment 3\): Average metric score 1\.50/);
    assert.match(e.sentence, /below 0\.0 \(in deficit\), so no better than segment 3/);
    assert.equal(of("A").financial_override.status, "not_fired");
  });

  test("segment 5 overlays only on a recorded Recovery Support Programme judgement", () => {
    assert.equal(of("C").adjusted_segment, 3);
    assert.equal(of("C").final_segment, 5);
    assert.equal(of("C").overlay.judgement?.id, "7");
    const ended = assessScored(
      input({ judgements: [{ ...input().judgements[0]!, ends_on: "2025-06-01" }] }),
    );
    assert.equal(ended.assessments.find((a) => a.organisation.code === "C")!.final_segment, 3);
  });

  test("the explanation tree: criterion → domain → metric, each sentence with its numbers", () => {
    const tree = of("A").explanation;
    assert.deepEqual(
      tree.map((n) => [n.id, n.status]),
      [
        ["average_score", "fired"],
        ["financial_override", "not_fired"],
        ["overlay", "not_fired"],
        ["contextual", "not_fired"],
      ],
    );
    const access = tree[0]!.children.find((n) => n.id === "domain.access")!;
    assert.ok(
      access.children.some(
        (n) => n.id === "metric.waits" && n.evidence[0]!.type === "metric_score",
      ),
    );
    const finance = tree[0]!.children.find((n) => n.id === "domain.money")!.children[0]!;
    assert.deepEqual(
      finance.children.map((n) => n.id),
      ["metric.plan", "metric.variance"],
    );
    assert.match(
      tree[0]!.sentence,
      /the best quartile of 5 peers \(cut-points 1\.50, 1\.75, 2\.13/,
    );
  });

  test("ICBs are not segmented (DOMAIN §4: ICBs are not segmented in 2025/26)", () => {
    const icb = of("QXX");
    assert.equal(icb.segmented, false);
    assert.equal(icb.final_segment, null);
    assert.match(icb.sentence, /does not segment ICBs/);
  });

  test("deterministic JSON; unknown metrics warned about", () => {
    assert.equal(JSON.stringify(assessScored(input())), JSON.stringify(run));
    const shuffled = assessScored(input({ observations: [...observations()].reverse() }));
    assert.equal(JSON.stringify(shuffled), JSON.stringify(run));
    assert.deepEqual(run.warnings, [
      '1 observation of metric "not_a_metric", not in scored-test: ignored',
    ]);
  });

  test("paths: the deficit must close first; segment 5 needs exit from the programme", () => {
    const e = of("E");
    assert.deepEqual(
      e.paths.map((p) => [p.target_segment, p.deficit_to_close?.needed_value, p.moves.length]),
      [
        [2, 0, 0],
        [1, 0, 0],
      ],
    );
    assert.match(e.paths[0]!.sentence, /the deficit must close first/);
    const c = of("C").paths;
    assert.deepEqual(
      c.map((p) => p.target_segment),
      [4, 3, 2, 1],
    );
    assert.ok(c.every((p) => p.overlay_exit !== null));
    assert.equal(c[1]!.moves.length, 0);
    assert.ok(c[2]!.moves.length > 0);
  });

  test("a framework of eligibility criteria is refused", () => {
    const eligibility = { ...framework, criteria: { method: "eligibility" } } as never;
    assert.throws(() => assessScored(input({ framework: eligibility })), /does not score/);
  });
});
