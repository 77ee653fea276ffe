/**
 * `parseReportLine` and `parseLog`: the public readers of the report module.
 *
 * @module
 */

import { InvalidInputError, ReportParseError } from '../errors.js';
import type { PlatformEvent, ReportEvent, RuntimeExitEvent, TimeoutEvent, XrayEvent } from './events.js';
import { readCanonicalLine } from './fast.js';
import { readJsonEvent, recordFromJson, type JsonEventBody } from './json.js';
import { SPACE, type Writable } from './scan.js';
import {
  ERROR_TYPE_LINE,
  TEXT_KEYWORDS,
  findReport,
  readRuntimeExitLine,
  readTextEvent,
  readTimeoutLine,
  scanReport,
  scanReportGeneral,
  type MutableReport,
  type TextKeyword,
} from './text.js';
import type { ParseLogOptions, ParseWarning, ParsedLog, ReportRecord } from './types.js';

const REPORT_KEYWORD_LENGTH = 'REPORT'.length;

/**
 * Reads one REPORT from one log event's message: a text `REPORT RequestId: …` line (TAB- or space-separated, with a
 * `sam logs` or export prefix, any field order, the XRAY part on the same or the next line) or a JSON
 * `platform.report` object. Never throws: returns `undefined` for anything that is not a readable REPORT, including
 * Managed Instances' `platform.report`, which has no billed duration or memory.
 *
 * @example
 * ```ts
 * const r = parseReportLine('REPORT RequestId: 6234bffe-149a-b642-81ff-2e8e376d8aff\tDuration: 46.84 ms\tBilled Duration: 47 ms \tMemory Size: 192 MB\tMax Memory Used: 72 MB\t');
 * console.log(r?.durationMs, r?.billedDurationMs, r?.coldStart); // 46.84 47 false
 * ```
 */
export function parseReportLine(line: string): ReportRecord | undefined {
  if (typeof line !== 'string') return undefined;
  // Lambda's own layout, `REPORT RequestId: <id>\tDuration: …`, takes the fast path; anything it declines (a prefix,
  // another layout, an unreadable value) is read by the general reader, which gives the same record or none.
  const fast = readCanonicalLine(line);
  if (fast !== undefined) return fast;
  const at = findReport(line);
  if (at >= 0) {
    const read = at === 0 ? scanReportGeneral(line, REPORT_KEYWORD_LENGTH, true) : scanReport(line, at + REPORT_KEYWORD_LENGTH, true);
    return typeof read === 'string' ? undefined : read;
  }
  if (line.indexOf('platform.report') < 0) return undefined;
  for (const start of jsonStarts(line)) {
    let value: unknown;
    try {
      value = JSON.parse(line.slice(start));
    } catch {
      continue;
    }
    const body = readJsonEvent(value);
    if (typeof body !== 'object' || body === null || body.type !== 'report') return undefined;
    const record = recordFromJson(body);
    return typeof record === 'string' ? undefined : record;
  }
  return undefined;
}

/** Where a JSON object may start in a line: at its first non-blank character, or after a text prefix. */
function jsonStarts(line: string): number[] {
  const starts: number[] = [];
  let first = 0;
  while (first < line.length && line.charCodeAt(first) <= SPACE) first++;
  if (line.charCodeAt(first) === 0x7b) starts.push(first);
  // Power Tuning's mixed-log fixture glues an extension's text line to the next JSON event [PT test-utils.js].
  for (const marker of ['{"time"', '{"type"']) {
    const at = line.indexOf(marker);
    if (at > first) starts.push(at);
  }
  return starts;
}

/** Keywords by first letter, so a line that starts with none of them costs one character test. */
const KEYWORD_INITIALS = new Set(Object.keys(TEXT_KEYWORDS).map((k) => k.charCodeAt(0)));
const LONGEST_KEYWORD = Math.max(...Object.keys(TEXT_KEYWORDS).map((k) => k.length));

/** A keyword after a prefix (`sam logs` stream and timestamp, an export's timestamp, `@message=`), then its first key. */
const PREFIXED_KEYWORD =
  /(?:^|[^A-Za-z0-9_])(REPORT|START|END|INIT_START|INIT_REPORT|RESTORE_START|RESTORE_REPORT|XRAY|EXTENSION|TELEMETRY|LOGS)[\t ]+(?:RequestId|Runtime Version|Init Duration|Restore Duration|TraceId|Name):/;

/** The keywords the strict mode treats as a platform line when they open a line, even without their first key. */
const STRICT_KEYWORDS: ReadonlySet<TextKeyword> = new Set(['REPORT', 'START', 'END', 'INIT_START', 'INIT_REPORT', 'RESTORE_START', 'RESTORE_REPORT', 'XRAY']);

/** A line the first-line test accepts as whole though it is not a platform line: runtime and console timestamps. */
const WHOLE_APP_LINE = /^\s*(?:\d{4}[-/]\d\d[-/]\d\d|\d\d:\d\d:\d\d|\[[A-Z]+\][\t ])/;

interface Keyword {
  readonly keyword: TextKeyword;
  /** Index where the keyword starts. */
  readonly at: number;
  /** True when the keyword opens the line (after blanks), false when it follows a prefix. */
  readonly opensLine: boolean;
}

/** Finds the platform keyword of a text line, or undefined. */
function findKeyword(line: string, first: number): Keyword | undefined {
  if (KEYWORD_INITIALS.has(line.charCodeAt(first))) {
    let end = first;
    const limit = Math.min(line.length, first + LONGEST_KEYWORD + 1);
    while (end < limit && line.charCodeAt(end) > SPACE) end++;
    const word = line.slice(first, end);
    if (Object.hasOwn(TEXT_KEYWORDS, word)) return { keyword: word as TextKeyword, at: first, opensLine: true };
  }
  const match = PREFIXED_KEYWORD.exec(line);
  if (match === null) return undefined;
  const keyword = match[1] as TextKeyword;
  return { keyword, at: match.index + match[0].indexOf(keyword), opensLine: false };
}

/**
 * Reads a whole log: a decoded `LogResult`, or log events joined by `'\n'`. Text lines, JSON lines and logs that mix
 * them are all read; application lines are skipped. Timeout and crash lines set the status of their request's REPORT
 * when the REPORT itself has none. Never throws on any string unless `strict` is set; then a line that starts like a
 * platform line but cannot be read throws a `ReportParseError` quoting it.
 *
 * @example
 * ```ts
 * const log = parseLog(decodeLogResult(response.LogResult!));
 * for (const r of log.reports) console.log(r.requestId, r.durationMs, r.billedDurationMs, r.coldStart, r.status);
 * if (log.truncated) console.warn('the 4 KB tail lost the start of the log');
 * ```
 */
export function parseLog(text: string, options: ParseLogOptions = {}): ParsedLog {
  if (typeof text !== 'string') throw new InvalidInputError('text', `must be a string, got ${typeof text}`);
  if (typeof options !== 'object' || options === null) throw new InvalidInputError('options', 'must be an object');
  if (options.strict !== undefined && typeof options.strict !== 'boolean') {
    throw new InvalidInputError('options.strict', `must be a boolean, got ${typeof options.strict}`);
  }
  return new LogReader(options.strict === true).read(text);
}

/** One pass over a log's lines. */
class LogReader {
  private readonly reports: MutableReport[] = [];
  private readonly events: PlatformEvent[] = [];
  private readonly warnings: ParseWarning[] = [];
  private readonly timeouts = new Set<string>();
  private readonly exits = new Map<string, Writable<RuntimeExitEvent>>();
  private readonly started = new Set<string>();
  /** The report read from the previous non-empty line, which an XRAY line belongs to. */
  private previousReport: MutableReport | undefined;
  /** The crash line read from the previous non-empty line, whose error type may follow on its own line. */
  private previousExit: Writable<RuntimeExitEvent> | undefined;
  /** The request whose START came last, for a timeout line that names none. */
  private currentRequestId: string | undefined;
  private firstReportHasStart: boolean | undefined;

  constructor(private readonly strict: boolean) {}

  read(text: string): ParsedLog {
    const lines = text.split('\n');
    let firstLineWhole: boolean | undefined;
    for (let index = 0; index < lines.length; index++) {
      let line = lines[index] as string;
      if (line.endsWith('\r')) line = line.slice(0, -1);
      let first = 0;
      while (first < line.length && line.charCodeAt(first) <= SPACE) first++;
      if (first === line.length) continue;
      const eventsBefore = this.events.length;
      const reportBefore = this.previousReport;
      const exitBefore = this.previousExit;
      const recognised = this.readLine(line, first, index + 1);
      if (firstLineWhole === undefined) {
        firstLineWhole = this.events.length > eventsBefore || recognised || WHOLE_APP_LINE.test(line);
      }
      // Only the line right after a REPORT (or a crash line) can continue it.
      if (this.previousReport === reportBefore) this.previousReport = undefined;
      if (this.previousExit === exitBefore) this.previousExit = undefined;
    }
    this.applyTimeoutsAndCrashes();
    const truncated = firstLineWhole === false || this.firstReportHasStart === false;
    return { reports: this.reports, events: this.events, truncated, warnings: this.warnings };
  }

  /** Reads one non-empty line. Returns true when the line is recognisably whole (for the truncation test). */
  private readLine(line: string, first: number, lineNumber: number): boolean {
    if (line.charCodeAt(first) === 0x7b) {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        return this.readPrefixedJson(line, lineNumber, first);
      }
      this.readJson(value, line, lineNumber, true, undefined);
      return true;
    }
    const found = findKeyword(line, first);
    if (found !== undefined) {
      const prefix = found.opensLine ? undefined : line.slice(0, found.at).trim();
      // A platform line is a whole line, even when it cannot be read.
      if (found.keyword === 'REPORT') return this.readTextReport(line, found, lineNumber, prefix);
      return this.readOtherText(line, found, lineNumber, prefix);
    }
    return this.readUnkeyed(line, first, lineNumber);
  }

  /** Reads a text REPORT line. Returns true: it is a platform line even when it cannot be read. */
  private readTextReport(line: string, found: Keyword, lineNumber: number, prefix: string | undefined): true {
    const read = scanReport(line, found.at + REPORT_KEYWORD_LENGTH);
    if (typeof read === 'string') {
      this.unreadable(line, lineNumber, read, true);
      return true;
    }
    const metrics: Writable<ReportEvent['metrics']> = {
      durationMs: read.durationMs,
      billedDurationMs: read.billedDurationMs,
      memorySizeMB: read.memorySizeMB,
      maxMemoryUsedMB: read.maxMemoryUsedMB,
    };
    if (read.initDurationMs !== undefined) metrics.initDurationMs = read.initDurationMs;
    if (read.restoreDurationMs !== undefined) metrics.restoreDurationMs = read.restoreDurationMs;
    if (read.billedRestoreDurationMs !== undefined) metrics.billedRestoreDurationMs = read.billedRestoreDurationMs;
    const event: Writable<ReportEvent> = { type: 'report', format: 'text', lineNumber, requestId: read.requestId, status: read.status, metrics };
    if (read.errorType !== undefined) event.errorType = read.errorType;
    if (prefix !== undefined && prefix !== '') event.prefix = prefix;
    this.events.push(event);
    if (read.xray !== undefined) this.events.push(xrayEvent(read.xray, lineNumber, prefix));
    this.addReport(read);
    return true;
  }

  /** Reads another keyword line. Returns whether it is a platform line (read, or unreadable but platform-like). */
  private readOtherText(line: string, found: Keyword, lineNumber: number, prefix: string | undefined): boolean {
    const keyword = found.keyword as Exclude<TextKeyword, 'REPORT'>;
    const body = readTextEvent(keyword, line, found.at + keyword.length);
    if (typeof body === 'string') {
      // An EXTENSION/TELEMETRY/LOGS word opening a line without its keys is ordinary text, not a broken platform line.
      const platformLike = !found.opensLine || STRICT_KEYWORDS.has(keyword);
      if (platformLike) this.unreadable(line, lineNumber, body, true);
      return platformLike;
    }
    const event = { ...body, format: 'text', lineNumber } as Writable<PlatformEvent>;
    if (prefix !== undefined && prefix !== '') event.prefix = prefix;
    this.events.push(event as PlatformEvent);
    if (body.type === 'start') {
      this.started.add(body.requestId);
      this.currentRequestId = body.requestId;
    } else if (body.type === 'xray' && this.previousReport !== undefined && this.previousReport.xray === undefined) {
      // The XRAY line Lambda writes right after its REPORT, in the same event [DD-FWD; U-71311].
      const { traceId, segmentId, sampled } = body;
      this.previousReport.xray = withoutUndefinedXray(traceId, segmentId, sampled);
    }
    return true;
  }

  /** A line with no keyword: timeout and crash lines, JSON after a text prefix, an error type after a crash line. */
  private readUnkeyed(line: string, first: number, lineNumber: number): boolean {
    const timeout = readTimeoutLine(line);
    if (timeout !== undefined) {
      const event: Writable<TimeoutEvent> = { ...timeout, format: 'text', lineNumber };
      const requestId = timeout.requestId ?? this.currentRequestId;
      if (requestId !== undefined) {
        event.requestId = requestId;
        this.timeouts.add(requestId);
      }
      this.events.push(event);
      return true;
    }
    if (line.includes('exited')) {
      const exit = readRuntimeExitLine(line);
      if (exit !== undefined) {
        const event: Writable<RuntimeExitEvent> = { ...exit, format: 'text', lineNumber };
        this.events.push(event);
        this.exits.set(event.requestId, event);
        this.previousExit = event;
        return true;
      }
    }
    if (this.previousExit !== undefined && ERROR_TYPE_LINE.test(line.trim())) {
      // `Runtime.ExitError` on the line after the crash line [ASTUYVE-2022].
      this.previousExit.errorType = line.trim();
      return true;
    }
    if (line.includes('"platform.')) return this.readPrefixedJson(line, lineNumber, first);
    return false;
  }

  /** JSON glued to a text prefix, or a `{` line that is not valid JSON. */
  private readPrefixedJson(line: string, lineNumber: number, first: number): boolean {
    for (const start of jsonStarts(line)) {
      if (start === first && line.charCodeAt(first) === 0x7b) continue;
      let value: unknown;
      try {
        value = JSON.parse(line.slice(start));
      } catch {
        continue;
      }
      this.readJson(value, line, lineNumber, false, line.slice(0, start).trim());
      return false;
    }
    // A broken JSON line that names a platform type is a platform line that cannot be read.
    if (/"type"\s*:\s*"platform\./.test(line)) {
      this.unreadable(line, lineNumber, 'invalid JSON in a platform event line', line.charCodeAt(first) === 0x7b);
    }
    return false;
  }

  private readJson(value: unknown, line: string, lineNumber: number, opensLine: boolean, prefix: string | undefined): void {
    const body = readJsonEvent(value);
    if (body === undefined) return;
    if (body === null) {
      this.warn(line, lineNumber, `unknown platform event type ${JSON.stringify((value as { type: string }).type)}`);
      return;
    }
    if (typeof body === 'string') {
      this.unreadable(line, lineNumber, body, opensLine);
      return;
    }
    const event = { ...body, format: 'json', lineNumber } as Writable<PlatformEvent>;
    if (prefix !== undefined && prefix !== '') event.prefix = prefix;
    this.events.push(event as PlatformEvent);
    this.afterJsonEvent(body, line, lineNumber);
  }

  private afterJsonEvent(body: JsonEventBody, line: string, lineNumber: number): void {
    if (body.type === 'start') {
      this.started.add(body.requestId);
      this.currentRequestId = body.requestId;
    } else if (body.type === 'report') {
      const record = recordFromJson(body);
      if (typeof record === 'string') this.warn(line, lineNumber, record);
      else this.addReport(record);
    } else if (body.type === 'fault') {
      // The Logs API's fault record holds the crash line's text [AWSDOCS runtimes-logs-api.md].
      const exit = readRuntimeExitLine(body.message);
      if (exit !== undefined) this.exits.set(exit.requestId, { ...exit, format: 'json', lineNumber });
    }
  }

  private addReport(record: MutableReport): void {
    if (this.firstReportHasStart === undefined) this.firstReportHasStart = this.started.has(record.requestId);
    this.reports.push(record);
    this.previousReport = record;
  }

  /**
   * A REPORT that reads as success (a text line without Status, a 2020 Logs API report without status) becomes a
   * timeout or an error when a timeout or crash line names its request. An explicit failure status is kept.
   */
  private applyTimeoutsAndCrashes(): void {
    if (this.timeouts.size === 0 && this.exits.size === 0) return;
    for (const record of this.reports) {
      if (record.status !== 'success') continue;
      if (this.timeouts.has(record.requestId)) {
        record.status = 'timeout';
        continue;
      }
      const exit = this.exits.get(record.requestId);
      if (exit !== undefined) {
        record.status = 'error';
        if (exit.errorType !== undefined && record.errorType === undefined) record.errorType = exit.errorType;
      }
    }
  }

  private unreadable(line: string, lineNumber: number, reason: string, platformLike: boolean): void {
    if (this.strict && platformLike) throw new ReportParseError(line, lineNumber, reason);
    this.warn(line, lineNumber, reason);
  }

  private warn(line: string, lineNumber: number, reason: string): void {
    this.warnings.push({ lineNumber, reason, line });
  }
}

function xrayEvent(xray: NonNullable<ReportRecord['xray']>, lineNumber: number, prefix: string | undefined): XrayEvent {
  const event: Writable<XrayEvent> = { type: 'xray', format: 'text', lineNumber, traceId: xray.traceId };
  if (xray.segmentId !== undefined) event.segmentId = xray.segmentId;
  if (xray.sampled !== undefined) event.sampled = xray.sampled;
  if (prefix !== undefined && prefix !== '') event.prefix = prefix;
  return event;
}

function withoutUndefinedXray(traceId: string, segmentId: string | undefined, sampled: boolean | undefined): NonNullable<ReportRecord['xray']> {
  const xray: Writable<NonNullable<ReportRecord['xray']>> = { traceId };
  if (segmentId !== undefined) xray.segmentId = segmentId;
  if (sampled !== undefined) xray.sampled = sampled;
  return xray;
}
