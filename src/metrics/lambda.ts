import { InvalidInputError } from '../errors.js';
import type { CloudWatchClientLike, SdkClientLike } from '../internal/clients.js';
import type { TimeInput } from '../internal/time.js';
import { fetchSeries } from './fetch.js';
import type { FetchMetricDataOptions, MetricDataQuery, MetricDimension, MetricSeries, MetricUnit, ScanBy } from './types.js';
import { METRIC_ID_PATTERN, validatePeriod, validateStatistic } from './validate.js';

/** How a metric of the `AWS/Lambda` namespace is published and best summarised. */
export interface LambdaMetricInfo {
  /** The statistic that makes sense by default: Sum for counts, Average for durations and ages, Maximum for concurrency. */
  readonly stat: string;
  /** The unit the values are in. */
  readonly unit: MetricUnit;
  /** `function`: published per function (and per version/alias with `Resource`); `region`: only Region-wide. */
  readonly scope: 'function' | 'region';
  /** What it counts, in a few words. */
  readonly description: string;
}

/**
 * Every metric of the `AWS/Lambda` namespace, with its default statistic, unit and scope
 * (Lambda Developer Guide, "Types of metrics for Lambda functions").
 */
export const LAMBDA_METRICS = {
  Invocations: { stat: 'Sum', unit: 'Count', scope: 'function', description: 'invocations, billed requests; excludes throttles' },
  Errors: { stat: 'Sum', unit: 'Count', scope: 'function', description: 'invocations that ended in a function error' },
  Throttles: { stat: 'Sum', unit: 'Count', scope: 'function', description: 'invocation requests throttled' },
  Duration: { stat: 'Average', unit: 'Milliseconds', scope: 'function', description: 'handler time, excluding init' },
  ConcurrentExecutions: { stat: 'Maximum', unit: 'Count', scope: 'function', description: 'instances processing events' },
  UnreservedConcurrentExecutions: {
    stat: 'Maximum',
    unit: 'Count',
    scope: 'region',
    description: 'concurrency of functions without reserved concurrency',
  },
  ClaimedAccountConcurrency: {
    stat: 'Maximum',
    unit: 'Count',
    scope: 'region',
    description: 'concurrency unavailable on demand: unreserved + reserved + provisioned',
  },
  ProvisionedConcurrencyInvocations: { stat: 'Sum', unit: 'Count', scope: 'function', description: 'invocations on provisioned concurrency' },
  ProvisionedConcurrencySpilloverInvocations: {
    stat: 'Sum',
    unit: 'Count',
    scope: 'function',
    description: 'invocations on standard concurrency when provisioned concurrency is in use',
  },
  ProvisionedConcurrentExecutions: { stat: 'Maximum', unit: 'Count', scope: 'function', description: 'provisioned instances processing events' },
  ProvisionedConcurrencyUtilization: {
    stat: 'Maximum',
    unit: 'None',
    scope: 'function',
    description: 'ProvisionedConcurrentExecutions / allocated provisioned concurrency (a ratio, e.g. 0.7)',
  },
  AsyncEventsReceived: { stat: 'Sum', unit: 'Count', scope: 'function', description: 'events queued for asynchronous invocation' },
  AsyncEventAge: { stat: 'Average', unit: 'Milliseconds', scope: 'function', description: 'time from queueing to invocation' },
  AsyncEventsDropped: { stat: 'Sum', unit: 'Count', scope: 'function', description: 'async events dropped without running' },
  DeadLetterErrors: { stat: 'Sum', unit: 'Count', scope: 'function', description: 'failed sends to the dead-letter queue' },
  DestinationDeliveryFailures: { stat: 'Sum', unit: 'Count', scope: 'function', description: 'failed sends to a destination' },
  IteratorAge: { stat: 'Average', unit: 'Milliseconds', scope: 'function', description: 'age of the last record of each stream batch' },
  OffsetLag: { stat: 'Average', unit: 'Count', scope: 'function', description: 'Kafka offsets between the last written and last processed record' },
  PostRuntimeExtensionsDuration: {
    stat: 'Average',
    unit: 'Milliseconds',
    scope: 'function',
    description: 'extension time after the function code finished',
  },
  RecursiveInvocationsDropped: { stat: 'Sum', unit: 'Count', scope: 'function', description: 'invocations stopped as a recursive loop' },
  OversizedRecordCount: { stat: 'Sum', unit: 'Count', scope: 'function', description: 'DocumentDB change events over 6 MB dropped' },
} as const satisfies Record<string, LambdaMetricInfo>;

/** The name of a metric in the `AWS/Lambda` namespace. */
export type LambdaMetricName = keyof typeof LAMBDA_METRICS;

/** The metrics `fetchLambdaMetrics` fetches when none are named. */
export const DEFAULT_LAMBDA_METRICS = ['Invocations', 'Errors', 'Throttles', 'Duration', 'ConcurrentExecutions'] as const satisfies readonly LambdaMetricName[];

/** The default metric names, as a type. */
export type DefaultLambdaMetricName = (typeof DEFAULT_LAMBDA_METRICS)[number];

/** Input of {@link lambdaMetricQueries}. */
export interface LambdaMetricQueriesInput<M extends LambdaMetricName = LambdaMetricName> {
  /** The function's name (not its ARN). */
  readonly functionName: string;
  /** A version number, alias or `$LATEST`: adds the `Resource` dimension `<functionName>:<qualifier>`. */
  readonly qualifier?: string;
  /** The metrics to query, each at most once. */
  readonly metrics: readonly M[];
  /**
   * One statistic for every metric, overriding each metric's default ({@link LAMBDA_METRICS}).
   * @default each metric's own `stat`
   */
  readonly stat?: string;
  /**
   * Period in seconds: 1, 5, 10, 20, 30 or a multiple of 60. Lambda publishes at 1-minute granularity.
   * @default 60
   */
  readonly periodSeconds?: number;
  /**
   * Prefix of the generated query ids (so queries for several functions can share one request); must match
   * `^[a-z][a-zA-Z0-9_]*$`. With a prefix the id is `<prefix><MetricName>`, without it `<metricName>` (e.g. `asyncEventAge`).
   * @default ''
   */
  readonly idPrefix?: string;
}

// Lambda function names: letters, digits, hyphens and underscores, 1 to 64 characters (CreateFunction reference).
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
// Qualifiers: $LATEST, a version number or an alias name (1 to 128 characters).
const QUALIFIER = /^(?:\$LATEST|[A-Za-z0-9_-]{1,128})$/;

function isLambdaMetricName(name: unknown): name is LambdaMetricName {
  return typeof name === 'string' && Object.hasOwn(LAMBDA_METRICS, name);
}

/**
 * Builds `GetMetricData` queries for metrics of one Lambda function: namespace `AWS/Lambda`, dimension
 * `FunctionName` (plus `Resource` = `<functionName>:<qualifier>` for a version or alias; Region-wide metrics such as
 * `ClaimedAccountConcurrency` get no dimension), each metric's default statistic, and ids that CloudWatch accepts.
 *
 * @example
 * ```ts
 * import { lambdaMetricQueries } from 'lambda-meter/metrics';
 *
 * const queries = lambdaMetricQueries({ functionName: 'resize', qualifier: 'live', metrics: ['Duration', 'Errors'], stat: 'p99' });
 * // [{ Id: 'duration', MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Duration', Dimensions: [...] }, Period: 60, Stat: 'p99' }, ... }, ...]
 * ```
 */
export function lambdaMetricQueries<M extends LambdaMetricName>(input: LambdaMetricQueriesInput<M>): MetricDataQuery[] {
  if (typeof input !== 'object' || input === null) throw new InvalidInputError('input', 'must be an object');
  const { functionName, qualifier } = input;
  if (typeof functionName !== 'string' || !FUNCTION_NAME.test(functionName)) {
    throw new InvalidInputError(
      'input.functionName',
      `must be a function name of 1-64 letters, digits, hyphens or underscores (not an ARN), got ${JSON.stringify(functionName) ?? String(functionName)}`,
    );
  }
  if (qualifier !== undefined && (typeof qualifier !== 'string' || !QUALIFIER.test(qualifier))) {
    throw new InvalidInputError('input.qualifier', `must be $LATEST, a version number or an alias name, got ${JSON.stringify(qualifier) ?? String(qualifier)}`);
  }
  if (!Array.isArray(input.metrics) || input.metrics.length === 0) {
    throw new InvalidInputError('input.metrics', `must be a non-empty array of: ${Object.keys(LAMBDA_METRICS).join(', ')}`);
  }
  const period = validatePeriod(input.periodSeconds ?? 60, 'input.periodSeconds');
  if (input.stat !== undefined) validateStatistic(input.stat, 'input.stat');
  const prefix = input.idPrefix ?? '';
  if (typeof prefix !== 'string' || (prefix !== '' && !METRIC_ID_PATTERN.test(prefix))) {
    throw new InvalidInputError('input.idPrefix', `must match ^[a-z][a-zA-Z0-9_]*$ (or be empty), got ${JSON.stringify(prefix) ?? String(prefix)}`);
  }
  const seen = new Set<string>();
  return input.metrics.map((name, i): MetricDataQuery => {
    if (!isLambdaMetricName(name)) {
      throw new InvalidInputError(`input.metrics[${i}]`, `must be one of ${Object.keys(LAMBDA_METRICS).join(', ')}, got ${String(name)}`);
    }
    if (seen.has(name)) throw new InvalidInputError(`input.metrics[${i}]`, `lists ${name} twice`);
    seen.add(name);
    const info: LambdaMetricInfo = LAMBDA_METRICS[name];
    const dimensions: MetricDimension[] = [];
    if (info.scope === 'function') {
      dimensions.push({ Name: 'FunctionName', Value: functionName });
      if (qualifier !== undefined) dimensions.push({ Name: 'Resource', Value: `${functionName}:${qualifier}` });
    }
    const stat = input.stat ?? info.stat;
    const target = info.scope === 'function' ? `${functionName}${qualifier === undefined ? '' : `:${qualifier}`}` : 'Region';
    return {
      Id: prefix === '' ? name.charAt(0).toLowerCase() + name.slice(1) : `${prefix}${name}`,
      // The unit is left out: a Unit that differs from the one Lambda published with matches no data.
      MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: name, Dimensions: dimensions }, Period: period, Stat: stat },
      Label: `${target} ${name} ${stat}`,
    };
  });
}

/** Input of {@link fetchLambdaMetrics}. */
export interface FetchLambdaMetricsInput<M extends LambdaMetricName = DefaultLambdaMetricName> {
  /** The function's name (not its ARN). */
  readonly functionName: string;
  /** A version number, alias or `$LATEST` (the `Resource` dimension). */
  readonly qualifier?: string;
  /**
   * The metrics to fetch.
   * @default DEFAULT_LAMBDA_METRICS: Invocations, Errors, Throttles, Duration, ConcurrentExecutions
   */
  readonly metrics?: readonly M[];
  /**
   * One statistic for every metric.
   * @default each metric's own `stat` from LAMBDA_METRICS
   */
  readonly stat?: string;
  /**
   * Period in seconds.
   * @default 60
   */
  readonly periodSeconds?: number;
  /** Inclusive start. */
  readonly startTime: TimeInput;
  /** Exclusive end. */
  readonly endTime: TimeInput;
  /**
   * Page order (points are returned ascending either way).
   * @default 'TimestampAscending'
   */
  readonly scanBy?: ScanBy;
}

/**
 * Fetches metrics of one Lambda function (see {@link lambdaMetricQueries}) and returns each series keyed by metric name.
 *
 * @example
 * ```ts
 * import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
 * import { fetchLambdaMetrics } from 'lambda-meter/metrics';
 *
 * const m = await fetchLambdaMetrics(new CloudWatchClient({}), {
 *   functionName: 'resize', metrics: ['Invocations', 'Duration'], startTime: Date.now() - 86_400_000, endTime: Date.now(), periodSeconds: 3600,
 * });
 * console.log(m.Invocations.points.reduce((s, p) => s + p.value, 0), m.Duration.points.at(-1)?.value);
 * ```
 */
export async function fetchLambdaMetrics<M extends LambdaMetricName = DefaultLambdaMetricName, C extends SdkClientLike = SdkClientLike>(
  client: CloudWatchClientLike<C>,
  input: FetchLambdaMetricsInput<M>,
  options: FetchMetricDataOptions = {},
): Promise<Record<M, MetricSeries>> {
  if (typeof input !== 'object' || input === null) throw new InvalidInputError('input', 'must be an object');
  const metrics = (input.metrics ?? DEFAULT_LAMBDA_METRICS) as readonly M[];
  const queries = lambdaMetricQueries<M>({
    functionName: input.functionName,
    metrics,
    ...(input.qualifier === undefined ? {} : { qualifier: input.qualifier }),
    ...(input.stat === undefined ? {} : { stat: input.stat }),
    ...(input.periodSeconds === undefined ? {} : { periodSeconds: input.periodSeconds }),
  });
  const series = await fetchSeries(
    client,
    { queries, startTime: input.startTime, endTime: input.endTime, ...(input.scanBy === undefined ? {} : { scanBy: input.scanBy }) },
    options,
    'fetchLambdaMetrics',
  );
  const out = {} as Record<M, MetricSeries>;
  metrics.forEach((name, i) => {
    out[name] = series[i] as MetricSeries;
  });
  return out;
}
