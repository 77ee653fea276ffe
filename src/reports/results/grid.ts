/**
 * A grid of memory sizes × architectures (`GridResult` of `lambda-meter/compare`'s `compareGrid`) as a report
 * document.
 *
 * @module
 */
import type { ArchitectureRatio, GridConfiguration, GridResult } from '../../compare/types.js';
import { formatCount, formatFixed, formatUsd, formatUtc } from '../format.js';
import type { ChartSpec, ReportBlock, ReportDocument, ReportRow, ReportSection } from '../types.js';
import { header, ms } from './common.js';
import type { ResultReportOptions } from './common.js';

/** `1024 MB arm64`: a configuration's label in tables and charts. */
const labelOf = (c: Pick<GridConfiguration, 'memorySizeMB' | 'architecture'>): string => `${c.memorySizeMB} MB ${c.architecture}`;
const percentText = (x: number): string => `${+(x * 100).toFixed(2)}%`;
const ratioText = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? '—' : formatFixed(x, 3));
const intervalText = (i: readonly [number, number] | undefined): string => (i === undefined ? '—' : `[${formatFixed(i[0], 3)}, ${formatFixed(i[1], 3)}]`);
/** arm64/x86_64 as a change: 0.81 → `−19.0%`. */
const changeText = (ratio: number | undefined): string =>
  ratio === undefined || !Number.isFinite(ratio) ? '—' : `${ratio >= 1 ? '+' : '−'}${formatFixed(Math.abs(ratio - 1) * 100, 1)}%`;
const usdText = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? '—' : formatUsd(x));

/** Whether `c` is on the result's frontier (matched by memory size and architecture). */
function onFrontier(result: GridResult, c: GridConfiguration): boolean {
  return result.frontier.some((f) => f.memorySizeMB === c.memorySizeMB && f.architecture === c.architecture);
}

/** The configurations with both frontier coordinates (a configuration whose every invocation failed has none). */
function measured(result: GridResult): GridConfiguration[] {
  return result.configurations.filter((c) => c.durationMs !== undefined && Number.isFinite(c.durationMs) && c.costUSD !== undefined && Number.isFinite(c.costUSD));
}

function flagsOf(result: GridResult, c: GridConfiguration): string {
  const flags: string[] = [];
  if (onFrontier(result, c)) flags.push('Pareto frontier');
  else if (c.dominated) flags.push('dominated');
  if (c.durationMs === undefined) flags.push('not measured');
  if (c.failed > 0) flags.push(`${formatCount(c.failed)} failed`);
  return flags.join(', ');
}

function rowOf(result: GridResult, c: GridConfiguration): ReportRow {
  return {
    memorySizeMB: c.memorySizeMB,
    architecture: c.architecture,
    count: c.count,
    failed: c.failed,
    medianDurationMs: c.durationMs,
    p99DurationMs: c.warm.durationMs?.p99,
    coldInitMs: c.warm.initDurationMs?.p50,
    medianCost: usdText(c.costUSD),
    costPerMillion: usdText(c.costUSD === undefined ? undefined : c.costUSD * 1e6),
    flags: flagsOf(result, c),
    frontier: onFrontier(result, c),
  };
}

function ratioRow(r: ArchitectureRatio): ReportRow {
  return {
    memorySizeMB: r.memorySizeMB,
    durationRatio: ratioText(r.durationMs?.estimate),
    durationChange: changeText(r.durationMs?.estimate),
    durationInterval: intervalText(r.durationMs?.interval),
    costRatio: ratioText(r.costUSD?.estimate),
    costChange: changeText(r.costUSD?.estimate),
    costInterval: intervalText(r.costUSD?.interval),
  };
}

/** Both architectures measured: there are arm64/x86_64 figures to show. */
const bothArchitectures = (result: GridResult): boolean => new Set(result.configurations.map((c) => c.architecture)).size > 1;

/**
 * The charts of a grid: cost vs Duration per configuration with the Pareto frontier joined, and, per memory size,
 * median Duration and cost per million by architecture.
 *
 * @example
 * ```ts
 * for (const chart of gridCharts(result)) await writeFile(`${chart.type}.svg`, renderChartSvg(chart));
 * ```
 */
export function gridCharts(result: GridResult): ChartSpec[] {
  const configs = measured(result);
  if (configs.length === 0) return [];
  const frontier = result.frontier.filter((f) => configs.some((c) => labelOf(c) === labelOf(f))).map(labelOf);
  const charts: ChartSpec[] = [
    {
      type: 'scatter',
      title: `Cost vs Duration per configuration (${result.functionName})`,
      description:
        'Each memory size × architecture by its median warm Duration and median cost per warm invocation; the line joins the Pareto frontier, the configurations no other beats on both.',
      x: { label: 'median warm Duration', unit: 'ms' },
      y: { label: 'median cost per invocation', unit: 'USD' },
      frontier,
      pointsLabel: 'configurations',
      points: configs.map((c) => ({ label: labelOf(c), x: c.durationMs as number, y: c.costUSD as number })),
    },
  ];
  const sizes = [...new Set(result.configurations.map((c) => c.memorySizeMB))];
  const architectures = [...new Set(result.configurations.map((c) => c.architecture))];
  const valueAt = (size: number, arch: string, pick: (c: GridConfiguration) => number | undefined): number | null => {
    const c = result.configurations.find((x) => x.memorySizeMB === size && x.architecture === arch);
    const v = c === undefined ? undefined : pick(c);
    return v === undefined || !Number.isFinite(v) ? null : v;
  };
  if (architectures.length > 1 || sizes.length > 1) {
    charts.push(
      {
        type: 'grouped-bar',
        title: `Median warm Duration by memory size and architecture (${result.functionName})`,
        description: 'The median Duration of the warm invocations of every configuration (failed invocations left out).',
        y: { label: 'median Duration', unit: 'ms' },
        xLabel: 'memory size',
        categories: sizes.map((s) => `${s} MB`),
        series: architectures.map((a) => ({ name: a, values: sizes.map((s) => valueAt(s, a, (c) => c.durationMs)) })),
      },
      {
        type: 'grouped-bar',
        title: `Cost per million invocations by memory size and architecture (${result.functionName})`,
        description: 'The median cost of a warm invocation, scaled to a million.',
        y: { label: 'cost per million', unit: 'USD' },
        xLabel: 'memory size',
        categories: sizes.map((s) => `${s} MB`),
        series: architectures.map((a) => ({ name: a, values: sizes.map((s) => valueAt(s, a, (c) => (c.costUSD === undefined ? undefined : c.costUSD * 1e6))) })),
      },
    );
  }
  return charts;
}

function headline(result: GridResult): string {
  const configs = measured(result);
  if (configs.length === 0) return `No configuration of ${result.functionName} has a warm measurement (stopped because: ${result.stoppedBecause}).`;
  // Ties on one coordinate go to the better other one.
  const better = (key: 'costUSD' | 'durationMs', other: 'costUSD' | 'durationMs') => (a: GridConfiguration, b: GridConfiguration) =>
    (b[key] as number) < (a[key] as number) || ((b[key] as number) === (a[key] as number) && (b[other] as number) < (a[other] as number)) ? b : a;
  const cheapest = configs.reduce(better('costUSD', 'durationMs'));
  const fastest = configs.reduce(better('durationMs', 'costUSD'));
  const frontier = result.frontier.map(labelOf).join(', ');
  return (
    `Pareto frontier (cheapest first): ${frontier === '' ? 'none' : frontier}. ` +
    `Cheapest: ${labelOf(cheapest)} at ${formatUsd((cheapest.costUSD as number) * 1e6)} per million (median ${ms(cheapest.durationMs as number)}); ` +
    `fastest: ${labelOf(fastest)} at a median ${ms(fastest.durationMs as number)} (${formatUsd((fastest.costUSD as number) * 1e6)} per million).`
  );
}

/** What the arm64/x86_64 figures mean, and what they do not mean on lambda-meter/local. */
const ARCHITECTURE_NOTE =
  'arm64/x86_64 of the warm invocations at each memory size: the ratio of medians and its anytime-valid interval; below 1 arm64 is faster or cheaper. ' +
  'On lambda-meter/local the architecture changes the price, not the speed: every local function runs on this machine, so there Duration ratios near 1 are expected and only cost differs (by the price table).';

/**
 * The sections of a grid's document (to merge into another document).
 *
 * @example
 * ```ts
 * const doc = { title: 'Sizing', generatedAt: Date.now(), sections: [...gridReportSections(result)] };
 * ```
 */
export function gridReportSections(result: GridResult): ReportSection[] {
  const summary: ReportBlock = {
    kind: 'keyValue',
    entries: [
      { label: 'Function', value: result.functionName },
      { label: 'Configurations', value: result.configurations.length, format: 'integer' },
      { label: 'Pareto frontier', value: result.frontier.map(labelOf).join(', ') || 'none' },
      { label: 'Stopped because', value: result.stoppedBecause },
      { label: 'Invocations', value: result.invocations, format: 'integer' },
      { label: 'Cost of the run', value: result.costUSD, format: 'usd' },
      { label: 'Confidence', value: percentText(result.confidence) },
      { label: 'Ran', value: `${formatUtc(result.startedAt)} to ${formatUtc(result.endedAt)}` },
      { label: 'Method', value: result.method },
      ...(result.visualizationUrl === undefined ? [] : [{ label: 'Visualization', value: result.visualizationUrl, href: result.visualizationUrl }]),
    ],
  };
  const table: ReportBlock = {
    kind: 'table',
    caption: `Per configuration: ${result.functionName} (warm invocations)`,
    columns: [
      { key: 'memorySizeMB', label: 'memory', format: 'mb' },
      { key: 'architecture', label: 'arch' },
      { key: 'count', label: 'warm n', format: 'integer' },
      { key: 'failed', label: 'failed', format: 'integer' },
      { key: 'medianDurationMs', label: 'median Duration', format: 'ms' },
      { key: 'p99DurationMs', label: 'p99 Duration', format: 'ms' },
      { key: 'coldInitMs', label: 'cold Init', format: 'ms' },
      { key: 'medianCost', label: 'median cost', align: 'right' },
      { key: 'costPerMillion', label: 'cost / million', align: 'right' },
      { key: 'flags', label: 'flags' },
    ],
    rows: result.configurations.map((c) => rowOf(result, c)),
    highlightRow: (row) => row.frontier === true,
  };
  const sections: ReportSection[] = [{ heading: `Memory × architecture grid: ${result.functionName}`, text: headline(result), blocks: [summary, table] }];
  if (bothArchitectures(result)) {
    sections.push({
      heading: `arm64 vs x86_64: ${result.functionName}`,
      text: ARCHITECTURE_NOTE,
      blocks: [
        {
          kind: 'table',
          caption: `arm64/x86_64 per memory size (${percentText(result.confidence)} intervals)`,
          columns: [
            { key: 'memorySizeMB', label: 'memory', format: 'mb' },
            { key: 'durationRatio', label: 'Duration arm64/x86_64', align: 'right' },
            { key: 'durationChange', label: 'Duration change', align: 'right' },
            { key: 'durationInterval', label: 'Duration interval', align: 'right' },
            { key: 'costRatio', label: 'cost arm64/x86_64', align: 'right' },
            { key: 'costChange', label: 'cost change', align: 'right' },
            { key: 'costInterval', label: 'cost interval', align: 'right' },
          ],
          rows: result.ratios.map(ratioRow),
        },
      ],
    });
  }
  const charts = gridCharts(result);
  if (charts.length > 0) sections.push({ heading: `Grid charts: ${result.functionName}`, blocks: charts.map((chart) => ({ kind: 'chart', chart })) });
  return sections;
}

/**
 * A memory size × architecture grid as a report document: the Pareto frontier and the cheapest and fastest
 * configurations, a table per configuration (median and p99 warm Duration, cold Init, median cost per invocation and
 * per million, frontier or dominated; the frontier highlighted), the arm64/x86_64 ratios per memory size with their
 * intervals (with a note that on lambda-meter/local the architecture changes the price, not the speed), the Power
 * Tuning visualization URL when both architectures ran, and charts of cost vs Duration with the frontier and of
 * Duration and cost by memory size and architecture. Render it with `renderJsonReport`, `renderMarkdownReport`,
 * `renderHtmlReport` or `renderTextReport`.
 *
 * @example
 * ```ts
 * const result = await compareGrid({ lambda }, { functionName: 'api', memorySizes: [512, 1024], architectures: ['x86_64', 'arm64'] });
 * await writeFile('grid.html', renderHtmlReport(gridReportDocument(result)));
 * ```
 */
export function gridReportDocument(result: GridResult, options: ResultReportOptions = {}): ReportDocument {
  const sizes = new Set(result.configurations.map((c) => c.memorySizeMB)).size;
  const archs = new Set(result.configurations.map((c) => c.architecture)).size;
  return {
    ...header(
      options,
      `Memory × architecture grid: ${result.functionName}`,
      `${sizes} memory size${sizes === 1 ? '' : 's'} × ${archs} architecture${archs === 1 ? '' : 's'} · ${formatCount(result.invocations)} invocations · ${percentText(result.confidence)} confidence · stopped: ${result.stoppedBecause}`,
    ),
    sections: gridReportSections(result),
  };
}
