import { InvalidInputError } from '../errors.js';
import type { ReportMatch, ReportMatchResult } from './types.js';

/**
 * Joins invocations to REPORTs by request id. Each invocation takes the first unused REPORT with its id; REPORTs left
 * over (no such invocation, or a second REPORT of one id such as an async retry) are `extra`. `completeness` is the
 * share of invocations that found their REPORT, and 1 when there are no invocations (nothing is missing).
 *
 * @example
 * ```ts
 * import { matchReports, queryReports } from 'lambda-meter/insights';
 *
 * const { missing, completeness } = matchReports(invocations, await queryReports(logs, { functionName: 'resize', startTime, endTime }));
 * if (completeness < 1) console.warn(`${missing.length} invocations have no REPORT yet`);
 * ```
 */
export function matchReports<I extends { readonly requestId: string }, R extends { readonly requestId: string }>(
  invocations: readonly I[],
  reports: readonly R[],
): ReportMatchResult<I, R> {
  if (!Array.isArray(invocations)) throw new InvalidInputError('invocations', 'must be an array of objects with a requestId');
  if (!Array.isArray(reports)) throw new InvalidInputError('reports', 'must be an array of ReportRecord');
  const byId = new Map<string, R[]>();
  for (const report of reports) {
    const queue = byId.get(report.requestId);
    if (queue === undefined) byId.set(report.requestId, [report]);
    else queue.push(report);
  }
  const used = new Set<R>();
  const matched: ReportMatch<I, R>[] = [];
  const missing: I[] = [];
  for (const invocation of invocations) {
    const report = byId.get(invocation.requestId)?.find((r) => !used.has(r));
    if (report === undefined) missing.push(invocation);
    else {
      used.add(report);
      matched.push({ invocation, report });
    }
  }
  const extra = reports.filter((r) => !used.has(r));
  return { matched, missing, extra, completeness: invocations.length === 0 ? 1 : matched.length / invocations.length };
}
