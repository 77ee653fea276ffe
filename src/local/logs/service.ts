/**
 * The CloudWatch Logs API of `local`, in the awsJson1_1 wire protocol that `@aws-sdk/client-cloudwatch-logs` speaks:
 * POST `/`, `content-type: application/x-amz-json-1.1`, `x-amz-target: Logs_20140328.<Operation>`; errors are HTTP
 * 400/500 with `{"__type": "<Code>", "message": …}` and the `x-amzn-errortype` header.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { InvalidInputError } from '../../errors.js';
import {
  AwsServiceError,
  BodyReader,
  decodeToken,
  delay,
  encodeToken,
  header,
  newRequestId,
  parseJsonObject,
} from '../http.js';
import type { LocalFaultHook, LocalRequest, LocalResponse, LocalService } from '../http.js';
import { InsightsQueryEngine } from '../insights/engine.js';
import { compileFilterPattern } from './filter.js';
import { compareNames } from './store.js';
import type { LocatedLogEvent, LogStore, LogStreamInfo, StoredLogEvent } from './store.js';

/** The `x-amz-target` prefix of CloudWatch Logs. */
export const LOGS_TARGET_PREFIX = 'Logs_20140328.';

/** One event handed to the query engine. */
export interface InsightsEngineEvent {
  readonly timestamp: number;
  readonly ingestionTime?: number;
  readonly message: string;
  readonly logStream: string;
  readonly logGroup: string;
}

/** One result cell of a query. */
export interface InsightsResultField {
  readonly field: string;
  readonly value: string;
}

/** What the query engine returns. */
export interface InsightsEngineResult {
  readonly rows: readonly (readonly InsightsResultField[])[];
  readonly statistics: { readonly recordsMatched: number; readonly recordsScanned: number; readonly bytesScanned: number };
}

/**
 * The Logs Insights query engine the service runs queries with: `compileQuery` throws an error named
 * `MalformedQueryException` for a query it cannot run.
 */
export interface InsightsEngine {
  compileQuery(queryString: string): unknown;
  runQuery(
    compiled: unknown,
    events: readonly InsightsEngineEvent[],
    options: { readonly startTime: number; readonly endTime: number; readonly logGroupName?: string; readonly maxRows?: number },
  ): InsightsEngineResult;
}

/** Options of {@link LogsService}. */
export interface LogsServiceOptions {
  /**
   * Runs Logs Insights queries; `null` leaves the service without one, so StartQuery answers
   * `InvalidOperationException`.
   * @default an `InsightsQueryEngine` (src/local/insights) writing the store's account id in `@log`
   */
  readonly engine?: InsightsEngine | null;
  /**
   * How long a query stays `Scheduled`, in milliseconds of the store's clock.
   * @default 100
   */
  readonly scheduledMs?: number;
  /**
   * How long a query then stays `Running` before it is `Complete`.
   * @default 200
   */
  readonly runningMs?: number;
  /**
   * Queries that may be Scheduled or Running at once; StartQuery beyond it answers `LimitExceededException`
   * (CloudWatch Logs allows 100 concurrent Logs Insights queries per account).
   * @default 100
   */
  readonly maxConcurrentQueries?: number;
  /** Injects throttling (`ThrottlingException`), server errors (`ServiceUnavailableException`) or delays per call. */
  readonly faults?: LocalFaultHook;
}

type QueryStatus = 'Scheduled' | 'Running' | 'Complete' | 'Failed' | 'Cancelled';

interface QueryState {
  readonly queryId: string;
  readonly startedAt: number;
  /** Set by StopQuery. */
  cancelledAt: number | undefined;
  readonly outcome: { readonly result: InsightsEngineResult } | { readonly error: unknown };
}

/** GetLogEvents / FilterLogEvents stop adding events past 1 MB (message bytes + 26 per event, as PutLogEvents counts). */
const MAX_RESPONSE_BYTES = 1_048_576;
const EVENT_OVERHEAD_BYTES = 26;
/** Rows per query: up to 10,000 per GetQueryResults page, up to 100,000 in all (lambda-facts §4). */
const MAX_QUERY_ROWS = 100_000;
const MAX_PAGE_ROWS = 10_000;
const DEFAULT_QUERY_ROWS = 10_000;
/** Ended queries kept for GetQueryResults before the oldest are forgotten. */
const MAX_ENDED_QUERIES = 1_000;
const ZERO_CURSOR = '0'.repeat(32);
const LOG_EVENT_TOKEN = /^([fb])\/(\d{32})\/s$/;

function invalidParameter(message: string): AwsServiceError {
  return new AwsServiceError('InvalidParameterException', message);
}

function reader(body: Record<string, unknown>): BodyReader {
  return new BodyReader(body, (field, problem) => invalidParameter(`1 validation error detected: Value at '${field}' failed to satisfy constraint: ${problem}`));
}

function checkNonNegativeOption(value: number | undefined, field: string, fallback: number): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new InvalidInputError(field, `must be a finite number >= 0, got ${String(v)}`);
  return v;
}

/** The 32-digit cursor one step before or after `cursor` (event ids are 32-digit numbers). */
function stepCursor(cursor: string, step: 1 | -1): string {
  const next = BigInt(cursor) + BigInt(step);
  return (next < 0n ? 0n : next).toString().padStart(32, '0');
}

/** Takes events in order while they fit in a response: at most `limit`, and at most 1 MB (always at least one). */
function takeWithinBudget<T extends { readonly message: string }>(events: readonly T[], limit: number, fromEnd: boolean): T[] {
  const out: T[] = [];
  let bytes = 0;
  const n = events.length;
  for (let k = 0; k < n && out.length < limit; k++) {
    const e = events[fromEnd ? n - 1 - k : k] as T;
    const size = Buffer.byteLength(e.message, 'utf8') + EVENT_OVERHEAD_BYTES;
    if (out.length > 0 && bytes + size > MAX_RESPONSE_BYTES) break;
    bytes += size;
    out.push(e);
  }
  return fromEnd ? out.reverse() : out;
}

/**
 * CloudWatch Logs over a {@link LogStore}: DescribeLogGroups, DescribeLogStreams, GetLogEvents, FilterLogEvents,
 * StartQuery, GetQueryResults, StopQuery, plus CreateLogGroup, CreateLogStream and PutLogEvents. Mount it on a
 * shared server with `startLocalServer([service])`, or call {@link LogsService.handle} directly. Queries run on the
 * built-in Logs Insights engine (`InsightsQueryEngine`) unless `options.engine` gives another.
 *
 * @example
 * ```ts
 * const service = new LogsService(new LogStore());
 * const server = await startLocalServer([service]);
 * const logs = new CloudWatchLogsClient({ endpoint: server.endpoint, region: 'us-east-1', credentials });
 * ```
 */
export class LogsService implements LocalService {
  private readonly engine: InsightsEngine | undefined;
  private readonly scheduledMs: number;
  private readonly runningMs: number;
  private readonly maxConcurrentQueries: number;
  private readonly faults: LocalFaultHook | undefined;
  private readonly queries = new Map<string, QueryState>();

  constructor(
    /** The data the service reads and writes. */
    readonly store: LogStore,
    options: LogsServiceOptions = {},
  ) {
    this.engine = options.engine === null ? undefined : (options.engine ?? new InsightsQueryEngine({ accountId: store.accountId }));
    this.scheduledMs = checkNonNegativeOption(options.scheduledMs, 'options.scheduledMs', 100);
    this.runningMs = checkNonNegativeOption(options.runningMs, 'options.runningMs', 200);
    const max = options.maxConcurrentQueries ?? 100;
    if (!Number.isInteger(max) || max < 1) throw new InvalidInputError('options.maxConcurrentQueries', `must be a positive integer, got ${String(max)}`);
    this.maxConcurrentQueries = max;
    this.faults = options.faults;
  }

  /** True for requests whose `x-amz-target` names CloudWatch Logs. */
  matches(request: LocalRequest): boolean {
    return header(request, 'x-amz-target')?.startsWith(LOGS_TARGET_PREFIX) === true;
  }

  /** Answers one request; failures become CloudWatch Logs error responses. */
  async handle(request: LocalRequest): Promise<LocalResponse> {
    const requestId = newRequestId();
    const target = header(request, 'x-amz-target') ?? '';
    const operation = target.startsWith(LOGS_TARGET_PREFIX) ? target.slice(LOGS_TARGET_PREFIX.length) : '';
    try {
      if (request.method !== 'POST') throw new AwsServiceError('UnknownOperationException', `CloudWatch Logs expects POST, got ${request.method}`);
      const fault = this.faults?.(operation);
      if (fault === 'throttle') throw new AwsServiceError('ThrottlingException', 'Rate exceeded');
      if (fault === 'serverError') throw new AwsServiceError('ServiceUnavailableException', 'The service is unavailable. Try again later.', 500);
      if (fault !== undefined) await delay(fault.delayMs);
      const body = parseJsonObject(request.body);
      const output = this.call(operation, body);
      return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId }, body: JSON.stringify(output) };
    } catch (err) {
      const e =
        err instanceof AwsServiceError ? err : new AwsServiceError('ServiceUnavailableException', `lambda-meter local failed: ${String(err)}`, 500);
      return {
        status: e.status,
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId, 'x-amzn-errortype': e.code },
        body: JSON.stringify({ __type: e.code, message: e.message, ...e.fields }),
      };
    }
  }

  private call(operation: string, body: Record<string, unknown>): object {
    switch (operation) {
      case 'DescribeLogGroups':
        return this.describeLogGroups(reader(body));
      case 'DescribeLogStreams':
        return this.describeLogStreams(reader(body));
      case 'GetLogEvents':
        return this.getLogEvents(reader(body));
      case 'FilterLogEvents':
        return this.filterLogEvents(reader(body));
      case 'StartQuery':
        return this.startQuery(reader(body));
      case 'GetQueryResults':
        return this.getQueryResults(reader(body));
      case 'StopQuery':
        return this.stopQuery(reader(body));
      case 'CreateLogGroup':
        return this.createLogGroup(reader(body));
      case 'CreateLogStream':
        return this.createLogStream(reader(body));
      case 'PutLogEvents':
        return this.putLogEvents(reader(body));
      default:
        throw new AwsServiceError(
          'UnknownOperationException',
          operation === '' ? 'Missing or unknown x-amz-target' : `lambda-meter local does not support the CloudWatch Logs operation ${operation}`,
        );
    }
  }

  /** A group name from a name or an ARN (`…:log-group:<name>` with an optional `:*`). */
  private groupFromIdentifier(identifier: string): string {
    const arn = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:(.+?)(?::\*)?$/.exec(identifier);
    return arn === null ? identifier : (arn[1] as string);
  }

  /** The log group a request names with `logGroupName` or `logGroupIdentifier`; it must exist. */
  private requireGroup(r: BodyReader): string {
    const name = r.string('logGroupName');
    const identifier = r.string('logGroupIdentifier');
    if (name !== undefined && identifier !== undefined) throw invalidParameter('LogGroup name and LogGroup ARN are mutually exclusive parameters.');
    if (name === undefined && identifier === undefined) throw invalidParameter('Either logGroupName or logGroupIdentifier must be specified.');
    const group = name ?? this.groupFromIdentifier(identifier as string);
    if (!this.store.hasLogGroup(group)) throw new AwsServiceError('ResourceNotFoundException', 'The specified log group does not exist.');
    return group;
  }

  private describeLogGroups(r: BodyReader): object {
    const prefix = r.string('logGroupNamePrefix');
    const pattern = r.string('logGroupNamePattern');
    if (prefix !== undefined && pattern !== undefined) {
      throw invalidParameter('LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.');
    }
    const limit = r.number('limit', { min: 1, max: 50, integer: true }) ?? 50;
    const after = this.nameCursor(r.string('nextToken'));
    const lower = pattern?.toLowerCase();
    const groups = this.store
      .listLogGroups()
      .filter((g) => (prefix === undefined || g.logGroupName.startsWith(prefix)) && (lower === undefined || g.logGroupName.toLowerCase().includes(lower)))
      .filter((g) => after === undefined || compareNames(g.logGroupName, after) > 0);
    const page = groups.slice(0, limit);
    const last = page.at(-1);
    return {
      logGroups: page.map((g) => ({
        logGroupName: g.logGroupName,
        creationTime: g.creationTime,
        metricFilterCount: 0,
        arn: `${g.arn}:*`,
        storedBytes: g.storedBytes,
        logGroupClass: 'STANDARD',
        logGroupArn: g.arn,
      })),
      ...(groups.length > limit && last !== undefined ? { nextToken: encodeToken({ n: last.logGroupName }) } : {}),
    };
  }

  private nameCursor(token: string | undefined): string | undefined {
    if (token === undefined) return undefined;
    const value = decodeToken(token) as { n?: unknown } | undefined;
    if (typeof value?.n !== 'string') throw invalidParameter('The specified nextToken is invalid.');
    return value.n;
  }

  private describeLogStreams(r: BodyReader): object {
    const group = this.requireGroup(r);
    const prefix = r.string('logStreamNamePrefix');
    const orderBy = r.string('orderBy') ?? 'LogStreamName';
    if (orderBy !== 'LogStreamName' && orderBy !== 'LastEventTime') {
      throw invalidParameter(`1 validation error detected: Value '${orderBy}' at 'orderBy' failed to satisfy constraint: Member must satisfy enum value set: [LastEventTime, LogStreamName]`);
    }
    if (orderBy === 'LastEventTime' && prefix !== undefined) throw invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
    const descending = r.boolean('descending') ?? false;
    const limit = r.number('limit', { min: 1, max: 50, integer: true }) ?? 50;
    // Sort keys: [last event time (0 when none), name] or [name].
    const keyOf = (s: LogStreamInfo): [number, string] => [orderBy === 'LastEventTime' ? (s.lastEventTimestamp ?? 0) : 0, s.logStreamName];
    const compare = (a: [number, string], b: [number, string]): number => {
      const c = a[0] - b[0] || compareNames(a[1], b[1]);
      return descending ? -c : c;
    };
    let after: [number, string] | undefined;
    const token = r.string('nextToken');
    if (token !== undefined) {
      const value = decodeToken(token) as { k?: unknown } | undefined;
      const k = value?.k;
      if (!Array.isArray(k) || typeof k[0] !== 'number' || typeof k[1] !== 'string') throw invalidParameter('The specified nextToken is invalid.');
      after = [k[0], k[1]];
    }
    const streams = this.store
      .listLogStreams(group)
      .filter((s) => prefix === undefined || s.logStreamName.startsWith(prefix))
      .sort((a, b) => compare(keyOf(a), keyOf(b)))
      .filter((s) => after === undefined || compare(keyOf(s), after) > 0);
    const page = streams.slice(0, limit);
    const last = page.at(-1);
    return {
      logStreams: page.map((s) => ({
        logStreamName: s.logStreamName,
        creationTime: s.creationTime,
        ...(s.firstEventTimestamp === undefined
          ? {}
          : { firstEventTimestamp: s.firstEventTimestamp, lastEventTimestamp: s.lastEventTimestamp, lastIngestionTime: s.lastIngestionTime }),
        arn: s.arn,
        // Deprecated by the service, which reports 0.
        storedBytes: 0,
      })),
      ...(streams.length > limit && last !== undefined ? { nextToken: encodeToken({ k: keyOf(last) }) } : {}),
    };
  }

  private getLogEvents(r: BodyReader): object {
    const group = this.requireGroup(r);
    const streamName = r.string('logStreamName', true);
    if (this.store.getLogStream(group, streamName) === undefined) {
      throw new AwsServiceError('ResourceNotFoundException', 'The specified log stream does not exist.');
    }
    const startTime = r.number('startTime', { min: 0, integer: true });
    const endTime = r.number('endTime', { min: 0, integer: true });
    const limit = r.number('limit', { min: 1, max: 10_000, integer: true }) ?? 10_000;
    const startFromHead = r.boolean('startFromHead') ?? false;
    const token = r.string('nextToken');
    let direction: 'f' | 'b' | undefined;
    let cursor = ZERO_CURSOR;
    if (token !== undefined) {
      const m = LOG_EVENT_TOKEN.exec(token);
      if (m === null) throw invalidParameter('The specified nextToken is invalid.');
      direction = m[1] as 'f' | 'b';
      cursor = m[2] as string;
    }
    // startTime is inclusive and endTime exclusive (GetLogEvents reference).
    const inRange = this.store
      .streamEvents(group, streamName)
      .filter((e) => (startTime === undefined || e.timestamp >= startTime) && (endTime === undefined || e.timestamp < endTime));
    let page: StoredLogEvent[];
    if (direction === 'f') page = takeWithinBudget(inRange.filter((e) => e.eventId > cursor), limit, false);
    else if (direction === 'b') page = takeWithinBudget(inRange.filter((e) => e.eventId < cursor), limit, true);
    else page = takeWithinBudget(inRange, limit, !startFromHead);
    const first = page[0];
    const last = page.at(-1);
    // At the end of the stream the service hands back the token it was given. `f/K` reads after K and `b/K` before
    // K, so turning at K without having read it keeps K on the new side.
    const forward =
      last !== undefined ? `f/${last.eventId}/s` : direction === 'f' ? (token as string) : `f/${direction === 'b' ? stepCursor(cursor, -1) : cursor}/s`;
    const backward =
      first !== undefined ? `b/${first.eventId}/s` : direction === 'b' ? (token as string) : `b/${direction === 'f' ? stepCursor(cursor, 1) : cursor}/s`;
    return {
      events: page.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
      nextForwardToken: forward,
      nextBackwardToken: backward,
    };
  }

  private filterLogEvents(r: BodyReader): object {
    const group = this.requireGroup(r);
    const names = r.stringList('logStreamNames', 1, 100);
    const prefix = r.string('logStreamNamePrefix');
    if (names !== undefined && prefix !== undefined) {
      throw invalidParameter('logStreamNames and logStreamNamePrefix are mutually exclusive parameters.');
    }
    const startTime = r.number('startTime', { min: 0, integer: true });
    const endTime = r.number('endTime', { min: 0, integer: true });
    const limit = r.number('limit', { min: 1, max: 10_000, integer: true }) ?? 10_000;
    const matches = compileFilterPattern(r.string('filterPattern') ?? '');
    const token = r.string('nextToken');
    let after: string | undefined;
    if (token !== undefined) {
      const value = decodeToken(token) as { e?: unknown } | undefined;
      if (typeof value?.e !== 'string' || !/^\d{32}$/.test(value.e)) throw invalidParameter('The specified nextToken is invalid.');
      after = value.e;
    }
    const streams = this.store
      .listLogStreams(group)
      .map((s) => s.logStreamName)
      .filter((s) => (names === undefined || names.includes(s)) && (prefix === undefined || s.startsWith(prefix)));
    // endTime: "Events with a timestamp later than this time are not returned" (FilterLogEvents reference).
    const events = this.store
      .visibleEvents({
        logGroupNames: [group],
        logStreamNames: streams,
        ...(startTime === undefined ? {} : { startTime }),
        ...(endTime === undefined ? {} : { endTime }),
      })
      .filter((e) => (after === undefined || e.eventId > after) && matches(e.message));
    const page: LocatedLogEvent[] = takeWithinBudget(events, limit, false);
    const last = page.at(-1);
    return {
      events: page.map((e) => ({ logStreamName: e.logStream, timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime, eventId: e.eventId })),
      searchedLogStreams: streams.map((logStreamName) => ({ logStreamName, searchedCompletely: true })),
      ...(page.length < events.length && last !== undefined ? { nextToken: encodeToken({ e: last.eventId }) } : {}),
    };
  }

  private createLogGroup(r: BodyReader): object {
    const name = r.string('logGroupName', true);
    if (this.store.hasLogGroup(name)) throw new AwsServiceError('ResourceAlreadyExistsException', 'The specified log group already exists');
    this.withStoreInput(() => this.store.ensureLogGroup(name));
    return {};
  }

  private createLogStream(r: BodyReader): object {
    const group = r.string('logGroupName', true);
    const stream = r.string('logStreamName', true);
    if (!this.store.hasLogGroup(group)) throw new AwsServiceError('ResourceNotFoundException', 'The specified log group does not exist.');
    if (this.store.getLogStream(group, stream) !== undefined) {
      throw new AwsServiceError('ResourceAlreadyExistsException', 'The specified log stream already exists');
    }
    this.withStoreInput(() => this.store.ensureLogStream(group, stream));
    return {};
  }

  private putLogEvents(r: BodyReader): object {
    const group = r.string('logGroupName', true);
    const stream = r.string('logStreamName', true);
    const items = r.objectList('logEvents', true) as BodyReader[];
    if (items.length < 1 || items.length > 10_000) throw invalidParameter('logEvents must hold 1 to 10000 events');
    const events = items.map((item) => ({
      timestamp: item.number('timestamp', { required: true, integer: true, min: 0 }) as number,
      message: item.string('message', true),
    }));
    if (!this.store.hasLogGroup(group)) throw new AwsServiceError('ResourceNotFoundException', 'The specified log group does not exist.');
    if (this.store.getLogStream(group, stream) === undefined) throw new AwsServiceError('ResourceNotFoundException', 'The specified log stream does not exist.');
    for (let i = 1; i < events.length; i++) {
      if ((events[i] as { timestamp: number }).timestamp < (events[i - 1] as { timestamp: number }).timestamp) {
        throw invalidParameter('Log events in a single PutLogEvents request must be in chronological order.');
      }
    }
    // Events more than 14 days old or 2 hours ahead are rejected (PutLogEvents reference).
    const now = this.store.now();
    let tooOldEnd = -1;
    let tooNewStart = -1;
    events.forEach((e, i) => {
      if (e.timestamp < now - 14 * 86_400_000) tooOldEnd = i;
      if (e.timestamp > now + 2 * 3_600_000 && tooNewStart < 0) tooNewStart = i;
    });
    const accepted = events.filter((_, i) => i > tooOldEnd && (tooNewStart < 0 || i < tooNewStart));
    this.withStoreInput(() => this.store.putLogEvents(group, stream, accepted));
    const rejected = {
      ...(tooNewStart >= 0 ? { tooNewLogEventStartIndex: tooNewStart } : {}),
      ...(tooOldEnd >= 0 ? { tooOldLogEventEndIndex: tooOldEnd } : {}),
    };
    return Object.keys(rejected).length === 0 ? {} : { rejectedLogEventsInfo: rejected };
  }

  /** Runs a store call, turning its InvalidInputError into InvalidParameterException. */
  private withStoreInput<T>(call: () => T): T {
    try {
      return call();
    } catch (err) {
      if (err instanceof InvalidInputError) throw invalidParameter(err.message);
      throw err;
    }
  }

  private statusOf(q: QueryState, now: number): QueryStatus {
    if (q.cancelledAt !== undefined) return 'Cancelled';
    const elapsed = now - q.startedAt;
    if (elapsed < this.scheduledMs) return 'Scheduled';
    if (elapsed < this.scheduledMs + this.runningMs) return 'Running';
    return 'error' in q.outcome ? 'Failed' : 'Complete';
  }

  private startQuery(r: BodyReader): object {
    const engine = this.engine;
    if (engine === undefined) throw new AwsServiceError('InvalidOperationException', 'lambda-meter local was started without a Logs Insights query engine');
    const queryString = r.string('queryString', true);
    if (queryString.length > 10_000) throw invalidParameter('queryString must be at most 10000 characters');
    const startSec = r.number('startTime', { required: true, min: 0, integer: true }) as number;
    const endSec = r.number('endTime', { required: true, min: 0, integer: true }) as number;
    if (endSec < startSec) throw invalidParameter('End time should not be before start time.');
    const language = r.string('queryLanguage') ?? 'CWLI';
    if (language !== 'CWLI') throw invalidParameter(`lambda-meter local runs Logs Insights QL (CWLI) only, not ${language}`);
    const limit = r.number('limit', { min: 1, max: MAX_QUERY_ROWS, integer: true }) ?? DEFAULT_QUERY_ROWS;
    const single = r.string('logGroupName');
    const names = r.stringList('logGroupNames', 1, 50);
    const identifiers = r.stringList('logGroupIdentifiers', 1, 50);
    const given = [single, names, identifiers].filter((v) => v !== undefined).length;
    if (given !== 1) {
      throw invalidParameter('Exactly one of logGroupName, logGroupNames or logGroupIdentifiers must be specified.');
    }
    const groups = single !== undefined ? [single] : (names ?? (identifiers as string[]).map((id) => this.groupFromIdentifier(id)));
    for (const g of groups) {
      if (!this.store.hasLogGroup(g)) {
        throw new AwsServiceError('ResourceNotFoundException', `Log group '${g}' does not exist for account ID '${this.store.accountId}'`);
      }
    }
    let compiled: unknown;
    try {
      compiled = engine.compileQuery(queryString);
    } catch (err) {
      if ((err as { name?: unknown } | null)?.name === 'MalformedQueryException') {
        const message = String((err as { message?: unknown }).message);
        const location = (err as { location?: unknown }).location;
        throw new AwsServiceError('MalformedQueryException', message, 400, {
          queryCompileError: { message, ...(typeof location === 'object' && location !== null ? { location } : {}) },
        });
      }
      throw err;
    }
    const now = this.store.now();
    let running = 0;
    for (const q of this.queries.values()) {
      const s = this.statusOf(q, now);
      if (s === 'Scheduled' || s === 'Running') running++;
    }
    if (running >= this.maxConcurrentQueries) {
      throw new AwsServiceError('LimitExceededException', `Account maximum query concurrency limit of [${this.maxConcurrentQueries}] reached.`);
    }
    // Insights times are whole seconds, inclusive at both ends.
    const startTime = startSec * 1000;
    const endTime = endSec * 1000 + 999;
    const events = this.store.visibleEvents({ logGroupNames: groups, startTime, endTime });
    let outcome: QueryState['outcome'];
    try {
      outcome = {
        result: engine.runQuery(compiled, events, {
          startTime,
          endTime,
          ...(groups.length === 1 ? { logGroupName: groups[0] } : {}),
          maxRows: limit,
        }),
      };
    } catch (error) {
      outcome = { error };
    }
    const queryId = randomUUID();
    this.queries.set(queryId, { queryId, startedAt: now, cancelledAt: undefined, outcome });
    this.forgetOldQueries(now);
    return { queryId };
  }

  private forgetOldQueries(now: number): void {
    const ended = [...this.queries.values()].filter((q) => {
      const s = this.statusOf(q, now);
      return s !== 'Scheduled' && s !== 'Running';
    });
    for (const q of ended.slice(0, Math.max(0, ended.length - MAX_ENDED_QUERIES))) this.queries.delete(q.queryId);
  }

  private query(queryId: string): QueryState {
    const q = this.queries.get(queryId);
    if (q === undefined) throw new AwsServiceError('ResourceNotFoundException', `Query ${queryId} does not exist`);
    return q;
  }

  private getQueryResults(r: BodyReader): object {
    const q = this.query(r.string('queryId', true));
    const maxItems = r.number('maxItems', { min: 1, max: MAX_PAGE_ROWS, integer: true }) ?? MAX_PAGE_ROWS;
    const token = r.string('nextToken');
    let offset = 0;
    if (token !== undefined) {
      const value = decodeToken(token) as { q?: unknown; o?: unknown } | undefined;
      if (value?.q !== q.queryId || typeof value.o !== 'number' || !Number.isInteger(value.o) || value.o < 0) {
        throw invalidParameter('The specified nextToken is invalid.');
      }
      offset = value.o;
    }
    const status = this.statusOf(q, this.store.now());
    const zero = { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 };
    if (status !== 'Complete' || !('result' in q.outcome)) return { queryLanguage: 'CWLI', results: [], statistics: zero, status };
    const { rows, statistics } = q.outcome.result;
    const page = rows.slice(offset, offset + maxItems);
    return {
      queryLanguage: 'CWLI',
      results: page,
      statistics: { recordsMatched: statistics.recordsMatched, recordsScanned: statistics.recordsScanned, bytesScanned: statistics.bytesScanned },
      status,
      ...(offset + maxItems < rows.length ? { nextToken: encodeToken({ q: q.queryId, o: offset + maxItems }) } : {}),
    };
  }

  private stopQuery(r: BodyReader): object {
    const q = this.query(r.string('queryId', true));
    const now = this.store.now();
    const status = this.statusOf(q, now);
    // StopQuery "returns an error" for a query that has already ended (StopQuery reference).
    if (status !== 'Scheduled' && status !== 'Running') throw invalidParameter(`Query ${q.queryId} is not running; its status is ${status}`);
    q.cancelledAt = now;
    return { success: true };
  }
}
