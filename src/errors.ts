/**
 * The one error hierarchy of lambda-meter.
 *
 * Every error thrown by the library is a {@link LambdaMeterError}. Each subclass has its own `name`, and the
 * guards below check a global brand plus that name rather than `instanceof`, so they keep working when the ESM
 * and CJS copies of the package (or two installed versions) are loaded side by side.
 *
 * @module
 */

// Symbol.for() is shared by every copy of the package in one process, unlike a class identity.
const BRAND = Symbol.for('lambda-meter.error');

/** Every error name the library throws, as a const object (no `enum`). */
export const ErrorNames = {
  LambdaMeterError: 'LambdaMeterError',
  InvalidInputError: 'InvalidInputError',
  ReportParseError: 'ReportParseError',
  MissingPeerDependencyError: 'MissingPeerDependencyError',
  LambdaMeterAbortError: 'LambdaMeterAbortError',
  RetryExhaustedError: 'RetryExhaustedError',
  ServiceCallError: 'ServiceCallError',
  QueryFailedError: 'QueryFailedError',
  QueryTimeoutError: 'QueryTimeoutError',
  CleanupError: 'CleanupError',
  TuneFunctionError: 'TuneFunctionError',
  HttpRequestError: 'HttpRequestError',
} as const;

/** The `name` of a lambda-meter error. */
export type ErrorName = (typeof ErrorNames)[keyof typeof ErrorNames];

/** Options accepted by every lambda-meter error constructor. */
export interface LambdaMeterErrorOptions {
  /** The underlying error, when there is one. */
  readonly cause?: unknown;
}

/**
 * Base class of every error thrown by lambda-meter.
 *
 * @example
 * ```ts
 * import { isLambdaMeterError } from 'lambda-meter';
 * try { await invokeWithTail(client, { functionName: 'f' }); }
 * catch (err) { if (isLambdaMeterError(err)) console.error(err.name, err.message); }
 * ```
 */
export class LambdaMeterError extends Error {
  override name: ErrorName = ErrorNames.LambdaMeterError;

  constructor(message: string, options: LambdaMeterErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    Object.defineProperty(this, BRAND, { value: true, enumerable: false });
  }

  /**
   * True when `value` is a lambda-meter error of this class (by name), from any copy of the package.
   *
   * @example
   * ```ts
   * if (QueryFailedError.is(err)) console.log(err.status);
   * ```
   */
  static is<T extends { readonly errorName: string; readonly prototype: LambdaMeterError }>(
    this: T,
    value: unknown,
  ): value is T['prototype'] {
    if (!isLambdaMeterError(value)) return false;
    if ((this as unknown) === LambdaMeterError) return true;
    return value.name === this.errorName;
  }

  /** The `name` given to instances of this class. */
  static readonly errorName: string = ErrorNames.LambdaMeterError;
}

/**
 * True when `value` was thrown by lambda-meter (any copy, ESM or CJS), optionally of one error `name`.
 *
 * @example
 * ```ts
 * if (isLambdaMeterError(err, 'RetryExhaustedError')) console.log(err.attempts);
 * ```
 */
export function isLambdaMeterError(value: unknown, name?: ErrorName): value is LambdaMeterError {
  if (typeof value !== 'object' || value === null) return false;
  if ((value as Record<symbol, unknown>)[BRAND] !== true) return false;
  return name === undefined || (value as { name?: unknown }).name === name;
}

/**
 * An argument or option is missing, of the wrong type or out of range. `field` names it.
 *
 * @example
 * ```ts
 * throw new InvalidInputError('memorySizeMB', 'must be an integer from 128 to 10240, got 64');
 * ```
 */
export class InvalidInputError extends LambdaMeterError {
  static override readonly errorName = ErrorNames.InvalidInputError;
  override name: ErrorName = ErrorNames.InvalidInputError;
  /** The argument or option that was wrong, as a path (`input.memorySizeMB`). */
  readonly field: string;

  constructor(field: string, problem: string, options: LambdaMeterErrorOptions = {}) {
    super(`Invalid ${field}: ${problem}`, options);
    this.field = field;
  }
}

/**
 * Thrown by `parseLog(text, { strict: true })` for a line that looks like a platform line but cannot be read.
 *
 * @example
 * ```ts
 * try { parseLog(text, { strict: true }); } catch (e) { if (ReportParseError.is(e)) console.log(e.line); }
 * ```
 */
export class ReportParseError extends LambdaMeterError {
  static override readonly errorName = ErrorNames.ReportParseError;
  override name: ErrorName = ErrorNames.ReportParseError;
  /** The offending line, verbatim. */
  readonly line: string;
  /** 1-based line number within the parsed text. */
  readonly lineNumber: number;

  constructor(line: string, lineNumber: number, reason: string, options: LambdaMeterErrorOptions = {}) {
    const quoted = line.length > 300 ? `${line.slice(0, 300)}…` : line;
    super(`Cannot parse log line ${lineNumber} (${reason}): ${JSON.stringify(quoted)}`, options);
    this.line = line;
    this.lineNumber = lineNumber;
  }
}

/**
 * An AWS-facing function was called but its optional peer package (an AWS SDK v3 client) is not installed.
 *
 * @example
 * ```ts
 * // npm install @aws-sdk/client-lambda
 * ```
 */
export class MissingPeerDependencyError extends LambdaMeterError {
  static override readonly errorName = ErrorNames.MissingPeerDependencyError;
  override name: ErrorName = ErrorNames.MissingPeerDependencyError;
  /** The npm package to install. */
  readonly packageName: string;

  constructor(packageName: string, usedBy: string, options: LambdaMeterErrorOptions = {}) {
    super(
      `${usedBy} needs the optional peer dependency ${packageName}; install it with: npm install ${packageName}`,
      options,
    );
    this.packageName = packageName;
  }
}

/**
 * A long operation was stopped by its `AbortSignal`. `cause` is the signal's reason.
 *
 * @example
 * ```ts
 * const ac = new AbortController(); setTimeout(() => ac.abort(), 1000);
 * await invokeMany(client, input, { count: 100, signal: ac.signal }); // rejects with LambdaMeterAbortError
 * ```
 */
export class LambdaMeterAbortError extends LambdaMeterError {
  static override readonly errorName = ErrorNames.LambdaMeterAbortError;
  override name: ErrorName = ErrorNames.LambdaMeterAbortError;

  constructor(what: string, options: LambdaMeterErrorOptions = {}) {
    super(`${what} was aborted`, options);
  }
}

/**
 * A retried call kept failing with retryable errors until its attempts or time budget ran out.
 * `cause` is the last error.
 *
 * @example
 * ```ts
 * if (RetryExhaustedError.is(err)) console.log(`gave up after ${err.attempts} attempts`);
 * ```
 */
export class RetryExhaustedError extends LambdaMeterError {
  static override readonly errorName = ErrorNames.RetryExhaustedError;
  override name: ErrorName = ErrorNames.RetryExhaustedError;
  /** How many attempts were made. */
  readonly attempts: number;
  /** The operation that was retried, e.g. `Lambda.Invoke`. */
  readonly operation: string;

  constructor(operation: string, attempts: number, options: LambdaMeterErrorOptions = {}) {
    const last = options.cause instanceof Error ? `: ${options.cause.name}: ${options.cause.message}` : '';
    super(`${operation} failed after ${attempts} attempt${attempts === 1 ? '' : 's'}${last}`, options);
    this.attempts = attempts;
    this.operation = operation;
  }
}

/**
 * An AWS API call failed with an error that is not retried (for example `ResourceNotFoundException`).
 * `cause` is the SDK's error; `code` its name and `statusCode` its HTTP status when known.
 *
 * @example
 * ```ts
 * if (ServiceCallError.is(err) && err.code === 'ResourceNotFoundException') console.log('no such function');
 * ```
 */
export class ServiceCallError extends LambdaMeterError {
  static override readonly errorName = ErrorNames.ServiceCallError;
  override name: ErrorName = ErrorNames.ServiceCallError;
  /** The operation that failed, e.g. `Lambda.Invoke`. */
  readonly operation: string;
  /** The service's error code (the SDK exception's `name`). */
  readonly code: string;
  /** The HTTP status, when the SDK reported one. */
  readonly statusCode: number | undefined;

  constructor(operation: string, code: string, message: string, statusCode?: number, options: LambdaMeterErrorOptions = {}) {
    super(`${operation} failed: ${code}: ${message}`, options);
    this.operation = operation;
    this.code = code;
    this.statusCode = statusCode;
  }
}

/**
 * A Logs Insights query ended as `Failed`, `Cancelled`, `Timeout` or `Unknown`.
 *
 * @example
 * ```ts
 * if (QueryFailedError.is(err)) console.log(err.queryId, err.status);
 * ```
 */
export class QueryFailedError extends LambdaMeterError {
  static override readonly errorName = ErrorNames.QueryFailedError;
  override name: ErrorName = ErrorNames.QueryFailedError;
  /** The query's id. */
  readonly queryId: string;
  /** The final status the service reported. */
  readonly status: string;

  constructor(queryId: string, status: string, options: LambdaMeterErrorOptions = {}) {
    super(`Logs Insights query ${queryId} ended with status ${status}`, options);
    this.queryId = queryId;
    this.status = status;
  }
}

/**
 * A Logs Insights query did not complete within the caller's `timeoutMs`; it was stopped with `StopQuery`.
 *
 * @example
 * ```ts
 * await runInsightsQuery(logs, input, { timeoutMs: 30_000 }); // may reject with QueryTimeoutError
 * ```
 */
export class QueryTimeoutError extends LambdaMeterError {
  static override readonly errorName = ErrorNames.QueryTimeoutError;
  override name: ErrorName = ErrorNames.QueryTimeoutError;
  /** The query's id. */
  readonly queryId: string;
  /** The timeout that elapsed, in milliseconds. */
  readonly timeoutMs: number;

  constructor(queryId: string, timeoutMs: number, options: LambdaMeterErrorOptions = {}) {
    super(`Logs Insights query ${queryId} did not complete within ${timeoutMs} ms and was stopped`, options);
    this.queryId = queryId;
    this.timeoutMs = timeoutMs;
  }
}

/** What went wrong with an HTTP request measured by `measureHttp`. */
export type HttpFailureCode = 'dns' | 'connect' | 'tls' | 'timeout' | 'reset' | 'protocol' | 'other';

/** The phase of an HTTP request: DNS lookup, TCP connect, TLS handshake, sending, waiting for the first byte, download. */
export type HttpRequestPhase = 'dns' | 'connect' | 'tls' | 'send' | 'waiting' | 'download';

/**
 * One HTTP request measured by `measureHttp` failed (it is the `error` of that sample), or every request of a run
 * failed (then `measureHttp` rejects with it and `failures` holds each request's error). `cause` is Node's error.
 *
 * @example
 * ```ts
 * try { await measureHttp({ url, count: 10 }); }
 * catch (err) { if (HttpRequestError.is(err) && err.code === 'tls') console.log(err.systemCode, err.failures.length); }
 * ```
 */
export class HttpRequestError extends LambdaMeterError {
  static override readonly errorName = ErrorNames.HttpRequestError;
  override name: ErrorName = ErrorNames.HttpRequestError;
  /** What went wrong: `dns`, `connect`, `tls`, `timeout`, `reset` (connection closed early), `protocol`, `other`. */
  readonly code: HttpFailureCode;
  /** The phase the request was in when it failed. */
  readonly phase: HttpRequestPhase;
  /** Node's error code, e.g. `ECONNREFUSED` or `DEPTH_ZERO_SELF_SIGNED_CERT`, when there is one. */
  readonly systemCode: string | undefined;
  /** The URL requested. */
  readonly url: string;
  /** For a run in which every request failed: each request's error, in request order; otherwise empty. */
  readonly failures: readonly HttpRequestError[];

  constructor(
    message: string,
    details: {
      readonly code: HttpFailureCode;
      readonly phase: HttpRequestPhase;
      readonly systemCode: string | undefined;
      readonly url: string;
      readonly failures?: readonly HttpRequestError[];
    },
    options: LambdaMeterErrorOptions = {},
  ) {
    super(message, options);
    this.code = details.code;
    this.phase = details.phase;
    this.systemCode = details.systemCode;
    this.url = details.url;
    this.failures = details.failures ?? [];
  }
}

/**
 * A run that changes a function (`powerTune`, `measureColdStarts`) could not put everything back. `leftovers` lists
 * exactly what is left, one item a line, e.g. `environment variable LAMBDA_METER_COLD on my-fn`,
 * `version 7 of my-fn`, `alias lambda-meter-tune-512-ab12cd34 of my-fn`, `memory size 512 MB (was 1024) on my-fn`.
 * `cause` is the error that ended the run when the run failed too (it is never lost), otherwise the cleanup failure;
 * `cleanupError` is always the cleanup failure.
 *
 * @example
 * ```ts
 * try { await measureColdStarts({ lambda }, { functionName: 'resize', count: 5 }); }
 * catch (err) { if (CleanupError.is(err)) console.error('left behind:', err.leftovers.join('; '), 'run error:', err.cause); }
 * ```
 */
export class CleanupError extends LambdaMeterError {
  static override readonly errorName = ErrorNames.CleanupError;
  override name: ErrorName = ErrorNames.CleanupError;
  /** What is left behind, in words, one item each. */
  readonly leftovers: readonly string[];
  /** The failure that stopped the cleanup. */
  readonly cleanupError: unknown;

  constructor(operation: string, leftovers: readonly string[], cleanupError: unknown, runError?: unknown, options: LambdaMeterErrorOptions = {}) {
    const why = cleanupError instanceof Error ? cleanupError.message : String(cleanupError);
    const run = runError === undefined ? '' : ` after the run failed (${runError instanceof Error ? runError.message : String(runError)})`;
    super(`${operation} could not clean up${run}: ${why}; left behind: ${leftovers.length === 0 ? 'nothing known' : leftovers.join('; ')}`, {
      cause: options.cause ?? runError ?? cleanupError,
    });
    this.leftovers = [...leftovers];
    this.cleanupError = cleanupError;
  }
}

/**
 * Every memory size of a power-tuning run failed with function errors not in `allowedErrorTypes`, so nothing can be
 * recommended. Cleanup has already run. `errors` counts the error types per memory size.
 *
 * @example
 * ```ts
 * if (TuneFunctionError.is(err)) console.error(err.errors); // { 128: { 'Runtime.OutOfMemory': 2 } }
 * ```
 */
export class TuneFunctionError extends LambdaMeterError {
  static override readonly errorName = ErrorNames.TuneFunctionError;
  override name: ErrorName = ErrorNames.TuneFunctionError;
  /** Function errors by memory size, then by `errorType`. */
  readonly errors: Readonly<Record<number, Readonly<Record<string, number>>>>;

  constructor(functionName: string, errors: Readonly<Record<number, Readonly<Record<string, number>>>>, options: LambdaMeterErrorOptions = {}) {
    const shown = Object.entries(errors)
      .map(([mem, byType]) => `${mem} MB: ${Object.entries(byType).map(([t, n]) => `${t} x${n}`).join(', ')}`)
      .join('; ');
    super(`Power tuning of ${functionName}: every memory size failed with function errors (${shown})`, options);
    this.errors = errors;
  }
}
