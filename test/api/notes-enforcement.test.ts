/**
 * requirements §4, JSON API: a note's edit at the version read (409 with the current note when stale:
 * "optimistic concurrency on every mutable record"), enforcement events (DOMAIN §10; the public
 * sees only public ones), and the RSG's consideration before the PRC decides requiring actions
 * (DOMAIN §6, SOF §4) — over HTTP on every engine.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { RecommendationRecord } from "../../src/services/workflow.js";
import { recordJudgement } from "../../src/services/judgements.js";
import { FT_RI, NT_RI } from "../assessment/fixture.js";
import { createAccount, SYSTEM, type TestAccount } from "../support/access.js";
import { testEngines } from "../support/database.js";
import { expectError, startApiServer, type ApiServer } from "./api-server.js";

const PUBLIC = {};

for (const engine of testEngines()) {
  describe(`JSON API notes, enforcement events, considerations [${engine}] (requirements §4)`, () => {
    let s: ApiServer;
    let prc: TestAccount;
    // requirements §6: London's regional team (a token from api-server.ts) unless a test names another.
    const send = (
      method: string,
      path: string,
      body: unknown,
      headers: Record<string, string> = s.as.region.headers,
    ) =>
      fetch(`${s.base}${path}`, {
        method,
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const get = (path: string, headers: Record<string, string> = s.as.region.headers) =>
      fetch(`${s.base}${path}`, { headers });
    const json = async <T>(response: Response, status: number): Promise<T> => {
      const text = await response.text();
      assert.equal(response.status, status, text);
      return JSON.parse(text) as T;
    };

    before(async () => {
      s = await startApiServer(engine);
      prc = await createAccount(s.t.ctx, {
        username: "prc.secretary",
        role: "prc_member",
        scope: "national",
      });
    });
    after(() => s?.close());

    it("PATCH /api/notes/{id} changes a note at the version read; a stale version is 409 with the current note", async () => {
      const note = await json<{ id: number; version: number }>(
        await send("POST", `/api/organisations/${NT_RI}/notes`, {
          source: "regional team",
          body: "Board asked for a recovery plan",
          confidentiality: "official",
        }),
        201,
      );
      const changed = await json<{ version: number; body: string; confidentiality: string }>(
        await send("PATCH", `/api/notes/${note.id}`, {
          version: note.version,
          body: "Board agreed a recovery plan",
          confidentiality: "public",
        }),
        200,
      );
      assert.equal(changed.version, note.version + 1);
      assert.equal(changed.body, "Board agreed a recovery plan");
      const stale = await expectError(
        await send("PATCH", `/api/notes/${note.id}`, { version: note.version, body: "Lost" }),
        409,
      );
      assert.equal((stale.error.current as { body: string }).body, "Board agreed a recovery plan");
      await expectError(await send("PATCH", "/api/notes/999999", { version: 1, body: "x" }), 404);
      await expectError(
        await send("PATCH", `/api/notes/${note.id}`, { version: 2, body: "x" }, PUBLIC),
        403,
      );
      const bad = await expectError(
        await send("PATCH", `/api/notes/${note.id}`, { version: 2, colour: "red" }),
        400,
      );
      assert.ok(bad.error.fields?.length);
    });

    it("enforcement events: recorded over the API, the public sees only public ones, a bad kind is a 400 naming the field", async () => {
      const recorded = await json<{ id: number; recorded_by: string; confidentiality: string }>(
        await send("POST", `/api/organisations/${NT_RI}/enforcement-events`, {
          kind: "undertakings_accepted",
          occurred_on: "2019-03-20",
          reference: "ENF/2019/003",
          summary: "Undertakings on A&E governance",
        }),
        201,
      );
      assert.equal(recorded.recorded_by, "r.jones");
      assert.equal(recorded.confidentiality, "official_sensitive");
      await json(
        await send("POST", `/api/organisations/${NT_RI}/enforcement-events`, {
          kind: "informal_action",
          occurred_on: "2019-03-21",
          summary: "Published letter",
          confidentiality: "public",
        }),
        201,
      );
      const staff = await json<{ enforcement_events: { kind: string }[] }>(
        await get(`/api/organisations/${NT_RI}/enforcement-events`),
        200,
      );
      assert.deepEqual(
        staff.enforcement_events.map((e) => e.kind),
        ["undertakings_accepted", "informal_action"],
      );
      const seen = await json<{ enforcement_events: { kind: string; summary: string }[] }>(
        await get(`/api/organisations/${NT_RI}/enforcement-events`, PUBLIC),
        200,
      );
      assert.deepEqual(
        seen.enforcement_events.map((e) => e.kind),
        ["informal_action"],
      );
      const bad = await expectError(
        await send("POST", `/api/organisations/${NT_RI}/enforcement-events`, {
          kind: "fine",
          occurred_on: "2019-03-20",
          summary: "x",
        }),
        400,
      );
      assert.ok(
        bad.error.fields?.some((f) => f.path === "body.kind"),
        JSON.stringify(bad),
      );
      await expectError(
        await send(
          "POST",
          `/api/organisations/${NT_RI}/enforcement-events`,
          { kind: "direction", occurred_on: "2019-03-20", summary: "x" },
          PUBLIC,
        ),
        403,
      );
    });

    it("requiring actions: the PRC's decision is refused until the RSG's consideration is recorded (DOMAIN §6)", async () => {
      await recordJudgement(
        s.t.ctx,
        {
          org_code: FT_RI,
          kind: "licence_breach_evidence",
          summary: "Suspected breach",
          recorded_by: "r.jones",
          recorded_on: "2019-03-01",
        },
        SYSTEM,
      );
      const draft = await json<RecommendationRecord>(
        await send("POST", "/api/recommendations", {
          org_code: FT_RI,
          proposed_on: "2019-03-05",
          from_segment: 2,
          to_segment: 3,
          rationale: "Discretionary requirements proposed",
          proposed_enforcement: "requiring_actions",
        }),
        201,
      );
      assert.equal(draft.routed_body, "prc");
      const submitted = await json<RecommendationRecord>(
        await send("POST", `/api/recommendations/${draft.id}/submit`, { version: draft.version }),
        200,
      );
      const decision = (version: number) =>
        send(
          "POST",
          `/api/recommendations/${draft.id}/decision`,
          {
            version,
            body: "prc",
            decided_on: "2019-03-12",
            outcome: "agreed",
            reference: "PRC/2019/11",
          },
          prc.headers,
        );
      const refused = await expectError(await decision(submitted.version), 400);
      assert.match(refused.error.message, /having been through the Regional Support Group/);
      const considered = await json<{ recommendation: RecommendationRecord }>(
        await send(
          "POST",
          `/api/recommendations/${draft.id}/consideration`,
          {
            version: submitted.version,
            body: "rsg",
            considered_on: "2019-03-08",
            view: "supports",
            reference: "RSG/Y56/2019/03",
          },
          s.as.rsg.headers,
        ),
        201,
      );
      await expectError(await decision(submitted.version), 409);
      const decided = await json<{ decision: { body: string } }>(
        await decision(considered.recommendation.version),
        201,
      );
      assert.equal(decided.decision.body, "prc");
    });
  });
}
