import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { assessOrganisations } from "../assessment/assess.js";
import {
  ALL_BEST,
  assessSubject,
  criterion,
  MONTHS,
  org,
  scenarioInput,
  SUBJECT,
  SYNTHETIC_FRAMEWORK,
} from "../assessment/assessment-fixture.js";
import type { MetricEvidence, SpcEvidence } from "./types.js";

/*
 * Each eligibility criterion of docs/domain.md §5 (NHS OF 2022/23 Table 3 and Annex A §9–§14; SOF §4,
 * seed 000), firing and not firing, on the synthetic framework and dataset of
 * assessment-fixture.ts: twenty peers spread evenly over each metric and one subject trust.
 */

describe("segment 1: top quartile across the themes (Table 3)", () => {
  test("fires when every theme has at least the share of its metrics in the top quartile", () => {
    const c = criterion(assessSubject({ subject: ALL_BEST }), "segment_1.top_quartile_themes");
    assert.equal(c.status, "fired");
    assert.deepEqual(c.themes, ["t_access", "t_quality", "t_money", "t_staff"]);
    assert.match(c.sentence, /^Top quartile in all 4 themes assessed/);
  });

  test("does not fire when one theme falls short of the share", () => {
    const a = assessSubject({ subject: { ...ALL_BEST, m_sickness: "mid", m_engagement: "mid" } });
    const c = criterion(a, "segment_1.top_quartile_themes");
    assert.equal(c.status, "not_fired");
    assert.match(c.sentence, /Not top quartile in 1 of 4 themes: staff \(0 of 2\)/);
  });

  test("is not assessable when a theme has applicable metrics but none benchmarked (missing data never grants segment 1)", () => {
    const missingLast = [...MONTHS.slice(1).map(() => 2), null];
    const a = assessSubject({
      subject: { ...ALL_BEST, m_sickness: missingLast, m_engagement: missingLast },
    });
    const c = criterion(a, "segment_1.top_quartile_themes");
    assert.equal(c.status, "not_assessable");
    assert.match(c.sentence, /Staff has no benchmarked metric/);
  });
});

describe("segment 1: balanced plan, breakeven or better (Table 3)", () => {
  test("fires at breakeven or better and on plan", () => {
    assert.equal(criterion(assessSubject(), "segment_1.balanced_finance").status, "fired");
  });

  test("does not fire on a deficit, and says by how much", () => {
    const c = criterion(
      assessSubject({ subject: { m_position: -0.5 } }),
      "segment_1.balanced_finance",
    );
    assert.equal(c.status, "not_fired");
    assert.match(c.sentence, /financial position -0\.5% of income in Mar 2019, below breakeven/i);
  });
});

describe("segment 1: CQC 'Good' or 'Outstanding' overall and for well-led (Table 3, trusts)", () => {
  test("fires on good or outstanding for both", () => {
    const a = assessSubject({
      cqc: { published_on: "2018-01-01", overall: "outstanding", well_led: "good" },
    });
    assert.equal(criterion(a, "segment_1.cqc_good").status, "fired");
  });

  test("is not assessable without a rating, and does not apply to an ICB", () => {
    assert.equal(
      criterion(assessSubject({ cqc: null }), "segment_1.cqc_good").status,
      "not_assessable",
    );
  });
});

describe("segment 3: bottom quartile in multiple themes (Table 3; Annex A §9)", () => {
  test("fires with two themes in the bottom quartile", () => {
    const a = assessSubject({
      subject: { m_wait: "worst", m_delay: "worst", m_infection: "worst", m_experience: "worst" },
    });
    const c = criterion(a, "segment_3.bottom_quartile_themes");
    assert.equal(c.status, "fired");
    assert.deepEqual(c.themes, ["t_access", "t_quality"]);
  });

  test("does not fire with one theme", () => {
    const c = criterion(
      assessSubject({ subject: { m_wait: "worst", m_delay: "worst" } }),
      "segment_3.bottom_quartile_themes",
    );
    assert.equal(c.status, "not_fired");
    assert.match(
      c.sentence,
      /Bottom quartile in 1 of 4 assessed themes: access \(2 of 2\) metrics \(at least 2 needed\)/,
    );
  });

  test("missing data is not assessed, never bottom", () => {
    const a = assessSubject({ subject: { m_wait: [...MONTHS.slice(1).map(() => 79), null] } });
    const wait = a.metrics.find((m) => m.metric_id === "m_wait");
    assert.equal(wait?.status, "not_assessed");
    assert.equal(wait?.quartile, null);
    assert.match(wait?.sentence ?? "", /no value for Mar 2019: not assessed/);
    const access = criterion(a, "segment_3.bottom_quartile_themes").children.find(
      (t) => t.label === "Access",
    );
    assert.match(
      access?.sentence ?? "",
      /0 of 1 benchmarked metric in the bottom quartile .*; 1 metric not assessed/,
    );
  });
});

describe("segment 3: a dramatic drop in performance — SPC special cause of concern (Table 3)", () => {
  test("fires on a special cause of concern in the last 3 points, naming the rule and the points", () => {
    const a = assessSubject({ subject: { m_wait: [69, 69.1, 68.9, 69, 69.2, 68.8, 69] } });
    const c = criterion(a, "segment_3.dramatic_drop");
    assert.equal(c.status, "fired");
    const node = c.children[0];
    const spc = node?.evidence[0] as SpcEvidence;
    assert.ok(spc.rules.includes("run"));
    assert.equal(spc.signal_points.length, 7);
    assert.equal(spc.signal_points[0]?.period, "2018-09-01");
    assert.match(
      node?.sentence ?? "",
      /a run of 7 or more points on the worse side of the mean \(7 points from Sep 2018 \(69\.0%\) to Mar 2019 \(69\.0%\)/,
    );
  });

  test("does not fire on a stable series", () => {
    const c = criterion(assessSubject(), "segment_3.dramatic_drop");
    assert.equal(c.status, "not_fired");
    assert.match(
      c.sentence,
      /No material special cause of concern in the last 3 points of any of the 8 distinct series analysed/,
    );
  });

  test("a series shorter than the framework's min_points cannot be tested", () => {
    const short = [...MONTHS.slice(0, 5).map(() => null), ...MONTHS.slice(5).map(() => 79)];
    const c = criterion(assessSubject({ subject: { m_wait: short } }), "segment_3.dramatic_drop");
    const wait = c.evidence.find((e) => (e as SpcEvidence).metric_id === "m_wait") as SpcEvidence;
    assert.match(wait.not_assessable_reason ?? "", /only 10 points, fewer than the 13/);
  });

  test("only the framework's rules count: a run is no drop when the framework lists outside_limits only", () => {
    const criteria = SYNTHETIC_FRAMEWORK.criteria;
    assert.equal(criteria.method, "eligibility");
    if (criteria.method !== "eligibility") return;
    const framework = {
      ...SYNTHETIC_FRAMEWORK,
      criteria: {
        ...criteria,
        segment_3: {
          ...criteria.segment_3,
          dramatic_drop: {
            ...criteria.segment_3.dramatic_drop,
            rules: ["outside_limits" as const],
          },
        },
      },
    };
    // A gentle step down: a run of 7 below the mean (6.968), inside the limits (6.50 to 7.44).
    const step = [7.0, 7.2, 6.9, 7.1, 7.0, 7.2, 6.9, 7.1, 6.9, 6.8, 6.92, 6.85, 6.95, 6.8, 6.9];
    const input = scenarioInput({ subject: { m_engagement: step } });
    const run = assessOrganisations({ ...input, framework });
    const subject = run.assessments.find((x) => x.organisation.code === SUBJECT);
    assert.ok(subject);
    assert.equal(criterion(subject, "segment_3.dramatic_drop").status, "not_fired");
    const allRules = criterion(
      assessSubject({ subject: { m_engagement: step } }),
      "segment_3.dramatic_drop",
    );
    assert.equal(allRules.status, "fired");
    assert.deepEqual((allRules.children[0]?.evidence[0] as SpcEvidence).rules, ["run"]);
  });
});

describe("segment 3: sustained very poor (bottom decile) performance (Table 3)", () => {
  test("fires after 3 consecutive periods in the bottom decile, with value, rank and cut-point", () => {
    const c = criterion(
      assessSubject({ subject: { m_infection: "worst" } }),
      "segment_3.sustained_bottom_decile",
    );
    assert.equal(c.status, "fired");
    const node = c.children[0];
    assert.equal(node?.evidence.length, 3);
    const latest = node?.evidence[2] as MetricEvidence;
    assert.equal(latest.rank, 21);
    assert.equal(latest.cut_point?.name, "bottom_decile");
    assert.match(
      node?.sentence ?? "",
      /Infection rate: bottom decile in each of the last 3 periods \(Jan 2019 to Mar 2019\): latest 50\.0, rank 21 of 21 nationally among foundation trusts and NHS trusts, beyond the bottom-decile cut-point \d+\.\d/,
    );
  });

  test("does not fire after only 2 periods", () => {
    const c = criterion(
      assessSubject({ subject: { m_infection: [25, 50, 50] } }),
      "segment_3.sustained_bottom_decile",
    );
    assert.equal(c.status, "not_fired");
  });
});

describe("segment 3: plan not balanced or material deficit (Table 3; Annex A §9)", () => {
  test("fires on a variance to plan below the plan line", () => {
    const c = criterion(assessSubject({ subject: { m_plan_gap: -0.5 } }), "segment_3.finance");
    assert.equal(c.status, "fired");
    assert.deepEqual(c.themes, ["t_money"]);
  });

  test("fires on a deficit in the bottom quartile nationally", () => {
    const c = criterion(assessSubject({ subject: { m_position: -4 } }), "segment_3.finance");
    assert.equal(c.status, "fired");
    assert.match(c.sentence, /a deficit in the bottom quartile \(rank 19 of 21/);
  });

  test("does not fire on a deficit outside the bottom quartile, on plan", () => {
    const c = criterion(assessSubject({ subject: { m_position: -0.5 } }), "segment_3.finance");
    assert.equal(c.status, "not_fired");
    assert.match(c.sentence, /a deficit not in the bottom quartile/);
  });
});

describe("segment 3: CQC 'Requires improvement' overall and for well-led (Table 3, trusts)", () => {
  test("fires when both are 'Requires improvement'", () => {
    const a = assessSubject({
      cqc: {
        published_on: "2018-06-01",
        overall: "requires_improvement",
        well_led: "requires_improvement",
      },
    });
    const c = criterion(a, "segment_3.cqc_requires_improvement");
    assert.equal(c.status, "fired");
    assert.deepEqual(c.themes, ["t_quality", "t_staff"]);
  });

  test("does not fire when well-led is good", () => {
    const a = assessSubject({
      cqc: { published_on: "2018-06-01", overall: "requires_improvement", well_led: "good" },
    });
    assert.equal(criterion(a, "segment_3.cqc_requires_improvement").status, "not_fired");
  });

  test("the latest rating published on or before the assessment date counts", () => {
    const later = assessSubject({
      cqc: { published_on: "2019-05-01", overall: "inadequate", well_led: "inadequate" },
    });
    assert.equal(criterion(later, "segment_3.cqc_requires_improvement").status, "not_assessable");
  });
});

describe("segment 4 criteria (Table 3; Annex A §13–§14)", () => {
  test("CQC 'Inadequate' overall fires", () => {
    const a = assessSubject({
      cqc: { published_on: "2018-06-01", overall: "inadequate", well_led: "requires_improvement" },
    });
    assert.equal(criterion(a, "segment_4.cqc_inadequate").status, "fired");
    assert.equal(criterion(assessSubject(), "segment_4.cqc_inadequate").status, "not_fired");
  });

  test("a significant deficit fires below the framework's share of income, not above it", () => {
    assert.equal(
      criterion(assessSubject({ subject: { m_position: -3 } }), "segment_4.significant_deficit")
        .status,
      "fired",
    );
    assert.equal(
      criterion(assessSubject({ subject: { m_position: -1.5 } }), "segment_4.significant_deficit")
        .status,
      "not_fired",
    );
    assert.equal(
      criterion(assessSubject({ subject: { m_plan_gap: -1.5 } }), "segment_4.significant_deficit")
        .status,
      "fired",
    );
  });

  test("a recorded catastrophic safety failure fires, with its author and date; never inferred", () => {
    const judgement = {
      kind: "catastrophic_safety_failure" as const,
      recorded_by: "Dr A Reviewer",
      recorded_on: "2019-01-10",
      summary: "Three never events in one theatre suite",
    };
    const fired = criterion(
      assessSubject({ judgements: [judgement] }),
      "segment_4.judgement.catastrophic_safety_failure",
    );
    assert.equal(fired.status, "fired");
    assert.match(
      fired.sentence,
      /recorded by Dr A Reviewer on 2019-01-10: "Three never events in one theatre suite"/,
    );
    const none = criterion(assessSubject(), "segment_4.judgement.catastrophic_safety_failure");
    assert.equal(none.status, "not_fired");
    assert.equal(none.sentence, "No catastrophic safety failure recorded.");
  });

  test("a judgement ended, or recorded after the assessment date, is not in effect", () => {
    const base = { kind: "longstanding_issues" as const, recorded_by: "R", summary: "s" };
    const ended = assessSubject({
      judgements: [{ ...base, recorded_on: "2018-01-01", ends_on: "2019-03-01" }],
    });
    const future = assessSubject({ judgements: [{ ...base, recorded_on: "2019-04-02" }] });
    assert.equal(criterion(ended, "segment_4.judgement.longstanding_issues").status, "not_fired");
    assert.equal(criterion(future, "segment_4.judgement.longstanding_issues").status, "not_fired");
  });

  test("an ICB has no CQC criteria: CQC rates providers (Table 3 '(trusts)')", () => {
    const run = assessOrganisations(scenarioInput({ others: [org("Q01", "icb")] }));
    const icb = run.assessments.find((a) => a.organisation.code === "Q01");
    const ids = icb?.segments.flatMap((s) => s.criteria.map((c) => c.id)) ?? [];
    assert.ok(ids.length > 0);
    assert.ok(ids.every((id) => !id.includes("cqc")));
    // No ICB reported: every metric is not assessed, and no theme can be top or bottom.
    assert.ok(icb?.metrics.every((m) => m.status === "not_assessed" && m.period === null));
    assert.equal(icb?.proposed_segment, 2);
  });
});
