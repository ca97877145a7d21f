/**
 * Three-valued (Kleene) logic for criteria over a few named facts (a CQC rating, the finance
 * position, the themes): not assessable when a fact it needs is missing and the others do not
 * decide. Criteria over many metrics decide on the metrics with data instead (themes.ts,
 * trends.ts): missing data never fires a concern, and never hides one that fired.
 */
import type { CriterionStatus } from "./types.js";

/** Not fired if any part is not fired; fired if every part is (and there is one); else not assessable. */
export function allOf(statuses: readonly CriterionStatus[]): CriterionStatus {
  if (statuses.includes("not_fired")) return "not_fired";
  if (statuses.length > 0 && statuses.every((s) => s === "fired")) return "fired";
  return "not_assessable";
}

/** Fired if any part is; not fired if every part is not (and there is one); else not assessable. */
export function anyOf(statuses: readonly CriterionStatus[]): CriterionStatus {
  if (statuses.includes("fired")) return "fired";
  if (statuses.length > 0 && statuses.every((s) => s === "not_fired")) return "not_fired";
  return "not_assessable";
}
