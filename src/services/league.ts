/**
 * Use case: the NHS Oversight Framework 2025/26 league tables (DOMAIN §4): for each quarter and
 * trust type, every trust's average score, segment, financial-override flag, league rank and
 * metric scores — recomputed by our scoring engine (nof-reproduce.ts) from NHS England's
 * published data file shipped in data/nof-2025-26, with the published figure beside ours. The
 * demo dataset ends in 2019 and holds no 2025/26 metrics, so the published file is the source.
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { readNofPublished } from "../ingest/nof-published.js";
import type { ServiceContext } from "./context.js";
import { reproduceNofRows, type Figure, type ReproducedRow } from "./nof-reproduce.js";

export const SHIPPED_NOF_FILE = fileURLToPath(
  new URL("../../data/nof-2025-26/mh-community-trust-data-q1-q2.csv", import.meta.url),
);

export interface LeagueEntry {
  trust_code: string;
  trust_name: string;
  rank: Figure<number>;
  average_score: Figure<number>;
  final_segment: Figure<number>;
  financial_override: Figure<boolean>;
  metric_scores: ReproducedRow["metric_scores"];
}

export interface LeagueTable {
  quarter: string;
  framework: string;
  trust_type: string;
  /** The publication's score ids with a score for some trust, in the framework's metric order. */
  metrics: { id: string; name: string }[];
  /** By league rank (ours, failing that the published one), then code. */
  entries: LeagueEntry[];
}

export interface LeagueTables {
  source: { file: string; sha256: string };
  tables: LeagueTable[];
}

const cache = new WeakMap<ServiceContext, LeagueTables>();

export function leagueTables(ctx: ServiceContext, path = SHIPPED_NOF_FILE): LeagueTables {
  const cached = path === SHIPPED_NOF_FILE ? cache.get(ctx) : undefined;
  if (cached) return cached;
  const file = readNofPublished(basename(path), readFileSync(path));
  if (!file.ok) throw new Error(`${path}: ${file.rejections.map((r) => r.reason).join("; ")}`);
  const result = reproduceNofRows(ctx.frameworks, file);
  if (!result.ok) throw new Error(`${path}: ${result.rejections.map((r) => r.reason).join("; ")}`);
  const typeOf = new Map(file.rows.map((r) => [`${r.quarter.label}|${r.trustCode}`, r.trustType]));
  const groups = new Map<string, ReproducedRow[]>();
  for (const row of result.report.rows) {
    const key = `${row.quarter}|${typeOf.get(`${row.quarter}|${row.trust_code}`) ?? ""}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const tables = [...groups.entries()].map(([key, rows]): LeagueTable => {
    const [quarter, trustType] = key.split("|") as [string, string];
    const frameworkId = result.report.quarters.find((q) => q.quarter === quarter)!.framework;
    const framework = ctx.frameworks.get(frameworkId)!;
    const scored = new Set(rows.flatMap((r) => Object.keys(r.metric_scores)));
    const rankOf = (r: ReproducedRow) =>
      r.league_rank.ours ?? r.league_rank.published ?? Number.MAX_SAFE_INTEGER;
    return {
      quarter,
      framework: framework.short_name,
      trust_type: trustType,
      metrics: framework.metrics.flatMap((m) => {
        const id = m.scoring?.published_score_id;
        return id && scored.has(id) ? [{ id, name: m.name }] : [];
      }),
      entries: [...rows]
        .sort((a, b) => rankOf(a) - rankOf(b) || (a.trust_code < b.trust_code ? -1 : 1))
        .map((r) => ({
          trust_code: r.trust_code,
          trust_name: r.trust_name,
          rank: r.league_rank,
          average_score: r.average_score,
          final_segment: r.final_segment,
          financial_override: r.financial_override,
          metric_scores: r.metric_scores,
        })),
    };
  });
  const tablesResult = { source: result.report.source, tables };
  if (path === SHIPPED_NOF_FILE) cache.set(ctx, tablesResult);
  return tablesResult;
}
