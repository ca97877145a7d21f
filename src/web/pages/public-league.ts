/**
 * The public NHS Oversight Framework 2025/26 league tables (requirements §13, docs/national-picture.md):
 * per trust type, the aggregate ranking (adjusted segment, then average score) with each rank's
 * likely range and the change since the previous quarter marked significant or not; each metric's
 * ranking with its value beside the trust type's median and quartiles; each trust's page; a CSV
 * and JSON download under every table. Filters (region, ICB, segment) and sortable columns are
 * links, so every page works without JavaScript.
 *
 * Only public figures are read (NHS England's publications and the marked synthetic demo), so an
 * answer is the same for everyone: each is kept per address and date, and each download is made
 * once per table (the tables change only with a new release of the shipped files).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { CalendarDate } from "../../domain/shared/dates.js";
import { NotFoundError } from "../../services/errors.js";
import {
  firstPublishedDate,
  findTable,
  latestPublishedDate,
  leagueCsv,
  metricCsv,
  nationalPicture,
  tablesAsOf,
  type PictureMetric,
  type PictureRow,
  type PictureTable,
} from "../../services/national-picture.js";
import { sendKept, type KeptAnswer } from "./kept-answer.js";
import { calendarDate, optionalText, orgCode, parseInput } from "./query.js";
import { renderHtml, viewerOrNull, type PageOptions } from "./render.js";

const QUARTER = /^Q[1-4] \d{4}\/\d{2}$/;
const peerGroup = z.string().regex(/^[a-z_]{1,40}$/, "not a trust type");
const metricId = z.string().regex(/^[A-Za-z0-9_]{1,40}$/, "not a metric id");

const SORTS = [
  "rank",
  "name",
  "region",
  "segment",
  "average",
  "rank_change",
  "average_change",
] as const;
const METRIC_SORTS = ["rank", "name", "region", "value", "score"] as const;

const filters = {
  as_of: calendarDate.optional(),
  quarter: z.string().regex(QUARTER, "a quarter such as Q1 2025/26").optional(),
  region: optionalText,
  icb: optionalText,
  segment: z
    .enum(["1", "2", "3", "4", "5", ""])
    .optional()
    .transform((s) => (s === "" ? undefined : s)),
  order: z.enum(["ascending", "descending"]).optional(),
};
const LeagueQuery = z.object({ ...filters, sort: z.enum(SORTS).optional() }).strict();
const MetricQuery = z.object({ ...filters, sort: z.enum(METRIC_SORTS).optional() }).strict();
const DownloadQuery = z
  .object({
    as_of: calendarDate.optional(),
    quarter: z.string().regex(QUARTER).optional(),
  })
  .strict();

type Filters = z.output<typeof LeagueQuery> | z.output<typeof MetricQuery>;

type Answer = KeptAnswer;

/** "acute_trusts.csv" → ["acute_trusts", "csv"]: a table's downloads sit beside its page. */
function splitExtension(segment: string): [string, "csv" | "json" | undefined] {
  const match = /^(.*)\.(csv|json)$/.exec(segment);
  return match ? [match[1]!, match[2] as "csv" | "json"] : [segment, undefined];
}

const ordinalRank = (r: PictureRow) => r.rank ?? Number.MAX_SAFE_INTEGER;

function matches(row: PictureRow, q: Filters): boolean {
  if (q.region && row.region !== q.region) return false;
  if (q.icb && row.icb_code !== q.icb) return false;
  if (q.segment && String(row.final_segment) !== q.segment) return false;
  return true;
}

function compareBy(sort: string): (a: PictureRow, b: PictureRow) => number {
  const num = (v: number | null | undefined) => v ?? Number.POSITIVE_INFINITY;
  switch (sort) {
    case "name":
      return (a, b) => a.name.localeCompare(b.name, "en-GB");
    case "region":
      return (a, b) => a.region.localeCompare(b.region, "en-GB") || ordinalRank(a) - ordinalRank(b);
    case "segment":
      return (a, b) =>
        num(a.final_segment) - num(b.final_segment) || ordinalRank(a) - ordinalRank(b);
    case "average":
      return (a, b) => num(a.average_score) - num(b.average_score);
    case "rank_change":
      return (a, b) => num(b.change?.rank_change) - num(a.change?.rank_change);
    case "average_change":
      return (a, b) => num(a.change?.average_change) - num(b.change?.average_change);
    default:
      return (a, b) => ordinalRank(a) - ordinalRank(b) || (a.code < b.code ? -1 : 1);
  }
}

function sorted<T>(items: T[], compare: (a: T, b: T) => number, order: string | undefined): T[] {
  const result = [...items].sort(compare);
  return order === "descending" ? result.reverse() : result;
}

/** The address of this page with some parameters changed. */
function linkWith(
  path: string,
  query: Record<string, unknown>,
  changes: Record<string, string | undefined>,
) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...query, ...changes }))
    if (v !== undefined && v !== "") params.set(k, String(v));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** NHS.UK sortable table headers, sorted on the server (links), so no script is needed. */
function sortHeads(
  path: string,
  query: Filters,
  columns: readonly { key: string; text: string; numeric?: boolean }[],
) {
  const current = query.sort ?? "rank";
  return columns.map((c) => {
    const active = c.key === current;
    const order = active ? (query.order ?? "ascending") : "none";
    const next = active && order === "ascending" ? "descending" : "ascending";
    return {
      text: c.text,
      numeric: c.numeric ?? false,
      ariaSort: order,
      href: linkWith(path, query, { sort: c.key, order: next === "ascending" ? undefined : next }),
    };
  });
}

const fixed = (v: number | null | undefined, digits = 2) => (v == null ? "–" : v.toFixed(digits));

function changeText(row: PictureRow): { segment: string; significance: string; rank: string } {
  const c = row.change;
  if (!c) return { segment: "New this quarter", significance: "", rank: "–" };
  const rank =
    c.rank_change === null
      ? "–"
      : c.rank_change === 0
        ? "No change"
        : c.rank_change > 0
          ? `Up ${c.rank_change}`
          : `Down ${-c.rank_change}`;
  const held = row.held_for_review;
  const moved = c.previous_segment !== row.adjusted_segment;
  // requirements §13: a change that is not significant is not made: held, for individual review.
  const segment = held
    ? `Held at ${c.previous_segment ?? "–"}: the data point to ${held.data_adjusted_segment ?? "–"}`
    : moved
      ? `${c.previous_segment ?? "–"} to ${row.adjusted_segment ?? "–"}`
      : "No change";
  const significance =
    c.verdict === "significant"
      ? "Significant"
      : c.verdict === "override"
        ? "Financial override changed"
        : c.verdict === "for_review"
          ? "Not significant, for individual review"
          : c.average_change_significant
            ? "Score change significant"
            : "Score change not significant";
  return { segment, significance, rank };
}

/** A league table row as the public and staff tables show it: figures, likely ranges, change. */
export function leagueRowView(table: PictureTable, r: PictureRow) {
  return {
    row: r,
    average: fixed(r.average_score),
    likelyAverage: r.likely_average
      ? `${fixed(r.likely_average.low)} to ${fixed(r.likely_average.high)}`
      : "",
    change: changeText(r),
    averageChange:
      r.change?.average_change == null
        ? "–"
        : (r.change.average_change > 0 ? "+" : "") + r.change.average_change.toFixed(2),
    domains: table.domains.map((d) => ({
      score: fixed(r.domains[d.id]?.score),
      segment: r.domains[d.id]?.segment ?? null,
    })),
  };
}

function filterOptions(table: PictureTable) {
  const regions = [...new Set(table.rows.map((r) => r.region).filter(Boolean))].sort();
  const icbs = [
    ...new Map(
      table.rows.flatMap((r) =>
        r.icb_code ? [[r.icb_code, r.icb_name ?? r.icb_code] as const] : [],
      ),
    ),
  ].sort((a, b) => a[1].localeCompare(b[1], "en-GB"));
  return { regions, icbs: icbs.map(([code, name]) => ({ code, name })) };
}

export function publicLeaguePages(app: FastifyInstance, options: PageOptions): void {
  const { ctx, today } = options;
  const kept = new Map<string, Answer>();
  const downloads = new Map<string, Answer>();
  const CAPACITY = 4096;

  async function answer(request: FastifyRequest, reply: FastifyReply, produce: () => Answer) {
    // The page frame names a signed-in viewer and offers their pages: kept per viewer, one copy
    // for the public (never one viewer's frame served to another).
    const viewer = viewerOrNull(request);
    const who = viewer ? `${viewer.role}:${viewer.user}` : "public";
    const key = `${who} ${today()} ${request.url}`;
    let a = kept.get(key);
    if (!a) {
      a = produce();
      if (kept.size >= CAPACITY) kept.delete(kept.keys().next().value!);
      kept.set(key, a);
    }
    return sendKept(request, reply, a);
  }
  /** A download, made once per table and kept: the tables do not change while the server runs. */
  function download(key: string, make: () => Answer): Answer {
    let a = downloads.get(key);
    if (!a) {
      a = make();
      downloads.set(key, a);
    }
    return a;
  }
  const html = (request: FastifyRequest, view: string, data: Record<string, unknown>): Answer => ({
    type: "text/html; charset=utf-8",
    body: renderHtml(options, request, view, data),
  });

  const picture = () => nationalPicture(ctx);

  /** The table asked for, or a page saying why there is none and where the data are. */
  function tableFor(
    peer: string,
    q: { as_of?: CalendarDate | undefined; quarter?: string | undefined },
  ) {
    const p = picture();
    const date = q.as_of ?? today();
    const table = findTable(p, peer, q.quarter, date);
    if (!table) {
      if (!p.tables.some((t) => t.peer_group === peer))
        throw new NotFoundError(`There is no trust type "${peer}".`);
      if (q.quarter) throw new NotFoundError(`There is no ${q.quarter} table for this trust type.`);
    }
    return { table, date };
  }

  function quarterLinks(path: string, table: PictureTable, query: Record<string, unknown>) {
    return picture()
      .tables.filter((t) => t.peer_group === table.peer_group)
      .map((t) => ({
        quarter: t.quarter,
        synthetic: t.synthetic === "all",
        current: t.quarter === table.quarter,
        href: linkWith(path, { ...query, as_of: undefined }, { quarter: t.quarter }),
      }));
  }

  function noData(request: FastifyRequest, date: CalendarDate, trustType?: string): Answer {
    const p = picture();
    const first = firstPublishedDate(p);
    return html(request, "pages/public-league-none.njk", {
      title: "No league table on this date",
      date,
      trustType,
      first,
      framework: ctx.frameworks.inForceOn(date),
    });
  }

  app.get("/public/league", (request, reply) =>
    answer(request, reply, () => {
      const { as_of } = parseInput(
        z.object({ as_of: calendarDate.optional() }).strict(),
        request.query,
      );
      const p = picture();
      const date = as_of ?? today();
      const tables = tablesAsOf(p, date);
      if (tables.length === 0) return noData(request, date);
      return html(request, "pages/public-league-index.njk", {
        title: "NHS Oversight Framework league tables",
        date,
        asOf: as_of,
        latest: latestPublishedDate(p),
        framework: ctx.frameworks.inForceOn(date),
        tables: tables.map((t) => ({
          table: t,
          counts: [1, 2, 3, 4, 5].map((s) => t.rows.filter((r) => r.final_segment === s).length),
          forReview: t.rows.filter((r) => r.change?.verdict === "for_review").length,
          href: linkWith(`/public/league/${t.peer_group}`, {}, { quarter: t.quarter }),
        })),
      });
    }),
  );

  app.get("/public/league/method", (request, reply) =>
    answer(request, reply, () => {
      parseInput(z.object({}).strict(), request.query);
      const p = picture();
      // Worked examples from real data: the middle trust of the first real acute table, and the
      // first mental health and community trust whose segment change is held for review.
      const real = p.tables.filter((t) => t.synthetic === "none");
      const acute = real.find((t) => t.rows.length > 100) ?? real[0];
      const example = acute?.rows[Math.floor(acute.rows.length / 2)];
      const held = real
        .flatMap((t) => t.rows.map((row) => ({ table: t, row })))
        .find(({ row }) => row.change?.verdict === "for_review");
      const moved = real
        .flatMap((t) => t.rows.map((row) => ({ table: t, row })))
        .find(({ row }) => row.change?.verdict === "significant");
      const changes = real.flatMap((t) =>
        t.rows.filter(
          (r) => r.change && r.change.verdict !== "no_change" && r.change.verdict !== "new",
        ),
      );
      return html(request, "pages/public-league-method.njk", {
        title: "How the likely ranges and significance are worked out",
        acute,
        example,
        exampleScores: example
          ? acute!.metrics.flatMap((m) => {
              const c = example.metrics[m.id];
              return c?.score == null
                ? []
                : [{ id: m.id, name: m.name, score: c.score.toFixed(2) }];
            })
          : [],
        held,
        moved,
        changeCount: changes.length,
        heldCount: changes.filter((r) => r.change!.verdict === "for_review").length,
      });
    }),
  );

  app.get<{ Params: { peer: string } }>("/public/league/:peer", (request, reply) =>
    answer(request, reply, () => {
      const [name, kind] = splitExtension(request.params.peer);
      const peer = parseInput(peerGroup, name);
      if (kind) return tableDownload(peer, parseInput(DownloadQuery, request.query), kind);
      const query = parseInput(LeagueQuery, request.query);
      const { table, date } = tableFor(peer, query);
      if (!table) return noData(request, date, peer);
      const path = `/public/league/${peer}`;
      const rows = sorted(
        table.rows.filter((r) => matches(r, query)),
        compareBy(query.sort ?? "rank"),
        query.order,
      );
      const base = { ...query, quarter: table.quarter, as_of: undefined };
      return html(request, "pages/public-league.njk", {
        title: `${table.trust_type} league table, ${table.quarter}`,
        table,
        query,
        path,
        filtered: rows.length !== table.rows.length,
        options: filterOptions(table),
        quarters: quarterLinks(path, table, query),
        heads: sortHeads(path, base, [
          { key: "rank", text: "Rank", numeric: true },
          { key: "name", text: "Trust" },
          { key: "region", text: "Region" },
          { key: "segment", text: "Segment" },
          { key: "average", text: "Average score", numeric: true },
          { key: "rank_change", text: "Rank change", numeric: true },
          { key: "average_change", text: "Score change", numeric: true },
        ]),
        rows: rows.map((r) => ({
          ...leagueRowView(table, r),
          href: linkWith(`${path}/trusts/${r.code}`, {}, { quarter: table.quarter }),
        })),
        csv: linkWith(`${path}.csv`, {}, { quarter: table.quarter }),
        json: linkWith(`${path}.json`, {}, { quarter: table.quarter }),
        metricHref: (m: PictureMetric) =>
          linkWith(`${path}/metrics/${m.id}`, {}, { quarter: table.quarter }),
      });
    }),
  );

  app.get<{ Params: { peer: string; metric: string } }>(
    "/public/league/:peer/metrics/:metric",
    (request, reply) =>
      answer(request, reply, () => {
        const peer = parseInput(peerGroup, request.params.peer);
        const [name, kind] = splitExtension(request.params.metric);
        const id = parseInput(metricId, name);
        if (kind) return metricDownload(peer, id, parseInput(DownloadQuery, request.query), kind);
        const query = parseInput(MetricQuery, request.query);
        const { table, date } = tableFor(peer, query);
        if (!table) return noData(request, date, peer);
        const metric = table.metrics.find((m) => m.id === id);
        if (!metric)
          throw new NotFoundError(`${table.trust_type} have no metric ${id} in ${table.quarter}.`);
        const path = `/public/league/${peer}/metrics/${id}`;
        const cell = (r: PictureRow) => r.metrics[id]!;
        const num = (v: number | null) => v ?? Number.POSITIVE_INFINITY;
        const compare: Record<string, (a: PictureRow, b: PictureRow) => number> = {
          rank: (a, b) => num(cell(a).rank) - num(cell(b).rank),
          name: (a, b) => a.name.localeCompare(b.name, "en-GB"),
          region: (a, b) => a.region.localeCompare(b.region, "en-GB"),
          value: (a, b) => num(cell(a).value) - num(cell(b).value),
          score: (a, b) => num(cell(a).score) - num(cell(b).score),
        };
        const rows = sorted(
          table.rows.filter((r) => r.metrics[id] && matches(r, query)),
          compare[query.sort ?? "rank"]!,
          query.order,
        );
        const first = rows.find((r) => cell(r).median !== null);
        const base = { ...query, quarter: table.quarter, as_of: undefined };
        return html(request, "pages/public-league-metric.njk", {
          title: `${metric.name}: ${table.trust_type}, ${table.quarter}`,
          table,
          metric,
          query,
          path,
          options: filterOptions(table),
          quarters: quarterLinks(path, table, query),
          summary: first ? cell(first) : null,
          heads: sortHeads(path, base, [
            { key: "rank", text: "Rank", numeric: true },
            { key: "name", text: "Trust" },
            { key: "region", text: "Region" },
            { key: "value", text: "Value", numeric: true },
            { key: "score", text: "Score (1 best, 4 worst)", numeric: true },
          ]),
          rows: rows.map((r) => ({
            row: r,
            cell: cell(r),
            value: fixed(cell(r).value),
            score: fixed(cell(r).score),
            href: linkWith(
              `/public/league/${peer}/trusts/${r.code}`,
              {},
              { quarter: table.quarter },
            ),
          })),
          leagueHref: linkWith(`/public/league/${peer}`, {}, { quarter: table.quarter }),
          csv: linkWith(`${path}.csv`, {}, { quarter: table.quarter }),
          json: linkWith(`${path}.json`, {}, { quarter: table.quarter }),
        });
      }),
  );

  app.get<{ Params: { peer: string; code: string } }>(
    "/public/league/:peer/trusts/:code",
    (request, reply) =>
      answer(request, reply, () => {
        const peer = parseInput(peerGroup, request.params.peer);
        const code = parseInput(orgCode, request.params.code);
        const query = parseInput(DownloadQuery, request.query);
        const { table, date } = tableFor(peer, query);
        if (!table) return noData(request, date, peer);
        const row = table.rows.find((r) => r.code === code);
        if (!row)
          throw new NotFoundError(
            `${code} is not in the ${table.trust_type} table for ${table.quarter}.`,
          );
        return html(request, "pages/public-league-trust.njk", {
          title: `${row.name}: NHS Oversight Framework ${table.quarter}`,
          table,
          row,
          change: changeText(row),
          quarters: quarterLinks(`/public/league/${peer}/trusts/${code}`, table, {}),
          leagueHref: linkWith(`/public/league/${peer}`, {}, { quarter: table.quarter }),
          metrics: table.metrics
            .filter((m) => row.metrics[m.id])
            .map((m) => ({
              metric: m,
              cell: row.metrics[m.id]!,
              value: fixed(row.metrics[m.id]!.value),
              score: fixed(row.metrics[m.id]!.score),
              median: fixed(row.metrics[m.id]!.median),
              quartiles:
                row.metrics[m.id]!.lower_quartile === null
                  ? "–"
                  : `${fixed(row.metrics[m.id]!.lower_quartile)} to ${fixed(row.metrics[m.id]!.upper_quartile)}`,
              href: linkWith(
                `/public/league/${peer}/metrics/${m.id}`,
                {},
                { quarter: table.quarter },
              ),
            })),
          domains: table.domains.map((d) => ({ ...d, ...row.domains[d.id] })),
        });
      }),
  );

  const tableDownload = (
    peer: string,
    query: z.output<typeof DownloadQuery>,
    kind: "csv" | "json",
  ) => {
    const { table } = tableFor(peer, query);
    if (!table) throw new NotFoundError("No league table had been published on that date.");
    const stem = `nof-league-${peer}-${table.quarter.replace(/[ /]/g, "-")}`;
    return download(`${stem}.${kind}`, () =>
      kind === "csv"
        ? { type: "text/csv; charset=utf-8", body: leagueCsv(table), filename: `${stem}.csv` }
        : {
            type: "application/json; charset=utf-8",
            body: JSON.stringify({
              quarter: table.quarter,
              trust_type: table.trust_type,
              framework: table.framework,
              synthetic: table.synthetic === "all",
              synthetic_note:
                table.synthetic === "all"
                  ? "Synthetic demonstration data: these values are not real."
                  : null,
              source: table.source,
              metrics: table.metrics,
              domains: table.domains,
              rows: table.rows,
            }),
            filename: `${stem}.json`,
          },
    );
  };
  const metricDownload = (
    peer: string,
    id: string,
    query: z.output<typeof DownloadQuery>,
    kind: "csv" | "json",
  ) => {
    const { table } = tableFor(peer, query);
    if (!table) throw new NotFoundError("No league table had been published on that date.");
    const metric = table.metrics.find((m) => m.id === id);
    if (!metric)
      throw new NotFoundError(`${table.trust_type} have no metric ${id} in ${table.quarter}.`);
    const stem = `nof-${peer}-${id}-${table.quarter.replace(/[ /]/g, "-")}`;
    return download(`${stem}.${kind}`, () =>
      kind === "csv"
        ? {
            type: "text/csv; charset=utf-8",
            body: metricCsv(table, metric),
            filename: `${stem}.csv`,
          }
        : {
            type: "application/json; charset=utf-8",
            body: JSON.stringify({
              quarter: table.quarter,
              trust_type: table.trust_type,
              metric,
              synthetic: table.synthetic === "all",
              synthetic_note:
                table.synthetic === "all"
                  ? "Synthetic demonstration data: these values are not real."
                  : null,
              source: table.source,
              rows: table.rows
                .filter((r) => r.metrics[id])
                .map((r) => ({
                  code: r.code,
                  name: r.name,
                  region: r.region,
                  icb_code: r.icb_code,
                  synthetic: r.synthetic,
                  ...r.metrics[id],
                })),
            }),
            filename: `${stem}.json`,
          },
    );
  };
}
