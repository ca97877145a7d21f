/**
 * What a signal means for the service: polarity turns a high or low signal into improvement or
 * concern, the last point gives the variation icon, and the target against the limits gives the
 * assurance icon (Making Data Count, as NHSRplotthedots draws them).
 */
import type { Polarity } from "../frameworks/schema.js";
import type { Direction } from "./rules.js";
import type { XmrLimits } from "./xmr.js";

/** The framework schema's polarity: one definition for the catalogue and the charts. */
export type { Polarity };

export type SpecialCause = "none" | "improvement" | "concern" | "neutral";

export type VariationIcon =
  | "common_cause"
  | "special_cause_improvement_high"
  | "special_cause_improvement_low"
  | "special_cause_concern_high"
  | "special_cause_concern_low"
  | "special_cause_neutral_high"
  | "special_cause_neutral_low";

export type AssuranceIcon = "consistently_passing" | "consistently_failing" | "hit_and_miss";

/** A high signal is improvement when higher is better, concern when lower is better. */
export function specialCauseOf(direction: Direction | null, polarity: Polarity): SpecialCause {
  if (direction === null) return "none";
  if (polarity === "neutral") return "neutral";
  const better: Direction = polarity === "higher_is_better" ? "high" : "low";
  return direction === better ? "improvement" : "concern";
}

/** The icon of one point; a series shows the icon of its last point. */
export function variationIcon(direction: Direction | null, polarity: Polarity): VariationIcon {
  const cause = specialCauseOf(direction, polarity);
  if (cause === "none" || direction === null) return "common_cause";
  return `special_cause_${cause}_${direction}`;
}

/**
 * Assurance compares the target with the process limits: when the target lies beyond the limit
 * on the failing side, all common-cause variation meets it (consistently passing); beyond the
 * limit on the passing side, none does (consistently failing); between the limits, or exactly on
 * one, the process will sometimes meet it and sometimes not (hit and miss). No icon without a
 * target, or when no direction is better.
 */
export function assuranceIcon(
  target: number | undefined,
  limits: Pick<XmrLimits, "lpl" | "upl">,
  polarity: Polarity,
): AssuranceIcon | null {
  if (target === undefined || polarity === "neutral") return null;
  const higherIsBetter = polarity === "higher_is_better";
  if (target > limits.upl) return higherIsBetter ? "consistently_failing" : "consistently_passing";
  if (target < limits.lpl) return higherIsBetter ? "consistently_passing" : "consistently_failing";
  return "hit_and_miss";
}
