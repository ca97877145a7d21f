/**
 * The quartile-across-themes criteria (docs/domain.md §5; NHS OF 2022/23 Table 3; SOF §4):
 * - segment 1: performance "typically in the top quartile nationally" across the themes — every
 *   theme with applicable metrics has at least `top_quartile_share` of its benchmarked metrics in
 *   the top quartile;
 * - segment 3: "bottom quartile nationally in multiple themes" — at least
 *   `bottom_quartile_themes_min` themes with at least `bottom_quartile_share` of their benchmarked
 *   metrics in the bottom quartile.
 * Neutral metrics are never good or bad, so they count in neither. Contextual themes and themes
 * with no metric that applies to the organisation are out of scope.
 */
import type { EligibilityCriteria, FrameworkTheme } from "../frameworks/schema.js";
import { against, positionNode, type QuantileLine } from "./evidence.js";
import type { MetricFacts, OrganisationFacts } from "./facts.js";
import { inSentence, listOf, percentOf, plural } from "./format.js";
import { allOf } from "./logic.js";
import { metricsAt, type ThemePlaces } from "./layout.js";
import { NO_MEMO, type Memo } from "./memo.js";
import type { CriterionId, CriterionResult, CriterionStatus, ExplanationNode } from "./types.js";

export interface ThemeTally {
  theme: FrameworkTheme;
  /** Applicable metrics with a polarity, in framework order. */
  metrics: MetricFacts[];
  /** Those benchmarked in their current period. */
  assessed: MetricFacts[];
}

/**
 * Each theme's tally, from the places of its metrics (layout.ts). With a memo, a theme whose
 * metrics' facts are the very objects of last time keeps its tally object, so the criteria below
 * know it unchanged by one comparison.
 */
export function themeTallies(
  facts: OrganisationFacts,
  themes: readonly ThemePlaces[],
  memo: Memo = NO_MEMO,
): ThemeTally[] {
  return themes.map(({ theme, places }) => {
    const metrics = metricsAt(facts, places);
    return memo.get(
      "theme_tally",
      metrics,
      () => ({
        theme,
        metrics,
        assessed: metrics.filter((m) => m.current.evidence.status === "benchmarked"),
      }),
      theme,
    );
  });
}

/** The fewest of `assessed` metrics that make up `share` of them (count / assessed ≥ share). */
export function countForShare(share: number, assessed: number): number {
  for (let count = 0; count <= assessed; count++) if (count / assessed >= share) return count;
  return assessed + 1;
}

interface ThemeTest {
  id: CriterionId;
  /** The memo slots of its metrics' nodes and of each theme's verdict text. */
  childSlot: string;
  textSlot: string;
  criterionSlot: string;
  line: QuantileLine;
  quartile: 1 | 4;
  share: number;
  word: "top" | "bottom";
}

interface ThemeVerdict {
  node: ExplanationNode;
  themeId: string;
  /** Benchmarked metrics meeting the quartile test. */
  hits: number;
  assessed: number;
}

/**
 * A theme's node: every applicable metric's position as evidence, and a child node (with its own
 * sentence and the cut-point) for each metric that meets the quartile test.
 */
function themeVerdict(test: ThemeTest, tally: ThemeTally, memo: Memo): ThemeVerdict {
  const inQuartile = tally.assessed.filter((m) => m.current.evidence.quartile === test.quartile);
  // A metric's node reads only its own facts: kept while the theme's other metrics change.
  const children = memo.map(
    test.childSlot,
    inQuartile,
    (m) =>
      positionNode(
        `${test.id}/${tally.theme.id}/${m.metric.id}`,
        against(m.current, m.metric.polarity, test.line),
        m,
        () => true,
      ),
    tally.theme,
  ) as ExplanationNode[];
  const hits = inQuartile.length;
  const assessed = tally.assessed.length;
  // The verdict and its sentence state only counts: remembered by them, as a new value mostly
  // moves a metric's rank without moving it in or out of the quartile.
  const { id, status, sentence } = memo.get(
    test.textSlot,
    [hits, assessed, tally.metrics.length],
    () => verdictText(test, tally, hits, assessed),
    tally.theme,
  );
  const node = {
    id,
    label: tally.theme.name,
    status,
    sentence,
    evidence: tally.metrics.map((m) => m.current.evidence),
    children,
  };
  return { node, themeId: tally.theme.id, hits, assessed };
}

function verdictText(
  test: ThemeTest,
  tally: ThemeTally,
  hits: number,
  assessed: number,
): { id: string; status: CriterionStatus; sentence: string } {
  const id = `${test.id}/${tally.theme.id}`;
  if (assessed === 0) {
    return {
      id,
      status: "not_assessable",
      sentence: `${tally.theme.name}: none of its ${plural(tally.metrics.length, "metric")} has a benchmarked value: not assessable.`,
    };
  }
  const missing = tally.metrics.length - assessed;
  const notAssessed = missing > 0 ? `; ${plural(missing, "metric")} not assessed` : "";
  const status = hits / assessed >= test.share ? "fired" : "not_fired";
  const sentence =
    `${tally.theme.name}: ${hits} of ${plural(assessed, "benchmarked metric")} in the ` +
    `${test.word} quartile (${percentOf(hits / assessed)}; at least ${percentOf(test.share)} ` +
    `needed)${notAssessed}: ${status === "fired" ? "" : "not "}${test.word} quartile.`;
  return { id, status, sentence };
}

/** "operational performance (2 of 5)". */
function summary(verdict: ThemeVerdict): string {
  return `${inSentence(verdict.node.label)} (${verdict.hits} of ${verdict.assessed})`;
}

const byStatus = (verdicts: readonly ThemeVerdict[], status: CriterionStatus): ThemeVerdict[] =>
  verdicts.filter((v) => v.node.status === status);

/** Each theme's verdict, remembered while its tally is the same (themeTallies). */
function themeVerdicts(
  test: ThemeTest,
  tallies: readonly ThemeTally[],
  memo: Memo,
): readonly ThemeVerdict[] {
  return memo.map(test.id, tallies, (tally) => themeVerdict(test, tally, memo));
}

/** Segment 1: top quartile across the themes. */
export function topQuartileThemes(
  criteria: EligibilityCriteria,
  tallies: readonly ThemeTally[],
  memo: Memo = NO_MEMO,
): CriterionResult {
  const test: ThemeTest = {
    id: "segment_1.top_quartile_themes",
    childSlot: "segment_1.top_quartile_themes/metric",
    textSlot: "segment_1.top_quartile_themes/text",
    criterionSlot: "segment_1.top_quartile_themes/criterion",
    line: "top_quartile",
    quartile: 1,
    share: criteria.segment_1.top_quartile_share,
    word: "top",
  };
  return themeCriterion(test, 1, "Top quartile across the themes", tallies, memo, (verdicts) =>
    topText(test, verdicts),
  );
}

/**
 * A quartile-across-themes criterion from its themes' verdicts. Its status and sentence state
 * only each theme's label, status and counts: remembered by those.
 */
function themeCriterion(
  test: ThemeTest,
  segment: 1 | 3,
  label: string,
  tallies: readonly ThemeTally[],
  memo: Memo,
  describe: (verdicts: readonly ThemeVerdict[]) => CriterionText,
): CriterionResult {
  const verdicts = themeVerdicts(test, tallies, memo);
  const text = memo.get(test.criterionSlot, countsOf(verdicts), () => describe(verdicts));
  return {
    id: test.id,
    segment,
    label,
    status: text.status,
    sentence: text.sentence,
    themes: text.themes,
    evidence: [],
    children: verdicts.map((v) => v.node),
  };
}

/** What a criterion's sentence says of its themes: each one's label, status and counts. */
function countsOf(verdicts: readonly ThemeVerdict[]): unknown[] {
  const counts: unknown[] = [];
  for (const v of verdicts) counts.push(v.node.label, v.node.status, v.hits, v.assessed);
  return counts;
}

interface CriterionText {
  status: CriterionStatus;
  sentence: string;
  themes: string[];
}

function topText(test: ThemeTest, verdicts: readonly ThemeVerdict[]): CriterionText {
  const status = allOf(verdicts.map((v) => v.node.status));
  const fired = byStatus(verdicts, "fired");
  const notFired = byStatus(verdicts, "not_fired");
  const blind = byStatus(verdicts, "not_assessable");
  let sentence: string;
  if (verdicts.length === 0) {
    sentence = "No metric with a polarity applies to this organisation: not assessable.";
  } else if (status === "fired") {
    sentence = `Top quartile in all ${plural(verdicts.length, "theme")} assessed: ${listOf(fired.map(summary))} metrics in the top quartile.`;
  } else if (status === "not_fired") {
    sentence = `Not top quartile in ${notFired.length} of ${plural(verdicts.length, "theme")}: ${listOf(notFired.map(summary))} metrics in the top quartile (at least ${percentOf(test.share)} needed).`;
  } else {
    sentence = `Cannot tell whether performance is top quartile across the themes: ${listOf(blind.map((v) => v.node.label))} ${blind.length === 1 ? "has" : "have"} no benchmarked metric.`;
  }
  return { status, sentence, themes: status === "fired" ? fired.map((v) => v.themeId) : [] };
}

/** Segment 3: bottom quartile in multiple themes. */
export function bottomQuartileThemes(
  criteria: EligibilityCriteria,
  tallies: readonly ThemeTally[],
  memo: Memo = NO_MEMO,
): CriterionResult {
  const test: ThemeTest = {
    id: "segment_3.bottom_quartile_themes",
    childSlot: "segment_3.bottom_quartile_themes/metric",
    textSlot: "segment_3.bottom_quartile_themes/text",
    criterionSlot: "segment_3.bottom_quartile_themes/criterion",
    line: "bottom_quartile",
    quartile: 4,
    share: criteria.segment_3.bottom_quartile_share,
    word: "bottom",
  };
  const min = criteria.segment_3.bottom_quartile_themes_min;
  return themeCriterion(test, 3, "Bottom quartile in multiple themes", tallies, memo, (verdicts) =>
    bottomText(verdicts, min),
  );
}

function bottomText(verdicts: readonly ThemeVerdict[], min: number): CriterionText {
  const bottom = byStatus(verdicts, "fired");
  const blind = byStatus(verdicts, "not_assessable");
  const assessed = verdicts.length - blind.length;
  const status: CriterionStatus =
    bottom.length >= min ? "fired" : assessed === 0 ? "not_assessable" : "not_fired";
  const unassessed =
    blind.length > 0
      ? ` ${listOf(blind.map((v) => v.node.label))} not assessed (no benchmarked metric).`
      : "";
  let sentence: string;
  if (status === "fired") {
    sentence = `Bottom quartile in ${plural(bottom.length, "theme")} (at least ${min} needed): ${listOf(bottom.map(summary))} metrics in the bottom quartile.${unassessed}`;
  } else if (status === "not_fired") {
    const which = bottom.length > 0 ? `: ${listOf(bottom.map(summary))} metrics` : "";
    sentence = `Bottom quartile in ${bottom.length} of ${plural(assessed, "assessed theme")}${which} (at least ${min} needed).${unassessed}`;
  } else {
    sentence =
      verdicts.length === 0
        ? "No metric with a polarity applies to this organisation: not assessable."
        : `No theme has a benchmarked metric: not assessable.${unassessed}`;
  }
  return { status, sentence, themes: status === "fired" ? bottom.map((v) => v.themeId) : [] };
}
