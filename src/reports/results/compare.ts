/**
 * A comparison (`CompareResult` of `lambda-meter/compare`) and a gate result as report documents, and the gate's
 * Markdown for a GitHub Actions step summary.
 *
 * @module
 */
import type { GateResult } from '../../compare/baseline.js';
import type { CompareMetric, CompareResult, CompareSide, MetricComparison } from '../../compare/types.js';
import { formatCount, formatFixed, formatUsd, formatUtc } from '../format.js';
import { renderMarkdownReport } from '../markdown.js';
import type { ChartSpec, ReportBlock, ReportDocument, ReportRow, ReportSection } from '../types.js';
import { header, ms } from './common.js';
import type { ResultReportOptions } from './common.js';

/** The metrics in Lambda's own words, as the REPORT line names them. */
const METRIC_NAMES: Readonly<Record<CompareMetric, string>> = {
  durationMs: 'Duration',
  billedDurationMs: 'Billed Duration',
  clientLatencyMs: 'client latency',
  initDurationMs: 'Init Duration',
  maxMemoryUsedMB: 'Max Memory Used',
  costUSD: 'cost per invocation',
};

const UNITS: Readonly<Record<CompareMetric, string>> = {
  durationMs: 'ms',
  billedDurationMs: 'ms',
  clientLatencyMs: 'ms',
  initDurationMs: 'ms',
  maxMemoryUsedMB: 'MB',
  costUSD: 'USD',
};

/** A value of `metric` with its unit: `812.34 ms`, `128 MB`, `$0.000002100`. */
function valueText(metric: CompareMetric, value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  const unit = UNITS[metric];
  if (unit === 'USD') return formatUsd(value);
  if (unit === 'MB') return `${formatFixed(value, value % 1 === 0 ? 0 : 1)} MB`;
  return ms(value);
}

const ratioText = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? '—' : formatFixed(x, 3));
const intervalText = (i: readonly [number, number] | undefined): string => (i === undefined ? '—' : `[${formatFixed(i[0], 3)}, ${formatFixed(i[1], 3)}]`);
const percentText = (x: number): string => `${+(x * 100).toFixed(2)}%`;
/** B/A as a change: 0.81 → `−19.0%`. */
const changeText = (ratio: number): string => `${ratio >= 1 ? '+' : '−'}${formatFixed(Math.abs(ratio - 1) * 100, 1)}%`;

function sideName(side: CompareSide): string {
  const t = side.target;
  return `${t.functionName}${t.qualifier === undefined ? '' : `:${t.qualifier}`}`;
}

/** The warm values of one side and metric, failed invocations left out. */
function warmValues(result: CompareResult, side: 'a' | 'b', metric: CompareMetric): number[] {
  return result.samples.flatMap((s) => {
    const v = s[metric];
    return s.side === side && !s.cold && !s.failed && typeof v === 'number' && Number.isFinite(v) ? [v] : [];
  });
}

/** The verdict of B against A in words, for `metric` (cost is cheaper or dearer). */
function verdictWords(m: MetricComparison, result: CompareResult): string {
  const dear = m.metric === 'costUSD';
  switch (m.verdict) {
    case 'faster':
      return dear ? 'B cheaper' : 'B lower';
    case 'slower':
      return dear ? 'B dearer' : 'B higher';
    case 'equivalent':
      return `equivalent (within ±${percentText(result.margin)})`;
    default:
      return 'undecided';
  }
}

function headline(result: CompareResult): string {
  const m = result.metrics.find((x) => x.metric === result.metric);
  const name = METRIC_NAMES[result.metric];
  const a = result.a.label;
  const b = result.b.label;
  const level = percentText(result.confidence);
  const figures = m === undefined ? '' : `: B/A ${ratioText(m.ratioOfMedians)} of medians, ${level} interval ${intervalText(m.interval)}`;
  switch (result.verdict) {
    case 'faster':
      return `${b} is faster than ${a} on ${name}${figures}.`;
    case 'slower':
      return `${b} is slower than ${a} on ${name}${figures}.`;
    case 'equivalent':
      return `${b} and ${a} are equivalent on ${name} within ±${percentText(result.margin)}${figures}.`;
    default:
      return `Undecided on ${name}: sampling stopped (${result.stoppedBecause}) before the interval settled${figures}.`;
  }
}

/**
 * The charts of a comparison: both sides' warm distributions of the stopping metric on one chart (a CDF per side),
 * and B/A of every metric as a change in percent with its confidence interval (lower bound, estimate, upper bound).
 *
 * @example
 * ```ts
 * for (const chart of compareCharts(result)) await writeFile(`${chart.type}.svg`, renderChartSvg(chart));
 * ```
 */
export function compareCharts(result: CompareResult): ChartSpec[] {
  const charts: ChartSpec[] = [];
  const shown = result.metric === 'durationMs' ? ['durationMs' as const] : [result.metric, 'durationMs' as const];
  for (const metric of shown) {
    const a = warmValues(result, 'a', metric);
    const b = warmValues(result, 'b', metric);
    if (a.length === 0 && b.length === 0) continue;
    charts.push({
      type: 'cdf',
      title: `${METRIC_NAMES[metric]} distribution: ${result.a.label} vs ${result.b.label}`,
      description: `Share of the warm invocations of each side that finished within a value (${a.length} of A, ${b.length} of B; failed invocations left out).`,
      x: { label: METRIC_NAMES[metric], unit: UNITS[metric] },
      series: [
        { name: `A: ${result.a.label}`, values: a },
        { name: `B: ${result.b.label}`, values: b },
      ],
    });
  }
  if (result.metrics.length > 0) {
    charts.push({
      type: 'grouped-bar',
      title: `B vs A per metric, with the ${percentText(result.confidence)} interval`,
      description: `The change of B against A in percent (B/A − 1): the estimate between the interval's lower and upper bounds; the equivalence margin is ±${percentText(result.margin)}. Below zero B is lower (faster or cheaper).`,
      y: { label: 'B vs A', unit: '%' },
      xLabel: 'metric',
      categories: result.metrics.map((m) => METRIC_NAMES[m.metric]),
      series: [
        { name: 'interval lower bound', values: result.metrics.map((m) => (m.interval[0] - 1) * 100) },
        { name: 'B/A of medians', values: result.metrics.map((m) => (m.ratioOfMedians - 1) * 100) },
        { name: 'interval upper bound', values: result.metrics.map((m) => (m.interval[1] - 1) * 100) },
      ],
    });
  }
  return charts;
}

/**
 * The sections of a comparison's document (to merge into another document).
 *
 * @example
 * ```ts
 * const doc = { title: 'Release 42', generatedAt: Date.now(), sections: [...compareReportSections(result)] };
 * ```
 */
export function compareReportSections(result: CompareResult): ReportSection[] {
  const summary: ReportBlock = {
    kind: 'keyValue',
    entries: [
      { label: 'A (baseline)', value: `${result.a.label} (${sideName(result.a)}, ${result.a.memorySizeMB} MB, ${result.a.architecture})` },
      { label: 'B (candidate)', value: `${result.b.label} (${sideName(result.b)}, ${result.b.memorySizeMB} MB, ${result.b.architecture})` },
      { label: 'Verdict', value: `${result.verdict} on ${METRIC_NAMES[result.metric]}` },
      { label: 'Confidence', value: percentText(result.confidence) },
      { label: 'Equivalence margin', value: `±${percentText(result.margin)}` },
      { label: 'Stopped because', value: result.stoppedBecause },
      { label: 'Warm invocations', value: result.invocations, format: 'integer' },
      { label: 'Cost of the run', value: result.costUSD, format: 'usd' },
      { label: 'Ran', value: `${formatUtc(result.startedAt)} to ${formatUtc(result.endedAt)}` },
      { label: 'Method', value: result.method },
    ],
  };
  const metricRows: ReportRow[] = result.metrics.map((m) => ({
    metric: METRIC_NAMES[m.metric],
    medianA: valueText(m.metric, result.a.warm[m.metric]?.p50),
    medianB: valueText(m.metric, result.b.warm[m.metric]?.p50),
    ratioOfMedians: ratioText(m.ratioOfMedians),
    change: Number.isFinite(m.ratioOfMedians) ? changeText(m.ratioOfMedians) : '—',
    ratioOfTrimmedMeans: ratioText(m.ratioOfTrimmedMeans),
    interval: intervalText(m.interval),
    verdict: verdictWords(m, result),
    stopping: m.metric === result.metric,
  }));
  const metricTable: ReportBlock = {
    kind: 'table',
    caption: `B/A per metric (warm invocations, ${percentText(result.confidence)} intervals)`,
    columns: [
      { key: 'metric', label: 'metric' },
      { key: 'medianA', label: `A median`, align: 'right' },
      { key: 'medianB', label: `B median`, align: 'right' },
      { key: 'ratioOfMedians', label: 'B/A medians', align: 'right' },
      { key: 'change', label: 'change', align: 'right' },
      { key: 'ratioOfTrimmedMeans', label: 'B/A trimmed means', align: 'right' },
      { key: 'interval', label: 'interval of B/A', align: 'right' },
      { key: 'verdict', label: 'verdict' },
    ],
    rows: metricRows,
    highlightRow: (row) => row.stopping === true,
  };
  const sideRow = (name: string, s: CompareSide): ReportRow => ({
    side: name,
    label: s.label,
    target: sideName(s),
    memorySizeMB: s.memorySizeMB,
    architecture: s.architecture,
    warm: s.warm.durationMs?.count,
    failed: s.failed,
    warmP50Ms: s.warm.durationMs?.p50,
    warmP99Ms: s.warm.durationMs?.p99,
    coldInitP50Ms: s.cold.initDurationMs?.p50,
    expectedP50Ms: s.expected.p50Ms,
    expectedP99Ms: s.expected.p99Ms,
    costPerMillionUSD: s.expected.costPerMillionUSD,
  });
  const sidesTable: ReportBlock = {
    kind: 'table',
    caption: `Per side (expected per request at a cold-start rate of ${percentText(result.a.expected.coldStartRate)})`,
    columns: [
      { key: 'side', label: '' },
      { key: 'label', label: 'label' },
      { key: 'target', label: 'target' },
      { key: 'memorySizeMB', label: 'memory', format: 'mb' },
      { key: 'architecture', label: 'arch' },
      { key: 'warm', label: 'warm n', format: 'integer' },
      { key: 'failed', label: 'failed', format: 'integer' },
      { key: 'warmP50Ms', label: 'warm Duration p50', format: 'ms' },
      { key: 'warmP99Ms', label: 'warm Duration p99', format: 'ms' },
      { key: 'coldInitP50Ms', label: 'cold Init p50', format: 'ms' },
      { key: 'expectedP50Ms', label: 'expected p50', format: 'ms' },
      { key: 'expectedP99Ms', label: 'expected p99', format: 'ms' },
      { key: 'costPerMillionUSD', label: 'cost / million', format: 'usd' },
    ],
    rows: [sideRow('A', result.a), sideRow('B', result.b)],
  };
  return [
    { heading: `Comparison: ${result.a.label} vs ${result.b.label}`, text: headline(result), blocks: [summary, metricTable, sidesTable] },
    { heading: `Comparison charts: ${result.a.label} vs ${result.b.label}`, blocks: compareCharts(result).map((chart) => ({ kind: 'chart', chart })) },
  ];
}

/**
 * A comparison as a report document: the verdict and its figures, a table per metric (both medians, B/A of the
 * medians and of the trimmed means, the confidence interval of B/A and the verdict; the stopping metric
 * highlighted), a table per side (configuration, warm and cold figures, expected latency and cost per request), and
 * charts of both sides' distributions on one chart (CDF) and of B/A with its interval per metric. Render it with
 * `renderJsonReport`, `renderMarkdownReport`, `renderHtmlReport` or `renderTextReport`.
 *
 * @example
 * ```ts
 * const result = await compare({ lambda }, { a: { functionName: 'api', qualifier: '41' }, b: { functionName: 'api', qualifier: '42' } });
 * await writeFile('compare.html', renderHtmlReport(compareReportDocument(result)));
 * ```
 */
export function compareReportDocument(result: CompareResult, options: ResultReportOptions = {}): ReportDocument {
  return {
    ...header(
      options,
      `Comparison: ${result.a.label} vs ${result.b.label}`,
      `${result.verdict} on ${METRIC_NAMES[result.metric]} · ${formatCount(result.invocations)} warm invocations · ${percentText(result.confidence)} confidence · margin ±${percentText(result.margin)}`,
    ),
    sections: compareReportSections(result),
  };
}

/**
 * A gate result as a report document: pass or fail, and per metric both medians, current/baseline with its interval,
 * and the reason; regressed metrics highlighted.
 *
 * @example
 * ```ts
 * console.log(renderTextReport(gateReportDocument(gate(current, baseline, { maxRegression: 0.05 }))));
 * ```
 */
export function gateReportDocument(result: GateResult, options: ResultReportOptions = {}): ReportDocument {
  const regressed = result.metrics.filter((m) => m.regression);
  const text = result.pass
    ? `Passed: no metric of ${result.functionName} is shown to be more than ${percentText(result.maxRegression)} above the baseline of ${formatUtc(result.baselineCreatedAt)}.`
    : `Failed: ${regressed.map((m) => METRIC_NAMES[m.metric]).join(', ')} of ${result.functionName} regressed by more than ${percentText(result.maxRegression)} against the baseline of ${formatUtc(result.baselineCreatedAt)}.`;
  const rows: ReportRow[] = result.metrics.map((m) => ({
    metric: METRIC_NAMES[m.metric],
    baseline: valueText(m.metric, m.baselineMedian),
    current: valueText(m.metric, m.currentMedian),
    ratio: ratioText(m.ratio),
    interval: intervalText(m.interval),
    result: m.regression ? 'REGRESSION' : m.interval === undefined ? 'not judged' : 'ok',
    reason: m.reason,
    regression: m.regression,
  }));
  return {
    ...header(options, `Regression gate: ${result.pass ? 'pass' : 'FAIL'} (${result.functionName})`, `max regression ${percentText(result.maxRegression)} · ${percentText(result.confidence)} confidence`),
    sections: [
      {
        heading: `Gate: ${result.functionName}`,
        text,
        blocks: [
          {
            kind: 'table',
            caption: 'Current against the baseline (warm invocations; medians, and current/baseline with its interval)',
            columns: [
              { key: 'metric', label: 'metric' },
              { key: 'baseline', label: 'baseline median', align: 'right' },
              { key: 'current', label: 'current median', align: 'right' },
              { key: 'ratio', label: 'current/baseline', align: 'right' },
              { key: 'interval', label: 'interval', align: 'right' },
              { key: 'result', label: 'result' },
              { key: 'reason', label: 'reason' },
            ],
            rows,
            highlightRow: (row) => row.regression === true,
          },
        ],
      },
    ],
  };
}

/**
 * The gate's result as Markdown for a GitHub Actions job summary (append it to the file `GITHUB_STEP_SUMMARY` names).
 *
 * @example
 * ```ts
 * await appendFile(process.env.GITHUB_STEP_SUMMARY!, gateReportMarkdown(result));
 * ```
 */
export function gateReportMarkdown(result: GateResult, options: ResultReportOptions = {}): string {
  return renderMarkdownReport(gateReportDocument(result, options), { charts: 'omit' });
}
