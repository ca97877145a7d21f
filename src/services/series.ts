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
  const metric = framework.metrics.find((m) => m.id === options.metricId);
  if (!metric) throw new NotFoundError(`${framework.id} has no metric ${options.metricId}`);
  const points = await ctx.db.query<{ period: string; value: number }>(
    `SELECT period_start AS period, value FROM observations
      WHERE superseded_at IS NULL AND org_code = $1 AND metric_id = $2 AND period_end <= $3
      ORDER BY period_start`,
    [options.orgCode, metric.id, options.asOf],
  );
  const target = metric.standard?.value ?? null;
  const settings: SpcOptions = { polarity: metric.polarity, target: target ?? undefined };
  const drop =
    framework.criteria.method === "eligibility"
      ? framework.criteria.segment_3.dramatic_drop
      : undefined;
  const spc = analyseSeries(
    points.map((p) => ({ period: p.period, value: Number(p.value) })),
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
}
