/**
 * Public types of the insights module.
 *
 * @module
 */
import type { CallOptions } from '../internal/options.js';
import type { TimeInput } from '../internal/time.js';
import type { ReportRecord } from '../report/types.js';

/** The query languages of CloudWatch Logs Insights: Logs Insights QL, OpenSearch SQL, OpenSearch PPL. */
export type QueryLanguage = 'CWLI' | 'SQL' | 'PPL';

/** Every status GetQueryResults reports. */
export type InsightsQueryStatus = 'Scheduled' | 'Running' | 'Complete' | 'Failed' | 'Cancelled' | 'Timeout' | 'Unknown';

/** Input of `runInsightsQuery`. */
export interface InsightsQueryInput {
  /** Up to 50 log group names. Give this, `logGroupIdentifiers`, or a `SOURCE` command in the query. */
  readonly logGroupNames?: readonly string[];
  /** Up to 50 log group names or ARNs (ARNs for cross-account), without a trailing `*`. */
  readonly logGroupIdentifiers?: readonly string[];
  /** The query, e.g. `filter @type = "REPORT" | stats avg(@duration) by bin(5m)`. */
  readonly queryString: string;
  /** Start of the range, inclusive; rounded down to a whole second. */
  readonly startTime: TimeInput;
  /**
   * End of the range, exclusive (like every range in lambda-meter). Logs Insights takes inclusive whole seconds, so
   * the query ends with the last second that holds a millisecond before `endTime`.
   */
  readonly endTime: TimeInput;
  /**
   * Most rows to return: 1 to 100,000 for Logs Insights QL (pages of 10,000 are followed), 1 to 10,000 for SQL and PPL.
   * @default the service's default, 10,000
   */
  readonly limit?: number;
  /**
   * The query language.
   * @default 'CWLI'
   */
  readonly queryLanguage?: QueryLanguage;
}

/** What a query scanned and matched, from GetQueryResults `statistics`. */
export interface InsightsStatistics {
  readonly recordsMatched: number;
  readonly recordsScanned: number;
  readonly bytesScanned: number;
  readonly estimatedRecordsSkipped?: number;
  readonly estimatedBytesSkipped?: number;
  readonly logGroupsScanned?: number;
}

/** One result row: field name → value, as the service returns them (all strings), `@ptr` included. */
export type InsightsRow = Readonly<Record<string, string>>;

/** A completed query. */
export interface InsightsResult {
  readonly queryId: string;
  readonly status: 'Complete';
  /** Every row of every result page, in the order the service returned them. */
  readonly rows: readonly InsightsRow[];
  readonly statistics: InsightsStatistics;
}

/**
 * Options of `runInsightsQuery` (and of each query `queryReports` runs). `signal` aborts the wait (a started query is
 * stopped with StopQuery, then the promise rejects with LambdaMeterAbortError); `retry` covers throttling,
 * `LimitExceededException` (too many concurrent queries) and transient errors of StartQuery and GetQueryResults;
 * `onProgress` is told after each poll (phase `'querying'`, `completed` = polls so far) and before each retry's wait
 * (phase `'retrying'`, `retry.operation` `'StartQuery'` or `'GetQueryResults'`).
 */
export interface InsightsQueryOptions extends CallOptions {
  /**
   * Longest time to wait for a started query, in milliseconds; the query is then stopped and the promise rejects with
   * QueryTimeoutError. Counted from StartQuery's answer.
   * @default no limit of lambda-meter's own (the service stops a query after 60 minutes, status `Timeout`)
   */
  readonly timeoutMs?: number;
  /**
   * Wait before the first poll, in milliseconds; each later wait is 1.5 times the previous one, up to `pollMaxDelayMs`.
   * @default 100
   */
  readonly pollMinDelayMs?: number;
  /**
   * Longest wait between polls, in milliseconds.
   * @default 2000, or pollMinDelayMs when that is larger
   */
  readonly pollMaxDelayMs?: number;
}

/** Input of `queryReports` / `iterateReports`: exactly one of `functionName` or `logGroupName`. */
export interface QueryReportsInput {
  /** The function whose log group `/aws/lambda/<functionName>` is read. */
  readonly functionName?: string;
  /** A log group to read instead (e.g. a custom `LoggingConfig.LogGroup`). */
  readonly logGroupName?: string;
  /** Start of the range, inclusive. */
  readonly startTime: TimeInput;
  /** End of the range, exclusive (so consecutive ranges never count a REPORT twice). */
  readonly endTime: TimeInput;
}

/** What `onWindow` is told after each query of `queryReports` / `iterateReports`. */
export interface ReportWindowEvent {
  readonly queryId: string;
  /** First second of the window, epoch milliseconds. */
  readonly startTime: number;
  /** Last second of the window, epoch milliseconds (inclusive: the window ends at this second's last millisecond). */
  readonly endTime: number;
  /** The request-id filter, when the window is one second split by request id (e.g. `0-8` after prefix `3f`). */
  readonly requestIdFilter: string | undefined;
  /** Rows the query returned. */
  readonly rows: number;
  /** `split`: the window was full and is queried again in parts; `done`: its records were yielded; `truncated`: full but cannot be split further (records may be missing). */
  readonly outcome: 'split' | 'done' | 'truncated';
  /** Records yielded from this window. */
  readonly records: number;
  /** Rows whose message was not a REPORT the report module could read. */
  readonly unparsed: number;
  readonly statistics: InsightsStatistics;
}

/** Options of `queryReports` / `iterateReports`. */
export interface QueryReportsOptions extends InsightsQueryOptions {
  /**
   * Windows queried at the same time, 1 to 30. Logs Insights allows 100 concurrent queries per account, shared with
   * dashboards. With 1, records come in ascending time order (to the second: a second split by request id comes
   * class by class).
   * @default 1
   */
  readonly concurrency?: number;
  /**
   * Rows per query; a window that returns this many is split. 1 to 100,000 (above 10,000 the result pages are followed).
   * @default 10000
   */
  readonly windowLimit?: number;
  /** Called after each window's query. */
  readonly onWindow?: (event: ReportWindowEvent) => void;
}

/** A REPORT read through Logs Insights: the parsed record plus where and when it was logged. */
export type InsightsReportRecord = ReportRecord & {
  /** The log event's `@timestamp`, epoch milliseconds. */
  readonly timestamp?: number;
  /** The log stream (one per execution environment). */
  readonly logStream?: string;
};

/** One invocation joined to its REPORT. */
export interface ReportMatch<I, R> {
  readonly invocation: I;
  readonly report: R;
}

/** The result of `matchReports`. */
export interface ReportMatchResult<I, R> {
  /** Invocations with their REPORT, in invocation order. */
  readonly matched: readonly ReportMatch<I, R>[];
  /** Invocations with no REPORT. */
  readonly missing: readonly I[];
  /** REPORTs with no invocation (including a second REPORT of one request id, e.g. an async retry). */
  readonly extra: readonly R[];
  /** matched / invocations; 1 when there are no invocations. */
  readonly completeness: number;
}
