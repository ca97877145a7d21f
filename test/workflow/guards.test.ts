/**
 * requirements §4 guards on a segment decision, each citing its rule: a decision by the wrong body is
 * refused with the reason (DOMAIN §6); segment 4 entry, stay and exit only by the national body
 * (DOMAIN §6, SOF §4 in seed 000, NHS OF 2022/23 Annex A §16 and §60 in seed 004); a foundation
 * trust into 3 only with recorded licence-breach evidence (DOMAIN §5, Annex A §12); exit from 3
 * or 4 only with exit criteria recorded as met, with evidence (NHS OF 2022/23 §39, Annex A §36–§38).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Framework } from "../../src/domain/frameworks/schema.js";
import {
  checkDecision,
  intensiveSegment,
  licenceBreachSegments,
  type DecisionToCheck,
} from "../../src/domain/workflow/index.js";
import { shippedFrameworks } from "../support/database.js";

const registry = shippedFrameworks();
const fw = (id: string): Framework => registry.get(id)!;

function decision(overrides: Partial<DecisionToCheck>): DecisionToCheck {
  return {
    framework: fw("sof-2016"),
    kind: "foundation_trust",
    from: 2,
    to: 3,
    enforcement: "seeking_actions",
    body: "rsg",
    licenceBreachEvidence: true,
    exitCriteria: { met: false, evidence: null },
    consideredBy: [],
    ...overrides,
  };
}

const guards = (d: DecisionToCheck) => checkDecision(d).map((r) => r.guard);

describe("decision guards (requirements §4; DOMAIN §5–§7, seed 000, seed 004 Annex A)", () => {
  it("reads the intensive and licence-breach segments from each framework's mandated_support", () => {
    assert.equal(intensiveSegment(fw("sof-2016")), 4);
    assert.equal(intensiveSegment(fw("nof-2022")), 4);
    assert.equal(intensiveSegment(fw("nof-2025")), 5);
    assert.deepEqual(licenceBreachSegments(fw("sof-2016")), [3]);
    assert.deepEqual(licenceBreachSegments(fw("nof-2022")), [3]);
    assert.deepEqual(licenceBreachSegments(fw("nof-2025")), []);
  });

  it("accepts the right body with every guard met", () => {
    assert.deepEqual(checkDecision(decision({})), []);
  });

  it("DOMAIN §6, SOF §4: a decision recorded by the wrong body is refused with the reason", () => {
    const refusals = checkDecision(decision({ body: "prc" }));
    assert.deepEqual(
      refusals.map((r) => r.guard),
      ["wrong_body"],
    );
    assert.match(
      refusals[0]!.reason,
      /2→3 must be decided by the Regional Support Group \(rule mandated_support_seeking_actions of sof-2016\), not the Provider Regulation Committee/,
    );
    assert.match(refusals[0]!.citation, /SOF §4/);
  });

  it("DOMAIN §6, SOF §4: requiring actions go to the PRC only having been through an RSG", () => {
    for (const id of ["sof-2016", "nof-2022", "nof-2025"]) {
      const framework = fw(id);
      const to = id === "nof-2025" ? 4 : 3;
      const requiring = decision({
        framework,
        from: 2,
        to,
        enforcement: "requiring_actions",
        body: "prc",
      });
      const refusals = checkDecision(requiring);
      assert.deepEqual(
        refusals.map((r) => r.guard),
        ["prior_consideration"],
        id,
      );
      assert.match(refusals[0]!.reason, /having been through the Regional Support Group/);
      assert.match(refusals[0]!.citation, /DOMAIN §6/);
      assert.deepEqual(checkDecision({ ...requiring, consideredBy: ["rsg"] }), [], id);
      // The PRC's own consideration is not the RSG's.
      assert.deepEqual(guards({ ...requiring, consideredBy: ["prc"] }), ["prior_consideration"]);
    }
    // Seeking actions go to the RSG itself: nobody considers them first.
    assert.deepEqual(guards(decision({ enforcement: "seeking_actions", body: "rsg" })), []);
  });

  it("SOF §4 segment 4: entry, stay and exit only by the national body", () => {
    const sof = fw("sof-2016");
    for (const [from, to, verb] of [
      [3, 4, "place"],
      [4, 4, "keep"],
      [4, 3, "remove"],
    ] as const) {
      const refusals = checkDecision(
        decision({
          framework: sof,
          from,
          to,
          body: "rsg",
          exitCriteria: { met: true, evidence: "stocktake" },
        }),
      );
      const national = refusals.find((r) => r.guard === "intensive_support_national_only");
      assert.ok(national, `${from}→${to}`);
      assert.match(national.reason, new RegExp(`only the national body may ${verb}`));
      assert.match(national.citation, /SOF §4/);
      assert.deepEqual(
        guards(
          decision({
            framework: sof,
            from,
            to,
            body: "prc",
            exitCriteria: { met: true, evidence: "stocktake" },
          }),
        ),
        [],
      );
    }
  });

  it("NHS OF 2022/23 Annex A §16 and NOF 2025/26 segment 5: the RSP is national whatever the routing table says", () => {
    // A routing table that (wrongly) sends entry to 4 to the RSG still cannot let the RSG decide.
    const misrouted = {
      ...fw("nof-2022"),
      routing: [{ id: "everything_regional", body: "rsg" as const, citation: "test" }],
    };
    assert.deepEqual(guards(decision({ framework: misrouted, from: 3, to: 4, body: "rsg" })), [
      "intensive_support_national_only",
    ]);
    assert.ok(
      guards(decision({ framework: fw("nof-2025"), from: 4, to: 5, body: "rsg" })).includes(
        "intensive_support_national_only",
      ),
    );
  });

  it('Annex A §12 and Table 2: foundation trusts AND NHS trusts ("or equivalent for NHS trusts") enter 3 or 4 only with recorded licence-breach evidence', () => {
    for (const kind of ["foundation_trust", "nhs_trust"] as const) {
      const refusals = checkDecision(decision({ kind, licenceBreachEvidence: false }));
      assert.deepEqual(
        refusals.map((r) => r.guard),
        ["licence_breach_evidence"],
        kind,
      );
      assert.match(refusals[0]!.reason, /licence_breach_evidence judgement/);
      assert.match(refusals[0]!.citation, /Annex A §12 and Table 2/);
      // Table 2 sets the same condition for segment 4: 2→4 without evidence is refused too.
      for (const id of ["sof-2016", "nof-2022"])
        assert.deepEqual(
          guards(
            decision({ framework: fw(id), kind, to: 4, body: "prc", licenceBreachEvidence: false }),
          ),
          ["licence_breach_evidence"],
          `${id} ${kind} 2→4`,
        );
    }
    // NOF 2025/26's scored segments carry no licence-breach condition.
    assert.deepEqual(
      guards(
        decision({
          framework: fw("nof-2025"),
          enforcement: "none",
          body: "national_moderation",
          licenceBreachEvidence: false,
        }),
      ),
      [],
    );
  });

  it("SOF §4: a move into segment 3 comes with a formal enforcement step — none has no route", () => {
    assert.deepEqual(guards(decision({ enforcement: "none" })), ["no_routing_rule"]);
  });

  it('SOF §4: a steady-state review that keeps a provider in 1, 2 or 3 ("remains") is routed to the RSG', () => {
    for (const s of [1, 2, 3] as const)
      assert.deepEqual(guards(decision({ from: s, to: s, enforcement: "none" })), [], `${s}→${s}`);
  });

  it("NHS OF 2022/23 Annex A §60: the Recovery Support Programme exits to segment 3 only", () => {
    const met = { met: true, evidence: "exit criteria met for two quarters" };
    const exit = (to: 1 | 2 | 3) =>
      decision({
        framework: fw("nof-2022"),
        from: 4,
        to,
        body: "prc",
        enforcement: "none",
        exitCriteria: met,
      });
    assert.deepEqual(guards(exit(3)), []);
    assert.deepEqual(guards(exit(1)), ["exit_route"]);
    assert.deepEqual(guards(exit(2)), ["exit_route"]);
  });

  it("NHS OF 2022/23 §39, Annex A §36–§38: exit from 3 or 4 only with exit criteria met, with evidence", () => {
    const exit3 = decision({ from: 3, to: 2, enforcement: "none" });
    assert.deepEqual(guards(exit3), ["exit_criteria_met"]);
    const noEvidence = checkDecision({ ...exit3, exitCriteria: { met: true, evidence: "  " } });
    assert.match(noEvidence[0]!.reason, /no evidence given/);
    assert.deepEqual(
      guards({ ...exit3, exitCriteria: { met: true, evidence: "A&E recovered" } }),
      [],
    );
    const exit4 = decision({ framework: fw("nof-2022"), from: 4, to: 3, body: "prc" });
    assert.deepEqual(guards(exit4), ["exit_criteria_met"]);
    // Moving between unmandated segments needs no exit criteria.
    assert.deepEqual(guards(decision({ from: 2, to: 1, enforcement: "none" })), []);
  });

  it("DOMAIN §6: a move no rule covers is refused", () => {
    assert.deepEqual(guards(decision({ from: 2, to: 3, enforcement: "none" })), [
      "no_routing_rule",
    ]);
  });
});
