import { describe, expect, it, vi } from 'vitest';
import {
  LambdaMeterAbortError,
  ErrorNames,
  InvalidInputError,
  LambdaMeterError,
  MissingPeerDependencyError,
  QueryFailedError,
  QueryTimeoutError,
  ReportParseError,
  RetryExhaustedError,
  ServiceCallError,
  isLambdaMeterError,
} from '../src/errors.js';
import { sleep, throwIfAborted } from '../src/internal/abort.js';
import { errorCode, httpStatus, isRetryable, resolveRetryOptions, retryAfterMs, withRetry } from '../src/internal/retry.js';
import { toEpochMs } from '../src/internal/time.js';

function sdkError(name: string, extra: Record<string, unknown> = {}): Error {
  const err = new Error(`${name} happened`);
  err.name = name;
  Object.assign(err, extra);
  return err;
}

describe('error hierarchy', () => {
  it('gives every class its own name, message, fields and cause', () => {
    const cause = new Error('root');
    const cases: [LambdaMeterError, string][] = [
      [new InvalidInputError('input.count', 'must be positive'), 'InvalidInputError'],
      [new ReportParseError('REPORT RequestId: x', 3, 'no Duration'), 'ReportParseError'],
      [new MissingPeerDependencyError('@aws-sdk/client-lambda', 'invokeWithTail'), 'MissingPeerDependencyError'],
      [new LambdaMeterAbortError('Lambda.Invoke', { cause }), 'LambdaMeterAbortError'],
      [new RetryExhaustedError('Lambda.Invoke', 3, { cause }), 'RetryExhaustedError'],
      [new ServiceCallError('Lambda.Invoke', 'ResourceNotFoundException', 'gone', 404, { cause }), 'ServiceCallError'],
      [new QueryFailedError('q-1', 'Failed'), 'QueryFailedError'],
      [new QueryTimeoutError('q-1', 500), 'QueryTimeoutError'],
    ];
    for (const [err, name] of cases) {
      expect(err.name).toBe(name);
      expect(err).toBeInstanceOf(LambdaMeterError);
      expect(err).toBeInstanceOf(Error);
      expect(isLambdaMeterError(err)).toBe(true);
      expect(isLambdaMeterError(err, name as never)).toBe(true);
      expect(LambdaMeterError.is(err)).toBe(true);
    }
    expect(Object.values(ErrorNames)).toEqual(expect.arrayContaining(cases.map(([, n]) => n)));
    expect(new LambdaMeterAbortError('x', { cause }).cause).toBe(cause);
    expect(new InvalidInputError('a', 'b').cause).toBeUndefined();
    expect(new InvalidInputError('input.count', 'must be positive').message).toBe('Invalid input.count: must be positive');
    expect(new InvalidInputError('input.count', 'x').field).toBe('input.count');
    const missing = new MissingPeerDependencyError('@aws-sdk/client-lambda', 'invokeWithTail');
    expect(missing.message).toContain('npm install @aws-sdk/client-lambda');
    expect(missing.packageName).toBe('@aws-sdk/client-lambda');
    expect(new RetryExhaustedError('Op', 1).message).toBe('Op failed after 1 attempt');
    expect(new RetryExhaustedError('Op', 4, { cause: sdkError('Throttling') }).message).toBe(
      'Op failed after 4 attempts: Throttling: Throttling happened',
    );
    const svc = new ServiceCallError('Lambda.Invoke', 'ResourceNotFoundException', 'gone', 404);
    expect([svc.operation, svc.code, svc.statusCode]).toEqual(['Lambda.Invoke', 'ResourceNotFoundException', 404]);
    expect(new QueryFailedError('q-9', 'Cancelled').status).toBe('Cancelled');
    expect(new QueryTimeoutError('q-9', 1500).timeoutMs).toBe(1500);
  });

  it('quotes the offending line, shortened when long', () => {
    const err = new ReportParseError('REPORT RequestId: abc\tDuration: x ms', 7, 'bad Duration');
    expect(err.message).toBe('Cannot parse log line 7 (bad Duration): "REPORT RequestId: abc\\tDuration: x ms"');
    expect(err.line).toBe('REPORT RequestId: abc\tDuration: x ms');
    expect(err.lineNumber).toBe(7);
    const long = new ReportParseError('x'.repeat(1000), 1, 'r');
    expect(long.message.length).toBeLessThan(400);
    expect(long.line.length).toBe(1000);
  });

  it('class guards check the name, not the class identity', () => {
    const failed = new QueryFailedError('q', 'Failed');
    expect(QueryFailedError.is(failed)).toBe(true);
    expect(QueryTimeoutError.is(failed)).toBe(false);
    // A copy from another bundle (CJS beside ESM) has another class but the same brand and name.
    const foreign = Object.assign(new Error('x'), { name: 'QueryFailedError' });
    Object.defineProperty(foreign, Symbol.for('lambda-meter.error'), { value: true });
    expect(QueryFailedError.is(foreign)).toBe(true);
    expect(isLambdaMeterError(foreign, 'QueryFailedError')).toBe(true);
    expect(isLambdaMeterError(foreign, 'ServiceCallError')).toBe(false);
    // A look-alike without the brand is not ours.
    expect(QueryFailedError.is(Object.assign(new Error('x'), { name: 'QueryFailedError' }))).toBe(false);
    expect(isLambdaMeterError(null)).toBe(false);
    expect(isLambdaMeterError('QueryFailedError')).toBe(false);
  });
});

describe('abort helpers', () => {
  it('throwIfAborted throws LambdaMeterAbortError with the reason as cause', () => {
    const ac = new AbortController();
    expect(() => throwIfAborted(ac.signal, 'Work')).not.toThrow();
    expect(() => throwIfAborted(undefined, 'Work')).not.toThrow();
    ac.abort(new Error('stop'));
    try {
      throwIfAborted(ac.signal, 'Work');
      expect.unreachable();
    } catch (err) {
      expect(LambdaMeterAbortError.is(err)).toBe(true);
      expect((err as Error).message).toBe('Work was aborted');
      expect(((err as Error).cause as Error).message).toBe('stop');
    }
  });

  it('sleep resolves, and rejects at once on abort with its timer cleared', async () => {
    vi.useFakeTimers();
    try {
      const done = sleep(1000, undefined);
      await vi.advanceTimersByTimeAsync(1000);
      await expect(done).resolves.toBeUndefined();

      const ac = new AbortController();
      const waiting = sleep(60_000, ac.signal, 'Poll');
      expect(vi.getTimerCount()).toBe(1);
      ac.abort();
      await expect(waiting).rejects.toMatchObject({ name: 'LambdaMeterAbortError', message: 'Poll was aborted' });
      expect(vi.getTimerCount()).toBe(0);

      await expect(sleep(10, ac.signal)).rejects.toMatchObject({ name: 'LambdaMeterAbortError' });
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('time conversion', () => {
  it('accepts Date and epoch ms (test/time.test.ts: ISO strings; test/insights.test.ts: Logs Insights seconds)', () => {
    expect(toEpochMs(new Date('2026-01-01T00:00:00.500Z'), 'startTime')).toBe(1767225600500);
    expect(toEpochMs(1767225600500, 'startTime')).toBe(1767225600500);
    expect(() => toEpochMs(new Date('nope'), 'input.startTime')).toThrow(/Invalid input.startTime/);
    expect(() => toEpochMs(Number.NaN, 'input.endTime')).toThrow(InvalidInputError);
    expect(() => toEpochMs('2026' as unknown as number, 'input.endTime')).toThrow(/epoch milliseconds/);
  });
});

describe('retry classification', () => {
  it('recognises throttling, transient faults and their Retry-After', () => {
    expect(isRetryable(sdkError('TooManyRequestsException'))).toBe(true);
    expect(isRetryable(sdkError('LimitExceededException'))).toBe(true);
    expect(isRetryable(sdkError('SomethingNew', { $metadata: { httpStatusCode: 503 } }))).toBe(true);
    expect(isRetryable(sdkError('SomethingNew', { $metadata: { httpStatusCode: 429 } }))).toBe(true);
    expect(isRetryable(sdkError('SomethingNew', { $retryable: { throttling: true } }))).toBe(true);
    expect(isRetryable(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isRetryable(sdkError('ResourceNotFoundException', { $metadata: { httpStatusCode: 404 } }))).toBe(false);
    expect(isRetryable(sdkError('AbortError'))).toBe(false);
    expect(isRetryable(new InvalidInputError('x', 'y'))).toBe(false);
    expect(isRetryable('string')).toBe(false);
    expect(retryAfterMs(sdkError('TooManyRequestsException', { retryAfterSeconds: '2' }))).toBe(2000);
    expect(retryAfterMs(sdkError('TooManyRequestsException', { retryAfterSeconds: 1.5 }))).toBe(1500);
    expect(retryAfterMs(sdkError('X', { $response: { headers: { 'retry-after': '3' } } }))).toBe(3000);
    expect(retryAfterMs(sdkError('X', { retryAfterSeconds: 'soon' }))).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
    expect(errorCode(Object.assign(new Error('x'), { code: 'ETIMEDOUT' }))).toBe('ETIMEDOUT');
    expect(errorCode(42)).toBe('UnknownError');
    expect(httpStatus(sdkError('X', { $metadata: { httpStatusCode: 500 } }))).toBe(500);
    expect(httpStatus(null)).toBeUndefined();
  });

  it('validates retry options, naming the field', () => {
    expect(resolveRetryOptions(undefined)).toMatchObject({ maxAttempts: 8, baseDelayMs: 100, maxDelayMs: 20_000, budgetMs: 60_000 });
    expect(() => resolveRetryOptions({ maxAttempts: 0 })).toThrow('Invalid options.retry.maxAttempts: must be an integer >= 1, got 0');
    expect(() => resolveRetryOptions({ baseDelayMs: -1 })).toThrow(/options\.retry\.baseDelayMs/);
    expect(() => resolveRetryOptions({ budgetMs: Number.POSITIVE_INFINITY })).toThrow(/budgetMs/);
    expect(() => resolveRetryOptions({ random: 3 as unknown as () => number })).toThrow(/random/);
  });
});

describe('withRetry', () => {
  it('retries retryable errors with capped exponential full-jitter back-off and honours Retry-After', async () => {
    vi.useFakeTimers();
    try {
      const delays: number[] = [];
      let calls = 0;
      const result = withRetry(
        'Lambda.Invoke',
        async (attempt) => {
          calls++;
          if (attempt === 1) throw sdkError('ServiceException', { $metadata: { httpStatusCode: 500 } });
          if (attempt === 2) throw sdkError('ThrottlingException');
          if (attempt === 3) throw sdkError('TooManyRequestsException', { retryAfterSeconds: '5' });
          return 'ok';
        },
        { retry: { random: () => 0.5, baseDelayMs: 100, maxDelayMs: 150 }, onRetry: (e) => delays.push(e.delayMs) },
      );
      await vi.runAllTimersAsync();
      await expect(result).resolves.toBe('ok');
      expect(calls).toBe(4);
      // 0.5 × min(150, 100), 0.5 × min(150, 200), then the service's 5 s Retry-After wins over 0.5 × 150.
      expect(delays).toEqual([50, 75, 5000]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('turns non-retryable errors into ServiceCallError and passes lambda-meter errors through', async () => {
    const notFound = sdkError('ResourceNotFoundException', { $metadata: { httpStatusCode: 404 } });
    const err = await withRetry('Lambda.Invoke', () => Promise.reject(notFound)).catch((e: unknown) => e);
    expect(ServiceCallError.is(err)).toBe(true);
    expect(err).toMatchObject({ code: 'ResourceNotFoundException', statusCode: 404, operation: 'Lambda.Invoke' });
    expect((err as Error).cause).toBe(notFound);

    const ours = new InvalidInputError('x', 'y');
    await expect(withRetry('Op', () => Promise.reject(ours))).rejects.toBe(ours);
    const weird = await withRetry('Op', () => Promise.reject('plain string')).catch((e: unknown) => e);
    expect(weird).toMatchObject({ name: 'ServiceCallError', code: 'UnknownError', message: 'Op failed: UnknownError: plain string' });
  });

  it('gives up after maxAttempts or when the budget would be exceeded', async () => {
    let calls = 0;
    const throttled = (): Promise<never> => {
      calls++;
      return Promise.reject(sdkError('ThrottlingException'));
    };
    const byAttempts = await withRetry('Op', throttled, { retry: { maxAttempts: 3, random: () => 0 } }).catch((e: unknown) => e);
    expect(RetryExhaustedError.is(byAttempts)).toBe(true);
    expect(byAttempts).toMatchObject({ attempts: 3 });
    expect(calls).toBe(3);

    calls = 0;
    const slow = sdkError('TooManyRequestsException', { retryAfterSeconds: 120 });
    const byBudget = await withRetry('Op', () => { calls++; return Promise.reject(slow); }, { retry: { budgetMs: 1000 } }).catch(
      (e: unknown) => e,
    );
    expect(byBudget).toMatchObject({ name: 'RetryExhaustedError', attempts: 1 });
    expect((byBudget as Error).cause).toBe(slow);
    expect(calls).toBe(1);
  });

  it('stops on abort, before a call and during a back-off wait', async () => {
    const ac = new AbortController();
    ac.abort();
    const call = vi.fn(() => Promise.resolve(1));
    await expect(withRetry('Op', call, { signal: ac.signal })).rejects.toMatchObject({ name: 'LambdaMeterAbortError' });
    expect(call).not.toHaveBeenCalled();

    const ac2 = new AbortController();
    const pending = withRetry('Op', () => Promise.reject(sdkError('ThrottlingException')), {
      signal: ac2.signal,
      retry: { baseDelayMs: 10_000, random: () => 1 },
    });
    setTimeout(() => ac2.abort(), 5);
    await expect(pending).rejects.toMatchObject({ name: 'LambdaMeterAbortError', message: 'Op was aborted' });

    const ac3 = new AbortController();
    const inFlight = withRetry('Op', () => {
      ac3.abort();
      return Promise.reject(sdkError('AbortError'));
    }, { signal: ac3.signal });
    await expect(inFlight).rejects.toMatchObject({ name: 'LambdaMeterAbortError' });
  });

  it('uses a custom shouldRetry', async () => {
    let calls = 0;
    const out = await withRetry(
      'Op',
      async () => {
        calls++;
        if (calls < 3) throw sdkError('ResourceConflictException');
        return 'done';
      },
      { shouldRetry: (e) => errorCode(e) === 'ResourceConflictException', retry: { random: () => 0 } },
    );
    expect(out).toBe('done');
    expect(calls).toBe(3);
  });
});
