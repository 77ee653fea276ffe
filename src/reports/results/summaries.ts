/**
 * Short plain-text summaries of results for terminals: the result's document without its charts, through
 * `renderTextReport` (aligned columns, findings as bullet lines, no ANSI escapes).
 *
 * @module
 */
import type { ColdStartResult } from '../../coldstarts/types.js';
import type { AsyncDiagnosis } from '../../diagnose/types.js';
import type { HttpResult } from '../../http/types.js';
import type { TuneResult } from '../../tune/types.js';
import { renderTextReport } from '../text.js';
import type { ReportDocument } from '../types.js';
import { coldStartReportDocument } from './coldstarts.js';
import type { ResultReportOptions } from './common.js';
import { asyncDiagnosisReportDocument } from './diagnose.js';
import type { AsyncDiagnosisReportOptions } from './diagnose.js';
import { httpReportDocument } from './http.js';
import { tuneReportDocument } from './tune.js';

/** The document without its charts, and without the sections that held only charts. */
export function withoutCharts(doc: ReportDocument): ReportDocument {
  return {
    ...doc,
    sections: doc.sections
      .map((s) => ({ ...s, blocks: s.blocks.filter((b) => b.kind !== 'chart') }))
      .filter((s) => s.blocks.length > 0 || (s.text !== undefined && s.text.trim() !== '')),
  };
}

/**
 * A tuning result as plain text: the recommendation, why, and the table per memory size (recommended row marked `*`).
 *
 * @example
 * ```ts
 * console.log(summarizeTuneResult(await powerTune({ lambda }, input)));
 * ```
 */
export function summarizeTuneResult(result: TuneResult, options: ResultReportOptions = {}): string {
  return renderTextReport(withoutCharts(tuneReportDocument(result, options)));
}

/** A cold-start result as plain text: the cold vs warm table and the idle probe. */
export function summarizeColdStartResult(result: ColdStartResult, options: ResultReportOptions = {}): string {
  return renderTextReport(withoutCharts(coldStartReportDocument(result, options)));
}

/**
 * A diagnosis as plain text: the findings with evidence and advice, the settings and totals (AsyncEventAge labelled
 * as scaled time with `options.timeScale` above 1, as in {@link asyncDiagnosisReportDocument}).
 *
 * @example
 * ```ts
 * console.log(summarizeAsyncDiagnosis(diagnosis, { timeScale: 60 }));
 * ```
 */
export function summarizeAsyncDiagnosis(diagnosis: AsyncDiagnosis, options: AsyncDiagnosisReportOptions = {}): string {
  return renderTextReport(withoutCharts(asyncDiagnosisReportDocument(diagnosis, options)));
}

/** An HTTP result as plain text: the phase tables per connection-reuse mode. */
export function summarizeHttpResult(result: HttpResult, options: ResultReportOptions = {}): string {
  return renderTextReport(withoutCharts(httpReportDocument(result, options)));
}
