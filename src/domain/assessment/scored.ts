/**
 * The assessment engine for scored frameworks (NHS OF 2025/26, DOMAIN §4): the stored national
 * observations in, one scored assessment per open organisation out — metric scores 1.00–4.00,
 * domain scores, the average, the quartile segment within the trust type, the financial override,
 * the segment 5 overlay and the league position — each with its explanation tree and the path to
 * every better segment. The scoring rules are src/domain/scoring's, every parameter the
 * framework file's. Pure and deterministic: no clock, no I/O, every list in a defined order.
 */
import { metricAppliesTo, peerGroupOf } from "../benchmarking/index.js";
import { judgementEvidence } from "../criteria/evidence.js";
import { formatPeriod, formatValue, JUDGEMENT_LABELS, listOf, plural } from "../criteria/format.js";
import type { CriterionStatus } from "../criteria/types.js";
import type { Framework, FrameworkMetric, JudgementKind, PeerGroup } from "../frameworks/schema.js";
import { isOpenOn, type Organisation, type OrgCode } from "../organisations/organisation.js";
import { scoredCriteriaOf, type ScoredCriteria } from "../scoring/assess-population.js";
import { leaguePositions } from "../scoring/league.js";
import {
  bandScore,
  competitionRanks,
  scoreMetrics,
  type MetricScore,
  type RankPopulation,
  type ScoreRange,
  type ScoringData,
} from "../scoring/metric-scores.js";
import {
  adjustedSegment,
  finalSegment,
  inFinancialDeficit,
  quartileCutPoints,
  unadjustedSegments,
  type ScoredSegment,
  type Segment,
} from "../scoring/segments.js";
import { averageScore, countedMetrics, domainScores } from "../scoring/summary-scores.js";
import { isCalendarDate } from "../shared/dates.js";
import { scoredPaths, type PathContext } from "./scored-path.js";
import type {
  DomainScoreResult,
  MetricScoreResult,
  ScoredAssessment,
  ScoredAssessmentRun,
  ScoredExplanationNode,
  ScoredPopulationSummary,
  ScoringPopulationRef,
} from "./scored-types.js";
import type { AssessmentInput, JudgementInput } from "./types.js";
import { assessedOrganisation } from "./types.js";

/** The recorded fact that places an organisation in the overlay segment (DOMAIN §4). */
export const OVERLAY_JUDGEMENT: JudgementKind = "recovery_support_programme";

/** Scores in sentences: two decimals, as NHS England publishes them. */
export function scoreText(score: number): string {
  return score.toFixed(2);
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? `${text.charAt(0).toLowerCase()}${text.slice(1)}` : text;
}

const KIND_NAMES: Record<Organisation["kind"], string> = {
  nhs_trust: "NHS trusts",
  foundation_trust: "foundation trusts",
  icb: "ICBs",
};

/** One set of organisations scored together: a trust type, or every reporting trust. */
interface ScoringCall {
  ref: ScoringPopulationRef;
  data: ScoringData;
  /** Metric id → the period scored (the population's latest with a value on or before the date). */
  periods: Map<string, string>;
  scores: Map<string, Map<OrgCode, MetricScore>>;
}

/** Metric id → organisation → period → value, on or before the date. */
type Series = Map<string, Map<OrgCode, Map<string, number>>>;

function readObservations(
  input: AssessmentInput,
  open: ReadonlyMap<string, Organisation>,
  warnings: string[],
): Series {
  const known = new Set(input.framework.metrics.map((m) => m.id));
  const unknown = new Map<string, number>();
  const series: Series = new Map();
  for (const o of input.observations) {
    if (!isCalendarDate(o.period))
      throw new RangeError(`${o.org_code} ${o.metric_id}: period "${o.period}" is not YYYY-MM-DD`);
    if (!Number.isFinite(o.value))
      throw new RangeError(`${o.org_code} ${o.metric_id} ${o.period}: value is not finite`);
    if (!known.has(o.metric_id)) {
      unknown.set(o.metric_id, (unknown.get(o.metric_id) ?? 0) + 1);
      continue;
    }
    if (o.period > input.as_of || !open.has(o.org_code)) continue;
    const byOrg = series.get(o.metric_id) ?? new Map<OrgCode, Map<string, number>>();
    const byPeriod = byOrg.get(o.org_code as OrgCode) ?? new Map<string, number>();
    if (byPeriod.has(o.period))
      throw new RangeError(`${o.org_code} ${o.metric_id} ${o.period}: two values`);
    byPeriod.set(o.period, o.value);
    byOrg.set(o.org_code as OrgCode, byPeriod);
    series.set(o.metric_id, byOrg);
  }
  for (const [id, count] of [...unknown].sort(([a], [b]) => byText(a, b)))
    warnings.push(
      `${plural(count, "observation")} of metric "${id}", not in ${input.framework.id}: ignored`,
    );
  return series;
}

/** Each scored metric's values in the population's latest period with any value. */
function scoringCall(
  framework: Framework,
  range: ScoreRange,
  series: Series,
  members: readonly Organisation[],
  ref: ScoringPopulationRef,
): ScoringCall {
  const values = new Map<string, Map<OrgCode, number>>();
  const periods = new Map<string, string>();
  for (const metric of framework.metrics) {
    if (metric.scoring === undefined) continue;
    const byOrg = series.get(metric.id);
    const applicable = members.filter((o) => metricAppliesTo(metric, o));
    let latest: string | undefined;
    for (const org of applicable)
      for (const period of byOrg?.get(org.code)?.keys() ?? [])
        if (latest === undefined || period > latest) latest = period;
    if (latest === undefined) continue;
    const atLatest = new Map<OrgCode, number>();
    for (const org of applicable) {
      const value = byOrg?.get(org.code)?.get(latest);
      if (value !== undefined) atLatest.set(org.code, value);
    }
    values.set(metric.id, atLatest);
    periods.set(metric.id, latest);
  }
  const data: ScoringData = {
    members: members.map((o) => o.code),
    covers: ref.covers,
    values,
  };
  return { ref, data, periods, scores: scoreMetrics(framework, range, data) };
}

/** Whom the metric's score ranks it among; a combined score, its widest part's population. */
export function rankPopulationOf(framework: Framework, metric: FrameworkMetric): RankPopulation {
  const scoring = metric.scoring;
  if (scoring?.method === "rank") return scoring.population;
  if (scoring?.method === "bands" && scoring.otherwise) return scoring.population ?? "peer_group";
  if (scoring?.method === "combined") {
    const parts = framework.metrics.filter((m) => scoring.from.includes(m.id));
    return parts.some((p) => rankPopulationOf(framework, p) === "all_reporting")
      ? "all_reporting"
      : "peer_group";
  }
  return "peer_group";
}

function metricResult(
  metric: FrameworkMetric,
  call: ScoringCall,
  org: OrgCode,
  counted: ReadonlySet<string>,
  asOf: string,
  partScores: (id: string) => MetricScoreResult | undefined,
): MetricScoreResult {
  const scoring = metric.scoring!;
  const value = call.data.values.get(metric.id)?.get(org) ?? null;
  const period = call.periods.get(metric.id) ?? null;
  const result = call.scores.get(metric.id)?.get(org);
  const score = result?.score ?? null;
  const reason = result && result.score === null ? result.reason : null;
  const parts = scoring.method === "combined" ? [...scoring.from] : [];
  let scored_by: MetricScoreResult["scored_by"] = null;
  let band: MetricScoreResult["band"] = null;
  if (score !== null) {
    if (scoring.method === "rank") scored_by = "rank";
    else if (scoring.method === "bands") {
      const found = value === null ? undefined : bandScore(value, scoring.bands);
      scored_by = found === undefined ? "rank" : "band";
      const hit = scoring.bands.find(
        (b) => b.score === found && value !== null && inBand(value, b),
      );
      if (hit) band = { min: hit.min ?? null, max: hit.max ?? null, score: hit.score };
    } else if (scoring.method === "cqc_rating") scored_by = "cqc_rating";
    else if (scoring.method === "combined") scored_by = "combined";
  }
  let rank: number | null = null;
  let n: number | null = null;
  if (scored_by === "rank" && metric.polarity !== "neutral") {
    const values = call.data.values.get(metric.id)!;
    rank = competitionRanks(values, metric.polarity).get(org) ?? null;
    n = values.size;
  }
  const status: MetricScoreResult["status"] =
    scoring.method === "unknown"
      ? "scoring_rule_unknown"
      : score !== null
        ? "scored"
        : scoring.method === "combined"
          ? parts.some((p) => partScores(p)?.status === "not_assessed")
            ? "not_assessed"
            : "not_scored"
          : value === null
            ? "not_assessed"
            : "not_scored";
  const partial: Omit<MetricScoreResult, "sentence"> = {
    metric_id: metric.id,
    metric_name: metric.name,
    theme: metric.theme,
    unit: metric.unit,
    polarity: metric.polarity,
    rule: scoring.method,
    scored_by,
    status,
    counted: counted.has(metric.id),
    period: scoring.method === "combined" ? null : period,
    value: scoring.method === "combined" ? null : value,
    rank,
    n,
    population: call.ref,
    band,
    parts,
    score,
    reason: status === "scored" ? null : (reason ?? scoringReason(status)),
  };
  return { ...partial, sentence: metricSentence(metric, partial, asOf, partScores) };
}

function inBand(value: number, band: { min?: number | undefined; max?: number | undefined }) {
  return (
    (band.min === undefined || value >= band.min) && (band.max === undefined || value < band.max)
  );
}

function scoringReason(status: MetricScoreResult["status"]): string {
  return status === "scoring_rule_unknown"
    ? "the framework does not say how this metric is scored"
    : "no value reported";
}

function metricSentence(
  metric: FrameworkMetric,
  r: Omit<MetricScoreResult, "sentence">,
  asOf: string,
  partScores: (id: string) => MetricScoreResult | undefined,
): string {
  const at =
    r.value === null || r.period === null
      ? ""
      : `${formatValue(r.value, metric.unit)} in ${formatPeriod(r.period, metric.frequency)}`;
  if (r.status === "scoring_rule_unknown")
    return `${metric.name}: scoring rule unknown (the framework does not say how it is scored), so it is listed but not scored${at ? `; ${at}` : ""}.`;
  if (r.status === "not_assessed") {
    if (r.rule === "combined")
      return `${metric.name}: not assessed: ${r.reason ?? "a part has no value"}.`;
    return r.period === null
      ? `${metric.name}: not assessed: no value reported on or before ${asOf}.`
      : `${metric.name}: not assessed: no value for ${formatPeriod(r.period, metric.frequency)}, the latest period reported among ${r.population?.name ?? "its population"} on or before ${asOf}.`;
  }
  if (r.status === "not_scored")
    return `${metric.name}: ${at ? `${at}, ` : ""}not scored: ${r.reason}.`;
  const score = scoreText(r.score!);
  switch (r.scored_by) {
    case "rank":
      return `${metric.name}: ${at}, rank ${r.rank} of ${r.n} ${r.population?.name ?? ""}, scores ${score} (continuous, by rank).`;
    case "band": {
      const b = r.band!;
      const edges =
        b.min !== null && b.max !== null
          ? `from ${formatValue(b.min, metric.unit)} up to ${formatValue(b.max, metric.unit)}`
          : b.min !== null
            ? `at or above ${formatValue(b.min, metric.unit)}`
            : `below ${formatValue(b.max!, metric.unit)}`;
      return `${metric.name}: ${at} is in the band ${edges}, which scores ${score}.`;
    }
    case "combined": {
      const parts = r.parts.map((id) => {
        const p = partScores(id);
        return `${p?.metric_name ?? id} (${p?.score == null ? "no score" : scoreText(p.score)})`;
      });
      return `${metric.name}: ${score}, combined from the scores of ${listOf(parts)} by the framework's rule.`;
    }
    default:
      return `${metric.name}: scores ${score}${at ? ` (${at})` : ""}.`;
  }
}

function segmentName(framework: Framework, segment: number): string {
  return framework.segments.find((s) => s.segment === segment)?.name ?? `segment ${segment}`;
}

const QUARTILE_NAMES = ["best", "second", "third", "worst"] as const;

function judgementInEffect(j: JudgementInput, asOf: string): boolean {
  return j.recorded_on <= asOf && (!j.ends_on || asOf < j.ends_on);
}

interface Scored {
  org: Organisation;
  group: PeerGroup;
  metrics: MetricScoreResult[];
  domains: DomainScoreResult[];
  average: number | null;
  countedScores: Map<string, number>;
}

export function assessScored(input: AssessmentInput): ScoredAssessmentRun {
  const { framework, as_of: asOf } = input;
  const criteria = scoredCriteriaOf(framework);
  const range: ScoreRange = criteria.score_range;
  if (!isCalendarDate(asOf)) throw new RangeError(`as_of "${asOf}" is not YYYY-MM-DD`);
  for (const j of input.judgements)
    for (const date of [j.recorded_on, j.ends_on ?? null])
      if (date !== null && !isCalendarDate(date))
        throw new RangeError(`${j.org_code} ${j.kind}: date "${date}" is not YYYY-MM-DD`);
  const warnings: string[] = [];
  const open = new Map<string, Organisation>();
  for (const org of [...input.organisations].sort((a, b) => byText(a.code, b.code))) {
    if (!isOpenOn(org, asOf as Organisation["openDate"])) continue;
    if (open.has(org.code)) throw new RangeError(`organisation ${org.code} given twice`);
    open.set(org.code, org);
  }
  const series = readObservations(input, open, warnings);

  // The framework's populations (trust types): the first one holding the organisation.
  const groups = criteria.populations.flatMap((id) =>
    framework.peer_groups.filter((g) => g.id === id),
  );
  const groupOf = (org: Organisation) =>
    criteria.segments_organisations.includes(org.kind)
      ? peerGroupOf({ ...framework, peer_groups: groups }, org)
      : undefined;
  const members = new Map<string, Organisation[]>(groups.map((g) => [g.id, []]));
  for (const org of open.values()) {
    const group = groupOf(org);
    if (group) members.get(group.id)!.push(org);
  }
  const segmented = [...members.values()].flat();
  const wide = scoringCall(framework, range, series, segmented, {
    id: "all_reporting",
    covers: "all_reporting",
    name: "trusts reporting it",
  });
  const calls = new Map(
    groups.map((g) => [
      g.id,
      scoringCall(framework, range, series, members.get(g.id)!, {
        id: `peer_group:${g.id}`,
        covers: "peer_group",
        name: lowerFirst(g.name),
      }),
    ]),
  );
  const callFor = (metric: FrameworkMetric, group: PeerGroup) =>
    rankPopulationOf(framework, metric) === "all_reporting" ? wide : calls.get(group.id)!;
  const counted = new Set(countedMetrics(framework).map((m) => m.id));
  const scoredMetrics = [
    ...framework.metrics.filter((m) => m.scoring && m.scoring.method !== "combined"),
    ...framework.metrics.filter((m) => m.scoring?.method === "combined"),
  ];

  const scored = new Map<string, Scored>();
  for (const org of segmented) {
    const group = groupOf(org)!;
    const results = new Map<string, MetricScoreResult>();
    for (const metric of scoredMetrics) {
      if (!metricAppliesTo(metric, org)) continue;
      results.set(
        metric.id,
        metricResult(metric, callFor(metric, group), org.code, counted, asOf, (id) =>
          results.get(id),
        ),
      );
    }
    const metrics = framework.metrics.flatMap((m) => results.get(m.id) ?? []);
    const countedScores = new Map(
      metrics.flatMap((m) =>
        m.counted && m.score !== null ? [[m.metric_id, m.score] as const] : [],
      ),
    );
    const domains = [...domainScores(framework, countedScores)].map(([theme, score]) => {
      const name = framework.themes.find((t) => t.id === theme)!.name;
      const ids = metrics.filter((m) => m.theme === theme && countedScores.has(m.metric_id));
      return {
        theme,
        name,
        score,
        metrics: ids.map((m) => m.metric_id),
        sentence: `${name}: ${scoreText(score)}, the mean of ${plural(ids.length, "metric score")}.`,
      };
    });
    scored.set(org.code, {
      org,
      group,
      metrics,
      domains,
      average: averageScore(framework, countedScores) ?? null,
      countedScores,
    });
  }

  const populations: ScoredPopulationSummary[] = [];
  const assessments = new Map<string, ScoredAssessment>();
  for (const group of groups) {
    const inGroup = members.get(group.id)!.map((o) => scored.get(o.code)!);
    const averages = new Map(
      inGroup.flatMap((s) => (s.average === null ? [] : [[s.org.code, s.average] as const])),
    );
    const unadjusted = unadjustedSegments(criteria.segmentation, averages, range);
    const cutPoints =
      averages.size === 0
        ? null
        : criteria.segmentation.method === "quartiles"
          ? quartileCutPoints([...averages.values()], range)
          : [...criteria.segmentation.cut_points];
    populations.push({ id: group.id, name: group.name, n: averages.size, cut_points: cutPoints });
    const partial = inGroup.map((s) =>
      segmentOne(framework, criteria, input, s, {
        n: averages.size,
        cutPoints,
        unadjusted: unadjusted.get(s.org.code) ?? null,
        call: calls.get(group.id)!,
      }),
    );
    const league = leaguePositions(
      partial.flatMap((a) =>
        a.adjusted_segment === null || a.average_score === null
          ? []
          : [
              {
                org: a.organisation.code,
                adjusted_segment: a.adjusted_segment,
                average_score: a.average_score,
              },
            ],
      ),
      criteria.league_order,
      range,
    );
    const ranked = [...league.values()].length;
    for (const a of partial) {
      const position = league.get(a.organisation.code);
      const withLeague: ScoredAssessment = {
        ...a,
        league:
          position === undefined
            ? null
            : { position, of: ranked, population: lowerFirst(group.name) },
      };
      withLeague.sentence = overallSentence(framework, withLeague);
      const context: PathContext = {
        framework,
        range,
        populationValues: (metricId) =>
          callFor(
            framework.metrics.find((m) => m.id === metricId)!,
            group,
          ).data.values.get(metricId) ?? new Map(),
      };
      withLeague.paths = scoredPaths(context, withLeague);
      assessments.set(a.organisation.code, withLeague);
    }
  }
  for (const org of open.values())
    if (!assessments.has(org.code))
      assessments.set(org.code, notSegmented(framework, criteria, org, asOf, groups));

  return {
    method: "scored",
    framework: { id: framework.id, name: framework.name, short_name: framework.short_name },
    as_of: asOf,
    populations,
    assessments: [...assessments.values()].sort((a, b) =>
      byText(a.organisation.code, b.organisation.code),
    ),
    warnings,
  };
}

function notSegmented(
  framework: Framework,
  criteria: ScoredCriteria,
  org: Organisation,
  asOf: string,
  groups: readonly PeerGroup[],
): ScoredAssessment {
  const override = criteria.financial_override;
  const segmentedKinds = criteria.segments_organisations;
  const sentence = segmentedKinds.includes(org.kind)
    ? `Not segmented: ${org.code} is in none of ${framework.short_name}'s trust types (${listOf(groups.map((g) => lowerFirst(g.name)))}).`
    : `Not segmented: ${framework.short_name} does not segment ${KIND_NAMES[org.kind]}; it segments ${listOf([...new Set(segmentedKinds)].map((k) => KIND_NAMES[k]))}.`;
  return {
    organisation: assessedOrganisation(org),
    framework: { id: framework.id, short_name: framework.short_name },
    as_of: asOf,
    segmented: false,
    population: null,
    metric_scores: [],
    domain_scores: [],
    average_score: null,
    cut_points: null,
    unadjusted_segment: null,
    financial_override: {
      status: "not_assessable",
      metric_id: null,
      period: null,
      value: null,
      deficit_below: override.deficit_below,
      best_segment: override.best_segment,
      sentence: "The financial override applies only to segmented organisations.",
    },
    adjusted_segment: null,
    overlay: { status: "not_assessable", segment: null, judgement: null, sentence },
    final_segment: null,
    league: null,
    sentence,
    explanation: [
      {
        id: "segmented",
        label: "Segmented",
        status: "not_assessable",
        sentence,
        evidence: [],
        children: [],
      },
    ],
    paths: [],
  };
}

function segmentOne(
  framework: Framework,
  criteria: ScoredCriteria,
  input: AssessmentInput,
  s: Scored,
  population: {
    n: number;
    cutPoints: number[] | null;
    unadjusted: ScoredSegment | null;
    call: ScoringCall;
  },
): ScoredAssessment {
  const { org } = s;
  const override = criteria.financial_override;
  const groupName = lowerFirst(s.group.name);

  // Financial override: the position metric's latest value against the deficit line.
  const positionMetric = framework.metrics.find(
    (m) => m.roles.includes(override.metric_role) && metricAppliesTo(m, org),
  );
  const positionValue = positionMetric
    ? (population.call.data.values.get(positionMetric.id)?.get(org.code) ?? null)
    : null;
  const positionPeriod = positionMetric
    ? (population.call.periods.get(positionMetric.id) ?? null)
    : null;
  const inDeficit = positionValue === null ? null : inFinancialDeficit(positionValue, override);
  const overrideStatus: CriterionStatus =
    inDeficit === null ? "not_assessable" : inDeficit ? "fired" : "not_fired";
  const line = positionMetric ? formatValue(override.deficit_below, positionMetric.unit) : "";
  const positionText =
    positionMetric && positionValue !== null && positionPeriod !== null
      ? `${positionMetric.name} ${formatValue(positionValue, positionMetric.unit)} in ${formatPeriod(positionPeriod, positionMetric.frequency)}`
      : "";
  const overrideSentence =
    overrideStatus === "fired"
      ? `Financial override applies: ${positionText} is below ${line} (in deficit), so no better than segment ${override.best_segment}.`
      : overrideStatus === "not_fired"
        ? `No financial override: ${positionText} is not below ${line}.`
        : `Financial override not assessable: no value of ${positionMetric?.name ?? `a ${override.metric_role} metric`}${positionPeriod ? ` for ${formatPeriod(positionPeriod, positionMetric!.frequency)}` : ""}; the segment is not capped on missing data.`;

  // Unadjusted and adjusted segment.
  const unadjusted = population.unadjusted;
  const adjusted: Segment | null =
    unadjusted === null ? null : adjustedSegment(unadjusted, inDeficit === true, override);

  // Segment 5 overlay: a recorded fact, never inferred.
  const overlayRecord = input.judgements
    .filter(
      (j) =>
        j.org_code === org.code &&
        j.kind === OVERLAY_JUDGEMENT &&
        judgementInEffect(j, input.as_of),
    )
    .sort((a, b) => byText(a.recorded_on, b.recorded_on) || byText(a.id ?? "", b.id ?? ""))[0];
  const overlaySegment = criteria.overlay_segment ?? null;
  const inProgramme = overlayRecord !== undefined && overlaySegment !== null;
  const final: Segment | null =
    adjusted !== null
      ? finalSegment(adjusted, inProgramme, criteria.overlay_segment)
      : inProgramme
        ? (overlaySegment as Segment)
        : null;
  const overlaySentence =
    overlaySegment === null
      ? `${framework.short_name} has no overlay segment.`
      : inProgramme
        ? `Segment ${overlaySegment} (${segmentName(framework, overlaySegment)}) overlays the scored segment: ${JUDGEMENT_LABELS[OVERLAY_JUDGEMENT]}, recorded by ${overlayRecord.recorded_by} on ${overlayRecord.recorded_on} (${overlayRecord.summary}).`
        : `No segment ${overlaySegment} overlay: no record on ${input.as_of} that ${org.code} is ${JUDGEMENT_LABELS[OVERLAY_JUDGEMENT]}.`;

  // The explanation tree.
  const metricNode = (m: MetricScoreResult): ScoredExplanationNode => ({
    id: `metric.${m.metric_id}`,
    label: m.metric_name,
    status: m.status === "scored" ? "fired" : "not_assessable",
    sentence: m.sentence,
    evidence: [
      {
        type: "metric_score",
        metric_id: m.metric_id,
        period: m.period,
        value: m.value,
        rank: m.rank,
        n: m.n,
        population: m.population?.id ?? null,
        score: m.score,
        rule: m.rule,
      },
    ],
    children: m.parts.flatMap((id) => {
      const part = s.metrics.find((p) => p.metric_id === id);
      return part ? [metricNode(part)] : [];
    }),
  });
  const partIds = new Set(s.metrics.flatMap((m) => m.parts));
  const contextual = new Set(framework.themes.filter((t) => t.contextual).map((t) => t.id));
  const domainNodes = framework.themes
    .filter((t) => !contextual.has(t.id))
    .flatMap((theme): ScoredExplanationNode[] => {
      const inTheme = s.metrics.filter((m) => m.theme === theme.id && !partIds.has(m.metric_id));
      if (inTheme.length === 0) return [];
      const domain = s.domains.find((d) => d.theme === theme.id);
      const unscored = inTheme.filter((m) => m.status !== "scored").length;
      return [
        {
          id: `domain.${theme.id}`,
          label: theme.name,
          status: domain ? "fired" : "not_assessable",
          sentence: domain
            ? `${domain.sentence}${unscored > 0 ? ` ${plural(unscored, "other metric")} not scored.` : ""}`
            : `${theme.name}: no score, none of its ${plural(inTheme.length, "metric")} could be scored.`,
          evidence: [],
          children: inTheme.map(metricNode),
        },
      ];
    });
  const averageEvidence =
    s.average !== null && unadjusted !== null && population.cutPoints !== null
      ? [
          {
            type: "average_score" as const,
            average_score: s.average,
            metrics: s.countedScores.size,
            cut_points: population.cutPoints,
            cut_point_kind:
              criteria.segmentation.method === "quartiles"
                ? ("quartiles" as const)
                : ("thresholds" as const),
            population: s.group.id,
            n: population.n,
            segment: unadjusted,
          },
        ]
      : [];
  const cuts = population.cutPoints?.map(scoreText).join(", ") ?? "";
  const averageSentence =
    s.average === null || unadjusted === null
      ? `No average metric score: none of the metrics that count could be scored, so no segment.`
      : criteria.segmentation.method === "quartiles"
        ? `Average metric score ${scoreText(s.average)}, the mean of ${plural(s.countedScores.size, "metric score")}, is in the ${QUARTILE_NAMES[unadjusted - 1]} quartile of ${population.n} ${groupName} (cut-points ${cuts}, best first): unadjusted segment ${unadjusted}.`
        : `Average metric score ${scoreText(s.average)}, the mean of ${plural(s.countedScores.size, "metric score")}, against the thresholds ${cuts}: unadjusted segment ${unadjusted}.`;
  const explanation: ScoredExplanationNode[] = [
    {
      id: "average_score",
      label: "Average metric score and segment",
      status: unadjusted === null ? "not_assessable" : "fired",
      sentence: averageSentence,
      evidence: averageEvidence,
      children: domainNodes,
    },
    {
      id: "financial_override",
      label: "Financial override",
      status: overrideStatus,
      sentence: overrideSentence,
      evidence: positionMetric
        ? [
            {
              type: "financial_position",
              metric_id: positionMetric.id,
              period: positionPeriod,
              value: positionValue,
              deficit_below: override.deficit_below,
              best_segment: override.best_segment,
            },
          ]
        : [],
      children: [],
    },
    {
      id: "overlay",
      label: `Segment ${overlaySegment ?? ""} overlay`.trim(),
      status: inProgramme ? "fired" : "not_fired",
      sentence: overlaySentence,
      evidence: overlayRecord ? [judgementEvidence(overlayRecord)] : [],
      children: [],
    },
  ];
  const contextualMetrics = s.metrics.filter((m) => contextual.has(m.theme));
  if (contextualMetrics.length > 0)
    explanation.push({
      id: "contextual",
      label: "Contextual metrics",
      status: "not_fired",
      sentence: `${plural(contextualMetrics.length, "contextual metric")} shown, not counted towards the segment.`,
      evidence: [],
      children: contextualMetrics.map(metricNode),
    });

  return {
    organisation: assessedOrganisation(org),
    framework: { id: framework.id, short_name: framework.short_name },
    as_of: input.as_of,
    segmented: true,
    population: { id: s.group.id, name: s.group.name, n: population.n },
    metric_scores: s.metrics,
    domain_scores: s.domains,
    average_score: s.average,
    cut_points: population.cutPoints,
    unadjusted_segment: unadjusted,
    financial_override: {
      status: overrideStatus,
      metric_id: positionMetric?.id ?? null,
      period: positionPeriod,
      value: positionValue,
      deficit_below: override.deficit_below,
      best_segment: override.best_segment,
      sentence: overrideSentence,
    },
    adjusted_segment: adjusted,
    overlay: {
      status: inProgramme ? "fired" : "not_fired",
      segment: overlaySegment,
      judgement: overlayRecord ? judgementEvidence(overlayRecord) : null,
      sentence: overlaySentence,
    },
    final_segment: final,
    league: null,
    sentence: "",
    explanation,
    paths: [],
  };
}

function overallSentence(framework: Framework, a: ScoredAssessment): string {
  const [average, override, overlay] = a.explanation;
  const league = a.league
    ? ` League position ${a.league.position} of ${a.league.of} ${a.league.population}.`
    : "";
  const head =
    a.final_segment === null
      ? "No segment"
      : `Segment ${a.final_segment} (${segmentName(framework, a.final_segment)})`;
  const overrideClause = override!.status === "fired" ? ` ${override!.sentence}` : "";
  const overlayClause = overlay!.status === "fired" ? ` ${overlay!.sentence}` : "";
  return `${head}: ${average!.sentence}${overrideClause}${overlayClause}${league}`;
}
