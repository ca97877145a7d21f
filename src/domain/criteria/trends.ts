/**
 * Segment 3's "a dramatic drop in performance, or sustained very poor (bottom decile)
 * performance in one or more areas" (docs/domain.md §5; NHS OF 2022/23 Table 3 and Annex A §9),
 * as two criteria over every applicable metric with a polarity:
 * - dramatic drop: a deterioration both statistically special and material — a Making Data
 *   Count special cause of concern (one of the framework's `rules`) on any of the series' last
 *   `recent_points` points, the series reaching the current period and having at least
 *   `min_points` points, AND the latest value at least `min_quartile_move` national quartile
 *   widths worse than the series' own mean (`quartileMove`); identical series
 *   (e.g. A&E all types and type 1 where a trust has only type 1) are counted once;
 * - sustained bottom decile: in the bottom decile in each of the population's last
 *   `sustained_bottom_decile_periods` periods.
 * Each decides on the metrics with data: fired if any metric fires, not fired if at least one
 * could be tested, and lists the metrics it could not test. Only the metrics that fire get a
 * node of their own; the rest are the criterion's evidence.
 */
import type { EligibilityCriteria, FrameworkMetric, Polarity } from "../frameworks/schema.js";
import { specialCauseOf } from "../spc/icons.js";
import type { RuleName, SeriesSignals, SpcInputPoint } from "../spc/index.js";
import { directionOfFlags, ruleMask, RULE_PRECEDENCE, rulesOfFlags } from "../spc/rules.js";
import { against } from "./evidence.js";
import type { MetricFacts, PeriodPosition, SpcFacts } from "./facts.js";
import { cutPointPhrase, fixed, formatPeriod, formatValue, listOf, plural } from "./format.js";
import { allOf } from "./logic.js";
import { NO_MEMO, type Memo } from "./memo.js";
import type {
  CriterionResult,
  CriterionStatus,
  ExplanationNode,
  MetricEvidence,
  SpcEvidence,
  SpcSignalPoint,
} from "./types.js";

const RULE_PHRASES: Record<RuleName, (lengths: { run: number; trend: number }) => string> = {
  outside_limits: () => "a point beyond the process limit",
  trend: ({ trend }) => `a trend of ${trend} or more points getting worse`,
  two_of_three: () => "two of three points near the process limit",
  run: ({ run }) => `a run of ${run} or more points on the worse side of the mean`,
};

/** The evidence of a series that could not be tested. */
function untestedEvidence(metric: FrameworkMetric, reason: string, points: number): SpcEvidence {
  return {
    type: "spc",
    metric_id: metric.id,
    not_assessable_reason: reason,
    points_in_series: points,
    recent_periods: [],
    latest: null,
    mean: null,
    lpl: null,
    upl: null,
    variation_icon: null,
    rules: [],
    signal_points: [],
  };
}

/** A special cause of concern flagged by one of the allowed rules (`allowedMask`, `ruleMask`). */
function isConcernSignal(byte: number, allowedMask: number, polarity: Polarity): boolean {
  return (
    (byte & allowedMask) !== 0 && specialCauseOf(directionOfFlags(byte), polarity) === "concern"
  );
}

/**
 * The SPC evidence of one analysed series for the dramatic-drop test: a special cause of concern
 * (by one of the `allowed` rules) on any of the last `recentPoints` points, and the stretch of
 * signal points that reaches them. `signals` is the series' analysis (`seriesSignals` of the
 * points' values), read point by point from its rule flags.
 */
export function dramaticDropEvidence(
  metric: FrameworkMetric,
  points: readonly SpcInputPoint[],
  signals: SeriesSignals,
  recentPoints: number,
  allowed: ReadonlySet<RuleName>,
): SpcEvidence {
  const { flags } = signals;
  const allowedMask = ruleMask(allowed);
  const isSignal = (i: number): boolean =>
    isConcernSignal(flags[i] ?? 0, allowedMask, metric.polarity);
  const firstRecent = Math.max(0, points.length - recentPoints);
  let firstSignal = -1;
  let lastSignal = -1;
  for (let i = firstRecent; i < points.length; i++) {
    if (!isSignal(i)) continue;
    if (firstSignal === -1) firstSignal = i;
    lastSignal = i;
  }
  const signal: SpcSignalPoint[] = [];
  if (firstSignal !== -1) {
    // The points that fired it: the stretch of signal points that reaches the recent window.
    let start = firstSignal;
    while (start > 0 && isSignal(start - 1)) start--;
    for (let i = start; i <= lastSignal; i++) {
      const point = points[i];
      if (point === undefined || !isSignal(i)) continue;
      signal.push({
        period: point.period,
        value: point.value,
        rules: rulesOfFlags((flags[i] ?? 0) & allowedMask),
      });
    }
  }
  const fired = new Set<RuleName>();
  for (const point of signal) for (const rule of point.rules) fired.add(rule);
  const recentPeriods: string[] = [];
  for (let i = firstRecent; i < points.length; i++) {
    recentPeriods.push((points[i] as SpcInputPoint).period);
  }
  return {
    type: "spc",
    metric_id: metric.id,
    not_assessable_reason: null,
    points_in_series: points.length,
    recent_periods: recentPeriods,
    latest: points[points.length - 1]?.value ?? null,
    mean: signals.mean,
    lpl: signals.lpl,
    upl: signals.upl,
    variation_icon: signals.variation_icon,
    rules: fired.size === 0 ? [] : RULE_PRECEDENCE.filter((rule) => fired.has(rule)),
    signal_points: signal,
  };
}

/** The node of a series with a special cause of concern in its recent points. */
function signalNode(
  m: MetricFacts,
  e: SpcEvidence,
  params: EligibilityCriteria["segment_3"]["dramatic_drop"],
  move: number | null,
): ExplanationNode {
  const { metric } = m;
  const at = (period: string): string => formatPeriod(period, metric.frequency);
  const fmt = (value: number | null): string =>
    value === null ? "none" : formatValue(value, metric.unit);
  const first = e.signal_points[0] as SpcSignalPoint;
  const last = e.signal_points[e.signal_points.length - 1] as SpcSignalPoint;
  const lengths = { run: params.run_length, trend: params.trend_length };
  const rules = listOf(e.rules.map((rule) => RULE_PHRASES[rule](lengths)));
  const span =
    e.signal_points.length === 1
      ? `${at(first.period)}: ${fmt(first.value)}`
      : `${plural(e.signal_points.length, "point")} from ${at(first.period)} (${fmt(first.value)}) to ${at(last.period)} (${fmt(last.value)})`;
  return {
    id: `segment_3.dramatic_drop/${metric.id}`,
    label: metric.name,
    status: "fired",
    sentence:
      `${metric.name}: special cause of concern — ${rules} (${span}; mean ${fmt(e.mean)}, ` +
      `process limits ${fmt(e.lpl)} to ${fmt(e.upl)})` +
      (move === null || params.min_quartile_move === 0
        ? "."
        : `; the latest value is ${fixed(move, 1)} national quartile widths worse than the series' mean.`),
    evidence: [e],
    children: [],
  };
}

/**
 * How far the latest value sits worse than the series' own mean, in national quartile widths:
 * the move in the concern direction over the mean width of a quartile band (half the current
 * period's interquartile range). A move of 1 is the size of one national quartile wherever the
 * trust starts — a trust already in the bottom quartile can still drop dramatically. Null when
 * the period is not benchmarked or the national spread is nil.
 */
export function quartileMove(m: MetricFacts, e: SpcEvidence): number | null {
  const cuts = m.current.cut_points;
  if (cuts === null || e.mean === null || e.latest === null) return null;
  const width = (cuts.quartiles[2] - cuts.quartiles[0]) / 2;
  if (!(width > 0)) return null;
  const worse = m.metric.polarity === "higher_is_better" ? e.mean - e.latest : e.latest - e.mean;
  return worse / width;
}

/** Series with the same points give the same analysis: counted once (requirements §12). */
function seriesKey(e: SpcEvidence): string {
  return `${e.points_in_series}|${e.mean}|${e.lpl}|${e.upl}|${e.latest}|${e.recent_periods.join()}`;
}

/** Over the organisation's metrics with a polarity (`judged`). */
export function dramaticDrop(
  criteria: EligibilityCriteria,
  judged: readonly MetricFacts[],
): CriterionResult {
  const params = criteria.segment_3.dramatic_drop;
  const children: ExplanationNode[] = [];
  const evidence: SpcEvidence[] = [];
  const themes = new Set<string>();
  const seen = new Set<string>();
  let quiet = 0;
  let immaterial = 0;
  let untested = 0;
  for (const m of judged) {
    const spc = m.spc as SpcFacts;
    const e =
      spc.status === "analysed" ? spc.evidence : untestedEvidence(m.metric, spc.reason, spc.points);
    if (e.not_assessable_reason === null) {
      const key = seriesKey(e);
      if (seen.has(key)) continue;
      seen.add(key);
    }
    if (e.signal_points.length > 0) {
      const move = quartileMove(m, e);
      if (params.min_quartile_move === 0 || (move !== null && move >= params.min_quartile_move)) {
        children.push(signalNode(m, e, params, move));
        themes.add(m.metric.theme);
        continue;
      }
      immaterial++;
    }
    evidence.push(e);
    if (e.not_assessable_reason === null) quiet++;
    else untested++;
  }
  const recent =
    params.recent_points === 1 ? "latest point" : `last ${plural(params.recent_points, "point")}`;
  const untestedText =
    untested > 0
      ? ` ${plural(untested, "series", "series")} could not be tested (too short, or not reaching the latest period).`
      : "";
  const immaterialText =
    immaterial > 0
      ? ` ${plural(immaterial, "special cause", "special causes")} of concern left the latest value less than ${plural(params.min_quartile_move, "national quartile width")} worse than the series' mean: not material.`
      : "";
  const status = children.length > 0 ? "fired" : quiet > 0 ? "not_fired" : "not_assessable";
  const sentence =
    status === "fired"
      ? `Material special cause of concern in the ${recent} of ${listOf(children.map((c) => c.label))}; ` +
        `none in ${plural(quiet, "other series", "other series")}.${immaterialText}${untestedText}`
      : status === "not_fired"
        ? `No material special cause of concern in the ${recent} of any of the ` +
          `${plural(quiet, "distinct series", "distinct series")} analysed.${immaterialText}${untestedText}`
        : `No series has the ${params.min_points} points, reaching the latest period, that the test needs: not assessable.`;
  return {
    id: "segment_3.dramatic_drop",
    segment: 3,
    label: "Dramatic drop in performance",
    status,
    sentence,
    themes: [...themes],
    evidence,
    children,
  };
}

/** One metric's part in the sustained-bottom-decile test: its node if it fired, else its evidence. */
interface DecileVerdict {
  status: CriterionStatus;
  node: ExplanationNode | null;
  evidence: MetricEvidence | null;
}

function decileVerdict(m: MetricFacts, periods: number): DecileVerdict {
  const positions = m.periods;
  const verdicts: CriterionStatus[] = positions.map(({ evidence: e }) =>
    e.status !== "benchmarked" ? "not_assessable" : e.decile === 10 ? "fired" : "not_fired",
  );
  const status = positions.length < periods ? "not_assessable" : allOf(verdicts);
  if (status === "fired") return { status, node: bottomDecileNode(m, periods), evidence: null };
  // The latest period that breaks the run is the evidence it is not sustained.
  const evidence =
    status === "not_fired"
      ? (positions[verdicts.lastIndexOf("not_fired")] as PeriodPosition).evidence
      : m.current.evidence;
  return { status, node: null, evidence };
}

/** Over the organisation's metrics with a polarity (`judged`). */
export function sustainedBottomDecile(
  criteria: EligibilityCriteria,
  metrics: readonly MetricFacts[],
  memo: Memo = NO_MEMO,
): CriterionResult {
  const periods = criteria.segment_3.sustained_bottom_decile_periods;
  const children: ExplanationNode[] = [];
  const firing: FrameworkMetric[] = [];
  const evidence: MetricEvidence[] = [];
  let clear = 0;
  let untested = 0;
  // Each metric's part reads only its own facts: remembered metric by metric.
  const verdicts = memo.map("segment_3.sustained_bottom_decile", metrics, (m) =>
    decileVerdict(m, periods),
  );
  for (let i = 0; i < metrics.length; i++) {
    const verdict = verdicts[i] as DecileVerdict;
    if (verdict.node !== null) {
      children.push(verdict.node);
      firing.push((metrics[i] as MetricFacts).metric);
    } else if (verdict.status === "not_fired") {
      evidence.push(verdict.evidence as MetricEvidence);
      clear++;
    } else {
      evidence.push(verdict.evidence as MetricEvidence);
      untested++;
    }
  }
  // The sentence states the fired metrics and counts: remembered by them while the evidence of
  // the metrics not in the bottom decile moves.
  const text = memo.get(
    "segment_3.sustained_bottom_decile/text",
    [clear, untested, ...children],
    () => decileText(periods, children, firing, clear, untested),
  );
  return {
    id: "segment_3.sustained_bottom_decile",
    segment: 3,
    label: "Sustained very poor performance (bottom decile)",
    status: text.status,
    sentence: text.sentence,
    themes: text.themes,
    evidence,
    children,
  };
}

function decileText(
  periods: number,
  children: readonly ExplanationNode[],
  firing: readonly FrameworkMetric[],
  clear: number,
  untested: number,
): { status: CriterionStatus; sentence: string; themes: string[] } {
  const running = `${plural(periods, "period")} running`;
  const untestedText =
    untested > 0
      ? ` ${plural(untested, "metric")} could not be tested (no benchmarked value in one of the last ${plural(periods, "period")}).`
      : "";
  const status = children.length > 0 ? "fired" : clear > 0 ? "not_fired" : "not_assessable";
  const sentence =
    status === "fired"
      ? `Bottom decile for ${running} in ${listOf(children.map((c) => c.label))}; ` +
        `not in ${plural(clear, "other metric")}.${untestedText}`
      : status === "not_fired"
        ? `None of the ${plural(clear, "metric")} tested was in the bottom decile for ${running}.${untestedText}`
        : `No metric has ${plural(periods, "benchmarked period")} to test: not assessable.`;
  return { status, sentence, themes: [...new Set(firing.map((m) => m.theme))] };
}

function bottomDecileNode(m: MetricFacts, periods: number): ExplanationNode {
  const { metric } = m;
  const evidence = m.periods.map((p) => against(p, metric.polarity, "bottom_decile"));
  const first = evidence[0] as MetricEvidence;
  const latest = evidence[evidence.length - 1] as MetricEvidence;
  const at = (e: MetricEvidence): string => formatPeriod(e.period as string, metric.frequency);
  const cut = latest.cut_point;
  return {
    id: `segment_3.sustained_bottom_decile/${metric.id}`,
    label: metric.name,
    status: "fired",
    sentence:
      `${metric.name}: bottom decile in each of the last ${plural(periods, "period")} ` +
      `(${at(first)} to ${at(latest)}): latest ${formatValue(latest.value as number, metric.unit)}, ` +
      `rank ${latest.rank} of ${latest.n} ${m.population.name}` +
      `${cut ? `, beyond the ${cutPointPhrase(cut.name)} ${formatValue(cut.value, metric.unit)}` : ""}.`,
    evidence,
    children: [],
  };
}
