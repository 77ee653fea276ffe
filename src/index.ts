/**
 * lambda-meter: measure AWS Lambda performance and cost.
 *
 * The root re-exports the core modules a benchmark script needs — `report`, `invoke`, `insights`, `metrics`, `cost`,
 * `stats`, `handler` — with the error classes and the shared option, progress and client types. Pipelines and
 * tools come from their own subpaths only: `lambda-meter/tune`, `lambda-meter/coldstarts`, `lambda-meter/diagnose`,
 * `lambda-meter/http`, `lambda-meter/local` and `lambda-meter/reports`. Importing the root loads no AWS SDK package
 * (AWS-facing functions load their optional peer client package on first call) and no `child_process`, `http`,
 * `https`, `tls` or `net` module (test/dist/smoke.mjs checks it).
 *
 * @packageDocumentation
 */
export * from './errors.js';
export type { RetryOptions, RetryEvent } from './internal/retry.js';
export type { SdkClientLike, LambdaClientLike, LogsClientLike, CloudWatchClientLike, SendOptions } from './internal/clients.js';
export type { TimeInput } from './internal/time.js';
export type { CallOptions, Progress, ProgressPhase, ProgressRetry } from './internal/options.js';
export * from './report/index.js';
export * from './invoke/index.js';
export * from './insights/index.js';
export * from './metrics/index.js';
export * from './cost/index.js';
export * from './stats/index.js';
export * from './handler/index.js';
