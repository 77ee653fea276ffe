/**
 * A cold-start measurement (`ColdStartResult` of `lambda-meter/coldstarts`) as a report document.
 *
 * @module
 */
import type { ColdStartResult, ColdStartSample, StartStatistics } from '../../coldstarts/types.js';
import type { Summary } from '../../stats/summarize.js';
import type { ChartSpec, ReportBlock, ReportDocument, ReportRow, ReportSection } from '../types.js';
import { formatFixed } from '../format.js';
import { ciHalfWidth, header, meanWithCi } from './common.js';
import type { ResultReportOptions } from './common.js';

/** The metrics compared, in the order of the table and the chart. */
const METRICS: readonly { readonly key: keyof Omit<StartStatistics, 'count'>; readonly label: string }[] = [
  { key: 'initDurationMs', label: 'Init Duration' },
  { key: 'durationMs', label: 'Duration' },
  { key: 'initPlusDurationMs', label: 'Init + Duration' },
  { key: 'billedDurationMs', label: 'Billed Duration' },
  { key: 'innerDurationMs', label: 'handler (inner)' },
  { key: 'clientLatencyMs', label: 'client latency' },
];

function cells(prefix: 'cold' | 'warm', s: Summary | undefined): ReportRow {
  return {
    [`${prefix}P50Ms`]: s?.p50,
    [`${prefix}P90Ms`]: s?.p90,
    [`${prefix}P99Ms`]: s?.p99,
    [`${prefix}MeanMs`]: s?.mean,
    [`${prefix}MeanCiHalfMs`]: ciHalfWidth(s),
  };
}

const okSample = (kind: 'cold' | 'warm') => (s: ColdStartSample) => s.kind === kind && s.functionError === undefined;

/** The charts of a cold-start result: cold vs warm per metric, their client-latency CDFs, the idle probe. */
export function coldStartCharts(result: ColdStartResult): ChartSpec[] {
  const metrics = METRICS.filter((m) => result.cold[m.key] !== undefined || result.warm[m.key] !== undefined);
  const charts: ChartSpec[] = [
    {
      type: 'grouped-bar',
      title: `Cold vs warm (p50): ${result.functionName}`,
      description: `Median of ${result.cold.count} forced cold starts beside ${result.warm.count} warm invocations of the same configuration.`,
      y: { label: 'p50', unit: 'ms' },
      categories: metrics.map((m) => m.label),
      series: [
        { name: 'cold', values: metrics.map((m) => result.cold[m.key]?.p50 ?? null) },
        { name: 'warm', values: metrics.map((m) => result.warm[m.key]?.p50 ?? null) },
      ],
    },
  ];
  const cold = result.samples.filter(okSample('cold')).map((s) => s.clientLatencyMs);
  const warm = result.warmSamples.filter(okSample('warm')).map((s) => s.clientLatencyMs);
  if (cold.length + warm.length > 0) {
    charts.push({
      type: 'cdf',
      title: `Client latency, cold and warm: ${result.functionName}`,
      description: 'Share of invocations answered within a time, as the client measured it around each Invoke call.',
      x: { label: 'client latency', unit: 'ms' },
      series: [
        ...(cold.length > 0 ? [{ name: 'cold', values: cold }] : []),
        ...(warm.length > 0 ? [{ name: 'warm', values: warm }] : []),
      ],
    });
  }
  if (result.idleProbe !== undefined && result.idleProbe.length > 0) {
    charts.push({
      type: 'bar',
      title: `Cold starts after an idle gap: ${result.functionName}`,
      description: 'Share of invocations that started cold after the function was left idle for each gap.',
      y: { label: 'cold-start share', unit: '%' },
      xLabel: 'idle gap',
      seriesLabel: 'cold-start share',
      bars: result.idleProbe.map((g) => ({ label: gapLabel(g.gapMs), value: (g.coldShare ?? 0) * 100 })),
    });
  }
  return charts;
}

/** `250 ms`, `5 s`, `15 min`. */
function gapLabel(gapMs: number): string {
  if (gapMs >= 60_000 && gapMs % 60_000 === 0) return `${gapMs / 60_000} min`;
  if (gapMs >= 1000 && gapMs % 1000 === 0) return `${gapMs / 1000} s`;
  return `${gapMs} ms`;
}

/** The sections of a cold-start result's document. */
export function coldStartReportSections(result: ColdStartResult): ReportSection[] {
  const summary: ReportBlock = {
    kind: 'keyValue',
    entries: [
      { label: 'Function', value: result.functionName },
      { label: 'Method', value: result.method },
      { label: 'Cold starts measured', value: `${result.cold.count} of ${result.samples.length} forced` },
      { label: 'Warm invocations measured', value: `${result.warm.count} of ${result.warmSamples.length}` },
      { label: 'Not cold / not warm / failed', value: `${result.notCold} / ${result.notWarm} / ${result.failed}` },
      {
        label: 'Cleanup',
        value: `${result.cleanup.environmentRestored ? 'environment restored' : 'environment NOT restored'}; ${result.cleanup.versionsDeleted.length} versions deleted`,
      },
    ],
  };
  const table: ReportBlock = {
    kind: 'table',
    caption: `Cold vs warm: ${result.functionName}`,
    columns: [
      { key: 'metric', label: 'metric' },
      { key: 'coldP50Ms', label: 'cold p50', format: 'ms' },
      { key: 'coldP90Ms', label: 'cold p90', format: 'ms' },
      { key: 'coldMeanMs', label: 'cold mean ± 95% CI', format: meanWithCi('coldMeanCiHalfMs'), align: 'right' },
      { key: 'warmP50Ms', label: 'warm p50', format: 'ms' },
      { key: 'warmP90Ms', label: 'warm p90', format: 'ms' },
      { key: 'warmP99Ms', label: 'warm p99', format: 'ms' },
      { key: 'warmMeanMs', label: 'warm mean ± 95% CI', format: meanWithCi('warmMeanCiHalfMs'), align: 'right' },
    ],
    rows: METRICS.filter((m) => result.cold[m.key] !== undefined || result.warm[m.key] !== undefined).map((m) => ({
      metric: m.label,
      ...cells('cold', result.cold[m.key]),
      ...cells('warm', result.warm[m.key]),
    })),
  };
  const blocks: ReportBlock[] = [summary, table];
  if (result.idleProbe !== undefined && result.idleProbe.length > 0) {
    blocks.push({
      kind: 'table',
      caption: `Idle eviction probe: ${result.functionName}`,
      columns: [
        { key: 'gap', label: 'idle gap' },
        { key: 'invocations', label: 'invocations', format: 'integer' },
        { key: 'coldStarts', label: 'cold starts', format: 'integer' },
        { key: 'unknown', label: 'without REPORT', format: 'integer' },
        { key: 'coldShare', label: 'cold-start share', format: 'percent' },
      ],
      rows: result.idleProbe.map((g) => ({ gap: gapLabel(g.gapMs), invocations: g.invocations, coldStarts: g.coldStarts, unknown: g.unknown, coldShare: g.coldShare })),
    });
  }
  const cold = result.cold.initPlusDurationMs?.p50;
  const warm = result.warm.durationMs?.p50;
  const text =
    (cold !== undefined && warm !== undefined
      ? `A cold start spent ${formatFixed(cold, 2)} ms in Lambda (Init + Duration, p50), ${formatFixed(cold / Math.max(warm, 1e-9), 1)}× a warm invocation's ${formatFixed(warm, 2)} ms.`
      : 'Cold and warm invocations, summarised apart.') + (result.warnings.length === 0 ? '' : `\n\nWarnings: ${result.warnings.join(' ')}`);
  return [
    { heading: `Cold starts: ${result.functionName}`, text, blocks },
    { heading: `Cold-start charts: ${result.functionName}`, blocks: coldStartCharts(result).map((chart) => ({ kind: 'chart', chart })) },
  ];
}

/**
 * A cold-start result as a report document: cold vs warm per metric (Init Duration, Duration, Init + Duration,
 * Billed Duration, the handler's inner time, client latency) as a table and grouped bars, the client-latency CDFs,
 * and the idle probe's cold-start share per gap as bars.
 *
 * @example
 * ```ts
 * const r = await measureColdStarts({ lambda }, { functionName: 'resize', count: 10 });
 * await writeFile('coldstarts.html', renderHtmlReport(coldStartReportDocument(r)));
 * ```
 */
export function coldStartReportDocument(result: ColdStartResult, options: ResultReportOptions = {}): ReportDocument {
  return {
    ...header(options, `Cold starts: ${result.functionName}`, `${result.method} · ${result.samples.length} forced cold starts · ${result.warmSamples.length} warm invocations`),
    sections: coldStartReportSections(result),
  };
}
