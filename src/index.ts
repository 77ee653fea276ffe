/**
 * lambda-meter: measure AWS Lambda performance and cost.
 *
 * The root re-exports every public function and type of the subpath modules, so a benchmark script can import
 * everything from `lambda-meter`. Importing it loads no AWS SDK package: AWS-facing functions load their optional
 * peer client package on first call.
 *
 * @packageDocumentation
 */
export * from './errors.js';
export type { RetryOptions, RetryEvent } from './internal/retry.js';
export type { SdkClientLike, LambdaClientLike, LogsClientLike, CloudWatchClientLike, SendOptions } from './internal/clients.js';
export type { TimeInput } from './internal/time.js';
export * from './report/index.js';
export * from './invoke/index.js';
export * from './insights/index.js';
export * from './metrics/index.js';
export * from './cost/index.js';
export * from './stats/index.js';
export * from './handler/index.js';
export * from './local/index.js';
export * from './tune/index.js';
export * from './http/index.js';
export * from './coldstarts/index.js';
export * from './diagnose/index.js';
export * from './reports/index.js';
