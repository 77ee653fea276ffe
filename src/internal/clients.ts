/**
 * Structural client types. Any object with the AWS SDK v3 `send` method fits: a configured SDK client, one
 * pointed at a local endpoint, or a mock. They are defined here, not imported from the SDK, so that the
 * published types do not depend on the optional peer packages.
 */

/** Options the SDK's `send` accepts that lambda-meter passes through. */
export interface SendOptions {
  /** Aborts the HTTP request. */
  readonly abortSignal?: AbortSignal;
}

/**
 * Anything with the AWS SDK v3 `send(command, options)` method.
 *
 * @example
 * ```ts
 * import { LambdaClient } from '@aws-sdk/client-lambda';
 * const client: SdkClientLike = new LambdaClient({ region: 'us-east-1' });
 * ```
 */
export interface SdkClientLike {
  // The SDK's own send() is overloaded per command; `any` keeps every real client and mock assignable.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  send(command: any, options?: any): Promise<any>;
}

/** A Lambda client (`@aws-sdk/client-lambda`'s `LambdaClient`, or anything with its `send`). */
export type LambdaClientLike = SdkClientLike;
/** A CloudWatch Logs client (`@aws-sdk/client-cloudwatch-logs`'s `CloudWatchLogsClient`, or anything with its `send`). */
export type LogsClientLike = SdkClientLike;
/** A CloudWatch client (`@aws-sdk/client-cloudwatch`'s `CloudWatchClient`, or anything with its `send`). */
export type CloudWatchClientLike = SdkClientLike;
