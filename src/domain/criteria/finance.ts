/**
 * The finance criteria (docs/domain.md §5; NHS OF 2022/23 Table 3 and Annex A §9, §13), on the metrics
 * the framework gives the roles `financial_position`, `variance_to_plan` and `income`:
 * - segment 1, balanced finance: position at or above `breakeven_at` and variance to plan at or
 *   above `on_plan_at` (when the framework requires it);
 * - segment 3, plan not balanced or material deficit: a deficit (below breakeven) in the bottom
 *   quartile nationally, or a variance to plan below `on_plan_at`;
 * - segment 4, significant deficit or gap to plan: position or variance worse than its share of
 *   income (`significant_deficit_share_of_income`, `significant_gap_to_plan_share_of_income`).
 * Each part reads the current period of its metric; a missing value leaves it not assessable.
 */
import type { EligibilityCriteria } from "../frameworks/schema.js";
import { against } from "./evidence.js";
import type { MetricFacts, OrganisationFacts } from "./facts.js";
import { formatPeriod, formatValue, listOf } from "./format.js";
import { allOf, anyOf } from "./logic.js";
import type { CriterionResult, CriterionStatus, CutPointName, MetricEvidence } from "./types.js";

type Role = "financial_position" | "variance_to_plan" | "income";

export function roleMetric(facts: OrganisationFacts, role: Role): MetricFacts | undefined {
  return facts.metrics.find((m) => m.metric.roles.includes(role));
}

interface Part {
  status: CriterionStatus;
  phrase: string;
  evidence: MetricEvidence;
  theme: string;
}

const ROLE_LABELS: Record<Role, string> = {
  financial_position: "financial position",
  variance_to_plan: "variance to plan",
  income: "income",
};

function described(m: MetricFacts, role: Role): { value: number | null; head: string } {
  const e = m.current.evidence;
  const when = e.period === null ? "any period" : formatPeriod(e.period, m.metric.frequency);
  if (e.value === null) return { value: null, head: `no ${ROLE_LABELS[role]} for ${when}` };
  return {
    value: e.value,
    head: `${ROLE_LABELS[role]} ${formatValue(e.value, m.metric.unit)} in ${when}`,
  };
}

/** A part comparing the current value with a fixed line: fired when `firesBelow` and below it. */
function linePart(
  m: MetricFacts,
  role: Role,
  line: { name: CutPointName; value: number; words: string },
  firesBelow: boolean,
): Part {
  const { value, head } = described(m, role);
  const lineText = `${line.words} (${formatValue(line.value, m.metric.unit)})`;
  const evidence: MetricEvidence = {
    ...m.current.evidence,
    cut_point: { name: line.name, value: line.value },
  };
  if (value === null)
    return { status: "not_assessable", phrase: head, evidence, theme: m.metric.theme };
  const below = value < line.value;
  return {
    status: below === firesBelow ? "fired" : "not_fired",
    phrase: `${head}, ${below ? "below" : "at or above"} ${lineText}`,
    evidence,
    theme: m.metric.theme,
  };
}

function noFinanceMetric(
  id: CriterionResult["id"],
  segment: 1 | 3 | 4,
  label: string,
): CriterionResult {
  return {
    id,
    segment,
    label,
    status: "not_assessable",
    sentence: "No finance metric of the framework applies to this organisation: not assessable.",
    themes: [],
    evidence: [],
    children: [],
  };
}

function capitalise(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

/** Segment 1: balanced plan, actual or forecast breakeven or better. */
export function balancedFinance(
  criteria: EligibilityCriteria,
  facts: OrganisationFacts,
): CriterionResult {
  const id = "segment_1.balanced_finance";
  const label = "Balanced plan, breakeven or better";
  const position = roleMetric(facts, "financial_position");
  const variance = roleMetric(facts, "variance_to_plan");
  const parts: Part[] = [];
  if (position)
    parts.push(
      linePart(
        position,
        "financial_position",
        { name: "breakeven", value: criteria.finance.breakeven_at, words: "breakeven" },
        false,
      ),
    );
  if (variance)
    parts.push(
      linePart(
        variance,
        "variance_to_plan",
        { name: "on_plan", value: criteria.finance.on_plan_at, words: "plan" },
        false,
      ),
    );
  if (parts.length === 0) return noFinanceMetric(id, 1, label);
  const status = allOf(parts.map((p) => p.status));
  const verdict =
    status === "fired" ? "balanced" : status === "not_fired" ? "not balanced" : "not assessable";
  const shown = status === "not_fired" ? parts.filter((p) => p.status === "not_fired") : parts;
  return {
    id,
    segment: 1,
    label,
    status,
    evidence: parts.map((p) => p.evidence),
    children: [],
    sentence: `${capitalise(listOf(shown.map((p) => p.phrase)))}: ${verdict}.`,
    themes: status === "fired" ? [...new Set(parts.map((p) => p.theme))] : [],
  };
}

/** Segment 3: plan not balanced and/or a material actual or forecast deficit (Annex A §9). */
export function materialDeficit(
  criteria: EligibilityCriteria,
  facts: OrganisationFacts,
): CriterionResult {
  const id = "segment_3.finance";
  const label = "Plan not balanced or material deficit";
  const position = roleMetric(facts, "financial_position");
  const variance = roleMetric(facts, "variance_to_plan");
  const parts: Part[] = [];
  if (position) {
    // An underlying deficit that is in the bottom quartile nationally: both must hold.
    const { value, head } = described(position, "financial_position");
    const e = against(position.current, position.metric.polarity, "bottom_quartile");
    const breakeven = criteria.finance.breakeven_at;
    const unit = position.metric.unit;
    let status: CriterionStatus;
    let phrase: string;
    if (value === null) {
      status = "not_assessable";
      phrase = head;
    } else if (value >= breakeven) {
      status = "not_fired";
      phrase = `${head}, at or above breakeven (${formatValue(breakeven, unit)})`;
    } else if (e.status !== "benchmarked" || e.cut_point === null) {
      status = "not_assessable";
      phrase = `${head}, a deficit that could not be benchmarked`;
    } else {
      const bottom = e.quartile === 4;
      status = bottom ? "fired" : "not_fired";
      phrase =
        `${head}, a deficit ${bottom ? "in" : "not in"} the bottom quartile ` +
        `(rank ${e.rank} of ${e.n} ${position.population.name}; cut-point ${formatValue(e.cut_point.value, unit)})`;
    }
    parts.push({ status, phrase, evidence: e, theme: position.metric.theme });
  }
  if (variance)
    parts.push(
      linePart(
        variance,
        "variance_to_plan",
        {
          name: "on_plan",
          value: criteria.finance.material_shortfall_at ?? criteria.finance.on_plan_at,
          words: "the material shortfall against plan",
        },
        true,
      ),
    );
  if (parts.length === 0) return noFinanceMetric(id, 3, label);
  const status = anyOf(parts.map((p) => p.status));
  const shown = status === "fired" ? parts.filter((p) => p.status === "fired") : parts;
  const verdict =
    status === "fired"
      ? "a material deficit or plan not met"
      : status === "not_fired"
        ? "neither a material deficit nor behind plan"
        : "not assessable";
  return {
    id,
    segment: 3,
    label,
    status,
    evidence: parts.map((p) => p.evidence),
    children: [],
    sentence: `${capitalise(listOf(shown.map((p) => p.phrase)))}: ${verdict}.`,
    themes: [...new Set(parts.filter((p) => p.status === "fired").map((p) => p.theme))],
  };
}

/** A share-of-income line in the metric's own unit; null when income is needed and missing. */
function shareLine(m: MetricFacts, share: number, income: MetricFacts | undefined): number | null {
  if (m.metric.unit === "percent_of_income") return share;
  const incomeValue =
    income?.current.evidence.period === m.current.evidence.period
      ? income?.current.evidence.value
      : null;
  return incomeValue === null || incomeValue === undefined || incomeValue <= 0
    ? null
    : (share * incomeValue) / 100;
}

/** Segment 4: a significant underlying deficit and/or significant gap to plan (Table 3). */
export function significantDeficit(
  criteria: EligibilityCriteria,
  facts: OrganisationFacts,
): CriterionResult {
  const id = "segment_4.significant_deficit";
  const label = "Significant deficit or gap to plan";
  const income = roleMetric(facts, "income");
  const parts: Part[] = [];
  const tests: Array<[Role, CutPointName, number, string]> = [
    [
      "financial_position",
      "significant_deficit",
      criteria.segment_4.significant_deficit_share_of_income,
      "the significant-deficit line",
    ],
    [
      "variance_to_plan",
      "significant_gap_to_plan",
      criteria.segment_4.significant_gap_to_plan_share_of_income,
      "the significant-gap line",
    ],
  ];
  for (const [role, name, share, words] of tests) {
    const m = roleMetric(facts, role);
    if (!m) continue;
    const line = shareLine(m, share, income);
    if (line === null) {
      parts.push({
        status: "not_assessable",
        phrase: `${described(m, role).head}, with no income for the period to set ${words} (${share}% of income)`,
        evidence: m.current.evidence,
        theme: m.metric.theme,
      });
      continue;
    }
    parts.push(linePart(m, role, { name, value: line, words: `${words}` }, true));
  }
  if (parts.length === 0) return noFinanceMetric(id, 4, label);
  const status = anyOf(parts.map((p) => p.status));
  const shown = status === "fired" ? parts.filter((p) => p.status === "fired") : parts;
  const verdict =
    status === "fired"
      ? "significant"
      : status === "not_fired"
        ? "not significant"
        : "not assessable";
  return {
    id,
    segment: 4,
    label,
    status,
    evidence: parts.map((p) => p.evidence),
    children: [],
    sentence: `${capitalise(listOf(shown.map((p) => p.phrase)))}: ${verdict}.`,
    themes: [...new Set(parts.filter((p) => p.status === "fired").map((p) => p.theme))],
  };
}
