/**
 * A metric's standard (e.g. the NHS Constitution's 95% within 4 hours): met or not, and the gap.
 * The standard and its value are framework data; polarity says which side meets it.
 */
import type { FrameworkMetric } from "../frameworks/schema.js";

export interface StandardResult {
  value: number;
  /** At or above the standard when higher is better, at or below when lower is better. */
  met: boolean;
  /** value − standard, in the metric's unit: negative is short when higher is better. */
  gap: number;
}

/** Null when the metric has no standard, or its polarity is neutral (no side meets it). */
export function againstStandard(
  metric: Pick<FrameworkMetric, "polarity" | "standard">,
  value: number,
): StandardResult | null {
  const standard = metric.standard;
  if (standard === undefined || metric.polarity === "neutral") return null;
  const met =
    metric.polarity === "higher_is_better" ? value >= standard.value : value <= standard.value;
  return {
    value: standard.value,
    met,
    gap: value - standard.value,
  };
}
