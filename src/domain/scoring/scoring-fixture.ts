/**
 * A small scored framework for the scoring tests, shaped like NOF 2025/26 (data/README.md) but
 * with made-up ids, so each test reads at a glance and no shipped id appears in the source.
 */
import { frameworkSchema, type Framework } from "../frameworks/schema.js";
import type { OrgCode } from "../organisations/organisation.js";

const appliesTo = { kinds: ["nhs_trust", "foundation_trust"], sectors: [] };
const metric = (id: string, theme: string, polarity: string, scoring: unknown, extra = {}) => ({
  id,
  name: id,
  theme,
  unit: "score",
  polarity,
  frequency: "quarterly",
  valid_range: { min: -100, max: 100 },
  applies_to: appliesTo,
  source: "test",
  scoring,
  ...extra,
});

export function scoredFramework(overrides: Record<string, unknown> = {}): Framework {
  return frameworkSchema.parse(scoredFrameworkInput(overrides));
}

/** The fixture as written in a framework file, before validation. */
export function scoredFrameworkInput(overrides: Record<string, unknown> = {}) {
  return {
    id: "scored-test",
    name: "Scored test framework",
    short_name: "ST",
    in_force_from: "2025-04-01",
    source: "test",
    organisation_kinds: ["nhs_trust", "foundation_trust"],
    themes: [
      { id: "access", name: "Access" },
      { id: "money", name: "Money" },
      { id: "context", name: "Context", contextual: true },
    ],
    peer_groups: [{ id: "peers", name: "Peers", kinds: ["nhs_trust", "foundation_trust"] }],
    metrics: [
      metric("waits", "access", "lower_is_better", { method: "rank", population: "peer_group" }),
      metric("reach", "access", "higher_is_better", {
        method: "rank",
        population: "all_reporting",
      }),
      metric("response", "access", "higher_is_better", {
        method: "bands",
        bands: [{ max: 70, score: 4 }],
        otherwise: "rank",
        population: "peer_group",
      }),
      metric("rating", "access", "lower_is_better", {
        method: "cqc_rating",
        scores: { outstanding: 1, good: 2, requires_improvement: 3, inadequate: 4 },
      }),
      metric(
        "plan",
        "money",
        "higher_is_better",
        {
          method: "bands",
          bands: [
            { min: 0, score: 1 },
            { min: -1, score: 2 },
            { min: -2, score: 3 },
            { max: -2, score: 4 },
          ],
        },
        { roles: ["financial_position"] },
      ),
      metric("variance", "money", "higher_is_better", {
        method: "bands",
        bands: [
          { min: 0, score: 1 },
          { min: -0.5, score: 2 },
          { min: -1, score: 3 },
          { max: -1, score: 4 },
        ],
      }),
      metric("finance", "money", "lower_is_better", {
        method: "combined",
        from: ["plan", "variance"],
        rule: "matrix",
        matrix: [
          [1, 1, 2, 3],
          [2, 3, 4, 4],
          [2, 3, 4, 4],
          [2, 3, 4, 4],
        ],
      }),
      metric("mystery", "access", "lower_is_better", { method: "unknown", note: "not published" }),
      metric("health", "context", "higher_is_better", {
        method: "rank",
        population: "peer_group",
      }),
    ],
    segments: [1, 2, 3, 4, 5].map((segment) => ({
      segment,
      name: `Segment ${segment}`,
      description: "test",
      support: "test",
    })),
    criteria: {
      method: "scored",
      score_range: { best: 1, worst: 4 },
      populations: ["peers"],
      segmentation: { method: "quartiles" },
      financial_override: { metric_role: "financial_position", deficit_below: 0, best_segment: 3 },
      overlay_segment: 5,
      league_order: ["adjusted_segment", "average_score"],
      segments_organisations: ["nhs_trust", "foundation_trust"],
    },
    routing: [{ id: "any", body: "rsg", citation: "test" }],
    reviews: {
      cadence: [{ segments: [1, 2, 3, 4, 5], every: "month", citation: "test" }],
      triggers: [],
    },
    ...overrides,
  };
}

export const org = (code: string) => code as OrgCode;

/** Metric id → [organisation, value] pairs, as scoring data take them. */
export function valuesOf(
  table: Record<string, [string, number][]>,
): Map<string, Map<OrgCode, number>> {
  return new Map(
    Object.entries(table).map(([id, pairs]) => [
      id,
      new Map(pairs.map(([code, value]) => [org(code), value])),
    ]),
  );
}
