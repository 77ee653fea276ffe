/**
 * The one options shape and the one progress event of every long-running or AWS-facing function.
 *
 * Every such function is called `fn(clients, input, options)`: the client (or an object of clients named `lambda`,
 * `logs`, `cloudWatch`) first, then what to measure, then how (`signal`, `retry`, `onProgress`, timeouts, prices).
 * `docs/conventions.md` lists every public function in this form.
 */
import type { RetryEvent, RetryOptions } from './retry.js';

/** What a run is doing when it reports progress. */
export type ProgressPhase =
  /** Reading configuration, validating, publishing versions. */
  | 'preparing'
  /** Changing a function's configuration (memory size, environment) and waiting for the update. */
  | 'configuring'
  /** Invoking the function (`completed`/`total` count invocations). */
  | 'invoking'
  /** Forced cold starts of `measureColdStarts`. */
  | 'cold'
  /** Warm invocations of `measureColdStarts`. */
  | 'warm'
  /** `measureColdStarts`' idle-eviction probe. */
  | 'idle-probe'
  /** Sending HTTP requests (`measureHttp`; `completed`/`total` count requests). */
  | 'requesting'
  /** Waiting for a Logs Insights query (`completed` counts polls). */
  | 'querying'
  /** Reading CloudWatch metrics, logs or settings. */
  | 'reading'
  /** A call failed and is retried: `retry` says which attempt and how long the wait is. */
  | 'retrying'
  /** Restoring the function and deleting what the run created. */
  | 'cleanup'
  /** Applying a recommendation. */
  | 'applying'
  /** Finished. Reported once. */
  | 'done';

/**
 * The progress event of every function that takes `onProgress`.
 *
 * @example
 * ```ts
 * await invokeMany(lambda, { functionName: 'checkout' }, {
 *   count: 100,
 *   onProgress: (p) => console.log(`${p.phase} ${p.completed}/${p.total ?? '?'}`),
 * });
 * ```
 */
export interface Progress {
  /** The function reporting: `'invokeMany'`, `'powerTune'`, `'measureColdStarts'`, … */
  readonly operation: string;
  /** What the run is doing. */
  readonly phase: ProgressPhase;
  /** Units done so far in the run: invocations, HTTP requests or query polls (see the phase). */
  readonly completed: number;
  /** Units planned so far; `undefined` when not known in advance. With adaptive sampling it grows round by round. */
  readonly total: number | undefined;
  /** Completed units that failed (function errors, failed requests); 0 when none. */
  readonly failed: number;
  /** The memory size being configured or invoked, when there is one. */
  readonly memorySizeMB?: number | undefined;
  /** Units in flight now, for concurrent runs. */
  readonly inFlight?: number | undefined;
  /** Set when `phase` is `'retrying'`: the failed attempt and the wait before the next. */
  readonly retry?: ProgressRetry | undefined;
}

/** The retry a `'retrying'` progress event reports. */
export interface ProgressRetry extends RetryEvent {
  /** The AWS operation retried, e.g. `'Invoke'`, `'UpdateFunctionConfiguration'`. */
  readonly operation: string;
  /** The invocation's position in the run, when the retried call is an invocation of a run. */
  readonly index?: number | undefined;
}

/**
 * Options every long-running or AWS-facing function accepts, as its last argument. Functions add their own
 * (timeouts, prices) beside these.
 */
export interface CallOptions {
  /**
   * Stops the call: nothing new starts, calls in flight are aborted, cleanup still completes, and the promise
   * rejects with `LambdaMeterAbortError`.
   * @default undefined
   */
  readonly signal?: AbortSignal | undefined;
  /**
   * How throttled and transient calls are retried, on top of the SDK client's own retries and bounded together
   * with them (see `RetryOptions.maxAttempts`).
   * @default { maxAttempts: 8, baseDelayMs: 100, maxDelayMs: 20000, budgetMs: 60000 }
   */
  readonly retry?: RetryOptions | undefined;
  /**
   * Called as the call advances, and before each retry's wait (phase `'retrying'`).
   * @default undefined
   */
  readonly onProgress?: ((progress: Progress) => void) | undefined;
}
