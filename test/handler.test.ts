import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { lambdaMeterMiddleware, withMeasurement } from '../src/handler/index.js';
import type {
  LambdaCallback,
  LambdaContextLike,
  LineOutput,
  Measurement,
  MeasurementEnvelope,
  MiddyRequestLike,
} from '../src/handler/index.js';

// A context as the Node.js runtime builds it (memoryLimitInMB is a string there).
function lambdaContext(requestId = 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef', extra: Record<string, unknown> = {}) {
  return {
    awsRequestId: requestId,
    functionName: 'orders-api',
    functionVersion: '$LATEST',
    memoryLimitInMB: '128',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 3000,
    ...extra,
  };
}

/** A LineOutput that keeps every line, parsed. */
function captureLines(): LineOutput & { lines: string[]; json: () => Record<string, unknown>[] } {
  const lines: string[] = [];
  return { lines, write: (chunk: string) => lines.push(chunk), json: () => lines.map((l) => JSON.parse(l)) };
}

/** A promise with its resolve/reject exposed. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Resolves after every queued microtask and the current macrotask have run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Makes process.hrtime.bigint() return the given readings (in ns), one per call. */
function fakeClock(...readingsNs: bigint[]) {
  const spy = vi.spyOn(process.hrtime, 'bigint');
  for (const reading of readingsNs) spy.mockReturnValueOnce(reading);
  return spy;
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('withMeasurement: envelope mode (default)', () => {
  it('returns { requestId, coldStart, durationMs, result } with the result untouched', async () => {
    const payload = { doubled: 42 };
    const handler = withMeasurement(async (event: { n: number }) => {
      expect(event.n).toBe(21);
      return payload;
    });
    const out = await handler({ n: 21 }, lambdaContext('req-1'));
    expect(Object.keys(out)).toEqual(['requestId', 'coldStart', 'durationMs', 'result']);
    expect(out.requestId).toBe('req-1');
    expect(out.coldStart).toBe(true);
    expect(out.durationMs).toBeGreaterThan(0);
    expect(out.result).toBe(payload);
  });

  it('flags only the first invocation of a wrapper as cold', async () => {
    const handler = withMeasurement(async () => 'ok');
    const flags = [];
    for (const id of ['a', 'b', 'c']) flags.push((await handler(null, lambdaContext(id))).coldStart);
    expect(flags).toEqual([true, false, false]);
    // A second wrapper has its own flag (one environment runs one handler).
    expect((await withMeasurement(async () => 'ok')(null, lambdaContext('d'))).coldStart).toBe(true);
  });

  it('is never cold under provisioned concurrency, and records the initialization type', async () => {
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'provisioned-concurrency');
    const seen: Measurement[] = [];
    const handler = withMeasurement(async () => 1, { onMeasurement: (m) => void seen.push(m) });
    await handler(null, lambdaContext('a'));
    await handler(null, lambdaContext('b'));
    expect(seen.map((m) => m.coldStart)).toEqual([false, false]);
    expect(seen.map((m) => m.initializationType)).toEqual(['provisioned-concurrency', 'provisioned-concurrency']);
  });

  it('counts the first invocation after a SnapStart restore as cold', async () => {
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'snap-start');
    const seen: Measurement[] = [];
    const handler = withMeasurement(async () => 1, { onMeasurement: (m) => void seen.push(m) });
    await handler(null, lambdaContext('a'));
    await handler(null, lambdaContext('b'));
    expect(seen.map((m) => [m.coldStart, m.initializationType])).toEqual([[true, 'snap-start'], [false, 'snap-start']]);
  });

  it('reads the environment at the first invocation, not when wrapping', async () => {
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    const handler = withMeasurement(async () => 1);
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'provisioned-concurrency');
    expect((await handler(null, lambdaContext())).coldStart).toBe(false);
  });

  it('times the handler with the monotonic clock, read just before and just after it', async () => {
    vi.spyOn(Date, 'now').mockReturnValue(1_732_460_000_123);
    const clock = fakeClock(5_000_000n, 7_500_250n);
    let readsWhileRunning = -1;
    const seen: Measurement[] = [];
    const handler = withMeasurement(
      async () => {
        readsWhileRunning = clock.mock.calls.length;
        return 'done';
      },
      { onMeasurement: (m) => void seen.push(m) },
    );
    const out = await handler(null, lambdaContext('req-clock'));
    expect(readsWhileRunning).toBe(1);
    expect(clock).toHaveBeenCalledTimes(2);
    expect(out.durationMs).toBe(2.50025);
    expect(seen[0]).toEqual({
      requestId: 'req-clock',
      coldStart: true,
      durationMs: 2.50025,
      startedAt: 1_732_460_000_123,
      functionName: 'orders-api',
      functionVersion: '$LATEST',
      memoryLimitInMB: 128,
      initializationType: undefined,
      error: undefined,
    });
  });

  it('measures the time spent awaiting inside the handler (lower bound only)', async () => {
    const handler = withMeasurement(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return 'slept';
    });
    const out = await handler(null, lambdaContext());
    expect(out.durationMs).toBeGreaterThanOrEqual(15);
    expect(out.result).toBe('slept');
  });

  it('accepts synchronous handlers and foreign thenables', async () => {
    const sync = withMeasurement((event: number) => event + 1);
    expect((await sync(1, lambdaContext())).result).toBe(2);
    const thenable = withMeasurement(() => ({ then: (resolve: (v: string) => void) => resolve('from thenable') }));
    expect((await thenable(null, lambdaContext())).result).toBe('from thenable');
  });

  it('copes with a missing or odd context', async () => {
    const seen: Measurement[] = [];
    const handler = withMeasurement(async () => 1, { onMeasurement: (m) => void seen.push(m) });
    await (handler as (event: unknown, context?: unknown) => Promise<unknown>)(null);
    await handler(null, { awsRequestId: 'x', memoryLimitInMB: 'lots', functionName: 7 as unknown as string });
    await handler(null, { awsRequestId: 'y', memoryLimitInMB: 1769 });
    expect(seen.map((m) => [m.requestId, m.memoryLimitInMB, m.functionName])).toEqual([
      ['', undefined, undefined],
      ['x', undefined, undefined],
      ['y', 1769, undefined],
    ]);
  });

  it('passes the same event and context objects, and never writes to the context', async () => {
    const event = { id: 1 };
    const context = Object.freeze(lambdaContext('frozen', { callbackWaitsForEmptyEventLoop: false }));
    let got: unknown[] = [];
    const handler = withMeasurement(async (e: typeof event, c: typeof context) => {
      got = [e, c];
      return 'ok';
    });
    await handler(event, context);
    expect(got[0]).toBe(event);
    expect(got[1]).toBe(context);
    expect(context.callbackWaitsForEmptyEventLoop).toBe(false);
  });

  it('keeps two declared parameters, so the Node.js 24 runtime accepts it, and forwards a third argument', async () => {
    const plain = withMeasurement(async (event: unknown) => event);
    expect(plain.length).toBe(2);
    expect(plain.constructor.name).toBe('AsyncFunction');
    // An async handler with a third parameter (middy passes `{ signal }`) is still promise-based.
    const third: unknown[] = [];
    const withSignal = withMeasurement(async (_event: unknown, _context: LambdaContextLike, options: { signal: string }) => {
      third.push(options);
      return 'ok';
    });
    expect(withSignal.length).toBe(2);
    const options = { signal: 'abort-signal' };
    await (withSignal as (e: unknown, c: unknown, o: unknown) => Promise<unknown>)(null, lambdaContext(), options);
    expect(third).toEqual([options]);
  });

  it('types the result as an envelope, or as the bare result in log mode', () => {
    const envelopeHandler = withMeasurement(async (event: { n: number }) => event.n * 2);
    expectTypeOf(envelopeHandler).returns.resolves.toEqualTypeOf<MeasurementEnvelope<number>>();
    const logHandler = withMeasurement(async (event: { n: number }) => String(event.n), { mode: 'log' });
    expectTypeOf(logHandler).returns.resolves.toEqualTypeOf<string>();
    const callbackHandler = withMeasurement((_e: string, _c: LambdaContextLike, cb: LambdaCallback<number>) => cb(null, 1));
    expectTypeOf(callbackHandler).parameter(2).toEqualTypeOf<LambdaCallback<MeasurementEnvelope<number>>>();
  });
});

describe('withMeasurement: errors', () => {
  it('rethrows the same error object and measures it', async () => {
    const boom = new RangeError('out of stock');
    const seen: Measurement[] = [];
    const handler = withMeasurement(
      async () => {
        throw boom;
      },
      { onMeasurement: (m) => void seen.push(m) },
    );
    await expect(handler(null, lambdaContext('req-err'))).rejects.toBe(boom);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ requestId: 'req-err', coldStart: true, error: { name: 'RangeError', message: 'out of stock' } });
    expect(seen[0]!.durationMs).toBeGreaterThan(0);
  });

  it('rethrows synchronous throws unchanged too', async () => {
    const boom = new Error('sync');
    const handler = withMeasurement(() => {
      throw boom;
    });
    await expect(handler(null, lambdaContext())).rejects.toBe(boom);
  });

  it('describes thrown non-errors the way Lambda names them (typeof) and survives hostile errors', async () => {
    const seen: Measurement[] = [];
    const throwing = (value: unknown) =>
      withMeasurement(
        async () => {
          throw value;
        },
        { onMeasurement: (m) => void seen.push(m) },
      )(null, lambdaContext()).catch((e: unknown) => e);
    const hostile = {
      get name(): string {
        throw new Error('getter');
      },
    };
    expect(await throwing('plain string')).toBe('plain string');
    expect(await throwing(404)).toBe(404);
    expect(await throwing({ name: 12, message: ['x'] })).toEqual({ name: 12, message: ['x'] });
    expect(await throwing(hostile)).toBe(hostile);
    expect(seen.map((m) => m.error)).toEqual([
      { name: 'string', message: 'plain string' },
      { name: 'number', message: '404' },
      { name: 'Error', message: '' },
      { name: 'Error', message: '' },
    ]);
  });
});

describe('withMeasurement: log mode', () => {
  it('returns the result untouched and writes one JSON line per invocation', async () => {
    vi.spyOn(Date, 'now').mockReturnValue(1_732_460_000_000);
    const out = captureLines();
    const payload = { statusCode: 200 };
    const handler = withMeasurement(async () => payload, { mode: 'log', output: out });
    expect(await handler(null, lambdaContext('req-a'))).toBe(payload);
    expect(await handler(null, lambdaContext('req-b'))).toBe(payload);
    expect(out.lines).toHaveLength(2);
    for (const line of out.lines) expect(line.endsWith('}\n') && !line.slice(0, -1).includes('\n')).toBe(true);
    const [first, second] = out.json();
    expect(Object.keys(first!)).toEqual(['type', 'requestId', 'coldStart', 'durationMs', 'startedAt', 'functionName',
      'functionVersion', 'memoryLimitInMB']);
    expect(first).toMatchObject({
      type: 'lambda-meter.measurement',
      requestId: 'req-a',
      coldStart: true,
      startedAt: 1_732_460_000_000,
      functionName: 'orders-api',
      functionVersion: '$LATEST',
      memoryLimitInMB: 128,
    });
    expect(first!.durationMs).toBeGreaterThan(0);
    expect(second).toMatchObject({ requestId: 'req-b', coldStart: false });
  });

  it('escapes strings and follows a changing context', async () => {
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    const out = captureLines();
    const handler = withMeasurement(async () => 1, { mode: 'log', output: out });
    await handler(null, lambdaContext('quote " and \\ and \n newline', { functionName: 'fn-one' }));
    await handler(null, lambdaContext('second', { functionName: 'fn-two', functionVersion: undefined }));
    await handler(null, { awsRequestId: 'bare' });
    const [a, b, c] = out.json();
    expect(a).toMatchObject({ requestId: 'quote " and \\ and \n newline', functionName: 'fn-one', initializationType: 'on-demand' });
    expect(b).toMatchObject({ requestId: 'second', functionName: 'fn-two' });
    expect(b).not.toHaveProperty('functionVersion');
    expect(c).toEqual({ type: 'lambda-meter.measurement', requestId: 'bare', coldStart: false, durationMs: c!.durationMs,
      startedAt: c!.startedAt, initializationType: 'on-demand' });
  });

  it('logs the error and rethrows it', async () => {
    const out = captureLines();
    const boom = new TypeError('bad input');
    const handler = withMeasurement(
      async () => {
        throw boom;
      },
      { mode: 'log', output: out },
    );
    await expect(handler(null, lambdaContext('req-e'))).rejects.toBe(boom);
    expect(out.json()[0]).toMatchObject({ requestId: 'req-e', error: { name: 'TypeError', message: 'bad input' } });
  });

  it('writes to process.stdout by default, looked up at invocation time', async () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const handler = withMeasurement(async () => 'ok', { mode: 'log' });
    expect(write).not.toHaveBeenCalled();
    expect(await handler(null, lambdaContext('req-stdout'))).toBe('ok');
    expect(write).toHaveBeenCalledTimes(1);
    expect(JSON.parse(String(write.mock.calls[0]![0]))).toMatchObject({ requestId: 'req-stdout' });
  });

  it('reports a failing output without masking the result', async () => {
    const failure = new Error('EPIPE');
    const errors: unknown[][] = [];
    const handler = withMeasurement(async () => 'still here', {
      mode: 'log',
      output: {
        write: () => {
          throw failure;
        },
      },
      onMeasurementError: (error, m) => void errors.push([error, m.requestId]),
    });
    expect(await handler(null, lambdaContext('req-w'))).toBe('still here');
    expect(errors).toEqual([[failure, 'req-w']]);
  });
});

/** Checks an EMF document against the specification's structural rules and returns its directive. */
function checkEmfDocument(doc: Record<string, unknown>) {
  const aws = doc._aws as { Timestamp: unknown; CloudWatchMetrics: unknown[] };
  expect(Number.isInteger(aws.Timestamp)).toBe(true);
  expect(aws.CloudWatchMetrics).toHaveLength(1);
  const directive = aws.CloudWatchMetrics[0] as {
    Namespace: string;
    Dimensions: string[][];
    Metrics: { Name: string; Unit: string }[];
  };
  expect(Object.keys(directive)).toEqual(['Namespace', 'Dimensions', 'Metrics']);
  for (const set of directive.Dimensions) {
    expect(set.length).toBeLessThanOrEqual(30);
    for (const key of set) expect(typeof doc[key]).toBe('string'); // every dimension has a top-level string value
  }
  for (const metric of directive.Metrics) expect(typeof doc[metric.Name]).toBe('number'); // and every metric a number
  return directive;
}

describe('withMeasurement: CloudWatch Embedded Metric Format', () => {
  it('emits Duration and ColdStart metrics by FunctionName, plus every measurement field', async () => {
    vi.spyOn(Date, 'now').mockReturnValue(1_732_460_000_456);
    const out = captureLines();
    const handler = withMeasurement(async () => 'ok', { mode: 'log', emf: true, output: out });
    await handler(null, lambdaContext('req-1'));
    await handler(null, lambdaContext('req-2'));
    const [first, second] = out.json();
    const directive = checkEmfDocument(first!);
    expect(first!._aws).toEqual({
      Timestamp: 1_732_460_000_456,
      CloudWatchMetrics: [{
        Namespace: 'LambdaMeter',
        Dimensions: [['FunctionName']],
        Metrics: [{ Name: 'Duration', Unit: 'Milliseconds' }, { Name: 'ColdStart', Unit: 'Count' }],
      }],
    });
    expect(directive.Namespace).toBe('LambdaMeter');
    expect(first).toMatchObject({ FunctionName: 'orders-api', ColdStart: 1, requestId: 'req-1', type: 'lambda-meter.measurement' });
    expect(first!.Duration).toBe(first!.durationMs);
    expect(second).toMatchObject({ ColdStart: 0, requestId: 'req-2', coldStart: false });
    checkEmfDocument(second!);
  });

  it('uses the given namespace, dimensions and metric name prefix', async () => {
    const out = captureLines();
    const handler = withMeasurement(async () => 'ok', {
      mode: 'log',
      output: out,
      emf: { namespace: 'Shop/Checkout', dimensions: { Stage: 'prod', Service: 'orders' }, metricNamePrefix: 'Handler' },
    });
    await handler(null, lambdaContext());
    const [doc] = out.json();
    const directive = checkEmfDocument(doc!);
    expect(directive).toEqual({
      Namespace: 'Shop/Checkout',
      Dimensions: [['Stage', 'Service']],
      Metrics: [{ Name: 'HandlerDuration', Unit: 'Milliseconds' }, { Name: 'HandlerColdStart', Unit: 'Count' }],
    });
    expect(doc).toMatchObject({ Stage: 'prod', Service: 'orders', HandlerColdStart: 1 });
    expect(doc!.HandlerDuration).toBe(doc!.durationMs);
    expect(doc).not.toHaveProperty('FunctionName');
  });

  it('publishes without dimensions when asked to, or when the context has no function name', async () => {
    const explicit = captureLines();
    await withMeasurement(async () => 1, { mode: 'log', output: explicit, emf: { dimensions: {} } })(null, lambdaContext());
    expect(checkEmfDocument(explicit.json()[0]!).Dimensions).toEqual([[]]);
    const anonymous = captureLines();
    await withMeasurement(async () => 1, { mode: 'log', output: anonymous, emf: true })(null, { awsRequestId: 'r' });
    const [doc] = anonymous.json();
    expect(checkEmfDocument(doc!).Dimensions).toEqual([[]]);
    expect(doc).not.toHaveProperty('FunctionName');
  });

  it('includes the error of a failed invocation', async () => {
    const out = captureLines();
    const handler = withMeasurement(
      async () => {
        throw new Error('nope');
      },
      { mode: 'log', output: out, emf: true },
    );
    await expect(handler(null, lambdaContext())).rejects.toThrow('nope');
    const [doc] = out.json();
    checkEmfDocument(doc!);
    expect(doc).toMatchObject({ error: { name: 'Error', message: 'nope' }, ColdStart: 1 });
  });
});

describe('withMeasurement: onMeasurement', () => {
  it('receives the measurement, the event and the context, also when the handler fails', async () => {
    const calls: unknown[][] = [];
    const event = { id: 'e' };
    const context = lambdaContext('req-om');
    let fail = false;
    const handler = withMeasurement(
      async () => {
        if (fail) throw new Error('second fails');
        return 'first';
      },
      { onMeasurement: (...args) => void calls.push(args) },
    );
    await handler(event, context);
    fail = true;
    await expect(handler(event, context)).rejects.toThrow('second fails');
    expect(calls).toHaveLength(2);
    expect(calls[0]![1]).toBe(event);
    expect(calls[0]![2]).toBe(context);
    expect(calls[0]![0]).toMatchObject({ requestId: 'req-om', coldStart: true, error: undefined });
    expect(calls[1]![0]).toMatchObject({ coldStart: false, error: { name: 'Error', message: 'second fails' } });
  });

  it('is awaited by default before the handler returns', async () => {
    const stored = deferred();
    const handler = withMeasurement(async () => 'result', { onMeasurement: () => stored.promise });
    let finished = false;
    const running = handler(null, lambdaContext()).then((out) => {
      finished = true;
      return out;
    });
    await settle();
    expect(finished).toBe(false);
    stored.resolve();
    expect((await running).result).toBe('result');
    expect(finished).toBe(true);
  });

  it('is awaited before a failure is rethrown', async () => {
    const stored = deferred();
    const boom = new Error('handler failed');
    const handler = withMeasurement(
      async () => {
        throw boom;
      },
      { onMeasurement: () => stored.promise },
    );
    let settled = false;
    const running = handler(null, lambdaContext()).catch((e: unknown) => {
      settled = true;
      return e;
    });
    await settle();
    expect(settled).toBe(false);
    stored.resolve();
    expect(await running).toBe(boom);
  });

  it('is not awaited with awaitOnMeasurement: false, and a later rejection is still reported', async () => {
    const stored = deferred();
    const reported: unknown[] = [];
    const handler = withMeasurement(async () => 'fast', {
      onMeasurement: () => stored.promise,
      awaitOnMeasurement: false,
      onMeasurementError: (error) => void reported.push(error),
    });
    expect((await handler(null, lambdaContext())).result).toBe('fast');
    const late = new Error('S3 put failed');
    stored.reject(late);
    await settle();
    expect(reported).toEqual([late]);
  });

  it('never masks the result: synchronous throws and rejections go to onMeasurementError', async () => {
    const reported: [unknown, string][] = [];
    const onMeasurementError = (error: unknown, m: Measurement) => void reported.push([error, m.requestId]);
    const syncFailure = new Error('sync failure');
    const asyncFailure = new Error('async failure');
    const a = withMeasurement(async () => 'a', {
      onMeasurement: () => {
        throw syncFailure;
      },
      onMeasurementError,
    });
    const b = withMeasurement(async () => 'b', { onMeasurement: async () => Promise.reject(asyncFailure), onMeasurementError });
    expect((await a(null, lambdaContext('ra'))).result).toBe('a');
    expect((await b(null, lambdaContext('rb'))).result).toBe('b');
    expect(reported).toEqual([[syncFailure, 'ra'], [asyncFailure, 'rb']]);
  });

  it('never masks the error either', async () => {
    const boom = new Error('the real error');
    const reported: unknown[] = [];
    const handler = withMeasurement(
      async () => {
        throw boom;
      },
      { onMeasurement: async () => Promise.reject(new Error('storage down')), onMeasurementError: (e) => void reported.push(e) },
    );
    await expect(handler(null, lambdaContext())).rejects.toBe(boom);
    expect(reported).toEqual([new Error('storage down')]);
  });

  it('falls back to console.error, and survives a failing onMeasurementError', async () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    const failure = new Error('no bucket');
    const fallback = withMeasurement(async () => 1, {
      onMeasurement: () => {
        throw failure;
      },
    });
    expect((await fallback(null, lambdaContext())).result).toBe(1);
    expect(consoleError).toHaveBeenCalledWith('lambda-meter: recording the measurement failed:', failure);

    const throwingReporter = withMeasurement(async () => 2, {
      onMeasurement: () => {
        throw failure;
      },
      onMeasurementError: () => {
        throw new Error('reporter broke');
      },
    });
    expect((await throwingReporter(null, lambdaContext())).result).toBe(2);
    // A reporter returning a rejected promise must not become an unhandled rejection (Vitest would fail the run).
    const rejectingReporter = withMeasurement(async () => 3, {
      onMeasurement: () => {
        throw failure;
      },
      onMeasurementError: (() => Promise.reject(new Error('async reporter broke'))) as () => void,
    });
    expect((await rejectingReporter(null, lambdaContext())).result).toBe(3);
    await settle();
  });
});

describe('withMeasurement: callback-style handlers (Node.js 20/22)', () => {
  type Cb = LambdaCallback<unknown>;

  function callWithCallback(handler: (e: unknown, c: unknown, cb: Cb) => unknown, event: unknown = null) {
    return new Promise<{ error: unknown; result: unknown; calls: number }>((resolve) => {
      let calls = 0;
      const returned = handler(event, lambdaContext('req-cb'), (error, result) => {
        calls++;
        setImmediate(() => resolve({ error, result, calls }));
      });
      expect(returned).toBeUndefined();
    });
  }

  it('keeps the three-parameter shape and times until the callback is called', async () => {
    vi.spyOn(Date, 'now').mockReturnValue(1_000);
    const clock = fakeClock(1_000_000n, 4_000_000n);
    const seen: Measurement[] = [];
    const handler = withMeasurement(
      (event: number, _context: LambdaContextLike, callback: LambdaCallback<number>) => {
        setTimeout(() => callback(null, event * 2), 1);
      },
      { onMeasurement: (m) => void seen.push(m) },
    );
    expect(handler.length).toBe(3);
    expect(handler.constructor.name).toBe('Function');
    const out = await callWithCallback(handler as never, 21);
    expect(out.error).toBeNull();
    expect(out.result).toEqual({ requestId: 'req-cb', coldStart: true, durationMs: 3, result: 42 });
    expect(clock).toHaveBeenCalledTimes(2);
    expect(seen[0]).toMatchObject({ durationMs: 3, startedAt: 1_000, error: undefined });
  });

  it('passes the result through untouched in log mode', async () => {
    const out = captureLines();
    const payload = { ok: true };
    const handler = withMeasurement((_e: unknown, _c: LambdaContextLike, cb: Cb) => cb(null, payload), { mode: 'log', output: out });
    const got = await callWithCallback(handler as never);
    expect(got.result).toBe(payload);
    expect(out.json()[0]).toMatchObject({ requestId: 'req-cb', coldStart: true });
  });

  it('calls back with the same error object and measures it', async () => {
    const boom = new Error('callback error');
    const seen: Measurement[] = [];
    const handler = withMeasurement((_e: unknown, _c: LambdaContextLike, cb: Cb) => cb(boom), {
      onMeasurement: (m) => void seen.push(m),
    });
    const got = await callWithCallback(handler as never);
    expect(got.error).toBe(boom);
    expect(got.result).toBeUndefined();
    expect(seen[0]!.error).toEqual({ name: 'Error', message: 'callback error' });
    const stringly = withMeasurement((_e: unknown, _c: LambdaContextLike, cb: Cb) => cb('failed as a string'));
    expect((await callWithCallback(stringly as never)).error).toBe('failed as a string');
  });

  it('answers a synchronous throw through the callback, as the runtime does', async () => {
    const boom = new Error('thrown synchronously');
    const seen: Measurement[] = [];
    const handler = withMeasurement(
      (_e: unknown, _c: LambdaContextLike, _cb: Cb) => {
        throw boom;
      },
      { onMeasurement: (m) => void seen.push(m) },
    );
    const got = await callWithCallback(handler as never);
    expect(got.error).toBe(boom);
    expect(seen[0]!.error).toEqual({ name: 'Error', message: 'thrown synchronously' });
  });

  it('rethrows a throw that comes after the callback was already called', () => {
    const late = new Error('after callback');
    const results: unknown[] = [];
    const handler = withMeasurement((_e: unknown, _c: LambdaContextLike, cb: Cb) => {
      cb(null, 'done');
      throw late;
    });
    expect(() => (handler as never as (e: unknown, c: unknown, cb: Cb) => void)(null, lambdaContext(), (error, result) =>
      results.push(error, result))).toThrow(late);
    expect(results).toHaveLength(2);
  });

  it('counts only the first completion', async () => {
    const seen: Measurement[] = [];
    const handler = withMeasurement(
      (_e: unknown, _c: LambdaContextLike, cb: Cb) => {
        cb(null, 'first');
        cb(null, 'second');
        cb(new Error('third'));
      },
      { onMeasurement: (m) => void seen.push(m) },
    );
    const got = await callWithCallback(handler as never);
    expect(got.calls).toBe(1);
    expect((got.result as MeasurementEnvelope).result).toBe('first');
    expect(seen).toHaveLength(1);
  });

  it('follows a promise returned by a non-async three-parameter handler', async () => {
    const resolved = withMeasurement((_e: unknown, _c: LambdaContextLike, _cb: Cb) => Promise.resolve('via promise') as never);
    expect(((await callWithCallback(resolved as never)).result as MeasurementEnvelope).result).toBe('via promise');
    const boom = new Error('rejected');
    const rejected = withMeasurement((_e: unknown, _c: LambdaContextLike, _cb: Cb) => Promise.reject(boom) as never);
    expect((await callWithCallback(rejected as never)).error).toBe(boom);
  });

  it('returns a promise when called without a callback', async () => {
    const ok = withMeasurement((event: string, _c: LambdaContextLike, cb: LambdaCallback<string>) => cb(null, `${event}!`));
    const call = ok as unknown as (e: unknown, c: unknown) => Promise<MeasurementEnvelope<string>>;
    const out = await call('hi', lambdaContext('req-p'));
    expect(out).toMatchObject({ requestId: 'req-p', result: 'hi!' });
    const boom = new Error('no callback given');
    const failing = withMeasurement((_e: unknown, _c: LambdaContextLike, cb: Cb) => cb(boom));
    await expect((failing as unknown as (e: unknown, c: unknown) => Promise<unknown>)(null, lambdaContext())).rejects.toBe(boom);
    const throwing = withMeasurement((_e: unknown, _c: LambdaContextLike, _cb: Cb) => {
      throw boom;
    });
    await expect((throwing as unknown as (e: unknown, c: unknown) => Promise<unknown>)(null, lambdaContext())).rejects.toBe(boom);
  });

  it('waits for an asynchronous onMeasurement before calling back', async () => {
    const stored = deferred();
    const handler = withMeasurement((_e: unknown, _c: LambdaContextLike, cb: Cb) => cb(null, 'x'), {
      onMeasurement: () => stored.promise,
    });
    let calledBack = false;
    (handler as never as (e: unknown, c: unknown, cb: Cb) => void)(null, lambdaContext(), () => {
      calledBack = true;
    });
    await settle();
    expect(calledBack).toBe(false);
    stored.resolve();
    await settle();
    expect(calledBack).toBe(true);
  });
});

// A small middy look-alike written for these tests: `before` hooks in order, the handler, `after` and `onError` hooks
// in reverse order; a hook's non-undefined return value is an early response; onError may set a response.
type Hook = (request: MiddyRequestLike & { internal: Record<string, unknown> }) => unknown;
function fakeMiddy(handler: (event: unknown, context: LambdaContextLike) => Promise<unknown>) {
  const before: Hook[] = [];
  const after: Hook[] = [];
  const onError: Hook[] = [];
  const hookResults: unknown[] = [];
  const runHooks = async (hooks: Hook[], request: Parameters<Hook>[0]): Promise<boolean> => {
    for (const hook of hooks) {
      const returned = hook(request);
      hookResults.push(returned);
      const value = await returned;
      if (value !== undefined) {
        request.response = value;
        return true;
      }
    }
    return false;
  };
  const run = async (event: unknown, context: LambdaContextLike) => {
    const request = { event, context, response: undefined as unknown, error: undefined as unknown, internal: {} };
    try {
      if (await runHooks(before, request)) return request.response;
      request.response = await handler(request.event, request.context);
      await runHooks(after, request);
      return request.response;
    } catch (error) {
      request.response = undefined;
      request.error = error;
      await runHooks(onError, request);
      if (request.response === undefined) throw request.error;
      return request.response;
    }
  };
  run.use = (middleware: { before?: Hook; after?: Hook; onError?: Hook }) => {
    if (middleware.before) before.push(middleware.before);
    if (middleware.after) after.unshift(middleware.after);
    if (middleware.onError) onError.unshift(middleware.onError);
    return run;
  };
  run.hookResults = hookResults;
  return run;
}

describe('lambdaMeterMiddleware', () => {
  it('envelope mode replaces the response, with plain synchronous hooks', async () => {
    const payload = { statusCode: 200 };
    const handler = fakeMiddy(async () => payload).use(lambdaMeterMiddleware());
    const first = (await handler({}, lambdaContext('req-m1'))) as MeasurementEnvelope;
    const second = (await handler({}, lambdaContext('req-m2'))) as MeasurementEnvelope;
    expect(first).toMatchObject({ requestId: 'req-m1', coldStart: true, result: payload });
    expect(first.durationMs).toBeGreaterThan(0);
    expect(second).toMatchObject({ requestId: 'req-m2', coldStart: false });
    expect(first.result).toBe(payload);
    // No promise anywhere: the hooks add no await tick.
    expect(handler.hookResults).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('log mode writes the line and leaves the response alone', async () => {
    const out = captureLines();
    const payload = { statusCode: 201 };
    const handler = fakeMiddy(async () => payload).use(lambdaMeterMiddleware({ mode: 'log', emf: true, output: out }));
    expect(await handler({}, lambdaContext('req-log'))).toBe(payload);
    const [doc] = out.json();
    checkEmfDocument(doc!);
    expect(doc).toMatchObject({ requestId: 'req-log', ColdStart: 1, FunctionName: 'orders-api' });
  });

  it('measures failures and lets middy rethrow the same error', async () => {
    const boom = new Error('handler broke');
    const seen: Measurement[] = [];
    const handler = fakeMiddy(async () => {
      throw boom;
    }).use(lambdaMeterMiddleware({ onMeasurement: (m) => void seen.push(m) }));
    await expect(handler({}, lambdaContext('req-fail'))).rejects.toBe(boom);
    expect(seen[0]).toMatchObject({ requestId: 'req-fail', coldStart: true, error: { name: 'Error', message: 'handler broke' } });
    expect(handler.hookResults).toEqual([undefined, undefined]);
  });

  it('returns a promise from after/onError only while an asynchronous onMeasurement is awaited', async () => {
    const stored = deferred();
    const middleware = lambdaMeterMiddleware({ onMeasurement: () => stored.promise });
    const request = { event: {}, context: lambdaContext(), response: 'r' as unknown, error: undefined as unknown };
    expect(middleware.before(request)).toBeUndefined();
    const pending = middleware.after(request);
    expect(pending).toBeInstanceOf(Promise);
    let resolvedWith: unknown = 'not yet';
    void (pending as Promise<void>).then((value) => {
      resolvedWith = value;
    });
    await settle();
    expect(resolvedWith).toBe('not yet');
    stored.resolve();
    await settle();
    expect(resolvedWith).toBeUndefined(); // middy would take any other value for an early response
  });

  it('records each invocation once, and ignores hooks without a started clock', async () => {
    const seen: Measurement[] = [];
    const middleware = lambdaMeterMiddleware({ onMeasurement: (m) => void seen.push(m) });
    const request = { event: {}, context: lambdaContext('req-once'), response: 'ok' as unknown, error: undefined as unknown };
    // after/onError without before (an earlier middleware answered early): nothing to record.
    expect(middleware.after(request)).toBeUndefined();
    expect(middleware.onError(request)).toBeUndefined();
    expect(seen).toHaveLength(0);
    middleware.before(request);
    middleware.after(request);
    // An outer middleware's `after` threw after ours ran: middy runs onError, which must not record it again.
    request.error = new Error('outer after failed');
    middleware.onError(request);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.error).toBeUndefined();
  });

  it('times the other middlewares too when registered first', async () => {
    const clock = fakeClock(10_000_000n, 16_000_000n);
    const order: string[] = [];
    const handler = fakeMiddy(async () => {
      order.push('handler');
      return 'x';
    })
      .use(lambdaMeterMiddleware())
      .use({ before: () => void order.push(`inner before (clock reads: ${clock.mock.calls.length})`) });
    const out = (await handler({}, lambdaContext())) as MeasurementEnvelope;
    expect(order).toEqual(['inner before (clock reads: 1)', 'handler']);
    expect(out.durationMs).toBe(6);
  });

  it('is accepted where middy expects a middleware object', () => {
    // The shape of middy's MiddlewareObj/Request with an @types/aws-lambda-like Context, redeclared here.
    interface AwsContext {
      callbackWaitsForEmptyEventLoop: boolean;
      functionName: string;
      functionVersion: string;
      invokedFunctionArn: string;
      memoryLimitInMB: string;
      awsRequestId: string;
      logGroupName: string;
      logStreamName: string;
      getRemainingTimeInMillis(): number;
    }
    interface Request<TEvent, TResult, TErr, TContext extends AwsContext> {
      event: TEvent;
      context: TContext;
      response: TResult | null;
      error: TErr | null;
      internal: { [key: string]: unknown };
    }
    type MiddlewareFn<TEvent, TResult, TErr, TContext extends AwsContext> = (
      request: Request<TEvent, TResult, TErr, TContext>,
    ) => unknown;
    interface MiddlewareObj<TEvent = unknown, TResult = unknown, TErr = Error, TContext extends AwsContext = AwsContext> {
      before?: MiddlewareFn<TEvent, TResult, TErr, TContext>;
      after?: MiddlewareFn<TEvent, TResult, TErr, TContext>;
      onError?: MiddlewareFn<TEvent, TResult, TErr, TContext>;
    }
    const middleware: MiddlewareObj<{ orderId: string }, { statusCode: number }> = lambdaMeterMiddleware<{ orderId: string }>();
    expect(Object.keys(middleware)).toEqual(['before', 'after', 'onError']);
  });

  it('validates its options with the same TypeErrors', () => {
    expect(() => lambdaMeterMiddleware({ mode: 'verbose' as never })).toThrow(
      new TypeError("lambdaMeterMiddleware: `options.mode` must be 'envelope' or 'log', got \"verbose\""),
    );
  });
});

describe('option validation', () => {
  const handler = async () => 1;
  const cases: [string, unknown, RegExp][] = [
    ['options not an object', 'log', /`options` must be an object, got "log"/],
    ['options null', null, /`options` must be an object, got null/],
    ['unknown option', { onMesurement: () => {} }, /unknown option `options.onMesurement` \(known: mode, emf, output,/],
    ['bad mode', { mode: 'logs' }, /`options.mode` must be 'envelope' or 'log', got "logs"/],
    ['awaitOnMeasurement', { awaitOnMeasurement: 'no' }, /`options.awaitOnMeasurement` must be a boolean, got "no"/],
    ['onMeasurement', { onMeasurement: 'store' }, /`options.onMeasurement` must be a function, got "store"/],
    ['onMeasurementError', { onMeasurementError: 1 }, /`options.onMeasurementError` must be a function, got 1/],
    ['output without write', { mode: 'log', output: {} }, /`options.output` must have a write\(chunk\) method, got a object/],
    ['output null', { mode: 'log', output: null }, /`options.output` must have a write\(chunk\) method, got null/],
    ['emf type', { mode: 'log', emf: 'yes' }, /`options.emf` must be a boolean or an object, got "yes"/],
    ['emf array', { mode: 'log', emf: [] }, /`options.emf` must be a boolean or an object, got an array/],
    ['emf in envelope mode', { emf: true }, /`options.emf` needs `mode: 'log'`, got mode "envelope"/],
    ['output in envelope mode', { output: process.stdout }, /`options.output` needs `mode: 'log'`/],
    ['unknown emf option', { mode: 'log', emf: { dimension: {} } }, /unknown option `options.emf.dimension`/],
    ['empty namespace', { mode: 'log', emf: { namespace: '' } }, /`options.emf.namespace` must be 1–255 printable ASCII/],
    ['blank namespace', { mode: 'log', emf: { namespace: '   ' } }, /`options.emf.namespace`/],
    ['colon namespace', { mode: 'log', emf: { namespace: ':ns' } }, /not starting with ":", got ":ns"/],
    ['non-ASCII namespace', { mode: 'log', emf: { namespace: 'Café' } }, /`options.emf.namespace`/],
    ['long namespace', { mode: 'log', emf: { namespace: 'n'.repeat(256) } }, /`options.emf.namespace`/],
    ['namespace type', { mode: 'log', emf: { namespace: 7 } }, /`options.emf.namespace` .* got 7/],
    ['prefix type', { mode: 'log', emf: { metricNamePrefix: 1 } }, /`options.emf.metricNamePrefix` must be a string/],
    ['long prefix', { mode: 'log', emf: { metricNamePrefix: 'p'.repeat(247) } }, /`options.emf.metricNamePrefix`/],
    ['dimensions array', { mode: 'log', emf: { dimensions: ['Stage'] } }, /`options.emf.dimensions` must be an object/],
    ['too many dimensions', { mode: 'log', emf: { dimensions: Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`d${i}`, 'v'])) } },
      /`options.emf.dimensions` must have at most 30 entries, got 31/],
    ['reserved dimension', { mode: 'log', emf: { dimensions: { requestId: 'x' } } }, /names must be .* got "requestId"/],
    ['dimension named like a metric', { mode: 'log', emf: { dimensions: { ColdStart: 'x' } } }, /got "ColdStart"/],
    ['dimension name with colon', { mode: 'log', emf: { dimensions: { ':a': 'x' } } }, /got ":a"/],
    ['empty dimension value', { mode: 'log', emf: { dimensions: { Stage: '' } } }, /`options.emf.dimensions.Stage` must be 1–1024/],
    ['long dimension value', { mode: 'log', emf: { dimensions: { Stage: 'v'.repeat(1025) } } }, /`options.emf.dimensions.Stage`/],
    ['dimension value type', { mode: 'log', emf: { dimensions: { Stage: 3 } } }, /`options.emf.dimensions.Stage` .* got 3/],
  ];
  it.each(cases)('%s → TypeError naming the option', (_name, options, message) => {
    let thrown: unknown;
    try {
      withMeasurement(handler, options as never);
    } catch (error) {
      thrown = error;
    }
    // Plain TypeErrors: this entry point cannot import lambda-meter's error classes.
    expect(thrown).toBeInstanceOf(TypeError);
    expect((thrown as Error).constructor).toBe(TypeError);
    expect((thrown as Error).message).toMatch(/^withMeasurement: /);
    expect((thrown as Error).message).toMatch(message);
  });

  it('accepts the limits themselves', () => {
    const dimensions = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`d${i}`, 'v'.repeat(1024)]));
    expect(() => withMeasurement(handler, {
      mode: 'log',
      emf: { namespace: 'n'.repeat(255), metricNamePrefix: 'p'.repeat(246), dimensions },
      output: { write: () => true },
      awaitOnMeasurement: false,
      onMeasurement: () => {},
      onMeasurementError: () => {},
    })).not.toThrow();
    expect(() => withMeasurement(handler, undefined)).not.toThrow();
    expect(() => withMeasurement(handler, { mode: 'envelope', emf: false })).not.toThrow();
  });

  it('rejects a handler that is not a function, or a response-streaming handler', () => {
    expect(() => withMeasurement(null as never)).toThrow(new TypeError('withMeasurement: `handler` must be a function, got null'));
    expect(() => withMeasurement('index.handler' as never)).toThrow(/`handler` must be a function, got string/);
    const streaming = Object.assign(async () => {}, { [Symbol.for('aws.lambda.runtime.handler.streaming')]: 'response' });
    expect(() => withMeasurement(streaming)).toThrow(/response-streaming handlers are not supported/);
  });
});
