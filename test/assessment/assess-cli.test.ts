/**
 * requirements §3 rules 1–4 through the real command line (`oversight assess`, `oversight judgements`)
 * against a test database holding the small bundle of ./fixture.ts, on every engine. Errors are
 * one line and exit 1 (commander's own argument errors add only its usage hint), never a stack
 * trace.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import type { AssessmentRun } from "../../src/domain/assessment/index.js";
import { testEngines, type TestDatabase } from "../support/database.js";
import { hasStackTrace, runCli, tempDir, type CliResult } from "../cli/run-cli.js";
import { openSharedTestDatabase } from "../cli/shared-database.js";
import { AS_OF, FT_RI, ICB, importFixture, NT_RI, TRUSTS } from "./fixture.js";

const USAGE_HINT = " (see --help)";

function assertOk(r: CliResult): void {
  assert.equal(r.code, 0, `exit 0; stderr: ${r.stderr}`);
  assert.ok(!hasStackTrace(r.stderr), r.stderr);
}

/** `oversight: <reason>`, one line, exit 1, nothing on stdout. */
function assertRefused(r: CliResult, reason: RegExp): void {
  assert.equal(r.code, 1, `exit 1; stdout: ${r.stdout}; stderr: ${r.stderr}`);
  assert.equal(r.stdout, "");
  assert.ok(!hasStackTrace(r.stderr), r.stderr);
  const lines = r.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /^oversight: /);
  assert.match(lines[0]!.slice("oversight: ".length), reason);
}

/** Commander's argument error: one line, `oversight: <reason> (see --help)`. */
function assertBadArgument(r: CliResult, reason: RegExp): void {
  assert.equal(r.code, 1, `exit 1; stderr: ${r.stderr}`);
  assert.equal(r.stdout, "");
  assert.ok(!hasStackTrace(r.stderr), r.stderr);
  const lines = r.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, r.stderr);
  assert.ok(lines[0]!.startsWith("oversight: ") && lines[0]!.endsWith(USAGE_HINT), lines[0]);
  assert.match(lines[0]!.slice("oversight: ".length, -USAGE_HINT.length), reason);
}

const cliJsonByEngine = new Map<string, string>();

for (const engine of testEngines()) {
  describe(`oversight assess and judgements [${engine}] (requirements §3)`, () => {
    const dir = tempDir("oversight-assess-cli-");
    let t: TestDatabase;
    let env: Record<string, string>;
    before(async () => {
      t = await openSharedTestDatabase(engine, dir);
      await importFixture(t.ctx);
      env = t.env;
      // PGlite is one process at a time: hand the folder to the CLI.
      if (engine === "pglite") await t.close();
    });
    after(async () => {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const cli = (...args: string[]) => runCli(args, env);
    /** Independent runs: side by side on PostgreSQL, one at a time on PGlite (one process). */
    const each = async (...runs: string[][]): Promise<CliResult[]> => {
      if (engine === "postgres") return Promise.all(runs.map((args) => cli(...args)));
      const results: CliResult[] = [];
      for (const args of runs) results.push(await cli(...args));
      return results;
    };

    it("requirements §3 rule 1: `assess --format json` twice gives byte-identical output for every open trust", async () => {
      const [first, second] = (await each(
        ["assess", "--as-of", AS_OF, "--format", "json"],
        ["assess", "--as-of", AS_OF, "--format", "json"],
      )) as [CliResult, CliResult];
      assertOk(first);
      assertOk(second);
      assert.equal(first.stdout, second.stdout);
      cliJsonByEngine.set(engine, first.stdout);
      const run = JSON.parse(first.stdout) as AssessmentRun;
      // The framework in force on 2019-03-31 (requirements §3 rule 2).
      assert.equal(run.framework.id, "sof-2016");
      assert.deepEqual(
        run.assessments.map((a) => a.organisation.code),
        TRUSTS.map((x) => x.code).sort(),
      );
      const ft = run.assessments.find((a) => a.organisation.code === FT_RI)!;
      assert.equal(ft.proposed_segment, 2);
      assert.equal(ft.held?.held_at, 2);
      // Annex A §12 "or equivalent for NHS trusts": the NHS trust is held alike.
      const nt = run.assessments.find((a) => a.organisation.code === NT_RI)!;
      assert.equal(nt.proposed_segment, 2);
      assert.equal(nt.held?.held_at, 2);
    });

    it("requirements §3 rule 1: --org and --format text: one organisation, its segment, reasons and paths", async () => {
      const r = await cli("assess", "--as-of", AS_OF, "--org", FT_RI, "--format", "text");
      assertOk(r);
      const lines = r.stdout.split("\n");
      assert.equal(
        lines[0],
        `${FT_RI} Alpha NHS Foundation Trust: segment 2 proposed (SOF 2016, as at ${AS_OF})`,
      );
      assert.match(
        lines[1]!,
        /eligible to be considered for segment 3; it is proposed for segment 2 because mandated support \(segment 3\) needs recorded evidence of actual or suspected breach/,
      );
      assert.ok(lines.some((l) => /^ {2}Segment 3: /.test(l)));
      assert.ok(
        lines.some((l) => /^ {4}● /.test(l)),
        "a fired criterion marked ●",
      );
      assert.ok(lines.some((l) => /^ {2}To segment 3: /.test(l)));
      assert.ok(!r.stdout.includes(`${NT_RI} `), "only the one organisation");
    });

    it("requirements §3 rule 2: the framework in force on --as-of by default; --framework overrides", async () => {
      const [inForce, overridden] = await each(
        ["assess", "--format", "json", "--as-of", "2023-01-01"],
        ["assess", "--format", "json", "--as-of", AS_OF, "--framework", "nof-2022"],
      );
      assertOk(inForce!);
      assertOk(overridden!);
      assert.equal((JSON.parse(inForce!.stdout) as AssessmentRun).framework.id, "nof-2022");
      const override = JSON.parse(overridden!.stdout) as AssessmentRun;
      assert.equal(override.framework.id, "nof-2022");
      assert.equal(override.as_of, AS_OF);
    });

    it("requirements §3 rule 2: unknown framework, organisation not open, kind not covered: one line, exit 1", async () => {
      const [framework, notOpen, kind] = await each(
        ["assess", "--as-of", AS_OF, "--framework", "bogus"],
        ["assess", "--as-of", AS_OF, "--org", ICB, "--format", "json"],
        ["assess", "--as-of", "2023-01-01", "--framework", "sof-2016", "--org", ICB],
      );
      assertRefused(framework!, /^unknown framework "bogus" \(known: sof-2016, nof-2022, nof-2025/);
      assertRefused(notOpen!, /^no organisation QX1 open on 2019-03-31$/);
      assertRefused(kind!, /^QX1 \(icb\) is not assessed under sof-2016/);
    });

    it("requirements §3 rule 2: a bad --as-of or --format is an argument error", async () => {
      const [date, format] = await Promise.all([
        runCli(["assess", "--as-of", "2019-02-30"]),
        runCli(["assess", "--as-of", AS_OF, "--format", "xml"]),
      ]);
      assertBadArgument(
        date,
        /^option '--as-of <date>' argument '2019-02-30' is invalid\. --as-of must be a date YYYY-MM-DD\.$/,
      );
      assertBadArgument(format, /^option '--format <format>' argument 'xml' is invalid/);
    });

    it("requirements §3 rule 2: nof-2025 is assessed by its scored method (docs/assessment.md)", async () => {
      // On 2025-06-30 NHS OF 2025/26 is the framework in force.
      const r = await cli("assess", "--format", "json", "--as-of", "2025-06-30");
      assert.equal(r.code, 0, r.stderr);
      assert.ok(!hasStackTrace(r.stderr), r.stderr);
      const run = JSON.parse(r.stdout) as {
        framework: { id: string };
        assessments: { average_score: unknown; final_segment: unknown }[];
      };
      assert.equal(run.framework.id, "nof-2025");
      assert.ok(Array.isArray(run.assessments));
      for (const a of run.assessments) {
        assert.ok("average_score" in a, "a scored assessment carries its average score");
        assert.ok("final_segment" in a, "and the segment it places the organisation in");
      }
    });

    it("requirements §3 rule 4: bad judgements are refused with one line and nothing is written", async () => {
      const base = ["judgements", "add", "--org", FT_RI, "--kind", "licence_breach_evidence"];
      const [org, theme, summary] = await each(
        ["judgements", "add", "--org", "ZZZ9", "--kind", "capability_to_improve", "--summary", "x"],
        [...base, "--summary", "x", "--theme", "nope", "--on", AS_OF],
        [...base, "--summary", "   ", "--on", AS_OF],
      );
      assertRefused(org!, /^unknown organisation ZZZ9$/);
      assertRefused(theme!, /^unknown theme nope$/);
      assertRefused(summary!, /^summary: must not be empty$/);
      // Commander's checks come before the database is opened.
      const [kind, date, missing] = await Promise.all([
        runCli([...base.slice(0, 4), "--kind", "bogus", "--summary", "x"]),
        runCli([...base, "--summary", "x", "--on", "2019-3-31"]),
        runCli([...base, "--on", AS_OF]),
      ]);
      assertBadArgument(
        kind!,
        /^option '--kind <kind>' argument 'bogus' is invalid\. Allowed choices are .*licence_breach_evidence/,
      );
      assertBadArgument(
        date!,
        /^option '--on <date>' argument '2019-3-31' is invalid\. --on must be a date YYYY-MM-DD\.$/,
      );
      assertBadArgument(missing!, /^required option '--summary <text>' not specified$/);
      const listed = await cli("judgements", "list");
      assertOk(listed);
      assert.equal(listed.stdout, "", "nothing was written");
    });

    it("requirements §3 rules 3 and 4: judgements add / end / list, read as at the assessment date", async () => {
      const add = await cli(
        "judgements",
        "add",
        "--org",
        FT_RI,
        "--kind",
        "licence_breach_evidence",
        "--summary",
        "Breach of licence condition FT4",
        "--on",
        "2019-04-01",
        "--as",
        "regional-team",
      );
      assertOk(add);
      const id = /^judgement (\d+) recorded: RX1 licence_breach_evidence from 2019-04-01\n$/.exec(
        add.stdout,
      )?.[1];
      assert.ok(id, add.stdout);

      // Recorded after the as-of date: ignored; on or before it: counts.
      const [asOf, onTheDay] = await each(
        ["assess", "--format", "json", "--org", FT_RI, "--as-of", AS_OF],
        ["assess", "--format", "json", "--org", FT_RI, "--as-of", "2019-04-01"],
      );
      const proposed = (r: CliResult) => {
        assertOk(r);
        return (JSON.parse(r.stdout) as AssessmentRun).assessments[0]!;
      };
      assert.equal(proposed(asOf!).proposed_segment, 2);
      assert.deepEqual(proposed(asOf!).held?.gates, ["licence_breach_evidence"]);
      assert.equal(proposed(onTheDay!).proposed_segment, 3);
      assert.equal(proposed(onTheDay!).held, null);

      const end = await cli("judgements", "end", id, "--on", "2019-05-01");
      assertOk(end);
      assert.equal(end.stdout, `judgement ${id} ended on 2019-05-01\n`);
      const [again, huge, notNumber] = await Promise.all([
        cli("judgements", "end", id, "--on", "2019-06-01"),
        runCli(["judgements", "end", "99999999999999999999", "--on", "2019-06-01"]),
        runCli(["judgements", "end", "x1"]),
      ]);
      assertRefused(again!, /has already ended/);
      assertRefused(huge!, /^no judgement 99999999999999999999$/);
      assertRefused(notNumber!, /^judgement id must be a number/);

      // Ended on 2019-05-01: no longer counts from then, still counts as at a date before.
      const [afterEnd, beforeEnd, listed] = await each(
        ["assess", "--format", "json", "--org", FT_RI, "--as-of", "2019-05-01"],
        ["assess", "--format", "json", "--org", FT_RI, "--as-of", "2019-04-30"],
        ["judgements", "list"],
      );
      assert.equal(proposed(afterEnd!).proposed_segment, 2);
      assert.equal(proposed(beforeEnd!).proposed_segment, 3);
      assertOk(listed!);
      assert.equal(
        listed!.stdout,
        `${id}\t${FT_RI}\tlicence_breach_evidence\t-\t2019-04-01–2019-05-01\tregional-team\tBreach of licence condition FT4\n`,
      );
    });
  });
}

describe("oversight assess: the same JSON on PGlite and PostgreSQL (requirements §3 rule 1)", () => {
  it("identical bundles give byte-identical `assess --format json` on both engines", (ctx) => {
    if (testEngines().length < 2) {
      ctx.skip("TEST_DATABASE_URL is not set");
      return;
    }
    assert.equal(cliJsonByEngine.size, 2);
    assert.equal(cliJsonByEngine.get("pglite"), cliJsonByEngine.get("postgres"));
  });
});
