/**
 * An asynchronous-invocation diagnosis (`AsyncDiagnosis` of `lambda-meter/diagnose`) as a report document.
 *
 * @module
 */
import type { AsyncDiagnosis, AsyncFinding } from '../../diagnose/types.js';
import type { MetricSeries } from '../../metrics/types.js';
import { formatSignificant, formatUtc } from '../format.js';
import type { ChartSpec, ReportBlock, ReportDocument, ReportFinding, ReportSection, TimeSeries } from '../types.js';
import { header } from './common.js';
import type { ResultReportOptions } from './common.js';

const TITLES: Readonly<Record<AsyncFinding['code'], string>> = {
  'function-errors': 'Function errors: events retried and dropped',
  'concurrency-throttling': 'Throttled by concurrency: events delayed',
  'events-expired': 'Events expired in the queue',
  'zero-reserved-concurrency': 'Reserved concurrency is 0: events dropped',
  healthy: 'Healthy: nothing delayed or lost',
};

/** A diagnosis finding as a report finding: the summary as its first evidence line, then the numbers. */
export function reportFindingOf(f: AsyncFinding): ReportFinding {
  return {
    severity: f.severity,
    title: `${TITLES[f.code]} (${f.code})`,
    evidence: [f.summary, ...Object.entries(f.evidence).map(([k, v]) => `${k}: ${formatSignificant(v, 6)}`)],
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

/** The charts of a diagnosis: event counts, event age, and concurrency over time. */
export function asyncDiagnosisCharts(d: AsyncDiagnosis): ChartSpec[] {
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
      description: `Time from queueing to the start of an attempt, ${period}.`,
      y: { label: 'AsyncEventAge', unit: 'ms' },
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

/** The sections of a diagnosis's document. */
export function asyncDiagnosisReportSections(d: AsyncDiagnosis): ReportSection[] {
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
      { metric: 'AsyncEventAge average (ms)', value: t.asyncEventAgeAvgMs },
      { metric: 'AsyncEventAge maximum (ms)', value: t.asyncEventAgeMaxMs },
      { metric: 'ConcurrentExecutions maximum', value: t.concurrentExecutionsMax },
      { metric: 'DeadLetterErrors', value: t.deadLetterErrors },
      { metric: 'DestinationDeliveryFailures', value: t.destinationDeliveryFailures },
    ],
  };
  const blocks: ReportBlock[] = [{ kind: 'findings', caption: 'Findings', findings: d.findings.map(reportFindingOf) }, settings, totals];
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
      ...(worst === undefined ? {} : { text: worst.summary }),
      blocks,
    },
    { heading: `Async metrics over time: ${d.functionName}`, blocks: asyncDiagnosisCharts(d).map((chart) => ({ kind: 'chart', chart })) },
  ];
}

/**
 * An asynchronous-invocation diagnosis as a report document: the findings (most severe first) with their evidence
 * and advice, the settings and totals they rest on, what the log says, and the metric series over time as line
 * charts (events, throttles and drops; AsyncEventAge; concurrent executions).
 *
 * @example
 * ```ts
 * const d = await diagnoseAsync({ lambda, cloudwatch }, { functionName: 'orders', startTime, endTime });
 * console.log(renderTextReport(asyncDiagnosisReportDocument(d), { charts: 'omit' }));
 * ```
 */
export function asyncDiagnosisReportDocument(d: AsyncDiagnosis, options: ResultReportOptions = {}): ReportDocument {
  return {
    ...header(
      options,
      `Async diagnosis: ${d.functionName}`,
      `${d.findings.map((f) => `${f.severity}: ${f.code}`).join(' · ')} · ${formatUtc(d.startTime)} – ${formatUtc(d.endTime)}`,
    ),
    sections: asyncDiagnosisReportSections(d),
  };
}
