/**
 * requirements §4, JSON API: each read resource and POST /api/judgements over the real server, on every
 * engine — the happy path, and 400 (with the fields at fault), 403 and 404 in one error shape.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { assess } from "../../src/services/assessment.js";
import type { CalendarDate } from "../../src/domain/shared/dates.js";
import { FT_GOOD, FT_RI, ICB, NT_RI, TRUSTS } from "../assessment/fixture.js";
import { testEngines } from "../support/database.js";
import { expectError, startApiServer, TODAY, type ApiServer } from "./api-server.js";

const JSON_TYPE = { "content-type": "application/json" };

const validJudgement = {
  org_code: NT_RI,
  kind: "capability_to_improve",
  summary: "Board development programme under way",
  recorded_on: "2019-01-15",
  confidentiality: "official",
};

for (const engine of testEngines()) {
  describe(`JSON API resources [${engine}] (requirements §4, JSON API)`, () => {
    let s: ApiServer;
    const get = (path: string, headers: Record<string, string> = {}) =>
      fetch(`${s.base}${path}`, { headers });
    // requirements §6: London's regional team (an API token from api-server.ts); {} is the public.
    let USER: Record<string, string> = {};
    // The engine's proposal is not published (requirements §6): read as the organisations' regional team.
    const getAsStaff = (path: string) => get(path, USER);
    const post = (path: string, body: unknown, headers: Record<string, string> = USER) =>
      fetch(`${s.base}${path}`, {
        method: "POST",
        headers: { ...JSON_TYPE, ...headers },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });

    before(async () => {
      s = await startApiServer(engine);
      USER = s.as.region.headers;
    });
    after(() => s?.close());

    it("GET /api/organisations lists those open today, or on ?as_of", async () => {
      const response = await get("/api/organisations");
      assert.equal(response.status, 200);
      assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
      const body = (await response.json()) as { as_of: string; organisations: { code: string }[] };
      assert.equal(body.as_of, TODAY);
      // The ICB opens on 2022-07-01: on TODAY (2019-03-31) only the ten trusts are open.
      assert.deepEqual(
        body.organisations.map((o) => o.code).sort(),
        TRUSTS.map((t) => t.code).sort(),
      );
      const later = (await (await get("/api/organisations?as_of=2023-01-01")).json()) as {
        organisations: { code: string; kind: string }[];
      };
      assert.equal(later.organisations.length, TRUSTS.length + 1);
      assert.equal(later.organisations.at(-1)?.code, ICB, "ICBs after trusts");
      const before = (await (await get("/api/organisations?as_of=1990-01-01")).json()) as {
        organisations: unknown[];
      };
      assert.deepEqual(before.organisations, []);
    });

    for (const bad of ["2019-02-30", "yesterday", "2019-3-1", ""]) {
      it(`GET /api/organisations?as_of=${JSON.stringify(bad)} is a 400 naming query.as_of`, async () => {
        const body = await expectError(
          await get(`/api/organisations?as_of=${encodeURIComponent(bad)}`),
          400,
        );
        assert.deepEqual(
          body.error.fields?.map((f) => f.path),
          ["query.as_of"],
        );
      });
    }

    it("a repeated or unknown query parameter is a 400, not silently ignored", async () => {
      await expectError(await get("/api/organisations?as_of=2019-01-01&as_of=2019-02-01"), 400);
      const body = await expectError(await get("/api/organisations?asof=2019-01-01"), 400);
      assert.match(body.error.message, /asof/);
    });

    it("GET /api/organisations/{code} gives the organisation and its proposed segment, marked as proposed", async () => {
      const response = await getAsStaff(`/api/organisations/${NT_RI}`);
      assert.equal(response.status, 200);
      const body = (await response.json()) as {
        organisation: { code: string; name: string; regionName: string; icbCode: string };
        current_segment: { segment: number; basis: string; framework_id: string; sentence: string };
      };
      assert.equal(body.organisation.code, NT_RI);
      assert.equal(body.organisation.name, "Beta NHS Trust");
      assert.equal(body.organisation.regionName, "London");
      assert.equal(body.organisation.icbCode, ICB);
      // The fixture: an NHS trust rated Requires Improvement is eligible for 3, and held at 2
      // with no licence-breach evidence recorded (Annex A §12 "or equivalent for NHS trusts").
      assert.equal(body.current_segment.segment, 2);
      assert.equal(body.current_segment.basis, "proposed");
      assert.equal(body.current_segment.framework_id, "sof-2016");
      assert.ok(body.current_segment.sentence.length > 0);
      // requirements §6 / DOMAIN §12: the public sees only a decided (published) segment, never the proposal.
      const asPublic = (await (await get(`/api/organisations/${NT_RI}`)).json()) as {
        current_segment: unknown;
      };
      assert.equal(asPublic.current_segment, null);
      await expectError(await get(`/api/organisations/${NT_RI}/assessment`), 403);
    });

    it("GET /api/organisations/{code}: no framework in force, or none covering the kind, gives a null segment", async () => {
      const early = (await (
        await get(`/api/organisations/${FT_GOOD}?as_of=2010-01-01`)
      ).json()) as {
        current_segment: unknown;
      };
      assert.equal(early.current_segment, null);
      // NHS OF 2025/26 does not segment ICBs.
      const icb = await get(`/api/organisations/${ICB}?as_of=2025-09-30`);
      assert.equal(icb.status, 200);
      assert.equal(((await icb.json()) as { current_segment: unknown }).current_segment, null);
    });

    it("GET /api/organisations/{code}: unknown, or not open on the date, is a 404; a malformed code a 400", async () => {
      await expectError(await get("/api/organisations/ZZZ9"), 404);
      // The ICB opens on 2022-07-01.
      const closed = await expectError(await get(`/api/organisations/${ICB}`), 404);
      assert.match(closed.error.message, /not open on 2019-03-31/);
      const malformed = await expectError(await get("/api/organisations/R%20J7"), 400);
      assert.deepEqual(
        malformed.error.fields?.map((f) => f.path),
        ["params.code"],
      );
      await expectError(await get(`/api/organisations/${FT_RI}?as_of=2019-13-01`), 400);
    });

    it("GET /api/organisations/{code}/assessment is the engine's assessment, explanation and path, unabridged", async () => {
      const response = await getAsStaff(`/api/organisations/${FT_RI}/assessment`);
      assert.equal(response.status, 200);
      const body = (await response.json()) as {
        method: string;
        framework: { id: string };
        as_of: string;
        assessment: { proposed_segment: number; eligible_segment: number; paths: unknown[] };
      };
      assert.equal(body.method, "eligibility");
      assert.equal(body.framework.id, "sof-2016");
      assert.equal(body.as_of, TODAY);
      // Annex A §12: a foundation trust eligible for 3 is held at 2 without breach evidence.
      assert.equal(body.assessment.eligible_segment, 3);
      assert.equal(body.assessment.proposed_segment, 2);
      assert.ok(body.assessment.paths.length > 0, "a path to a better segment");
      // Nothing is lost on the way out: the API's assessment is the service's, field for field.
      const run = await assess(s.t.ctx, { asOf: TODAY, orgCode: FT_RI });
      assert.deepEqual(body.assessment, JSON.parse(JSON.stringify(run.assessments[0])));
    });

    it("GET /api/organisations/{code}/assessment?framework=nof-2025 is a scored assessment", async () => {
      const response = await getAsStaff(
        `/api/organisations/${FT_RI}/assessment?framework=nof-2025&as_of=2025-09-30`,
      );
      assert.equal(response.status, 200);
      const body = (await response.json()) as { method: string; assessment: unknown };
      assert.equal(body.method, "scored");
      const run = await assess(s.t.ctx, {
        asOf: "2025-09-30" as CalendarDate,
        frameworkId: "nof-2025",
        orgCode: FT_RI,
      });
      assert.deepEqual(body.assessment, JSON.parse(JSON.stringify(run.assessments[0])));
    });

    it("GET /api/organisations/{code}/assessment: 400 for an unknown framework, 404 when there is nothing to assess", async () => {
      const unknown = await expectError(
        await getAsStaff(`/api/organisations/${FT_RI}/assessment?framework=nof-1999`),
        400,
      );
      assert.deepEqual(
        unknown.error.fields?.map((f) => f.path),
        ["query.framework"],
      );
      await expectError(
        await getAsStaff(`/api/organisations/${FT_RI}/assessment?framework=NOF!`),
        400,
      );
      await expectError(await getAsStaff("/api/organisations/ZZZ9/assessment"), 404);
      await expectError(
        await getAsStaff(`/api/organisations/${FT_RI}/assessment?as_of=2010-01-01`),
        404,
      );
      // SOF 2016 covers trusts only.
      const icb = await expectError(
        await getAsStaff(
          `/api/organisations/${ICB}/assessment?as_of=2023-01-01&framework=sof-2016`,
        ),
        404,
      );
      assert.match(icb.error.message, /not assessed under sof-2016/);
    });

    it("GET /api/frameworks lists the versions; /api/frameworks/{id} gives one in full", async () => {
      const list = (await (await get("/api/frameworks")).json()) as {
        frameworks: { id: string; method: string; in_force_to: string | null }[];
      };
      assert.deepEqual(
        list.frameworks.map((f) => [f.id, f.method]),
        [
          ["sof-2016", "eligibility"],
          ["nof-2022", "eligibility"],
          ["nof-2025", "scored"],
        ],
      );
      const response = await get("/api/frameworks/nof-2022");
      assert.equal(response.status, 200);
      const framework = (await response.json()) as unknown;
      assert.deepEqual(
        framework,
        JSON.parse(JSON.stringify(s.t.ctx.frameworks.get("nof-2022"))),
        "the framework as loaded, unabridged",
      );
      await expectError(await get("/api/frameworks/nof-1999"), 404);
      await expectError(await get("/api/frameworks/NOF_2022"), 400);
      await expectError(await get("/api/frameworks?x=1"), 400);
    });

    it("POST /api/judgements records a judgement by the acting user (201); GET /api/judgements lists it", async () => {
      const response = await post("/api/judgements", validJudgement);
      assert.equal(response.status, 201, await response.clone().text());
      const created = (await response.json()) as Record<string, unknown>;
      assert.equal(typeof created.id, "number");
      assert.deepEqual(
        { ...created, id: 0 },
        {
          ...validJudgement,
          id: 0,
          theme: null,
          recorded_by: s.as.region.username,
          ends_on: null,
        },
      );
      const mine = (await (await get(`/api/judgements?org=${NT_RI}`, USER)).json()) as {
        judgements: { id: unknown }[];
      };
      assert.deepEqual(
        mine.judgements.map((j) => j.id),
        [created.id],
      );
      const other = (await (await get(`/api/judgements?org=${FT_GOOD}`, USER)).json()) as {
        judgements: unknown[];
      };
      assert.deepEqual(other.judgements, []);
    });

    it("GET /api/judgements: the public sees only judgements marked public", async () => {
      await post("/api/judgements", {
        ...validJudgement,
        org_code: FT_GOOD,
        confidentiality: "public",
        summary: "Published improvement plan",
      });
      await post("/api/judgements", { ...validJudgement, org_code: FT_GOOD });
      const asUser = (await (await get(`/api/judgements?org=${FT_GOOD}`, USER)).json()) as {
        judgements: { confidentiality: string }[];
      };
      assert.deepEqual(asUser.judgements.map((j) => j.confidentiality).sort(), [
        "official",
        "public",
      ]);
      const asPublic = (await (await get(`/api/judgements?org=${FT_GOOD}`)).json()) as {
        judgements: { confidentiality: string }[];
      };
      assert.deepEqual(
        asPublic.judgements.map((j) => j.confidentiality),
        ["public"],
      );
      await expectError(await get("/api/judgements?org=R%20X"), 400);
    });

    it("POST /api/judgements by the public is a 403 (the access hook), and records nothing", async () => {
      const before = (await (await get("/api/judgements", USER)).json()) as {
        judgements: unknown[];
      };
      await expectError(await post("/api/judgements", validJudgement, {}), 403);
      const after = (await (await get("/api/judgements", USER)).json()) as {
        judgements: unknown[];
      };
      assert.equal(after.judgements.length, before.judgements.length);
    });

    it("POST /api/judgements: malformed input is a 400 naming each field at fault", async () => {
      const body = await expectError(
        await post("/api/judgements", {
          org_code: NT_RI,
          kind: "catastrophe",
          summary: "  ",
          recorded_on: "2019-02-30",
        }),
        400,
      );
      assert.deepEqual(body.error.fields?.map((f) => f.path).sort(), [
        "body.kind",
        "body.recorded_on",
        "body.summary",
      ]);
      // The author is the actor: naming another in the body is refused, as is any unknown field.
      const author = await expectError(
        await post("/api/judgements", { ...validJudgement, recorded_by: "someone.else" }),
        400,
      );
      assert.match(author.error.message, /recorded_by/);
      // Checked against the data: the organisation, the day it was open, the theme.
      const org = await expectError(
        await post("/api/judgements", { ...validJudgement, org_code: "ZZZ9" }),
        400,
      );
      assert.deepEqual(
        org.error.fields?.map((f) => f.path),
        ["body.org_code"],
      );
      const day = await expectError(
        await post("/api/judgements", { ...validJudgement, recorded_on: "1990-01-01" }),
        400,
      );
      assert.deepEqual(
        day.error.fields?.map((f) => f.path),
        ["body.recorded_on"],
      );
      const theme = await expectError(
        await post("/api/judgements", { ...validJudgement, theme: "no_such_theme" }),
        400,
      );
      assert.deepEqual(
        theme.error.fields?.map((f) => f.path),
        ["body.theme"],
      );
      // PostgreSQL text cannot hold U+0000, and an unpaired surrogate (a JSON `\ud800` escape) is
      // not text: refused as input, never a database failure. Found by the fuzz test.
      for (const summary of ["a\u0000b", "a\ud800b", "\udc00"]) {
        const unstorable = await expectError(
          await post("/api/judgements", { ...validJudgement, summary }),
          400,
        );
        assert.deepEqual(
          unstorable.error.fields?.map((f) => f.path),
          ["body.summary"],
        );
      }
    });

    it("POST /api/judgements: bad JSON, prototype keys, a wrong content type and an oversized body are 4xx", async () => {
      await expectError(await post("/api/judgements", "{not json"), 400);
      await expectError(await post("/api/judgements", '{"__proto__": {"admin": true}}'), 400);
      await expectError(await post("/api/judgements", "[]"), 400);
      await expectError(await post("/api/judgements", "null"), 400);
      await expectError(
        await fetch(`${s.base}/api/judgements`, {
          method: "POST",
          headers: { ...USER, "content-type": "text/plain" },
          body: JSON.stringify(validJudgement),
        }),
        415,
      );
      await expectError(
        await post("/api/judgements", { ...validJudgement, summary: "x".repeat(1_100_000) }),
        413,
      );
    });

    it("requirements §6: a malformed, unknown or revoked bearer token is a 401; the old x-oversight-* headers grant nothing", async () => {
      for (const authorization of [
        "Bearer not-a-token",
        "Basic YWxpY2U6c2VjcmV0",
        `Bearer ${s.as.region.token.slice(0, -1)}${s.as.region.token.endsWith("A") ? "B" : "A"}`,
        `Bearer ovt_0123456789abcdef_${"x".repeat(43)}`,
      ]) {
        const response = await get("/api/organisations", { authorization });
        await expectError(response, 401);
      }
      // The removed placeholder: naming a user and role in headers is the public, not that user.
      await expectError(
        await post("/api/judgements", validJudgement, {
          "x-oversight-user": "alice",
          "x-oversight-role": "national_oversight",
        }),
        403,
      );
    });

    it("an unknown resource or method under /api is a JSON 404, and the pages keep their HTML 404", async () => {
      await expectError(await get("/api/no/such/resource"), 404);
      await expectError(await fetch(`${s.base}/api/organisations`, { method: "DELETE" }), 404);
      const page = await get("/no/such/page");
      assert.equal(page.status, 404);
      assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
      await page.arrayBuffer();
    });
  });
}
