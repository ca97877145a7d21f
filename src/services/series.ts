/**
 * Use case: one metric's series for one organisation with its Making Data Count analysis (DOMAIN
 * §8), as the assessment sees it: the framework in force on the date, observations for periods
 * ended by then, and the SPC settings the framework's dramatic-drop criterion uses (run and trend
 * lengths, fewest points), with the metric's standard as the target — so the chart's icons are
 * the ones the explanation cites.
 */
import type { FrameworkMetric } from "../domain/frameworks/schema.js";
import type { CalendarDate } from "../domain/shared/dates.js";
import { analyseSeries, type SpcOptions, type SpcResult } from "../domain/spc/index.js";
import { frameworkFor } from "./assessment.js";
import type { ServiceContext } from "./context.js";
import { NotFoundError } from "./errors.js";

export interface MetricSeries {
  framework: { id: string; short_name: string };
  metric: FrameworkMetric;
  org_code: string;
  as_of: CalendarDate;
  /** The metric's standard, used as the SPC target; null when it has none. */
  target: number | null;
  spc: SpcResult;
}

export async function metricSeries(
  ctx: ServiceContext,
  options: { orgCode: string; metricId: string; asOf: CalendarDate; frameworkId?: string },
): Promise<MetricSeries> {
  const framework = frameworkFor(ctx, options.asOf, options.frameworkId);
  if (!framework.metrics.some((m) => m.id === options.metricId))
    throw new NotFoundError(`${framework.id} has no metric ${options.metricId}`);
  const [series] = await metricsSeries(ctx, { ...options, metricIds: [options.metricId] });
  return series!;
}

/** Several metrics' series for one organisation, read in one query (an organisation's profile). */
export async function metricsSeries(
  ctx: ServiceContext,
  options: { orgCode: string; metricIds: string[]; asOf: CalendarDate; frameworkId?: string },
): Promise<MetricSeries[]> {
  const framework = frameworkFor(ctx, options.asOf, options.frameworkId);
  const metrics = options.metricIds.map((id) => {
    const metric = framework.metrics.find((m) => m.id === id);
    if (!metric) throw new NotFoundError(`${framework.id} has no metric ${id}`);
    return metric;
  });
  const rows = await ctx.db.query<{ metric_id: string; period: string; value: number }>(
    `SELECT metric_id, period_start AS period, value FROM observations
      WHERE superseded_at IS NULL AND org_code = $1 AND metric_id = ANY($2::text[])
        AND period_end <= $3
      ORDER BY metric_id, period_start`,
    [options.orgCode, metrics.map((m) => m.id), options.asOf],
  );
  const pointsOf = new Map<string, { period: string; value: number }[]>();
  for (const r of rows)
    pointsOf.set(r.metric_id, [
      ...(pointsOf.get(r.metric_id) ?? []),
      { period: r.period, value: Number(r.value) },
    ]);
  const drop =
    framework.criteria.method === "eligibility"
      ? framework.criteria.segment_3.dramatic_drop
      : undefined;
  return metrics.map((metric) => {
    const target = metric.standard?.value ?? null;
    const settings: SpcOptions = { polarity: metric.polarity, target: target ?? undefined };
    const spc = analyseSeries(
      pointsOf.get(metric.id) ?? [],
      drop
        ? {
            ...settings,
            runLength: drop.run_length,
            trendLength: drop.trend_length,
            minPoints: drop.min_points,
          }
        : settings,
    );
    return {
      framework: { id: framework.id, short_name: framework.short_name },
      metric,
      org_code: options.orgCode,
      as_of: options.asOf,
      target,
      spc,
    };
  });
}
