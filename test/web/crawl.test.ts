/**
 * requirements §20, "every link the product renders is followed by a test": over the demo, signed in as
 * each demo account (one per role) and as the public, start at the home page and follow every
 * same-site link each page renders; none may answer 4xx or 5xx. So that the crawl finishes, links
 * of one shape are followed once per role: the shape is the path with organisation codes left out
 * and metric ids reduced to their form (shapeOf), and the query's parameter names.
 * It found the NHS OF 2025/26 metric links (`/organisations/RJ1/metrics/OF0079`) answering 400.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { FastifyInstance } from "fastify";
import { ROLES } from "../../src/domain/access/policy.js";
import type { CalendarDate } from "../../src/domain/shared/dates.js";
import { enableDemoAccounts } from "../../src/services/identity.js";
import { buildServer } from "../../src/web/server.js";
import { SYSTEM, TEST_PASSWORD } from "../support/access.js";
import type { TestDatabase } from "../support/database.js";
import { openDemoDatabase } from "../support/demo.js";

/** The shape of a link: organisation codes and query values left out. */
function shapeOf(url: URL): string {
  const path = url.pathname.replace(
    /\/organisations\/[A-Z0-9]{3,6}(?=\/|$)/,
    "/organisations/:org",
  );
  const params = [...new Set(url.searchParams.keys())].sort().join("&");
  return `${path}?${params}`;
}

const ASSETS = /^\/(static|assets|nhsuk)\//;

function linksOf(html: string, from: string): string[] {
  const base = new URL(from, "http://oversight.test");
  return [...html.matchAll(/<a\b[^>]*\shref="([^"]*)"/g)]
    .map((m) => m[1]!.replaceAll("&amp;", "&"))
    .filter((href) => href !== "" && !href.startsWith("#") && !href.startsWith("mailto:"))
    .map((href) => new URL(href, base))
    .filter((u) => u.host === "oversight.test" && !ASSETS.test(u.pathname))
    .map((u) => `${u.pathname}${u.search}`);
}

describe("every rendered link, as every role, answers without error (requirements §20)", () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let trust: string;
  before(async () => {
    const demo = await openDemoDatabase("pglite");
    const { manifest } = demo;
    t = demo;
    await enableDemoAccounts(t.ctx, SYSTEM, TEST_PASSWORD);
    const [first] = await t.db.query<{ code: string }>(
      `SELECT code FROM organisations WHERE kind <> 'icb' AND superseded_at IS NULL
          AND close_date IS NULL ORDER BY code LIMIT 1`,
    );
    trust = first!.code;
    app = await buildServer(t.ctx, {
      today: () => manifest.asOf as CalendarDate,
      demoMode: true,
      signInAttemptsPerMinute: 1000,
    });
  });
  after(async () => {
    await app?.close();
    await t?.close();
  });

  async function signedIn(username: string): Promise<string> {
    const form = await app.inject({ url: "/sign-in" });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
    const jar = form.cookies.map((c) => `${c.name}=${c.value}`).join("; ");
    const answer = await app.inject({
      method: "POST",
      url: "/sign-in",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar },
      payload: new URLSearchParams({ username, password: TEST_PASSWORD, _csrf: csrf }).toString(),
    });
    assert.equal(answer.statusCode, 303, `${username}: ${answer.body.slice(0, 200)}`);
    const session = answer.cookies.find((c) => c.name === "oversight_session")!;
    return `oversight_session=${session.value}`;
  }

  it("an NHS OF 2025/26 metric page, its id in the framework's case (OF0079), answers 200, not 400", async () => {
    const cookie = await signedIn("demo.national_oversight");
    const answer = await app.inject({
      url: `/organisations/${trust}/metrics/OF0079?as_of=2025-09-30`,
      headers: { cookie },
    });
    assert.equal(answer.statusCode, 200, answer.body.slice(0, 300));
  });

  for (const role of ["public", ...ROLES] as const) {
    it(`as ${role === "public" ? "the public" : `demo.${role}`}: no link answers 4xx or 5xx`, async (test) => {
      const cookie = role === "public" ? "" : await signedIn(`demo.${role}`);
      const seen = new Set<string>();
      // A trust's profile first, so the organisation pages followed are a trust's, with every
      // metric of the framework in force linked: under NHS OF 2025/26 (its ids are OF0079 …),
      // then at the demo's date (SOF 2016), then the home page.
      const queue: { url: string; from: string }[] = [
        { url: `/organisations/${trust}?as_of=2025-09-30`, from: "(start)" },
        { url: `/organisations/${trust}`, from: "(start)" },
        { url: "/", from: "(start)" },
      ];
      const broken: string[] = [];
      let followed = 0;
      while (queue.length > 0) {
        const { url, from } = queue.shift()!;
        const shape = shapeOf(new URL(url, "http://oversight.test"));
        if (seen.has(shape)) continue;
        seen.add(shape);
        const answer = await app.inject({ url, headers: cookie ? { cookie } : {} });
        followed++;
        if (answer.statusCode >= 400) {
          broken.push(`${url} (linked from ${from}): ${answer.statusCode}`);
          continue;
        }
        const location = answer.headers.location;
        if (answer.statusCode >= 300 && typeof location === "string") {
          queue.push({ url: location, from: url });
          continue;
        }
        if (!String(answer.headers["content-type"] ?? "").startsWith("text/html")) continue;
        for (const link of linksOf(answer.body, url)) queue.push({ url: link, from: url });
      }
      test.diagnostic(`${followed} links followed`);
      assert.ok(followed > 5, `only ${followed} links`);
      assert.deepEqual(broken, []);
    });
  }
});
