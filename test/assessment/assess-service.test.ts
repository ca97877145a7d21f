/**
 * requirements §3 (DOMAIN §5): the assessment service over stored data, on the small hand-built bundle
 * of ./fixture.ts, on every engine. Rule 1: the same data gives byte-identical JSON, and the same
 * JSON on PGlite and PostgreSQL. Rule 2: the framework in force on the date, --framework
 * overrides, clear refusals. Rule 3: judgements are facts passed in, never invented (NHS OF
 * 2022/23 Annex A §12: the licence-breach hold), read as at the assessment date.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Assessment, AssessmentRun } from "../../src/domain/assessment/index.js";
import { assess as assessAny, AssessmentRequestError } from "../../src/services/assessment.js";
import type { ServiceContext } from "../../src/services/context.js";
import { endJudgement, recordJudgement } from "../../src/services/judgements.js";
import { openTestDatabase, testEngines, type TestDatabase } from "../support/database.js";
import { AS_OF, FT_GOOD, FT_LOW, FT_RI, ICB, importFixture, NT_RI, TRUSTS } from "./fixture.js";
import { SYSTEM } from "../support/access.js";

interface Options {
  asOf: string;
  frameworkId?: string;
  orgCode?: string;
}
const raw = (ctx: ServiceContext, options: Options) =>
  assessAny(ctx, options as Parameters<typeof assessAny>[1]);

/** An eligibility run (SOF 2016, NHS OF 2022/23): a scored run here would be a failure. */
async function assess(ctx: ServiceContext, options: Options): Promise<AssessmentRun> {
  const run = await raw(ctx, options);
  if ("method" in run) throw new Error(`a scored run for ${run.framework.id}`);
  return run;
}

/** The plain-English hold (src/domain/criteria/proposal.ts). */
const HELD =
  "it is proposed for segment 2 because mandated support (segment 3) needs recorded evidence of actual or suspected breach of the licence (or the equivalent for an NHS trust), and none is recorded";
const HOLD = { eligible_segment: 3, held_at: 2, gates: ["licence_breach_evidence"], reason: HELD };

function one(run: AssessmentRun, code: string): Assessment {
  const found = run.assessments.find((a) => a.organisation.code === code);
  assert.ok(found, `${code} assessed`);
  return found;
}

function criterion(a: Assessment, id: string) {
  const found = a.segments.flatMap((s) => s.criteria).find((c) => c.id === id);
  assert.ok(found, `${a.organisation.code} has criterion ${id}`);
  return found;
}

const firedIds = (a: Assessment) =>
  a.segments
    .flatMap((s) => s.criteria)
    .filter((c) => c.status === "fired")
    .map((c) => c.id);

/** The JSON of each engine's run as at AS_OF, before any judgement, for the cross-engine test. */
const jsonByEngine = new Map<string, string>();

for (const engine of testEngines()) {
  describe(`assessment service [${engine}] (requirements §3, DOMAIN §5)`, () => {
    let t: TestDatabase;
    before(async () => {
      t = await openTestDatabase(engine);
      await importFixture(t.ctx);
    });
    after(() => t.close());

    it("requirements §3 rule 1: assesses every open trust; the same data gives byte-identical JSON", async () => {
      const first = JSON.stringify(await assess(t.ctx, { asOf: AS_OF }), null, 2);
      const second = JSON.stringify(await assess(t.ctx, { asOf: AS_OF }), null, 2);
      assert.equal(first, second);
      jsonByEngine.set(engine, first);
      const run = JSON.parse(first) as AssessmentRun;
      assert.equal(run.as_of, AS_OF);
      // The ICB opens in 2022 (and SOF 2016 covers trusts only): the ten trusts, by code.
      assert.deepEqual(
        run.assessments.map((a) => a.organisation.code),
        TRUSTS.map((x) => x.code).sort(),
      );
      for (const a of run.assessments) {
        assert.ok([1, 2, 3, 4].includes(a.proposed_segment), a.organisation.code);
        assert.ok(a.sentence.length > 0);
      }
    });

    it("requirements §3 rule 1: --org gives that organisation's assessment, the same as in the full run", async () => {
      const all = await assess(t.ctx, { asOf: AS_OF });
      const single = await assess(t.ctx, { asOf: AS_OF, orgCode: FT_RI });
      assert.deepEqual(
        single.assessments.map((a) => a.organisation.code),
        [FT_RI],
      );
      assert.deepEqual(single.assessments[0], one(all, FT_RI));
    });

    it("requirements §3 rule 2: the framework in force on the date by default (sof-2016 on 2019-03-31, nof-2022 on 2023-01-01)", async () => {
      assert.equal((await assess(t.ctx, { asOf: "2019-03-31" })).framework.id, "sof-2016");
      const nof = await assess(t.ctx, { asOf: "2023-01-01" });
      assert.equal(nof.framework.id, "nof-2022");
      // NHS OF 2022/23 covers ICBs, open by then.
      assert.ok(nof.assessments.some((a) => a.organisation.code === ICB));
      for (const a of nof.assessments) assert.equal(a.framework.id, "nof-2022");
    });

    it("requirements §3 rule 2: --framework overrides the one in force", async () => {
      const run = await assess(t.ctx, { asOf: AS_OF, frameworkId: "nof-2022" });
      assert.equal(run.framework.id, "nof-2022");
      assert.equal(run.as_of, AS_OF);
      const sof = await assess(t.ctx, { asOf: "2023-01-01", frameworkId: "sof-2016" });
      assert.equal(sof.framework.id, "sof-2016");
      // SOF 2016 covers trusts only: the ICB open on that date is not assessed under it.
      assert.ok(!sof.assessments.some((a) => a.organisation.code === ICB));
    });

    it("requirements §3 rule 2: unknown framework, organisation not open, a kind the framework does not cover, a bad date, no framework in force: refused", async () => {
      const refused = async (options: Options, message: RegExp) =>
        assert.rejects(raw(t.ctx, options), (e: unknown) => {
          assert.ok(e instanceof AssessmentRequestError, String(e));
          assert.match(e.message, message);
          assert.ok(!e.message.includes("\n"));
          return true;
        });
      await refused({ asOf: AS_OF, frameworkId: "bogus" }, /^unknown framework "bogus" \(known: /);
      await refused({ asOf: AS_OF, orgCode: "ZZZ9" }, /^no organisation ZZZ9 open on 2019-03-31$/);
      await refused({ asOf: AS_OF, orgCode: ICB }, /^no organisation QX1 open on 2019-03-31$/);
      await refused(
        { asOf: "2023-01-01", frameworkId: "sof-2016", orgCode: ICB },
        /^QX1 \(icb\) is not assessed under sof-2016/,
      );
      await refused({ asOf: "2019-02-30" }, /as-of date must be YYYY-MM-DD/);
      await refused({ asOf: "2010-01-01" }, /^no framework version is in force on 2010-01-01$/);
    });

    it("requirements §3 rule 2: nof-2025 (scored) is refused clearly, or assessed if that has been implemented", async () => {
      try {
        const run = await raw(t.ctx, { asOf: AS_OF, frameworkId: "nof-2025" });
        assert.equal(run.framework.id, "nof-2025");
      } catch (e) {
        assert.ok(e instanceof AssessmentRequestError, `a clear refusal, not ${String(e)}`);
        assert.match(e.message, /nof-2025/);
        assert.ok(!e.message.includes("\n"));
      }
    });

    it('requirements §3 rule 3: no judgement is invented — an eligible-for-3 trust is held at 2, foundation trust and NHS trust alike (Annex A §12 "or equivalent for NHS trusts")', async () => {
      const run = await assess(t.ctx, { asOf: AS_OF });
      for (const a of run.assessments) {
        for (const c of a.segments.flatMap((s) => s.criteria))
          if (c.id.startsWith("segment_4.judgement.")) assert.equal(c.status, "not_fired", c.id);
        assert.deepEqual(a.considerations, []);
      }
      const ft = one(run, FT_RI);
      assert.equal(ft.organisation.kind, "foundation_trust");
      assert.deepEqual(firedIds(ft), ["segment_3.cqc_requires_improvement"]);
      assert.equal(ft.eligible_segment, 3);
      assert.equal(ft.proposed_segment, 2);
      assert.deepEqual(ft.held, HOLD);
      assert.ok(ft.sentence.includes(HELD), ft.sentence);
      assert.equal(ft.licence_breach?.required, true);
      assert.equal(ft.licence_breach?.evidence_recorded, false);
      // The way out of the hold is to record the evidence: a path to the eligible segment.
      assert.ok(ft.paths.some((p) => p.target_segment === 3));

      const low = one(run, FT_LOW);
      assert.ok(firedIds(low).includes("segment_3.sustained_bottom_decile"));
      assert.equal(low.proposed_segment, 2);
      assert.equal(low.held?.reason, HELD);

      const nt = one(run, NT_RI);
      assert.equal(nt.organisation.kind, "nhs_trust");
      assert.deepEqual(firedIds(nt), ["segment_3.cqc_requires_improvement"]);
      assert.equal(nt.eligible_segment, 3);
      assert.equal(nt.proposed_segment, 2);
      assert.deepEqual(nt.held, HOLD);

      const good = one(run, FT_GOOD);
      assert.equal(good.proposed_segment, 2);
      assert.equal(good.held, null);
    });

    it("requirements §3 rule 3: licence-breach evidence counts from its date on, never before (a judgement after the as-of is ignored)", async () => {
      const before = JSON.stringify(await assess(t.ctx, { asOf: AS_OF }));
      const j = await recordJudgement(
        t.ctx,
        {
          org_code: FT_RI,
          kind: "licence_breach_evidence",
          summary: "Breach of licence condition FT4 (governance) found at review",
          recorded_by: "regional-team",
          recorded_on: "2019-04-01",
        },
        SYSTEM,
      );
      // Recorded the day after the as-of date: the assessment as at that date is unchanged.
      assert.equal(JSON.stringify(await assess(t.ctx, { asOf: AS_OF })), before);
      const held = one(await assess(t.ctx, { asOf: AS_OF }), FT_RI);
      assert.equal(held.proposed_segment, 2);

      const on = one(await assess(t.ctx, { asOf: "2019-04-01" }), FT_RI);
      assert.equal(on.proposed_segment, 3);
      assert.equal(on.eligible_segment, 3);
      assert.equal(on.held, null);
      assert.equal(on.licence_breach?.evidence_recorded, true);
      assert.deepEqual(
        on.licence_breach?.evidence.map((e) => (e.type === "judgement" ? [e.id, e.summary] : [])),
        [[String(j.id), j.summary]],
      );
    });

    it("requirements §3 rule 3: an ended judgement no longer counts after its end, but still counts as at a date before it (reproducible)", async () => {
      const j = await recordJudgement(
        t.ctx,
        {
          org_code: FT_LOW,
          kind: "licence_breach_evidence",
          summary: "Enforcement undertakings agreed",
          recorded_by: "regional-team",
          recorded_on: "2019-01-10",
        },
        SYSTEM,
      );
      const asAtFeb = JSON.stringify(await assess(t.ctx, { asOf: "2019-02-28" }));
      assert.equal(one(JSON.parse(asAtFeb) as AssessmentRun, FT_LOW).proposed_segment, 3);
      assert.equal(one(await assess(t.ctx, { asOf: AS_OF }), FT_LOW).proposed_segment, 3);

      await endJudgement(t.ctx, j.id, "2019-03-01", SYSTEM);
      // In effect until the day before it ends: as at February the assessment is the same bytes.
      assert.equal(JSON.stringify(await assess(t.ctx, { asOf: "2019-02-28" })), asAtFeb);
      for (const asOf of ["2019-03-01", AS_OF]) {
        const a = one(await assess(t.ctx, { asOf }), FT_LOW);
        assert.equal(a.proposed_segment, 2, asOf);
        assert.equal(a.held?.reason, HELD, asOf);
      }
      // Before it was recorded it never counted.
      assert.equal(one(await assess(t.ctx, { asOf: "2019-01-09" }), FT_LOW).proposed_segment, 2);
    });

    it("requirements §3 rule 3: a segment 4 judgement is a recorded fact: it moves a trust meeting a segment 3 criterion (with licence-breach evidence) to 4, and alone moves nothing", async () => {
      await recordJudgement(
        t.ctx,
        {
          org_code: NT_RI,
          kind: "licence_breach_evidence",
          summary: "Undertakings accepted on the equivalent conditions for an NHS trust",
          recorded_by: "regional-team",
          recorded_on: "2019-03-01",
        },
        SYSTEM,
      );
      for (const org_code of [NT_RI, FT_GOOD])
        await recordJudgement(
          t.ctx,
          {
            org_code,
            kind: "catastrophic_safety_failure",
            summary: "Never event cluster in theatres",
            theme: "quality_of_care",
            recorded_by: "regional-team",
            recorded_on: "2019-03-15",
          },
          SYSTEM,
        );
      const run = await assess(t.ctx, { asOf: AS_OF });
      const nt = one(run, NT_RI);
      assert.equal(
        criterion(nt, "segment_4.judgement.catastrophic_safety_failure").status,
        "fired",
      );
      assert.equal(nt.proposed_segment, 4);
      const good = one(run, FT_GOOD);
      assert.equal(
        criterion(good, "segment_4.judgement.catastrophic_safety_failure").status,
        "fired",
      );
      assert.equal(good.eligible_segment, 2);
      assert.equal(good.proposed_segment, 2);
      // As at the day before, neither counts.
      const earlier = await assess(t.ctx, { asOf: "2019-03-14" });
      assert.equal(one(earlier, NT_RI).proposed_segment, 3);
    });

    it("requirements §3 rule 3: additional considerations are shown, never weighed", async () => {
      const before = one(await assess(t.ctx, { asOf: AS_OF }), FT_RI);
      await recordJudgement(
        t.ctx,
        {
          org_code: FT_RI,
          kind: "mitigating_circumstances",
          summary: "Cyber incident closed the emergency department for a week",
          recorded_by: "regional-team",
          recorded_on: "2019-02-01",
        },
        SYSTEM,
      );
      const after = one(await assess(t.ctx, { asOf: AS_OF }), FT_RI);
      assert.equal(after.considerations.length, 1);
      assert.match(after.considerations[0]!.sentence, /Cyber incident/);
      assert.equal(after.proposed_segment, before.proposed_segment);
      assert.equal(after.eligible_segment, before.eligible_segment);
    });
  });
}

describe("assessment service: the same JSON on PGlite and PostgreSQL (requirements §3 rule 1)", () => {
  it("identical bundles give byte-identical assessment JSON on both engines", (ctx) => {
    if (testEngines().length < 2) {
      ctx.skip("TEST_DATABASE_URL is not set");
      return;
    }
    assert.equal(jsonByEngine.size, 2);
    assert.equal(jsonByEngine.get("pglite"), jsonByEngine.get("postgres"));
  });
});
