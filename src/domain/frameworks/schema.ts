/**
 * The schema of a framework version: policy as data. Every metric id, threshold, cut-point,
 * rule length, routing rule and review cadence lives in a framework file (frameworks/*.yaml)
 * validated against this schema; code interprets it and never names a metric or a theme.
 */
import { z } from "zod";
import { ORG_KINDS, SECTORS } from "../organisations/organisation.js";
import { isCalendarDate } from "../shared/dates.js";
import { statisticsSection } from "./statistics-schema.js";

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]*$/i, "must be an identifier (letters, digits, _ . -)");
const calendarDate = z.string().refine(isCalendarDate, "must be a date YYYY-MM-DD");
const orgKind = z.enum(ORG_KINDS);
const sector = z.enum(SECTORS);
const segment = z.number().int().min(1).max(5);
const cqcRating = z.enum(["outstanding", "good", "requires_improvement", "inadequate"]);

export const POLARITIES = ["higher_is_better", "lower_is_better", "neutral"] as const;
export const FREQUENCIES = ["monthly", "quarterly", "annual", "ad_hoc"] as const;
export const UNITS = [
  "percent",
  "count",
  "rate",
  "ratio",
  "score",
  "days",
  "minutes",
  "weeks",
  "gbp_thousands",
  "percent_of_income",
] as const;

/** Which organisations a metric or peer group covers; an empty list means all. */
const appliesTo = z
  .object({
    kinds: z.array(orgKind).default([]),
    sectors: z.array(sector).default([]),
  })
  .strict();

const theme = z
  .object({
    id,
    name: z.string().min(1),
    description: z.string().optional(),
    /** Contextual themes are shown but do not count towards a segment (e.g. NOF 2025/26). */
    contextual: z.boolean().default(false),
  })
  .strict();

const peerGroup = z
  .object({
    id,
    name: z.string().min(1),
    kinds: z.array(orgKind).min(1),
    sectors: z.array(sector).default([]),
  })
  .strict();

/**
 * Whom a rank-scored metric is ranked among: the organisation's own population in the criteria
 * (its peer group, e.g. trust type), or every organisation that reports the metric, whatever its
 * type. A score ranked among all reporters cannot be recomputed from one peer group's data.
 */
const rankPopulation = z.enum(["peer_group", "all_reporting"]);
/** The id under which a publication (e.g. NHS England's NOF data file) prints this metric's score. */
const publishedScoreId = id.optional();
/**
 * Where the scoring rule comes from: `confirmed` — stated by the publisher (e.g. NHS England's
 * technical metric specification) or reproduced exactly from every published score; `inferred`
 * — read off the published scores where the rule text was not available (docs/frameworks.md).
 */
const scoringBasis = z.enum(["confirmed", "inferred"]).optional();

/** How a metric is scored 1.00 (best) to 4.00 (worst) in a scored framework (NOF 2025/26). */
const metricScoring = z.discriminatedUnion("method", [
  z
    .object({
      /** best + (worst−best)·(rank−1)/(n−1) within the population; ties share the best score. */
      method: z.literal("rank"),
      population: rankPopulation,
      published_score_id: publishedScoreId,
      basis: scoringBasis,
      note: z.string().optional(),
    })
    .strict(),
  z
    .object({
      /**
       * Fixed bands on the value: the first band whose bounds contain the value gives the score;
       * a band holds min ≤ value < max, an omitted bound being open.
       */
      method: z.literal("bands"),
      bands: z
        .array(
          z
            .object({
              min: z.number().optional(),
              max: z.number().optional(),
              score: z.number().min(1).max(4),
            })
            .strict(),
        )
        .min(1),
      /** Bands stated relative to a denominator metric (e.g. income), as a share of it. */
      relative_to: id.optional(),
      /** Scored by rank where the value falls in no band (e.g. UCR under 70% scores 4, else ranked). */
      otherwise: z.enum(["rank"]).optional(),
      /** Whom `otherwise: rank` ranks among. */
      population: rankPopulation.optional(),
      /**
       * Threshold then rank: values in no band are ranked among themselves only and scored over
       * this range (e.g. best 2, worst 4: meeting the standard scores 1, missing it 2.00–4.00).
       * Without it they are ranked among every value over the framework's whole score range.
       */
      otherwise_range: z.object({ best: z.number(), worst: z.number() }).strict().optional(),
      published_score_id: publishedScoreId,
      basis: scoringBasis,
      note: z.string().optional(),
    })
    .strict(),
  z
    .object({
      /** A CQC-based discrete score. */
      method: z.literal("cqc_rating"),
      scores: z.record(cqcRating, z.number().min(1).max(4)),
      published_score_id: publishedScoreId,
      basis: scoringBasis,
      note: z.string().optional(),
    })
    .strict(),
  z
    .object({
      /** Derived from other metric scores, standing in for them in averages. */
      method: z.literal("combined"),
      from: z.array(id).min(1),
      rule: z.enum(["worst", "mean", "matrix"]),
      /**
       * rule: matrix — the combined score looked up by the scores of the two `from` metrics: row
       * = the first one's score, column = the second one's (1-based, whole scores).
       */
      matrix: z
        .array(z.array(z.number().min(1).max(4)).min(1))
        .min(1)
        .optional(),
      published_score_id: publishedScoreId,
      basis: scoringBasis,
      note: z.string().optional(),
    })
    .strict(),
  z
    .object({
      /** The published method does not say how this metric is scored: flagged, never guessed. */
      method: z.literal("unknown"),
      published_score_id: publishedScoreId,
      basis: scoringBasis,
      note: z.string().min(1),
    })
    .strict(),
]);

const metric = z
  .object({
    id,
    name: z.string().min(1),
    theme: id,
    unit: z.enum(UNITS),
    polarity: z.enum(POLARITIES),
    frequency: z.enum(FREQUENCIES),
    valid_range: z.object({ min: z.number(), max: z.number() }).strict(),
    applies_to: appliesTo,
    /** The comparison population: every reporting organisation, or the organisation's peer group. */
    comparison: z.enum(["national", "peer_group"]).default("national"),
    standard: z
      .object({ value: z.number(), description: z.string().min(1) })
      .strict()
      .optional(),
    source: z.string().min(1),
    /**
     * The national-statistics measure that feeds this metric (`dataset.measure`, e.g.
     * `ae.four_hour_all`): importers find their metric ids here rather than naming them in code.
     */
    feed: z
      .string()
      .regex(/^[a-z0-9_]+\.[a-z0-9_]+$/, "expected dataset.measure, e.g. ae.four_hour_all")
      .optional(),
    /** Roles let criteria find the finance metrics without naming them in code. */
    roles: z.array(z.enum(["financial_position", "variance_to_plan", "income"])).default([]),
    scoring: metricScoring.optional(),
    notes: z.string().optional(),
  })
  .strict();

const segmentDefinition = z
  .object({
    segment,
    name: z.string().min(1),
    description: z.string().min(1),
    support: z.string().min(1),
    mandated_support: z.boolean().default(false),
    /**
     * The only segments a decision may move an organisation to on leaving this one (NHS OF
     * 2022/23 Annex A §60: the Recovery Support Programme exits to segment 3). Omitted: any.
     */
    exits_to: z.array(segment).optional(),
  })
  .strict();

/**
 * Recorded judgement (docs/domain.md §5): facts with an author and a date, passed in to the assessment;
 * the engine never infers one. `cqc_recommendation` is the Chief Inspector's recommendation of
 * intensive support (NHS OF 2022/23 Annex A §14). `recovery_support_programme` records that the
 * organisation is in the Recovery Support Programme (segment 5 overlay of NHS OF 2025/26, docs/domain.md §4).
 */
export const JUDGEMENT_KINDS = [
  "catastrophic_safety_failure",
  "catastrophic_leadership_failure",
  "longstanding_issues",
  "capability_to_improve",
  "mitigating_circumstances",
  "licence_breach_evidence",
  "cqc_recommendation",
  "recovery_support_programme",
] as const;
export type JudgementKind = (typeof JUDGEMENT_KINDS)[number];
const judgementKind = z.enum(JUDGEMENT_KINDS);

/** Making Data Count special-cause rules (src/domain/spc/rules.ts). */
const spcRule = z.enum(["outside_limits", "trend", "two_of_three", "run"]);

/** SOF 2016 and NOF 2022/23: objective eligibility criteria (docs/domain.md §5); docs/assessment.md. */
const eligibilityCriteria = z
  .object({
    method: z.literal("eligibility"),
    default_segment: segment,
    benchmark: z
      .object({
        /** Below this many reporting organisations a metric is "not benchmarkable". */
        min_population: z.number().int().min(2),
      })
      .strict(),
    /** Lines on the `financial_position` and `variance_to_plan` metrics (their unit). */
    finance: z
      .object({
        /** A financial position at or above this is breakeven or better. */
        breakeven_at: z.number(),
        /** A variance to plan at or above this is on plan or better. */
        on_plan_at: z.number(),
        /**
         * Segment 3's "negative variance against plan" counts below this line (a shortfall too
         * small to be material, e.g. a rounding in a monthly return, does not). Omitted: on_plan_at.
         */
        material_shortfall_at: z.number().optional(),
      })
      .strict(),
    /** The themes a CQC rating bears on, for the greatest need across themes (SOF §4). */
    cqc_themes: z.object({ overall: id, well_led: id }).strict(),
    segment_1: z
      .object({
        /** Share of a theme's assessed metrics in the top quartile for the theme to count as top. */
        top_quartile_share: z.number().min(0).max(1),
        require_balanced_finance: z.boolean(),
        cqc_overall: z.array(cqcRating),
        cqc_well_led: z.array(cqcRating),
      })
      .strict(),
    segment_3: z
      .object({
        /** Share of a theme's assessed metrics in the bottom quartile for the theme to count. */
        bottom_quartile_share: z.number().min(0).max(1),
        bottom_quartile_themes_min: z.number().int().min(1),
        dramatic_drop: z
          .object({
            /** Special cause of concern on any of the last N points. */
            recent_points: z.number().int().min(1),
            /** The special-cause rules that count as a dramatic drop. */
            rules: z.array(spcRule).min(1),
            /**
             * Materiality (docs/domain.md §5): the latest value must sit at least this many
             * national quartile widths (half the current period's interquartile range) worse
             * than the series' own mean. 0 turns the test off.
             */
            min_quartile_move: z.number().min(0),
            run_length: z.number().int().min(2),
            trend_length: z.number().int().min(2),
            min_points: z.number().int().min(2),
          })
          .strict(),
        sustained_bottom_decile_periods: z.number().int().min(1),
        cqc_overall: z.array(cqcRating),
        cqc_well_led: z.array(cqcRating),
      })
      .strict(),
    segment_4: z
      .object({
        cqc_overall: z.array(cqcRating),
        /** Financial position worse than this (share of income, negative = deficit) is significant. */
        significant_deficit_share_of_income: z.number().max(0),
        /** Variance to plan worse than this (share of income) is a significant gap to plan. */
        significant_gap_to_plan_share_of_income: z.number().max(0),
        judgements: z.array(judgementKind),
        /**
         * docs/domain.md §5: where set, data alone make an organisation only eligible to be
         * considered for segment 4; it is proposed for 4 only when one of these recorded
         * judgements (e.g. a CQC recommendation) is in effect. Omitted: any segment 4 criterion.
         */
        proposal_requires_judgement: z.array(judgementKind).optional(),
      })
      .strict(),
    /**
     * Annex A §12 and Table 2: a provider enters these segments only with recorded evidence of
     * actual or suspected licence breach ("or equivalent for NHS trusts").
     */
    licence_breach_required_for: z.array(segment),
    /** The kinds of organisation the licence-breach rule holds for. */
    licence_breach_required_kinds: z.array(orgKind),
    /**
     * Where the criteria come from when the framework's own text is not available (SOF 2016/17:
     * its "Annex 4" is not in the seeds; NHS OF 2022/23 Table 3 and Annex A stand in). Shown with
     * every proposal made under the framework.
     */
    criteria_source: z.string().min(1).optional(),
  })
  .strict();

/**
 * Where a publication of a scored framework's results (e.g. NHS England's NOF 2025/26 data file)
 * prints each summary figure, so a reader maps the publication's ids without naming them in code.
 */
const publishedIds = z
  .object({
    /** The publication's trust type label → the population (peer group) it stands for. */
    trust_types: z.record(z.string().min(1), id),
    /** Theme id → the id of that theme's published domain score. */
    domain_scores: z.record(id, id),
    /** Theme id → the id of that theme's published domain segment (the domain scores quartiled). */
    domain_segments: z.record(id, id).optional(),
    average_score: id,
    unadjusted_segment: id,
    /** A flag, 1 when the financial override applies. */
    financial_override: id,
    adjusted_segment: id,
    /** The rows of this id carry the league position (rank within the population) in their rank. */
    league_rank_of: id.optional(),
    /** The segment after the overlay (segment 5 for organisations in the programme). */
    final_segment: id.optional(),
    /** A flag, 1 when the organisation is in the overlay programme (Recovery Support Programme). */
    overlay_member: id.optional(),
  })
  .strict();

/** NOF 2025/26 onwards: metric scores averaged and turned into segments. */
const scoredCriteria = z
  .object({
    method: z.literal("scored"),
    score_range: z.object({ best: z.number(), worst: z.number() }).strict(),
    /** Each peer group is a separate population for quartiles and league tables. */
    populations: z.array(id).min(1),
    segmentation: z.discriminatedUnion("method", [
      z.object({ method: z.literal("quartiles") }).strict(),
      z
        .object({
          /** Fixed thresholds on the average score, ascending: segment i is below cut_points[i-1]. */
          method: z.literal("thresholds"),
          cut_points: z.array(z.number()).length(3),
        })
        .strict(),
    ]),
    financial_override: z
      .object({
        metric_role: z.enum(["financial_position"]),
        /** In deficit when the value is below this. */
        deficit_below: z.number(),
        /** A trust in deficit can be no better than this segment. */
        best_segment: segment,
      })
      .strict(),
    /** The Recovery Support Programme overlay segment. */
    overlay_segment: segment.optional(),
    league_order: z.array(z.enum(["adjusted_segment", "average_score"])).min(1),
    segments_organisations: z.array(orgKind).min(1),
    published_ids: publishedIds.optional(),
  })
  .strict();

const decisionBody = z.enum(["rsg", "prc", "national_moderation", "nhse_with_icb"]);

const routingRule = z
  .object({
    id,
    /** Conditions; an omitted condition matches anything. */
    from: z.array(segment).optional(),
    to: z.array(segment).optional(),
    kinds: z.array(orgKind).optional(),
    enforcement: z.array(z.enum(["none", "seeking_actions", "requiring_actions"])).optional(),
    body: decisionBody,
    /**
     * A body that must have considered the recommendation before `body` decides it (SOF §4:
     * requiring actions go to the PRC "having been through an RSG").
     */
    considered_first_by: decisionBody.optional(),
    /**
     * Who leads the recommendation (SOF §4: recommendations to place a provider in or remove it
     * from special measures "will be led by central teams, with regional input"). Omitted: the
     * region.
     */
    recommendation_led_by: z.enum(["region", "central"]).optional(),
    /** The paragraph of the framework that says so. */
    citation: z.string().min(1),
  })
  .strict();

const reviewCadence = z
  .object({
    segments: z.array(segment).min(1),
    every: z.enum(["month", "quarter"]),
    /** For quarterly reviews: the months (1–12) whose end is a review deadline. */
    due_months: z.array(z.number().int().min(1).max(12)).optional(),
    citation: z.string().min(1),
  })
  .strict()
  .refine((c) => c.every !== "quarter" || (c.due_months?.length ?? 0) > 0, {
    message: "a quarterly cadence names its due_months",
    path: ["due_months"],
  });

export const frameworkSchema = z
  .object({
    id,
    name: z.string().min(1),
    short_name: z.string().min(1),
    in_force_from: calendarDate,
    in_force_to: calendarDate.optional(),
    source: z.string().min(1),
    organisation_kinds: z.array(orgKind).min(1),
    themes: z.array(theme).min(1),
    peer_groups: z.array(peerGroup).min(1),
    metrics: z.array(metric).min(1),
    segments: z.array(segmentDefinition).min(4),
    criteria: z.discriminatedUnion("method", [eligibilityCriteria, scoredCriteria]),
    routing: z.array(routingRule).min(1),
    reviews: z
      .object({
        cadence: z.array(reviewCadence).min(1),
        /**
         * Calendar days from an event to the deadline of the review it triggers. Omitted: due on
         * the event's own day (docs/domain.md §7: a material event triggers review "at once").
         */
        event_deadline_days: z.number().int().min(0).optional(),
        triggers: z.array(
          z.enum([
            "cqc_inadequate",
            "cqc_requires_improvement",
            "spc_concern",
            "bottom_decile_entry",
            "intelligence_concern",
            "enforcement_event",
          ]),
        ),
      })
      .strict(),
    /** requirements §19: measures made from national statistics and the metrics derived from them. */
    statistics: statisticsSection.optional(),
    notes: z.string().optional(),
  })
  .strict()
  .superRefine((fw, ctx) => {
    // Cross-references are checked here so a bad file names the exact broken link.
    // Themes and peer groups are referred to by id, so an id defined twice is ambiguous.
    for (const list of ["themes", "peer_groups"] as const) {
      const seen = new Set<string>();
      fw[list].forEach((item, i) => {
        if (seen.has(item.id)) {
          ctx.addIssue({
            code: "custom",
            path: [list, i, "id"],
            message: `duplicate id "${item.id}"`,
          });
        }
        seen.add(item.id);
      });
    }
    const themeIds = new Set(fw.themes.map((t) => t.id));
    const metricIds = new Set<string>();
    fw.metrics.forEach((m, i) => {
      if (!themeIds.has(m.theme)) {
        ctx.addIssue({
          code: "custom",
          path: ["metrics", i, "theme"],
          message: `unknown theme "${m.theme}"`,
        });
      }
      if (metricIds.has(m.id)) {
        ctx.addIssue({
          code: "custom",
          path: ["metrics", i, "id"],
          message: `duplicate metric id "${m.id}"`,
        });
      }
      metricIds.add(m.id);
      if (m.valid_range.min > m.valid_range.max) {
        ctx.addIssue({
          code: "custom",
          path: ["metrics", i, "valid_range"],
          message: "min is above max",
        });
      }
    });
    fw.metrics.forEach((m, i) => {
      if (m.scoring?.method === "combined") {
        m.scoring.from.forEach((ref, j) => {
          if (!metricIds.has(ref)) {
            ctx.addIssue({
              code: "custom",
              path: ["metrics", i, "scoring", "from", j],
              message: `unknown metric "${ref}"`,
            });
          }
        });
        const { rule, matrix } = m.scoring;
        if (
          (rule === "matrix") !== (matrix !== undefined) ||
          (matrix && m.scoring.from.length !== 2)
        ) {
          ctx.addIssue({
            code: "custom",
            path: ["metrics", i, "scoring", "matrix"],
            message:
              "rule: matrix needs a matrix and exactly two from metrics; other rules take none",
          });
        }
      }
      if (m.scoring?.method === "bands" && m.scoring.otherwise && !m.scoring.population) {
        ctx.addIssue({
          code: "custom",
          path: ["metrics", i, "scoring", "population"],
          message: "otherwise: rank needs the population it ranks among",
        });
      }
      if (
        m.scoring?.method === "bands" &&
        m.scoring.relative_to &&
        !metricIds.has(m.scoring.relative_to)
      ) {
        ctx.addIssue({
          code: "custom",
          path: ["metrics", i, "scoring", "relative_to"],
          message: `unknown metric "${m.scoring.relative_to}"`,
        });
      }
    });
    const peerIds = new Set(fw.peer_groups.map((p) => p.id));
    if (fw.criteria.method === "scored") {
      fw.criteria.populations.forEach((p, i) => {
        if (!peerIds.has(p)) {
          ctx.addIssue({
            code: "custom",
            path: ["criteria", "populations", i],
            message: `unknown peer group "${p}"`,
          });
        }
      });
      const published = fw.criteria.published_ids;
      const populations = new Set(fw.criteria.populations);
      for (const [label, population] of Object.entries(published?.trust_types ?? {})) {
        if (!populations.has(population)) {
          ctx.addIssue({
            code: "custom",
            path: ["criteria", "published_ids", "trust_types", label],
            message: `"${population}" is not one of the criteria's populations`,
          });
        }
      }
      for (const theme of Object.keys(published?.domain_scores ?? {})) {
        if (!themeIds.has(theme)) {
          ctx.addIssue({
            code: "custom",
            path: ["criteria", "published_ids", "domain_scores", theme],
            message: `unknown theme "${theme}"`,
          });
        }
      }
    }
    const segmentNumbers = fw.segments.map((s) => s.segment);
    if (new Set(segmentNumbers).size !== segmentNumbers.length) {
      ctx.addIssue({ code: "custom", path: ["segments"], message: "a segment is defined twice" });
    }
    if (fw.in_force_to && fw.in_force_to < fw.in_force_from) {
      ctx.addIssue({ code: "custom", path: ["in_force_to"], message: "ends before it starts" });
    }
  })
  .superRefine(checkEligibilityReferences);

/** The eligibility criteria's theme references name themes of the file. */
function checkEligibilityReferences(
  fw: {
    themes: { id: string }[];
    criteria: z.infer<typeof eligibilityCriteria> | { method: string };
  },
  ctx: z.RefinementCtx,
): void {
  if (!("cqc_themes" in fw.criteria)) return;
  const themeIds = new Set(fw.themes.map((t) => t.id));
  for (const [rating, theme] of Object.entries(fw.criteria.cqc_themes)) {
    if (!themeIds.has(theme)) {
      ctx.addIssue({
        code: "custom",
        path: ["criteria", "cqc_themes", rating],
        message: `unknown theme "${theme}"`,
      });
    }
  }
}

export type Framework = z.infer<typeof frameworkSchema>;
export type FrameworkMetric = Framework["metrics"][number];
export type FrameworkTheme = Framework["themes"][number];
export type PeerGroup = Framework["peer_groups"][number];
export type RoutingRule = Framework["routing"][number];
export type Polarity = (typeof POLARITIES)[number];
export type EligibilityCriteria = Extract<Framework["criteria"], { method: "eligibility" }>;
