/**
 * diagnoseAsync end to end on lambda-meter/local: the four troubleshooting scenarios of AWS's async-metrics sample
 * ("Introducing new asynchronous invocation metrics for AWS Lambda", AWS Compute Blog), reproduced as in
 * test/local-async.test.ts with `timeScale: 600`, plus a healthy run; each must yield its own finding and none of the
 * others. Then the rules alone on hand-made totals. Assertions are counts, never stopwatch readings; an invocation
 * that must hold the concurrency waits on a gate the test opens (test/fixtures/functions/gate.mjs), not for a time
 * that a slow machine could outlast.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { InvokeCommand, LambdaClient, PutFunctionConcurrencyCommand, PutFunctionEventInvokeConfigCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ASYNC_DEFAULTS, diagnoseAsync, evaluateAsync } from '../src/diagnose/index.js';
import type { AsyncDiagnosis, AsyncFindingCode, AsyncTotals, EventInvokeSettings } from '../src/diagnose/index.js';
import { InvalidInputError } from '../src/errors.js';
import type { Progress } from '../src/internal/options.js';
import { startLocalLambda } from '../src/local/index.js';
import type { LocalLambda } from '../src/local/index.js';
import type { LambdaMetricName } from '../src/metrics/index.js';
import { fileGate, sleep, waitUntil } from './helpers/common.js';

const F = 'test/fixtures/functions/';
const MINUTE = 60_000;

function codes(d: AsyncDiagnosis): AsyncFindingCode[] {
  return d.findings.map((f) => f.code);
}

describe('diagnoseAsync on lambda-meter/local (timeScale 600)', () => {
  let local: LocalLambda;
  let lambda: LambdaClient;
  let cloudWatch: CloudWatchClient;
  let logs: CloudWatchLogsClient;

  /** The total of a metric's datapoints in local's store (dimension FunctionName only), to wait on progress. */
  function stored(metricName: LambdaMetricName, functionName: string): number {
    const now = Date.now();
    const points = local.metrics.getStatistics({
      namespace: 'AWS/Lambda',
      metricName,
      dimensions: { FunctionName: functionName },
      startTime: Math.floor(now / 3_600_000) * 3_600_000 - 3_600_000,
      endTime: now + MINUTE,
      periodSeconds: 3600,
      stat: 'Sum',
    });
    return points.reduce((s, p) => s + p.value, 0);
  }

  async function sendEvent(functionName: string, event: unknown): Promise<void> {
    const out = await lambda.send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: JSON.stringify(event) }));
    expect(out.StatusCode).toBe(202);
  }

  function diagnose(functionName: string, since: number, withLogs = false): Promise<AsyncDiagnosis> {
    return diagnoseAsync(
      { lambda, cloudWatch, ...(withLogs ? { logs } : {}) },
      { functionName, startTime: since - MINUTE, endTime: Date.now() + MINUTE },
    );
  }

  beforeAll(async () => {
    local = await startLocalLambda({
      cpu: 'unlimited',
      timeScale: 600,
      functions: [
        { name: 'failing', handler: `${F}async-fail.mjs#handler` },
        { name: 'throttled', handler: `${F}gate.mjs#handler`, timeoutSeconds: 60, reservedConcurrency: 1 },
        { name: 'expiring', handler: `${F}gate.mjs#handler`, timeoutSeconds: 60, reservedConcurrency: 1 },
        { name: 'disabled', handler: `${F}async-slow.mjs#handler` },
        { name: 'fine', handler: `${F}async-slow.mjs#handler` },
      ],
    });
    const config = local.clientConfig();
    lambda = new LambdaClient(config);
    cloudWatch = new CloudWatchClient(config);
    logs = new CloudWatchLogsClient(config);
  });

  afterAll(async () => {
    lambda?.destroy();
    cloudWatch?.destroy();
    logs?.destroy();
    await local?.stop();
  });

  test('(1) function errors: retries with a rising age, dropped after the last one → function-errors', async () => {
    const since = Date.now();
    await sendEvent('failing', { id: 'order-1' });
    await waitUntil(() => stored('AsyncEventsDropped', 'failing') === 1);
    const d = await diagnose('failing', since, true);
    expect(codes(d)).toEqual(['function-errors']);
    const [finding] = d.findings;
    expect(finding?.severity).toBe('critical');
    expect(finding?.evidence).toMatchObject({ Errors: 3, Invocations: 3, AsyncEventsReceived: 1, AsyncEventsDroppedAfterRetries: 1, MaximumRetryAttempts: 2, RetriedRequestIds: 1 });
    expect(finding?.evidence.AsyncEventAgeMaxMs).toBeGreaterThanOrEqual(3 * MINUTE);
    expect(finding?.advice.some((a) => /on-failure destination/.test(a))).toBe(true);
    expect(finding?.summary).toMatch(/DownstreamError ×3/);
    // No configuration: Lambda's defaults.
    expect(d.eventInvokeConfig).toEqual({ maximumRetryAttempts: 2, maximumEventAgeInSeconds: 21_600, onFailureDestination: undefined, source: 'default' });
    expect(d.reservedConcurrency).toBeUndefined();
    expect(d.logs?.reports).toBe(3);
    expect(d.logs?.requestIds).toBe(1);
    expect(d.logs?.errorsByType).toEqual({ DownstreamError: 3 });
    expect(d.totals).toMatchObject({ asyncEventsReceived: 1, asyncEventsDropped: 1, errors: 3, throttles: 0, asyncEventAgeSamples: 3 });
    expect(d.series.AsyncEventAgeMaximum?.points.length).toBeGreaterThan(0);
  });

  test('(2) reserved concurrency 1 and a slow handler: Throttles and rising age, nothing dropped → concurrency-throttling', async () => {
    const since = Date.now();
    const gate = fileGate();
    try {
      // The first event takes the only concurrency as it is queued and holds it until the gate opens; the other
      // three are throttled as they are queued, and wait at least the 20 ms before it does (12 s of service time).
      await sendEvent('throttled', { id: 't0', gate: gate.path });
      for (let i = 1; i < 4; i++) await sendEvent('throttled', { id: `t${i}` });
      await sleep(20);
      gate.open();
      await waitUntil(() => stored('Invocations', 'throttled') === 4);
    } finally {
      gate.remove();
    }
    const d = await diagnose('throttled', since);
    expect(codes(d)).toEqual(['concurrency-throttling']);
    const [finding] = d.findings;
    expect(finding?.severity).toBe('warning');
    expect(finding?.evidence.Throttles).toBeGreaterThan(0);
    expect(finding?.evidence).toMatchObject({ AsyncEventsDropped: 0, ReservedConcurrentExecutions: 1, AsyncEventsReceived: 4 });
    expect(finding?.evidence.AsyncEventAgeMaxMs).toBeGreaterThan(1000);
    expect(finding?.advice[0]).toMatch(/Raise reserved concurrency above 1/);
    expect(d.reservedConcurrency).toBe(1);
    expect(d.logs).toBeUndefined();
  });

  test('(3) MaximumEventAgeInSeconds 60 and the only concurrency held: the throttled event expires → events-expired', async () => {
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'expiring', MaximumEventAgeInSeconds: 60 }));
    const since = Date.now();
    const gate = fileGate();
    try {
      // The holder keeps the only concurrency until the late event (throttled as it is queued) has expired: 60 s of
      // service time is 100 ms here.
      await sendEvent('expiring', { id: 'holder', gate: gate.path });
      await sendEvent('expiring', { id: 'late' });
      await waitUntil(() => stored('AsyncEventsDropped', 'expiring') === 1);
      gate.open();
      await waitUntil(() => stored('Invocations', 'expiring') === 1);
    } finally {
      gate.remove();
    }
    const d = await diagnose('expiring', since);
    expect(codes(d)).toEqual(['events-expired']);
    const [finding] = d.findings;
    expect(finding?.severity).toBe('critical');
    expect(finding?.evidence).toMatchObject({ AsyncEventsDropped: 1, AsyncEventsExpired: 1, MaximumEventAgeInSeconds: 60, ReservedConcurrentExecutions: 1 });
    expect(finding?.evidence.Throttles).toBeGreaterThan(0);
    expect(finding?.advice.join('\n')).toMatch(/Raise MaximumEventAgeInSeconds from 60 s/);
    expect(finding?.advice.join('\n')).toMatch(/Raise reserved concurrency above 1/);
    expect(d.eventInvokeConfig).toMatchObject({ maximumEventAgeInSeconds: 60, maximumRetryAttempts: 2, source: 'configured' });
  });

  test('(4) reserved concurrency 0: dropped at once without age → zero-reserved-concurrency', async () => {
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'disabled', ReservedConcurrentExecutions: 0 }));
    const since = Date.now();
    await sendEvent('disabled', { id: 'nobody' });
    await waitUntil(() => stored('AsyncEventsDropped', 'disabled') === 1);
    const d = await diagnose('disabled', since);
    expect(codes(d)).toEqual(['zero-reserved-concurrency']);
    const [finding] = d.findings;
    expect(finding?.severity).toBe('critical');
    expect(finding?.evidence).toEqual({ ReservedConcurrentExecutions: 0, AsyncEventsReceived: 1, AsyncEventsDropped: 1, AsyncEventAgeSamples: 0, Invocations: 0 });
    expect(finding?.advice[0]).toMatch(/PutFunctionConcurrency|DeleteFunctionConcurrency/);
    expect(d.totals.asyncEventAgeMaxMs).toBeUndefined();
  });

  test('a healthy run: events processed, nothing failed, throttled or dropped → healthy', async () => {
    const since = Date.now();
    for (let i = 0; i < 3; i++) await sendEvent('fine', { id: `ok${i}` });
    await waitUntil(() => stored('Invocations', 'fine') === 3);
    const d = await diagnose('fine', since, true);
    expect(codes(d)).toEqual(['healthy']);
    expect(d.findings[0]?.evidence).toMatchObject({ AsyncEventsReceived: 3, Invocations: 3, AsyncEventsDropped: 0 });
    expect(d.findings[0]?.advice).toEqual([]);
    expect(d.logs?.reports).toBe(3);
    expect(d.logs?.errorsByType).toEqual({});
  });

  test('input is validated, naming the field', async () => {
    const now = Date.now();
    const bad: [unknown, unknown, string][] = [
      [{ cloudWatch }, { functionName: 'f', startTime: now - 1, endTime: now }, 'clients.lambda'],
      [{ lambda }, { functionName: 'f', startTime: now - 1, endTime: now }, 'clients.cloudWatch'],
      [{ lambda, cloudWatch, logs: {} }, { functionName: 'f', startTime: now - 1, endTime: now }, 'clients.logs'],
      [{ lambda, cloudWatch }, { functionName: 'arn:aws:lambda:x', startTime: now - 1, endTime: now }, 'input.functionName'],
      [{ lambda, cloudWatch }, { functionName: 'f', qualifier: '', startTime: now - 1, endTime: now }, 'input.qualifier'],
      [{ lambda, cloudWatch }, { functionName: 'f', startTime: 'yesterday', endTime: now }, 'input.startTime'],
      [{ lambda, cloudWatch }, { functionName: 'f', startTime: now, endTime: now - 1 }, 'input.endTime'],
      [{ lambda, cloudWatch }, { functionName: 'f', startTime: now - 1, endTime: now, periodSeconds: 90 }, 'input.periodSeconds'],
    ];
    for (const [clients, input, field] of bad) {
      const error = await diagnoseAsync(clients as never, input as never).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).field).toBe(field);
    }
  });

  test('options are validated, naming the field; onProgress reports reading and done under diagnoseAsync', async () => {
    const now = Date.now();
    const input = { functionName: 'fine', startTime: now - MINUTE, endTime: now };
    const error = await diagnoseAsync({ lambda, cloudWatch }, input, { signal: 'stop' as never }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as InvalidInputError).field).toBe('options.signal');
    const events: Progress[] = [];
    await diagnoseAsync({ lambda, cloudWatch }, input, { onProgress: (p) => events.push(p) });
    expect(events.map((e) => `${e.operation}:${e.phase}`)).toEqual(['diagnoseAsync:reading', 'diagnoseAsync:done']);
  });
});

describe('evaluateAsync rules', () => {
  const defaults: EventInvokeSettings = { ...ASYNC_DEFAULTS, onFailureDestination: undefined, source: 'default' };
  const quiet: AsyncTotals = {
    asyncEventsReceived: 100,
    asyncEventsDropped: 0,
    throttles: 0,
    errors: 0,
    invocations: 100,
    deadLetterErrors: 0,
    destinationDeliveryFailures: 0,
    asyncEventAgeSamples: 100,
    asyncEventAgeAvgMs: 40,
    asyncEventAgeMaxMs: 90,
    concurrentExecutionsMax: 3,
  };

  test('drops with no throttles in range but ages near MaximumEventAgeInSeconds are expiry', () => {
    const findings = evaluateAsync({ totals: { ...quiet, asyncEventsDropped: 5, asyncEventAgeMaxMs: 21_000_000 }, reservedConcurrency: undefined, eventInvokeConfig: defaults, logs: undefined });
    expect(findings.map((f) => f.code)).toEqual(['events-expired']);
    expect(findings[0]?.summary).toMatch(/near MaximumEventAgeInSeconds/);
    expect(findings[0]?.advice.join('\n')).toMatch(/Reserve concurrency/);
    expect(findings[0]?.advice.join('\n')).not.toMatch(/Raise MaximumEventAgeInSeconds/); // already the maximum
  });

  test('errors and throttles together: drops beyond exhausted retries are expiry; no throttling finding then', () => {
    const findings = evaluateAsync({ totals: { ...quiet, errors: 6, throttles: 40, asyncEventsDropped: 5 }, reservedConcurrency: 10, eventInvokeConfig: defaults, logs: undefined });
    expect(findings.map((f) => f.code).sort()).toEqual(['events-expired', 'function-errors']);
    expect(findings.find((f) => f.code === 'function-errors')?.evidence.AsyncEventsDroppedAfterRetries).toBe(2);
    expect(findings.find((f) => f.code === 'events-expired')?.evidence.AsyncEventsExpired).toBe(3);
  });

  test('throttles without delay are info; an on-failure destination removes that advice', () => {
    const withDestination = { ...defaults, onFailureDestination: 'arn:aws:sqs:us-east-1:123456789012:dlq', source: 'configured' as const };
    const findings = evaluateAsync({ totals: { ...quiet, throttles: 2 }, reservedConcurrency: undefined, eventInvokeConfig: withDestination, logs: undefined });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: 'concurrency-throttling', severity: 'info' });
    expect(findings[0]?.advice.join('\n')).not.toMatch(/on-failure destination/);
  });

  test('reserved concurrency 0 with nothing received is a warning; no traffic at all is healthy', () => {
    expect(evaluateAsync({ totals: { ...quiet, asyncEventsReceived: 0, invocations: 0 }, reservedConcurrency: 0, eventInvokeConfig: defaults, logs: undefined })[0]).toMatchObject({
      code: 'zero-reserved-concurrency',
      severity: 'warning',
    });
    const idle = evaluateAsync({ totals: { ...quiet, asyncEventsReceived: 0, invocations: 0, asyncEventAgeSamples: 0, asyncEventAgeMaxMs: undefined, asyncEventAgeAvgMs: undefined }, reservedConcurrency: undefined, eventInvokeConfig: defaults, logs: undefined });
    expect(idle.map((f) => f.code)).toEqual(['healthy']);
    expect(idle[0]?.summary).toMatch(/No asynchronous events/);
  });
});
