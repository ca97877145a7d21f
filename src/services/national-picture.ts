/**
 * Use case: the national picture under the NHS Oversight Framework 2025/26 (docs/national-picture.md)
 * — every trust type's league table for every quarter from Q1 2025/26 to the latest a date has,
 * built from NHS England's published files where they exist (data/nof-2025-26: mental health and
 * community Q1–Q2, acute Q1) and from synthetic quarters where nothing is published here
 * (ambulance trusts; later quarters), each synthetic figure marked. Beside every rank and average
 * its likely range (domain/scoring/likely-range.ts), and beside every quarter-to-quarter change
 * whether it is significant (domain/scoring/significance.ts).
 *
 * The tables depend only on shipped files, so they are built once per process (per service
 * context) and their downloads prepared once with them, never per request.
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "csv-stringify/sync";
import { parse as parseYaml } from "yaml";
import { QUARTILE_PROBABILITIES, quantileCont } from "../domain/benchmarking/quantile.js";
import type { Framework, FrameworkMetric } from "../domain/frameworks/schema.js";
import type { OrgCode } from "../domain/organisations/organisation.js";
import type { CalendarDate } from "../domain/shared/dates.js";
import { assessScoredPopulation, scoredCriteriaOf } from "../domain/scoring/assess-population.js";
import { leaguePositions } from "../domain/scoring/league.js";
import {
  DEFAULT_BOOTSTRAP,
  likelyRankText,
  likelyRanges,
  type Interval,
} from "../domain/scoring/likely-range.js";
import { competitionRanks, type CqcRating } from "../domain/scoring/metric-scores.js";
import { unadjustedSegments } from "../domain/scoring/segments.js";
import {
  averageChangeTest,
  segmentChangeVerdict,
  type ChangeTest,
  type SegmentChangeVerdict,
} from "../domain/scoring/significance.js";
import { countedScores } from "../domain/scoring/summary-scores.js";
import {
  ambulanceQuarter,
  driftQuarter,
  RATINGS,
  type NofSyntheticProfile,
  type NofTrustInputs,
} from "../demo/nof-synthetic.js";
import {
  parseNofQuarter,
  readNofPublished,
  type NofPublishedRow,
} from "../ingest/nof-published.js";
import { registryOrganisations } from "../ingest/registry.js";
import type { ServiceContext } from "./context.js";

const dataFile = (path: string) => fileURLToPath(new URL(`../../data/${path}`, import.meta.url));

/** The real files: NHS England's publications, unchanged (data/nof-2025-26/README.md). */
export const NOF_PUBLISHED_FILES: readonly { path: string; quarter?: string }[] = [
  { path: dataFile("nof-2025-26/mh-community-trust-data-q1-q2.csv") },
  // The first acute release has no Quarter column: it is Q1 2025/26.
  {
    path: dataFile("nof-2025-26/nhs-oversight-framework-acute-trust-data.csv"),
    quarter: "Q1 2025/26",
  },
];
const SYNTHETIC_PROFILE = dataFile("demo/nof-2025-synthetic.yaml");

/** A quarter's data are published five months after it starts (Q1 in September). */
const PUBLICATION_LAG_MONTHS = 5;

export interface PictureMetric {
  id: string;
  score_id: string;
  name: string;
  theme: string;
  unit: string;
  polarity: string;
  /** Where the scoring rule comes from (frameworks/nof-2025.yaml `basis`). */
  basis: "confirmed" | "inferred" | null;
}

export interface MetricCell {
  value: number | null;
  score: number | null;
  /** Position among the trust type, best first. */
  rank: number | null;
  median: number | null;
  lower_quartile: number | null;
  upper_quartile: number | null;
}

export interface RowChange {
  previous_quarter: string;
  previous_segment: number | null;
  previous_rank: number | null;
  /** Places moved up (positive) or down. */
  rank_change: number | null;
  average_change: number | null;
  test: ChangeTest | null;
  verdict: SegmentChangeVerdict["kind"];
  /** "significant", "not significant" or null when there is no change to judge. */
  average_change_significant: boolean | null;
}

export interface PictureRow {
  code: string;
  name: string;
  subtype: string;
  region: string;
  icb_code: string | null;
  icb_name: string | null;
  synthetic: boolean;
  average_score: number | null;
  likely_average: Interval | null;
  unadjusted_segment: number | null;
  financial_override: boolean | null;
  adjusted_segment: number | null;
  final_segment: number | null;
  in_programme: boolean;
  /** The league position of the segment and average shown beside it. */
  rank: number | null;
  likely_rank: Interval | null;
  likely_rank_text: string | null;
  /** NHS England's own rank where published. */
  published_rank: number | null;
  /** Where ours and the published rank differ: which applies and why. */
  rank_note: string | null;
  domains: Record<string, { score: number | null; segment: number | null }>;
  metrics: Record<string, MetricCell>;
  change: RowChange | null;
  /**
   * A segment change whose score change is not significant is not made automatically
   * (requirements §13, docs/national-picture.md §Significance): the segments shown stay where they
   * were, held for individual review, and this names the segment the data point to. Null otherwise.
   */
  held_for_review: {
    data_adjusted_segment: number | null;
    data_final_segment: number | null;
  } | null;
}

export interface PictureTable {
  peer_group: string;
  trust_type: string;
  quarter: string;
  quarter_start: CalendarDate;
  /** The first date the quarter's data are taken as available. */
  published_from: CalendarDate;
  framework: string;
  synthetic: "none" | "all";
  source: string;
  metrics: PictureMetric[];
  domains: { id: string; name: string }[];
  rows: PictureRow[];
}

export interface NationalPicture {
  framework: { id: string; name: string };
  tables: PictureTable[];
  /** The periods the demo covers, for the banner. */
  real_periods: string[];
  synthetic_periods: string[];
}

interface Population {
  peer: string;
  quarter: string;
  start: CalendarDate;
  synthetic: boolean;
  inputs: NofTrustInputs[];
  /** Published figures by trust and id; empty for a synthetic population. */
  published: Map<string, Map<string, NofPublishedRow>>;
}

function nextQuarterLabel(label: string): string {
  const match = /^Q([1-4]) (\d{4})\/\d{2}$/.exec(label)!;
  const [q, y] = [Number(match[1]), Number(match[2])];
  const [nq, ny] = q === 4 ? [1, y + 1] : [q + 1, y];
  return `Q${nq} ${ny}/${String((ny + 1) % 100).padStart(2, "0")}`;
}

function monthsLater(date: CalendarDate, months: number): CalendarDate {
  const [y, m] = [Number(date.slice(0, 4)), Number(date.slice(5, 7))];
  const total = y * 12 + (m - 1) + months;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, "0")}-01` as CalendarDate;
}

const round2 = (v: number) => Math.round(v * 100) / 100;

function stableSalt(text: string): number {
  let h = 0;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) | 0;
  return Math.abs(h);
}

/** Inputs of a real population, recovered from the published rows (ratings from score-only rows). */
function inputsOf(framework: Framework, rows: Map<string, Map<string, NofPublishedRow>>) {
  const rated = framework.metrics.filter((m) => m.scoring?.method === "cqc_rating");
  const raw = new Set(
    framework.metrics.filter((m) => m.scoring?.method !== "cqc_rating").map((m) => m.id),
  );
  return [...rows].map(([code, byId]): NofTrustInputs => {
    const first = [...byId.values()][0]!;
    const values = new Map<string, number>();
    for (const [id, row] of byId) if (raw.has(id)) values.set(id, row.value);
    const ratings = new Map<string, CqcRating>();
    for (const m of rated) {
      const score = byId.get(m.scoring!.published_score_id ?? m.id)?.value;
      if (score !== undefined) ratings.set(m.id, RATINGS[Math.round(score) - 1] ?? "good");
    }
    return {
      code,
      name: first.trustName,
      subtype: first.trustSubtype ?? "",
      region: first.region ?? "",
      values,
      ratings,
      inProgramme: byId.get("OF5007")?.value === 1,
    };
  });
}

function quartiles(values: number[]): [number, number, number] | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return QUARTILE_PROBABILITIES.map((p) => round2(quantileCont(sorted, p))) as [
    number,
    number,
    number,
  ];
}

interface Registry {
  icb: Map<string, { code: string; name: string }>;
  ambulance: { code: string; name: string; regionCode: string }[];
  regionCode: Map<string, string>;
}

function readRegistry(): Registry {
  const records = registryOrganisations();
  const icbNames = new Map(records.filter((r) => r.kind === "icb").map((r) => [r.code, r.name]));
  const icb = new Map<string, { code: string; name: string }>();
  const regionCode = new Map<string, string>();
  for (const r of records) {
    if (r.kind === "icb") continue;
    if (r.icb_code)
      icb.set(r.code, { code: r.icb_code, name: icbNames.get(r.icb_code) ?? r.icb_code });
    regionCode.set(r.code, r.region);
  }
  const ambulance = records
    .filter((r) => r.sector === "ambulance" && !r.close_date)
    .map((r) => ({ code: r.code, name: r.name, regionCode: r.region }));
  return { icb, ambulance, regionCode };
}

/** Builds every population: real where published, synthetic otherwise, through the profile's last quarter. */
function populations(ctx: ServiceContext, registry: Registry) {
  const profile = parseYaml(readFileSync(SYNTHETIC_PROFILE, "utf8")) as NofSyntheticProfile;
  const real = new Map<string, Population>();
  const regionName = new Map<string, string>();
  const labelOf = new Map<string, string>();
  let framework: Framework | undefined;
  for (const file of NOF_PUBLISHED_FILES) {
    const read = readNofPublished(basename(file.path), readFileSync(file.path), file);
    if (!read.ok)
      throw new Error(`${file.path}: ${read.rejections.map((r) => r.reason).join("; ")}`);
    for (const row of read.rows) {
      framework = ctx.frameworks.inForceOn(row.quarter.start);
      const peer =
        framework && scoredCriteriaOf(framework).published_ids?.trust_types[row.trustType];
      if (!peer) continue;
      labelOf.set(peer, row.trustType);
      const key = `${peer}|${row.quarter.label}`;
      const population = real.get(key) ?? {
        peer,
        quarter: row.quarter.label,
        start: row.quarter.start,
        synthetic: false,
        inputs: [],
        published: new Map(),
      };
      real.set(key, population);
      const byId = population.published.get(row.trustCode) ?? new Map<string, NofPublishedRow>();
      byId.set(row.id, row);
      population.published.set(row.trustCode, byId);
      const code = registry.regionCode.get(row.trustCode);
      if (code && row.region) regionName.set(code, row.region);
    }
  }
  if (!framework) throw new Error("no NOF publication could be read");
  const fw = framework;
  for (const p of real.values()) p.inputs = inputsOf(fw, p.published);
  const peers = scoredCriteriaOf(fw).populations;
  const quarters: string[] = [];
  for (let q = "Q1 2025/26"; ; q = nextQuarterLabel(q)) {
    quarters.push(q);
    if (q === profile.through_quarter || quarters.length > 40) break;
  }
  const all: Population[] = [];
  for (const peer of peers) {
    let previous: Population | undefined;
    for (const quarter of quarters) {
      const start = parseNofQuarter(quarter)!.start;
      let population = real.get(`${peer}|${quarter}`);
      if (!population) {
        const inputs = previous
          ? driftQuarter(
              previous.inputs,
              fw,
              profile,
              stableSalt(`${peer}|${quarter}`),
              quarter.startsWith("Q1"),
            )
          : peer === "ambulance_trusts"
            ? ambulanceQuarter(
                registry.ambulance.map((t) => ({
                  code: t.code,
                  name: t.name,
                  region: regionName.get(t.regionCode) ?? t.regionCode,
                })),
                fw,
                profile,
              )
            : [];
        population = { peer, quarter, start, synthetic: true, inputs, published: new Map() };
      }
      if (population.inputs.length > 0) all.push(population);
      previous = population.inputs.length > 0 ? population : previous;
    }
  }
  const published = Object.entries(scoredCriteriaOf(fw).published_ids?.trust_types ?? {});
  const trustType = (peer: string) =>
    labelOf.get(peer) ??
    published.find(([, id]) => id === peer)?.[0] ??
    fw.peer_groups.find((g) => g.id === peer)?.name ??
    peer;
  return { framework: fw, populations: all, trustType };
}

interface ScoredTrust {
  row: PictureRow;
  /** Counted metric scores by metric id: what the average, its likely range and the change test read. */
  counted: Map<string, number>;
}

function metricsOf(framework: Framework): PictureMetric[] {
  return framework.metrics.flatMap((m: FrameworkMetric) => {
    const s = m.scoring;
    if (!s || s.method === "unknown") return [];
    const scoreId = s.published_score_id ?? m.id;
    return [
      {
        id: m.id,
        score_id: scoreId,
        name: m.name,
        theme: m.theme,
        unit: m.unit,
        polarity: m.polarity,
        basis: s.basis ?? null,
      },
    ];
  });
}

/** A population's rows, from the published figures (real) or our scoring (synthetic). */
function scorePopulation(
  framework: Framework,
  population: Population,
  registry: Registry,
): { rows: ScoredTrust[]; metrics: PictureMetric[] } {
  const criteria = scoredCriteriaOf(framework);
  const ids = criteria.published_ids!;
  const allMetrics = metricsOf(framework);
  const placeOf = (code: string) => registry.icb.get(code) ?? null;
  const base = (t: NofTrustInputs) => ({
    code: t.code,
    name: t.name,
    subtype: t.subtype,
    region: t.region,
    icb_code: placeOf(t.code)?.code ?? null,
    icb_name: placeOf(t.code)?.name ?? null,
    synthetic: population.synthetic,
    likely_average: null,
    likely_rank: null,
    likely_rank_text: null,
    change: null,
    held_for_review: null,
  });
  let rows: ScoredTrust[];
  if (!population.synthetic) {
    const published = population.published;
    const league = leaguePositions(
      [...published].flatMap(([org, byId]) => {
        const segment = byId.get(ids.adjusted_segment)?.value;
        const average = byId.get(ids.average_score)?.value;
        return segment === undefined || average === undefined
          ? []
          : [{ org, adjusted_segment: segment, average_score: average }];
      }),
      criteria.league_order,
      criteria.score_range,
    );
    rows = population.inputs.map((t) => {
      const byId = published.get(t.code)!;
      const v = (id: string | undefined) => (id ? (byId.get(id)?.value ?? null) : null);
      const metrics: Record<string, MetricCell> = {};
      const scores = new Map<string, number>();
      for (const m of allMetrics) {
        const score = v(m.score_id);
        const raw = m.score_id === m.id ? undefined : byId.get(m.id);
        if (score === null && !raw) continue;
        if (score !== null) scores.set(m.id, score);
        metrics[m.id] = {
          value: raw?.value ?? null,
          score,
          rank: raw?.rank ?? byId.get(m.score_id)?.rank ?? null,
          median: raw?.median ?? null,
          lower_quartile: raw?.lowerQuartile ?? null,
          upper_quartile: raw?.upperQuartile ?? null,
        };
      }
      const domains: PictureRow["domains"] = {};
      for (const [theme, id] of Object.entries(ids.domain_scores))
        domains[theme] = { score: v(id), segment: v(ids.domain_segments?.[theme]) };
      const rank = league.get(t.code) ?? null;
      const publishedRank = ids.league_rank_of
        ? (byId.get(ids.league_rank_of)?.rank ?? null)
        : null;
      const override = v(ids.financial_override);
      return {
        counted: countedScores(framework, scores),
        row: {
          ...base(t),
          average_score: v(ids.average_score),
          unadjusted_segment: v(ids.unadjusted_segment),
          financial_override: override === null ? null : override === 1,
          adjusted_segment: v(ids.adjusted_segment),
          final_segment: v(ids.final_segment),
          in_programme: t.inProgramme,
          rank,
          published_rank: publishedRank,
          rank_note: rankNote(publishedRank, rank),
          domains,
          metrics,
        },
      };
    });
  } else {
    const members = population.inputs.map((t) => t.code as OrgCode);
    const values = new Map<string, Map<OrgCode, number>>();
    const ratings = new Map<string, Map<OrgCode, CqcRating>>();
    for (const t of population.inputs) {
      for (const [id, value] of t.values) {
        const byOrg = values.get(id) ?? new Map<OrgCode, number>();
        byOrg.set(t.code as OrgCode, value);
        values.set(id, byOrg);
      }
      for (const [id, rating] of t.ratings) {
        const byOrg = ratings.get(id) ?? new Map<OrgCode, CqcRating>();
        byOrg.set(t.code as OrgCode, rating);
        ratings.set(id, byOrg);
      }
    }
    const assessed = assessScoredPopulation(framework, {
      members,
      // The synthetic population is the whole population each metric is ranked among.
      covers: "all_reporting",
      values,
      ratings,
      overlayMembers: new Set(
        population.inputs.filter((t) => t.inProgramme).map((t) => t.code as OrgCode),
      ),
    });
    const byOrg = new Map(assessed.map((a) => [a.org as string, a]));
    const metricStats = new Map<
      string,
      { ranks: Map<OrgCode, number>; q: [number, number, number] | null }
    >();
    for (const m of framework.metrics) {
      const vals = values.get(m.id);
      if (!vals || m.polarity === "neutral") continue;
      metricStats.set(m.id, {
        ranks: competitionRanks(vals, m.polarity),
        q: quartiles([...vals.values()]),
      });
    }
    const domainSegments = new Map<string, Map<string, number>>();
    for (const theme of Object.keys(ids.domain_scores)) {
      const scores = new Map(
        assessed.flatMap((a) => {
          const s = a.domainScores.get(theme);
          return s === undefined ? [] : [[a.org as string, round2(s)] as const];
        }),
      );
      domainSegments.set(
        theme,
        unadjustedSegments(criteria.segmentation, scores, criteria.score_range),
      );
    }
    rows = population.inputs.map((t) => {
      const a = byOrg.get(t.code)!;
      const metrics: Record<string, MetricCell> = {};
      const scores = new Map<string, number>();
      for (const m of allMetrics) {
        const s = a.metricScores.get(m.id);
        const value = t.values.get(m.id) ?? null;
        const score = s && s.score !== null ? round2(s.score) : null;
        if (score === null && value === null) continue;
        if (score !== null) scores.set(m.id, score);
        const stats = metricStats.get(m.id);
        metrics[m.id] = {
          value,
          score,
          rank: stats?.ranks.get(t.code as OrgCode) ?? null,
          median: stats?.q?.[1] ?? null,
          lower_quartile: stats?.q?.[0] ?? null,
          upper_quartile: stats?.q?.[2] ?? null,
        };
      }
      const domains: PictureRow["domains"] = {};
      for (const theme of Object.keys(ids.domain_scores)) {
        const score = a.domainScores.get(theme);
        domains[theme] = {
          score: score === undefined ? null : round2(score),
          segment: domainSegments.get(theme)?.get(t.code) ?? null,
        };
      }
      return {
        counted: countedScores(framework, scores),
        row: {
          ...base(t),
          average_score: a.averageScore === null ? null : round2(a.averageScore),
          unadjusted_segment: a.unadjustedSegment,
          financial_override: a.inDeficit,
          adjusted_segment: a.adjustedSegment,
          final_segment: a.finalSegment,
          in_programme: t.inProgramme,
          rank: null,
          published_rank: null,
          rank_note: null,
          domains,
          metrics,
        },
      };
    });
    // Ranked from the rounded averages shown, so the rank is that of the figures beside it.
    rankShown(framework, rows);
  }
  const used = new Set(rows.flatMap(({ row }) => Object.keys(row.metrics)));
  return { rows, metrics: allMetrics.filter((m) => used.has(m.id)) };
}

function rankNote(published: number | null, rank: number | null): string | null {
  return published !== null && rank !== null && published !== rank
    ? `NHS England publishes ${published}; the rank shown is that of the segment and average shown (rounded to 2 decimals, as published), which is what this table ranks by.`
    : null;
}

/** Ranks every row by the segment and average it shows (after any segment held for review). */
function rankShown(framework: Framework, rows: ScoredTrust[]): void {
  const criteria = scoredCriteriaOf(framework);
  const league = leaguePositions(
    rows.flatMap(({ row }) =>
      row.adjusted_segment === null || row.average_score === null
        ? []
        : [
            {
              org: row.code,
              adjusted_segment: row.adjusted_segment,
              average_score: row.average_score,
            },
          ],
    ),
    criteria.league_order,
    criteria.score_range,
  );
  for (const { row } of rows) {
    row.rank = league.get(row.code) ?? null;
    row.rank_note = rankNote(row.published_rank, row.rank);
  }
}

function withLikelyRanges(framework: Framework, rows: ScoredTrust[], seed: number): void {
  const criteria = scoredCriteriaOf(framework);
  const ranges = likelyRanges(
    rows
      .filter(({ row }) => row.rank !== null)
      .map(({ row, counted }) => ({
        org: row.code,
        scores: [...counted.values()],
        inDeficit: row.financial_override,
      })),
    {
      segmentation: criteria.segmentation,
      financialOverride: criteria.financial_override,
      leagueOrder: criteria.league_order,
      range: criteria.score_range,
    },
    { ...DEFAULT_BOOTSTRAP, seed },
  );
  for (const { row } of rows) {
    const range = ranges.get(row.code);
    if (!range) continue;
    row.likely_rank = range.rank;
    row.likely_rank_text = likelyRankText(range.rank);
    row.likely_average = { low: round2(range.average.low), high: round2(range.average.high) };
  }
}

/**
 * Each row's change since the previous quarter, tested for significance. A segment change that
 * is not significant (`for_review`) is not made: the row keeps the segment it showed before
 * (its RSP overlay aside), says which segment the data point to, and goes to the staff worklist
 * for individual review; the table is then ranked by the segments it shows.
 */
function withChanges(
  framework: Framework,
  rows: ScoredTrust[],
  previous: { quarter: string; rows: ScoredTrust[] } | undefined,
) {
  if (!previous) return;
  const before = new Map(previous.rows.map((r) => [r.row.code, r]));
  const tested: { row: PictureRow; a: PictureRow; test: ChangeTest; verdict: string }[] = [];
  for (const current of rows) {
    const prior = before.get(current.row.code);
    if (!prior) continue;
    const test = averageChangeTest(prior.counted, current.counted);
    const [a, b] = [prior.row, current.row];
    const verdict = segmentChangeVerdict(
      a.adjusted_segment,
      b.adjusted_segment,
      test,
      a.financial_override !== null &&
        b.financial_override !== null &&
        a.financial_override !== b.financial_override,
    );
    if (verdict.kind === "for_review") {
      b.held_for_review = {
        data_adjusted_segment: b.adjusted_segment,
        data_final_segment: b.final_segment,
      };
      // The RSP overlay (a fact of the programme, not of the scores) stands.
      if (b.final_segment === b.adjusted_segment) b.final_segment = a.adjusted_segment;
      b.adjusted_segment = a.adjusted_segment;
    }
    tested.push({ row: b, a, test, verdict: verdict.kind });
  }
  rankShown(framework, rows);
  for (const { row: b, a, test, verdict } of tested)
    b.change = {
      previous_quarter: previous.quarter,
      previous_segment: a.adjusted_segment,
      previous_rank: a.rank,
      rank_change: a.rank !== null && b.rank !== null ? a.rank - b.rank : null,
      average_change:
        a.average_score !== null && b.average_score !== null
          ? round2(b.average_score - a.average_score)
          : null,
      test,
      verdict: verdict as SegmentChangeVerdict["kind"],
      average_change_significant: test.shared_metrics === 0 ? null : test.significant,
    };
}

function buildPicture(ctx: ServiceContext): NationalPicture {
  const registry = readRegistry();
  const { framework, populations: all, trustType } = populations(ctx, registry);
  const tables: PictureTable[] = [];
  const lastOf = new Map<string, { quarter: string; rows: ScoredTrust[] }>();
  for (const population of all) {
    const { rows, metrics } = scorePopulation(framework, population, registry);
    withLikelyRanges(
      framework,
      rows,
      DEFAULT_BOOTSTRAP.seed + stableSalt(`${population.peer}|${population.quarter}`),
    );
    withChanges(framework, rows, lastOf.get(population.peer));
    lastOf.set(population.peer, { quarter: population.quarter, rows });
    const sorted = rows
      .map((r) => r.row)
      .sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9) || (a.code < b.code ? -1 : 1));
    tables.push({
      peer_group: population.peer,
      trust_type: trustType(population.peer),
      quarter: population.quarter,
      quarter_start: population.start,
      published_from: monthsLater(population.start, PUBLICATION_LAG_MONTHS),
      framework: framework.short_name,
      synthetic: population.synthetic ? "all" : "none",
      source: population.synthetic
        ? "Synthetic demonstration data (data/demo/nof-2025-synthetic.yaml): not real."
        : "NHS England, NHS Oversight Framework 2025/26 published data (data/nof-2025-26). Contains public sector information licensed under the Open Government Licence v3.0.",
      metrics,
      domains: Object.keys(scoredCriteriaOf(framework).published_ids!.domain_scores).map((id) => ({
        id,
        name: framework.themes.find((t) => t.id === id)?.name ?? id,
      })),
      rows: sorted,
    });
  }
  const periods = (synthetic: boolean) => [
    ...new Set(
      tables
        .filter((t) => (t.synthetic === "all") === synthetic)
        .map((t) => `${t.trust_type} ${t.quarter}`),
    ),
  ];
  return {
    framework: { id: framework.id, name: framework.name },
    tables,
    real_periods: periods(false),
    synthetic_periods: periods(true),
  };
}

const pictures = new WeakMap<ServiceContext, NationalPicture>();
/** By the framework versions' content: contexts with the same frameworks share one picture. */
const byFrameworks = new Map<string, NationalPicture>();

/**
 * The national picture, built once per process and set of framework versions: its other inputs
 * are shipped files, which change only with a new release.
 */
export function nationalPicture(ctx: ServiceContext): NationalPicture {
  let picture = pictures.get(ctx);
  if (!picture) {
    const key = JSON.stringify(ctx.frameworks.inForceOn("2025-04-01" as CalendarDate) ?? null);
    picture = byFrameworks.get(key) ?? buildPicture(ctx);
    byFrameworks.set(key, picture);
    pictures.set(ctx, picture);
  }
  return picture;
}

/** The tables a date has: for each trust type, the latest quarter published by then. */
export function tablesAsOf(picture: NationalPicture, date: CalendarDate): PictureTable[] {
  const latest = new Map<string, PictureTable>();
  for (const table of picture.tables)
    if (table.published_from <= date) latest.set(table.peer_group, table);
  return [...latest.values()];
}

/** The first date any table is available, for "no data on this date" answers. */
export function firstPublishedDate(picture: NationalPicture): CalendarDate | null {
  return picture.tables.map((t) => t.published_from).sort()[0] ?? null;
}

/** The latest date any table has data for (its publication), i.e. what a date after it shows. */
export function latestPublishedDate(picture: NationalPicture): CalendarDate | null {
  return (
    picture.tables
      .map((t) => t.published_from)
      .sort()
      .at(-1) ?? null
  );
}

export function findTable(
  picture: NationalPicture,
  peer: string,
  quarter: string | undefined,
  date: CalendarDate,
): PictureTable | undefined {
  if (quarter) return picture.tables.find((t) => t.peer_group === peer && t.quarter === quarter);
  return tablesAsOf(picture, date).find((t) => t.peer_group === peer);
}

/** A trust's row in the latest table of its type published by the date. */
export function trustAsOf(
  picture: NationalPicture,
  code: string,
  date: CalendarDate,
): { table: PictureTable; row: PictureRow } | undefined {
  for (const table of tablesAsOf(picture, date)) {
    const row = table.rows.find((r) => r.code === code);
    if (row) return { table, row };
  }
  return undefined;
}

export const LEAGUE_CSV_FIXED = [
  "quarter",
  "trust_type",
  "synthetic",
  "rank",
  "likely_rank_low",
  "likely_rank_high",
  "published_rank",
  "rank_note",
  "code",
  "name",
  "subtype",
  "region",
  "icb_code",
  "icb_name",
  "average_score",
  "likely_average_low",
  "likely_average_high",
  "unadjusted_segment",
  "financial_override",
  "adjusted_segment",
  "final_segment",
  "previous_quarter",
  "previous_segment",
  "previous_rank",
  "rank_change",
  "average_change",
  "average_change_significant",
  "segment_change",
  "held_data_segment",
] as const;

const yesNo = (b: boolean | null | undefined) =>
  b === null || b === undefined ? "" : b ? "yes" : "no";

/** One row of the aggregate table's CSV: every figure shown on the page, and each metric's. */
export function leagueCsvRecord(
  table: PictureTable,
  r: PictureRow,
): Record<string, string | number> {
  const record: Record<string, string | number> = {
    quarter: table.quarter,
    trust_type: table.trust_type,
    synthetic: r.synthetic ? "synthetic (not real)" : "no",
    rank: r.rank ?? "",
    likely_rank_low: r.likely_rank?.low ?? "",
    likely_rank_high: r.likely_rank?.high ?? "",
    published_rank: r.published_rank ?? "",
    rank_note: r.rank_note ?? "",
    code: r.code,
    name: r.name,
    subtype: r.subtype,
    region: r.region,
    icb_code: r.icb_code ?? "",
    icb_name: r.icb_name ?? "",
    average_score: r.average_score ?? "",
    likely_average_low: r.likely_average?.low ?? "",
    likely_average_high: r.likely_average?.high ?? "",
    unadjusted_segment: r.unadjusted_segment ?? "",
    financial_override: yesNo(r.financial_override),
    adjusted_segment: r.adjusted_segment ?? "",
    final_segment: r.final_segment ?? "",
    previous_quarter: r.change?.previous_quarter ?? "",
    previous_segment: r.change?.previous_segment ?? "",
    previous_rank: r.change?.previous_rank ?? "",
    rank_change: r.change?.rank_change ?? "",
    average_change: r.change?.average_change ?? "",
    average_change_significant: yesNo(r.change?.average_change_significant),
    segment_change: r.change?.verdict ?? "",
    held_data_segment: r.held_for_review?.data_adjusted_segment ?? "",
  };
  for (const d of table.domains) {
    record[`${d.id}_score`] = r.domains[d.id]?.score ?? "";
    record[`${d.id}_segment`] = r.domains[d.id]?.segment ?? "";
  }
  for (const m of table.metrics) {
    record[`${m.id}_value`] = r.metrics[m.id]?.value ?? "";
    record[`${m.id}_score`] = r.metrics[m.id]?.score ?? "";
  }
  return record;
}

export function leagueCsv(table: PictureTable): string {
  const columns = [
    ...LEAGUE_CSV_FIXED,
    ...table.domains.flatMap((d) => [`${d.id}_score`, `${d.id}_segment`]),
    ...table.metrics.flatMap((m) => [`${m.id}_value`, `${m.id}_score`]),
  ];
  return stringify(
    table.rows.map((r) => leagueCsvRecord(table, r)),
    { header: true, columns },
  );
}

export function metricCsv(table: PictureTable, metric: PictureMetric): string {
  const rows = table.rows
    .filter((r) => r.metrics[metric.id])
    .sort((a, b) => (a.metrics[metric.id]!.rank ?? 1e9) - (b.metrics[metric.id]!.rank ?? 1e9));
  return stringify(
    rows.map((r) => {
      const c = r.metrics[metric.id]!;
      return {
        quarter: table.quarter,
        trust_type: table.trust_type,
        metric: metric.id,
        metric_name: metric.name,
        scoring_basis: metric.basis ?? "",
        synthetic: r.synthetic ? "synthetic (not real)" : "no",
        rank: c.rank ?? "",
        code: r.code,
        name: r.name,
        region: r.region,
        icb_code: r.icb_code ?? "",
        value: c.value ?? "",
        score: c.score ?? "",
        median: c.median ?? "",
        lower_quartile: c.lower_quartile ?? "",
        upper_quartile: c.upper_quartile ?? "",
      };
    }),
    { header: true },
  );
}

/** The demo's periods in one sentence, for the banner every page shows while the demo runs. */
export function demoPeriodsText(picture: NationalPicture): string {
  const quarters = picture.tables.map((t) => t.quarter_start).sort();
  const label = (start: string | undefined) =>
    picture.tables.find((t) => t.quarter_start === start)?.quarter ?? "";
  return (
    `The SOF 2016/17 history runs from April 2016 to March 2019 (A&E attendances real, other metrics synthetic). ` +
    `The ${picture.framework.name} picture runs from ${label(quarters[0])} to ${label(quarters.at(-1))}: ` +
    `real NHS England data for ${picture.real_periods.join(", ")}; synthetic for ambulance trusts and every later quarter.`
  );
}

/** The last period end of any stored observation of the organisation, or null (store read). */
export async function latestObservationDate(
  ctx: ServiceContext,
  orgCode: string,
): Promise<CalendarDate | null> {
  const [row] = await ctx.db.query<{ latest: string | Date | null }>(
    "SELECT max(period_end) AS latest FROM observations WHERE org_code = $1 AND superseded_at IS NULL",
    [orgCode],
  );
  const latest = row?.latest ?? null;
  if (latest === null) return null;
  return (
    latest instanceof Date ? latest.toISOString().slice(0, 10) : String(latest).slice(0, 10)
  ) as CalendarDate;
}

export type PictureAnswer =
  | { kind: "segment"; line: string; table: PictureTable; row: PictureRow }
  | { kind: "reason"; line: string; latest: CalendarDate | null };

/**
 * An organisation's place in the national picture on a date, in one line: its segment, rank and
 * likely range in the latest table published by then; or why there is none and the latest date
 * that has its data (requirements §13: never an empty answer).
 */
export async function pictureAnswer(
  ctx: ServiceContext,
  orgCode: string,
  date: CalendarDate,
): Promise<PictureAnswer> {
  const picture = nationalPicture(ctx);
  const found = trustAsOf(picture, orgCode, date);
  if (found) {
    const { table, row } = found;
    const synthetic = row.synthetic ? " [synthetic demonstration data, not real]" : "";
    const segment = row.final_segment === null ? "not segmented" : `segment ${row.final_segment}`;
    const held = row.held_for_review
      ? `; held for individual review: the data point to segment ${row.held_for_review.data_adjusted_segment}, a change that is not significant`
      : "";
    return {
      kind: "segment",
      table,
      row,
      line:
        `${row.code} ${row.name}: ${segment} (${table.framework}, ${table.trust_type.toLowerCase()}s ${table.quarter}, published ${table.published_from})${synthetic}${held}; ` +
        `rank ${row.rank ?? "–"} of ${table.rows.length}${row.likely_rank_text ? `, ${row.likely_rank_text}` : ""}; average score ${row.average_score ?? "–"}.`,
    };
  }
  const anyTable = picture.tables.filter((t) => t.rows.some((r) => r.code === orgCode));
  const firstWith = anyTable.map((t) => t.published_from).sort()[0];
  const latest = await latestObservationDate(ctx, orgCode);
  if (firstWith && firstWith > date && !(latest && latest <= date))
    return {
      kind: "reason",
      latest: firstWith,
      line: `${orgCode}: no ${picture.framework.name} data had been published on ${date}; the first are from ${firstWith}.`,
    };
  return {
    kind: "reason",
    latest,
    line: latest
      ? `${orgCode}: not in any ${picture.framework.name} table published by ${date}; the latest date with its data is ${latest}.`
      : `${orgCode}: no data for this organisation on ${date} or any earlier date.`,
  };
}
