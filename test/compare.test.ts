/**
 * `compare` on lambda-meter local with the declared duration model: every Duration follows from the work the payload
 * declares and the memory size, so every verdict and count here is the same on any machine under any load.
 */
import { GetFunctionConfigurationCommand, LambdaClient, ListVersionsByFunctionCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compare } from '../src/compare/index.js';
import type { CompareInput, CompareOptions } from '../src/compare/index.js';
import { InvalidInputError } from '../src/errors.js';
import type { Progress } from '../src/internal/options.js';
import { startLocalLambda } from '../src/local/index.js';
import type { LocalLambda } from '../src/local/index.js';

const WORK = 'test/fixtures/functions/work.mjs#handler';
/** Declared CPU work varying ±4% with the invocation index (period 5), so the values have a spread. */
const varied = (baseMs: number) => (i: number) => ({ cpuMs: baseMs * (1 + 0.02 * ((i % 5) - 2)) });
const FAST_WAIT = { minDelayMs: 1, maxDelayMs: 5, maxWaitMs: 30_000 };

let local: LocalLambda;
let lambda: LambdaClient;

beforeAll(async () => {
  local = await startLocalLambda({
    durationModel: 'declared',
    functions: [
      { name: 'cmp-a', handler: WORK, memorySizeMB: 1769 },
      { name: 'cmp-b', handler: WORK, memorySizeMB: 1769 },
      { name: 'cmp-mem', handler: WORK, memorySizeMB: 1024, description: 'the original' },
    ],
  });
  lambda = new LambdaClient(local.clientConfig());
});

afterAll(async () => {
  lambda.destroy();
  await local.stop();
});

async function configOf(name: string): Promise<Record<string, unknown>> {
  const c = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
  return { MemorySize: c.MemorySize, Description: c.Description, Environment: c.Environment?.Variables ?? {} };
}

async function versionsOf(name: string): Promise<string[]> {
  const out = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name }));
  return (out.Versions ?? []).map((v) => v.Version ?? '');
}

const run = (input: CompareInput, options: CompareOptions = {}) => compare({ lambda }, input, { seed: 7, updateWait: FAST_WAIT, ...options });

describe('verdicts', () => {
  test('B declaring twice the work is slower, decided long before the cap', async () => {
    const result = await run({ a: { functionName: 'cmp-a', payload: varied(40) }, b: { functionName: 'cmp-b', payload: varied(80) } });
    expect(result.verdict).toBe('slower');
    expect(result.stoppedBecause).toBe('decided');
    expect(result.invocations).toBeLessThanOrEqual(40);
    expect(result.invocations).toBeGreaterThanOrEqual(20);
    const duration = result.metrics.find((m) => m.metric === 'durationMs');
    expect(duration?.ratioOfMedians).toBeCloseTo(2, 6);
    expect(duration?.interval[0]).toBeGreaterThan(1.05);
    expect(result.a.warm.durationMs?.p50).toBeCloseTo(40, 6);
    expect(result.b.warm.durationMs?.p50).toBeCloseTo(80, 6);
    expect(result.a.label).toBe('cmp-a');
    expect(result.samples.length).toBe(result.invocations);
    expect(result.costUSD).toBeGreaterThan(0);
    expect(result.method).toMatch(/Robbins/);
    expect(result.endedAt).toBeGreaterThanOrEqual(result.startedAt);
  });

  test('the same function twice is equivalent', async () => {
    const result = await run({ a: { functionName: 'cmp-a', payload: varied(50) }, b: { functionName: 'cmp-a', payload: varied(50) } });
    expect(result.verdict).toBe('equivalent');
    expect(result.stoppedBecause).toBe('decided');
    expect(result.invocations).toBeLessThan(2000);
  });

  test('the block order follows the seed', async () => {
    const input: CompareInput = { a: { functionName: 'cmp-a', payload: varied(40) }, b: { functionName: 'cmp-b', payload: varied(80) } };
    const first = await run(input, { seed: 3 });
    const second = await run(input, { seed: 3 });
    const third = await run(input, { seed: 4 });
    const sides = (r: typeof first) => r.samples.map((s) => s.side).join('');
    expect(sides(second)).toBe(sides(first));
    expect(sides(third)).not.toBe(sides(first));
    // Each block of 5 + 5 holds five of each side.
    const order = sides(first);
    for (let i = 0; i + 10 <= order.length; i += 10) expect([...order.slice(i, i + 10)].filter((s) => s === 'a')).toHaveLength(5);
  });
});

describe('budget', () => {
  test('the invocation cap stops an undecided comparison', async () => {
    const wide = (i: number) => ({ cpuMs: [20, 60, 100, 40, 80][i % 5] });
    const result = await run({ a: { functionName: 'cmp-a', payload: wide }, b: { functionName: 'cmp-a', payload: wide }, margin: 0.01 }, { budget: { maxInvocations: 40 } });
    expect(result.verdict).toBe('undecided');
    expect(result.stoppedBecause).toBe('max-invocations');
    expect(result.invocations).toBe(40);
  });

  test('the duration cap, on an injected clock', async () => {
    let now = 1_000_000;
    const clock = () => (now += 1000);
    const wide = (i: number) => ({ cpuMs: [20, 60, 100, 40, 80][i % 5] });
    const result = await run({ a: { functionName: 'cmp-a', payload: wide }, b: { functionName: 'cmp-a', payload: wide }, margin: 0.01 }, { clock, budget: { maxDurationMs: 3500 } });
    expect(result.stoppedBecause).toBe('max-duration');
    expect(result.verdict).toBe('undecided');
    // The clock is read at the start, once to set the sampling start, then once before each block.
    expect(result.invocations).toBe(30);
    expect(result.startedAt).toBe(1_001_000);
  });

  test('the cost cap', async () => {
    const wide = (i: number) => ({ cpuMs: [20, 60, 100, 40, 80][i % 5] });
    const result = await run({ a: { functionName: 'cmp-a', payload: wide }, b: { functionName: 'cmp-a', payload: wide }, margin: 0.01 }, { budget: { maxCostUSD: 5e-5 } });
    expect(result.stoppedBecause).toBe('max-cost');
    // The next block's cost is projected from the mean so far: the run stops before it would pass the cap.
    expect(result.costUSD).toBeLessThanOrEqual(5e-5);
    expect(result.invocations % 10).toBe(0);
    expect(result.invocations).toBeGreaterThan(0);
  });
});

describe('configuration', () => {
  test('a memory size is set on $LATEST for the run and restored afterwards, with forced cold starts measured apart', async () => {
    const before = await configOf('cmp-mem');
    const phases = new Set<string>();
    const result = await run(
      { a: { functionName: 'cmp-a', payload: varied(50) }, b: { functionName: 'cmp-mem', memorySizeMB: 512, payload: varied(50) }, coldStarts: 2, coldStartRate: 0.1 },
      { onProgress: (p: Progress) => phases.add(p.phase) },
    );
    expect(await configOf('cmp-mem')).toEqual(before);
    expect(result.b.memorySizeMB).toBe(512);
    // 50 ms of CPU at 512 MB: 50 × 1769 / 512.
    expect(result.b.warm.durationMs?.p50).toBeCloseTo((50 * 1769) / 512, 2);
    expect(result.verdict).toBe('slower');
    expect(result.a.cold.durationMs?.count).toBe(2);
    expect(result.b.cold.durationMs?.count).toBe(2);
    expect(result.samples.filter((s) => s.cold)).toHaveLength(4);
    expect(result.b.expected.coldStartRate).toBe(0.1);
    expect(result.b.expected.p50Ms).toBeCloseTo((50 * 1769) / 512, 2);
    expect([...phases]).toEqual(expect.arrayContaining(['preparing', 'configuring', 'cold', 'invoking', 'cleanup', 'done']));
  });

  test('one function at two memory sizes runs on published versions, deleted afterwards', async () => {
    const before = await configOf('cmp-mem');
    const versions = await versionsOf('cmp-mem');
    const result = await run({
      a: { functionName: 'cmp-mem', memorySizeMB: 256, payload: varied(20) },
      b: { functionName: 'cmp-mem', memorySizeMB: 512, payload: varied(20) },
      coldStarts: 1,
    });
    expect(result.verdict).toBe('faster');
    expect(result.metrics.find((m) => m.metric === 'durationMs')?.ratioOfMedians).toBeCloseTo(0.5, 6);
    expect(await configOf('cmp-mem')).toEqual(before);
    expect(await versionsOf('cmp-mem')).toEqual(versions);
  });
});

describe('always restores', () => {
  test('an abort mid-run restores $LATEST and rejects with LambdaMeterAbortError', async () => {
    const before = await configOf('cmp-mem');
    const controller = new AbortController();
    const onProgress = (p: Progress) => {
      if (p.phase === 'invoking' && p.completed >= 6) controller.abort();
    };
    const err = await run({ a: { functionName: 'cmp-a', payload: varied(10) }, b: { functionName: 'cmp-mem', memorySizeMB: 256, payload: varied(10) } }, { signal: controller.signal, onProgress }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'LambdaMeterAbortError' });
    expect(await configOf('cmp-mem')).toEqual(before);
  });

  test('a cleanup that cannot finish is a CleanupError listing what is left, with the run’s error as cause', async () => {
    const before = await configOf('cmp-mem');
    const versions = await versionsOf('cmp-mem');
    const denied = Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' });
    const invokeFailure = Object.assign(new Error('invoke refused'), { name: 'AccessDeniedException' });
    const client = {
      send: (command: object) => {
        const name = command.constructor.name;
        if (name === 'DeleteFunctionCommand') return Promise.reject(denied);
        if (name === 'InvokeCommand') return Promise.reject(invokeFailure);
        return lambda.send(command as GetFunctionConfigurationCommand);
      },
    };
    const err = await compare(
      { lambda: client as unknown as LambdaClient },
      { a: { functionName: 'cmp-mem', memorySizeMB: 256 }, b: { functionName: 'cmp-mem', memorySizeMB: 512 } },
      { seed: 1, updateWait: FAST_WAIT },
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'CleanupError' });
    const cleanup = err as { leftovers: string[]; cause: unknown };
    expect(cleanup.leftovers.length).toBe(2);
    expect(cleanup.leftovers.every((l) => /^version \d+ of cmp-mem$/.test(l))).toBe(true);
    expect(String((cleanup.cause as Error).message)).toMatch(/invoke refused/);
    // $LATEST was restored all the same; delete the two versions left behind.
    expect(await configOf('cmp-mem')).toEqual(before);
    const { DeleteFunctionCommand } = await import('@aws-sdk/client-lambda');
    for (const v of (await versionsOf('cmp-mem')).filter((x) => !versions.includes(x))) {
      await lambda.send(new DeleteFunctionCommand({ FunctionName: 'cmp-mem', Qualifier: v }));
    }
    expect(await versionsOf('cmp-mem')).toEqual(versions);
  });
});

describe('input errors, before anything changes', () => {
  test.each([
    [{ margin: 1.5 }, {}, 'input.margin'],
    [{ margin: 0 }, {}, 'input.margin'],
    [{}, { confidence: 1 }, 'options.confidence'],
    [{}, { blockSize: 0 }, 'options.blockSize'],
    [{}, { budget: { maxCostUSD: -1 } }, 'options.budget.maxCostUSD'],
    [{}, { budget: { maxInvocations: 1.5 } }, 'options.budget.maxInvocations'],
    [{ coldStarts: -1 }, {}, 'input.coldStarts'],
    [{ a: { functionName: '' } }, {}, 'input.a.functionName'],
    [{ b: { functionName: 'cmp-a', memorySizeMB: 64 } }, {}, 'input.b.memorySizeMB'],
  ] as const)('%j %j names %s', async (inputPatch, optionsPatch, field) => {
    const input = { a: { functionName: 'cmp-a' }, b: { functionName: 'cmp-b' }, ...inputPatch } as CompareInput;
    await expect(run(input, optionsPatch as CompareOptions)).rejects.toMatchObject({ name: 'InvalidInputError', field });
  });

  test('a missing function names its field; nothing changed', async () => {
    const before = await configOf('cmp-mem');
    const err = await run({ a: { functionName: 'cmp-mem', memorySizeMB: 512 }, b: { functionName: 'no-such-function' } }).catch((e: unknown) => e);
    expect(InvalidInputError.is(err)).toBe(true);
    expect(err).toMatchObject({ field: 'input.b.functionName' });
    expect(await configOf('cmp-mem')).toEqual(before);
  });

  test('an unpublished qualifier names its field; nothing changed', async () => {
    const before = await configOf('cmp-mem');
    const versions = await versionsOf('cmp-mem');
    const err = await run({ a: { functionName: 'cmp-mem', qualifier: '42', memorySizeMB: 512 }, b: { functionName: 'cmp-a' } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'InvalidInputError', field: 'input.a.qualifier' });
    expect(await configOf('cmp-mem')).toEqual(before);
    expect(await versionsOf('cmp-mem')).toEqual(versions);
  });

  test('an architecture other than the function’s own is set for the run (UpdateFunctionCode) and restored', async () => {
    const own = (await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'cmp-a' }))).Architectures?.[0];
    const other = own === 'arm64' ? 'x86_64' : 'arm64';
    const result = await run({ a: { functionName: 'cmp-a', architecture: other, payload: { cpuMs: 10 } }, b: { functionName: 'cmp-b', payload: { cpuMs: 10 } } }, { budget: { maxInvocations: 20 } });
    expect(result.a.architecture).toBe(other);
    expect((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'cmp-a' }))).Architectures).toStrictEqual([own]);
  });
});
