/**
 * The real server on loopback over a fresh test database holding the assessment fixture (ten
 * acute trusts and an ICB, test/assessment/fixture.ts), for the API tests.
 */
import assert from "node:assert/strict";
import type { FastifyInstance } from "fastify";
import type { CalendarDate } from "../../src/domain/shared/dates.js";
import { buildServer, type WebOptions } from "../../src/web/server.js";
import { AS_OF, importFixture } from "../assessment/fixture.js";
import { createAccount, type TestAccount } from "../support/access.js";
import { openTestDatabase, type Engine, type TestDatabase } from "../support/database.js";

export const TODAY = AS_OF as CalendarDate;

export interface ApiServer {
  t: TestDatabase;
  app: FastifyInstance;
  base: string;
  /** Accounts with API tokens (docs/access.md): national oversight, and London's team and RSG. */
  as: { national: TestAccount; region: TestAccount; rsg: TestAccount };
  close(): Promise<void>;
}

export async function startApiServer(
  engine: Engine,
  web: Partial<WebOptions> = {},
): Promise<ApiServer> {
  const t = await openTestDatabase(engine);
  await importFixture(t.ctx);
  const as = {
    national: await createAccount(t.ctx, {
      username: "n.oversight",
      role: "national_oversight",
      scope: "national",
    }),
    region: await createAccount(t.ctx, {
      username: "r.jones",
      role: "regional_team",
      scope: "Y56",
    }),
    rsg: await createAccount(t.ctx, { username: "rsg.chair", role: "rsg_member", scope: "Y56" }),
  };
  const app = await buildServer(t.ctx, { today: () => TODAY, ...web });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  assert.ok(address && typeof address === "object");
  return {
    t,
    app,
    as,
    base: `http://127.0.0.1:${address.port}`,
    close: async () => {
      await app.close();
      await t.close();
    },
  };
}

/** The API's routes, as the OpenAPI document must list them. */
export const ROUTES = [
  { method: "get", path: "/api/organisations" },
  { method: "get", path: "/api/organisations/{code}" },
  { method: "get", path: "/api/organisations/{code}/assessment" },
  { method: "get", path: "/api/frameworks" },
  { method: "get", path: "/api/frameworks/{id}" },
  { method: "get", path: "/api/judgements" },
  { method: "post", path: "/api/judgements" },
  { method: "get", path: "/api/recommendations" },
  { method: "get", path: "/api/recommendations/{id}" },
  { method: "post", path: "/api/recommendations" },
  { method: "post", path: "/api/recommendations/{id}/submit" },
  { method: "post", path: "/api/recommendations/{id}/withdraw" },
  { method: "post", path: "/api/recommendations/{id}/consideration" },
  { method: "post", path: "/api/recommendations/{id}/decision" },
  { method: "get", path: "/api/decisions" },
  { method: "get", path: "/api/organisations/{code}/notes" },
  { method: "post", path: "/api/organisations/{code}/notes" },
  { method: "patch", path: "/api/notes/{id}" },
  { method: "get", path: "/api/organisations/{code}/enforcement-events" },
  { method: "post", path: "/api/organisations/{code}/enforcement-events" },
  { method: "get", path: "/api/audit" },
  { method: "get", path: "/api/reviews" },
  { method: "get", path: "/api/league-tables" },
  { method: "get", path: "/api/league-tables/{peer_group}" },
] as const;

export interface ApiErrorBody {
  error: {
    status: number;
    message: string;
    fields?: { path: string; message: string }[];
    current?: unknown;
  };
}

/** Asserts a response is the API's error shape with `status`, and returns its body. */
export async function expectError(response: Response, status: number): Promise<ApiErrorBody> {
  const text = await response.text();
  assert.equal(response.status, status, text);
  assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
  const body = JSON.parse(text) as ApiErrorBody;
  assert.equal(body.error.status, status);
  assert.equal(typeof body.error.message, "string");
  assert.ok(body.error.message.length > 0);
  return body;
}
