/**
 * `lambda-meter/stats`: summary statistics, percentiles, confidence intervals, histograms and trimmed means.
 * Pure functions with no dependencies; inputs are never modified.
 *
 * @module
 */
export {
  summarize,
  percentile,
  quantiles,
  meanConfidenceInterval,
  medianConfidenceInterval,
  trimmedMean,
} from './summarize.js';
export type {
  Summary,
  SummarizeOptions,
  ConfidenceOptions,
  MeanConfidenceInterval,
  MedianConfidenceInterval,
} from './summarize.js';
export { histogram } from './histogram.js';
export type { Histogram, HistogramBin, HistogramOptions, BinMethod } from './histogram.js';
export { studentTQuantile } from './distributions.js';
export { paretoFrontier } from './pareto.js';
