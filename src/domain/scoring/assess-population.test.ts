import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { assessScoredPopulation, scoredCriteriaOf } from "./assess-population.js";
import { org, scoredFramework, valuesOf } from "./scoring-fixture.js";

describe("the scored segmentation of a population, end to end", () => {
  const framework = scoredFramework();
  // Five trusts ranked on one peer-group metric; "E" plans a deficit, "C" is in the programme.
  const members = ["A", "B", "C", "D", "E"].map(org);
  const values = valuesOf({
    waits: [
      ["A", 1],
      ["B", 2],
      ["C", 3],
      ["D", 4],
      ["E", 0.5],
    ],
    plan: [
      ["A", 0],
      ["B", 0],
      ["C", 0],
      ["D", 0],
      ["E", -0.5],
    ],
    variance: [
      ["A", 0],
      ["B", 0],
      ["C", 0],
      ["D", 0],
      ["E", 0],
    ],
  });
  const assessed = assessScoredPopulation(framework, {
    members,
    covers: "peer_group",
    values,
    overlayMembers: new Set([org("C")]),
  });
  const of = (code: string) => assessed.find((a) => a.org === org(code))!;

  test("metric scores → average → quartile segment (DOMAIN §4)", () => {
    // waits: E 1.00, A 1.75, B 2.50, C 3.25, D 4.00; finance: E 2 (planned deficit), others 1.
    // Averages 1.375, 1.75, 2.125, 2.5, 1.5: cut-points 1.5, 1.75, 2.125, each on a trust.
    assert.equal(of("A").averageScore, 1.375);
    assert.equal(of("E").averageScore, 1.5);
    assert.deepEqual(
      ["A", "B", "C", "D", "E"].map((c) => of(c).unadjustedSegment),
      [1, 2, 3, 4, 1],
    );
  });

  test("the financial override caps the trust in deficit at segment 3 (data/README.md)", () => {
    assert.equal(of("E").inDeficit, true);
    assert.equal(of("E").adjustedSegment, 3);
    assert.equal(of("A").inDeficit, false);
    assert.equal(of("A").adjustedSegment, 1);
  });

  test("segment 5 overlays the trust in the programme; the league ranks by adjusted segment", () => {
    assert.equal(of("C").adjustedSegment, 3);
    assert.equal(of("C").finalSegment, 5);
    assert.deepEqual(
      ["A", "B", "E", "C", "D"].map((c) => of(c).leaguePosition),
      [1, 2, 3, 4, 5],
    );
  });

  test("domain scores come with the assessment; the contextual theme is absent", () => {
    assert.deepEqual([...of("A").domainScores.keys()], ["access", "money"]);
  });

  test("a framework of eligibility criteria is not scored", () => {
    const eligibility = { ...framework, criteria: { method: "eligibility" } } as never;
    assert.throws(() => scoredCriteriaOf(eligibility), /does not score/);
  });
});
