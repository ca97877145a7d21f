import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { loadShippedFrameworks } from "../../store/framework-files.js";
import { metricAppliesTo } from "../benchmarking/index.js";
import type { Framework } from "../frameworks/schema.js";
import type { OrgCode, Organisation } from "../organisations/organisation.js";
import type { CalendarDate } from "../shared/dates.js";
import { assessOrganisations } from "./assess.js";
import type { AssessmentInput, ObservationInput } from "./types.js";

/*
 * The engine on the shipped SOF 2016 and NHS OF 2022/23 files (docs/domain.md §4: every assessment is
 * reproducible under its framework version). Metrics are found by role and polarity, never by id.
 */
const frameworks = loadShippedFrameworks();
const eligibility = frameworks.filter((f) => f.criteria.method === "eligibility");

function trust(
  code: string,
  kind: Organisation["kind"],
  sector: Organisation["sector"],
): Organisation {
  return {
    code: code as OrgCode,
    name: code,
    kind,
    sector,
    region: "Y56",
    icbCode: null,
    openDate: "2000-01-01" as CalendarDate,
    closeDate: null,
  };
}

/** Twelve acute trusts (T01 a foundation trust) and six ICBs where the framework has them. */
function nationalInput(framework: Framework, behindPlan: boolean): AssessmentInput {
  const organisations = Array.from({ length: 12 }, (_, i) =>
    trust(
      `T${String(i + 1).padStart(2, "0")}`,
      i === 0 ? "foundation_trust" : "nhs_trust",
      "acute",
    ),
  );
  if (framework.organisation_kinds.includes("icb")) {
    for (let i = 0; i < 6; i++) organisations.push(trust(`Q0${i}`, "icb", null));
  }
  const start = Number(framework.in_force_from.slice(0, 4)) + 1;
  const months = Array.from(
    { length: 15 },
    (_, m) => `${start + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, "0")}-01`,
  );
  const observations: ObservationInput[] = [];
  organisations.forEach((org, o) => {
    for (const metric of framework.metrics) {
      if (!metricAppliesTo(metric, org)) continue;
      const { min, max } = metric.valid_range;
      const span = Math.min(max - min, 100);
      months.forEach((period, m) => {
        let value =
          min + (span * (o + 1)) / (organisations.length + 2) + (m % 2 === 0 ? 0.01 : -0.01);
        // Finance in surplus and on plan, except T01 behind plan (a segment 3 criterion only).
        if (metric.roles.includes("financial_position")) value = 0.5 + o / 10;
        if (metric.roles.includes("variance_to_plan")) value = behindPlan && o === 0 ? -0.5 : 0.5;
        observations.push({ org_code: org.code, metric_id: metric.id, period, value });
      });
    }
  });
  return {
    framework,
    as_of: `${months[14]?.slice(0, 7)}-28`,
    organisations,
    observations,
    cqc_ratings: [],
    judgements: [],
  };
}

describe("the shipped eligibility frameworks (SOF 2016, NHS OF 2022/23)", () => {
  test("both eligibility frameworks are shipped and parse with their criteria", () => {
    assert.deepEqual(eligibility.map((f) => f.id).sort(), ["nof-2022", "sof-2016"]);
  });

  for (const framework of eligibility) {
    test(`${framework.id}: every open organisation is assessed, with the tree, metrics and paths`, () => {
      const input = nationalInput(framework, false);
      const run = assessOrganisations(input);
      assert.equal(run.assessments.length, input.organisations.length);
      assert.deepEqual(run.warnings, []);
      for (const a of run.assessments) {
        assert.equal(a.framework.id, framework.id);
        assert.equal(a.segments.length, 3);
        assert.equal(a.paths.length, a.proposed_segment - 1 + (a.held ? 1 : 0));
        assert.ok(a.metrics.length > 0);
        assert.ok(a.segments.every((s) => s.criteria.every((c) => c.sentence.length > 0)));
      }
      // JSON-serialisable: a round trip changes nothing.
      assert.deepEqual(JSON.parse(JSON.stringify(run)), run);
    });

    test(`${framework.id}: a foundation trust behind plan is held at 2 without licence-breach evidence (Annex A §12)`, () => {
      const run = assessOrganisations(nationalInput(framework, true));
      const ft = run.assessments.find((a) => a.organisation.kind === "foundation_trust");
      assert.equal(ft?.eligible_segment, 3);
      assert.equal(ft?.proposed_segment, 2);
      assert.deepEqual(ft?.held?.gates, ["licence_breach_evidence"]);
    });
  }

  test("a scored framework (NOF 2025/26) is refused: it segments by scores, not eligibility", () => {
    const scored = frameworks.find((f) => f.criteria.method === "scored");
    assert.ok(scored);
    const input = nationalInput(eligibility[0] as Framework, false);
    assert.throws(() => assessOrganisations({ ...input, framework: scored }), RangeError);
  });
});
