/**
 * Benchmarking: comparison populations (national or peer group), ranks respecting polarity,
 * positions with the cut-points used (quantile_cont), and standards. See docs/assessment.md.
 */
export {
  bandOf,
  benchmarkMetricPeriod,
  compareCodes,
  type BenchmarkEntry,
  type BenchmarkStatus,
  type MetricPeriodBenchmark,
  type PopulationRef,
  type Position,
} from "./benchmark.js";
export {
  metricAppliesTo,
  peerGroupOf,
  populationOf,
  type Comparison,
  type Population,
} from "./population.js";
export {
  cutPoints,
  DECILE_PROBABILITIES,
  quantileCont,
  QUARTILE_PROBABILITIES,
  type CutPoints,
} from "./quantile.js";
export { againstStandard, type StandardResult } from "./standard.js";
