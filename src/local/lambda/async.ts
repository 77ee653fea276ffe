/**
 * The asynchronous event queue of `local`'s Lambda: `InvocationType: Event` invocations queued, retried after function
 * errors, returned to the queue with exponential back-off while throttled, and dropped when they expire or exhaust
 * their retries, with the `AsyncEventsReceived`, `AsyncEventAge`, `AsyncEventsDropped` and `Throttles` metrics.
 *
 * Lambda's rules ("How Lambda handles errors and retries with asynchronous invocation",
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html): after a function error Lambda
 * runs the event two more times by default, one minute after the first attempt and two minutes after the second;
 * after a throttle (429) or a system error (5xx) it returns the event to the queue and tries again for up to 6 hours,
 * the interval growing exponentially from 1 second to at most 5 minutes. With reserved concurrency 0 there is no retry
 * ("Introducing new asynchronous invocation metrics for AWS Lambda", AWS Compute Blog,
 * https://aws.amazon.com/blogs/compute/introducing-new-asynchronous-invocation-metrics-for-aws-lambda/).
 *
 * @module
 */
import { performance } from 'node:perf_hooks';
import { InvalidInputError } from '../../errors.js';
import type { MetricUnit } from '../../metrics/types.js';

/**
 * Waits before the retries after function errors: 1 minute before the first, 2 minutes before the second.
 *
 * @example
 * ```ts
 * ASYNC_RETRY_DELAYS_MS[0]; // 60000
 * ```
 */
export const ASYNC_RETRY_DELAYS_MS = [60_000, 120_000] as const;
/**
 * The first throttle back-off, 1 second.
 *
 * @example
 * ```ts
 * asyncThrottleDelayMs(1) === ASYNC_THROTTLE_FIRST_DELAY_MS; // true
 * ```
 */
export const ASYNC_THROTTLE_FIRST_DELAY_MS = 1000;
/**
 * The longest throttle back-off, 5 minutes.
 *
 * @example
 * ```ts
 * asyncThrottleDelayMs(50) === ASYNC_THROTTLE_MAX_DELAY_MS; // true
 * ```
 */
export const ASYNC_THROTTLE_MAX_DELAY_MS = 300_000;
/**
 * `MaximumRetryAttempts` when no event invoke configuration sets it.
 *
 * @example
 * ```ts
 * const retries = config?.maximumRetryAttempts ?? DEFAULT_MAXIMUM_RETRY_ATTEMPTS; // 2
 * ```
 */
export const DEFAULT_MAXIMUM_RETRY_ATTEMPTS = 2;
/**
 * `MaximumEventAgeInSeconds` when no event invoke configuration sets it (6 hours).
 *
 * @example
 * ```ts
 * const maxAge = config?.maximumEventAgeInSeconds ?? DEFAULT_MAXIMUM_EVENT_AGE_SECONDS; // 21600
 * ```
 */
export const DEFAULT_MAXIMUM_EVENT_AGE_SECONDS = 21_600;

/**
 * How long Lambda waits before retry number `retry` (1 or 2) of an event whose attempt ended in a function error,
 * in service milliseconds.
 *
 * @example
 * ```ts
 * asyncRetryDelayMs(1); // 60000
 * asyncRetryDelayMs(2); // 120000
 * ```
 */
export function asyncRetryDelayMs(retry: number): number {
  if (!Number.isInteger(retry) || retry < 1 || retry > ASYNC_RETRY_DELAYS_MS.length) {
    throw new InvalidInputError('retry', `must be 1 or 2, got ${String(retry)}`);
  }
  return ASYNC_RETRY_DELAYS_MS[retry - 1] as number;
}

/**
 * How long a throttled event waits before its next attempt after its `throttles`-th throttle in a row, in service
 * milliseconds: 1 s, 2 s, 4 s, … doubling up to 5 minutes.
 *
 * @example
 * ```ts
 * asyncThrottleDelayMs(1); // 1000
 * asyncThrottleDelayMs(4); // 8000
 * asyncThrottleDelayMs(20); // 300000
 * ```
 */
export function asyncThrottleDelayMs(throttles: number): number {
  if (!Number.isInteger(throttles) || throttles < 1) throw new InvalidInputError('throttles', `must be an integer >= 1, got ${String(throttles)}`);
  // 2^9 s is past the cap already; the exponent is bounded so huge counts do not overflow.
  return Math.min(ASYNC_THROTTLE_FIRST_DELAY_MS * 2 ** Math.min(throttles - 1, 30), ASYNC_THROTTLE_MAX_DELAY_MS);
}

/**
 * Checks a `timeScale` option: a finite number > 0.
 *
 * @example
 * ```ts
 * checkTimeScale(600, 'options.timeScale'); // 600
 * checkTimeScale(undefined, 'options.timeScale'); // 1
 * ```
 */
export function checkTimeScale(value: unknown, field: string): number {
  if (value === undefined) return 1;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidInputError(field, `must be a finite number > 0, got ${String(value)}`);
  }
  return value;
}

/**
 * The metrics the queue writes for an event's function.
 *
 * @example
 * ```ts
 * const name: AsyncMetricName = 'AsyncEventAge';
 * ```
 */
export type AsyncMetricName = 'AsyncEventsReceived' | 'AsyncEventAge' | 'AsyncEventsDropped' | 'Throttles';

/**
 * Whether an event may run now: `run`, `throttled` (no concurrency free), `never` (reserved concurrency 0) or `gone`.
 *
 * @example
 * ```ts
 * const admit = (e: MyEvent): AsyncAdmission => (e.fn.reservedConcurrency === 0 ? 'never' : 'run');
 * ```
 */
export type AsyncAdmission = 'run' | 'throttled' | 'never' | 'gone';

/**
 * The retry settings of an event (its EventInvokeConfig), read again before every decision.
 *
 * @example
 * ```ts
 * const settings: AsyncRetrySettings = { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60 };
 * ```
 */
export interface AsyncRetrySettings {
  /** 0-2. */
  readonly maximumRetryAttempts: number;
  /** 60-21,600. */
  readonly maximumEventAgeInSeconds: number;
}

/**
 * What the queue asks of the service that owns it.
 *
 * @example
 * ```ts
 * const hooks: AsyncEventHooks<MyEvent> = {
 *   admit: () => 'run',
 *   run: async (e) => (await execute(e)).functionError,
 *   settings: () => ({ maximumRetryAttempts: 2, maximumEventAgeInSeconds: 21_600 }),
 *   metric: (e, name, value, unit) => store.putDatum({ namespace: 'AWS/Lambda', metricName: name, timestamp: Date.now(), value, unit }),
 * };
 * ```
 */
export interface AsyncEventHooks<T> {
  /** Whether the event may run now; `gone` when its function, version or alias was deleted. */
  readonly admit: (event: T) => AsyncAdmission;
  /**
   * Runs one attempt of the event (START … REPORT with the event's request id); resolves to true on a function error.
   * It must take its concurrency synchronously, before its first `await`. A rejection is a system error.
   */
  readonly run: (event: T) => Promise<boolean>;
  /** The retry settings that apply to the event. */
  readonly settings: (event: T) => AsyncRetrySettings;
  /** Writes an `AWS/Lambda` metric of the event's function. */
  readonly metric: (event: T, metricName: AsyncMetricName, value: number, unit: MetricUnit) => void;
}

/**
 * Options of {@link AsyncEventQueue}.
 *
 * @example
 * ```ts
 * const options: AsyncEventQueueOptions = { timeScale: 600 }; // a 1-minute wait takes 100 ms
 * ```
 */
export interface AsyncEventQueueOptions {
  /**
   * How many times faster than Lambda the queue's own clock runs: back-offs are divided by it, event ages are real
   * elapsed time multiplied by it.
   * @default 1
   */
  readonly timeScale?: number;
}

/**
 * One queued event as `pending()` reports it.
 *
 * @example
 * ```ts
 * const waiting = queue.pending().filter((e: AsyncEventState<MyEvent>) => e.state === 'waiting');
 * ```
 */
export interface AsyncEventState<T> {
  readonly event: T;
  /** `waiting` for a back-off timer, or `running` an attempt. */
  readonly state: 'waiting' | 'running';
  /** Attempts that ran. */
  readonly attempts: number;
  /** Throttles since the last attempt that ran. */
  readonly throttles: number;
}

interface Entry<T> {
  readonly event: T;
  /** `performance.now()` when the event was queued. */
  readonly queuedAt: number;
  state: 'waiting' | 'running';
  attempts: number;
  throttles: number;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Lambda's asynchronous event queue, in a clock that may run `timeScale` times faster than real time. Events are
 * attempted as soon as they are queued; each decision re-reads the event's settings and admission.
 *
 * @example
 * ```ts
 * const queue = new AsyncEventQueue<MyEvent>({ admit, run, settings, metric }, { timeScale: 600 });
 * queue.enqueue(event);   // AsyncEventsReceived 1, then an attempt at once
 * await queue.stop();     // timers cancelled, queued events dropped, running attempts settled
 * ```
 */
export class AsyncEventQueue<T> {
  /** The service clock's speed-up over real time. */
  readonly timeScale: number;
  private readonly entries = new Set<Entry<T>>();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly hooks: AsyncEventHooks<T>,
    options: AsyncEventQueueOptions = {},
  ) {
    this.timeScale = checkTimeScale(options.timeScale, 'options.timeScale');
  }

  /**
   * Queues an event: `AsyncEventsReceived` 1, then its first attempt at once.
   *
   * @example
   * ```ts
   * queue.enqueue({ fn, qualifier: undefined, requestId, payload });
   * ```
   */
  enqueue(event: T): void {
    if (this.stopped) return;
    this.hooks.metric(event, 'AsyncEventsReceived', 1, 'Count');
    const entry: Entry<T> = { event, queuedAt: performance.now(), state: 'waiting', attempts: 0, throttles: 0, timer: undefined };
    this.entries.add(entry);
    this.attempt(entry);
  }

  /**
   * Events queued and not yet done: waiting for a back-off or running an attempt.
   *
   * @example
   * ```ts
   * queue.pending().filter((e) => e.state === 'waiting').length;
   * ```
   */
  pending(): AsyncEventState<T>[] {
    return [...this.entries].map((e) => ({ event: e.event, state: e.state, attempts: e.attempts, throttles: e.throttles }));
  }

  /**
   * Drops the waiting events `predicate` selects (`AsyncEventsDropped` 1 each), e.g. those of a deleted function.
   * Running attempts finish; they are not retried once their function is gone.
   *
   * @example
   * ```ts
   * queue.dropWhere((event) => event.fn === deleted);
   * ```
   */
  dropWhere(predicate: (event: T) => boolean): void {
    for (const entry of [...this.entries]) if (entry.state === 'waiting' && predicate(entry.event)) this.drop(entry);
  }

  /**
   * Cancels every timer and drops every queued event without metrics; resolves once the running attempts settle.
   * Nothing is queued or retried afterwards.
   *
   * @example
   * ```ts
   * await queue.stop();
   * ```
   */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const entry of this.entries) if (entry.timer !== undefined) clearTimeout(entry.timer);
    this.entries.clear();
    await Promise.allSettled([...this.running]);
  }

  /** Service milliseconds since the event was queued (real elapsed time × timeScale). */
  private ageMs(entry: Entry<T>): number {
    return (performance.now() - entry.queuedAt) * this.timeScale;
  }

  private drop(entry: Entry<T>): void {
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    entry.timer = undefined;
    this.entries.delete(entry);
    this.hooks.metric(entry.event, 'AsyncEventsDropped', 1, 'Count');
  }

  /** Waits `delayMs` service milliseconds, or until the event expires when that comes first, then attempts it again. */
  private wait(entry: Entry<T>, delayMs: number): void {
    entry.state = 'waiting';
    const maxAgeMs = this.hooks.settings(entry.event).maximumEventAgeInSeconds * 1000;
    // One real millisecond past the expiry, so the wake-up that drops an expired event is past it.
    const untilExpiry = (maxAgeMs - this.ageMs(entry)) / this.timeScale + 1;
    this.sleepUntil(entry, performance.now() + Math.max(0, Math.min(delayMs / this.timeScale, untilExpiry)));
  }

  /** Attempts the event again at `dueAt` (performance.now() time), never before it. */
  private sleepUntil(entry: Entry<T>, dueAt: number): void {
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      // Node's timers count from the event loop's cached clock and may fire a little early: wait out the rest.
      const left = dueAt - performance.now();
      if (left > 0) this.sleepUntil(entry, dueAt);
      else this.attempt(entry);
    }, dueAt - performance.now());
    // A pending back-off does not keep the process alive, as the pool's idle timers do not.
    entry.timer.unref();
  }

  private attempt(entry: Entry<T>): void {
    if (this.stopped || !this.entries.has(entry)) return;
    const settings = this.hooks.settings(entry.event);
    const admission = this.hooks.admit(entry.event);
    // Gone, expired, or never runnable (reserved concurrency 0): dropped without another attempt.
    if (admission === 'gone' || admission === 'never' || this.ageMs(entry) > settings.maximumEventAgeInSeconds * 1000) {
      this.drop(entry);
      return;
    }
    if (admission === 'throttled') {
      entry.throttles++;
      this.hooks.metric(entry.event, 'Throttles', 1, 'Count');
      this.wait(entry, asyncThrottleDelayMs(entry.throttles));
      return;
    }
    entry.state = 'running';
    entry.attempts++;
    entry.throttles = 0;
    this.hooks.metric(entry.event, 'AsyncEventAge', Math.round(this.ageMs(entry)), 'Milliseconds');
    let outcome: Promise<boolean>;
    try {
      outcome = this.hooks.run(entry.event);
    } catch (error) {
      outcome = Promise.reject(error);
    }
    const done = outcome.then(
      (functionError) => this.settle(entry, functionError ? 'error' : 'success'),
      () => this.settle(entry, 'system'),
    );
    this.running.add(done);
    void done.finally(() => this.running.delete(done));
  }

  private settle(entry: Entry<T>, result: 'success' | 'error' | 'system'): void {
    if (this.stopped || !this.entries.has(entry)) return;
    if (result === 'success') {
      this.entries.delete(entry);
      return;
    }
    if (result === 'system') {
      // A system error returns the event to the queue like a throttle, without a Throttles datapoint.
      entry.throttles++;
      this.wait(entry, asyncThrottleDelayMs(entry.throttles));
      return;
    }
    const retries = entry.attempts - 1;
    if (retries >= this.hooks.settings(entry.event).maximumRetryAttempts) {
      this.drop(entry);
      return;
    }
    this.wait(entry, asyncRetryDelayMs(retries + 1));
  }
}
