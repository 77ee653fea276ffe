/**
 * The CloudWatch metrics half of `lambda-meter/local`: the metric store and the service over it, in awsJson1_0
 * (query-compatible) and in the query protocol (form bodies, XML answers).
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
export {
  CLOUDWATCH_API_VERSION,
  CLOUDWATCH_INPUT_SHAPES,
  CLOUDWATCH_XML_NAMESPACE,
  decodeQueryParams,
  isoTimestamp,
  parseQueryForm,
  queryErrorXml,
  queryResponseXml,
  toJsonOutput,
} from './query-protocol.js';
export type { FormNode, QueryRequest, QueryShape } from './query-protocol.js';
export type { MetricsServiceOptions } from './service.js';
export { startMetricsServer } from './server.js';
export type { MetricsServerOptions, RunningMetricsServer } from './server.js';
