/**
 * Shared pieces of the explanation tree: the cut-point a quartile or decile test compares with,
 * a metric's position as a node, and judgement records as evidence.
 */
import type { CutPoints } from "../benchmarking/index.js";
import type { Polarity } from "../frameworks/schema.js";
import type { JudgementInput, MetricFacts, PeriodPosition } from "./facts.js";
import { positionSentence } from "./format.js";
import type {
  CriterionStatus,
  ExplanationNode,
  JudgementEvidence,
  MetricEvidence,
} from "./types.js";

export type QuantileLine = "top_quartile" | "bottom_quartile" | "bottom_decile";

/**
 * The value of a quantile line on the metric's scale: where the best quarter starts (75th
 * percentile when higher is better, 25th when lower is better), where the worst quarter starts,
 * and where the worst tenth starts.
 */
export function quantileLineValue(
  cutPoints: CutPoints | null,
  polarity: Polarity,
  line: QuantileLine,
): number | null {
  if (cutPoints === null || polarity === "neutral") return null;
  const higher = polarity === "higher_is_better";
  const { quartiles, deciles } = cutPoints;
  switch (line) {
    case "top_quartile":
      return higher ? quartiles[2] : quartiles[0];
    case "bottom_quartile":
      return higher ? quartiles[0] : quartiles[2];
    case "bottom_decile":
      return (higher ? deciles[0] : deciles[deciles.length - 1]) ?? null;
  }
}

/** The position's evidence with the line the criterion compared it with. */
export function against(
  position: PeriodPosition,
  polarity: Polarity,
  line: QuantileLine,
): MetricEvidence {
  const e = position.evidence;
  const value =
    e.status === "benchmarked" ? quantileLineValue(position.cut_points, polarity, line) : null;
  return { ...e, cut_point: value === null ? null : { name: line, value } };
}

/** A metric's position as a node: fired when `fires` says its position meets the test. */
export function positionNode(
  id: string,
  e: MetricEvidence,
  m: MetricFacts,
  fires: (e: MetricEvidence) => boolean,
): ExplanationNode {
  const status: CriterionStatus =
    e.status !== "benchmarked" ? "not_assessable" : fires(e) ? "fired" : "not_fired";
  return {
    id,
    label: m.metric.name,
    status,
    sentence: positionSentence(e, m),
    evidence: [e],
    children: [],
  };
}

export function judgementEvidence(j: JudgementInput): JudgementEvidence {
  return {
    type: "judgement",
    id: j.id ?? null,
    kind: j.kind,
    recorded_by: j.recorded_by,
    recorded_on: j.recorded_on,
    summary: j.summary,
    theme: j.theme ?? null,
  };
}
