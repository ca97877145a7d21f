/**
 * DM01 diagnostics waiting times and activity, the full CSV extract (as published in a zip):
 * one row per provider × commissioner × test; provider figures are summed over both.
 */
import { namedMonthPeriod, type StatisticsDataset } from "./dataset.js";

export const dm01Dataset: StatisticsDataset = {
  name: "dm01",
  feedPrefix: "dm01",
  description: "DM01 diagnostics full CSV extract (zip as published, or the csv)",
  layout: { kind: "csv" },
  orgColumn: "Provider Org Code",
  periodColumns: ["Period"],
  period: (row) => namedMonthPeriod(row("Period"), "DM01"),
  notApplicable: [""],
};
