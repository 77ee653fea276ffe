/**
 * The report document model: a title, sections, and blocks (tables, key-value lists, findings, charts) that every
 * renderer (JSON, CSV, Markdown, HTML) reads. Plain data except the optional `highlightRow` and `format` functions.
 *
 * @module
 */

/** Horizontal alignment of a table column. */
export type ColumnAlign = 'left' | 'right' | 'center';

/**
 * A named cell format (serialisable, unlike a function): `ms` → `812.34 ms`, `usd` → `$103.13` or `$0.000000384`
 * (`formatUsd`: 2 decimals from $1; below, 4 significant digits of a number and every digit of an exact decimal
 * string such as `totalUSDExact`),
 * `percent` (a fraction) → `12.5%`, `mb` → `512 MB`, `integer` → `1,024`, `number` → up to 6 significant digits.
 */
export type CellFormatName = 'ms' | 'usd' | 'percent' | 'mb' | 'integer' | 'number';

/** A cell value: what a row may hold under a column's key. */
export type CellValue = string | number | boolean | bigint | Date | null | undefined;

/** A row of a table: cell values by column key. */
export type ReportRow = Readonly<Record<string, CellValue>>;

/** Formats one cell for Markdown and HTML (CSV and JSON keep raw values unless asked). */
export type CellFormatter = (value: CellValue, row: ReportRow) => string;

/** A column of a table. */
export interface ReportColumn {
  /** The row key the column shows. */
  readonly key: string;
  /** Header text. */
  readonly label: string;
  /**
   * Alignment.
   * @default 'right' for columns whose values are all numbers, else 'left'
   */
  readonly align?: ColumnAlign;
  /**
   * How cells are shown in Markdown and HTML.
   * @default numbers with up to 6 significant digits and thousands separators, `—` for null/undefined
   */
  readonly format?: CellFormatName | CellFormatter;
}

/** A table. */
export interface ReportTable {
  readonly kind: 'table';
  /** The columns, in order. */
  readonly columns: readonly ReportColumn[];
  /** The rows, in order. */
  readonly rows: readonly ReportRow[];
  /** Rows to emphasise (e.g. the recommended memory size). */
  readonly highlightRow?: (row: ReportRow) => boolean;
  /** A caption above the table; also names the table's CSV file. */
  readonly caption?: string;
}

/** One entry of a key-value list. */
export interface ReportKeyValue {
  /** The key, e.g. `Recommended memory`. */
  readonly label: string;
  /** The value. */
  readonly value: CellValue;
  /** How the value is shown; as {@link ReportColumn.format}. */
  readonly format?: CellFormatName | CellFormatter;
  /**
   * An `http:` or `https:` address the value links to (an `<a>` in HTML, a link in Markdown); any other scheme is
   * shown as plain text.
   */
  readonly href?: string;
}

/** A list of labelled values (a summary, a configuration). */
export interface ReportKeyValueList {
  readonly kind: 'keyValue';
  /** The entries, in order. */
  readonly entries: readonly ReportKeyValue[];
  /** A caption above the list. */
  readonly caption?: string;
}

/** How serious a finding is. */
export type FindingSeverity = 'info' | 'warning' | 'critical';

/** The severities, mildest first. */
export const FINDING_SEVERITIES: readonly FindingSeverity[] = ['info', 'warning', 'critical'];

/** One finding of a diagnosis: what was seen, the numbers that show it, what to do. */
export interface ReportFinding {
  /** How serious it is. */
  readonly severity: FindingSeverity;
  /** One line, e.g. `Async events are dropped`. */
  readonly title: string;
  /** The observations that support it, e.g. `AsyncEventsDropped: 42 between 10:05 and 10:20 UTC`. */
  readonly evidence: string | readonly string[];
  /** What to do about it. */
  readonly advice: readonly string[];
}

/** A list of findings. */
export interface ReportFindingList {
  readonly kind: 'findings';
  /** The findings, in order (most serious first reads best). */
  readonly findings: readonly ReportFinding[];
  /** A caption above the list. */
  readonly caption?: string;
}

/** A chart in a document. */
export interface ReportChart {
  readonly kind: 'chart';
  /** What to draw. */
  readonly chart: ChartSpec;
}

/** One block of a section. */
export type ReportBlock = ReportTable | ReportKeyValueList | ReportFindingList | ReportChart;

/** A section: a heading, an optional paragraph, blocks. */
export interface ReportSection {
  /** Heading. */
  readonly heading: string;
  /** A paragraph under the heading (plain text; blank lines separate paragraphs). */
  readonly text?: string;
  /** The blocks, in order. */
  readonly blocks: readonly ReportBlock[];
}

/** A report. */
export interface ReportDocument {
  /** Title of the report. */
  readonly title: string;
  /** A line under the title, e.g. the function name and region. */
  readonly subtitle?: string;
  /** When the report was made (shown in UTC); given by the caller so output is deterministic. */
  readonly generatedAt: Date | number;
  /** The sections, in order. */
  readonly sections: readonly ReportSection[];
}

// ---------------------------------------------------------------------------------------------------------------
// Charts

/** What every chart has. */
export interface ChartBase {
  /** Title, drawn above the chart and used as its accessible name. */
  readonly title: string;
  /** A sentence on what the chart shows; becomes the SVG `<desc>` (a data summary is added to it). */
  readonly description?: string;
  /**
   * Width of the drawing in SVG user units (px at 100%).
   * @default 720
   */
  readonly width?: number;
  /**
   * Height of the drawing.
   * @default 360 (scatter: 400; stacked bars: grows with the number of bars)
   */
  readonly height?: number;
}

/** A value axis: its name and unit, e.g. `{ label: 'warm duration p50', unit: 'ms' }`. */
export interface AxisSpec {
  /** Name of the quantity. */
  readonly label: string;
  /** Unit, shown in parentheses after the label: `ms`, `USD`, `MB`, `%`, `count`. */
  readonly unit?: string;
  /**
   * A whole-number quantity (events, invocations, concurrent executions): the value axis gets whole-number ticks.
   * Honoured by the value axes of bar, grouped-bar and line charts.
   * @default false
   */
  readonly integer?: boolean;
}

/** One bar of a bar chart. */
export interface BarDatum {
  /** Category label under the bar, e.g. `1024 MB`. */
  readonly label: string;
  /** Height of the bar. */
  readonly value: number;
  /** Draw this bar in the highlight colour (e.g. the recommended memory size). */
  readonly highlight?: boolean;
}

/** Bars, one per category; some may be highlighted. */
export interface BarChartSpec extends ChartBase {
  readonly type: 'bar';
  readonly bars: readonly BarDatum[];
  /** The value axis. */
  readonly y: AxisSpec;
  /** Name of the categories, e.g. `memory size`. */
  readonly xLabel?: string;
  /**
   * Legend text of the plain bars.
   * @default the y axis label
   */
  readonly seriesLabel?: string;
  /**
   * Legend text of highlighted bars (the legend shows it only when a bar is highlighted).
   * @default 'highlighted'
   */
  readonly highlightLabel?: string;
}

/** One series of a grouped bar chart: a value per category (`null` = no bar). */
export interface BarSeries {
  /** Legend text, e.g. `cold`. */
  readonly name: string;
  /** One value per category, in the order of `categories`. */
  readonly values: readonly (number | null)[];
}

/** Groups of bars side by side: one group per category, one bar per series (e.g. cold vs warm per metric). */
export interface GroupedBarChartSpec extends ChartBase {
  readonly type: 'grouped-bar';
  /** Category labels, one group each. */
  readonly categories: readonly string[];
  readonly series: readonly BarSeries[];
  readonly y: AxisSpec;
  readonly xLabel?: string;
}

/** One point of a time series. */
export interface TimePoint {
  /** When: a `Date` or epoch milliseconds. */
  readonly time: Date | number;
  /** The value; `null` leaves a gap in the line. */
  readonly value: number | null;
}

/** One line of a line chart. */
export interface TimeSeries {
  /** Legend text, e.g. `AsyncEventsReceived`. */
  readonly name: string;
  readonly points: readonly TimePoint[];
}

/** Lines over time (x axis in UTC), e.g. CloudWatch metric series. */
export interface LineChartSpec extends ChartBase {
  readonly type: 'line';
  readonly series: readonly TimeSeries[];
  readonly y: AxisSpec;
  /**
   * Start the y axis at zero (counts, ages) rather than near the smallest value.
   * @default true
   */
  readonly yFromZero?: boolean;
}

/** One point of a scatter chart. */
export interface ScatterPoint {
  /** Label drawn next to the point, e.g. `1024 MB`. */
  readonly label: string;
  readonly x: number;
  readonly y: number;
  /** Mark this point (e.g. the recommendation). */
  readonly highlight?: boolean;
}

/**
 * Points with labels, and optionally their Pareto frontier connected (the points no other point beats on both x
 * and y, smaller being better on both): e.g. cost per invocation vs duration per memory size.
 */
export interface ScatterChartSpec extends ChartBase {
  readonly type: 'scatter';
  readonly points: readonly ScatterPoint[];
  readonly x: AxisSpec;
  readonly y: AxisSpec;
  /**
   * The frontier to connect: `true` computes it (minimising x and y), a list names its points by label, `false`
   * draws none.
   * @default false
   */
  readonly frontier?: boolean | readonly string[];
  /**
   * Legend text of highlighted points.
   * @default 'highlighted'
   */
  readonly highlightLabel?: string;
  /**
   * Legend text of the points.
   * @default 'points'
   */
  readonly pointsLabel?: string;
}

/** A vertical reference line at a value, e.g. `{ label: 'p99', value: 812 }`. */
export interface ChartMarker {
  readonly label: string;
  readonly value: number;
}

/** One bin of a histogram: values with lower ≤ v < upper (the shape `histogram()` of `lambda-meter/stats` returns). */
export interface HistogramBinDatum {
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
}

/** A histogram from precomputed bins (use `histogram()` of `lambda-meter/stats`). */
export interface HistogramChartSpec extends ChartBase {
  readonly type: 'histogram';
  readonly bins: readonly HistogramBinDatum[];
  /** The value axis (x), e.g. `{ label: 'duration', unit: 'ms' }`. */
  readonly x: AxisSpec;
  /**
   * Name of the counts axis.
   * @default 'invocations'
   */
  readonly countLabel?: string;
  /** Reference lines, e.g. p50 and p99. */
  readonly markers?: readonly ChartMarker[];
}

/** One sample of a CDF chart. */
export interface CdfSeries {
  /** Legend text, e.g. `warm`. */
  readonly name: string;
  /** The raw values (any order; not modified). */
  readonly values: readonly number[];
}

/** Empirical cumulative distribution functions, one step line per sample; y from 0 to 100%. */
export interface CdfChartSpec extends ChartBase {
  readonly type: 'cdf';
  readonly series: readonly CdfSeries[];
  readonly x: AxisSpec;
  /** Reference lines, e.g. an SLO. */
  readonly markers?: readonly ChartMarker[];
}

/** One horizontal bar of a stacked bar chart: one value per segment. */
export interface StackedBarDatum {
  /** Label left of the bar, e.g. `new connection`. */
  readonly label: string;
  /** One value per segment, in the order of `segments`. */
  readonly values: readonly number[];
}

/** Horizontal bars split into segments (e.g. HTTP phases DNS, connect, TLS, waiting, download per reuse mode). */
export interface StackedBarChartSpec extends ChartBase {
  readonly type: 'stacked-bar';
  /** Segment names, in drawing order (left to right), shown in the legend. */
  readonly segments: readonly string[];
  readonly bars: readonly StackedBarDatum[];
  /** The value axis (x). */
  readonly x: AxisSpec;
}

/** Every chart kind. */
export type ChartSpec =
  | BarChartSpec
  | GroupedBarChartSpec
  | LineChartSpec
  | ScatterChartSpec
  | HistogramChartSpec
  | CdfChartSpec
  | StackedBarChartSpec;

/** The chart kinds, as written in `ChartSpec.type` and in the SVG's `data-chart` attribute. */
export type ChartType = ChartSpec['type'];

/** Every chart kind, in the order the docs list them. */
export const CHART_TYPES: readonly ChartType[] = ['bar', 'grouped-bar', 'line', 'scatter', 'histogram', 'cdf', 'stacked-bar'];
