/**
 * Readers for text-format platform lines: the REPORT scanner (the hot path) and the other keyword lines.
 *
 * A REPORT line in Lambda's own layout is first offered to the fast path in `fast.ts`, which reads it and gives the
 * very same record, or declines it; the general scanner here reads every other line (and gives every reason a line
 * cannot be read).
 *
 * Fields are matched by key, never by position: AWS's custom-runtime doc shows `Init Duration` before `Duration`
 * [AWSDOCS runtimes-custom.md]. Any run of spaces and TABs separates fields, since console, CLI and `sam logs` copies
 * turn TABs into spaces [DOCWHO] and 2018-era lines put a space before the TAB (`100 ms \tMemory Size`) [AWSDOCS
 * services-cloudwatchlogs.md].
 *
 * @module
 */

import type {
  EndEvent,
  ExtensionEvent,
  InitReportEvent,
  InitStartEvent,
  LogsSubscriptionEvent,
  RestoreReportEvent,
  RestoreStartEvent,
  RuntimeExitEvent,
  StartEvent,
  TelemetrySubscriptionEvent,
  TimeoutEvent,
  XrayEvent,
} from './events.js';
import {
  CR,
  LF,
  SPACE,
  TAB,
  cursor,
  idEnd,
  keyColon,
  matches,
  readMeasure,
  readNumber,
  readToken,
  readXray,
  skipBlanks,
  toStatus,
  tokenEnd,
  type Writable,
} from './scan.js';
import { readCanonicalLine } from './fast.js';
import type { ReportRecord, ReportStatus, XrayInfo } from './types.js';

/** A ReportRecord while it is being built (parseLog still corrects its status and attaches X-Ray). */
export type MutableReport = Writable<ReportRecord>;

/** The text that opens a REPORT line. */
const REPORT_MARK = 'REPORT RequestId:';
const REQUEST_ID = 'RequestId:';
/** Where the keyword of a line that opens with `REPORT` ends. */
const REPORT_KEYWORD_END = 'REPORT'.length;
const XRAY_MARK = 'XRAY TraceId:';
/** Longest REPORT key, `Billed Restore Duration`. */
const MAX_KEY = 23;

/** True for a letter, digit or `_`: a keyword preceded by one is part of a longer word (`INIT_REPORT`, `xREPORT`). */
function isWordChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

/**
 * Where `REPORT RequestId:` starts in `s`: at the start, or after a prefix (a `sam logs` stream and timestamp, an
 * export's timestamp, a Logs Insights `@message=`), or on a later line of the same text. -1 when absent.
 */
export function findReport(s: string): number {
  if (matches(s, 0, REPORT_MARK)) return 0;
  let at = s.indexOf(REPORT_MARK);
  while (at > 0 && isWordChar(s.charCodeAt(at - 1))) at = s.indexOf(REPORT_MARK, at + 1);
  return at;
}

const COLON = 58;
// Letters of the REPORT keys, for the key tests below.
const LOWER_A = 97;
const LOWER_D = 100;
const LOWER_E = 101;
const LOWER_I = 105;
const LOWER_N = 110;
const LOWER_U = 117;
const UPPER_B = 66;
const UPPER_D = 68;
const UPPER_E = 69;
const UPPER_I = 73;
const UPPER_M = 77;
const UPPER_R = 82;
const UPPER_S = 83;
const UPPER_X = 88;

/**
 * Tests for one of the five common REPORT keys at `at` by its shape: first letter (tested by the caller), second
 * letter, last letter and the colon right after it. Among the keys Lambda prints, every shape is unique, and a full
 * compare of every key cost this path a third of its time. Rare keys are compared in full with `matches`.
 */
function isKey(s: string, at: number, second: number, last: number, length: number): boolean {
  return s.charCodeAt(at + length) === COLON && s.charCodeAt(at + 1) === second && s.charCodeAt(at + length - 1) === last;
}

/**
 * Reads a text REPORT whose keyword `REPORT` ends at `from` (`requestIdChecked`: the caller has seen ` RequestId:`
 * follow it). Returns the record, or the reason it cannot be read.
 * An XRAY part is read when it follows on the same line or on the next line of the same event (`\t\nXRAY …`).
 */
export function scanReport(s: string, from: number, requestIdChecked = false): MutableReport | string {
  // A line that opens with REPORT in Lambda's own layout takes the fast path; anything it declines is read below.
  if (from === REPORT_KEYWORD_END) {
    const fast = readCanonicalLine(s);
    if (fast !== undefined) return fast;
  }
  return scanReportGeneral(s, from, requestIdChecked);
}

/**
 * The general REPORT reader behind `scanReport`: any field order, any spacing, unknown keys, an X-Ray part. Exported
 * for the tests that check the fast path against it.
 *
 * @internal
 */
export function scanReportGeneral(s: string, from: number, requestIdChecked = false): MutableReport | string {
  const len = s.length;
  let i = skipBlanks(s, from);
  if (!requestIdChecked && !matches(s, i, REQUEST_ID)) return 'REPORT line has no RequestId';
  i = skipBlanks(s, i + REQUEST_ID.length);
  const end = idEnd(s, i);
  if (end === i) return 'REPORT line has an empty RequestId';
  const requestId = s.slice(i, end);
  i = end;

  let durationMs = Number.NaN;
  let billedDurationMs = Number.NaN;
  let memorySizeMB = Number.NaN;
  let maxMemoryUsedMB = Number.NaN;
  let initDurationMs = Number.NaN;
  let restoreDurationMs = Number.NaN;
  let billedRestoreDurationMs = Number.NaN;
  let status: ReportStatus = 'success';
  let errorType: string | undefined;
  let xray: XrayInfo | undefined;

  while (i < len) {
    const c = s.charCodeAt(i);
    if (c === SPACE || c === TAB) {
      i++;
      continue;
    }
    if (c === LF || c === CR) {
      // Lambda writes the XRAY line into the REPORT's own event, after `\t\n` [DD-FWD cloudwatch_logs.json].
      let k = i + 1;
      while (k < len && s.charCodeAt(k) <= SPACE) k++;
      if (matches(s, k, XRAY_MARK)) xray = readXray(s, k + 5);
      break;
    }
    // Dispatch on the key's first letter, then test the rest of the key.
    let value = 0;
    let name = '';
    if (c === UPPER_D && isKey(s, i, LOWER_U, LOWER_N, 8)) {
      value = durationMs = readMeasure(s, i + 9);
      name = 'Duration';
    } else if (c === UPPER_B && isKey(s, i, LOWER_I, LOWER_N, 15)) {
      value = billedDurationMs = readMeasure(s, i + 16);
      name = 'Billed Duration';
    } else if (c === UPPER_M && isKey(s, i, LOWER_E, LOWER_E, 11)) {
      value = memorySizeMB = readMeasure(s, i + 12);
      name = 'Memory Size';
    } else if (c === UPPER_M && isKey(s, i, LOWER_A, LOWER_D, 15)) {
      value = maxMemoryUsedMB = readMeasure(s, i + 16);
      name = 'Max Memory Used';
    } else if (c === UPPER_I && isKey(s, i, LOWER_N, LOWER_N, 13)) {
      value = initDurationMs = readMeasure(s, i + 14);
      name = 'Init Duration';
    } else if (c === UPPER_R && matches(s, i, 'Restore Duration:')) {
      value = restoreDurationMs = readMeasure(s, i + 17);
      name = 'Restore Duration';
    } else if (c === UPPER_B && matches(s, i, 'Billed Restore Duration:')) {
      value = billedRestoreDurationMs = readMeasure(s, i + 24);
      name = 'Billed Restore Duration';
    } else if (c === UPPER_S && matches(s, i, 'Status:')) {
      const word = readToken(s, i + 7);
      const read = toStatus(word);
      if (read === undefined) return `REPORT line has an unknown Status ${JSON.stringify(word)}`;
      status = read;
      i = cursor;
      continue;
    } else if (c === UPPER_E && matches(s, i, 'Error Type:')) {
      const word = readToken(s, i + 11);
      if (word === '') return 'REPORT line has an empty Error Type';
      errorType = word;
      i = cursor;
      continue;
    } else if (c === UPPER_X && matches(s, i, XRAY_MARK)) {
      // Some AWS docs print the X-Ray fields on the REPORT line itself [AWSDOCS nodejs-logging.md].
      xray = readXray(s, i + 5);
      i = cursor;
      continue;
    } else {
      const colon = keyColon(s, i, MAX_KEY);
      // A key this version does not know: skip its value and unit. Not a key (a stray word): skip the word.
      // Always move on: a control character other than TAB, LF or CR ends no token and starts none.
      i = Math.max(colon < 0 ? tokenEnd(s, i) : skipUnknownValue(s, colon + 1), i + 1);
      continue;
    }
    if (Number.isNaN(value)) return `REPORT line has an unreadable ${name}`;
    i = cursor;
  }

  if (Number.isNaN(durationMs)) return 'REPORT line has no Duration';
  if (Number.isNaN(billedDurationMs)) return 'REPORT line has no Billed Duration';
  if (Number.isNaN(memorySizeMB)) return 'REPORT line has no Memory Size';
  if (Number.isNaN(maxMemoryUsedMB)) return 'REPORT line has no Max Memory Used';

  const hasInit = !Number.isNaN(initDurationMs);
  const hasRestore = !Number.isNaN(restoreDurationMs);
  const record: MutableReport = {
    requestId,
    durationMs,
    billedDurationMs,
    memorySizeMB,
    maxMemoryUsedMB,
    status,
    coldStart: hasInit || hasRestore,
    format: 'text',
  };
  if (hasInit) record.initDurationMs = initDurationMs;
  if (hasRestore) record.restoreDurationMs = restoreDurationMs;
  if (!Number.isNaN(billedRestoreDurationMs)) record.billedRestoreDurationMs = billedRestoreDurationMs;
  if (errorType !== undefined) record.errorType = errorType;
  if (xray !== undefined) record.xray = xray;
  return record;
}

/** Skips an unknown field's value: to the next TAB when there is one on the line, else one token and a unit. */
function skipUnknownValue(s: string, i: number): number {
  const len = s.length;
  for (let j = i; j < len; j++) {
    const c = s.charCodeAt(j);
    if (c === TAB) return j;
    if (c === LF || c === CR) return j;
  }
  let j = tokenEnd(s, skipBlanks(s, i));
  const unitStart = skipBlanks(s, j);
  const unitEnd = tokenEnd(s, unitStart);
  const unit = s.slice(unitStart, unitEnd);
  if (unit === 'ms' || unit === 'MB' || unit === 's') j = unitEnd;
  return j;
}

// ---------------------------------------------------------------------------------------------------------------
// The other keyword lines. These are rare (a few per invocation), so clarity wins over speed here.

/** Keywords that open a text platform line, and the event each one becomes. */
export const TEXT_KEYWORDS = {
  REPORT: 'report',
  START: 'start',
  END: 'end',
  INIT_START: 'initStart',
  INIT_REPORT: 'initReport',
  RESTORE_START: 'restoreStart',
  RESTORE_REPORT: 'restoreReport',
  XRAY: 'xray',
  EXTENSION: 'extension',
  TELEMETRY: 'telemetrySubscription',
  LOGS: 'logsSubscription',
} as const;

/** A keyword of `TEXT_KEYWORDS`. */
export type TextKeyword = keyof typeof TEXT_KEYWORDS;

/** A non-REPORT text event before `lineNumber`, `format` and `prefix` are added. */
export type TextEventBody =
  | Omit<StartEvent, 'format' | 'lineNumber'>
  | Omit<EndEvent, 'format' | 'lineNumber'>
  | Omit<InitStartEvent, 'format' | 'lineNumber'>
  | Omit<InitReportEvent, 'format' | 'lineNumber'>
  | Omit<RestoreStartEvent, 'format' | 'lineNumber'>
  | Omit<RestoreReportEvent, 'format' | 'lineNumber'>
  | Omit<XrayEvent, 'format' | 'lineNumber'>
  | Omit<ExtensionEvent, 'format' | 'lineNumber'>
  | Omit<TelemetrySubscriptionEvent, 'format' | 'lineNumber'>
  | Omit<LogsSubscriptionEvent, 'format' | 'lineNumber'>;

/**
 * Finds each of `keys` (written with their colon, e.g. `Runtime Version:`) after `from`, at a field boundary, and
 * returns the text between each key and the next one found, trimmed. Values may hold spaces and colons
 * (`Runtime Version ARN: arn:aws:lambda:…`, `Events: [INVOKE, SHUTDOWN]`), so they end where the next key begins.
 */
function readFields(s: string, from: number, keys: readonly string[]): (string | undefined)[] {
  const found: { at: number; key: number }[] = [];
  keys.forEach((k, index) => {
    let at = s.indexOf(k, from);
    while (at > from && s.charCodeAt(at - 1) > SPACE) at = s.indexOf(k, at + 1);
    if (at >= 0) found.push({ at, key: index });
  });
  found.sort((a, b) => a.at - b.at);
  const values: (string | undefined)[] = keys.map(() => undefined);
  found.forEach((f, n) => {
    const end = n + 1 < found.length ? (found[n + 1] as { at: number }).at : s.length;
    values[f.key] = s.slice(f.at + (keys[f.key] as string).length, end).trim();
  });
  return values;
}

/** Reads `123.45 ms` (the whole of a field value). NaN unless the value is a number with an optional unit. */
function measureValue(value: string | undefined): number {
  if (value === undefined) return Number.NaN;
  const n = readNumber(value, 0);
  const rest = value.slice(cursor).trim();
  return rest === '' || rest === 'ms' || rest === 'MB' ? n : Number.NaN;
}

/** `[INVOKE, SHUTDOWN]`, `[INVOKE,SHUTDOWN]`, `[]` → the names. */
function listValue(value: string | undefined): string[] {
  if (value === undefined) return [];
  const inner = value.startsWith('[') ? value.slice(1, value.endsWith(']') ? -1 : undefined) : value;
  return inner.split(/[\s,]+/).filter((name) => name !== '');
}

/** Copies `body` without its undefined fields, so optional fields are absent rather than undefined. */
export function withoutUndefined<const T extends object>(body: T): T {
  for (const key of Object.keys(body) as (keyof T)[]) if (body[key] === undefined) delete body[key];
  return body;
}

/**
 * Reads a non-REPORT keyword line whose keyword ends at `from`. Returns the event body, or why it cannot be read.
 */
export function readTextEvent(keyword: Exclude<TextKeyword, 'REPORT'>, s: string, from: number): TextEventBody | string {
  switch (keyword) {
    case 'START': {
      const [requestId, version] = readFields(s, from, ['RequestId:', 'Version:']);
      if (requestId === undefined || requestId === '') return 'START line has no RequestId';
      // 2014-era START lines have no Version [GIST-Q].
      return withoutUndefined({ type: 'start', requestId: firstToken(requestId), version: version || undefined });
    }
    case 'END': {
      const [requestId] = readFields(s, from, ['RequestId:']);
      if (requestId === undefined || requestId === '') return 'END line has no RequestId';
      return { type: 'end', requestId: firstToken(requestId) };
    }
    case 'INIT_START':
    case 'RESTORE_START': {
      const [runtimeVersion, runtimeVersionArn] = readFields(s, from, ['Runtime Version:', 'Runtime Version ARN:']);
      if (runtimeVersion === undefined || runtimeVersion === '') return `${keyword} line has no Runtime Version`;
      return withoutUndefined({
        type: keyword === 'INIT_START' ? 'initStart' : 'restoreStart',
        runtimeVersion,
        runtimeVersionArn: runtimeVersionArn || undefined,
      });
    }
    case 'INIT_REPORT': {
      const [duration, phase, status, errorType] = readFields(s, from, ['Init Duration:', 'Phase:', 'Status:', 'Error Type:']);
      const durationMs = measureValue(duration);
      if (Number.isNaN(durationMs)) return 'INIT_REPORT line has no readable Init Duration';
      const read = status === undefined ? undefined : toStatus(status);
      if (status !== undefined && read === undefined) return `INIT_REPORT line has an unknown Status ${JSON.stringify(status)}`;
      return withoutUndefined({ type: 'initReport', durationMs, phase: phase || undefined, status: read, errorType: errorType || undefined });
    }
    case 'RESTORE_REPORT': {
      const [duration, status, errorType] = readFields(s, from, ['Restore Duration:', 'Status:', 'Error Type:']);
      const durationMs = measureValue(duration);
      if (Number.isNaN(durationMs)) return 'RESTORE_REPORT line has no readable Restore Duration';
      const read = status === undefined ? undefined : toStatus(status);
      if (status !== undefined && read === undefined) return `RESTORE_REPORT line has an unknown Status ${JSON.stringify(status)}`;
      return withoutUndefined({ type: 'restoreReport', durationMs, status: read, errorType: errorType || undefined });
    }
    case 'XRAY': {
      const at = skipBlanks(s, from);
      const xray = s.startsWith('TraceId:', at) ? readXray(s, at) : undefined;
      if (xray === undefined) return 'XRAY line has no TraceId';
      return { type: 'xray', ...xray };
    }
    case 'EXTENSION': {
      const [name, state, events, errorType] = readFields(s, from, ['Name:', 'State:', 'Events:', 'Error Type:']);
      if (!name || !state) return 'EXTENSION line has no Name or State';
      return withoutUndefined({ type: 'extension', name, state, events: listValue(events), errorType: errorType || undefined });
    }
    case 'TELEMETRY':
    case 'LOGS': {
      const [name, state, types] = readFields(s, from, ['Name:', 'State:', 'Types:']);
      if (!name || !state) return `${keyword} line has no Name or State`;
      return { type: keyword === 'TELEMETRY' ? 'telemetrySubscription' : 'logsSubscription', name, state, types: listValue(types) };
    }
  }
}

/** The first whitespace-delimited word of a field value. */
function firstToken(value: string): string {
  return value.slice(0, tokenEnd(value, 0));
}

// ---------------------------------------------------------------------------------------------------------------
// Timeout and crash lines: no keyword, so they are found by their fixed wording.

const TIMED_OUT = 'Task timed out after ';
const ISO_TIME = /^\d{4}-\d\d-\d\dT/;

/**
 * Reads `2020-06-09T15:02:26.150Z <id> Task timed out after 3.00 seconds` [DD-FWD], `<id> Task timed out after 6.01
 * seconds` [ASTUYVE-2022] or `RequestId: <id> Error: Task timed out after 3.00 seconds`. Undefined when the line is
 * not one.
 */
export function readTimeoutLine(s: string): Omit<TimeoutEvent, 'format' | 'lineNumber'> | undefined {
  const at = s.indexOf(TIMED_OUT);
  if (at < 0) return undefined;
  const timeoutSeconds = readNumber(s, at + TIMED_OUT.length);
  if (Number.isNaN(timeoutSeconds)) return undefined;
  const words = s.slice(0, at).trim().split(/[\t ]+/);
  let last = words.at(-1);
  if (last === 'Error:' && words.at(-3)?.endsWith('RequestId:') === true) {
    words.pop();
    last = words.at(-1);
  }
  let requestId: string | undefined;
  let time: string | undefined;
  // With no request id on the line (`RequestId:` alone, a bare timestamp), parseLog uses the request last started.
  if (last !== undefined && last !== '' && !last.endsWith(':')) {
    if (ISO_TIME.test(last)) {
      time = last;
    } else {
      requestId = last;
      const before = words.at(-2);
      if (before !== undefined && ISO_TIME.test(before)) time = before;
    }
  }
  return withoutUndefined({ type: 'timeout', requestId, timeoutSeconds, time });
}

const EXIT_MESSAGES = ['Error: Runtime exited', 'Process exited before completing request'] as const;
/** An error type on its own (`Runtime.ExitError`), as the runtime writes after a crash line [ASTUYVE-2022]. */
export const ERROR_TYPE_LINE = /^Runtime\.[A-Za-z]+$/;

/**
 * Reads `RequestId: <id> Error: Runtime exited with error: signal: killed [Runtime.ExitError]` [ASTUYVE-2022] or
 * `RequestId: <id> Process exited before completing request` [GIST-AH]. Undefined when the line is not one.
 */
export function readRuntimeExitLine(s: string): Omit<RuntimeExitEvent, 'format' | 'lineNumber'> | undefined {
  let at = s.indexOf(REQUEST_ID);
  while (at > 0 && s.charCodeAt(at - 1) > SPACE) at = s.indexOf(REQUEST_ID, at + 1);
  if (at < 0) return undefined;
  const idStart = skipBlanks(s, at + REQUEST_ID.length);
  const idEnd = tokenEnd(s, idStart);
  if (idEnd === idStart) return undefined;
  let message = s.slice(idEnd).trim();
  const kind = EXIT_MESSAGES.findIndex((m) => message.startsWith(m));
  if (kind < 0) return undefined;
  let errorType: string | undefined = kind === 0 ? 'Runtime.ExitError' : undefined;
  const lastSpace = Math.max(message.lastIndexOf(' '), message.lastIndexOf('\t'));
  const tail = message.slice(lastSpace + 1);
  if (lastSpace > 0 && ERROR_TYPE_LINE.test(tail)) {
    errorType = tail;
    message = message.slice(0, lastSpace).trim();
  }
  return withoutUndefined({ type: 'runtimeExit', requestId: s.slice(idStart, idEnd), message, errorType });
}
