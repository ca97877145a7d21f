/**
 * requirements §4, JSON API: "never 500 for bad input". Thousands of random and mutated requests —
 * random paths under /api, random query strings and headers, random and mutated JSON bodies
 * (wrong types, huge strings, deep nesting, unicode, NUL, nulls, arrays for objects, prototype
 * keys), invalid JSON and wrong content types — sent to every endpoint; not one may be a 5xx, and
 * every error under /api must be the API's error shape. The generator is seeded: a failure prints
 * its seed and request, and `API_FUZZ_SEED=<seed>` replays the run.
 */
import assert from "node:assert/strict";
import http from "node:http";
import { after, before, describe, it } from "node:test";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { FT_RI, ICB, NT_RI } from "../assessment/fixture.js";
import { testEngines } from "../support/database.js";
import { startApiServer, type ApiServer } from "./api-server.js";

const SEED = Number(process.env.API_FUZZ_SEED ?? 20_261_123);
/** PGlite gets the full run; PostgreSQL, the same generator for fewer requests. */
const REQUESTS = { pglite: 4000, postgres: 1000 } as const;
const CONCURRENCY = 8;

class Gen {
  private readonly rng;
  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed);
  }
  int(from: number, to: number): number {
    return uniformInt(this.rng, from, to);
  }
  chance(p: number): boolean {
    return this.int(0, 9999) < p * 10_000;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }
}

const VALID_BODY = {
  org_code: NT_RI,
  kind: "capability_to_improve",
  summary: "Board development programme under way",
  theme: null,
  recorded_on: "2019-01-15",
  confidentiality: "official",
};

const ENDPOINTS = [
  { method: "GET", path: "/api/organisations", query: ["as_of"] },
  { method: "GET", path: "/api/organisations/{code}", query: ["as_of"] },
  { method: "GET", path: "/api/organisations/{code}/assessment", query: ["as_of", "framework"] },
  { method: "GET", path: "/api/frameworks", query: [] },
  { method: "GET", path: "/api/frameworks/{id}", query: [] },
  { method: "GET", path: "/api/judgements", query: ["org"] },
  { method: "POST", path: "/api/judgements", query: [] },
  { method: "GET", path: "/api/recommendations", query: ["org", "state", "body"] },
  { method: "GET", path: "/api/recommendations/{id}", query: [] },
  { method: "POST", path: "/api/recommendations", query: [] },
  { method: "POST", path: "/api/recommendations/{id}/submit", query: [] },
  { method: "POST", path: "/api/recommendations/{id}/withdraw", query: [] },
  { method: "POST", path: "/api/recommendations/{id}/consideration", query: [] },
  { method: "POST", path: "/api/recommendations/{id}/decision", query: [] },
  { method: "GET", path: "/api/decisions", query: ["org", "body"] },
  { method: "GET", path: "/api/organisations/{code}/notes", query: [] },
  { method: "POST", path: "/api/organisations/{code}/notes", query: [] },
  { method: "PATCH", path: "/api/notes/{id}", query: [] },
  { method: "GET", path: "/api/organisations/{code}/enforcement-events", query: [] },
  { method: "POST", path: "/api/organisations/{code}/enforcement-events", query: [] },
  { method: "GET", path: "/api/audit", query: ["entity_type", "entity_id"] },
  { method: "GET", path: "/api/reviews", query: ["as_of", "region", "icb"] },
  { method: "GET", path: "/api/openapi.json", query: [] },
] as const;

const TRICKY_STRINGS = [
  "",
  " ",
  "RX1",
  FT_RI,
  ICB,
  "ZZZ9",
  "nof-2025",
  "sof-2016",
  "2019-03-31",
  "2019-02-30",
  "2024-02-29",
  "0000-01-01",
  "9999-12-31",
  "2019-3-1",
  "yesterday",
  "null",
  "undefined",
  "NaN",
  "-0",
  "1e309",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  "'; DROP TABLE judgements; --",
  "%",
  "%zz",
  "%00",
  "..",
  "../..",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "\udfff\ud800",
  "é",
  "𝄞🏥",
  "\u202e",
  "\ufeff",
  "\r\n",
  "\t",
  "ŁÓDŹ",
  "日本語",
];

function randomString(g: Gen): string {
  const roll = g.int(0, 9);
  if (roll < 5) return g.pick(TRICKY_STRINGS);
  if (roll < 7) {
    const length = g.int(0, 40);
    return Array.from({ length }, () => String.fromCharCode(g.int(0, 0xffff))).join("");
  }
  if (roll < 9) {
    const length = g.int(0, 30);
    return Array.from({ length }, () => String.fromCharCode(g.int(0x20, 0x7e))).join("");
  }
  // Huge: mostly within the body limit, now and then beyond it.
  return g.pick(["x", "é", "𝄞", "\u0000"]).repeat(g.chance(0.1) ? 600_000 : g.int(1_000, 60_000));
}

function randomJson(g: Gen, depth = 0): unknown {
  const roll = g.int(0, depth > 3 ? 5 : 9);
  switch (roll) {
    case 0:
      return null;
    case 1:
      return g.chance(0.5);
    case 2:
      return g.pick([0, -1, 1.5, 2 ** 53 + 2, -(2 ** 63), 1e308, -1e-308, 42]);
    case 3:
    case 4:
    case 5:
      return randomString(g);
    case 6:
    case 7:
      return Array.from({ length: g.int(0, 4) }, () => randomJson(g, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: g.int(0, 4) }, () => [
          g.pick([...Object.keys(VALID_BODY), "recorded_by", "id", randomString(g).slice(0, 20)]),
          randomJson(g, depth + 1),
        ]),
      );
  }
}

/** Nested arrays or objects `depth` deep, as JSON text. */
function deeplyNested(g: Gen): string {
  const depth = g.int(100, 5_000);
  return g.chance(0.5)
    ? `${"[".repeat(depth)}${"]".repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
}

function mutatedBody(g: Gen): unknown {
  const body: Record<string, unknown> = { ...VALID_BODY };
  for (let i = g.int(1, 3); i > 0; i--) {
    const key = g.pick(Object.keys(VALID_BODY));
    const action = g.int(0, 3);
    if (action === 0) delete body[key];
    else if (action === 1) body[key] = randomJson(g);
    else if (action === 2)
      body[g.pick(["recorded_by", "extra", "id", randomString(g).slice(0, 10)])] = randomJson(g);
    else body[key] = randomString(g);
  }
  if (g.chance(0.1)) return [body];
  return body;
}

function randomBodyText(g: Gen): string {
  const roll = g.int(0, 19);
  if (roll < 8) return JSON.stringify(mutatedBody(g));
  if (roll < 11) return JSON.stringify(randomJson(g));
  if (roll === 11) return deeplyNested(g);
  if (roll === 12) return JSON.stringify(VALID_BODY).slice(0, g.int(0, 60));
  if (roll === 13)
    return g.pick([
      '{"__proto__": {"isAdmin": true}}',
      '{"constructor": {"prototype": {"isAdmin": true}}}',
      `{"org_code":"${NT_RI}","org_code":"ZZZ9"}`,
      "\ufeff" + JSON.stringify(VALID_BODY),
      "",
      "{",
      "}{",
      "[1,2",
      "nul",
      '"unterminated',
      "01",
      "1e99999",
      "{'single': 'quotes'}",
    ]);
  if (roll === 14)
    return Array.from({ length: g.int(0, 200) }, () => String.fromCharCode(g.int(0, 255))).join("");
  if (roll === 15) return JSON.stringify({ ...VALID_BODY, __proto__: randomJson(g) });
  return JSON.stringify(VALID_BODY);
}

const CONTENT_TYPES = [
  "application/json",
  "application/json",
  "application/json",
  "application/json; charset=utf-8",
  "APPLICATION/JSON",
  "application/json; charset=utf-16",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=xyz",
  "application/xml",
  "application/octet-stream",
  "a/b/c;;;",
  "",
  undefined,
];

/** Percent-encodes the UTF-8 of any string (lone surrogates become U+FFFD, as on the wire). */
function encode(text: string): string {
  return [...Buffer.from(text, "utf8")]
    .map((b) =>
      /[A-Za-z0-9\-._~]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, "0")}`,
    )
    .join("");
}

/** A path parameter: valid, unknown, or hostile (raw, so malformed escapes reach the server). */
function randomSegment(g: Gen): string {
  const roll = g.int(0, 9);
  if (roll < 3) return g.pick([FT_RI, NT_RI, ICB, "ZZZ9", "nof-2025", "sof-2016", "nof-2022"]);
  if (roll < 8) return encode(randomString(g).slice(0, g.int(0, 300)));
  return g.pick(["%", "%zz", "%c0%ae", "%ff", "..", ".", "", "%2e%2e", "%2F", "a%00b", "*", ";"]);
}

function randomQuery(g: Gen, known: readonly string[]): string {
  const parts: string[] = [];
  for (let i = g.int(0, 3); i > 0; i--) {
    const key =
      g.chance(0.7) && known.length
        ? g.pick(known)
        : g.pick([
            "x",
            "__proto__",
            "as_of[]",
            "constructor",
            "org",
            "framework",
            encode(randomString(g).slice(0, 20)),
          ]);
    const value = g.chance(0.2)
      ? g.pick(["%", "%zz", "%ff", ""])
      : encode(randomString(g).slice(0, 200));
    parts.push(g.chance(0.05) ? key : `${key}=${value}`);
  }
  return parts.length ? `?${parts.join("&")}` : g.pick(["", "?", "?&", "?=", "?&&=&"]);
}

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

const NEARLY_VALID_VALUES: Record<string, string[]> = {
  state: ["draft", "agreed", "pending"],
  body: ["rsg", "prc", "board"],
  entity_type: ["recommendation", "note", "Robert'"],
  entity_id: ["1", "2", "x%20y"],
  region: ["Y56", "Y58", "Y99"],
  icb: [ICB, "QWE", "ZZZ9"],
};

/** The API tokens of the server's accounts (national, regional team, RSG), set once it starts. */
let tokens: string[] = [];

/** A request that is valid but for at most one thing, so the happy paths are reached too. */
function nearlyValidRequest(g: Gen): FuzzRequest {
  const headers: Record<string, string> = g.chance(0.8)
    ? { authorization: `Bearer ${g.pick(tokens)}` }
    : {};
  const endpoint = g.pick(ENDPOINTS);
  const path = endpoint.path
    .replace("{code}", () => g.pick([FT_RI, NT_RI, ICB, "ZZZ9"]))
    .replace("{id}", () =>
      endpoint.path.startsWith("/api/recommendations") || endpoint.path.startsWith("/api/notes")
        ? g.pick(["1", "2", "999", "0", "-1", "1.5", "1e3"])
        : g.pick(["sof-2016", "nof-2022", "nof-2025", "nof-1999"]),
    );
  const query = endpoint.query
    .filter(() => g.chance(0.5))
    .map((key) => {
      const value =
        key === "as_of"
          ? g.pick(["2019-03-31", "2023-01-01", "2025-09-30", "2010-01-01", "2019-02-30"])
          : key === "framework"
            ? g.pick(["sof-2016", "nof-2022", "nof-2025", "nof-1999"])
            : g.pick(NEARLY_VALID_VALUES[key] ?? [FT_RI, NT_RI, "ZZZ9"]);
      return `${key}=${value}`;
    });
  const request: FuzzRequest = {
    method: endpoint.method,
    path: query.length ? `${path}?${query.join("&")}` : path,
    headers,
  };
  if (endpoint.method === "POST" || endpoint.method === "PATCH") {
    headers["content-type"] = "application/json";
    const body: Record<string, unknown> = {
      ...VALID_BODY,
      org_code: g.pick([FT_RI, NT_RI, "RX5", "ZZZ9"]),
      kind: g.pick(["capability_to_improve", "licence_breach_evidence", "longstanding_issues"]),
      summary: randomString(g) || "summary",
      recorded_on: g.pick(["2019-01-15", "2018-07-01", "1990-01-01", "2019-02-30"]),
      confidentiality: g.pick(["public", "official", "official_sensitive"]),
    };
    const version = g.pick([1, 2, 3, 0, 2 ** 40]);
    const workflowBody: Record<string, unknown> | undefined = /\/(submit|withdraw)$/.test(
      endpoint.path,
    )
      ? { version }
      : endpoint.path.endsWith("/decision")
        ? {
            version,
            body: g.pick(["rsg", "prc", "national_moderation", "board"]),
            decided_on: g.pick(["2019-03-12", "2019-01-01", "2019-02-30"]),
            outcome: g.pick(["agreed", "rejected", "amended"]),
            reference: randomString(g) || "RSG/1",
          }
        : endpoint.path === "/api/recommendations"
          ? {
              org_code: g.pick([FT_RI, NT_RI, ICB, "ZZZ9"]),
              proposed_on: g.pick(["2019-03-05", "2010-01-01", "2019-02-30"]),
              from_segment: g.pick([1, 2, 3, 4, 6]),
              to_segment: g.pick([1, 2, 3, 4, 6]),
              rationale: randomString(g) || "rationale",
            }
          : endpoint.path.endsWith("/notes")
            ? {
                source: "board papers",
                body: randomString(g) || "note",
                confidentiality: g.pick(["public", "official", "official_sensitive", "secret"]),
              }
            : endpoint.path.endsWith("/consideration")
              ? {
                  version,
                  body: g.pick(["rsg", "prc", "board"]),
                  considered_on: g.pick(["2019-03-08", "2010-01-01", "2019-02-30"]),
                  view: g.pick(["supports", "does_not_support", "maybe"]),
                  reference: randomString(g) || "RSG/1",
                }
              : endpoint.path.startsWith("/api/notes/")
                ? {
                    version,
                    body: randomString(g) || "note",
                    confidentiality: g.pick(["public", "official", "secret"]),
                  }
                : endpoint.path.endsWith("/enforcement-events")
                  ? {
                      kind: g.pick(["undertakings_accepted", "direction", "fine"]),
                      occurred_on: g.pick(["2019-03-20", "1990-01-01", "2019-02-30"]),
                      summary: randomString(g) || "summary",
                      reference: g.pick([null, "NOI/1", ""]),
                      confidentiality: g.pick(["public", "official_sensitive", "secret"]),
                    }
                  : undefined;
    request.body = JSON.stringify(g.chance(0.3) ? mutatedBody(g) : (workflowBody ?? body));
  }
  return request;
}

function randomRequest(g: Gen): FuzzRequest {
  if (g.chance(0.3)) return nearlyValidRequest(g);
  const headers: Record<string, string> = {};
  // requirements §6: real tokens, tokens a character off, and garbage credentials (401, never 500).
  if (g.chance(0.4))
    headers.authorization = g.pick([
      `Bearer ${g.pick(tokens)}`,
      `Bearer ${g.pick(tokens).slice(0, -1)}`,
      `Bearer ovt_${"0".repeat(16)}_${"x".repeat(43)}`,
      "Bearer ",
      "Basic YWxpY2U6c2VjcmV0",
      `Bearer ${"x".repeat(g.int(60, 2_000))}`,
      `Bearer ${Array.from({ length: g.int(1, 30) }, () => String.fromCharCode(g.int(0x21, 0x7e))).join("")}`,
    ]);
  if (g.chance(0.1))
    headers.cookie = g.pick(["oversight_session=abc", "oversight_session=", "x=y"]);
  let path: string;
  let method: string;
  let known: readonly string[] = [];
  if (g.chance(0.15)) {
    path = `/api${Array.from({ length: g.int(0, 4) }, () => `/${randomSegment(g)}`).join("")}`;
    method = g.pick(["GET", "POST", "PUT", "DELETE"]);
  } else {
    const endpoint = g.pick(ENDPOINTS);
    path = endpoint.path.replace(/\{\w+\}/g, () => randomSegment(g));
    if (g.chance(0.05)) path += g.pick(["/", "//", "/x"]);
    known = endpoint.query;
    method = g.chance(0.9)
      ? endpoint.method
      : g.pick(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);
  }
  path += randomQuery(g, known);
  const request: FuzzRequest = { method, path, headers };
  if (method !== "GET" && method !== "HEAD" && g.chance(0.95)) {
    request.body = randomBodyText(g);
    const type = g.pick(CONTENT_TYPES);
    if (type !== undefined) headers["content-type"] = type;
  } else if (g.chance(0.03)) {
    // A GET with a body.
    request.body = randomBodyText(g);
    headers["content-type"] = "application/json";
  }
  return request;
}

interface Outcome {
  status: number;
  contentType: string;
  body: string;
}

function send(agent: http.Agent, port: number, r: FuzzRequest): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method: r.method,
        path: r.path,
        // Node's client sends a GET or DELETE body undelimited unless told its length.
        headers:
          r.body === undefined
            ? r.headers
            : { ...r.headers, "content-length": String(Buffer.byteLength(r.body)) },
        agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers["content-type"] ?? ""),
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(r.body);
  });
}

/** What is wrong with an outcome, or null. */
function problem(r: FuzzRequest, o: Outcome): string | null {
  if (o.status >= 500 || o.status < 100) return `status ${o.status}: ${o.body.slice(0, 300)}`;
  if (o.status >= 400 && r.path.startsWith("/api/") && r.method !== "HEAD") {
    if (!o.contentType.startsWith("application/json"))
      return `error ${o.status} as ${o.contentType}, not JSON`;
    let parsed: { error?: { status?: unknown; message?: unknown } };
    try {
      parsed = JSON.parse(o.body) as typeof parsed;
    } catch {
      return `error ${o.status} body is not JSON: ${o.body.slice(0, 200)}`;
    }
    if (parsed.error?.status !== o.status || typeof parsed.error.message !== "string")
      return `error ${o.status} not in the API's error shape: ${o.body.slice(0, 200)}`;
    if (/\bat .+\.(ts|js):\d+/.test(o.body)) return "a stack trace leaked";
  }
  return null;
}

const describeRequest = (r: FuzzRequest) =>
  JSON.stringify({
    ...r,
    path: r.path.length > 300 ? `${r.path.slice(0, 300)}…` : r.path,
    body:
      r.body && r.body.length > 300 ? `${r.body.slice(0, 300)}… (${r.body.length} chars)` : r.body,
  });

for (const engine of testEngines()) {
  describe(`JSON API fuzz [${engine}] (requirements §4: never 500 for bad input)`, () => {
    let s: ApiServer;
    before(async () => {
      s = await startApiServer(engine);
      tokens = [s.as.national.token, s.as.region.token, s.as.rsg.token];
    });
    after(() => s?.close());

    it(`${REQUESTS[engine]} random and mutated requests to every endpoint: zero 5xx, errors in one shape`, async (t) => {
      const seed = engine === "pglite" ? SEED : SEED + 1;
      t.diagnostic(`seed ${seed} (API_FUZZ_SEED=${SEED} to replay), ${REQUESTS[engine]} requests`);
      const g = new Gen(seed);
      const requests = Array.from({ length: REQUESTS[engine] }, () => randomRequest(g));
      const port = Number(new URL(s.base).port);
      const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
      const failures: string[] = [];
      const statuses = new Map<number, number>();
      let connectionErrors = 0;
      let next = 0;
      const worker = async () => {
        while (next < requests.length) {
          const index = next++;
          const request = requests[index]!;
          try {
            const outcome = await send(agent, port, request);
            statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
            const wrong = problem(request, outcome);
            if (wrong) failures.push(`#${index} ${describeRequest(request)}: ${wrong}`);
          } catch (error) {
            // The server may close the connection on a body over the limit after answering 413.
            connectionErrors++;
            if ((request.body?.length ?? 0) < 1_000_000)
              failures.push(`#${index} ${describeRequest(request)}: ${String(error)}`);
          }
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      agent.destroy();
      t.diagnostic(
        `statuses: ${[...statuses]
          .sort((a, b) => a[0] - b[0])
          .map(([k, v]) => `${k}×${v}`)
          .join(" ")}` +
          (connectionErrors ? `; ${connectionErrors} closed on oversized bodies` : ""),
      );
      assert.deepEqual(failures.slice(0, 10), [], `seed ${seed}: ${failures.length} failures`);
      // The generator reaches the happy paths too, not only refusals.
      assert.ok((statuses.get(200) ?? 0) > REQUESTS[engine] / 20, "enough 200s");
      assert.ok((statuses.get(201) ?? 0) > 0, "some judgements recorded");
      for (const status of [400, 401, 403, 404, 415])
        assert.ok(statuses.get(status), `some ${status}s`);
      // And the server is still well afterwards.
      const health = await fetch(`${s.base}/api/organisations`);
      assert.equal(health.status, 200);
      await health.arrayBuffer();
    });
  });
}
