/**
 * `lambda-meter/diagnose`: why a function's asynchronous events are delayed or dropped, from its metrics,
 * configuration and REPORTs, following AWS's troubleshooting flow for the async-invocation metrics.
 *
 * @module
 */
export { diagnoseAsync, evaluateAsync, ASYNC_DEFAULTS } from './diagnose.js';
export type {
  DiagnoseClients,
  DiagnoseAsyncInput,
  DiagnoseAsyncOptions,
  AsyncFindingCode,
  AsyncFindingSeverity,
  AsyncFinding,
  EventInvokeSettings,
  AsyncTotals,
  AsyncLogSummary,
  AsyncDiagnosis,
  EvaluateAsyncInput,
} from './types.js';
