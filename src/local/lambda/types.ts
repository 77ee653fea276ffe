/**
 * Public types of `local`'s Lambda service: how functions are defined, the service's options, and what it reports
 * about its execution environments.
 *
 * @module
 */
import type { LocalServerOptions } from '../http.js';
import type { LogStore } from '../logs/store.js';
import type { MetricStore } from '../metrics/store.js';

/** How a function's logs are written: Lambda's text lines or JSON `platform.*` events (LoggingConfig `LogFormat`). */
export type LocalLogFormat = 'Text' | 'JSON';

/** One function `local` serves. */
export interface LocalFunctionDefinition {
  /** The function name: 1-64 letters, digits, `-` and `_`. */
  readonly name: string;
  /**
   * The handler: `path/to/file.mjs#export` (the path relative to the current directory) or Lambda's own
   * `file.export` form, resolved in `taskRoot`. The export may be a dotted path (`index.handlers.resize`).
   */
  readonly handler: string;
  /**
   * The function's code folder (`LAMBDA_TASK_ROOT`, the environment's working directory).
   * @default the handler file's folder for `path#export`; the current directory for `file.export`
   */
  readonly taskRoot?: string;
  /**
   * Memory, MB: an integer from 128 to 10,240.
   * @default 128
   */
  readonly memorySizeMB?: number;
  /**
   * Timeout, seconds: an integer from 1 to 900.
   * @default 3
   */
  readonly timeoutSeconds?: number;
  /**
   * Environment variables of the function (Lambda's reserved names, such as `AWS_REGION`, are refused).
   * @default {}
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Reserved concurrency: at most this many invocations run at once; a synchronous invoke over it gets 429
   * `TooManyRequestsException`. Undefined: the function uses the account's unreserved concurrency.
   * @default undefined
   */
  readonly reservedConcurrency?: number;
  /**
   * Log format of the function's platform and console lines.
   * @default 'Text'
   */
  readonly logFormat?: LocalLogFormat;
  /**
   * The function's description.
   * @default ''
   */
  readonly description?: string;
}

/** Credentials `local` accepts (it does not check signatures) and hands to handlers as their role's credentials. */
export interface LocalCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** Options of `LambdaService`. */
export interface LambdaServiceOptions {
  /**
   * The functions to serve.
   * @default []
   */
  readonly functions?: readonly LocalFunctionDefinition[];
  /**
   * Where function logs are written (log group `/aws/lambda/<name>`, one stream per environment).
   * @default a new LogStore
   */
  readonly logs?: LogStore;
  /**
   * Where the `AWS/Lambda` metrics of each invocation are written.
   * @default a new MetricStore
   */
  readonly metrics?: MetricStore;
  /**
   * The Region in ARNs and `AWS_REGION`.
   * @default 'us-east-1'
   */
  readonly region?: string;
  /**
   * The account id in ARNs.
   * @default '123456789012'
   */
  readonly accountId?: string;
  /**
   * Credentials handed to handlers (`AWS_ACCESS_KEY_ID`, …).
   * @default { accessKeyId: 'local', secretAccessKey: 'local', sessionToken: 'local' }
   */
  readonly credentials?: LocalCredentials;
  /**
   * How long an idle environment is kept warm before its process is ended, in milliseconds.
   * @default 300000
   */
  readonly idleTimeoutMs?: number;
  /**
   * How long `UpdateFunctionConfiguration` keeps `LastUpdateStatus` at `InProgress`, in milliseconds.
   * @default 500
   */
  readonly updateDelayMs?: number;
  /**
   * The account's concurrency limit: invocations of all functions that may run at once.
   * @default 1000
   */
  readonly accountConcurrency?: number;
  /**
   * How long the Init phase may take before it is cut short, in milliseconds (Lambda: 10 s on demand).
   * @default 10000
   */
  readonly initTimeoutMs?: number;
  /**
   * The runtime client each environment runs (`node <bootstrapPath>`).
   * @default lambda-meter's own bootstrap.mjs
   */
  readonly bootstrapPath?: string;
}

/** One execution environment, as `LambdaService.environments()` lists it. */
export interface EnvironmentInfo {
  readonly functionName: string;
  /** `$LATEST` or a version number. */
  readonly version: string;
  /** The child process's id; undefined before it is spawned. */
  readonly pid: number | undefined;
  readonly logStreamName: string;
  readonly state: 'initializing' | 'idle' | 'busy' | 'stopped';
  /** Invocations this environment has run. */
  readonly invocations: number;
}

/** Options of `startLocalLambdaCore`. */
export interface LocalLambdaCoreOptions extends LambdaServiceOptions, LocalServerOptions {}
