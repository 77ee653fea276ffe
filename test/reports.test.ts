import { describe, expect, it } from 'vitest';
import {
  CHART_TYPES,
  describeChart,
  escapeMarkdown,
  isReportDocument,
  niceTicks,
  niceTimeTicks,
  renderChartSvg,
  renderCsvReport,
  renderCsvTable,
  renderHtmlReport,
  renderJsonReport,
  renderMarkdownReport,
  renderTextReport,
} from '../src/reports/index.js';
import type { ChartSpec, ReportDocument, ReportTable } from '../src/reports/index.js';
import { paretoFrontier } from '../src/reports/describe.js';
import { escapeXml, formatCell, formatCount, formatSignificant, formatUsd, slugify } from '../src/reports/format.js';
import { sampleDocument } from './fixtures/reports/sample-document.js';
import { HOSTILE, charts, hostileDocument } from './fixtures/reports/charts.js';
import { invalid } from './helpers/common.js';

/** Occurrences of `pattern` in `text`. */
function count(text: string, pattern: RegExp): number {
  return (text.match(new RegExp(pattern.source, 'g')) ?? []).length;
}

describe('niceTicks', () => {
  it('covers the range with steps of 1, 2, 2.5 or 5 × 10ⁿ', () => {
    expect(niceTicks(0, 812)).toMatchObject({ min: 0, max: 1000, step: 200, decimals: 0, values: [0, 200, 400, 600, 800, 1000] });
    expect(niceTicks(0.12, 0.93, { count: 4 }).values).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(niceTicks(0.12, 0.93, { count: 4 }).decimals).toBe(2);
    expect(niceTicks(-37, 12).values).toEqual([-40, -30, -20, -10, 0, 10, 20]);
    expect(niceTicks(2.75, 5.29).values).toEqual([2, 3, 4, 5, 6]);
    expect(niceTicks(2.75, 5.29, { count: 8 }).values).toEqual([2.5, 3, 3.5, 4, 4.5, 5, 5.5]);
    expect(niceTicks(2.75, 5.29, { count: 8 }).decimals).toBe(1);
    expect(niceTicks(0, 6.2).values).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(0, 6.2).decimals).toBe(0);
  });

  it('keeps tiny and huge values exact (no 0.30000000000000004)', () => {
    const t = niceTicks(2.7e-6, 5.3e-6, { count: 8 });
    expect(t.values).toEqual([2.5e-6, 3e-6, 3.5e-6, 4e-6, 4.5e-6, 5e-6, 5.5e-6]);
    expect(t.decimals).toBe(7);
    expect(niceTicks(0.1, 0.3).values).toEqual([0.1, 0.15, 0.2, 0.25, 0.3]);
    expect(niceTicks(0, 3.2e9).values.at(-1)).toBe(4e9);
  });

  it('widens an empty range and honours integer steps', () => {
    expect(niceTicks(0, 0).values).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5]);
    const one = niceTicks(812, 812);
    expect(one.min).toBeLessThan(812);
    expect(one.max).toBeGreaterThan(812);
    expect(niceTicks(0, 3, { integer: true }).values).toEqual([0, 1, 2, 3]);
  });

  it('every tick set covers its range and is evenly spaced', () => {
    for (const [lo, hi] of [[0.001, 0.0042], [13, 13.4], [-5e5, 1e6], [99, 101], [0, 1e-9]] as const) {
      const t = niceTicks(lo, hi);
      expect(t.min).toBeLessThanOrEqual(lo);
      expect(t.max).toBeGreaterThanOrEqual(hi);
      expect(t.values.length).toBeGreaterThanOrEqual(3);
      expect(t.values.length).toBeLessThanOrEqual(12);
      t.values.slice(1).forEach((v, i) => expect(v - t.values[i]!).toBeCloseTo(t.step, 12));
    }
  });

  it('rejects bad input with InvalidInputError naming the field', () => {
    expect(invalid(() => niceTicks(Number.NaN, 1)).field).toBe('min');
    expect(invalid(() => niceTicks(0, Infinity)).field).toBe('max');
    expect(invalid(() => niceTicks(2, 1)).field).toBe('max');
    expect(invalid(() => niceTicks(0, 1, { count: 0 })).field).toBe('options.count');
  });
});

describe('niceTimeTicks', () => {
  it('puts ticks on the clock in UTC', () => {
    const t = niceTimeTicks(Date.UTC(2026, 10, 30, 10, 0), Date.UTC(2026, 10, 30, 12, 0));
    expect(t.stepMs).toBe(30 * 60_000);
    expect(t.labels).toEqual(['10:00', '10:30', '11:00', '11:30', '12:00']);
  });

  it('shows seconds for short spans and dates for long ones', () => {
    const s = niceTimeTicks(Date.UTC(2026, 0, 1, 10, 0, 3), Date.UTC(2026, 0, 1, 10, 0, 40));
    expect(s.labels[0]).toBe('10:00:10');
    expect(s.stepMs).toBe(10_000);
    const d = niceTimeTicks(Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 8));
    expect(d.labels[0]).toBe('2026-01-01');
    const h = niceTimeTicks(Date.UTC(2026, 0, 1, 6), Date.UTC(2026, 0, 2, 18));
    expect(h.labels[0]).toMatch(/^01-01 \d\d:00$/);
  });

  it('rejects a reversed range', () => {
    expect(invalid(() => niceTimeTicks(2, 1)).field).toBe('endMs');
  });
});

describe('formatting and escaping', () => {
  it('formats numbers without the locale', () => {
    expect(formatSignificant(1234567.891)).toBe('1,234,568'); // whole digits are kept
    expect(formatSignificant(3.14159265)).toBe('3.14159');
    expect(formatSignificant(0.0000036833403, 4)).toBe('0.000003683');
    expect(formatSignificant(-0.5)).toBe('-0.5');
    expect(formatUsd(3.684)).toBe('$3.68');
    expect(formatUsd(0.5)).toBe('$0.50');
    expect(formatUsd(0.0000036833403)).toBe('$0.000003683');
    expect(formatCell(1024, {}, 'mb')).toBe('1,024 MB');
    expect(formatCell(0.125, {}, 'percent')).toBe('12.5%');
    expect(formatCell(424.912, {}, 'ms')).toBe('424.91 ms');
    expect(formatCell(undefined, {})).toBe('—');
    expect(formatCell(true, {})).toBe('yes');
    expect(formatCell(new Date(Date.UTC(2026, 10, 30, 7, 10)), {})).toBe('2026-11-30 07:10:00 UTC');
    expect(formatCell(3, { unit: 'x' }, (v, row) => `${String(v)}${String(row.unit)}`)).toBe('3x');
  });

  it('prints money as $103.13 for totals and every digit of a tiny exact amount, counts with separators', () => {
    expect(formatUsd(103.1274)).toBe('$103.13');
    expect(formatUsd('103.1274')).toBe('$103.13');
    expect(formatUsd(1234.5)).toBe('$1,234.50');
    expect(formatUsd('16.8667')).toBe('$16.87');
    expect(formatUsd('0.000000384')).toBe('$0.000000384');
    expect(formatUsd(3.84e-7)).toBe('$0.000000384'); // no exponent
    expect(formatUsd('0.000001033335')).toBe('$0.000001033335'); // an exact amount keeps its digits
    expect(formatUsd('0.0000168667000')).toBe('$0.0000168667');
    expect(formatUsd(0.0000010333350001)).toBe('$0.000001033'); // floating point: 4 significant digits
    expect(formatUsd('0.000001033335', 4)).toBe('$0.000001033');
    expect(formatUsd('0.5')).toBe('$0.50');
    expect(formatUsd(0.999999)).toBe('$1.00');
    expect(formatUsd('0')).toBe('$0.00');
    expect(formatUsd('-0.0000012')).toBe('-$0.0000012');
    expect(formatCount(1_000_000)).toBe('1,000,000');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(12_345_678_901n)).toBe('12,345,678,901');
    expect(formatCell('0.000001033335', {}, 'usd')).toBe('$0.000001033335');
    expect(formatCell(1_000_000, {}, 'integer')).toBe('1,000,000');
  });

  it('escapes XML special characters and drops forbidden control characters', () => {
    expect(escapeXml(`a<b>&"c'\u0001`)).toBe('a&lt;b&gt;&amp;&quot;c&#39;');
    expect(slugify('Power tuning: résultats!')).toBe('power-tuning-resultats');
    expect(slugify('***')).toBe('item');
  });

  it('keeps a <script> in any chart label as text', () => {
    const svg = renderChartSvg({
      type: 'bar',
      title: HOSTILE,
      description: HOSTILE,
      y: { label: HOSTILE, unit: '<ms>' },
      xLabel: HOSTILE,
      bars: [{ label: HOSTILE, value: 1 }],
    });
    expect(svg).not.toMatch(/<script|<img/i);
    expect(svg).toContain('&lt;script&gt;alerted=true&lt;/script&gt; &amp; &lt;img src=x onerror=&quot;alerted=true&quot;&gt;');
    for (const chart of Object.values(charts)) {
      const json = JSON.stringify(chart).replaceAll('"cold"', JSON.stringify(HOSTILE)).replaceAll('"DNS"', JSON.stringify(HOSTILE));
      const hostile = JSON.parse(json, (key, value: unknown) => (key === 'time' && typeof value === 'string' ? Date.parse(value) : value)) as ChartSpec;
      expect(renderChartSvg({ ...hostile, title: HOSTILE } as ChartSpec)).not.toMatch(/<script|<img/i);
    }
  });

  it('escapes Markdown so text stays text', () => {
    expect(escapeMarkdown('<script>a|b</script> *x* _y_')).toBe('\\<script\\>a\\|b\\</script\\> \\*x\\* \\_y\\_');
    expect(escapeMarkdown('line\nbreak')).toBe('line break');
  });
});

describe('renderChartSvg', () => {
  it('draws every kind with role="img", a <title>, aria-label, data-chart and a legend', () => {
    expect(Object.keys(charts).sort()).toEqual([...CHART_TYPES].sort());
    for (const chart of Object.values(charts)) {
      const svg = renderChartSvg(chart);
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(svg).toContain(`data-chart="${chart.type}"`);
      expect(svg).toContain('role="img"');
      expect(svg).toContain(`aria-label="${chart.title}"`);
      expect(svg).toContain(`<title>${chart.title}</title>`);
      expect(svg).toMatch(/<desc>[^<]+<\/desc>/);
      expect(svg).toContain('class="legend"');
      expect(svg).toContain('class="chart-title"');
      expect(count(svg, /class="tick-label"/)).toBeGreaterThanOrEqual(3);
      expect(count(svg, /<svg/)).toBe(1);
      expect(svg.endsWith('</svg>')).toBe(true);
    }
  });

  it('is deterministic: the same spec gives the same bytes', () => {
    for (const chart of Object.values(charts)) expect(renderChartSvg(chart)).toBe(renderChartSvg(structuredClone(chart)));
  });

  it('bar: one rect per bar, the highlighted one marked, value and category labels, axis with unit', () => {
    const svg = renderChartSvg(charts.bar);
    expect(count(svg, /class="bar"/)).toBe(3);
    expect(count(svg, /data-highlight="true"/)).toBe(1);
    expect(svg).toMatch(/data-label="1024 MB"[^>]*data-highlight="true"/);
    expect(count(svg, /class="category-label"/)).toBe(3);
    expect(svg).toContain('>424.9 ms<');
    expect(svg).toContain('>p50 (ms)<');
    expect(svg).toContain('>recommended<');
    expect(svg).toContain('>memory size<');
  });

  it('bar: rotates long category labels and keeps a negative bar below zero', () => {
    const svg = renderChartSvg({
      type: 'bar',
      title: 'change',
      y: { label: 'Δ', unit: '%' },
      bars: Array.from({ length: 12 }, (_, i) => ({ label: `a long category name ${i}`, value: i - 4 })),
    });
    expect(svg).toMatch(/class="category-label" text-anchor="end" transform="rotate\(-35/);
    expect(svg).toContain('>-4%<');
  });

  it('grouped-bar: one rect per non-null value, a legend item per series', () => {
    const svg = renderChartSvg(charts['grouped-bar']);
    expect(count(svg, /class="bar"/)).toBe(3);
    expect(count(svg, /class="legend-item"/)).toBe(2);
    expect(count(svg, /data-series="warm"/)).toBe(2); // legend + one bar
  });

  it('line: one path per series, broken at null values, UTC time axis', () => {
    const svg = renderChartSvg(charts.line);
    expect(count(svg, /class="series-line"/)).toBe(2);
    const dropped = /data-series="AsyncEventsDropped"><path class="series-line" d="([^"]+)"/.exec(svg)?.[1] ?? '';
    expect(count(dropped, /M/)).toBe(2); // a gap at the null
    expect(count(svg, /class="point"/)).toBe(7);
    expect(svg).toContain('>10:00<');
    expect(svg).toContain('>time (UTC)<');
  });

  it('line: each series marks its values in a hollow shape of its own, so equal values at one time all show', () => {
    const at = (minute: number, value: number) => ({ time: Date.UTC(2026, 10, 30, 10, minute), value });
    const same = [at(0, 2), at(1, 3), at(2, 3)];
    const svg = renderChartSvg({
      type: 'line',
      title: 'Two series with the same values',
      y: { label: 'events', integer: true },
      series: ['AsyncEventsReceived', 'Invocations', 'Throttles', 'Errors', 'Fifth'].map((name) => ({ name, points: same })),
    });
    const shapesOf = (series: string): string[] => {
      const group = new RegExp(`<g class="series" data-series="${series}">(.*?)</g>`).exec(svg)?.[1] ?? '';
      return [...group.matchAll(/class="point"[^>]*data-shape="([a-z]+)"|data-shape="([a-z]+)"[^>]*class="point"/g)].map((m) => (m[1] ?? m[2]) as string);
    };
    expect(shapesOf('AsyncEventsReceived')).toEqual(['circle', 'circle', 'circle']);
    expect(shapesOf('Invocations')).toEqual(['square', 'square', 'square']);
    expect(shapesOf('Throttles')).toEqual(['triangle', 'triangle', 'triangle']);
    expect(shapesOf('Errors')).toEqual(['diamond', 'diamond', 'diamond']);
    expect(shapesOf('Fifth')).toEqual(['circle', 'circle', 'circle']); // shapes repeat; the colour still differs
    // Equal values at one time are set side by side: the two circle series' markers do not share a centre.
    const centresOf = (series: string): string[] =>
      [...(new RegExp(`<g class="series" data-series="${series}">(.*?)</g>`).exec(svg)?.[1] ?? '').matchAll(/<circle cx="([\d.]+)"/g)].map((m) => m[1] as string);
    expect(centresOf('AsyncEventsReceived')).toHaveLength(3);
    centresOf('AsyncEventsReceived').forEach((cx, k) => expect(Number(centresOf('Fifth')[k]) - Number(cx)).toBeCloseTo(4 * (2 * 3.5 + 2), 6));
    expect(count(svg, /class="point"[^>]*fill="none"|fill="none"[^>]*class="point"/g)).toBe(15); // hollow
    // The legend shows each series' marker on its line swatch.
    const legendShapes = [...svg.matchAll(/<g class="legend-item" data-series="[^"]+"><line[^>]*\/?>(?:<\/line>)?<[a-z]+[^>]*data-shape="([a-z]+)"/g)].map((m) => m[1]);
    expect(legendShapes).toEqual(['circle', 'square', 'triangle', 'diamond', 'circle']);
    // Past 60 values a series is a plain line, in the chart and in the legend.
    const many = Array.from({ length: 61 }, (_, i) => at(i, i));
    const dense = renderChartSvg({ type: 'line', title: 'dense', y: { label: 'v' }, series: [{ name: 'a', points: many }] });
    expect(dense).not.toContain('class="point"');
    expect(dense).not.toContain('data-shape');
  });

  it('integer axes: counts get whole-number ticks on line and bar charts', () => {
    const numericTicks = (svg: string): string[] =>
      [...svg.matchAll(/class="tick-label"[^>]*>([^<]+)</g)].map((m) => m[1] as string).filter((t) => /^[\d.,]+$/.test(t));
    const line = {
      type: 'line' as const,
      title: 'Concurrent executions',
      y: { label: 'concurrent executions', unit: 'count' },
      series: [{ name: 'ConcurrentExecutions', points: [{ time: Date.UTC(2026, 10, 30, 10), value: 1 }, { time: Date.UTC(2026, 10, 30, 10, 1), value: 1 }] }],
    };
    expect(numericTicks(renderChartSvg(line)).some((t) => t.includes('.'))).toBe(true); // 0.2, 0.4, … without it
    const whole = numericTicks(renderChartSvg({ ...line, y: { ...line.y, integer: true } }));
    expect(whole.length).toBeGreaterThanOrEqual(2);
    expect(whole.every((t) => /^\d+$/.test(t))).toBe(true);
    const bars = { type: 'bar' as const, title: 'Throttles', y: { label: 'throttles', unit: 'count', integer: true }, bars: [{ label: 'a', value: 1 }, { label: 'b', value: 2 }] };
    expect(numericTicks(renderChartSvg(bars)).every((t) => /^\d+$/.test(t))).toBe(true);
    expect(() => renderChartSvg({ ...bars, y: { label: 'x', integer: 'yes' as unknown as boolean } })).toThrow(/chart\.y\.integer/);
  });

  it('scatter: labelled points, the computed Pareto frontier connected, the recommendation ringed', () => {
    const svg = renderChartSvg(charts.scatter);
    expect(count(svg, /<g class="point"/)).toBe(6);
    expect(count(svg, /class="point-label"/)).toBe(6);
    expect(count(svg, /class="highlight-ring"/)).toBe(1);
    const frontier = /class="frontier" d="([^"]+)"/.exec(svg)?.[1] ?? '';
    expect(count(frontier, /[ML]/)).toBe(4); // 128, 512, 1024, 2048: 3008 and 'dominated' are beaten
    expect(count(svg, /data-frontier="true"/)).toBe(4);
    expect(svg).toContain('>Pareto frontier<');
    expect(svg).toContain('>$3<'); // USD ticks
    expect(paretoFrontier((charts.scatter as Extract<ChartSpec, { type: 'scatter' }>).points).map((p) => p.x)).toEqual([104, 170, 320, 1200]);
  });

  it('scatter: connects a frontier given by label', () => {
    const svg = renderChartSvg({ ...(charts.scatter as Extract<ChartSpec, { type: 'scatter' }>), frontier: ['128 MB', '3008 MB'] });
    expect(count(/class="frontier" d="([^"]+)"/.exec(svg)?.[1] ?? '', /[ML]/)).toBe(2);
    expect(renderChartSvg({ ...(charts.scatter as Extract<ChartSpec, { type: 'scatter' }>), frontier: false })).not.toContain('class="frontier"');
  });

  it('histogram: one rect per bin, markers with labels', () => {
    const svg = renderChartSvg(charts.histogram);
    expect(count(svg, /class="bin"/)).toBe(3);
    expect(count(svg, /<g class="marker"/)).toBe(2);
    expect(svg).toContain('>p99 128 ms<');
    expect(svg).toContain('>duration (ms)<');
  });

  it('cdf: one step path per series, rising to 100%', () => {
    const svg = renderChartSvg(charts.cdf);
    expect(count(svg, /class="series-line"/)).toBe(2);
    const warm = /data-series="warm" d="([^"]+)"/.exec(svg)?.[1] ?? '';
    expect(count(warm, /V/)).toBe(4); // 4 distinct values among 5
    expect(svg).toContain('>100%<');
  });

  it('stacked-bar: a rect per segment per bar, totals, and a legend of segments', () => {
    const svg = renderChartSvg(charts['stacked-bar']);
    expect(count(svg, /class="segment"/)).toBe(10);
    expect(count(svg, /class="legend-item"/)).toBe(5);
    expect(svg).toContain('>154 ms<');
    expect(svg).toContain('>110 ms<');
    expect(svg).toMatch(/<svg[^>]*height="\d+"/);
  });

  it('draws "no data" for empty input', () => {
    expect(renderChartSvg({ type: 'bar', title: 'empty', y: { label: 'v' }, bars: [] })).toContain('>no data<');
    expect(renderChartSvg({ type: 'line', title: 'empty', y: { label: 'v' }, series: [{ name: 'a', points: [] }] })).toContain('>no data<');
    expect(renderChartSvg({ type: 'cdf', title: 'empty', x: { label: 'v' }, series: [] })).toContain('>no data<');
  });

  it('rejects bad specs with InvalidInputError naming the field', () => {
    expect(invalid(() => renderChartSvg({ type: 'bar', title: 't', y: { label: 'v' }, bars: [{ label: 'a', value: Number.NaN }] })).field).toBe(
      'chart.bars[0].value',
    );
    expect(invalid(() => renderChartSvg({ type: 'pie', title: 't' } as unknown as ChartSpec)).field).toBe('chart.type');
    expect(
      invalid(() => renderChartSvg({ type: 'stacked-bar', title: 't', x: { label: 'v' }, segments: ['a', 'b'], bars: [{ label: 'x', values: [1] }] })).field,
    ).toBe('chart.bars[0].values');
    expect(
      invalid(() => renderChartSvg({ type: 'histogram', title: 't', x: { label: 'v' }, bins: [{ lower: 2, upper: 1, count: 1 }] })).field,
    ).toBe('chart.bins[0].upper');
    expect(invalid(() => renderChartSvg({ ...charts.bar, width: 10 } as ChartSpec)).field).toBe('chart.width');
  });

  it('describes each chart in text', () => {
    expect(describeChart(charts.bar)).toBe('Bars: 512 MB 424.9 ms, 1024 MB 212.4 ms, 1769 MB 106.3 ms. Recommended: 1024 MB.');
    expect(describeChart(charts['grouped-bar'])).toBe('init: cold 180 ms, warm none; duration: cold 130 ms, warm 100 ms.');
    expect(describeChart(charts.scatter)).toContain('Frontier: 2048 MB, 1024 MB, 512 MB, 128 MB.');
    expect(describeChart(charts.cdf)).toContain('warm: 5 values, p50 3 ms');
    expect(describeChart(charts['stacked-bar'])).toContain('new connection: DNS 4 ms, connect 12 ms, TLS 25 ms, waiting 112 ms, download 1 ms (total 154 ms)');
  });
});

const table: ReportTable = {
  kind: 'table',
  caption: 'Results, per size',
  columns: [
    { key: 'name', label: 'Name' },
    { key: 'memoryMB', label: 'Memory', format: 'mb' },
    { key: 'p50', label: 'p50, "warm"', format: 'ms' },
    { key: 'note', label: 'Note', align: 'center' },
  ],
  rows: [
    { name: 'a,b', memoryMB: 512, p50: 424.912, note: 'says "hi"' },
    { name: 'multi\nline', memoryMB: 1024, p50: 212.4, note: null },
    { name: 'pipe|and<script>', memoryMB: 2048, p50: undefined, note: 'ok' },
  ],
  highlightRow: (row) => row.memoryMB === 1024,
};

describe('renderCsvTable', () => {
  it('quotes fields as RFC 4180 says and ends records with CRLF', () => {
    expect(renderCsvTable(table)).toBe(
      'Name,Memory,"p50, ""warm""",Note\r\n' +
        '"a,b",512,424.912,"says ""hi"""\r\n' +
        '"multi\nline",1024,212.4,\r\n' +
        'pipe|and<script>,2048,,ok\r\n',
    );
  });

  it('writes keys as the header, formatted cells, or LF on request', () => {
    expect(renderCsvTable(table, { header: 'key', newline: '\n' }).split('\n')[0]).toBe('name,memoryMB,p50,note');
    expect(renderCsvTable(table, { header: 'none', formatted: true }).split('\r\n')[0]).toBe('"a,b",512 MB,424.91 ms,"says ""hi"""');
  });

  it('renders every table of a document with unique file names', () => {
    const files = renderCsvReport(sampleDocument);
    expect(files.map((f) => f.fileName)).toEqual([
      '01-power-tuning-results-per-memory-size.csv',
      '02-cold-starts-share-of-cold-starts-after-an-idle-gap.csv',
      '03-http-latency-phase-statistics.csv',
    ]);
    expect(files[0]!.csv.split('\r\n')).toHaveLength(8 + 2);
  });
});

describe('renderMarkdownReport', () => {
  const doc: ReportDocument = {
    title: 'Report <b>',
    subtitle: 'fn',
    generatedAt: Date.UTC(2026, 10, 30, 7, 10),
    sections: [
      {
        heading: 'Results',
        text: 'First paragraph.\n\n- not a list',
        blocks: [
          table,
          { kind: 'keyValue', entries: [{ label: 'Recommended', value: 1024, format: 'mb' }] },
          {
            kind: 'findings',
            findings: [{ severity: 'warning', title: 'Throttles', evidence: 'Throttles: 12', advice: ['Raise concurrency'] }],
          },
          { kind: 'chart', chart: charts.bar },
        ],
      },
    ],
  };

  it('writes GFM tables with alignment, escaped cells and bold highlighted rows', () => {
    const md = renderMarkdownReport(doc);
    expect(md).toContain('| Name | Memory | p50, "warm" | Note |\n| :--- | ---: | ---: | :---: |\n');
    expect(md).toContain('| a,b | 512 MB | 424.91 ms | says "hi" |');
    expect(md).toContain('| **multi line** | **1,024 MB** | **212.40 ms** | **—** |');
    expect(md).toContain('| pipe\\|and\\<script\\> | 2,048 MB | — | ok |');
    expect(md.startsWith('# Report \\<b\\>\n\nfn\n\n_Generated 2026-11-30 07:10:00 UTC_\n\n## Results\n\nFirst paragraph.\n\n\\- not a list')).toBe(true);
  });

  it('writes key-values and findings as lists, charts as a summary or a note', () => {
    const md = renderMarkdownReport(doc);
    expect(md).toContain('- **Recommended:** 1,024 MB');
    expect(md).toContain('- **WARNING: Throttles**\n  - Evidence:\n    - Throttles: 12\n  - Advice:\n    - Raise concurrency');
    expect(md).toContain('**Chart: p50 by memory** (bar). Bars: 512 MB 424.9 ms');
    expect(renderMarkdownReport(doc, { charts: 'omit' })).toContain('_Chart omitted: p50 by memory (see the HTML report)._');
    expect(renderMarkdownReport(doc)).toBe(renderMarkdownReport(doc));
  });
});

describe('renderTextReport', () => {
  it('aligns table columns, marks highlighted rows and summarises charts, with control characters removed', () => {
    const text = renderTextReport({
      title: 'Report\u001b[31m',
      generatedAt: Date.UTC(2026, 10, 30, 7, 10),
      sections: [
        {
          heading: 'Results',
          blocks: [
            { ...table, rows: table.rows.slice(0, 2) },
            { kind: 'keyValue', entries: [{ label: 'Recommended', value: 1024, format: 'mb' }] },
            { kind: 'findings', findings: [{ severity: 'warning', title: 'Throttles', evidence: 'Throttles: 12', advice: ['Raise concurrency'] }] },
            { kind: 'chart', chart: charts.bar },
          ],
        },
      ],
    });
    expect(text).not.toContain('\u001b');
    expect(text.split('\n').slice(0, 3)).toEqual(['Report [31m', '===========', 'Generated 2026-11-30 07:10:00 UTC']);
    expect(text).toContain(
      [
        'Results, per size',
        '  Name          Memory  p50, "warm"    Note',
        '  ----------  --------  -----------  ---------',
        '  a,b           512 MB    424.91 ms  says "hi"',
        '* multi line  1,024 MB    212.40 ms      —',
        '  (* highlighted)',
      ].join('\n'),
    );
    expect(text).toContain('  Recommended:  1,024 MB');
    expect(text).toContain('  [WARNING] Throttles\n      evidence: Throttles: 12\n      advice:   Raise concurrency');
    expect(text).toContain('Chart: p50 by memory (bar)\n  Bars: 512 MB 424.9 ms');
  });
});

describe('renderJsonReport', () => {
  it('writes a document as plain data: ISO time, highlighted row indices, chart summaries', () => {
    const data = JSON.parse(renderJsonReport(sampleDocument)) as {
      generatedAt: string;
      sections: { blocks: { kind: string; highlightedRows?: number[]; summary?: string; columns?: { format?: string }[] }[] }[];
    };
    expect(data.generatedAt).toBe('2026-11-30T10:15:00.000Z');
    const tableBlock = data.sections[0]!.blocks[1]!;
    expect(tableBlock.kind).toBe('table');
    expect(tableBlock.highlightedRows).toEqual([3]);
    expect(tableBlock.columns![0]!.format).toBe('mb');
    expect(data.sections[0]!.blocks[2]!.summary).toMatch(/^Bars: 128 MB/);
    expect(isReportDocument(sampleDocument)).toBe(true);
  });

  it('writes any data, with bigints, Maps, Sets and dates made JSON-safe', () => {
    const out = renderJsonReport({ n: 1n, m: new Map([['a', 1]]), s: new Set([2]), d: new Date(0), x: Number.NaN }, { indent: 0 });
    expect(out).toBe('{"n":"1","m":{"a":1},"s":[2],"d":"1970-01-01T00:00:00.000Z","x":null}\n');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(invalid(() => renderJsonReport(cyclic)).field).toBe('value');
    expect(invalid(() => renderJsonReport({}, { indent: -1 })).field).toBe('options.indent');
  });
});

describe('renderHtmlReport', () => {
  it('is one self-contained page: inline CSS and SVG, no scripts, no external URLs', () => {
    const html = renderHtmlReport(sampleDocument);
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html).toContain("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">");
    expect(html).not.toMatch(/<script|<link|@import|url\(|src=/i);
    // The only URLs are the SVG namespace, which is an identifier, not a request.
    expect(html.match(/https?:\/\/[^"'\s)]+/g)?.every((u) => u === 'http://www.w3.org/2000/svg')).toBe(true);
    for (const type of CHART_TYPES) expect(html).toContain(`<figure class="chart" data-chart="${type}">`);
    expect(count(html, /<tr class="highlight"/)).toBe(2);
    expect(count(html, /<li class="finding/)).toBe(3);
    expect(html).toContain('<nav class="toc"');
    expect(html).toContain('@media print');
    expect(renderHtmlReport(sampleDocument)).toBe(html);
  });

  it('escapes every text of a hostile document', () => {
    const html = renderHtmlReport(hostileDocument());
    expect(html).not.toMatch(/<script|<img/i);
    expect(count(html, /&lt;script&gt;/)).toBeGreaterThan(8);
  });
});

describe('links in key-value lists', () => {
  const url = 'https://lambda-power-tuning.show/#AAEAAg==;Q0g=;AAA=';
  const doc: ReportDocument = {
    title: 'Links',
    generatedAt: Date.UTC(2026, 11, 7),
    sections: [
      {
        heading: 'Summary',
        blocks: [
          {
            kind: 'keyValue',
            entries: [
              { label: 'Visualization', value: url, href: url },
              { label: 'Named', value: 'the page', href: 'https://example.test/a?b=1&c=2' },
              { label: 'Unsafe', value: 'click', href: 'javascript:alert(1)' },
            ],
          },
        ],
      },
    ],
  };

  it('HTML: an http(s) href is an <a>, escaped; another scheme stays plain text', () => {
    const html = renderHtmlReport(doc);
    expect(html).toContain(`<a href="${escapeXml(url)}" rel="noopener noreferrer">${escapeXml(url)}</a>`);
    expect(html).toContain('<a href="https://example.test/a?b=1&amp;c=2" rel="noopener noreferrer">the page</a>');
    expect(html).not.toContain('javascript:');
  });

  it('Markdown: the URL itself as an autolink (no escapes inside), other text as a link, an unsafe href dropped', () => {
    const md = renderMarkdownReport(doc);
    expect(md).toContain(`- **Visualization:** <${url}>`);
    expect(md).toContain('- **Named:** [the page](<https://example.test/a?b=1&c=2>)');
    expect(md).toContain('- **Unsafe:** click');
    expect(md).not.toContain('javascript:');
  });
});
