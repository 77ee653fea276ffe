/**
 * Public types of the invoke module: what goes into a tail invocation and what comes back.
 *
 * @module
 */
import type { CallOptions } from '../internal/options.js';
import type { ReportRecord } from '../report/types.js';

/**
 * What to invoke.
 *
 * The payload is sent as JSON: any value except a `Uint8Array` is `JSON.stringify`'d (so a string is sent as a JSON
 * string, quotes included); a `Uint8Array` is sent as is (use `new TextEncoder().encode(text)` for raw text);
 * `undefined` sends no payload.
 */
export interface InvokeInput {
  /** Function name, name with alias or version (`my-fn:live`), partial ARN or full ARN. */
  readonly functionName: string;
  /** Version or alias to invoke. */
  readonly qualifier?: string;
  /**
   * The event. A `Uint8Array` is sent verbatim; anything else as its JSON text. At most 6 MB (6,291,456 bytes).
   * @default undefined (no payload is sent)
   */
  readonly payload?: unknown;
  /**
   * Client context for the function (`context.clientContext`), sent base64-encoded JSON in the
   * `X-Amz-Client-Context` header; at most 3,583 bytes once encoded.
   */
  readonly clientContext?: object;
  /**
   * The tenant of a multi-tenant function, sent as Invoke's `TenantId` (the `X-Amz-Tenant-Id` header). `local`
   * accepts it and does not isolate tenants.
   * @default undefined (no tenant)
   */
  readonly tenantId?: string;
}

/**
 * Options of {@link invokeWithTail}: `signal` aborts the call (stops retrying and aborts the HTTP request in flight),
 * `retry` bounds the HTTP requests of the call (see `RetryOptions`), `onProgress` is told of each retry (phase
 * `'retrying'`, operation `'invokeWithTail'`).
 */
export type InvokeOptions = CallOptions;

/** The value of the `X-Amz-Function-Error` response header. */
export type FunctionErrorKind = 'Handled' | 'Unhandled';

/** The result of one synchronous invocation with `LogType: Tail`. */
export interface TailInvocation {
  /**
   * The invocation's request id: the response's `x-amzn-RequestId` (SDK `$metadata.requestId`), else the REPORT's.
   * `''` only when neither was available (an endpoint that sends no request id and no REPORT); a warning says so.
   */
  readonly requestId: string;
  /** The HTTP status the service returned (200 for a synchronous invocation, function errors included). */
  readonly statusCode: number | undefined;
  /** The version that ran (`$LATEST` or a number), from `X-Amz-Executed-Version`. */
  readonly executedVersion: string | undefined;
  /** `Handled` or `Unhandled` when the function failed; undefined when it succeeded. */
  readonly functionError: FunctionErrorKind | undefined;
  /** The error payload's `errorType`, when `functionError` is set and the payload carried one. */
  readonly errorType: string | undefined;
  /** The error payload's `errorMessage`, when `functionError` is set and the payload carried one. */
  readonly errorMessage: string | undefined;
  /** The error payload's `stackTrace` (or Node.js `trace`) lines, when present. */
  readonly stackTrace: readonly string[] | undefined;
  /** The response payload, as returned (empty when there was none). */
  readonly payload: Uint8Array;
  /** The decoded log tail (the last 4 KB of the execution log); `''` when the response had no `LogResult`. */
  readonly log: string;
  /** The REPORT of this invocation, from the log tail; undefined (with a warning) when the tail holds none. */
  readonly report: ReportRecord | undefined;
  /** True when the tail's first line was cut: the 4 KB limit dropped the start of the log. */
  readonly logTruncated: boolean;
  /**
   * Wall time of the successful `send`, in milliseconds, on a monotonic clock (`performance.now()`). Includes the
   * network, the service's overhead and any retries the SDK client itself made inside that `send`.
   */
  readonly clientLatencyMs: number;
  /** When the successful attempt started, in epoch milliseconds. */
  readonly startedAt: number;
  /** Sends lambda-meter made, the successful one included (1 when nothing was retried). */
  readonly attempts: number;
  /** Everything that was missing or odd in the response (no REPORT, unreadable error payload, …). Empty when none. */
  readonly warnings: readonly string[];
  /**
   * The payload as UTF-8 text.
   *
   * @example
   * ```ts
   * console.log(result.text());
   * ```
   */
  text(): string;
  /**
   * The payload parsed as JSON. Throws InvalidInputError (field `payload`) when it is not JSON.
   *
   * @example
   * ```ts
   * const body = result.json<{ statusCode: number }>();
   * ```
   */
  json<T = unknown>(): T;
}

/** One result of {@link invokeMany} or {@link iterateInvocations}. */
export interface IndexedTailInvocation extends TailInvocation {
  /** Position of the invocation in the run, from 0. */
  readonly index: number;
  /** The payload this invocation was sent (the value given, before encoding). */
  readonly requestPayload: unknown;
}

/** One entry of a weighted payload mix. */
export interface WeightedPayload {
  /** The payload, encoded like {@link InvokeInput.payload}. */
  readonly payload: unknown;
  /** Relative weight; a positive finite number. */
  readonly weight: number;
}

/**
 * Payloads of a run: a weighted mix (each entry gets a share of `count` proportional to its weight, interleaved) or a
 * function giving the payload of invocation `index`.
 */
export type PayloadSource = readonly WeightedPayload[] | ((index: number) => unknown);

/** What {@link invokeMany} and {@link iterateInvocations} invoke, and how many times. */
export interface InvokeManyInput extends InvokeInput {
  /** How many invocations to make; a positive integer. */
  readonly count: number;
  /**
   * Most invocations in flight at once; a positive integer.
   * @default 1
   */
  readonly concurrency?: number;
  /**
   * Payloads of the run; overrides `payload`.
   * @default undefined (every invocation sends `payload`)
   */
  readonly payloads?: PayloadSource;
}

/**
 * Options of {@link invokeMany} and {@link iterateInvocations}: `signal` stops the run (no new invocation starts,
 * those in flight are aborted, the run rejects with `LambdaMeterAbortError`); `retry` applies to each invocation;
 * `onProgress` is called after each invocation completes (phase `'invoking'`) and before each retry's wait (phase
 * `'retrying'`, with `retry.index` the invocation's position).
 */
export type InvokeManyOptions = CallOptions;
