/**
 * requirements §4 "Routing: the right body decides": every routing rule of every shipped framework, each
 * case citing the paragraph the rule rests on (DOMAIN §6; SOF §4 in seed 000; NHS OF 2022/23 §32,
 * Annex A and the Enforcement Guidance in seed 004). The first rule that matches decides, as the
 * framework files say. A rule added to a framework without a case here fails the coverage test.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { OrgKind } from "../../src/domain/organisations/organisation.js";
import {
  routeDecision,
  type DecisionBody,
  type EnforcementAction,
  type WorkflowSegment,
} from "../../src/domain/workflow/index.js";
import { shippedFrameworks } from "../support/database.js";

interface Case {
  framework: string;
  kind: OrgKind;
  from: WorkflowSegment;
  to: WorkflowSegment;
  enforcement: EnforcementAction;
  rule: string | null;
  body: DecisionBody | null;
  cites: string;
}

const FT: OrgKind = "foundation_trust";
const NT: OrgKind = "nhs_trust";

export const ROUTING_CASES: Case[] = [
  // SOF 2016 (seed 000, SOF §4 "How do I recommend a provider move between segments?")
  {
    framework: "sof-2016",
    kind: FT,
    from: 1,
    to: 4,
    enforcement: "none",
    rule: "to_special_measures",
    body: "prc",
    cites: "SOF §4 segment 1: a move into segment 4 goes to the PRC",
  },
  {
    framework: "sof-2016",
    kind: NT,
    from: 3,
    to: 4,
    enforcement: "requiring_actions",
    rule: "to_special_measures",
    body: "prc",
    cites: "SOF §4 segment 3: deterioration → central team recommends 4 → PRC",
  },
  {
    framework: "sof-2016",
    kind: FT,
    from: 4,
    to: 4,
    enforcement: "none",
    rule: "to_special_measures",
    body: "prc",
    cites: "SOF §4 segment 4: keeping in special measures is the PRC's",
  },
  {
    framework: "sof-2016",
    kind: FT,
    from: 4,
    to: 3,
    enforcement: "none",
    rule: "special_measures_decisions",
    body: "prc",
    cites: "SOF §4 segment 4: removing from special measures is the PRC's",
  },
  {
    framework: "sof-2016",
    kind: FT,
    from: 2,
    to: 3,
    enforcement: "requiring_actions",
    rule: "mandated_support_requiring_actions",
    body: "prc",
    cites: "SOF §4 mandated support: s105/s111/directions → PRC having been through an RSG",
  },
  {
    framework: "sof-2016",
    kind: FT,
    from: 2,
    to: 3,
    enforcement: "seeking_actions",
    rule: "mandated_support_seeking_actions",
    body: "rsg",
    cites: "SOF §4 mandated support: s106 undertakings → RSG",
  },
  {
    framework: "sof-2016",
    kind: NT,
    from: 1,
    to: 3,
    enforcement: "seeking_actions",
    rule: "mandated_support_seeking_actions",
    body: "rsg",
    cites: "SOF §4 segment 1: into 3 → RSG or PRC depending on the enforcement action",
  },
  {
    framework: "sof-2016",
    kind: NT,
    from: 2,
    to: 3,
    enforcement: "none",
    rule: null,
    body: null,
    cites:
      "SOF §4 segment 2: into 3 only 'as part of the process of finding the provider in breach and mandating support through formal enforcement action' — no enforcement step, no route",
  },
  {
    framework: "sof-2016",
    kind: FT,
    from: 1,
    to: 2,
    enforcement: "none",
    rule: "segment_1_to_2",
    body: "rsg",
    cites: "SOF §4 segment 1: into 2 → RSG",
  },
  {
    framework: "sof-2016",
    kind: NT,
    from: 2,
    to: 1,
    enforcement: "none",
    rule: "segment_2_to_1",
    body: "rsg",
    cites: "SOF §4 segment 2: no support needs → region recommends 1 to the RSG",
  },
  {
    framework: "sof-2016",
    kind: FT,
    from: 3,
    to: 2,
    enforcement: "none",
    rule: "segment_3_improvement",
    body: "rsg",
    cites: "SOF §4 segment 3: improvement → region recommends 1 or 2",
  },
  {
    framework: "sof-2016",
    kind: FT,
    from: 3,
    to: 1,
    enforcement: "none",
    rule: "segment_3_improvement",
    body: "rsg",
    cites: "SOF §4 segment 3: improvement → region recommends 1 or 2",
  },
  {
    framework: "sof-2016",
    kind: FT,
    from: 1,
    to: 1,
    enforcement: "none",
    rule: "segment_1_remains",
    body: "rsg",
    cites:
      "SOF §4 segment 1: 'If no support needs are identified, the provider remains in segment 1'",
  },
  {
    framework: "sof-2016",
    kind: FT,
    from: 2,
    to: 2,
    enforcement: "none",
    rule: "segment_2_remains",
    body: "rsg",
    cites: "SOF §4 segment 2: a provider in a 'steady state' 'would remain in segment 2'",
  },
  {
    framework: "sof-2016",
    kind: NT,
    from: 3,
    to: 3,
    enforcement: "none",
    rule: "segment_3_remains",
    body: "rsg",
    cites:
      "SOF §4 segment 3: 'If there are no significant changes providers may remain in segment 3'",
  },
  // NHS OF 2022/23 (seed 004)
  {
    framework: "nof-2022",
    kind: FT,
    from: 3,
    to: 4,
    enforcement: "seeking_actions",
    rule: "to_recovery_support_programme",
    body: "prc",
    cites:
      "NHS OF 2022/23 Annex A §16: NHS England decides entry to 4 after national moderation (first match beats the seeking-actions rule)",
  },
  {
    framework: "nof-2022",
    kind: "icb",
    from: 2,
    to: 4,
    enforcement: "none",
    rule: "to_recovery_support_programme",
    body: "prc",
    cites: "NHS OF 2022/23 Annex A §16",
  },
  {
    framework: "nof-2022",
    kind: NT,
    from: 4,
    to: 3,
    enforcement: "none",
    rule: "recovery_support_programme_exit",
    body: "prc",
    cites: "NHS OF 2022/23 Annex A §38–§41, §60: NHS England decides exit from the RSP",
  },
  {
    framework: "nof-2022",
    kind: FT,
    from: 2,
    to: 3,
    enforcement: "requiring_actions",
    rule: "mandated_support_requiring_actions",
    body: "prc",
    cites: "Enforcement Guidance §108: requiring actions are national",
  },
  {
    framework: "nof-2022",
    kind: FT,
    from: 2,
    to: 3,
    enforcement: "seeking_actions",
    rule: "mandated_support_seeking_actions",
    body: "rsg",
    cites: "Enforcement Guidance §108, §113: the committee accepting undertakings",
  },
  {
    framework: "nof-2022",
    kind: FT,
    from: 2,
    to: 3,
    enforcement: "none",
    rule: "trust_segmentation",
    body: "nhse_with_icb",
    cites: "NHS OF 2022/23 §32: NHS England and the ICB discuss; NHS England decides",
  },
  {
    framework: "nof-2022",
    kind: NT,
    from: 2,
    to: 1,
    enforcement: "none",
    rule: "trust_segmentation",
    body: "nhse_with_icb",
    cites: "NHS OF 2022/23 §32",
  },
  {
    framework: "nof-2022",
    kind: "icb",
    from: 2,
    to: 3,
    enforcement: "none",
    rule: "icb_segmentation",
    body: "rsg",
    cites: "NHS OF 2022/23 §17, §31: regional teams lead ICB oversight",
  },
  // NHS OF 2025/26 (not in the seeds; carried forward from NHS OF 2022/23 Annex A)
  {
    framework: "nof-2025",
    kind: FT,
    from: 4,
    to: 5,
    enforcement: "none",
    rule: "to_recovery_support_programme",
    body: "prc",
    cites: "NHS OF 2025/26 segment 5 = RSP, as NHS OF 2022/23 Annex A §16",
  },
  {
    framework: "nof-2025",
    kind: NT,
    from: 5,
    to: 4,
    enforcement: "none",
    rule: "recovery_support_programme_exit",
    body: "prc",
    cites: "NHS OF 2022/23 Annex A §38–§41, §60, carried forward",
  },
  {
    framework: "nof-2025",
    kind: FT,
    from: 2,
    to: 3,
    enforcement: "requiring_actions",
    rule: "enforcement_requiring_actions",
    body: "prc",
    cites: "Enforcement Guidance §108",
  },
  {
    framework: "nof-2025",
    kind: FT,
    from: 2,
    to: 3,
    enforcement: "seeking_actions",
    rule: "enforcement_seeking_actions",
    body: "rsg",
    cites: "Enforcement Guidance §108, §113",
  },
  {
    framework: "nof-2025",
    kind: NT,
    from: 2,
    to: 3,
    enforcement: "none",
    rule: "scored_segment_change",
    body: "national_moderation",
    cites: "NOF 2025/26 methodology: scored segments confirmed nationally (inferred)",
  },
];

describe("routing: the right body decides (requirements §4; DOMAIN §6)", () => {
  const registry = shippedFrameworks();
  for (const c of ROUTING_CASES) {
    it(`${c.framework} ${c.kind} ${c.from}→${c.to} (${c.enforcement}) → ${c.body ?? "no rule"} [${c.cites}]`, () => {
      const framework = registry.get(c.framework)!;
      const routing = routeDecision(framework, c);
      if (c.rule === null) {
        assert.equal(routing.routed, false);
        assert.match(!routing.routed ? routing.reason : "", /no routing rule in/);
        return;
      }
      assert.ok(routing.routed, `expected rule ${c.rule}`);
      assert.equal(routing.rule_id, c.rule);
      assert.equal(routing.body, c.body);
      assert.ok(routing.citation.length > 0);
    });
  }

  it("covers every routing rule of every shipped framework", () => {
    for (const framework of registry.versions) {
      const covered = new Set(
        ROUTING_CASES.filter((c) => c.framework === framework.id).map((c) => c.rule),
      );
      const uncovered = framework.routing.map((r) => r.id).filter((id) => !covered.has(id));
      assert.deepEqual(uncovered, [], `${framework.id}: rules without a test`);
    }
  });
});
