/**
 * A small synthetic eligibility framework and national dataset for the assessment tests: twenty
 * peer trusts spread evenly over each metric, and one subject trust whose values each test sets.
 * Ids are made up (m_…, t_…), so no shipped framework id appears in code.
 */
import type { CqcRatingInput, JudgementInput } from "../criteria/facts.js";
import { frameworkSchema, type Framework } from "../frameworks/schema.js";
import type { OrgCode, OrgKind, Organisation, Sector } from "../organisations/organisation.js";
import type { CalendarDate } from "../shared/dates.js";
import { assessOrganisations } from "./assess.js";
import type { Assessment, AssessmentInput, ObservationInput } from "./types.js";

const metric = (
  id: string,
  theme: string,
  unit: string,
  polarity: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  id,
  name: extra.name ?? id,
  theme,
  unit,
  polarity,
  frequency: "monthly",
  valid_range: { min: -1000, max: 100000 },
  applies_to: { kinds: ["nhs_trust", "foundation_trust", "icb"], sectors: [] },
  source: "synthetic",
  ...extra,
});

export const SYNTHETIC_FRAMEWORK: Framework = frameworkSchema.parse({
  id: "syn-eligibility",
  name: "Synthetic eligibility framework",
  short_name: "Syn",
  in_force_from: "2016-10-01",
  source: "test fixture",
  organisation_kinds: ["nhs_trust", "foundation_trust", "icb"],
  themes: [
    { id: "t_access", name: "Access" },
    { id: "t_quality", name: "Quality" },
    { id: "t_money", name: "Money" },
    { id: "t_staff", name: "Staff" },
    { id: "t_context", name: "Context", contextual: true },
  ],
  peer_groups: [
    {
      id: "pg_acute",
      name: "Acute trusts",
      kinds: ["nhs_trust", "foundation_trust"],
      sectors: ["acute"],
    },
    { id: "pg_icb", name: "Integrated care boards", kinds: ["icb"] },
  ],
  metrics: [
    metric("m_wait", "t_access", "percent", "higher_is_better", {
      name: "Four-hour performance",
      standard: { value: 95, description: "95% within 4 hours" },
    }),
    metric("m_delay", "t_access", "count", "lower_is_better", { name: "Long delays" }),
    metric("m_infection", "t_quality", "rate", "lower_is_better", { name: "Infection rate" }),
    metric("m_experience", "t_quality", "percent", "higher_is_better", {
      name: "Patient experience",
      comparison: "peer_group",
    }),
    metric("m_activity", "t_access", "count", "neutral", { name: "Attendances" }),
    metric("m_position", "t_money", "percent_of_income", "higher_is_better", {
      name: "I&E position",
      roles: ["financial_position"],
    }),
    metric("m_plan_gap", "t_money", "percent_of_income", "higher_is_better", {
      name: "Variance to plan",
      roles: ["variance_to_plan"],
    }),
    metric("m_sickness", "t_staff", "percent", "lower_is_better", { name: "Sickness absence" }),
    metric("m_engagement", "t_staff", "score", "higher_is_better", { name: "Staff engagement" }),
  ],
  segments: [1, 2, 3, 4].map((segment) => ({
    segment,
    name: ["Autonomy", "Targeted support", "Mandated support", "Intensive support"][segment - 1],
    description: "synthetic",
    support: "synthetic",
    mandated_support: segment >= 3,
  })),
  criteria: {
    method: "eligibility",
    default_segment: 2,
    benchmark: { min_population: 5 },
    finance: { breakeven_at: 0, on_plan_at: 0 },
    cqc_themes: { overall: "t_quality", well_led: "t_staff" },
    segment_1: {
      top_quartile_share: 0.5,
      require_balanced_finance: true,
      cqc_overall: ["good", "outstanding"],
      cqc_well_led: ["good", "outstanding"],
    },
    segment_3: {
      bottom_quartile_share: 0.5,
      bottom_quartile_themes_min: 2,
      dramatic_drop: {
        recent_points: 3,
        rules: ["outside_limits", "trend", "two_of_three", "run"],
        min_quartile_move: 0,
        run_length: 7,
        trend_length: 7,
        min_points: 13,
      },
      sustained_bottom_decile_periods: 3,
      cqc_overall: ["requires_improvement", "inadequate"],
      cqc_well_led: ["requires_improvement", "inadequate"],
    },
    segment_4: {
      cqc_overall: ["inadequate"],
      significant_deficit_share_of_income: -2,
      significant_gap_to_plan_share_of_income: -1,
      judgements: [
        "catastrophic_safety_failure",
        "catastrophic_leadership_failure",
        "longstanding_issues",
        "cqc_recommendation",
      ],
    },
    licence_breach_required_for: [3, 4],
    licence_breach_required_kinds: ["foundation_trust"],
  },
  routing: [{ id: "any", body: "rsg", citation: "synthetic" }],
  reviews: {
    cadence: [{ segments: [1, 2, 3, 4], every: "month", citation: "synthetic" }],
    triggers: [],
  },
});

/** Fifteen monthly periods, Jan 2018 to Mar 2019; the assessment is as of 31 Mar 2019. */
export const MONTHS: readonly string[] = Array.from({ length: 15 }, (_, i) => {
  const index = 2018 * 12 + i;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}-01`;
});
export const AS_OF = "2019-03-31";

/** Peers P01…P20 spread evenly from `low` to `high`; the subject's presets beyond them. */
export const LEVELS: Record<
  string,
  { low: number; high: number; best: number; worst: number; mid: number }
> = {
  m_wait: { low: 60, high: 98, best: 99, worst: 55, mid: 79 },
  m_delay: { low: 0, high: 190, best: 0, worst: 250, mid: 95 },
  m_infection: { low: 5, high: 43, best: 2, worst: 50, mid: 25 },
  m_experience: { low: 70, high: 89, best: 95, worst: 60, mid: 79.5 },
  m_activity: { low: 1000, high: 2900, best: 2000, worst: 2000, mid: 2000 },
  m_position: { low: -4.75, high: 4.75, best: 6, worst: -6, mid: 1.1 },
  m_plan_gap: { low: -1.9, high: 1.9, best: 3, worst: -3, mid: 0.1 },
  m_sickness: { low: 3, high: 6.8, best: 2, worst: 9, mid: 4.9 },
  m_engagement: { low: 6, high: 7.9, best: 8.5, worst: 5, mid: 6.95 },
};

/**
 * The subject's value of a metric: a preset (`LEVELS`: best and worst lie beyond every peer at
 * the metric's better and worse end), a level held for every month, or one value per month for
 * the last months (null: no value that month).
 */
export type SubjectValue = "best" | "worst" | "mid" | number | readonly (number | null)[];

export function org(
  code: string,
  kind: OrgKind = "nhs_trust",
  sector: Sector | null = "acute",
): Organisation {
  return {
    code: code as OrgCode,
    name: `Organisation ${code}`,
    kind,
    sector: kind === "icb" ? null : sector,
    region: "Y56",
    icbCode: null,
    openDate: "2000-01-01" as CalendarDate,
    closeDate: null,
  };
}

/** A small alternating wobble: real-looking series with no special cause. */
const wobble = (month: number): number => (month % 2 === 0 ? 0.01 : -0.01);

function subjectSeries(id: string, value: SubjectValue): (number | null)[] {
  const levels = LEVELS[id] as (typeof LEVELS)[string];
  if (Array.isArray(value)) {
    const given = value as readonly (number | null)[];
    const lead = MONTHS.length - given.length;
    return MONTHS.map((_, i) => (i < lead ? levels.mid + wobble(i) : (given[i - lead] ?? null)));
  }
  const level = typeof value === "number" ? value : levels[value as "best" | "worst" | "mid"];
  return MONTHS.map((_, i) => level + wobble(i));
}

export interface Scenario {
  subject?: Partial<Record<string, SubjectValue>>;
  kind?: OrgKind;
  cqc?: Omit<CqcRatingInput, "org_code"> | null;
  judgements?: Omit<JudgementInput, "org_code">[];
  /** Extra organisations (e.g. an ICB), with no observations. */
  others?: Organisation[];
}

export const SUBJECT = "S01";
export const PEERS = Array.from({ length: 20 }, (_, i) => `P${String(i + 1).padStart(2, "0")}`);

export function scenarioInput(scenario: Scenario = {}): AssessmentInput {
  const organisations = [
    ...PEERS.map((code) => org(code)),
    org(SUBJECT, scenario.kind ?? "nhs_trust"),
    ...(scenario.others ?? []),
  ];
  const observations: ObservationInput[] = [];
  for (const m of SYNTHETIC_FRAMEWORK.metrics) {
    const levels = LEVELS[m.id] as (typeof LEVELS)[string];
    PEERS.forEach((code, p) => {
      const level = levels.low + ((levels.high - levels.low) * p) / (PEERS.length - 1);
      MONTHS.forEach((period, i) =>
        observations.push({ org_code: code, metric_id: m.id, period, value: level + wobble(i) }),
      );
    });
    subjectSeries(m.id, scenario.subject?.[m.id] ?? "mid").forEach((value, i) => {
      if (value !== null) {
        observations.push({
          org_code: SUBJECT,
          metric_id: m.id,
          period: MONTHS[i] as string,
          value,
        });
      }
    });
  }
  const cqc =
    scenario.cqc === undefined
      ? { published_on: "2018-06-01", overall: "good", well_led: "good" }
      : scenario.cqc;
  return {
    framework: SYNTHETIC_FRAMEWORK,
    as_of: AS_OF,
    organisations,
    observations,
    cqc_ratings:
      cqc === null ? [] : [{ org_code: SUBJECT, ...(cqc as Omit<CqcRatingInput, "org_code">) }],
    judgements: (scenario.judgements ?? []).map((j) => ({ org_code: SUBJECT, ...j })),
  };
}

/** The subject's assessment in a scenario. */
export function assessSubject(scenario: Scenario = {}): Assessment {
  const run = assessOrganisations(scenarioInput(scenario));
  const found = run.assessments.find((a) => a.organisation.code === SUBJECT);
  if (!found) throw new Error("the subject was not assessed");
  return found;
}

export function criterion(assessment: Assessment, id: string) {
  for (const segment of assessment.segments) {
    const found = segment.criteria.find((c) => c.id === id);
    if (found) return found;
  }
  throw new Error(`no criterion ${id} in the assessment`);
}

/** The subject at the best end of every metric: top quartile everywhere. */
export const ALL_BEST: Record<string, SubjectValue> = Object.fromEntries(
  Object.keys(LEVELS).map((id) => [id, "best"]),
);
