/**
 * An asynchronous-invocation diagnosis (`AsyncDiagnosis` of `lambda-meter/diagnose`) as a report document.
 *
 * @module
 */
import type { AsyncDiagnosis, AsyncFinding } from '../../diagnose/types.js';
import type { MetricSeries } from '../../metrics/types.js';
import { formatCount, formatSignificant, formatUtc } from '../format.js';
import type { ChartSpec, ReportBlock, ReportDocument, ReportFinding, ReportSection, TimeSeries } from '../types.js';
import { header } from './common.js';
import type { ResultReportOptions } from './common.js';

/** The time scale of the figures of an async diagnosis measured on `lambda-meter/local`'s scaled queue. */
export interface ScaledTimeOptions {
  /**
   * How many times faster than real time the async queue ran (`lambda-meter/local`'s `timeScale`): AsyncEventAge is
   * measured on that scaled clock, so above 1 every such figure is labelled `(local time ×60)` and the report says how
   * to convert it to wall-clock time.
   * @default 1 (AWS: real time); for the whole-document functions, the diagnosis's own `timeScale` when it carries one
   */
  readonly timeScale?: number;
}

/** Options of {@link asyncDiagnosisReportDocument}: a title and a time, and the async queue's time scale. */
export interface AsyncDiagnosisReportOptions extends ResultReportOptions, ScaledTimeOptions {}

/** The time scale a diagnosis's AsyncEventAge figures were measured at: the option, the diagnosis's own, else 1. */
function scaleOf(d: AsyncDiagnosis, options: { readonly timeScale?: number }): number {
  const scale = options.timeScale ?? (d as AsyncDiagnosis & { readonly timeScale?: number }).timeScale ?? 1;
  return Number.isFinite(scale) && scale > 0 ? scale : 1;
}

/** The label of a figure on the async queue's scaled clock: ` (local time ×60)`; '' in real time. */
function scaledLabel(timeScale: number): string {
  return timeScale === 1 ? '' : ` (local time ×${formatSignificant(timeScale, 6)})`;
}

/**
 * A finding's summary with every AsyncEventAge figure (its `… ms`) labelled as scaled time when the queue ran
 * `timeScale` times faster than real time (`lambda-meter/local`); the summary itself at 1.
 *
 * @example
 * ```ts
 * asyncFindingSummary(finding, { timeScale: 60 }); // '… queued events waited up to 813,068 ms (local time ×60) (AsyncEventAge).'
 * ```
 */
export function asyncFindingSummary(f: AsyncFinding, options: ScaledTimeOptions = {}): string {
  const label = scaledLabel(options.timeScale ?? 1);
  return label === '' ? f.summary : f.summary.replace(/(\d[\d,]*(?:\.\d+)?) ms\b/g, `$1 ms${label}`);
}

/**
 * What a report says about a diagnosis measured on a scaled clock: how many times faster the queue ran and how to get
 * wall-clock time; undefined in real time.
 */
function scaledNote(d: AsyncDiagnosis, timeScale: number): string | undefined {
  if (timeScale === 1) return undefined;
  const scale = formatSignificant(timeScale, 6);
  const max = d.totals.asyncEventAgeMaxMs;
  return (
    `lambda-meter/local ran the async queue ${scale}× faster than real time: AsyncEventAge figures are on that scaled clock, ` +
    `the one MaximumEventAgeInSeconds and the retry waits are counted on, so they read as they would on AWS; divide by ${scale} for wall-clock time` +
    (max === undefined ? '.' : ` (the largest, ${formatCount(max)} ms, took ${formatCount(max / timeScale)} ms of wall-clock time).`)
  );
}

const TITLES: Readonly<Record<AsyncFinding['code'], string>> = {
  'function-errors': 'Function errors: events retried and dropped',
  'concurrency-throttling': 'Throttled by concurrency: events delayed',
  'events-expired': 'Events expired in the queue',
  'zero-reserved-concurrency': 'Reserved concurrency is 0: events dropped',
  healthy: 'Healthy: nothing delayed or lost',
};

/**
 * A diagnosis finding as a report finding: the summary as its first evidence line, then the numbers; AsyncEventAge
 * figures labelled as scaled time when `timeScale` is above 1.
 *
 * @example
 * ```ts
 * reportFindingOf(diagnosis.findings[0], { timeScale: 60 });
 * ```
 */
export function reportFindingOf(f: AsyncFinding, options: ScaledTimeOptions = {}): ReportFinding {
  const label = scaledLabel(options.timeScale ?? 1);
  return {
    severity: f.severity,
    title: `${TITLES[f.code]} (${f.code})`,
    evidence: [
      asyncFindingSummary(f, options),
      ...Object.entries(f.evidence).map(([k, v]) => `${k}: ${formatSignificant(v, 6)}${/^AsyncEventAge.*Ms$/.test(k) ? label : ''}`),
    ],
    advice: f.advice,
  };
}

function line(name: string, s: MetricSeries | undefined): TimeSeries | undefined {
  return s === undefined ? undefined : { name, points: s.points.map((p) => ({ time: p.timestamp, value: p.value })) };
}

function lines(series: Readonly<Record<string, MetricSeries>>, keys: readonly [string, string][]): TimeSeries[] {
  return keys.flatMap(([key, name]) => {
    const l = line(name, series[key]);
    return l === undefined ? [] : [l];
  });
}

/**
 * The charts of a diagnosis: event counts, event age (labelled as scaled time when `timeScale` is above 1), and
 * concurrency over time.
 *
 * @example
 * ```ts
 * asyncDiagnosisCharts(diagnosis, { timeScale: 60 }).map((c) => renderChartSvg(c));
 * ```
 */
export function asyncDiagnosisCharts(d: AsyncDiagnosis, options: ScaledTimeOptions = {}): ChartSpec[] {
  const label = scaledLabel(options.timeScale ?? 1);
  const period = `per ${d.periodSeconds} s`;
  const counts = lines(d.series, [
    ['AsyncEventsReceived', 'AsyncEventsReceived'],
    ['Invocations', 'Invocations'],
    ['Throttles', 'Throttles'],
    ['Errors', 'Errors'],
    ['AsyncEventsDropped', 'AsyncEventsDropped'],
  ]);
  const age = lines(d.series, [
    ['AsyncEventAgeAverage', 'AsyncEventAge (average)'],
    ['AsyncEventAgeMaximum', 'AsyncEventAge (maximum)'],
  ]);
  const concurrency = lines(d.series, [['ConcurrentExecutions', 'ConcurrentExecutions (maximum)']]);
  const charts: ChartSpec[] = [];
  if (counts.length > 0) {
    charts.push({
      type: 'line',
      title: `Async events, invocations, throttles and drops: ${d.functionName}`,
      description: `Sum ${period}, from CloudWatch's AWS/Lambda namespace.`,
      y: { label: 'count', unit: 'count', integer: true },
      series: counts,
    });
  }
  if (age.length > 0) {
    charts.push({
      type: 'line',
      title: `AsyncEventAge: ${d.functionName}`,
      description: `Time from queueing to the start of an attempt, ${period}${label === '' ? '' : `, on the async queue's clock${label}`}.`,
      y: { label: `AsyncEventAge${label}`, unit: 'ms' },
      series: age,
    });
  }
  if (concurrency.length > 0) {
    const reserved = d.reservedConcurrency;
    charts.push({
      type: 'line',
      title: `Concurrent executions: ${d.functionName}`,
      description: `Peak ${period}${reserved === undefined ? '' : `; reserved concurrency is ${reserved}`}.`,
      y: { label: 'concurrent executions', unit: 'count', integer: true },
      series: concurrency,
    });
  }
  return charts;
}

/**
 * The sections of a diagnosis's document (`options.timeScale` as for {@link asyncDiagnosisReportDocument}).
 *
 * @example
 * ```ts
 * const sections = asyncDiagnosisReportSections(diagnosis, { timeScale: 60 });
 * ```
 */
export function asyncDiagnosisReportSections(d: AsyncDiagnosis, options: { readonly timeScale?: number } = {}): ReportSection[] {
  const timeScale = scaleOf(d, options);
  const label = scaledLabel(timeScale);
  const note = scaledNote(d, timeScale);
  const c = d.eventInvokeConfig;
  const t = d.totals;
  const settings: ReportBlock = {
    kind: 'keyValue',
    caption: 'Settings',
    entries: [
      { label: 'Function', value: d.qualifier === undefined ? d.functionName : `${d.functionName}:${d.qualifier}` },
      { label: 'Range', value: `${formatUtc(d.startTime)} – ${formatUtc(d.endTime)} (period ${d.periodSeconds} s)` },
      { label: 'Reserved concurrency', value: d.reservedConcurrency ?? 'none (unreserved pool)' },
      { label: 'MaximumRetryAttempts', value: c.maximumRetryAttempts, format: 'integer' },
      { label: 'MaximumEventAgeInSeconds', value: c.maximumEventAgeInSeconds, format: 'integer' },
      { label: 'On-failure destination', value: c.onFailureDestination ?? 'none' },
      { label: 'Event invoke config', value: c.source === 'configured' ? 'configured' : "none configured: Lambda's defaults" },
    ],
  };
  const totals: ReportBlock = {
    kind: 'table',
    caption: 'Totals over the range',
    columns: [
      { key: 'metric', label: 'metric' },
      { key: 'value', label: 'value', align: 'right' },
    ],
    rows: [
      { metric: 'AsyncEventsReceived', value: t.asyncEventsReceived },
      { metric: 'Invocations', value: t.invocations },
      { metric: 'Errors', value: t.errors },
      { metric: 'Throttles', value: t.throttles },
      { metric: 'AsyncEventsDropped', value: t.asyncEventsDropped },
      { metric: `AsyncEventAge average (ms)${label}`, value: t.asyncEventAgeAvgMs },
      { metric: `AsyncEventAge maximum (ms)${label}`, value: t.asyncEventAgeMaxMs },
      { metric: 'ConcurrentExecutions maximum', value: t.concurrentExecutionsMax },
      { metric: 'DeadLetterErrors', value: t.deadLetterErrors },
      { metric: 'DestinationDeliveryFailures', value: t.destinationDeliveryFailures },
    ],
  };
  const blocks: ReportBlock[] = [{ kind: 'findings', caption: 'Findings', findings: d.findings.map((f) => reportFindingOf(f, { timeScale })) }, settings, totals];
  if (d.logs !== undefined) {
    blocks.push({
      kind: 'keyValue',
      caption: 'From the log (Logs Insights)',
      entries: [
        { label: 'REPORT lines', value: d.logs.reports, format: 'integer' },
        { label: 'Distinct request ids', value: d.logs.requestIds, format: 'integer' },
        { label: 'Retried request ids', value: d.logs.retriedRequestIds, format: 'integer' },
        { label: 'Duration p50', value: d.logs.durationMs?.p50, format: 'ms' },
        { label: 'Duration p99', value: d.logs.durationMs?.p99, format: 'ms' },
        { label: 'Timeouts', value: d.logs.timeouts, format: 'integer' },
        {
          label: 'Errors by type',
          value:
            Object.entries(d.logs.errorsByType)
              .map(([k, n]) => `${k} ×${n}`)
              .join(', ') || 'none',
        },
      ],
    });
  }
  const worst = d.findings[0];
  return [
    {
      heading: `Async diagnosis: ${d.functionName}`,
      ...(worst === undefined && note === undefined
        ? {}
        : { text: [worst === undefined ? undefined : asyncFindingSummary(worst, { timeScale }), note].filter((x) => x !== undefined).join('\n\n') }),
      blocks,
    },
    { heading: `Async metrics over time: ${d.functionName}`, blocks: asyncDiagnosisCharts(d, { timeScale }).map((chart) => ({ kind: 'chart', chart })) },
  ];
}

/**
 * An asynchronous-invocation diagnosis as a report document: the findings (most severe first) with their evidence
 * and advice, the settings and totals they rest on, what the log says, and the metric series over time as line
 * charts (events, throttles and drops; AsyncEventAge; concurrent executions). A diagnosis of `lambda-meter/local`
 * with a `timeScale` (pass `options.timeScale`) labels every AsyncEventAge figure `(local time ×60)` and says how to
 * get wall-clock time.
 *
 * @example
 * ```ts
 * const d = await diagnoseAsync({ lambda, cloudwatch }, { functionName: 'orders', startTime, endTime });
 * console.log(renderTextReport(asyncDiagnosisReportDocument(d), { charts: 'omit' }));
 * // against lambda-meter/local started with timeScale: 60
 * renderHtmlReport(asyncDiagnosisReportDocument(d, { timeScale: 60 }));
 * ```
 */
export function asyncDiagnosisReportDocument(d: AsyncDiagnosis, options: AsyncDiagnosisReportOptions = {}): ReportDocument {
  return {
    ...header(
      options,
      `Async diagnosis: ${d.functionName}`,
      `${d.findings.map((f) => `${f.severity}: ${f.code}`).join(' · ')} · ${formatUtc(d.startTime)} – ${formatUtc(d.endTime)}`,
    ),
    sections: asyncDiagnosisReportSections(d, options),
  };
}
