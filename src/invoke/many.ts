import { LambdaMeterAbortError, InvalidInputError } from '../errors.js';
import { throwIfAborted } from '../internal/abort.js';
import type { LambdaClientLike, SdkClientLike } from '../internal/clients.js';
import { loadLambdaSdk } from '../internal/peer.js';
import { TaskPool } from '../internal/pool.js';
import { resolveRetryOptions } from '../internal/retry.js';
import { checkClient, optionalFunction, positiveInteger } from '../internal/validate.js';
import { encodePayload, prepareInput } from './encode.js';
import type { PreparedInput } from './encode.js';
import { invokePrepared, invokeRetryProgress } from './invoke.js';
import { apportion, interleave, validateWeights } from './schedule.js';
import type { IndexedTailInvocation, InvokeManyInput, InvokeManyOptions } from './types.js';

/** What one invocation of a run sends: the value given and its encoded bytes. */
interface RequestPayload {
  readonly value: unknown;
  readonly bytes: Uint8Array | undefined;
}

/** A validated run. `nextPayload` is called once per index, in increasing order. */
interface RunPlan {
  readonly prepared: PreparedInput;
  readonly count: number;
  readonly concurrency: number;
  readonly nextPayload: (index: number) => RequestPayload;
}

function planPayloads(input: InvokeManyInput, count: number): (index: number) => RequestPayload {
  const source = input.payloads;
  if (source === undefined) {
    const fixed: RequestPayload = { value: input.payload, bytes: encodePayload(input.payload, 'input.payload') };
    return () => fixed;
  }
  if (typeof source === 'function') {
    return (index) => {
      const value = source(index);
      return { value, bytes: encodePayload(value, `input.payloads(${index})`) };
    };
  }
  if (!Array.isArray(source)) {
    throw new InvalidInputError('input.payloads', 'must be an array of { payload, weight } or a function (index) => payload');
  }
  const weights = validateWeights(source, 'input.payloads');
  // Each entry is encoded once, up front, so a bad entry fails before the first call.
  const entries: RequestPayload[] = source.map((entry, i) => ({
    value: entry.payload,
    bytes: encodePayload(entry.payload, `input.payloads[${i}].payload`),
  }));
  const order = interleave(apportion(weights, count));
  return () => entries[order.next().value as number] as RequestPayload;
}

function planRun(client: unknown, input: InvokeManyInput, options: InvokeManyOptions): RunPlan {
  checkClient(client, 'client', 'LambdaClient');
  if (typeof input !== 'object' || input === null) {
    throw new InvalidInputError('input', 'must be an object with at least { functionName, count }');
  }
  if (typeof options !== 'object' || options === null) throw new InvalidInputError('options', 'must be an object');
  const count = positiveInteger(input.count, 'input.count');
  const concurrency = positiveInteger(input.concurrency ?? 1, 'input.concurrency');
  optionalFunction(options.onProgress, 'options.onProgress');
  resolveRetryOptions(options.retry);
  const prepared = prepareInput(input);
  return { prepared, count, concurrency, nextPayload: planPayloads(input, count) };
}

async function* runInvocations(
  client: SdkClientLike,
  plan: RunPlan,
  options: InvokeManyOptions,
  what: string,
): AsyncGenerator<IndexedTailInvocation, void, undefined> {
  const userSignal = options.signal;
  throwIfAborted(userSignal, what);
  const { InvokeCommand } = await loadLambdaSdk(what);
  throwIfAborted(userSignal, what);

  const { count, concurrency } = plan;
  // Aborted by the caller's signal, by the first failure, or when the consumer stops iterating.
  const controller = new AbortController();
  const done = new Map<number, IndexedTailInvocation>();
  let failure: { readonly error: unknown } | undefined;
  let stopped = false;
  let next = 0;
  let inFlight = 0;
  let completed = 0;
  let failed = 0;
  let wake: (() => void) | undefined;

  const notify = (): void => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  const fail = (error: unknown): void => {
    failure ??= { error };
    controller.abort(error);
  };
  const onAbort = (): void => {
    controller.abort(userSignal?.reason);
    notify();
  };
  userSignal?.addEventListener('abort', onAbort, { once: true });

  const track = async (index: number, request: RequestPayload): Promise<void> => {
    const onProgress = options.onProgress;
    let result;
    try {
      result = await invokePrepared(client, InvokeCommand, plan.prepared, request.bytes, {
        signal: controller.signal,
        retry: options.retry,
        onRetry:
          onProgress === undefined
            ? undefined
            : (event) => onProgress(invokeRetryProgress(what, event, { completed, total: count, failed, inFlight }, index)),
      });
    } catch (err) {
      inFlight--;
      fail(err);
      return;
    }
    inFlight--;
    completed++;
    if (result.functionError !== undefined) failed++;
    done.set(index, { ...result, index, requestPayload: request.value });
    try {
      options.onProgress?.({ operation: what, phase: 'invoking', completed, total: count, failed, inFlight });
    } catch (err) {
      fail(err);
    }
  };

  // Starts invocations until `concurrency` are in flight; the pool calls it again as each one completes, so the run
  // keeps its concurrency while the consumer is busy with a result. track() never rejects: a failure stops the run.
  const pool: TaskPool<void> = new TaskPool<void>(concurrency, {
    keepOutcomes: false,
    onSettled: () => {
      pump();
      notify();
    },
  });
  const pump = (): void => {
    while (!stopped && failure === undefined && !controller.signal.aborted && !pool.full && next < count) {
      const index = next++;
      let request: RequestPayload;
      try {
        request = plan.nextPayload(index);
      } catch (err) {
        fail(err);
        return;
      }
      inFlight++;
      pool.start(() => track(index, request));
    }
  };

  let yielded = 0;
  try {
    pump();
    for (;;) {
      if (userSignal?.aborted) throw new LambdaMeterAbortError(what, { cause: userSignal.reason });
      if (failure !== undefined) throw failure.error;
      const ready = done.get(yielded);
      if (ready !== undefined) {
        done.delete(yielded);
        yielded++;
        yield ready;
        continue;
      }
      if (yielded >= count) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    stopped = true;
    userSignal?.removeEventListener('abort', onAbort);
    if (pool.size > 0) {
      controller.abort(new LambdaMeterAbortError(what));
      // Waits for the aborted calls to settle, so nothing is left behind.
      await pool.drain();
    }
  }
}

/**
 * Tail-invokes a function `count` times with at most `concurrency` calls in flight, yielding each result in request
 * order as soon as it and all earlier ones are done (later results that finish first are buffered). Results are
 * `TailInvocation`s plus their `index` and `requestPayload`.
 *
 * Breaking out of the loop stops the run: no new call starts, calls in flight are aborted and awaited. The first call
 * that fails (a service error that is not retried, exhausted retries, a throwing `onProgress`) stops the run the same
 * way and is thrown; results already yielded stay with the consumer. Function errors are results, not failures.
 * Validation errors are thrown synchronously, before the generator is returned.
 *
 * @example
 * ```ts
 * import { iterateInvocations } from 'lambda-meter/invoke';
 *
 * for await (const r of iterateInvocations(lambda, { functionName: 'resize', count: 100, concurrency: 10 })) {
 *   console.log(r.index, r.report?.durationMs);
 *   if (r.functionError) break; // stops the run; nothing is left in flight
 * }
 * ```
 */
export function iterateInvocations<C extends SdkClientLike>(
  client: LambdaClientLike<C>,
  input: InvokeManyInput,
  options: InvokeManyOptions = {},
): AsyncGenerator<IndexedTailInvocation, void, undefined> {
  const plan = planRun(client, input, options);
  return runInvocations(client, plan, options, 'iterateInvocations');
}

/**
 * Tail-invokes a function `count` times with at most `concurrency` calls in flight and returns every result in
 * request order. `payloads` can mix payloads by weight (`[{ payload, weight }]`, shared out by the largest-remainder
 * method and interleaved) or compute each from its index.
 *
 * Rejects with LambdaMeterAbortError when `signal` aborts (calls in flight are aborted first), or with the first
 * failure of any call (see {@link iterateInvocations}); validation errors reject before any call.
 *
 * @example
 * ```ts
 * import { invokeMany } from 'lambda-meter/invoke';
 *
 * const results = await invokeMany(lambda, {
 *   functionName: 'resize',
 *   count: 40,
 *   concurrency: 4,
 *   payloads: [{ payload: { width: 640 }, weight: 3 }, { payload: { width: 4096 }, weight: 1 }],
 * }, { onProgress: (p) => console.log(`${p.phase} ${p.completed}/${p.total}`) });
 * console.log(results.filter((r) => r.report?.coldStart).length, 'cold starts');
 * ```
 */
export async function invokeMany<C extends SdkClientLike>(
  client: LambdaClientLike<C>,
  input: InvokeManyInput,
  options: InvokeManyOptions = {},
): Promise<IndexedTailInvocation[]> {
  const plan = planRun(client, input, options);
  const results: IndexedTailInvocation[] = [];
  for await (const result of runInvocations(client, plan, options, 'invokeMany')) results.push(result);
  return results;
}
