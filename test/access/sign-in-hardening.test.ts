/**
 * requirements §20, sign-in edge cases (docs/access.md, "Signing in"): a NUL character in the username
 * is refused like any wrong credential and audited (no 500); an unknown name and a paused one get
 * the same answer; and failures pause sign-in only for that name from that source, with backoff —
 * the owner still signs in from another place, from a device that signed in before, or after an
 * administrator lifts the pause — so guessing cannot lock anyone out.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { FastifyInstance } from "fastify";
import { listAuditEvents } from "../../src/services/audit.js";
import {
  signIn,
  THROTTLE_AFTER_FAILURES,
  THROTTLE_MAX_SECONDS,
  throttleSeconds,
  unlockSignIn,
} from "../../src/services/identity.js";
import { buildServer } from "../../src/web/server.js";
import { TODAY } from "../api/api-server.js";
import { createAccount, SYSTEM, TEST_PASSWORD } from "../support/access.js";
import { openTestDatabase, testEngines, type TestDatabase } from "../support/database.js";

for (const engine of testEngines()) {
  describe(`sign-in hardening [${engine}] (requirements §20)`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    before(async () => {
      t = await openTestDatabase(engine);
      await createAccount(t.ctx, { username: "real.user", role: "regional_team", scope: "Y56" });
      await createAccount(t.ctx, { username: "paused.user", role: "regional_team", scope: "Y56" });
      app = await buildServer(t.ctx, { today: () => TODAY, signInAttemptsPerMinute: 1000 });
    });
    after(async () => {
      await app.close();
      await t.close();
    });

    /** POSTs the sign-in form through the real routes (CSRF cookie and token included). */
    async function postSignIn(username: string, password: string) {
      const form = await app.inject({ url: "/sign-in" });
      const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
      const cookie = form.cookies.map((c) => `${c.name}=${c.value}`).join("; ");
      return app.inject({
        method: "POST",
        url: "/sign-in",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie },
        payload: new URLSearchParams({ username, password, _csrf: csrf }).toString(),
      });
    }

    /** The answer with what legitimately differs (the CSRF token, the name echoed) taken out. */
    const shape = (body: string, username: string) =>
      body.replace(/name="_csrf" value="[^"]+"/, "").replaceAll(username, "NAME");

    it("a NUL character in the username: 401 like a wrong credential, and audited (no 500)", async () => {
      const nul = await postSignIn("real\u0000.user", TEST_PASSWORD);
      const wrong = await postSignIn("real.user", "not the password!");
      assert.equal(nul.statusCode, 401);
      assert.equal(shape(nul.body, "real\u0000.user"), shape(wrong.body, "real.user"));
      const events = await listAuditEvents(t.ctx, SYSTEM, {
        entity_type: "user",
        entity_id: "real\\0.user",
      });
      assert.deepEqual(
        events.map((e) => [e.action, (e.after as { reason: string }).reason]),
        [["sign_in.failed", "unknown user"]],
      );
    });

    it("an unknown name and a paused account get the same status and the same page", async () => {
      for (let i = 0; i < THROTTLE_AFTER_FAILURES; i++) {
        await postSignIn("paused.user", "not the password!");
        await postSignIn("no.such.user", "not the password!");
      }
      const paused = await postSignIn("paused.user", TEST_PASSWORD);
      const unknown = await postSignIn("no.such.user", TEST_PASSWORD);
      assert.equal(paused.statusCode, 401);
      assert.equal(unknown.statusCode, 401);
      assert.equal(shape(paused.body, "paused.user"), shape(unknown.body, "no.such.user"));
      assert.doesNotMatch(paused.body, /locked/);
    });

    it("guessing pauses only that name from that source, with backoff; another source, a known device and an administrator's unlock still let the owner in", async () => {
      assert.deepEqual(
        [4, 5, 6, 7, 20].map((n) => throttleSeconds(n)),
        [0, 60, 120, 240, THROTTLE_MAX_SECONDS],
      );
      const options = { demoMode: false };
      const attacker = { ...options, source: "198.51.100.7" };
      const first = await signIn(
        t.ctx,
        { username: "real.user", password: TEST_PASSWORD },
        { ...options, source: "203.0.113.5" },
      );
      assert.equal(first.ok, true);
      const device = first.ok ? first.device : "";
      for (let i = 0; i < THROTTLE_AFTER_FAILURES; i++)
        await signIn(t.ctx, { username: "real.user", password: "guess guess guess" }, attacker);
      const right = { username: "real.user", password: TEST_PASSWORD };
      assert.deepEqual(await signIn(t.ctx, right, attacker), { ok: false, reason: "invalid" });
      assert.equal((await signIn(t.ctx, right, { ...options, source: "203.0.113.9" })).ok, true);
      // A successful sign-in from a known device lifts the pause there (requirements §20).
      assert.equal((await signIn(t.ctx, right, { ...attacker, device })).ok, true);
      for (let i = 0; i < THROTTLE_AFTER_FAILURES; i++)
        await signIn(t.ctx, { username: "real.user", password: "guess guess guess" }, attacker);
      assert.equal((await signIn(t.ctx, right, attacker)).ok, false, "paused again");
      // The attacker's source, and the form tests' one failure from 127.0.0.1.
      assert.equal(await unlockSignIn(t.ctx, SYSTEM, "real.user"), 2);
      assert.equal((await signIn(t.ctx, right, attacker)).ok, true);
      const actions = (
        await listAuditEvents(t.ctx, SYSTEM, { entity_type: "user", entity_id: "real.user" })
      ).map((e) => e.action);
      assert.ok(actions.includes("sign_in.unlocked"));
      assert.equal(actions.filter((a) => a === "sign_in.failed").length, 1 + 5 + 1 + 5 + 1);
    });
  });
}
