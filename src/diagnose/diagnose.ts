import { InvalidInputError, ServiceCallError, isLambdaMeterError } from '../errors.js';
import { throwIfAborted } from '../internal/abort.js';
import type { LambdaClientLike, LogsClientLike, SdkClientLike } from '../internal/clients.js';
import type { Progress } from '../internal/options.js';
import { loadLambdaSdk } from '../internal/peer.js';
import { resolveRetryOptions, withRetry } from '../internal/retry.js';
import type { RetryEvent, RetryOptions } from '../internal/retry.js';
import { checkClient, describe, optionalFunction } from '../internal/validate.js';
import { toEpochMs } from '../internal/time.js';
import { runInsightsQuery } from '../insights/query.js';
import { queryReports } from '../insights/reports.js';
import type { InsightsReportRecord, InsightsRow } from '../insights/types.js';
import { fetchMetricData } from '../metrics/fetch.js';
import { lambdaMetricQueries } from '../metrics/lambda.js';
import type { LambdaMetricName } from '../metrics/lambda.js';
import type { MetricDataQuery, MetricSeries } from '../metrics/types.js';
import { summarize } from '../stats/summarize.js';
import type {
  AsyncDiagnosis,
  AsyncFinding,
  AsyncFindingSeverity,
  AsyncLogSummary,
  AsyncTotals,
  DiagnoseAsyncInput,
  DiagnoseAsyncOptions,
  DiagnoseClients,
  EventInvokeSettings,
  EvaluateAsyncInput,
} from './types.js';

/**
 * Lambda's defaults when a function has no event invoke configuration: two retries after a function error, events
 * kept up to 6 hours ("How Lambda handles errors and retries with asynchronous invocation", Lambda Developer Guide).
 */
export const ASYNC_DEFAULTS = { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 21_600 } as const;

/** The first retry after a function error waits 1 minute, so a retried attempt is at least this old (ms). */
const FIRST_RETRY_AGE_MS = 60_000;
/** The first throttle back-off is 1 second, so an attempt that was throttled before it ran is at least this old (ms). */
const FIRST_THROTTLE_AGE_MS = 1000;
/** An age at this share of MaximumEventAgeInSeconds counts as "near expiry". */
const NEAR_EXPIRY = 0.9;

const SUM_METRICS = [
  'AsyncEventsReceived',
  'AsyncEventsDropped',
  'Throttles',
  'Errors',
  'Invocations',
  'DeadLetterErrors',
  'DestinationDeliveryFailures',
] as const satisfies readonly LambdaMetricName[];
const AGE_STATS = ['Average', 'Maximum', 'SampleCount', 'Sum'] as const;

const SEVERITY_ORDER: Record<AsyncFindingSeverity, number> = { critical: 0, warning: 1, info: 2 };

function total(series: MetricSeries | undefined): number {
  return series === undefined ? 0 : series.points.reduce((s, p) => s + p.value, 0);
}

function peak(series: MetricSeries | undefined): number | undefined {
  if (series === undefined || series.points.length === 0) return undefined;
  return series.points.reduce((m, p) => Math.max(m, p.value), Number.NEGATIVE_INFINITY);
}

function fmt(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

/** Keeps the defined numbers only. */
function evidence(fields: Record<string, number | undefined>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(fields)) if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  return out;
}

function validate(clients: DiagnoseClients, input: DiagnoseAsyncInput, options: DiagnoseAsyncOptions): { startMs: number; endMs: number; periodSeconds: number } {
  if (typeof clients !== 'object' || clients === null) throw new InvalidInputError('clients', 'must be an object { lambda, cloudWatch, logs? }');
  checkClient(clients.lambda, 'clients.lambda', 'LambdaClient');
  checkClient(clients.cloudWatch, 'clients.cloudWatch', 'CloudWatchClient');
  if (clients.logs !== undefined) checkClient(clients.logs, 'clients.logs', 'CloudWatchLogsClient');
  if (typeof input !== 'object' || input === null) throw new InvalidInputError('input', `must be an object, got ${describe(input)}`);
  if (typeof input.functionName !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(input.functionName)) {
    throw new InvalidInputError('input.functionName', `must be a function name of 1-64 letters, digits, hyphens or underscores (not an ARN), got ${describe(input.functionName)}`);
  }
  if (input.qualifier !== undefined && (typeof input.qualifier !== 'string' || !/^(?:\$LATEST|[A-Za-z0-9_-]{1,128})$/.test(input.qualifier))) {
    throw new InvalidInputError('input.qualifier', `must be $LATEST, a version number or an alias name, got ${describe(input.qualifier)}`);
  }
  const startMs = toEpochMs(input.startTime, 'input.startTime');
  const endMs = toEpochMs(input.endTime, 'input.endTime');
  if (endMs <= startMs) throw new InvalidInputError('input.endTime', 'must be after input.startTime');
  const periodSeconds = input.periodSeconds ?? 60;
  if (typeof periodSeconds !== 'number' || !Number.isInteger(periodSeconds) || periodSeconds < 60 || periodSeconds % 60 !== 0) {
    throw new InvalidInputError('input.periodSeconds', `must be a multiple of 60 (Lambda publishes per minute), got ${describe(periodSeconds)}`);
  }
  if (typeof options !== 'object' || options === null) throw new InvalidInputError('options', `must be an object, got ${describe(options)}`);
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) throw new InvalidInputError('options.signal', 'must be an AbortSignal');
  optionalFunction(options.onProgress, 'options.onProgress');
  resolveRetryOptions(options.retry, 'options.retry');
  return { startMs, endMs, periodSeconds };
}

interface LambdaSettings {
  readonly reservedConcurrency: number | undefined;
  readonly eventInvokeConfig: EventInvokeSettings;
}

async function readLambdaSettings(
  client: LambdaClientLike,
  functionName: string,
  qualifier: string | undefined,
  signal: AbortSignal | undefined,
  retry: RetryOptions | undefined,
  onRetry: (operation: string) => (event: RetryEvent) => void,
): Promise<LambdaSettings> {
  const sdk = await loadLambdaSdk('diagnoseAsync');
  const concurrency = (await withRetry(
    'Lambda.GetFunctionConcurrency',
    (_send, track) => client.send(track(new sdk.GetFunctionConcurrencyCommand({ FunctionName: functionName })), { abortSignal: signal }),
    { retry, signal, onRetry: onRetry('GetFunctionConcurrency') },
  )) as { ReservedConcurrentExecutions?: unknown } | undefined;
  const reserved = concurrency?.ReservedConcurrentExecutions;
  let eventInvokeConfig: EventInvokeSettings;
  try {
    const config = (await withRetry(
      'Lambda.GetFunctionEventInvokeConfig',
      (_send, track) =>
        client.send(
          track(new sdk.GetFunctionEventInvokeConfigCommand({ FunctionName: functionName, ...(qualifier === undefined ? {} : { Qualifier: qualifier }) })),
          { abortSignal: signal },
        ),
      { retry, signal, onRetry: onRetry('GetFunctionEventInvokeConfig') },
    )) as { MaximumRetryAttempts?: unknown; MaximumEventAgeInSeconds?: unknown; DestinationConfig?: { OnFailure?: { Destination?: unknown } } } | undefined;
    const destination = config?.DestinationConfig?.OnFailure?.Destination;
    eventInvokeConfig = {
      maximumRetryAttempts: typeof config?.MaximumRetryAttempts === 'number' ? config.MaximumRetryAttempts : ASYNC_DEFAULTS.maximumRetryAttempts,
      maximumEventAgeInSeconds: typeof config?.MaximumEventAgeInSeconds === 'number' ? config.MaximumEventAgeInSeconds : ASYNC_DEFAULTS.maximumEventAgeInSeconds,
      onFailureDestination: typeof destination === 'string' && destination !== '' ? destination : undefined,
      source: 'configured',
    };
  } catch (err) {
    // No configuration: Lambda's defaults apply (GetFunctionEventInvokeConfig answers ResourceNotFoundException).
    if (!(isLambdaMeterError(err, 'ServiceCallError') && (err as { code?: string }).code === 'ResourceNotFoundException')) throw err;
    eventInvokeConfig = { ...ASYNC_DEFAULTS, onFailureDestination: undefined, source: 'default' };
  }
  return { reservedConcurrency: typeof reserved === 'number' ? reserved : undefined, eventInvokeConfig };
}

/**
 * The Node.js runtime logs each function error as `Invoke Error` with the error's JSON (`"errorType":"…"`), in text
 * and JSON log formats alike; a text REPORT does not say the attempt failed.
 */
export const INVOKE_ERROR_QUERY = 'fields @requestId, @message | filter @message like /Invoke Error/ | limit 10000';

const ERROR_TYPE = /"errorType"\s*:\s*"([^"]+)"/;
const TEXT_REQUEST_ID = /^\S+\t([0-9a-f-]{36})\t/;

interface InvokeErrorLine {
  readonly requestId: string | undefined;
  readonly errorType: string;
}

async function invokeErrorLines(
  client: LogsClientLike,
  functionName: string,
  startMs: number,
  endMs: number,
  options: { signal?: AbortSignal; retry?: RetryOptions; onProgress?: (p: Progress) => void },
): Promise<InvokeErrorLine[]> {
  // The diagnosis's own range, [start, end): runInsightsQuery converts it to Logs Insights' inclusive seconds.
  const result = await runInsightsQuery(
    client,
    { logGroupNames: [`/aws/lambda/${functionName}`], queryString: INVOKE_ERROR_QUERY, startTime: startMs, endTime: endMs },
    options,
  );
  return result.rows.map((row: InsightsRow) => {
    const message = row['@message'] ?? '';
    const requestId = row['@requestId'] ?? TEXT_REQUEST_ID.exec(message)?.[1] ?? undefined;
    return { requestId, errorType: ERROR_TYPE.exec(message)?.[1] ?? 'Unknown' };
  });
}

/** A function that has never run has no log group yet: that is "no log lines", not a failure. */
function noLogGroup<T>(empty: T): (error: unknown) => T {
  return (error) => {
    const code = (error as { code?: unknown }).code;
    if (ServiceCallError.is(error) && code === 'ResourceNotFoundException') return empty;
    throw error;
  };
}

function summarizeLogs(records: readonly InsightsReportRecord[], errorLines: readonly InvokeErrorLine[]): AsyncLogSummary {
  const perRequest = new Map<string, number>();
  const errorsByType: Record<string, number> = {};
  const withInvokeError = new Set<string>();
  for (const line of errorLines) {
    errorsByType[line.errorType] = (errorsByType[line.errorType] ?? 0) + 1;
    if (line.requestId !== undefined) withInvokeError.add(line.requestId);
  }
  let timeouts = 0;
  for (const r of records) {
    perRequest.set(r.requestId, (perRequest.get(r.requestId) ?? 0) + 1);
    if (r.status === 'timeout') timeouts++;
    // Timeouts and crashes log no Invoke Error; a JSON REPORT's `error` status would count one twice.
    if (r.status === 'timeout' || r.status === 'failure' || (r.status === 'error' && !withInvokeError.has(r.requestId))) {
      const type = r.errorType ?? (r.status === 'timeout' ? 'Sandbox.Timedout' : r.status);
      errorsByType[type] = (errorsByType[type] ?? 0) + 1;
    }
  }
  return {
    reports: records.length,
    requestIds: perRequest.size,
    retriedRequestIds: [...perRequest.values()].filter((n) => n > 1).length,
    durationMs: records.length === 0 ? undefined : summarize(records.map((r) => r.durationMs), { field: 'durationMs' }),
    timeouts,
    errorsByType,
    records,
  };
}

function destinationAdvice(config: EventInvokeSettings): string[] {
  return config.onFailureDestination === undefined
    ? ['Add an on-failure destination (or a dead-letter queue) so dropped events are kept for replay instead of lost.']
    : [];
}

/**
 * Walks the troubleshooting flow of AWS's asynchronous-invocation metrics (AWS Compute Blog, "Introducing new
 * asynchronous invocation metrics for AWS Lambda"; Lambda Developer Guide, "Types of metrics for Lambda functions"
 * and "How Lambda handles errors and retries with asynchronous invocation"). Pure: no AWS call.
 *
 * @example
 * ```ts
 * import { evaluateAsync, ASYNC_DEFAULTS } from 'lambda-meter/diagnose';
 *
 * const findings = evaluateAsync({
 *   totals: diagnosis.totals, // numbers of your own, or a saved diagnosis: evaluateAsync(diagnosis)
 *   reservedConcurrency: 10,
 *   eventInvokeConfig: { ...ASYNC_DEFAULTS, onFailureDestination: undefined, source: 'default' },
 *   logs: undefined,
 * });
 * console.log(findings.map((f) => f.code)); // e.g. ['events-expired']
 * ```
 */
export function evaluateAsync(input: EvaluateAsyncInput): AsyncFinding[] {
  const { totals, reservedConcurrency, eventInvokeConfig: config, logs } = input;
  const findings: AsyncFinding[] = [];
  const dropped = totals.asyncEventsDropped;
  const ageMax = totals.asyncEventAgeMaxMs;
  const maxAgeMs = config.maximumEventAgeInSeconds * 1000;
  const reservedEvidence = reservedConcurrency === undefined ? {} : { ReservedConcurrentExecutions: reservedConcurrency };

  // 1. Reserved concurrency 0 disables the function: its events are dropped at once, without retries or an age.
  const droppedByZero = reservedConcurrency === 0 ? dropped : 0;
  if (reservedConcurrency === 0) {
    findings.push({
      code: 'zero-reserved-concurrency',
      severity: dropped > 0 || totals.asyncEventsReceived > 0 ? 'critical' : 'warning',
      summary:
        `Reserved concurrency is 0, so the function never runs: ${fmt(dropped)} of ${fmt(totals.asyncEventsReceived)} events received were dropped ` +
        `without a retry${totals.asyncEventAgeSamples === 0 ? ' and without any AsyncEventAge' : ''}.`,
      evidence: evidence({
        ReservedConcurrentExecutions: 0,
        AsyncEventsReceived: totals.asyncEventsReceived,
        AsyncEventsDropped: dropped,
        AsyncEventAgeSamples: totals.asyncEventAgeSamples,
        Invocations: totals.invocations,
      }),
      advice: [
        'Set reserved concurrency above 0 (PutFunctionConcurrency) or remove it (DeleteFunctionConcurrency) to let the function run again.',
        'If the function was disabled on purpose, stop the sources that still send it events.',
        ...destinationAdvice(config),
      ],
    });
  }

  // 2. Function errors: each failed event is retried MaximumRetryAttempts times (1 and 2 minutes later), so its age
  // rises past a minute; after the last retry it is dropped.
  const attemptsPerEvent = 1 + config.maximumRetryAttempts;
  const droppedAfterRetries = reservedConcurrency === 0 ? 0 : Math.min(Math.max(0, dropped - droppedByZero), Math.floor(totals.errors / attemptsPerEvent));
  if (totals.errors > 0) {
    const retried = ageMax !== undefined && ageMax >= FIRST_RETRY_AGE_MS;
    const types = logs === undefined ? [] : Object.entries(logs.errorsByType).sort((a, b) => b[1] - a[1]);
    findings.push({
      code: 'function-errors',
      severity: droppedAfterRetries > 0 ? 'critical' : 'warning',
      summary:
        `${fmt(totals.errors)} of ${fmt(totals.invocations)} invocations failed` +
        (types.length === 0 ? '' : ` (${types.map(([t, n]) => `${t} ×${fmt(n)}`).join(', ')})`) +
        (retried ? `; retries pushed AsyncEventAge to ${fmt(ageMax)} ms (a retry waits at least 1 minute)` : '') +
        (droppedAfterRetries > 0 ? `; ${fmt(droppedAfterRetries)} events were dropped after ${config.maximumRetryAttempts} retries` : '') +
        '.',
      evidence: evidence({
        Errors: totals.errors,
        Invocations: totals.invocations,
        ErrorRate: totals.invocations > 0 ? totals.errors / totals.invocations : undefined,
        AsyncEventsReceived: totals.asyncEventsReceived,
        AsyncEventAgeMaxMs: ageMax,
        AsyncEventAgeAvgMs: totals.asyncEventAgeAvgMs,
        AsyncEventsDroppedAfterRetries: droppedAfterRetries,
        MaximumRetryAttempts: config.maximumRetryAttempts,
        RetriedRequestIds: logs?.retriedRequestIds,
        Timeouts: logs?.timeouts,
      }),
      advice: [
        'Fix the error the function raises (see the error types above and the function\'s log); every failed event costs up to ' +
          `${attemptsPerEvent} billed invocations.`,
        'Make the handler idempotent: a retry runs the same event again with the same request id.',
        ...(config.maximumRetryAttempts > 0 ? ['If a retry cannot succeed (bad input), lower MaximumRetryAttempts so failed events stop delaying the queue.'] : []),
        ...destinationAdvice(config),
      ],
    });
  }

  // 3. Drops not explained by zero concurrency or exhausted retries: events that waited longer than
  // MaximumEventAgeInSeconds, throttled (429) or after system errors (5xx), which are retried until they expire.
  const expired = reservedConcurrency === 0 ? 0 : Math.max(0, dropped - droppedAfterRetries);
  const nearExpiry = ageMax !== undefined && ageMax >= NEAR_EXPIRY * maxAgeMs;
  if (expired > 0) {
    const cause =
      totals.throttles > 0
        ? `throttled ${fmt(totals.throttles)} times until they were older than MaximumEventAgeInSeconds (${fmt(config.maximumEventAgeInSeconds)} s)`
        : nearExpiry
          ? `AsyncEventAge reached ${fmt(ageMax)} ms, near MaximumEventAgeInSeconds (${fmt(config.maximumEventAgeInSeconds)} s)`
          : `neither function errors nor throttles in the range explain them, so they most likely expired after throttles or system errors before the range (MaximumEventAgeInSeconds ${fmt(config.maximumEventAgeInSeconds)} s)`;
    findings.push({
      code: 'events-expired',
      severity: 'critical',
      summary: `${fmt(expired)} events were dropped unprocessed: ${cause}.`,
      evidence: evidence({
        AsyncEventsDropped: dropped,
        AsyncEventsExpired: expired,
        AsyncEventsReceived: totals.asyncEventsReceived,
        Throttles: totals.throttles,
        AsyncEventAgeMaxMs: ageMax,
        MaximumEventAgeInSeconds: config.maximumEventAgeInSeconds,
        ConcurrentExecutionsMax: totals.concurrentExecutionsMax,
        ...reservedEvidence,
      }),
      advice: [
        reservedConcurrency === undefined
          ? 'Reserve concurrency for the function (PutFunctionConcurrency) or raise the account\'s concurrency quota, so queued events run before they expire.'
          : `Raise reserved concurrency above ${fmt(reservedConcurrency)} so queued events run before they expire.`,
        ...(config.maximumEventAgeInSeconds < ASYNC_DEFAULTS.maximumEventAgeInSeconds
          ? [`Raise MaximumEventAgeInSeconds from ${fmt(config.maximumEventAgeInSeconds)} s (up to 21,600 s) so events may wait longer.`]
          : []),
        'Shorten each invocation (more memory, less work per event) so the same concurrency drains the queue faster.',
        ...destinationAdvice(config),
      ],
    });
  }

  // 4. Throttles with no lost events: events waited in the queue (their age rises by the back-off) but ran.
  if (totals.throttles > 0 && expired === 0 && reservedConcurrency !== 0) {
    const delayed = ageMax !== undefined && ageMax >= FIRST_THROTTLE_AGE_MS;
    findings.push({
      code: 'concurrency-throttling',
      severity: delayed || nearExpiry ? 'warning' : 'info',
      summary:
        `${fmt(totals.throttles)} throttles: the function ran out of concurrency` +
        (reservedConcurrency === undefined ? ' (it has no reserved concurrency and shares the account\'s unreserved pool)' : ` (reserved concurrency ${fmt(reservedConcurrency)})`) +
        (delayed ? `, and queued events waited up to ${fmt(ageMax)} ms (AsyncEventAge)` : '') +
        '; none was dropped.',
      evidence: evidence({
        Throttles: totals.throttles,
        AsyncEventsReceived: totals.asyncEventsReceived,
        AsyncEventsDropped: dropped,
        AsyncEventAgeMaxMs: ageMax,
        AsyncEventAgeAvgMs: totals.asyncEventAgeAvgMs,
        ConcurrentExecutionsMax: totals.concurrentExecutionsMax,
        MaximumEventAgeInSeconds: config.maximumEventAgeInSeconds,
        ...reservedEvidence,
      }),
      advice: [
        reservedConcurrency === undefined
          ? 'Reserve concurrency for the function or raise the account\'s concurrency quota.'
          : `Raise reserved concurrency above ${fmt(reservedConcurrency)} if the delay matters.`,
        'Shorten each invocation so the same concurrency handles more events.',
        ...(nearExpiry ? [`Raise MaximumEventAgeInSeconds (now ${fmt(config.maximumEventAgeInSeconds)} s): events came close to expiring.`] : []),
        ...destinationAdvice(config),
      ],
    });
  }

  if (findings.length === 0) {
    findings.push({
      code: 'healthy',
      severity: 'info',
      summary:
        totals.asyncEventsReceived === 0
          ? 'No asynchronous events were received in the range, and nothing failed, was throttled or dropped.'
          : `${fmt(totals.asyncEventsReceived)} events received, none dropped, no errors or throttles` +
            (ageMax === undefined ? '.' : `; AsyncEventAge at most ${fmt(ageMax)} ms.`),
      evidence: evidence({
        AsyncEventsReceived: totals.asyncEventsReceived,
        Invocations: totals.invocations,
        AsyncEventsDropped: dropped,
        AsyncEventAgeMaxMs: ageMax,
        AsyncEventAgeAvgMs: totals.asyncEventAgeAvgMs,
      }),
      advice: [],
    });
  }
  return findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

/**
 * Diagnoses delays and losses of a function's asynchronous invocations over a time range: fetches
 * `AsyncEventsReceived`, `AsyncEventAge` (average and maximum), `AsyncEventsDropped`, `Throttles`, `Errors`,
 * `Invocations` and `ConcurrentExecutions`, reads the reserved concurrency and the event invoke configuration
 * (Lambda's defaults — 2 retries, 6 hours — when there is none), optionally the REPORTs from Logs Insights, and walks
 * AWS's troubleshooting flow for async metrics. Each finding carries its evidence in numbers and what to change.
 *
 * @example
 * ```ts
 * import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
 * import { LambdaClient } from '@aws-sdk/client-lambda';
 * import { diagnoseAsync } from 'lambda-meter/diagnose';
 *
 * const d = await diagnoseAsync(
 *   { lambda: new LambdaClient({}), cloudWatch: new CloudWatchClient({}) },
 *   { functionName: 'orders', startTime: Date.now() - 3 * 3600_000, endTime: Date.now() },
 *   { signal: AbortSignal.timeout(60_000), onProgress: (p) => console.error(p.phase) },
 * );
 * for (const f of d.findings) console.log(f.severity, f.code, f.summary, f.advice);
 * ```
 */
export async function diagnoseAsync<L extends SdkClientLike, W extends SdkClientLike, G extends SdkClientLike = SdkClientLike>(
  clients: DiagnoseClients<L, W, G>,
  input: DiagnoseAsyncInput,
  options: DiagnoseAsyncOptions = {},
): Promise<AsyncDiagnosis> {
  const { startMs, endMs, periodSeconds } = validate(clients as unknown as DiagnoseClients, input, options);
  const { functionName, qualifier } = input;
  const { signal, retry } = options;
  throwIfAborted(signal, 'diagnoseAsync');
  const report = (phase: Progress['phase'], retryOf?: Progress['retry']): void =>
    options.onProgress?.({ operation: 'diagnoseAsync', phase, completed: 0, total: undefined, failed: 0, ...(retryOf === undefined ? {} : { retry: retryOf }) });
  const onRetry =
    (operation: string) =>
    (event: RetryEvent): void =>
      report('retrying', { ...event, operation });
  report('reading');
  const base = { functionName, ...(qualifier === undefined ? {} : { qualifier }), periodSeconds };
  const queries: MetricDataQuery[] = [
    ...lambdaMetricQueries({ ...base, metrics: SUM_METRICS, stat: 'Sum', idPrefix: 'sum' }),
    ...lambdaMetricQueries({ ...base, metrics: ['ConcurrentExecutions'], stat: 'Maximum', idPrefix: 'max' }),
    ...AGE_STATS.flatMap((stat) => lambdaMetricQueries({ ...base, metrics: ['AsyncEventAge'], stat, idPrefix: `age${stat.toLowerCase()}` })),
  ];
  const keys = [...SUM_METRICS, 'ConcurrentExecutions', ...AGE_STATS.map((s) => `AsyncEventAge${s}`)];
  // The core calls report their retries as this run's: operation 'diagnoseAsync', phase 'retrying'.
  const forward = (p: Progress): void => {
    if (p.phase === 'retrying') report('retrying', p.retry);
  };
  const callOptions = {
    ...(signal === undefined ? {} : { signal }),
    ...(retry === undefined ? {} : { retry }),
    ...(options.onProgress === undefined ? {} : { onProgress: forward }),
  };
  const logsClient = clients.logs as LogsClientLike | undefined;

  const [seriesList, lambdaSettings, records, errorLines] = await Promise.all([
    fetchMetricData(clients.cloudWatch, { queries, startTime: startMs, endTime: endMs }, callOptions),
    readLambdaSettings(clients.lambda, functionName, qualifier, signal, retry, onRetry),
    logsClient === undefined ? Promise.resolve(undefined) : queryReports(logsClient, { functionName, startTime: startMs, endTime: endMs }, callOptions).catch(noLogGroup([])),
    logsClient === undefined ? Promise.resolve([]) : invokeErrorLines(logsClient, functionName, startMs, endMs, callOptions).catch(noLogGroup([])),
  ]);
  const series: Record<string, MetricSeries> = {};
  keys.forEach((key, i) => {
    series[key] = seriesList[i] as MetricSeries;
  });

  const ageSamples = total(series.AsyncEventAgeSampleCount);
  const totals: AsyncTotals = {
    asyncEventsReceived: total(series.AsyncEventsReceived),
    asyncEventsDropped: total(series.AsyncEventsDropped),
    throttles: total(series.Throttles),
    errors: total(series.Errors),
    invocations: total(series.Invocations),
    deadLetterErrors: total(series.DeadLetterErrors),
    destinationDeliveryFailures: total(series.DestinationDeliveryFailures),
    asyncEventAgeSamples: ageSamples,
    asyncEventAgeAvgMs: ageSamples > 0 ? total(series.AsyncEventAgeSum) / ageSamples : undefined,
    asyncEventAgeMaxMs: ageSamples > 0 ? peak(series.AsyncEventAgeMaximum) : undefined,
    concurrentExecutionsMax: peak(series.ConcurrentExecutions),
  };
  const logs = records === undefined ? undefined : summarizeLogs(records, errorLines);
  report('done');
  return {
    functionName,
    qualifier,
    startTime: startMs,
    endTime: endMs,
    periodSeconds,
    findings: evaluateAsync({ totals, reservedConcurrency: lambdaSettings.reservedConcurrency, eventInvokeConfig: lambdaSettings.eventInvokeConfig, logs }),
    totals,
    reservedConcurrency: lambdaSettings.reservedConcurrency,
    eventInvokeConfig: lambdaSettings.eventInvokeConfig,
    series,
    logs,
  };
}
