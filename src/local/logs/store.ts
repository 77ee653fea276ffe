/**
 * The CloudWatch Logs data of `local`: log groups, log streams and their events, with an ingestion delay and a drop
 * hook so late or lost log delivery can be injected, and an injectable clock.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { InvalidInputError } from '../../errors.js';

/** The account id `local` reports in ARNs and `@log`. */
export const LOCAL_ACCOUNT_ID = '123456789012';
/** The Region `local` reports by default. */
export const LOCAL_REGION = 'us-east-1';

/** One event as it is written. */
export interface LogEventInput {
  /** When the event happened, epoch milliseconds. */
  readonly timestamp: number;
  readonly message: string;
}

/** One stored event. */
export interface StoredLogEvent {
  readonly timestamp: number;
  readonly message: string;
  /** When the event became (or becomes) visible to reads: write time plus the ingestion delay, epoch milliseconds. */
  readonly ingestionTime: number;
  /** Unique in the store, numeric like the service's (the sort position `(timestamp, sequence)` in digits). */
  readonly eventId: string;
  /** Write order, unique in the store; ties of `timestamp` are ordered by it. */
  readonly sequence: number;
}

/** A stored event with the group and stream it belongs to. */
export interface LocatedLogEvent extends StoredLogEvent {
  readonly logGroup: string;
  readonly logStream: string;
}

/** A log group, as DescribeLogGroups describes it. */
export interface LogGroupInfo {
  readonly logGroupName: string;
  /** Epoch milliseconds. */
  readonly creationTime: number;
  /** `arn:aws:logs:<region>:<account>:log-group:<name>` (DescribeLogGroups' `logGroupArn`). */
  readonly arn: string;
  /** UTF-8 bytes of the visible events' messages. */
  readonly storedBytes: number;
}

/** A log stream, as DescribeLogStreams describes it; the event times cover visible events only. */
export interface LogStreamInfo {
  readonly logStreamName: string;
  readonly creationTime: number;
  readonly firstEventTimestamp?: number;
  readonly lastEventTimestamp?: number;
  readonly lastIngestionTime?: number;
  readonly arn: string;
  /** Visible events in the stream. */
  readonly eventCount: number;
}

/** What {@link LogStore.putLogEvents} did. */
export interface PutLogEventsResult {
  /** Events stored (visible now or after the ingestion delay). */
  readonly accepted: number;
  /** Events the `shouldDrop` hook discarded. */
  readonly dropped: number;
}

/** Per-event ingestion delay: a fixed number of milliseconds, or a function of the event. */
export type IngestionDelay = number | ((logGroup: string, logStream: string, event: LogEventInput) => number);

/** Options of {@link LogStore}. */
export interface LogStoreOptions {
  /**
   * Region named in ARNs.
   * @default 'us-east-1'
   */
  readonly region?: string;
  /**
   * Account id named in ARNs.
   * @default '123456789012'
   */
  readonly accountId?: string;
  /**
   * Milliseconds between a write and the moment its events become visible to reads (CloudWatch Logs typically shows
   * events seconds after delivery), or a function giving it per event, to inject late delivery.
   * @default 0
   */
  readonly ingestionDelayMs?: IngestionDelay;
  /** Called for each written event; returning true discards it (lost log delivery). */
  readonly shouldDrop?: (logGroup: string, logStream: string, event: LogEventInput) => boolean;
  /**
   * The clock, epoch milliseconds.
   * @default Date.now
   */
  readonly now?: () => number;
}

/** Which events {@link LogStore.visibleEvents} returns. */
export interface VisibleEventsFilter {
  /** Log groups to read; all when omitted. Unknown names are skipped. */
  readonly logGroupNames?: readonly string[];
  /** Streams to read, within those groups; all when omitted. */
  readonly logStreamNames?: readonly string[];
  /** Inclusive, epoch milliseconds. */
  readonly startTime?: number;
  /** Inclusive, epoch milliseconds. */
  readonly endTime?: number;
}

interface StreamData {
  readonly name: string;
  readonly creationTime: number;
  /** Sorted by (timestamp, sequence). */
  readonly events: StoredLogEvent[];
}

interface GroupData {
  readonly name: string;
  readonly creationTime: number;
  readonly streams: Map<string, StreamData>;
}

// Log group names: 1-512 of a-z A-Z 0-9 _ - / . # (CreateLogGroup reference).
const GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;
// Log stream names: 1-512 characters, no ':' or '*' (CreateLogStream reference).
const STREAM_NAME = /^[^:*]{1,512}$/;

/** Compares events by (timestamp, sequence). */
export function compareEvents(a: StoredLogEvent, b: StoredLogEvent): number {
  return a.timestamp - b.timestamp || a.sequence - b.sequence;
}

function checkGroupName(name: unknown, field: string): string {
  if (typeof name !== 'string' || !GROUP_NAME.test(name)) {
    throw new InvalidInputError(field, `must be a log group name of 1-512 characters from a-z A-Z 0-9 _ - / . #, got ${JSON.stringify(name) ?? String(name)}`);
  }
  return name;
}

function checkStreamName(name: unknown, field: string): string {
  if (typeof name !== 'string' || !STREAM_NAME.test(name)) {
    throw new InvalidInputError(field, `must be a log stream name of 1-512 characters without ':' or '*', got ${JSON.stringify(name) ?? String(name)}`);
  }
  return name;
}

/** The log group of a Lambda function: `/aws/lambda/<functionName>`. */
export function lambdaLogGroupName(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

/**
 * A Lambda log stream name: `YYYY/MM/DD/[<version>]<32 hex digits>` (UTC date of the environment's start).
 *
 * @example
 * ```ts
 * lambdaLogStreamName(Date.UTC(2026, 10, 24)); // '2026/11/24/[$LATEST]5f0c…' (32 hex digits)
 * ```
 */
export function lambdaLogStreamName(time: number, version = '$LATEST', id: string = randomBytes(16).toString('hex')): string {
  const d = new Date(time);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/[${version}]${id}`;
}

/**
 * In-memory CloudWatch Logs data. Writes create groups and streams as needed; reads see an event only once its
 * ingestion time has passed on the store's clock.
 *
 * @example
 * ```ts
 * const store = new LogStore({ ingestionDelayMs: 500 });
 * store.putLogEvents('/aws/lambda/resize', lambdaLogStreamName(Date.now()), [{ timestamp: Date.now(), message: 'START RequestId: …' }]);
 * store.visibleEvents({ logGroupNames: ['/aws/lambda/resize'] }); // [] for the next 500 ms
 * ```
 */
export class LogStore {
  /** Region named in ARNs. */
  readonly region: string;
  /** Account id named in ARNs. */
  readonly accountId: string;
  private readonly groups = new Map<string, GroupData>();
  private readonly clock: () => number;
  private readonly delay: IngestionDelay;
  private readonly shouldDrop: LogStoreOptions['shouldDrop'];
  private sequence = 0;

  constructor(options: LogStoreOptions = {}) {
    this.region = options.region ?? LOCAL_REGION;
    this.accountId = options.accountId ?? LOCAL_ACCOUNT_ID;
    this.clock = options.now ?? Date.now;
    const delay = options.ingestionDelayMs ?? 0;
    if (typeof delay !== 'function' && (typeof delay !== 'number' || !Number.isFinite(delay) || delay < 0)) {
      throw new InvalidInputError('options.ingestionDelayMs', `must be a finite number >= 0 or a function, got ${String(delay)}`);
    }
    this.delay = delay;
    this.shouldDrop = options.shouldDrop;
  }

  /** The store's clock, epoch milliseconds. */
  now(): number {
    return this.clock();
  }

  /** `arn:aws:logs:<region>:<account>:log-group:<name>`. */
  logGroupArn(logGroupName: string): string {
    return `arn:aws:logs:${this.region}:${this.accountId}:log-group:${logGroupName}`;
  }

  /** Creates a log group unless it exists; returns it. */
  ensureLogGroup(logGroupName: string): LogGroupInfo {
    this.group(logGroupName, true);
    return this.getLogGroup(logGroupName) as LogGroupInfo;
  }

  /** Creates a log stream (and its group) unless it exists; returns it. */
  ensureLogStream(logGroupName: string, logStreamName: string): LogStreamInfo {
    this.stream(logGroupName, logStreamName);
    return this.getLogStream(logGroupName, logStreamName) as LogStreamInfo;
  }

  /** True when the group exists. */
  hasLogGroup(logGroupName: string): boolean {
    return this.groups.has(logGroupName);
  }

  /** The group, or undefined. */
  getLogGroup(logGroupName: string): LogGroupInfo | undefined {
    const group = this.groups.get(logGroupName);
    if (group === undefined) return undefined;
    const now = this.clock();
    let storedBytes = 0;
    for (const stream of group.streams.values()) {
      for (const e of stream.events) if (e.ingestionTime <= now) storedBytes += Buffer.byteLength(e.message, 'utf8');
    }
    return { logGroupName: group.name, creationTime: group.creationTime, arn: this.logGroupArn(group.name), storedBytes };
  }

  /** Every group, sorted by name. */
  listLogGroups(): LogGroupInfo[] {
    return [...this.groups.keys()].sort(compareNames).map((name) => this.getLogGroup(name) as LogGroupInfo);
  }

  /** The stream, or undefined. */
  getLogStream(logGroupName: string, logStreamName: string): LogStreamInfo | undefined {
    const stream = this.groups.get(logGroupName)?.streams.get(logStreamName);
    return stream === undefined ? undefined : this.describeStream(logGroupName, stream);
  }

  /** The streams of a group sorted by name; empty when the group does not exist. */
  listLogStreams(logGroupName: string): LogStreamInfo[] {
    const group = this.groups.get(logGroupName);
    if (group === undefined) return [];
    return [...group.streams.values()].sort((a, b) => compareNames(a.name, b.name)).map((s) => this.describeStream(logGroupName, s));
  }

  /**
   * Writes events to a stream, creating the group and stream as needed. Each event gets an ingestion time (now plus
   * the ingestion delay) and is discarded when `shouldDrop` says so.
   */
  putLogEvents(logGroupName: string, logStreamName: string, events: readonly LogEventInput[]): PutLogEventsResult {
    checkGroupName(logGroupName, 'logGroupName');
    checkStreamName(logStreamName, 'logStreamName');
    if (!Array.isArray(events)) throw new InvalidInputError('events', 'must be an array of { timestamp, message }');
    events.forEach((e, i) => {
      if (typeof e !== 'object' || e === null) throw new InvalidInputError(`events[${i}]`, 'must be { timestamp, message }');
      if (!Number.isInteger(e.timestamp) || e.timestamp < 0) {
        throw new InvalidInputError(`events[${i}].timestamp`, `must be epoch milliseconds (an integer >= 0), got ${String(e.timestamp)}`);
      }
      if (typeof e.message !== 'string') throw new InvalidInputError(`events[${i}].message`, 'must be a string');
    });
    const stream = this.stream(logGroupName, logStreamName);
    const now = this.clock();
    let dropped = 0;
    for (const e of events) {
      if (this.shouldDrop?.(logGroupName, logStreamName, e) === true) {
        dropped++;
        continue;
      }
      const delay = typeof this.delay === 'function' ? this.delay(logGroupName, logStreamName, e) : this.delay;
      if (!Number.isFinite(delay) || delay < 0) {
        throw new InvalidInputError('options.ingestionDelayMs', `must return a finite number >= 0, got ${String(delay)}`);
      }
      const sequence = ++this.sequence;
      insertSorted(stream.events, {
        timestamp: e.timestamp,
        message: e.message,
        ingestionTime: now + Math.ceil(delay),
        // Digits like the service's event ids, unique because the sequence is.
        eventId: `${String(e.timestamp).padStart(16, '0')}${String(sequence).padStart(16, '0')}`,
        sequence,
      });
    }
    return { accepted: events.length - dropped, dropped };
  }

  /** The visible events of one stream, by (timestamp, sequence); empty when it does not exist. */
  streamEvents(logGroupName: string, logStreamName: string): StoredLogEvent[] {
    const stream = this.groups.get(logGroupName)?.streams.get(logStreamName);
    if (stream === undefined) return [];
    const now = this.clock();
    return stream.events.filter((e) => e.ingestionTime <= now);
  }

  /** The visible events of the selected groups and streams in a time range, by (timestamp, sequence) across streams. */
  visibleEvents(filter: VisibleEventsFilter = {}): LocatedLogEvent[] {
    const now = this.clock();
    const start = filter.startTime ?? Number.NEGATIVE_INFINITY;
    const end = filter.endTime ?? Number.POSITIVE_INFINITY;
    const streamNames = filter.logStreamNames === undefined ? undefined : new Set(filter.logStreamNames);
    const groupNames = filter.logGroupNames ?? [...this.groups.keys()];
    const out: LocatedLogEvent[] = [];
    for (const groupName of new Set(groupNames)) {
      const group = this.groups.get(groupName);
      if (group === undefined) continue;
      for (const stream of group.streams.values()) {
        if (streamNames !== undefined && !streamNames.has(stream.name)) continue;
        for (const e of stream.events) {
          if (e.ingestionTime <= now && e.timestamp >= start && e.timestamp <= end) {
            out.push({ ...e, logGroup: group.name, logStream: stream.name });
          }
        }
      }
    }
    return out.sort(compareEvents);
  }

  private group(logGroupName: string, create: boolean): GroupData | undefined {
    let group = this.groups.get(logGroupName);
    if (group === undefined && create) {
      checkGroupName(logGroupName, 'logGroupName');
      group = { name: logGroupName, creationTime: this.clock(), streams: new Map() };
      this.groups.set(logGroupName, group);
    }
    return group;
  }

  private stream(logGroupName: string, logStreamName: string): StreamData {
    const group = this.group(logGroupName, true) as GroupData;
    let stream = group.streams.get(logStreamName);
    if (stream === undefined) {
      checkStreamName(logStreamName, 'logStreamName');
      stream = { name: logStreamName, creationTime: this.clock(), events: [] };
      group.streams.set(logStreamName, stream);
    }
    return stream;
  }

  private describeStream(logGroupName: string, stream: StreamData): LogStreamInfo {
    const now = this.clock();
    let first: number | undefined;
    let last: number | undefined;
    let lastIngestion: number | undefined;
    let count = 0;
    for (const e of stream.events) {
      if (e.ingestionTime > now) continue;
      count++;
      first ??= e.timestamp;
      last = e.timestamp;
      lastIngestion = lastIngestion === undefined ? e.ingestionTime : Math.max(lastIngestion, e.ingestionTime);
    }
    return {
      logStreamName: stream.name,
      creationTime: stream.creationTime,
      ...(first === undefined ? {} : { firstEventTimestamp: first, lastEventTimestamp: last, lastIngestionTime: lastIngestion }),
      arn: `${this.logGroupArn(logGroupName)}:log-stream:${stream.name}`,
      eventCount: count,
    };
  }
}

/** Orders names by UTF-16 code units, as the service lists names (not by locale). */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Writes usually arrive in time order, so the search starts from the end.
function insertSorted(events: StoredLogEvent[], event: StoredLogEvent): void {
  let lo = 0;
  let hi = events.length;
  if (hi === 0 || compareEvents(events[hi - 1] as StoredLogEvent, event) <= 0) {
    events.push(event);
    return;
  }
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareEvents(events[mid] as StoredLogEvent, event) <= 0) lo = mid + 1;
    else hi = mid;
  }
  events.splice(lo, 0, event);
}
