/**
 * End-to-end tests of local's Lambda: real handlers in real child processes, driven through the real
 * `@aws-sdk/client-lambda` client and lambda-meter's own invokeWithTail.
 */
import { CreateAliasCommand, InvokeCommand, LambdaClient, PublishVersionCommand, TooManyRequestsException } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { invokeWithTail } from '../src/invoke/index.js';
import { startLocalLambdaCore } from '../src/local/lambda/index.js';
import type { LocalLambdaCore } from '../src/local/lambda/index.js';
import { MetricStore } from '../src/local/metrics/store.js';
import { parseLog } from '../src/report/index.js';
import { fileGate, pidAlive, waitUntil } from './helpers/common.js';

const F = 'test/fixtures/functions/';
const STREAM_NAME = /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/;

function text(payload: Uint8Array | undefined): string {
  return Buffer.from(payload ?? new Uint8Array()).toString('utf8');
}

let core: LocalLambdaCore;
let lambda: LambdaClient;
const pids = new Set<number>();

beforeAll(async () => {
  core = await startLocalLambdaCore({
    cpu: 'unlimited', // correctness tests; test/local-cpu.test.ts covers CPU shares
    functions: [
      { name: 'hello', handler: `${F}hello.mjs#handler`, environment: { MY_SETTING: 'on' } },
      { name: 'fail', handler: `${F}fail.mjs#handler` },
      { name: 'sleep', handler: `${F}sleep.mjs#handler`, timeoutSeconds: 1 },
      { name: 'slow', handler: `${F}gate.mjs#handler`, timeoutSeconds: 60 },
      { name: 'crash', handler: `${F}crash.mjs#handler` },
      { name: 'oom', handler: `${F}oom.mjs#handler`, timeoutSeconds: 20 },
      { name: 'callback', handler: `${F}callback.mjs#handler` },
      { name: 'silent', handler: `${F}callback.mjs#silent` },
      { name: 'legacy', handler: `${F}callback.mjs#legacy` },
      { name: 'uncaught', handler: `${F}uncaught.mjs#handler` },
      { name: 'rejection', handler: `${F}uncaught.mjs#rejection` },
      { name: 'stdout', handler: `${F}stdout.mjs#handler` },
      { name: 'big', handler: `${F}big.mjs#handler` },
      { name: 'json', handler: `${F}hello.mjs#handler`, logFormat: 'JSON' },
      { name: 'reserved', handler: `${F}gate.mjs#handler`, timeoutSeconds: 60, reservedConcurrency: 1 },
      { name: 'spawner', handler: `${F}spawn.mjs#handler` },
      { name: 'loaded', handler: `${F}loaded.mjs#handler` },
    ],
  });
  // maxAttempts 1: tests send to the emulator directly and assert its 429s; the SDK must not retry them.
  lambda = new LambdaClient({ ...core.clientConfig(), maxAttempts: 1 });
});

afterAll(async () => {
  await core.stop();
});

/** Remembers the pids of the current environments, for the final check that stop() ends them. */
function rememberPids(): void {
  for (const env of core.service.environments()) if (env.pid !== undefined) pids.add(env.pid);
}

describe('invocations', () => {
  test('a cold then a warm invocation, each with a parsed REPORT, through invokeWithTail', async () => {
    const cold = await invokeWithTail(lambda, { functionName: 'hello', payload: { n: 1 } });
    const warm = await invokeWithTail(lambda, { functionName: 'hello', payload: { n: 2 } });
    rememberPids();
    expect(cold.statusCode).toBe(200);
    expect(cold.functionError).toBeUndefined();
    expect(cold.executedVersion).toBe('$LATEST');
    expect(cold.report?.coldStart).toBe(true);
    expect(cold.report?.initDurationMs).toBeGreaterThan(0);
    expect(warm.report?.coldStart).toBe(false);
    expect(warm.report?.initDurationMs).toBeUndefined();
    for (const r of [cold, warm]) {
      const report = r.report;
      if (report === undefined) throw new Error('no REPORT');
      expect(report.requestId).toBe(r.requestId);
      expect(report.memorySizeMB).toBe(128);
      expect(report.maxMemoryUsedMB).toBeGreaterThan(10);
      expect(report.status).toBe('success');
      // Billed Duration = ceil(Duration + Init Duration), INIT billed since August 2025.
      expect(report.billedDurationMs).toBe(Math.ceil(Math.round(report.durationMs * 100 + (report.initDurationMs ?? 0) * 100) / 100));
    }
    const first = cold.json<Record<string, unknown>>();
    const second = warm.json<Record<string, unknown>>();
    expect(first.event).toStrictEqual({ n: 1 });
    expect(first.pid).toBe(second.pid);
    expect(first.logStreamName).toBe(second.logStreamName);
    expect(first.requestId).toBe(cold.requestId);
    expect(first).toMatchObject({
      functionName: 'hello',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:hello',
      memoryLimitInMB: '128',
      logGroupName: '/aws/lambda/hello',
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(first.remainingMs).toBeGreaterThan(0);
    expect(first.remainingMs).toBeLessThanOrEqual(3000);
    expect(String(first.traceId)).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
    expect(first.env).toMatchObject({
      AWS_LAMBDA_FUNCTION_NAME: 'hello',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/hello',
      AWS_LAMBDA_LOG_STREAM_NAME: first.logStreamName,
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_EXECUTION_ENV: `AWS_Lambda_nodejs${process.versions.node.split('.')[0]}.x`,
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      _HANDLER: 'hello.handler',
      TZ: ':UTC',
      AWS_ACCESS_KEY_ID: 'local',
      MY_SETTING: 'on',
    });
    expect(String(first.logStreamName)).toMatch(STREAM_NAME);
  });

  test('console lines are in the tail and the log stream as the Node.js runtime prints them', async () => {
    const result = await invokeWithTail(lambda, { functionName: 'hello', payload: {} });
    const lines = result.log.split('\n');
    const id = result.requestId;
    expect(lines).toContain(`START RequestId: ${id} Version: $LATEST`);
    expect(lines).toContain(`END RequestId: ${id}`);
    expect(lines.some((l) => new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\t${id}\\tINFO\\thello from hello$`).test(l))).toBe(true);
    expect(lines.some((l) => l.endsWith(`\t${id}\tERROR\tan error { code: 7 }`))).toBe(true);
    // A multi-line console message is one log event.
    const stream = result.json<{ logStreamName: string }>().logStreamName;
    const events = core.logs.streamEvents('/aws/lambda/hello', stream);
    const warning = events.find((e) => e.message.includes(`\t${id}\tWARN\t`));
    expect(warning?.message).toMatch(/WARN\ta warning\nwith two lines\n$/);
    const mine = events.filter((e) => e.message.includes(id)).map((e) => e.message.split(/[\t ]/)[0]);
    expect(mine[0]).toBe('START');
    expect(mine.at(-2)).toBe('END');
    expect(mine.at(-1)).toBe('REPORT');
    expect(core.logs.listLogStreams('/aws/lambda/hello').map((s) => s.logStreamName)).toContain(stream);
    const parsed = parseLog(events.map((e) => e.message).join(''));
    expect(parsed.reports.map((r) => r.requestId)).toContain(id);
    expect(parsed.events.filter((e) => e.type === 'initStart')).toHaveLength(1);
  });

  test('a client context reaches context.clientContext', async () => {
    const result = await invokeWithTail(lambda, { functionName: 'hello', clientContext: { custom: { tenant: 'a' } } });
    expect(result.json<{ clientContext: unknown }>().clientContext).toStrictEqual({ custom: { tenant: 'a' } });
  });

  test('stdout and stderr writes become one log event per line', async () => {
    const result = await invokeWithTail(lambda, { functionName: 'stdout' });
    rememberPids();
    expect(result.json()).toBe('done');
    const lines = result.log.split('\n');
    expect(lines).toEqual(expect.arrayContaining(['raw line one', 'raw line two', 'raw error line']));
  });

  test('a handler error is FunctionError Unhandled with errorType, errorMessage and trace; the environment stays warm', async () => {
    const first = await invokeWithTail(lambda, { functionName: 'fail', payload: { value: 7 } });
    rememberPids();
    expect(first.functionError).toBe('Unhandled');
    expect(first.errorType).toBe('ValidationError');
    expect(first.errorMessage).toBe('value 7 is not allowed');
    expect(first.stackTrace?.[0]).toBe('ValidationError: value 7 is not allowed');
    expect(first.report?.status).toBe('success');
    expect(first.log).toMatch(/\tERROR\tInvoke Error \t\{"errorType":"ValidationError","errorMessage":"value 7 is not allowed"/);
    const second = await invokeWithTail(lambda, { functionName: 'fail', payload: { value: 8 } });
    expect(second.report?.coldStart).toBe(false);
  });

  test('past the timeout the environment is killed: Status timeout, Duration and Billed Duration = the timeout', async () => {
    const warmup = await invokeWithTail(lambda, { functionName: 'sleep', payload: { ms: 0 } });
    const before = warmup.json<{ pid: number }>().pid;
    const result = await invokeWithTail(lambda, { functionName: 'sleep', payload: { ms: 5000 } });
    expect(result.functionError).toBe('Unhandled');
    expect(result.errorType).toBe('Sandbox.Timedout');
    expect(result.errorMessage).toBe(`RequestId: ${result.requestId} Error: Task timed out after 1.00 seconds`);
    expect(result.report).toMatchObject({ status: 'timeout', durationMs: 1000, billedDurationMs: 1000, coldStart: false });
    await waitUntil(() => !pidAlive(before));
    const after = await invokeWithTail(lambda, { functionName: 'sleep', payload: { ms: 0 } });
    rememberPids();
    expect(after.report?.coldStart).toBe(true);
    expect(after.json<{ pid: number }>().pid).not.toBe(before);
  });

  test('a process that exits mid-invocation is Runtime.ExitError', async () => {
    const result = await invokeWithTail(lambda, { functionName: 'crash', payload: { code: 3 } });
    expect(result.functionError).toBe('Unhandled');
    expect(result.errorType).toBe('Runtime.ExitError');
    expect(result.errorMessage).toBe(`RequestId: ${result.requestId} Error: Runtime exited with error: exit status 3`);
    expect(result.report).toMatchObject({ status: 'error', errorType: 'Runtime.ExitError' });
    expect(result.log).toContain('crashing now\n');
    expect(result.log).toContain(`RequestId: ${result.requestId} Error: Runtime exited with error: exit status 3\nRuntime.ExitError\n`);
    const again = await invokeWithTail(lambda, { functionName: 'crash', payload: { code: 4 } });
    expect(again.report?.coldStart).toBe(true);
  });

  test('memory over the configured size is Runtime.OutOfMemory', async () => {
    const result = await invokeWithTail(lambda, { functionName: 'oom' });
    expect(result.functionError).toBe('Unhandled');
    expect(result.errorType).toBe('Runtime.OutOfMemory');
    expect(result.report).toMatchObject({ status: 'error', errorType: 'Runtime.OutOfMemory', memorySizeMB: 128 });
    expect(result.report?.maxMemoryUsedMB).toBeGreaterThanOrEqual(128);
  });

  test('a callback handler answers once the event loop is empty, or at once without waiting', async () => {
    const waits = await invokeWithTail(lambda, { functionName: 'callback', payload: {} });
    rememberPids();
    expect(waits.json()).toStrictEqual({ answer: 42 });
    const lines = waits.log.split('\n');
    const timer = lines.findIndex((l) => l.endsWith('\tINFO\ttimer fired'));
    const end = lines.findIndex((l) => l.startsWith('END RequestId'));
    expect(timer).toBeGreaterThan(-1);
    expect(timer).toBeLessThan(end);

    // The early answer's timer waits on a gate that opens only after the answer: were the answer to wait for it,
    // the invocation would time out; as it does not, the timer's line cannot be in its log, however slow the machine.
    const gate = fileGate();
    try {
      const early = await invokeWithTail(lambda, { functionName: 'callback', payload: { early: true, gate: gate.path } });
      expect(early.json()).toStrictEqual({ answer: 42 });
      expect(early.log).not.toContain('timer fired');
    } finally {
      gate.open();
    }
    // The timer fires now, in the idle environment (or at the start of the next invocation).
    await waitUntil(() => core.logs.visibleEvents({ logGroupNames: ['/aws/lambda/callback'] }).some((e) => e.message.includes('timer fired') && !e.message.includes(waits.requestId)));
    gate.remove();

    const failed = await invokeWithTail(lambda, { functionName: 'callback', payload: { fail: true } });
    expect(failed.functionError).toBe('Unhandled');
    expect(failed.errorMessage).toBe('callback failure');

    const silent = await invokeWithTail(lambda, { functionName: 'silent', payload: { n: 5 } });
    expect(silent.text()).toBe('null');
    expect(silent.log).toContain('\tINFO\tsilent timer 5');

    const legacy = await invokeWithTail(lambda, { functionName: 'legacy' });
    expect(legacy.json()).toStrictEqual({ legacy: true });
  });

  test('an uncaught exception or unhandled rejection fails the invocation and ends the process', async () => {
    const uncaught = await invokeWithTail(lambda, { functionName: 'uncaught' });
    expect(uncaught.errorType).toBe('RangeError');
    expect(uncaught.log).toContain('\tERROR\tUncaught Exception \t{"errorType":"RangeError"');
    const rejection = await invokeWithTail(lambda, { functionName: 'rejection' });
    expect(rejection.errorType).toBe('Runtime.UnhandledPromiseRejection');
    expect(rejection.errorMessage).toBe('Error: nobody catches this');
    await waitUntil(() => core.service.environments().every((e) => e.functionName !== 'rejection' || e.state === 'stopped'));
    const again = await invokeWithTail(lambda, { functionName: 'rejection' });
    expect(again.report?.coldStart).toBe(true);
  });

  test('a response over 6 MB is Function.ResponseSizeTooLarge', async () => {
    const result = await invokeWithTail(lambda, { functionName: 'big', payload: { bytes: 6 * 1024 * 1024 + 10 } });
    expect(result.functionError).toBe('Unhandled');
    expect(result.errorType).toBe('Function.ResponseSizeTooLarge');
    const ok = await invokeWithTail(lambda, { functionName: 'big', payload: { bytes: 10 } });
    expect(ok.json()).toBe('xxxxxxxxxx');
  });

  test("the runtime client loads only the part of Node.js it uses: no undici, http2 or tls (they cost Node 22 and 24 ~60 ms of Init Duration)", async () => {
    const run = await invokeWithTail(lambda, { functionName: 'loaded', payload: {} });
    const { loaded } = run.json() as { node: string; loaded: string[] };
    expect(loaded).toContain('NativeModule http');
    for (const module of ['NativeModule internal/deps/undici/undici', 'NativeModule http2', 'NativeModule tls']) expect(loaded).not.toContain(module);
  });

  test('JSON log format writes platform.* events that parse back to the same REPORT', async () => {
    const result = await invokeWithTail(lambda, { functionName: 'json', payload: {} });
    const parsed = parseLog(result.log);
    expect(parsed.events.map((e) => e.type)).toStrictEqual(['initStart', 'initRuntimeDone', 'initReport', 'start', 'runtimeDone', 'report']);
    expect(result.report).toMatchObject({ format: 'json', coldStart: true, status: 'success', requestId: result.requestId });
    const app = result.log.split('\n').filter((l) => l.includes('"level":"INFO"'));
    expect(JSON.parse(app[0] as string)).toMatchObject({ level: 'INFO', requestId: result.requestId, message: 'hello from json' });
    expect(result.json<{ env: Record<string, string> }>().env).toMatchObject({ AWS_LAMBDA_LOG_FORMAT: 'JSON', AWS_LAMBDA_LOG_LEVEL: 'INFO' });
  });
});

describe('concurrency', () => {
  test('a second concurrent invocation gets a second environment with its own log stream', async () => {
    // Both invocations wait on a gate that opens once both environments are busy: neither can end before the other
    // has begun, however slow the machine.
    const gate = fileGate();
    const both = Promise.all([
      invokeWithTail(lambda, { functionName: 'slow', payload: { gate: gate.path } }),
      invokeWithTail(lambda, { functionName: 'slow', payload: { gate: gate.path } }),
    ]);
    try {
      await waitUntil(() => core.service.environments().filter((e) => e.functionName === 'slow' && e.state === 'busy').length === 2);
    } finally {
      gate.open();
    }
    const [a, b] = await both;
    gate.remove();
    rememberPids();
    const pidA = a?.json<{ pid: number }>().pid;
    const pidB = b?.json<{ pid: number }>().pid;
    expect(pidA).not.toBe(pidB);
    expect(a?.report?.coldStart && b?.report?.coldStart).toBe(true);
    const slow = core.service.environments().filter((e) => e.functionName === 'slow');
    expect(slow).toHaveLength(2);
    expect(new Set(slow.map((e) => e.logStreamName)).size).toBe(2);
    expect(core.logs.listLogStreams('/aws/lambda/slow')).toHaveLength(2);
    // Both are warm now: a third invocation reuses one of them.
    const c = await invokeWithTail(lambda, { functionName: 'slow', payload: { ms: 0 } });
    expect([pidA, pidB]).toContain(c.json<{ pid: number }>().pid);
  });

  test('over the reserved concurrency a synchronous invoke gets 429 TooManyRequestsException', async () => {
    // The first invocation holds the only concurrency until the gate opens, after the second was refused.
    const gate = fileGate();
    const running = lambda.send(new InvokeCommand({ FunctionName: 'reserved', Payload: JSON.stringify({ gate: gate.path }) }));
    let error: unknown;
    try {
      await waitUntil(() => core.service.environments().some((e) => e.functionName === 'reserved' && e.state === 'busy'));
      error = await lambda.send(new InvokeCommand({ FunctionName: 'reserved', Payload: '{}' })).catch((e: unknown) => e);
    } finally {
      gate.open();
    }
    expect(error).toBeInstanceOf(TooManyRequestsException);
    expect(error).toMatchObject({ name: 'TooManyRequestsException', message: 'Rate Exceeded.', Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded', Type: 'User' });
    expect((error as TooManyRequestsException).$metadata.httpStatusCode).toBe(429);
    const first = await running;
    gate.remove();
    expect(first.StatusCode).toBe(200);
    rememberPids();
    const throttles = core.metrics.getStatistics({
      namespace: 'AWS/Lambda',
      metricName: 'Throttles',
      dimensions: { FunctionName: 'reserved' },
      startTime: Date.now() - 3_600_000,
      endTime: Date.now() + 60_000,
      periodSeconds: 3600,
      stat: 'Sum',
    });
    expect(throttles.map((d) => d.value)).toStrictEqual([1]);
  });

  test('DryRun answers 204 without running; Event answers 202 and runs in the background', async () => {
    const before = core.service.environments().filter((e) => e.functionName === 'hello').length;
    const dry = await lambda.send(new InvokeCommand({ FunctionName: 'hello', InvocationType: 'DryRun' }));
    expect(dry.StatusCode).toBe(204);
    expect(core.service.environments().filter((e) => e.functionName === 'hello')).toHaveLength(before);
    const event = await lambda.send(new InvokeCommand({ FunctionName: 'hello', InvocationType: 'Event', Payload: JSON.stringify({ async: true }) }));
    expect(event.StatusCode).toBe(202);
    expect(text(event.Payload)).toBe('');
    const requestId = event.$metadata.requestId as string;
    const hasReport = (): boolean =>
      core.logs.visibleEvents({ logGroupNames: ['/aws/lambda/hello'] }).some((e) => e.message.startsWith(`REPORT RequestId: ${requestId}`));
    await waitUntil(hasReport);
  });

  test('each invocation writes Invocations, Errors, Duration and ConcurrentExecutions', async () => {
    await invokeWithTail(lambda, { functionName: 'fail', payload: { value: 1 } });
    const stat = (metricName: string, statName: string): number[] =>
      core.metrics
        .getStatistics({
          namespace: 'AWS/Lambda',
          metricName,
          dimensions: { FunctionName: 'fail' },
          startTime: Date.now() - 3_600_000,
          endTime: Date.now() + 60_000,
          periodSeconds: 7200,
          stat: statName,
        })
        .map((d) => d.value);
    expect(stat('Invocations', 'Sum')).toStrictEqual([3]);
    expect(stat('Errors', 'Sum')).toStrictEqual([3]);
    expect(stat('Duration', 'SampleCount')).toStrictEqual([3]);
    expect(stat('ConcurrentExecutions', 'Maximum')).toStrictEqual([1]);
  });
});

describe('AWS/Lambda metrics: dimension sets and timestamps', () => {
  test('stamped at the invocation start on the store clock, per function, per alias and executed version, and Region-wide', async () => {
    // 12:00:59.500 on the store's clock when the invocation starts; 12:01:59.500 when it ends.
    const T0 = Date.UTC(2026, 0, 1, 12, 0, 59, 500);
    let clock = T0;
    const metricsCore = await startLocalLambdaCore({
      cpu: 'unlimited',
      updateDelayMs: 0,
      metrics: new MetricStore({ now: () => clock }),
      functions: [
        { name: 'gated', handler: `${F}gate.mjs#handler`, timeoutSeconds: 60 },
        { name: 'capped', handler: `${F}hello.mjs#handler`, reservedConcurrency: 5 },
      ],
    });
    const client = new LambdaClient({ ...metricsCore.clientConfig(), maxAttempts: 1 });
    const gate = fileGate();
    try {
      await client.send(new PublishVersionCommand({ FunctionName: 'gated' }));
      await client.send(new CreateAliasCommand({ FunctionName: 'gated', Name: 'live', FunctionVersion: '1' }));
      const running = client.send(new InvokeCommand({ FunctionName: 'gated', Qualifier: 'live', Payload: JSON.stringify({ gate: gate.path }) }));
      await waitUntil(() => metricsCore.service.environments().some((e) => e.functionName === 'gated' && e.state === 'busy'));
      clock = T0 + 60_000;
      gate.open();
      expect((await running).ExecutedVersion).toBe('1');
      await client.send(new InvokeCommand({ FunctionName: 'capped', Payload: '{}' }));

      const minute = Date.UTC(2026, 0, 1, 12, 0, 0);
      const points = (metricName: string, dimensions: Record<string, string>, stat = 'SampleCount'): { timestamp: number; value: number }[] =>
        metricsCore.metrics.getStatistics({ namespace: 'AWS/Lambda', metricName, dimensions, startTime: minute, endTime: minute + 180_000, periodSeconds: 60, stat });
      const alias = { FunctionName: 'gated', Resource: 'gated:live' };
      // Started in the 12:00 minute, ended in the 12:01 one: Invocations, Errors and Duration belong to 12:00.
      for (const name of ['Invocations', 'Errors', 'Duration']) {
        expect(points(name, { FunctionName: 'gated' }), name).toStrictEqual([{ timestamp: minute, value: 1 }]);
        expect(points(name, alias), name).toStrictEqual([{ timestamp: minute, value: 1 }]);
        expect(points(name, { ...alias, ExecutedVersion: '1' }), name).toStrictEqual([{ timestamp: minute, value: 1 }]);
      }
      // Region-wide: both functions, without dimensions; the second invocation started at 12:01.
      expect(points('Invocations', {}, 'Sum')).toStrictEqual([
        { timestamp: minute, value: 1 },
        { timestamp: minute + 60_000, value: 1 },
      ]);
      expect(points('Duration', {}).map((p) => p.value)).toStrictEqual([1, 1]);
      expect(points('Errors', {}, 'Sum').map((p) => p.value)).toStrictEqual([0, 0]);
      expect(points('ConcurrentExecutions', {}, 'Maximum').map((p) => p.value)).toStrictEqual([1, 1]);
      // Only `gated` has no reserved concurrency: it counts in UnreservedConcurrentExecutions, `capped` does not.
      expect(points('UnreservedConcurrentExecutions', {}, 'Maximum')).toStrictEqual([
        { timestamp: minute, value: 1 },
        { timestamp: minute + 60_000, value: 0 },
      ]);
      expect(metricsCore.metrics.listMetrics({ namespace: 'AWS/Lambda', metricName: 'UnreservedConcurrentExecutions' }).map((m) => m.dimensions)).toStrictEqual([{}]);
      // ExecutedVersion only for alias invocations.
      expect(metricsCore.metrics.listMetrics({ namespace: 'AWS/Lambda', dimensions: [{ name: 'ExecutedVersion' }] }).map((m) => m.dimensions.FunctionName)).not.toContain('capped');
    } finally {
      gate.open();
      gate.remove();
      client.destroy();
      await metricsCore.stop();
    }
  });

  test('the asynchronous metrics have Region-wide series too', async () => {
    const asyncCore = await startLocalLambdaCore({ cpu: 'unlimited', functions: [{ name: 'queued', handler: `${F}hello.mjs#handler` }] });
    const client = new LambdaClient({ ...asyncCore.clientConfig(), maxAttempts: 1 });
    try {
      await client.send(new InvokeCommand({ FunctionName: 'queued', InvocationType: 'Event', Payload: '{}' }));
      const count = (metricName: string): number =>
        asyncCore.metrics
          .getStatistics({ namespace: 'AWS/Lambda', metricName, dimensions: {}, startTime: Date.now() - 3_600_000, endTime: Date.now() + 60_000, periodSeconds: 7200, stat: 'SampleCount' })
          .reduce((sum, p) => sum + p.value, 0);
      await waitUntil(() => count('Invocations') === 1);
      expect(count('AsyncEventsReceived')).toBe(1);
      expect(count('AsyncEventAge')).toBe(1);
    } finally {
      client.destroy();
      await asyncCore.stop();
    }
  });
});

describe('stop', () => {
  test('stop() ends every process it started, including processes the handlers started', async () => {
    const result = await invokeWithTail(lambda, { functionName: 'spawner' });
    const { pid, grandchild } = result.json<{ pid: number; grandchild: number }>();
    rememberPids();
    expect(pidAlive(pid)).toBe(true);
    expect(pidAlive(grandchild)).toBe(true);
    expect(pids.size).toBeGreaterThan(10);
    await core.stop();
    // The environments' processes are gone when stop() resolves; the grandchild was killed with its process group.
    for (const p of pids) expect(pidAlive(p), `pid ${p}`).toBe(false);
    await waitUntil(() => !pidAlive(grandchild), 5000);
    expect(core.service.environments()).toStrictEqual([]);
    const error = await lambda.send(new InvokeCommand({ FunctionName: 'hello' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
  });
});
