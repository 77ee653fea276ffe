/**
 * `PlatformEvent`: every platform line `parseLog` recognises, text or JSON, as one discriminated union on `type`.
 * Events say what their line says; `ParsedLog.reports` holds the REPORTs as interpreted records.
 *
 * JSON members follow the Telemetry API schema (docs.aws.amazon.com/lambda/latest/dg/telemetry-schema-reference.html);
 * text members carry the fields of their text line.
 *
 * @module
 */

import type { ReportStatus, XrayInfo } from './types.js';

/** Fields every event has. */
export interface PlatformEventBase {
  /** Whether the line was a text line (`REPORT RequestId: …`) or a JSON object (`{"type":"platform.report",…}`). */
  readonly format: 'text' | 'json';
  /** 1-based line number within the text given to `parseLog`. */
  readonly lineNumber: number;
  /** The event's `time` as written: a JSON event's `time`, or the timestamp on a text timeout line. */
  readonly time?: string;
  /** Text before the keyword, e.g. the log stream and timestamp that `sam logs` and exports put in front. */
  readonly prefix?: string;
}

/** A span of `platform.runtimeDone`, `platform.initReport` and the like (`responseLatency`, `runtimeOverhead`, …). */
export interface Span {
  readonly name: string;
  /** Start time as written, e.g. `2024-05-20T16:29:45.008Z`. */
  readonly start: string;
  readonly durationMs: number;
}

/** A JSON event's `tracing` object. */
export interface TracingInfo {
  /** `X-Amzn-Trace-Id`. */
  readonly type: string;
  /** e.g. `Root=1-…;Parent=…;Sampled=1`. */
  readonly value: string;
}

/** The metrics of a REPORT as written. Only `durationMs` is always present (Managed Instances report only that). */
export interface ReportMetrics {
  readonly durationMs: number;
  readonly billedDurationMs?: number;
  readonly memorySizeMB?: number;
  readonly maxMemoryUsedMB?: number;
  readonly initDurationMs?: number;
  readonly restoreDurationMs?: number;
  readonly billedRestoreDurationMs?: number;
}

/** `START RequestId: … Version: …` or `platform.start`. */
export interface StartEvent extends PlatformEventBase {
  readonly type: 'start';
  readonly requestId: string;
  /** `$LATEST` or a version number; absent on 2014-era lines. */
  readonly version?: string;
  readonly tracing?: TracingInfo;
}

/** `END RequestId: …` or the Logs API's `platform.end`. */
export interface EndEvent extends PlatformEventBase {
  readonly type: 'end';
  readonly requestId: string;
}

/** `REPORT RequestId: …` or `platform.report`. The X-Ray part of a text REPORT is its own `xray` event. */
export interface ReportEvent extends PlatformEventBase {
  readonly type: 'report';
  readonly requestId: string;
  /** As the line states it; a text REPORT without `Status` reads as `success`. */
  readonly status: ReportStatus;
  readonly errorType?: string;
  readonly metrics: ReportMetrics;
  readonly spans?: readonly Span[];
  readonly tracing?: TracingInfo;
}

/** `INIT_START Runtime Version: …` or `platform.initStart`. */
export interface InitStartEvent extends PlatformEventBase {
  readonly type: 'initStart';
  /** e.g. `python:3.12.mainlinev2.v43`. */
  readonly runtimeVersion?: string;
  readonly runtimeVersionArn?: string;
  readonly functionName?: string;
  readonly functionVersion?: string;
  /** `on-demand`, `provisioned-concurrency`, `snap-start`, `lambda-managed-instances`. */
  readonly initializationType?: string;
  /** `init`, `invoke` or `snap-start`. */
  readonly phase?: string;
  readonly instanceId?: string;
  readonly instanceMaxMemory?: number;
}

/** `platform.initRuntimeDone`. */
export interface InitRuntimeDoneEvent extends PlatformEventBase {
  readonly type: 'initRuntimeDone';
  readonly status?: ReportStatus;
  readonly errorType?: string;
  readonly initializationType?: string;
  readonly phase?: string;
  readonly spans?: readonly Span[];
}

/** `INIT_REPORT Init Duration: … ms\tPhase: …\tStatus: …` or `platform.initReport`. */
export interface InitReportEvent extends PlatformEventBase {
  readonly type: 'initReport';
  /** Init Duration (text) or `metrics.durationMs` (JSON). */
  readonly durationMs?: number;
  readonly status?: ReportStatus;
  readonly errorType?: string;
  readonly initializationType?: string;
  /** `init`, or `invoke` when a failed init was re-run inside the first invoke. */
  readonly phase?: string;
  readonly spans?: readonly Span[];
}

/** `RESTORE_START Runtime Version: …` (SnapStart) or `platform.restoreStart`. */
export interface RestoreStartEvent extends PlatformEventBase {
  readonly type: 'restoreStart';
  readonly runtimeVersion?: string;
  readonly runtimeVersionArn?: string;
  readonly functionName?: string;
  readonly functionVersion?: string;
  readonly instanceId?: string;
  readonly instanceMaxMemory?: number;
}

/** `platform.restoreRuntimeDone`. */
export interface RestoreRuntimeDoneEvent extends PlatformEventBase {
  readonly type: 'restoreRuntimeDone';
  readonly status?: ReportStatus;
  readonly errorType?: string;
  readonly spans?: readonly Span[];
}

/** `RESTORE_REPORT Restore Duration: … ms` or `platform.restoreReport`. */
export interface RestoreReportEvent extends PlatformEventBase {
  readonly type: 'restoreReport';
  readonly durationMs?: number;
  readonly status?: ReportStatus;
  readonly errorType?: string;
  readonly spans?: readonly Span[];
}

/** `platform.runtimeDone`: the runtime finished the invoke (spans: responseLatency, responseDuration, runtimeOverhead). */
export interface RuntimeDoneEvent extends PlatformEventBase {
  readonly type: 'runtimeDone';
  readonly requestId: string;
  readonly status?: ReportStatus;
  readonly errorType?: string;
  readonly durationMs?: number;
  readonly producedBytes?: number;
  readonly spans?: readonly Span[];
  readonly tracing?: TracingInfo;
}

/** `EXTENSION\tName: …\tState: Ready\tEvents: [INVOKE, SHUTDOWN]` or `platform.extension`. */
export interface ExtensionEvent extends PlatformEventBase {
  readonly type: 'extension';
  readonly name: string;
  readonly state: string;
  readonly events: readonly string[];
  readonly errorType?: string;
}

/** `TELEMETRY\tName: …\tState: Subscribed\tTypes: […]` or `platform.telemetrySubscription`. */
export interface TelemetrySubscriptionEvent extends PlatformEventBase {
  readonly type: 'telemetrySubscription';
  readonly name: string;
  readonly state: string;
  readonly types: readonly string[];
}

/** `LOGS Name: … State: Subscribed Types: […]` or the Logs API's `platform.logsSubscription`. */
export interface LogsSubscriptionEvent extends PlatformEventBase {
  readonly type: 'logsSubscription';
  readonly name: string;
  readonly state: string;
  readonly types: readonly string[];
}

/** `platform.logsDropped`: Lambda dropped log records because a subscriber fell behind. */
export interface LogsDroppedEvent extends PlatformEventBase {
  readonly type: 'logsDropped';
  readonly reason?: string;
  readonly droppedRecords?: number;
  readonly droppedBytes?: number;
}

/** The Logs API's `platform.fault`, whose record is a string. */
export interface FaultEvent extends PlatformEventBase {
  readonly type: 'fault';
  readonly message: string;
}

/** `XRAY TraceId: …\tSegmentId: …\tSampled: true`, on the line after a REPORT or at its end. */
export interface XrayEvent extends PlatformEventBase, XrayInfo {
  readonly type: 'xray';
}

/** The older separate timeout line: `2020-06-09T15:02:26.150Z <id> Task timed out after 3.00 seconds`. */
export interface TimeoutEvent extends PlatformEventBase {
  readonly type: 'timeout';
  /** The request the line names, or else the request last started before it. */
  readonly requestId?: string;
  readonly timeoutSeconds: number;
}

/**
 * The runtime process died: `RequestId: <id> Error: Runtime exited with error: signal: killed` (then
 * `Runtime.ExitError`) or the older `RequestId: <id> Process exited before completing request`.
 */
export interface RuntimeExitEvent extends PlatformEventBase {
  readonly type: 'runtimeExit';
  readonly requestId: string;
  /** The text after the request id, e.g. `Error: Runtime exited with error: signal: killed`. */
  readonly message: string;
  /** `Runtime.ExitError` where the line (or the next) says so. */
  readonly errorType?: string;
}

/** Every platform line `parseLog` recognises, discriminated by `type`. */
export type PlatformEvent =
  | StartEvent
  | EndEvent
  | ReportEvent
  | InitStartEvent
  | InitRuntimeDoneEvent
  | InitReportEvent
  | RestoreStartEvent
  | RestoreRuntimeDoneEvent
  | RestoreReportEvent
  | RuntimeDoneEvent
  | ExtensionEvent
  | TelemetrySubscriptionEvent
  | LogsSubscriptionEvent
  | LogsDroppedEvent
  | FaultEvent
  | XrayEvent
  | TimeoutEvent
  | RuntimeExitEvent;

/** The `type` of a `PlatformEvent`. */
export type PlatformEventType = PlatformEvent['type'];
