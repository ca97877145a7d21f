/**
 * requirements §2, rule 1: "No metric id, threshold or theme appears in TypeScript." Every .ts file under
 * src/ (tests excepted) is parsed with the TypeScript compiler and no string literal or template
 * text may equal a metric id or theme id of any shipped framework version: code finds metrics
 * through the framework data (themes, roles, feeds), never by name.
 *
 * One deliberate exception, derived rather than listed: metric *role* names are an enum of the
 * schema (src/domain/frameworks/schema.ts), and code legitimately names a role to find the
 * metric that plays it. NOF 2022/23 happens to give its variance-to-plan metric the same id as
 * the role, so role names that are schema enum values are not counted as metric ids. No other
 * id is excused.
 */
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import ts from "typescript";
import { frameworkSchema } from "../../src/domain/frameworks/schema.js";
import { loadShippedFrameworks } from "../../src/store/framework-files.js";
import { ROOT } from "../cli/run-cli.js";

/** The schema's enum of metric roles. */
const METRIC_ROLES: readonly string[] =
  frameworkSchema.shape.metrics.element.shape.roles.unwrap().element.options;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

/** Every string literal and piece of template text in a TypeScript source, with its line. */
function stringsIn(fileName: string, text: string): { value: string; line: number }[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: { value: string; line: number }[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isStringLiteralLike(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
      found.push({ value: node.text, line });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** `file:line "id" (what it is)` for each literal naming a forbidden id. */
function violations(
  files: { name: string; text: string }[],
  forbidden: ReadonlyMap<string, string>,
): string[] {
  return files.flatMap(({ name, text }) =>
    stringsIn(name, text)
      .filter((s) => forbidden.has(s.value))
      .map((s) => `${name}:${s.line} "${s.value}" (${forbidden.get(s.value)})`),
  );
}

function forbiddenIds(): Map<string, string> {
  const ids = new Map<string, string>();
  const frameworks = loadShippedFrameworks();
  for (const f of frameworks)
    for (const m of f.metrics) if (!METRIC_ROLES.includes(m.id)) ids.set(m.id, `metric of ${f.id}`);
  // A role name is excused as a metric id only, never as a theme id.
  for (const f of frameworks) for (const t of f.themes) ids.set(t.id, `theme of ${f.id}`);
  return ids;
}

describe("no metric id or theme id in TypeScript (requirements §2, rule 1)", () => {
  it("the only ids excused are metric ids that are also role names in the schema's enum", () => {
    assert.ok(METRIC_ROLES.includes("variance_to_plan"), "read the role enum from the schema");
    const ids = forbiddenIds();
    const all = new Set(
      loadShippedFrameworks().flatMap((f) => [...f.metrics, ...f.themes].map((x) => x.id)),
    );
    const excused = [...all].filter((id) => !ids.has(id));
    assert.ok(ids.size > 50, `${ids.size} ids checked`);
    for (const id of excused) assert.ok(METRIC_ROLES.includes(id), `${id} is a role name`);
  });

  it("the scan finds an id in a string, a template or a property key, but not in a comment", () => {
    const forbidden = new Map([
      ["ae_4hr_all", "metric"],
      ["people", "theme"],
    ]);
    const sample = [
      "// ae_4hr_all in a comment is documentation",
      'const a = "ae_4hr_all";',
      "const b = `people`;",
      "const c = { 'people': 1 };",
      'const d = "ae_4hr_all_extra";',
      "const e = `${a}ae_4hr_all${b}`;",
    ].join("\n");
    assert.deepEqual(violations([{ name: "sample.ts", text: sample }], forbidden), [
      'sample.ts:2 "ae_4hr_all" (metric)',
      'sample.ts:3 "people" (theme)',
      'sample.ts:4 "people" (theme)',
      'sample.ts:6 "ae_4hr_all" (metric)',
    ]);
  });

  it("no source file under src/ names a metric or theme of a shipped framework", () => {
    const files = sourceFiles(join(ROOT, "src")).map((path) => ({
      name: relative(ROOT, path),
      text: readFileSync(path, "utf8"),
    }));
    assert.ok(files.length > 20, `${files.length} source files scanned`);
    assert.ok(
      files.some((f) => f.name === join("src", "domain", "frameworks", "schema.ts")),
      "the scan reaches the domain",
    );
    assert.deepEqual(violations(files, forbiddenIds()), []);
  });
});
