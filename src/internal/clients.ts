/**
 * Client types. Any object with the AWS SDK v3 `send` method fits: a configured SDK client, one pointed at a local
 * endpoint, or a mock. They are defined here, not imported from the SDK, so that the published types do not depend on
 * the optional peer packages.
 *
 * The three service types are checked: an SDK client of another service (a `CloudWatchLogsClient` where a Lambda
 * client belongs) is a type error whose message names the service expected, e.g.
 * `Property 'not a Lambda client' is missing in type 'CloudWatchLogsClient'`. The check reads the command input types
 * of the client's `send`; a mock whose `send` accepts any command passes.
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

/** The union of command inputs a client's `send` accepts (`unknown` for a mock typed loosely). */
type CommandInputs<C> = C extends { send(command: infer X, ...rest: infer _Rest): unknown }
  ? X extends { readonly input: infer I }
    ? I
    : unknown
  : unknown;

/** True when the client's `send` accepts an input shaped like `Probe`, or accepts anything. */
type Accepts<C, Probe> = unknown extends CommandInputs<C> ? true : [Extract<CommandInputs<C>, Probe>] extends [never] ? false : true;

/**
 * A Lambda client: `@aws-sdk/client-lambda`'s `LambdaClient`, or anything with a `send` (a mock, a client pointed at
 * `lambda-meter/local`). A client of another AWS service is rejected at compile time. Public functions take it as
 * `LambdaClientLike<C>` with `C` inferred from the argument; write it without a type argument in your own code.
 *
 * @example
 * ```ts
 * import { LambdaClient } from '@aws-sdk/client-lambda';
 * const lambda: LambdaClientLike = new LambdaClient({ region: 'eu-west-1' });
 * ```
 */
export type LambdaClientLike<C extends SdkClientLike = SdkClientLike> = C &
  (Accepts<C, { readonly FunctionName: unknown; readonly LogType?: unknown }> extends true
    ? unknown
    : { readonly 'not a Lambda client': never });

/**
 * A CloudWatch Logs client: `@aws-sdk/client-cloudwatch-logs`'s `CloudWatchLogsClient`, or anything with a `send`.
 * A client of another AWS service is rejected at compile time.
 *
 * @example
 * ```ts
 * import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
 * const logs: LogsClientLike = new CloudWatchLogsClient({ region: 'eu-west-1' });
 * ```
 */
export type LogsClientLike<C extends SdkClientLike = SdkClientLike> = C &
  (Accepts<C, { readonly queryString: unknown }> extends true ? unknown : { readonly 'not a CloudWatch Logs client': never });

/**
 * A CloudWatch client: `@aws-sdk/client-cloudwatch`'s `CloudWatchClient`, or anything with a `send`. A client of
 * another AWS service is rejected at compile time.
 *
 * @example
 * ```ts
 * import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
 * const cloudWatch: CloudWatchClientLike = new CloudWatchClient({ region: 'eu-west-1' });
 * ```
 */
export type CloudWatchClientLike<C extends SdkClientLike = SdkClientLike> = C &
  (Accepts<C, { readonly MetricDataQueries: unknown }> extends true ? unknown : { readonly 'not a CloudWatch client': never });
