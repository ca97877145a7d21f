/**
 * The synthetic part of the demo national dataset: series for every metric of a framework that
 * the real data does not cover, CQC ratings and intelligence, with planted stories. Pure and
 * deterministic: the same seed, organisations and profiles give the same records.
 */
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import type { Framework, FrameworkMetric } from "../domain/frameworks/schema.js";
import { addMonths, endOfMonth, type CalendarDate } from "../domain/shared/dates.js";
import type {
  CqcRating,
  CqcRatingRecord,
  IntelligenceRecord,
  ObservationRecord,
  OrganisationRecord,
} from "../ingest/bundle.js";

export interface MetricProfile {
  mean: number;
  sd: number;
  decimals: number;
  by_sector?: Record<string, { mean: number; sd: number }>;
}

export type StoryKind =
  "sharp_deterioration" | "cqc_inadequate" | "financial_deficit" | "top_performer";

export interface Story {
  kind: StoryKind;
  org_code: string;
  org_name: string;
  description: string;
}

export interface DemoInput {
  seed: number;
  framework: Framework;
  organisations: OrganisationRecord[];
  profiles: Record<string, MetricProfile>;
  /** Metrics the real data supplies: not synthesised. */
  realMetrics: ReadonlySet<string>;
  /** First month and last month of the series. */
  firstMonth: CalendarDate;
  lastMonth: CalendarDate;
}

export interface DemoOutput {
  observations: ObservationRecord[];
  cqc_ratings: CqcRatingRecord[];
  intelligence: IntelligenceRecord[];
  stories: Story[];
  /** Metrics of the framework with no profile: left without synthetic data, and said so. */
  unprofiledMetrics: string[];
}

class Random {
  private readonly rng;
  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed);
  }
  uniform(): number {
    return uniformFloat64(this.rng);
  }
  /** Standard normal by Box–Muller. */
  normal(): number {
    const u = 1 - this.uniform();
    const v = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.uniform() * items.length)]!;
  }
}

interface Period {
  start: CalendarDate;
  end: CalendarDate;
}

/** Monthly, quarterly (financial quarters) or annual (financial years) periods in the window. */
function periodsFor(
  frequency: FrameworkMetric["frequency"],
  first: CalendarDate,
  last: CalendarDate,
): Period[] {
  const months: CalendarDate[] = [];
  for (let m = first; m <= last; m = addMonths(m, 1)) months.push(m);
  const step = { monthly: 1, quarterly: 3, annual: 12, ad_hoc: 0 }[frequency];
  if (step === 0) return [];
  const periods: Period[] = [];
  for (const m of months) {
    const month = Number(m.slice(5, 7));
    // Financial quarters and years start in April.
    const aligned = step === 1 || (month - 4 + 12) % step === 0;
    const end = endOfMonth(addMonths(m, step - 1));
    if (aligned && end <= endOfMonth(last)) periods.push({ start: m, end });
  }
  return periods;
}

function appliesTo(metric: FrameworkMetric, org: OrganisationRecord): boolean {
  const { kinds, sectors } = metric.applies_to;
  if (kinds.length && !kinds.includes(org.kind)) return false;
  // A sector list limits providers only: an ICB has no sector.
  if (
    sectors.length &&
    org.sector !== null &&
    !sectors.includes(org.sector as (typeof sectors)[number])
  ) {
    return false;
  }
  return true;
}

function isOpenDuring(org: OrganisationRecord, period: Period): boolean {
  return org.open_date <= period.start && (org.close_date === null || org.close_date >= period.end);
}

const clamp = (v: number, min: number, max: number) => Math.min(max, Math.max(min, v));
const round = (v: number, decimals: number) => Math.round(v * 10 ** decimals) / 10 ** decimals;

export function synthesiseDemo(input: DemoInput): DemoOutput {
  const random = new Random(input.seed);
  const { framework } = input;
  const window: Period = { start: input.firstMonth, end: endOfMonth(input.lastMonth) };
  const providers = input.organisations.filter(
    (o) =>
      o.kind !== "icb" &&
      framework.organisation_kinds.includes(o.kind) &&
      (o.close_date === null || o.close_date >= window.start),
  );

  // Stories go to acute trusts open for the whole window, chosen by the seed.
  const candidates = providers.filter((o) => o.sector === "acute" && isOpenDuring(o, window));
  const chosen = new Set<string>();
  const story = (kind: StoryKind, description: string): Story => {
    let org = random.pick(candidates);
    while (chosen.has(org.code)) org = random.pick(candidates);
    chosen.add(org.code);
    return { kind, org_code: org.code, org_name: org.name, description };
  };
  const stories = [
    story(
      "sharp_deterioration",
      "performance falls sharply over the last eight months: special causes of concern",
    ),
    story(
      "cqc_inadequate",
      "CQC rates the trust Inadequate overall and for well-led in the final months",
    ),
    story(
      "financial_deficit",
      "a significant and sustained deficit, well behind its financial plan",
    ),
    story("top_performer", "consistently top quartile, CQC Outstanding, in surplus"),
  ];
  const storyOf = new Map(stories.map((s) => [s.org_code, s.kind]));

  // Each organisation has a latent quality (shared by its metrics) and a size.
  const latent = new Map(
    providers.map((o) => {
      const kind = storyOf.get(o.code);
      const quality =
        kind === "top_performer" ? 2.2 : kind === "cqc_inadequate" ? -1.3 : random.normal();
      return [o.code, { quality, size: random.normal() }];
    }),
  );

  const observations: ObservationRecord[] = [];
  const unprofiledMetrics: string[] = [];
  for (const metric of framework.metrics) {
    if (input.realMetrics.has(metric.id)) continue;
    const profile = input.profiles[metric.id];
    if (!profile) {
      unprofiledMetrics.push(metric.id);
      continue;
    }
    const periods = periodsFor(metric.frequency, input.firstMonth, input.lastMonth);
    const direction =
      metric.polarity === "higher_is_better" ? 1 : metric.polarity === "lower_is_better" ? -1 : 0;
    for (const org of providers) {
      if (!appliesTo(metric, org)) continue;
      const sectorProfile = (org.sector && profile.by_sector?.[org.sector]) || profile;
      const { quality, size } = latent.get(org.code)!;
      const own = random.normal();
      const kind = storyOf.get(org.code);
      let noise = 0;
      periods.forEach((period, index) => {
        noise = 0.5 * noise + random.normal() * 0.87;
        if (!isOpenDuring(org, period)) return;
        let z = direction === 0 ? 0.8 * size + 0.3 * own : 0.65 * quality * direction + 0.45 * own;
        z += 0.3 * noise;
        const fromEnd = periods.length - index;
        if (
          kind === "sharp_deterioration" &&
          direction !== 0 &&
          metric.frequency === "monthly" &&
          fromEnd <= 8
        ) {
          z -= direction * (1.6 + (8 - fromEnd) * 0.3);
        }
        if (kind === "financial_deficit" && metric.roles.includes("financial_position"))
          z = -3.4 + 0.2 * noise;
        if (kind === "financial_deficit" && metric.roles.includes("variance_to_plan"))
          z = -2.8 + 0.2 * noise;
        const raw = sectorProfile.mean + sectorProfile.sd * z;
        const value = round(
          clamp(raw, metric.valid_range.min, metric.valid_range.max),
          profile.decimals,
        );
        const bounded =
          metric.unit === "percent" || metric.unit === "count" ? Math.max(0, value) : value;
        observations.push({
          org_code: org.code,
          metric_id: metric.id,
          period_start: period.start,
          period_end: period.end,
          value: bounded === 0 ? 0 : bounded,
          numerator: null,
          denominator: null,
        });
      });
    }
  }

  const cqc_ratings: CqcRatingRecord[] = [];
  const ratingFor = (score: number): CqcRating =>
    score > 1.4
      ? "outstanding"
      : score > -0.35
        ? "good"
        : score > -1.7
          ? "requires_improvement"
          : "inadequate";
  for (const org of providers) {
    const { quality } = latent.get(org.code)!;
    const months = Math.floor(random.uniform() * 26);
    const day = 1 + Math.floor(random.uniform() * 27);
    const published =
      addMonths(input.firstMonth, 2 + months).slice(0, 8) + String(day).padStart(2, "0");
    const kind = storyOf.get(org.code);
    const base =
      kind === "top_performer" ? "outstanding" : ratingFor(quality + 0.5 * random.normal());
    const wellLed =
      kind === "top_performer" ? "outstanding" : ratingFor(quality + 0.5 * random.normal());
    const safe =
      kind === "top_performer" ? "good" : ratingFor(quality - 0.3 + 0.5 * random.normal());
    if (!isOpenDuring(org, { start: published as CalendarDate, end: published as CalendarDate }))
      continue;
    cqc_ratings.push({
      org_code: org.code,
      published_on: published,
      overall: base,
      well_led: wellLed,
      safe,
    });
    if (kind === "cqc_inadequate") {
      const inspected = `${addMonths(input.lastMonth, -3).slice(0, 8)}14`;
      cqc_ratings.push({
        org_code: org.code,
        published_on: inspected,
        overall: "inadequate",
        well_led: "inadequate",
        safe: "inadequate",
      });
    }
  }
  cqc_ratings.sort(
    (a, b) => a.org_code.localeCompare(b.org_code) || a.published_on.localeCompare(b.published_on),
  );
  // A later rating for the same organisation on the same day would be a revision, not a rating.
  const uniqueRatings = cqc_ratings.filter(
    (r, i) =>
      i === 0 ||
      r.org_code !== cqc_ratings[i - 1]!.org_code ||
      r.published_on !== cqc_ratings[i - 1]!.published_on,
  );

  const intelligence: IntelligenceRecord[] = [];
  const SOURCES = ["whistleblower", "coroner", "patient group", "local MP", "ICS partner", "HSIB"];
  const CATEGORIES = ["quality_concern", "governance", "finance", "workforce", "safety"];
  for (const org of providers) {
    if (random.uniform() > 0.15 && !storyOf.has(org.code)) continue;
    const n = 1 + Math.floor(random.uniform() * 2);
    for (let i = 0; i < n; i++) {
      const month = addMonths(input.firstMonth, Math.floor(random.uniform() * 36));
      const category = random.pick(CATEGORIES);
      const source = random.pick(SOURCES);
      const confidentiality = random.pick([
        "public",
        "official",
        "official",
        "official_sensitive",
      ] as const);
      const receivedOn = `${month.slice(0, 8)}${String(1 + Math.floor(random.uniform() * 27)).padStart(2, "0")}`;
      // No report about an organisation before it opened (or after it closed).
      if (
        !isOpenDuring(org, { start: receivedOn as CalendarDate, end: receivedOn as CalendarDate })
      )
        continue;
      intelligence.push({
        org_code: org.code,
        received_on: receivedOn,
        source,
        category,
        summary: `Synthetic ${category.replace("_", " ")} item from a ${source} (demo data, not a real report)`,
        confidentiality,
      });
    }
  }
  for (const s of stories.filter(
    (s) => s.kind === "cqc_inadequate" || s.kind === "sharp_deterioration",
  )) {
    intelligence.push({
      org_code: s.org_code,
      received_on: `${addMonths(input.lastMonth, -2).slice(0, 8)}03`,
      source: "whistleblower",
      category: "quality_concern",
      summary: `Synthetic concern raised about patient safety on wards (demo data, not a real report)`,
      confidentiality: "official_sensitive",
    });
  }
  const intelligenceKey = (r: IntelligenceRecord) =>
    `${r.org_code}|${r.received_on}|${r.source}|${r.summary}`;
  const uniqueIntelligence = [
    ...new Map(intelligence.map((r) => [intelligenceKey(r), r])).values(),
  ];

  return {
    observations,
    cqc_ratings: uniqueRatings,
    intelligence: uniqueIntelligence,
    stories,
    unprofiledMetrics,
  };
}
