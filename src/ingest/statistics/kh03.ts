/**
 * KH03 overnight beds time series (CSV with a BOM and a final `,,,` row): one row per
 * organisation, sector and quarter-end snapshot, average daily beds. NHS England publishes the
 * available and the occupied beds as two files of the same layout; which one a file holds is
 * stated only in its name, and given to the measures as the `Beds` column.
 */
import { addMonths, parseCalendarDate, startOfMonth } from "../../domain/shared/dates.js";
import type { StatisticsDataset } from "./dataset.js";

export const kh03Dataset: StatisticsDataset = {
  name: "kh03",
  feedPrefix: "kh03",
  description:
    "KH03 overnight beds time series (KH03-Available-Overnight-only.csv or KH03-Occupied-Overnight-only.csv)",
  layout: { kind: "csv" },
  orgColumn: "Organisation_Code",
  periodColumns: ["Effective_Snapshot_Date"],
  period: (row) => {
    const match = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(row("Effective_Snapshot_Date"));
    const end = match ? parseCalendarDate(`${match[3]}-${match[2]}-${match[1]}`) : undefined;
    // The snapshot is a quarter's average: the period is the quarter that ends on that date.
    return end && ["03", "06", "09", "12"].includes(end.slice(5, 7))
      ? { start: addMonths(startOfMonth(end), -2), end }
      : `bad Effective_Snapshot_Date "${row("Effective_Snapshot_Date")}" (expected the dd/mm/yyyy end of a quarter)`;
  },
  columnsFromFileName: (fileName) => {
    if (/available/i.test(fileName)) return { Beds: "available" };
    if (/occupied/i.test(fileName)) return { Beds: "occupied" };
    return `the file name must say which beds it holds ("Available" or "Occupied"), as NHS England's do`;
  },
  notApplicable: [""],
};
