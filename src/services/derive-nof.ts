/**
 * Use case (Issue 19): `oversight nof derive` — every framework metric the imported national
 * statistics can make for a quarter, by the framework's `statistics.derivations`, compared trust
 * by trust with NHS England's published values; each metric that cannot be made says why.
 */
import { readFileSync } from "node:fs";
import {
  compareWithPublished,
  deriveQuarter,
  type MeasureObservation,
  type MetricAgreement,
} from "../domain/statistics/derive.js";
import type { Framework } from "../domain/frameworks/schema.js";
import type { Rejection } from "../ingest/csv-file.js";
import { parseNofQuarter, readNofPublished } from "../ingest/nof-published.js";
import type { ServiceContext } from "./context.js";
import { InvalidInputError } from "./errors.js";

export interface NofDerivation {
  quarter: string;
  framework: string;
  metrics: Record<string, MetricAgreement>;
}

export type NofDerivationResult =
  { ok: true; report: NofDerivation } | { ok: false; rejections: Rejection[] };

async function observationsOf(
  ctx: ServiceContext,
  metricId: string,
): Promise<MeasureObservation[]> {
  return ctx.db.query<MeasureObservation>(
    `SELECT org_code, to_char(period_start, 'YYYY-MM-DD') AS period_start,
            to_char(period_end, 'YYYY-MM-DD') AS period_end, value, numerator, denominator
       FROM observations WHERE metric_id = $1 AND superseded_at IS NULL`,
    [metricId],
  );
}

const noComparison = (reason: string): MetricAgreement => ({
  compared: 0,
  agreed: 0,
  tolerance: 0,
  disagreements: [],
  not_derived: [],
  reason,
});

export async function deriveNof(
  ctx: ServiceContext,
  quarterLabel: string,
  comparePath: string,
): Promise<NofDerivationResult> {
  const quarter = parseNofQuarter(quarterLabel);
  if (!quarter)
    throw new InvalidInputError(`--quarter "${quarterLabel}": expected e.g. Q1 2025/26`);
  const framework: Framework | undefined = ctx.frameworks.inForceOn(quarter.start);
  const statistics = framework?.statistics;
  if (!framework || !statistics)
    throw new InvalidInputError(
      `no framework in force in ${quarter.label} derives metrics from statistics`,
    );
  let bytes: Buffer;
  try {
    bytes = readFileSync(comparePath);
  } catch {
    throw new InvalidInputError(`cannot read ${comparePath}`);
  }
  const read = readNofPublished(comparePath, bytes, { quarter: quarter.label });
  if (!read.ok) return read;
  // Published raw values of the quarter, metric → trust → value.
  const published = new Map<string, Map<string, number>>();
  for (const row of read.rows) {
    if (row.quarter.label !== quarter.label) continue;
    const byTrust = published.get(row.id) ?? new Map<string, number>();
    byTrust.set(row.trustCode, row.value);
    published.set(row.id, byTrust);
  }
  const fedMetric = new Map<string, string>();
  for (const metric of ctx.frameworks.metricCatalogue().values())
    if (metric.feed) fedMetric.set(metric.feed, metric.id);
  const metrics: Record<string, MetricAgreement> = {};
  for (const d of statistics.derivations) {
    const measure = statistics.measures.find((m) => m.feed === d.feed);
    const metricId = fedMetric.get(d.feed);
    if (!measure || !metricId) {
      metrics[d.metric] = noComparison(`no measure or metric takes ${d.feed}`);
      continue;
    }
    const ours = deriveQuarter(
      d.period,
      quarter.start,
      measure.scale,
      d.decimals,
      await observationsOf(ctx, metricId),
    );
    const agreement = compareWithPublished(ours, published.get(d.metric) ?? new Map(), d.decimals);
    if (agreement.compared === 0)
      agreement.reason =
        ours.size === 0
          ? `no imported ${d.feed} observations for ${quarter.label} (${d.period}): import the statistics of the period the published value covers`
          : `the comparison file has no ${d.metric} value for the trusts derived`;
    else if (d.note) agreement.reason = d.note;
    metrics[d.metric] = agreement;
  }
  for (const n of statistics.not_derived) metrics[n.metric] ??= noComparison(n.reason);
  const sorted = Object.fromEntries(Object.entries(metrics).sort(([a], [b]) => (a < b ? -1 : 1)));
  return { ok: true, report: { quarter: quarter.label, framework: framework.id, metrics: sorted } };
}
