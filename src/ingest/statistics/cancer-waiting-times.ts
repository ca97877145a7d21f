/**
 * Cancer waiting times provider extract (XLSX, sheet `CWT CRS Provider Extract`): one row per
 * month, standard, provider, route, modality and cancer type; `PERIOD` is the month's first day.
 */
import { endOfMonth } from "../../domain/shared/dates.js";
import { excelSerialDate, type StatisticsDataset } from "./dataset.js";

export const cancerWaitingTimesDataset: StatisticsDataset = {
  name: "cancer-waiting-times",
  feedPrefix: "cwt",
  description: "cancer waiting times provider data extract (xlsx, sheet CWT CRS Provider Extract)",
  layout: { kind: "workbook", headerFirstCell: "PERIOD", sheet: "CWT CRS Provider Extract" },
  orgColumn: "ORG CODE",
  periodColumns: ["PERIOD"],
  period: (row) => {
    const start = excelSerialDate(row("PERIOD"));
    return start?.endsWith("-01")
      ? { start, end: endOfMonth(start) }
      : `bad PERIOD "${row("PERIOD")}" (expected the first day of a month)`;
  },
  notApplicable: [""],
};
