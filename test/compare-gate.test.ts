/**
 * Baselines, the regression gate, the `compare` and `gate` CLI commands and the compare reports. Every sample comes
 * from a seeded generator or from lambda-meter local's declared duration model: nothing here depends on the machine.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { cli } from './helpers/cli.js';
import { compareArguments, parseTargetSpec, shareFlag } from '../src/cli/commands/compare.js';
import { COMPARE_BASELINE_SCHEMA, gate, loadBaseline, saveBaseline } from '../src/compare/index.js';
import type { CompareBaseline, CompareMetric, CompareResult, CompareSample, CompareSide } from '../src/compare/index.js';
import { compareMetric } from '../src/compare/sequential.js';
import { InvalidInputError } from '../src/errors.js';
import { compareReportDocument, gateReportDocument, gateReportMarkdown, renderHtmlReport, renderMarkdownReport, renderTextReport } from '../src/reports/index.js';
import { summarize } from '../src/stats/summarize.js';
import { mulberry32 } from '../src/internal/random.js';

/** A seeded generator (compare's own mulberry32), so every sample below is the same on every run. */
const rng = mulberry32;

/** Log-normal durations around `medianMs` with coefficient of variation about `cv`. */
function durations(seed: number, n: number, medianMs: number, cv = 0.15): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => {
    const z = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
    return medianMs * Math.exp(cv * z);
  });
}

const PRICE_PER_MS = 0.0000000167 * 1.769; // x86_64 GB-second price per ms at 1,769 MB (a fixture figure, not a quote)

function sample(index: number, side: 'a' | 'b', durationMs: number, cold = false): CompareSample {
  const billed = Math.ceil(durationMs);
  return {
    index,
    side,
    cold,
    durationMs,
    billedDurationMs: billed,
    clientLatencyMs: durationMs + 20,
    initDurationMs: cold ? 150 : undefined,
    maxMemoryUsedMB: 80,
    costUSD: 0.0000002 + billed * PRICE_PER_MS,
    failed: false,
  };
}

function side(label: string, functionName: string, samples: readonly CompareSample[], qualifier?: string): CompareSide {
  const warm: Partial<Record<CompareMetric, ReturnType<typeof summarize>>> = {};
  for (const metric of ['durationMs', 'billedDurationMs', 'clientLatencyMs', 'maxMemoryUsedMB', 'costUSD'] as const) {
    warm[metric] = summarize(samples.filter((s) => !s.cold).map((s) => s[metric]));
  }
  const cold = samples.some((s) => s.cold) ? { initDurationMs: summarize(samples.filter((s) => s.cold).map((s) => s.initDurationMs as number)) } : {};
  return {
    label,
    target: { functionName, ...(qualifier === undefined ? {} : { qualifier }), payload: { n: 1 } },
    memorySizeMB: 1769,
    architecture: 'arm64',
    warm,
    cold,
    failed: 0,
    expected: { coldStartRate: 0, p50Ms: warm.durationMs?.p50, p99Ms: warm.durationMs?.p99, costPerRequestUSD: warm.costUSD?.mean, costPerMillionUSD: (warm.costUSD?.mean ?? 0) * 1e6 },
  };
}

/** A CompareResult of `functionName` from two lists of warm durations (plus one forced cold start on each side). */
function resultOf(aMs: readonly number[], bMs: readonly number[], functionName = 'api'): CompareResult {
  const samples: CompareSample[] = [sample(0, 'a', 300, true), sample(1, 'b', 300, true)];
  for (let i = 0; i < Math.max(aMs.length, bMs.length); i++) {
    if (i < aMs.length) samples.push(sample(samples.length, 'a', aMs[i] as number));
    if (i < bMs.length) samples.push(sample(samples.length, 'b', bMs[i] as number));
  }
  const metrics = (['durationMs', 'billedDurationMs', 'clientLatencyMs', 'maxMemoryUsedMB', 'costUSD'] as const).flatMap((metric) => {
    const values = (s: 'a' | 'b') => samples.filter((x) => x.side === s && !x.cold).map((x) => x[metric]);
    const m = compareMetric(metric, values('a'), values('b'), { confidence: 0.95, margin: 0.05 });
    return m === undefined ? [] : [m];
  });
  const duration = metrics.find((m) => m.metric === 'durationMs');
  return {
    a: side('v41', functionName, samples.filter((s) => s.side === 'a'), '41'),
    b: side('v42', functionName, samples.filter((s) => s.side === 'b'), '42'),
    metric: 'durationMs',
    verdict: duration?.verdict ?? 'undecided',
    metrics,
    confidence: 0.95,
    margin: 0.05,
    stoppedBecause: 'decided',
    invocations: aMs.length + bMs.length,
    costUSD: samples.reduce((s, x) => s + x.costUSD, 0),
    method: 'fixture',
    samples,
    startedAt: Date.UTC(2026, 11, 1, 10),
    endedAt: Date.UTC(2026, 11, 1, 10, 5),
  };
}

const CREATED = Date.UTC(2026, 11, 1, 12);
/** A baseline of version 42 of `api`: 200 warm invocations around 100 ms. */
const baseline = (): CompareBaseline => saveBaseline(resultOf(durations(1, 200, 95), durations(2, 200, 100)), { createdAt: CREATED });
/** A current run whose side B has 200 warm invocations around `medianMs`. */
const current = (medianMs: number, seed = 3): CompareResult => resultOf(durations(seed + 100, 200, 100), durations(seed, 200, medianMs));

function invalidField(f: () => unknown): string | undefined {
  try {
    f();
  } catch (error) {
    if (error instanceof InvalidInputError) return error.field;
    throw error;
  }
  return undefined;
}

describe('saveBaseline / loadBaseline', () => {
  test('keeps side B by default: its configuration, summaries and warm samples, and survives JSON', () => {
    const result = resultOf(durations(1, 50, 95), durations(2, 60, 100));
    const doc = saveBaseline(result, { createdAt: CREATED });
    expect(doc.schema).toBe(COMPARE_BASELINE_SCHEMA);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.createdAt).toBe(CREATED);
    expect(doc.side).toBe('b');
    expect(doc.target).toEqual({ functionName: 'api', qualifier: '42', memorySizeMB: 1769, architecture: 'arm64', payload: { n: 1 }, label: 'v42' });
    const duration = doc.metrics.find((m) => m.metric === 'durationMs');
    expect(duration?.samples).toEqual(durations(2, 60, 100));
    expect(duration?.summary.count).toBe(60);
    // Warm metrics only: Init Duration exists on cold starts alone, kept in `cold`.
    expect(doc.metrics.map((m) => m.metric)).toEqual(['durationMs', 'billedDurationMs', 'clientLatencyMs', 'maxMemoryUsedMB', 'costUSD']);
    expect(doc.cold?.initDurationMs?.p50).toBe(150);
    const back = loadBaseline(JSON.stringify(doc));
    expect(back).toEqual(JSON.parse(JSON.stringify(doc)));
    expect(loadBaseline(JSON.parse(JSON.stringify(doc)))).toEqual(back);
    expect(saveBaseline(result, { side: 'a', createdAt: CREATED }).target.qualifier).toBe('41');
  });

  test('another schema, another version, missing fields and bad samples are InvalidInputErrors naming the field', () => {
    const doc = JSON.parse(JSON.stringify(baseline())) as Record<string, unknown>;
    expect(invalidField(() => loadBaseline('{not json'))).toBe('baseline');
    expect(invalidField(() => loadBaseline({ ...doc, schema: 'lambda-meter/tune-result' }))).toBe('baseline.schema');
    expect(() => loadBaseline({ ...doc, schemaVersion: 2 })).toThrow(/baseline\.schemaVersion: is 2; this lambda-meter reads version 1/);
    const { metrics: _metrics, ...noMetrics } = doc;
    expect(invalidField(() => loadBaseline(noMetrics))).toBe('baseline.metrics');
    const { target, ...noTarget } = doc;
    expect(invalidField(() => loadBaseline(noTarget))).toBe('baseline.target');
    expect(invalidField(() => loadBaseline({ ...doc, target: { ...(target as object), functionName: undefined } }))).toBe('baseline.target.functionName');
    const metrics = doc.metrics as Record<string, unknown>[];
    const badSample = [{ ...metrics[0], samples: [1, 2, 'x'] }, ...metrics.slice(1)];
    expect(invalidField(() => loadBaseline({ ...doc, metrics: badSample }))).toBe('baseline.metrics[0].samples[2]');
  });
});

describe('gate', () => {
  test('passes on equal distributions (seeded), with the figures in each reason', () => {
    const result = gate(current(100), baseline(), { maxRegression: 0.05 });
    expect(result.pass).toBe(true);
    expect(result.metrics.map((m) => m.metric)).toEqual(['durationMs', 'billedDurationMs', 'costUSD']);
    const d = result.metrics[0];
    expect(d?.regression).toBe(false);
    expect(d?.interval?.[0]).toBeLessThan(1.05);
    expect(d?.ratio).toBeGreaterThan(0.95);
    expect(d?.ratio).toBeLessThan(1.05);
    expect(d?.reason).toMatch(/^passed: current\/baseline \d\.\d{3}, 95% interval \[/);
  });

  test('fails on a 20% regression, naming the metrics that regressed', () => {
    const result = gate(current(120), baseline(), { maxRegression: 0.05, metrics: ['durationMs', 'maxMemoryUsedMB'] });
    expect(result.pass).toBe(false);
    const d = result.metrics.find((m) => m.metric === 'durationMs');
    expect(d?.regression).toBe(true);
    expect(d?.ratio).toBeGreaterThan(1.15);
    expect(d?.interval?.[0]).toBeGreaterThan(1.05);
    expect(d?.reason).toMatch(/^regressed: .* lower bound is above 1 \+ 5%/);
    // Memory did not change: it does not regress.
    expect(result.metrics.find((m) => m.metric === 'maxMemoryUsedMB')?.regression).toBe(false);
  });

  test('passes on a 2% slowdown with maxRegression 5%, and a baseline document works as the current run', () => {
    const slower = current(102);
    expect(gate(slower, baseline(), { maxRegression: 0.05, metrics: ['durationMs'] }).pass).toBe(true);
    const asDocument = saveBaseline(slower, { createdAt: CREATED + 1 });
    expect(gate(asDocument, baseline(), { maxRegression: 0.05 }).pass).toBe(true);
    expect(gate(saveBaseline(current(120), { createdAt: CREATED + 1 }), baseline(), { maxRegression: 0.05 }).pass).toBe(false);
  });

  test('too few values are reported and not judged; a baseline of another function is an error', () => {
    const few = resultOf(durations(5, 5, 100), durations(6, 5, 200));
    const result = gate(few, baseline(), { metrics: ['durationMs'] });
    expect(result.pass).toBe(true);
    expect(result.metrics[0]?.interval).toBeUndefined();
    expect(result.metrics[0]?.reason).toMatch(/^not judged: too few values/);
    const other = resultOf(durations(1, 50, 100), durations(2, 50, 100), 'checkout');
    expect(() => gate(other, baseline())).toThrow(/Invalid baseline: is a baseline of function api, but the current run is of checkout/);
    // The function's ARN is the same function.
    const arn = resultOf(durations(1, 50, 100), durations(2, 50, 100), 'arn:aws:lambda:us-east-1:123456789012:function:api:live');
    expect(gate(arn, baseline()).functionName).toBe('api');
    expect(invalidField(() => gate(current(100), baseline(), { maxRegression: -1 }))).toBe('options.maxRegression');
    expect(invalidField(() => gate(current(100), baseline(), { metrics: ['speed' as CompareMetric] }))).toBe('options.metrics[0]');
  });
});

describe('reports', () => {
  test('the compare document renders to Markdown, HTML and text with both distributions and the ratio interval', () => {
    const result = resultOf(durations(1, 100, 100), durations(2, 100, 80));
    const doc = compareReportDocument(result, { generatedAt: CREATED });
    const md = renderMarkdownReport(doc);
    expect(md).toContain('# Comparison: v41 vs v42');
    expect(md).toContain('v42 is faster than v41 on Duration: B/A 0.');
    expect(md).toMatch(/\| metric \| A median \| B median \| B\/A medians \| change \| B\/A trimmed means \| interval of B\/A \| verdict \|/);
    expect(md).toContain('B lower');
    const html = renderHtmlReport(doc);
    expect(html).toContain('data-chart="cdf"');
    expect(html).toContain('data-chart="grouped-bar"');
    expect(html).toContain('A: v41');
    expect(html).toContain('B: v42');
    expect(renderTextReport(doc)).toContain('Comparison: v41 vs v42');
  });

  test('the gate summary in Markdown says pass or FAIL and why', () => {
    const failed = gateReportMarkdown(gate(current(120), baseline()), { generatedAt: CREATED });
    expect(failed).toContain('# Regression gate: FAIL (api)');
    expect(failed).toContain('REGRESSION');
    const passed = gateReportDocument(gate(current(100), baseline()), { generatedAt: CREATED });
    expect(passed.title).toBe('Regression gate: pass (api)');
    expect(renderHtmlReport(passed)).toContain('Regression gate: pass (api)');
  });
});

describe('CLI', () => {
  let dir: string;
  const savedSummary = process.env.GITHUB_STEP_SUMMARY;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lm-gate-test-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => {
    if (savedSummary === undefined) delete process.env.GITHUB_STEP_SUMMARY;
    else process.env.GITHUB_STEP_SUMMARY = savedSummary;
  });

  test('gate exits 0 on a pass and 1 on a regression, appending the summary to GITHUB_STEP_SUMMARY', async () => {
    const base = join(dir, 'base.json');
    const same = join(dir, 'same.json');
    const slow = join(dir, 'slow.json');
    const summary = join(dir, 'summary.md');
    writeFileSync(base, JSON.stringify(baseline()));
    writeFileSync(same, JSON.stringify(current(102))); // the JSON of `compare --json`
    writeFileSync(slow, JSON.stringify(saveBaseline(current(120), { createdAt: CREATED }))); // a baseline document
    writeFileSync(summary, '# earlier step\n');
    process.env.GITHUB_STEP_SUMMARY = summary;

    const pass = await cli(['gate', '--baseline', base, '--current', same, '--max-regression', '5%']);
    expect(pass.code).toBe(0);
    expect(pass.out).toContain('Regression gate: pass (api)');
    const fail = await cli(['gate', '--baseline', base, '--current', slow, '--max-regression', '5%', '--md']);
    expect(fail.code).toBe(1);
    expect(fail.out).toContain('REGRESSION');
    expect(fail.err).toMatch(/^lambda-meter gate: regression against the baseline: durationMs current\/baseline 1\.\d{3}/);

    const written = readFileSync(summary, 'utf8');
    expect(written.startsWith('# earlier step\n')).toBe(true);
    expect(written).toContain('# Regression gate: pass (api)');
    expect(written).toContain('# Regression gate: FAIL (api)');

    // A looser limit lets the 20% slowdown through.
    expect((await cli(['gate', '--baseline', base, '--current', slow, '--max-regression', '30%', '--json'])).code).toBe(0);
  });

  test('gate names the flag of what is wrong', async () => {
    const base = join(dir, 'base2.json');
    const doc = JSON.parse(JSON.stringify(baseline())) as Record<string, unknown>;
    writeFileSync(base, JSON.stringify({ ...doc, schemaVersion: 9 }));
    const version = await cli(['gate', '--baseline', base, '--current', base]);
    expect(version.code).toBe(2);
    expect(version.err).toContain(`lambda-meter gate: --baseline: ${base}: Invalid baseline.schemaVersion: is 9`);
    writeFileSync(base, JSON.stringify(doc));
    const other = join(dir, 'other.json');
    writeFileSync(other, JSON.stringify(resultOf(durations(1, 50, 100), durations(2, 50, 100), 'checkout')));
    const mismatch = await cli(['gate', '--baseline', base, '--current', other]);
    expect(mismatch.code).toBe(2);
    expect(mismatch.err).toContain('--baseline: is a baseline of function api, but the current run is of checkout');
    expect((await cli(['gate', '--baseline', base, '--current', other, '--max-regression', 'lots'])).err).toContain('--max-regression: must be a percentage');
    expect((await cli(['gate', '--baseline', base, '--current', other, '--metrics', 'speed'])).err).toContain('--metrics: must be one of');
    expect((await cli(['gate', '--baseline', base, '--current', other, '--max-invocations', '10'])).err).toContain('--max-invocations: only applies without --current');
    expect((await cli(['gate', '--baseline', join(dir, 'missing.json')])).err).toContain('--baseline: cannot read');
  });

  test('compare reads its arguments into the input of compare(), naming the flag of a bad one', async () => {
    expect(parseTargetSpec('api:live', '<a>')).toEqual({ functionName: 'api', qualifier: 'live' });
    expect(parseTargetSpec('arn:aws:lambda:us-east-1:123456789012:function:api:7', '<b>')).toEqual({ functionName: 'arn:aws:lambda:us-east-1:123456789012:function:api', qualifier: '7' });
    expect(shareFlag('5%', '--margin', { min: 0, max: 1 })).toBeCloseTo(0.05, 12);
    expect(shareFlag('0.1', '--margin', { min: 0, max: 1 })).toBe(0.1);
    const { input, options } = compareArguments(
      'api:41',
      'api:42',
      { metric: 'billedDurationMs', baselineSide: 'b', memoryB: '1024', archB: 'arm64', margin: '3%', confidence: '99%', maxInvocations: '400', maxCost: '$0.50', maxDuration: '10m', coldStarts: '2', payload: '{"n":1}', seed: '7' },
      undefined,
    );
    expect(input).toEqual({
      a: { functionName: 'api', qualifier: '41', payload: { n: 1 } },
      b: { functionName: 'api', qualifier: '42', memorySizeMB: 1024, architecture: 'arm64', payload: { n: 1 } },
      metric: 'billedDurationMs',
      margin: 0.03,
      coldStarts: 2,
    });
    expect(options).toEqual({ confidence: 0.99, budget: { maxInvocations: 400, maxCostUSD: 0.5, maxDurationMs: 600_000 }, seed: 7 });
    for (const [flags, flag] of [
      [['--margin', '150%'], '--margin'],
      [['--arch-a', 'sparc'], '--arch-a'],
      [['--memory-b', 'big'], '--memory-b'],
      [['--metric', 'speed'], '--metric'],
      [['--max-cost', '-1'], '--max-cost'],
      [['--max-duration', 'soon'], '--max-duration'],
    ] as const) {
      const r = await cli(['compare', 'api:41', 'api:42', ...flags]);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`lambda-meter compare: ${flag}: `);
    }
    expect((await cli(['compare', 'api:', 'api:42'])).err).toContain('<a>: must be function[:qualifier]');
  });

  test('compare and gate end to end on lambda-meter local (declared durations): save a baseline, then gate against it', async () => {
    const fn = (name: string) => ['--function', `${name}=test/fixtures/functions/work.mjs#handler,memory=1769`];
    const common = ['--endpoint', 'local', ...fn('svc'), '--duration-model', 'declared', '--payload', '{"cpuMs":40}'];
    const base = join(dir, 'e2e-base.json');
    const compared = await cli(['compare', 'svc', 'svc', '--memory-b', '885', '--seed', '1', '--save-baseline', base, '--json', ...common]);
    expect(compared.err).toContain(`saved the baseline (side b: svc) to ${base}`);
    expect(compared.code).toBe(0);
    const result = JSON.parse(compared.out) as CompareResult;
    expect(result.verdict).toBe('slower');
    const doc = loadBaseline(readFileSync(base, 'utf8'));
    expect(doc.target.memorySizeMB).toBe(885);
    // The baseline's target measured now, at the baseline's 885 MB: the same declared work, so no regression.
    delete process.env.GITHUB_STEP_SUMMARY;
    const gated = await cli(['gate', '--baseline', base, '--max-regression', '5%', '--max-invocations', '40', '--seed', '2', ...common]);
    expect(gated.code).toBe(0);
    expect(gated.out).toContain('Regression gate: pass (svc)');
  }, 60_000);
});
