/**
 * The grid's report document and the `compare-grid` CLI command. The report is rendered from a constructed
 * `GridResult` (fixed numbers, fixed `generatedAt`); the command runs end to end on lambda-meter local with the
 * declared duration model, where every Duration follows from the declared work and the memory size and the
 * architecture changes only the price: nothing here depends on the machine.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { cli } from './helpers/cli.js';
import { gridArguments } from '../src/cli/commands/compare.js';
import type { ArchitectureRatio, GridConfiguration, GridResult } from '../src/compare/index.js';
import type { Architecture } from '../src/cost/types.js';
import { InvalidInputError } from '../src/errors.js';
import { gridCharts, gridReportDocument, renderHtmlReport, renderMarkdownReport, renderTextReport } from '../src/reports/index.js';
import { summarize } from '../src/stats/summarize.js';

/** A configuration whose warm Durations are `durations` and whose cost is `usdPerMs` per ms plus a request charge. */
function configuration(memorySizeMB: number, architecture: Architecture, durations: readonly number[], usdPerMs: number, dominated: boolean): GridConfiguration {
  const costs = durations.map((d) => 0.0000002 + Math.ceil(d) * usdPerMs);
  const duration = summarize(durations);
  const cost = summarize(costs);
  return {
    memorySizeMB,
    architecture,
    warm: { durationMs: duration, costUSD: cost, initDurationMs: summarize([150]) },
    count: durations.length,
    failed: 0,
    durationMs: duration.p50,
    costUSD: cost.p50,
    dominated,
  };
}

const series = (base: number, n = 12): number[] => Array.from({ length: n }, (_, i) => base + (i % 4) * 0.5);

/** 512 and 1024 MB × x86_64 and arm64; arm64 as fast and 20% cheaper per ms, so both x86_64 sizes are dominated. */
function gridResult(overrides: Partial<GridResult> = {}): GridResult {
  const x512 = configuration(512, 'x86_64', series(69), 0.0000000083, true);
  const a512 = configuration(512, 'arm64', series(69), 0.0000000067, false);
  const x1024 = configuration(1024, 'x86_64', series(35), 0.0000000167, true);
  const a1024 = configuration(1024, 'arm64', series(35), 0.0000000133, false);
  const ratios: ArchitectureRatio[] = [
    { memorySizeMB: 512, durationMs: { estimate: 1, interval: [0.97, 1.03] }, costUSD: { estimate: 0.81, interval: [0.79, 0.83] } },
    { memorySizeMB: 1024, durationMs: { estimate: 1, interval: [0.96, 1.04] }, costUSD: { estimate: 0.805, interval: [0.78, 0.83] } },
  ];
  return {
    functionName: 'api',
    configurations: [x512, a512, x1024, a1024],
    frontier: [a512, a1024],
    ratios,
    visualizationUrl: 'https://lambda-power-tuning.show/#compare=fixture',
    confidence: 0.95,
    stoppedBecause: 'count',
    invocations: 52,
    costUSD: 0.0000301,
    method: 'fixture method',
    startedAt: Date.UTC(2026, 0, 2, 3, 4, 5),
    endedAt: Date.UTC(2026, 0, 2, 3, 5, 5),
    ...overrides,
  };
}

const GENERATED = Date.UTC(2026, 0, 2, 4, 0, 0);

describe('gridReportDocument', () => {
  test('renders the configurations, the frontier, arm64/x86_64 with intervals, the link and the local note', () => {
    const result = gridResult();
    const doc = gridReportDocument(result, { generatedAt: GENERATED });
    expect(doc.title).toBe('Memory × architecture grid: api');
    expect(doc.subtitle).toContain('2 memory sizes × 2 architectures');
    const md = renderMarkdownReport(doc, { charts: 'omit' }).replace(/\\([`*_[\]<>#~&!])/g, '$1'); // undo Markdown's escapes (x86\_64, \[)
    expect(md).toContain('Pareto frontier (cheapest first): 512 MB arm64, 1024 MB arm64.');
    expect(md).toContain('| memory | arch |');
    expect(md).toMatch(/\| 512 MB \| x86_64 \|.*dominated/);
    expect(md).toMatch(/\| \*\*1,024 MB\*\* \| \*\*arm64\*\* \|.*Pareto frontier/); // frontier rows in bold
    expect(md).toContain('69.75 ms'); // median Duration at 512 MB: 69, 69.5, 70, 70.5 repeated
    expect(md).toContain('[0.790, 0.830]');
    expect(md).toContain('−19.0%');
    expect(md).toContain('Visualization:** <https://lambda-power-tuning.show/#compare=fixture>'); // an autolink, the URL unescaped
    expect(md).toContain('On lambda-meter/local the architecture changes the price, not the speed');
    // Deterministic: the same input renders the same text.
    expect(renderMarkdownReport(gridReportDocument(result, { generatedAt: GENERATED }), { charts: 'omit' }).replace(/\\([`*_[\]<>#~&!])/g, '$1')).toBe(md);

    const text = renderTextReport(doc);
    expect(text).toContain('arm64 vs x86_64: api');
    expect(text).toContain('cost / million');
    const html = renderHtmlReport(doc);
    expect(html).toContain('<svg');
    expect(html).toContain('Cost vs Duration per configuration (api)');
    expect(html).toContain('arm64/x86_64 per memory size (95% intervals)');
  });

  test('the scatter joins the frontier; one architecture has no ratio section and no link', () => {
    const result = gridResult();
    const [scatter] = gridCharts(result);
    expect(scatter?.type).toBe('scatter');
    if (scatter?.type !== 'scatter') throw new Error('no scatter');
    expect(scatter.frontier).toEqual(['512 MB arm64', '1024 MB arm64']);
    expect(scatter.points.map((p) => p.label)).toEqual(['512 MB x86_64', '512 MB arm64', '1024 MB x86_64', '1024 MB arm64']);

    const x86 = result.configurations.filter((c) => c.architecture === 'x86_64').map((c) => ({ ...c, dominated: c.memorySizeMB === 512 }));
    const { visualizationUrl: _omitted, ...rest } = result;
    const single = gridReportDocument({ ...rest, configurations: x86, frontier: x86.filter((c) => !c.dominated), ratios: [] }, { generatedAt: GENERATED });
    const md = renderMarkdownReport(single, { charts: 'omit' });
    expect(md).not.toContain('arm64 vs x86_64');
    expect(md).not.toContain('Visualization');
    expect(single.subtitle).toContain('2 memory sizes × 1 architecture ·');
  });

  test('a configuration without warm measurements is shown as not measured and left out of the charts', () => {
    const result = gridResult();
    const [first, ...others] = result.configurations as [GridConfiguration, ...GridConfiguration[]];
    const empty: GridConfiguration = { ...first, warm: {}, count: 3, failed: 3, durationMs: undefined, costUSD: undefined, dominated: false };
    const doc = gridReportDocument({ ...result, configurations: [empty, ...others] }, { generatedAt: GENERATED });
    const md = renderMarkdownReport(doc, { charts: 'omit' });
    expect(md).toContain('not measured, 3 failed');
    const [scatter] = gridCharts({ ...result, configurations: [empty, ...others] });
    if (scatter?.type !== 'scatter') throw new Error('no scatter');
    expect(scatter.points.map((p) => p.label)).not.toContain('512 MB x86_64');
  });
});

describe('lambda-meter compare-grid', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lm-grid-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const local = ['--endpoint', 'local', '--function', 'svc=test/fixtures/functions/work.mjs#handler,memory=1769', '--duration-model', 'declared', '--payload', '{"cpuMs":20}'];

  test('flags are read into compareGrid input and options; bad ones name the flag', () => {
    const { input, options } = gridArguments('api', { memory: '512, 1024', arch: 'x86_64,arm64', count: '12', maxCost: '$0.5', seed: '3', confidence: '90%' }, undefined);
    expect(input).toEqual({ functionName: 'api', memorySizes: [512, 1024], architectures: ['x86_64', 'arm64'] });
    expect(options).toEqual({ count: 12, budget: { maxCostUSD: 0.5 }, seed: 3, confidence: 0.9 });
    expect(() => gridArguments('api', { memory: '512,big' }, undefined)).toThrow(InvalidInputError);
    expect(() => gridArguments('api', { memory: '512', arch: 'sparc' }, undefined)).toThrow(/--arch/);
  });

  test('a bad flag exits 2 naming it', async () => {
    for (const [flags, flag] of [
      [['--memory', '512,abc'], '--memory'],
      [['--memory', '512', '--arch', 'sparc'], '--arch'],
      [['--memory', '512', '--count', '1'], '--count'],
      [['--memory', '512', '--max-cost', '0'], '--max-cost'],
      [['--memory', '512,64'], '--memory'], // a library check (memorySizes[1] below 128), mapped back to the flag
    ] as const) {
      const r = await cli(['compare-grid', 'svc', ...flags, ...local]);
      expect(r.code, flags.join(' ')).toBe(2);
      expect(r.err).toContain(`lambda-meter compare-grid: ${flag}: `);
    }
  }, 30_000);

  test('a 2 × 2 grid end to end on lambda-meter local: the table, the frontier and arm64 cheaper at the same speed', async () => {
    const args = ['compare-grid', 'svc', '--memory', '512,1024', '--arch', 'x86_64,arm64', '--count', '10', '--seed', '1', ...local];
    const text = await cli(args);
    expect(text.code, text.err).toBe(0);
    expect(text.out).toContain('Memory × architecture grid: svc');
    expect(text.out).toContain('Per configuration: svc (warm invocations)');
    expect(text.out).toContain('arm64/x86_64 per memory size (95% intervals)');

    const html = join(dir, 'grid.html');
    const json = await cli([...args, '--json', '--html', html]);
    expect(json.code, json.err).toBe(0);
    expect(readFileSync(html, 'utf8')).toContain('Cost vs Duration per configuration (svc)');
    const result = JSON.parse(json.out) as GridResult;
    expect(result.configurations.map((c) => `${c.memorySizeMB} ${c.architecture}`)).toEqual(['512 x86_64', '512 arm64', '1024 x86_64', '1024 arm64']);
    expect(result.configurations.every((c) => c.count === 10 && c.failed === 0)).toBe(true);
    // Declared work: the architecture changes the price, not the speed, so x86_64 is dominated at both sizes.
    // (512 MB arm64 may also be dominated: 512 MB × 70 ms and 1,024 MB × 35 ms bill the same GB-seconds.)
    expect(result.configurations.filter((c) => c.architecture === 'x86_64').every((c) => c.dominated)).toBe(true);
    expect(result.frontier.length).toBeGreaterThan(0);
    expect(result.frontier.every((c) => c.architecture === 'arm64')).toBe(true);
    expect(text.out).toMatch(/1,024 MB\s+arm64.*Pareto frontier/);
    expect(text.out).toContain('Cheapest: 1024 MB arm64'); // tied on cost with 512 MB arm64, and faster
    for (const r of result.ratios) {
      expect(r.durationMs?.estimate).toBeCloseTo(1, 6);
      expect(r.costUSD?.estimate).toBeLessThan(0.9);
    }
    expect(result.visualizationUrl).toMatch(/^https:\/\//);
  }, 120_000);
});
