import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { frameworkSchema } from "../frameworks/schema.js";
import { scoredFrameworkInput } from "./scoring-fixture.js";

/** The problems a framework file with these changes has, as `path: message`. */
function problems(change: (input: ReturnType<typeof scoredFrameworkInput>) => void): string[] {
  const input = scoredFrameworkInput();
  change(input);
  const result = frameworkSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}
type Loose = Record<string, unknown>;
const metric = (input: ReturnType<typeof scoredFrameworkInput>, id: string) =>
  input.metrics.find((m) => m.id === id) as Loose & { scoring: Loose };

describe("scoring is policy as data: the schema checks it (DOMAIN §4)", () => {
  test("the fixture is a valid scored framework", () => {
    assert.deepEqual(
      problems(() => {}),
      [],
    );
  });

  test("a rank-scored metric names the population it is ranked among", () => {
    const found = problems((input) => delete metric(input, "waits").scoring.population);
    assert.equal(found.length, 1);
    assert.match(found[0]!, /^metrics\.0\.scoring\.population: /);
  });

  test("a matrix rule needs a matrix and two parts; otherwise: rank needs a population", () => {
    assert.deepEqual(
      problems((input) => {
        delete metric(input, "finance").scoring.matrix;
        delete metric(input, "response").scoring.population;
      }),
      [
        "metrics.2.scoring.population: otherwise: rank needs the population it ranks among",
        "metrics.6.scoring.matrix: rule: matrix needs a matrix and exactly two from metrics; other rules take none",
      ],
    );
  });

  test("published ids point at the criteria's populations and the framework's themes", () => {
    assert.deepEqual(
      problems((input) => {
        (input.criteria as Loose).published_ids = {
          trust_types: { "Type A": "peers", "Type B": "strangers" },
          domain_scores: { access: "D1", nowhere: "D2" },
          average_score: "S2",
          unadjusted_segment: "S3",
          financial_override: "S4",
          adjusted_segment: "S0",
        };
      }),
      [
        'criteria.published_ids.trust_types.Type B: "strangers" is not one of the criteria\'s populations',
        'criteria.published_ids.domain_scores.nowhere: unknown theme "nowhere"',
      ],
    );
  });
});
