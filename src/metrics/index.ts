/**
 * `lambda-meter/metrics`: CloudWatch `GetMetricData` in batches of 500 with pagination, validated periods and
 * statistics, and the `AWS/Lambda` metric catalogue.
 *
 * @module
 */
export { fetchMetricData } from './fetch.js';
export { LAMBDA_METRICS, DEFAULT_LAMBDA_METRICS, lambdaMetricQueries, fetchLambdaMetrics } from './lambda.js';
export type {
  LambdaMetricInfo,
  LambdaMetricName,
  DefaultLambdaMetricName,
  LambdaMetricQueriesInput,
  FetchLambdaMetricsInput,
} from './lambda.js';
export type {
  MetricUnit,
  MetricDimension,
  MetricIdentity,
  MetricStat,
  MetricDataQuery,
  ScanBy,
  FetchMetricDataInput,
  FetchMetricDataOptions,
  MetricStatusCode,
  MetricMessage,
  MetricPoint,
  MetricSeries,
} from './types.js';
