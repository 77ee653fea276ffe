/**
 * `lambda-meter/insights`: CloudWatch Logs Insights queries with back-off polling, every REPORT of a time range
 * (complete beyond the 10,000-row cap), and joining REPORTs to invocations.
 *
 * @module
 */
export { runInsightsQuery } from './query.js';
export { iterateReports, queryReports, REPORTS_FILTER } from './reports.js';
export { matchReports } from './match.js';
export type {
  QueryLanguage,
  InsightsQueryStatus,
  InsightsQueryInput,
  InsightsStatistics,
  InsightsRow,
  InsightsResult,
  InsightsQueryOptions,
  QueryReportsInput,
  ReportWindowEvent,
  QueryReportsOptions,
  InsightsReportRecord,
  ReportMatch,
  ReportMatchResult,
} from './types.js';
