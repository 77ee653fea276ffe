/**
 * Record types of the report module. `ReportRecord` is defined here once and used by every module that touches a
 * REPORT (invoke, insights, cost).
 *
 * @module
 */

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
