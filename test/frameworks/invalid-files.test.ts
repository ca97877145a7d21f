/**
 * requirements §2, rule 1: a bad framework file fails with the file, the path inside it and the problem
 * named. Each case writes a broken copy of a shipped file to a temp folder.
 */
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import {
  FRAMEWORKS_DIR,
  FrameworkFileError,
  loadFrameworkFile,
  loadShippedFrameworks,
} from "../../src/store/framework-files.js";
import { tempDir } from "../cli/run-cli.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a framework being broken on purpose
type Mutable = any;

const scratch = tempDir("oversight-frameworks-");
let cases = 0;

function shippedData(id: string): Mutable {
  return parseYaml(readFileSync(join(FRAMEWORKS_DIR, `${id}.yaml`), "utf8"));
}

/** Writes `text` as `name` in a fresh folder and returns its path. */
function writeCase(name: string, text: string): string {
  const dir = join(scratch, String(++cases));
  mkdirSync(dir);
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** A copy of a shipped framework, changed by `breakIt`, under its own (or another) file name. */
function brokenCopy(id: string, breakIt: (data: Mutable) => void, name = `${id}.yaml`): string {
  const data = shippedData(id);
  breakIt(data);
  return writeCase(name, stringifyYaml(data));
}

/** The problems loading `file` reports; each is also checked to be one line naming the file. */
function problems(file: string): string[] {
  try {
    loadFrameworkFile(file);
  } catch (error) {
    assert.ok(error instanceof FrameworkFileError, String(error));
    assert.equal(error.file, file);
    assert.equal(error.message, error.problems.map((p) => `${file}: ${p}`).join("\n"));
    for (const p of error.problems) assert.ok(!p.includes("\n"), `one line: ${p}`);
    return error.problems;
  }
  assert.fail(`${file} loaded, but it is broken`);
}

describe("a bad framework file is named with its path and problem (requirements §2, rule 1)", () => {
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it("an unbroken copy loads (the cases below break only what they say)", () => {
    const file = brokenCopy("nof-2022", () => undefined);
    assert.equal(loadFrameworkFile(file).id, "nof-2022");
  });

  it("a YAML syntax error: line and column, on one line", () => {
    const text = readFileSync(join(FRAMEWORKS_DIR, "nof-2022.yaml"), "utf8").replace(
      /^name: .*$/m,
      "name: NHS Oversight: Framework",
    );
    const file = writeCase("nof-2022.yaml", text);
    const line = text.split("\n").findIndex((l) => l.startsWith("name: NHS Oversight:")) + 1;
    assert.ok(line > 1);
    assert.deepEqual(problems(file), [
      `line ${line}, column 7: Nested mappings are not allowed in compact mappings`,
    ]);
  });

  it("YAML with a repeated key", () => {
    const file = writeCase("nof-2022.yaml", "id: nof-2022\nid: nof-2023\n");
    assert.deepEqual(problems(file), ["line 2, column 1: Map keys must be unique"]);
  });

  it("invalid JSON", () => {
    const found = problems(writeCase("nof-2022.json", '{"id": "nof-2022",'));
    assert.equal(found.length, 1);
    assert.match(found[0]!, /JSON/);
  });

  it("an empty file", () => {
    assert.deepEqual(problems(writeCase("nof-2022.yaml", "")), [
      "(root): Invalid input: expected object, received null",
    ]);
  });

  it("a missing file", () => {
    assert.deepEqual(problems(join(scratch, "nof-2030.yaml")), ["file not found"]);
  });

  it("a missing required field, at the top and inside a metric", () => {
    assert.deepEqual(problems(brokenCopy("nof-2022", (f) => delete f.in_force_from)), [
      "in_force_from: Invalid input: expected string, received undefined",
    ]);
    assert.deepEqual(problems(brokenCopy("nof-2022", (f) => delete f.metrics[5].unit)), [
      'metrics.5.unit: Invalid option: expected one of "percent"|"count"|"rate"|"ratio"|"score"|"days"|"minutes"|"weeks"|"gbp_thousands"|"percent_of_income"',
    ]);
  });

  it("a wrong type deep inside a metric", () => {
    assert.deepEqual(
      problems(brokenCopy("nof-2022", (f) => (f.metrics[3].valid_range.min = "zero"))),
      ["metrics.3.valid_range.min: Invalid input: expected number, received string"],
    );
  });

  it("a bad date", () => {
    assert.deepEqual(problems(brokenCopy("sof-2016", (f) => (f.in_force_to = "2022-06-31"))), [
      "in_force_to: must be a date YYYY-MM-DD",
    ]);
  });

  it("an unknown key (a typo is not silently ignored)", () => {
    const found = problems(
      brokenCopy("nof-2022", (f) => (f.metrics[0].polarty = "higher_is_better")),
    );
    assert.equal(found.length, 1);
    assert.match(found[0]!, /^metrics\.0: Unrecognized key: "polarty"$/);
  });

  it("every problem is listed, not only the first", () => {
    const found = problems(
      brokenCopy("nof-2022", (f) => {
        f.metrics[1].polarity = "up";
        f.metrics[2].frequency = 12;
      }),
    );
    assert.equal(found.length, 2, found.join("\n"));
    assert.match(found[0]!, /^metrics\.1\.polarity: /);
    assert.match(found[1]!, /^metrics\.2\.frequency: /);
  });

  it("a metric referring to an unknown theme (cross-reference)", () => {
    assert.deepEqual(
      problems(brokenCopy("nof-2022", (f) => (f.metrics[2].theme = "no_such_theme"))),
      ['metrics.2.theme: unknown theme "no_such_theme"'],
    );
  });

  it("an id that does not match the file name", () => {
    assert.deepEqual(problems(brokenCopy("nof-2022", () => undefined, "nof-2023.yaml")), [
      'id: "nof-2022" does not match the file name "nof-2023"',
    ]);
  });

  it("duplicate metric ids", () => {
    let repeated = "";
    const file = brokenCopy("nof-2022", (f) => {
      repeated = f.metrics[1].id;
      f.metrics[4].id = repeated;
    });
    assert.deepEqual(problems(file), [`metrics.4.id: duplicate metric id "${repeated}"`]);
  });

  it("duplicate theme and peer-group ids", () => {
    let theme = "";
    let spare = -1;
    let peer = "";
    const file = brokenCopy("sof-2016", (f) => {
      theme = f.themes[0].id;
      // A theme no metric uses, renamed to repeat the first, so only the duplicate is wrong.
      const used = new Set(f.metrics.map((m: Mutable) => m.theme));
      spare = f.themes.findIndex((t: Mutable) => !used.has(t.id));
      assert.ok(spare > 0, "sof-2016 has a theme without metrics");
      f.themes[spare].id = theme;
      peer = f.peer_groups[0].id;
      f.peer_groups[1].id = peer;
    });
    assert.deepEqual(problems(file), [
      `themes.${spare}.id: duplicate id "${theme}"`,
      `peer_groups.1.id: duplicate id "${peer}"`,
    ]);
  });

  it("a metric's valid range upside down", () => {
    assert.deepEqual(
      problems(brokenCopy("nof-2022", (f) => (f.metrics[0].valid_range = { min: 100, max: 0 }))),
      ["metrics.0.valid_range: min is above max"],
    );
  });

  it("a period in force that ends before it starts", () => {
    assert.deepEqual(problems(brokenCopy("nof-2022", (f) => (f.in_force_to = "2022-01-01"))), [
      "in_force_to: ends before it starts",
    ]);
  });

  it("a scoring rule referring to an unknown metric", () => {
    let i = -1;
    const file = brokenCopy("nof-2025", (f) => {
      i = f.metrics.findIndex((m: Mutable) => m.scoring?.method === "combined");
      assert.ok(i >= 0, "nof-2025 has a combined score");
      f.metrics[i].scoring.from[0] = "no_such_metric";
    });
    assert.deepEqual(problems(file), [
      `metrics.${i}.scoring.from.0: unknown metric "no_such_metric"`,
    ]);
  });

  it("loading the shipped folder fails on any bad file in it, naming that file", () => {
    const dir = join(scratch, "folder");
    mkdirSync(dir);
    for (const id of ["sof-2016", "nof-2022"])
      writeFileSync(join(dir, `${id}.yaml`), readFileSync(join(FRAMEWORKS_DIR, `${id}.yaml`)));
    assert.equal(loadShippedFrameworks(dir).length, 2);
    const bad = join(dir, "nof-2025.yaml");
    const data = shippedData("nof-2025");
    data.metrics[0].valid_range.max = "lots";
    writeFileSync(bad, stringifyYaml(data));
    assert.throws(
      () => loadShippedFrameworks(dir),
      (error: unknown) =>
        error instanceof FrameworkFileError &&
        error.file === bad &&
        error.message.startsWith(`${bad}: metrics.0.valid_range.max: `),
    );
  });
});
