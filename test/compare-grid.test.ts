/**
 * `compareGrid` and `compare` with an architecture on lambda-meter local with the declared duration model: every
 * Duration follows from the declared work and the memory size, and local's architecture changes the price (from the
 * REPORT) but not the speed, so every figure here is the same on any machine under any load.
 */
import { GetFunctionCommand, GetFunctionConfigurationCommand, LambdaClient, ListVersionsByFunctionCommand } from '@aws-sdk/client-lambda';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadCode, MAX_DIRECT_UPLOAD_BYTES } from '../src/compare/compare.js';
import { compare, compareGrid } from '../src/compare/index.js';
import { invocationCost } from '../src/cost/index.js';
import { CleanupError, InvalidInputError, ServiceCallError } from '../src/errors.js';
import type { ControlPlane, FunctionCode } from '../src/internal/control-plane.js';
import type { Progress } from '../src/internal/options.js';
import { startLocalLambda } from '../src/local/index.js';
import type { LocalLambda } from '../src/local/index.js';

const WORK = 'test/fixtures/functions/work.mjs#handler';
const FAST_WAIT = { minDelayMs: 1, maxDelayMs: 5, maxWaitMs: 30_000 };
/** 20 ms of CPU (stretched below 1,769 MB) and 100 ms of waiting (not stretched): more memory, faster and dearer. */
const PAYLOAD = { cpuMs: 20, waitMs: 100 };

let local: LocalLambda;
let lambda: LambdaClient;

beforeAll(async () => {
  local = await startLocalLambda({
    durationModel: 'declared',
    functions: [
      { name: 'grid', handler: WORK, memorySizeMB: 512, description: 'the original', architecture: 'x86_64' },
      { name: 'arch-a', handler: WORK, memorySizeMB: 1769, architecture: 'x86_64' },
      { name: 'arch-b', handler: WORK, memorySizeMB: 1769, architecture: 'x86_64' },
    ],
  });
  lambda = new LambdaClient(local.clientConfig());
});

afterAll(async () => {
  lambda.destroy();
  await local.stop();
});

async function stateOf(name: string): Promise<Record<string, unknown>> {
  const c = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
  const versions = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name }));
  return {
    MemorySize: c.MemorySize,
    Description: c.Description,
    Architectures: c.Architectures,
    CodeSha256: c.CodeSha256,
    versions: (versions.Versions ?? []).map((v) => v.Version),
  };
}

/** The cost of one invocation from the bundled price table. */
const priced = (memorySizeMB: number, durationMs: number, architecture: 'x86_64' | 'arm64'): number =>
  invocationCost({ memorySizeMB, billedDurationMs: Math.ceil(durationMs), architecture, region: 'us-east-1' }).totalUSD;

describe('compareGrid', () => {
  test('a 2×2 grid: summaries per configuration, the frontier, arm64/x86_64 ratios from the price table, restored afterwards', async () => {
    const before = await stateOf('grid');
    const events: Progress[] = [];
    const grid = await compareGrid(
      { lambda },
      { functionName: 'grid', memorySizes: [2048, 1024], architectures: ['arm64', 'x86_64'], payload: PAYLOAD },
      { count: 10, seed: 5, updateWait: FAST_WAIT, onProgress: (p) => events.push(p) },
    );
    expect(grid.configurations.map((c) => `${c.memorySizeMB}/${c.architecture}`)).toStrictEqual(['1024/x86_64', '1024/arm64', '2048/x86_64', '2048/arm64']);
    expect(grid.stoppedBecause).toBe('count');
    for (const c of grid.configurations) {
      expect(c.count).toBe(10);
      expect(c.failed).toBe(0);
      // Declared work: 100 ms of waiting + 20 ms of CPU at the memory size's share of a vCPU, on either architecture.
      // REPORT gives Duration to 0.01 ms.
      expect(c.durationMs).toBeCloseTo(100 + (20 * 1769) / Math.min(1769, c.memorySizeMB), 1);
      expect(c.warm.durationMs?.count).toBe(10);
      expect(c.warm.initDurationMs).toBeDefined();
      expect(c.costUSD).toBeCloseTo(priced(c.memorySizeMB, c.durationMs ?? 0, c.architecture), 15);
    }
    // arm64 is as fast and cheaper at each memory size: x86_64 is dominated; 2048 MB is faster, 1024 MB cheaper.
    expect(grid.frontier.map((c) => `${c.memorySizeMB}/${c.architecture}`)).toStrictEqual(['1024/arm64', '2048/arm64']);
    expect(grid.configurations.filter((c) => c.dominated).map((c) => c.architecture)).toStrictEqual(['x86_64', 'x86_64']);
    expect(grid.ratios.map((r) => r.memorySizeMB)).toStrictEqual([1024, 2048]);
    // Both architectures: the two runs in the Power Tuning UI's two-run hash, x86_64 first, with their legends.
    const hash = (grid.visualizationUrl ?? '').split('#')[1]?.split(';') ?? [];
    expect(hash).toHaveLength(8);
    expect(hash.slice(6)).toStrictEqual(['x86_64', 'arm64']);
    expect(Buffer.from(hash[0] as string, 'base64').length).toBe(4); // two Int16 memory sizes
    for (const r of grid.ratios) {
      const x86 = grid.configurations.find((c) => c.memorySizeMB === r.memorySizeMB && c.architecture === 'x86_64');
      const d = x86?.durationMs ?? 0;
      const expected = priced(r.memorySizeMB, d, 'arm64') / priced(r.memorySizeMB, d, 'x86_64');
      expect(expected).toBeGreaterThan(0.75);
      expect(expected).toBeLessThan(0.85);
      expect(r.durationMs?.estimate).toBeCloseTo(1, 9);
      expect(r.durationMs?.interval[0]).toBeLessThanOrEqual(1);
      expect(r.durationMs?.interval[1]).toBeGreaterThanOrEqual(1);
      expect(r.costUSD?.estimate).toBeCloseTo(expected, 9);
      expect(r.costUSD?.interval[0]).toBeLessThanOrEqual(expected + 1e-12);
      expect(r.costUSD?.interval[1]).toBeGreaterThanOrEqual(expected - 1e-12);
    }
    expect(grid.invocations).toBe(4 * 11);
    expect(grid.costUSD).toBeGreaterThan(0);
    expect(events.some((e) => e.operation === 'compareGrid' && e.phase === 'configuring')).toBe(true);
    expect(events.at(-1)?.phase).toBe('done');
    expect(await stateOf('grid')).toStrictEqual(before);
  });

  test('the grid on the function’s own architecture needs no code package', async () => {
    const before = await stateOf('grid');
    const grid = await compareGrid({ lambda }, { functionName: 'grid', memorySizes: [1024], payload: PAYLOAD }, { count: 3, seed: 1, updateWait: FAST_WAIT });
    expect(grid.configurations.map((c) => c.architecture)).toStrictEqual(['x86_64']);
    expect(grid.ratios).toStrictEqual([]);
    expect(grid.visualizationUrl).toBeUndefined();
    expect(grid.frontier).toHaveLength(1);
    expect(await stateOf('grid')).toStrictEqual(before);
  });

  test('a failure mid-run still restores everything', async () => {
    const before = await stateOf('grid');
    const controller = new AbortController();
    let invoked = 0;
    const err = await compareGrid(
      { lambda },
      { functionName: 'grid', memorySizes: [1024], architectures: ['x86_64', 'arm64'], payload: PAYLOAD },
      {
        count: 10,
        updateWait: FAST_WAIT,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'warm' && ++invoked === 3) controller.abort();
        },
      },
    ).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(CleanupError);
    expect((err as Error).name).toBe('LambdaMeterAbortError');
    expect(await stateOf('grid')).toStrictEqual(before);
  });

  test('bad input names the field', async () => {
    const bad = (input: object, options: object = {}) => compareGrid({ lambda }, input as never, options).catch((e: unknown) => e);
    expect(((await bad({ functionName: 'grid', memorySizes: [] })) as InvalidInputError).field).toBe('input.memorySizes');
    expect(((await bad({ functionName: 'grid', memorySizes: [1024, 1024] })) as InvalidInputError).field).toBe('input.memorySizes[1]');
    expect(((await bad({ functionName: 'grid', memorySizes: [1024], architectures: ['arm64', 'sparc'] })) as InvalidInputError).field).toBe('input.architectures[1]');
    expect(((await bad({ functionName: 'grid:1', memorySizes: [1024] })) as InvalidInputError).field).toBe('input.functionName');
    expect(((await bad({ functionName: 'grid', memorySizes: [1024] }, { count: 1 })) as InvalidInputError).field).toBe('options.count');
    expect(((await bad({ functionName: 'nope', memorySizes: [1024] })) as InvalidInputError).field).toBe('input.functionName');
  });
});

describe('compare with an architecture', () => {
  test('one function on x86_64 against itself on arm64: equivalent Duration, cheaper, restored afterwards', async () => {
    const before = await stateOf('arch-a');
    const payload = (i: number) => ({ cpuMs: 40 * (1 + 0.02 * ((i % 5) - 2)) });
    const result = await compare(
      { lambda },
      { a: { functionName: 'arch-a', payload }, b: { functionName: 'arch-a', architecture: 'arm64', payload } },
      { seed: 3, updateWait: FAST_WAIT },
    );
    expect(result.a.architecture).toBe('x86_64');
    expect(result.b.architecture).toBe('arm64');
    expect(result.verdict).toBe('equivalent');
    const cost = result.metrics.find((m) => m.metric === 'costUSD');
    expect(cost?.verdict).toBe('faster');
    const expected = priced(1769, 40, 'arm64') / priced(1769, 40, 'x86_64');
    expect(cost?.ratioOfMedians).toBeCloseTo(expected, 2);
    expect(await stateOf('arch-a')).toStrictEqual(before);
  });

  test('another function on arm64, changed in place on $LATEST and restored', async () => {
    const before = await stateOf('arch-b');
    const result = await compare(
      { lambda },
      { a: { functionName: 'arch-a', payload: { cpuMs: 40 } }, b: { functionName: 'arch-b', architecture: 'arm64', payload: { cpuMs: 40 } } },
      { seed: 3, updateWait: FAST_WAIT, budget: { maxInvocations: 40 } },
    );
    expect(result.b.architecture).toBe('arm64');
    const during = result.samples.filter((s) => s.side === 'b' && !s.cold);
    expect(during.length).toBeGreaterThan(0);
    expect(await stateOf('arch-b')).toStrictEqual(before);
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: 'arch-b' }));
    expect(fn.Configuration?.Architectures).toStrictEqual(['x86_64']);
  });
});

describe('reading the code package', () => {
  const cpOf = (code: Partial<FunctionCode>) => ({ getCode: () => Promise.resolve({ repositoryType: 'S3', location: undefined, imageUri: undefined, codeSha256: undefined, architecture: 'x86_64', ...code }) }) as unknown as ControlPlane;

  test('an image is deployed again by its URI', async () => {
    expect(await loadCode(cpOf({ repositoryType: 'ECR', imageUri: '1.dkr.ecr.us-east-1.amazonaws.com/x:1' }), 'f', 'input.b.architecture', undefined, undefined)).toStrictEqual({
      imageUri: '1.dkr.ecr.us-east-1.amazonaws.com/x:1',
    });
  });

  test('a package over 50 MB is an InvalidInputError saying so; a wrong SHA-256 a ServiceCallError; http elsewhere than loopback refused', async () => {
    const server = createServer((req, res) => {
      if (req.url === '/big') {
        res.writeHead(200, { 'content-length': String(MAX_DIRECT_UPLOAD_BYTES + 1) });
        res.write(Buffer.alloc(1024));
        return;
      }
      res.end('not the package');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const big = await loadCode(cpOf({ location: `http://127.0.0.1:${port}/big` }), 'f', 'input.b.architecture', undefined, undefined).catch((e: unknown) => e);
      expect(big).toBeInstanceOf(InvalidInputError);
      expect((big as InvalidInputError).field).toBe('input.b.architecture');
      expect((big as Error).message).toMatch(/50\.0 MB/);
      const wrong = await loadCode(cpOf({ location: `http://127.0.0.1:${port}/x` }), 'f', 'input.b.architecture', 'AAAA', undefined).catch((e: unknown) => e);
      expect(wrong).toBeInstanceOf(ServiceCallError);
      const plain = await loadCode(cpOf({ location: 'http://example.com/x.zip' }), 'f', 'input.b.architecture', undefined, undefined).catch((e: unknown) => e);
      expect((plain as InvalidInputError).field).toBe('input.b.architecture');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
