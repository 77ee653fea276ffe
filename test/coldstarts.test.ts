/**
 * measureColdStarts end to end on lambda-meter/local through the real @aws-sdk/client-lambda: both ways of forcing
 * cold starts, cleanup after success, abort and injected 409/429 faults, the wrapper's inner time, and the idle
 * eviction probe against local's `idleTimeoutMs`. Assertions are counts and orderings, never stopwatch readings, and
 * no count depends on how fast the machine is: environments that must stay warm have an idle timeout longer than a
 * test may run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetFunctionConfigurationCommand, LambdaClient, ListVersionsByFunctionCommand } from '@aws-sdk/client-lambda';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { COLD_START_VARIABLE, measureColdStarts } from '../src/coldstarts/index.js';
import { CleanupError, InvalidInputError, isLambdaMeterError } from '../src/errors.js';
import type { Progress } from '../src/internal/options.js';
import { startLocalLambda } from '../src/local/index.js';
import type { LocalLambda } from '../src/local/index.js';
import { fastSdkRetry } from './helpers/common.js';

const F = 'test/fixtures/functions/';
const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 50, maxAttempts: 10 } as const;

describe('measureColdStarts on lambda-meter/local', () => {
  let scratch: string;
  let local: LocalLambda;
  let lambda: LambdaClient;

  async function variables(name: string): Promise<Record<string, string>> {
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    return config.Environment?.Variables ?? {};
  }

  async function versions(name: string): Promise<string[]> {
    const out = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name }));
    return (out.Versions ?? []).map((v) => v.Version as string);
  }

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'lm-coldstarts-'));
    // The function's process runs plain JavaScript, so lambda-meter/handler is bundled from its sources first.
    const handlerModule = join(scratch, 'lambda-meter-handler.mjs');
    await build({ entryPoints: ['src/handler/index.ts'], outfile: handlerModule, bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning' });
    local = await startLocalLambda({
      cpu: 'unlimited',
      timeScale: 20, // LastUpdateStatus stays InProgress 25 ms instead of 500
      // Longer than any test may run (20 s): an environment is never ended by idle time while a test counts on it
      // staying warm, however slow the machine. The idle probe's cold side has its own local below.
      idleTimeoutMs: 60_000,
      functions: [
        { name: 'sleepy', handler: `${F}sleep.mjs#handler`, environment: { STAGE: 'test', KEEP: 'me' } },
        { name: 'versioned', handler: `${F}sleep.mjs#handler`, environment: { STAGE: 'v' } },
        { name: 'measured', handler: `${F}measured.mjs#handler`, environment: { MEASURED_HANDLER_MODULE: handlerModule } },
        { name: 'aborted', handler: `${F}sleep.mjs#handler`, environment: { STAGE: 'abort' } },
        { name: 'faulty', handler: `${F}sleep.mjs#handler` },
        { name: 'idle', handler: `${F}sleep.mjs#handler` },
      ],
    });
    lambda = new LambdaClient({ ...local.clientConfig(), ...fastSdkRetry() });
  });

  afterAll(async () => {
    lambda?.destroy();
    await local?.stop();
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  });

  test('update-environment: N cold starts with Init Duration beside warm ones; the environment is restored', async () => {
    const seen: Progress[] = [];
    const result = await measureColdStarts(
      { lambda },
      { functionName: 'sleepy', count: 3, warm: { count: 4 }, payload: { ms: 2 } },
      { onProgress: (p) => seen.push(p) },
    );
    expect(result.method).toBe('update-environment');
    expect(result.samples).toHaveLength(3);
    expect(result.notCold).toBe(0);
    expect(result.failed).toBe(0);
    for (const s of result.samples) {
      expect(s.kind).toBe('cold');
      expect(s.initDurationMs).toBeGreaterThan(0);
      expect(s.billedDurationMs).toBeGreaterThanOrEqual(Math.floor(s.durationMs ?? 0));
      expect(s.clientLatencyMs).toBeGreaterThan(0);
      expect(s.innerDurationMs).toBeUndefined(); // not an envelope
      expect(s.executedVersion).toBe('$LATEST');
    }
    expect(new Set(result.samples.map((s) => s.requestId)).size).toBe(3);
    expect(result.warmSamples).toHaveLength(4);
    expect(result.warmSamples.every((s) => s.kind === 'warm' && s.initDurationMs === undefined)).toBe(true);
    expect(result.cold.count).toBe(3);
    expect(result.cold.initDurationMs?.count).toBe(3);
    expect(result.cold.initPlusDurationMs?.min).toBeGreaterThan(result.cold.initDurationMs?.min ?? Infinity);
    expect(result.warm.count).toBe(4);
    expect(result.warm.initDurationMs).toBeUndefined();
    expect(result.warm.durationMs?.count).toBe(4);
    expect(result.cleanup).toEqual({ environmentRestored: true, versionsDeleted: [] });
    expect(await variables('sleepy')).toEqual({ STAGE: 'test', KEEP: 'me' });
    expect(seen.every((p) => p.operation === 'measureColdStarts' && p.total === 7)).toBe(true);
    expect(seen.filter((p) => p.phase === 'cold').map((p) => p.completed)).toEqual([1, 2, 3]);
    expect(seen.filter((p) => p.phase === 'warm').map((p) => p.completed)).toEqual([4, 5, 6, 7]);
    expect(seen.filter((p) => p.phase === 'configuring')).toHaveLength(3);
    expect(seen.map((p) => p.phase).filter((ph) => ph === 'preparing' || ph === 'cleanup' || ph === 'done')).toEqual(['preparing', 'cleanup', 'done']);
  });

  test('publish-version: each sample is a new version, cold; the versions are deleted afterwards', async () => {
    const before = await versions('versioned');
    const result = await measureColdStarts({ lambda }, { functionName: 'versioned', count: 3, warm: { count: 2 }, method: 'publish-version' });
    expect(result.notCold).toBe(0);
    const executed = result.samples.map((s) => s.executedVersion);
    expect(new Set(executed).size).toBe(3);
    expect(executed.every((v) => v !== '$LATEST')).toBe(true);
    expect(result.samples.every((s) => s.kind === 'cold' && s.initDurationMs !== undefined)).toBe(true);
    // The warm runs go to the last version, already warm.
    expect(result.warmSamples.every((s) => s.kind === 'warm' && s.executedVersion === executed.at(-1))).toBe(true);
    expect([...result.cleanup.versionsDeleted].sort()).toEqual([...executed].sort());
    expect(await versions('versioned')).toEqual(before);
    expect(await variables('versioned')).toEqual({ STAGE: 'v' });
  });

  test('a handler wrapped by withMeasurement: inner time below Duration, wrapper sees the cold start', async () => {
    const result = await measureColdStarts({ lambda }, { functionName: 'measured', count: 2, warm: { count: 3 }, payload: { spinMs: 10 } });
    for (const s of [...result.samples, ...result.warmSamples]) {
      expect(s.innerDurationMs).toBeGreaterThan(0);
      expect(s.innerDurationMs).toBeLessThan(s.durationMs as number);
    }
    expect(result.samples.every((s) => s.wrapperColdStart === true)).toBe(true);
    expect(result.warmSamples.every((s) => s.wrapperColdStart === false)).toBe(true);
    expect(result.cold.innerDurationMs?.count).toBe(2);
    expect(result.warm.innerDurationMs?.count).toBe(3);
    expect(Object.keys(await variables('measured'))).toEqual(['MEASURED_HANDLER_MODULE']);
  });

  test('an abort mid-run rejects with LambdaMeterAbortError after restoring the environment and deleting versions', async () => {
    for (const method of ['update-environment', 'publish-version'] as const) {
      const before = await versions('aborted');
      const controller = new AbortController();
      const run = measureColdStarts(
        { lambda },
        {
          functionName: 'aborted',
          count: 5,
          method,
        },
        {
          signal: controller.signal,
          onProgress: (p) => {
            if (p.phase === 'cold' && p.completed === 2) controller.abort(new Error('enough'));
          },
        },
      );
      const error = await run.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isLambdaMeterError(error, 'LambdaMeterAbortError')).toBe(true);
      expect(await variables('aborted')).toEqual({ STAGE: 'abort' });
      expect(await versions('aborted')).toEqual(before);
      const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'aborted' }));
      expect(config.LastUpdateStatus).toBe('Successful');
    }
  });

  test('injected 409 conflicts and 429 throttles are retried; the run completes and cleans up', async () => {
    local.setFaults({
      rules: [
        { service: 'lambda', operations: ['UpdateFunctionConfiguration'], functionName: 'faulty', fault: 'conflict', calls: [1, 3, 4] },
        { service: 'lambda', operations: ['PublishVersion'], functionName: 'faulty', fault: 'conflict', calls: [2] },
        { service: 'lambda', operations: ['Invoke'], functionName: 'faulty', fault: 'throttle', calls: [1, 4] },
        { service: 'lambda', operations: ['DeleteFunction'], functionName: 'faulty', fault: 'throttle', calls: [1] },
        { service: 'lambda', operations: ['GetFunctionConfiguration'], functionName: 'faulty', fault: 'throttle', calls: [2] },
      ],
    });
    try {
      const before = await versions('faulty');
      const result = await measureColdStarts({ lambda }, { functionName: 'faulty', count: 3, warm: { count: 2 }, method: 'publish-version' }, { retry: FAST_RETRY });
      const injected = local.injectedFaults().filter((f) => f.functionName === 'faulty');
      expect(new Set(injected.map((f) => f.operation))).toEqual(
        new Set(['UpdateFunctionConfiguration', 'PublishVersion', 'Invoke', 'DeleteFunction', 'GetFunctionConfiguration']),
      );
      expect(result.samples).toHaveLength(3);
      expect(result.notCold).toBe(0);
      expect(result.cleanup.versionsDeleted).toHaveLength(3);
      expect(await versions('faulty')).toEqual(before);
      expect(await variables('faulty')).toEqual({});
    } finally {
      local.setFaults({});
    }
  });

  test('idle probe: gaps shorter than idleTimeoutMs stay warm, longer ones are all cold', async () => {
    // Under this file's idleTimeoutMs of 60 s, 50 ms gaps (however long the machine takes around them) stay warm.
    const warm = await measureColdStarts({ lambda }, { functionName: 'idle', count: 1, warm: { count: 0 }, idleProbe: { gapsMs: [50], count: 3 } });
    expect(warm.idleProbe).toEqual([expect.objectContaining({ gapMs: 50, invocations: 3, coldStarts: 0, unknown: 0, coldShare: 0 })]);
    expect(await variables('idle')).toEqual({});

    // idleTimeoutMs 300 and gaps of 600 ms: each gap starts after local set the environment's idle timer (before it
    // answered), and both timers run in this process, so the 300 ms timer always fires first and the next invocation
    // is always cold, however busy the machine.
    const short = await startLocalLambda({ cpu: 'unlimited', timeScale: 20, idleTimeoutMs: 300, functions: [{ name: 'idle', handler: `${F}sleep.mjs#handler` }] });
    const client = new LambdaClient(short.clientConfig());
    try {
      const cold = await measureColdStarts({ lambda: client }, { functionName: 'idle', count: 1, warm: { count: 0 }, idleProbe: { gapsMs: [600], count: 3 } });
      expect(cold.idleProbe).toEqual([expect.objectContaining({ gapMs: 600, invocations: 3, coldStarts: 3, unknown: 0, coldShare: 1 })]);
    } finally {
      client.destroy();
      await short.stop();
    }
  });

  test('input is validated before any call, naming the field', async () => {
    const bad: [unknown, unknown, string][] = [
      [{}, { functionName: 'f', count: 1 }, 'clients.lambda'],
      [{ lambda }, { functionName: '', count: 1 }, 'input.functionName'],
      [{ lambda }, { functionName: 'f:live', count: 1 }, 'input.functionName'],
      [{ lambda }, { functionName: 'f', count: 0 }, 'input.count'],
      [{ lambda }, { functionName: 'f', count: 1.5 }, 'input.count'],
      [{ lambda }, { functionName: 'f', count: 1, method: 'redeploy' }, 'input.method'],
      [{ lambda }, { functionName: 'f', count: 1, warm: { count: -1 } }, 'input.warm.count'],
      [{ lambda }, { functionName: 'f', count: 1, warm: 3 }, 'input.warm'],
      [{ lambda }, { functionName: 'f', count: 1, warmCount: 3 }, 'input.warmCount'],
      [{ lambda }, { functionName: 'f', count: 1, idleProbe: { gapsMs: [], count: 1 } }, 'input.idleProbe.gapsMs'],
      [{ lambda }, { functionName: 'f', count: 1, idleProbe: { gapsMs: [10, -1], count: 1 } }, 'input.idleProbe.gapsMs[1]'],
      [{ lambda }, { functionName: 'f', count: 1, idleProbe: { gapsMs: [10], count: 0 } }, 'input.idleProbe.count'],
    ];
    const badOptions: [unknown, string][] = [
      [{ updateWait: { maxWaitMs: 0 } }, 'options.updateWait.maxWaitMs'],
      [{ updateWait: { minDelayMs: -1 } }, 'options.updateWait.minDelayMs'],
      [{ retry: { maxAttempts: 0 } }, 'options.retry.maxAttempts'],
      [{ signal: 'stop' }, 'options.signal'],
      [{ onProgress: 1 }, 'options.onProgress'],
    ];
    for (const [options, field] of badOptions) {
      const error = await measureColdStarts({ lambda }, { functionName: 'f', count: 1 }, options as never).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect((error as InvalidInputError).field).toBe(field);
    }
    for (const [clients, input, field] of bad) {
      const error = await measureColdStarts(clients as never, input as never).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).field).toBe(field);
    }
  });

  test('the nonce variable is LAMBDA_METER_COLD', () => {
    expect(COLD_START_VARIABLE).toBe('LAMBDA_METER_COLD');
  });
});

describe('measureColdStarts branches, on a scripted client', () => {
  const encoder = new TextEncoder();

  function report(requestId: string, init: boolean): string {
    const initPart = init ? '\tInit Duration: 150.00 ms' : '';
    const text = `START RequestId: ${requestId} Version: $LATEST\nEND RequestId: ${requestId}\nREPORT RequestId: ${requestId}\tDuration: 5.00 ms\tBilled Duration: ${init ? 156 : 6} ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB${initPart}\t\n`;
    return Buffer.from(text).toString('base64');
  }

  /** A Lambda client answering from a script: configuration states, and whether each invocation is cold. */
  function scripted(options: { statuses?: string[]; cold?: boolean[]; variables?: Record<string, string>; envError?: boolean; failRestore?: boolean }) {
    const calls: { name: string; input: Record<string, unknown> }[] = [];
    const statuses = [...(options.statuses ?? [])];
    const cold = [...(options.cold ?? [])];
    let variables = { ...(options.variables ?? {}) };
    let n = 0;
    const client = {
      // `command: unknown`: a mock whose send accepts anything passes the Lambda client check.
      send: (cmd: unknown) => {
        const command = cmd as { constructor: { name: string }; input: Record<string, unknown> };
        const name = command.constructor.name.replace(/Command$/, '');
        calls.push({ name, input: command.input });
        if (name === 'GetFunctionConfiguration') {
          return Promise.resolve({
            LastUpdateStatus: statuses.shift() ?? 'Successful',
            LastUpdateStatusReason: 'scripted failure',
            Environment: { Variables: variables, ...(options.envError ? { Error: { Message: 'KMS' } } : {}) },
          });
        }
        if (name === 'UpdateFunctionConfiguration') {
          const next = (command.input.Environment as { Variables: Record<string, string> }).Variables;
          if (options.failRestore && !('LAMBDA_METER_COLD' in next)) {
            return Promise.reject(Object.assign(new Error('denied'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } }));
          }
          variables = next;
          return Promise.resolve({});
        }
        if (name === 'Invoke') {
          const requestId = `req-${++n}`;
          return Promise.resolve({
            StatusCode: 200,
            LogResult: report(requestId, cold.shift() ?? false),
            Payload: encoder.encode('{"ok":true}'),
            $metadata: { requestId },
          });
        }
        return Promise.resolve({});
      },
    };
    return { client, calls, variables: () => variables };
  }

  test('a forced sample that is not cold is counted in notCold and left out of the cold statistics', async () => {
    const s = scripted({ cold: [true, false, true, true], variables: { A: '1' } });
    const result = await measureColdStarts({ lambda: s.client }, { functionName: 'f', count: 3, warm: { count: 1 } });
    expect(result.samples.map((x) => x.kind)).toEqual(['cold', 'warm', 'cold']);
    expect(result.notCold).toBe(1);
    expect(result.cold.count).toBe(2);
    expect(result.cold.initDurationMs?.count).toBe(2);
    // The warm sample was cold: counted in notWarm, so the warm statistics are empty.
    expect(result.notWarm).toBe(1);
    expect(result.warm.count).toBe(0);
    expect(result.warm.durationMs).toBeUndefined();
    expect(result.warnings.join('\n')).toMatch(/1 of 3 forced samples were not cold/);
    expect(s.variables()).toEqual({ A: '1' });
  });

  test('LastUpdateStatus Failed rejects, and the original variables are still restored', async () => {
    // settle before start: Successful; after the first update: InProgress, then Failed.
    const s = scripted({ statuses: ['Successful', 'InProgress', 'Failed'], variables: { A: '1' } });
    const error = await measureColdStarts({ lambda: s.client }, { functionName: 'f', count: 2 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isLambdaMeterError(error)).toBe(true);
    expect((error as Error).message).toMatch(/failed: scripted failure/);
    expect(s.calls.filter((c) => c.name === 'UpdateFunctionConfiguration').at(-1)?.input.Environment).toEqual({ Variables: { A: '1' } });
    expect(s.calls.some((c) => c.name === 'Invoke')).toBe(false);
  });

  test('an existing LAMBDA_METER_COLD is restored with a warning; unreadable variables are refused', async () => {
    const s = scripted({ cold: [true], variables: { LAMBDA_METER_COLD: 'mine' } });
    const result = await measureColdStarts({ lambda: s.client }, { functionName: 'f', count: 1, warm: { count: 0 } });
    expect(result.warnings.join('\n')).toMatch(/already set/);
    expect(s.variables()).toEqual({ LAMBDA_METER_COLD: 'mine' });

    const locked = scripted({ envError: true });
    await expect(measureColdStarts({ lambda: locked.client }, { functionName: 'f', count: 1 })).rejects.toThrow(/cannot be restored safely/);
    expect(locked.calls.map((c) => c.name)).toEqual(['GetFunctionConfiguration']);
  });

  test('a restore that fails after a successful run is a CleanupError listing what is left', async () => {
    const s = scripted({ cold: [true], variables: { A: '1' }, failRestore: true });
    const error = await measureColdStarts({ lambda: s.client }, { functionName: 'f', count: 1, warm: { count: 0 } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(CleanupError.is(error), String(error)).toBe(true);
    const err = error as CleanupError;
    expect(err.leftovers).toEqual(['environment variable LAMBDA_METER_COLD on f']);
    expect(isLambdaMeterError(err.cleanupError, 'ServiceCallError')).toBe(true);
    expect(err.cause).toBe(err.cleanupError);
    expect(err.message).toMatch(/left behind: environment variable LAMBDA_METER_COLD on f/);
  });

  test('a run that fails and whose cleanup fails too: CleanupError with every leftover and the run error as cause', async () => {
    // publish-version: versions 1 and 2 are published, the second invocation fails (not retryable), then neither the
    // environment can be restored nor the versions deleted.
    const s = scripted({ cold: [true], variables: { A: '1' }, failRestore: true });
    let invocations = 0;
    let published = 0;
    const denied = (message: string, name: string, status: number): Promise<never> =>
      Promise.reject(Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } }));
    const client = {
      send: (cmd: unknown) => {
        const name = (cmd as { constructor: { name: string } }).constructor.name.replace(/Command$/, '');
        if (name === 'PublishVersion') return Promise.resolve({ Version: String(++published), State: 'Active' });
        if (name === 'DeleteFunction') return denied('denied', 'AccessDeniedException', 403);
        if (name === 'Invoke' && ++invocations === 2) return denied('bad request', 'InvalidRequestContentException', 400);
        return s.client.send(cmd);
      },
    };
    const error = await measureColdStarts({ lambda: client }, { functionName: 'f', count: 3, method: 'publish-version' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(CleanupError.is(error), String(error)).toBe(true);
    const err = error as CleanupError;
    expect(err.leftovers).toEqual(['environment variable LAMBDA_METER_COLD on f', 'version 1 of f', 'version 2 of f']);
    expect(isLambdaMeterError(err.cause, 'ServiceCallError')).toBe(true);
    expect((err.cause as Error).message).toMatch(/bad request/);
    expect(err.cause).not.toBe(err.cleanupError);
  });

  test('an update that never completes times out after updateWait.maxWaitMs (cleanup cannot finish either)', async () => {
    const s = scripted({ statuses: ['Successful', ...Array<string>(50).fill('InProgress')] });
    const error = await measureColdStarts({ lambda: s.client }, { functionName: 'f', count: 1 }, { updateWait: { maxWaitMs: 60 } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(CleanupError.is(error), String(error)).toBe(true);
    expect(isLambdaMeterError((error as CleanupError).cause, 'RetryExhaustedError')).toBe(true);
    expect(((error as CleanupError).cause as Error).cause).toEqual(new Error('LastUpdateStatus still InProgress after 60 ms'));
  });

  test('no bare LambdaMeterError: every failure is a typed subclass', async () => {
    const { readFileSync } = await import('node:fs');
    for (const file of ['src/coldstarts/measure.ts', 'src/internal/control-plane.ts']) {
      expect(readFileSync(file, 'utf8')).not.toMatch(/new LambdaMeterError\(/);
    }
  });
});
