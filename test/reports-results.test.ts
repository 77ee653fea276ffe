/**
 * The result mappers of lambda-meter/reports: tuning, cold-start, async-diagnosis and HTTP results as documents,
 * their merge, and the text summaries. The results are built by hand from the result types, with figures shaped
 * like a CPU-bound function measured on lambda-meter/local (CPU in proportion to memory, us-east-1 x86_64 prices);
 * the pipelines themselves run end to end in test/demo.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { ColdStartResult, ColdStartSample } from '../src/coldstarts/index.js';
import type { AsyncDiagnosis } from '../src/diagnose/index.js';
import type { HttpResult, HttpSample, HttpSeries, HttpTimings } from '../src/http/index.js';
import type { MetricSeries } from '../src/metrics/index.js';
import {
  asyncDiagnosisReportDocument,
  asyncFindingSummary,
  coldStartReportDocument,
  combinedReportDocument,
  httpReportDocument,
  isReportDocument,
  renderCsvReport,
  renderHtmlReport,
  renderJsonReport,
  renderMarkdownReport,
  renderTextReport,
  summarizeAsyncDiagnosis,
  summarizeColdStartResult,
  summarizeHttpResult,
  summarizeTuneResult,
  tuneReportDocument,
  withoutCharts,
} from '../src/reports/index.js';
import type { ChartSpec, ReportBlock, ReportChart, ReportDocument, ReportTable } from '../src/reports/index.js';
import { summarize } from '../src/stats/index.js';
import type { TuneConfiguration, TuneResult } from '../src/tune/index.js';
import { visualizationUrl } from '../src/tune/index.js';

const AT = Date.UTC(2026, 10, 30, 10, 15);
const GB_SECOND_USD = 0.0000166667;
const REQUEST_USD = 0.0000002;

/** A deterministic spread of `n` values around `median` (±8%, a few slow ones). */
function around(median: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.round(median * (0.92 + ((i * 37) % 17) / 100 + (i % 9 === 8 ? 0.3 : 0)) * 100) / 100);
}

function configuration(memorySizeMB: number, options: { failed?: boolean; eliminated?: boolean } = {}): TuneConfiguration {
  const share = Math.min(memorySizeMB / 1769, 1);
  const warm = around(24 / share, 10);
  const cold = around(24 / share, 1);
  const init = around(180 / Math.max(share, 0.25), 1);
  const warmSummary = summarize(warm);
  const perInvocationUSD = (memorySizeMB / 1024) * (Math.ceil(warmSummary.mean) / 1000) * GB_SECOND_USD + REQUEST_USD;
  return {
    memorySizeMB,
    invocations: 11,
    warmInvocations: 10,
    warm: warmSummary,
    coldStarts: {
      count: 1,
      initDurationMs: summarize(init),
      durationMs: summarize(cold),
      totalMs: summarize([init[0]! + cold[0]!]),
      costPerInvocationUSD: perInvocationUSD * 1.1,
    },
    billedDurationMs: summarize(warm.map(Math.ceil)),
    cost: { perInvocationUSD, perMillionUSD: perInvocationUSD * 1e6, totalUSDExact: String(perInvocationUSD * 11), totalUSD: perInvocationUSD * 11 },
    objectiveDurationMs: warmSummary.mean,
    objectiveCostUSD: perInvocationUSD,
    objectiveDurationsMs: warm,
    errors: options.failed === true ? { 'Runtime.OutOfMemory': 2 } : {},
    failed: options.failed === true,
    eliminated: options.eliminated === true,
    maxMemoryUsedMB: Math.min(memorySizeMB, 58),
    headroomMB: memorySizeMB - Math.min(memorySizeMB, 58),
    timedOut: false,
    outOfMemory: options.failed === true,
  };
}

function tuneResult(): TuneResult {
  const configurations = [
    configuration(128, { eliminated: true, failed: true }),
    configuration(256, { eliminated: true }),
    configuration(512),
    configuration(1024),
    configuration(1769),
    configuration(3008),
  ];
  const base = {
    functionName: 'cpu',
    recommendation: { memorySizeMB: 1769, reason: 'lowest balanced score 0.3512 (0.5 × cost/max cost + 0.5 × duration/max duration) at 1769 MB' },
    strategy: 'balanced' as const,
    balancedWeight: 0.5,
    discardTopBottom: 0.2,
    tieTolerance: 0.05,
    configurations,
    paretoFrontier: [256, 512, 1024, 1769],
    invocations: 66,
    cleanup: { restored: true as const, deletedVersions: ['1', '2', '3', '4', '5', '6'], deletedAliases: ['a', 'b', 'c', 'd', 'e', 'f'] },
    applied: { target: '$LATEST', memorySizeMB: 1769, version: undefined },
    warnings: [],
  };
  return { ...base, visualizationUrl: visualizationUrl(base) };
}

function sample(index: number, kind: 'cold' | 'warm', durationMs: number, initDurationMs?: number): ColdStartSample {
  return {
    index,
    requestId: `req-${kind}-${index}`,
    executedVersion: '$LATEST',
    kind,
    initDurationMs,
    durationMs,
    billedDurationMs: Math.ceil(durationMs + (initDurationMs ?? 0)),
    innerDurationMs: undefined,
    wrapperColdStart: undefined,
    clientLatencyMs: durationMs + (initDurationMs ?? 0) + 4,
    functionError: undefined,
    report: undefined,
    warnings: [],
  };
}

function coldStartResult(): ColdStartResult {
  const cold = around(75, 5).map((d, i) => sample(i, 'cold', d, 190 + i * 7));
  const warm = around(71, 10).map((d, i) => sample(i, 'warm', d));
  const stats = (samples: ColdStartSample[]) => ({
    count: samples.length,
    initDurationMs: samples.some((s) => s.initDurationMs !== undefined) ? summarize(samples.map((s) => s.initDurationMs!)) : undefined,
    durationMs: summarize(samples.map((s) => s.durationMs!)),
    billedDurationMs: summarize(samples.map((s) => s.billedDurationMs!)),
    initPlusDurationMs: summarize(samples.map((s) => (s.initDurationMs ?? 0) + s.durationMs!)),
    innerDurationMs: undefined,
    clientLatencyMs: summarize(samples.map((s) => s.clientLatencyMs)),
  });
  return {
    functionName: 'io',
    method: 'update-environment',
    samples: cold,
    warmSamples: warm,
    cold: stats(cold),
    warm: { ...stats(warm), initDurationMs: undefined },
    notCold: 0,
    notWarm: 0,
    failed: 0,
    idleProbe: [
      { gapMs: 250, invocations: 2, coldStarts: 0, unknown: 0, coldShare: 0, samples: [] },
      { gapMs: 3500, invocations: 2, coldStarts: 2, unknown: 0, coldShare: 1, samples: [] },
    ],
    cleanup: { environmentRestored: true, versionsDeleted: [] },
    warnings: [],
  };
}

function series(id: string, values: number[]): MetricSeries {
  return { id, label: id, statusCode: 'Complete', messages: [], points: values.map((value, i) => ({ timestamp: AT - (values.length - i) * 60_000, value })) };
}

function diagnosis(): AsyncDiagnosis {
  return {
    functionName: 'io-async',
    qualifier: undefined,
    startTime: AT - 10 * 60_000,
    endTime: AT,
    periodSeconds: 60,
    findings: [
      {
        code: 'concurrency-throttling',
        severity: 'warning',
        summary: 'Throttles: 9 attempts were throttled at reserved concurrency 1, and queued events waited up to 182,400 ms (AsyncEventAge).',
        evidence: { Throttles: 9, AsyncEventAgeMaxMs: 182_400, AsyncEventAgeAvgMs: 61_000, ConcurrentExecutionsMax: 1, ReservedConcurrentExecutions: 1 },
        advice: ['Raise reserved concurrency above 1 (PutFunctionConcurrency).', 'Shorten invocations.'],
      },
    ],
    totals: {
      asyncEventsReceived: 6,
      asyncEventsDropped: 0,
      throttles: 9,
      errors: 0,
      invocations: 6,
      deadLetterErrors: 0,
      destinationDeliveryFailures: 0,
      asyncEventAgeSamples: 6,
      asyncEventAgeAvgMs: 61_000,
      asyncEventAgeMaxMs: 182_400,
      concurrentExecutionsMax: 1,
    },
    reservedConcurrency: 1,
    eventInvokeConfig: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 21_600, onFailureDestination: undefined, source: 'default' },
    series: {
      AsyncEventsReceived: series('received', [0, 6, 0]),
      Invocations: series('invocations', [0, 4, 2]),
      Throttles: series('throttles', [0, 7, 2]),
      Errors: series('errors', [0, 0, 0]),
      AsyncEventsDropped: series('dropped', [0, 0, 0]),
      ConcurrentExecutions: series('concurrent', [0, 1, 1]),
      AsyncEventAgeAverage: series('ageavg', [0, 40_000, 120_000]),
      AsyncEventAgeMaximum: series('agemax', [0, 90_000, 182_400]),
    },
    logs: undefined,
  };
}

function timings(reused: boolean, i: number): HttpTimings {
  const dnsMs = reused ? 0 : 0.4;
  const connectMs = reused ? 0 : 0.9;
  const tlsMs = reused ? 0 : 6.2 + (i % 3);
  const sendMs = 0.2;
  const waitingMs = 18 + (i % 7);
  const downloadMs = 0.5;
  return { dnsMs, connectMs, tlsMs, sendMs, waitingMs, downloadMs, totalMs: dnsMs + connectMs + tlsMs + sendMs + waitingMs + downloadMs };
}

function httpSeries(reuse: boolean): HttpSeries {
  const samples: HttpSample[] = Array.from({ length: 30 }, (_, i) => ({
    index: i,
    reuseConnections: reuse,
    startedAt: AT + i * 30,
    offsetMs: i * 30,
    ok: true,
    statusCode: 200,
    bytes: 120,
    socketReused: reuse && i > 0,
    connectionId: reuse ? 1 : i + 1,
    timings: timings(reuse && i > 0, i),
    requestId: `r${i}`,
    awsHeaders: {},
    error: undefined,
  }));
  const phase = (k: keyof HttpTimings) => summarize(samples.map((s) => s.timings[k]));
  return {
    reuseConnections: reuse,
    samples,
    succeeded: 30,
    failed: 0,
    connectionsOpened: reuse ? 1 : 30,
    durationMs: 900,
    phases: {
      dnsMs: phase('dnsMs'),
      connectMs: phase('connectMs'),
      tlsMs: phase('tlsMs'),
      sendMs: phase('sendMs'),
      waitingMs: phase('waitingMs'),
      downloadMs: phase('downloadMs'),
      totalMs: phase('totalMs'),
    },
    statusCodes: { 200: 30 },
    errors: {},
  };
}

function httpResult(): HttpResult {
  return { url: 'https://abc.lambda-url.us-east-1.on.aws/', method: 'GET', count: 30, concurrency: 1, withReuse: httpSeries(true), withoutReuse: httpSeries(false) };
}

function blocksOf(doc: ReportDocument): ReportBlock[] {
  return doc.sections.flatMap((s) => s.blocks);
}
function tablesOf(doc: ReportDocument): ReportTable[] {
  return blocksOf(doc).filter((b): b is ReportTable => b.kind === 'table');
}
function chartsOf(doc: ReportDocument): ChartSpec[] {
  return blocksOf(doc)
    .filter((b): b is ReportChart => b.kind === 'chart')
    .map((b) => b.chart);
}

describe('tuneReportDocument', () => {
  const result = tuneResult();
  const doc = tuneReportDocument(result, { generatedAt: AT });

  it('has one row per memory size, the recommended one highlighted, with the figures and flags', () => {
    expect(isReportDocument(doc)).toBe(true);
    expect(doc.title).toBe('Power tuning: cpu');
    const [table] = tablesOf(doc);
    expect(table?.rows.map((r) => r.memorySizeMB)).toEqual([128, 256, 512, 1024, 1769, 3008]);
    expect(table?.rows.filter((r) => table.highlightRow?.(r) === true).map((r) => r.memorySizeMB)).toEqual([1769]);
    const labels = table?.columns.map((c) => c.label) ?? [];
    for (const label of ['warm p50', 'warm p90', 'warm p99', 'warm mean ± 95% CI', 'cold Init p50', 'cold Duration p50', 'cost / invocation', 'cost / million', 'errors', 'max memory used', 'headroom', 'flags']) {
      expect(labels).toContain(label);
    }
    const row128 = table?.rows[0];
    expect(row128?.errors).toBe('Runtime.OutOfMemory ×2');
    expect(row128?.flags).toBe('eliminated early, failed, out of memory');
    expect(table?.rows[4]?.flags).toBe('recommended, Pareto frontier');
    expect(table?.rows[4]?.warmP50Ms).toBe(result.configurations[4]?.warm?.p50);
  });

  it('draws cost and duration bars with the recommendation highlighted, the frontier, and cold vs warm; failed sizes left out', () => {
    const charts = chartsOf(doc);
    expect(charts.map((c) => c.type)).toEqual(['bar', 'bar', 'scatter', 'cdf', 'histogram', 'grouped-bar']);
    for (const bar of charts.filter((c) => c.type === 'bar')) {
      expect(bar.bars.map((b) => b.label)).toEqual(['256 MB', '512 MB', '1024 MB', '1769 MB', '3008 MB']);
      expect(bar.bars.filter((b) => b.highlight === true).map((b) => b.label)).toEqual(['1769 MB']);
    }
    const scatter = charts.find((c) => c.type === 'scatter');
    expect(scatter?.frontier).toEqual(['256 MB', '512 MB', '1024 MB', '1769 MB']);
    expect(scatter?.points.find((p) => p.highlight === true)?.label).toBe('1769 MB');
    const grouped = charts.find((c) => c.type === 'grouped-bar');
    expect(grouped?.series.map((s) => s.name)).toEqual(['warm Duration', 'cold Duration', 'cold Init + Duration']);
  });

  it('draws the compared durations: a CDF line per usable size and a histogram of the recommended one', () => {
    const charts = chartsOf(doc);
    const cdf = charts.find((c) => c.type === 'cdf');
    expect(cdf?.series.map((s) => s.name)).toEqual(['256 MB', '512 MB', '1024 MB', '1769 MB', '3008 MB']);
    const at1769 = result.configurations.find((c) => c.memorySizeMB === 1769);
    expect(cdf?.series[3]?.values).toEqual(at1769?.objectiveDurationsMs);
    const hist = charts.find((c) => c.type === 'histogram');
    expect(hist?.title).toMatch(/recommended 1769 MB/);
    // Every compared invocation falls in exactly one bin.
    expect(hist?.bins.reduce((n, b) => n + b.count, 0)).toBe(at1769?.objectiveDurationsMs.length);
    expect(hist?.markers?.map((m) => m.label)).toEqual(['p50', 'p99']);
    expect(hist?.markers?.[0]?.value).toBe(at1769?.warm?.p50);
    const durationBar = charts.filter((c) => c.type === 'bar')[1];
    expect(durationBar?.description).toMatch(/fastest and slowest 20%/);
  });

  it('carries the recommendation, its reason and the visualization URL', () => {
    const kv = blocksOf(doc).find((b) => b.kind === 'keyValue');
    const entries = kv?.kind === 'keyValue' ? Object.fromEntries(kv.entries.map((e) => [e.label, e.value])) : {};
    expect(entries['Recommended memory']).toBe(1769);
    expect(entries.Why).toMatch(/balanced score/);
    expect(String(entries.Visualization)).toMatch(/^https:\/\/lambda-power-tuning\.show\/#/);
    expect(entries['Pareto frontier']).toBe('256 MB, 512 MB, 1024 MB, 1769 MB');
  });

  it('renders to every format; the text summary is aligned, marks the recommendation and has no escapes', () => {
    expect(renderHtmlReport(doc)).toContain('data-highlight="true"');
    expect(renderMarkdownReport(doc)).toContain('**1,769 MB**');
    expect(JSON.parse(renderJsonReport(doc)).title).toBe('Power tuning: cpu');
    expect(renderCsvReport(doc).length).toBeGreaterThan(0);
    const text = summarizeTuneResult(result, { generatedAt: AT });
    expect(text.includes(String.fromCharCode(27))).toBe(false);
    expect(text).not.toMatch(/chart/i);
    const lines = text.split('\n');
    const marked = lines.filter((l) => l.startsWith('* '));
    expect(marked).toHaveLength(1);
    expect(marked[0]).toMatch(/^\* +1,769 MB/);
    const header = lines.find((l) => l.includes('warm p50'))!;
    // Right-aligned numbers end under their header.
    const end = header.indexOf('warm p50') + 'warm p50'.length;
    for (const l of lines.filter((x) => / MB .* ms/.test(x) && /^[* ] /.test(x))) expect(l.slice(end - 3, end)).toBe(' ms');
  });
});

describe('coldStartReportDocument', () => {
  const result = coldStartResult();
  const doc = coldStartReportDocument(result, { generatedAt: AT });

  it('compares cold and warm per metric and shows the idle probe', () => {
    const [table, probe] = tablesOf(doc);
    expect(table?.rows.map((r) => r.metric)).toEqual(['Init Duration', 'Duration', 'Init + Duration', 'Billed Duration', 'client latency']);
    expect(table?.rows[0]?.warmP50Ms).toBeUndefined();
    expect(table?.rows[1]?.coldP50Ms).toBe(result.cold.durationMs?.p50);
    expect(probe?.rows).toEqual([
      { gap: '250 ms', invocations: 2, coldStarts: 0, unknown: 0, coldShare: 0 },
      { gap: '3500 ms', invocations: 2, coldStarts: 2, unknown: 0, coldShare: 1 },
    ]);
  });

  it('draws grouped bars, the latency CDFs and the idle-probe share per gap', () => {
    const charts = chartsOf(doc);
    expect(charts.map((c) => c.type)).toEqual(['grouped-bar', 'cdf', 'bar']);
    const [grouped, cdf, idle] = charts;
    expect(grouped?.type === 'grouped-bar' && grouped.series.map((s) => s.name)).toEqual(['cold', 'warm']);
    expect(cdf?.type === 'cdf' && cdf.series.map((s) => [s.name, s.values.length])).toEqual([
      ['cold', 5],
      ['warm', 10],
    ]);
    expect(idle?.type === 'bar' && idle.bars.map((b) => b.value)).toEqual([0, 100]);
    expect(summarizeColdStartResult(result, { generatedAt: AT })).toMatch(/Cold vs warm: io/);
  });
});

describe('asyncDiagnosisReportDocument', () => {
  const d = diagnosis();
  const doc = asyncDiagnosisReportDocument(d, { generatedAt: AT });

  it('lists the findings with evidence and advice, and the metric series as time series', () => {
    const findings = blocksOf(doc).find((b) => b.kind === 'findings');
    expect(findings?.kind === 'findings' && findings.findings).toEqual([
      {
        severity: 'warning',
        title: 'Throttled by concurrency: events delayed (concurrency-throttling)',
        evidence: [d.findings[0]!.summary, 'Throttles: 9', 'AsyncEventAgeMaxMs: 182,400', 'AsyncEventAgeAvgMs: 61,000', 'ConcurrentExecutionsMax: 1', 'ReservedConcurrentExecutions: 1'],
        advice: d.findings[0]!.advice,
      },
    ]);
    const charts = chartsOf(doc);
    expect(charts.map((c) => c.type)).toEqual(['line', 'line', 'line']);
    expect(charts[0]?.type === 'line' && charts[0].series.map((s) => s.name)).toEqual(['AsyncEventsReceived', 'Invocations', 'Throttles', 'Errors', 'AsyncEventsDropped']);
    expect(charts[1]?.type === 'line' && charts[1].series[1]?.points.map((p) => p.value)).toEqual([0, 90_000, 182_400]);
    const text = summarizeAsyncDiagnosis(d, { generatedAt: AT });
    expect(text).toMatch(/\[WARNING\] Throttled by concurrency/i);
    expect(text).toMatch(/Raise reserved concurrency above 1/);
  });
});

describe('asyncDiagnosisReportDocument of a time-scaled local', () => {
  const d = diagnosis();

  it('labels every AsyncEventAge figure as scaled time and says how to get wall-clock time', () => {
    const doc = asyncDiagnosisReportDocument(d, { generatedAt: AT, timeScale: 60 });
    const findings = blocksOf(doc).find((b) => b.kind === 'findings');
    expect(findings?.kind === 'findings' && findings.findings[0]?.evidence).toEqual([
      'Throttles: 9 attempts were throttled at reserved concurrency 1, and queued events waited up to 182,400 ms (local time ×60) (AsyncEventAge).',
      'Throttles: 9',
      'AsyncEventAgeMaxMs: 182,400 (local time ×60)',
      'AsyncEventAgeAvgMs: 61,000 (local time ×60)',
      'ConcurrentExecutionsMax: 1',
      'ReservedConcurrentExecutions: 1',
    ]);
    expect(doc.sections[0]?.text).toContain('ran the async queue 60× faster than real time');
    expect(doc.sections[0]?.text).toContain('the largest, 182,400 ms, took 3,040 ms of wall-clock time');
    const text = summarizeAsyncDiagnosis(d, { generatedAt: AT, timeScale: 60 });
    expect(text).toContain('AsyncEventAge maximum (ms) (local time ×60)');
    // Every "… ms" figure of the text is labelled, or is the wall-clock conversion.
    const unlabelled = [...text.matchAll(/(\d[\d,]*(?:\.\d+)?) ms\b(?! \(local time ×60\))(?!, took)(?! of wall-clock)/g)].map((m) => m[0]);
    expect(unlabelled).toEqual([]);
    const age = chartsOf(doc)[1];
    expect(age?.type === 'line' && age.y?.label).toBe('AsyncEventAge (local time ×60)');
    expect(asyncFindingSummary(d.findings[0]!, { timeScale: 60 })).toContain('182,400 ms (local time ×60)');
  });

  it('in real time (AWS, or timeScale 1) prints the figures as they are', () => {
    const doc = asyncDiagnosisReportDocument(d, { generatedAt: AT, timeScale: 1 });
    expect(JSON.stringify(doc)).not.toContain('local time');
    expect(asyncFindingSummary(d.findings[0]!)).toBe(d.findings[0]!.summary);
  });
});

describe('httpReportDocument', () => {
  const result = httpResult();
  const doc = httpReportDocument(result, { generatedAt: AT });

  it('has phase stats per reuse mode, the stacked phases and a histogram of totals per mode', () => {
    const tables = tablesOf(doc);
    expect(tables.map((t) => t.caption)).toEqual(['Phases: keep-alive (reused connections)', 'Phases: new connection per request']);
    expect(tables[0]?.rows.map((r) => r.phase)).toEqual(['DNS', 'connect', 'TLS', 'send', 'waiting (TTFB)', 'download', 'total']);
    const charts = chartsOf(doc);
    expect(charts.map((c) => c.type)).toEqual(['stacked-bar', 'histogram', 'histogram']);
    const stacked = charts[0];
    expect(stacked?.type === 'stacked-bar' && stacked.bars.map((b) => b.label)).toEqual(['keep-alive', 'new connection']);
    // The mean phases add up to the mean total.
    if (stacked?.type === 'stacked-bar') {
      const sum = stacked.bars[1]!.values.reduce((s, v) => s + v, 0);
      expect(sum).toBeCloseTo(result.withoutReuse!.phases!.totalMs.mean, 6);
    }
    const hist = charts[1];
    expect(hist?.type === 'histogram' && hist.bins.reduce((s, b) => s + b.count, 0)).toBe(30);
    expect(summarizeHttpResult(result, { generatedAt: AT })).toMatch(/waiting \(TTFB\)/);
  });
});

describe('combinedReportDocument', () => {
  it('merges the sections in order and renders one page with every chart', () => {
    const parts = [
      tuneReportDocument(tuneResult(), { generatedAt: AT }),
      coldStartReportDocument(coldStartResult(), { generatedAt: AT }),
      asyncDiagnosisReportDocument(diagnosis(), { generatedAt: AT }),
      httpReportDocument(httpResult(), { generatedAt: AT + 1000 }),
    ];
    const doc = combinedReportDocument('Everything', parts, { introduction: 'Measured by hand.' });
    expect(doc.generatedAt).toEqual(new Date(AT + 1000));
    expect(doc.sections.map((s) => s.heading)).toEqual(['About this report', ...parts.flatMap((p) => p.sections.map((s) => s.heading))]);
    expect(doc.sections[1]?.text).toMatch(/^Power tuning: cpu \(balanced strategy/);
    const html = renderHtmlReport(doc);
    const chartCount = parts.reduce((n, p) => n + chartsOf(p).length, 0);
    expect(html.match(/<figure class="chart"/g)).toHaveLength(chartCount);
    expect(new Set([...html.matchAll(/data-chart="([a-z-]+)"/g)].map((m) => m[1]))).toEqual(new Set(['bar', 'scatter', 'grouped-bar', 'cdf', 'line', 'stacked-bar', 'histogram']));
    expect(html).not.toMatch(/<script/i);
    const text = renderTextReport(withoutCharts(doc));
    expect(text).not.toMatch(/Chart:/);
    expect(text).toMatch(/Everything\n=+/);
  });
});
