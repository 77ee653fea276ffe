/**
 * Public types of the diagnose module.
 *
 * @module
 */
import type { CloudWatchClientLike, LambdaClientLike, LogsClientLike, SdkClientLike } from '../internal/clients.js';
import type { CallOptions } from '../internal/options.js';
import type { TimeInput } from '../internal/time.js';
import type { InsightsReportRecord } from '../insights/types.js';
import type { MetricSeries } from '../metrics/types.js';
import type { Summary } from '../stats/summarize.js';

/**
 * The clients `diagnoseAsync` uses; `logs` is optional and adds the REPORTs of the range. Each member is checked: a
 * client of another service is a type error.
 */
export interface DiagnoseClients<
  L extends SdkClientLike = SdkClientLike,
  W extends SdkClientLike = SdkClientLike,
  G extends SdkClientLike = SdkClientLike,
> {
  readonly lambda: LambdaClientLike<L>;
  readonly cloudWatch: CloudWatchClientLike<W>;
  readonly logs?: LogsClientLike<G> | undefined;
}

/** Input of {@link diagnoseAsync}. */
export interface DiagnoseAsyncInput {
  /** The function's name (not an ARN: CloudWatch's `FunctionName` dimension is the name). */
  readonly functionName: string;
  /** A version or alias: metrics with the `Resource` dimension and that qualifier's event invoke config. */
  readonly qualifier?: string;
  /** Start of the range, inclusive. */
  readonly startTime: TimeInput;
  /** End of the range, exclusive. */
  readonly endTime: TimeInput;
  /**
   * Period of the metric series, in seconds (60 or a multiple; Lambda publishes per minute).
   * @default 60
   */
  readonly periodSeconds?: number;
}

/**
 * Options of {@link diagnoseAsync}: `signal` stops the calls (the promise then rejects with LambdaMeterAbortError),
 * `retry` is the retry policy of each AWS call, `onProgress` reports phase `'reading'` once, `'retrying'` before each
 * retry's wait, and `'done'` once.
 */
export type DiagnoseAsyncOptions = CallOptions;

/** What a finding is about. */
export type AsyncFindingCode = 'function-errors' | 'concurrency-throttling' | 'events-expired' | 'zero-reserved-concurrency' | 'healthy';

/** How urgent a finding is: `critical` when events were lost, `warning` when they were delayed or at risk. */
export type AsyncFindingSeverity = 'info' | 'warning' | 'critical';

/** One conclusion of the troubleshooting flow. */
export interface AsyncFinding {
  readonly code: AsyncFindingCode;
  readonly severity: AsyncFindingSeverity;
  /** One sentence, with the numbers. */
  readonly summary: string;
  /** The numbers the finding rests on, keyed by metric or field (e.g. `AsyncEventsDropped`, `MaximumEventAgeInSeconds`). */
  readonly evidence: Readonly<Record<string, number>>;
  /** What to change, most effective first. */
  readonly advice: readonly string[];
}

/** The event invoke configuration that applies (`GetFunctionEventInvokeConfig`, or Lambda's defaults). */
export interface EventInvokeSettings {
  /** Retries after a function error, 0-2. */
  readonly maximumRetryAttempts: number;
  /** How long an event may wait in the queue, 60-21,600 s. */
  readonly maximumEventAgeInSeconds: number;
  /** The on-failure destination ARN, when one is configured. */
  readonly onFailureDestination: string | undefined;
  /** `configured`: read from the function; `default`: none is configured (ResourceNotFoundException), so Lambda's defaults apply. */
  readonly source: 'configured' | 'default';
}

/** Totals of the metric series over the range. */
export interface AsyncTotals {
  /** Sum of AsyncEventsReceived. */
  readonly asyncEventsReceived: number;
  /** Sum of AsyncEventsDropped. */
  readonly asyncEventsDropped: number;
  /** Sum of Throttles. */
  readonly throttles: number;
  /** Sum of Errors. */
  readonly errors: number;
  /** Sum of Invocations. */
  readonly invocations: number;
  /** Sum of DeadLetterErrors. */
  readonly deadLetterErrors: number;
  /** Sum of DestinationDeliveryFailures. */
  readonly destinationDeliveryFailures: number;
  /** How many AsyncEventAge datapoints were published (one per attempt that ran). */
  readonly asyncEventAgeSamples: number;
  /** Mean AsyncEventAge over the range, ms (Sum / SampleCount); undefined without samples. */
  readonly asyncEventAgeAvgMs: number | undefined;
  /** Largest AsyncEventAge, ms; undefined without samples. */
  readonly asyncEventAgeMaxMs: number | undefined;
  /** Peak ConcurrentExecutions; undefined without data. */
  readonly concurrentExecutionsMax: number | undefined;
}

/** What the REPORTs of the range say (when `logs` is given). */
export interface AsyncLogSummary {
  /** REPORT lines read (one per attempt that ran; a retried event has several with one request id). */
  readonly reports: number;
  /** Distinct request ids among them. */
  readonly requestIds: number;
  /** Request ids with more than one REPORT: events that were retried. */
  readonly retriedRequestIds: number;
  /** Summary of Duration, ms; undefined without REPORTs. */
  readonly durationMs: Summary | undefined;
  /** REPORTs with status `timeout`. */
  readonly timeouts: number;
  /**
   * Failed attempts by error type: the `errorType` of each `Invoke Error` line the runtime logged, plus timeouts and
   * crashes from the REPORTs (their Error Type, or `Sandbox.Timedout`).
   */
  readonly errorsByType: Readonly<Record<string, number>>;
  /** The records themselves. */
  readonly records: readonly InsightsReportRecord[];
}

/** The result of {@link diagnoseAsync}. */
export interface AsyncDiagnosis {
  readonly functionName: string;
  readonly qualifier: string | undefined;
  /** Start of the range, inclusive, epoch ms. */
  readonly startTime: number;
  /** End of the range, exclusive, epoch ms. */
  readonly endTime: number;
  readonly periodSeconds: number;
  /** The findings, most severe first; exactly one `healthy` finding when nothing is wrong. */
  readonly findings: readonly AsyncFinding[];
  readonly totals: AsyncTotals;
  /** The function's reserved concurrency; undefined when none is reserved (it shares the unreserved pool). */
  readonly reservedConcurrency: number | undefined;
  readonly eventInvokeConfig: EventInvokeSettings;
  /** The raw series, keyed `<Metric>` (Sum, or Maximum for ConcurrentExecutions) and `AsyncEventAge<Stat>`. */
  readonly series: Readonly<Record<string, MetricSeries>>;
  /** The REPORTs of the range; undefined without a logs client. */
  readonly logs: AsyncLogSummary | undefined;
}

/**
 * What {@link evaluateAsync} reads: the figures of a diagnosis. An {@link AsyncDiagnosis} is one, so a saved
 * diagnosis can be evaluated again (with other thresholds of your own, say) without calling AWS.
 */
export type EvaluateAsyncInput = Pick<AsyncDiagnosis, 'totals' | 'reservedConcurrency' | 'eventInvokeConfig' | 'logs'>;
