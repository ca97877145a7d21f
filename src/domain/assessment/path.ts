/**
 * The path to a segment (docs/domain.md §5, seed 003: "what would have to change to move segment"): for
 * an assessment and a target segment, the criteria that must stop or start firing and, per
 * metric, the value needed at today's cut-points ("A&E 4-hour waits must reach 76.4%, the current
 * top-quartile cut-point, from 71.2%"). Read from the assessment's own evidence and the
 * framework's parameters, so any stored assessment can be asked for any path.
 *
 * Today's cut-points are held fixed: the organisation's own change moves them a little, and the
 * path says "at today's cut-points". An SPC signal cannot be undone by one value: the path gives
 * today's mean as the line the next points must keep to on the better side.
 */
import { CQC_RATINGS_BEST_FIRST } from "../criteria/cqc.js";
import { quantileLineValue, type QuantileLine } from "../criteria/evidence.js";
import {
  formatPeriod,
  formatValue,
  listOf,
  JUDGEMENT_LABELS,
  cqcList,
  plural,
} from "../criteria/format.js";
import { eligibilityCriteriaOf } from "../criteria/proposal.js";
import { NO_MEMO, type Memo } from "../criteria/memo.js";
import { countForShare } from "../criteria/themes.js";
import type {
  CqcEvidence,
  CqcRating,
  CriterionResult,
  ExplanationNode,
  JudgementEvidence,
  MetricEvidence,
  Segment,
} from "../criteria/types.js";
import type {
  EligibilityCriteria,
  Framework,
  FrameworkMetric,
  JudgementKind,
} from "../frameworks/schema.js";
import type {
  Assessment,
  MetricSummary,
  PathNode,
  PathTarget,
  PathToSegment,
  TargetComparison,
} from "./types.js";

type Change = "start" | "stop";
type MetricLine = Extract<PathTarget, { type: "metric" }>["line"];

const LINE_WORDS: Record<MetricLine, string> = {
  top_quartile: "the current top-quartile cut-point",
  bottom_quartile: "the current bottom-quartile cut-point",
  bottom_decile: "the current bottom-decile cut-point",
  breakeven: "breakeven",
  on_plan: "the plan line",
  significant_deficit: "the significant-deficit line",
  significant_gap_to_plan: "the significant-gap line",
  spc_mean: "today's mean",
  spc_limit: "today's process limit",
};

interface Context {
  framework: Framework;
  criteria: EligibilityCriteria;
  metrics: Map<string, FrameworkMetric>;
  /** The assessment's current position of each metric, with its cut-points. */
  summaries: readonly MetricSummary[];
  /**
   * Steps remembered by what they read: the criterion's result and, for steps with quantile
   * targets, the metric summaries whose cut-points they cite.
   */
  memo: Memo;
}

/** The framework's metrics by id, built once per framework rather than once per path. */
const metricsByFramework = new WeakMap<Framework, Map<string, FrameworkMetric>>();

function metricsOf(framework: Framework): Map<string, FrameworkMetric> {
  let metrics = metricsByFramework.get(framework);
  if (!metrics) {
    metrics = new Map(framework.metrics.map((m) => [m.id, m]));
    metricsByFramework.set(framework, metrics);
  }
  return metrics;
}

function node(
  criterion: PathNode["criterion"],
  sentence: string,
  needed: number,
  children: PathNode[],
  targets: PathTarget[] = [],
): PathNode {
  return { criterion, sentence, needed, children, targets };
}

type Located = Pick<MetricEvidence, "metric_id" | "period" | "value">;

function metricOf(ctx: Context, metricId: string): FrameworkMetric {
  const metric = ctx.metrics.get(metricId);
  if (!metric)
    throw new RangeError(`the assessment names metric ${metricId}, not in ${ctx.framework.id}`);
  return metric;
}

/** How a target's sentence says the value must move to the line. */
const TARGET_VERBS: Record<TargetComparison, string> = {
  at_least: "must reach",
  at_most: "must come down to",
  below: "would have to fall below",
  above: "would have to rise above",
};

function metricTarget(
  ctx: Context,
  e: Located,
  needed: number,
  comparison: TargetComparison,
  line: MetricLine,
  suffix = "",
): PathTarget {
  const metric = metricOf(ctx, e.metric_id);
  const from = e.value === null ? "(no value now)" : `from ${formatValue(e.value, metric.unit)}`;
  const words = `${formatValue(needed, metric.unit)}, ${LINE_WORDS[line]}${suffix}`;
  const when = e.period === null ? "" : ` (${formatPeriod(e.period, metric.frequency)})`;
  return {
    type: "metric",
    metric_id: metric.id,
    metric_name: metric.name,
    theme: metric.theme,
    unit: metric.unit,
    period: e.period,
    current_value: e.value,
    needed_value: needed,
    comparison,
    line,
    sentence: `${metric.name} ${TARGET_VERBS[comparison]} ${words}, ${from}${when}.`,
  };
}

/** Better side of a line: at least (higher is better) or at most; worse side: below or above. */
function towards(ctx: Context, metricId: string, better: boolean): TargetComparison {
  const higher = metricOf(ctx, metricId).polarity !== "lower_is_better";
  if (better) return higher ? "at_least" : "at_most";
  return higher ? "below" : "above";
}

/**
 * A quantile line at today's cut-points, as a target on its better or worse side. It reads only
 * the metric's summary: remembered by it, as a theme's other metrics move.
 */
function quantileTarget(
  ctx: Context,
  metricId: string,
  line: QuantileLine,
  better: boolean,
): PathTarget | null {
  // A scan, not a map by id: a re-assessment derives a target or two, mostly none.
  const summary = ctx.summaries.find((m) => m.metric_id === metricId);
  if (!summary) return null;
  return ctx.memo.getOne(
    TARGET_SLOTS[line][better ? 1 : 0],
    summary,
    () => quantileTargetOf(ctx, summary, line, better),
    metricOf(ctx, metricId),
  );
}

// Memo slot names made once: a name built afresh at every lookup is hashed afresh every time,
// and lookups run for every metric of every organisation re-assessed.
const TARGET_SLOTS: Record<QuantileLine, readonly [string, string]> = {
  top_quartile: ["target/top_quartile/false", "target/top_quartile/true"],
  bottom_quartile: ["target/bottom_quartile/false", "target/bottom_quartile/true"],
  bottom_decile: ["target/bottom_decile/false", "target/bottom_decile/true"],
};
/** Slots split by theme (`of`: the theme id), for the top- and bottom-quartile theme criteria. */
const THEME_STEP_SLOTS = {
  top: { start: "path/top_quartile_theme/start", stop: "path/top_quartile_theme/stop" },
  bottom: { start: "path/bottom_quartile_theme/start", stop: "path/bottom_quartile_theme/stop" },
} as const;
const BOTTOM_DECILE_STOP_SLOT = "path/sustained_bottom_decile/stop";
/** Slots split by criterion (`of`: the criterion id). */
const STEP_SLOTS = { start: "path/criterion/start", stop: "path/criterion/stop" } as const;

function quantileTargetOf(
  ctx: Context,
  summary: MetricSummary,
  line: QuantileLine,
  better: boolean,
): PathTarget | null {
  const metricId = summary.metric_id;
  if (summary.status !== "benchmarked") return null;
  const value = quantileLineValue(summary.cut_points, summary.polarity, line);
  if (value === null) return null;
  return metricTarget(ctx, summary, value, towards(ctx, metricId, better), line);
}

function metricEvidence(n: ExplanationNode): MetricEvidence[] {
  return n.evidence.filter((e): e is MetricEvidence => e.type === "metric");
}

function dataTarget(ctx: Context, e: Located): PathTarget {
  const metric = metricOf(ctx, e.metric_id);
  return {
    type: "data",
    metric_id: metric.id,
    metric_name: metric.name,
    theme: metric.theme,
    sentence: `${metric.name} must be reported and benchmarked.`,
  };
}

interface ThemeTest {
  top: boolean;
  share: number;
  line: QuantileLine;
  quartile: number;
  word: string;
}

/** One theme's step in a quartile-across-themes criterion; null when the theme need not change. */
function themeStepOf(
  ctx: Context,
  theme: ExplanationNode,
  evidence: MetricEvidence[],
  change: Change,
  { top, share, line, quartile, word }: ThemeTest,
): PathNode | null {
  const assessed = evidence.filter((e) => e.status === "benchmarked");
  const inside = assessed.filter((e) => e.quartile === quartile);
  const outside = assessed.filter((e) => e.quartile !== quartile);
  const needed = countForShare(share, assessed.length);
  if (theme.status === "not_assessable") {
    // A theme with no data can only join the test by reporting it.
    if (change !== "start") return null;
    const targets = evidence.map((e) => dataTarget(ctx, e));
    return node(
      null,
      `${theme.label}: a metric must be benchmarked before the theme can count.`,
      1,
      [],
      targets,
    );
  }
  const joining = change === "start";
  if (joining === (theme.status === "fired")) return null;
  if (joining) {
    // Bring metrics into the quartile: up to the top line, or down past the bottom line.
    const more = needed - inside.length;
    const targets = outside
      .map((e) => quantileTarget(ctx, e.metric_id, line, top))
      .filter((t): t is PathTarget => t !== null);
    return node(
      null,
      `${theme.label}: ${plural(more, "more metric")} of these ${targets.length} ${top ? "must reach" : "would have to fall into"} the ${word} quartile (${inside.length} of ${assessed.length} now; ${needed} needed).`,
      Math.min(more, targets.length),
      [],
      targets,
    );
  }
  // Take metrics out of the quartile until fewer than the share remain.
  const fewer = inside.length - needed + 1;
  const targets = inside
    .map((e) => quantileTarget(ctx, e.metric_id, line, !top))
    .filter((t): t is PathTarget => t !== null);
  return node(
    null,
    `${theme.label}: ${plural(fewer, "metric")} of these ${targets.length} ${top ? "would have to fall out of" : "must leave"} the ${word} quartile (${inside.length} of ${assessed.length} now; fewer than ${needed} needed).`,
    Math.min(fewer, targets.length),
    [],
    targets,
  );
}

/** Quartile-across-themes criteria, theme by theme. */
function themeSteps(ctx: Context, c: CriterionResult, change: Change): PathNode {
  const top = c.id === "segment_1.top_quartile_themes";
  const share = top
    ? ctx.criteria.segment_1.top_quartile_share
    : ctx.criteria.segment_3.bottom_quartile_share;
  const line: QuantileLine = top ? "top_quartile" : "bottom_quartile";
  const quartile = top ? 1 : 4;
  const word = top ? "top" : "bottom";
  const themes: PathNode[] = [];
  for (const theme of c.children) {
    // A theme's step reads its node and the summaries (cut-points) of the metrics it cites,
    // which are derived from the same metric facts as the node: the same node, the same step.
    const themeStep = ctx.memo.getOne(
      THEME_STEP_SLOTS[top ? "top" : "bottom"][change],
      theme,
      () =>
        themeStepOf(ctx, theme, metricEvidence(theme), change, {
          top,
          share,
          line,
          quartile,
          word,
        }),
      theme.id,
    );
    if (themeStep !== null) themes.push(themeStep);
  }
  let needed: number;
  let sentence: string;
  if (top) {
    // Segment 1 needs every theme in the top quartile; one theme falling out stops it.
    needed = change === "start" ? themes.length : Math.min(1, themes.length);
    sentence =
      change === "start"
        ? `Every theme must be top quartile: ${plural(needed, "theme")} to bring in.`
        : "Any one theme falling out of the top quartile would stop it.";
  } else {
    const min = ctx.criteria.segment_3.bottom_quartile_themes_min;
    const bottom = c.children.filter((t) => t.status === "fired").length;
    needed = change === "stop" ? bottom - min + 1 : min - bottom;
    needed = Math.max(0, Math.min(needed, themes.length));
    sentence =
      change === "stop"
        ? `${plural(needed, "theme")} of the ${bottom} in the bottom quartile must leave it (fewer than ${min} needed).`
        : `${plural(needed, "more theme")} would have to be in the bottom quartile (${bottom} now; ${min} needed).`;
  }
  return node(c.id, sentence, needed, themes);
}

function dramaticDropStep(ctx: Context, c: CriterionResult, change: Change): PathNode {
  const recent = ctx.criteria.segment_3.dramatic_drop.recent_points;
  const targets: PathTarget[] = [];
  // Fired series are the children; the others are the criterion's evidence.
  const series = change === "stop" ? c.children.flatMap((child) => child.evidence) : c.evidence;
  for (const spc of series) {
    if (spc.type !== "spc" || spc.mean === null) continue;
    const e = {
      metric_id: spc.metric_id,
      period: spc.recent_periods[spc.recent_periods.length - 1] ?? null,
      value: spc.latest,
    };
    if (change === "stop") {
      const each = `, for each of the next ${plural(recent, "point")}, each no worse than the one before`;
      targets.push(
        metricTarget(ctx, e, spc.mean, towards(ctx, spc.metric_id, true), "spc_mean", each),
      );
      continue;
    }
    const lowerIsBetter = metricOf(ctx, spc.metric_id).polarity === "lower_is_better";
    const limit = lowerIsBetter ? spc.upl : spc.lpl;
    if (limit !== null) {
      targets.push(metricTarget(ctx, e, limit, towards(ctx, spc.metric_id, false), "spc_limit"));
    }
  }
  return change === "stop"
    ? node(
        c.id,
        `Each special cause of concern must end: ${plural(recent, "point")} without one.`,
        targets.length,
        [],
        targets,
      )
    : node(
        c.id,
        "A special cause of concern in any series would fire it, e.g. a point beyond today's process limit.",
        Math.min(1, targets.length),
        [],
        targets,
      );
}

function bottomDecileStep(ctx: Context, c: CriterionResult, change: Change): PathNode {
  const periods = ctx.criteria.segment_3.sustained_bottom_decile_periods;
  const metricIds =
    change === "stop"
      ? c.children.map((child) => metricEvidence(child)[0]?.metric_id)
      : metricEvidence(c).map((e) => e.metric_id);
  const targets = [...new Set(metricIds)]
    .filter((id): id is string => id !== undefined)
    .map((id) => quantileTarget(ctx, id, "bottom_decile", change === "stop"))
    .filter((t): t is PathTarget => t !== null);
  return change === "stop"
    ? node(
        c.id,
        "Each metric in the bottom decile must leave it in the next period.",
        targets.length,
        [],
        targets,
      )
    : node(
        c.id,
        `Any metric in the bottom decile for ${plural(periods, "period")} running would fire it.`,
        Math.min(1, targets.length),
        [],
        targets,
      );
}

function roleEvidence(
  ctx: Context,
  c: CriterionResult,
  role: "financial_position" | "variance_to_plan",
): MetricEvidence | undefined {
  return c.evidence.find(
    (e): e is MetricEvidence =>
      e.type === "metric" && (ctx.metrics.get(e.metric_id)?.roles.includes(role) ?? false),
  );
}

function financeStep(ctx: Context, c: CriterionResult, change: Change): PathNode {
  const { finance } = ctx.criteria;
  const position = roleEvidence(ctx, c, "financial_position");
  const variance = roleEvidence(ctx, c, "variance_to_plan");
  const targets: PathTarget[] = [];
  const below = (e: MetricEvidence | undefined, line: number): boolean =>
    e?.value !== null && e?.value !== undefined && e.value < line;
  if (c.id === "segment_1.balanced_finance") {
    for (const [e, line, name] of [
      [position, finance.breakeven_at, "breakeven"],
      [variance, finance.on_plan_at, "on_plan"],
    ] as const) {
      if (!e) continue;
      if (e.value === null) {
        if (change === "start") targets.push(dataTarget(ctx, e));
      } else if (change === "start" ? e.value < line : e.value >= line) {
        targets.push(metricTarget(ctx, e, line, change === "start" ? "at_least" : "below", name));
      }
    }
    return change === "start"
      ? node(
          c.id,
          "The plan must balance: breakeven or better, on plan or better.",
          targets.length,
          [],
          targets,
        )
      : node(
          c.id,
          "A deficit or a shortfall against plan would stop it.",
          Math.min(1, targets.length),
          [],
          targets,
        );
  }
  if (c.id === "segment_3.finance") {
    // Fires on a deficit in the bottom quartile, or a variance below plan.
    const q = position?.cut_point?.name === "bottom_quartile" ? position.cut_point.value : null;
    const positionLine = q === null ? finance.breakeven_at : Math.min(finance.breakeven_at, q);
    const positionFires =
      position !== undefined && below(position, finance.breakeven_at) && position.quartile === 4;
    const varianceFires = below(variance, finance.on_plan_at);
    if (change === "stop") {
      if (position && positionFires)
        targets.push(
          metricTarget(
            ctx,
            position,
            positionLine,
            "at_least",
            q !== null && q < finance.breakeven_at ? "bottom_quartile" : "breakeven",
          ),
        );
      if (variance && varianceFires)
        targets.push(metricTarget(ctx, variance, finance.on_plan_at, "at_least", "on_plan"));
      return node(
        c.id,
        "The deficit must leave the bottom quartile or reach breakeven, and the plan must be met.",
        targets.length,
        [],
        targets,
      );
    }
    if (position?.value !== null && position !== undefined && q !== null)
      targets.push(
        metricTarget(
          ctx,
          position,
          positionLine,
          "below",
          q < finance.breakeven_at ? "bottom_quartile" : "breakeven",
        ),
      );
    if (variance?.value !== null && variance !== undefined)
      targets.push(metricTarget(ctx, variance, finance.on_plan_at, "below", "on_plan"));
    return node(
      c.id,
      "A deficit in the bottom quartile, or falling behind plan, would fire it.",
      Math.min(1, targets.length),
      [],
      targets,
    );
  }
  // segment_4.significant_deficit: the lines are in the evidence (share of income → metric unit).
  for (const e of [position, variance]) {
    if (!e || e.value === null || e.cut_point === null) continue;
    const line =
      e.cut_point.name === "significant_gap_to_plan"
        ? "significant_gap_to_plan"
        : "significant_deficit";
    const fires = e.value < e.cut_point.value;
    if (change === "stop" && fires)
      targets.push(metricTarget(ctx, e, e.cut_point.value, "at_least", line));
    if (change === "start" && !fires)
      targets.push(metricTarget(ctx, e, e.cut_point.value, "below", line));
  }
  return change === "stop"
    ? node(
        c.id,
        "The deficit and the gap to plan must both come within the significance lines.",
        targets.length,
        [],
        targets,
      )
    : node(
        c.id,
        "A significant deficit or gap to plan would fire it.",
        Math.min(1, targets.length),
        [],
        targets,
      );
}

function cqcTarget(
  aspect: "overall" | "well_led",
  current: CqcRating | null,
  needed: readonly CqcRating[],
  ifRated: boolean,
): PathTarget {
  const what = aspect === "overall" ? "overall" : "for well-led";
  return {
    type: "cqc_rating",
    aspect,
    current,
    needed: [...needed],
    sentence: `CQC ${ifRated ? "would have to rate" : "must rate"} the trust ${cqcList(needed)} ${what} (now ${current === null ? "not rated" : cqcList([current])}).`,
  };
}

function cqcStep(ctx: Context, c: CriterionResult, change: Change): PathNode {
  const rating = c.evidence.find((e): e is CqcEvidence => e.type === "cqc_rating");
  const overall = rating?.overall ?? null;
  const wellLed = rating?.well_led ?? null;
  const complement = (list: readonly CqcRating[]): CqcRating[] =>
    CQC_RATINGS_BEST_FIRST.filter((r) => !list.includes(r));
  const spec =
    c.id === "segment_1.cqc_good"
      ? {
          overall: ctx.criteria.segment_1.cqc_overall,
          wellLed: ctx.criteria.segment_1.cqc_well_led as readonly CqcRating[] | null,
        }
      : c.id === "segment_3.cqc_requires_improvement"
        ? {
            overall: ctx.criteria.segment_3.cqc_overall,
            wellLed: ctx.criteria.segment_3.cqc_well_led as readonly CqcRating[] | null,
          }
        : { overall: ctx.criteria.segment_4.cqc_overall, wellLed: null };
  const targets: PathTarget[] = [];
  const worse = change === "start" ? c.id !== "segment_1.cqc_good" : c.id === "segment_1.cqc_good";
  if (change === "start") {
    // Every rating the test names must be met.
    if (overall === null || !spec.overall.includes(overall))
      targets.push(cqcTarget("overall", overall, spec.overall, worse));
    if (spec.wellLed && (wellLed === null || !spec.wellLed.includes(wellLed)))
      targets.push(cqcTarget("well_led", wellLed, spec.wellLed, worse));
    return node(
      c.id,
      `CQC ${worse ? "would have to" : "must"} rate the trust ${cqcList(spec.overall)} overall${spec.wellLed ? ` and ${cqcList(spec.wellLed)} for well-led` : ""}.`,
      targets.length,
      [],
      targets,
    );
  }
  targets.push(cqcTarget("overall", overall, complement(spec.overall), worse));
  if (spec.wellLed) targets.push(cqcTarget("well_led", wellLed, complement(spec.wellLed), worse));
  return node(
    c.id,
    `A new CQC rating outside ${cqcList(spec.overall)} overall${spec.wellLed ? ` or for well-led` : ""} ${worse ? "would" : "must"} end it.`,
    1,
    [],
    targets,
  );
}

/** "A catastrophic safety failure", "Evidence of …", "Longstanding … issues": as English says it. */
function withArticle(label: string): string {
  if (/^(evidence|longstanding|capability|in )/.test(label))
    return label.charAt(0).toUpperCase() + label.slice(1);
  return `${/^[aeiou]/i.test(label) ? "An" : "A"} ${label}`;
}

function judgementTarget(
  kind: JudgementKind,
  change: "record" | "end",
  who?: JudgementEvidence,
): PathTarget {
  const label = JUDGEMENT_LABELS[kind];
  return {
    type: "judgement",
    kind,
    change,
    sentence:
      change === "record"
        ? `${withArticle(label)} would have to be recorded (the engine never records one itself).`
        : `The ${label} recorded by ${who?.recorded_by} on ${who?.recorded_on} must be recorded as ended.`,
  };
}

function judgementStep(c: CriterionResult, change: Change): PathNode {
  const kind = c.id.slice("segment_4.judgement.".length) as JudgementKind;
  if (change === "start")
    return node(
      c.id,
      `${c.label}, if recorded, would fire it.`,
      1,
      [],
      [judgementTarget(kind, "record")],
    );
  const records = c.evidence.filter((e): e is JudgementEvidence => e.type === "judgement");
  const targets = records.map((r) => judgementTarget(kind, "end", r));
  return node(
    c.id,
    `Each record of ${c.label.toLowerCase()} must be ended.`,
    targets.length,
    [],
    targets,
  );
}

function step(ctx: Context, c: CriterionResult, change: Change): PathNode {
  switch (c.id) {
    case "segment_1.top_quartile_themes":
    case "segment_3.bottom_quartile_themes":
      // Remembered theme by theme: the criterion's result changes with any of its themes.
      return themeSteps(ctx, c, change);
    case "segment_3.sustained_bottom_decile":
      // To stop it, the fired metrics' nodes (made from the same facts as the summaries whose
      // cut-points the targets cite); to start it, every other metric's: derived each time.
      return change === "stop"
        ? ctx.memo.get(BOTTOM_DECILE_STOP_SLOT, c.children, () => bottomDecileStep(ctx, c, change))
        : bottomDecileStep(ctx, c, change);
    default:
      // The other steps read only the criterion's result and the framework.
      return ctx.memo.getOne(STEP_SLOTS[change], c, () => stepOf(ctx, c, change), c.id);
  }
}

function stepOf(ctx: Context, c: CriterionResult, change: Change): PathNode {
  switch (c.id) {
    case "segment_1.top_quartile_themes":
    case "segment_3.bottom_quartile_themes":
      return themeSteps(ctx, c, change);
    case "segment_3.dramatic_drop":
      return dramaticDropStep(ctx, c, change);
    case "segment_3.sustained_bottom_decile":
      return bottomDecileStep(ctx, c, change);
    case "segment_1.balanced_finance":
    case "segment_3.finance":
    case "segment_4.significant_deficit":
      return financeStep(ctx, c, change);
    case "segment_1.cqc_good":
    case "segment_3.cqc_requires_improvement":
    case "segment_4.cqc_inadequate":
      return cqcStep(ctx, c, change);
    default:
      return judgementStep(c, change);
  }
}

function group(
  ctx: Context,
  sentence: string,
  criteria: CriterionResult[],
  change: Change,
  rule: "all" | "any",
): PathNode {
  const children = criteria.map((c) => step(ctx, c, change));
  return node(
    null,
    sentence,
    rule === "all" ? children.length : Math.min(1, children.length),
    children,
  );
}

/**
 * A part's sentence as a clause of the path's: "Every segment 3 criterion that fired must stop
 * firing." → "every segment 3 criterion that fired must stop firing".
 */
function clauseOf(sentence: string): string {
  return sentence.replace(/\.$/, "").replace(/^./, (ch) => ch.toLowerCase());
}

/** Slots split by target segment, for the sentence of the path to it. */
const PATH_SENTENCE_SLOTS: Record<Segment, string> = {
  1: "path/sentence/1",
  2: "path/sentence/2",
  3: "path/sentence/3",
  4: "path/sentence/4",
};

/** What must change for the assessment's organisation to be proposed for `target`. */
export function pathToSegment(
  framework: Framework,
  assessment: Assessment,
  target: Segment,
  memo: Memo = NO_MEMO,
): PathToSegment {
  const criteria = eligibilityCriteriaOf(framework);
  const ctx: Context = {
    framework,
    criteria,
    metrics: metricsOf(framework),
    summaries: assessment.metrics,
    memo,
  };
  const [s1, s3, s4] = assessment.segments as [
    Assessment["segments"][number],
    Assessment["segments"][number],
    Assessment["segments"][number],
  ];
  const fired = (list: CriterionResult[]): CriterionResult[] =>
    list.filter((c) => c.status === "fired");
  const notFired = (list: CriterionResult[]): CriterionResult[] =>
    list.filter((c) => c.status === "not_fired");
  const any4 = fired(s4.criteria).length > 0;
  const from = assessment.proposed_segment;
  const parts: PathNode[] = [];

  if (target === 1 || target === 2) {
    if (s3.eligible)
      parts.push(
        group(
          ctx,
          "Every segment 3 criterion that fired must stop firing.",
          fired(s3.criteria),
          "stop",
          "all",
        ),
      );
  }
  if (target === 1 && !s1.eligible) {
    parts.push(
      group(
        ctx,
        "Every segment 1 criterion must fire.",
        s1.criteria.filter((c) => c.status !== "fired"),
        "start",
        "all",
      ),
    );
  }
  if (target === 2 && s1.eligible) {
    parts.push(
      group(
        ctx,
        "Any one segment 1 criterion must stop firing.",
        fired(s1.criteria),
        "stop",
        "any",
      ),
    );
  }
  if (target === 3 || target === 4) {
    if (!s3.eligible)
      parts.push(
        group(
          ctx,
          "Any one segment 3 criterion would have to fire.",
          notFired(s3.criteria),
          "start",
          "any",
        ),
      );
    if (target === 3 && any4)
      parts.push(
        group(
          ctx,
          "Every segment 4 criterion that fired must stop firing.",
          fired(s4.criteria),
          "stop",
          "all",
        ),
      );
    if (target === 4 && !any4)
      parts.push(
        group(
          ctx,
          "Any one segment 4 criterion would have to fire.",
          notFired(s4.criteria),
          "start",
          "any",
        ),
      );
    // SOF §4: data alone make a provider eligible to be considered for segment 4; it is proposed
    // only on one of the framework's recorded judgements (e.g. a CQC recommendation).
    const needs4 = criteria.segment_4.proposal_requires_judgement;
    if (
      target === 4 &&
      needs4 !== undefined &&
      !needs4.some((kind) =>
        s4.criteria.some((c) => c.status === "fired" && c.id === `segment_4.judgement.${kind}`),
      )
    ) {
      parts.push(
        node(
          "segment_4_judgement",
          "One of these recorded judgements would have to be in effect: segment 4 is never proposed from data alone (SOF §4).",
          1,
          [],
          needs4.map((kind) => judgementTarget(kind, "record")),
        ),
      );
    }
    const licence = assessment.licence_breach;
    if (
      licence &&
      !licence.evidence_recorded &&
      criteria.licence_breach_required_for.includes(target)
    ) {
      parts.push(
        node(
          "licence_breach",
          "Evidence of actual or suspected licence breach (or the equivalent for an NHS trust) must be recorded (Annex A §12, Table 2).",
          1,
          [],
          [judgementTarget("licence_breach_evidence", "record")],
        ),
      );
    }
  }
  // Leaving mandated support is on its agreed exit criteria, not only on the entry criteria
  // ceasing (NHS OF 2022/23 §39, Annex A §36–§39); the RSP exits to segment 3 (Annex A §60).
  const fromDefinition = framework.segments.find((s) => s.segment === from);
  if (fromDefinition?.mandated_support && target < from) {
    const exits = fromDefinition.exits_to;
    const via =
      exits !== undefined && !exits.includes(target)
        ? ` Segment ${from} is left for segment ${exits.join(" or ")} first, with a transitional support package (Annex A §60).`
        : "";
    parts.push(
      node(
        "exit_criteria",
        `The exit criteria agreed for its mandated support must be met sustainably and recorded as met by the deciding body (Annex A §36–§39).${via}`,
        1,
        [],
      ),
    );
  }
  const direction = target < from ? "better" : "worse";
  // The parts' sentences are a handful of fixed ones: the path's is remembered by them.
  const sentence = memo.get(
    PATH_SENTENCE_SLOTS[target],
    [from, ...parts.map((p) => p.sentence)],
    () =>
      parts.length === 0
        ? `Segment ${target} needs no change in the criteria.`
        : `From segment ${from} to segment ${target}: ${listOf(parts.map((p) => clauseOf(p.sentence)))}.`,
  );
  return {
    from_segment: from,
    target_segment: target,
    direction,
    sentence,
    requirement: node(null, sentence, parts.length, parts),
  };
}
