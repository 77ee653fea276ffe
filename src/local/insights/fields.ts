/**
 * Values and fields of the query engine: system fields (`@timestamp`, `@message`, `@ptr` …), the fields Logs Insights
 * discovers in Lambda's text `START`/`END`/`REPORT` lines, JSON fields by dotted name, and how values are written in
 * GetQueryResults.
 *
 * @module
 */
import { parseReportLine } from '../../report/index.js';
import type { InsightsEngineEvent } from '../logs/service.js';

/** A point in time (`@timestamp`, `bin(5m)`), epoch milliseconds; written `YYYY-MM-DD HH:MM:SS.mmm` (UTC). */
export class TimeValue {
  constructor(readonly ms: number) {}
}

/** A value of a field or expression; `undefined` is a missing field (null). */
export type Value = string | number | boolean | TimeValue | undefined;

/**
 * Writes epoch milliseconds as GetQueryResults writes `@timestamp`: `YYYY-MM-DD HH:MM:SS.mmm`, UTC.
 *
 * @example
 * ```ts
 * formatInsightsTimestamp(Date.UTC(2026, 10, 24, 10, 5, 0, 7)); // '2026-11-24 10:05:00.007'
 * ```
 */
export function formatInsightsTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

/**
 * Writes a number as Java's `Double.toString` does, which is how GetQueryResults writes Lambda's discovered numeric
 * fields (lambda-facts §4: `@duration` "5.93", `@billedDuration` "6.0", `@memorySize` "1.28E8"): plain decimals with
 * at least one fraction digit from 10⁻³ up to 10⁷, otherwise `<mantissa>E<exponent>`, with the shortest digits that
 * read back to the same double.
 *
 * @example
 * ```ts
 * formatJavaDouble(6);      // '6.0'
 * formatJavaDouble(67e6);   // '6.7E7'
 * formatJavaDouble(5.93);   // '5.93'
 * ```
 */
export function formatJavaDouble(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(n);
  if (abs >= 1e-3 && abs < 1e7) {
    // JavaScript writes every number in this range without an exponent.
    const s = String(n);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa = '', exponent = ''] = n.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.replace('+', '')}`;
}

const NUMERIC = /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$/;

/** The number a value stands for: numbers, booleans (1/0), times (epoch ms) and strings that read as numbers. */
export function toNumber(v: Value): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof TimeValue) return v.ms;
  if (typeof v === 'string' && NUMERIC.test(v)) return Number(v);
  return undefined;
}

/** How a value is written in a result cell; `undefined` leaves the cell out, as GetQueryResults omits null fields. */
export function renderValue(v: Value): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (v instanceof TimeValue) return formatInsightsTimestamp(v.ms);
  return Number.isFinite(v) ? String(v) : undefined;
}

/** Whether a filter keeps a record for this value. */
export function truthy(v: Value): boolean {
  if (v === undefined) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v.length > 0;
  return true;
}

const LAMBDA_GROUP_PREFIX = '/aws/lambda/';
const PLATFORM_LINE = /^(START|END|REPORT) RequestId: (\S+)/;

/**
 * The fields Logs Insights discovers in a Lambda log group's text platform line: `@type` and `@requestId` on `START`,
 * `END` and `REPORT`, plus on `REPORT` `@duration`, `@billedDuration`, `@initDuration` (cold starts),
 * `@maxMemoryUsed` and `@memorySize` (bytes = MB × 1,000,000) and `@xrayTraceId`/`@xraySegmentId`, all written as
 * the service writes them (lambda-facts §4). JSON-format `platform.*` events get none: their discovery is not
 * documented (lambda-facts §8).
 *
 * @example
 * ```ts
 * discoverLambdaFields('REPORT RequestId: 1\tDuration: 5.93 ms\tBilled Duration: 6 ms\tMemory Size: 128 MB\tMax Memory Used: 67 MB\t');
 * // Map { '@type' => 'REPORT', '@requestId' => '1', '@duration' => '5.93', '@billedDuration' => '6.0', '@memorySize' => '1.28E8', … }
 * ```
 */
export function discoverLambdaFields(message: string): Map<string, string> | undefined {
  const line = PLATFORM_LINE.exec(message);
  if (line === null) return undefined;
  const fields = new Map<string, string>([
    ['@type', line[1] as string],
    ['@requestId', line[2] as string],
  ]);
  if (line[1] !== 'REPORT') return fields;
  const report = parseReportLine(message);
  if (report === undefined || report.format !== 'text') return fields;
  fields.set('@duration', formatJavaDouble(report.durationMs));
  fields.set('@billedDuration', formatJavaDouble(report.billedDurationMs));
  if (report.initDurationMs !== undefined) fields.set('@initDuration', formatJavaDouble(report.initDurationMs));
  fields.set('@maxMemoryUsed', formatJavaDouble(report.maxMemoryUsedMB * 1_000_000));
  fields.set('@memorySize', formatJavaDouble(report.memorySizeMB * 1_000_000));
  if (report.xray !== undefined) {
    fields.set('@xrayTraceId', report.xray.traceId);
    if (report.xray.segmentId !== undefined) fields.set('@xraySegmentId', report.xray.segmentId);
  }
  return fields;
}

/**
 * The fields of a JSON message by dotted path (`record.metrics.durationMs`, `spans.0.name`), as Logs Insights
 * flattens JSON log events. Strings stay strings, numbers stay numbers, booleans become "true"/"false"; nulls are left
 * out. `undefined` when the message is not a JSON object.
 *
 * @example
 * ```ts
 * flattenJsonMessage('{"type":"platform.report","record":{"metrics":{"durationMs":5.93}}}')?.get('record.metrics.durationMs'); // 5.93
 * ```
 */
export function flattenJsonMessage(message: string): Map<string, string | number> | undefined {
  const text = message.trim();
  if (!text.startsWith('{')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const out = new Map<string, string | number>();
  const walk = (v: unknown, path: string): void => {
    if (typeof v === 'string' || typeof v === 'number') out.set(path, v);
    else if (typeof v === 'boolean') out.set(path, String(v));
    else if (Array.isArray(v)) v.forEach((item, i) => walk(item, `${path}.${i}`));
    else if (typeof v === 'object' && v !== null) {
      for (const [k, item] of Object.entries(v)) walk(item, path === '' ? k : `${path}.${k}`);
    }
  };
  walk(value, '');
  return out;
}

/** What a record needs from the query run. */
export interface RecordContext {
  readonly accountId: string;
}

/**
 * One row flowing through the query: a log event with its system, discovered and JSON fields read on demand, plus the
 * fields `parse`, `fields` and `stats` set; or, after `stats`, one result row with only set fields.
 */
export class QueryRecord {
  private own: Map<string, Value> | undefined;
  private lambda: Map<string, string> | null | undefined;
  private json: Map<string, string | number> | null | undefined;

  constructor(
    readonly event: InsightsEngineEvent | undefined,
    /** A key unique within the run, for `@ptr`. */
    private readonly ptrKey: string,
    private readonly context: RecordContext,
  ) {}

  /** A row that holds only the given fields (a `stats` result). */
  static row(fields: Map<string, Value>, context: RecordContext): QueryRecord {
    const r = new QueryRecord(undefined, '', context);
    r.own = fields;
    return r;
  }

  /** The record's time, for `earliest`/`latest`; undefined for result rows. */
  get timestamp(): number | undefined {
    return this.event?.timestamp;
  }

  set(name: string, value: Value): void {
    (this.own ??= new Map()).set(name, value);
  }

  get(name: string): Value {
    if (this.own?.has(name) === true) return this.own.get(name);
    const e = this.event;
    if (e === undefined) return undefined;
    switch (name) {
      case '@message':
        return e.message;
      case '@timestamp':
        return new TimeValue(e.timestamp);
      case '@ingestionTime':
        return e.ingestionTime === undefined ? undefined : new TimeValue(e.ingestionTime);
      case '@logStream':
        return e.logStream;
      case '@log': {
        const account = (e as { accountId?: unknown }).accountId;
        return `${typeof account === 'string' ? account : this.context.accountId}:${e.logGroup}`;
      }
      case '@ptr':
        return Buffer.from(this.ptrKey, 'utf8').toString('base64');
      default:
        break;
    }
    if (name.startsWith('@')) {
      if (this.lambda === undefined) {
        this.lambda = e.logGroup.startsWith(LAMBDA_GROUP_PREFIX) ? (discoverLambdaFields(e.message) ?? null) : null;
      }
      return this.lambda?.get(name);
    }
    if (this.json === undefined) this.json = flattenJsonMessage(e.message) ?? null;
    return this.json?.get(name);
  }
}
