/**
 * Incremental re-assessment. A session keeps the run together with what it was derived from —
 * the series, each metric-population's benchmarks, each organisation's facts — so that one new or
 * revised observation recomputes only what it touches:
 *
 * - the benchmark of its metric-period in its organisation's population, when that period is one
 *   of the population's latest (all of them when the latest periods move: a new latest period);
 * - the SPC of its one series (of every series in the population when the current period moves,
 *   since a series must reach the current period to be analysed);
 * - criteria, explanations and paths of the organisations whose facts changed: its own, and those
 *   whose position or cut-points moved. Other populations and metrics are untouched.
 *
 * The result is exactly what `assessOrganisations` gives on the updated input (session.test.ts
 * proves it). Pure: no clock, no I/O.
 */
import { compareCodes } from "../benchmarking/index.js";
import type {
  MetricFacts,
  OrganisationFacts,
  PeriodPosition,
  SpcFacts,
} from "../criteria/facts.js";
import { SlotMemo } from "../criteria/memo.js";
import type { FrameworkMetric } from "../frameworks/schema.js";
import { isCalendarDate } from "../shared/dates.js";
import { assessOne } from "./assess.js";
import {
  benchmarkPeriods,
  benchmarksOf,
  buildDatasetState,
  latestPeriods,
  metricFactsOf,
  spcOf,
  warningsOf,
  type DatasetState,
  type MetricPopulation,
  type Point,
} from "./facts.js";
import type { AssessmentInput, AssessmentRun, ObservationInput } from "./types.js";

/** What one update recomputed, and the run it gives. */
export interface AssessmentUpdate {
  run: AssessmentRun;
  recomputed: {
    /** Metric-period benchmarks recomputed. */
    benchmarks: number;
    /** Series analysed again by SPC. */
    series: number;
    /** Organisations whose facts changed, re-assessed, by code. */
    organisations: string[];
  };
}

export class AssessmentSession {
  #state: DatasetState;
  #metrics: Map<string, FrameworkMetric>;
  /** `metric id \0 organisation code` → the population the organisation is benchmarked in. */
  #groupOf = new Map<string, MetricPopulation>();
  #index: Map<string, number>;
  #facts: OrganisationFacts[];
  /** Each organisation's remembered parts, so a re-assessment re-derives only what changed. */
  #memos: SlotMemo[];
  #run: AssessmentRun;

  constructor(input: AssessmentInput) {
    this.#state = buildDatasetState(input);
    const { framework } = input;
    this.#metrics = new Map(framework.metrics.map((m) => [m.id, m]));
    for (const group of this.#state.groups) {
      for (const org of group.members) this.#groupOf.set(`${group.metric.id}\0${org.code}`, group);
    }
    this.#index = new Map(this.#state.organisations.map((org, i) => [org.code as string, i]));
    this.#facts = this.#state.facts.slice();
    this.#memos = this.#facts.map(() => new SlotMemo());
    this.#run = {
      framework: { id: framework.id, name: framework.name, short_name: framework.short_name },
      as_of: input.as_of,
      benchmarks: this.#state.benchmarks,
      assessments: this.#facts.map((f, i) => assessOne(framework, input.as_of, f, this.#memos[i])),
      warnings: this.#state.warnings,
    };
  }

  /** The current run: that of the input with every update so far applied. */
  get run(): AssessmentRun {
    return this.#run;
  }

  /**
   * A new observation, or a revised value for an organisation, metric and period already given.
   * Returns a new run; earlier runs are left as they were.
   */
  update(observation: ObservationInput): AssessmentUpdate {
    const { org_code: orgCode, metric_id: metricId, period, value } = observation;
    const unchanged = {
      run: this.#run,
      recomputed: { benchmarks: 0, series: 0, organisations: [] },
    };
    // The same checks, in the same order, as the full assessment's.
    if (!Number.isFinite(value)) {
      throw new RangeError(`${orgCode} ${metricId} ${period}: value ${value} is not finite`);
    }
    if (!isCalendarDate(period)) {
      throw new RangeError(`${orgCode} ${metricId}: period "${period}" is not YYYY-MM-DD`);
    }
    const state = this.#state;
    const { settings } = state;
    if (period > settings.asOf) return unchanged;
    const metric = this.#metrics.get(metricId);
    if (!metric) {
      const unknown = state.warningParts.unknownMetrics;
      if (unknown.has(metricId)) return unchanged;
      unknown.add(metricId);
      state.warnings = warningsOf(settings.framework, state.warningParts);
      this.#run = { ...this.#run, warnings: state.warnings };
      return { ...unchanged, run: this.#run };
    }
    if (!state.byCode.has(orgCode)) return unchanged;

    let metricSeries = state.series.get(metricId);
    if (!metricSeries) state.series.set(metricId, (metricSeries = new Map()));
    let points = metricSeries.get(orgCode);
    if (!points) metricSeries.set(orgCode, (points = []));
    upsertPoint(points, { period, value });
    const group = this.#groupOf.get(`${metricId}\0${orgCode}`);
    // A metric that does not apply to the organisation is neither benchmarked nor analysed.
    if (!group) return unchanged;

    const before = group.periods;
    const periods = latestPeriods(group.members, metricSeries, settings.keep);
    const periodsMoved =
      periods.length !== before.length || periods.some((p, i) => p !== before[i]);
    let benchmarks = 0;
    if (periodsMoved) {
      group.periods = periods;
      group.byPeriod = benchmarkPeriods(
        metric,
        group.population,
        periods,
        group.members,
        metricSeries,
        settings.minPopulation,
      );
      benchmarks = periods.length;
    } else {
      const i = periods.indexOf(period);
      if (i >= 0) {
        const byPeriod = group.byPeriod.slice();
        byPeriod[i] = benchmarkPeriods(
          metric,
          group.population,
          [period],
          group.members,
          metricSeries,
          settings.minPopulation,
        )[0] as (typeof byPeriod)[number];
        group.byPeriod = byPeriod;
        benchmarks = 1;
      }
    }
    // Every series must reach the current period to be analysed: if it moved, all are redone.
    const currentMoved = periods[periods.length - 1] !== before[before.length - 1];
    const candidates = benchmarks > 0 ? group.members : [state.byCode.get(orgCode)!];

    const assessments = this.#run.assessments.slice();
    const reassessed: string[] = [];
    let series = 0;
    for (const org of candidates) {
      const i = this.#index.get(org.code) as number;
      const facts = this.#facts[i] as OrganisationFacts;
      const m = facts.metrics.findIndex((f) => f.metric === metric);
      const old = facts.metrics[m] as MetricFacts;
      let spc: SpcFacts | null = old.spc;
      const analyse = metric.polarity !== "neutral" && (currentMoved || org.code === orgCode);
      if (analyse) {
        spc = spcOf(settings, group, metricSeries.get(org.code) ?? []);
        series++;
      }
      const fresh = metricFactsOf(settings, group, org, spc);
      if (!analyse && samePositions(old.periods, fresh.periods)) continue;
      const metrics = facts.metrics.slice();
      metrics[m] = fresh;
      const updated: OrganisationFacts = { ...facts, metrics };
      this.#facts[i] = updated;
      assessments[i] = assessOne(settings.framework, this.#run.as_of, updated, this.#memos[i]);
      reassessed.push(org.code);
    }
    if (benchmarks > 0) state.benchmarks = benchmarksOf(state.groups);
    this.#run = { ...this.#run, benchmarks: state.benchmarks, assessments };
    return {
      run: this.#run,
      recomputed: { benchmarks, series, organisations: reassessed.sort(compareCodes) },
    };
  }
}

/** A session over the input: its `run` is `assessOrganisations(input)`. */
export function createAssessment(input: AssessmentInput): AssessmentSession {
  return new AssessmentSession(input);
}

/** Inserts the point in period order, or replaces the value of its period. */
function upsertPoint(points: Point[], point: Point): void {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((points[mid] as Point).period < point.period) lo = mid + 1;
    else hi = mid;
  }
  if (points[lo]?.period === point.period) points[lo] = point;
  else points.splice(lo, 0, point);
}

function samePositions(a: readonly PeriodPosition[], b: readonly PeriodPosition[]): boolean {
  return a.length === b.length && a.every((p, i) => samePosition(p, b[i] as PeriodPosition));
}

function samePosition(a: PeriodPosition, b: PeriodPosition): boolean {
  const x = a.evidence;
  const y = b.evidence;
  return (
    x.period === y.period &&
    x.status === y.status &&
    x.value === y.value &&
    x.rank === y.rank &&
    x.n === y.n &&
    x.percentile === y.percentile &&
    x.quartile === y.quartile &&
    x.decile === y.decile &&
    sameCuts(a.cut_points, b.cut_points)
  );
}

function sameCuts(a: PeriodPosition["cut_points"], b: PeriodPosition["cut_points"]): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.quartiles.every((q, i) => Object.is(q, b.quartiles[i])) &&
    a.deciles.length === b.deciles.length &&
    a.deciles.every((d, i) => Object.is(d, b.deciles[i]))
  );
}
