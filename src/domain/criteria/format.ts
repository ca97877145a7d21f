/**
 * Numbers, periods and lists in explanation sentences. Deterministic on every machine: no
 * locale, no clock. The evidence keeps the exact values; sentences round them for reading.
 */
import type { FrameworkMetric, JudgementKind } from "../frameworks/schema.js";
import type { MetricFacts } from "./facts.js";
import type { CqcRating, MetricEvidence, Unit } from "./types.js";

export function fixed(value: number, digits: number): string {
  const text = value.toFixed(digits);
  // -0.04 rounds to "-0.0": there is no negative zero in a sentence. (The regular expression
  // only for negative values: this runs for every number of every sentence.)
  return text.charCodeAt(0) === 45 && /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

function grouped(integer: number): string {
  const text = String(Math.abs(Math.round(integer)));
  const withCommas = text.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return Math.round(integer) < 0 ? `-${withCommas}` : withCommas;
}

/** A value in its unit, e.g. "76.4%", "1.02", "7.2 minutes", "£12,345k". */
export function formatValue(value: number, unit: Unit): string {
  switch (unit) {
    case "percent":
      return `${fixed(value, 1)}%`;
    case "percent_of_income":
      return `${fixed(value, 1)}% of income`;
    case "count":
      return Number.isInteger(value) ? grouped(value) : fixed(value, 1);
    case "ratio":
      return fixed(value, 2);
    case "rate":
    case "score":
      return fixed(value, 1);
    case "days":
    case "minutes":
    case "weeks":
      return `${fixed(value, 1)} ${unit}`;
    case "gbp_thousands":
      return `£${grouped(value)}k`;
  }
}

/** A difference between two values of the unit, without its sign. */
export function formatDifference(difference: number, unit: Unit): string {
  const size = Math.abs(difference);
  if (unit === "percent" || unit === "percent_of_income") {
    return `${fixed(size, 1)} percentage point${fixed(size, 1) === "1.0" ? "" : "s"}`;
  }
  return formatValue(size, unit);
}

const MONTHS = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
] as const;

/** A period by its start date and the metric's frequency: "Mar 2019", "the quarter from Apr 2019". */
export function formatPeriod(period: string, frequency: FrameworkMetric["frequency"]): string {
  const month = MONTHS[Number(period.slice(5, 7)) - 1] ?? period.slice(5, 7);
  const monthYear = `${month} ${period.slice(0, 4)}`;
  switch (frequency) {
    case "monthly":
      return monthYear;
    case "quarterly":
      return `the quarter from ${monthYear}`;
    case "annual":
      return `the year from ${monthYear}`;
    case "ad_hoc":
      return period;
  }
}

/** "a", "a and b", "a, b and c". */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** A label inside a sentence: "Dramatic drop…" → "dramatic drop…", "CQC …" unchanged. */
export function inSentence(label: string): string {
  return /^[A-Z][a-z]/.test(label) ? `${label.charAt(0).toLowerCase()}${label.slice(1)}` : label;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

export function percentOf(share: number): string {
  return `${fixed(share * 100, share * 100 === Math.round(share * 100) ? 0 : 1)}%`;
}

const CQC_LABELS: Record<CqcRating, string> = {
  outstanding: "Outstanding",
  good: "Good",
  requires_improvement: "Requires improvement",
  inadequate: "Inadequate",
};

export function cqcLabel(rating: CqcRating | null): string {
  return rating === null ? "not rated" : `'${CQC_LABELS[rating]}'`;
}

export function cqcList(ratings: readonly CqcRating[]): string {
  return listOf(ratings.map((rating) => `'${CQC_LABELS[rating]}'`)).replace(
    / and ([^,]*)$/,
    " or $1",
  );
}

export const JUDGEMENT_LABELS: Record<JudgementKind, string> = {
  catastrophic_safety_failure: "catastrophic safety failure",
  catastrophic_leadership_failure: "catastrophic failure in leadership or governance",
  longstanding_issues: "longstanding or complex issues preventing agreed improvement",
  capability_to_improve: "capability and capacity to improve without support",
  mitigating_circumstances: "exceptional mitigating circumstances",
  licence_breach_evidence: "evidence of actual or suspected licence breach",
  cqc_recommendation: "CQC recommendation of intensive support",
  recovery_support_programme: "in the Recovery Support Programme",
};

const QUARTILE_NAMES = ["top", "second", "third", "bottom"] as const;

/** One metric's position in a period, as a sentence with its numbers. */
export function positionSentence(e: MetricEvidence, m: MetricFacts): string {
  const { metric, population } = m;
  const name = metric.name;
  if (e.period === null) return `${name}: no organisation has reported it: not assessed.`;
  const when = formatPeriod(e.period, metric.frequency);
  if (e.value === null) return `${name}: no value for ${when}: not assessed.`;
  const value = formatValue(e.value, metric.unit);
  const standard =
    e.standard === null
      ? ""
      : e.standard.met
        ? ` Standard ${formatValue(e.standard.value, metric.unit)}: met.`
        : ` Standard ${formatValue(e.standard.value, metric.unit)}: not met, ` +
          `${formatDifference(e.standard.gap, metric.unit)} short.`;
  switch (e.status) {
    case "not_benchmarkable":
      return (
        `${name}: ${value} in ${when}, but only ${plural(e.n, "organisation")} reported ` +
        `${population.name}, fewer than the ${m.min_population} needed: not benchmarkable.${standard}`
      );
    case "not_ranked":
      return `${name}: ${value} in ${when}; neutral polarity, so reported but not ranked (${e.n} reported ${population.name}).`;
    case "not_assessed":
      return `${name}: no value for ${when}: not assessed.`;
    case "benchmarked": {
      const quartile = QUARTILE_NAMES[(e.quartile ?? 1) - 1] ?? "";
      const decile = e.decile === 1 ? ", top decile" : e.decile === 10 ? ", bottom decile" : "";
      const cut = e.cut_point
        ? ` (${cutPointPhrase(e.cut_point.name)} ${formatValue(e.cut_point.value, metric.unit)})`
        : "";
      return (
        `${name}: ${value} in ${when}, rank ${e.rank} of ${e.n} ${population.name}, ` +
        `${quartile} quartile${decile}${cut}.${standard}`
      );
    }
  }
}

export function cutPointPhrase(name: NonNullable<MetricEvidence["cut_point"]>["name"]): string {
  switch (name) {
    case "top_quartile":
      return "top-quartile cut-point";
    case "bottom_quartile":
      return "bottom-quartile cut-point";
    case "bottom_decile":
      return "bottom-decile cut-point";
    case "breakeven":
      return "breakeven line";
    case "on_plan":
      return "plan line";
    case "significant_deficit":
      return "significant-deficit line";
    case "significant_gap_to_plan":
      return "significant-gap line";
  }
}
