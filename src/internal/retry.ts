import { LambdaMeterAbortError, InvalidInputError, RetryExhaustedError, ServiceCallError, isLambdaMeterError } from '../errors.js';
import { sleep, throwIfAborted } from './abort.js';

/**
 * How lambda-meter retries throttled and transient AWS calls: jittered exponential back-off within a budget, in one
 * layer with the SDK client's own retries.
 *
 * **At most `maxAttempts` HTTP requests per call, whatever the client's own setting.** The SDK client retries inside
 * each `send` (3 attempts by default, honouring the service's `Retry-After`); lambda-meter counts those attempts
 * (each failed `send` reports them in `$metadata.attempts`) and sends again only when one more `send` with as many
 * attempts as the last one still fits in `maxAttempts`. So with the default 8, a default SDK client (3 attempts)
 * makes at most 2 sends = 6 HTTP requests, and a client with `maxAttempts: 1` up to 8 sends. On an SDK v3 client
 * lambda-meter also stops the SDK's own retries once the call has used `maxAttempts` requests, so `maxAttempts: 2`
 * means at most 2 HTTP requests even with a default client. Between sends lambda-meter waits a jittered back-off, but
 * never less than the service's `Retry-After`.
 *
 * @example
 * ```ts
 * await invokeWithTail(lambda, { functionName: 'resize' }, { retry: { maxAttempts: 4, baseDelayMs: 200 } });
 * ```
 */
export interface RetryOptions {
  /**
   * HTTP requests one call may make in all, the first included and the SDK client's own retries counted. `1` disables
   * retrying (one request, even when the client would retry).
   * @default 8
   */
  readonly maxAttempts?: number;
  /**
   * Delay before the first re-send, in milliseconds; later delays double.
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
  $metadata?: { httpStatusCode?: unknown; attempts?: unknown };
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
  /** HTTP requests the call has made so far, all failed (the SDK client's own retries counted). */
  readonly attempt: number;
  /** The error the last one failed with. */
  readonly error: unknown;
  /** How long lambda-meter waits before sending again, in milliseconds. */
  readonly delayMs: number;
}

/** Options of {@link withRetry}. */
export interface WithRetryOptions {
  readonly retry?: RetryOptions | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Decides whether an error is retried. @default isRetryable */
  readonly shouldRetry?: (err: unknown) => boolean;
  /** Called before each retry's wait. */
  readonly onRetry?: ((event: RetryEvent) => void) | undefined;
}

/**
 * Prepares a command for one `send` of a retried call: on an SDK v3 command it adds a middleware that counts the
 * SDK's HTTP attempts and stops the SDK's own retries once the call's budget is used. Returns the command.
 */
export type AttemptTracker = <T>(command: T) => T;

/** The error the attempt cap throws inside the SDK's retry loop: not retryable there, unwrapped by withRetry. */
class AttemptCapReached extends Error {
  override name = 'LambdaMeterAttemptCap';
  // Not `cause`: the SDK's transient-error check follows `cause` and would retry it.
  constructor(readonly wrapped: unknown) {
    super('lambda-meter attempt budget used');
  }
}

interface MiddlewareStackLike {
  add(middleware: unknown, options: Record<string, unknown>): void;
}

/**
 * The SDK's attempts for one failed send (`$metadata.attempts`), 1 when it does not say.
 *
 * @example
 * ```ts
 * sdkAttempts({ name: 'TooManyRequestsException', $metadata: { attempts: 3 } }); // 3
 * ```
 */
export function sdkAttempts(err: unknown): number {
  const n = typeof err === 'object' && err !== null ? (err as SdkErrorShape).$metadata?.attempts : undefined;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 ? n : 1;
}

/**
 * Runs `call` until it succeeds, retrying retryable errors with full-jitter exponential back-off
 * (`delay = random × min(maxDelay, base × 2^(n-1))`, but never less than the service's Retry-After), with the SDK
 * client's own retries counted against `retry.maxAttempts` (see {@link RetryOptions}). `call` passes each command it
 * sends through the tracker it is given.
 * A non-retryable SDK error becomes a {@link ServiceCallError}; running out of attempts or budget a
 * {@link RetryExhaustedError} (its `attempts` are HTTP requests); an abort an {@link LambdaMeterAbortError}.
 * lambda-meter errors pass through unchanged.
 *
 * @example
 * ```ts
 * const out = await withRetry('Lambda.Invoke', (_send, track) => client.send(track(new InvokeCommand(input))), { retry });
 * ```
 */
export async function withRetry<T>(
  operation: string,
  call: (send: number, track: AttemptTracker) => Promise<T>,
  options: WithRetryOptions = {},
): Promise<T> {
  const retry = resolveRetryOptions(options.retry);
  const shouldRetry = options.shouldRetry ?? isRetryable;
  let waited = 0;
  // HTTP requests made so far; `counted` is set when a middleware counted this send's requests itself.
  let used = 0;
  let counted = 0;
  let tracked = false;
  const track: AttemptTracker = (command) => {
    const stack = (command as { middlewareStack?: MiddlewareStackLike } | null)?.middlewareStack;
    if (typeof stack?.add !== 'function') return command;
    tracked = true;
    stack.add(
      (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
        counted++;
        try {
          return await next(args);
        } catch (err) {
          if (used + counted >= retry.maxAttempts && shouldRetry(err)) throw new AttemptCapReached(err);
          throw err;
        }
      },
      { step: 'finalizeRequest', priority: 'low', name: 'lambdaMeterAttemptCap', override: true },
    );
    return command;
  };
  for (let send = 1; ; send++) {
    throwIfAborted(options.signal, operation);
    counted = 0;
    tracked = false;
    try {
      return await call(send, track);
    } catch (thrown) {
      const err = thrown instanceof AttemptCapReached ? thrown.wrapped : thrown;
      if (options.signal?.aborted) throw new LambdaMeterAbortError(operation, { cause: options.signal.reason });
      if (isLambdaMeterError(err)) throw err;
      if (!shouldRetry(err)) {
        const message = typeof (err as { message?: unknown })?.message === 'string' ? (err as Error).message : String(err);
        throw new ServiceCallError(operation, errorCode(err), message, httpStatus(err), { cause: err });
      }
      const lastSend = tracked && counted > 0 ? counted : sdkAttempts(err);
      used += lastSend;
      // Send again only when a send with as many attempts as the last one still fits.
      if (used + lastSend > retry.maxAttempts) throw new RetryExhaustedError(operation, used, { cause: err });
      const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (send - 1));
      const jittered = retry.random() * ceiling;
      const delayMs = Math.max(jittered, retryAfterMs(err) ?? 0);
      if (waited + delayMs > retry.budgetMs) throw new RetryExhaustedError(operation, used, { cause: err });
      options.onRetry?.({ attempt: used, error: err, delayMs });
      await sleep(delayMs, options.signal, operation);
      waited += delayMs;
    }
  }
}
