/**
 * lambda-meter/tune: strategies, Pareto frontier, estimate and visualization URL as pure functions; powerTune end to
 * end against lambda-meter/local through the real @aws-sdk/client-lambda, including the cleanup guarantee under
 * injected throttles, 500s, 409s and aborts.
 */
import {
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListAliasesCommand,
  ListVersionsByFunctionCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CleanupError, isLambdaMeterError, TuneFunctionError } from '../src/errors.js';
import type { FaultRule, LocalLambda } from '../src/local/index.js';
import { startLocalLambda } from '../src/local/index.js';
import { comparisonVisualizationUrl, estimateTune, leaderOf, paretoFrontierSizes, powerTune, recommend, visualizationUrl } from '../src/tune/index.js';
import { trimmedMean } from '../src/stats/index.js';
import type { Progress } from '../src/internal/options.js';
import type { PowerTuneInput, PowerTuneOptions, TuneConfiguration } from '../src/tune/index.js';
import { weightedOrder } from '../src/tune/analysis.js';
import type { TuneResult } from '../src/tune/index.js';
import { sizeNote } from '../src/demo/demo.js';
import { paretoFrontier as reportsFrontier } from '../src/reports/describe.js';
import { tuneReportDocument } from '../src/reports/results/tune.js';
import type { ReportTable } from '../src/reports/index.js';
import { paretoFrontier as statsFrontier } from '../src/stats/index.js';
import { fastSdkRetry } from './helpers/common.js';

const F = 'test/fixtures/functions/';

// ---------------------------------------------------------------------------------------------------------------
// Pure parts

describe('recommend', () => {
  const points = [
    { memorySizeMB: 128, durationMs: 100, costUSD: 128 * 100 },
    { memorySizeMB: 512, durationMs: 40, costUSD: 512 * 40 },
    { memorySizeMB: 1024, durationMs: 30, costUSD: 1024 * 30 },
  ];

  test('cost, speed and balanced choose as Power Tuning does', () => {
    expect(recommend(points, 'cost')?.memorySizeMB).toBe(128);
    expect(recommend(points, 'speed')?.memorySizeMB).toBe(1024);
    // scores: 128 → .5·12800/30720 + .5·1 = .708; 512 → .833·.5 + .2 = .533; 1024 → .5 + .15 = .65
    expect(recommend(points, 'balanced')?.memorySizeMB).toBe(512);
    expect(recommend(points, 'balanced', { balancedWeight: 1 })?.memorySizeMB).toBe(128);
    expect(recommend(points, 'balanced', { balancedWeight: 0 })?.memorySizeMB).toBe(1024);
    expect(recommend(points, 'cost')?.reason).toMatch(/lowest cost per invocation/);
    expect(recommend([], 'cost')).toBeUndefined();
  });

  test('ties go to the secondary metric, then to the smaller size', () => {
    const tied = [
      { memorySizeMB: 512, durationMs: 400, costUSD: 3.5e-6 },
      { memorySizeMB: 1024, durationMs: 200, costUSD: 3.5e-6 },
      { memorySizeMB: 2048, durationMs: 200, costUSD: 7e-6 },
    ];
    expect(recommend(tied, 'cost')?.memorySizeMB).toBe(1024);
    expect(recommend(tied, 'speed')?.memorySizeMB).toBe(1024);
    const same = [
      { memorySizeMB: 1024, durationMs: 10, costUSD: 1 },
      { memorySizeMB: 256, durationMs: 10, costUSD: 1 },
    ];
    expect(recommend(same, 'balanced')?.memorySizeMB).toBe(256);
  });

  test('tieTolerance: sizes within it of the best are tied and the secondary metric picks, as the sampler does', () => {
    const near = [
      { memorySizeMB: 512, durationMs: 400, costUSD: 100 },
      { memorySizeMB: 1024, durationMs: 200, costUSD: 104 },
      { memorySizeMB: 2048, durationMs: 110, costUSD: 190 },
    ];
    expect(recommend(near, 'cost')?.memorySizeMB).toBe(512);
    const tied = recommend(near, 'cost', { tieTolerance: 0.05 });
    expect(tied?.memorySizeMB).toBe(1024);
    expect(tied?.reason).toMatch(/within 5% of the lowest \(\$100\.0 at 512 MB\), and faster: 200\.00 ms against 400\.00 ms/);
    expect(recommend(near, 'cost', { tieTolerance: 0.03 })?.memorySizeMB).toBe(512);
    // speed: 2048 MB is fastest; 1024 MB is 82% slower, not tied.
    expect(recommend(near, 'speed', { tieTolerance: 0.05 })?.memorySizeMB).toBe(2048);
    // The same rule as leaderOf on one observation per size.
    for (const strategy of ['cost', 'speed', 'balanced'] as const) {
      for (const relativePrecision of [0.01, 0.05, 0.2]) {
        const byLeaderOf = leaderOf(near.map((p) => ({ memorySizeMB: p.memorySizeMB, durationsMs: [p.durationMs], costsUSD: [p.costUSD] })), { strategy, relativePrecision });
        expect(recommend(near, strategy, { tieTolerance: relativePrecision })?.memorySizeMB, `${strategy} ${relativePrecision}`).toBe(byLeaderOf);
      }
    }
    expect(() => recommend(near, 'cost', { tieTolerance: 1 })).toThrow(/options\.tieTolerance/);
  });

  test('bad arguments name the field', () => {
    expect(() => recommend([{ memorySizeMB: 128, durationMs: -1, costUSD: 1 }], 'cost')).toThrow(/points\[0\]\.durationMs/);
    expect(() => recommend([], 'fast' as 'cost')).toThrow(/strategy/);
    expect(() => recommend([], 'balanced', { balancedWeight: 2 })).toThrow(/options\.balancedWeight/);
  });
});

describe('paretoFrontierSizes', () => {
  test('keeps sizes no other size beats on both cost and duration', () => {
    expect(
      paretoFrontierSizes([
        { memorySizeMB: 2048, durationMs: 112, costUSD: 3.8e-6 },
        { memorySizeMB: 128, durationMs: 800, costUSD: 2e-6 },
        { memorySizeMB: 512, durationMs: 210, costUSD: 1.8e-6 },
        { memorySizeMB: 1024, durationMs: 110, costUSD: 1.9e-6 },
      ]),
    ).toEqual([512, 1024]);
    // Equal points dominate neither each other.
    expect(
      paretoFrontierSizes([
        { memorySizeMB: 256, durationMs: 10, costUSD: 1 },
        { memorySizeMB: 128, durationMs: 10, costUSD: 1 },
      ]),
    ).toEqual([128, 256]);
    expect(paretoFrontierSizes([])).toEqual([]);
  });

  test('is the one implementation: the reports\' scatter frontier follows the same rule, ties included', () => {
    const points = [
      { label: 'a', x: 1, y: 5 },
      { label: 'b', x: 1, y: 5 },
      { label: 'c', x: 2, y: 5 },
      { label: 'd', x: 3, y: 1 },
    ];
    // a and b are equal: both on the frontier; c is dominated by both (same y, larger x).
    expect(reportsFrontier(points).map((p) => p.label)).toEqual(['a', 'b', 'd']);
    expect(statsFrontier(points, (p) => [p.x, p.y]).map((p) => p.label)).toEqual(['a', 'b', 'd']);
  });
});

describe('"dominated" means off the Pareto frontier, never "eliminated by the sampler"', () => {
  const config = (memorySizeMB: number, eliminated: boolean): TuneConfiguration => ({ memorySizeMB, eliminated, failed: false }) as TuneConfiguration;
  const result = (configurations: TuneConfiguration[], frontier: number[]): TuneResult =>
    ({ recommendation: { memorySizeMB: 512, reason: '' }, paretoFrontier: frontier, configurations }) as unknown as TuneResult;

  test('the demo terminal output: an eliminated size on the frontier is "(eliminated early)" only', () => {
    const onFrontier = config(128, true);
    const offFrontier = config(1024, true);
    const r = result([onFrontier, config(512, false), offFrontier], [128, 512]);
    expect(sizeNote(r, onFrontier)).toBe('(eliminated early)');
    expect(sizeNote(r, onFrontier)).not.toMatch(/dominated/);
    expect(sizeNote(r, config(512, false))).toBe('');
    expect(sizeNote(r, offFrontier)).toBe('(dominated) (eliminated early)');
  });
});

function decodeHash(url: string): { sizes: number[]; durations: number[]; costs: number[] } {
  const [sizes, durations, costs] = url.slice(url.indexOf('#') + 1).split(';').map((part) => Buffer.from(part as string, 'base64'));
  const ints = (b: Buffer) => Array.from({ length: b.length / 2 }, (_, i) => b.readInt16LE(i * 2));
  const floats = (b: Buffer) => Array.from({ length: b.length / 4 }, (_, i) => b.readFloatLE(i * 4));
  return { sizes: ints(sizes as Buffer), durations: floats(durations as Buffer), costs: floats(costs as Buffer) };
}

describe('visualizationUrl', () => {
  const config = (memorySizeMB: number, durationMs: number, costUSD: number, failed = false) =>
    ({ memorySizeMB, objectiveDurationMs: durationMs, objectiveCostUSD: costUSD, failed }) as TuneConfiguration;

  test("encodes Power Tuning's hash: Int16 sizes; Float32 durations; Float32 costs, sorted by size", () => {
    const url = visualizationUrl({
      configurations: [config(1024, 30.5, 6.4e-7), config(128, 100.25, 2.1e-7), config(512, 40, 3.3e-7), config(256, 1, 1, true)],
    });
    expect(url.startsWith('https://lambda-power-tuning.show/#')).toBe(true);
    const decoded = decodeHash(url);
    expect(decoded.sizes).toEqual([128, 512, 1024]);
    expect(decoded.durations).toEqual([100.25, 40, 30.5]);
    decoded.costs.forEach((c, i) => expect(c).toBeCloseTo([2.1e-7, 3.3e-7, 6.4e-7][i] as number, 12));
    expect(visualizationUrl({ configurations: [config(10240, 1, 1)] }, { baseUrl: 'https://example.test/ui/#old' })).toMatch(/^https:\/\/example\.test\/ui\/#AC[g-v]/);
    expect(decodeHash(visualizationUrl({ configurations: [config(10240, 1, 1)] })).sizes).toEqual([10240]);
  });

  test('rejects a bad base URL or result', () => {
    expect(() => visualizationUrl({ configurations: [] }, { baseUrl: '' })).toThrow(/options\.baseUrl/);
    expect(() => visualizationUrl({} as never)).toThrow(/result\.configurations/);
  });
});

describe('comparisonVisualizationUrl', () => {
  const config = (memorySizeMB: number, durationMs: number, costUSD: number, failed = false) =>
    ({ memorySizeMB, objectiveDurationMs: durationMs, objectiveCostUSD: costUSD, failed }) as TuneConfiguration;

  test('encodes two runs and two URI-encoded legends in the two-run hash, each run as visualizationUrl does', () => {
    const x86 = { configurations: [config(1024, 30, 6e-7), config(512, 50, 4e-7)] };
    const arm = { configurations: [config(512, 52, 3.2e-7), config(1024, 31, 4.9e-7), config(2048, 1, 1, true)] };
    const url = comparisonVisualizationUrl(x86, arm, { labels: ['JS x86', 'JS arm64'] });
    expect(url.startsWith('https://digio.github.io/aws-lambda-power-tuning-ui/#')).toBe(true);
    const parts = url.slice(url.indexOf('#') + 1).split(';');
    expect(parts).toHaveLength(8);
    expect(parts.slice(6)).toEqual(['JS%20x86', 'JS%20arm64']);
    // Each run's three parts are exactly what visualizationUrl writes for it alone.
    expect(parts.slice(0, 3).join(';')).toBe(visualizationUrl(x86).split('#')[1]);
    expect(parts.slice(3, 6).join(';')).toBe(visualizationUrl(arm).split('#')[1]);
    expect(decodeHash(`#${parts.slice(3, 6).join(';')}`).sizes).toEqual([512, 1024]);
    expect(comparisonVisualizationUrl(x86, arm, { baseUrl: 'https://example.test/ui/#x' }).endsWith(';A;B')).toBe(true);
  });

  test('rejects bad legends, a bad base URL or a run without configurations, naming the field', () => {
    const run = { configurations: [config(128, 1, 1)] };
    expect(() => comparisonVisualizationUrl(run, run, { labels: ['only one'] as unknown as [string, string] })).toThrow(/options\.labels/);
    expect(() => comparisonVisualizationUrl(run, run, { baseUrl: '' })).toThrow(/options\.baseUrl/);
    expect(() => comparisonVisualizationUrl(run, {} as never)).toThrow(/b\.configurations/);
  });
});

describe('estimateTune', () => {
  test('counts invocations and versions and prices them before anything runs', () => {
    const e = estimateTune({ memorySizes: [128, 1024], count: 10, expectedDurationMs: 100 });
    expect(e.invocations).toBe(20);
    expect(e.versions).toBe(2);
    // 10 × (128 MB and 1024 MB at 100 ms) at us-east-1 x86 prices: GB-s price 0.0000166667 plus $0.20 per million.
    const expected = 10 * ((0.125 * 0.1 + 1 * 0.1) * 0.0000166667 + 2 * 0.0000002);
    expect(e.estimatedUSD).toBeCloseTo(expected, 10);
    expect(e.estimatedSeconds).toBeGreaterThan(0);

    const cold = estimateTune({ memorySizes: [128, 256, 512], count: 4, onlyColdStarts: true, autoApply: { alias: 'live' } });
    expect(cold.versions).toBe(13);
    expect(cold.invocations).toBe(12);
    expect(estimateTune({ memorySizes: [128], dryRun: true }).invocations).toBe(1);
    expect(estimateTune({ memorySizes: [128, 256], adaptive: { maxSamples: 20 } }).invocations).toBe(42);
    const scaled = estimateTune({ memorySizes: [128, 1024], count: 1, expectedDurationMs: (mb) => 102_400 / mb });
    expect(scaled.estimatedUSD).toBeGreaterThan(0);
  });

  test('validates like powerTune', () => {
    expect(() => estimateTune({ memorySizes: [64] })).toThrow(/input\.memorySizes\[0\]/);
    expect(() => estimateTune({ memorySizes: [128], expectedDurationMs: -1 })).toThrow(/input\.expectedDurationMs/);
  });
});

test('weighted payloads fill every prefix deterministically and in proportion', () => {
  const order = weightedOrder([1, 3]);
  const first8 = Array.from({ length: 8 }, () => order.next().value);
  expect(first8.filter((i) => i === 0)).toHaveLength(2);
  expect(first8.slice(0, 4).filter((i) => i === 1)).toHaveLength(3);
  const again = weightedOrder([1, 3]);
  expect(Array.from({ length: 8 }, () => again.next().value)).toEqual(first8);
});

describe('powerTune input validation (before any call)', () => {
  const untouchable = { send: () => Promise.reject(new Error('send must not be called')) };
  const base: PowerTuneInput = { functionName: 'f', memorySizes: [128, 256], count: 2 };
  const cases: [Partial<PowerTuneInput> | Record<string, unknown>, RegExp][] = [
    [{ memorySizes: [] }, /^input\.memorySizes$/],
    [{ memorySizes: [128, 64] }, /^input\.memorySizes\[1\]$/],
    [{ memorySizes: [128, 10_241] }, /^input\.memorySizes\[1\]$/],
    [{ memorySizes: [128.5] }, /^input\.memorySizes\[0\]$/],
    [{ memorySizes: [256, 256] }, /^input\.memorySizes\[1\]$/],
    [{ functionName: '' }, /^input\.functionName$/],
    [{ functionName: 'f:live' }, /^input\.functionName$/],
    [{ functionName: 'arn:aws:lambda:us-east-1:123456789012:function:f:3' }, /^input\.functionName$/],
    [{ strategy: 'cheap' }, /^input\.strategy$/],
    [{ balancedWeight: 1.5 }, /^input\.balancedWeight$/],
    [{ count: 0 }, /^input\.count$/],
    [{ count: 1, payloads: [{ payload: 1, weight: 1 }, { payload: 2, weight: 1 }] }, /^input\.count$/],
    [{ invocations: 2 }, /^input\.invocations$/],
    [{ payload: 1, payloads: [{ payload: 2, weight: 1 }] }, /^input\.payloads$/],
    [{ payloads: [{ payload: 2, weight: 0 }] }, /^input\.payloads\[0\]\.weight$/],
    [{ concurrency: 0 }, /^input\.concurrency$/],
    [{ autoApply: 'latest' }, /^input\.autoApply$/],
    [{ autoApply: { alias: '42' } }, /^input\.autoApply\.alias$/],
    [{ autoApply: { alias: 'lambda-meter-tune-x' } }, /^input\.autoApply\.alias$/],
    [{ allowedErrorTypes: 'BadInputError' }, /^input\.allowedErrorTypes$/],
    [{ count: 'adaptive', adaptive: { minSamples: 0 } }, /^input\.adaptive\.minSamples$/],
    [{ count: 'adaptive', adaptive: { confidence: 1 } }, /^input\.adaptive\.confidence$/],
    [{ discardTopBottom: 0.5 }, /^input\.discardTopBottom$/],
    [{ count: 5, discardTopBottom: -0.1 }, /^input\.discardTopBottom$/],
  ];
  const optionCases: [Record<string, unknown>, RegExp][] = [
    [{ retry: { maxAttempts: 0 } }, /^options\.retry\.maxAttempts$/],
    [{ cleanupRetry: { baseDelayMs: -1 } }, /^options\.cleanupRetry\.baseDelayMs$/],
    [{ updateWait: { maxWaitMs: -1 } }, /^options\.updateWait\.maxWaitMs$/],
    [{ signal: 'stop' }, /^options\.signal$/],
    [{ onProgress: 1 }, /^options\.onProgress$/],
  ];
  test.each(optionCases)('options %j are refused', async (patch, field) => {
    const caught = await powerTune({ lambda: untouchable }, base, patch as PowerTuneOptions).catch((e: unknown) => e);
    expect(isLambdaMeterError(caught, 'InvalidInputError'), String(caught)).toBe(true);
    expect((caught as { field: string }).field).toMatch(field);
  });
  test.each(cases)('%j is refused', async (patch, field) => {
    const caught = await powerTune({ lambda: untouchable }, { ...base, ...patch } as PowerTuneInput).catch((e: unknown) => e);
    expect(isLambdaMeterError(caught, 'InvalidInputError'), String(caught)).toBe(true);
    expect((caught as { field: string }).field).toMatch(field);
  });

  test('a client without send is refused', async () => {
    const caught = await powerTune({ lambda: {} as never }, base).catch((e: unknown) => e);
    expect((caught as { field: string }).field).toBe('clients.lambda');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// End to end against lambda-meter/local

const ORIGINAL_MEMORY = 256;
const ORIGINAL_DESCRIPTION = 'the original description';

/** Fast retries and waits for local (timeScale 50: updates finish in 10 ms). */
const fast = {
  retry: { baseDelayMs: 5, maxDelayMs: 50, maxAttempts: 12, budgetMs: 30_000 },
  cleanupRetry: { baseDelayMs: 5, maxDelayMs: 50, maxAttempts: 40, budgetMs: 60_000 },
  updateWait: { minDelayMs: 5, maxDelayMs: 50, maxWaitMs: 30_000 },
} as const;

async function expectClean(lambda: LambdaClient, functionName: string, memorySizeMB = ORIGINAL_MEMORY): Promise<void> {
  const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
  expect(config.MemorySize).toBe(memorySizeMB);
  expect(config.Description).toBe(ORIGINAL_DESCRIPTION);
  expect(config.LastUpdateStatus).toBe('Successful');
  expect(config.Environment?.Variables?.LAMBDA_METER_TUNE_SAMPLE).toBeUndefined();
  const versions = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: functionName }));
  expect(versions.Versions?.map((v) => v.Version)).toEqual(['$LATEST']);
  const aliases = await lambda.send(new ListAliasesCommand({ FunctionName: functionName }));
  expect(aliases.Aliases ?? []).toEqual([]);
}

describe('powerTune against lambda-meter/local', () => {
  let local: LocalLambda;
  let lambda: LambdaClient;
  let n = 0;

  /** A fresh copy of the synthetic function, so tests never see each other's versions. */
  function addFunction(): string {
    const name = `tune-${++n}`;
    local.addFunction({
      name,
      handler: `${F}tune-memory.mjs#handler`,
      memorySizeMB: ORIGINAL_MEMORY,
      timeoutSeconds: 10,
      description: ORIGINAL_DESCRIPTION,
      environment: { KEEP: 'me' },
    });
    return name;
  }

  beforeAll(async () => {
    // The declared duration model: each REPORT's Duration is exactly the fixture's wait, so strategies, frontiers and
    // recommendations are the same on any machine under any load (and waits sleep 1/50 of what they count).
    local = await startLocalLambda({ cpu: 'unlimited', durationModel: 'declared', timeScale: 50, idleTimeoutMs: 2000 });
    lambda = new LambdaClient({ ...local.clientConfig(), ...fastSdkRetry() });
  });

  afterAll(async () => {
    lambda.destroy();
    await local.stop();
  });

  test('recommends by strategy from a function whose duration depends on memory, then cleans up', async () => {
    const functionName = addFunction();
    const phases = new Set<string>();
    const progress: Progress[] = [];
    const sizes = [128, 512, 1024];
    const byStrategy: Record<string, number | undefined> = {};
    let lastResult: TuneResult | undefined;
    for (const strategy of ['cost', 'speed', 'balanced'] as const) {
      const result = await powerTune(
        { lambda },
        {
          functionName,
          memorySizes: sizes,
          count: 4,
          strategy,
        },
        {
          ...fast,
          onProgress: (p) => {
            phases.add(p.phase);
            progress.push(p);
          },
        },
      );
      byStrategy[strategy] = result.recommendation?.memorySizeMB;
      lastResult = result;
      expect(result.invocations).toBe(12);
      expect(result.configurations.map((c) => c.memorySizeMB)).toEqual(sizes);
      expect(result.paretoFrontier).toEqual(sizes);
      expect(result.cleanup.restored).toBe(true);
      expect(result.cleanup.deletedAliases).toHaveLength(3);
      expect(result.cleanup.deletedVersions).toHaveLength(3);
      expect(decodeHash(result.visualizationUrl).sizes).toEqual(sizes);
      for (const c of result.configurations) {
        expect(c.failed).toBe(false);
        expect(c.coldStarts?.count).toBe(1);
        expect(c.warmInvocations).toBe(3);
        // Each size waits 20 + 10240 / memory ms, and the declared model reports exactly that.
        expect(c.warm?.p50).toBeCloseTo(20 + 10240 / c.memorySizeMB, 2);
        expect(c.warm?.min).toBe(c.warm?.max);
        expect(c.headroomMB).toBe(c.memorySizeMB - (c.maxMemoryUsedMB as number));
        expect(c.cost.perMillionUSD).toBeCloseTo(c.cost.perInvocationUSD * 1e6, 6);
        expect(Number(c.cost.totalUSDExact)).toBeCloseTo(c.cost.totalUSD, 15);
        // The compared duration is the 20%-trimmed mean of the warm durations (3 of them: nothing to trim).
        expect(c.objectiveDurationsMs).toHaveLength(3);
        expect(c.objectiveDurationMs).toBeCloseTo(trimmedMean(c.objectiveDurationsMs, 0.2), 9);
      }
      expect(result.discardTopBottom).toBe(0.2);
      expect(result.tieTolerance).toBe(0.05);
      expect(result.recommendation).toEqual(recommend(
        result.configurations.map((c) => ({ memorySizeMB: c.memorySizeMB, durationMs: c.objectiveDurationMs, costUSD: c.objectiveCostUSD })),
        strategy, { tieTolerance: 0.05 },
      ));
      await expectClean(lambda, functionName);
    }
    expect(byStrategy).toEqual({ cost: 128, speed: 1024, balanced: 512 });
    // The CLI's table (tuneReportDocument): a size the sampler eliminated that is on the frontier is not "dominated".
    const last = lastResult as TuneResult;
    const marked = { ...last, configurations: last.configurations.map((c) => (c.memorySizeMB === 128 ? { ...c, eliminated: true } : c)) };
    const flags = (r: TuneResult): string[] =>
      (r === marked ? tuneReportDocument(marked) : tuneReportDocument(r)).sections
        .flatMap((sec) => sec.blocks)
        .filter((b): b is ReportTable => b.kind === 'table' && b.columns.some((col) => col.label === 'flags'))
        .flatMap((t) => t.rows.map((row) => String(row.flags)));
    expect(marked.paretoFrontier).toContain(128);
    expect(flags(marked)[0]).toMatch(/eliminated early/);
    expect(flags(marked)[0]).not.toMatch(/dominated/);
    const offFrontier = { ...marked, paretoFrontier: [512, 1024] };
    expect(flags(offFrontier)[0]).toMatch(/^dominated, eliminated early/);
    expect([...phases]).toEqual(expect.arrayContaining(['preparing', 'configuring', 'invoking', 'cleanup', 'done']));
    expect(progress.every((p) => p.operation === 'powerTune')).toBe(true);
    expect(progress.at(-1)).toMatchObject({ operation: 'powerTune', phase: 'done', completed: 12, total: 12, failed: 0 });
  });

  test('cold starts are summarised apart from warm invocations; onlyColdStarts makes every invocation cold', async () => {
    const functionName = addFunction();
    const warm = await powerTune({ lambda }, { functionName, memorySizes: [512, 1024], count: 3 }, fast);
    for (const c of warm.configurations) {
      expect(c.coldStarts?.count).toBe(1);
      expect(c.coldStarts?.totalMs.mean).toBeCloseTo((c.coldStarts?.initDurationMs.mean ?? 0) + (c.coldStarts?.durationMs.mean ?? 0), 6);
      expect(c.warm?.count).toBe(2);
      expect(c.objectiveDurationMs).toBeCloseTo(c.warm?.mean as number, 9);
    }

    const cold = await powerTune({ lambda }, { functionName, memorySizes: [512, 1024], count: 2, onlyColdStarts: true, strategy: 'speed' }, fast);
    expect(cold.invocations).toBe(4);
    expect(cold.cleanup.deletedVersions).toHaveLength(4);
    expect(cold.cleanup.deletedAliases).toHaveLength(4);
    for (const c of cold.configurations) {
      expect(c.warmInvocations).toBe(0);
      expect(c.coldStarts?.count).toBe(2);
      expect(c.objectiveDurationMs).toBeCloseTo(c.coldStarts?.totalMs.mean as number, 9);
    }
    await expectClean(lambda, functionName);
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
    expect(config.Environment?.Variables).toEqual({ KEEP: 'me' });
  });

  test('function errors fail a size unless allowed; every size failing is a TuneFunctionError, cleaned up', async () => {
    const functionName = addFunction();
    // The same 60 ms wait at every size, so 512 MB costs exactly half of 1,024 MB.
    const partly = await powerTune({ lambda }, { functionName, memorySizes: [128, 512, 1024], count: 2, payload: { failAt: 128, ms: 60 } }, fast);
    const at128 = partly.configurations[0] as TuneConfiguration;
    expect(at128.failed).toBe(true);
    expect(at128.errors).toEqual({ BadInputError: 2 });
    expect(partly.recommendation?.memorySizeMB).toBe(512);
    expect(partly.paretoFrontier).not.toContain(128);
    expect(decodeHash(partly.visualizationUrl).sizes).toEqual([512, 1024]);

    const allowed = await powerTune(
      { lambda },
      { functionName, memorySizes: [128, 512], count: 2, payload: { failAt: 128 }, allowedErrorTypes: ['BadInputError'] },
      fast,
    );
    expect(allowed.configurations[0]?.failed).toBe(false);
    expect(allowed.configurations[0]?.errors).toEqual({ BadInputError: 2 });

    const caught = await powerTune({ lambda }, { functionName, memorySizes: [128, 512], count: 2, payload: { fail: true } }, fast).catch((e: unknown) => e);
    expect(TuneFunctionError.is(caught), String(caught)).toBe(true);
    expect((caught as TuneFunctionError).errors).toEqual({ 128: { BadInputError: 2 }, 512: { BadInputError: 2 } });
    await expectClean(lambda, functionName);
  });

  test("autoApply: '$LATEST' sets the winning memory; { alias } points an alias at a new version with it", async () => {
    const functionName = addFunction();
    const latest = await powerTune({ lambda }, { functionName, memorySizes: [128, 1024], count: 2, strategy: 'speed', autoApply: '$LATEST' }, fast);
    expect(latest.applied).toEqual({ target: '$LATEST', memorySizeMB: 1024, version: undefined });
    await expectClean(lambda, functionName, 1024);

    const aliased = await powerTune({ lambda }, { functionName, memorySizes: [128, 512], count: 2, strategy: 'cost', autoApply: { alias: 'live' } }, fast);
    expect(aliased.applied?.target).toBe('live');
    expect(aliased.applied?.memorySizeMB).toBe(128);
    const alias = await lambda.send(new GetAliasCommand({ FunctionName: functionName, Name: 'live' }));
    expect(alias.FunctionVersion).toBe(aliased.applied?.version);
    const version = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName, Qualifier: 'live' }));
    expect(version.MemorySize).toBe(128);
    // $LATEST is as before this run (1024 from the first one); only the applied version and alias remain.
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
    expect(config.MemorySize).toBe(1024);
    expect(config.Description).toBe(ORIGINAL_DESCRIPTION);
    const versions = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: functionName }));
    expect(versions.Versions?.map((v) => v.Version)).toEqual(['$LATEST', aliased.applied?.version]);
    const aliases = await lambda.send(new ListAliasesCommand({ FunctionName: functionName }));
    expect(aliases.Aliases?.map((a) => a.Name)).toEqual(['live']);
  });

  test('dryRun invokes once per size and recommends nothing', async () => {
    const functionName = addFunction();
    const result = await powerTune({ lambda }, { functionName, memorySizes: [128, 512, 1024], dryRun: true, autoApply: '$LATEST' }, fast);
    expect(result.recommendation).toBeUndefined();
    expect(result.applied).toBeUndefined();
    expect(result.invocations).toBe(3);
    expect(result.paretoFrontier).toEqual([]);
    expect(result.configurations.every((c) => c.invocations === 1)).toBe(true);
    await expectClean(lambda, functionName);
  });

  test('adaptive sampling with weighted payloads samples until the sampler is done', async () => {
    const functionName = addFunction();
    const result = await powerTune(
      { lambda },
      {
        functionName,
        memorySizes: [128, 1024],
        payloads: [
          { payload: { variant: 'a' }, weight: 1 },
          { payload: { variant: 'b' }, weight: 3 },
        ],
        adaptive: { minSamples: 3, maxSamples: 6, batchSize: 3 },
        strategy: 'speed',
      },
      fast,
    );
    expect(result.recommendation?.memorySizeMB).toBe(1024);
    for (const c of result.configurations) {
      expect(c.warmInvocations).toBeGreaterThanOrEqual(3);
      expect(c.warmInvocations).toBeLessThanOrEqual(6 + 3);
      expect(c.objectiveDurationsMs).toHaveLength(c.warmInvocations);
    }
    // The recommendation is the sampler's own leader on the same invocations.
    const sampled = result.configurations.map((c) => ({
      memorySizeMB: c.memorySizeMB,
      durationsMs: c.objectiveDurationsMs,
      costsUSD: c.objectiveDurationsMs.map(() => c.objectiveCostUSD),
    }));
    expect(leaderOf(sampled, { strategy: 'speed' })).toBe(result.recommendation?.memorySizeMB);
    await expectClean(lambda, functionName);
  });

  test('an abort mid-run rejects with LambdaMeterAbortError after cleaning up', async () => {
    const functionName = addFunction();
    const controller = new AbortController();
    const caught = await powerTune(
      { lambda },
      {
        functionName,
        memorySizes: [128, 512, 1024],
        count: 3,
      },
      {
        signal: controller.signal,
        ...fast,
        onProgress: (p) => {
          if (p.phase === 'invoking' && p.memorySizeMB === 512) controller.abort(new Error('enough'));
        },
      },
    ).catch((e: unknown) => e);
    expect(isLambdaMeterError(caught, 'LambdaMeterAbortError'), String(caught)).toBe(true);
    await expectClean(lambda, functionName);
  });

  test('a cleanup that fails after a successful run is a CleanupError listing what is left', async () => {
    const functionName = addFunction();
    local.setFaults({
      rules: [{ service: 'lambda', operations: ['DeleteAlias', 'DeleteFunction'], functionName, fault: 'serverError', probability: 1 }],
    });
    let caught: unknown;
    try {
      caught = await powerTune({ lambda }, { functionName, memorySizes: [128, 512], count: 2 }, { ...fast, cleanupRetry: { maxAttempts: 1 } }).catch(
        (e: unknown) => e,
      );
    } finally {
      local.setFaults({});
    }
    expect(CleanupError.is(caught), String(caught)).toBe(true);
    const err = caught as CleanupError;
    expect(err.leftovers.filter((l) => l.startsWith('alias lambda-meter-tune-'))).toHaveLength(2);
    expect(err.leftovers.filter((l) => /^version \d+ of /.test(l))).toHaveLength(2);
    expect(err.leftovers.every((l) => l.endsWith(functionName))).toBe(true);
    expect(isLambdaMeterError(err.cleanupError, 'ServiceCallError') || isLambdaMeterError(err.cleanupError, 'RetryExhaustedError')).toBe(true);
    expect(err.cause).toBe(err.cleanupError);
  });

  test('when the run fails and its cleanup fails too, CleanupError keeps the run error as its cause', async () => {
    const functionName = addFunction();
    local.setFaults({
      rules: [{ service: 'lambda', operations: ['DeleteAlias', 'DeleteFunction'], functionName, fault: 'serverError', probability: 1 }],
    });
    let caught: unknown;
    try {
      caught = await powerTune(
        { lambda },
        { functionName, memorySizes: [128, 512], count: 2, payload: { fail: true } },
        { ...fast, cleanupRetry: { maxAttempts: 1 } },
      ).catch((e: unknown) => e);
    } finally {
      local.setFaults({});
    }
    expect(CleanupError.is(caught), String(caught)).toBe(true);
    const err = caught as CleanupError;
    expect(TuneFunctionError.is(err.cause)).toBe(true);
    expect(err.leftovers.length).toBeGreaterThanOrEqual(2);
    expect(err.message).toMatch(/left behind: alias lambda-meter-tune-/);
  });

  test('cleanup holds in 50 of 50 runs with injected throttles, 500s, 409s and an abort at a random point', async () => {
    const operations = [
      'GetFunctionConfiguration',
      'UpdateFunctionConfiguration',
      'PublishVersion',
      'CreateAlias',
      'Invoke',
      'DeleteAlias',
      'DeleteFunction',
      'ListVersionsByFunction',
      'ListAliases',
    ];
    const faults: FaultRule['fault'][] = ['throttle', 'serverError', 'conflict'];
    let clean = 0;
    const outcomes: Record<string, number> = {};
    for (let seed = 1; seed <= 50; seed++) {
      const functionName = addFunction();
      // A small deterministic generator per run, so a failure can be replayed from its seed.
      let state = seed * 2654435761;
      const random = (): number => {
        state = (state * 1103515245 + 12345) % 2 ** 31;
        return state / 2 ** 31;
      };
      local.setFaults({
        seed,
        rules: operations.map((operation, i) => ({
          service: 'lambda' as const,
          operations: [operation],
          functionName,
          // Invoke never answers 409 in practice; a run that gets one fails, and must still clean up.
          fault: faults[(seed + i) % faults.length] as (typeof faults)[number],
          probability: 0.25,
        })),
      });
      const controller = new AbortController();
      const abortAfterEvents = 1 + Math.floor(random() * 14);
      let events = 0;
      const timer = random() < 0.5 ? setTimeout(() => controller.abort(new Error('timer')), Math.floor(random() * 400)) : undefined;
      let outcome: string;
      try {
        await powerTune(
          { lambda },
          {
            functionName,
            memorySizes: [128, 256, 512],
            count: 2,
            payload: { ms: 1 },
          },
          {
            signal: controller.signal,
            ...fast,
            onProgress: () => {
              if (++events === abortAfterEvents) controller.abort(new Error('progress'));
            },
          },
        );
        outcome = 'completed';
      } catch (err) {
        outcome = (err as Error).name;
      } finally {
        clearTimeout(timer);
      }
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      local.setFaults({});
      expect(outcome, `run ${seed}`).not.toBe('CleanupError');
      await expectClean(lambda, functionName);
      clean++;
    }
    expect(clean).toBe(50);
    console.info(`cleanup: 50 of 50 runs clean; outcomes ${JSON.stringify(outcomes)}; ${local.injectedFaults().length} faults injected`);
    // Most runs are aborted, some complete or fail on an injected fault; every one left the function as it was.
    expect(outcomes.LambdaMeterAbortError ?? 0).toBeGreaterThan(10);
    expect(local.injectedFaults().length).toBeGreaterThan(50);
  }, 120_000);
});

describe('powerTune when environments never stay warm', () => {
  test('adaptive sampling gives up on sizes with no warm invocation instead of sampling forever', async () => {
    // idleTimeoutMs 0: an environment is stopped as soon as it is idle, before the client has even read the answer,
    // so no invocation can reach a warm one. (The one-shot handler also ends its own process, but 10 ms later:
    // on a loaded machine the next invocation could arrive first, which once made CI see a warm invocation.)
    const local = await startLocalLambda({ cpu: 'unlimited', timeScale: 50, idleTimeoutMs: 0 });
    const lambda = new LambdaClient(local.clientConfig());
    try {
      // Every invocation is a cold start.
      local.addFunction({ name: 'never-warm', handler: `${F}one-shot.mjs#handler`, memorySizeMB: ORIGINAL_MEMORY, description: ORIGINAL_DESCRIPTION });
      const slowly = async (): Promise<void> => {
        // Give each process time to end before the next invocation.
        await new Promise((resolve) => setTimeout(resolve, 40));
      };
      const outcome = await powerTune(
        { lambda: { send: async (command: unknown, options?: unknown) => { await slowly(); return lambda.send(command as never, options as never); } } },
        { functionName: 'never-warm', memorySizes: [128, 1024] },
        fast,
      ).catch((e: unknown) => e);
      if (!isLambdaMeterError(outcome, 'TuneFunctionError')) {
        // Every invocation was cold; whatever the sampler decided from them, it decided in a bounded number of rounds.
        const result = outcome as { configurations: { warmInvocations: number; invocations: number; failed: boolean }[]; warnings: string[] };
        expect(result.configurations.map((c) => c.warmInvocations)).toEqual([0, 0]);
        for (const c of result.configurations) expect(c.failed || c.invocations <= 5 + 3 * 5 + 1).toBe(true);
      }
      const invocations = local.logs.visibleEvents({ logGroupNames: ['/aws/lambda/never-warm'] }).filter((e) => e.message.startsWith('REPORT')).length;
      expect(invocations).toBeGreaterThanOrEqual(10);
      expect(invocations).toBeLessThan(60); // at most minSamples + 3 cold-only rounds per size, not forever
      await expectClean(lambda, 'never-warm');
    } finally {
      lambda.destroy();
      await local.stop();
    }
  });
});

describe('powerTune with CPU in proportion to memory', () => {
  let local: LocalLambda;
  let lambda: LambdaClient;

  beforeAll(async () => {
    // The declared duration model: CPU work declared by the handler is stretched by 1,769 MB / memory, as Lambda's CPU
    // share stretches it, whatever this machine is doing (bench/local-cpu.mjs measures the real CPU limit).
    local = await startLocalLambda({
      durationModel: 'declared',
      timeScale: 50,
      functions: [
        { name: 'cpu', handler: `${F}work.mjs#handler`, memorySizeMB: 256, description: ORIGINAL_DESCRIPTION, timeoutSeconds: 30 },
        { name: 'io', handler: `${F}work.mjs#handler`, memorySizeMB: 256, description: ORIGINAL_DESCRIPTION, timeoutSeconds: 30 },
      ],
    });
    lambda = new LambdaClient(local.clientConfig());
  });

  afterAll(async () => {
    lambda.destroy();
    await local.stop();
  });

  test('a CPU-bound function is best balanced with more memory, an I/O-bound one with less', async () => {
    const tune = (functionName: string, payload: unknown) =>
      powerTune({ lambda }, { functionName, memorySizes: [256, 1769], count: 3, strategy: 'balanced', payload }, fast);
    // 100 ms of CPU: 691.02 ms at 256 MB, 100 ms at 1,769 MB, at about the same cost. 70 ms of waiting and 1 ms of
    // CPU: 76.91 ms at 256 MB, 71 ms at 1,769 MB, at 6.4 times the cost.
    const cpu = await tune('cpu', { cpuMs: 100 });
    const io = await tune('io', { waitMs: 70, cpuMs: 1 });
    expect(cpu.recommendation?.memorySizeMB).toBe(1769);
    expect(io.recommendation?.memorySizeMB).toBe(256);
    const [cpuSmall, cpuLarge] = cpu.configurations as [TuneConfiguration, TuneConfiguration];
    expect(cpuSmall.objectiveDurationMs).toBeCloseTo((100 * 1769) / 256, 2);
    expect(cpuLarge.objectiveDurationMs).toBeCloseTo(100, 2);
    const [ioSmall, ioLarge] = io.configurations as [TuneConfiguration, TuneConfiguration];
    expect(ioSmall.objectiveDurationMs).toBeCloseTo(70 + 1769 / 256, 2);
    expect(ioLarge.objectiveDurationMs).toBeCloseTo(71, 2);
    await expectClean(lambda, 'cpu');
    await expectClean(lambda, 'io');
  }, 60_000);
});
