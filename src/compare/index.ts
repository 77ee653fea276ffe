/**
 * `lambda-meter/compare`: is B faster or cheaper than A? Two targets compared statistically with sequential
 * sampling (an anytime-valid interval of B/A, checked after every randomised block), forced cold starts measured
 * apart, a baseline to save, and a gate for CI.
 *
 * @module
 */
export { compare, COMPARE_MARKER_PREFIX } from './compare.js';
export { compareGrid } from './grid.js';
export { estimateCompare, formatCompareEstimate, coldStartRateFromReports, measureColdStartRate } from './estimate.js';
export { MAX_DIRECT_UPLOAD_BYTES } from './compare.js';
export { COMPARE_DEFAULTS, GRID_DEFAULTS } from './validate.js';
export { ratioInterval, verdictOf, compareMetric, expectedPerRequest, METHOD, MIN_SAMPLES_PER_SIDE } from './sequential.js';
export type { RatioInterval, RequestSample } from './sequential.js';
export { saveBaseline, loadBaseline, gate, COMPARE_BASELINE_SCHEMA, COMPARE_BASELINE_SCHEMA_VERSION, DEFAULT_GATE_METRICS } from './baseline.js';
export type { BaselineTarget, BaselineMetric, CompareBaseline, SaveBaselineOptions, GateOptions, GateMetricResult, GateResult } from './baseline.js';
export { COMPARE_METRICS } from './types.js';
export type {
  CompareClients,
  CompareTarget,
  CompareMetric,
  Verdict,
  CompareInput,
  CompareBudget,
  CompareOptions,
  CompareSample,
  CompareSide,
  ExpectedPerRequest,
  MetricComparison,
  StopReason,
  CompareResult,
  GridInput,
  GridOptions,
  GridConfiguration,
  ArchitectureRatio,
  GridResult,
  CompareScenario,
  CompareEstimateOptions,
  CompareEstimate,
  MeasureColdStartRateInput,
  MeasuredColdStartRate,
} from './types.js';
export type { UpdateWaitOptions } from '../internal/control-plane.js';
