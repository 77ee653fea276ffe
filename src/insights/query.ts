import { LambdaMeterAbortError, InvalidInputError, QueryFailedError, QueryTimeoutError, isLambdaMeterError } from '../errors.js';
import { sleep, throwIfAborted } from '../internal/abort.js';
import type { LogsClientLike, SdkClientLike } from '../internal/clients.js';
import type { Progress } from '../internal/options.js';
import { loadLogsSdk } from '../internal/peer.js';
import { resolveRetryOptions, withRetry } from '../internal/retry.js';
import type { RetryEvent } from '../internal/retry.js';
import { toEpochMs } from '../internal/time.js';
import { checkClient, optionalFunction } from '../internal/validate.js';
import type {
  InsightsQueryInput,
  InsightsQueryOptions,
  InsightsResult,
  InsightsRow,
  InsightsStatistics,
  QueryLanguage,
} from './types.js';

type LogsSdk = Awaited<ReturnType<typeof loadLogsSdk>>;

/** The command classes a query needs. */
export type QueryCommands = Pick<LogsSdk, 'StartQueryCommand' | 'GetQueryResultsCommand' | 'StopQueryCommand'>;

/** A validated StartQuery request, times in epoch seconds. */
export interface QueryRequest {
  readonly logGroupNames?: readonly string[];
  readonly logGroupIdentifiers?: readonly string[];
  readonly queryString: string;
  readonly startTime: number;
  readonly endTime: number;
  readonly limit?: number;
  readonly queryLanguage?: QueryLanguage;
}

/** Options after validation. */
export interface QuerySettings {
  readonly signal: AbortSignal | undefined;
  readonly timeoutMs: number | undefined;
  readonly pollMinDelayMs: number;
  readonly pollMaxDelayMs: number;
  readonly options: InsightsQueryOptions;
  /** The public function running the query, named in progress events. */
  readonly operation: string;
}

/**
 * The whole seconds Logs Insights is asked for, given the range [startMs, endMs) in epoch milliseconds: StartQuery's
 * `startTime` and `endTime` are inclusive epoch seconds, so the start rounds down and the end is the last second
 * holding a millisecond before the exclusive end (`ceil(endMs / 1000) - 1`).
 *
 * @example
 * ```ts
 * insightsSeconds(1_000, 3_000); // { startSec: 1, endSec: 2 }
 * insightsSeconds(1_500, 3_001); // { startSec: 1, endSec: 3 }
 * ```
 */
export function insightsSeconds(startMs: number, endMs: number): { startSec: number; endSec: number } {
  return { startSec: Math.floor(startMs / 1000), endSec: Math.ceil(endMs / 1000) - 1 };
}

/** Operation names used in retry, service and abort errors. */
export const OPERATIONS = {
  start: 'CloudWatchLogs.StartQuery',
  results: 'CloudWatchLogs.GetQueryResults',
  stop: 'CloudWatchLogs.StopQuery',
} as const;

/** Log groups per query (StartQuery `logGroupNames` / `logGroupIdentifiers`). */
export const MAX_LOG_GROUPS = 50;
/** Rows per GetQueryResults page. */
export const MAX_ROWS_PER_PAGE = 10_000;
/** Rows per query with Logs Insights QL (with nextToken paging); SQL and PPL return at most one page. */
export const MAX_ROWS_PER_QUERY = 100_000;
const POLL_GROWTH = 1.5;
const LANGUAGES: readonly QueryLanguage[] = ['CWLI', 'SQL', 'PPL'];
const WAITING = new Set(['Scheduled', 'Running']);

interface ResultsShape {
  readonly status?: unknown;
  readonly results?: unknown;
  readonly statistics?: Record<string, unknown>;
  readonly nextToken?: unknown;
}

function checkLogGroups(value: unknown, field: string, identifiers: boolean): readonly string[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_LOG_GROUPS) {
    throw new InvalidInputError(field, `must be an array of 1 to ${MAX_LOG_GROUPS} log groups`);
  }
  value.forEach((g: unknown, i) => {
    if (typeof g !== 'string' || g === '') throw new InvalidInputError(`${field}[${i}]`, 'must be a non-empty string');
    if (identifiers && g.endsWith('*')) throw new InvalidInputError(`${field}[${i}]`, `must not end with * (give the exact name or ARN), got ${g}`);
  });
  return value as readonly string[];
}

/**
 * Throws InvalidInputError unless `options` are valid; returns them resolved, with the public function `operation`
 * that progress events name.
 *
 * @example
 * ```ts
 * const settings = resolveQuerySettings({ pollMinDelayMs: 50 }, 'runInsightsQuery');
 * ```
 */
export function resolveQuerySettings(options: InsightsQueryOptions, operation: string): QuerySettings {
  if (typeof options !== 'object' || options === null) throw new InvalidInputError('options', 'must be an object');
  optionalFunction(options.onProgress, 'options.onProgress');
  const pollMinDelayMs = options.pollMinDelayMs ?? 100;
  const pollMaxDelayMs = options.pollMaxDelayMs ?? Math.max(2000, pollMinDelayMs);
  if (typeof pollMinDelayMs !== 'number' || !Number.isFinite(pollMinDelayMs) || pollMinDelayMs < 0) {
    throw new InvalidInputError('options.pollMinDelayMs', `must be a finite number >= 0, got ${String(pollMinDelayMs)}`);
  }
  if (typeof pollMaxDelayMs !== 'number' || !Number.isFinite(pollMaxDelayMs) || pollMaxDelayMs < pollMinDelayMs) {
    throw new InvalidInputError('options.pollMaxDelayMs', `must be a finite number >= pollMinDelayMs (${pollMinDelayMs}), got ${String(pollMaxDelayMs)}`);
  }
  const timeoutMs = options.timeoutMs;
  if (timeoutMs !== undefined && (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0)) {
    throw new InvalidInputError('options.timeoutMs', `must be a finite number > 0, got ${String(timeoutMs)}`);
  }
  resolveRetryOptions(options.retry);
  return { signal: options.signal, timeoutMs, pollMinDelayMs, pollMaxDelayMs, options, operation };
}

function validateInput(input: InsightsQueryInput): QueryRequest {
  if (typeof input !== 'object' || input === null) throw new InvalidInputError('input', 'must be an object');
  const { queryString } = input;
  if (typeof queryString !== 'string' || queryString.trim() === '') {
    throw new InvalidInputError('input.queryString', 'must be a non-empty query');
  }
  const queryLanguage = input.queryLanguage ?? 'CWLI';
  if (!LANGUAGES.includes(queryLanguage)) {
    throw new InvalidInputError('input.queryLanguage', `must be one of ${LANGUAGES.join(', ')}, got ${String(queryLanguage)}`);
  }
  const hasNames = input.logGroupNames !== undefined;
  const hasIds = input.logGroupIdentifiers !== undefined;
  if (hasNames && hasIds) {
    throw new InvalidInputError('input.logGroupIdentifiers', 'give either logGroupNames or logGroupIdentifiers, not both');
  }
  // SQL and PPL name their log groups inside the query; Logs Insights QL can with a leading SOURCE command.
  if (!hasNames && !hasIds && queryLanguage === 'CWLI' && !/^\s*SOURCE\s/i.test(queryString)) {
    throw new InvalidInputError(
      'input.logGroupNames',
      'give logGroupNames or logGroupIdentifiers (up to 50), or start the query with a SOURCE command',
    );
  }
  const maxLimit = queryLanguage === 'CWLI' ? MAX_ROWS_PER_QUERY : MAX_ROWS_PER_PAGE;
  const { limit } = input;
  if (limit !== undefined && (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > maxLimit)) {
    throw new InvalidInputError('input.limit', `must be an integer from 1 to ${maxLimit} for ${queryLanguage}, got ${String(limit)}`);
  }
  const startMs = toEpochMs(input.startTime, 'input.startTime');
  const endMs = toEpochMs(input.endTime, 'input.endTime');
  if (endMs <= startMs) throw new InvalidInputError('input.endTime', 'must be after input.startTime (the end is exclusive)');
  const { startSec: startTime, endSec: endTime } = insightsSeconds(startMs, endMs);
  return {
    ...(hasNames ? { logGroupNames: checkLogGroups(input.logGroupNames, 'input.logGroupNames', false) } : {}),
    ...(hasIds ? { logGroupIdentifiers: checkLogGroups(input.logGroupIdentifiers, 'input.logGroupIdentifiers', true) } : {}),
    queryString,
    startTime,
    endTime,
    ...(limit === undefined ? {} : { limit }),
    ...(input.queryLanguage === undefined ? {} : { queryLanguage }),
  };
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function toStatistics(raw: Record<string, unknown> | undefined): InsightsStatistics {
  const s = raw ?? {};
  const optional = (key: 'estimatedRecordsSkipped' | 'estimatedBytesSkipped' | 'logGroupsScanned'): object => {
    const v = num(s[key]);
    return v === undefined ? {} : { [key]: v };
  };
  return {
    recordsMatched: num(s.recordsMatched) ?? 0,
    recordsScanned: num(s.recordsScanned) ?? 0,
    bytesScanned: num(s.bytesScanned) ?? 0,
    ...optional('estimatedRecordsSkipped'),
    ...optional('estimatedBytesSkipped'),
    ...optional('logGroupsScanned'),
  };
}

function toRows(results: unknown): InsightsRow[] {
  if (!Array.isArray(results)) return [];
  return results.map((fields: unknown) => {
    const row: Record<string, string> = {};
    if (Array.isArray(fields)) {
      for (const f of fields as { field?: unknown; value?: unknown }[]) {
        if (typeof f?.field === 'string' && typeof f.value === 'string') row[f.field] = f.value;
      }
    }
    return row;
  });
}

/** The delay before poll `n` (1-based): pollMin × 1.5^(n-1), capped at pollMax. */
export function pollDelayMs(n: number, min: number, max: number): number {
  return Math.min(max, min * POLL_GROWTH ** (n - 1));
}

async function stopQuietly(client: SdkClientLike, commands: QueryCommands, queryId: string): Promise<void> {
  try {
    // Without the caller's (possibly aborted) signal: the stop must still reach the service.
    await client.send(new commands.StopQueryCommand({ queryId }));
  } catch {
    // StopQuery fails when the query has already ended, which is the outcome we wanted.
  }
}

/**
 * Starts a validated query, polls it with growing delays until it ends, and follows result pages. Stops the query on
 * abort or timeout.
 */
export async function executeQuery(
  client: SdkClientLike,
  commands: QueryCommands,
  request: QueryRequest,
  settings: QuerySettings,
): Promise<InsightsResult> {
  const { options } = settings;
  const onProgress = options.onProgress;
  let polls = 0;
  const report = (event: Omit<Progress, 'operation' | 'completed' | 'total' | 'failed'>): void =>
    onProgress?.({ operation: settings.operation, completed: polls, total: undefined, failed: 0, ...event });
  const onRetry = (aws: string) =>
    onProgress === undefined
      ? undefined
      : (event: RetryEvent): void => report({ phase: 'retrying', retry: { operation: aws, attempt: event.attempt, delayMs: event.delayMs, error: event.error } });
  const retrySettings = { retry: options.retry, signal: settings.signal, onRetry: onRetry('StartQuery') };
  const started = (await withRetry(
    OPERATIONS.start,
    async (_send, track) =>
      (await client.send(
        track(
          new commands.StartQueryCommand({
            ...request,
            logGroupNames: request.logGroupNames === undefined ? undefined : [...request.logGroupNames],
            logGroupIdentifiers: request.logGroupIdentifiers === undefined ? undefined : [...request.logGroupIdentifiers],
          }),
        ),
        { abortSignal: settings.signal },
      )) as { queryId?: unknown } | undefined,
    retrySettings,
  )) ?? {};
  if (typeof started.queryId !== 'string' || started.queryId === '') {
    throw new QueryFailedError('(none)', 'Unknown', { cause: new Error('StartQuery returned no queryId') });
  }
  const queryId = started.queryId;

  // One signal for the caller's abort and our own timeout, so every wait and call ends on either.
  const local = new AbortController();
  let timedOut = false;
  const onAbort = (): void => local.abort(settings.signal?.reason);
  settings.signal?.addEventListener('abort', onAbort, { once: true });
  if (settings.signal?.aborted) onAbort();
  const timer =
    settings.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          local.abort(new Error('timeout'));
        }, settings.timeoutMs);
  const pollRetry = { retry: options.retry, signal: local.signal, onRetry: onRetry('GetQueryResults') };
  const getResults = async (nextToken?: string): Promise<ResultsShape> =>
    (await withRetry(
      OPERATIONS.results,
      async (_send, track) =>
        (await client.send(
          track(new commands.GetQueryResultsCommand({ queryId, maxItems: MAX_ROWS_PER_PAGE, ...(nextToken === undefined ? {} : { nextToken }) })),
          { abortSignal: local.signal },
        )) as ResultsShape | undefined,
      pollRetry,
    )) ?? {};

  try {
    for (let poll = 1; ; poll++) {
      const delayMs = pollDelayMs(poll, settings.pollMinDelayMs, settings.pollMaxDelayMs);
      await sleep(delayMs, local.signal, OPERATIONS.results);
      const response = await getResults();
      const status = typeof response.status === 'string' ? response.status : 'Unknown';
      const statistics = toStatistics(response.statistics);
      polls = poll;
      report({ phase: 'querying' });
      if (WAITING.has(status)) continue;
      if (status !== 'Complete') throw new QueryFailedError(queryId, status);
      const rows = toRows(response.results);
      let token = typeof response.nextToken === 'string' && response.nextToken !== '' ? response.nextToken : undefined;
      while (token !== undefined) {
        const page = await getResults(token);
        rows.push(...toRows(page.results));
        const next = typeof page.nextToken === 'string' && page.nextToken !== '' ? page.nextToken : undefined;
        // A token handed back unchanged would page forever.
        token = next === token ? undefined : next;
      }
      return { queryId, status: 'Complete', rows, statistics };
    }
  } catch (err) {
    // A query that failed has ended; any other way out (abort, timeout, a call or callback that threw) leaves it
    // running and counting against the concurrent-query quota, so stop it.
    if (!isLambdaMeterError(err, 'QueryFailedError')) await stopQuietly(client, commands, queryId);
    if (settings.signal?.aborted) throw new LambdaMeterAbortError('Logs Insights query', { cause: settings.signal.reason });
    if (timedOut) throw new QueryTimeoutError(queryId, settings.timeoutMs as number);
    throw err;
  } finally {
    clearTimeout(timer);
    settings.signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * Runs a CloudWatch Logs Insights query to the end: StartQuery, then GetQueryResults polls that start after
 * `pollMinDelayMs` and grow 1.5× up to `pollMaxDelayMs` (so short queries return sooner than with a fixed 1 s poll),
 * then every result page. The range is [startTime, endTime), end exclusive like every range in lambda-meter; it is
 * converted to the inclusive whole seconds the API wants (see `insightsSeconds`), so the rows can include events of
 * the partial seconds at either end. `onProgress` is told after each poll (phase `'querying'`, `completed` = polls)
 * and before each retry's wait (phase `'retrying'`). `LimitExceededException` (too many concurrent queries) and throttling are retried with back-off.
 *
 * Rejects with QueryFailedError for a `Failed`, `Cancelled`, `Timeout` or `Unknown` status, QueryTimeoutError after
 * `timeoutMs` (the query is stopped), LambdaMeterAbortError on abort (the query is stopped), InvalidInputError for bad
 * input, ServiceCallError (e.g. `MalformedQueryException`) and RetryExhaustedError.
 *
 * @example
 * ```ts
 * import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
 * import { runInsightsQuery } from 'lambda-meter/insights';
 *
 * const { rows, statistics } = await runInsightsQuery(new CloudWatchLogsClient({}), {
 *   logGroupNames: ['/aws/lambda/resize'],
 *   queryString: 'filter @type = "REPORT" | stats avg(@duration) as avgMs, pct(@duration, 99) as p99Ms by bin(5m)',
 *   startTime: Date.now() - 3_600_000,
 *   endTime: Date.now(),
 * });
 * console.log(rows, statistics.bytesScanned);
 * ```
 */
export async function runInsightsQuery<C extends SdkClientLike>(
  client: LogsClientLike<C>,
  input: InsightsQueryInput,
  options: InsightsQueryOptions = {},
): Promise<InsightsResult> {
  checkClient(client, 'client', 'CloudWatchLogsClient');
  const request = validateInput(input);
  const settings = resolveQuerySettings(options, 'runInsightsQuery');
  throwIfAborted(settings.signal, OPERATIONS.start);
  const commands = await loadLogsSdk('runInsightsQuery');
  return executeQuery(client, commands, request, settings);
}
