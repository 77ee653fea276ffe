/**
 * local's 'declared' duration model: handlers declare their work through the work API of lambda-meter's runtime
 * client, and the REPORT's Duration follows from that work and the memory size alone, the same under any load. These
 * tests are exact: no figure in them depends on how fast or how busy the machine is.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { InvalidInputError } from '../src/errors.js';
import { invokeWithTail } from '../src/invoke/index.js';
import { checkDurationModel, modelledDurationMs, parseWorkHeader } from '../src/local/lambda/duration-model.js';
import { LambdaService } from '../src/local/lambda/service.js';
import { startLocalLambda } from '../src/local/index.js';
import type { LocalLambda } from '../src/local/index.js';
import { invocationCost } from '../src/cost/index.js';
import { runCli } from '../src/cli/index.js';

const WORK = 'test/fixtures/functions/work.mjs#handler';
const round2 = (ms: number): number => Math.round(ms * 100) / 100;

describe('the model', () => {
  test('waits count as they are; CPU work is divided by min(1, memory / 1,769 MB)', () => {
    expect(modelledDurationMs({ cpuMs: 50, waitMs: 100 }, 1769)).toBe(150);
    expect(modelledDurationMs({ cpuMs: 50, waitMs: 100 }, 256)).toBeCloseTo(100 + (50 * 1769) / 256, 9);
    expect(modelledDurationMs({ cpuMs: 50, waitMs: 0 }, 128)).toBeCloseTo((50 * 1769) / 128, 9);
    // One thread uses one vCPU at most: more memory buys no more speed past 1,769 MB.
    expect(modelledDurationMs({ cpuMs: 50, waitMs: 0 }, 10_240)).toBe(50);
    expect(modelledDurationMs({ cpuMs: 0, waitMs: 0 }, 128)).toBe(0);
  });

  test('the work header is read strictly', () => {
    expect(parseWorkHeader('{"cpuMs":1.5,"waitMs":0}')).toEqual({ cpuMs: 1.5, waitMs: 0 });
    for (const bad of [undefined, '', 'x', 'null', '[]', '{"cpuMs":-1,"waitMs":0}', '{"cpuMs":1}', '{"cpuMs":"1","waitMs":0}']) {
      expect(parseWorkHeader(bad)).toBeUndefined();
    }
  });

  test('options are checked', () => {
    expect(checkDurationModel(undefined, 'o')).toBe('measured');
    expect(() => checkDurationModel('exact', 'options.durationModel')).toThrow(/options\.durationModel: must be 'measured' or 'declared', got "exact"/);
    expect(() => new LambdaService({ durationModel: 'wall' as 'measured' })).toThrow(InvalidInputError);
    expect(() => new LambdaService({ durationModel: 'declared', runtimeClient: { command: '/bin/true', args: [] } })).toThrow(
      /options\.durationModel: is 'declared', which needs lambda-meter's own runtime client/,
    );
    const service = new LambdaService({ durationModel: 'declared' });
    expect(service.durationModel).toBe('declared');
    expect(new LambdaService().durationModel).toBe('measured');
    return Promise.all([service.stop()]);
  });
});

describe("REPORTs under durationModel: 'declared'", () => {
  let local: LocalLambda;
  let lambda: LambdaClient;
  const sizes = [128, 256, 1024, 1769, 3538];

  beforeAll(async () => {
    local = await startLocalLambda({
      durationModel: 'declared',
      // Declared waits sleep 1/50 of what they count, so a 2-second wait takes 40 ms here.
      timeScale: 50,
      functions: [
        ...sizes.map((memorySizeMB) => ({ name: `work-${memorySizeMB}`, handler: WORK, memorySizeMB })),
        { name: 'init-work', handler: WORK, memorySizeMB: 512, environment: { INIT_CPU_MS: '20', INIT_WAIT_MS: '300' } },
        { name: 'short', handler: WORK, memorySizeMB: 128, timeoutSeconds: 1 },
      ],
    });
    lambda = new LambdaClient(local.clientConfig());
  });

  afterAll(async () => {
    lambda.destroy();
    await local.stop();
  });

  test('Duration follows the CPU share of each memory size exactly, cold and warm', async () => {
    for (const memorySizeMB of sizes) {
      for (const run of ['cold', 'warm']) {
        const result = await invokeWithTail(lambda, { functionName: `work-${memorySizeMB}`, payload: { cpuMs: 60, waitMs: 2000 } });
        expect(result.functionError).toBeUndefined();
        expect(result.json()).toEqual({ model: 'declared', memory: memorySizeMB });
        const report = result.report;
        expect(report?.coldStart).toBe(run === 'cold');
        const expected = round2(2000 + (60 * 1769) / Math.min(memorySizeMB, 1769));
        expect(report?.durationMs, `${memorySizeMB} MB, ${run}`).toBe(expected);
        // Billed Duration is the Duration rounded up to the next millisecond (plus Init on cold starts: none declared).
        expect(report?.billedDurationMs).toBe(Math.ceil(expected));
        if (run === 'cold') expect(report?.initDurationMs).toBe(0);
      }
    }
  });

  test('work declared while the module loads is the Init Duration', async () => {
    const result = await invokeWithTail(lambda, { functionName: 'init-work', payload: { cpuMs: 10 } });
    const expectedInit = round2(300 + (20 * 1769) / 512);
    expect(result.report?.initDurationMs).toBe(expectedInit);
    expect(result.report?.durationMs).toBe(round2((10 * 1769) / 512));
    expect(result.report?.billedDurationMs).toBe(Math.ceil(round2((10 * 1769) / 512) + expectedInit));
  });

  test('the same work costs the same at every size below one vCPU, and more above it', async () => {
    const costs: number[] = [];
    for (const memorySizeMB of sizes) {
      const result = await invokeWithTail(lambda, { functionName: `work-${memorySizeMB}`, payload: { cpuMs: 100 } });
      const report = result.report;
      if (report === undefined) throw new Error('no REPORT');
      costs.push(invocationCost({ billedDurationMs: report.billedDurationMs, memorySizeMB }).totalUSD);
    }
    // GB-seconds of pure CPU work are constant up to 1,769 MB (up to the 1 ms rounding), then grow with memory.
    const [c128, c256, c1024, c1769, c3538] = costs as [number, number, number, number, number];
    for (const c of [c256, c1024, c1769]) expect(Math.abs(c - c128) / c128).toBeLessThan(0.01);
    expect(c3538).toBeGreaterThan(1.9 * c1769);
  });

  test('an error after declared work reports that work; declared work past the timeout is a timeout', async () => {
    const failed = await invokeWithTail(lambda, { functionName: 'work-256', payload: { waitMs: 500, fail: true } });
    expect(failed.functionError).toBe('Unhandled');
    expect(failed.report?.durationMs).toBe(500);

    // 1 s timeout; 100 ms of CPU at 128 MB counts as 1,382 ms, though it took no time here.
    const late = await invokeWithTail(lambda, { functionName: 'short', payload: { cpuMs: 100 } });
    expect(late.report?.status).toBe('timeout');
    expect(late.report?.durationMs).toBe(1000);
    expect(late.errorMessage ?? JSON.stringify(late.json())).toMatch(/Task timed out after 1\.00 seconds/);
    const fine = await invokeWithTail(lambda, { functionName: 'short', payload: { cpuMs: 70 } });
    expect(fine.report?.status).toBe('success');
    expect(fine.report?.durationMs).toBe(round2((70 * 1769) / 128));
  });
});

describe("under durationModel: 'measured' the work API does the work", () => {
  test('wait(ms) sleeps and cpu(ms) spins', async () => {
    const local = await startLocalLambda({ cpu: 'unlimited', functions: [{ name: 'work', handler: WORK, memorySizeMB: 1769 }] });
    const lambda = new LambdaClient(local.clientConfig());
    try {
      const result = await invokeWithTail(lambda, { functionName: 'work', payload: { cpuMs: 30, waitMs: 50, reportCpu: true } });
      const { cpuUsedMs, ...rest } = result.json() as { cpuUsedMs: number };
      expect(rest).toEqual({ model: 'measured', memory: 1769 });
      // The work really happened: cpu(30) used at least 30 ms of CPU time, and the 50 ms wait is in the Duration
      // (less 1 ms: Node's timers may fire up to a millisecond early). Lower bounds only: load only adds to them.
      expect(cpuUsedMs).toBeGreaterThanOrEqual(30);
      expect(result.report?.durationMs).toBeGreaterThanOrEqual(49);
    } finally {
      lambda.destroy();
      await local.stop();
    }
  });
});

describe('lambda-meter local --duration-model', () => {
  test('declared: Durations follow the declared work; a bad value exits 2 naming the flag', async () => {
    const controller = new AbortController();
    let durationMs: number | undefined;
    const err: string[] = [];
    const code = await runCli(['local', '--function', `w=${WORK},memory=256`, '--duration-model', 'declared', '--json'], {
      stdout: () => undefined,
      stderr: (t) => void err.push(t),
      signal: controller.signal,
      onStarted: (local) => {
        const client = new LambdaClient(local.clientConfig());
        void invokeWithTail(client, { functionName: 'w', payload: { cpuMs: 10 } })
          .then((r) => (durationMs = r.report?.durationMs))
          .finally(() => {
            client.destroy();
            controller.abort();
          });
      },
    });
    expect(code, err.join('')).toBe(0);
    expect(durationMs).toBe(round2((10 * 1769) / 256));

    const bad: string[] = [];
    expect(await runCli(['local', '--function', `w=${WORK}`, '--duration-model', 'exact'], { stdout: () => undefined, stderr: (t) => void bad.push(t) })).toBe(2);
    expect(bad.join('')).toMatch(/--duration-model: must be measured or declared, got "exact"/);
  });
});
