/**
 * requirements §19: how a framework's metrics are made from national statistics, as data. A `measure`
 * says which columns of a published file, over which rows, make a monthly (or quarterly, or
 * annual) figure per provider; its `feed` is the name a metric's `feed:` takes, so an importer
 * never names a metric. A `derivation` says how a published framework metric (e.g. NOF 2025/26
 * OF0010) is made from a measure's observations over the periods a quarter covers.
 */
import { z } from "zod";

const feedName = z
  .string()
  .regex(/^[a-z0-9_]+\.[a-z0-9_]+$/, "expected dataset.measure, e.g. cwt.fds_28day");

/** Columns by name, or every column from one to another in the file's order (week bands). */
const columns = z.union([
  z.array(z.string().min(1)).min(1),
  z.object({ from: z.string().min(1), to: z.string().min(1) }).strict(),
]);

/** Rows taken: a column's value must be one of those listed (compared exactly). */
const rowFilter = z.record(z.string().min(1), z.array(z.string()).min(1));

const part = z
  .object({
    /** Summed over the rows taken: every listed column of every row. */
    columns,
    /** Rows taken for this part on top of the measure's `where` (long files: the `Metric` row). */
    where: rowFilter.optional(),
  })
  .strict();

export const statisticsMeasure = z
  .object({
    feed: feedName,
    /** Spreadsheet publications: the sheet the columns are on. */
    sheet: z.string().min(1).optional(),
    where: rowFilter.default({}),
    numerator: part,
    /** Absent: the value is the numerator itself (a count, or a published score). */
    denominator: part.optional(),
    /** 100 for a percentage of the denominator. */
    scale: z.number().positive().default(1),
    /**
     * Codes the publication uses for part of an organisation, read as the organisation's own
     * (the staff survey reports Isle of Wight NHS Trust by sector: R1F1 acute, R1F2 ambulance).
     */
    codes: z.record(z.string().min(1), z.string().min(1)).default({}),
    /** `one`: a provider has a single row a period (a survey score); a second is an error. */
    combine: z.enum(["sum", "one"]).default("sum"),
    note: z.string().optional(),
  })
  .strict();

/** Which of a measure's observations make a metric's value for a quarter. */
export const DERIVATION_PERIODS = [
  /** Σ numerator ÷ Σ denominator over observations of the quarter's three months. */
  "quarter_months",
  /** The observation of the quarter's last month (a month-end snapshot, e.g. "Jun-25"). */
  "quarter_last_month",
  /** The latest observation whose period ended before the quarter began (an annual survey). */
  "latest_before_quarter",
] as const;

export const statisticsDerivation = z
  .object({
    /** The framework metric as published (NOF 2025/26: its Metric_ID). */
    metric: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/),
    feed: feedName,
    period: z.enum(DERIVATION_PERIODS),
    /** Decimal places the published value is given to: the agreement tolerance is one unit of the last. */
    decimals: z.number().int().min(0).max(6),
    note: z.string().optional(),
  })
  .strict();

/** Metrics the statistics here cannot make, with the reason (a different period, unpublished inputs). */
export const statisticsNotDerived = z
  .object({ metric: z.string().min(1), reason: z.string().min(1) })
  .strict();

export const statisticsSection = z
  .object({
    measures: z.array(statisticsMeasure).default([]),
    derivations: z.array(statisticsDerivation).default([]),
    not_derived: z.array(statisticsNotDerived).default([]),
  })
  .strict();

export type StatisticsMeasure = z.infer<typeof statisticsMeasure>;
export type StatisticsDerivation = z.infer<typeof statisticsDerivation>;
export type StatisticsSection = z.infer<typeof statisticsSection>;
export type DerivationPeriod = (typeof DERIVATION_PERIODS)[number];
