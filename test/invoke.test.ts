import {
  InvokeCommand,
  LambdaClient,
  ResourceNotFoundException,
  ServiceException,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import type { InvokeCommandInput, InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InvalidInputError, isLambdaMeterError } from '../src/errors.js';
import type { RetryExhaustedError } from '../src/errors.js';
import { invokeMany, invokeWithTail, iterateInvocations } from '../src/invoke/index.js';
import type { IndexedTailInvocation } from '../src/invoke/index.js';
import type { Progress, ProgressRetry } from '../src/internal/options.js';
import { apportion, interleave } from '../src/invoke/schedule.js';
import { parseLog } from '../src/report/index.js';

const lambdaMock = mockClient(LambdaClient);
const client = new LambdaClient({ region: 'us-east-1' });

const REQUEST_ID = '5f3c1a2e-8d7b-4c6e-9a1f-2b3c4d5e6f70';

// Text LogResult of a cold start. Line shapes: AWS docs services-cloudwatchlogs.md (TAB-separated, trailing TAB);
// the figures are those of a real Node.js cold start (aws-otel-js-instrumentation PR 233): 363.49 ms billed 364 ms,
// Init Duration 1488.71 ms.
function coldStartLog(requestId = REQUEST_ID): string {
  return [
    `START RequestId: ${requestId} Version: $LATEST`,
    `2025-07-28T10:15:02.113Z\t${requestId}\tINFO\tresizing 640x480`,
    `END RequestId: ${requestId}`,
    `REPORT RequestId: ${requestId}\tDuration: 363.49 ms\tBilled Duration: 364 ms\tMemory Size: 128 MB\tMax Memory Used: 72 MB\tInit Duration: 1488.71 ms\t`,
    '',
  ].join('\n');
}

// A warm invocation's REPORT, as in the AWS docs sample (services-cloudwatchlogs.md).
function warmReport(requestId: string, durationMs = '46.84', billed = '47'): string {
  return `REPORT RequestId: ${requestId}\tDuration: ${durationMs} ms\tBilled Duration: ${billed} ms\tMemory Size: 192 MB\tMax Memory Used: 72 MB\t`;
}

// JSON-format LogResult (LoggingConfig LogFormat=JSON): the event sequence of a real nodejs:18.v28 cold start (no END
// event), values shortened.
function jsonLog(requestId = REQUEST_ID): string {
  const events = [
    { time: '2024-05-20T09:01:00.000Z', type: 'platform.initStart', record: { initializationType: 'on-demand', phase: 'init', runtimeVersion: 'nodejs:18.v28', functionName: 'resize', functionVersion: '$LATEST' } },
    { time: '2024-05-20T09:01:00.160Z', type: 'platform.initRuntimeDone', record: { initializationType: 'on-demand', phase: 'init', status: 'success' } },
    { time: '2024-05-20T09:01:00.161Z', type: 'platform.initReport', record: { initializationType: 'on-demand', phase: 'init', status: 'success', metrics: { durationMs: 160.48 } } },
    { time: '2024-05-20T09:01:00.162Z', type: 'platform.start', record: { requestId, version: '$LATEST' } },
    { timestamp: '2024-05-20T09:01:00.170Z', level: 'INFO', requestId, message: 'resizing' },
    { time: '2024-05-20T09:01:00.180Z', type: 'platform.runtimeDone', record: { requestId, status: 'success', metrics: { durationMs: 17.43, producedBytes: 24 } } },
    { time: '2024-05-20T09:01:00.181Z', type: 'platform.report', record: { requestId, status: 'success', metrics: { durationMs: 17.91, billedDurationMs: 179, memorySizeMB: 256, maxMemoryUsedMB: 68, initDurationMs: 160.48 } } },
  ];
  return events.map((e) => JSON.stringify(e)).join('\n');
}

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

function text(value: Uint8Array | undefined): string | undefined {
  return value === undefined ? undefined : new TextDecoder().decode(value);
}

interface ResponseSpec {
  requestId?: string | undefined;
  log?: string | undefined;
  payload?: string;
  functionError?: string;
  statusCode?: number;
  executedVersion?: string;
}

function response(spec: ResponseSpec = {}): InvokeCommandOutput {
  const requestId = 'requestId' in spec ? spec.requestId : REQUEST_ID;
  const log = 'log' in spec ? spec.log : coldStartLog(requestId ?? REQUEST_ID);
  return {
    StatusCode: spec.statusCode ?? 200,
    ExecutedVersion: spec.executedVersion ?? '$LATEST',
    FunctionError: spec.functionError,
    LogResult: log === undefined ? undefined : b64(log),
    Payload: bytes(spec.payload ?? '{"ok":true}') as InvokeCommandOutput['Payload'],
    $metadata: requestId === undefined ? {} : { httpStatusCode: 200, requestId },
  };
}

function throttle(retryAfterSeconds?: string): TooManyRequestsException {
  return new TooManyRequestsException({
    message: 'Rate Exceeded.',
    $metadata: { httpStatusCode: 429 },
    retryAfterSeconds,
    Reason: 'ConcurrentInvocationLimitExceeded',
  });
}

/** What lambda-meter sent; it always passes the payload as a Uint8Array. */
type SentInput = Omit<InvokeCommandInput, 'Payload'> & { Payload?: Uint8Array };

function sentInputs(): SentInput[] {
  return lambdaMock.commandCalls(InvokeCommand).map((call) => call.args[0].input as SentInput);
}

/** The options object passed to send() by call `n`. */
function sendOptions(n: number): unknown {
  return (lambdaMock.send.getCall(n).args as unknown[])[1];
}

/** The abort signal passed to the send call that is running now (sinon records the call before the fake runs). */
function currentSignal(): AbortSignal {
  const options = (lambdaMock.send.lastCall?.args as unknown[] | undefined)?.[1] as { abortSignal?: AbortSignal } | undefined;
  const signal = options?.abortSignal;
  if (signal === undefined) throw new Error('send was called without an abortSignal');
  return signal;
}

function sdkAbortError(): Error {
  const err = new Error('Request aborted');
  err.name = 'AbortError';
  return err;
}

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

const noWait = { baseDelayMs: 1, maxDelayMs: 1, random: () => 0 } as const;

/**
 * For vi.waitFor on conditions that are sure to come true: a deadline far above what they take (vi.waitFor's own
 * default is 1 s, which a busy machine could outlast).
 */
const WAIT = { timeout: 10_000 } as const;

beforeEach(() => {
  lambdaMock.reset();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('invokeWithTail', () => {
  it('sends a RequestResponse Tail invocation and returns the decoded tail, REPORT, payload and timing', async () => {
    lambdaMock.on(InvokeCommand).resolves(response({ executedVersion: '7' }));
    const ac = new AbortController();
    const before = Date.now();
    const result = await invokeWithTail(
      client,
      { functionName: 'resize', qualifier: 'live', payload: { width: 640 }, clientContext: { custom: { run: 'a' } } },
      { signal: ac.signal },
    );

    const [sent] = sentInputs();
    expect(sent).toEqual({
      FunctionName: 'resize',
      Qualifier: 'live',
      InvocationType: 'RequestResponse',
      LogType: 'Tail',
      ClientContext: b64('{"custom":{"run":"a"}}'),
      Payload: bytes('{"width":640}'),
    });
    expect(sendOptions(0)).toEqual({ abortSignal: ac.signal });

    expect(result.requestId).toBe(REQUEST_ID);
    expect(result.statusCode).toBe(200);
    expect(result.executedVersion).toBe('7');
    expect(result.functionError).toBeUndefined();
    expect(result.errorType).toBeUndefined();
    expect(result.log).toBe(coldStartLog());
    expect(result.logTruncated).toBe(false);
    expect(result.report).toMatchObject({
      requestId: REQUEST_ID,
      durationMs: 363.49,
      billedDurationMs: 364,
      memorySizeMB: 128,
      maxMemoryUsedMB: 72,
      initDurationMs: 1488.71,
      coldStart: true,
      format: 'text',
    });
    expect(result.warnings).toEqual([]);
    expect(result.attempts).toBe(1);
    expect(result.clientLatencyMs).toBeGreaterThanOrEqual(0);
    expect(Number.isFinite(result.clientLatencyMs)).toBe(true);
    expect(typeof result.startedAt).toBe('number');
    expect(result.startedAt).toBeGreaterThanOrEqual(before);
    expect(result.startedAt).toBeLessThanOrEqual(Date.now());
    expect(result.payload).toEqual(bytes('{"ok":true}'));
    expect(result.text()).toBe('{"ok":true}');
    expect(result.json<{ ok: boolean }>()).toEqual({ ok: true });
  });

  it('sends a Uint8Array as is, any other value as JSON (a string too), and no Payload for undefined', async () => {
    lambdaMock.on(InvokeCommand).resolves(response());
    const raw = bytes('plain text, not JSON');
    await invokeWithTail(client, { functionName: 'f', payload: raw });
    await invokeWithTail(client, { functionName: 'f', payload: 'hi' });
    await invokeWithTail(client, { functionName: 'f', payload: [1, null, 'x'] });
    await invokeWithTail(client, { functionName: 'f', payload: null });
    await invokeWithTail(client, { functionName: 'f' });
    const sent = sentInputs();
    expect(sent[0]?.Payload).toBe(raw);
    expect(text(sent[1]?.Payload)).toBe('"hi"');
    expect(text(sent[2]?.Payload)).toBe('[1,null,"x"]');
    expect(text(sent[3]?.Payload)).toBe('null');
    expect(sent[4]?.Payload).toBeUndefined();
    expect(sent[4]?.Qualifier).toBeUndefined();
    expect(sent[4]?.ClientContext).toBeUndefined();
    expect(sent[4]).not.toHaveProperty('TenantId');
  });

  it('sends tenantId as TenantId, with invokeMany too', async () => {
    lambdaMock.on(InvokeCommand).resolves(response());
    await invokeWithTail(client, { functionName: 'f', tenantId: 'tenant-42' });
    await invokeMany(client, { functionName: 'f', tenantId: 'acme', count: 2 });
    expect(sentInputs().map((input) => input.TenantId)).toEqual(['tenant-42', 'acme', 'acme']);
  });

  it('reads a JSON-format tail (LogFormat=JSON)', async () => {
    lambdaMock.on(InvokeCommand).resolves(response({ log: jsonLog() }));
    const result = await invokeWithTail(client, { functionName: 'resize' });
    expect(result.report).toMatchObject({
      requestId: REQUEST_ID,
      durationMs: 17.91,
      billedDurationMs: 179,
      memorySizeMB: 256,
      maxMemoryUsedMB: 68,
      initDurationMs: 160.48,
      coldStart: true,
      format: 'json',
    });
    expect(result.warnings).toEqual([]);
  });

  it('returns report undefined with a warning when the tail holds no REPORT', async () => {
    const log = `START RequestId: ${REQUEST_ID} Version: $LATEST\n2025-07-28T10:15:02.113Z\t${REQUEST_ID}\tINFO\tstill running\n`;
    lambdaMock.on(InvokeCommand).resolves(response({ log }));
    const result = await invokeWithTail(client, { functionName: 'f' });
    expect(result.report).toBeUndefined();
    expect(result.log).toBe(log);
    expect(result.requestId).toBe(REQUEST_ID);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(/no REPORT/);
  });

  it('passes on the lines the parser had to skip, so a broken REPORT is not a silent gap', async () => {
    const log = `START RequestId: ${REQUEST_ID} Version: $LATEST\nEND RequestId: ${REQUEST_ID}\nREPORT RequestId: ${REQUEST_ID}\tDuration: oops\n`;
    lambdaMock.on(InvokeCommand).resolves(response({ log }));
    const result = await invokeWithTail(client, { functionName: 'f' });
    expect(result.report).toBeUndefined();
    expect(result.warnings).toHaveLength(2);
    expect(result.warnings[0]).toMatch(/^Log tail line 3 was skipped: /);
    expect(result.warnings[1]).toMatch(/no REPORT/);
  });

  it('warns when there is no LogResult at all, or one that is not base64', async () => {
    lambdaMock.on(InvokeCommand).resolvesOnce(response({ log: undefined })).resolvesOnce({ ...response(), LogResult: '%%% not base64 %%%' });
    const none = await invokeWithTail(client, { functionName: 'f' });
    expect(none.log).toBe('');
    expect(none.report).toBeUndefined();
    expect(none.warnings).toEqual([expect.stringMatching(/no LogResult/)]);
    const bad = await invokeWithTail(client, { functionName: 'f' });
    expect(bad.log).toBe('');
    expect(bad.report).toBeUndefined();
    expect(bad.warnings).toEqual([expect.stringMatching(/LogResult could not be decoded/)]);
  });

  it('flags a tail whose beginning was cut by the 4 KB limit, and still reads its REPORT', async () => {
    // The last 4 KB of a chatty invocation: the START line is gone and the first line starts mid-way.
    const appLines = Array.from({ length: 60 }, (_, i) => `2025-07-28T10:15:02.${String(100 + i)}Z\t${REQUEST_ID}\tINFO\tprocessing item ${i} of 60`);
    const full = [`START RequestId: ${REQUEST_ID} Version: $LATEST`, ...appLines, `END RequestId: ${REQUEST_ID}`, warmReport(REQUEST_ID), ''].join('\n');
    const tail = Buffer.from(full, 'utf8').subarray(-4096).toString('utf8');
    expect(tail.startsWith('START')).toBe(false);
    lambdaMock.on(InvokeCommand).resolves(response({ log: tail }));
    const result = await invokeWithTail(client, { functionName: 'f' });
    expect(result.logTruncated).toBe(true);
    expect(result.logTruncated).toBe(parseLog(tail).truncated);
    expect(result.report).toMatchObject({ requestId: REQUEST_ID, durationMs: 46.84, billedDurationMs: 47 });
  });

  it('picks the REPORT of the response request id among several, else the last one with a warning', async () => {
    const other = '11111111-2222-3333-4444-555555555555';
    const log = `${warmReport(REQUEST_ID, '10.00', '10')}\n${warmReport(other, '20.00', '20')}\n`;
    lambdaMock
      .on(InvokeCommand)
      .resolvesOnce(response({ log }))
      .resolvesOnce(response({ log, requestId: 'ffffffff-0000-0000-0000-000000000000' }))
      .resolvesOnce(response({ log, requestId: undefined }));
    const matched = await invokeWithTail(client, { functionName: 'f' });
    expect(matched.report?.durationMs).toBe(10);
    expect(matched.warnings).toEqual([]);
    const mismatched = await invokeWithTail(client, { functionName: 'f' });
    expect(mismatched.report?.durationMs).toBe(20);
    expect(mismatched.requestId).toBe('ffffffff-0000-0000-0000-000000000000');
    expect(mismatched.warnings).toEqual([expect.stringContaining(`REPORT is for request ${other}`)]);
    const noMetadata = await invokeWithTail(client, { functionName: 'f' });
    expect(noMetadata.requestId).toBe(other);
    expect(noMetadata.report?.durationMs).toBe(20);
  });

  it('warns when no request id is known, and copes with an empty response', async () => {
    lambdaMock.on(InvokeCommand).resolves({ $metadata: {} });
    const result = await invokeWithTail(client, { functionName: 'f' });
    expect(result.requestId).toBe('');
    expect(result.statusCode).toBeUndefined();
    expect(result.executedVersion).toBeUndefined();
    expect(result.payload).toEqual(new Uint8Array(0));
    expect(result.warnings).toEqual([expect.stringMatching(/no LogResult/), expect.stringMatching(/request id/)]);
  });

  it('returns an Unhandled function error as a result, with the error payload parsed (Node.js `trace`)', async () => {
    const payload = JSON.stringify({
      errorType: 'TypeError',
      errorMessage: "Cannot read properties of undefined (reading 'width')",
      trace: ["TypeError: Cannot read properties of undefined (reading 'width')", '    at Runtime.handler (file:///var/task/index.mjs:3:24)'],
    });
    lambdaMock.on(InvokeCommand).resolves(response({ functionError: 'Unhandled', payload }));
    const result = await invokeWithTail(client, { functionName: 'f' });
    expect(result.functionError).toBe('Unhandled');
    expect(result.statusCode).toBe(200);
    expect(result.errorType).toBe('TypeError');
    expect(result.errorMessage).toBe("Cannot read properties of undefined (reading 'width')");
    expect(result.stackTrace).toEqual([
      "TypeError: Cannot read properties of undefined (reading 'width')",
      '    at Runtime.handler (file:///var/task/index.mjs:3:24)',
    ]);
    expect(result.report?.billedDurationMs).toBe(364);
    expect(result.warnings).toEqual([]);
  });

  it('reads a Handled error with a `stackTrace` (Python, Java) and keeps non-string frames as JSON', async () => {
    const payload = JSON.stringify({
      errorType: 'ValueError',
      errorMessage: 'bad width',
      stackTrace: ['  File "/var/task/app.py", line 3, in handler\n    raise ValueError("bad width")\n', ['app.py', 3, 'handler']],
    });
    lambdaMock.on(InvokeCommand).resolves(response({ functionError: 'Handled', payload }));
    const result = await invokeWithTail(client, { functionName: 'f' });
    expect(result.functionError).toBe('Handled');
    expect(result.errorType).toBe('ValueError');
    expect(result.errorMessage).toBe('bad width');
    expect(result.stackTrace).toEqual([
      '  File "/var/task/app.py", line 3, in handler\n    raise ValueError("bad width")\n',
      '["app.py",3,"handler"]',
    ]);
  });

  it('warns about unreadable error payloads and unknown X-Amz-Function-Error values', async () => {
    lambdaMock
      .on(InvokeCommand)
      .resolvesOnce(response({ functionError: 'Unhandled', payload: 'Runtime exited without providing a reason' }))
      .resolvesOnce(response({ functionError: 'Unhandled', payload: '["not","an","object"]' }))
      .resolvesOnce(response({ functionError: 'Crashed', payload: '{"errorType":"Runtime.ExitError"}' }));
    const notJson = await invokeWithTail(client, { functionName: 'f' });
    expect(notJson.functionError).toBe('Unhandled');
    expect(notJson.errorType).toBeUndefined();
    expect(notJson.warnings).toEqual([expect.stringMatching(/not JSON/)]);
    const notObject = await invokeWithTail(client, { functionName: 'f' });
    expect(notObject.errorType).toBeUndefined();
    expect(notObject.stackTrace).toBeUndefined();
    expect(notObject.warnings).toEqual([expect.stringMatching(/no errorType/)]);
    const odd = await invokeWithTail(client, { functionName: 'f' });
    expect(odd.functionError).toBe('Unhandled');
    expect(odd.errorType).toBe('Runtime.ExitError');
    expect(odd.errorMessage).toBeUndefined();
    expect(odd.warnings).toEqual([expect.stringMatching(/Unexpected X-Amz-Function-Error value "Crashed"/)]);
  });

  it('json() throws InvalidInputError naming the payload when it is not JSON; text() still works', async () => {
    lambdaMock.on(InvokeCommand).resolves(response({ payload: '<html>' + 'x'.repeat(100) }));
    const result = await invokeWithTail(client, { functionName: 'f' });
    expect(result.text()).toMatch(/^<html>x+$/);
    const err = (() => {
      try {
        result.json();
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(isLambdaMeterError(err, 'InvalidInputError')).toBe(true);
    expect((err as InvalidInputError).field).toBe('payload');
    expect((err as Error).message).toMatch(/is not JSON .*<html>x+…"$/);
  });

  it('retries throttling, waiting at least the Retry-After the service asked for', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    lambdaMock.on(InvokeCommand).rejectsOnce(throttle('2')).resolves(response());
    const retries: ProgressRetry[] = [];
    const events: Progress[] = [];
    const pending = invokeWithTail(client, { functionName: 'f' }, {
      retry: { random: () => 0, baseDelayMs: 100 },
      onProgress: (p) => {
        events.push(p);
        if (p.retry !== undefined) retries.push(p.retry);
      },
    });
    await vi.advanceTimersByTimeAsync(1999);
    expect(lambdaMock.commandCalls(InvokeCommand)).toHaveLength(1);
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ operation: 'Invoke', attempt: 1, delayMs: 2000 });
    expect(events[0]).toMatchObject({ operation: 'invokeWithTail', phase: 'retrying' });
    expect((retries[0]?.error as Error).name).toBe('TooManyRequestsException');
    await vi.advanceTimersByTimeAsync(1);
    const result = await pending;
    expect(lambdaMock.commandCalls(InvokeCommand)).toHaveLength(2);
    expect(result.attempts).toBe(2);
    expect(result.report?.requestId).toBe(REQUEST_ID);
  });

  it('retries transient service errors with back-off and reports the successful attempt', async () => {
    const fault = new ServiceException({ message: 'internal', $metadata: { httpStatusCode: 500 } });
    lambdaMock.on(InvokeCommand).rejectsOnce(fault).rejectsOnce(throttle()).resolves(response());
    const delays: number[] = [];
    const result = await invokeWithTail(client, { functionName: 'f' }, {
      retry: { ...noWait, baseDelayMs: 4, maxDelayMs: 50, random: () => 0.5 },
      onProgress: (p) => p.retry && delays.push(p.retry.delayMs),
    });
    expect(result.attempts).toBe(3);
    expect(delays).toEqual([2, 4]);
  });

  it('gives up with RetryExhaustedError after maxAttempts', async () => {
    const last = throttle();
    lambdaMock.on(InvokeCommand).rejects(last);
    const err = await rejection(invokeWithTail(client, { functionName: 'f' }, { retry: { ...noWait, maxAttempts: 3 } }));
    expect(isLambdaMeterError(err, 'RetryExhaustedError')).toBe(true);
    expect((err as RetryExhaustedError).attempts).toBe(3);
    expect((err as RetryExhaustedError).operation).toBe('Lambda.Invoke');
    expect((err as Error).cause).toBe(last);
    expect(lambdaMock.commandCalls(InvokeCommand)).toHaveLength(3);
  });

  it('turns ResourceNotFoundException into ServiceCallError without retrying', async () => {
    const notFound = new ResourceNotFoundException({
      message: 'Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope',
      $metadata: { httpStatusCode: 404 },
    });
    lambdaMock.on(InvokeCommand).rejects(notFound);
    const err = await rejection(invokeWithTail(client, { functionName: 'nope' }));
    expect(isLambdaMeterError(err, 'ServiceCallError')).toBe(true);
    expect(err).toMatchObject({ operation: 'Lambda.Invoke', code: 'ResourceNotFoundException', statusCode: 404 });
    expect((err as Error).cause).toBe(notFound);
    expect(lambdaMock.commandCalls(InvokeCommand)).toHaveLength(1);
  });

  it('rejects with LambdaMeterAbortError without calling when the signal is already aborted', async () => {
    lambdaMock.on(InvokeCommand).resolves(response());
    const reason = new Error('stop');
    const err = await rejection(invokeWithTail(client, { functionName: 'f' }, { signal: AbortSignal.abort(reason) }));
    expect(isLambdaMeterError(err, 'LambdaMeterAbortError')).toBe(true);
    expect((err as Error).cause).toBe(reason);
    expect(lambdaMock.send.callCount).toBe(0);
  });

  it('aborts the request in flight through the SDK abortSignal', async () => {
    let signalSeen: AbortSignal | undefined;
    lambdaMock.on(InvokeCommand).callsFake(() => {
      signalSeen = currentSignal();
      const seen = signalSeen;
      return new Promise((_, reject) => seen.addEventListener('abort', () => reject(sdkAbortError())));
    });
    const ac = new AbortController();
    const pending = invokeWithTail(client, { functionName: 'f' }, { signal: ac.signal });
    await vi.waitFor(() => expect(signalSeen).toBeDefined(), WAIT);
    ac.abort(new Error('user cancelled'));
    const err = await rejection(pending);
    expect(isLambdaMeterError(err, 'LambdaMeterAbortError')).toBe(true);
    expect((err as Error).message).toBe('Lambda.Invoke was aborted');
    expect(signalSeen?.aborted).toBe(true);
    expect(lambdaMock.send.callCount).toBe(1);
  });

  it('stops waiting for a retry when aborted during the back-off', async () => {
    lambdaMock.on(InvokeCommand).rejects(throttle('60'));
    const ac = new AbortController();
    const pending = invokeWithTail(client, { functionName: 'f' }, {
      signal: ac.signal,
      retry: { budgetMs: 120_000 },
      onProgress: () => queueMicrotask(() => ac.abort()),
    });
    const err = await rejection(pending);
    expect(isLambdaMeterError(err, 'LambdaMeterAbortError')).toBe(true);
    expect(lambdaMock.send.callCount).toBe(1);
  });

  describe('validation', () => {
    const cases: [string, () => Promise<unknown>, string][] = [
      ['no client', () => invokeWithTail({} as never, { functionName: 'f' }), 'client'],
      ['null input', () => invokeWithTail(client, null as never), 'input'],
      ['empty function name', () => invokeWithTail(client, { functionName: ' ' }), 'input.functionName'],
      ['numeric function name', () => invokeWithTail(client, { functionName: 42 as never }), 'input.functionName'],
      ['empty qualifier', () => invokeWithTail(client, { functionName: 'f', qualifier: '' }), 'input.qualifier'],
      ['array client context', () => invokeWithTail(client, { functionName: 'f', clientContext: [] }), 'input.clientContext'],
      ['null client context', () => invokeWithTail(client, { functionName: 'f', clientContext: null as never }), 'input.clientContext'],
      ['empty tenant id', () => invokeWithTail(client, { functionName: 'f', tenantId: ' ' }), 'input.tenantId'],
      ['numeric tenant id', () => invokeWithTail(client, { functionName: 'f', tenantId: 42 as never }), 'input.tenantId'],
      ['circular client context', () => {
        const ctx: Record<string, unknown> = {};
        ctx.self = ctx;
        return invokeWithTail(client, { functionName: 'f', clientContext: ctx });
      }, 'input.clientContext'],
      ['client context over 3,583 bytes of base64', () => invokeWithTail(client, { functionName: 'f', clientContext: { custom: { blob: 'x'.repeat(2700) } } }), 'input.clientContext'],
      ['payload over 6 MB', () => invokeWithTail(client, { functionName: 'f', payload: new Uint8Array(6 * 1024 * 1024 + 1) }), 'input.payload'],
      ['JSON payload over 6 MB', () => invokeWithTail(client, { functionName: 'f', payload: 'x'.repeat(6 * 1024 * 1024) }), 'input.payload'],
      ['BigInt payload', () => invokeWithTail(client, { functionName: 'f', payload: { n: 1n } }), 'input.payload'],
      ['function payload', () => invokeWithTail(client, { functionName: 'f', payload: () => 1 }), 'input.payload'],
      ['ArrayBuffer payload', () => invokeWithTail(client, { functionName: 'f', payload: new ArrayBuffer(4) }), 'input.payload'],
      ['bad retry option', () => invokeWithTail(client, { functionName: 'f' }, { retry: { maxAttempts: 0 } }), 'options.retry.maxAttempts'],
    ];
    it.each(cases)('rejects %s with InvalidInputError before any call', async (_name, call, field) => {
      lambdaMock.on(InvokeCommand).resolves(response());
      const err = await rejection(call());
      expect(isLambdaMeterError(err, 'InvalidInputError')).toBe(true);
      expect((err as InvalidInputError).field).toBe(field);
      expect(lambdaMock.send.callCount).toBe(0);
    });

    it('accepts the largest client context that fits in 3,583 base64 bytes and a payload of exactly 6 MB', async () => {
      lambdaMock.on(InvokeCommand).resolves(response());
      // base64 of n bytes is 4·ceil(n/3) characters; 2,685 JSON bytes → 3,580 characters, 2,686 → 3,584.
      const wrapper = '{"custom":{"b":""}}'.length;
      await invokeWithTail(client, { functionName: 'f', clientContext: { custom: { b: 'x'.repeat(2685 - wrapper) } }, payload: new Uint8Array(6 * 1024 * 1024) });
      const [sent] = sentInputs();
      expect(sent?.ClientContext?.length).toBe(3580);
      expect(sent?.Payload?.byteLength).toBe(6_291_456);
      const err = await rejection(invokeWithTail(client, { functionName: 'f', clientContext: { custom: { b: 'x'.repeat(2686 - wrapper) } } }));
      expect((err as InvalidInputError).field).toBe('input.clientContext');
      expect((err as Error).message).toContain('3584 bytes');
    });
  });
});

describe('apportion and interleave (weighted payloads)', () => {
  it('shares a count by the largest-remainder method, ties to the earlier entry', () => {
    expect(apportion([3, 1], 8)).toEqual([6, 2]);
    expect(apportion([1, 1, 1], 10)).toEqual([4, 3, 3]);
    expect(apportion([0.1, 0.2, 0.7], 10)).toEqual([1, 2, 7]);
    expect(apportion([5, 1], 1)).toEqual([1, 0]);
    expect(apportion([1, 2], 3)).toEqual([1, 2]);
    expect(apportion([2, 3, 5], 7)).toEqual([1, 2, 4]);
  });

  it('interleaves the shares evenly so any prefix sees the mix', () => {
    expect([...interleave([6, 2])]).toEqual([0, 0, 1, 0, 0, 0, 1, 0]);
    expect([...interleave([1, 0, 2])]).toEqual([2, 0, 2]);
    const order = [...interleave([50, 30, 20])];
    expect(order).toHaveLength(100);
    expect(order.slice(0, 10).filter((i) => i === 0)).toHaveLength(5);
    expect(order.filter((i) => i === 1)).toHaveLength(30);
  });
});

describe('invokeMany and iterateInvocations', () => {
  /** A mock whose calls wait until the test settles them; calls honour the abort signal. */
  function controlledMock(): { calls: { index: number; settle: (out: InvokeCommandOutput) => void; fail: (e: unknown) => void; signal: AbortSignal }[]; active: () => number; aborted: () => number } {
    const calls: { index: number; settle: (out: InvokeCommandOutput) => void; fail: (e: unknown) => void; signal: AbortSignal }[] = [];
    let active = 0;
    let aborted = 0;
    lambdaMock.on(InvokeCommand).callsFake((input: { Payload?: Uint8Array }) => {
      const signal = currentSignal();
      const index = (JSON.parse(text(input.Payload) ?? '{}') as { i: number }).i;
      const d = deferred<InvokeCommandOutput>();
      let settled = false;
      active++;
      signal.addEventListener('abort', () => {
        if (settled) return;
        aborted++;
        // Like a real HTTP request, an aborted call settles a little later, not synchronously.
        setImmediate(() => d.reject(sdkAbortError()));
      });
      calls.push({
        index,
        settle: (out) => {
          settled = true;
          d.resolve(out);
        },
        fail: (e) => {
          settled = true;
          d.reject(e);
        },
        signal,
      });
      return d.promise.finally(() => {
        active--;
      });
    });
    return { calls, active: () => active, aborted: () => aborted };
  }

  function idFor(i: number): string {
    return `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  }

  it('returns results in request order even when calls finish out of order', async () => {
    const mock = controlledMock();
    const pending = invokeMany(client, { functionName: 'f', count: 4, concurrency: 4, payloads: (i) => ({ i }) });
    await vi.waitFor(() => expect(mock.calls).toHaveLength(4), WAIT);
    for (const i of [3, 1, 2, 0]) {
      mock.calls[i]?.settle(response({ requestId: idFor(i), log: `${warmReport(idFor(i), `${i + 1}.00`, `${i + 1}`)}\n` }));
    }
    const results = await pending;
    expect(results.map((r) => r.index)).toEqual([0, 1, 2, 3]);
    expect(results.map((r) => r.requestId)).toEqual([0, 1, 2, 3].map(idFor));
    expect(results.map((r) => r.report?.durationMs)).toEqual([1, 2, 3, 4]);
    expect(results.map((r) => r.requestPayload)).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }, { i: 3 }]);
    expect(results[2]?.json()).toEqual({ ok: true });
    expect(mock.active()).toBe(0);
  });

  it('never has more than `concurrency` calls in flight, and reaches it', async () => {
    let active = 0;
    let maxActive = 0;
    let n = 0;
    lambdaMock.on(InvokeCommand).callsFake(async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      const turns = n++ % 4;
      for (let t = 0; t <= turns; t++) await new Promise<void>((r) => setImmediate(r));
      active--;
      return response();
    });
    const progress: Progress[] = [];
    const results = await invokeMany(client, { functionName: 'f', payload: { same: true }, count: 20, concurrency: 3 }, { onProgress: (p) => progress.push(p) });
    expect(results).toHaveLength(20);
    expect(maxActive).toBe(3);
    expect(progress.map((p) => p.completed)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(progress.every((p) => p.operation === 'invokeMany' && p.phase === 'invoking' && p.total === 20 && (p.inFlight ?? 0) <= 2 && p.failed === 0)).toBe(true);
    expect(progress.at(-1)?.inFlight).toBe(0);
    expect(sentInputs().every((s) => text(s.Payload) === '{"same":true}')).toBe(true);
  });

  it('runs one call at a time by default', async () => {
    let active = 0;
    let maxActive = 0;
    lambdaMock.on(InvokeCommand).callsFake(async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      await new Promise<void>((r) => setImmediate(r));
      active--;
      return response();
    });
    await invokeMany(client, { functionName: 'f', count: 5 });
    expect(maxActive).toBe(1);
    expect(lambdaMock.send.callCount).toBe(5);
  });

  it('counts function errors as failed in onProgress, and keeps them as results', async () => {
    lambdaMock
      .on(InvokeCommand)
      .resolvesOnce(response())
      .resolvesOnce(response({ functionError: 'Unhandled', payload: '{"errorType":"Error","errorMessage":"boom"}' }))
      .resolves(response());
    const progress: Progress[] = [];
    const results = await invokeMany(client, { functionName: 'f', count: 3 }, { onProgress: (p) => progress.push(p) });
    expect(results.map((r) => r.functionError)).toEqual([undefined, 'Unhandled', undefined]);
    expect(results[1]?.errorMessage).toBe('boom');
    expect(progress.map((p) => p.failed)).toEqual([0, 1, 1]);
  });

  it('shares a weighted payload list 3:1 over 8 invocations as 6 and 2, interleaved', async () => {
    lambdaMock.on(InvokeCommand).resolves(response());
    const small = { size: 'small' };
    const large = bytes('{"size":"large"}');
    const results = await invokeMany(client, { functionName: 'f', payload: 'ignored', count: 8, concurrency: 2, payloads: [{ payload: small, weight: 3 }, { payload: large, weight: 1 }] });
    expect(sentInputs().map((s) => text(s.Payload))).toEqual([
      '{"size":"small"}', '{"size":"small"}', '{"size":"large"}', '{"size":"small"}',
      '{"size":"small"}', '{"size":"small"}', '{"size":"large"}', '{"size":"small"}',
    ]);
    expect(results.filter((r) => r.requestPayload === small)).toHaveLength(6);
    expect(results.filter((r) => r.requestPayload === large)).toHaveLength(2);
  });

  it('computes each payload from its index with a generator function', async () => {
    lambdaMock.on(InvokeCommand).resolves(response());
    const seen: number[] = [];
    const results = await invokeMany(client, { functionName: 'f', count: 5, concurrency: 2, payloads: (i) => {
        seen.push(i);
        return i % 2 === 0 ? { n: i } : undefined;
      } });
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(sentInputs().map((s) => text(s.Payload))).toEqual(['{"n":0}', undefined, '{"n":2}', undefined, '{"n":4}']);
    expect(results.map((r) => r.requestPayload)).toEqual([{ n: 0 }, undefined, { n: 2 }, undefined, { n: 4 }]);
  });

  it('reports retries as phase retrying with the invocation index', async () => {
    lambdaMock.on(InvokeCommand).rejectsOnce(throttle()).resolves(response());
    const retried: [number | undefined, number, string][] = [];
    const phases: string[] = [];
    const results = await invokeMany(client, { functionName: 'f', count: 2 }, {
      retry: noWait,
      onProgress: (p) => {
        phases.push(`${p.operation}:${p.phase}`);
        if (p.retry !== undefined) retried.push([p.retry.index, p.retry.attempt, p.retry.operation]);
      },
    });
    expect(retried).toEqual([[0, 1, 'Invoke']]);
    expect(phases).toEqual(['invokeMany:retrying', 'invokeMany:invoking', 'invokeMany:invoking']);
    expect(results.map((r) => r.attempts)).toEqual([2, 1]);
  });

  it('iterateInvocations yields in order as results become available', async () => {
    const mock = controlledMock();
    const iter = iterateInvocations(client, { functionName: 'f', count: 3, concurrency: 3, payloads: (i) => ({ i }) });
    const first = iter.next();
    await vi.waitFor(() => expect(mock.calls).toHaveLength(3), WAIT);
    mock.calls[1]?.settle(response({ requestId: idFor(1) }));
    mock.calls[0]?.settle(response({ requestId: idFor(0) }));
    expect((await first).value?.requestId).toBe(idFor(0));
    expect((await iter.next()).value?.requestId).toBe(idFor(1));
    const third = iter.next();
    mock.calls[2]?.settle(response({ requestId: idFor(2) }));
    expect((await third).value?.index).toBe(2);
    expect((await iter.next()).done).toBe(true);
  });

  it('stops cleanly when the consumer breaks out: nothing new starts, calls in flight are aborted', async () => {
    const mock = controlledMock();
    const got: IndexedTailInvocation[] = [];
    const consume = (async () => {
      for await (const r of iterateInvocations(client, { functionName: 'f', count: 10, concurrency: 3, payloads: (i) => ({ i }) })) {
        got.push(r);
        break;
      }
    })();
    await vi.waitFor(() => expect(mock.calls).toHaveLength(3), WAIT);
    mock.calls[0]?.settle(response({ requestId: idFor(0) }));
    await consume;
    expect(got.map((r) => r.index)).toEqual([0]);
    // Index 0's completion started index 3 before the consumer broke out: 1, 2 and 3 were in flight, then aborted.
    expect(mock.calls.map((c) => c.index)).toEqual([0, 1, 2, 3]);
    expect(mock.aborted()).toBe(3);
    expect(mock.active()).toBe(0);
    await new Promise<void>((r) => setImmediate(r));
    expect(lambdaMock.send.callCount).toBe(4);
  });

  it('invokeMany rejects with LambdaMeterAbortError when aborted mid-run and starts nothing afterwards', async () => {
    const mock = controlledMock();
    const ac = new AbortController();
    const pending = invokeMany(client, { functionName: 'f', count: 10, concurrency: 2, payloads: (i) => ({ i }) }, { signal: ac.signal });
    await vi.waitFor(() => expect(mock.calls).toHaveLength(2), WAIT);
    mock.calls[0]?.settle(response());
    await vi.waitFor(() => expect(mock.calls).toHaveLength(3), WAIT);
    const reason = new Error('enough');
    ac.abort(reason);
    const err = await rejection(pending);
    expect(isLambdaMeterError(err, 'LambdaMeterAbortError')).toBe(true);
    expect((err as Error).message).toBe('invokeMany was aborted');
    expect((err as Error).cause).toBe(reason);
    expect(mock.aborted()).toBe(2);
    expect(mock.active()).toBe(0);
    await new Promise<void>((r) => setImmediate(r));
    expect(lambdaMock.send.callCount).toBe(3);
  });

  it('invokeMany rejects with LambdaMeterAbortError without calling when the signal is already aborted', async () => {
    lambdaMock.on(InvokeCommand).resolves(response());
    const err = await rejection(invokeMany(client, { functionName: 'f', count: 3 }, { signal: AbortSignal.abort() }));
    expect(isLambdaMeterError(err, 'LambdaMeterAbortError')).toBe(true);
    expect(lambdaMock.send.callCount).toBe(0);
  });

  it('rejects with the first call failure and aborts the calls still in flight', async () => {
    const mock = controlledMock();
    const pending = invokeMany(client, { functionName: 'f', count: 6, concurrency: 3, payloads: (i) => ({ i }) });
    await vi.waitFor(() => expect(mock.calls).toHaveLength(3), WAIT);
    const gone = new ResourceNotFoundException({ message: 'Function not found', $metadata: { httpStatusCode: 404 } });
    mock.calls[1]?.fail(gone);
    const err = await rejection(pending);
    expect(isLambdaMeterError(err, 'ServiceCallError')).toBe(true);
    expect((err as Error).cause).toBe(gone);
    expect(mock.aborted()).toBe(2);
    expect(mock.active()).toBe(0);
    expect(lambdaMock.send.callCount).toBe(3);
  });

  it('rejects with the error a payload generator or onProgress throws, unchanged', async () => {
    lambdaMock.on(InvokeCommand).resolves(response());
    const fromGenerator = new Error('no payload for 2');
    const err1 = await rejection(invokeMany(client, { functionName: 'f', count: 4, payloads: (i) => {
        if (i === 2) throw fromGenerator;
        return { i };
      } }));
    expect(err1).toBe(fromGenerator);
    expect(lambdaMock.send.callCount).toBe(2);

    const fromProgress = new Error('progress bar broke');
    const err2 = await rejection(invokeMany(client, { functionName: 'f', count: 4 }, { onProgress: () => {
        throw fromProgress;
      } }));
    expect(err2).toBe(fromProgress);
  });

  it('rejects a generated payload that cannot be encoded, naming its index', async () => {
    lambdaMock.on(InvokeCommand).resolves(response());
    const err = await rejection(invokeMany(client, { functionName: 'f', count: 3, payloads: (i) => (i === 1 ? { n: 1n } : {}) }));
    expect((err as InvalidInputError).field).toBe('input.payloads(1)');
  });

  describe('validation', () => {
    const input = { functionName: 'f' };
    const cases: [string, () => Promise<unknown>, string][] = [
      ['no input', () => invokeMany(client, undefined as never), 'input'],
      ['bad options', () => invokeMany(client, { ...input, count: 1 }, 'fast' as never), 'options'],
      ['no client', () => invokeMany(null as never, { ...input, count: 1 }), 'client'],
      ['no count', () => invokeMany(client, input as never), 'input.count'],
      ['zero count', () => invokeMany(client, { ...input, count: 0 }), 'input.count'],
      ['fractional count', () => invokeMany(client, { ...input, count: 2.5 }), 'input.count'],
      ['string count', () => invokeMany(client, { ...input, count: '3' as never }), 'input.count'],
      ['zero concurrency', () => invokeMany(client, { ...input, count: 1, concurrency: 0 }), 'input.concurrency'],
      ['infinite concurrency', () => invokeMany(client, { ...input, count: 1, concurrency: Infinity }), 'input.concurrency'],
      ['empty weighted list', () => invokeMany(client, { ...input, count: 1, payloads: [] }), 'input.payloads'],
      ['zero weight', () => invokeMany(client, { ...input, count: 1, payloads: [{ payload: 1, weight: 1 }, { payload: 2, weight: 0 }] }), 'input.payloads[1].weight'],
      ['NaN weight', () => invokeMany(client, { ...input, count: 1, payloads: [{ payload: 1, weight: NaN }] }), 'input.payloads[0].weight'],
      ['non-object entry', () => invokeMany(client, { ...input, count: 1, payloads: [null as never] }), 'input.payloads[0]'],
      ['unencodable entry', () => invokeMany(client, { ...input, count: 1, payloads: [{ payload: Symbol('x'), weight: 1 }] }), 'input.payloads[0].payload'],
      ['payloads neither list nor function', () => invokeMany(client, { ...input, count: 1, payloads: { a: 1 } as never }), 'input.payloads'],
      ['bad onProgress', () => invokeMany(client, { ...input, count: 1 }, { onProgress: 'log' as never }), 'options.onProgress'],
      ['bad retry', () => invokeMany(client, { ...input, count: 1 }, { retry: { budgetMs: -1 } }), 'options.retry.budgetMs'],
      ['bad input', () => invokeMany(client, { functionName: '', count: 1 }), 'input.functionName'],
      ['bad input payload', () => invokeMany(client, { functionName: 'f', payload: () => 0, count: 1 }), 'input.payload'],
    ];
    it.each(cases)('rejects %s with InvalidInputError before any call', async (_name, call, field) => {
      lambdaMock.on(InvokeCommand).resolves(response());
      const err = await rejection(call());
      expect(isLambdaMeterError(err, 'InvalidInputError')).toBe(true);
      expect((err as InvalidInputError).field).toBe(field);
      expect(lambdaMock.send.callCount).toBe(0);
    });

    it('iterateInvocations throws validation errors synchronously, before returning the iterator', () => {
      expect(() => iterateInvocations(client, { ...input, count: -1 })).toThrow(InvalidInputError);
    });
  });
});
