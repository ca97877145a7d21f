/**
 * requirements §4, JSON API: the workflow's writes over HTTP — create, submit, withdraw and decide
 * recommendations (409 with the current state on a stale `version`), /api/decisions, and an
 * organisation's notes (the public sees only public ones) — on every engine.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { recordJudgement } from "../../src/services/judgements.js";
import { SYSTEM } from "../support/access.js";
import type { DecisionRecord, RecommendationRecord } from "../../src/services/workflow.js";
import { FT_GOOD, NT_RI } from "../assessment/fixture.js";
import { testEngines } from "../support/database.js";
import { expectError, startApiServer, type ApiServer } from "./api-server.js";

const NEW_REC = {
  org_code: NT_RI,
  proposed_on: "2019-03-05",
  from_segment: 2,
  to_segment: 3,
  rationale: "CQC rated the trust requires improvement; undertakings sought",
  proposed_enforcement: "seeking_actions",
};

for (const engine of testEngines()) {
  describe(`JSON API workflow writes [${engine}] (requirements §4, JSON API)`, () => {
    let s: ApiServer;
    // requirements §6: London's regional team (a token from api-server.ts) unless a test names another
    // caller; {} is the public.
    const get = (path: string, headers: Record<string, string> = s.as.region.headers) =>
      fetch(`${s.base}${path}`, { headers });
    const post = (
      path: string,
      body: unknown,
      headers: Record<string, string> = s.as.region.headers,
    ) =>
      fetch(`${s.base}${path}`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const json = async <T>(response: Response, status: number): Promise<T> => {
      const text = await response.text();
      assert.equal(response.status, status, text);
      return JSON.parse(text) as T;
    };

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
    });
    after(() => s?.close());

    it("the journey: create → submit → the wrong body refused → the right body decides → decisions and history show it", async () => {
      const draft = await json<RecommendationRecord>(
        await post("/api/recommendations", NEW_REC),
        201,
      );
      assert.equal(draft.state, "draft");
      assert.equal(draft.proposer_user, "r.jones");
      assert.equal(draft.routed_body, "rsg");
      const submitted = await json<RecommendationRecord>(
        await post(`/api/recommendations/${draft.id}/submit`, { version: draft.version }),
        200,
      );
      assert.equal(submitted.state, "submitted");
      assert.equal(submitted.version, draft.version + 1);

      const decision = {
        body: "prc",
        decided_on: "2019-03-12",
        outcome: "agreed",
        reference: "RSG/Y56/2019/08",
        version: submitted.version,
      };
      const wrong = await expectError(
        await post(`/api/recommendations/${draft.id}/decision`, decision, s.as.rsg.headers),
        400,
      );
      assert.ok(
        wrong.error.fields?.some((f) => f.path === "body.body"),
        JSON.stringify(wrong.error),
      );
      const unchanged = await json<RecommendationRecord>(
        await get(`/api/recommendations/${draft.id}`),
        200,
      );
      assert.equal(unchanged.state, "submitted");

      const result = await json<{
        recommendation: RecommendationRecord;
        decision: DecisionRecord;
        history: { segment: number; decision_reference: string } | null;
      }>(
        // DOMAIN §6: the RSG decides, as one of its members (requirements §6: the region's team cannot).
        await post(
          `/api/recommendations/${draft.id}/decision`,
          { ...decision, body: "rsg" },
          s.as.rsg.headers,
        ),
        201,
      );
      assert.equal(result.recommendation.state, "agreed");
      assert.equal(result.decision.body, "rsg");
      assert.equal(result.decision.decided_by, "rsg.chair");
      assert.equal(result.history?.segment, 3);

      const { decisions } = await json<{ decisions: DecisionRecord[] }>(
        await get(`/api/decisions?org=${NT_RI}&body=rsg`),
        200,
      );
      assert.deepEqual(decisions, [result.decision]);
      const none = await json<{ decisions: DecisionRecord[] }>(
        await get(`/api/decisions?org=${FT_GOOD}`),
        200,
      );
      assert.deepEqual(none.decisions, []);
      await expectError(await get("/api/decisions?body=board"), 400);

      const org = await json<{
        current_segment: {
          segment: number;
          basis: string;
          decision: { decision_reference: string };
        };
      }>(await get(`/api/organisations/${NT_RI}`), 200);
      assert.equal(org.current_segment.basis, "decided");
      assert.equal(org.current_segment.segment, 3);
      assert.equal(org.current_segment.decision.decision_reference, "RSG/Y56/2019/08");

      const { events } = await json<{ events: { action: string }[] }>(
        await get(
          `/api/audit?entity_type=recommendation&entity_id=${draft.id}`,
          s.as.national.headers,
        ),
        200,
      );
      assert.ok(events.length >= 3, "created, submitted, decided");
    });

    it("409 on a stale version, with the recommendation as it now stands", async () => {
      const draft = await json<RecommendationRecord>(
        await post("/api/recommendations", {
          ...NEW_REC,
          org_code: FT_GOOD,
          from_segment: 2,
          to_segment: 1,
          proposed_enforcement: "none",
          rationale: "Sustained improvement",
        }),
        201,
      );
      const submitted = await json<RecommendationRecord>(
        await post(`/api/recommendations/${draft.id}/submit`, { version: draft.version }),
        200,
      );
      for (const path of ["withdraw", "submit"]) {
        const stale = await expectError(
          await post(`/api/recommendations/${draft.id}/${path}`, { version: draft.version }),
          409,
        );
        assert.deepEqual(stale.error.current, submitted);
      }
      const staleDecision = await expectError(
        await post(
          `/api/recommendations/${draft.id}/decision`,
          {
            body: "rsg",
            decided_on: "2019-03-25",
            outcome: "rejected",
            reference: "RSG/1",
            version: draft.version,
          },
          s.as.rsg.headers,
        ),
        409,
      );
      assert.deepEqual(staleDecision.error.current, submitted);
      const withdrawn = await json<RecommendationRecord>(
        await post(`/api/recommendations/${draft.id}/withdraw`, { version: submitted.version }),
        200,
      );
      assert.equal(withdrawn.state, "withdrawn");
    });

    it("400 with the fields at fault", async () => {
      const bad = await expectError(
        await post("/api/recommendations", {
          ...NEW_REC,
          proposed_on: "2019-02-30",
          from_segment: 9,
        }),
        400,
      );
      assert.deepEqual(bad.error.fields?.map((f) => f.path).sort(), [
        "body.from_segment",
        "body.proposed_on",
      ]);
      const noVersion = await expectError(await post("/api/recommendations/1/submit", {}), 400);
      assert.deepEqual(
        noVersion.error.fields?.map((f) => f.path),
        ["body.version"],
      );
      const decision = await expectError(
        await post("/api/recommendations/1/decision", {
          version: 1,
          body: "board",
          outcome: "maybe",
        }),
        400,
      );
      const paths = decision.error.fields?.map((f) => f.path) ?? [];
      for (const p of ["body.body", "body.outcome", "body.decided_on", "body.reference"])
        assert.ok(paths.includes(p), `${p} in ${paths.join(", ")}`);
      await expectError(await post("/api/recommendations/abc/submit", { version: 1 }), 400);
      const note = await expectError(
        await post(`/api/organisations/${NT_RI}/notes`, {
          source: "x",
          body: "",
          confidentiality: "secret",
        }),
        400,
      );
      assert.deepEqual(note.error.fields?.map((f) => f.path).sort(), [
        "body.body",
        "body.confidentiality",
      ]);
    });

    it("403 for the public, on every write", async () => {
      await expectError(await post("/api/recommendations", NEW_REC, {}), 403);
      await expectError(await post("/api/recommendations/1/submit", { version: 1 }, {}), 403);
      await expectError(await post("/api/recommendations/1/withdraw", { version: 1 }, {}), 403);
      await expectError(
        await post(
          "/api/recommendations/1/decision",
          { body: "rsg", decided_on: "2019-03-12", outcome: "agreed", reference: "R", version: 1 },
          {},
        ),
        403,
      );
      await expectError(
        await post(
          `/api/organisations/${NT_RI}/notes`,
          { source: "s", body: "b", confidentiality: "public" },
          {},
        ),
        403,
      );
    });

    it("404 for an unknown recommendation or organisation", async () => {
      await expectError(await post("/api/recommendations/999999/submit", { version: 1 }), 404);
      await expectError(await post("/api/recommendations/999999/withdraw", { version: 1 }), 404);
      await expectError(
        await post(
          "/api/recommendations/999999/decision",
          {
            body: "rsg",
            decided_on: "2019-03-12",
            outcome: "agreed",
            reference: "R",
            version: 1,
          },
          s.as.rsg.headers,
        ),
        404,
      );
      await expectError(await post("/api/recommendations", { ...NEW_REC, org_code: "ZZZ9" }), 404);
      await expectError(
        await post("/api/organisations/ZZZ9/notes", {
          source: "s",
          body: "b",
          confidentiality: "public",
        }),
        404,
      );
    });

    it("notes: written by a named user; the public sees only the public ones", async () => {
      const sensitive = await json<{ id: number; author: string; confidentiality: string }>(
        await post(`/api/organisations/${FT_GOOD}/notes`, {
          source: "regional call",
          body: "Concerns about the board",
          confidentiality: "official_sensitive",
        }),
        201,
      );
      assert.equal(sensitive.author, "r.jones");
      const open = await json<{ id: number }>(
        await post(`/api/organisations/${FT_GOOD}/notes`, {
          source: "board papers",
          body: "Published improvement plan",
          confidentiality: "public",
        }),
        201,
      );
      const named = await json<{ notes: { id: number }[] }>(
        await get(`/api/organisations/${FT_GOOD}/notes`),
        200,
      );
      assert.deepEqual(
        named.notes.map((n) => n.id),
        [sensitive.id, open.id],
      );
      const publicView = await json<{ notes: { id: number; confidentiality: string }[] }>(
        await get(`/api/organisations/${FT_GOOD}/notes`, {}),
        200,
      );
      assert.deepEqual(
        publicView.notes.map((n) => n.id),
        [open.id],
      );
    });
  });
}
