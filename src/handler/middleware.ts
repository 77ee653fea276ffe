import { createRecorder, createStart, envelope, finish } from './measure.js';
import type { Start } from './measure.js';
import { resolveOptions } from './options.js';
import type { LambdaContextLike, LambdaMeterMiddleware, MeasurementOptions, MiddyRequestLike } from './types.js';

/**
 * The same measurement as `withMeasurement`, as a middy middleware (typed structurally: no middy import).
 * `before` starts the clock; `after` stops it and applies the mode (`envelope` replaces `request.response`, `log`
 * writes the line); `onError` measures the failure and leaves `request.error` alone, so middy rethrows it unchanged.
 * The hooks are plain synchronous functions and add no await tick, except that `after`/`onError` return a promise
 * while an asynchronous `onMeasurement` is awaited. Register it first to time the other middlewares too (its `after`
 * runs last), or last to time the handler alone.
 *
 * @param options - See {@link MeasurementOptions}; invalid options throw a `TypeError` naming the option.
 * @returns A `{ before, after, onError }` middleware object.
 *
 * @example
 * ```ts
 * import middy from '@middy/core';
 * import { lambdaMeterMiddleware } from 'lambda-meter/handler';
 *
 * export const handler = middy(async (event: { n: number }) => event.n * 2)
 *   .use(lambdaMeterMiddleware({ mode: 'log', emf: { namespace: 'Checkout' } }));
 * ```
 */
export function lambdaMeterMiddleware<TEvent = unknown, TContext extends LambdaContextLike = LambdaContextLike>(
  options: MeasurementOptions<TEvent, TContext> = {},
): LambdaMeterMiddleware<TEvent, TContext> {
  const config = resolveOptions('lambdaMeterMiddleware', options);
  const start = createStart();
  const record = createRecorder(config);
  // Keyed by middy's request object, created afresh for each invocation.
  const started = new WeakMap<object, Start>();

  const complete = (request: MiddyRequestLike<TEvent, TContext>, failed: boolean): Promise<void> | undefined => {
    const begun = started.get(request);
    // No start: `before` did not run (an earlier middleware returned early) or this invocation is already recorded
    // (an outer middleware's `after` threw after ours ran).
    if (begun === undefined) return undefined;
    started.delete(request);
    const measurement = finish(begun, request.context, failed, request.error);
    if (!failed && config.envelope) request.response = envelope(measurement, request.response);
    return record(measurement, request.event, request.context);
  };

  return {
    before(request) {
      started.set(request, start());
    },
    after(request) {
      return complete(request, false);
    },
    onError(request) {
      return complete(request, true);
    },
  };
}
