/**
 * SOF §4 (seed 000), "Where a provider is in segment 4 (special measures)": "Recommendations to
 * place a provider in or remove a provider from special measures will be led by central teams,
 * with regional input"; "Where a provider is in segment 3": "central teams, with regional team
 * input, can recommend providers move to segment 4". The routing rules say who leads
 * (`recommendation_led_by: central`); a regional team's recommendation into or out of segment 4
 * is refused when it is made, with a reason a person can act on (docs/domain.md §6).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  checkRecommendationLead,
  routeDecision,
  type ProposedMove,
} from "../../src/domain/workflow/index.js";
import type { WorkflowActor } from "../../src/services/authorise.js";
import { InvalidInputError } from "../../src/services/errors.js";
import { createRecommendation } from "../../src/services/workflow.js";
import { FT_RI, importFixture } from "../assessment/fixture.js";
import { openTestDatabase, shippedFrameworks, testEngines } from "../support/database.js";

const SEED_SOF_4 =
  "Recommendations to place a provider in or remove a provider from special measures will be led by central teams, with regional input.";

const registry = shippedFrameworks();

function routed(frameworkId: string, move: ProposedMove) {
  const routing = routeDecision(registry.get(frameworkId)!, move);
  assert.ok(routing.routed, `${frameworkId} routes ${JSON.stringify(move)}`);
  return routing;
}

describe("segment 4 recommendations are led by central teams (SOF §4)", () => {
  const into4: ProposedMove = { kind: "nhs_trust", from: 3, to: 4, enforcement: "none" };
  const outOf4: ProposedMove = { kind: "nhs_trust", from: 4, to: 3, enforcement: "none" };

  it(`SOF §4 "${SEED_SOF_4}": a region's recommendation into segment 4 is refused, in words a person can act on`, () => {
    const refusal = checkRecommendationLead(routed("sof-2016", into4), into4, "region");
    assert.ok(refusal);
    assert.match(
      refusal.reason,
      /place an organisation in segment 4 is led by NHS England's central teams/,
    );
    assert.match(refusal.reason, /Give the region's evidence to the national oversight team/);
    assert.ok(refusal.citation.includes(SEED_SOF_4));
  });

  it("SOF §4: a region's recommendation to take an organisation out of segment 4 is refused too", () => {
    const refusal = checkRecommendationLead(routed("sof-2016", outOf4), outOf4, "region");
    assert.match(refusal?.reason ?? "", /take an organisation out of segment 4/);
  });

  it("SOF §4: central teams lead the same recommendation; the region still leads moves below segment 4", () => {
    assert.equal(checkRecommendationLead(routed("sof-2016", into4), into4, "central"), null);
    const into3: ProposedMove = {
      kind: "nhs_trust",
      from: 2,
      to: 3,
      enforcement: "seeking_actions",
    };
    assert.equal(checkRecommendationLead(routed("sof-2016", into3), into3, "region"), null);
  });

  it("NHS OF 2022/23 carries the rule forward for entry to the Recovery Support Programme (its routing data)", () => {
    const move: ProposedMove = { kind: "foundation_trust", from: 2, to: 4, enforcement: "none" };
    assert.ok(checkRecommendationLead(routed("nof-2022", move), move, "region"));
  });
});

const REGION: WorkflowActor = { user: "r.jones", role: "regional_team", scope: "Y56" };
const NATIONAL: WorkflowActor = {
  user: "n.oversight",
  role: "national_oversight",
  scope: "national",
};

for (const engine of testEngines()) {
  describe(`recommending segment 4 [${engine}] (SOF §4, seed 000)`, () => {
    let t: Awaited<ReturnType<typeof openTestDatabase>>;
    before(async () => {
      t = await openTestDatabase(engine);
      await importFixture(t.ctx);
    });
    after(() => t.close());

    const into4 = {
      org_code: FT_RI,
      proposed_on: "2019-03-20",
      from_segment: 2,
      to_segment: 4,
      rationale: "Critical quality concerns; CQC recommends special measures",
    };

    it(`SOF §4 "${SEED_SOF_4}": the regional team's recommendation is refused when it is made, naming the field`, async () => {
      await assert.rejects(createRecommendation(t.ctx, REGION, into4), (e: unknown) => {
        assert.ok(e instanceof InvalidInputError);
        assert.match(e.message, /led by NHS England's central teams, with the region's input/);
        assert.deepEqual(
          e.fields.map((f) => f.path),
          ["to_segment"],
        );
        return true;
      });
    });

    it("SOF §4: national oversight (a central team) makes the same recommendation, routed to the PRC", async () => {
      const rec = await createRecommendation(t.ctx, NATIONAL, into4);
      assert.equal(rec.routed_body, "prc");
      assert.equal(rec.proposer_role, "national_oversight");
    });
  });
}
