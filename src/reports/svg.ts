/**
 * SVG building blocks of the charts: elements with escaped attributes, text width estimates, axes, legends, the
 * frame every chart shares. Internal to `lambda-meter/reports`.
 *
 * @module
 */
import { InvalidInputError } from '../errors.js';
import { checkFinite as finiteNumber } from '../internal/validate.js';
import { escapeXml } from './format.js';
import type { AxisSpec } from './types.js';

/** Default chart width in SVG user units. */
export const DEFAULT_WIDTH = 720;
/** Default chart height. */
export const DEFAULT_HEIGHT = 360;

/** Okabe–Ito colours (distinguishable with the common colour-vision deficiencies), then two greys/indigo. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#6A6A6A', '#332288'] as const;
/** Text colour that reads on each palette colour. */
const ON_PALETTE = ['#ffffff', '#1f2328', '#ffffff', '#1f2328', '#1f2328', '#ffffff', '#ffffff', '#ffffff'] as const;
/** Plain bars and points. */
export const PRIMARY = '#0072B2';
/** Highlighted bars and points (the recommendation). */
export const HIGHLIGHT = '#D55E00';
/** Text, axes. */
export const INK = '#1f2328';
/** Secondary text (tick labels). */
export const MUTED = '#57606a';
/** Grid lines. */
export const GRID = '#e4e7eb';

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

/** Colour of series `i`. */
export function seriesColor(i: number): string {
  return PALETTE[i % PALETTE.length]!;
}

/** Text colour on series colour `i`. */
export function textOnSeriesColor(i: number): string {
  return ON_PALETTE[i % ON_PALETTE.length]!;
}

/** A coordinate with at most 2 decimals, so output is short and identical on every platform. */
export function num(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

type AttrValue = string | number | undefined;

/** One SVG element; `content` is trusted markup (escape text with {@link text}). */
export function tag(name: string, attributes: Readonly<Record<string, AttrValue>>, content?: string): string {
  let out = `<${name}`;
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    out += ` ${key}="${typeof value === 'number' ? num(value) : escapeXml(value)}"`;
  }
  return content === undefined ? `${out}/>` : `${out}>${content}</${name}>`;
}

/** A `<text>` element with escaped content. */
export function text(x: number, y: number, content: string, attributes: Readonly<Record<string, AttrValue>> = {}): string {
  return tag('text', { x, y, ...attributes }, escapeXml(content));
}

/** A `<title>` child (a native tooltip and an accessible name for a mark). */
export function tooltip(content: string): string {
  return `<title>${escapeXml(content)}</title>`;
}

/** Estimated width of `content` at `fontSize`, erring wide: about 0.62 em per character (DejaVu Sans, the widest usual default). */
export function textWidth(content: string, fontSize = 12): number {
  let em = 0;
  for (const ch of content) em += /[ilj.,:;'|!()\-\s]/.test(ch) ? 0.36 : /[mwMW@%]/.test(ch) ? 0.92 : 0.63;
  return em * fontSize;
}

/** `content` cut to about `maxWidth` with an ellipsis. */
export function truncate(content: string, maxWidth: number, fontSize = 12): string {
  if (textWidth(content, fontSize) <= maxWidth) return content;
  const chars = [...content];
  while (chars.length > 1 && textWidth(`${chars.join('')}…`, fontSize) > maxWidth) chars.pop();
  return `${chars.join('')}…`;
}

/** The axis title: `label (unit)`. */
export function axisTitle(axis: AxisSpec): string {
  return axis.unit === undefined || axis.unit === '' ? axis.label : `${axis.label} (${axis.unit})`;
}

/**
 * Throws unless `value` is a finite number: the shared `checkFinite` (src/internal/validate.ts), as an assertion for callers
 * that narrow a value in place.
 *
 * @example
 * ```ts
 * checkFinite(chart.width, 'chart.width');
 * ```
 */
export function checkFinite(value: unknown, field: string): asserts value is number {
  finiteNumber(value, field);
}

/** Throws unless `value` is an array. */
export function checkArray(value: unknown, field: string): asserts value is readonly unknown[] {
  if (!Array.isArray(value)) throw new InvalidInputError(field, 'must be an array');
}

/** Throws unless `value` is a string. */
export function checkString(value: unknown, field: string): asserts value is string {
  if (typeof value !== 'string') throw new InvalidInputError(field, `must be a string, got ${typeof value}`);
}

/** The shape of a series' point markers: each series of a line chart gets its own, so equal values stay visible. */
export type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond';

/** Marker shapes in series order (then again from the first). */
export const MARKER_SHAPES: readonly MarkerShape[] = ['circle', 'square', 'triangle', 'diamond'];

/** The marker shape of series `i`. */
export function seriesMarker(i: number): MarkerShape {
  return MARKER_SHAPES[i % MARKER_SHAPES.length]!;
}

/**
 * A hollow point marker of radius `r` centred on `(cx, cy)`: a 1.5 px outline in `color` with no fill, so that markers
 * of different shapes at one spot all show their outline.
 */
export function marker(shape: MarkerShape, cx: number, cy: number, r: number, color: string, attributes: Readonly<Record<string, AttrValue>> = {}): string {
  const style = { fill: 'none', stroke: color, 'stroke-width': 1.5, 'data-shape': shape, ...attributes };
  switch (shape) {
    case 'circle':
      return tag('circle', { cx, cy, r, ...style });
    case 'square':
      return tag('rect', { x: cx - r, y: cy - r, width: 2 * r, height: 2 * r, ...style });
    case 'triangle': {
      const h = r * 1.25;
      return tag('path', { d: `M${num(cx)} ${num(cy - h)}L${num(cx + h)} ${num(cy + h * 0.8)}L${num(cx - h)} ${num(cy + h * 0.8)}Z`, ...style });
    }
    case 'diamond': {
      const h = r * 1.35;
      return tag('path', { d: `M${num(cx)} ${num(cy - h)}L${num(cx + h)} ${num(cy)}L${num(cx)} ${num(cy + h)}L${num(cx - h)} ${num(cy)}Z`, ...style });
    }
  }
}

/** A legend entry. */
export interface LegendItem {
  readonly name: string;
  readonly color: string;
  /** Swatch: a filled square, a line, a dashed line, a dot, or a ring (highlighted point). */
  readonly shape: 'rect' | 'line' | 'dashed' | 'circle' | 'ring';
  /** On a line swatch: the series' point marker, drawn on the line's middle. */
  readonly marker?: MarkerShape;
}

/** Legend entries laid out in rows from `(x, y)` within `maxWidth`; returns the markup and the height used. */
export function legend(items: readonly LegendItem[], x: number, y: number, maxWidth: number): { svg: string; height: number } {
  if (items.length === 0) return { svg: '', height: 0 };
  const rowHeight = 18;
  let cx = x;
  let row = 0;
  const parts: string[] = [];
  for (const item of items) {
    const label = truncate(item.name, maxWidth - 24);
    const w = 18 + textWidth(label) + 16;
    if (cx > x && cx + w > x + maxWidth) {
      cx = x;
      row++;
    }
    const cy = y + row * rowHeight;
    let swatch: string;
    switch (item.shape) {
      case 'rect':
        swatch = tag('rect', { x: cx, y: cy - 5, width: 12, height: 10, rx: 2, fill: item.color });
        break;
      case 'line':
      case 'dashed':
        swatch = tag('line', {
          x1: cx,
          y1: cy,
          x2: cx + 14,
          y2: cy,
          stroke: item.color,
          'stroke-width': 2.5,
          'stroke-dasharray': item.shape === 'dashed' ? '4 3' : undefined,
        });
        if (item.marker !== undefined) swatch += marker(item.marker, cx + 7, cy, 3.5, item.color);
        break;
      case 'circle':
        swatch = tag('circle', { cx: cx + 6, cy, r: 4.5, fill: item.color });
        break;
      case 'ring':
        swatch =
          tag('circle', { cx: cx + 6, cy, r: 6, fill: 'none', stroke: item.color, 'stroke-width': 2 }) +
          tag('circle', { cx: cx + 6, cy, r: 3, fill: item.color });
        break;
    }
    parts.push(
      tag(
        'g',
        { class: 'legend-item', 'data-series': item.name },
        swatch + text(cx + 18, cy + 4, label, { fill: INK, 'font-size': 12 }),
      ),
    );
    cx += w;
  }
  return { svg: tag('g', { class: 'legend' }, parts.join('')), height: (row + 1) * rowHeight };
}

/** The plot area of a chart. */
export interface PlotArea {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/** Vertical marker lines (p50, p99, an SLO) with staggered labels at the top of the plot. */
export function markerLines(
  plot: PlotArea,
  markers: readonly { label: string; value: number }[],
  scale: (v: number) => number,
  formatValue: (v: number) => string,
): string {
  const parts: string[] = [];
  const placed: { x0: number; x1: number; row: number }[] = [];
  const sorted = [...markers].sort((a, b) => a.value - b.value);
  for (const m of sorted) {
    const x = Math.min(Math.max(scale(m.value), plot.left), plot.right);
    const label = `${m.label} ${formatValue(m.value)}`;
    const w = textWidth(label);
    const anchorEnd = x + w + 4 > plot.right;
    const x0 = anchorEnd ? x - w - 4 : x;
    const x1 = anchorEnd ? x : x + w + 4;
    let row = 0;
    while (placed.some((p) => p.row === row && p.x0 < x1 && x0 < p.x1)) row++;
    placed.push({ x0, x1, row });
    const y = plot.top - 4 - row * 14;
    parts.push(
      tag(
        'g',
        { class: 'marker', 'data-label': m.label, 'data-value': String(m.value) },
        tag('line', { x1: x, y1: plot.top - 2 - row * 14, x2: x, y2: plot.bottom, stroke: INK, 'stroke-width': 1.25, 'stroke-dasharray': '5 3' }) +
          text(anchorEnd ? x - 3 : x + 3, y, label, { 'text-anchor': anchorEnd ? 'end' : 'start', fill: INK, 'font-size': 12 }),
      ),
    );
  }
  return parts.join('');
}

/** Rows of marker labels {@link markerLines} needs above the plot. */
export function markerRows(markers: readonly { label: string; value: number }[], scale: (v: number) => number, formatValue: (v: number) => string, right: number): number {
  const placed: { x0: number; x1: number; row: number }[] = [];
  let rows = 0;
  for (const m of [...markers].sort((a, b) => a.value - b.value)) {
    const x = scale(m.value);
    const w = textWidth(`${m.label} ${formatValue(m.value)}`) + 4;
    const x0 = x + w > right ? x - w : x;
    const x1 = x0 + w;
    let row = 0;
    while (placed.some((p) => p.row === row && p.x0 < x1 && x0 < p.x1)) row++;
    placed.push({ x0, x1, row });
    rows = Math.max(rows, row + 1);
  }
  return rows;
}

/** What the frame of every chart needs. */
export interface FrameInput {
  readonly type: string;
  readonly title: string;
  readonly width: number;
  readonly height: number;
  /** Text for `<desc>`: the caller's description plus a data summary. */
  readonly desc: string;
  /** Legend markup (from {@link legend}). */
  readonly legend: string;
  /** The axes and marks. */
  readonly body: string;
}

/** Wraps a chart's body: the `<svg role="img">` root with `<title>`, `<desc>`, background, title text, legend. */
export function frame(input: FrameInput): string {
  return tag(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      viewBox: `0 0 ${num(input.width)} ${num(input.height)}`,
      width: input.width,
      height: input.height,
      role: 'img',
      'aria-label': input.title,
      'data-chart': input.type,
      class: 'lm-chart',
      'font-family': FONT,
      'font-size': 13,
    },
    `<title>${escapeXml(input.title)}</title>` +
      `<desc>${escapeXml(input.desc)}</desc>` +
      tag('rect', { class: 'chart-background', x: 0, y: 0, width: input.width, height: input.height, fill: '#ffffff' }) +
      text(16, 24, truncate(input.title, input.width - 32, 16), {
        class: 'chart-title',
        fill: INK,
        'font-size': 16,
        'font-weight': 600,
      }) +
      input.legend +
      input.body,
  );
}

/** The top of the legend, under the title. */
export const LEGEND_TOP = 44;

/** A centred "no data" message in place of the plot. */
export function noData(width: number, height: number): string {
  return text(width / 2, height / 2, 'no data', { class: 'no-data', 'text-anchor': 'middle', fill: MUTED, 'font-size': 15 });
}
