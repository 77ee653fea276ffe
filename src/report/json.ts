/**
 * Readers for JSON-format platform events (`LogFormat=JSON`, Telemetry API shapes): one object per line,
 * `{"time":…,"type":"platform.<name>","record":{…}}` [TEL; U-35584].
 *
 * @module
 */

import type {
  EndEvent,
  ExtensionEvent,
  FaultEvent,
  InitReportEvent,
  InitRuntimeDoneEvent,
  InitStartEvent,
  LogsDroppedEvent,
  LogsSubscriptionEvent,
  ReportEvent,
  ReportMetrics,
  RestoreReportEvent,
  RestoreRuntimeDoneEvent,
  RestoreStartEvent,
  RuntimeDoneEvent,
  Span,
  StartEvent,
  TelemetrySubscriptionEvent,
  TracingInfo,
} from './events.js';
import { toStatus, type Writable } from './scan.js';
import { withoutUndefined, type MutableReport } from './text.js';
import type { ReportStatus, XrayInfo } from './types.js';

type Body<T> = Omit<T, 'format' | 'lineNumber'>;

/** A JSON platform event before `lineNumber` and `format` are added. */
export type JsonEventBody =
  | Body<StartEvent>
  | Body<EndEvent>
  | Body<ReportEvent>
  | Body<InitStartEvent>
  | Body<InitRuntimeDoneEvent>
  | Body<InitReportEvent>
  | Body<RestoreStartEvent>
  | Body<RestoreRuntimeDoneEvent>
  | Body<RestoreReportEvent>
  | Body<RuntimeDoneEvent>
  | Body<ExtensionEvent>
  | Body<TelemetrySubscriptionEvent>
  | Body<LogsSubscriptionEvent>
  | Body<LogsDroppedEvent>
  | Body<FaultEvent>;

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A finite, non-negative number, else undefined. */
function amount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function spans(value: unknown): Span[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const read: Span[] = [];
  for (const item of value) {
    if (!isObject(item)) continue;
    const name = text(item.name);
    const start = text(item.start);
    const durationMs = amount(item.durationMs);
    if (name !== undefined && start !== undefined && durationMs !== undefined) read.push({ name, start, durationMs });
  }
  return read;
}

function tracing(value: unknown): TracingInfo | undefined {
  if (!isObject(value)) return undefined;
  const type = text(value.type);
  const traceValue = text(value.value);
  return type !== undefined && traceValue !== undefined ? { type, value: traceValue } : undefined;
}

function names(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * The record's status. `undefined` → absent; `null` → present but not one of Lambda's four words.
 */
function status(record: JsonObject): ReportStatus | undefined | null {
  if (record.status === undefined) return undefined;
  return toStatus(record.status) ?? null;
}

/** `X-Amzn-Trace-Id` value `Root=1-…;Parent=…;Sampled=1` → XrayInfo. */
function xrayFromTracing(trace: TracingInfo | undefined): XrayInfo | undefined {
  if (trace === undefined) return undefined;
  let traceId: string | undefined;
  let segmentId: string | undefined;
  let sampled: boolean | undefined;
  for (const part of trace.value.split(';')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 'Root') traceId = value;
    else if (key === 'Parent') segmentId = value;
    else if (key === 'Sampled') sampled = value === '1' ? true : value === '0' ? false : undefined;
  }
  if (traceId === undefined || traceId === '') return undefined;
  const xray: Writable<XrayInfo> = { traceId };
  if (segmentId !== undefined && segmentId !== '') xray.segmentId = segmentId;
  if (sampled !== undefined) xray.sampled = sampled;
  return xray;
}

/**
 * Reads a parsed JSON value as a platform event. Returns the event body; a string saying why a `platform.*` object
 * cannot be read; `null` for a `platform.*` type this version does not know; `undefined` for anything that is not a
 * platform event (application log lines, `function` and `extension` telemetry records).
 */
export function readJsonEvent(value: unknown): JsonEventBody | string | null | undefined {
  if (!isObject(value)) return undefined;
  const type = value.type;
  if (typeof type !== 'string' || !type.startsWith('platform.')) return undefined;
  const time = text(value.time);
  const record = value.record;

  if (type === 'platform.fault') {
    // The 2020 Logs API's fault record is a string [AWSDOCS runtimes-logs-api.md].
    if (typeof record !== 'string') return 'platform.fault record is not a string';
    return withoutUndefined({ type: 'fault', time, message: record });
  }
  if (!isObject(record)) return `${type} has no record object`;
  const st = status(record);
  if (st === null) return `${type} has an unknown status ${JSON.stringify(record.status)}`;
  const errorType = text(record.errorType);

  switch (type) {
    case 'platform.initStart':
    case 'platform.restoreStart': {
      const common = {
        time,
        runtimeVersion: text(record.runtimeVersion),
        runtimeVersionArn: text(record.runtimeVersionArn),
        functionName: text(record.functionName),
        functionVersion: text(record.functionVersion),
        instanceId: text(record.instanceId),
        instanceMaxMemory: amount(record.instanceMaxMemory),
      };
      if (type === 'platform.restoreStart') return withoutUndefined({ type: 'restoreStart', ...common });
      return withoutUndefined({
        type: 'initStart',
        ...common,
        initializationType: text(record.initializationType),
        phase: text(record.phase),
      });
    }
    case 'platform.initRuntimeDone':
      return withoutUndefined({
        type: 'initRuntimeDone',
        time,
        status: st,
        errorType,
        initializationType: text(record.initializationType),
        phase: text(record.phase),
        spans: spans(record.spans),
      });
    case 'platform.initReport':
    case 'platform.restoreReport': {
      const metrics = isObject(record.metrics) ? record.metrics : undefined;
      const durationMs = amount(metrics?.durationMs);
      if (metrics?.durationMs !== undefined && durationMs === undefined) return `${type} has an unreadable metrics.durationMs`;
      const common = { time, durationMs, status: st, errorType, spans: spans(record.spans) };
      if (type === 'platform.restoreReport') return withoutUndefined({ type: 'restoreReport', ...common });
      return withoutUndefined({
        type: 'initReport',
        ...common,
        initializationType: text(record.initializationType),
        phase: text(record.phase),
      });
    }
    case 'platform.restoreRuntimeDone':
      return withoutUndefined({ type: 'restoreRuntimeDone', time, status: st, errorType, spans: spans(record.spans) });
    case 'platform.start':
    case 'platform.end':
    case 'platform.runtimeDone':
    case 'platform.report':
      return readRequestEvent(type, record, time, st, errorType);
    case 'platform.extension': {
      const name = text(record.name);
      const state = text(record.state);
      if (name === undefined || state === undefined) return 'platform.extension has no name or state';
      return withoutUndefined({ type: 'extension', time, name, state, events: names(record.events), errorType });
    }
    case 'platform.telemetrySubscription':
    case 'platform.logsSubscription': {
      const name = text(record.name);
      const state = text(record.state);
      if (name === undefined || state === undefined) return `${type} has no name or state`;
      return withoutUndefined({
        type: type === 'platform.telemetrySubscription' ? 'telemetrySubscription' : 'logsSubscription',
        time,
        name,
        state,
        types: names(record.types),
      });
    }
    case 'platform.logsDropped':
      return withoutUndefined({
        type: 'logsDropped',
        time,
        reason: text(record.reason),
        droppedRecords: amount(record.droppedRecords),
        droppedBytes: amount(record.droppedBytes),
      });
    default:
      return null;
  }
}

/** The request-scoped events: start, end, runtimeDone and report. */
function readRequestEvent(
  type: 'platform.start' | 'platform.end' | 'platform.runtimeDone' | 'platform.report',
  record: JsonObject,
  time: string | undefined,
  st: ReportStatus | undefined,
  errorType: string | undefined,
): JsonEventBody | string {
  const requestId = text(record.requestId);
  if (requestId === undefined || requestId === '') return `${type} has no requestId`;
  switch (type) {
    case 'platform.start':
      return withoutUndefined({ type: 'start', time, requestId, version: text(record.version), tracing: tracing(record.tracing) });
    case 'platform.end':
      return withoutUndefined({ type: 'end', time, requestId });
    case 'platform.runtimeDone': {
      const metrics = isObject(record.metrics) ? record.metrics : {};
      return withoutUndefined({
        type: 'runtimeDone',
        time,
        requestId,
        status: st,
        errorType,
        durationMs: amount(metrics.durationMs),
        producedBytes: amount(metrics.producedBytes),
        spans: spans(record.spans),
        tracing: tracing(record.tracing),
      });
    }
    case 'platform.report': {
      if (!isObject(record.metrics)) return 'platform.report has no metrics';
      const m = record.metrics;
      const durationMs = amount(m.durationMs);
      if (durationMs === undefined) return 'platform.report has no readable metrics.durationMs';
      const metrics: Writable<ReportMetrics> = { durationMs };
      for (const key of ['billedDurationMs', 'memorySizeMB', 'maxMemoryUsedMB', 'initDurationMs', 'restoreDurationMs', 'billedRestoreDurationMs'] as const) {
        if (m[key] === undefined || m[key] === null) continue;
        const read = amount(m[key]);
        if (read === undefined) return `platform.report has an unreadable metrics.${key}`;
        metrics[key] = read;
      }
      return withoutUndefined({
        type: 'report',
        time,
        requestId,
        status: st ?? 'success',
        errorType,
        metrics,
        spans: spans(record.spans),
        tracing: tracing(record.tracing),
      });
    }
  }
}

/**
 * The ReportRecord of a JSON report event, or why there is none: Lambda Managed Instances' `platform.report` carries
 * only `durationMs` [TEL], and inventing zeros for the rest would make a bogus record.
 */
export function recordFromJson(event: Body<ReportEvent>): MutableReport | string {
  const m = event.metrics;
  if (m.billedDurationMs === undefined || m.memorySizeMB === undefined || m.maxMemoryUsedMB === undefined) {
    return 'platform.report has no billedDurationMs, memorySizeMB or maxMemoryUsedMB (a Lambda Managed Instances report?), so it gives no ReportRecord';
  }
  const record: MutableReport = {
    requestId: event.requestId,
    durationMs: m.durationMs,
    billedDurationMs: m.billedDurationMs,
    memorySizeMB: m.memorySizeMB,
    maxMemoryUsedMB: m.maxMemoryUsedMB,
    status: event.status,
    coldStart: m.initDurationMs !== undefined || m.restoreDurationMs !== undefined,
    format: 'json',
  };
  if (m.initDurationMs !== undefined) record.initDurationMs = m.initDurationMs;
  if (m.restoreDurationMs !== undefined) record.restoreDurationMs = m.restoreDurationMs;
  if (m.billedRestoreDurationMs !== undefined) record.billedRestoreDurationMs = m.billedRestoreDurationMs;
  if (event.errorType !== undefined) record.errorType = event.errorType;
  const xray = xrayFromTracing(event.tracing);
  if (xray !== undefined) record.xray = xray;
  return record;
}
