/**
 * The pre-flight estimate of a comparison (`estimateCompare`, `compare --estimate`) and the cold-start rate read from
 * REPORT lines (`coldStartRateFromReports`, `measureColdStartRate` through lambda-meter local's Logs Insights).
 * Nothing here depends on the machine: the estimate is arithmetic, and the cold-start count of sequential
 * invocations of one function is exactly one.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cli } from './helpers/cli.js';
import { coldStartRateFromReports, estimateCompare, formatCompareEstimate, measureColdStartRate } from '../src/compare/index.js';
import type { CompareEstimateOptions, CompareInput } from '../src/compare/index.js';
import { DEFAULT_PRICES, invocationCost } from '../src/cost/index.js';
import { InvalidInputError } from '../src/errors.js';
import { invokeWithTail } from '../src/invoke/index.js';
import { startLocalLambda } from '../src/local/index.js';
import type { LocalLambda } from '../src/local/index.js';
import type { ReportRecord } from '../src/report/index.js';

const usd = (memorySizeMB: number, durationMs: number, architecture: 'x86_64' | 'arm64' = 'x86_64'): number =>
  invocationCost({ memorySizeMB, durationMs, architecture }, { prices: DEFAULT_PRICES }).totalUSD;

const INPUT: CompareInput = {
  a: { functionName: 'api', qualifier: '41', memorySizeMB: 512 },
  b: { functionName: 'api', qualifier: '42', memorySizeMB: 1024, architecture: 'arm64' },
};

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidInputError);
    return (err as InvalidInputError).field;
  }
  throw new Error('expected an InvalidInputError');
}

describe('estimateCompare', () => {
  test('at the invocation cap: cold starts and warm invocations priced per side', () => {
    const e = estimateCompare({ ...INPUT, coldStarts: 3 }, { budget: { maxInvocations: 601 }, durationMsA: 200, durationMsB: 100, initDurationMs: 300 });
    expect(e.maxWarmInvocations).toBe(600); // whole pairs of A and B
    expect(e.coldInvocations).toBe(6);
    expect(e.boundBy).toBe('max-invocations');
    expect(e.a).toEqual({ memorySizeMB: 512, architecture: 'x86_64', durationMs: 200, warmUSD: usd(512, 200) });
    expect(e.b).toEqual({ memorySizeMB: 1024, architecture: 'arm64', durationMs: 100, warmUSD: usd(1024, 100, 'arm64') });
    const cold = 3 * (usd(512, 500) + usd(1024, 400, 'arm64'));
    expect(e.maxUSD).toBeCloseTo(cold + 300 * usd(512, 200) + 300 * usd(1024, 100, 'arm64'), 15);
    // 3 × (200 + 100 + 2 × 300 + 100) ms cold + 300 × (200 + 100 + 100) ms warm.
    expect(e.maxInvokeSeconds).toBeCloseTo(3 + 120, 9);
    expect(e.expected).toBeUndefined();
  });

  test('defaults: 2,000 invocations, 100 ms, 128 MB x86_64 for a side that sets nothing', () => {
    const e = estimateCompare({ a: { functionName: 'f', qualifier: '1' }, b: { functionName: 'f', qualifier: '2' } });
    expect(e.maxWarmInvocations).toBe(2000);
    expect(e.a).toEqual({ memorySizeMB: 128, architecture: 'x86_64', durationMs: 100, warmUSD: usd(128, 100) });
    expect(e.maxUSD).toBeCloseTo(2000 * usd(128, 100), 15);
    const other = estimateCompare({ a: { functionName: 'f' }, b: { functionName: 'f', memorySizeMB: 256 } }, { memorySizeMB: 1769, architecture: 'arm64' });
    expect(other.a.memorySizeMB).toBe(1769);
    expect(other.a.architecture).toBe('arm64');
    expect(other.b.memorySizeMB).toBe(256);
  });

  test('a cost cap bounds the warm invocations in whole blocks after the cold starts', () => {
    const pair = usd(512, 100) + usd(1024, 100, 'arm64');
    const cold = 2 * pair;
    // Room for 7.5 blocks of 5 pairs after the cold starts: 7 blocks, 70 invocations.
    const e = estimateCompare({ ...INPUT, coldStarts: 2 }, { budget: { maxCostUSD: cold + 7.5 * 5 * pair } });
    expect(e.boundBy).toBe('max-cost');
    expect(e.maxWarmInvocations).toBe(70);
    expect(e.maxUSD).toBeCloseTo(cold + 35 * pair, 15);
    // A cap the cold starts already spend leaves no warm invocation.
    expect(estimateCompare({ ...INPUT, coldStarts: 2 }, { budget: { maxCostUSD: cold / 2 } }).maxWarmInvocations).toBe(0);
  });

  test('a duration cap bounds them too: a block starts while time is left', () => {
    // A block: 5 × (100 + 100 + 2 × 50) ms = 1.5 s; 10 s → 7 blocks start, 70 invocations.
    const e = estimateCompare(INPUT, { budget: { maxDurationMs: 10_000 } });
    expect(e.boundBy).toBe('max-duration');
    expect(e.maxWarmInvocations).toBe(70);
  });

  test('expected invocations only for the scenarios bench/compare.mjs measured, capped by the budget', () => {
    const faster = estimateCompare(INPUT, { scenario: { trueRatio: 0.9, cv: 0.2 } });
    expect(faster.expected?.medianInvocations).toBe(130);
    expect(faster.expected?.p90Invocations).toBe(270);
    expect(faster.expected?.medianUSD).toBeCloseTo((130 / 2) * (usd(512, 100) + usd(1024, 100, 'arm64')), 15);
    expect(faster.expected?.source).toMatch(/bench\/compare\.mjs/);
    const capped = estimateCompare(INPUT, { budget: { maxInvocations: 200 }, scenario: { trueRatio: 0.9, cv: 0.2 } });
    expect(capped.expected?.medianInvocations).toBe(130);
    expect(capped.expected?.p90Invocations).toBe(200);
    expect(estimateCompare(INPUT, { scenario: { trueRatio: 1, cv: 0.1 } }).expected?.medianInvocations).toBe(240);
    expect(estimateCompare(INPUT, { scenario: { trueRatio: 1, cv: 0.2 } }).expected?.medianInvocations).toBe(920);
    // CV 0.3 with no difference: more than half the bench runs reached 2,000, so only caps up to 2,000 have an answer.
    expect(estimateCompare(INPUT, { scenario: { trueRatio: 1, cv: 0.3 } }).expected?.medianInvocations).toBe(2000);
    expect(estimateCompare(INPUT, { budget: { maxInvocations: 4000 }, scenario: { trueRatio: 1, cv: 0.3 } }).expected).toBeUndefined();
    // Not measured: no extrapolation.
    expect(estimateCompare(INPUT, { scenario: { trueRatio: 0.8, cv: 0.2 } }).expected).toBeUndefined();
    expect(estimateCompare({ ...INPUT, margin: 0.1 }, { scenario: { trueRatio: 0.9, cv: 0.2 } }).expected).toBeUndefined();
    expect(estimateCompare(INPUT, { blockSize: 10, scenario: { trueRatio: 0.9, cv: 0.2 } }).expected).toBeUndefined();
  });

  test('bad input names the field', () => {
    const opts = (o: Record<string, unknown>): CompareEstimateOptions => o as CompareEstimateOptions;
    expect(fieldOf(() => estimateCompare({ ...INPUT, a: { functionName: '' } }))).toBe('input.a.functionName');
    expect(fieldOf(() => estimateCompare({ ...INPUT, coldStartRate: 2 }))).toBe('input.coldStartRate');
    expect(fieldOf(() => estimateCompare(INPUT, { budget: { maxInvocations: 1 } }))).toBe('options.budget.maxInvocations');
    expect(fieldOf(() => estimateCompare(INPUT, { durationMsA: -1 }))).toBe('options.durationMsA');
    expect(fieldOf(() => estimateCompare(INPUT, opts({ durationMsB: '100' })))).toBe('options.durationMsB');
    expect(fieldOf(() => estimateCompare(INPUT, { initDurationMs: Number.NaN }))).toBe('options.initDurationMs');
    expect(fieldOf(() => estimateCompare(INPUT, { memorySizeMB: 64 }))).toBe('options.memorySizeMB');
    expect(fieldOf(() => estimateCompare(INPUT, opts({ architecture: 'arm' })))).toBe('options.architecture');
    expect(fieldOf(() => estimateCompare(INPUT, { region: 'mars-1' }))).toBe('options.region');
    expect(fieldOf(() => estimateCompare(INPUT, { scenario: { trueRatio: 0.9, cv: 0 } }))).toBe('options.scenario.cv');
    expect(fieldOf(() => estimateCompare(INPUT, opts({ scenario: 1 })))).toBe('options.scenario');
  });

  test('formatCompareEstimate: one line per side, the cap, and the expectation', () => {
    const text = formatCompareEstimate(estimateCompare(INPUT, { budget: { maxInvocations: 600 }, scenario: { trueRatio: 0.9, cv: 0.2 } }));
    expect(text).toMatch(/^A: 512 MB x86_64, 100 ms per warm invocation/m);
    expect(text).toMatch(/^B: 1024 MB arm64/m);
    expect(text).toContain('at most 600 warm invocations (bound by max-invocations) + 0 cold');
    expect(text).toContain('expected: 130 warm invocations (p90 270)');
  });
});

describe('compare --estimate', () => {

  test('prints the estimate and exits 0 without calling AWS', async () => {
    // --estimate returns before any client is created: nothing is invoked.
    const args = ['compare', 'api:41', 'api:42', '--estimate', '--memory-a', '512', '--memory-b', '1024', '--max-invocations', '600', '--cold-starts', '2'];
    const text = await cli(args);
    expect(text.code).toBe(0);
    expect(text.out).toContain('at most 600 warm invocations (bound by max-invocations) + 4 cold');
    const json = await cli([...args, '--json']);
    expect(json.code).toBe(0);
    const expected = estimateCompare({ ...INPUT, b: { functionName: 'api', qualifier: '42', memorySizeMB: 1024 }, coldStarts: 2 }, { budget: { maxInvocations: 600 } });
    expect(JSON.parse(json.out)).toEqual(JSON.parse(JSON.stringify(expected)));
  });

  test('a bad flag is still refused', async () => {
    const r = await cli(['compare', 'api:41', 'api:42', '--estimate', '--max-invocations', '1']);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/max-invocations/);
  });
});

function record(requestId: string, extra: Partial<ReportRecord> = {}): ReportRecord {
  return {
    requestId,
    durationMs: 10,
    billedDurationMs: 10,
    memorySizeMB: 128,
    maxMemoryUsedMB: 60,
    status: 'success',
    coldStart: extra.initDurationMs !== undefined || extra.restoreDurationMs !== undefined,
    format: 'text',
    ...extra,
  };
}

describe('coldStartRateFromReports', () => {
  test('the share of REPORTs with an Init Duration or a Restore Duration', () => {
    const reports = [
      record('1', { initDurationMs: 150 }),
      record('2'),
      record('3'),
      record('4', { restoreDurationMs: 400, billedRestoreDurationMs: 180 }),
      record('5'),
      record('6'),
      record('7'),
      record('8'),
    ];
    expect(coldStartRateFromReports(reports)).toBe(0.25);
    expect(coldStartRateFromReports(reports.slice(1, 3))).toBe(0);
    expect(coldStartRateFromReports([])).toBeUndefined();
  });

  test('something that is not an array of records names the field', () => {
    expect(fieldOf(() => coldStartRateFromReports('x' as unknown as ReportRecord[]))).toBe('reports');
    expect(fieldOf(() => coldStartRateFromReports([record('1'), null as unknown as ReportRecord]))).toBe('reports[1]');
  });
});

describe('measureColdStartRate through lambda-meter local', () => {
  let scratch: string;
  let local: LocalLambda;
  let lambda: LambdaClient;
  let logs: CloudWatchLogsClient;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'lm-cold-rate-'));
    writeFileSync(join(scratch, 'fn.mjs'), 'export const handler = async () => ({ ok: true });\n');
    local = await startLocalLambda({
      functions: [{ name: 'rated', handler: `${join(scratch, 'fn.mjs')}#handler`, memorySizeMB: 256 }],
      timeScale: 10, // Logs Insights queries complete in 30 ms instead of 300
    });
    lambda = new LambdaClient(local.clientConfig());
    logs = new CloudWatchLogsClient(local.clientConfig());
  });

  afterAll(async () => {
    await local?.stop();
    lambda?.destroy();
    logs?.destroy();
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  });

  test('one function invoked 5 times in turn: the first cold, then warm, so the rate is 1/5', async () => {
    const startTime = Date.now() - 1000;
    const n = 5;
    for (let i = 0; i < n; i++) {
      const inv = await invokeWithTail(lambda, { functionName: 'rated' });
      expect(inv.report?.coldStart).toBe(i === 0);
    }
    const measured = await measureColdStartRate(logs, { functionName: 'rated', startTime, endTime: Date.now() + 1000 }, { pollMinDelayMs: 20 });
    expect(measured).toEqual({ rate: 1 / n, reports: n, cold: 1 });
    // An empty window: no REPORT, no rate.
    const empty = await measureColdStartRate(logs, { functionName: 'rated', startTime: startTime - 3_600_000, endTime: startTime - 1_800_000 }, { pollMinDelayMs: 20 });
    expect(empty).toEqual({ rate: undefined, reports: 0, cold: 0 });

    // The CLI measures the same rate before it compares (--cold-start-rate-since) and blends it into the result.
    const endpoint = ['--endpoint', local.endpoint, '--region', 'us-east-1'];
    const run = await cli(['compare', 'rated', 'rated', ...endpoint, '--cold-start-rate-since', '1h', '--max-invocations', '40', '--json']);
    expect(run.err).toContain('cold-start rate: 20.00% (1 cold of 5 REPORTs in /aws/lambda/rated over the last 1h)');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.out) as { a: { expected: { coldStartRate: number } }; b: { expected: { coldStartRate: number } } };
    expect(result.a.expected.coldStartRate).toBeCloseTo(0.2, 12);
    expect(result.b.expected.coldStartRate).toBeCloseTo(0.2, 12);
    // A window with no REPORT fails before anything is invoked; so does a log group that does not exist.
    const none = await cli(['compare', 'rated', 'rated', ...endpoint, '--cold-start-rate-since', '1ms']);
    expect(none.code).toBe(1);
    expect(none.err).toContain('lambda-meter compare: --cold-start-rate-since: no REPORT in /aws/lambda/rated over the last 1ms; give --cold-start-rate instead');
    const missing = await cli(['compare', 'rated', 'rated', ...endpoint, '--cold-start-rate-since', '1h', '--cold-start-rate-log-group', '/aws/lambda/other']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("Log group '/aws/lambda/other' does not exist");
    // Both ways at once, or a log group without the window, are errors of the flag.
    expect((await cli(['compare', 'rated', 'rated', ...endpoint, '--cold-start-rate-since', '1h', '--cold-start-rate', '2%'])).err).toContain('--cold-start-rate-since: give --cold-start-rate or --cold-start-rate-since, not both');
    expect((await cli(['compare', 'rated', 'rated', ...endpoint, '--cold-start-rate-log-group', 'g'])).err).toContain('--cold-start-rate-log-group: only applies with --cold-start-rate-since');
    expect((await cli(['compare', 'rated', 'rated', ...endpoint, '--cold-start-rate-since', 'a week'])).err).toContain('--cold-start-rate-since: must be a length of time');
  });
});
