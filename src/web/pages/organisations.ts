/**
 * Staff pages about organisations: the searchable list (segment, region, ICB, kind, sector,
 * review due), the profile (segment and since when, why, what would move it, metrics with their
 * national position, CQC, finance, history, recommendations and decisions, intelligence as the
 * viewer may see it) and one metric's SPC chart.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { ORG_KINDS, SECTORS } from "../../domain/organisations/organisation.js";
import type { CalendarDate } from "../../domain/shared/dates.js";
import type { Action } from "../../domain/access/policy.js";
import { maySee, permitted } from "../../services/authorise.js";
import { listIntelligence } from "../../services/intelligence.js";
import { organisationAssessment } from "../../services/organisation-assessment.js";
import { pictureAnswer } from "../../services/national-picture.js";
import { cqcRatings, getOrganisation } from "../../services/organisations.js";
import { reviewsDueFor } from "../../services/reviews.js";
import { segmentationOn } from "../../services/segmentation.js";
import { metricSeries, metricsSeries } from "../../services/series.js";
import {
  listDecisions,
  listNotes,
  listRecommendations,
  segmentHistory,
} from "../../services/workflow.js";
import {
  assuranceIconSvg,
  assuranceLabel,
  variationIconSvg,
  variationLabel,
} from "../charts/mdc-icons.js";
import { spcChart } from "../charts/spc-chart.js";
import { spineChart } from "../charts/spine-chart.js";
import { calendarDate, optionalText, orgCode, parseInput } from "./query.js";
import { renderPage, staffViewer, type PageOptions } from "./render.js";

const blankToUndefined = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === "" ? undefined : v), schema.optional());

const ListQuery = z
  .object({
    as_of: calendarDate.optional(),
    q: optionalText,
    segment: blankToUndefined(z.enum(["1", "2", "3", "4", "5", "none"])),
    region: blankToUndefined(z.string().regex(/^[A-Z0-9]{3}$/, "must be a region code")),
    icb: blankToUndefined(orgCode),
    kind: blankToUndefined(z.enum(ORG_KINDS)),
    sector: blankToUndefined(z.enum(SECTORS)),
    review_due: blankToUndefined(z.enum(["yes", "no"])),
  })
  .strict();

const AsOfQuery = z.object({ as_of: calendarDate.optional() }).strict();
const MetricParams = z.object({
  code: orgCode,
  // A framework's own ids, in its case: nof-2025 names its metrics OF0079 (schema.ts identifier).
  metric: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, "must be a metric id"),
});

export function organisationPages(app: FastifyInstance, options: PageOptions): void {
  const { ctx, today } = options;

  app.get("/organisations", async (request, reply) => {
    const viewer = staffViewer(request);
    const query = parseInput(ListQuery, request.query);
    const asOf = query.as_of ?? today();
    const segmentation = await segmentationOn(ctx, viewer, asOf);
    // Review deadlines only for those entitled to the schedule (its triggers quote intelligence).
    const reviews =
      segmentation.framework && (await permitted(ctx, viewer, "review:read"))
        ? await reviewsDueFor(ctx, viewer, { asOf })
        : null;
    const nextDeadline = new Map<string, string>();
    for (const r of reviews?.reviews ?? [])
      if (!nextDeadline.has(r.org_code) || r.deadline < nextDeadline.get(r.org_code)!)
        nextDeadline.set(r.org_code, r.deadline);
    const needle = query.q?.toLowerCase();
    const rows = segmentation.organisations.filter(({ organisation: o, segment }) => {
      if (needle && !o.name.toLowerCase().includes(needle) && o.code.toLowerCase() !== needle)
        return false;
      if (
        query.segment === "none"
          ? segment !== null
          : query.segment && segment !== Number(query.segment)
      )
        return false;
      if (query.region && o.region !== query.region) return false;
      if (query.icb && o.icbCode !== query.icb && o.code !== query.icb) return false;
      if (query.kind && o.kind !== query.kind) return false;
      if (query.sector && o.sector !== query.sector) return false;
      if (query.review_due && nextDeadline.has(o.code) !== (query.review_due === "yes"))
        return false;
      return true;
    });
    const all = segmentation.organisations.map((r) => r.organisation);
    const regions = [...new Map(all.map((o) => [o.region, o.regionName])).entries()].sort((a, b) =>
      a[1] < b[1] ? -1 : 1,
    );
    const icbs = all.filter((o) => o.kind === "icb").map((o) => [o.code, o.name]);
    return renderPage(options, request, reply, "pages/organisations.njk", {
      title: "Organisations",
      asOf,
      query,
      rows,
      total: all.length,
      framework: segmentation.framework,
      regions,
      icbs,
      kinds: ORG_KINDS,
      sectors: SECTORS,
      deadlines: Object.fromEntries(nextDeadline),
    });
  });

  app.get<{ Params: { code: string } }>("/organisations/:code", async (request, reply) => {
    const viewer = staffViewer(request);
    const code = parseInput(orgCode, request.params.code);
    const { as_of } = parseInput(AsOfQuery, request.query);
    const asOf = as_of ?? today();
    const organisation = await getOrganisation(ctx, code, asOf);
    // requirements §6: each section only for a viewer entitled to it (the access matrix); the others
    // are left out rather than refused, so the page is the viewer's view of the organisation.
    const when = async <T>(action: Action, read: () => Promise<T>): Promise<T | null> =>
      (await permitted(ctx, viewer, action, code)) ? read() : null;
    const [segmentation, assessed, cqc, history, recommendations, decisions, intelligence, notes] =
      await Promise.all([
        segmentationOn(ctx, viewer, asOf),
        when("assessment:read", () => organisationAssessment(ctx, viewer, code, asOf)),
        cqcRatings(ctx, code, asOf),
        when("segment_history:read", () => segmentHistory(ctx, viewer, code)),
        when("recommendation:read", () => listRecommendations(ctx, viewer, { org_code: code })),
        when("decision:read", () => listDecisions(ctx, viewer, { org_code: code })),
        when("note:read", () => listIntelligence(ctx, viewer, code, asOf)),
        when("note:read", () => listNotes(ctx, viewer, code)),
      ]);
    const current = segmentation.organisations.find((r) => r.organisation.code === code) ?? null;
    // requirements §13: never an empty profile: where the stored data cannot segment the trust on the
    // date, its place in the national picture, or the latest date that has its data.
    const picture =
      assessed?.method === "scored" && assessed.assessment.final_segment === null
        ? await pictureAnswer(ctx, code, asOf)
        : null;
    const metrics =
      assessed?.method === "eligibility"
        ? assessed.assessment.metrics.map((m, i) => ({
            ...m,
            spine:
              m.value !== null && m.cut_points
                ? spineChart({
                    id: `spine-${i}`,
                    metricName: m.metric_name,
                    unit: m.unit,
                    polarity: m.polarity,
                    value: m.value,
                    cutPoints: m.cut_points,
                    quartile: m.quartile,
                    populationName: m.population.name,
                  }).svg
                : null,
            variationSvg: variationIconSvg(m.spc?.variation_icon ?? null),
            assuranceSvg: assuranceIconSvg(m.spc?.assurance_icon ?? null),
            variationLabel: m.spc?.variation_icon ? variationLabel(m.spc.variation_icon) : null,
            assuranceLabel: m.spc?.assurance_icon ? assuranceLabel(m.spc.assurance_icon) : null,
            finance: /finance/i.test(m.theme),
          }))
        : [];
    // requirements §5: an SPC chart per metric on the profile (each also has a page of its own).
    const analysed = metrics.filter((m) => m.spc !== null);
    const allSeries = await metricsSeries(ctx, {
      orgCode: code,
      metricIds: analysed.map((m) => m.metric_id),
      asOf,
      ...(assessed ? { frameworkId: assessed.framework.id } : {}),
    });
    const spcCharts = allSeries.map((series, i) => ({
      metric: analysed[i]!,
      chart: spcChart({
        id: `spc-${i}`,
        metricName: series.metric.name,
        unit: series.metric.unit,
        frequency: series.metric.frequency,
        points: series.spc.points,
        target: series.target,
      }),
      target: series.target,
    }));
    const framework = assessed ? ctx.frameworks.get(assessed.framework.id) : undefined;
    const unmet =
      assessed?.method === "eligibility"
        ? Object.fromEntries(
            assessed.assessment.segments.map((s) => [
              s.segment,
              s.criteria.filter((c) => c.status !== "fired"),
            ]),
          )
        : {};
    return renderPage(options, request, reply, "pages/profile.njk", {
      title: organisation.name,
      metricNames: Object.fromEntries((framework?.metrics ?? []).map((m) => [m.id, m.name])),
      unmet,
      asOf,
      organisation,
      current,
      assessed,
      picture,
      metrics,
      spcCharts,
      cqc,
      history,
      recommendations,
      decisions,
      intelligence,
      notes: notes?.filter((n) => maySee(viewer, n.confidentiality)) ?? null,
    });
  });

  app.get<{ Params: { code: string; metric: string } }>(
    "/organisations/:code/metrics/:metric",
    async (request, reply) => {
      staffViewer(request);
      const params = parseInput(MetricParams, request.params);
      const { as_of } = parseInput(AsOfQuery, request.query);
      const asOf: CalendarDate = as_of ?? today();
      const organisation = await getOrganisation(ctx, params.code, asOf);
      const series = await metricSeries(ctx, {
        orgCode: organisation.code,
        metricId: params.metric,
        asOf,
      });
      const chart = spcChart({
        id: "spc",
        metricName: series.metric.name,
        unit: series.metric.unit,
        frequency: series.metric.frequency,
        points: series.spc.points,
        target: series.target,
      });
      return renderPage(options, request, reply, "pages/metric.njk", {
        title: `${series.metric.name} – ${organisation.name}`,
        asOf,
        organisation,
        series,
        chart,
        variationSvg: variationIconSvg(series.spc.variation_icon),
        assuranceSvg: assuranceIconSvg(series.spc.assurance_icon),
        variationLabel: variationLabel(series.spc.variation_icon),
        assuranceLabel: assuranceLabel(series.spc.assurance_icon),
      });
    },
  );
}
