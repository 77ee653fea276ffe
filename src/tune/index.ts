/**
 * `lambda-meter/tune`: power tuning — find the memory size that makes a function cheapest, fastest or best balanced,
 * with warm and cold invocations kept apart, adaptive sampling, and guaranteed cleanup.
 *
 * @module
 */
export { powerTune } from './tune.js';
export { estimateTune } from './estimate.js';
export {
  recommend,
  paretoFrontierSizes,
  visualizationUrl,
  comparisonVisualizationUrl,
  DEFAULT_VISUALIZATION_URL,
  DEFAULT_COMPARISON_VISUALIZATION_URL,
} from './analysis.js';
export type { RecommendOptions, VisualizationUrlOptions, ComparisonVisualizationUrlOptions, VisualizedRun } from './analysis.js';
export { planNextRound, leaderOf } from './adaptive.js';
export type { ConfigObservation, AdaptiveOptions, AdaptiveDecision } from './adaptive.js';
export type {
  TuneStrategy,
  TuneClients,
  TuneAdaptiveSettings,
  UpdateWaitOptions,
  PowerTuneInput,
  PowerTuneOptions,
  ColdStartSummary,
  TuneCost,
  TuneConfiguration,
  TuneRecommendation,
  TuneCleanup,
  TuneApplied,
  TuneResult,
  TunePoint,
  EstimateTuneInput,
  TuneEstimate,
} from './types.js';
