/**
 * The CloudWatch metrics half of `lambda-meter/local`: the metric store and the awsJson1_0 (query-compatible)
 * service over it.
 *
 * @module
 */
export { MetricStore, alignStartTime } from './store.js';
export type {
  MetricDatumInput,
  MetricStatisticSetInput,
  LocalMetric,
  MetricStatisticsQuery,
  MetricDatapoint,
  DimensionFilter,
  ListMetricsFilter,
  MetricStoreOptions,
} from './store.js';
export { parseStatistic, computeStatistic } from './stats.js';
export type { Sample, Statistic } from './stats.js';
export { MetricsService, METRICS_TARGET_PREFIX } from './service.js';
export type { MetricsServiceOptions } from './service.js';
export { startMetricsServer } from './server.js';
export type { MetricsServerOptions, RunningMetricsServer } from './server.js';
