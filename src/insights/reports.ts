import { InvalidInputError } from '../errors.js';
import { throwIfAborted } from '../internal/abort.js';
import type { LogsClientLike, SdkClientLike } from '../internal/clients.js';
import { loadLogsSdk } from '../internal/peer.js';
import { TaskPool } from '../internal/pool.js';
import type { TaskOutcome } from '../internal/pool.js';
import { toEpochMs } from '../internal/time.js';
import { checkClient } from '../internal/validate.js';
import { parseReportLine } from '../report/index.js';
import { MAX_ROWS_PER_PAGE, MAX_ROWS_PER_QUERY, OPERATIONS, executeQuery, insightsSeconds, resolveQuerySettings } from './query.js';
import type { QueryCommands, QuerySettings } from './query.js';
import type { InsightsReportRecord, InsightsResult, QueryReportsInput, QueryReportsOptions, ReportWindowEvent } from './types.js';

/** Most windows `queryReports` runs at once. */
export const MAX_REPORT_CONCURRENCY = 30;

// Lambda function names: letters, digits, hyphens and underscores, 1 to 64 characters.
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The base query. `@type = "REPORT"` finds text-format REPORTs in Lambda log groups; the `@message` patterns also
 * catch text REPORTs where `@type` is not discovered and JSON-format (`LogFormat: JSON`) `platform.report` events,
 * whose discovered fields are not documented (lambda-facts §4, §8).
 */
export const REPORTS_FILTER =
  String.raw`filter @type = "REPORT" or @message like /^REPORT RequestId:/ or @message like /"type"\s*:\s*"platform\.report"/`;

// Where the request id sits in either message format: `REPORT RequestId: <id>` or `"requestId":"<id>"`.
const REQUEST_ID_AT = String.raw`(RequestId: |"requestId"\s*:\s*")`;

/*
 * Request-id classes. A window that is still full when it is one second long is split by the character of the
 * request id at one position: 16 hex digits, `-`, and "anything else" form 18 atoms, so any contiguous range of atoms
 * is a class and the halves of a class partition it. A class of one hex digit or `-` fixes that character and moves
 * to the next position; the "anything else" atom cannot be split further.
 */
const HEX = '0123456789abcdef';
const DASH_ATOM = 16;
const OTHER_ATOM = 17;
const ALL_ATOMS = { lo: 0, hi: OTHER_ATOM } as const;
// Request ids are UUIDs (36 characters); stop well beyond that.
const MAX_FIXED = 64;

interface IdClass {
  /** Characters already fixed, in order. */
  readonly fixed: string;
  readonly lo: number;
  readonly hi: number;
}

interface Window {
  readonly startSec: number;
  readonly endSec: number;
  readonly idClass: IdClass | undefined;
}

function atomChars(atom: number): string {
  if (atom === DASH_ATOM) return '\\-';
  const c = HEX[atom] as string;
  return c >= 'a' ? c + c.toUpperCase() : c;
}

function classPattern(lo: number, hi: number): string {
  const inRange = (a: number): boolean => a >= lo && a <= hi;
  const atoms = Array.from({ length: OTHER_ATOM + 1 }, (_, a) => a);
  if (inRange(OTHER_ATOM)) {
    const excluded = atoms.filter((a) => a !== OTHER_ATOM && !inRange(a));
    return excluded.length === 0 ? '.' : `[^${excluded.map(atomChars).join('')}]`;
  }
  return `[${atoms.filter(inRange).map(atomChars).join('')}]`;
}

function fixedPattern(fixed: string): string {
  return [...fixed].map((c) => (c === '-' ? '-' : /[a-f]/.test(c) ? `[${c}${c.toUpperCase()}]` : c)).join('');
}

function describeClass(c: IdClass): string {
  const name = (a: number): string => (a === DASH_ATOM ? '-' : a === OTHER_ATOM ? 'other' : (HEX[a] as string));
  const range = c.lo === c.hi ? name(c.lo) : `${name(c.lo)}..${name(c.hi)}`;
  return c.fixed === '' ? range : `${c.fixed} + ${range}`;
}

/** The query for one window: the REPORT filter, an optional request-id class, oldest first, `limit` rows. */
export function reportsQuery(idClass: IdClass | undefined, limit: number): string {
  const lines = ['fields @timestamp, @message, @logStream, @requestId', `| ${REPORTS_FILTER}`];
  if (idClass !== undefined) {
    lines.push(`| filter @message like /${REQUEST_ID_AT}${fixedPattern(idClass.fixed)}${classPattern(idClass.lo, idClass.hi)}/`);
  }
  lines.push('| sort @timestamp asc', `| limit ${limit}`);
  return lines.join('\n');
}

function halves(c: IdClass): IdClass[] {
  const mid = Math.floor((c.lo + c.hi) / 2);
  return [
    { fixed: c.fixed, lo: c.lo, hi: mid },
    { fixed: c.fixed, lo: mid + 1, hi: c.hi },
  ];
}

/** The parts a full window is queried in next, earliest first; empty when it cannot be split. */
export function splitWindow(w: Window): Window[] {
  if (w.startSec < w.endSec) {
    // Insights ranges are whole seconds, inclusive at both ends: [s, m] and [m + 1, e] share no second.
    const mid = Math.floor((w.startSec + w.endSec) / 2);
    return [
      { startSec: w.startSec, endSec: mid, idClass: w.idClass },
      { startSec: mid + 1, endSec: w.endSec, idClass: w.idClass },
    ];
  }
  const c = w.idClass ?? { fixed: '', ...ALL_ATOMS };
  let parts: IdClass[];
  if (c.lo < c.hi) parts = halves(c);
  else if (c.lo === OTHER_ATOM || c.fixed.length >= MAX_FIXED) parts = [];
  else parts = halves({ fixed: c.fixed + (c.lo === DASH_ATOM ? '-' : (HEX[c.lo] as string)), ...ALL_ATOMS });
  return parts.map((idClass) => ({ startSec: w.startSec, endSec: w.endSec, idClass }));
}

/** Parses an Insights `@timestamp` (`2024-05-20 10:11:12.123`, UTC) to epoch milliseconds. */
export function parseInsightsTimestamp(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const iso = value.includes('T') ? value : value.replace(' ', 'T');
  const ms = Date.parse(/(Z|[+-]\d\d:?\d\d)$/.test(iso) ? iso : `${iso}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

interface WindowOutcome {
  readonly window: Window;
  readonly result: InsightsResult;
}

interface Plan {
  readonly logGroupName: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly root: Window;
  readonly concurrency: number;
  readonly windowLimit: number;
  readonly settings: QuerySettings;
  readonly options: QueryReportsOptions;
}

function plan(input: QueryReportsInput, options: QueryReportsOptions, operation: string): Plan {
  if (typeof input !== 'object' || input === null) throw new InvalidInputError('input', 'must be an object');
  const { functionName, logGroupName } = input;
  if ((functionName === undefined) === (logGroupName === undefined)) {
    throw new InvalidInputError('input.functionName', 'give exactly one of functionName or logGroupName');
  }
  if (functionName !== undefined && (typeof functionName !== 'string' || !FUNCTION_NAME.test(functionName))) {
    throw new InvalidInputError('input.functionName', `must be a function name of 1-64 letters, digits, hyphens or underscores, got ${String(functionName)}`);
  }
  if (logGroupName !== undefined && (typeof logGroupName !== 'string' || logGroupName === '' || logGroupName.endsWith('*'))) {
    throw new InvalidInputError('input.logGroupName', `must be a log group name, got ${String(logGroupName)}`);
  }
  const startMs = toEpochMs(input.startTime, 'input.startTime');
  const endMs = toEpochMs(input.endTime, 'input.endTime');
  if (endMs <= startMs) throw new InvalidInputError('input.endTime', 'must be after input.startTime (the end is exclusive)');
  const settings = resolveQuerySettings(options, operation);
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_REPORT_CONCURRENCY) {
    throw new InvalidInputError('options.concurrency', `must be an integer from 1 to ${MAX_REPORT_CONCURRENCY}, got ${String(concurrency)}`);
  }
  const windowLimit = options.windowLimit ?? MAX_ROWS_PER_PAGE;
  if (!Number.isInteger(windowLimit) || windowLimit < 1 || windowLimit > MAX_ROWS_PER_QUERY) {
    throw new InvalidInputError('options.windowLimit', `must be an integer from 1 to ${MAX_ROWS_PER_QUERY}, got ${String(windowLimit)}`);
  }
  return {
    logGroupName: logGroupName ?? `/aws/lambda/${functionName as string}`,
    startMs,
    endMs,
    // The last whole second holding a millisecond before the exclusive end.
    root: { ...insightsSeconds(startMs, endMs), idClass: undefined },
    concurrency,
    windowLimit,
    settings,
    options,
  };
}

function toRecords(result: InsightsResult, p: Plan): { records: InsightsReportRecord[]; unparsed: number } {
  const records: InsightsReportRecord[] = [];
  const seen = new Set<string>();
  let unparsed = 0;
  for (const row of result.rows) {
    const ms = parseInsightsTimestamp(row['@timestamp']);
    // Seconds were widened to cover the range; drop what lies outside the exact milliseconds.
    if (ms !== undefined && (ms < p.startMs || ms >= p.endMs)) continue;
    const message = row['@message'];
    const report = message === undefined ? undefined : parseReportLine(message);
    if (report === undefined) {
      unparsed++;
      continue;
    }
    const logStream = row['@logStream'];
    // The same event twice in one result (it is never in two windows: they share no second or request-id class).
    const key = `${report.requestId}\u0000${row['@timestamp'] ?? ''}\u0000${logStream ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    records.push({
      ...report,
      ...(ms === undefined ? {} : { timestamp: ms }),
      ...(logStream === undefined ? {} : { logStream }),
    });
  }
  return { records, unparsed };
}

/**
 * Yields every REPORT of a function (or log group) in `[startTime, endTime)` as windows complete, reading text-format
 * `REPORT` lines and JSON-format `platform.report` events with the report module.
 *
 * It is complete: Logs Insights returns at most `windowLimit` rows per query, so a window that comes back full is
 * split in two by whole seconds ([s, m] and [m + 1, e], Insights ranges being inclusive whole seconds), and a single
 * second that is still full is split by the request id's characters (`filter @message like /RequestId: [0-8]/` …).
 * Windows never overlap, so no REPORT is returned twice, and every REPORT in the range is returned. With
 * `concurrency` 1 the records come oldest first.
 *
 * @example
 * ```ts
 * import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
 * import { iterateReports } from 'lambda-meter/insights';
 *
 * for await (const r of iterateReports(new CloudWatchLogsClient({}), { functionName: 'resize', startTime: Date.now() - 3_600_000, endTime: Date.now() })) {
 *   if (r.coldStart) console.log(r.timestamp, r.initDurationMs);
 * }
 * ```
 */
export function iterateReports<C extends SdkClientLike>(
  client: LogsClientLike<C>,
  input: QueryReportsInput,
  options: QueryReportsOptions = {},
): AsyncGenerator<InsightsReportRecord, void, undefined> {
  return reportsOf(client, input, options, 'iterateReports');
}

async function* reportsOf(
  client: SdkClientLike,
  input: QueryReportsInput,
  options: QueryReportsOptions,
  operation: string,
): AsyncGenerator<InsightsReportRecord, void, undefined> {
  checkClient(client, 'client', 'CloudWatchLogsClient');
  const p = plan(input, options, operation);
  throwIfAborted(p.settings.signal, OPERATIONS.start);
  const commands: QueryCommands = await loadLogsSdk('iterateReports');

  // Stops the queries still running when the consumer stops early or one window fails.
  const local = new AbortController();
  const onAbort = (): void => local.abort(p.settings.signal?.reason);
  p.settings.signal?.addEventListener('abort', onAbort, { once: true });
  if (p.settings.signal?.aborted) onAbort();
  const windowSettings: QuerySettings = { ...p.settings, signal: local.signal };

  const pending: Window[] = [p.root];
  const pool = new TaskPool<WindowOutcome>(p.concurrency);
  const start = (window: Window): void => {
    const request = {
      logGroupNames: [p.logGroupName],
      queryString: reportsQuery(window.idClass, p.windowLimit),
      startTime: window.startSec,
      endTime: window.endSec,
      limit: p.windowLimit,
    };
    pool.start(() => executeQuery(client, commands, request, windowSettings).then((result) => ({ window, result })));
  };

  try {
    while (pending.length > 0 || pool.size > 0) {
      // A stack: the earlier half is on top, so with concurrency 1 windows run oldest first.
      while (!pool.full && pending.length > 0) start(pending.pop() as Window);
      const outcome = (await pool.next()) as TaskOutcome<WindowOutcome>;
      if (!outcome.ok) throw outcome.error;
      const { window, result } = outcome.value;
      const full = result.rows.length >= p.windowLimit;
      const parts = full ? splitWindow(window) : [];
      const event = (outcome: ReportWindowEvent['outcome'], records: number, unparsed: number): ReportWindowEvent => ({
        queryId: result.queryId,
        startTime: window.startSec * 1000,
        endTime: window.endSec * 1000,
        requestIdFilter: window.idClass === undefined ? undefined : describeClass(window.idClass),
        rows: result.rows.length,
        outcome,
        records,
        unparsed,
        statistics: result.statistics,
      });
      if (parts.length > 0) {
        p.options.onWindow?.(event('split', 0, 0));
        pending.push(...parts.reverse());
        continue;
      }
      const { records, unparsed } = toRecords(result, p);
      p.options.onWindow?.(event(full ? 'truncated' : 'done', records.length, unparsed));
      for (const record of records) yield record;
    }
  } finally {
    local.abort(new Error('iterateReports finished'));
    await pool.drain();
    p.settings.signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * Collects {@link iterateReports}: every REPORT of a function (or log group) in `[startTime, endTime)`, complete
 * however many there are.
 *
 * @example
 * ```ts
 * import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
 * import { queryReports } from 'lambda-meter/insights';
 *
 * const reports = await queryReports(new CloudWatchLogsClient({}), { functionName: 'resize', startTime: Date.parse('2026-03-09'), endTime: Date.parse('2026-03-10') });
 * console.log(reports.length, reports.filter((r) => r.coldStart).length);
 * ```
 */
export async function queryReports<C extends SdkClientLike>(
  client: LogsClientLike<C>,
  input: QueryReportsInput,
  options: QueryReportsOptions = {},
): Promise<InsightsReportRecord[]> {
  const out: InsightsReportRecord[] = [];
  for await (const record of reportsOf(client, input, options, 'queryReports')) out.push(record);
  return out;
}
