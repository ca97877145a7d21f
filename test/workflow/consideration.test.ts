/**
 * DOMAIN §6 and SOF §4 (seed 000): "requiring actions (discretionary requirements s105, licence
 * modifications s111, directions for NHS trusts) → PRC, having been through an RSG". Through the
 * service on every engine: a PRC decision on a requiring-actions recommendation is refused until
 * the region's RSG has recorded its consideration; only that body considers, once, on a submitted
 * recommendation, at the version read; then the PRC decides, and the audit chain holds it all.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { listAuditEvents, verifyAudit } from "../../src/services/audit.js";
import type { WorkflowActor } from "../../src/services/authorise.js";
import { ForbiddenError, InvalidInputError, StaleWriteError } from "../../src/services/errors.js";
import { recordJudgement } from "../../src/services/judgements.js";
import {
  considerRecommendation,
  createRecommendation,
  decide,
  DecisionRefusedError,
  listConsiderations,
  submitRecommendation,
} from "../../src/services/workflow.js";
import { FT_RI, importFixture, NT_RI } from "../assessment/fixture.js";
import { SYSTEM } from "../support/access.js";
import { openTestDatabase, testEngines, type TestDatabase } from "../support/database.js";

const REGION: WorkflowActor = { user: "r.jones", role: "regional_team", scope: "Y56" };
const RSG: WorkflowActor = { user: "rsg.chair", role: "rsg_member", scope: "Y56" };
const PRC: WorkflowActor = { user: "prc.secretary", role: "prc_member", scope: "national" };

for (const engine of testEngines()) {
  describe(`requiring actions go through the RSG before the PRC [${engine}] (DOMAIN §6, SOF §4)`, () => {
    let t: TestDatabase;
    before(async () => {
      t = await openTestDatabase(engine);
      await importFixture(t.ctx);
      await recordJudgement(
        t.ctx,
        {
          org_code: FT_RI,
          kind: "licence_breach_evidence",
          summary: "Suspected breach of FT4 governance condition",
          recorded_by: "r.jones",
          recorded_on: "2019-03-01",
        },
        SYSTEM,
      );
    });
    after(() => t.close());

    it("the PRC is refused until the RSG has considered it; then the PRC decides", async () => {
      const draft = await createRecommendation(t.ctx, REGION, {
        org_code: FT_RI,
        proposed_on: "2019-03-05",
        from_segment: 2,
        to_segment: 3,
        rationale: "Governance failings: discretionary requirements proposed",
        proposed_enforcement: "requiring_actions",
      });
      assert.equal(draft.routed_body, "prc");
      const consider = (version: number, extra: Record<string, unknown> = {}) =>
        considerRecommendation(t.ctx, RSG, {
          recommendation_id: draft.id,
          expected_version: version,
          body: "rsg",
          considered_on: "2019-03-08",
          view: "supports",
          reference: "RSG/Y56/2019/03",
          ...extra,
        });
      await assert.rejects(
        consider(draft.version),
        /only a submitted recommendation is considered/,
      );
      const submitted = await submitRecommendation(t.ctx, REGION, draft.id, draft.version);

      const prcDecision = (version: number) =>
        decide(t.ctx, PRC, {
          recommendation_id: draft.id,
          expected_version: version,
          body: "prc",
          decided_on: "2019-03-12",
          outcome: "agreed",
          reference: "PRC/2019/11",
        });
      await assert.rejects(
        prcDecision(submitted.version),
        (e: unknown) =>
          e instanceof DecisionRefusedError &&
          e.refusals.map((r) => r.guard).join() === "prior_consideration" &&
          /having been through the Regional Support Group/.test(e.message),
      );
      // Only the body the rule names considers it first.
      await assert.rejects(
        consider(submitted.version, { body: "prc" }),
        (e: unknown) => e instanceof InvalidInputError && /considered first by rsg/.test(e.message),
      );
      await assert.rejects(consider(submitted.version - 1), StaleWriteError);
      // requirements §6: only a member of the region's RSG records the RSG's view.
      await assert.rejects(
        considerRecommendation(t.ctx, REGION, {
          recommendation_id: draft.id,
          expected_version: submitted.version,
          body: "rsg",
          considered_on: "2019-03-08",
          view: "supports",
          reference: "RSG/Y56/2019/03",
        }),
        ForbiddenError,
      );

      const { recommendation, consideration } = await consider(submitted.version);
      assert.equal(recommendation.version, submitted.version + 1);
      assert.equal(recommendation.state, "submitted");
      assert.equal(consideration.considered_by, "rsg.chair");
      assert.equal(consideration.view, "supports");
      await assert.rejects(consider(recommendation.version), /already been considered by rsg/);
      assert.deepEqual(
        (await listConsiderations(t.ctx, PRC, draft.id)).map((c) => c.body),
        ["rsg"],
      );

      // A decision taken on the view before the consideration is stale.
      await assert.rejects(prcDecision(submitted.version), StaleWriteError);
      const result = await prcDecision(recommendation.version);
      assert.equal(result.decision.body, "prc");
      assert.equal(result.history?.segment, 3);

      const events = await listAuditEvents(t.ctx, SYSTEM, {
        entity_type: "recommendation",
        entity_id: String(draft.id),
      });
      assert.deepEqual(
        events.map((e) => e.action).filter((a) => a !== "access.denied"),
        [
          "recommendation.created",
          "recommendation.submitted",
          "recommendation.considered",
          "recommendation.agreed",
        ],
      );
      // requirements §6: the regional team's attempt to speak for the RSG is on the chain too.
      assert.ok(
        events.some(
          (e) => e.action === "access.denied" && JSON.stringify(e.actor).includes("r.jones"),
        ),
      );
      assert.equal((await verifyAudit(t.ctx, SYSTEM)).ok, true);
    });

    it("a recommendation that goes straight to its body takes no prior consideration", async () => {
      const rec = await createRecommendation(t.ctx, REGION, {
        org_code: NT_RI,
        proposed_on: "2019-03-05",
        from_segment: 2,
        to_segment: 3,
        rationale: "Undertakings sought",
        proposed_enforcement: "seeking_actions",
      });
      const submitted = await submitRecommendation(t.ctx, REGION, rec.id, rec.version);
      await assert.rejects(
        considerRecommendation(t.ctx, RSG, {
          recommendation_id: rec.id,
          expected_version: submitted.version,
          body: "rsg",
          considered_on: "2019-03-08",
          view: "supports",
          reference: "RSG/Y56/2019/04",
        }),
        /goes straight to rsg/,
      );
    });
  });
}
