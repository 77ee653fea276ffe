/**
 * An HTTP phase-timing measurement (`HttpResult` of `lambda-meter/http`) as a report document.
 *
 * @module
 */
import type { HttpResult, HttpSeries, HttpTimingName } from '../../http/types.js';
import { histogram } from '../../stats/histogram.js';
import type { ChartSpec, ReportBlock, ReportDocument, ReportSection } from '../types.js';
import { formatCount, formatFixed } from '../format.js';
import { countsText, ciHalfWidth, header, meanWithCi } from './common.js';
import type { ResultReportOptions } from './common.js';

/** The phases that follow each other (they add up to the total), in order. */
const PHASES: readonly { readonly key: HttpTimingName; readonly label: string }[] = [
  { key: 'dnsMs', label: 'DNS' },
  { key: 'connectMs', label: 'connect' },
  { key: 'tlsMs', label: 'TLS' },
  { key: 'sendMs', label: 'send' },
  { key: 'waitingMs', label: 'waiting (TTFB)' },
  { key: 'downloadMs', label: 'download' },
];

const modeLabel = (s: HttpSeries): string => (s.reuseConnections ? 'keep-alive (reused connections)' : 'new connection per request');

function seriesOf(result: HttpResult): HttpSeries[] {
  return [result.withReuse, result.withoutReuse].filter((s): s is HttpSeries => s !== undefined);
}

/** The charts of an HTTP result: the mean phases stacked per mode, and a histogram of totals per mode. */
export function httpCharts(result: HttpResult): ChartSpec[] {
  const all = seriesOf(result);
  const measured = all.filter((s) => s.phases !== undefined);
  const charts: ChartSpec[] = [];
  if (measured.length > 0) {
    charts.push({
      type: 'stacked-bar',
      title: 'Request phases (mean)',
      description: 'Mean time of each phase of the successful requests; the phases follow each other, so a bar is the mean total.',
      x: { label: 'time', unit: 'ms' },
      segments: PHASES.map((p) => p.label),
      bars: measured.map((s) => ({ label: s.reuseConnections ? 'keep-alive' : 'new connection', values: PHASES.map((p) => s.phases?.[p.key].mean ?? 0) })),
    });
  }
  for (const s of all) {
    const totals = s.samples.filter((x) => x.ok).map((x) => x.timings.totalMs);
    if (totals.length === 0) continue;
    const h = histogram(totals, { bins: Math.min(30, Math.max(5, Math.ceil(Math.sqrt(totals.length)))) });
    charts.push({
      type: 'histogram',
      title: `Total request time: ${s.reuseConnections ? 'keep-alive' : 'new connection'}`,
      description: `${totals.length} successful requests, ${modeLabel(s)}.`,
      x: { label: 'total', unit: 'ms' },
      countLabel: 'requests',
      bins: h.bins,
      ...(s.phases === undefined
        ? {}
        : {
            markers: [
              { label: 'p50', value: s.phases.totalMs.p50 },
              { label: 'p99', value: s.phases.totalMs.p99 },
            ],
          }),
    });
  }
  return charts;
}

function seriesBlocks(s: HttpSeries): ReportBlock[] {
  const summary: ReportBlock = {
    kind: 'keyValue',
    caption: modeLabel(s),
    entries: [
      { label: 'Succeeded / failed', value: `${s.succeeded} / ${s.failed}` },
      { label: 'Connections opened', value: s.connectionsOpened, format: 'integer' },
      { label: 'Wall time', value: s.durationMs, format: 'ms' },
      { label: 'Status codes', value: countsText(s.statusCodes) || 'none' },
      { label: 'Failures', value: countsText(s.errors as Readonly<Record<string, number>>) || 'none' },
    ],
  };
  if (s.phases === undefined) return [summary];
  const phases = s.phases;
  return [
    summary,
    {
      kind: 'table',
      caption: `Phases: ${modeLabel(s)}`,
      columns: [
        { key: 'phase', label: 'phase' },
        { key: 'p50', label: 'p50', format: 'ms' },
        { key: 'p90', label: 'p90', format: 'ms' },
        { key: 'p95', label: 'p95', format: 'ms' },
        { key: 'p99', label: 'p99', format: 'ms' },
        { key: 'mean', label: 'mean ± 95% CI', format: meanWithCi('half'), align: 'right' },
      ],
      rows: [...PHASES, { key: 'totalMs' as const, label: 'total' }].map((p) => {
        const sum = phases[p.key];
        return { phase: p.label, p50: sum.p50, p90: sum.p90, p95: sum.p95, p99: sum.p99, mean: sum.mean, half: ciHalfWidth(sum) };
      }),
      highlightRow: (row) => row.phase === 'total',
    },
  ];
}

/** The sections of an HTTP result's document. */
export function httpReportSections(result: HttpResult): ReportSection[] {
  const all = seriesOf(result);
  const reuse = result.withReuse?.phases?.totalMs.p50;
  const fresh = result.withoutReuse?.phases?.totalMs.p50;
  const text =
    reuse !== undefined && fresh !== undefined
      ? `A new connection per request took ${formatFixed(fresh, 2)} ms (p50) against ${formatFixed(reuse, 2)} ms over reused connections: ${formatFixed(fresh - reuse, 2)} ms of connection set-up.`
      : undefined;
  return [
    {
      heading: `HTTP timings: ${result.method} ${result.url}`,
      ...(text === undefined ? {} : { text }),
      blocks: all.flatMap(seriesBlocks),
    },
    { heading: 'HTTP charts', blocks: httpCharts(result).map((chart) => ({ kind: 'chart', chart })) },
  ];
}

/**
 * An HTTP result as a report document: per connection-reuse mode, the counts and a table of every phase's
 * statistics (DNS, connect, TLS, send, waiting, download, total), the mean phases as stacked bars, and a histogram
 * of total request times with p50 and p99 marked.
 *
 * @example
 * ```ts
 * const r = await measureHttp({ url, count: 100, reuseConnections: 'both' });
 * await writeFile('http.html', renderHtmlReport(httpReportDocument(r)));
 * ```
 */
export function httpReportDocument(result: HttpResult, options: ResultReportOptions = {}): ReportDocument {
  return {
    ...header(options, `HTTP timings: ${result.url}`, `${result.method} · ${formatCount(result.count)} requests per series · concurrency ${result.concurrency}`),
    sections: httpReportSections(result),
  };
}
