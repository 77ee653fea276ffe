import { createRecorder, createStart, envelope, finish } from './measure.js';
import { resolveOptions } from './options.js';
import type {
  CallbackHandler,
  EnvelopeModeOptions,
  LambdaCallback,
  LambdaContextLike,
  LogModeOptions,
  MeasurementEnvelope,
  MeasurementOptions,
} from './types.js';

type AnyFunction = (...args: never[]) => unknown;

/**
 * Wraps a Lambda handler so that every invocation is timed from the inside, flagged cold or warm and tagged with
 * its request id. `envelope` mode (the default) returns `{ requestId, coldStart, durationMs, result }`; `log` mode
 * returns the result untouched and writes one JSON line (optionally CloudWatch EMF) per invocation.
 *
 * Async handlers (and any handler with fewer than three parameters) give an `async (event, context)` wrapper.
 * Callback-style handlers (three or more parameters, not `async`; Node.js 20/22 runtimes) give a
 * `(event, context, callback)` wrapper, timed until the callback is called; called without a callback, it returns a
 * promise instead. Errors are measured and rethrown (or called back) unchanged, the same object.
 *
 * @param handler - The handler to wrap.
 * @param options - See {@link MeasurementOptions}; invalid options throw a `TypeError` naming the option.
 * @returns The wrapped handler; export it as your function's handler.
 *
 * @example
 * ```ts
 * import { withMeasurement } from 'lambda-meter/handler';
 *
 * export const handler = withMeasurement(async (event: { n: number }) => ({ doubled: event.n * 2 }));
 * // → { requestId: 'c6af9ac6-…', coldStart: true, durationMs: 0.042, result: { doubled: 4 } }
 * ```
 */
export function withMeasurement<TEvent, TResult, TContext extends LambdaContextLike = LambdaContextLike>(
  handler: (event: TEvent, context: TContext) => TResult,
  options: LogModeOptions<TEvent, TContext>,
): (event: TEvent, context: TContext) => Promise<Awaited<TResult>>;
export function withMeasurement<TEvent, TResult, TContext extends LambdaContextLike = LambdaContextLike>(
  handler: (event: TEvent, context: TContext) => TResult,
  options?: EnvelopeModeOptions<TEvent, TContext>,
): (event: TEvent, context: TContext) => Promise<MeasurementEnvelope<Awaited<TResult>>>;
export function withMeasurement<TEvent, TResult, TContext extends LambdaContextLike = LambdaContextLike>(
  handler: CallbackHandler<TEvent, TResult, TContext>,
  options: LogModeOptions<TEvent, TContext>,
): CallbackHandler<TEvent, TResult, TContext>;
export function withMeasurement<TEvent, TResult, TContext extends LambdaContextLike = LambdaContextLike>(
  handler: CallbackHandler<TEvent, TResult, TContext>,
  options?: EnvelopeModeOptions<TEvent, TContext>,
): CallbackHandler<TEvent, MeasurementEnvelope<TResult>, TContext>;
export function withMeasurement<TEvent, TContext extends LambdaContextLike = LambdaContextLike>(
  handler: (event: TEvent, context: TContext, ...rest: never[]) => unknown,
  options?: MeasurementOptions<TEvent, TContext>,
): (event: TEvent, context: TContext, callback?: LambdaCallback) => unknown;
export function withMeasurement(handler: AnyFunction, options: MeasurementOptions<never, never> = {}): AnyFunction {
  if (typeof handler !== 'function') {
    throw new TypeError(`withMeasurement: \`handler\` must be a function, got ${handler === null ? 'null' : typeof handler}`);
  }
  // The runtime interface client marks response-streaming handlers with this symbol; their second argument is a
  // stream, not the context, so they cannot be measured this way.
  if ((handler as unknown as Record<symbol, unknown>)[Symbol.for('aws.lambda.runtime.handler.streaming')]) {
    throw new TypeError('withMeasurement: response-streaming handlers are not supported');
  }
  const config = resolveOptions('withMeasurement', options);
  const start = createStart();
  const record = createRecorder(config);
  const callbackStyle = handler.length >= 3 && handler.constructor.name !== 'AsyncFunction';

  if (!callbackStyle) {
    // Two declared parameters (the default-valued third does not count in `length`): the Node.js 24 runtime
    // refuses handlers with three. The third argument (a runtime callback, middy's `{ signal }`) is passed on as is.
    return async function measured(event: unknown, context: LambdaContextLike, extra: unknown = undefined) {
      const started = start();
      let result: unknown;
      try {
        result = await (handler as (...args: unknown[]) => unknown)(event, context, extra);
      } catch (error) {
        const pending = record(finish(started, context, true, error), event, context);
        if (pending !== undefined) await pending;
        throw error;
      }
      const measurement = finish(started, context, false);
      const pending = record(measurement, event, context);
      if (pending !== undefined) await pending;
      return config.envelope ? envelope(measurement, result) : result;
    };
  }

  return function measured(event: unknown, context: LambdaContextLike, callback: unknown) {
    const started = start();
    let deliver = callback as LambdaCallback;
    let promise: Promise<unknown> | undefined;
    if (typeof callback !== 'function') {
      // Called without a callback (a test, a promise-based caller): settle a promise instead.
      promise = new Promise((resolve, reject) => {
        deliver = (error, result) => (error === undefined || error === null ? resolve(result) : reject(error));
      });
    }
    let done = false;
    const complete = (failed: boolean, error: unknown, result: unknown): void => {
      if (done) return; // only the first completion counts
      done = true;
      const measurement = finish(started, context, failed, error);
      const send = (): void => {
        if (failed) deliver(error as Error);
        else deliver(null, config.envelope ? envelope(measurement, result) : result);
      };
      const pending = record(measurement, event, context);
      if (pending === undefined) send();
      else void pending.then(send);
    };
    let returned: unknown;
    try {
      returned = (handler as (...args: unknown[]) => unknown)(event, context, (error: unknown, result: unknown) =>
        complete(error !== undefined && error !== null, error, result));
    } catch (error) {
      if (done) throw error;
      // The Node.js runtime answers a synchronous throw with callback(error); doing the same here lets an
      // asynchronous onMeasurement finish before the error is reported.
      complete(true, error, undefined);
      return promise;
    }
    if (typeof (returned as { then?: unknown } | null)?.then === 'function') {
      (returned as PromiseLike<unknown>).then(
        (result) => complete(false, undefined, result),
        (error: unknown) => complete(true, error, undefined),
      );
    }
    return promise;
  };
}
