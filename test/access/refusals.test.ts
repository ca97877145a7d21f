/**
 * requirements §20, what refusals reveal (docs/access.md, "What a refusal says"): a record outside the
 * caller's scope or clearance is answered exactly as a missing one (404, the same body); a level
 * the caller may not use is refused like any value outside its choices; every filter naming a place
 * outside the scope is refused (403), `?region=` like `?icb=`; staff pages and confidential API
 * answers carry `Cache-Control: no-store`; and a CSRF token is bound to the session it was made in.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { addNote, createRecommendation } from "../../src/services/workflow.js";
import { importBundle } from "../../src/services/import-bundle.js";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NT_RI } from "../assessment/fixture.js";
import { startApiServer, type ApiServer } from "../api/api-server.js";
import {
  cookieHeader,
  createAccount,
  signInForm,
  signInThroughForm,
  SYSTEM,
  TEST_PASSWORD,
  type TestAccount,
} from "../support/access.js";
import { testEngines } from "../support/database.js";

for (const engine of testEngines()) {
  describe(`refusals reveal nothing [${engine}] (requirements §20)`, () => {
    let s: ApiServer;
    let icb: TestAccount;
    before(async () => {
      s = await startApiServer(engine, { signInAttemptsPerMinute: 10_000 });
      const dir = mkdtempSync(join(tmpdir(), "oversight-refusals-"));
      writeFileSync(
        join(dir, "organisations.csv"),
        "code,name,kind,sector,region,icb_code,open_date,close_date\n" +
          "QY2,NHS South West Test Integrated Care Board,icb,,Y58,,2022-07-01,\n" +
          "RY1,South West Test NHS Trust,nhs_trust,acute,Y58,QY2,2001-04-01,\n",
      );
      assert.ok((await importBundle(s.t.ctx, dir, { importedBy: "refusals" })).ok);
      rmSync(dir, { recursive: true, force: true });
      icb = await createAccount(s.t.ctx, { username: "icb.user", role: "icb_user", scope: "QX1" });
    });
    after(() => s?.close());

    const call = async (method: string, path: string, headers: object, body?: unknown) => {
      const r = await fetch(`${s.base}${path}`, {
        method,
        headers: {
          ...(headers as Record<string, string>),
          ...(body ? { "content-type": "application/json" } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return { status: r.status, body: await r.text(), headers: r.headers };
    };
    const MISSING = 987_654;

    it("a recommendation outside the scope: 404 with the body a missing one gets", async () => {
      const theirs = await createRecommendation(s.t.ctx, SYSTEM, {
        org_code: "RY1",
        proposed_on: "2019-03-05",
        from_segment: 2,
        to_segment: 3,
        rationale: "South West's",
        proposed_enforcement: "seeking_actions",
      });
      const region = s.as.region.headers;
      const hidden = await call("GET", `/api/recommendations/${theirs.id}`, region);
      const missing = await call("GET", `/api/recommendations/${MISSING}`, region);
      assert.equal(hidden.status, 404);
      assert.equal(hidden.body, missing.body.replace(String(MISSING), String(theirs.id)));
      assert.doesNotMatch(hidden.body, /RY1|refused|scope/);
    });

    it("a note above the caller's clearance, in scope: 404 with the body a missing note gets; a level it may not use is refused as an unknown choice", async () => {
      const note = await addNote(s.t.ctx, SYSTEM, {
        org_code: NT_RI,
        source: "regional team",
        body: "board concerns",
        confidentiality: "official_sensitive",
      });
      const hidden = await call("PATCH", `/api/notes/${note.id}`, icb.headers, {
        version: note.version,
        body: "x",
      });
      const missing = await call("PATCH", `/api/notes/${MISSING}`, icb.headers, {
        version: 1,
        body: "x",
      });
      assert.equal(hidden.status, 404);
      assert.equal(hidden.body, missing.body.replace(String(MISSING), String(note.id)));
      const marked = await call("POST", `/api/organisations/${NT_RI}/notes`, icb.headers, {
        source: "s",
        body: "b",
        confidentiality: "official_sensitive",
      });
      assert.equal(marked.status, 400);
      assert.match(marked.body, /confidentiality: must be one of public, official/);
      assert.doesNotMatch(marked.body, /may not mark|cannot read/);
    });

    it("?region= outside the scope is refused (403) like ?icb=; inside it answers", async () => {
      const region = s.as.region.headers;
      assert.equal((await call("GET", "/api/reviews?region=Y58", region)).status, 403);
      assert.equal((await call("GET", "/api/reviews?icb=QY2", region)).status, 403);
      assert.equal((await call("GET", "/api/reviews?region=Y56", region)).status, 200);
    });

    it("staff pages and confidential API answers carry Cache-Control: no-store", async () => {
      const api = await call("GET", `/api/organisations/${NT_RI}/notes`, s.as.national.headers);
      assert.equal(api.status, 200);
      assert.equal(api.headers.get("cache-control"), "no-store");
      const { jar } = await signInThroughForm(s.base, "n.oversight", TEST_PASSWORD);
      const page = await fetch(`${s.base}/organisations/${NT_RI}`, {
        headers: { cookie: cookieHeader(jar) },
      });
      assert.equal(page.status, 200);
      assert.equal(page.headers.get("cache-control"), "no-store");
    });

    it("a CSRF token from before sign-in stops working after it; one from the session works", async () => {
      const before = await signInForm(s.base);
      const signedIn = await signInThroughForm(s.base, "r.jones", TEST_PASSWORD, before.jar);
      assert.equal(signedIn.response.status, 303);
      const note = { source: "s", body: "b", confidentiality: "official" };
      const stale = await call(
        "POST",
        `/api/organisations/${NT_RI}/notes`,
        {
          cookie: cookieHeader(signedIn.jar),
          "x-csrf-token": before.csrf,
        },
        note,
      );
      assert.equal(stale.status, 403);
      const fresh = await signInForm(s.base, signedIn.jar);
      const ok = await call(
        "POST",
        `/api/organisations/${NT_RI}/notes`,
        {
          cookie: cookieHeader(fresh.jar),
          "x-csrf-token": fresh.csrf,
        },
        note,
      );
      assert.equal(ok.status, 201, ok.body);
    });
  });
}
