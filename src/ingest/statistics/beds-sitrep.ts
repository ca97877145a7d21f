/**
 * UEC daily situation report, beds: the monthly average file in long format (one row per level,
 * organisation, metric and type); `[z]` marks a cell that does not apply. Only provider rows
 * carry a provider's figures (the national, regional and ICB rows are skipped).
 */
import { monthPeriod, type StatisticsDataset } from "./dataset.js";

export const bedsSitrepDataset: StatisticsDataset = {
  name: "beds-sitrep",
  feedPrefix: "beds_sitrep",
  description: "UEC daily sitrep beds, monthly average CSV (Period,Level,…,Metric,Type,Value)",
  layout: { kind: "csv" },
  orgColumn: "Org Code",
  periodColumns: ["Period", "Level"],
  period: (row) => {
    const match = /^01\/(\d{2})\/(\d{4})$/.exec(row("Period"));
    const period = match ? monthPeriod(Number(match[2]), Number(match[1]) - 1) : undefined;
    return period ?? `bad Period "${row("Period")}" (expected 01/mm/yyyy)`;
  },
  skip: (row) => row("Level") !== "Provider",
  notApplicable: ["", "[z]"],
};
