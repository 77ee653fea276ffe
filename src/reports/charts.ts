/**
 * The charts: each kind of {@link ChartSpec} drawn as a standalone SVG string with axes, legend, title and an
 * accessible name. No dependencies, no randomness: the same spec always gives the same bytes.
 *
 * @module
 */
import { InvalidInputError } from '../errors.js';
import { describeChart, frontierOf } from './describe.js';
import { formatFixed, formatSignificant, formatWithUnit } from './format.js';
import { linearScale, niceTicks, niceTimeTicks } from './scale.js';
import type { NiceTicks } from './scale.js';
import {
  DEFAULT_HEIGHT,
  DEFAULT_WIDTH,
  GRID,
  HIGHLIGHT,
  INK,
  LEGEND_TOP,
  MUTED,
  PRIMARY,
  axisTitle,
  checkArray,
  checkFinite,
  checkString,
  frame,
  legend,
  marker,
  markerLines,
  markerRows,
  noData,
  num,
  seriesColor,
  seriesMarker,
  tag,
  text,
  textOnSeriesColor,
  textWidth,
  tooltip,
  truncate,
} from './svg.js';
import type { LegendItem, PlotArea } from './svg.js';
import type {
  AxisSpec,
  BarChartSpec,
  CdfChartSpec,
  ChartBase,
  ChartSpec,
  GroupedBarChartSpec,
  HistogramChartSpec,
  LineChartSpec,
  ScatterChartSpec,
  StackedBarChartSpec,
} from './types.js';
import { CHART_TYPES } from './types.js';

/** Tick labels of a value axis: `$` before USD amounts, `%` after percentages, plain numbers otherwise. */
function tickLabels(ticks: NiceTicks, unit: string | undefined): { value: number; label: string }[] {
  return ticks.values.map((value) => {
    const n = formatFixed(value, ticks.decimals);
    return { value, label: unit === 'USD' ? (n.startsWith('-') ? `-$${n.slice(1)}` : `$${n}`) : unit === '%' ? `${n}%` : n };
  });
}

function maxWidth(labels: readonly string[], fontSize = 12): number {
  return labels.reduce((m, l) => Math.max(m, textWidth(l, fontSize)), 0);
}

function dimensions(spec: ChartBase, defaultHeight = DEFAULT_HEIGHT): { width: number; height: number } {
  const width = spec.width ?? DEFAULT_WIDTH;
  const height = spec.height ?? defaultHeight;
  checkFinite(width, 'chart.width');
  checkFinite(height, 'chart.height');
  if (width < 200 || height < 150) throw new InvalidInputError('chart.width', `must be at least 200 × 150, got ${width} × ${height}`);
  return { width, height };
}

function descOf(spec: ChartSpec): string {
  const summary = describeChart(spec);
  return spec.description === undefined || spec.description === '' ? summary : `${spec.description} ${summary}`;
}

function checkAxis(axis: AxisSpec | undefined, field: string): asserts axis is AxisSpec {
  if (axis === null || typeof axis !== 'object') throw new InvalidInputError(field, 'must be an object { label, unit?, integer? }');
  checkString(axis.label, `${field}.label`);
  if (axis.integer !== undefined && typeof axis.integer !== 'boolean') {
    throw new InvalidInputError(`${field}.integer`, `must be a boolean when given, got ${JSON.stringify(axis.integer)}`);
  }
}

/** Left edge of the plot for y tick labels of these widths (axis title, gap, labels, gap). */
function leftFor(labels: readonly string[]): number {
  return Math.max(52, 16 + 14 + maxWidth(labels) + 8);
}

/** The category labels under bars: horizontal when they fit their band, else rotated 35°. */
function categoryAxis(plot: PlotArea, labels: readonly string[], band: number, title: string | undefined, rotate: boolean): string {
  const parts: string[] = [];
  labels.forEach((label, i) => {
    const x = plot.left + band * (i + 0.5);
    const shown = truncate(label, rotate ? 110 : band - 4);
    if (rotate) {
      const y = plot.bottom + 12;
      parts.push(
        text(x, y, shown, { class: 'category-label', 'text-anchor': 'end', transform: `rotate(-35 ${num(x)} ${num(y)})`, fill: INK, 'font-size': 12 }),
      );
    } else {
      parts.push(text(x, plot.bottom + 17, shown, { class: 'category-label', 'text-anchor': 'middle', fill: INK, 'font-size': 12 }));
    }
  });
  parts.push(tag('line', { x1: plot.left, y1: plot.bottom, x2: plot.right, y2: plot.bottom, stroke: INK, 'stroke-width': 1 }));
  if (title !== undefined) {
    parts.push(text((plot.left + plot.right) / 2, rotate ? plot.bottom + 12 + categoryDrop(labels) + 16 : plot.bottom + 36, title, {
      class: 'axis-title',
      'text-anchor': 'middle',
      fill: INK,
      'font-size': 13,
    }));
  }
  return tag('g', { class: 'axis axis-x' }, parts.join(''));
}

/** Vertical room rotated category labels take. */
function categoryDrop(labels: readonly string[]): number {
  return Math.min(maxWidth(labels), 110) * Math.sin((35 * Math.PI) / 180) + 8;
}

/** Bottom margin under a category axis. */
function categoryBottom(labels: readonly string[], rotate: boolean, hasTitle: boolean): number {
  return (rotate ? 12 + categoryDrop(labels) : 22) + (hasTitle ? 22 : 0) + 8;
}

/** The value domain of bars: always including zero, with headroom for value labels. */
function barTicks(values: readonly number[], integer = false): NiceTicks {
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values);
  const room = (hi - lo) * 0.1;
  return niceTicks(lo < 0 ? lo - room : lo, hi > 0 ? hi + room : hi, { integer });
}

// ---------------------------------------------------------------------------------------------------------------

function barChart(spec: BarChartSpec): string {
  const { width, height } = dimensions(spec);
  checkArray(spec.bars, 'chart.bars');
  checkAxis(spec.y, 'chart.y');
  spec.bars.forEach((b, i) => {
    checkString(b.label, `chart.bars[${i}].label`);
    checkFinite(b.value, `chart.bars[${i}].value`);
  });
  const highlighted = spec.bars.some((b) => b.highlight === true);
  const items: LegendItem[] = [{ name: spec.seriesLabel ?? spec.y.label, color: PRIMARY, shape: 'rect' }];
  if (highlighted) items.push({ name: spec.highlightLabel ?? 'highlighted', color: HIGHLIGHT, shape: 'rect' });
  const leg = chartLegend(items, width);
  const base = { type: 'bar', title: spec.title, width, height, desc: descOf(spec), legend: leg.svg };
  if (spec.bars.length === 0) return frame({ ...base, body: noData(width, height) });

  const ticks = barTicks(spec.bars.map((b) => b.value), spec.y.integer === true);
  const labels = tickLabels(ticks, spec.y.unit);
  const left = leftFor(labels.map((l) => l.label));
  const right = width - 16;
  const band = (right - left) / spec.bars.length;
  const categories = spec.bars.map((b) => b.label);
  const rotate = maxWidth(categories) > band - 6;
  const top = LEGEND_TOP + leg.height + 8;
  const plot: PlotArea = { left, top, right, bottom: height - categoryBottom(categories, rotate, spec.xLabel !== undefined) };
  const y = linearScale([ticks.min, ticks.max], [plot.bottom, plot.top]);
  const barWidth = Math.min(band * 0.7, 90);
  const marks: string[] = [];
  spec.bars.forEach((b, i) => {
    const x = plot.left + band * i + (band - barWidth) / 2;
    const y0 = y(0);
    const y1 = y(b.value);
    const valueText = formatWithUnit(b.value, spec.y.unit, 4);
    const hl = b.highlight === true;
    const fill = hl ? HIGHLIGHT : PRIMARY;
    marks.push(
      tag(
        'rect',
        {
          class: 'bar',
          x,
          y: Math.min(y0, y1),
          width: barWidth,
          height: Math.max(Math.abs(y1 - y0), 0.5),
          fill,
          'data-label': b.label,
          'data-value': String(b.value),
          'data-highlight': hl ? 'true' : undefined,
        },
        tooltip(`${b.label}: ${valueText}${hl ? ` (${spec.highlightLabel ?? 'highlighted'})` : ''}`),
      ),
    );
    if (textWidth(valueText) <= band + 2) {
      const ty = b.value >= 0 ? y1 - 5 : y1 + 14;
      marks.push(
        text(x + barWidth / 2, ty, valueText, {
          class: 'value-label',
          'text-anchor': 'middle',
          fill: hl ? HIGHLIGHT : INK,
          'font-size': 12,
          'font-weight': hl ? 700 : undefined,
        }),
      );
    }
  });
  const body =
    yAxisWith(plot, labels, y, axisTitle(spec.y)) +
    tag('g', { class: 'marks' }, marks.join('')) +
    categoryAxis(plot, categories, band, spec.xLabel, rotate);
  return frame({ ...base, body });
}

function yAxisWith(plot: PlotArea, labels: readonly { value: number; label: string }[], y: (v: number) => number, title: string): string {
  const parts: string[] = [];
  for (const t of labels) {
    const ty = y(t.value);
    parts.push(tag('line', { class: 'grid-line', x1: plot.left, y1: ty, x2: plot.right, y2: ty, stroke: GRID, 'stroke-width': 1 }));
    parts.push(text(plot.left - 6, ty + 4, t.label, { class: 'tick-label', 'text-anchor': 'end', fill: MUTED, 'font-size': 12 }));
  }
  parts.push(tag('line', { x1: plot.left, y1: plot.top, x2: plot.left, y2: plot.bottom, stroke: INK, 'stroke-width': 1 }));
  const cy = (plot.top + plot.bottom) / 2;
  parts.push(
    text(14, cy, truncate(title, plot.bottom - plot.top, 13), {
      class: 'axis-title',
      transform: `rotate(-90 14 ${num(cy)})`,
      'text-anchor': 'middle',
      fill: INK,
      'font-size': 13,
    }),
  );
  return tag('g', { class: 'axis axis-y' }, parts.join(''));
}

function xAxisWith(plot: PlotArea, labels: readonly { value: number; label: string }[], x: (v: number) => number, title: string): string {
  const parts: string[] = [];
  for (const t of labels) {
    const tx = x(t.value);
    parts.push(tag('line', { class: 'grid-line', x1: tx, y1: plot.top, x2: tx, y2: plot.bottom, stroke: GRID, 'stroke-width': 1 }));
    parts.push(tag('line', { x1: tx, y1: plot.bottom, x2: tx, y2: plot.bottom + 4, stroke: INK, 'stroke-width': 1 }));
    parts.push(text(tx, plot.bottom + 17, t.label, { class: 'tick-label', 'text-anchor': 'middle', fill: MUTED, 'font-size': 12 }));
  }
  parts.push(tag('line', { x1: plot.left, y1: plot.bottom, x2: plot.right, y2: plot.bottom, stroke: INK, 'stroke-width': 1 }));
  parts.push(text((plot.left + plot.right) / 2, plot.bottom + 36, title, { class: 'axis-title', 'text-anchor': 'middle', fill: INK, 'font-size': 13 }));
  return tag('g', { class: 'axis axis-x' }, parts.join(''));
}

// ---------------------------------------------------------------------------------------------------------------

/** A time series gets a marker on each value up to this many values (more would crowd the line). */
const MAX_MARKED_POINTS = 60;

/** A chart's legend, in the band above its plot, as wide as the chart. */
function chartLegend(items: readonly LegendItem[], width: number): { svg: string; height: number } {
  return legend(items, 16, LEGEND_TOP, width - 32);
}

/** A legend of named series in the series colours, in order. */
function seriesLegend(names: readonly string[], shape: LegendItem['shape'], width: number): { svg: string; height: number } {
  return chartLegend(names.map((name, i) => ({ name, color: seriesColor(i), shape })), width);
}

/** Checks that `values` is an array with one entry per column (category, segment), each passing `check` under its own field name. */
function checkColumnValues<T>(values: readonly T[], field: string, columns: number, columnWord: string, check: (value: T, field: string) => void): void {
  checkArray(values, field);
  if (values.length !== columns) throw new InvalidInputError(field, `must have one value per ${columnWord} (${columns}), got ${values.length}`);
  values.forEach((value, j) => check(value, `${field}[${j}]`));
}

function groupedBarChart(spec: GroupedBarChartSpec): string {
  const { width, height } = dimensions(spec);
  checkArray(spec.categories, 'chart.categories');
  checkArray(spec.series, 'chart.series');
  checkAxis(spec.y, 'chart.y');
  spec.categories.forEach((c, i) => checkString(c, `chart.categories[${i}]`));
  spec.series.forEach((s, i) => {
    checkString(s.name, `chart.series[${i}].name`);
    checkColumnValues(s.values, `chart.series[${i}].values`, spec.categories.length, 'category', (v, field) => {
      if (v !== null) checkFinite(v, field);
    });
  });
  const leg = seriesLegend(spec.series.map((s) => s.name), 'rect', width);
  const base = { type: 'grouped-bar', title: spec.title, width, height, desc: descOf(spec), legend: leg.svg };
  const values = spec.series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  if (spec.categories.length === 0 || values.length === 0) return frame({ ...base, body: noData(width, height) });

  const ticks = barTicks(values, spec.y.integer === true);
  const labels = tickLabels(ticks, spec.y.unit);
  const left = leftFor(labels.map((l) => l.label));
  const right = width - 16;
  const band = (right - left) / spec.categories.length;
  const rotate = maxWidth(spec.categories) > band - 6;
  const plot: PlotArea = {
    left,
    top: LEGEND_TOP + leg.height + 8,
    right,
    bottom: height - categoryBottom(spec.categories, rotate, spec.xLabel !== undefined),
  };
  const y = linearScale([ticks.min, ticks.max], [plot.bottom, plot.top]);
  const groupWidth = Math.min(band * 0.8, 60 * spec.series.length);
  const barWidth = groupWidth / spec.series.length;
  const marks: string[] = [];
  spec.categories.forEach((category, i) => {
    const gx = plot.left + band * i + (band - groupWidth) / 2;
    spec.series.forEach((s, j) => {
      const v = s.values[i];
      if (v === null || v === undefined) return;
      const x = gx + barWidth * j;
      const y0 = y(0);
      const y1 = y(v);
      const valueText = formatWithUnit(v, spec.y.unit, 4);
      marks.push(
        tag(
          'rect',
          {
            class: 'bar',
            x: x + 1,
            y: Math.min(y0, y1),
            width: Math.max(barWidth - 2, 1),
            height: Math.max(Math.abs(y1 - y0), 0.5),
            fill: seriesColor(j),
            'data-series': s.name,
            'data-label': category,
            'data-value': String(v),
          },
          tooltip(`${category}, ${s.name}: ${valueText}`),
        ),
      );
      if (textWidth(valueText, 11) <= barWidth + 2) {
        marks.push(
          text(x + barWidth / 2, v >= 0 ? y1 - 4 : y1 + 12, valueText, { class: 'value-label', 'text-anchor': 'middle', fill: INK, 'font-size': 11 }),
        );
      }
    });
  });
  const body =
    yAxisWith(plot, labels, y, axisTitle(spec.y)) + tag('g', { class: 'marks' }, marks.join('')) + categoryAxis(plot, spec.categories, band, spec.xLabel, rotate);
  return frame({ ...base, body });
}

// ---------------------------------------------------------------------------------------------------------------

function timeOf(t: Date | number, field: string): number {
  const ms = t instanceof Date ? t.getTime() : t;
  checkFinite(ms, field);
  return ms;
}

function lineChart(spec: LineChartSpec): string {
  const { width, height } = dimensions(spec);
  checkArray(spec.series, 'chart.series');
  checkAxis(spec.y, 'chart.y');
  const series = spec.series.map((s, i) => {
    checkString(s.name, `chart.series[${i}].name`);
    checkArray(s.points, `chart.series[${i}].points`);
    const points = s.points.map((p, j) => {
      const t = timeOf(p.time, `chart.series[${i}].points[${j}].time`);
      if (p.value !== null) checkFinite(p.value, `chart.series[${i}].points[${j}].value`);
      return { t, v: p.value };
    });
    points.sort((a, b) => a.t - b.t);
    return { name: s.name, points };
  });
  // Up to 60 values a series has a marker on each, in a shape of its own (legend included): equal values of two
  // series at one time then show both outlines instead of one dot hiding the other.
  const withMarkers = series.map((s) => s.points.filter((p) => p.v !== null).length <= MAX_MARKED_POINTS);
  const leg = chartLegend(
    series.map((s, i) => ({ name: s.name, color: seriesColor(i), shape: 'line' as const, ...(withMarkers[i] ? { marker: seriesMarker(i) } : {}) })),
    width,
  );
  const base = { type: 'line', title: spec.title, width, height, desc: descOf(spec), legend: leg.svg };
  const all = series.flatMap((s) => s.points);
  const values = all.flatMap((p) => (p.v === null ? [] : [p.v]));
  if (values.length === 0) return frame({ ...base, body: noData(width, height) });

  let t0 = Math.min(...all.map((p) => p.t));
  let t1 = Math.max(...all.map((p) => p.t));
  if (t0 === t1) {
    t0 -= 30 * 60_000;
    t1 += 30 * 60_000;
  }
  const lo = Math.min(...values);
  const ticks = niceTicks(spec.yFromZero === false ? lo : Math.min(0, lo), Math.max(...values), { integer: spec.y.integer === true });
  const labels = tickLabels(ticks, spec.y.unit);
  const left = leftFor(labels.map((l) => l.label));
  const plot: PlotArea = { left, top: LEGEND_TOP + leg.height + 8, right: width - 24, bottom: height - 52 };
  const time = niceTimeTicks(t0, t1, Math.max(2, Math.floor((plot.right - plot.left) / 90)));
  const x = linearScale([t0, t1], [plot.left, plot.right]);
  const y = linearScale([ticks.min, ticks.max], [plot.bottom, plot.top]);
  // Markers of equal values at one time are set side by side (the lines keep the exact positions).
  const sharing = new Map<string, number[]>();
  series.forEach((s, i) => {
    if (!withMarkers[i]) return;
    for (const p of s.points) if (p.v !== null) sharing.set(`${p.t}|${p.v}`, [...(sharing.get(`${p.t}|${p.v}`) ?? []), i]);
  });
  const marks: string[] = [];
  series.forEach((s, i) => {
    let d = '';
    let pen = false;
    for (const p of s.points) {
      if (p.v === null) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${num(x(p.t))} ${num(y(p.v))}`;
      pen = true;
    }
    const color = seriesColor(i);
    let dots = '';
    const drawn = s.points.filter((p) => p.v !== null);
    if (withMarkers[i]) {
      const r = drawn.length <= 24 ? 3.5 : 2.5;
      dots = drawn
        .map((p) => {
          const at = sharing.get(`${p.t}|${p.v}`) ?? [i];
          const dx = (at.indexOf(i) - (at.length - 1) / 2) * (2 * r + 2);
          return marker(seriesMarker(i), x(p.t) + dx, y(p.v as number), r, color, { class: 'point' });
        })
        .join('');
    }
    marks.push(
      tag(
        'g',
        { class: 'series', 'data-series': s.name },
        tag('path', { class: 'series-line', d: d === '' ? 'M0 0' : d, fill: 'none', stroke: color, 'stroke-width': 2, 'stroke-linejoin': 'round', 'stroke-linecap': 'round' }) +
          dots,
      ),
    );
  });
  const timeLabels = time.values.map((value, i) => ({ value, label: time.labels[i]! }));
  const body =
    yAxisWith(plot, labels, y, axisTitle(spec.y)) +
    xAxisWith(plot, timeLabels, x, 'time (UTC)') +
    tag('g', { class: 'marks' }, marks.join(''));
  return frame({ ...base, body });
}

// ---------------------------------------------------------------------------------------------------------------

/** Ticks for a scatter axis: the data range padded by 6 % each side, not crossing zero for non-negative data. */
function paddedTicks(values: readonly number[], count: number): NiceTicks {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = (hi - lo) * 0.06 || Math.abs(lo) * 0.1 || 1;
  return niceTicks(lo >= 0 && lo - pad < 0 ? 0 : lo - pad, hi + pad, { count });
}

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

function overlaps(a: Box, b: Box): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

/** Whether the segment (x1, y1)–(x2, y2) crosses the box (Liang–Barsky clipping). */
function segmentHitsBox(x1: number, y1: number, x2: number, y2: number, box: Box): boolean {
  const dx = x2 - x1;
  const dy = y2 - y1;
  let t0 = 0;
  let t1 = 1;
  const edges: [number, number][] = [
    [-dx, x1 - box.x0],
    [dx, box.x1 - x1],
    [-dy, y1 - box.y0],
    [dy, box.y1 - y1],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return false;
      continue;
    }
    const t = q / p;
    if (p < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    if (t0 > t1) return false;
  }
  return true;
}

/** Directions to try for a point label, in order of preference: right, left, above, below, then the diagonals. */
const LABEL_DIRECTIONS: readonly (readonly [number, number])[] = [
  [1, 0],
  [-1, 0],
  [0, -1],
  [0, 1],
  [1, -1],
  [1, 1],
  [-1, -1],
  [-1, 1],
];

/** A label of width `w` placed at distance `d` from (cx, cy) in direction (dx, dy): text position and box. */
function labelSpot(cx: number, cy: number, w: number, d: number, dx: number, dy: number): { x: number; y: number; anchor: string; box: Box } {
  const k = dx !== 0 && dy !== 0 ? 0.7 : 1;
  const x0 = dx > 0 ? cx + d * k : dx < 0 ? cx - d * k - w : cx - w / 2;
  const y0 = dy > 0 ? cy + d * k : dy < 0 ? cy - d * k - 13 : cy - 8.5;
  const box = { x0, y0, x1: x0 + w, y1: y0 + 13 };
  const anchor = dx > 0 ? 'start' : dx < 0 ? 'end' : 'middle';
  return { x: dx > 0 ? box.x0 : dx < 0 ? box.x1 : cx, y: box.y1 - 3, anchor, box };
}

function scatterChart(spec: ScatterChartSpec): string {
  const { width, height } = dimensions(spec, 400);
  checkArray(spec.points, 'chart.points');
  checkAxis(spec.x, 'chart.x');
  checkAxis(spec.y, 'chart.y');
  spec.points.forEach((p, i) => {
    checkString(p.label, `chart.points[${i}].label`);
    checkFinite(p.x, `chart.points[${i}].x`);
    checkFinite(p.y, `chart.points[${i}].y`);
  });
  const frontier = frontierOf(spec.points, spec.frontier);
  const highlighted = spec.points.some((p) => p.highlight === true);
  const items: LegendItem[] = [{ name: spec.pointsLabel ?? 'points', color: PRIMARY, shape: 'circle' }];
  if (frontier.length > 0) items.push({ name: 'Pareto frontier', color: INK, shape: 'dashed' });
  if (highlighted) items.push({ name: spec.highlightLabel ?? 'highlighted', color: HIGHLIGHT, shape: 'ring' });
  const leg = chartLegend(items, width);
  const base = { type: 'scatter', title: spec.title, width, height, desc: descOf(spec), legend: leg.svg };
  if (spec.points.length === 0) return frame({ ...base, body: noData(width, height) });

  const yTicks = paddedTicks(spec.points.map((p) => p.y), 5);
  const yLabels = tickLabels(yTicks, spec.y.unit);
  const left = leftFor(yLabels.map((l) => l.label));
  const plot: PlotArea = { left, top: LEGEND_TOP + leg.height + 8, right: width - 20, bottom: height - 52 };
  const xTicks = paddedTicks(spec.points.map((p) => p.x), Math.max(2, Math.floor((plot.right - plot.left) / 90)));
  const xLabels = tickLabels(xTicks, spec.x.unit);
  const x = linearScale([xTicks.min, xTicks.max], [plot.left, plot.right]);
  const y = linearScale([yTicks.min, yTicks.max], [plot.bottom, plot.top]);

  const marks: string[] = [];
  if (frontier.length > 1) {
    const d = frontier.map((p, i) => `${i === 0 ? 'M' : 'L'}${num(x(p.x))} ${num(y(p.y))}`).join('');
    marks.push(tag('path', { class: 'frontier', d, fill: 'none', stroke: INK, 'stroke-width': 1.5, 'stroke-dasharray': '6 4' }));
  }
  // Points first, so labels can avoid every point; highlighted points last, on top.
  const order = spec.points.map((p, i) => ({ p, i })).sort((a, b) => Number(a.p.highlight === true) - Number(b.p.highlight === true) || a.i - b.i);
  const boxes: Box[] = spec.points.map((p) => {
    const r = p.highlight === true ? 11 : 6;
    return { x0: x(p.x) - r, y0: y(p.y) - r, x1: x(p.x) + r, y1: y(p.y) + r };
  });
  const onFrontier = new Set(frontier);
  for (const { p } of order) {
    const cx = x(p.x);
    const cy = y(p.y);
    const hl = p.highlight === true;
    const tip = `${p.label}: ${spec.x.label} ${formatWithUnit(p.x, spec.x.unit)}, ${spec.y.label} ${formatWithUnit(p.y, spec.y.unit)}${hl ? ` (${spec.highlightLabel ?? 'highlighted'})` : ''}`;
    marks.push(
      tag(
        'g',
        { class: 'point', 'data-label': p.label, 'data-highlight': hl ? 'true' : undefined, 'data-frontier': onFrontier.has(p) ? 'true' : undefined },
        tooltip(tip) +
          (hl ? tag('circle', { class: 'highlight-ring', cx, cy, r: 10, fill: 'none', stroke: HIGHLIGHT, 'stroke-width': 2 }) : '') +
          tag('circle', { cx, cy, r: hl ? 5.5 : 4.5, fill: hl ? HIGHLIGHT : PRIMARY, stroke: '#ffffff', 'stroke-width': 1 }),
      ),
    );
  }
  // Labels: the first of 24 spots around the point (right, left, above, below, the diagonals; near, then farther)
  // that hits no point, label, frontier segment or plot edge.
  const segments = frontier.slice(1).map((p, i) => [x(frontier[i]!.x), y(frontier[i]!.y), x(p.x), y(p.y)] as const);
  const labelParts: string[] = [];
  const placed: Box[] = [];
  const inside = (bx: Box): boolean => bx.x0 >= plot.left + 2 && bx.x1 <= plot.right + 12 && bx.y0 >= plot.top - 4 && bx.y1 <= plot.bottom - 2;
  for (const { p } of order.slice().reverse()) {
    const cx = x(p.x);
    const cy = y(p.y);
    const hl = p.highlight === true;
    const label = truncate(p.label, 120);
    const w = textWidth(label, 12) * (hl ? 1.08 : 1);
    const own = boxes[spec.points.indexOf(p)]!;
    const r = hl ? 13 : 8;
    const candidates = [r, r + 12, r + 26].flatMap((d) => LABEL_DIRECTIONS.map(([dx, dy]) => labelSpot(cx, cy, w, d, dx, dy)));
    const free = (bx: Box): boolean =>
      !placed.some((q) => overlaps(q, bx)) &&
      !boxes.some((q) => q !== own && overlaps(q, bx)) &&
      !segments.some(([x1, y1, x2, y2]) => segmentHitsBox(x1, y1, x2, y2, bx));
    const spot = candidates.find((c) => inside(c.box) && free(c.box)) ?? candidates.find((c) => inside(c.box)) ?? candidates[0]!;
    placed.push(spot.box);
    if (candidates.indexOf(spot) >= 2 * LABEL_DIRECTIONS.length) {
      // A label pushed this far gets a leader line to its point.
      const lx = Math.min(Math.max(cx, spot.box.x0), spot.box.x1);
      const ly = Math.min(Math.max(cy, spot.box.y0), spot.box.y1);
      labelParts.push(tag('line', { class: 'leader', x1: cx, y1: cy, x2: lx, y2: ly, stroke: MUTED, 'stroke-width': 0.75 }));
    }
    labelParts.push(
      text(spot.x, spot.y, label, {
        class: 'point-label',
        'text-anchor': spot.anchor,
        fill: hl ? HIGHLIGHT : INK,
        'font-size': 12,
        'font-weight': hl ? 700 : undefined,
      }),
    );
  }
  const body =
    yAxisWith(plot, yLabels, y, axisTitle(spec.y)) +
    xAxisWith(plot, xLabels, x, axisTitle(spec.x)) +
    tag('g', { class: 'marks' }, marks.join('') + labelParts.join(''));
  return frame({ ...base, body });
}

// ---------------------------------------------------------------------------------------------------------------

function checkMarkers(markers: HistogramChartSpec['markers'], field: string): void {
  if (markers === undefined) return;
  checkArray(markers, field);
  markers.forEach((m, i) => {
    checkString(m.label, `${field}[${i}].label`);
    checkFinite(m.value, `${field}[${i}].value`);
  });
}

function histogramChart(spec: HistogramChartSpec): string {
  const { width, height } = dimensions(spec);
  checkArray(spec.bins, 'chart.bins');
  checkAxis(spec.x, 'chart.x');
  checkMarkers(spec.markers, 'chart.markers');
  spec.bins.forEach((b, i) => {
    checkFinite(b.lower, `chart.bins[${i}].lower`);
    checkFinite(b.upper, `chart.bins[${i}].upper`);
    checkFinite(b.count, `chart.bins[${i}].count`);
    if (!(b.upper > b.lower)) throw new InvalidInputError(`chart.bins[${i}].upper`, `must be greater than lower (${b.lower}), got ${b.upper}`);
    if (b.count < 0) throw new InvalidInputError(`chart.bins[${i}].count`, `must not be negative, got ${b.count}`);
  });
  const countLabel = spec.countLabel ?? 'invocations';
  const leg = chartLegend([{ name: countLabel, color: PRIMARY, shape: 'rect' }], width);
  const base = { type: 'histogram', title: spec.title, width, height, desc: descOf(spec), legend: leg.svg };
  if (spec.bins.length === 0) return frame({ ...base, body: noData(width, height) });

  const markers = spec.markers ?? [];
  const lo = Math.min(...spec.bins.map((b) => b.lower), ...markers.map((m) => m.value));
  const hi = Math.max(...spec.bins.map((b) => b.upper), ...markers.map((m) => m.value));
  // 5 % headroom, so the tallest bin does not touch the frame.
  const yTicks = niceTicks(0, Math.max(...spec.bins.map((b) => b.count)) * 1.05, { integer: true });
  const yLabels = tickLabels(yTicks, undefined);
  const left = leftFor(yLabels.map((l) => l.label));
  const right = width - 20;
  const xTicks = niceTicks(lo, hi, { count: Math.max(2, Math.floor((right - left) / 80)) });
  const xLabels = tickLabels(xTicks, spec.x.unit);
  const x = linearScale([xTicks.min, xTicks.max], [left, right]);
  const fmt = (v: number): string => formatWithUnit(v, spec.x.unit, 4);
  const rows = markerRows(markers, x, fmt, right);
  const plot: PlotArea = { left, top: LEGEND_TOP + leg.height + 8 + rows * 14, right, bottom: height - 52 };
  const y = linearScale([yTicks.min, yTicks.max], [plot.bottom, plot.top]);
  const bins = spec.bins.map((b) =>
    tag(
      'rect',
      {
        class: 'bin',
        x: x(b.lower),
        y: y(b.count),
        width: Math.max(x(b.upper) - x(b.lower), 0.5),
        height: plot.bottom - y(b.count),
        fill: PRIMARY,
        stroke: '#ffffff',
        'stroke-width': 1,
        'data-lower': String(b.lower),
        'data-upper': String(b.upper),
        'data-count': String(b.count),
      },
      tooltip(`${fmt(b.lower)} – ${fmt(b.upper)}: ${b.count} ${countLabel}`),
    ),
  );
  const body =
    yAxisWith(plot, yLabels, y, countLabel) +
    xAxisWith(plot, xLabels, x, axisTitle(spec.x)) +
    tag('g', { class: 'marks' }, bins.join('') + markerLines(plot, markers, x, fmt));
  return frame({ ...base, body });
}

// ---------------------------------------------------------------------------------------------------------------

function cdfChart(spec: CdfChartSpec): string {
  const { width, height } = dimensions(spec);
  checkArray(spec.series, 'chart.series');
  checkAxis(spec.x, 'chart.x');
  checkMarkers(spec.markers, 'chart.markers');
  const series = spec.series.map((s, i) => {
    checkString(s.name, `chart.series[${i}].name`);
    checkArray(s.values, `chart.series[${i}].values`);
    s.values.forEach((v, j) => checkFinite(v, `chart.series[${i}].values[${j}]`));
    return { name: s.name, sorted: [...s.values].sort((a, b) => a - b) };
  });
  const leg = seriesLegend(series.map((s) => s.name), 'line', width);
  const base = { type: 'cdf', title: spec.title, width, height, desc: descOf(spec), legend: leg.svg };
  const all = series.flatMap((s) => s.sorted);
  if (all.length === 0) return frame({ ...base, body: noData(width, height) });

  const markers = spec.markers ?? [];
  const lo = Math.min(all[0]!, ...series.map((s) => s.sorted[0] ?? Infinity), ...markers.map((m) => m.value));
  const hi = Math.max(...series.map((s) => s.sorted[s.sorted.length - 1] ?? -Infinity), ...markers.map((m) => m.value));
  const yTicks = niceTicks(0, 100, { count: 4 });
  const yLabels = tickLabels(yTicks, '%');
  const left = leftFor(yLabels.map((l) => l.label));
  const right = width - 20;
  const xTicks = niceTicks(lo, hi, { count: Math.max(2, Math.floor((right - left) / 80)) });
  const xLabels = tickLabels(xTicks, spec.x.unit);
  const x = linearScale([xTicks.min, xTicks.max], [left, right]);
  const fmt = (v: number): string => formatWithUnit(v, spec.x.unit, 4);
  const rows = markerRows(markers, x, fmt, right);
  const plot: PlotArea = { left, top: LEGEND_TOP + leg.height + 8 + rows * 14, right, bottom: height - 52 };
  const y = linearScale([0, 100], [plot.bottom, plot.top]);
  const lines = series.map((s, i) => {
    const n = s.sorted.length;
    let d = '';
    if (n > 0) {
      // A step function: flat between values, a rise at each distinct value to the share of values ≤ it.
      d = `M${num(x(s.sorted[0]!))} ${num(y(0))}`;
      for (let k = 0; k < n; k++) {
        const v = s.sorted[k]!;
        if (k + 1 < n && s.sorted[k + 1] === v) continue;
        d += `H${num(x(v))}V${num(y(((k + 1) / n) * 100))}`;
      }
    }
    return tag(
      'path',
      { class: 'series-line', 'data-series': s.name, d: d === '' ? 'M0 0' : d, fill: 'none', stroke: seriesColor(i), 'stroke-width': 2, 'stroke-linejoin': 'round' },
      tooltip(`${s.name}: ${n} values`),
    );
  });
  const body =
    yAxisWith(plot, yLabels, y, 'share of values ≤ x') +
    xAxisWith(plot, xLabels, x, axisTitle(spec.x)) +
    tag('g', { class: 'marks' }, lines.join('') + markerLines(plot, markers, x, fmt));
  return frame({ ...base, body });
}

// ---------------------------------------------------------------------------------------------------------------

function stackedBarChart(spec: StackedBarChartSpec): string {
  checkArray(spec.segments, 'chart.segments');
  checkArray(spec.bars, 'chart.bars');
  checkAxis(spec.x, 'chart.x');
  spec.segments.forEach((s, i) => checkString(s, `chart.segments[${i}]`));
  spec.bars.forEach((b, i) => {
    checkString(b.label, `chart.bars[${i}].label`);
    checkColumnValues(b.values, `chart.bars[${i}].values`, spec.segments.length, 'segment', (v, field) => {
      checkFinite(v, field);
      if (v < 0) throw new InvalidInputError(field, `must not be negative, got ${v}`);
    });
  });
  const width = spec.width ?? DEFAULT_WIDTH;
  const leg = seriesLegend(spec.segments, 'rect', width);
  const barHeight = 28;
  const gap = 18;
  const top = LEGEND_TOP + leg.height + 10;
  const { height } = dimensions(spec, Math.max(180, top + Math.max(spec.bars.length, 1) * (barHeight + gap) + 48));
  const base = { type: 'stacked-bar', title: spec.title, width, height, desc: descOf(spec), legend: leg.svg };
  if (spec.bars.length === 0 || spec.segments.length === 0) return frame({ ...base, body: noData(width, height) });

  const totals = spec.bars.map((b) => b.values.reduce((s, v) => s + v, 0));
  const fmt = (v: number): string => formatWithUnit(v, spec.x.unit, 4);
  const left = 16 + Math.min(maxWidth(spec.bars.map((b) => b.label)), 180) + 10;
  const right = width - 20 - Math.max(...totals.map((t) => textWidth(fmt(t)))) - 8;
  const xTicks = niceTicks(0, Math.max(...totals), { count: Math.max(2, Math.floor((right - left) / 80)) });
  const xLabels = tickLabels(xTicks, spec.x.unit);
  const plot: PlotArea = { left, top, right, bottom: height - 52 };
  const x = linearScale([xTicks.min, xTicks.max], [plot.left, plot.right]);
  const rowHeight = (plot.bottom - plot.top) / spec.bars.length;
  const h = Math.min(barHeight, rowHeight * 0.7);
  const marks: string[] = [];
  spec.bars.forEach((b, i) => {
    const by = plot.top + rowHeight * i + (rowHeight - h) / 2;
    let acc = 0;
    const segments: string[] = [];
    b.values.forEach((v, j) => {
      const x0 = x(acc);
      const x1 = x(acc + v);
      acc += v;
      const name = spec.segments[j]!;
      segments.push(
        tag(
          'rect',
          { class: 'segment', x: x0, y: by, width: Math.max(x1 - x0, 0), height: h, fill: seriesColor(j), 'data-segment': name, 'data-value': String(v) },
          tooltip(`${b.label}, ${name}: ${fmt(v)}`),
        ),
      );
      const inside = formatSignificant(v, 3);
      if (v > 0 && textWidth(inside, 11) + 6 <= x1 - x0) {
        segments.push(text((x0 + x1) / 2, by + h / 2 + 3.5, inside, { class: 'segment-label', 'text-anchor': 'middle', fill: textOnSeriesColor(j), 'font-size': 11 }));
      }
    });
    marks.push(
      tag(
        'g',
        { class: 'stacked-bar', 'data-label': b.label, 'data-total': String(totals[i]) },
        text(plot.left - 8, by + h / 2 + 4, truncate(b.label, 180), { class: 'category-label', 'text-anchor': 'end', fill: INK, 'font-size': 12 }) +
          segments.join('') +
          text(x(totals[i]!) + 6, by + h / 2 + 4, fmt(totals[i]!), { class: 'value-label', fill: INK, 'font-size': 12, 'font-weight': 600 }),
      ),
    );
  });
  const body = xAxisWith(plot, xLabels, x, axisTitle(spec.x)) + tag('g', { class: 'marks' }, marks.join(''));
  return frame({ ...base, body });
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * Draws a chart as a standalone SVG document fragment (`<svg role="img" data-chart="…">` with `<title>` and
 * `<desc>`), ready to inline in HTML or save as a `.svg` file. All text is escaped; output is deterministic.
 *
 * @throws InvalidInputError for an unknown `type`, a non-finite value, or mismatched lengths, naming the field.
 * @example
 * ```ts
 * const svg = renderChartSvg({
 *   type: 'bar',
 *   title: 'Warm duration p50 by memory size',
 *   y: { label: 'p50', unit: 'ms' },
 *   xLabel: 'memory size',
 *   highlightLabel: 'recommended',
 *   bars: [
 *     { label: '512 MB', value: 424.91 },
 *     { label: '1024 MB', value: 212.4, highlight: true },
 *     { label: '1769 MB', value: 106.28 },
 *   ],
 * });
 * await writeFile('p50.svg', svg);
 * ```
 */
export function renderChartSvg(chart: ChartSpec): string {
  if (chart === null || typeof chart !== 'object') throw new InvalidInputError('chart', 'must be a chart object');
  checkString(chart.title, 'chart.title');
  switch (chart.type) {
    case 'bar':
      return barChart(chart);
    case 'grouped-bar':
      return groupedBarChart(chart);
    case 'line':
      return lineChart(chart);
    case 'scatter':
      return scatterChart(chart);
    case 'histogram':
      return histogramChart(chart);
    case 'cdf':
      return cdfChart(chart);
    case 'stacked-bar':
      return stackedBarChart(chart);
    default:
      throw new InvalidInputError(
        'chart.type',
        `must be one of ${CHART_TYPES.join(', ')}, got ${JSON.stringify((chart as { type?: unknown }).type) ?? 'undefined'}`,
      );
  }
}
