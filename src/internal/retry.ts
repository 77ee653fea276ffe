import { LambdaMeterAbortError, InvalidInputError, RetryExhaustedError, ServiceCallError, isLambdaMeterError } from '../errors.js';
import { sleep, throwIfAborted } from './abort.js';

/**
 * How lambda-meter retries throttled and transient AWS calls: jittered exponential back-off within a budget.
 * The SDK client's own retries (its `maxAttempts`) happen inside each of these attempts.
 */
export interface RetryOptions {
  /**
   * Attempts in all, the first included. `1` disables retrying.
   * @default 8
   */
  readonly maxAttempts?: number;
  /**
   * Delay before the first retry, in milliseconds; later delays double.
   * @default 100
   */
  readonly baseDelayMs?: number;
  /**
   * Upper bound of a single delay, in milliseconds.
   * @default 20000
   */
  readonly maxDelayMs?: number;
  /**
   * Total time the retries of one call may spend waiting, in milliseconds. A retry whose delay would exceed what is
   * left is not made.
   * @default 60000
   */
  readonly budgetMs?: number;
  /**
   * Source of randomness for the jitter, in [0, 1). Tests pass a fixed function.
   * @default Math.random
   */
  readonly random?: () => number;
}

/** The defaults of {@link RetryOptions}. */
export const DEFAULT_RETRY = {
  maxAttempts: 8,
  baseDelayMs: 100,
  maxDelayMs: 20_000,
  budgetMs: 60_000,
} as const;

// Error codes that mean "slow down" or "try again": throttling, concurrency limits and transient server faults.
const RETRYABLE_CODES = new Set([
  'TooManyRequestsException',
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'ServiceException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalFailure',
  'InternalServerError',
  'InternalServiceError',
  'ResourceNotReadyException',
  'EC2ThrottledException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
]);

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $response?: { headers?: Record<string, unknown> };
  retryAfterSeconds?: unknown;
  Type?: unknown;
  Reason?: unknown;
}

/** The service error code of an SDK error (its `name`, or a Node network error's `code`). */
export function errorCode(err: unknown): string {
  if (typeof err !== 'object' || err === null) return 'UnknownError';
  const e = err as SdkErrorShape;
  if (typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code)) return e.code;
  return typeof e.name === 'string' ? e.name : 'UnknownError';
}

/** The HTTP status of an SDK error, when it has one. */
export function httpStatus(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const status = (err as SdkErrorShape).$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/** True for throttling and transient errors worth another attempt. */
export function isRetryable(err: unknown): boolean {
  if (isLambdaMeterError(err)) return false;
  if (typeof err !== 'object' || err === null) return false;
  const e = err as SdkErrorShape;
  if (e.name === 'AbortError') return false;
  if (RETRYABLE_CODES.has(errorCode(err))) return true;
  if (e.$retryable !== undefined && e.$retryable !== null && e.$retryable !== false) return true;
  const status = httpStatus(err);
  return status === 429 || (status !== undefined && status >= 500);
}

/**
 * The wait the service asked for, in milliseconds: Lambda's `TooManyRequestsException.retryAfterSeconds` (from the
 * `Retry-After` header) or a raw `retry-after` header; undefined when none was given.
 */
export function retryAfterMs(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as SdkErrorShape;
  const candidates: unknown[] = [e.retryAfterSeconds, e.$response?.headers?.['retry-after'], e.$response?.headers?.['Retry-After']];
  for (const c of candidates) {
    const seconds = typeof c === 'number' ? c : typeof c === 'string' && c.trim() !== '' ? Number(c) : NaN;
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  }
  return undefined;
}

/** Validates retry options, naming the bad field. */
export function resolveRetryOptions(options: RetryOptions | undefined, field = 'options.retry'): Required<RetryOptions> {
  const o = options ?? {};
  const out = {
    maxAttempts: o.maxAttempts ?? DEFAULT_RETRY.maxAttempts,
    baseDelayMs: o.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs,
    maxDelayMs: o.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs,
    budgetMs: o.budgetMs ?? DEFAULT_RETRY.budgetMs,
    random: o.random ?? Math.random,
  };
  if (!Number.isInteger(out.maxAttempts) || out.maxAttempts < 1) {
    throw new InvalidInputError(`${field}.maxAttempts`, `must be an integer >= 1, got ${String(out.maxAttempts)}`);
  }
  for (const key of ['baseDelayMs', 'maxDelayMs', 'budgetMs'] as const) {
    const v = out[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new InvalidInputError(`${field}.${key}`, `must be a finite number >= 0, got ${String(v)}`);
    }
  }
  if (typeof out.random !== 'function') throw new InvalidInputError(`${field}.random`, 'must be a function');
  return out;
}

/** What a retried call reports about each retry. */
export interface RetryEvent {
  /** The attempt that failed, 1-based. */
  readonly attempt: number;
  /** The error it failed with. */
  readonly error: unknown;
  /** How long lambda-meter waits before the next attempt, in milliseconds. */
  readonly delayMs: number;
}

/** Options of {@link withRetry}. */
export interface WithRetryOptions {
  readonly retry?: RetryOptions | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Decides whether an error is retried. @default isRetryable */
  readonly shouldRetry?: (err: unknown) => boolean;
  /** Called before each retry's wait. */
  readonly onRetry?: (event: RetryEvent) => void;
}

/**
 * Runs `call` until it succeeds, retrying retryable errors with full-jitter exponential back-off
 * (`delay = random × min(maxDelay, base × 2^(n-1))`, but never less than the service's Retry-After).
 * A non-retryable SDK error becomes a {@link ServiceCallError}; running out of attempts or budget a
 * {@link RetryExhaustedError}; an abort an {@link LambdaMeterAbortError}. lambda-meter errors pass through unchanged.
 */
export async function withRetry<T>(
  operation: string,
  call: (attempt: number) => Promise<T>,
  options: WithRetryOptions = {},
): Promise<T> {
  const retry = resolveRetryOptions(options.retry);
  const shouldRetry = options.shouldRetry ?? isRetryable;
  let waited = 0;
  for (let attempt = 1; ; attempt++) {
    throwIfAborted(options.signal, operation);
    try {
      return await call(attempt);
    } catch (err) {
      if (options.signal?.aborted) throw new LambdaMeterAbortError(operation, { cause: options.signal.reason });
      if (isLambdaMeterError(err)) throw err;
      if (!shouldRetry(err)) {
        const message = typeof (err as { message?: unknown })?.message === 'string' ? (err as Error).message : String(err);
        throw new ServiceCallError(operation, errorCode(err), message, httpStatus(err), { cause: err });
      }
      if (attempt >= retry.maxAttempts) throw new RetryExhaustedError(operation, attempt, { cause: err });
      const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
      const jittered = retry.random() * ceiling;
      const delayMs = Math.max(jittered, retryAfterMs(err) ?? 0);
      if (waited + delayMs > retry.budgetMs) throw new RetryExhaustedError(operation, attempt, { cause: err });
      options.onRetry?.({ attempt, error: err, delayMs });
      await sleep(delayMs, options.signal, operation);
      waited += delayMs;
    }
  }
}

