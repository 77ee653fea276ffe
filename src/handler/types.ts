/**
 * Public types of `lambda-meter/handler`. They are structural and self-contained: nothing here needs
 * `@types/aws-lambda` or `@middy/core`, yet their `Context`, `Callback` and middleware shapes are accepted.
 *
 * @module
 */

/**
 * The part of the Lambda `context` object that the wrapper reads. The Node.js runtime's context (and
 * `@types/aws-lambda`'s `Context`) satisfies it. Nothing on it is written, so `callbackWaitsForEmptyEventLoop`
 * keeps whatever value your handler gives it.
 */
export interface LambdaContextLike {
  /** The invocation's request id; every measurement is tagged with it. */
  readonly awsRequestId: string;
  /** The function's name (also `AWS_LAMBDA_FUNCTION_NAME`). */
  readonly functionName?: string;
  /** `$LATEST` or the published version number being run. */
  readonly functionVersion?: string;
  /** The configured memory; a string such as `"128"` in the Node.js runtime. */
  readonly memoryLimitInMB?: string | number;
}

/** The completion callback of a callback-style handler, as the Node.js 20/22 runtimes pass it. */
export type LambdaCallback<TResult = unknown> = (error?: Error | string | null, result?: TResult) => void;

/** A handler that returns its result (usually an `async` function). */
export type AsyncHandler<TEvent = unknown, TResult = unknown, TContext extends LambdaContextLike = LambdaContextLike> = (
  event: TEvent,
  context: TContext,
) => Promise<TResult>;

/** A callback-style handler (Node.js 20/22 runtimes only; Node.js 24 removed them). */
export type CallbackHandler<TEvent = unknown, TResult = unknown, TContext extends LambdaContextLike = LambdaContextLike> = (
  event: TEvent,
  context: TContext,
  callback: LambdaCallback<TResult>,
) => void;

/** What the handler threw (or passed to its callback), reduced to two strings that serialize to JSON. */
export interface MeasuredError {
  /** The error's `name`, or `typeof` the thrown value when it was not an object (as Lambda's `errorType`). */
  readonly name: string;
  /** The error's `message`, or the thrown value as a string. */
  readonly message: string;
}

/** One invocation, measured from the inside. */
export interface Measurement {
  /** `context.awsRequestId`; an empty string when the handler was called without a context. */
  readonly requestId: string;
  /**
   * True on the first invocation handled by this wrapper in this environment, except under provisioned concurrency
   * (`AWS_LAMBDA_INITIALIZATION_TYPE` = `provisioned-concurrency`), where initialization happened ahead of traffic.
   */
  readonly coldStart: boolean;
  /** Time spent inside the handler, from a monotonic clock (`process.hrtime.bigint()`), in milliseconds. */
  readonly durationMs: number;
  /** When the handler was called, in epoch milliseconds (`Date.now()`). */
  readonly startedAt: number;
  /** `context.functionName`. */
  readonly functionName?: string;
  /** `context.functionVersion`. */
  readonly functionVersion?: string;
  /** `context.memoryLimitInMB` as a number. */
  readonly memoryLimitInMB?: number;
  /** `AWS_LAMBDA_INITIALIZATION_TYPE`: `on-demand`, `provisioned-concurrency`, `snap-start`, … */
  readonly initializationType?: string;
  /** Present when the handler threw, rejected or called back with an error. */
  readonly error?: MeasuredError;
}

/** What an `envelope`-mode handler returns instead of the bare result. */
export interface MeasurementEnvelope<TResult = unknown> {
  readonly requestId: string;
  readonly coldStart: boolean;
  readonly durationMs: number;
  /** The handler's own result, untouched. */
  readonly result: TResult;
}

/** How a measurement leaves the handler. */
export type MeasurementMode = 'envelope' | 'log';

/** Anything with a `write(chunk)` method: `process.stdout`, `process.stderr`, a test double. */
export interface LineOutput {
  write(chunk: string): unknown;
}

/** CloudWatch Embedded Metric Format settings for `log` mode. */
export interface EmfOptions {
  /**
   * The CloudWatch namespace of the metrics: 1–255 printable ASCII characters, not starting with `:`.
   * @default 'LambdaMeter'
   */
  readonly namespace?: string;
  /**
   * One dimension set, as name → value (up to 30; names 1–255 and values 1–1024 printable ASCII characters).
   * `{}` publishes the metrics without dimensions.
   * @default { FunctionName: context.functionName }
   */
  readonly dimensions?: Readonly<Record<string, string>>;
  /**
   * Prepended to the metric names `Duration` and `ColdStart`.
   * @default ''
   */
  readonly metricNamePrefix?: string;
}

/** Options of `withMeasurement` and `lambdaMeterMiddleware`. Invalid options throw a `TypeError`. */
export interface MeasurementOptions<TEvent = unknown, TContext extends LambdaContextLike = LambdaContextLike> {
  /**
   * `envelope` returns `{ requestId, coldStart, durationMs, result }`; `log` returns the result untouched and writes
   * one JSON line per invocation to `output`.
   * @default 'envelope'
   */
  readonly mode?: MeasurementMode;
  /**
   * `log` mode only: make the line a CloudWatch Embedded Metric Format document, so `Duration` (Milliseconds) and
   * `ColdStart` (Count, 1 or 0) become metrics with no API call.
   * @default false
   */
  readonly emf?: boolean | EmfOptions;
  /**
   * `log` mode only: where the JSON lines go. Looked up at the first invocation, never at import.
   * @default process.stdout
   */
  readonly output?: LineOutput;
  /**
   * Called after each invocation with its measurement (also when the handler failed), e.g. to store it in S3 under
   * the request id. May return a promise; see `awaitOnMeasurement`.
   * @default undefined
   */
  readonly onMeasurement?: (measurement: Measurement, event: TEvent, context: TContext) => unknown;
  /**
   * Wait for the promise returned by `onMeasurement` before returning the handler's result. Keep it on for
   * asynchronous invocations: Lambda may freeze the environment as soon as the handler returns.
   * @default true
   */
  readonly awaitOnMeasurement?: boolean;
  /**
   * Called when recording a measurement fails (`onMeasurement` threw or rejected, or `output.write` threw). Such a
   * failure never replaces the handler's result or error.
   * @default logs the error with console.error
   */
  readonly onMeasurementError?: (error: unknown, measurement: Measurement) => void;
}

/** `MeasurementOptions` selecting `log` mode. */
export type LogModeOptions<TEvent = unknown, TContext extends LambdaContextLike = LambdaContextLike> = MeasurementOptions<
  TEvent,
  TContext
> & { readonly mode: 'log' };

/** `MeasurementOptions` selecting (or defaulting to) `envelope` mode. */
export type EnvelopeModeOptions<TEvent = unknown, TContext extends LambdaContextLike = LambdaContextLike> = MeasurementOptions<
  TEvent,
  TContext
> & { readonly mode?: 'envelope' };

/** The request object middy hands to each middleware hook (only the fields used here). */
export interface MiddyRequestLike<TEvent = unknown, TContext extends LambdaContextLike = LambdaContextLike> {
  event: TEvent;
  context: TContext;
  response: unknown;
  error: unknown;
}

/** A middy middleware object. Each hook returns `undefined`, or a promise only when it has to wait for `onMeasurement`. */
export interface LambdaMeterMiddleware<TEvent = unknown, TContext extends LambdaContextLike = LambdaContextLike> {
  before(request: MiddyRequestLike<TEvent, TContext>): void;
  after(request: MiddyRequestLike<TEvent, TContext>): void | Promise<void>;
  onError(request: MiddyRequestLike<TEvent, TContext>): void | Promise<void>;
}
