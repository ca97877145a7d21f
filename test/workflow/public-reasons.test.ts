/**
 * requirements §12 point 4: published reasons support the decided segment and never contradict it
 * (SOF §4, seed 000: "a short summary of the reasons and associated support"; docs/domain.md §12).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { publicReasons } from "../../src/services/segmentation.js";

const fired = [
  { id: "segment_1.cqc_good", label: "CQC 'Good' or 'Outstanding'", sentence: "" },
  { id: "segment_3.finance", label: "Plan not balanced or material deficit", sentence: "" },
  { id: "segment_4.significant_deficit", label: "Significant deficit", sentence: "" },
  {
    id: "segment_4.judgement.cqc_recommendation",
    label: "CQC recommendation",
    sentence: 'CQC recommendation recorded by X: "confidential words"',
  },
];

describe("publicReasons (SOF §4; requirements §12 point 4)", () => {
  it("segment 4: the segment 3 and 4 criteria and the recorded public support, never a segment 1 criterion nor a judgement's words", () => {
    const reasons = publicReasons({ segment: 4, criteria_fired: fired }, [
      "Undertakings accepted (s106)",
    ]);
    assert.deepEqual(reasons, [
      "Plan not balanced or material deficit",
      "Significant deficit",
      "CQC recommendation",
      "Undertakings accepted (s106)",
    ]);
    assert.ok(!reasons.some((r) => r.includes("Good") || r.includes("confidential")));
  });

  it("segment 3: only segment 3 criteria, and never the default segment's text", () => {
    assert.deepEqual(publicReasons({ segment: 3, criteria_fired: fired }, []), [
      "Plan not balanced or material deficit",
    ]);
    // With nothing left to cite, a mandated segment still states what it rests on.
    const bare = publicReasons({ segment: 3, criteria_fired: [] }, []);
    assert.equal(bare.length, 1);
    assert.doesNotMatch(bare[0]!, /default/);
  });

  it("segment 2 (the default): no criterion for another segment is published beside it, nor support records", () => {
    assert.deepEqual(publicReasons({ segment: 2, criteria_fired: fired }, ["Undertakings"]), []);
  });
});
