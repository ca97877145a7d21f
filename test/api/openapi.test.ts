/**
 * requirements §4, JSON API: the OpenAPI document at /api/openapi.json is generated from the same zod
 * schemas that validate requests and responses, so it lists every route with its parameters,
 * body and responses.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testEngines } from "../support/database.js";
import { ROUTES, startApiServer, type ApiServer } from "./api-server.js";

interface Operation {
  parameters?: { in: string; name: string; required?: boolean; schema: unknown }[];
  requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }>;
}
interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, unknown>;
  required?: string[];
  oneOf?: JsonSchema[];
}
interface Document {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema> };
}

/** Every `$ref` anywhere in a value. */
function refs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refs);
  if (value && typeof value === "object")
    return Object.entries(value).flatMap(([k, v]) =>
      k === "$ref" && typeof v === "string" ? [v] : refs(v),
    );
  return [];
}

for (const engine of testEngines()) {
  describe(`OpenAPI document [${engine}] (requirements §4, JSON API)`, () => {
    let s: ApiServer;
    let doc: Document;
    before(async () => {
      s = await startApiServer(engine);
      const response = await fetch(`${s.base}/api/openapi.json`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
      doc = (await response.json()) as Document;
    });
    after(() => s?.close());

    it("is OpenAPI 3.1 with a title and version", () => {
      assert.match(doc.openapi, /^3\.1\.\d+$/);
      assert.equal(doc.info.title, "Oversight API");
      assert.ok(doc.info.version.length > 0);
    });

    it("lists exactly the registered routes, and the server serves each", () => {
      const listed = Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((method) => `${method} ${path}`),
      );
      assert.deepEqual(listed.sort(), ROUTES.map((r) => `${r.method} ${r.path}`).sort());
      for (const route of ROUTES)
        assert.ok(
          s.app.hasRoute({
            method: route.method.toUpperCase() as "GET" | "POST",
            url: route.path.replace(/\{(\w+)\}/g, ":$1"),
          }),
          `${route.method} ${route.path} is registered`,
        );
    });

    it("each route has its path parameters, the actor header, a JSON success schema and the error responses", () => {
      for (const route of ROUTES) {
        const op = doc.paths[route.path]?.[route.method];
        assert.ok(op, `${route.method} ${route.path}`);
        const params = op.parameters ?? [];
        for (const [, name] of route.path.matchAll(/\{(\w+)\}/g)) {
          const param = params.find((p) => p.in === "path" && p.name === name);
          assert.ok(param?.required, `${route.path}: path parameter ${name}`);
        }
        // requirements §6: no actor headers any more; the bearer scheme is declared document-wide.
        assert.ok(
          !params.some((p) => p.in === "header" && p.name.startsWith("x-oversight")),
          `${route.path}: no placeholder actor header`,
        );
        // A POST that creates answers 201; one that moves a recommendation on (submit, withdraw), 200.
        const creates = route.method === "post" && !/\/(submit|withdraw)$/.test(route.path);
        const success = op.responses[creates ? "201" : "200"];
        const schema = success?.content?.["application/json"]?.schema;
        const objects = schema?.oneOf ?? (schema ? [schema] : []);
        assert.ok(objects.length > 0, `${route.path}: success`);
        for (const one of objects)
          assert.ok(one.type === "object" && one.required?.length, `${route.path}: success`);
        for (const status of ["400", "401", "403", "404", "500"])
          assert.equal(
            op.responses[status]?.content?.["application/json"]?.schema.$ref,
            "#/components/schemas/ApiError",
            `${route.method} ${route.path}: ${status}`,
          );
      }
    });

    it("documents the query parameters and the request body from their schemas", () => {
      const query = (path: string) =>
        (doc.paths[path]!.get!.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name);
      assert.deepEqual(query("/api/organisations"), ["as_of"]);
      assert.deepEqual(query("/api/organisations/{code}/assessment").sort(), [
        "as_of",
        "framework",
      ]);
      assert.deepEqual(query("/api/judgements"), ["org"]);
      const body = doc.paths["/api/judgements"]!.post!.requestBody;
      assert.ok(body?.required);
      const schema = body.content["application/json"]!.schema;
      assert.deepEqual(schema.required?.sort(), ["kind", "org_code", "recorded_on", "summary"]);
      assert.ok(!("recorded_by" in (schema.properties ?? {})), "the author is the actor");
    });

    it("every $ref resolves to a component schema", () => {
      const all = refs(doc);
      assert.ok(all.length > 0);
      for (const ref of all) {
        const name = /^#\/components\/schemas\/(.+)$/.exec(ref)?.[1];
        assert.ok(name && doc.components.schemas[name], ref);
      }
    });

    it("the framework resource is described by the framework file schema itself", () => {
      const schema =
        doc.paths["/api/frameworks/{id}"]!.get!.responses["200"]!.content!["application/json"]!
          .schema;
      for (const field of ["id", "metrics", "criteria", "routing", "segments"])
        assert.ok(schema.required?.includes(field), field);
    });
  });
}
