/** The national statistics importers: the one list `oversight import-statistics` offers. */
import { bedsSitrepDataset } from "./beds-sitrep.js";
import { cancerWaitingTimesDataset } from "./cancer-waiting-times.js";
import type { StatisticsDataset } from "./dataset.js";
import { dm01Dataset } from "./dm01.js";
import { kh03Dataset } from "./kh03.js";
import { rttDataset } from "./rtt.js";
import { staffSurveyDataset } from "./staff-survey.js";

export const STATISTICS_DATASETS: readonly StatisticsDataset[] = [
  rttDataset,
  cancerWaitingTimesDataset,
  dm01Dataset,
  kh03Dataset,
  bedsSitrepDataset,
  staffSurveyDataset,
];
