/**
 * Text summaries of charts: the SVG `<desc>` of each chart and what Markdown shows in its place.
 *
 * @module
 */
import { percentileOfSorted } from '../stats/sample.js';
import { paretoFrontier as frontierOfPoints } from '../stats/pareto.js';
import { formatUtc, formatWithUnit } from './format.js';
import type { ChartSpec, ScatterPoint } from './types.js';

const MAX_ITEMS = 12;

function list(items: readonly string[], separator = ', '): string {
  if (items.length <= MAX_ITEMS) return items.join(separator);
  return `${items.slice(0, MAX_ITEMS).join(separator)} and ${items.length - MAX_ITEMS} more`;
}

function timeOf(t: Date | number): number {
  return typeof t === 'number' ? t : t.getTime();
}

/**
 * The points no other point beats on both coordinates (smaller x and smaller y are better), sorted by x: e.g. the
 * memory sizes where paying more buys speed. Equal points are both on the frontier (the one rule of
 * `lambda-meter/stats`' `paretoFrontier`).
 *
 * @example
 * ```ts
 * paretoFrontier([{ x: 1, y: 3 }, { x: 2, y: 1 }, { x: 3, y: 2 }]); // [{ x: 1, y: 3 }, { x: 2, y: 1 }]
 * ```
 */
export function paretoFrontier<P extends Pick<ScatterPoint, 'x' | 'y'>>(points: readonly P[]): P[] {
  return frontierOfPoints(points, (p) => [p.x, p.y]);
}

/** The points a scatter chart connects as its frontier, sorted by x. */
export function frontierOf(points: readonly ScatterPoint[], frontier: boolean | readonly string[] | undefined): ScatterPoint[] {
  if (frontier === undefined || frontier === false) return [];
  if (frontier === true) return paretoFrontier(points);
  const names = new Set(frontier);
  return points.filter((p) => names.has(p.label)).sort((a, b) => a.x - b.x || a.y - b.y);
}

/**
 * A one-paragraph text summary of a chart's data: what a screen reader reads as the SVG's `<desc>` and what the
 * Markdown renderer shows instead of the drawing.
 *
 * @example
 * ```ts
 * describeChart({ type: 'bar', title: 'p50', y: { label: 'p50', unit: 'ms' },
 *   bars: [{ label: '512 MB', value: 424.9 }, { label: '1769 MB', value: 106.3, highlight: true }] });
 * // 'Bars: 512 MB 424.9 ms, 1769 MB 106.3 ms. Highlighted: 1769 MB.'
 * ```
 */
export function describeChart(chart: ChartSpec): string {
  switch (chart.type) {
    case 'bar': {
      if (chart.bars.length === 0) return 'No data.';
      const marked = chart.bars.filter((b) => b.highlight === true).map((b) => b.label);
      return (
        `Bars: ${list(chart.bars.map((b) => `${b.label} ${formatWithUnit(b.value, chart.y.unit)}`))}.` +
        (marked.length > 0 ? ` ${chart.highlightLabel === undefined ? 'Highlighted' : capitalise(chart.highlightLabel)}: ${marked.join(', ')}.` : '')
      );
    }
    case 'grouped-bar': {
      if (chart.categories.length === 0 || chart.series.length === 0) return 'No data.';
      const groups = chart.categories.map(
        (c, i) =>
          `${c}: ${chart.series
            .map((s) => {
              const v = s.values[i];
              return `${s.name} ${v === null || v === undefined ? 'none' : formatWithUnit(v, chart.y.unit)}`;
            })
            .join(', ')}`,
      );
      return `${list(groups, '; ')}.`;
    }
    case 'line': {
      const parts = chart.series.flatMap((s) => {
        const points = s.points.filter((p) => p.value !== null);
        if (points.length === 0) return [`${s.name}: no values`];
        const values = points.map((p) => p.value as number);
        const times = points.map((p) => timeOf(p.time));
        return [
          `${s.name}: ${points.length} points from ${formatUtc(Math.min(...times))} to ${formatUtc(Math.max(...times))}, ` +
            `min ${formatWithUnit(Math.min(...values), chart.y.unit)}, max ${formatWithUnit(Math.max(...values), chart.y.unit)}`,
        ];
      });
      return parts.length === 0 ? 'No data.' : `${parts.join('; ')}.`;
    }
    case 'scatter': {
      if (chart.points.length === 0) return 'No data.';
      const frontier = frontierOf(chart.points, chart.frontier).map((p) => p.label);
      const marked = chart.points.filter((p) => p.highlight === true).map((p) => p.label);
      return (
        `${chart.points.length} points (${chart.x.label}, ${chart.y.label}): ` +
        `${list(chart.points.map((p) => `${p.label} (${formatWithUnit(p.x, chart.x.unit)}, ${formatWithUnit(p.y, chart.y.unit)})`))}.` +
        (frontier.length > 0 ? ` Frontier: ${frontier.join(', ')}.` : '') +
        (marked.length > 0 ? ` ${chart.highlightLabel === undefined ? 'Highlighted' : capitalise(chart.highlightLabel)}: ${marked.join(', ')}.` : '')
      );
    }
    case 'histogram': {
      if (chart.bins.length === 0) return 'No data.';
      const total = chart.bins.reduce((s, b) => s + b.count, 0);
      const peak = chart.bins.reduce((a, b) => (b.count > a.count ? b : a));
      const first = chart.bins[0]!;
      const last = chart.bins[chart.bins.length - 1]!;
      const unit = chart.x.unit;
      return (
        `${total} values in ${chart.bins.length} bins from ${formatWithUnit(first.lower, unit)} to ${formatWithUnit(last.upper, unit)}; ` +
        `most in ${formatWithUnit(peak.lower, unit)}–${formatWithUnit(peak.upper, unit)} (${peak.count}).` +
        markersText(chart.markers, unit)
      );
    }
    case 'cdf': {
      const parts = chart.series.map((s) => {
        if (s.values.length === 0) return `${s.name}: no values`;
        const sorted = [...s.values].sort((a, b) => a - b);
        const u = chart.x.unit;
        return (
          `${s.name}: ${sorted.length} values, p50 ${formatWithUnit(percentileOfSorted(sorted, 50), u)}, ` +
          `p90 ${formatWithUnit(percentileOfSorted(sorted, 90), u)}, p99 ${formatWithUnit(percentileOfSorted(sorted, 99), u)}`
        );
      });
      return parts.length === 0 ? 'No data.' : `${parts.join('; ')}.${markersText(chart.markers, chart.x.unit)}`;
    }
    case 'stacked-bar': {
      if (chart.bars.length === 0) return 'No data.';
      const u = chart.x.unit;
      return `${chart.bars
        .map((b) => {
          const total = b.values.reduce((s, v) => s + v, 0);
          return `${b.label}: ${b.values.map((v, i) => `${chart.segments[i] ?? `segment ${i + 1}`} ${formatWithUnit(v, u)}`).join(', ')} (total ${formatWithUnit(total, u)})`;
        })
        .join('; ')}.`;
    }
  }
}

function markersText(markers: readonly { label: string; value: number }[] | undefined, unit: string | undefined): string {
  if (markers === undefined || markers.length === 0) return '';
  return ` Markers: ${markers.map((m) => `${m.label} ${formatWithUnit(m.value, unit)}`).join(', ')}.`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
