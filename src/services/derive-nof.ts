/**
 * Use case (requirements §19): `oversight nof derive` — every framework metric the imported national
 * statistics can make for a quarter, by the framework's `statistics.derivations`, compared trust
 * by trust with NHS England's published values; each metric that cannot be made says why.
 */
import { readFileSync } from "node:fs";
import { scoredCriteriaOf } from "../domain/scoring/assess-population.js";
import { scoreMetrics } from "../domain/scoring/metric-scores.js";
import type { OrgCode } from "../domain/organisations/organisation.js";
import {
  compareScores,
  compareWithPublished,
  type DerivedValue,
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

/**
 * A derived metric's score by the framework's own rule (its `scoring`), from our values ranked
 * within each trust type of the comparison file, beside NHS England's published score. None where
 * the framework version does not score the metric.
 */
function scoreFromStatistics(
  framework: Framework,
  metricId: string,
  ours: ReadonlyMap<string, DerivedValue>,
  trustTypes: ReadonlyMap<string, ReadonlySet<OrgCode>>,
  published: ReadonlyMap<string, ReadonlyMap<string, number>>,
) {
  const metric = framework.metrics.find((m) => m.id === metricId);
  const scoreId = metric?.scoring?.published_score_id;
  if (!metric || !scoreId || framework.criteria.method !== "scored") return undefined;
  const range = scoredCriteriaOf(framework).score_range;
  const scores = new Map<string, number>();
  for (const members of trustTypes.values()) {
    const values = new Map<OrgCode, number>();
    for (const org of members) {
      const value = ours.get(org);
      if (value) values.set(org, value.exact);
    }
    const scored = scoreMetrics({ ...framework, metrics: [metric] }, range, {
      members: [...members],
      covers: "peer_group",
      values: new Map([[metricId, values]]),
    }).get(metricId);
    for (const [org, s] of scored ?? []) if (s.score !== null) scores.set(org, s.score);
  }
  return compareScores(scoreId, scores, published.get(scoreId) ?? new Map(), 0.01);
}

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
  // Published raw values of the quarter, metric → trust → value; the trusts of each trust type.
  const published = new Map<string, Map<string, number>>();
  const trustTypes = new Map<string, Set<OrgCode>>();
  for (const row of read.rows) {
    if (row.quarter.label !== quarter.label) continue;
    trustTypes.set(row.trustType, (trustTypes.get(row.trustType) ?? new Set()).add(row.trustCode));
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
    const score = scoreFromStatistics(framework, d.metric, ours, trustTypes, published);
    if (score) agreement.score = score;
    metrics[d.metric] = agreement;
  }
  for (const n of statistics.not_derived) metrics[n.metric] ??= noComparison(n.reason);
  const sorted = Object.fromEntries(Object.entries(metrics).sort(([a], [b]) => (a < b ? -1 : 1)));
  return { ok: true, report: { quarter: quarter.label, framework: framework.id, metrics: sorted } };
}
