/**
 * Asynchronous invocations of local's Lambda: the queue's back-off schedule and rules on fake hooks, then the four
 * troubleshooting scenarios of AWS's async-metrics sample ("Introducing new asynchronous invocation metrics for AWS
 * Lambda", AWS Compute Blog) end to end, through the real `@aws-sdk/client-lambda` and `@aws-sdk/client-cloudwatch`
 * clients and lambda-meter's own `fetchLambdaMetrics`, with a large `timeScale` so minutes of back-off take
 * milliseconds. Assertions are counts, orderings and lower bounds, never stopwatch readings; an invocation that must
 * hold the concurrency waits on a gate the test opens (test/fixtures/functions/gate.mjs), not for a time that a slow
 * machine could outlast.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import {
  DeleteFunctionCommand,
  InvokeCommand,
  LambdaClient,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  PutFunctionEventInvokeConfigCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import type { MockInstance } from 'vitest';
import { InvalidInputError } from '../src/errors.js';
import { startLocalServer } from '../src/local/http.js';
import type { LocalServer } from '../src/local/http.js';
import {
  ASYNC_THROTTLE_MAX_DELAY_MS,
  AsyncEventQueue,
  asyncRetryDelayMs,
  asyncThrottleDelayMs,
  checkTimeScale,
} from '../src/local/lambda/async.js';
import type { AsyncAdmission, AsyncEventHooks, AsyncMetricName, AsyncRetrySettings } from '../src/local/lambda/async.js';
import { LambdaService } from '../src/local/lambda/service.js';
import type { LambdaServiceOptions } from '../src/local/lambda/types.js';
import { MetricsService } from '../src/local/metrics/index.js';
import type { MetricStore } from '../src/local/metrics/index.js';
import type { LambdaMetricName, MetricSeries } from '../src/metrics/index.js';
import { fetchLambdaMetrics } from '../src/metrics/index.js';
import { fileGate, pidAlive, sleep, waitUntil } from './helpers/common.js';

const F = 'test/fixtures/functions/';
const MINUTE = 60_000;

// ---------------------------------------------------------------------------------------------------------------
// The queue alone, on fake hooks

interface FakeEvent {
  readonly id: string;
}

interface FakeQueue {
  readonly queue: AsyncEventQueue<FakeEvent>;
  /** Every metric written, in order. */
  readonly metrics: { name: AsyncMetricName; value: number }[];
  /** How many attempts ran. */
  runs: number;
}

function fakeQueue(
  timeScale: number,
  options: {
    settings?: AsyncRetrySettings;
    admit?: (event: FakeEvent) => AsyncAdmission;
    run?: (event: FakeEvent, attempt: number) => Promise<boolean>;
  } = {},
): FakeQueue {
  const state: FakeQueue = { queue: undefined as unknown as AsyncEventQueue<FakeEvent>, metrics: [], runs: 0 };
  const hooks: AsyncEventHooks<FakeEvent> = {
    admit: options.admit ?? (() => 'run'),
    run: (event) => {
      state.runs++;
      return options.run === undefined ? Promise.resolve(true) : options.run(event, state.runs);
    },
    settings: () => options.settings ?? { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 21_600 },
    metric: (_event, name, value) => {
      state.metrics.push({ name, value });
    },
  };
  (state as { queue: AsyncEventQueue<FakeEvent> }).queue = new AsyncEventQueue(hooks, { timeScale });
  return state;
}

function names(q: FakeQueue): AsyncMetricName[] {
  return q.metrics.map((m) => m.name);
}

function count(q: FakeQueue, name: AsyncMetricName): number {
  return q.metrics.filter((m) => m.name === name).length;
}

describe('back-off schedule', () => {
  test('function errors wait 1 minute, then 2 minutes (invocation-async-error-handling)', () => {
    expect([asyncRetryDelayMs(1), asyncRetryDelayMs(2)]).toEqual([MINUTE, 2 * MINUTE]);
    for (const bad of [0, 3, 1.5, Number.NaN]) expect(() => asyncRetryDelayMs(bad)).toThrow(InvalidInputError);
  });

  test('throttles back off exponentially from 1 second up to 5 minutes', () => {
    const delays = Array.from({ length: 12 }, (_, i) => asyncThrottleDelayMs(i + 1));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000, 300_000]);
    expect(asyncThrottleDelayMs(10_000)).toBe(ASYNC_THROTTLE_MAX_DELAY_MS);
    for (const bad of [0, -1, 2.5]) expect(() => asyncThrottleDelayMs(bad)).toThrow(InvalidInputError);
  });

  test('timeScale must be a finite number > 0', () => {
    expect(checkTimeScale(undefined, 'options.timeScale')).toBe(1);
    expect(checkTimeScale(0.5, 'options.timeScale')).toBe(0.5);
    for (const bad of [0, -2, Number.NaN, Number.POSITIVE_INFINITY, '600', null]) {
      expect(() => new LambdaService({ timeScale: bad as number })).toThrow(InvalidInputError);
    }
    try {
      new LambdaService({ timeScale: 0 });
    } catch (error) {
      expect((error as InvalidInputError).field).toBe('options.timeScale');
    }
    expect(() => new AsyncEventQueue({} as AsyncEventHooks<FakeEvent>, { timeScale: -1 })).toThrow(/options\.timeScale/);
  });
});

describe('AsyncEventQueue', () => {
  test('a failing event runs 1 + MaximumRetryAttempts times, ages rising, then is dropped', async () => {
    for (const retries of [0, 1, 2]) {
      // 60,000×: the 1- and 2-minute waits take 1 and 2 ms.
      const q = fakeQueue(60_000, { settings: { maximumRetryAttempts: retries, maximumEventAgeInSeconds: 21_600 } });
      q.queue.enqueue({ id: 'e' });
      await waitUntil(() => count(q, 'AsyncEventsDropped') === 1, 5000);
      expect(q.runs).toBe(1 + retries);
      expect(names(q)).toEqual(['AsyncEventsReceived', ...Array<AsyncMetricName>(1 + retries).fill('AsyncEventAge'), 'AsyncEventsDropped']);
      const ages = q.metrics.filter((m) => m.name === 'AsyncEventAge').map((m) => m.value);
      // Each retry waits at least its back-off, in service time.
      if (retries >= 1) expect(ages[1]).toBeGreaterThanOrEqual(MINUTE);
      if (retries >= 2) expect(ages[2]).toBeGreaterThanOrEqual(3 * MINUTE);
      expect(q.queue.pending()).toEqual([]);
    }
  });

  test('a successful attempt ends the event: no retry, nothing dropped', async () => {
    const q = fakeQueue(60_000, { run: () => Promise.resolve(false) });
    q.queue.enqueue({ id: 'ok' });
    await sleep(20);
    expect(names(q)).toEqual(['AsyncEventsReceived', 'AsyncEventAge']);
    expect(q.queue.pending()).toEqual([]);
  });

  test('throttled attempts count Throttles and back off; no age until an attempt runs', async () => {
    let calls = 0;
    const q = fakeQueue(1000, { admit: () => (++calls <= 3 ? 'throttled' : 'run'), run: () => Promise.resolve(false) });
    q.queue.enqueue({ id: 't' });
    expect(q.queue.pending()).toEqual([{ event: { id: 't' }, state: 'waiting', attempts: 0, throttles: 1 }]);
    await waitUntil(() => count(q, 'AsyncEventAge') === 1, 5000);
    expect(names(q)).toEqual(['AsyncEventsReceived', 'Throttles', 'Throttles', 'Throttles', 'AsyncEventAge']);
    // 1 + 2 + 4 s of back-off before the attempt that ran.
    expect(q.metrics.at(-1)?.value).toBeGreaterThanOrEqual(7000);
  });

  test('an event throttled past MaximumEventAgeInSeconds is dropped with no age', async () => {
    // 60 s of service time is 100 ms at 600×; back-offs grow from 1.7 ms.
    const q = fakeQueue(600, { admit: () => 'throttled', settings: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 60 } });
    q.queue.enqueue({ id: 'old' });
    await waitUntil(() => count(q, 'AsyncEventsDropped') === 1, 5000);
    expect(count(q, 'Throttles')).toBeGreaterThanOrEqual(1);
    expect(count(q, 'AsyncEventAge')).toBe(0);
    expect(q.runs).toBe(0);
    expect(q.metrics.at(-1)?.name).toBe('AsyncEventsDropped');
  });

  test('a retry that would come after the event expired is not run', async () => {
    // The attempt takes 5 ms (3 s of service time), so its 1-minute retry would start past the 60 s maximum age.
    const q = fakeQueue(600, {
      settings: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 60 },
      run: () => sleep(5).then(() => true),
    });
    q.queue.enqueue({ id: 'late' });
    await waitUntil(() => count(q, 'AsyncEventsDropped') === 1, 5000);
    expect(q.runs).toBe(1);
  });

  test('never (reserved concurrency 0) and gone events are dropped at once, without Throttles or age', () => {
    for (const admission of ['never', 'gone'] as const) {
      const q = fakeQueue(1, { admit: () => admission });
      q.queue.enqueue({ id: admission });
      expect(names(q)).toEqual(['AsyncEventsReceived', 'AsyncEventsDropped']);
      expect(q.runs).toBe(0);
    }
  });

  test('a system error (the attempt rejects or throws) returns the event to the queue without Throttles', async () => {
    const q = fakeQueue(1000, {
      run: (_event, attempt) => {
        if (attempt === 1) return Promise.reject(new Error('environment failed'));
        if (attempt === 2) throw new Error('could not start');
        return Promise.resolve(false);
      },
    });
    q.queue.enqueue({ id: 's' });
    await waitUntil(() => q.runs === 3 && q.queue.pending().length === 0, 5000);
    expect(names(q)).toEqual(['AsyncEventsReceived', 'AsyncEventAge', 'AsyncEventAge', 'AsyncEventAge']);
  });

  test('dropWhere drops the waiting events it selects', async () => {
    let release: (value: boolean) => void = () => undefined;
    const q = fakeQueue(1, { run: (event) => (event.id === 'running' ? new Promise<boolean>((r) => (release = r)) : Promise.resolve(true)) });
    q.queue.enqueue({ id: 'waiting' });
    q.queue.enqueue({ id: 'running' });
    await sleep(5);
    expect(q.queue.pending().map((p) => [p.event.id, p.state])).toEqual([
      ['waiting', 'waiting'],
      ['running', 'running'],
    ]);
    q.queue.dropWhere(() => true);
    expect(q.queue.pending().map((p) => p.event.id)).toEqual(['running']);
    expect(count(q, 'AsyncEventsDropped')).toBe(1);
    release(false);
    await waitUntil(() => q.queue.pending().length === 0, 5000);
  });

  test('stop() cancels back-off timers, drops queued events and waits for running attempts', async () => {
    let release: (value: boolean) => void = () => undefined;
    // timeScale 1: the retry of 'retrying' waits a real minute.
    const q = fakeQueue(1, { run: (event) => (event.id === 'running' ? new Promise<boolean>((r) => (release = r)) : Promise.resolve(true)) });
    q.queue.enqueue({ id: 'retrying' });
    q.queue.enqueue({ id: 'running' });
    await sleep(5);
    expect(q.queue.pending()).toHaveLength(2);
    let stopped = false;
    const stopping = q.queue.stop().then(() => {
      stopped = true;
    });
    expect(q.queue.pending()).toEqual([]);
    await sleep(5);
    expect(stopped).toBe(false); // the running attempt has not settled yet
    release(true);
    await stopping;
    const before = q.metrics.length;
    q.queue.enqueue({ id: 'after' });
    await sleep(20);
    expect(q.metrics.length).toBe(before);
    expect(q.runs).toBe(2);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// End to end: real handlers, real SDK clients

interface Stack {
  readonly service: LambdaService;
  readonly server: LocalServer;
  readonly lambda: LambdaClient;
  readonly cloudwatch: CloudWatchClient;
  stop(): Promise<void>;
}

async function startStack(options: LambdaServiceOptions): Promise<Stack> {
  const service = new LambdaService({ cpu: 'unlimited', ...options });
  const server = await startLocalServer([service, new MetricsService(service.metrics)]);
  const config = { endpoint: server.endpoint, region: service.region, credentials: { ...service.credentials } };
  const lambda = new LambdaClient(config);
  const cloudwatch = new CloudWatchClient(config);
  return {
    service,
    server,
    lambda,
    cloudwatch,
    async stop() {
      lambda.destroy();
      cloudwatch.destroy();
      await service.stop();
      await server.close();
    },
  };
}

/** Sends an `Event` invocation; returns its request id. */
async function sendEvent(stack: Stack, functionName: string, event: unknown, qualifier?: string): Promise<string> {
  const out = await stack.lambda.send(
    new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: JSON.stringify(event), ...(qualifier === undefined ? {} : { Qualifier: qualifier }) }),
  );
  expect(out.StatusCode).toBe(202);
  return out.$metadata.requestId as string;
}

/** The function's log lines that begin with `prefix` and name `requestId`. */
function lines(stack: Stack, functionName: string, prefix: 'START' | 'END' | 'REPORT', requestId: string): string[] {
  return stack.service.logs
    .visibleEvents({ logGroupNames: [`/aws/lambda/${functionName}`] })
    .map((e) => e.message)
    .filter((m) => m.startsWith(`${prefix} RequestId: ${requestId}`));
}

/** The total of a metric's datapoints in the store (dimension FunctionName only), for waiting on progress. */
function stored(stack: Stack, metricName: LambdaMetricName, functionName: string, stat = 'Sum'): number {
  const now = Date.now();
  const points = stack.service.metrics.getStatistics({
    namespace: 'AWS/Lambda',
    metricName,
    dimensions: { FunctionName: functionName },
    startTime: Math.floor(now / 3_600_000) * 3_600_000 - 3_600_000,
    endTime: now + MINUTE,
    periodSeconds: 3600,
    stat,
  });
  return points.reduce((s, p) => s + p.value, 0);
}

function total(series: MetricSeries): number {
  return series.points.reduce((s, p) => s + p.value, 0);
}

function maximum(series: MetricSeries): number | undefined {
  return series.points.length === 0 ? undefined : Math.max(...series.points.map((p) => p.value));
}

/** Sums of the async metrics of one function, through CloudWatch GetMetricData and lambda-meter's fetchLambdaMetrics. */
async function asyncMetrics(stack: Stack, functionName: string, since: number, qualifier?: string) {
  const range = { startTime: since - MINUTE, endTime: Date.now() + MINUTE, periodSeconds: 60 };
  const sums = await fetchLambdaMetrics(stack.cloudwatch, {
    functionName,
    ...(qualifier === undefined ? {} : { qualifier }),
    metrics: ['AsyncEventsReceived', 'AsyncEventsDropped', 'Throttles', 'Invocations', 'Errors'],
    stat: 'Sum',
    ...range,
  });
  const age = await fetchLambdaMetrics(stack.cloudwatch, { functionName, ...(qualifier === undefined ? {} : { qualifier }), metrics: ['AsyncEventAge'], stat: 'SampleCount', ...range });
  const ageMax = await fetchLambdaMetrics(stack.cloudwatch, { functionName, ...(qualifier === undefined ? {} : { qualifier }), metrics: ['AsyncEventAge'], stat: 'Maximum', ...range });
  return {
    received: total(sums.AsyncEventsReceived),
    dropped: total(sums.AsyncEventsDropped),
    throttles: total(sums.Throttles),
    invocations: total(sums.Invocations),
    errors: total(sums.Errors),
    ageSamples: total(age.AsyncEventAge),
    ageMaxMs: maximum(ageMax.AsyncEventAge),
  };
}

describe('the four troubleshooting scenarios of the async-metrics sample (timeScale 600)', () => {
  let stack: Stack;
  let putDatum: MockInstance<MetricStore['putDatum']>;

  /** The AsyncEventAge values written for a function, in the order the attempts started. */
  function ages(functionName: string): number[] {
    return putDatum.mock.calls
      .map(([datum]) => datum)
      .filter((d) => d.metricName === 'AsyncEventAge' && d.dimensions?.FunctionName === functionName && d.dimensions.Resource === undefined)
      .map((d) => d.value);
  }

  beforeAll(async () => {
    stack = await startStack({
      timeScale: 600,
      functions: [
        { name: 'failing', handler: `${F}async-fail.mjs#handler` },
        { name: 'throttled', handler: `${F}gate.mjs#handler`, timeoutSeconds: 60, reservedConcurrency: 1 },
        { name: 'expiring', handler: `${F}gate.mjs#handler`, timeoutSeconds: 60, reservedConcurrency: 1 },
        { name: 'disabled', handler: `${F}async-slow.mjs#handler` },
        { name: 'retry0', handler: `${F}async-fail.mjs#handler` },
        { name: 'retry1', handler: `${F}async-fail.mjs#handler` },
        { name: 'versioned', handler: `${F}async-slow.mjs#handler` },
      ],
    });
    putDatum = vi.spyOn(stack.service.metrics, 'putDatum');
  });

  afterAll(async () => {
    await stack.stop();
  });

  test('(1) function errors: three attempts with one request id and a rising AsyncEventAge', async () => {
    const since = Date.now();
    const sent = performance.now();
    const requestId = await sendEvent(stack, 'failing', { id: 'order-1' });
    const answered = performance.now();
    await waitUntil(() => stored(stack, 'AsyncEventsDropped', 'failing') === 1);
    // Each retry is a new attempt with the same request id: START, END and REPORT three times.
    expect(lines(stack, 'failing', 'START', requestId)).toHaveLength(3);
    expect(lines(stack, 'failing', 'END', requestId)).toHaveLength(3);
    expect(lines(stack, 'failing', 'REPORT', requestId)).toHaveLength(3);
    // Ages in service time: the first attempt at once (before the Invoke call was answered: the queue attempts an
    // event as it takes it), the second after ≥ 1 minute, the third after ≥ 1 + 2 minutes.
    const seen = ages('failing');
    expect(seen).toHaveLength(3);
    expect(seen[0]).toBeLessThanOrEqual((answered - sent) * 600 + 1);
    expect(seen[1]).toBeGreaterThanOrEqual(MINUTE);
    expect(seen[2]).toBeGreaterThanOrEqual(3 * MINUTE);
    const m = await asyncMetrics(stack, 'failing', since);
    expect(m).toMatchObject({ received: 1, dropped: 1, throttles: 0, invocations: 3, errors: 3, ageSamples: 3 });
    expect(m.ageMaxMs).toBe(seen[2]);
  });

  test('(2) reserved concurrency 1 and a slow handler: Throttles, rising AsyncEventAge, every event processed', async () => {
    const since = Date.now();
    const gate = fileGate();
    const ids: string[] = [];
    let held = 0;
    try {
      // The first event takes the only concurrency as it is queued (before its Invoke call is answered) and holds
      // it until the gate opens; the other three are throttled as they are queued. Each of those then holds the
      // concurrency for 250 ms (150 s of service time) once it runs.
      ids.push(await sendEvent(stack, 'throttled', { id: 't0', gate: gate.path }));
      for (let i = 1; i < 4; i++) ids.push(await sendEvent(stack, 'throttled', { id: `t${i}`, ms: 250 }));
      const queued = performance.now();
      await sleep(250);
      held = performance.now() - queued; // every throttled event waited at least this long before the gate opened
      gate.open();
      await waitUntil(() => stored(stack, 'Invocations', 'throttled') === 4, 20_000);
    } finally {
      gate.remove();
    }
    for (const id of ids) expect(lines(stack, 'throttled', 'START', id)).toHaveLength(1);
    // One attempt at a time: each START after the END of the one before, in one log stream.
    const order = stack.service.logs
      .visibleEvents({ logGroupNames: ['/aws/lambda/throttled'] })
      .map((e) => /^(START|END) RequestId: (\S+)/.exec(e.message))
      .filter((match) => match !== null)
      .map((match) => `${match[1]} ${match[2]}`);
    expect(order).toHaveLength(8);
    for (let i = 0; i < 8; i += 2) expect(order[i + 1]).toBe(order[i]?.replace('START', 'END'));
    expect(order[0]).toBe(`START ${ids[0]}`);
    // The ages rise with the queue: the holder ran at once; the k-th throttled attempt waited for the gate and for
    // k - 1 attempts of 250 ms before it (a timer may fire up to a millisecond early, hence 249; ages are rounded to
    // the millisecond, hence - 1).
    const seen = ages('throttled');
    expect(seen).toHaveLength(4);
    for (let k = 1; k < 4; k++) expect(seen[k]).toBeGreaterThanOrEqual((held + (k - 1) * 249) * 600 - 1);
    expect(seen[3]).toBeGreaterThanOrEqual(3 * 250 * 600 * 0.9);
    const m = await asyncMetrics(stack, 'throttled', since);
    expect(m).toMatchObject({ received: 4, dropped: 0, invocations: 4, errors: 0, ageSamples: 4 });
    expect(m.throttles).toBeGreaterThanOrEqual(3);
  });

  test('(3) MaximumEventAgeInSeconds 60 and the only concurrency held: the throttled event expires and is dropped', async () => {
    await stack.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'expiring', MaximumEventAgeInSeconds: 60 }));
    const since = Date.now();
    const gate = fileGate();
    let holder = '';
    let late = '';
    try {
      // 60 s of service time is 100 ms here; the holder keeps the concurrency until the late event has expired.
      holder = await sendEvent(stack, 'expiring', { id: 'holder', gate: gate.path });
      late = await sendEvent(stack, 'expiring', { id: 'late' });
      await waitUntil(() => stored(stack, 'AsyncEventsDropped', 'expiring') === 1);
      gate.open();
      await waitUntil(() => stored(stack, 'Invocations', 'expiring') === 1);
    } finally {
      gate.remove();
    }
    await sleep(100); // time enough for a wrongly scheduled retry to show
    expect(lines(stack, 'expiring', 'START', holder)).toHaveLength(1);
    expect(lines(stack, 'expiring', 'START', late)).toHaveLength(0);
    const m = await asyncMetrics(stack, 'expiring', since);
    // One age, the holder's; none for the dropped event.
    expect(m).toMatchObject({ received: 2, dropped: 1, invocations: 1, ageSamples: 1 });
    expect(m.throttles).toBeGreaterThan(0);
    expect(ages('expiring')).toHaveLength(1);
  });

  test('(4) reserved concurrency 0: the event is dropped without retries, age or Throttles', async () => {
    await stack.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'disabled', ReservedConcurrentExecutions: 0 }));
    const since = Date.now();
    const requestId = await sendEvent(stack, 'disabled', { id: 'nobody' });
    await waitUntil(() => stored(stack, 'AsyncEventsDropped', 'disabled') === 1);
    await sleep(50);
    const m = await asyncMetrics(stack, 'disabled', since);
    expect(m).toMatchObject({ received: 1, dropped: 1, throttles: 0, invocations: 0, ageSamples: 0 });
    expect(m.ageMaxMs).toBeUndefined();
    expect(lines(stack, 'disabled', 'START', requestId)).toHaveLength(0);
  });

  test('MaximumRetryAttempts 0 and 1 from the event invoke configuration', async () => {
    const cases = [
      ['retry0', 0],
      ['retry1', 1],
    ] as const;
    await Promise.all(
      cases.map(async ([name, retries]) => {
        await stack.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: name, MaximumRetryAttempts: retries }));
        const requestId = await sendEvent(stack, name, { id: name });
        await waitUntil(() => stored(stack, 'AsyncEventsDropped', name) === 1);
        await sleep(250); // past where one more retry (2 minutes = 200 ms) would start
        expect(lines(stack, name, 'START', requestId)).toHaveLength(1 + retries);
        expect(stored(stack, 'Invocations', name)).toBe(1 + retries);
      }),
    );
  });

  test('a qualified invocation publishes the async metrics with the Resource dimension too', async () => {
    await stack.lambda.send(new PublishVersionCommand({ FunctionName: 'versioned' }));
    const since = Date.now();
    await sendEvent(stack, 'versioned', { id: 'v' }, '1');
    await waitUntil(() => stored(stack, 'Invocations', 'versioned') === 1);
    const byVersion = await asyncMetrics(stack, 'versioned', since, '1');
    const byName = await asyncMetrics(stack, 'versioned', since);
    expect(byVersion).toMatchObject({ received: 1, dropped: 0, invocations: 1, ageSamples: 1 });
    expect(byName).toMatchObject({ received: 1, dropped: 0, invocations: 1, ageSamples: 1 });
  });
});

describe('pending events in real time (timeScale 1 and 2)', () => {
  test('events of a deleted function or version are dropped', async () => {
    const stack = await startStack({
      functions: [
        { name: 'doomed', handler: `${F}async-fail.mjs#handler` },
        { name: 'pruned', handler: `${F}async-fail.mjs#handler` },
      ],
    });
    try {
      await stack.lambda.send(new PublishVersionCommand({ FunctionName: 'pruned' }));
      const doomed = await sendEvent(stack, 'doomed', { id: 'd' });
      const pruned = await sendEvent(stack, 'pruned', { id: 'p' }, '1');
      // Each fails once and then waits a real minute for its retry.
      await waitUntil(() => lines(stack, 'doomed', 'REPORT', doomed).length === 1 && lines(stack, 'pruned', 'REPORT', pruned).length === 1);
      await waitUntil(() => stored(stack, 'Errors', 'doomed') === 1 && stored(stack, 'Errors', 'pruned') === 1);
      expect(stored(stack, 'AsyncEventsDropped', 'pruned')).toBe(0);
      await stack.lambda.send(new DeleteFunctionCommand({ FunctionName: 'pruned', Qualifier: '1' }));
      await stack.lambda.send(new DeleteFunctionCommand({ FunctionName: 'doomed' }));
      expect(stored(stack, 'AsyncEventsDropped', 'pruned')).toBe(1);
      expect(stored(stack, 'AsyncEventsDropped', 'doomed')).toBe(1);
    } finally {
      await stack.stop();
    }
  });

  test('stop() resolves promptly with events waiting for a retry or a throttle back-off, and nothing runs after', async () => {
    const stack = await startStack({
      timeScale: 2, // retries wait 30 s and 60 s, throttle back-offs start at 500 ms
      functions: [
        { name: 'stuck', handler: `${F}async-fail.mjs#handler` },
        { name: 'busy', handler: `${F}gate.mjs#handler`, timeoutSeconds: 60, reservedConcurrency: 1 },
      ],
    });
    // Never opened: the holder runs until stop() ends its process.
    const gate = fileGate();
    let stopped = false;
    try {
      const stuck = await sendEvent(stack, 'stuck', { id: 's' });
      await waitUntil(() => stored(stack, 'Errors', 'stuck') === 1);
      await sendEvent(stack, 'busy', { id: 'holder', gate: gate.path });
      await sendEvent(stack, 'busy', { id: 'queued' });
      await waitUntil(() => stored(stack, 'Throttles', 'busy') >= 1);
      await waitUntil(() => stack.service.environments().some((e) => e.functionName === 'busy' && e.state === 'busy' && e.pid !== undefined));
      const pids = stack.service.environments().flatMap((e) => (e.pid === undefined ? [] : [e.pid]));
      // Resolving at all is the proof, with no stopwatch: the holder never ends by itself (its gate stays shut) and
      // the stuck event's retry is due in 30 s, past this test's 20 s timeout; a stop() that waited for either
      // would run into the timeout. So stop ended the process and cancelled the timers.
      await stack.stop();
      stopped = true;
      expect(stack.service.environments()).toEqual([]);
      for (const pid of pids) expect(pidAlive(pid)).toBe(false);
      const throttles = stored(stack, 'Throttles', 'busy');
      // Past the back-off the queued event was waiting out when stop() came: had its timer not been cancelled, it
      // would have tried (and been throttled) again by now.
      // (At most 2 s of it: only a machine slow enough to wait seconds for the steps above gets there.)
      await sleep(Math.min(asyncThrottleDelayMs(throttles) / 2, 2000) + 100);
      expect(stored(stack, 'Throttles', 'busy')).toBe(throttles);
      expect(lines(stack, 'stuck', 'START', stuck)).toHaveLength(1);
      expect(stored(stack, 'AsyncEventAge', 'busy', 'SampleCount')).toBe(1);
    } finally {
      if (!stopped) await stack.stop();
      gate.remove();
    }
  });
});
