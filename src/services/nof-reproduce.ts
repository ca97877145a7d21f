/**
 * Use case: reproduce NHS England's published NHS Oversight Framework figures from the same file.
 * Each figure is recomputed from the published figures it is made from, by the rules of the
 * framework in force in the quarter, so every rule is checked on its own and one step's rounding
 * or missing input does not spill into the next: metric scores from raw values, domain scores and
 * the average from published metric scores, segments from the published average, override and
 * programme flags, league positions from published segments and averages. Nothing is looked up
 * from the published values it is compared with.
 */
import { readFileSync } from "node:fs";
import type { FrameworkRegistry } from "../domain/frameworks/registry.js";
import type { Framework } from "../domain/frameworks/schema.js";
import type { OrgCode } from "../domain/organisations/organisation.js";
import { scoredCriteriaOf, type ScoredCriteria } from "../domain/scoring/assess-population.js";
import { leaguePositions } from "../domain/scoring/league.js";
import { scoreMetrics, type ScoreRange } from "../domain/scoring/metric-scores.js";
import {
  adjustedSegment,
  finalSegment,
  inFinancialDeficit,
  unadjustedSegments,
  type ScoredSegment,
} from "../domain/scoring/segments.js";
import { averageScore, domainScores } from "../domain/scoring/summary-scores.js";
import type { Rejection } from "../ingest/csv-file.js";
import {
  readNofPublished,
  type NofPublishedRow,
  type NofReadOptions,
  type NofQuarter,
} from "../ingest/nof-published.js";

/** The bar for scores: published scores are rounded to 0.01. */
export const SCORE_TOLERANCE = 0.01;

/** Ours beside the published value; `ours` is null where the file cannot determine it. */
export interface Figure<T> {
  ours: T | null;
  published: T | null;
  /** Null unless both are known. */
  agrees: boolean | null;
  reason?: string;
}

export interface ReproducedRow {
  quarter: string;
  trust_code: string;
  trust_name: string;
  average_score: Figure<number>;
  adjusted_segment: Figure<number>;
  unadjusted_segment: Figure<number>;
  financial_override: Figure<boolean>;
  final_segment: Figure<number>;
  league_rank: Figure<number>;
  domain_scores: Record<string, Figure<number>>;
  metric_scores: Record<string, Figure<number>>;
}

export interface Tally {
  /** Cells with a published value. */
  published: number;
  /** Cells with both values. */
  compared: number;
  agreed: number;
  /** Published cells the file's inputs cannot determine. */
  not_determined: number;
  /** agreed / compared; null when nothing was compared. */
  rate: number | null;
}

export interface FigureAgreement extends Tally {
  /** What ours is computed from. */
  basis: string;
  tolerance?: number;
}

export const SINGLE_FIGURES = [
  "average_score",
  "adjusted_segment",
  "unadjusted_segment",
  "financial_override",
  "final_segment",
  "league_rank",
] as const;
export type SingleFigure = (typeof SINGLE_FIGURES)[number];
export const FIGURE_GROUPS = ["domain_scores", "metric_scores"] as const;
export type FigureGroup = (typeof FIGURE_GROUPS)[number];

export interface Reproduction {
  source: { file: string; sha256: string };
  quarters: { quarter: string; framework: string; trusts: number }[];
  rows: ReproducedRow[];
  agreement: Record<SingleFigure, FigureAgreement> &
    Record<FigureGroup, FigureAgreement & { by_id: Record<string, Tally> }>;
}

export type ReproductionResult =
  { ok: true; report: Reproduction } | { ok: false; rejections: Rejection[] };

const BASIS: Record<SingleFigure | FigureGroup, string> = {
  metric_scores:
    "the file's raw values scored by the framework's rules; a metric ranked among a wider population than the file, or scored from a CQC rating the file does not carry, is not determined",
  domain_scores:
    "the mean of the published metric scores in the domain, a combined score standing in for its parts",
  average_score:
    "the mean of the published metric scores, a combined score standing in for its parts",
  unadjusted_segment:
    "the framework's segmentation (quartile cut-points or fixed thresholds) of the published average scores over the trust type in the file",
  financial_override:
    "the financial position metric's value against the framework's deficit threshold",
  adjusted_segment: "the published unadjusted segment and financial override flag",
  final_segment: "the published adjusted segment and Recovery Support Programme flag",
  league_rank:
    "the published adjusted segments and average scores, in the framework's league order within the trust type",
};

const SCORE_FIGURES = new Set<string>(["average_score", "domain_scores", "metric_scores"]);

/** Code-point order: the same on every machine, unlike a locale's collation. */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Two decimals, as the published scores. */
function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function scoreFigure(
  ours: number | undefined | null,
  published: number | undefined,
  reason: string,
): Figure<number> {
  return figure(
    ours == null ? null : round2(ours),
    published ?? null,
    reason,
    // Compared unrounded: within 0.01 of the published value stays within it once rounded.
    ours == null || published === undefined
      ? null
      : Math.abs(ours - published) <= SCORE_TOLERANCE + 1e-9,
  );
}

function figure<T>(
  ours: T | null,
  published: T | null,
  reason: string,
  agrees?: boolean | null,
): Figure<T> {
  const known = ours !== null && published !== null;
  return {
    ours,
    published,
    agrees: known ? (agrees ?? ours === published) : null,
    ...(ours === null ? { reason } : {}),
  };
}

interface PublicationIds {
  criteria: ScoredCriteria;
  published: NonNullable<ScoredCriteria["published_ids"]>;
  /** Metric id → the id of its published score. */
  scoreIds: Map<string, string>;
  /** Ids of published figures that are scores, not raw values. */
  scoreIdSet: Set<string>;
}

function publicationIds(framework: Framework): PublicationIds | undefined {
  if (framework.criteria.method !== "scored") return undefined;
  const criteria = scoredCriteriaOf(framework);
  const published = criteria.published_ids;
  if (!published) return undefined;
  const scoreIds = new Map(
    framework.metrics.flatMap((m) =>
      m.scoring?.published_score_id ? [[m.id, m.scoring.published_score_id] as const] : [],
    ),
  );
  return { criteria, published, scoreIds, scoreIdSet: new Set(scoreIds.values()) };
}

/** One trust's published figures in one quarter, by id. */
type TrustRows = Map<string, NofPublishedRow>;

/** Reproduces one trust type in one quarter. */
function reproducePopulation(
  framework: Framework,
  ids: PublicationIds,
  quarter: NofQuarter,
  trusts: Map<OrgCode, TrustRows>,
): ReproducedRow[] {
  const { criteria, published, scoreIds, scoreIdSet } = ids;
  const range: ScoreRange = criteria.score_range;
  const members = [...trusts.keys()].sort();
  const valueOf = (org: OrgCode, id: string | undefined) =>
    id === undefined ? undefined : trusts.get(org)?.get(id)?.value;

  // Metric scores from raw values: the file holds the whole trust type (one peer group).
  // The file's values are rounded (to 0.01); its ranks, from unrounded values, order the values
  // that rounding made equal, and only those.
  const values = new Map<string, Map<OrgCode, number>>();
  const positions = new Map<string, Map<OrgCode, number>>();
  for (const metric of framework.metrics) {
    if (scoreIdSet.has(metric.id)) continue;
    const byOrg = new Map<OrgCode, number>();
    const rankOf = new Map<OrgCode, number>();
    for (const org of members) {
      const row = trusts.get(org)?.get(metric.id);
      if (row !== undefined) byOrg.set(org, row.value);
      if (row?.rank != null) rankOf.set(org, row.rank);
    }
    if (byOrg.size > 0) values.set(metric.id, byOrg);
    if (rankOf.size > 0) positions.set(metric.id, rankOf);
  }
  const ourMetricScores = scoreMetrics(framework, range, {
    members,
    covers: "peer_group",
    values,
    positions,
  });

  const publishedScores = (org: OrgCode) =>
    new Map(
      [...scoreIds].flatMap(([metricId, scoreId]) => {
        const value = valueOf(org, scoreId);
        return value === undefined ? [] : [[metricId, value] as const];
      }),
    );
  const publishedAverages = new Map(
    members.flatMap((org) => {
      const average = valueOf(org, published.average_score);
      return average === undefined ? [] : [[org, average] as const];
    }),
  );
  const ourUnadjusted = unadjustedSegments(criteria.segmentation, publishedAverages, range);
  const override = criteria.financial_override;
  const positionMetrics = framework.metrics.filter((m) => m.roles.includes(override.metric_role));
  const publishedFlag = (org: OrgCode, id: string | undefined) => {
    const value = valueOf(org, id);
    return value === undefined ? undefined : value === 1;
  };
  const ourAdjusted = (org: OrgCode) => {
    const unadjusted = valueOf(org, published.unadjusted_segment);
    const inDeficit = publishedFlag(org, published.financial_override);
    return unadjusted === undefined || inDeficit === undefined
      ? null
      : adjustedSegment(unadjusted as ScoredSegment, inDeficit, override);
  };
  const ourLeague = leaguePositions(
    members.flatMap((org) => {
      const segment = valueOf(org, published.adjusted_segment);
      const average = valueOf(org, published.average_score);
      return segment === undefined || average === undefined
        ? []
        : [{ org, adjusted_segment: segment, average_score: average }];
    }),
    criteria.league_order,
    range,
  );

  return members.map((org): ReproducedRow => {
    const rows = trusts.get(org)!;
    const scores = publishedScores(org);
    const metric_scores: Record<string, Figure<number>> = {};
    for (const [metricId, scoreId] of [...scoreIds].sort(([, a], [, b]) => byText(a, b))) {
      const ours = ourMetricScores.get(metricId)?.get(org);
      const publishedScore = valueOf(org, scoreId);
      if (publishedScore === undefined && ours?.score == null) continue;
      metric_scores[scoreId] = scoreFigure(
        ours?.score,
        publishedScore,
        ours && "reason" in ours ? ours.reason : "not scored",
      );
    }
    const ourDomains = domainScores(framework, scores);
    const domain_scores: Record<string, Figure<number>> = {};
    for (const [theme, id] of Object.entries(published.domain_scores).sort(([, a], [, b]) =>
      byText(a, b),
    )) {
      const ours = ourDomains.get(theme);
      const publishedScore = valueOf(org, id);
      if (ours === undefined && publishedScore === undefined) continue;
      domain_scores[id] = scoreFigure(
        ours,
        publishedScore,
        "no published metric score in the domain",
      );
    }
    const position = positionMetrics
      .map((m) => values.get(m.id)?.get(org))
      .find((v) => v !== undefined);
    const adjusted = valueOf(org, published.adjusted_segment);
    const inProgramme = publishedFlag(org, published.overlay_member);
    const first = [...rows.values()][0]!;
    return {
      quarter: quarter.label,
      trust_code: org,
      trust_name: first.trustName,
      average_score: scoreFigure(
        averageScore(framework, scores),
        valueOf(org, published.average_score),
        "no published metric score",
      ),
      adjusted_segment: figure(
        ourAdjusted(org),
        valueOf(org, published.adjusted_segment) ?? null,
        "the file lacks the unadjusted segment or the financial override flag",
      ),
      unadjusted_segment: figure(
        ourUnadjusted.get(org) ?? null,
        valueOf(org, published.unadjusted_segment) ?? null,
        "no published average score",
      ),
      financial_override: figure(
        position === undefined ? null : inFinancialDeficit(position, override),
        publishedFlag(org, published.financial_override) ?? null,
        "no value of the financial position metric",
      ),
      final_segment: figure(
        adjusted === undefined || inProgramme === undefined
          ? null
          : finalSegment(adjusted as ScoredSegment, inProgramme, criteria.overlay_segment),
        valueOf(org, published.final_segment) ?? null,
        "the file lacks the adjusted segment or the Recovery Support Programme flag",
      ),
      league_rank: figure(
        ourLeague.get(org) ?? null,
        published.league_rank_of === undefined
          ? null
          : (rows.get(published.league_rank_of)?.rank ?? null),
        "the file lacks the adjusted segment or the average score",
      ),
      domain_scores,
      metric_scores,
    };
  });
}

function emptyTally(): Tally {
  return { published: 0, compared: 0, agreed: 0, not_determined: 0, rate: null };
}

function count(tally: Tally, cell: Figure<unknown>): void {
  if (cell.published !== null) tally.published++;
  if (cell.published !== null && cell.ours === null) tally.not_determined++;
  if (cell.agrees !== null) tally.compared++;
  if (cell.agrees === true) tally.agreed++;
  tally.rate =
    tally.compared === 0 ? null : Math.round((tally.agreed / tally.compared) * 10000) / 10000;
}

function agreementOf(rows: readonly ReproducedRow[]): Reproduction["agreement"] {
  const basis = (name: SingleFigure | FigureGroup): FigureAgreement => ({
    ...emptyTally(),
    basis: BASIS[name],
    ...(SCORE_FIGURES.has(name) ? { tolerance: SCORE_TOLERANCE } : {}),
  });
  const single = Object.fromEntries(SINGLE_FIGURES.map((f) => [f, basis(f)])) as Record<
    SingleFigure,
    FigureAgreement
  >;
  const groups = Object.fromEntries(
    FIGURE_GROUPS.map((g) => [g, { ...basis(g), by_id: {} as Record<string, Tally> }]),
  ) as Record<FigureGroup, FigureAgreement & { by_id: Record<string, Tally> }>;
  for (const row of rows) {
    for (const f of SINGLE_FIGURES) count(single[f], row[f]);
    for (const g of FIGURE_GROUPS) {
      for (const [id, cell] of Object.entries(row[g])) {
        count(groups[g], cell);
        count((groups[g].by_id[id] ??= emptyTally()), cell);
      }
    }
  }
  for (const g of FIGURE_GROUPS)
    groups[g].by_id = Object.fromEntries(
      Object.entries(groups[g].by_id).sort(([a], [b]) => byText(a, b)),
    );
  return { ...single, ...groups };
}

/** Reproduces a read file's figures; rows the frameworks cannot place are rejected. */
export function reproduceNofRows(
  frameworks: FrameworkRegistry,
  file: { name: string; sha256: string; rows: readonly NofPublishedRow[] },
): ReproductionResult {
  const rejections: Rejection[] = [];
  const quarters = new Map<string, { quarter: NofQuarter; rows: NofPublishedRow[] }>();
  for (const row of file.rows) {
    const entry = quarters.get(row.quarter.label) ?? { quarter: row.quarter, rows: [] };
    entry.rows.push(row);
    quarters.set(row.quarter.label, entry);
  }
  const reproduced: ReproducedRow[] = [];
  const summary: Reproduction["quarters"] = [];
  const ordered = [...quarters.values()].sort((a, b) => byText(a.quarter.start, b.quarter.start));
  for (const { quarter, rows } of ordered) {
    const framework = frameworks.inForceOn(quarter.start);
    const ids = framework && publicationIds(framework);
    if (!framework || !ids) {
      rejections.push({
        file: file.name,
        line: rows[0]!.line,
        reason: `no framework in force on ${quarter.start} (${quarter.label}) says how its published figures are scored`,
      });
      continue;
    }
    const populations = new Map<string, Map<OrgCode, TrustRows>>();
    for (const row of rows) {
      const population = ids.published.trust_types[row.trustType];
      if (population === undefined) {
        rejections.push({
          file: file.name,
          line: row.line,
          reason: `trust type "${row.trustType}" is not a population of ${framework.id}`,
        });
        continue;
      }
      const trusts = populations.get(population) ?? new Map<OrgCode, TrustRows>();
      const figures = trusts.get(row.trustCode) ?? new Map<string, NofPublishedRow>();
      figures.set(row.id, row);
      trusts.set(row.trustCode, figures);
      populations.set(population, trusts);
    }
    for (const population of [...populations.keys()].sort()) {
      const trusts = populations.get(population)!;
      reproduced.push(...reproducePopulation(framework, ids, quarter, trusts));
    }
    summary.push({
      quarter: quarter.label,
      framework: framework.id,
      trusts: new Set(rows.map((r) => r.trustCode)).size,
    });
  }
  if (rejections.length > 0) return { ok: false, rejections };
  reproduced.sort(
    (a, b) =>
      summary.findIndex((q) => q.quarter === a.quarter) -
        summary.findIndex((q) => q.quarter === b.quarter) || byText(a.trust_code, b.trust_code),
  );
  return {
    ok: true,
    report: {
      source: { file: file.name, sha256: file.sha256 },
      quarters: summary,
      rows: reproduced,
      agreement: agreementOf(reproduced),
    },
  };
}

export class NofFileError extends Error {}

/** Reads a published file and reproduces its figures. */
export function reproduceNofFile(
  frameworks: FrameworkRegistry,
  path: string,
  options: NofReadOptions = {},
): ReproductionResult {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new NofFileError(`cannot read ${path}`);
  }
  const read = readNofPublished(path, bytes, options);
  if (!read.ok) return read;
  return reproduceNofRows(frameworks, read);
}
