/**
 * Writers: a ReportRecord back to a text REPORT line or a JSON `platform.report` line, in Lambda's own shapes.
 * `parseReportLine` reads both back to the same record (durations in text carry two decimals, as Lambda prints them).
 *
 * @module
 */

import { InvalidInputError } from '../errors.js';
import type { FormatReportJsonOptions, FormatReportLineOptions, ReportRecord } from './types.js';

const STATUSES = new Set(['success', 'error', 'timeout', 'failure']);
/** A token a text line can carry: no whitespace, and no `;` or `=` so it also fits an X-Amzn-Trace-Id value. */
const TOKEN = /^[^\s;=]+$/;

function checkAmount(value: unknown, field: string, integer: boolean): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > Number.MAX_SAFE_INTEGER) {
    throw new InvalidInputError(`record.${field}`, `must be a finite number from 0 to ${Number.MAX_SAFE_INTEGER}, got ${String(value)}`);
  }
  if (integer && !Number.isInteger(value)) {
    throw new InvalidInputError(`record.${field}`, `must be a whole number, got ${value}`);
  }
  return value;
}

function checkToken(value: unknown, field: string): string {
  if (typeof value !== 'string' || !TOKEN.test(value)) {
    throw new InvalidInputError(`record.${field}`, `must be a non-empty string without whitespace, ';' or '=', got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Validates a record for writing; returns it typed. */
function checkRecord(record: ReportRecord): ReportRecord {
  if (typeof record !== 'object' || record === null) throw new InvalidInputError('record', 'must be a ReportRecord object');
  checkToken(record.requestId, 'requestId');
  checkAmount(record.durationMs, 'durationMs', false);
  checkAmount(record.billedDurationMs, 'billedDurationMs', true);
  checkAmount(record.memorySizeMB, 'memorySizeMB', true);
  checkAmount(record.maxMemoryUsedMB, 'maxMemoryUsedMB', true);
  if (record.initDurationMs !== undefined) checkAmount(record.initDurationMs, 'initDurationMs', false);
  if (record.restoreDurationMs !== undefined) checkAmount(record.restoreDurationMs, 'restoreDurationMs', false);
  if (record.billedRestoreDurationMs !== undefined) checkAmount(record.billedRestoreDurationMs, 'billedRestoreDurationMs', true);
  if (!STATUSES.has(record.status)) {
    throw new InvalidInputError('record.status', `must be success, error, timeout or failure, got ${JSON.stringify(record.status)}`);
  }
  if (record.errorType !== undefined) checkToken(record.errorType, 'errorType');
  if (record.xray !== undefined) {
    checkToken(record.xray.traceId, 'xray.traceId');
    if (record.xray.segmentId !== undefined) checkToken(record.xray.segmentId, 'xray.segmentId');
    if (record.xray.sampled !== undefined && typeof record.xray.sampled !== 'boolean') {
      throw new InvalidInputError('record.xray.sampled', `must be a boolean, got ${typeof record.xray.sampled}`);
    }
  }
  return record;
}

/**
 * Writes a ReportRecord as a text REPORT line, the inverse of `parseReportLine`: fields in Lambda's order
 * (Duration, Billed Duration, Memory Size, Max Memory Used, then Init Duration, Restore Duration and Billed Restore
 * Duration, then Status and Error Type unless the status is success), durations with two decimals, each field ending
 * in a TAB like Lambda's own lines. The X-Ray identifiers follow on the next line, or on the same line when asked.
 * Throws `InvalidInputError` for a record it cannot write (negative or non-finite numbers, ids with whitespace).
 *
 * @example
 * ```ts
 * formatReportLine({ requestId: 'f08bb4c8-d6b2-4f05-ac17-af7e2ba005fb', durationMs: 619.31, billedDurationMs: 700,
 *   memorySizeMB: 128, maxMemoryUsedMB: 118, status: 'success', coldStart: false, format: 'text' });
 * // 'REPORT RequestId: f08bb4c8-…\tDuration: 619.31 ms\tBilled Duration: 700 ms\tMemory Size: 128 MB\tMax Memory Used: 118 MB\t'
 * ```
 */
export function formatReportLine(record: ReportRecord, options: FormatReportLineOptions = {}): string {
  const r = checkRecord(record);
  const separator = options.separator ?? '\t';
  if (separator !== '\t' && separator !== ' ') throw new InvalidInputError('options.separator', `must be '\\t' or ' ', got ${JSON.stringify(separator)}`);
  const placement = options.xrayPlacement ?? 'nextLine';
  if (placement !== 'nextLine' && placement !== 'sameLine') {
    throw new InvalidInputError('options.xrayPlacement', `must be 'nextLine' or 'sameLine', got ${JSON.stringify(placement)}`);
  }
  const fields = [
    `REPORT RequestId: ${r.requestId}`,
    `Duration: ${r.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${r.billedDurationMs} ms`,
    `Memory Size: ${r.memorySizeMB} MB`,
    `Max Memory Used: ${r.maxMemoryUsedMB} MB`,
  ];
  if (r.initDurationMs !== undefined) fields.push(`Init Duration: ${r.initDurationMs.toFixed(2)} ms`);
  if (r.restoreDurationMs !== undefined) fields.push(`Restore Duration: ${r.restoreDurationMs.toFixed(2)} ms`);
  if (r.billedRestoreDurationMs !== undefined) fields.push(`Billed Restore Duration: ${r.billedRestoreDurationMs} ms`);
  if (r.status !== 'success') fields.push(`Status: ${r.status}`);
  if (r.errorType !== undefined) fields.push(`Error Type: ${r.errorType}`);
  // Lambda ends every field with a TAB (`…72 MB\t\n`); with spaces the fields are only joined.
  const end = separator === '\t' ? '\t' : '';
  const line = fields.join(separator) + end;
  if (r.xray === undefined) return line;
  const xray = [`XRAY TraceId: ${r.xray.traceId}`];
  if (r.xray.segmentId !== undefined) xray.push(`SegmentId: ${r.xray.segmentId}`);
  if (r.xray.sampled !== undefined) xray.push(`Sampled: ${r.xray.sampled}`);
  const xrayPart = xray.join(separator) + end;
  return placement === 'nextLine' ? `${line}\n${xrayPart}` : `${line}${end === '' ? ' ' : ''}${xrayPart}`;
}

/**
 * Writes a ReportRecord as a JSON-format `platform.report` line, as Lambda writes it with `LogFormat=JSON`:
 * `{"time":…,"type":"platform.report","record":{"requestId":…,"metrics":{…},"status":…}}`, with `errorType` and an
 * X-Ray `tracing` value when the record has them. `parseReportLine` reads it back to the same record.
 *
 * @example
 * ```ts
 * const line = formatReportJson(record, { time: new Date('2024-05-20T16:29:45.022Z') });
 * parseReportLine(line); // deep-equals record, with format 'json'
 * ```
 */
export function formatReportJson(record: ReportRecord, options: FormatReportJsonOptions = {}): string {
  const r = checkRecord(record);
  const time = options.time ?? new Date();
  let timeText: string;
  if (time instanceof Date) {
    if (Number.isNaN(time.getTime())) throw new InvalidInputError('options.time', 'must be a valid Date');
    timeText = time.toISOString();
  } else if (typeof time === 'string') {
    timeText = time;
  } else {
    throw new InvalidInputError('options.time', `must be a Date or a string, got ${typeof time}`);
  }
  const metrics: Record<string, number> = {
    durationMs: r.durationMs,
    billedDurationMs: r.billedDurationMs,
    memorySizeMB: r.memorySizeMB,
    maxMemoryUsedMB: r.maxMemoryUsedMB,
  };
  if (r.initDurationMs !== undefined) metrics.initDurationMs = r.initDurationMs;
  if (r.restoreDurationMs !== undefined) metrics.restoreDurationMs = r.restoreDurationMs;
  if (r.billedRestoreDurationMs !== undefined) metrics.billedRestoreDurationMs = r.billedRestoreDurationMs;
  const body: Record<string, unknown> = { requestId: r.requestId, metrics };
  if (r.xray !== undefined) {
    let value = `Root=${r.xray.traceId}`;
    if (r.xray.segmentId !== undefined) value += `;Parent=${r.xray.segmentId}`;
    if (r.xray.sampled !== undefined) value += `;Sampled=${r.xray.sampled ? 1 : 0}`;
    body.tracing = { type: 'X-Amzn-Trace-Id', value };
  }
  body.status = r.status;
  if (r.errorType !== undefined) body.errorType = r.errorType;
  return JSON.stringify({ time: timeText, type: 'platform.report', record: body });
}
