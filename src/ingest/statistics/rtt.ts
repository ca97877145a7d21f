/**
 * RTT waiting times, the "Full CSV data file" (one row per provider × commissioner × RTT part ×
 * treatment function), as published in a zip (or gzip). Provider figures are summed over
 * commissioners; `C_999` is the treatment functions' total (the measures take only it).
 */
import { namedMonthPeriod, type StatisticsDataset } from "./dataset.js";

export const rttDataset: StatisticsDataset = {
  name: "rtt",
  feedPrefix: "rtt",
  description: "RTT waiting times full CSV extract (csv, or as published in a zip; .gz read too)",
  layout: { kind: "csv" },
  orgColumn: "Provider Org Code",
  periodColumns: ["Period"],
  period: (row) => namedMonthPeriod(row("Period"), "RTT"),
  notApplicable: [""],
};
