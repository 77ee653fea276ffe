/**
 * Record types of the report module. `ReportRecord` is defined here once and used by every module that touches a
 * REPORT (invoke, insights, cost).
 *
 * @module
 */

import type { PlatformEvent } from './events.js';

/** How an invocation ended, in the words of Lambda's `platform.report` `status` field. */
export type ReportStatus = 'success' | 'error' | 'timeout' | 'failure';

/** X-Ray trace identifiers logged with a REPORT when active tracing is on. */
export interface XrayInfo {
  /** `1-5f9d2c3b-…` */
  readonly traceId: string;
  /** 16 hex digits. */
  readonly segmentId?: string;
  /** Whether the trace was sampled. */
  readonly sampled?: boolean;
}

/**
 * One invocation's REPORT, from a text `REPORT RequestId: …` line or a JSON `platform.report` event.
 * Field names follow Lambda's JSON `platform.report` record.
 */
export interface ReportRecord {
  /** The invocation's request id. */
  readonly requestId: string;
  /** Handler time in milliseconds (excludes Init Duration). */
  readonly durationMs: number;
  /** Billed Duration in milliseconds, as Lambda reports it (includes billed init time since August 2025). */
  readonly billedDurationMs: number;
  /** Configured memory, MB. */
  readonly memorySizeMB: number;
  /** Peak memory of the execution environment so far, MB (can exceed memorySizeMB at an out-of-memory). */
  readonly maxMemoryUsedMB: number;
  /** Init Duration in milliseconds; present on the first invocation of an environment (a cold start). */
  readonly initDurationMs?: number;
  /** SnapStart Restore Duration in milliseconds. */
  readonly restoreDurationMs?: number;
  /** SnapStart Billed Restore Duration in milliseconds. */
  readonly billedRestoreDurationMs?: number;
  /** How the invocation ended. A text REPORT without `Status` is `success` unless a timeout or crash line says otherwise. */
  readonly status: ReportStatus;
  /** Error Type, e.g. `Runtime.OutOfMemory`, when status is not success. */
  readonly errorType?: string;
  /** X-Ray identifiers, when the REPORT carried them. */
  readonly xray?: XrayInfo;
  /** True when an Init Duration or Restore Duration is present. */
  readonly coldStart: boolean;
  /** Which log format the record was read from. */
  readonly format: 'text' | 'json';
}

/** One line `parseLog` recognised as a platform line but could not read, or read only in part. */
export interface ParseWarning {
  /** 1-based line number within the parsed text. */
  readonly lineNumber: number;
  /** What was wrong, e.g. `REPORT line has no Billed Duration`. */
  readonly reason: string;
  /** The line, verbatim. */
  readonly line: string;
}

/** Options of `parseLog`. */
export interface ParseLogOptions {
  /**
   * Throw a `ReportParseError` for the first line that starts like a platform line (REPORT, START, END, INIT_*,
   * RESTORE_*, XRAY, or a JSON object whose type is `platform.*`) but cannot be read, instead of skipping it.
   * @default false
   */
  readonly strict?: boolean;
}

/** What `parseLog` found in a log. */
export interface ParsedLog {
  /** Every REPORT read from the log, in log order, with status corrected by timeout and crash lines. */
  readonly reports: ReportRecord[];
  /** Every platform line recognised, in log order (see `PlatformEvent`). */
  readonly events: PlatformEvent[];
  /**
   * True when the text starts part-way through the log: its first line is not a whole line it recognises, or the
   * first REPORT has no START before it (a `LogResult` holds only the last 4 KB of the log).
   */
  readonly truncated: boolean;
  /** Platform lines skipped as unreadable, and reports that yield no record (e.g. Managed Instances' `platform.report`). */
  readonly warnings: ParseWarning[];
}

/** Options of `formatReportLine`. */
export interface FormatReportLineOptions {
  /** Field separator: Lambda writes a TAB; console, CLI and `sam logs` copies show spaces. @default '\t' */
  readonly separator?: '\t' | ' ';
  /**
   * Where the X-Ray identifiers go: on the next line, as Lambda writes the event (`…\t\nXRAY TraceId: …`), or on the
   * same line after the last field, as some AWS docs show it.
   * @default 'nextLine'
   */
  readonly xrayPlacement?: 'nextLine' | 'sameLine';
}

/** Options of `formatReportJson`. */
export interface FormatReportJsonOptions {
  /** The event's `time`. @default the current time */
  readonly time?: Date | string;
}
