/**
 * `lambda-meter/report`: read Lambda's platform log lines (text `REPORT …` and JSON `platform.*`) into
 * `ReportRecord`s and typed `PlatformEvent`s, decode a base64 `LogResult`, and write REPORT lines back.
 *
 * @module
 */
export { parseReportLine, parseLog } from './parse.js';
export { decodeLogResult } from './decode.js';
export { formatReportLine, formatReportJson } from './format.js';
export type {
  ReportRecord,
  ReportStatus,
  XrayInfo,
  ParsedLog,
  ParseLogOptions,
  ParseWarning,
  FormatReportLineOptions,
  FormatReportJsonOptions,
} from './types.js';
export type {
  PlatformEvent,
  PlatformEventType,
  PlatformEventBase,
  Span,
  TracingInfo,
  ReportMetrics,
  StartEvent,
  EndEvent,
  ReportEvent,
  InitStartEvent,
  InitRuntimeDoneEvent,
  InitReportEvent,
  RestoreStartEvent,
  RestoreRuntimeDoneEvent,
  RestoreReportEvent,
  RuntimeDoneEvent,
  ExtensionEvent,
  TelemetrySubscriptionEvent,
  LogsSubscriptionEvent,
  LogsDroppedEvent,
  FaultEvent,
  XrayEvent,
  TimeoutEvent,
  RuntimeExitEvent,
} from './events.js';
