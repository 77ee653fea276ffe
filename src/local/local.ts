/**
 * `startLocalLambda`: Lambda, CloudWatch Logs and CloudWatch metrics on one local endpoint that the unmodified AWS
 * SDK v3 clients talk to.
 *
 * @module
 */
import { InvalidInputError } from '../errors.js';
import { nonNegativeNumber } from '../internal/validate.js';
import { serveLambda } from './lambda/server.js';
import { LambdaService } from './lambda/service.js';
import type { EnvironmentInfo, LambdaServiceOptions, LocalCredentials, LocalFunctionDefinition } from './lambda/types.js';
import { LogsService } from './logs/service.js';
import { LogStore } from './logs/store.js';
import { MetricsService } from './metrics/service.js';
import { MetricStore } from './metrics/store.js';
import { FaultInjector, validateFaultPlan } from './faults.js';
import type { FaultPlan, InjectedFault } from './faults.js';

/** Options of {@link startLocalLambda}. */
export interface LocalLambdaOptions extends Omit<LambdaServiceOptions, 'logs' | 'metrics' | 'faults'> {
  /**
   * Port to listen on; 0 picks a free one.
   * @default 0
   */
  readonly port?: number;
  /**
   * Address to listen on.
   * @default '127.0.0.1'
   */
  readonly host?: string;
  /**
   * Compresses the service's own waits — async retry back-off, `LastUpdateStatus` staying `InProgress`, Logs Insights
   * query phases, log ingestion delays — by this factor, for tests. Handler time and function timeouts are real.
   * @default 1
   */
  readonly timeScale?: number;
  /**
   * Faults to inject: throttles, server errors, conflicts and slow answers per API call, delayed or dropped log
   * delivery. `setFaults` replaces the plan while `local` runs.
   * @default no faults
   */
  readonly faults?: FaultPlan;
  /**
   * How long a Logs Insights query stays `Scheduled`, then `Running`, in the service's time (divided by `timeScale`).
   * @default { scheduledMs: 100, runningMs: 200 }
   */
  readonly queryTiming?: { readonly scheduledMs?: number; readonly runningMs?: number };
  /**
   * The clock of `local`'s CloudWatch Logs and CloudWatch stores, in epoch milliseconds: when a delayed log event
   * becomes visible, how long a Logs Insights query stays `Scheduled` and `Running`, how old a datapoint is. For tests
   * that must not depend on how fast the machine runs (a manual clock shows a delayed event at exactly the moment
   * its delay ends). The `AWS/Lambda` datapoints are stamped by it too (an invocation's Invocations, Errors and
   * Duration at the time it started, as CloudWatch stamps them). Log events keep the times they were written at;
   * Lambda's own waits (function timeouts, retry back-off, `InProgress` updates, idle environments) keep real time.
   * @default Date.now
   */
  readonly now?: () => number;
}

/** The SDK client configuration that points a client at `local`. */
export interface LocalClientConfig {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: LocalCredentials;
}

/** A running `local`. */
export interface LocalLambda {
  /** `http://127.0.0.1:<port>`: the endpoint of all three services. */
  readonly endpoint: string;
  readonly port: number;
  readonly region: string;
  /** Credentials to give SDK clients (`local` does not check signatures). */
  readonly credentials: LocalCredentials;
  /**
   * The Lambda service (functions, environments).
   * @internal Not a public API: `LambdaService` is an emulator internal that may change in any release.
   */
  readonly lambda: LambdaService;
  /**
   * The function logs, as CloudWatch Logs serves them.
   * @internal Not a public API: `LogStore` is an emulator internal that may change in any release.
   */
  readonly logs: LogStore;
  /**
   * The `AWS/Lambda` metrics, as CloudWatch serves them.
   * @internal Not a public API: `MetricStore` is an emulator internal that may change in any release.
   */
  readonly metrics: MetricStore;
  /**
   * `{ endpoint, region, credentials }`, ready to spread into any SDK client's configuration.
   *
   * @example
   * ```ts
   * const lambda = new LambdaClient(local.clientConfig());
   * const logs = new CloudWatchLogsClient(local.clientConfig());
   * ```
   */
  clientConfig(): LocalClientConfig;
  /**
   * Adds a function while `local` runs.
   *
   * @example
   * ```ts
   * local.addFunction({ name: 'hello', handler: './hello.mjs#handler' });
   * ```
   */
  addFunction(definition: LocalFunctionDefinition): void;
  /**
   * Every execution environment: process id, log stream, state, invocations.
   *
   * @example
   * ```ts
   * local.environments().filter((e) => e.state !== 'stopped').length;
   * ```
   */
  environments(): EnvironmentInfo[];
  /**
   * Replaces the fault plan.
   *
   * @example
   * ```ts
   * local.setFaults({ rules: [{ service: 'lambda', operations: ['Invoke'], fault: 'throttle', probability: 0.3 }], seed: 7 });
   * local.setFaults({}); // no faults
   * ```
   */
  setFaults(plan: FaultPlan): void;
  /**
   * Every fault injected so far, oldest first.
   *
   * @example
   * ```ts
   * local.injectedFaults().length;
   * ```
   */
  injectedFaults(): InjectedFault[];
  /**
   * Ends every process `local` started, then the server; resolves when nothing is left running.
   *
   * @example
   * ```ts
   * await local.stop();
   * ```
   */
  stop(): Promise<void>;
}

function positive(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidInputError(field, `must be a finite number > 0, got ${String(value)}`);
  }
  return value;
}

function nonNegative(value: unknown, field: string): number | undefined {
  return value === undefined ? undefined : nonNegativeNumber(value, field);
}

/**
 * Starts `local`: an offline Lambda, CloudWatch Logs and CloudWatch metrics on one endpoint of 127.0.0.1. Functions
 * run in real Node.js child processes through the Lambda Runtime API; unmodified `@aws-sdk/client-lambda`,
 * `@aws-sdk/client-cloudwatch-logs` and `@aws-sdk/client-cloudwatch` clients drive it given its `endpoint`.
 *
 * @example
 * ```ts
 * import { LambdaClient } from '@aws-sdk/client-lambda';
 * import { startLocalLambda } from 'lambda-meter/local';
 * import { invokeWithTail } from 'lambda-meter/invoke';
 *
 * const local = await startLocalLambda({
 *   functions: [{ name: 'resize', handler: './functions/resize.mjs#handler', memorySizeMB: 512, timeoutSeconds: 10 }],
 * });
 * try {
 *   const lambda = new LambdaClient(local.clientConfig());
 *   const { report } = await invokeWithTail(lambda, { functionName: 'resize', payload: { width: 640 } });
 *   console.log(report?.initDurationMs, report?.durationMs);
 * } finally {
 *   await local.stop();
 * }
 * ```
 */
export async function startLocalLambda(options: LocalLambdaOptions = {}): Promise<LocalLambda> {
  if (typeof options !== 'object' || options === null) throw new InvalidInputError('options', 'must be an object');
  const { port, host, faults: plan, queryTiming, now, ...lambdaOptions } = options;
  if (now !== undefined && typeof now !== 'function') throw new InvalidInputError('options.now', 'must be a function returning epoch milliseconds');
  const timeScale = positive(options.timeScale, 'options.timeScale') ?? 1;
  const scheduledMs = nonNegative(queryTiming?.scheduledMs, 'options.queryTiming.scheduledMs') ?? 100;
  const runningMs = nonNegative(queryTiming?.runningMs, 'options.queryTiming.runningMs') ?? 200;
  if (plan !== undefined) validateFaultPlan(plan, 'options.faults');
  const injector = new FaultInjector(plan ?? {}, timeScale);

  const region = lambdaOptions.region;
  const logs = new LogStore({
    ...(now === undefined ? {} : { now }),
    ...(region === undefined ? {} : { region }),
    ...(lambdaOptions.accountId === undefined ? {} : { accountId: lambdaOptions.accountId }),
    ingestionDelayMs: () => injector.ingestionDelayMs(),
    shouldDrop: (logGroup) => injector.shouldDropLogEvent(logGroup),
  });
  const metrics = new MetricStore(now === undefined ? {} : { now });
  const updateDelayMs = nonNegative(lambdaOptions.updateDelayMs, 'options.updateDelayMs') ?? 500;
  const lambda = new LambdaService({
    ...lambdaOptions,
    timeScale,
    updateDelayMs: updateDelayMs / timeScale,
    logs,
    metrics,
    faults: injector.lambdaHook,
  } as LambdaServiceOptions);
  const services = [
    lambda,
    new LogsService(logs, { scheduledMs: scheduledMs / timeScale, runningMs: runningMs / timeScale, faults: injector.logsHook }),
    new MetricsService(metrics, { faults: injector.metricsHook }),
  ];
  const served = await serveLambda(lambda, services, { ...(port === undefined ? {} : { port }), ...(host === undefined ? {} : { host }) });
  return {
    endpoint: served.endpoint,
    port: served.port,
    region: lambda.region,
    credentials: lambda.credentials,
    lambda,
    logs,
    metrics,
    clientConfig: served.clientConfig,
    addFunction: (definition) => lambda.addFunction(definition),
    environments: () => lambda.environments(),
    setFaults: (next) => injector.setPlan(next),
    injectedFaults: () => injector.injected(),
    stop: served.stop,
  };
}
