/**
 * Result mappers: the results of `lambda-meter/tune`, `/coldstarts`, `/diagnose` and `/http` as report documents,
 * a merge of several documents into one page, and short plain-text summaries for terminals
 * (`renderTextReport` of the chart-less document).
 *
 * @module
 */
export type { ResultReportOptions } from './common.js';
export { tuneReportDocument, tuneReportSections, tuneCharts } from './tune.js';
export { coldStartReportDocument, coldStartReportSections, coldStartCharts } from './coldstarts.js';
export { asyncDiagnosisReportDocument, asyncDiagnosisReportSections, asyncDiagnosisCharts, asyncFindingSummary, reportFindingOf } from './diagnose.js';
export type { AsyncDiagnosisReportOptions, ScaledTimeOptions } from './diagnose.js';
export { httpReportDocument, httpReportSections, httpCharts } from './http.js';
export { compareReportDocument, compareReportSections, compareCharts, gateReportDocument, gateReportMarkdown } from './compare.js';
export { gridReportDocument, gridReportSections, gridCharts } from './grid.js';
export { combinedReportDocument } from './combined.js';
export type { CombinedReportOptions } from './combined.js';
export { summarizeTuneResult, summarizeColdStartResult, summarizeAsyncDiagnosis, summarizeHttpResult, withoutCharts } from './summaries.js';
