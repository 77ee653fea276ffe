import type { GetMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import { InvalidInputError } from '../errors.js';
import { throwIfAborted } from '../internal/abort.js';
import type { CloudWatchClientLike, SdkClientLike } from '../internal/clients.js';
import { loadCloudWatchSdk } from '../internal/peer.js';
import { resolveRetryOptions, withRetry } from '../internal/retry.js';
import { toEpochMs } from '../internal/time.js';
import { checkClient, optionalFunction, positiveInteger } from '../internal/validate.js';
import type {
  FetchMetricDataInput,
  FetchMetricDataOptions,
  MetricDataQuery,
  MetricMessage,
  MetricPoint,
  MetricSeries,
  MetricStatusCode,
} from './types.js';
import { validateMetricId, validatePeriod, validatePeriodForAge, validateStatistic } from './validate.js';

/** The operation name used in retry, service and abort errors. */
export const GET_METRIC_DATA_OPERATION = 'CloudWatch.GetMetricData';

/** At most 500 MetricDataQuery structures per GetMetricData call (GetMetricData API reference). */
export const MAX_QUERIES_PER_CALL = 500;

const STATUS_CODES: readonly MetricStatusCode[] = ['Complete', 'PartialData', 'InternalError', 'Forbidden'];
// A failure status on any page outlives the Complete/PartialData of a later page.
const STICKY_STATUS = new Set<MetricStatusCode>(['InternalError', 'Forbidden']);

interface ResultShape {
  readonly Id?: unknown;
  readonly Label?: unknown;
  readonly Timestamps?: unknown;
  readonly Values?: unknown;
  readonly StatusCode?: unknown;
  readonly Messages?: unknown;
}

interface ResponseShape {
  readonly MetricDataResults?: unknown;
  readonly NextToken?: unknown;
  readonly Messages?: unknown;
}

interface SeriesAccumulator {
  label: string | undefined;
  readonly points: Map<number, number>;
  statusCode: MetricStatusCode | undefined;
  readonly messages: MetricMessage[];
}

function validateQuery(q: MetricDataQuery, i: number, startMs: number, nowMs: number): void {
  const field = `input.queries[${i}]`;
  if (typeof q !== 'object' || q === null) throw new InvalidInputError(field, 'must be a MetricDataQuery object');
  validateMetricId(q.Id, `${field}.Id`);
  const hasStat = q.MetricStat !== undefined;
  const hasExpression = q.Expression !== undefined;
  if (hasStat === hasExpression) {
    throw new InvalidInputError(field, 'must have exactly one of MetricStat or Expression');
  }
  const ageMs = nowMs - startMs;
  if (hasStat) {
    const stat = q.MetricStat;
    const metric = stat?.Metric;
    if (typeof metric?.MetricName !== 'string' || metric.MetricName === '') {
      throw new InvalidInputError(`${field}.MetricStat.Metric.MetricName`, 'must be a non-empty string');
    }
    if (typeof metric.Namespace !== 'string' || metric.Namespace === '') {
      throw new InvalidInputError(`${field}.MetricStat.Metric.Namespace`, 'must be a non-empty string');
    }
    validatePeriod(stat?.Period, `${field}.MetricStat.Period`);
    validatePeriodForAge(stat?.Period as number, ageMs, `${field}.MetricStat.Period`);
    validateStatistic(stat?.Stat, `${field}.MetricStat.Stat`);
  } else if (typeof q.Expression !== 'string' || q.Expression.trim() === '') {
    throw new InvalidInputError(`${field}.Expression`, 'must be a non-empty metric math expression or Metrics Insights query');
  }
  if (q.Period !== undefined) {
    validatePeriod(q.Period, `${field}.Period`);
    validatePeriodForAge(q.Period, ageMs, `${field}.Period`);
  }
}

function isInsightsQuery(q: MetricDataQuery): boolean {
  return q.Expression !== undefined && /^\s*SELECT\b/i.test(q.Expression);
}

/** The indexes of the queries an expression reads: ids named outside string literals, or all of them for METRICS(). */
function references(expression: string, ids: ReadonlyMap<string, number>): number[] | 'all' {
  const code = expression.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, ' ');
  // METRICS() (optionally with a label filter) returns every metric of the same request.
  if (/\bMETRICS\s*\(/.test(code)) return 'all';
  const out: number[] = [];
  for (const token of code.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) {
    const index = ids.get(token);
    if (index !== undefined) out.push(index);
  }
  return out;
}

/**
 * Splits queries into calls of at most 500, keeping every expression in the same call as the queries it references
 * (transitively) and at most one Metrics Insights query per call. Each call lists its queries in input order.
 */
export function planBatches(queries: readonly MetricDataQuery[], maxPerCall = MAX_QUERIES_PER_CALL): MetricDataQuery[][] {
  const ids = new Map<string, number>();
  queries.forEach((q, i) => {
    if (ids.has(q.Id)) throw new InvalidInputError(`input.queries[${i}].Id`, `duplicates the Id of queries[${ids.get(q.Id)}]: ${q.Id}`);
    ids.set(q.Id, i);
  });
  const parent = queries.map((_, i) => i);
  const find = (i: number): number => {
    let root = i;
    while (parent[root] !== root) root = parent[root] as number;
    while (parent[i] !== root) {
      const next = parent[i] as number;
      parent[i] = root;
      i = next;
    }
    return root;
  };
  const union = (a: number, b: number): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  queries.forEach((q, i) => {
    if (q.Expression === undefined || isInsightsQuery(q)) return;
    const refs = references(q.Expression, ids);
    if (refs === 'all') queries.forEach((_, j) => union(i, j));
    else for (const j of refs) union(i, j);
  });

  const groups = new Map<number, number[]>();
  queries.forEach((_, i) => {
    const root = find(i);
    const group = groups.get(root);
    if (group === undefined) groups.set(root, [i]);
    else group.push(i);
  });

  interface Batch {
    readonly members: number[];
    insights: boolean;
  }
  const batches: Batch[] = [];
  // Groups come in order of their first query, since the root of each group is its smallest index.
  for (const members of groups.values()) {
    const insightsCount = members.filter((i) => isInsightsQuery(queries[i] as MetricDataQuery)).length;
    if (members.length > maxPerCall) {
      throw new InvalidInputError(
        'input.queries',
        `math expressions and the ${members.length} queries they reference (from queries[${members[0]}]) must go in one ` +
          `GetMetricData call, which takes at most ${maxPerCall} queries`,
      );
    }
    if (insightsCount > 1) {
      throw new InvalidInputError('input.queries', 'a GetMetricData call takes at most one Metrics Insights (SELECT) query, and METRICS() ties these together');
    }
    const hasInsights = insightsCount === 1;
    const fit = batches.find((b) => b.members.length + members.length <= maxPerCall && !(b.insights && hasInsights));
    if (fit === undefined) batches.push({ members: [...members], insights: hasInsights });
    else {
      fit.members.push(...members);
      fit.insights ||= hasInsights;
    }
  }
  return batches.map((b) => b.members.sort((x, y) => x - y).map((i) => queries[i] as MetricDataQuery));
}

function toTimestampMs(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  // The JSON protocol carries epoch seconds; a raw client might hand them over unconverted.
  if (typeof value === 'number') return Math.abs(value) < 1e11 ? value * 1000 : value;
  if (typeof value === 'string') return Date.parse(value);
  return Number.NaN;
}

function toMessages(value: unknown): MetricMessage[] {
  if (!Array.isArray(value)) return [];
  return value.map((m: { Code?: unknown; Value?: unknown } | null | undefined) => ({
    code: typeof m?.Code === 'string' ? m.Code : '',
    value: typeof m?.Value === 'string' ? m.Value : '',
  }));
}

function toStatus(value: unknown): MetricStatusCode | undefined {
  return STATUS_CODES.find((s) => s === value);
}

function addMessages(target: MetricMessage[], extra: readonly MetricMessage[]): void {
  for (const m of extra) {
    if (!target.some((t) => t.code === m.code && t.value === m.value)) target.push(m);
  }
}

function mergeResult(acc: Map<string, SeriesAccumulator>, r: ResultShape): void {
  if (typeof r?.Id !== 'string') return;
  let series = acc.get(r.Id);
  if (series === undefined) {
    series = { label: undefined, points: new Map(), statusCode: undefined, messages: [] };
    acc.set(r.Id, series);
  }
  if (typeof r.Label === 'string') series.label = r.Label;
  const timestamps: unknown[] = Array.isArray(r.Timestamps) ? r.Timestamps : [];
  const values: unknown[] = Array.isArray(r.Values) ? r.Values : [];
  const n = Math.min(timestamps.length, values.length);
  for (let k = 0; k < n; k++) {
    const ms = toTimestampMs(timestamps[k]);
    const value = values[k];
    if (!Number.isFinite(ms) || typeof value !== 'number' || series.points.has(ms)) continue;
    series.points.set(ms, value);
  }
  const status = toStatus(r.StatusCode);
  if (status !== undefined && !(series.statusCode !== undefined && STICKY_STATUS.has(series.statusCode))) {
    series.statusCode = status;
  }
  addMessages(series.messages, toMessages(r.Messages));
}

/**
 * Fetches any number of CloudWatch metric queries with `GetMetricData`: sends them in calls of at most 500 (math
 * expressions stay with the queries they reference), follows `NextToken`, merges the pages of each series, and
 * returns one {@link MetricSeries} per query that returns data (`ReturnData` not `false`), in query order, with
 * points ascending and one per timestamp. Throttling and transient errors are retried with back-off.
 *
 * Rejects with InvalidInputError for a bad query, period or statistic (before any call), ServiceCallError for an
 * error that is not retried, RetryExhaustedError and LambdaMeterAbortError.
 *
 * @example
 * ```ts
 * import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
 * import { fetchMetricData } from 'lambda-meter/metrics';
 *
 * const [errors] = await fetchMetricData(new CloudWatchClient({}), {
 *   queries: [{ Id: 'errors', MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Errors',
 *     Dimensions: [{ Name: 'FunctionName', Value: 'resize' }] }, Period: 60, Stat: 'Sum' } }],
 *   startTime: Date.now() - 3_600_000,
 *   endTime: Date.now(),
 * });
 * console.log(errors?.points.map((p) => `${new Date(p.timestamp).toISOString()} ${p.value}`));
 * ```
 */
export function fetchMetricData<C extends SdkClientLike>(
  client: CloudWatchClientLike<C>,
  input: FetchMetricDataInput,
  options: FetchMetricDataOptions = {},
): Promise<MetricSeries[]> {
  return fetchSeries(client, input, options, 'fetchMetricData');
}

/**
 * {@link fetchMetricData}, with the public function named in progress events.
 *
 * @example
 * ```ts
 * const series = await fetchSeries(cloudWatch, { queries, startTime, endTime }, {}, 'fetchLambdaMetrics');
 * ```
 */
export async function fetchSeries(
  client: SdkClientLike,
  input: FetchMetricDataInput,
  options: FetchMetricDataOptions,
  operation: string,
): Promise<MetricSeries[]> {
  checkClient(client, 'client', 'CloudWatchClient');
  if (typeof input !== 'object' || input === null) throw new InvalidInputError('input', 'must be an object');
  if (typeof options !== 'object' || options === null) throw new InvalidInputError('options', 'must be an object');
  optionalFunction(options.onProgress, 'options.onProgress');
  const startMs = toEpochMs(input.startTime, 'input.startTime');
  const endMs = toEpochMs(input.endTime, 'input.endTime');
  if (endMs <= startMs) throw new InvalidInputError('input.endTime', 'must be after input.startTime (the end is exclusive)');
  const nowMs = options.now === undefined ? Date.now() : toEpochMs(options.now, 'options.now');
  if (!Array.isArray(input.queries) || input.queries.length === 0) {
    throw new InvalidInputError('input.queries', 'must be a non-empty array of MetricDataQuery');
  }
  input.queries.forEach((q, i) => validateQuery(q, i, startMs, nowMs));
  const scanBy = input.scanBy ?? 'TimestampAscending';
  if (scanBy !== 'TimestampAscending' && scanBy !== 'TimestampDescending') {
    throw new InvalidInputError('input.scanBy', `must be 'TimestampAscending' or 'TimestampDescending', got ${String(scanBy)}`);
  }
  const maxDatapoints = input.maxDatapoints === undefined ? undefined : positiveInteger(input.maxDatapoints, 'input.maxDatapoints');
  resolveRetryOptions(options.retry);
  const batches = planBatches(input.queries);
  throwIfAborted(options.signal, GET_METRIC_DATA_OPERATION);
  const { GetMetricDataCommand } = await loadCloudWatchSdk('fetchMetricData');

  const onProgress = options.onProgress;
  let calls = 0;
  const acc = new Map<string, SeriesAccumulator>();
  const callMessages = new Map<string, MetricMessage[]>();
  for (const batch of batches) {
    const messages: MetricMessage[] = [];
    let nextToken: string | undefined;
    do {
      const request: GetMetricDataCommandInput = {
        // Our query type is the SDK's shape with readonly fields.
        MetricDataQueries: batch as GetMetricDataCommandInput['MetricDataQueries'],
        StartTime: new Date(startMs),
        EndTime: new Date(endMs),
        ScanBy: scanBy,
        ...(maxDatapoints === undefined ? {} : { MaxDatapoints: maxDatapoints }),
        ...(nextToken === undefined ? {} : { NextToken: nextToken }),
      };
      const response = await withRetry(
        GET_METRIC_DATA_OPERATION,
        async (_send, track) =>
          ((await client.send(track(new GetMetricDataCommand(request)), { abortSignal: options.signal })) as ResponseShape | undefined) ?? {},
        {
          retry: options.retry,
          signal: options.signal,
          onRetry:
            onProgress === undefined
              ? undefined
              : (e) =>
                  onProgress({
                    operation,
                    phase: 'retrying',
                    completed: calls,
                    total: undefined,
                    failed: 0,
                    retry: { operation: 'GetMetricData', attempt: e.attempt, delayMs: e.delayMs, error: e.error },
                  }),
        },
      );
      calls++;
      onProgress?.({ operation, phase: 'reading', completed: calls, total: undefined, failed: 0 });
      const results: unknown[] = Array.isArray(response.MetricDataResults) ? response.MetricDataResults : [];
      for (const r of results) mergeResult(acc, r as ResultShape);
      addMessages(messages, toMessages(response.Messages));
      const token = typeof response.NextToken === 'string' && response.NextToken !== '' ? response.NextToken : undefined;
      // A token handed back unchanged would page forever.
      nextToken = token === nextToken ? undefined : token;
    } while (nextToken !== undefined);
    for (const q of batch) callMessages.set(q.Id, messages);
  }

  return input.queries
    .filter((q) => q.ReturnData !== false)
    .map((q): MetricSeries => {
      const series = acc.get(q.Id);
      const points: MetricPoint[] = [...(series?.points ?? new Map<number, number>())]
        .sort(([a], [b]) => a - b)
        .map(([ms, value]) => ({ timestamp: ms, value }));
      const messages = [...(series?.messages ?? [])];
      addMessages(messages, callMessages.get(q.Id) ?? []);
      return { id: q.Id, label: series?.label ?? q.Label ?? q.Id, points, statusCode: series?.statusCode ?? 'Complete', messages };
    });
}
