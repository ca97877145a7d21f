/**
 * Turns the national dataset into per-organisation facts for the criteria, doing each expensive
 * step once: observations are grouped into series once, each metric-period-population is
 * benchmarked once (only the periods the criteria read: the latest N of each population), and
 * each series is analysed by SPC once.
 */
import {
  againstStandard,
  benchmarkMetricPeriod,
  compareCodes,
  metricAppliesTo,
  populationOf,
  type MetricPeriodBenchmark,
  type Population,
  type Position,
} from "../benchmarking/index.js";
import type {
  CqcRatingInput,
  JudgementInput,
  MetricFacts,
  OrganisationFacts,
  SpcFacts,
} from "../criteria/facts.js";
import { formatPeriod, plural } from "../criteria/format.js";
import { eligibilityCriteriaOf } from "../criteria/proposal.js";
import type { MetricEvidence } from "../criteria/types.js";
import { dramaticDropEvidence } from "../criteria/trends.js";
import type { EligibilityCriteria, Framework, FrameworkMetric } from "../frameworks/schema.js";
import { isOpenOn, type Organisation } from "../organisations/organisation.js";
import { isCalendarDate, type CalendarDate } from "../shared/dates.js";
import { seriesSignals, type RuleName } from "../spc/index.js";
import type { AssessmentInput, ObservationInput } from "./types.js";

export interface Point {
  period: string;
  value: number;
}

export interface DatasetFacts {
  organisations: Organisation[];
  facts: OrganisationFacts[];
  benchmarks: MetricPeriodBenchmark[];
  warnings: string[];
}

/** What every metric's facts are built with: the framework's parameters, read once. */
export interface FactSettings {
  framework: Framework;
  asOf: CalendarDate;
  /** How many of a population's latest periods are benchmarked. */
  keep: number;
  minPopulation: number;
  dramaticDrop: EligibilityCriteria["segment_3"]["dramatic_drop"];
  allowed: ReadonlySet<RuleName>;
}

/** One period's benchmark, with each organisation's position found by code. */
export interface PeriodBenchmark {
  benchmark: MetricPeriodBenchmark;
  positions: Map<string, Position>;
}

/** One metric among one comparison population: its members and its latest periods' benchmarks. */
export interface MetricPopulation {
  metric: FrameworkMetric;
  population: Population;
  members: Organisation[];
  /** The population's latest periods with any value, oldest first. */
  periods: string[];
  byPeriod: PeriodBenchmark[];
}

/**
 * Everything the facts are derived from, kept so that one changed observation can be followed
 * through (session.ts): the series, and each metric-population's benchmarks in output order.
 */
export interface DatasetState extends DatasetFacts {
  settings: FactSettings;
  /** Open organisations by code. */
  byCode: Map<string, Organisation>;
  /** metric id → organisation code → points in period order, on or before the assessment date. */
  series: Map<string, Map<string, Point[]>>;
  /** By metric (framework order), then population id: the order of `benchmarks`. */
  groups: MetricPopulation[];
  /** The warnings' parts, so they can be put together again after a change. */
  warningParts: { inForce: string[]; unknownMetrics: Set<string>; judgements: string[] };
}

export function buildFacts(input: AssessmentInput): DatasetFacts {
  const { organisations, facts, benchmarks, warnings } = buildDatasetState(input);
  return { organisations, facts, benchmarks, warnings };
}

export function buildDatasetState(input: AssessmentInput): DatasetState {
  const { framework } = input;
  const criteria = eligibilityCriteriaOf(framework);
  if (!isCalendarDate(input.as_of))
    throw new RangeError(`as_of "${input.as_of}" is not YYYY-MM-DD`);
  const asOf = input.as_of as CalendarDate;
  const inForce: string[] = [];
  if (asOf < framework.in_force_from || (framework.in_force_to && asOf > framework.in_force_to)) {
    inForce.push(`${framework.id} is not in force on ${asOf}`);
  }
  const settings: FactSettings = {
    framework,
    asOf,
    keep: Math.max(1, criteria.segment_3.sustained_bottom_decile_periods),
    minPopulation: criteria.benchmark.min_population,
    dramaticDrop: criteria.segment_3.dramatic_drop,
    allowed: new Set<RuleName>(criteria.segment_3.dramatic_drop.rules),
  };

  const organisations = openOrganisations(input.organisations, asOf);
  const byCode = new Map(organisations.map((org) => [org.code as string, org]));
  const unknownMetrics = new Set<string>();
  const series = groupSeries(input.observations, framework, byCode, asOf, unknownMetrics);

  const metricFacts = new Map<string, MetricFacts[]>(organisations.map((o) => [o.code, []]));
  // Organisations of one kind and sector share their populations: work each out once, by
  // comparison and profile (each organisation's profile key is built once, not per metric).
  const profiles = new Map(organisations.map((org) => [org, `${org.kind}|${org.sector ?? ""}`]));
  const populationCache = new Map<FrameworkMetric["comparison"], Map<string, Population>>();
  const populationFor = (metric: FrameworkMetric, org: Organisation): Population => {
    let byProfile = populationCache.get(metric.comparison);
    if (!byProfile) populationCache.set(metric.comparison, (byProfile = new Map()));
    const profile = profiles.get(org) as string;
    let population = byProfile.get(profile);
    if (!population) byProfile.set(profile, (population = populationOf(framework, metric, org)));
    return population;
  };
  const groups: MetricPopulation[] = [];
  for (const metric of framework.metrics) {
    const metricSeries = series.get(metric.id) ?? new Map<string, Point[]>();
    const populations = new Map<string, { population: Population; members: Organisation[] }>();
    for (const org of organisations) {
      if (!metricAppliesTo(metric, org)) continue;
      const population = populationFor(metric, org);
      const entry = populations.get(population.id) ?? { population, members: [] };
      entry.members.push(org);
      populations.set(population.id, entry);
    }
    for (const { population, members } of [...populations.values()].sort((a, b) =>
      compareCodes(a.population.id, b.population.id),
    )) {
      const periods = latestPeriods(members, metricSeries, settings.keep);
      const group: MetricPopulation = {
        metric,
        population,
        members,
        periods,
        byPeriod: benchmarkPeriods(
          metric,
          population,
          periods,
          members,
          metricSeries,
          settings.minPopulation,
        ),
      };
      groups.push(group);
      for (const org of members) {
        const points = metricSeries.get(org.code) ?? [];
        (metricFacts.get(org.code) as MetricFacts[]).push(
          metricFactsOf(settings, group, org, spcOf(settings, group, points)),
        );
      }
    }
  }
  // The outer loop runs in framework order, so each organisation's metrics are in that order.

  const ratings = latestRatings(input.cqc_ratings, byCode, asOf);
  const judgementWarnings: string[] = [];
  const judgements = judgementsInEffect(
    input.judgements,
    framework,
    byCode,
    asOf,
    judgementWarnings,
  );
  const facts = organisations.map((organisation) => ({
    organisation,
    metrics: metricFacts.get(organisation.code) as MetricFacts[],
    cqc: ratings.get(organisation.code) ?? null,
    judgements: judgements.get(organisation.code) ?? [],
  }));
  const warningParts = { inForce, unknownMetrics, judgements: judgementWarnings };
  return {
    organisations,
    facts,
    benchmarks: benchmarksOf(groups),
    warnings: warningsOf(framework, warningParts),
    settings,
    byCode,
    series,
    groups,
    warningParts,
  };
}

export function benchmarksOf(groups: readonly MetricPopulation[]): MetricPeriodBenchmark[] {
  return groups.flatMap((group) => group.byPeriod.map((b) => b.benchmark));
}

export function warningsOf(framework: Framework, parts: DatasetState["warningParts"]): string[] {
  const { inForce, unknownMetrics, judgements } = parts;
  const unknown =
    unknownMetrics.size === 0
      ? []
      : [
          `observations of ${plural(unknownMetrics.size, "metric")} not in ${framework.id} ignored: ` +
            [...unknownMetrics].sort(compareCodes).join(", "),
        ];
  return [...inForce, ...unknown, ...judgements];
}

/** An organisation's facts for one metric, from its population's benchmarks and its own SPC. */
export function metricFactsOf(
  settings: FactSettings,
  group: MetricPopulation,
  org: Organisation,
  spc: SpcFacts | null,
): MetricFacts {
  const { metric, population } = group;
  const positions = group.byPeriod.map((b) => ({
    evidence: metricEvidence(metric, b.benchmark, b.positions.get(org.code)),
    cut_points: b.benchmark.cut_points,
  }));
  return {
    metric,
    population,
    min_population: settings.minPopulation,
    periods: positions,
    current: positions[positions.length - 1] ?? {
      evidence: noData(metric, population),
      cut_points: null,
    },
    spc,
  };
}

/** A series' SPC facts in its population's current period; null for neutral metrics. */
export function spcOf(
  settings: FactSettings,
  group: MetricPopulation,
  points: readonly Point[],
): SpcFacts | null {
  if (group.metric.polarity === "neutral") return null;
  const current = group.periods[group.periods.length - 1] ?? null;
  return spcFacts(group.metric, points, current, settings.dramaticDrop, settings.allowed);
}

function openOrganisations(all: readonly Organisation[], asOf: CalendarDate): Organisation[] {
  const seen = new Set<string>();
  for (const org of all) {
    if (seen.has(org.code)) throw new RangeError(`organisation ${org.code} is given twice`);
    seen.add(org.code);
  }
  return all.filter((org) => isOpenOn(org, asOf)).sort((a, b) => compareCodes(a.code, b.code));
}

/** metric id → organisation code → points in period order, on or before the assessment date. */
function groupSeries(
  observations: readonly ObservationInput[],
  framework: Framework,
  organisations: ReadonlyMap<string, Organisation>,
  asOf: CalendarDate,
  unknownMetrics: Set<string>,
): Map<string, Map<string, Point[]>> {
  const metricIds = new Set(framework.metrics.map((m) => m.id));
  const series = new Map<string, Map<string, Point[]>>();
  // A national dataset has a few dozen distinct periods: each is checked once.
  const checkedPeriods = new Set<string>();
  // Datasets usually arrive ordered by organisation and metric: remember the last series.
  let lastMetric: string | null = null;
  let lastOrg: string | null = null;
  let lastPoints: Point[] | null = null;
  for (const obs of observations) {
    if (!Number.isFinite(obs.value)) {
      throw new RangeError(
        `${obs.org_code} ${obs.metric_id} ${obs.period}: value ${obs.value} is not finite`,
      );
    }
    if (!checkedPeriods.has(obs.period)) {
      if (!isCalendarDate(obs.period)) {
        throw new RangeError(
          `${obs.org_code} ${obs.metric_id}: period "${obs.period}" is not YYYY-MM-DD`,
        );
      }
      checkedPeriods.add(obs.period);
    }
    if (obs.period > asOf) continue;
    if (obs.metric_id !== lastMetric || obs.org_code !== lastOrg) {
      lastMetric = obs.metric_id;
      lastOrg = obs.org_code;
      lastPoints = null;
      if (!metricIds.has(obs.metric_id)) {
        unknownMetrics.add(obs.metric_id);
        continue;
      }
      if (!organisations.has(obs.org_code)) continue;
      let byOrg = series.get(obs.metric_id);
      if (!byOrg) series.set(obs.metric_id, (byOrg = new Map()));
      lastPoints = byOrg.get(obs.org_code) ?? null;
      if (!lastPoints) byOrg.set(obs.org_code, (lastPoints = []));
    }
    // The observation itself is the point: no copy of the national dataset.
    if (lastPoints) lastPoints.push(obs);
  }
  for (const [metricId, byOrg] of series) {
    for (const [orgCode, points] of byOrg) {
      // Datasets usually arrive in period order: sort only a series that is not.
      if (!inPeriodOrder(points)) points.sort((a, b) => compareCodes(a.period, b.period));
      for (let i = 1; i < points.length; i++) {
        if ((points[i] as Point).period === (points[i - 1] as Point).period) {
          throw new RangeError(
            `${orgCode} ${metricId} has two values for ${(points[i] as Point).period}`,
          );
        }
      }
    }
  }
  return series;
}

function inPeriodOrder(points: readonly Point[]): boolean {
  for (let i = 1; i < points.length; i++) {
    if ((points[i - 1] as Point).period > (points[i] as Point).period) return false;
  }
  return true;
}

/** The population's latest `keep` periods with any value, oldest first. */
export function latestPeriods(
  members: readonly Organisation[],
  series: ReadonlyMap<string, Point[]>,
  keep: number,
): string[] {
  const periods = new Set<string>();
  for (const org of members) {
    const points = series.get(org.code);
    if (!points) continue;
    // Each series is sorted: only its last `keep` points can be among the latest `keep` periods.
    for (let i = Math.max(0, points.length - keep); i < points.length; i++) {
      periods.add((points[i] as Point).period);
    }
  }
  return [...periods].sort(compareCodes).slice(-keep);
}

export function benchmarkPeriods(
  metric: FrameworkMetric,
  population: Population,
  periods: readonly string[],
  members: readonly Organisation[],
  series: ReadonlyMap<string, Point[]>,
  minPopulation: number,
): PeriodBenchmark[] {
  const entries = new Map(periods.map((p) => [p, [] as { org_code: string; value: number }[]]));
  const earliest = periods[0];
  for (const org of members) {
    const points = series.get(org.code);
    if (!points || earliest === undefined) continue;
    for (let i = points.length - 1; i >= 0 && (points[i] as Point).period >= earliest; i--) {
      const point = points[i] as Point;
      entries.get(point.period)?.push({ org_code: org.code, value: point.value });
    }
  }
  return periods.map((period) => {
    const benchmark = benchmarkMetricPeriod({
      metric,
      period,
      population,
      entries: entries.get(period) ?? [],
      minPopulation,
    });
    return {
      benchmark,
      positions: new Map(benchmark.positions.map((position) => [position.org_code, position])),
    };
  });
}

function metricEvidence(
  metric: FrameworkMetric,
  benchmark: MetricPeriodBenchmark,
  position: Position | undefined,
): MetricEvidence {
  const value = position?.value ?? null;
  return {
    type: "metric",
    metric_id: metric.id,
    period: benchmark.period,
    status: position === undefined ? "not_assessed" : benchmark.status,
    value,
    rank: position?.rank ?? null,
    n: benchmark.n,
    population: benchmark.population.id,
    percentile: position?.percentile ?? null,
    quartile: position?.quartile ?? null,
    decile: position?.decile ?? null,
    standard: value === null ? null : againstStandard(metric, value),
    cut_point: null,
  };
}

function noData(metric: FrameworkMetric, population: Population): MetricEvidence {
  return {
    type: "metric",
    metric_id: metric.id,
    period: null,
    status: "not_assessed",
    value: null,
    rank: null,
    n: 0,
    population: population.id,
    percentile: null,
    quartile: null,
    decile: null,
    standard: null,
    cut_point: null,
  };
}

/** SPC once per series, when it reaches the current period and is long enough. */
function spcFacts(
  metric: FrameworkMetric,
  points: readonly Point[],
  currentPeriod: string | null,
  params: EligibilityCriteria["segment_3"]["dramatic_drop"],
  allowed: ReadonlySet<RuleName>,
): SpcFacts {
  const last = points[points.length - 1];
  if (currentPeriod === null || last === undefined) {
    return { status: "not_assessable", reason: "no data", points: points.length };
  }
  if (last.period !== currentPeriod) {
    return {
      status: "not_assessable",
      reason: `no value for ${formatPeriod(currentPeriod, metric.frequency)}, the latest period`,
      points: points.length,
    };
  }
  if (points.length < params.min_points) {
    return {
      status: "not_assessable",
      reason: `only ${plural(points.length, "point")}, fewer than the ${params.min_points} the test needs`,
      points: points.length,
    };
  }
  const values: number[] = [];
  for (const point of points) values.push(point.value);
  // The points were checked as observations (groupSeries): seriesSignals does not check them
  // again, and keeps each point's signal as a byte rather than an object.
  const signals = seriesSignals(values, {
    polarity: metric.polarity,
    target: metric.standard?.value,
    runLength: params.run_length,
    trendLength: params.trend_length,
    minPoints: params.min_points,
  });
  return {
    status: "analysed",
    evidence: dramaticDropEvidence(metric, points, signals, params.recent_points, allowed),
    assurance_icon: signals.assurance_icon,
  };
}

function latestRatings(
  ratings: readonly CqcRatingInput[],
  organisations: ReadonlyMap<string, Organisation>,
  asOf: CalendarDate,
): Map<string, CqcRatingInput> {
  const latest = new Map<string, CqcRatingInput>();
  for (const rating of ratings) {
    if (!isCalendarDate(rating.published_on)) {
      throw new RangeError(
        `${rating.org_code}: CQC published_on "${rating.published_on}" is not YYYY-MM-DD`,
      );
    }
    if (!organisations.has(rating.org_code) || rating.published_on > asOf) continue;
    const held = latest.get(rating.org_code);
    if (held?.published_on === rating.published_on) {
      throw new RangeError(
        `${rating.org_code} has two CQC ratings published on ${rating.published_on}`,
      );
    }
    if (!held || held.published_on < rating.published_on) latest.set(rating.org_code, rating);
  }
  return latest;
}

function judgementsInEffect(
  judgements: readonly JudgementInput[],
  framework: Framework,
  organisations: ReadonlyMap<string, Organisation>,
  asOf: CalendarDate,
  warnings: string[],
): Map<string, JudgementInput[]> {
  const themeIds = new Set(framework.themes.map((t) => t.id));
  const byOrg = new Map<string, JudgementInput[]>();
  for (const j of judgements) {
    if (!j.recorded_by.trim()) throw new RangeError(`${j.org_code} ${j.kind}: no author recorded`);
    for (const [field, date] of [
      ["recorded_on", j.recorded_on],
      ["ends_on", j.ends_on ?? null],
    ] as const) {
      if (date !== null && !isCalendarDate(date)) {
        throw new RangeError(`${j.org_code} ${j.kind}: ${field} "${date}" is not YYYY-MM-DD`);
      }
    }
    const inEffect = j.recorded_on <= asOf && (!j.ends_on || asOf < j.ends_on);
    if (!inEffect || !organisations.has(j.org_code)) continue;
    const list = byOrg.get(j.org_code) ?? [];
    if (j.theme && !themeIds.has(j.theme)) {
      // Recorded under another framework version: the need stands, organisation-wide.
      warnings.push(
        `${j.org_code} ${j.kind} recorded on ${j.recorded_on} names theme "${j.theme}", ` +
          `not in ${framework.id}: treated as organisation-wide`,
      );
      list.push({ ...j, theme: null });
    } else {
      list.push(j);
    }
    byOrg.set(j.org_code, list);
  }
  for (const list of byOrg.values()) {
    list.sort(
      (a, b) =>
        compareCodes(a.recorded_on, b.recorded_on) ||
        compareCodes(a.kind, b.kind) ||
        compareCodes(a.id ?? "", b.id ?? "") ||
        compareCodes(a.summary, b.summary),
    );
  }
  return byOrg;
}
