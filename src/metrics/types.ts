/**
 * Public types of the metrics module. Query shapes mirror the AWS SDK's `GetMetricData` input (PascalCase), so a
 * query written for the SDK can be passed as is; results are lambda-meter's own camelCase types.
 *
 * @module
 */
import type { CallOptions } from '../internal/options.js';
import type { TimeInput } from '../internal/time.js';

/** A CloudWatch standard unit, as the SDK's `StandardUnit` spells it. */
export type MetricUnit =
  | 'Seconds'
  | 'Microseconds'
  | 'Milliseconds'
  | 'Bytes'
  | 'Kilobytes'
  | 'Megabytes'
  | 'Gigabytes'
  | 'Terabytes'
  | 'Bits'
  | 'Kilobits'
  | 'Megabits'
  | 'Gigabits'
  | 'Terabits'
  | 'Percent'
  | 'Count'
  | 'Bytes/Second'
  | 'Kilobytes/Second'
  | 'Megabytes/Second'
  | 'Gigabytes/Second'
  | 'Terabytes/Second'
  | 'Bits/Second'
  | 'Kilobits/Second'
  | 'Megabits/Second'
  | 'Gigabits/Second'
  | 'Terabits/Second'
  | 'Count/Second'
  | 'None';

/** One metric dimension (SDK shape). */
export interface MetricDimension {
  readonly Name: string;
  readonly Value: string;
}

/** A metric's identity: namespace, name and dimensions (the SDK's `Metric`). */
export interface MetricIdentity {
  readonly Namespace: string;
  readonly MetricName: string;
  readonly Dimensions?: readonly MetricDimension[];
}

/** What to retrieve of one metric (the SDK's `MetricStat`). */
export interface MetricStat {
  readonly Metric: MetricIdentity;
  /** Granularity in seconds: 1, 5, 10, 20, 30 or a multiple of 60. */
  readonly Period: number;
  /** A CloudWatch statistic: `Sum`, `Average`, `p99`, `TM(10%:90%)`, … */
  readonly Stat: string;
  /** Only data published with this unit is returned; omit it unless you know the unit the metric was published with. */
  readonly Unit?: MetricUnit;
}

/**
 * One query of a `GetMetricData` call, in the SDK's own shape: either `MetricStat` or `Expression` (a metric math
 * expression or a Metrics Insights `SELECT`), not both.
 */
export interface MetricDataQuery {
  /** Unique within the request; must match `^[a-z][a-zA-Z0-9_]*$`. */
  readonly Id: string;
  readonly MetricStat?: MetricStat;
  readonly Expression?: string;
  readonly Label?: string;
  /** `false` to use a query only as input to an expression. @default true */
  readonly ReturnData?: boolean;
  /** Period of an `Expression` query, in seconds. */
  readonly Period?: number;
  /** Account to read the metric from (cross-account observability). */
  readonly AccountId?: string;
}

/** The order in which CloudWatch pages through data points. */
export type ScanBy = 'TimestampAscending' | 'TimestampDescending';

/** Input of `fetchMetricData`. */
export interface FetchMetricDataInput {
  /** Any number of queries; they are sent in calls of at most 500. */
  readonly queries: readonly MetricDataQuery[];
  /** Inclusive start (CloudWatch rounds it down to the minute, 5 minutes or hour, depending on its age). */
  readonly startTime: TimeInput;
  /** Exclusive end. */
  readonly endTime: TimeInput;
  /**
   * Page order. The returned points are always sorted ascending; this only decides which points come first when a
   * call pages.
   * @default 'TimestampAscending'
   */
  readonly scanBy?: ScanBy;
  /**
   * Data points per page before CloudWatch paginates.
   * @default CloudWatch's own default, 100,800
   */
  readonly maxDatapoints?: number;
}

/**
 * Options of `fetchMetricData` and `fetchLambdaMetrics`. `signal` stops between and during calls (the promise then
 * rejects with LambdaMeterAbortError); `retry` covers throttling and transient errors of each `GetMetricData` call;
 * `onProgress` is told after each call (phase `'reading'`, `completed` = calls so far) and before each retry's wait
 * (phase `'retrying'`, `retry.operation` `'GetMetricData'`).
 */
export interface FetchMetricDataOptions extends CallOptions {
  /**
   * The current time, used to check each period against the start time's age (older data has coarser periods).
   * @default Date.now()
   */
  readonly now?: TimeInput;
}

/** Status of a series, as CloudWatch reports it. */
export type MetricStatusCode = 'Complete' | 'PartialData' | 'InternalError' | 'Forbidden';

/** A message CloudWatch attached to a series or a call. */
export interface MetricMessage {
  readonly code: string;
  readonly value: string;
}

/** One data point. */
export interface MetricPoint {
  /** The start of the point's period, epoch milliseconds. */
  readonly timestamp: number;
  readonly value: number;
}

/** One query's data, merged across every page and call. */
export interface MetricSeries {
  /** The query's `Id`. */
  readonly id: string;
  /** CloudWatch's label for the series (the query's `Label`, or one CloudWatch generated). */
  readonly label: string;
  /** Data points in ascending time order, one per timestamp. */
  readonly points: readonly MetricPoint[];
  /**
   * `Complete`, or `PartialData` when CloudWatch returned only part of the data (for example too many data points),
   * `InternalError`, `Forbidden`. `InternalError`/`Forbidden` from any page win over a later page's status.
   */
  readonly statusCode: MetricStatusCode;
  /** Messages of the series, then those of the call that returned it. */
  readonly messages: readonly MetricMessage[];
}
