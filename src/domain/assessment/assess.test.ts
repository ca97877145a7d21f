import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { quantileCont } from "../benchmarking/quantile.js";
import { formatValue } from "../criteria/format.js";
import { assessOrganisations } from "./assess.js";
import {
  ALL_BEST,
  assessSubject,
  criterion,
  MONTHS,
  scenarioInput,
  SUBJECT,
  SYNTHETIC_FRAMEWORK,
  type Scenario,
} from "./assessment-fixture.js";
import { eligibilityCriteriaOf } from "../criteria/proposal.js";
import type { EligibilityCriteria, Framework } from "../frameworks/schema.js";
import { pathToSegment } from "./path.js";
import type { PathNode, PathTarget } from "./types.js";

const behindPlan = { m_plan_gap: -0.5 }; // a segment 3 finance criterion, not a segment 4 one
const breach = {
  kind: "licence_breach_evidence" as const,
  recorded_by: "Regional team",
  recorded_on: "2019-02-01",
  summary: "Suspected breach of the governance condition",
};

const HELD_FOR_EVIDENCE =
  "it is proposed for segment 2 because mandated support (segment 3) needs recorded evidence of actual or suspected breach of the licence (or the equivalent for an NHS trust), and none is recorded";

const BASE_CRITERIA = eligibilityCriteriaOf(SYNTHETIC_FRAMEWORK);

/** The synthetic framework with some eligibility criteria replaced. */
function withCriteria(changes: Partial<EligibilityCriteria>): Framework {
  return { ...SYNTHETIC_FRAMEWORK, criteria: { ...BASE_CRITERIA, ...changes } };
}

function scenarioInputFor(framework: Framework, scenario: Scenario) {
  return { ...scenarioInput(scenario), framework };
}

function targets(node: PathNode): PathTarget[] {
  return [...node.targets, ...node.children.flatMap(targets)];
}

describe("the proposed segment (DOMAIN §5; NHS OF 2022/23 Table 3)", () => {
  test("segment 2 is the default when no criterion for another segment is met", () => {
    const a = assessSubject();
    assert.equal(a.proposed_segment, 2);
    assert.match(a.sentence, /^Proposed segment 2 \(Targeted support\), the default/);
  });

  test("segment 1 needs every segment 1 criterion: top quartile, balanced finance, CQC good", () => {
    const a = assessSubject({ subject: ALL_BEST });
    assert.equal(a.proposed_segment, 1);
    const noRating = assessSubject({ subject: ALL_BEST, cqc: null });
    assert.equal(noRating.proposed_segment, 2);
  });

  test("any segment 3 criterion makes an NHS trust eligible for 3", () => {
    const a = assessSubject({ subject: behindPlan });
    assert.equal(a.eligible_segment, 3);
    assert.equal(a.proposed_segment, 3);
    assert.equal(a.licence_breach, null);
  });

  test("segment 4 needs the segment 3 criteria: a segment 4 criterion alone does not move a trust (Table 3 'in addition to')", () => {
    const failure = {
      kind: "catastrophic_safety_failure" as const,
      recorded_by: "Dr A Reviewer",
      recorded_on: "2019-01-10",
      summary: "Serious incident cluster",
    };
    const alone = assessSubject({ judgements: [failure] });
    assert.equal(alone.proposed_segment, 2);
    assert.match(
      alone.segments[2]?.sentence ?? "",
      /catastrophic safety failure fired, but segment 4 also needs a segment 3 criterion/,
    );
    const withSegment3 = assessSubject({ subject: behindPlan, judgements: [failure] });
    assert.equal(withSegment3.proposed_segment, 4);
  });

  test("additional considerations are shown, never weighed (Table 3 additional considerations)", () => {
    const mitigation = {
      kind: "mitigating_circumstances" as const,
      recorded_by: "Regional team",
      recorded_on: "2019-02-15",
      summary: "Emergency department closed by fire for six weeks",
    };
    const a = assessSubject({ subject: behindPlan, judgements: [mitigation] });
    assert.equal(a.proposed_segment, 3);
    assert.equal(a.considerations.length, 1);
    assert.match(a.considerations[0]?.sentence ?? "", /Emergency department closed by fire/);
    assert.match(a.considerations[0]?.sentence ?? "", /does not change the proposed segment/);
  });
});

describe("foundation trusts and licence breach (NHS OF 2022/23 Annex A §12)", () => {
  test("an FT eligible for 3 without licence-breach evidence is held at 2, said in plain English", () => {
    const a = assessSubject({ kind: "foundation_trust", subject: behindPlan });
    assert.equal(a.eligible_segment, 3);
    assert.equal(a.proposed_segment, 2);
    assert.deepEqual(a.held, {
      eligible_segment: 3,
      held_at: 2,
      gates: ["licence_breach_evidence"],
      reason: HELD_FOR_EVIDENCE,
    });
    assert.match(
      a.sentence,
      /^Proposed segment 2 \(Targeted support\)\. The data meet the criteria for segment 3 .* so it is eligible to be considered for segment 3; it is proposed for segment 2 because mandated support \(segment 3\) needs recorded evidence of actual or suspected breach/,
    );
  });

  test('Annex A §12 "or equivalent for NHS trusts": the gate is the same for an NHS trust under a framework that lists both kinds', () => {
    const both = withCriteria({ licence_breach_required_kinds: ["foundation_trust", "nhs_trust"] });
    for (const kind of ["foundation_trust", "nhs_trust"] as const) {
      const held = assessOrganisations(scenarioInputFor(both, { kind, subject: behindPlan }));
      const a = held.assessments.find((x) => x.organisation.code === SUBJECT)!;
      assert.equal(a.proposed_segment, 2, kind);
      assert.deepEqual(a.held?.gates, ["licence_breach_evidence"], kind);
      const backed = assessOrganisations(
        scenarioInputFor(both, { kind, subject: behindPlan, judgements: [breach] }),
      );
      assert.equal(
        backed.assessments.find((x) => x.organisation.code === SUBJECT)!.proposed_segment,
        3,
        kind,
      );
    }
  });

  test("with recorded licence-breach evidence the FT is proposed for 3", () => {
    const a = assessSubject({
      kind: "foundation_trust",
      subject: behindPlan,
      judgements: [breach],
    });
    assert.equal(a.proposed_segment, 3);
    assert.equal(a.held, null);
    assert.equal(a.licence_breach?.evidence_recorded, true);
    assert.match(a.licence_breach?.sentence ?? "", /recorded by Regional team on 2019-02-01/);
  });

  test("an FT eligible for 4 without evidence is held at 2 too; the path to 4 is recording the evidence", () => {
    const a = assessSubject({ kind: "foundation_trust", subject: { m_position: -6 } });
    assert.equal(a.eligible_segment, 4);
    assert.equal(a.proposed_segment, 2);
    const to4 = a.paths.find((p) => p.target_segment === 4);
    assert.deepEqual(
      targets(to4?.requirement as PathNode).map((t) => t.type === "judgement" && t.kind),
      ["licence_breach_evidence"],
    );
    // "Evidence of …", not "A evidence of …" (requirements §12 point 8).
    assert.match(
      targets(to4?.requirement as PathNode)[0]!.sentence,
      /^Evidence of actual or suspected licence breach would have to be recorded/,
    );
  });
});

describe("SOF §4: special measures (segment 4) is never proposed from data alone", () => {
  const sof = withCriteria({
    segment_4: {
      ...BASE_CRITERIA.segment_4,
      proposal_requires_judgement: ["cqc_recommendation", "longstanding_issues"],
    },
  });
  const subjectOf = (scenario: Scenario) =>
    assessOrganisations(scenarioInputFor(sof, scenario)).assessments.find(
      (x) => x.organisation.code === SUBJECT,
    )!;

  test("a significant deficit makes the trust eligible to be considered for 4; with breach evidence it is proposed for 3", () => {
    const a = subjectOf({ subject: { m_position: -6 }, judgements: [breach] });
    assert.equal(a.eligible_segment, 4);
    assert.equal(a.proposed_segment, 3);
    assert.deepEqual(a.held?.gates, ["segment_4_judgement"]);
    assert.match(a.sentence, /eligible to be considered for segment 4/);
    assert.match(a.sentence, /proposed only on a recorded judgement or a CQC recommendation/);
  });

  test("a recorded CQC recommendation (or financial special measures judgement) makes the proposal 4", () => {
    const recommendation = {
      kind: "cqc_recommendation" as const,
      recorded_by: "CQC Chief Inspector of Hospitals",
      recorded_on: "2019-02-10",
      summary: "Recommends special measures",
    };
    const a = subjectOf({ subject: { m_position: -6 }, judgements: [breach, recommendation] });
    assert.equal(a.proposed_segment, 4);
    assert.equal(a.held, null);
  });

  test("the path to 4 names the judgements that would have to be recorded, in plain English", () => {
    const a = subjectOf({ subject: { m_position: -6 }, judgements: [breach] });
    const to4 = pathToSegment(sof, a, 4);
    const gate = to4.requirement.children.find((c) => c.criterion === "segment_4_judgement");
    assert.ok(gate, to4.sentence);
    assert.deepEqual(
      gate.targets.map((t) => t.sentence),
      [
        "A CQC recommendation of intensive support would have to be recorded (the engine never records one itself).",
        "Longstanding or complex issues preventing agreed improvement would have to be recorded (the engine never records one itself).",
      ],
    );
  });

  test("Annex A §36–§39: the path out of mandated support (3) names the agreed exit criteria, not only the entry criteria stopping", () => {
    const a = subjectOf({ subject: behindPlan, judgements: [breach] });
    assert.equal(a.proposed_segment, 3);
    const to2 = a.paths.find((p) => p.target_segment === 2)!;
    assert.ok(to2.requirement.children.some((c) => c.criterion === "exit_criteria"));
    assert.match(
      to2.sentence,
      /exit criteria agreed for its mandated support must be met sustainably/,
    );
  });

  test("without either gate met, the trust is held at 2 and both reasons are given", () => {
    const a = subjectOf({ kind: "foundation_trust", subject: { m_position: -6 } });
    assert.equal(a.proposed_segment, 2);
    assert.deepEqual(a.held?.gates, ["segment_4_judgement", "licence_breach_evidence"]);
  });
});

describe("greatest need across themes (SOF §4)", () => {
  test("a provider in financial special measures and otherwise fine is in segment 4", () => {
    const a = assessSubject({ subject: { m_position: -6 } });
    assert.equal(a.proposed_segment, 4);
    assert.deepEqual(
      a.theme_needs.map((n) => [n.theme, n.segment]),
      [
        ["t_access", 2],
        ["t_quality", 2],
        ["t_money", 4],
        ["t_staff", 2],
      ],
    );
    assert.match(a.sentence, /the greatest need across themes is segment 4, in money/);
  });

  test("the proposal is the greatest of the themes' needs", () => {
    const a = assessSubject({
      subject: { m_position: -6 },
      cqc: {
        published_on: "2018-06-01",
        overall: "requires_improvement",
        well_led: "requires_improvement",
      },
    });
    const needs = Object.fromEntries(a.theme_needs.map((n) => [n.theme, n.segment]));
    assert.deepEqual(needs, { t_access: 2, t_quality: 3, t_money: 4, t_staff: 3 });
    assert.equal(a.proposed_segment, Math.max(...Object.values(needs)));
  });

  test("a judgement naming a theme this framework lacks (another version's) counts organisation-wide, with a warning", () => {
    const input = scenarioInput({ subject: behindPlan });
    const judgement = {
      org_code: SUBJECT,
      kind: "longstanding_issues" as const,
      recorded_by: "R",
      recorded_on: "2018-05-01",
      summary: "s",
      theme: "t_other_version",
    };
    const run = assessOrganisations({ ...input, judgements: [judgement] });
    const a = run.assessments.find((x) => x.organisation.code === SUBJECT);
    assert.equal(a?.proposed_segment, 4);
    assert.equal(a?.theme_needs.find((n) => n.theme === null)?.segment, 4);
    assert.match(run.warnings[0] ?? "", /names theme "t_other_version", not in syn-eligibility/);
  });

  test("a judgement recorded against no theme is an organisation-wide need", () => {
    const a = assessSubject({
      subject: behindPlan,
      judgements: [
        { kind: "longstanding_issues", recorded_by: "R", recorded_on: "2018-05-01", summary: "s" },
      ],
    });
    const orgWide = a.theme_needs.find((n) => n.theme === null);
    assert.equal(orgWide?.segment, 4);
    assert.deepEqual(orgWide?.criteria, ["segment_4.judgement.longstanding_issues"]);
  });
});

describe("the path to a segment (DOMAIN §5: what would have to change)", () => {
  test("gives the value needed at today's cut-point: 'must reach X, the current top-quartile cut-point, from Y'", () => {
    const input = scenarioInput({ subject: { ...ALL_BEST, m_wait: "mid", m_delay: "mid" } });
    const run = assessOrganisations(input);
    const a = run.assessments.find((x) => x.organisation.code === SUBJECT);
    assert.equal(a?.proposed_segment, 2);
    const latest = input.observations
      .filter((o) => o.metric_id === "m_wait" && o.period === MONTHS[MONTHS.length - 1])
      .map((o) => o.value)
      .sort((x, y) => x - y);
    const q75 = quantileCont(latest, 0.75);
    const to1 = a?.paths.find((p) => p.target_segment === 1);
    const wait = targets(to1?.requirement as PathNode).find(
      (t) => t.type === "metric" && t.metric_id === "m_wait",
    );
    assert.ok(wait?.type === "metric");
    assert.equal(wait.needed_value, q75);
    assert.equal(wait.comparison, "at_least");
    assert.equal(
      wait.sentence,
      `Four-hour performance must reach ${formatValue(q75, "percent")}, the current top-quartile cut-point, from 79.0% (Mar 2019).`,
    );
  });

  test("names the criteria that must stop firing: behind plan must reach the plan line", () => {
    const a = assessSubject({ subject: behindPlan });
    const to2 = a.paths.find((p) => p.target_segment === 2);
    assert.equal(to2?.direction, "better");
    assert.equal(
      to2?.requirement.children[0]?.sentence,
      "Every segment 3 criterion that fired must stop firing.",
    );
    const gap = targets(to2?.requirement as PathNode).find((t) => t.type === "metric");
    assert.ok(gap?.type === "metric");
    assert.equal(
      gap.sentence,
      "Variance to plan must reach 0.0% of income, the plan line, from -0.5% of income (Mar 2019).",
    );
  });

  test("a path to a worse segment names what would have to start firing", () => {
    const a = assessSubject();
    const to3 = pathToSegment(SYNTHETIC_FRAMEWORK, a, 3);
    assert.equal(to3.direction, "worse");
    assert.equal(to3.requirement.children[0]?.needed, 1);
    const criteria = to3.requirement.children[0]?.children.map((c) => c.criterion);
    assert.ok(criteria?.includes("segment_3.bottom_quartile_themes"));
    assert.ok(criteria?.includes("segment_3.finance"));
  });

  test("the assessment carries the way out: a path to each better segment, and to the eligible one when held", () => {
    assert.deepEqual(
      assessSubject().paths.map((p) => p.target_segment),
      [1],
    );
    assert.deepEqual(
      assessSubject({ subject: { m_position: -6 } }).paths.map((p) => p.target_segment),
      [1, 2, 3],
    );
    const held = assessSubject({ kind: "foundation_trust", subject: { m_position: -6 } });
    assert.deepEqual(
      held.paths.map((p) => p.target_segment),
      [1, 4],
    );
  });
});

describe("reproducible output (requirements §3)", () => {
  test("same inputs in any order give identical JSON", () => {
    const input = scenarioInput({ subject: { m_infection: "worst", m_plan_gap: -0.5 } });
    let seed = 3;
    const shuffled = [...input.observations]
      .map((o) => ({ o, key: (seed = (seed * 16807) % 2147483647) }))
      .sort((x, y) => x.key - y.key)
      .map((x) => x.o);
    const first = JSON.stringify(assessOrganisations(input));
    const second = JSON.stringify(
      assessOrganisations({
        ...input,
        observations: shuffled,
        organisations: [...input.organisations].reverse(),
      }),
    );
    assert.equal(first, second);
    assert.deepEqual(JSON.parse(first), JSON.parse(JSON.stringify(JSON.parse(first))));
  });

  test("the run carries every metric-period benchmarked once, with its cut-points", () => {
    const run = assessOrganisations(scenarioInput());
    const keys = run.benchmarks.map((b) => `${b.metric_id}|${b.population.id}|${b.period}`);
    assert.equal(new Set(keys).size, keys.length);
    // Three periods (the sustained-bottom-decile run length) of each of the nine metrics.
    assert.equal(run.benchmarks.length, 27);
  });

  test("observations after the assessment date are ignored", () => {
    const input = scenarioInput();
    const late = input.observations.map((o) => ({ ...o, period: "2019-04-01", value: 0 }));
    const before = JSON.stringify(assessOrganisations(input));
    const after = JSON.stringify(
      assessOrganisations({
        ...input,
        observations: [...input.observations, ...late.slice(0, 50)],
      }),
    );
    assert.equal(before, after);
  });
});

describe("input the engine refuses (the edge should have parsed it)", () => {
  test("two values for one organisation, metric and period", () => {
    const input = scenarioInput();
    const first = input.observations[0];
    assert.ok(first);
    assert.throws(
      () => assessOrganisations({ ...input, observations: [...input.observations, { ...first }] }),
      /has two values for/,
    );
  });

  test("a judgement with no author is refused", () => {
    const input = scenarioInput();
    const judgement = {
      org_code: SUBJECT,
      kind: "longstanding_issues" as const,
      recorded_by: " ",
      recorded_on: "2019-01-01",
      summary: "s",
    };
    assert.throws(() => assessOrganisations({ ...input, judgements: [judgement] }), /no author/);
  });

  test("a scored framework is not an eligibility framework", () => {
    const input = scenarioInput();
    const scored = {
      ...SYNTHETIC_FRAMEWORK,
      criteria: {
        method: "scored" as const,
        score_range: { best: 1, worst: 4 },
        populations: ["pg_acute"],
        segmentation: { method: "quartiles" as const },
        financial_override: {
          metric_role: "financial_position" as const,
          deficit_below: 0,
          best_segment: 3,
        },
        league_order: ["average_score" as const],
        segments_organisations: ["nhs_trust" as const],
      },
    };
    assert.throws(
      () => assessOrganisations({ ...input, framework: scored }),
      /not eligibility criteria/,
    );
  });

  test("criterion() finds each criterion of the tree by id", () => {
    assert.equal(criterion(assessSubject(), "segment_3.finance").segment, 3);
  });
});
