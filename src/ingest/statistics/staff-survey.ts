/**
 * NHS Staff Survey organisational results, the detailed spreadsheets (XLSX): each sheet has a
 * title block ("NHS Staff Survey 2024 - WEIGHTED Results") above a header starting `ODS code`,
 * then one row per organisation with `score` / `Base` pairs. The survey year is stated only in
 * the title; its period is that calendar year. Suppressed scores (fewer than 10 responses) are blank.
 */
import { parseCalendarDate } from "../../domain/shared/dates.js";
import type { StatisticsDataset } from "./dataset.js";

export const staffSurveyDataset: StatisticsDataset = {
  name: "staff-survey",
  feedPrefix: "staff_survey",
  description: "NHS Staff Survey detailed spreadsheets, organisational results (xlsx)",
  layout: { kind: "workbook", headerFirstCell: "ODS code" },
  orgColumn: "ODS code",
  periodColumns: [],
  period: (_row, title) => {
    const year = /NHS Staff Survey (\d{4})/.exec(title)?.[1];
    const start = year ? parseCalendarDate(`${year}-01-01`) : undefined;
    const end = year ? parseCalendarDate(`${year}-12-31`) : undefined;
    return start && end
      ? { start, end }
      : `the title block does not name the survey year ("NHS Staff Survey YYYY")`;
  },
  notApplicable: ["", "-", "*"],
};
