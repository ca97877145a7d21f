/**
 * requirements §19: a framework metric made from a measure's observations for one quarter, as the
 * framework's `statistics.derivations` state (frameworks/nof-2025.yaml), and compared with the
 * values NHS England published. Pure: observations and published values in, figures out.
 */
import type { DerivationPeriod } from "../frameworks/statistics-schema.js";
import { addMonths, endOfMonth, type CalendarDate } from "../shared/dates.js";

export interface MeasureObservation {
  org_code: string;
  period_start: CalendarDate;
  period_end: CalendarDate;
  value: number;
  numerator: number | null;
  denominator: number | null;
}

export interface DerivedValue {
  /** Rounded to the published precision. */
  value: number;
  /** Before rounding: what a rank is taken from, as NHS England ranks unrounded values. */
  exact: number;
  /** The periods it is made from (`start…end`), for the reader to check. */
  periods: string[];
}

const rounded = (value: number, decimals: number) => {
  const unit = 10 ** decimals;
  return Math.round(value * unit) / unit;
};

function byOrg(observations: readonly MeasureObservation[]): Map<string, MeasureObservation[]> {
  const map = new Map<string, MeasureObservation[]>();
  for (const o of observations) map.set(o.org_code, [...(map.get(o.org_code) ?? []), o]);
  return map;
}

/**
 * Each organisation's value for the quarter starting `quarterStart`: `quarter_months` is
 * Σ numerator ÷ Σ denominator (× scale) over the quarter's monthly observations; the others take
 * one observation's value. Rounded to the published precision.
 */
export function deriveQuarter(
  period: DerivationPeriod,
  quarterStart: CalendarDate,
  scale: number,
  decimals: number,
  observations: readonly MeasureObservation[],
): Map<string, DerivedValue> {
  const months = [0, 1, 2].map((k) => addMonths(quarterStart, k));
  const isMonth = (o: MeasureObservation, start: CalendarDate) =>
    o.period_start === start && o.period_end === endOfMonth(start);
  const derived = new Map<string, DerivedValue>();
  for (const [org, series] of byOrg(observations)) {
    const label = (o: MeasureObservation) => `${o.period_start}…${o.period_end}`;
    if (period === "quarter_months") {
      const inQuarter = series.filter(
        (o) => months.some((m) => isMonth(o, m)) && o.numerator !== null && o.denominator !== null,
      );
      const denominator = inQuarter.reduce((n, o) => n + o.denominator!, 0);
      if (denominator > 0) {
        const numerator = inQuarter.reduce((n, o) => n + o.numerator!, 0);
        const exact = (scale * numerator) / denominator;
        derived.set(org, {
          value: rounded(exact, decimals),
          exact,
          periods: inQuarter.map(label).sort(),
        });
      }
    } else if (period === "quarter_last_month") {
      const last = series.find((o) => isMonth(o, months[2]!));
      if (last)
        derived.set(org, {
          value: rounded(last.value, decimals),
          exact: last.value,
          periods: [label(last)],
        });
    } else {
      const latest = series
        .filter((o) => o.period_end < quarterStart)
        .sort((a, b) => b.period_end.localeCompare(a.period_end))[0];
      if (latest)
        derived.set(org, {
          value: rounded(latest.value, decimals),
          exact: latest.value,
          periods: [label(latest)],
        });
    }
  }
  return derived;
}

export interface Disagreement {
  trust_code: string;
  ours: number;
  published: number;
}

export interface MetricAgreement {
  /** Trusts with a published value and ours. */
  compared: number;
  /** Of those, within `tolerance` of the published value. */
  agreed: number;
  /** One unit of the published value's last decimal place. */
  tolerance: number;
  disagreements: Disagreement[];
  /** Trusts with a published value that the imported statistics do not give (not in them, or not in the registry). */
  not_derived: string[];
  /** Why nothing could be compared, or what the figures rest on. */
  reason?: string;
  /** The metric's score made from our values by the framework's rule, beside the published score. */
  score?: ScoreAgreement;
}

export interface ScoreAgreement {
  id: string;
  compared: number;
  agreed: number;
  tolerance: number;
  disagreements: Disagreement[];
}

/** Our scores beside the published ones (both to 2 dp), trust by trust. */
export function compareScores(
  id: string,
  ours: ReadonlyMap<string, number>,
  published: ReadonlyMap<string, number>,
  tolerance: number,
): ScoreAgreement {
  const result: ScoreAgreement = { id, compared: 0, agreed: 0, tolerance, disagreements: [] };
  for (const code of [...published.keys()].sort()) {
    const mine = ours.get(code);
    if (mine === undefined) continue;
    const value = published.get(code)!;
    result.compared++;
    if (Math.abs(mine - value) <= tolerance + 1e-9) result.agreed++;
    else
      result.disagreements.push({
        trust_code: code,
        ours: Math.round(mine * 100) / 100,
        published: value,
      });
  }
  return result;
}

/** Ours beside the published values, trust by trust, in trust code order. */
export function compareWithPublished(
  ours: ReadonlyMap<string, DerivedValue>,
  published: ReadonlyMap<string, number>,
  decimals: number,
): MetricAgreement {
  const tolerance = 1 / 10 ** decimals;
  const result: MetricAgreement = {
    compared: 0,
    agreed: 0,
    tolerance,
    disagreements: [],
    not_derived: [],
  };
  for (const code of [...published.keys()].sort()) {
    const value = published.get(code)!;
    const mine = ours.get(code);
    if (!mine) {
      result.not_derived.push(code);
      continue;
    }
    result.compared++;
    // Within one unit of the last published decimal: the published value is itself rounded.
    if (Math.abs(mine.value - value) <= tolerance + 1e-9) result.agreed++;
    else result.disagreements.push({ trust_code: code, ours: mine.value, published: value });
  }
  return result;
}
