/**
 * requirements §4 end to end, on every engine (PostgreSQL when TEST_DATABASE_URL is set): a CQC
 * 'inadequate' rating arrives → the region recommends 2→3 for a foundation trust, seeking
 * undertakings → routed to the RSG (SOF 2016 is in force on the dates) → refused until
 * licence-breach evidence is recorded (Annex A §12) → the RSG decides → the segment history
 * carries the assessment snapshot and the audit chain is intact. Then: an edit behind the
 * system's back is detected and named; two concurrent writers on one recommendation, exactly one
 * wins; exit from 3 needs its exit criteria met with evidence.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { importBundle } from "../../src/services/import-bundle.js";
import { recordJudgement } from "../../src/services/judgements.js";
import { reviewsDue } from "../../src/services/reviews.js";
import { verifyAudit, listAuditEvents } from "../../src/services/audit.js";
import type { WorkflowActor } from "../../src/services/authorise.js";
import { ForbiddenError, InvalidInputError, StaleWriteError } from "../../src/services/errors.js";
import {
  addNote,
  createRecommendation,
  currentSegment,
  decide,
  DecisionRefusedError,
  listRecommendations,
  segmentHistory,
  submitRecommendation,
  updateNote,
  withdrawRecommendation,
  type RecommendationRecord,
} from "../../src/services/workflow.js";
import type { CalendarDate } from "../../src/domain/shared/dates.js";
import { FT_LOW, FT_RI, importFixture, NT_RI } from "../assessment/fixture.js";
import { openTestDatabase, testEngines, type TestDatabase } from "../support/database.js";
import { SYSTEM } from "../support/access.js";

const REGION: WorkflowActor = { user: "r.jones", role: "regional_team", scope: "Y56" };
const RSG: WorkflowActor = { user: "rsg.secretary", role: "rsg_member", scope: "Y56" };
// requirements §6: the audit log is national oversight's to read; the PRC decides segment 4.
const NATIONAL: WorkflowActor = {
  user: "n.oversight",
  role: "national_oversight",
  scope: "national",
};
const PRC: WorkflowActor = { user: "prc.chair", role: "prc_member", scope: "national" };
const PUBLIC: WorkflowActor = { user: "anyone", role: "public", scope: "public" };

async function importCqcRating(t: TestDatabase, org: string, on: string, overall: string) {
  const dir = mkdtempSync(join(tmpdir(), "oversight-workflow-bundle-"));
  try {
    writeFileSync(
      join(dir, "cqc_ratings.csv"),
      `org_code,published_on,overall,well_led,safe\n${org},${on},${overall},${overall},${overall}\n`,
    );
    const report = await importBundle(t.ctx, dir, { importedBy: "cqc-feed" });
    assert.ok(report.ok, JSON.stringify(!report.ok && report.rejections));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const engine of testEngines()) {
  describe(`oversight workflow [${engine}] (requirements §4; DOMAIN §6, §7, §12)`, () => {
    let t: TestDatabase;
    before(async () => {
      t = await openTestDatabase(engine);
      await importFixture(t.ctx);
    });
    after(() => t.close());

    it("journey: CQC 'inadequate' → region recommends 2→3 → routed to the RSG → RSG decides; history and audit right", async () => {
      // A CQC 'inadequate' rating arrives for a foundation trust.
      await importCqcRating(t, FT_RI, "2019-03-01", "inadequate");
      // DOMAIN §7: the rating triggers a review at once (the reviews slice's schedule).
      const due = await reviewsDue(t.ctx, { asOf: "2019-03-05" as CalendarDate });
      const triggered = due.reviews.find(
        (r) => r.org_code === FT_RI && r.trigger === "cqc_inadequate",
      );
      assert.ok(triggered, JSON.stringify(due.reviews.filter((r) => r.org_code === FT_RI)));
      assert.equal(triggered.segment_source, "proposed");

      const rec = await createRecommendation(t.ctx, REGION, {
        org_code: FT_RI,
        proposed_on: "2019-03-05",
        from_segment: 2,
        to_segment: 3,
        rationale: "CQC rated the trust inadequate on 1 March 2019; undertakings sought",
        proposed_support: "Bespoke mandated support led by the region",
        proposed_enforcement: "seeking_actions",
        proposer_team: "Y56 oversight",
      });
      // SOF §4 (seed 000): seeking actions (s106 undertakings) → the Regional Support Group.
      assert.equal(rec.framework_id, "sof-2016");
      assert.equal(rec.routed_body, "rsg");
      assert.equal(rec.routing_rule_id, "mandated_support_seeking_actions");
      assert.match(rec.routing_citation, /SOF §4/);
      assert.equal(rec.state, "draft");
      assert.equal(rec.version, 1);
      assert.equal(rec.proposer_user, "r.jones");

      const submitted = await submitRecommendation(t.ctx, REGION, rec.id, 1);
      assert.equal(submitted.state, "submitted");
      assert.equal(submitted.version, 2);

      // DOMAIN §6: the wrong body is refused with the reason.
      await assert.rejects(
        decide(t.ctx, RSG, {
          recommendation_id: rec.id,
          expected_version: 2,
          body: "prc",
          decided_on: "2019-03-10",
          outcome: "agreed",
          reference: "PRC/2019/01",
        }),
        (e: unknown) =>
          e instanceof DecisionRefusedError &&
          /must be decided by the Regional Support Group/.test(e.message),
      );
      // Annex A §12: no licence-breach evidence recorded yet, so the RSG cannot place the FT in 3.
      await assert.rejects(
        decide(t.ctx, RSG, {
          recommendation_id: rec.id,
          expected_version: 2,
          body: "rsg",
          decided_on: "2019-03-10",
          outcome: "agreed",
          reference: "RSG/Y56/2019/07",
        }),
        (e: unknown) =>
          e instanceof DecisionRefusedError &&
          e.refusals.map((r) => r.guard).join() === "licence_breach_evidence",
      );

      const breach = await recordJudgement(
        t.ctx,
        {
          org_code: FT_RI,
          kind: "licence_breach_evidence",
          summary:
            "Suspected breach of licence condition FT4 (governance) after the CQC inspection",
          recorded_by: "r.jones",
          recorded_on: "2019-03-08",
        },
        SYSTEM,
      );

      const result = await decide(t.ctx, RSG, {
        recommendation_id: rec.id,
        expected_version: 2,
        body: "rsg",
        decided_on: "2019-03-12",
        outcome: "agreed",
        reference: "RSG/Y56/2019/07",
      });
      assert.equal(result.recommendation.state, "agreed");
      assert.equal(result.recommendation.version, 3);
      assert.equal(result.decision.resulting_segment, 3);
      assert.equal(result.decision.decided_by, "rsg.secretary");

      const history = await segmentHistory(t.ctx, REGION, FT_RI);
      assert.equal(history.length, 1);
      const entry = history[0]!;
      assert.equal(entry.segment, 3);
      assert.equal(entry.effective_from, "2019-03-12");
      assert.equal(entry.deciding_body, "rsg");
      assert.equal(entry.decision_reference, "RSG/Y56/2019/07");
      assert.equal(entry.framework_id, "sof-2016");
      assert.equal(entry.data_as_at, "2019-03-12");
      const snapshot = entry.assessment_snapshot;
      assert.equal(snapshot.framework.id, "sof-2016");
      assert.ok(snapshot.criteria_fired.length > 0, "the criteria that fired are kept");
      assert.ok(
        snapshot.criteria_fired.some((c) => /cqc/i.test(c.id)),
        JSON.stringify(snapshot.criteria_fired),
      );
      assert.deepEqual(
        snapshot.judgement_inputs.map((j) => j.id),
        [breach.id],
      );
      assert.ok(snapshot.explanation, "the explanation tree is kept");

      // The schedule now reads the decided segment, and the decision reviewed the CQC event.
      const afterDecision = await reviewsDue(t.ctx, { asOf: "2019-03-12" as CalendarDate });
      const ftReviews = afterDecision.reviews.filter((r) => r.org_code === FT_RI);
      assert.ok(ftReviews.every((r) => r.segment === 3 && r.segment_source === "history"));
      assert.ok(!ftReviews.some((r) => r.trigger === "cqc_inadequate"), JSON.stringify(ftReviews));

      assert.equal(await currentSegment(t.ctx, REGION, FT_RI, "2019-03-11" as CalendarDate), null);
      assert.equal(
        (await currentSegment(t.ctx, REGION, FT_RI, "2019-03-12" as CalendarDate))?.segment,
        3,
      );

      // The fixture's and the CQC rating's imports come first (requirements §6: every data change).
      const all = await listAuditEvents(t.ctx, NATIONAL);
      assert.deepEqual(
        all.slice(0, 2).map((e) => e.action),
        ["import.completed", "import.completed"],
      );
      const events = all.slice(2);
      assert.deepEqual(
        events.map((e) => e.action),
        [
          "recommendation.created",
          "recommendation.submitted",
          // requirements §6: every data change is audited, judgements too.
          "judgement.recorded",
          "recommendation.agreed",
          "decision.recorded",
          "segment.changed",
        ],
      );
      assert.deepEqual(events[1]!.actor, { user: "r.jones", role: "regional_team", scope: "Y56" });
      assert.equal((events[1]!.before as { state: string }).state, "draft");
      assert.equal((events[1]!.after as { state: string }).state, "submitted");
      assert.deepEqual(await verifyAudit(t.ctx, NATIONAL), {
        ok: true,
        events: 8,
        last_hash: events[5]!.hash,
      });

      // A decided recommendation is final (requirements §4 states).
      await assert.rejects(
        withdrawRecommendation(t.ctx, REGION, rec.id, 3),
        (e: unknown) => e instanceof InvalidInputError && /agreed, which is final/.test(e.message),
      );
    });

    it("exit from 3 needs the exit criteria recorded as met, with evidence (NHS OF 2022/23 §39, Annex A §37)", async () => {
      const rec = await createRecommendation(t.ctx, REGION, {
        org_code: FT_RI,
        proposed_on: "2019-06-01",
        from_segment: 3,
        to_segment: 2,
        rationale: "Undertakings met",
      });
      assert.equal(rec.routing_rule_id, "segment_3_improvement");
      await submitRecommendation(t.ctx, REGION, rec.id, 1);
      const base = {
        recommendation_id: rec.id,
        expected_version: 2,
        body: "rsg" as const,
        decided_on: "2019-06-10",
        outcome: "agreed" as const,
        reference: "RSG/Y56/2019/19",
      };
      await assert.rejects(
        decide(t.ctx, RSG, base),
        (e: unknown) =>
          e instanceof DecisionRefusedError && e.refusals[0]?.guard === "exit_criteria_met",
      );
      const done = await decide(t.ctx, RSG, {
        ...base,
        exit_criteria_met: true,
        exit_criteria_evidence:
          "Well-led re-inspection: requires improvement; FT4 undertakings discharged",
      });
      assert.equal(done.history?.segment, 2);
      const history = await segmentHistory(t.ctx, REGION, FT_RI);
      assert.deepEqual(
        history.map((h) => [h.effective_from, h.segment]),
        [
          ["2019-03-12", 3],
          ["2019-06-10", 2],
        ],
      );
      // The recommendation must start from the segment in force.
      await assert.rejects(
        createRecommendation(t.ctx, REGION, {
          org_code: FT_RI,
          proposed_on: "2019-07-01",
          from_segment: 3,
          to_segment: 4,
          rationale: "x",
        }),
        (e: unknown) => e instanceof InvalidInputError && /is in segment 2/.test(e.message),
      );
    });

    it("two concurrent writers on one recommendation: exactly one wins, the other gets StaleWriteError with the current state", async () => {
      const rec = await createRecommendation(t.ctx, REGION, {
        org_code: NT_RI,
        proposed_on: "2019-03-20",
        from_segment: 2,
        to_segment: 3,
        rationale: "CQC requires improvement overall and for well-led",
        // SOF §4: a move into 3 comes with a formal enforcement step (requirements §12 point 7).
        proposed_enforcement: "seeking_actions",
      });
      await submitRecommendation(t.ctx, REGION, rec.id, 1);
      const results = await Promise.allSettled([
        withdrawRecommendation(t.ctx, REGION, rec.id, 2),
        decide(t.ctx, RSG, {
          recommendation_id: rec.id,
          expected_version: 2,
          body: "rsg",
          decided_on: "2019-03-25",
          outcome: "rejected",
          reference: "RSG/Y56/2019/09",
        }),
      ]);
      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      assert.equal(won.length, 1, JSON.stringify(results));
      assert.equal(lost.length, 1);
      const error = lost[0]!.reason as unknown;
      assert.ok(error instanceof StaleWriteError, String(error));
      const current = error.current as RecommendationRecord;
      assert.equal(current.version, 3);
      assert.ok(["withdrawn", "rejected"].includes(current.state));
      const [stored] = await listRecommendations(t.ctx, REGION, { org_code: NT_RI });
      assert.deepEqual(stored, current);
      assert.equal((await verifyAudit(t.ctx, NATIONAL)).ok, true);
    });

    it("an amended decision is checked against the move it makes: only the national body may amend to segment 4 (SOF §4)", async () => {
      const rec = await createRecommendation(t.ctx, REGION, {
        org_code: "RX6",
        proposed_on: "2019-03-20",
        from_segment: 2,
        to_segment: 3,
        rationale: "Finance: material deficit",
        proposed_enforcement: "seeking_actions",
      });
      await submitRecommendation(t.ctx, REGION, rec.id, 1);
      // Annex A §12 and Table 2: segment 4, like 3, needs licence-breach evidence, for an NHS
      // trust as for a foundation trust ("or equivalent for NHS trusts").
      await recordJudgement(
        t.ctx,
        {
          org_code: "RX6",
          kind: "licence_breach_evidence",
          summary: "Undertakings accepted on the equivalent conditions for an NHS trust",
          recorded_by: "r.jones",
          recorded_on: "2019-03-21",
        },
        SYSTEM,
      );
      const amend = {
        recommendation_id: rec.id,
        expected_version: 2,
        decided_on: "2019-03-28",
        outcome: "amended" as const,
        resulting_segment: 4,
        reference: "2019/11",
      };
      await assert.rejects(
        decide(t.ctx, RSG, { ...amend, body: "rsg" }),
        (e: unknown) =>
          e instanceof DecisionRefusedError &&
          e.refusals.map((r) => r.guard).join() === "wrong_body,intensive_support_national_only" &&
          e.fields.every((f) => f.path === "body"),
      );
      await assert.rejects(
        decide(t.ctx, RSG, { ...amend, outcome: "agreed", body: "rsg" }),
        (e: unknown) =>
          e instanceof InvalidInputError && /only an amended decision/.test(e.message),
      );
      // requirements §6: an RSG member does not sit on the PRC; a PRC member records it.
      await assert.rejects(decide(t.ctx, RSG, { ...amend, body: "prc" }), ForbiddenError);
      const result = await decide(t.ctx, PRC, { ...amend, body: "prc" });
      assert.equal(result.recommendation.state, "amended");
      assert.equal(result.history?.segment, 4);
      assert.equal(result.history?.deciding_body, "prc");
    });

    it("the authorisation hook refuses the public any change (ForbiddenError)", async () => {
      await assert.rejects(
        createRecommendation(t.ctx, PUBLIC, {
          org_code: FT_LOW,
          proposed_on: "2019-03-20",
          from_segment: 2,
          to_segment: 1,
          rationale: "x",
        }),
        ForbiddenError,
      );
      // requirements §6: recommendations are deliberations, not published: the public may not read them.
      await assert.rejects(listRecommendations(t.ctx, PUBLIC, {}), ForbiddenError);
      const [any] = await listRecommendations(t.ctx, REGION, {});
      assert.ok(any);
      await assert.rejects(
        withdrawRecommendation(t.ctx, PUBLIC, any.id, any.version),
        ForbiddenError,
      );
    });

    it("notes carry their confidentiality and refuse a stale edit; the public may not write", async () => {
      const note = await addNote(t.ctx, REGION, {
        org_code: FT_LOW,
        source: "whistleblower",
        body: "Concerns about staffing on the emergency floor",
        confidentiality: "official_sensitive",
      });
      assert.equal(note.version, 1);
      const edited = await updateNote(t.ctx, REGION, note.id, 1, { confidentiality: "official" });
      assert.equal(edited.version, 2);
      await assert.rejects(
        updateNote(t.ctx, REGION, note.id, 1, { body: "late edit" }),
        (e: unknown) =>
          e instanceof StaleWriteError && (e.current as { version: number }).version === 2,
      );
      await assert.rejects(
        addNote(t.ctx, PUBLIC, {
          org_code: FT_LOW,
          source: "x",
          body: "y",
          confidentiality: "public",
        }),
        ForbiddenError,
      );
      await assert.rejects(
        addNote(t.ctx, REGION, {
          org_code: FT_LOW,
          source: "x",
          body: "y",
          confidentiality: "secret" as "public",
        }),
        InvalidInputError,
      );
      await assert.rejects(
        addNote(t.ctx, REGION, {
          org_code: FT_LOW,
          source: "x",
          body: "a\u0000b",
          confidentiality: "official",
        }),
        (e: unknown) =>
          e instanceof InvalidInputError && /body: must be text without NUL/.test(e.message),
      );
      // An unpaired surrogate (JSON's "\udeca") is not text the database can store: bad input.
      await assert.rejects(
        addNote(t.ctx, REGION, {
          org_code: FT_LOW,
          source: "x",
          body: "abc\udecadef",
          confidentiality: "official",
        }),
        (e: unknown) => e instanceof InvalidInputError && /unpaired surrogates/.test(e.message),
      );
    });

    it("the database refuses UPDATE and DELETE on audit_events; an edit behind the system's back is named by verify", async () => {
      await assert.rejects(
        t.db.query("UPDATE audit_events SET action = 'x' WHERE seq = 2"),
        /append-only/,
      );
      await assert.rejects(t.db.query("DELETE FROM audit_events WHERE seq = 2"), /append-only/);
      const before = await verifyAudit(t.ctx, NATIONAL);
      assert.equal(before.ok, true);

      await t.db.query("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_or_delete");
      try {
        await t.db.query(
          `UPDATE audit_events SET after = jsonb_set(after, '{to_segment}', '1') WHERE seq = 3`,
        );
        const verdict = await verifyAudit(t.ctx, NATIONAL);
        assert.equal(verdict.ok, false);
        assert.equal(!verdict.ok && verdict.first_broken_seq, 3);
        assert.match(!verdict.ok ? verdict.reason : "", /event 3 .* has been altered/);
      } finally {
        await t.db.query(
          "ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_or_delete",
        );
      }
    });
  });
}
