/**
 * requirements §6, "tested exhaustively": every API route and every CLI action × every role (and the
 * public, and the CLI's `system`) × an organisation in the caller's scope and one out of it,
 * against the expected allow/deny table below — written out here as data, independently of the
 * policy in src/domain/access/policy.ts, so a change to either that disagrees fails.
 *
 * The world: the assessment fixture (London, Y56: ICB QX1 and its trusts) plus a South West
 * (Y58) ICB and NHS trust. In scope is RX2 (London, ICB QX1); out of scope is RY1 (South West).
 * Roles act where docs/access.md says: the regional team and RSG in Y56, the ICB user in QX1,
 * the trust user for RX2; national roles everywhere.
 *
 * Legend, one character per caller in CALLERS order: `y` allowed in and out of scope, `i`
 * allowed in scope only, `n` refused; for a record named by id (requirements §20), `h` allowed in scope
 * and answered out of scope as a missing record (404, NotFoundError), `x` refused in scope (403)
 * and answered out of scope as missing (404). Allowed means a 2xx from the API (or no error from
 * the service the CLI action calls); refused means 403 (ForbiddenError); either refusal writes an
 * `access.denied` audit event.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Actor, Role } from "../../src/domain/access/policy.js";
import { listAuditEvents, verifyAudit } from "../../src/services/audit.js";
import { assessFor } from "../../src/services/assessment.js";
import { authorise } from "../../src/services/authorise.js";
import { ForbiddenError, NotFoundError } from "../../src/services/errors.js";
import { exportOpenData } from "../../src/services/export-bundle.js";
import {
  addUser,
  createApiToken,
  listApiTokens,
  listUsers,
  resetPassword,
  revokeApiToken,
  setUserDisabled,
} from "../../src/services/identity.js";
import { importBundle } from "../../src/services/import-bundle.js";
import { endJudgement, listJudgements, recordJudgement } from "../../src/services/judgements.js";
import { reviewsDueFor } from "../../src/services/reviews.js";
import {
  addNote,
  createRecommendation,
  segmentHistory,
  submitRecommendation,
} from "../../src/services/workflow.js";
import { listEnforcementEvents, recordEnforcementEvent } from "../../src/services/enforcement.js";
import type { CalendarDate } from "../../src/domain/shared/dates.js";
import { startApiServer, type ApiServer } from "../api/api-server.js";
import { createAccount, SYSTEM, TEST_PASSWORD, type TestAccount } from "../support/access.js";
import { testEngines, type TestDatabase } from "../support/database.js";

const IN = "RX2";
const OUT = "RY1";
const ICB_IN = "QX1";
const ICB_OUT = "QY2";

/** The callers, in the order of each expectation string. */
const CALLERS = [
  "national_oversight",
  "regional_team",
  "rsg_member",
  "prc_member",
  "icb_user",
  "trust_user",
  "cqc_user",
  "admin",
  "public",
] as const;
type Caller = (typeof CALLERS)[number];

/** The CLI's callers: the same roles through `--user`, and the local operator (`system`). */
const CLI_CALLERS = [...CALLERS.filter((c) => c !== "public"), "system"] as const;

const SCOPES: Record<Exclude<Role, "public" | "system">, string> = {
  national_oversight: "national",
  regional_team: "Y56",
  rsg_member: "Y56",
  prc_member: "national",
  icb_user: ICB_IN,
  trust_user: IN,
  cqc_user: "national",
  admin: "national",
};

type Where = "in" | "out";
interface Prepared {
  path: string;
  body?: unknown;
}

interface ApiCase {
  route: string;
  expected: string;
  method: "GET" | "POST" | "PATCH";
  /** The request for an organisation in or out of scope (setup may create what it needs). */
  prepare(org: string, icb: string): Promise<Prepared>;
}

const DAY = "2019-03-05";
let seq = 0;

/** What the matrix asks each route, with the expected answer per caller (legend above). */
function apiCases(s: () => ApiServer): ApiCase[] {
  const ctx = () => s().t.ctx;
  const draft = async (
    org: string,
    to = 3,
    enforcement: "seeking_actions" | "none" = "seeking_actions",
  ) =>
    createRecommendation(ctx(), SYSTEM, {
      org_code: org,
      proposed_on: DAY,
      from_segment: 2,
      to_segment: to,
      rationale: `matrix ${++seq}`,
      proposed_enforcement: enforcement,
    });
  const submitted = async (
    org: string,
    to = 3,
    enforcement: "seeking_actions" | "none" = "seeking_actions",
  ) => {
    const d = await draft(org, to, enforcement);
    return submitRecommendation(ctx(), SYSTEM, d.id, d.version);
  };
  const decision = (version: number, body: string) => ({
    body,
    decided_on: "2019-03-20",
    outcome: "rejected",
    reference: `M/${++seq}`,
    version,
  });
  return [
    // Published to everyone (DOMAIN §12).
    {
      route: "GET /api/organisations",
      method: "GET",
      expected: "yyyyyyyyy",
      prepare: async () => ({ path: "/api/organisations" }),
    },
    {
      route: "GET /api/organisations/{code}",
      method: "GET",
      expected: "yyyyyyyyy",
      prepare: async (o) => ({ path: `/api/organisations/${o}` }),
    },
    {
      route: "GET /api/frameworks",
      method: "GET",
      expected: "yyyyyyyyy",
      prepare: async () => ({ path: "/api/frameworks" }),
    },
    {
      route: "GET /api/frameworks/{id}",
      method: "GET",
      expected: "yyyyyyyyy",
      prepare: async () => ({ path: "/api/frameworks/sof-2016" }),
    },
    // The engine's proposal: staff in scope; admin and the public never.
    {
      route: "GET /api/organisations/{code}/assessment",
      method: "GET",
      expected: "yiiyiiynn",
      prepare: async (o) => ({ path: `/api/organisations/${o}/assessment?as_of=2019-03-31` }),
    },
    // Notes and judgements: staff in scope (filtered by clearance); the public, public ones.
    {
      route: "GET /api/judgements",
      method: "GET",
      expected: "yiiyiiyny",
      prepare: async (o) => ({ path: `/api/judgements?org=${o}` }),
    },
    {
      route: "GET /api/organisations/{code}/notes",
      method: "GET",
      expected: "yiiyiiyny",
      prepare: async (o) => ({ path: `/api/organisations/${o}/notes` }),
    },
    {
      route: "POST /api/organisations/{code}/notes",
      method: "POST",
      expected: "yiiyiiynn",
      prepare: async (o) => ({
        path: `/api/organisations/${o}/notes`,
        body: { source: "matrix", body: "note", confidentiality: "official" },
      }),
    },
    // Judgements and recommendations are made by the region for its trusts, or centrally (§6).
    {
      route: "POST /api/judgements",
      method: "POST",
      expected: "yinnnnnnn",
      prepare: async (o) => ({
        path: "/api/judgements",
        body: {
          org_code: o,
          kind: "mitigating_circumstances",
          summary: "matrix",
          recorded_on: "2019-03-01",
        },
      }),
    },
    {
      route: "POST /api/recommendations",
      method: "POST",
      expected: "yinnnnnnn",
      prepare: async (o) => ({
        path: "/api/recommendations",
        body: {
          org_code: o,
          proposed_on: DAY,
          from_segment: 2,
          to_segment: 3,
          rationale: "matrix",
          proposed_enforcement: "seeking_actions",
        },
      }),
    },
    {
      route: "POST /api/recommendations/{id}/submit",
      method: "POST",
      expected: "yhnnnnnnn",
      prepare: async (o) => {
        const d = await draft(o);
        return { path: `/api/recommendations/${d.id}/submit`, body: { version: d.version } };
      },
    },
    {
      route: "POST /api/recommendations/{id}/withdraw",
      method: "POST",
      expected: "yhnnnnnnn",
      prepare: async (o) => {
        const d = await draft(o);
        return { path: `/api/recommendations/${d.id}/withdraw`, body: { version: d.version } };
      },
    },
    // Deliberations: NHS England's roles and the ICB, in scope (§6 2022/23: region and ICB together).
    {
      route: "GET /api/recommendations",
      method: "GET",
      expected: "yiiyinnnn",
      prepare: async (o) => ({ path: `/api/recommendations?org=${o}` }),
    },
    {
      route: "GET /api/recommendations/{id}",
      method: "GET",
      expected: "yhhyhnnnn",
      prepare: async (o) => ({ path: `/api/recommendations/${(await draft(o)).id}` }),
    },
    {
      route: "GET /api/decisions",
      method: "GET",
      expected: "yiiyinnnn",
      prepare: async (o) => ({ path: `/api/decisions?org=${o}` }),
    },
    // §6: the RSG of the organisation's region decides what is routed to the RSG…
    {
      route: "POST /api/recommendations/{id}/decision (as the RSG)",
      method: "POST",
      expected: "nnhnnnnnn",
      prepare: async (o) => {
        const r = await submitted(o);
        return { path: `/api/recommendations/${r.id}/decision`, body: decision(r.version, "rsg") };
      },
    },
    // …and the PRC what is routed to the PRC (segment 4), for any region.
    {
      route: "POST /api/recommendations/{id}/decision (as the PRC)",
      method: "POST",
      expected: "nnxynnnnn",
      prepare: async (o) => {
        const r = await submitted(o, 4, "none");
        return { path: `/api/recommendations/${r.id}/decision`, body: decision(r.version, "prc") };
      },
    },
    // §6, SOF §4: requiring actions reach the PRC having been through the RSG of the region,
    // whose view only its members record.
    {
      route: "POST /api/recommendations/{id}/consideration (as the RSG)",
      method: "POST",
      expected: "nnhnnnnnn",
      prepare: async (o) => {
        const d = await createRecommendation(ctx(), SYSTEM, {
          org_code: o,
          proposed_on: DAY,
          from_segment: 2,
          to_segment: 3,
          rationale: `matrix ${++seq}`,
          proposed_enforcement: "requiring_actions",
        });
        const r = await submitRecommendation(ctx(), SYSTEM, d.id, d.version);
        return {
          path: `/api/recommendations/${r.id}/consideration`,
          body: {
            version: r.version,
            body: "rsg",
            considered_on: "2019-03-08",
            view: "supports",
            reference: `C/${++seq}`,
          },
        };
      },
    },
    // A note is changed by whoever may add one, in scope.
    {
      route: "PATCH /api/notes/{id}",
      method: "PATCH",
      expected: "yhhyhhynn",
      prepare: async (o) => {
        const note = await addNote(ctx(), SYSTEM, {
          org_code: o,
          source: "matrix",
          body: "note",
          confidentiality: "official",
        });
        return {
          path: `/api/notes/${note.id}`,
          body: { version: note.version, body: "changed" },
        };
      },
    },
    // requirements §20: publishing a note (lowering its level to public) is for the organisation that wrote
    // it (NHS England, here: the local operator) or national oversight — not a partner in scope.
    {
      route: "PATCH /api/notes/{id} (publishing: official → public)",
      method: "PATCH",
      expected: "yhhyxxnnn",
      prepare: async (o) => {
        const note = await addNote(ctx(), SYSTEM, {
          org_code: o,
          source: "matrix",
          body: "note",
          confidentiality: "official",
        });
        return {
          path: `/api/notes/${note.id}`,
          body: { version: note.version, confidentiality: "public" },
        };
      },
    },
    // Enforcement events (DOMAIN §10): read like notes, up to clearance; recorded by the region
    // for its trusts, and nationally.
    {
      route: "GET /api/organisations/{code}/enforcement-events",
      method: "GET",
      expected: "yiiyiiyny",
      prepare: async (o) => ({ path: `/api/organisations/${o}/enforcement-events` }),
    },
    {
      route: "POST /api/organisations/{code}/enforcement-events",
      method: "POST",
      expected: "yinnnnnnn",
      prepare: async (o) => ({
        path: `/api/organisations/${o}/enforcement-events`,
        body: { kind: "informal_action", occurred_on: "2019-03-01", summary: "matrix" },
      }),
    },
    // Review triggers quote intelligence verbatim: NHS England's oversight roles only.
    {
      route: "GET /api/reviews",
      method: "GET",
      expected: "yiiynnnnn",
      prepare: async (_o, icb) => ({ path: `/api/reviews?as_of=2019-03-31&icb=${icb}` }),
    },
    // The audit log holds every note's text: national oversight only.
    {
      route: "GET /api/audit",
      method: "GET",
      expected: "ynnnnnnnn",
      prepare: async () => ({ path: "/api/audit?entity_type=user" }),
    },
  ];
}

interface CliCase {
  action: string;
  /** One character per CLI_CALLERS entry. */
  expected: string;
  run(ctx: TestDatabase["ctx"], actor: Actor, org: string, icb: string): Promise<unknown>;
}

function cliCases(dir: string): CliCase[] {
  const judgement = (ctx: TestDatabase["ctx"], org: string) =>
    recordJudgement(
      ctx,
      {
        org_code: org,
        kind: "mitigating_circumstances",
        summary: "cli matrix",
        recorded_by: "m",
        recorded_on: "2019-03-01",
      },
      SYSTEM,
    );
  let user = 0;
  const throwaway = async (ctx: TestDatabase["ctx"]) => {
    const username = `throwaway.${++user}`;
    await addUser(ctx, SYSTEM, {
      username,
      display_name: username,
      role: "cqc_user",
      scope: "national",
      password: TEST_PASSWORD,
    });
    return username;
  };
  return [
    // The CLI's data commands check the action before calling the importer or exporter.
    {
      action: "import <dir>",
      expected: "ynnnnnnny",
      run: (ctx, a) => authorise(ctx, a, "data:import", { type: "bundle" }),
    },
    {
      action: "import-statistics ae-monthly|ae-attendances",
      expected: "ynnnnnnny",
      run: (ctx, a) => authorise(ctx, a, "data:import", { type: "statistics" }),
    },
    {
      action: "demo",
      expected: "ynnnnnnny",
      run: (ctx, a) => authorise(ctx, a, "data:import", { type: "bundle" }),
    },
    {
      action: "export <dir>",
      expected: "ynnnnnnny",
      run: (ctx, a) => authorise(ctx, a, "data:export", { type: "bundle" }),
    },
    {
      action: "export --open-data <dir>",
      expected: "yyyyyyyyy",
      run: (ctx, a) => exportOpenData(ctx, a, join(dir, `open-${++seq}`)),
    },
    {
      action: "assess --org",
      expected: "yiiyiiyny",
      run: (ctx, a, o) => assessFor(ctx, a, { asOf: "2019-03-31" as CalendarDate, orgCode: o }),
    },
    {
      action: "judgements add --org",
      expected: "yinnnnnny",
      run: (ctx, a, o) =>
        recordJudgement(
          ctx,
          {
            org_code: o,
            kind: "mitigating_circumstances",
            summary: "x",
            recorded_by: a.user,
            recorded_on: "2019-03-01",
          },
          a,
        ),
    },
    {
      action: "judgements end <id>",
      expected: "yhnnnnnny",
      run: async (ctx, a, o) => endJudgement(ctx, (await judgement(ctx, o)).id, "2019-03-30", a),
    },
    {
      action: "judgements list --org",
      expected: "yiiyiiyny",
      run: (ctx, a, o) => listJudgements(ctx, o, a),
    },
    {
      action: "reviews due --icb",
      expected: "yiiynnnny",
      run: (ctx, a, _o, icb) => reviewsDueFor(ctx, a, { asOf: "2019-03-31" as CalendarDate, icb }),
    },
    {
      action: "history <org>",
      expected: "yiiynnnny",
      run: (ctx, a, o) => segmentHistory(ctx, a, o),
    },
    { action: "audit verify", expected: "ynnnnnnny", run: (ctx, a) => verifyAudit(ctx, a) },
    { action: "audit head", expected: "ynnnnnnny", run: (ctx, a) => verifyAudit(ctx, a) },
    {
      action: "enforcement record --org",
      expected: "yinnnnnny",
      run: (ctx, a, org) =>
        recordEnforcementEvent(ctx, a, {
          org_code: org,
          kind: "informal_action",
          occurred_on: "2019-03-01",
          summary: "cli matrix",
        }),
    },
    {
      action: "enforcement list <org>",
      expected: "yiiyiiyny",
      run: (ctx, a, org) => listEnforcementEvents(ctx, a, org),
    },
    // Accounts: the administrator (and the local operator), who is not a regulator.
    {
      action: "users add",
      expected: "nnnnnnnyy",
      run: (ctx, a) =>
        addUser(ctx, a, {
          username: `added.${++user}`,
          display_name: "x",
          role: "cqc_user",
          scope: "national",
          password: TEST_PASSWORD,
        }),
    },
    { action: "users list", expected: "nnnnnnnyy", run: (ctx, a) => listUsers(ctx, a) },
    {
      action: "users disable",
      expected: "nnnnnnnyy",
      run: async (ctx, a) => setUserDisabled(ctx, a, await throwaway(ctx), true),
    },
    {
      action: "users enable",
      expected: "nnnnnnnyy",
      run: async (ctx, a) => setUserDisabled(ctx, a, await throwaway(ctx), false),
    },
    {
      action: "users reset-password",
      expected: "nnnnnnnyy",
      run: async (ctx, a) => resetPassword(ctx, a, await throwaway(ctx), `${TEST_PASSWORD} again`),
    },
    {
      action: "tokens create",
      expected: "nnnnnnnyy",
      run: async (ctx, a) => createApiToken(ctx, a, await throwaway(ctx), { name: "m" }),
    },
    { action: "tokens list", expected: "nnnnnnnyy", run: (ctx, a) => listApiTokens(ctx, a) },
    {
      action: "tokens revoke",
      expected: "nnnnnnnyy",
      run: async (ctx, a) =>
        revokeApiToken(
          ctx,
          a,
          (await createApiToken(ctx, SYSTEM, await throwaway(ctx), { name: "m" })).record.id,
        ),
    },
  ];
}

/** The South West ICB and trust the out-of-scope cases use. */
async function importSouthWest(ctx: TestDatabase["ctx"]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "oversight-matrix-"));
  try {
    writeFileSync(
      join(dir, "organisations.csv"),
      "code,name,kind,sector,region,icb_code,open_date,close_date\n" +
        `${ICB_OUT},NHS South West Test Integrated Care Board,icb,,Y58,,2022-07-01,\n` +
        `${OUT},South West Test NHS Trust,nhs_trust,acute,Y58,${ICB_OUT},2001-04-01,\n`,
    );
    const report = await importBundle(ctx, dir, { importedBy: "matrix" });
    assert.ok(report.ok, JSON.stringify(!report.ok && report.rejections));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const allowedAt = (code: string, where: Where) =>
  code === "y" || ((code === "i" || code === "h") && where === "in");
/**
 * requirements §20: a record named by id outside the caller's scope is answered exactly as a missing one
 * (404), so the refusal reveals nothing; every other refusal is a 403.
 */
const hiddenAt = (code: string, where: Where) => where === "out" && (code === "h" || code === "x");

for (const engine of testEngines()) {
  describe(`access matrix [${engine}] (requirements §6: every route and CLI action × every role × in/out of scope)`, () => {
    let s: ApiServer;
    const accounts = new Map<Caller, TestAccount | null>();
    const dir = mkdtempSync(join(tmpdir(), "oversight-matrix-out-"));

    before(async () => {
      s = await startApiServer(engine);
      await importSouthWest(s.t.ctx);
      for (const caller of CALLERS)
        accounts.set(
          caller,
          caller === "public"
            ? null
            : await createAccount(s.t.ctx, {
                username: `matrix.${caller}`,
                role: caller,
                scope: SCOPES[caller],
              }),
        );
    });
    after(async () => {
      await s?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it("every API route × every caller × in/out of scope matches the expected table; each refusal is audited", async (t) => {
      const cases = apiCases(() => s);
      const mismatches: string[] = [];
      let tried = 0;
      for (const c of cases) {
        assert.equal(c.expected.length, CALLERS.length, c.route);
        for (const [i, caller] of CALLERS.entries()) {
          for (const where of ["in", "out"] as const) {
            const request = await c.prepare(
              where === "in" ? IN : OUT,
              where === "in" ? ICB_IN : ICB_OUT,
            );
            const account = accounts.get(caller);
            const response = await fetch(`${s.base}${request.path}`, {
              method: c.method,
              headers: {
                ...(account ? account.headers : {}),
                ...(request.body !== undefined ? { "content-type": "application/json" } : {}),
              },
              ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
            });
            const text = await response.text();
            tried++;
            const want = allowedAt(c.expected[i]!, where);
            const refusal = hiddenAt(c.expected[i]!, where) ? 404 : 403;
            const ok = want
              ? response.status >= 200 && response.status < 300
              : response.status === refusal;
            if (!ok)
              mismatches.push(
                `${c.route} as ${caller} (${where} of scope): expected ${want ? "2xx" : refusal}, got ${response.status} ${text.slice(0, 160)}`,
              );
          }
        }
      }
      t.diagnostic(`${tried} (route, caller, scope) cases over ${cases.length} routes`);
      assert.deepEqual(mismatches, []);
      // requirements §6 audit: refusals are in the hash-chained log, and the chain is intact.
      const denied = (await listAuditEvents(s.t.ctx, SYSTEM)).filter(
        (e) => e.action === "access.denied",
      );
      const expectedDenials = cases.reduce(
        (n, c) =>
          n + [...c.expected].reduce((m, code) => m + (code === "n" ? 2 : code === "i" ? 1 : 0), 0),
        0,
      );
      assert.ok(
        denied.length >= expectedDenials,
        `${denied.length} denials audited, ${expectedDenials} expected at least`,
      );
      assert.equal((await verifyAudit(s.t.ctx, SYSTEM)).ok, true);
    });

    it("every CLI action × every role (through --user) and the local operator × in/out of scope matches the expected table", async (t) => {
      const cases = cliCases(dir);
      const mismatches: string[] = [];
      let tried = 0;
      for (const c of cases) {
        assert.equal(c.expected.length, CLI_CALLERS.length, c.action);
        for (const [i, caller] of CLI_CALLERS.entries()) {
          const actor: Actor = caller === "system" ? SYSTEM : accounts.get(caller)!.actor;
          for (const where of ["in", "out"] as const) {
            tried++;
            const want = allowedAt(c.expected[i]!, where);
            const outcome = await c
              .run(s.t.ctx, actor, where === "in" ? IN : OUT, where === "in" ? ICB_IN : ICB_OUT)
              .then(
                () => "allowed",
                (error: unknown) =>
                  error instanceof ForbiddenError
                    ? "refused"
                    : error instanceof NotFoundError
                      ? "hidden"
                      : `failed: ${String(error)}`,
              );
            const expected = want
              ? "allowed"
              : hiddenAt(c.expected[i]!, where)
                ? "hidden"
                : "refused";
            if (outcome !== expected)
              mismatches.push(
                `${c.action} as ${caller} (${where} of scope): expected ${expected}, ${outcome}`,
              );
          }
        }
      }
      t.diagnostic(`${tried} (CLI action, caller, scope) cases over ${cases.length} actions`);
      assert.deepEqual(mismatches, []);
    });

    it("a read-only API token reads but cannot write, whatever its user's role (requirements §6: tokens are scoped)", async () => {
      const reader = await createAccount(s.t.ctx, {
        username: "matrix.reader",
        role: "national_oversight",
        scope: "national",
        readOnly: true,
      });
      const read = await fetch(`${s.base}/api/recommendations?org=${IN}`, {
        headers: reader.headers,
      });
      assert.equal(read.status, 200);
      const write = await fetch(`${s.base}/api/organisations/${IN}/notes`, {
        method: "POST",
        headers: { ...reader.headers, "content-type": "application/json" },
        body: JSON.stringify({ source: "s", body: "b", confidentiality: "official" }),
      });
      assert.equal(write.status, 403);
    });

    it("a disabled user's token and a revoked token stop working at once (401)", async () => {
      const gone = await createAccount(s.t.ctx, {
        username: "matrix.leaver",
        role: "regional_team",
        scope: "Y56",
      });
      assert.equal(
        (await fetch(`${s.base}/api/organisations`, { headers: gone.headers })).status,
        200,
      );
      await setUserDisabled(s.t.ctx, SYSTEM, gone.username, true);
      assert.equal(
        (await fetch(`${s.base}/api/organisations`, { headers: gone.headers })).status,
        401,
      );
      const kept = await createAccount(s.t.ctx, {
        username: "matrix.rotated",
        role: "regional_team",
        scope: "Y56",
      });
      const [id] = /ovt_([0-9a-f]{16})_/.exec(kept.token)!.slice(1);
      await revokeApiToken(s.t.ctx, SYSTEM, id!);
      assert.equal(
        (await fetch(`${s.base}/api/organisations`, { headers: kept.headers })).status,
        401,
      );
    });
  });
}
