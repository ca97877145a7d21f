/**
 * requirements §4, JSON API: the workflow's reads — /api/recommendations, /api/audit (for those
 * entitled), /api/reviews — and the current segment of /api/organisations/{code} once a body
 * has decided one (the segment history), over the workflow services, on every engine.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { recordJudgement } from "../../src/services/judgements.js";
import { SYSTEM } from "../support/access.js";
import type { WorkflowActor } from "../../src/services/authorise.js";
import { reviewsDue } from "../../src/services/reviews.js";
import {
  createRecommendation,
  decide,
  submitRecommendation,
  type RecommendationRecord,
} from "../../src/services/workflow.js";
import { FT_GOOD, NT_RI } from "../assessment/fixture.js";
import { testEngines } from "../support/database.js";
import { expectError, startApiServer, TODAY, type ApiServer } from "./api-server.js";

const REGION: WorkflowActor = { user: "r.jones", role: "regional_team", scope: "Y56" };
const RSG: WorkflowActor = { user: "rsg.chair", role: "rsg_member", scope: "Y56" };

for (const engine of testEngines()) {
  describe(`JSON API workflow reads [${engine}] (requirements §4, JSON API)`, () => {
    let s: ApiServer;
    let decided: RecommendationRecord;
    let draft: RecommendationRecord;
    // requirements §6: recommendations and reviews are NHS England's deliberations: read as national
    // oversight unless a test names another caller ({} is the public).
    const get = (path: string, headers: Record<string, string> = s.as.national.headers) =>
      fetch(`${s.base}${path}`, { headers });

    before(async () => {
      s = await startApiServer(engine);
      // Annex A §12 "or equivalent for NHS trusts": the NHS trust's breach evidence is on file.
      await recordJudgement(
        s.t.ctx,
        {
          org_code: NT_RI,
          kind: "licence_breach_evidence",
          summary: "Undertakings sought on the equivalent conditions for an NHS trust",
          recorded_by: "regional-team",
          recorded_on: "2019-03-01",
        },
        SYSTEM,
      );
      // SOF §4 (seed 000): an NHS trust 2→3 with undertakings sought is the RSG's to decide.
      const rec = await createRecommendation(s.t.ctx, REGION, {
        org_code: NT_RI,
        proposed_on: "2019-03-05",
        from_segment: 2,
        to_segment: 3,
        rationale: "CQC rated the trust requires improvement; undertakings sought",
        proposed_enforcement: "seeking_actions",
      });
      await submitRecommendation(s.t.ctx, REGION, rec.id, 1);
      decided = (
        await decide(s.t.ctx, RSG, {
          recommendation_id: rec.id,
          expected_version: 2,
          body: "rsg",
          decided_on: "2019-03-12",
          outcome: "agreed",
          reference: "RSG/Y56/2019/08",
        })
      ).recommendation;
      draft = await createRecommendation(s.t.ctx, REGION, {
        org_code: FT_GOOD,
        proposed_on: "2019-03-20",
        from_segment: 2,
        to_segment: 1,
        rationale: "Sustained improvement",
      });
    });
    after(() => s?.close());

    it("GET /api/organisations/{code}: a decided segment is the current one, with its decision", async () => {
      const body = (await (await get(`/api/organisations/${NT_RI}`)).json()) as {
        current_segment: {
          segment: number;
          basis: string;
          decision: { effective_from: string; deciding_body: string; decision_reference: string };
        };
      };
      assert.equal(body.current_segment.basis, "decided");
      assert.equal(body.current_segment.segment, 3);
      assert.deepEqual(body.current_segment.decision, {
        effective_from: "2019-03-12",
        deciding_body: "rsg",
        decision_reference: "RSG/Y56/2019/08",
      });
      // Before the decision took effect, the engine's proposal, marked as such.
      const earlier = (await (
        await get(`/api/organisations/${NT_RI}?as_of=2019-03-11`)
      ).json()) as {
        current_segment: { basis: string; decision: unknown };
      };
      assert.equal(earlier.current_segment.basis, "proposed");
      assert.equal(earlier.current_segment.decision, null);
    });

    it("GET /api/recommendations lists them, filtered by organisation, state and body", async () => {
      const all = (await (await get("/api/recommendations")).json()) as {
        recommendations: RecommendationRecord[];
      };
      assert.deepEqual(all.recommendations.map((r) => r.id).sort(), [decided.id, draft.id].sort());
      const agreed = (await (await get("/api/recommendations?state=agreed")).json()) as {
        recommendations: RecommendationRecord[];
      };
      assert.deepEqual(agreed.recommendations, [decided]);
      const ofOrg = (await (await get(`/api/recommendations?org=${FT_GOOD}&body=rsg`)).json()) as {
        recommendations: RecommendationRecord[];
      };
      assert.deepEqual(
        ofOrg.recommendations.map((r) => r.id),
        [draft.id],
      );
      const bad = await expectError(await get("/api/recommendations?state=pending"), 400);
      assert.deepEqual(
        bad.error.fields?.map((f) => f.path),
        ["query.state"],
      );
    });

    it("GET /api/recommendations/{id}: 200, 404 when there is none, 400 when the id is not one", async () => {
      const one = await get(`/api/recommendations/${decided.id}`);
      assert.equal(one.status, 200);
      assert.deepEqual(await one.json(), decided);
      await expectError(await get("/api/recommendations/999999"), 404);
      await expectError(await get("/api/recommendations/abc"), 400);
      await expectError(await get("/api/recommendations/0"), 400);
    });

    it("GET /api/audit is for those entitled: the public and a regional team get 403, national oversight the events", async () => {
      await expectError(await get("/api/audit", {}), 403);
      await expectError(await get("/api/audit", s.as.region.headers), 403);
      const response = await get(`/api/audit?entity_type=recommendation&entity_id=${decided.id}`);
      assert.equal(response.status, 200);
      const { events } = (await response.json()) as {
        events: {
          seq: number;
          action: string;
          entity_id: string;
          hash: string;
          prev_hash: string;
        }[];
      };
      assert.ok(events.length >= 3, "created, submitted, decided");
      for (const e of events) assert.equal(e.entity_id, String(decided.id));
      assert.deepEqual(
        events.map((e) => e.seq),
        [...events.map((e) => e.seq)].sort((a, b) => a - b),
        "oldest first",
      );
      await expectError(await get("/api/audit?entity_type=Robert');DROP"), 400);
    });

    it("GET /api/reviews: the reviews due on a date, each with a trigger and a deadline", async () => {
      const response = await get("/api/reviews");
      assert.equal(response.status, 200, await response.clone().text());
      const schedule = (await response.json()) as {
        as_of: string;
        reviews: { org_code: string; trigger: string; deadline: string; segment_source: string }[];
      };
      assert.equal(schedule.as_of, TODAY);
      assert.ok(schedule.reviews.length > 0);
      for (const r of schedule.reviews) {
        assert.ok(r.trigger.length > 0);
        assert.match(r.deadline, /^\d{4}-\d{2}-\d{2}$/);
      }
      // Nothing lost on the way out: the API's schedule is the service's, field for field.
      const service = await reviewsDue(s.t.ctx, { asOf: TODAY });
      assert.deepEqual(schedule, JSON.parse(JSON.stringify(service)));
      const bad = await expectError(await get("/api/reviews?as_of=2019-02-30"), 400);
      assert.deepEqual(
        bad.error.fields?.map((f) => f.path),
        ["query.as_of"],
      );
      await expectError(await get("/api/reviews?region=London"), 400);
    });
  });
}
