/**
 * A power-tuning result (`TuneResult` of `lambda-meter/tune`) as a report document.
 *
 * @module
 */
import { histogram } from '../../stats/histogram.js';
import { percentile } from '../../stats/summarize.js';
import type { TuneConfiguration, TuneResult } from '../../tune/types.js';
import type { ChartSpec, ReportBlock, ReportDocument, ReportRow, ReportSection } from '../types.js';
import { formatCount } from '../format.js';
import { countsText, ciHalfWidth, header, meanWithCi } from './common.js';
import type { ResultReportOptions } from './common.js';

const label = (memorySizeMB: number): string => `${memorySizeMB} MB`;

/**
 * The flags of a memory size, in words: `recommended, Pareto frontier | dominated, eliminated early, failed, timed out,
 * out of memory`. "dominated" means only "off the Pareto frontier"; the adaptive sampler's early stop is "eliminated
 * early", and an eliminated size may still be on the frontier.
 */
function flagsOf(result: TuneResult, c: TuneConfiguration): string {
  const flags: string[] = [];
  if (result.recommendation?.memorySizeMB === c.memorySizeMB) flags.push('recommended');
  const measured = result.recommendation !== undefined && !c.failed;
  if (result.paretoFrontier.includes(c.memorySizeMB)) flags.push('Pareto frontier');
  else if (measured) flags.push('dominated');
  if (c.eliminated) flags.push('eliminated early');
  if (c.failed) flags.push('failed');
  if (c.timedOut) flags.push('timed out');
  if (c.outOfMemory) flags.push('out of memory');
  return flags.join(', ');
}

function rowOf(result: TuneResult, c: TuneConfiguration): ReportRow {
  return {
    memorySizeMB: c.memorySizeMB,
    invocations: c.invocations,
    warmInvocations: c.warmInvocations,
    warmP50Ms: c.warm?.p50,
    warmP90Ms: c.warm?.p90,
    warmP99Ms: c.warm?.p99,
    warmMeanMs: c.warm?.mean,
    warmMeanCiHalfMs: ciHalfWidth(c.warm),
    coldStarts: c.coldStarts?.count ?? 0,
    coldInitP50Ms: c.coldStarts?.initDurationMs.p50,
    coldDurationP50Ms: c.coldStarts?.durationMs.p50,
    costPerInvocationUSD: c.cost.perInvocationUSD,
    costPerMillionUSD: c.cost.perMillionUSD,
    totalUSD: c.cost.totalUSD,
    errors: countsText(c.errors) || 0,
    maxMemoryUsedMB: c.maxMemoryUsedMB,
    headroomMB: c.headroomMB,
    flags: flagsOf(result, c),
  };
}

/** The configurations that take part in the recommendation (failed sizes are left out of it, and of the charts). */
function usable(result: TuneResult): TuneConfiguration[] {
  return result.configurations.filter((c) => !c.failed);
}

/** How the compared duration was averaged, in words. */
function averaged(result: TuneResult): string {
  const trim = result.discardTopBottom;
  return trim > 0 ? `mean after leaving out the fastest and slowest ${+(trim * 100).toFixed(1)}%` : 'mean';
}

/**
 * The charts of a tuning result: cost and duration per size, cost vs duration with the frontier, the compared
 * durations' distributions (a CDF per size, a histogram of the recommended size), and cold vs warm.
 */
export function tuneCharts(result: TuneResult): ChartSpec[] {
  const configs = usable(result);
  const recommended = result.recommendation?.memorySizeMB;
  const coldBasis = result.configurations.some((c) => c.warm === undefined) ? 'cold' : 'warm';
  const durationLabel = result.discardTopBottom > 0 ? 'trimmed mean duration' : 'mean duration';
  const charts: ChartSpec[] = [
    {
      type: 'bar',
      title: `Cost per million invocations by memory size (${result.functionName})`,
      description: `Mean billed cost of the ${coldBasis === 'warm' ? 'warm' : 'measured'} invocations, scaled to a million; the recommended size is highlighted.`,
      y: { label: 'cost per million', unit: 'USD' },
      xLabel: 'memory size',
      seriesLabel: 'cost per million',
      highlightLabel: 'recommended',
      bars: configs.map((c) => ({ label: label(c.memorySizeMB), value: c.cost.perMillionUSD, highlight: c.memorySizeMB === recommended })),
    },
    {
      type: 'bar',
      title: `Duration compared, by memory size (${result.functionName})`,
      description: `The duration the strategy compared (${coldBasis === 'warm' ? 'warm Duration' : 'cold Init + Duration'}, ${averaged(result)}); the recommended size is highlighted.`,
      y: { label: durationLabel, unit: 'ms' },
      xLabel: 'memory size',
      seriesLabel: durationLabel,
      highlightLabel: 'recommended',
      bars: configs.map((c) => ({ label: label(c.memorySizeMB), value: c.objectiveDurationMs, highlight: c.memorySizeMB === recommended })),
    },
    {
      type: 'scatter',
      title: `Cost vs duration per memory size (${result.functionName})`,
      description: `Each memory size by the duration and cost the strategy compared (${averaged(result)}); the line joins the Pareto frontier, the sizes no other size beats on both.`,
      x: { label: durationLabel, unit: 'ms' },
      y: { label: 'cost per invocation', unit: 'USD' },
      frontier: result.paretoFrontier.map(label),
      pointsLabel: 'memory sizes',
      highlightLabel: 'recommended',
      points: configs.map((c) => ({
        label: label(c.memorySizeMB),
        x: c.objectiveDurationMs,
        y: c.objectiveCostUSD,
        highlight: c.memorySizeMB === recommended,
      })),
    },
  ];
  const sampled = configs.filter((c) => c.objectiveDurationsMs.length > 0);
  if (sampled.length > 0) {
    charts.push({
      type: 'cdf',
      title: `Duration distribution by memory size (${result.functionName})`,
      description: `Share of the compared invocations (${coldBasis === 'warm' ? 'warm' : 'cold Init + Duration'}) that finished within a time, one line per memory size.`,
      x: { label: 'duration', unit: 'ms' },
      series: sampled.map((c) => ({ name: label(c.memorySizeMB), values: c.objectiveDurationsMs })),
    });
  }
  const chosen = sampled.find((c) => c.memorySizeMB === recommended);
  if (chosen !== undefined && chosen.objectiveDurationsMs.length >= 2) {
    const values = chosen.objectiveDurationsMs;
    const h = histogram(values, { bins: Math.min(30, Math.max(5, Math.ceil(Math.sqrt(values.length)))) });
    charts.push({
      type: 'histogram',
      title: `Duration histogram at the recommended ${label(chosen.memorySizeMB)} (${result.functionName})`,
      description: `${values.length} compared invocations; the lines mark the median and the 99th percentile.`,
      x: { label: 'duration', unit: 'ms' },
      countLabel: 'invocations',
      bins: h.bins,
      markers: [
        { label: 'p50', value: percentile(values, 50) },
        { label: 'p99', value: percentile(values, 99) },
      ],
    });
  }
  if (configs.some((c) => c.coldStarts !== undefined)) {
    charts.push({
      type: 'grouped-bar',
      title: `Cold vs warm invocations by memory size (${result.functionName})`,
      description: 'Median warm Duration beside the median cold start: its Duration and Init Duration + Duration.',
      y: { label: 'p50', unit: 'ms' },
      xLabel: 'memory size',
      categories: configs.map((c) => label(c.memorySizeMB)),
      series: [
        { name: 'warm Duration', values: configs.map((c) => c.warm?.p50 ?? null) },
        { name: 'cold Duration', values: configs.map((c) => c.coldStarts?.durationMs.p50 ?? null) },
        { name: 'cold Init + Duration', values: configs.map((c) => c.coldStarts?.totalMs.p50 ?? null) },
      ],
    });
  }
  return charts;
}

/** The sections of a tuning result's document (also what {@link combinedReportDocument} merges). */
export function tuneReportSections(result: TuneResult): ReportSection[] {
  const rec = result.recommendation;
  const warnings = result.warnings.length === 0 ? '' : `\n\nWarnings: ${result.warnings.join(' ')}`;
  const summary: ReportBlock = {
    kind: 'keyValue',
    entries: [
      { label: 'Function', value: result.functionName },
      { label: 'Strategy', value: result.strategy === 'balanced' ? `balanced (cost weight ${result.balancedWeight})` : result.strategy },
      { label: 'Recommended memory', value: rec?.memorySizeMB, format: 'mb' },
      { label: 'Why', value: rec?.reason ?? 'no recommendation (dry run)' },
      { label: 'Pareto frontier', value: result.paretoFrontier.map(label).join(', ') || 'none' },
      { label: 'Invocations', value: result.invocations, format: 'integer' },
      { label: 'Total cost of the run', value: result.configurations.reduce((s, c) => s + c.cost.totalUSD, 0), format: 'usd' },
      { label: 'Applied', value: result.applied === undefined ? 'no' : `${result.applied.memorySizeMB} MB on ${result.applied.target}` },
      {
        label: 'Cleanup',
        value: `$LATEST restored; ${result.cleanup.deletedVersions.length} versions and ${result.cleanup.deletedAliases.length} aliases deleted`,
      },
      { label: 'Visualization', value: result.visualizationUrl, href: result.visualizationUrl },
    ],
  };
  const table: ReportBlock = {
    kind: 'table',
    caption: `Per memory size: ${result.functionName}`,
    columns: [
      { key: 'memorySizeMB', label: 'memory', format: 'mb' },
      { key: 'invocations', label: 'invocations', format: 'integer' },
      { key: 'warmP50Ms', label: 'warm p50', format: 'ms' },
      { key: 'warmP90Ms', label: 'warm p90', format: 'ms' },
      { key: 'warmP99Ms', label: 'warm p99', format: 'ms' },
      { key: 'warmMeanMs', label: 'warm mean ± 95% CI', format: meanWithCi('warmMeanCiHalfMs'), align: 'right' },
      { key: 'coldInitP50Ms', label: 'cold Init p50', format: 'ms' },
      { key: 'coldDurationP50Ms', label: 'cold Duration p50', format: 'ms' },
      { key: 'costPerInvocationUSD', label: 'cost / invocation', format: 'usd' },
      { key: 'costPerMillionUSD', label: 'cost / million', format: 'usd' },
      { key: 'errors', label: 'errors', align: 'right' },
      { key: 'maxMemoryUsedMB', label: 'max memory used', format: 'mb' },
      { key: 'headroomMB', label: 'headroom', format: 'mb' },
      { key: 'flags', label: 'flags' },
    ],
    rows: result.configurations.map((c) => rowOf(result, c)),
    highlightRow: (row) => rec !== undefined && row.memorySizeMB === rec.memorySizeMB,
  };
  return [
    {
      heading: `Power tuning: ${result.functionName}`,
      text:
        (rec === undefined
          ? 'A dry run: one invocation per memory size, nothing recommended.'
          : `${rec.memorySizeMB} MB is recommended by the ${result.strategy} strategy: ${rec.reason}.`) + warnings,
      blocks: [summary, table],
    },
    {
      heading: `Power tuning charts: ${result.functionName}`,
      blocks: tuneCharts(result).map((chart) => ({ kind: 'chart', chart })),
    },
  ];
}

/**
 * A power-tuning result as a report document: the recommendation and why, a table per memory size (warm p50, p90,
 * p99, mean ± 95% CI, cold Init and Duration, cost per invocation and per million, errors, memory headroom, flags)
 * with the recommended row highlighted, and charts of cost and duration per size, cost vs duration with the Pareto
 * frontier, the duration distribution of every size (CDF) and of the recommended one (histogram), and cold vs warm.
 *
 * @example
 * ```ts
 * const result = await powerTune({ lambda }, { functionName: 'resize', memorySizes: [256, 512, 1024] });
 * await writeFile('tune.html', renderHtmlReport(tuneReportDocument(result)));
 * console.log(renderTextReport(tuneReportDocument(result)));
 * ```
 */
export function tuneReportDocument(result: TuneResult, options: ResultReportOptions = {}): ReportDocument {
  const rec = result.recommendation;
  return {
    ...header(
      options,
      `Power tuning: ${result.functionName}`,
      `${result.strategy} strategy · ${result.configurations.length} memory sizes · ${formatCount(result.invocations)} invocations` +
        (rec === undefined ? '' : ` · recommended ${rec.memorySizeMB} MB`),
    ),
    sections: tuneReportSections(result),
  };
}
