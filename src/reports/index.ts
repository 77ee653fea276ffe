/**
 * `lambda-meter/reports`: render measurement results as JSON, CSV, Markdown, or one self-contained HTML page with
 * SVG charts. Build a {@link ReportDocument} (sections of tables, key-value lists, findings and charts) and pass it
 * to a renderer. Pure functions with no dependencies; output depends on the input only.
 *
 * @module
 */
export type {
  ColumnAlign,
  CellFormatName,
  CellValue,
  CellFormatter,
  ReportRow,
  ReportColumn,
  ReportTable,
  ReportKeyValue,
  ReportKeyValueList,
  FindingSeverity,
  ReportFinding,
  ReportFindingList,
  ReportChart,
  ReportBlock,
  ReportSection,
  ReportDocument,
  ChartBase,
  AxisSpec,
  BarDatum,
  BarChartSpec,
  BarSeries,
  GroupedBarChartSpec,
  TimePoint,
  TimeSeries,
  LineChartSpec,
  ScatterPoint,
  ScatterChartSpec,
  ChartMarker,
  HistogramBinDatum,
  HistogramChartSpec,
  CdfSeries,
  CdfChartSpec,
  StackedBarDatum,
  StackedBarChartSpec,
  ChartSpec,
  ChartType,
} from './types.js';
export { FINDING_SEVERITIES, CHART_TYPES } from './types.js';
export { renderChartSvg } from './charts.js';
export { describeChart } from './describe.js';
export { niceTicks, niceTimeTicks } from './scale.js';
export type { NiceTicks, NiceTicksOptions, TimeTicks } from './scale.js';
export { renderJsonReport, isReportDocument } from './json.js';
export type { JsonReportOptions } from './json.js';
export { renderCsvTable, renderCsvReport } from './csv.js';
export type { CsvOptions, CsvFile } from './csv.js';
export { renderMarkdownReport, escapeMarkdown } from './markdown.js';
export type { MarkdownReportOptions } from './markdown.js';
export { renderHtmlReport } from './html.js';
export { renderTextReport } from './text.js';
export { formatUsd, formatCount } from './format.js';
export type { HtmlReportOptions } from './html.js';
export * from './results/index.js';
