/**
 * The Lambda API of `local`, in the restJson1 wire protocol `@aws-sdk/client-lambda` speaks: REST paths under
 * `/2015-03-31/`, `/2017-10-31/`, `/2019-09-25/` and `/2019-09-30/`, JSON bodies, and errors as the HTTP status with
 * the `x-amzn-errortype` header and a `{"Type": …, "message"|"Message": …}` body, which the SDK turns into its typed
 * exceptions (`ResourceNotFoundException`, `TooManyRequestsException`, …).
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { InvalidInputError } from '../../errors.js';
import { AwsServiceError, decodeToken, delay, encodeToken, parseJsonObject } from '../http.js';
import type { LambdaFaultHook, LocalRequest, LocalResponse, LocalService } from '../http.js';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, LogStore } from '../logs/store.js';
import { MetricStore } from '../metrics/store.js';
import type { MetricUnit } from '../../metrics/types.js';
import {
  APPLICATION_LOG_LEVELS,
  checkDefinition,
  codeIdentity,
  environmentProblem,
  initialConfig,
  LOCAL_ARCHITECTURES,
  MAX_DESCRIPTION_LENGTH,
  MAX_MEMORY_MB,
  MAX_TIMEOUT_SECONDS,
  MIN_MEMORY_MB,
  MIN_TIMEOUT_SECONDS,
  resolveHandler,
  SYSTEM_LOG_LEVELS,
  toFunctionConfiguration,
} from './config.js';
import type { FunctionConfig } from './config.js';
import { AsyncEventQueue, DEFAULT_MAXIMUM_EVENT_AGE_SECONDS, DEFAULT_MAXIMUM_RETRY_ATTEMPTS } from './async.js';
import type { AsyncAdmission, AsyncRetrySettings } from './async.js';
import { CpuController } from './cpu.js';
import { checkDurationModel } from './duration-model.js';
import type { DurationModel } from './duration-model.js';
import type { CpuControlInfo } from './cpu.js';
import { ExecutionEnvironment, resolveNodeExecutable, resolveRuntimeProcess } from './environment.js';
import type { InvocationOutcome } from './environment.js';
import { functionNotFound, LocalFunction } from './functions.js';
import type { AliasRecord, EventInvokeConfig, ResolvedVersion } from './functions.js';
import {
  isAliasName,
  LATEST,
  newInvocationId,
  newTraceHeader,
  parseFunctionReference,
  runtimeIdentity,
  validationError,
} from './names.js';
import type { FunctionReference, RuntimeIdentity } from './names.js';
import { logTail } from './platform-log.js';
import { COLD_PAGE_CACHE_MODES, openPageCacheDropper } from './page-cache.js';
import type { PageCacheDropper, PageCacheTargets } from './page-cache.js';
import { EnvironmentPool } from './pool.js';
import { defaultBootstrapPath } from './runtime-client.js';
import type { EnvironmentInfo, LambdaServiceOptions, LocalArchitecture, LocalCredentials, LocalFunctionDefinition } from './types.js';

/** Synchronous request and response payloads: 6 MB; asynchronous: 1 MB (Invoke API reference; lambda-facts §3). */
export const MAX_SYNC_PAYLOAD_BYTES = 6_291_456;
export const MAX_ASYNC_PAYLOAD_BYTES = 1_048_576;
/** `X-Amz-Client-Context` is at most 3,583 bytes (Invoke API reference). */
const MAX_CLIENT_CONTEXT_BYTES = 3583;
/** The unreserved concurrency Lambda always leaves to functions without reserved concurrency. */
const MIN_UNRESERVED_CONCURRENCY = 100;

/** The default credentials of `local`. */
export const LOCAL_CREDENTIALS: LocalCredentials = Object.freeze({ accessKeyId: 'local', secretAccessKey: 'local', sessionToken: 'local' });

// Lambda's error shapes name the message `Message` for these and `message` for the others (the service model).
const CAPITALIZED_MESSAGE = new Set([
  'ResourceNotFoundException',
  'ServiceException',
  'ResourceInUseException',
  'CodeSigningConfigNotFoundException',
  'EC2AccessDeniedException',
  'NoPublishedVersionException',
]);

const LOG_GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;

interface Call {
  readonly request: LocalRequest;
  readonly params: readonly string[];
  readonly query: URLSearchParams;
  readonly requestId: string;
}

interface Route {
  /** The API operation's name, e.g. `Invoke`. */
  readonly operation: string;
  readonly method: string;
  readonly pattern: RegExp;
  readonly run: (call: Call) => LocalResponse | Promise<LocalResponse>;
}

/** An `Event` invocation in the async queue; its version is resolved again at each attempt. */
interface AsyncEvent {
  readonly fn: LocalFunction;
  readonly qualifier: string | undefined;
  readonly requestId: string;
  readonly payload: Buffer;
  readonly clientContext: string | undefined;
}

function checkOptionNumber(value: unknown, field: string, min: number, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new InvalidInputError(field, `must be ${integer ? 'an integer' : 'a finite number'} >= ${min}, got ${String(value)}`);
  }
  return value;
}

function invalidParameter(message: string): AwsServiceError {
  return new AwsServiceError('InvalidParameterValueException', message, 400);
}

function json(status: number, body: unknown, requestId: string, headers: Record<string, string> = {}): LocalResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId, ...headers },
    body: body === undefined ? '' : JSON.stringify(body),
  };
}

function empty(status: number, requestId: string, headers: Record<string, string> = {}): LocalResponse {
  return { status, headers: { 'x-amzn-requestid': requestId, ...headers }, body: '' };
}

/** An optional integer field of a request body, with Lambda's ValidationException for bad values. */
function integerField(body: Record<string, unknown>, key: string, field: string, min: number, max: number): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw validationError(value, field, 'Member must be an integer');
  if (value < min) throw validationError(value, field, `Member must have value greater than or equal to ${min}`);
  if (value > max) throw validationError(value, field, `Member must have value less than or equal to ${max}`);
  return value;
}

function stringField(body: Record<string, unknown>, key: string, field: string, maxLength: number): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw validationError(value, field, 'Member must be a string');
  if (value.length > maxLength) throw validationError(value, field, `Member must have length less than or equal to ${maxLength}`);
  return value;
}

function objectField(body: Record<string, unknown>, key: string, field: string): Record<string, unknown> | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw validationError(JSON.stringify(value), field, 'Member must be an object');
  return value as Record<string, unknown>;
}

function enumField<T extends string>(body: Record<string, unknown>, key: string, field: string, values: readonly T[]): T | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
    throw validationError(value, field, `Member must satisfy enum value set: [${values.join(', ')}]`);
  }
  return value as T;
}

/** Routing weights of an alias request (`RoutingConfig.AdditionalVersionWeights`). */
function readWeights(body: Record<string, unknown>): Record<string, number> | undefined {
  const routing = objectField(body, 'RoutingConfig', 'routingConfig');
  if (routing === undefined) return undefined;
  const weights = objectField(routing, 'AdditionalVersionWeights', 'routingConfig.additionalVersionWeights') ?? {};
  const out: Record<string, number> = {};
  for (const [version, weight] of Object.entries(weights)) {
    if (typeof weight !== 'number' || !Number.isFinite(weight)) {
      throw validationError(weight, 'routingConfig.additionalVersionWeights', 'Member must be a number');
    }
    out[version] = weight;
  }
  return out;
}

/**
 * What tests may replace in a LambdaService.
 * @internal
 */
export interface LambdaServiceInternals {
  /** What `coldPageCache` drops the page cache with. @default `openPageCacheDropper(mode, …)` */
  readonly pageCache?: PageCacheDropper;
  /** Where the default dropper acts (the drop_caches file, the `dd` to run). */
  readonly pageCacheTargets?: PageCacheTargets;
}

/**
 * The Lambda service of `local`: functions, versions, aliases and concurrency, with invocations run in real child
 * processes. Mount it on a shared server with `startLocalServer([service, …])`, or use `startLocalLambdaCore`.
 *
 * @example
 * ```ts
 * const service = new LambdaService({ functions: [{ name: 'hello', handler: './hello.mjs#handler' }] });
 * const server = await startLocalServer([service]);
 * const lambda = new LambdaClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
 * await lambda.send(new InvokeCommand({ FunctionName: 'hello' }));
 * await service.stop();
 * await server.close();
 * ```
 */
export class LambdaService implements LocalService {
  readonly logs: LogStore;
  readonly metrics: MetricStore;
  readonly region: string;
  readonly accountId: string;
  readonly credentials: LocalCredentials;
  private readonly functions = new Map<string, LocalFunction>();
  private readonly pool: EnvironmentPool;
  private readonly cpu: CpuController;
  /** How the REPORTs' Duration and Init Duration are arrived at: `'measured'` or `'declared'`. */
  readonly durationModel: DurationModel;
  private readonly runtime: RuntimeIdentity;
  private readonly bootstrapPath: string;
  private readonly updateDelayMs: number;
  private readonly accountConcurrency: number;
  private readonly initTimeoutMs: number;
  private readonly routes: readonly Route[];
  private readonly asyncEvents: AsyncEventQueue<AsyncEvent>;
  private stopping: Promise<void> | undefined;
  private readonly faults: LambdaFaultHook | undefined;

  constructor(options: LambdaServiceOptions = {}, internals: LambdaServiceInternals = {}) {
    if (typeof options !== 'object' || options === null) throw new InvalidInputError('options', 'must be an object');
    this.region = options.region ?? LOCAL_REGION;
    if (typeof this.region !== 'string' || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(this.region)) {
      throw new InvalidInputError('options.region', `must be a Region name such as us-east-1, got ${JSON.stringify(options.region)}`);
    }
    this.accountId = options.accountId ?? LOCAL_ACCOUNT_ID;
    if (typeof this.accountId !== 'string' || !/^\d{12}$/.test(this.accountId)) {
      throw new InvalidInputError('options.accountId', `must be 12 digits, got ${JSON.stringify(options.accountId)}`);
    }
    this.credentials = options.credentials ?? LOCAL_CREDENTIALS;
    if (typeof this.credentials?.accessKeyId !== 'string' || typeof this.credentials.secretAccessKey !== 'string') {
      throw new InvalidInputError('options.credentials', 'must have string accessKeyId and secretAccessKey');
    }
    this.logs = options.logs ?? new LogStore({ region: this.region, accountId: this.accountId });
    this.metrics = options.metrics ?? new MetricStore();
    const idleTimeoutMs = checkOptionNumber(options.idleTimeoutMs, 'options.idleTimeoutMs', 0, false) ?? 300_000;
    this.updateDelayMs = checkOptionNumber(options.updateDelayMs, 'options.updateDelayMs', 0, false) ?? 500;
    this.accountConcurrency = checkOptionNumber(options.accountConcurrency, 'options.accountConcurrency', 1, true) ?? 1000;
    this.initTimeoutMs = checkOptionNumber(options.initTimeoutMs, 'options.initTimeoutMs', 1, false) ?? 10_000;
    this.asyncEvents = new AsyncEventQueue<AsyncEvent>(
      {
        admit: (event) => this.admitAsync(event),
        run: (event) => this.runAsync(event),
        settings: (event) => this.asyncSettings(event),
        metric: (event, metricName, value, unit) => this.putMetric(metricName, event.fn, event.qualifier, value, unit),
      },
      { timeScale: options.timeScale },
    );
    if (options.bootstrapPath !== undefined && (typeof options.bootstrapPath !== 'string' || !existsSync(options.bootstrapPath))) {
      throw new InvalidInputError('options.bootstrapPath', `must be the path of an existing file, got ${JSON.stringify(options.bootstrapPath)}`);
    }
    this.bootstrapPath = options.bootstrapPath ?? defaultBootstrapPath();
    if (options.nodePath !== undefined && typeof options.runtimeClient === 'object') {
      throw new InvalidInputError('options.nodePath', 'does not apply to a runtimeClient command, which names its own program');
    }
    const node = resolveNodeExecutable(options.nodePath);
    const runtimeProcess = resolveRuntimeProcess(options.runtimeClient, this.bootstrapPath, undefined, node.executable);
    if (options.faults !== undefined && typeof options.faults !== 'function') {
      throw new InvalidInputError('options.faults', 'must be a function (operation, functionName) => fault | undefined');
    }
    this.faults = options.faults;
    // Checked before the CPU controller probes the machine's cgroups: a bad option leaves nothing behind.
    this.durationModel = checkDurationModel(options.durationModel, 'options.durationModel');
    if (this.durationModel === 'declared' && !(options.runtimeClient === undefined || options.runtimeClient === 'lambda-meter')) {
      throw new InvalidInputError(
        'options.durationModel',
        "is 'declared', which needs lambda-meter's own runtime client (its work API declares the work): leave options.runtimeClient unset or 'lambda-meter'",
      );
    }
    this.runtime = runtimeIdentity(this.region, node.version);
    if (options.coldPageCache !== undefined && !COLD_PAGE_CACHE_MODES.includes(options.coldPageCache)) {
      throw new InvalidInputError('options.coldPageCache', `must be 'runtime' or 'machine', got ${JSON.stringify(options.coldPageCache)}`);
    }
    const pageCache =
      options.coldPageCache === undefined ? undefined : (internals.pageCache ?? openPageCacheDropper(options.coldPageCache, node.executable, internals.pageCacheTargets));
    this.cpu = new CpuController({ mode: options.cpu, mechanism: options.cpuMechanism });
    this.pool = new EnvironmentPool(
      (config) =>
        new ExecutionEnvironment({
          config,
          region: this.region,
          accountId: this.accountId,
          runtime: this.runtime,
          credentials: this.credentials,
          bootstrapPath: this.bootstrapPath,
          runtimeProcess,
          logs: this.logs,
          initTimeoutMs: this.initTimeoutMs,
          onStopped: (env) => this.pool.forget(env),
          cpu: this.cpu,
          durationModel: this.durationModel,
          // The time scale the async queue has checked.
          timeScale: this.asyncEvents.timeScale,
          ...(pageCache === undefined ? {} : { pageCache }),
        }),
      idleTimeoutMs,
      (config) => this.functions.get(config.functionName)?.isCurrent(config) ?? false,
    );
    const functions = options.functions ?? [];
    if (!Array.isArray(functions)) throw new InvalidInputError('options.functions', 'must be an array of function definitions');
    functions.forEach((definition, i) => this.addFunctionAt(definition, `options.functions[${i}]`));
    this.routes = this.buildRoutes();
  }

  /**
   * Adds a function. Throws InvalidInputError for a bad definition or a name already in use.
   *
   * @example
   * ```ts
   * service.addFunction({ name: 'resize', handler: './functions/resize.mjs#handler', memorySizeMB: 512 });
   * ```
   */
  addFunction(definition: LocalFunctionDefinition): void {
    this.addFunctionAt(definition, 'definition');
  }

  /**
   * The names of the functions served, sorted.
   *
   * @example
   * ```ts
   * service.functionNames(); // ['hello', 'resize']
   * ```
   */
  functionNames(): string[] {
    return [...this.functions.keys()].sort();
  }

  /**
   * Every execution environment, with its process id, log stream and state.
   *
   * @example
   * ```ts
   * const busy = service.environments().filter((e) => e.state === 'busy').length;
   * ```
   */
  environments(): EnvironmentInfo[] {
    return this.pool.list();
  }

  /**
   * How environments' CPU is limited: the `cpu` mode and the mechanism found for it (`cgroup2`, `cgroup1`,
   * `duty-cycle`, or `none` when unlimited).
   *
   * @example
   * ```ts
   * service.cpuControl; // { mode: 'proportional', mechanism: 'cgroup1', cgroupParent: '/sys/fs/cgroup/cpu', availableCpus: 2 }
   * ```
   */
  get cpuControl(): CpuControlInfo {
    return this.cpu.info;
  }

  /**
   * True for the REST paths of the Lambda API (`/<API version date>/…`), so a shared server can route to it.
   *
   * @example
   * ```ts
   * service.matches({ method: 'GET', url: '/2015-03-31/functions', headers: {}, body: Buffer.alloc(0) }); // true
   * ```
   */
  matches(request: LocalRequest): boolean {
    return /^\/\d{4}-\d{2}-\d{2}\//.test(request.url);
  }

  /**
   * Answers one Lambda API request; failures become Lambda's error responses (it never rejects).
   *
   * @example
   * ```ts
   * const response = await service.handle({ method: 'GET', url: '/2015-03-31/functions/hello', headers: {}, body: Buffer.alloc(0) });
   * response.status; // 200
   * ```
   */
  async handle(request: LocalRequest): Promise<LocalResponse> {
    const requestId = newInvocationId();
    try {
      if (this.stopping !== undefined) throw new AwsServiceError('ServiceException', 'lambda-meter local is stopping', 500);
      const question = request.url.indexOf('?');
      const path = question < 0 ? request.url : request.url.slice(0, question);
      const query = new URLSearchParams(question < 0 ? '' : request.url.slice(question + 1));
      for (const route of this.routes) {
        const match = route.pattern.exec(path);
        if (match === null || route.method !== request.method) continue;
        const params = match.slice(1).map((p) => {
          try {
            return decodeURIComponent(p);
          } catch {
            throw new AwsServiceError('InvalidRequestContentException', `Malformed path parameter: ${p}`, 400);
          }
        });
        await this.injectFault(route.operation, params[0]);
        return await route.run({ request, params, query, requestId });
      }
      throw new AwsServiceError(
        'UnsupportedOperationException',
        `lambda-meter local does not support the Lambda operation at ${request.method} ${path}`,
        400,
      );
    } catch (error) {
      const e = error instanceof AwsServiceError ? error : new AwsServiceError('ServiceException', error instanceof Error ? error.message : String(error), 500);
      return this.errorResponse(e, requestId);
    }
  }

  /**
   * Stops every environment and pending work; resolves once no process of the service is left. Later requests get
   * a `ServiceException`.
   *
   * @example
   * ```ts
   * await service.stop();
   * ```
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const fn of this.functions.values()) {
        if (fn.updateTimer !== undefined) clearTimeout(fn.updateTimer);
      }
      // Timers cancelled and queued events dropped now; running attempts settle once their processes are ended.
      const asyncStopped = this.asyncEvents.stop();
      await this.pool.stopAll();
      await asyncStopped;
      await this.pool.stopAll();
      // Every process is gone: their cgroups can go too.
      await this.cpu.close();
    })();
    return this.stopping;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Wire helpers

  /** Asks the fault hook about one call and injects what it says, in the shapes Lambda answers with. */
  private async injectFault(operation: string, rawName: string | undefined): Promise<void> {
    if (this.faults === undefined) return;
    // The path names a function as `name`, `name:qualifier`, a partial ARN or a full ARN.
    const name = rawName === undefined ? undefined : (/(?:^|:)function:([^:]+)/.exec(rawName)?.[1] ?? rawName.split(':')[0]);
    const fault = this.faults(operation, name);
    if (fault === undefined) return;
    if (fault === 'throttle') {
      // Lambda's rate-based throttle (lambda-facts §3).
      throw new AwsServiceError('TooManyRequestsException', 'Rate Exceeded.', 429, { Reason: 'CallerRateLimitExceeded' });
    }
    if (fault === 'serverError') throw new AwsServiceError('ServiceException', 'The service encountered an internal error (injected fault).', 500);
    if (fault === 'conflict') {
      const arn = `arn:aws:lambda:${this.region}:${this.accountId}:function:${name ?? 'unknown'}`;
      throw new AwsServiceError('ResourceConflictException', `The operation cannot be performed at this time. An update is in progress for resource: ${arn}`, 409);
    }
    await delay(fault.delayMs);
  }

  private errorResponse(error: AwsServiceError, requestId: string): LocalResponse {
    const messageKey = CAPITALIZED_MESSAGE.has(error.code) ? 'Message' : 'message';
    const body = { Type: error.status >= 500 ? 'Service' : 'User', [messageKey]: error.message, ...error.fields };
    return json(error.status, body, requestId, { 'x-amzn-errortype': error.code });
  }

  private body(call: Call): Record<string, unknown> {
    try {
      return parseJsonObject(call.request.body);
    } catch (error) {
      throw new AwsServiceError('InvalidRequestContentException', `Could not parse request body into json: ${(error as Error).message}`, 400);
    }
  }

  private lookup(reference: FunctionReference): LocalFunction {
    const fn = this.functions.get(reference.name);
    const matchesAccount = (reference.region === undefined || reference.region === this.region) && (reference.accountId === undefined || reference.accountId === this.accountId);
    if (fn === undefined || !matchesAccount) {
      throw functionNotFound(`arn:aws:lambda:${reference.region ?? this.region}:${reference.accountId ?? this.accountId}:function:${reference.name}`);
    }
    return fn;
  }

  /** The function and qualifier of a FunctionName path parameter and an optional `Qualifier` query parameter. */
  private target(call: Call): { readonly fn: LocalFunction; readonly qualifier: string | undefined } {
    const reference = parseFunctionReference(call.params[0] as string);
    const fn = this.lookup(reference);
    const query = call.query.get('Qualifier') ?? undefined;
    if (query !== undefined && !/^[a-zA-Z0-9$_-]{1,128}$/.test(query)) {
      throw validationError(query, 'qualifier', 'Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)');
    }
    if (query !== undefined && reference.qualifier !== undefined && query !== reference.qualifier) {
      throw invalidParameter('The derived qualifier from the function name does not match the specified qualifier.');
    }
    return { fn, qualifier: query ?? reference.qualifier };
  }

  /** A function without a qualifier (the alias and concurrency operations). */
  private unqualified(call: Call): LocalFunction {
    const reference = parseFunctionReference(call.params[0] as string);
    if (reference.qualifier !== undefined) throw invalidParameter(`This operation does not accept a qualified function name: ${call.params[0] as string}`);
    return this.lookup(reference);
  }

  private configuration(fn: LocalFunction, config: FunctionConfig): Record<string, unknown> {
    const pending = config === fn.shown && fn.updateStatus === 'InProgress';
    return toFunctionConfiguration(config, {
      region: this.region,
      accountId: this.accountId,
      runtime: this.runtime,
      lastUpdateStatus: pending ? 'InProgress' : 'Successful',
    });
  }

  private page<T>(items: readonly T[], query: URLSearchParams, defaultMax: number, limit = 10_000): { items: T[]; nextMarker: string | undefined } {
    const marker = query.get('Marker');
    let start = 0;
    if (marker !== null) {
      const decoded = decodeToken(marker);
      if (typeof decoded !== 'number' || !Number.isInteger(decoded) || decoded < 0) throw invalidParameter(`Invalid marker: ${marker}`);
      start = decoded;
    }
    const maxText = query.get('MaxItems');
    let max = defaultMax;
    if (maxText !== null) {
      const value = Number(maxText);
      if (!Number.isInteger(value) || value < 1 || value > limit) throw validationError(maxText, 'maxItems', `Member must have value between 1 and ${limit}`);
      max = value;
    }
    const end = start + max;
    return { items: items.slice(start, end), nextMarker: end < items.length ? encodeToken(end) : undefined };
  }

  // -------------------------------------------------------------------------------------------------------------
  // Functions

  private addFunctionAt(definition: LocalFunctionDefinition, field: string): void {
    checkDefinition(definition, field);
    if (this.functions.has(definition.name)) throw new InvalidInputError(`${field}.name`, `a function named ${definition.name} already exists`);
    if (definition.reservedConcurrency !== undefined) {
      const available = this.accountConcurrency - this.reservedTotal(undefined) - this.minimumUnreserved();
      if (definition.reservedConcurrency > available) {
        throw new InvalidInputError(`${field}.reservedConcurrency`, `must be at most ${Math.max(0, available)} (the account's unreserved concurrency left)`);
      }
    }
    this.functions.set(definition.name, new LocalFunction(initialConfig(definition, Date.now()), definition.reservedConcurrency, this.region, this.accountId));
  }

  private minimumUnreserved(): number {
    return Math.min(MIN_UNRESERVED_CONCURRENCY, Math.ceil(this.accountConcurrency / 10));
  }

  private reservedTotal(except: LocalFunction | undefined): number {
    let total = 0;
    for (const fn of this.functions.values()) if (fn !== except && fn.reservedConcurrency !== undefined) total += fn.reservedConcurrency;
    return total;
  }

  private getFunction(call: Call): LocalResponse {
    const { fn, qualifier } = this.target(call);
    const { config } = fn.resolve(qualifier, false);
    // Lambda answers a presigned S3 URL of the package; local serves the handler file's bytes (whose SHA-256 is the
    // CodeSha256) from a URL of its own, on the host the request came to.
    const host = call.request.headers.host ?? 'localhost';
    const location = `http://${host}/2015-03-31/functions/${encodeURIComponent(fn.name)}/code?Qualifier=${encodeURIComponent(config.version)}`;
    const body: Record<string, unknown> = {
      Configuration: this.configuration(fn, config),
      Code: { RepositoryType: 'S3', ...(config.handler.file === undefined ? {} : { Location: location }) },
    };
    if (fn.reservedConcurrency !== undefined) body.Concurrency = { ReservedConcurrentExecutions: fn.reservedConcurrency };
    return json(200, body, call.requestId);
  }

  /** The code package GetFunction's `Code.Location` points at: the handler file of that version. */
  private downloadCode(call: Call): LocalResponse {
    const { fn, qualifier } = this.target(call);
    const { config } = fn.resolve(qualifier, false);
    const file = config.handler.file;
    let bytes: Buffer;
    try {
      bytes = file === undefined ? Buffer.alloc(0) : readFileSync(file);
    } catch {
      bytes = Buffer.alloc(0);
    }
    if (file === undefined || createHash('sha256').update(bytes).digest('base64') !== config.codeSha256) {
      throw new AwsServiceError('ResourceNotFoundException', `The code of ${fn.arn(config.version)} is no longer available`, 404);
    }
    return { status: 200, headers: { 'content-type': 'application/zip', 'x-amzn-requestid': call.requestId }, body: bytes };
  }

  /**
   * UpdateFunctionCode: `Architectures` changes the function's architecture; the code must be the package GetFunction
   * serves for `$LATEST` (its SHA-256 is the CodeSha256), as local runs handler files and cannot unpack other code.
   */
  private updateFunctionCode(call: Call): LocalResponse {
    const { fn, qualifier } = this.target(call);
    if (qualifier !== undefined && qualifier !== LATEST) throw invalidParameter('Only $LATEST can be updated');
    const body = this.body(call);
    const supported = new Set(['ZipFile', 'S3Bucket', 'S3Key', 'S3ObjectVersion', 'ImageUri', 'Architectures', 'Publish', 'DryRun', 'RevisionId']);
    const unsupported = Object.keys(body).filter((k) => !supported.has(k) && body[k] !== undefined && body[k] !== null);
    if (unsupported.length > 0) throw invalidParameter(`lambda-meter local does not support ${unsupported.join(', ')} in UpdateFunctionCode`);
    const zip = stringField(body, 'ZipFile', 'zipFile', 70_000_000);
    const bucket = stringField(body, 'S3Bucket', 'S3Bucket', 63);
    const key = stringField(body, 'S3Key', 'S3Key', 1024);
    const image = stringField(body, 'ImageUri', 'imageUri', 1024);
    const sources = [zip !== undefined, bucket !== undefined || key !== undefined, image !== undefined].filter(Boolean).length;
    if (sources === 0) throw invalidParameter('Please provide a source for function code: ZipFile, S3Bucket and S3Key, or ImageUri.');
    if (sources > 1) throw invalidParameter('Please provide only one source for function code: ZipFile, S3Bucket and S3Key, or ImageUri.');
    if (image !== undefined) throw invalidParameter("Please don't provide ImageUri when updating a function with packageType Zip.");
    if (zip === undefined) throw invalidParameter('lambda-meter local has no S3: give the code as ZipFile (the package GetFunction serves)');
    const bytes = Buffer.from(zip, 'base64');
    const current = fn.shown;
    if (createHash('sha256').update(bytes).digest('base64') !== current.codeSha256) {
      throw invalidParameter(
        'lambda-meter local runs handler files and cannot unpack other code: ZipFile must be the package GetFunction serves for $LATEST (the same CodeSha256)',
      );
    }
    let architecture = current.architecture;
    const architectures = body.Architectures;
    if (architectures !== undefined && architectures !== null) {
      if (!Array.isArray(architectures) || architectures.length !== 1 || !LOCAL_ARCHITECTURES.includes(architectures[0] as LocalArchitecture)) {
        throw validationError(JSON.stringify(architectures), 'architectures', `Member must have length 1 and satisfy enum value set: [${LOCAL_ARCHITECTURES.join(', ')}]`);
      }
      architecture = architectures[0] as LocalArchitecture;
    }
    if (body.Publish === true) throw invalidParameter('lambda-meter local does not support Publish in UpdateFunctionCode: call PublishVersion after the update');
    if (body.DryRun === true) return json(200, this.configuration(fn, { ...current, architecture }), call.requestId);
    fn.checkNotUpdating();
    fn.checkRevision(stringField(body, 'RevisionId', 'revisionId', 1024), current.revisionId);
    const next: FunctionConfig = {
      ...current,
      architecture,
      revisionId: newInvocationId(),
      lastModifiedMs: Date.now(),
      generation: current.generation + 1,
    };
    this.beginUpdate(fn, next);
    return json(200, this.configuration(fn, next), call.requestId);
  }

  private beginUpdate(fn: LocalFunction, next: FunctionConfig): void {
    fn.beginUpdate(next);
    fn.updateTimer = setTimeout(() => {
      fn.completeUpdate();
      // Environments of the old configuration are replaced: idle ones end now, busy ones when they finish.
      this.pool.retire();
    }, this.updateDelayMs);
    fn.updateTimer.unref();
  }

  private getFunctionConfiguration(call: Call): LocalResponse {
    const { fn, qualifier } = this.target(call);
    return json(200, this.configuration(fn, fn.resolve(qualifier, false).config), call.requestId);
  }

  private listFunctions(call: Call): LocalResponse {
    const all = [...this.functions.values()].sort((a, b) => (a.name < b.name ? -1 : 1)).map((fn) => this.configuration(fn, fn.shown));
    const { items, nextMarker } = this.page(all, call.query, 50);
    return json(200, { Functions: items, ...(nextMarker === undefined ? {} : { NextMarker: nextMarker }) }, call.requestId);
  }

  private deleteFunction(call: Call): LocalResponse {
    const { fn, qualifier } = this.target(call);
    if (qualifier !== undefined) {
      fn.deleteVersion(qualifier);
      this.asyncEvents.dropWhere((e) => e.fn === fn && e.qualifier === qualifier);
    } else {
      if (fn.updateTimer !== undefined) clearTimeout(fn.updateTimer);
      this.functions.delete(fn.name);
      this.asyncEvents.dropWhere((e) => e.fn === fn);
    }
    // In-flight invocations finish; idle environments of what was deleted end now.
    this.pool.retire();
    return empty(204, call.requestId);
  }

  private updateFunctionConfiguration(call: Call): LocalResponse {
    const { fn, qualifier } = this.target(call);
    if (qualifier !== undefined && qualifier !== LATEST) throw invalidParameter('Only $LATEST can be updated');
    const body = this.body(call);
    const supported = new Set(['MemorySize', 'Timeout', 'Environment', 'Description', 'LoggingConfig', 'Handler', 'RevisionId']);
    const unsupported = Object.keys(body).filter((k) => !supported.has(k) && body[k] !== undefined && body[k] !== null);
    if (unsupported.length > 0) throw invalidParameter(`lambda-meter local does not support changing ${unsupported.join(', ')}`);
    fn.checkNotUpdating();
    fn.checkRevision(stringField(body, 'RevisionId', 'revisionId', 1024), fn.shown.revisionId);
    const memorySizeMB = integerField(body, 'MemorySize', 'memorySize', MIN_MEMORY_MB, MAX_MEMORY_MB);
    const timeout = body.Timeout;
    if (typeof timeout === 'number' && Number.isInteger(timeout) && timeout > MAX_TIMEOUT_SECONDS) {
      throw invalidParameter(`Timeout value must be less than or equal to ${MAX_TIMEOUT_SECONDS}.`);
    }
    const timeoutSeconds = integerField(body, 'Timeout', 'timeout', MIN_TIMEOUT_SECONDS, MAX_TIMEOUT_SECONDS);
    const description = stringField(body, 'Description', 'description', MAX_DESCRIPTION_LENGTH);
    const handlerText = stringField(body, 'Handler', 'handler', 1024);
    let environment: Record<string, string> | undefined;
    const environmentBody = objectField(body, 'Environment', 'environment');
    if (environmentBody !== undefined) {
      const variables = objectField(environmentBody, 'Variables', 'environment.variables') ?? {};
      const problem = environmentProblem(variables);
      if (problem !== undefined) throw invalidParameter(problem);
      environment = variables as Record<string, string>;
    }
    let logging: Pick<FunctionConfig, 'logFormat' | 'applicationLogLevel' | 'systemLogLevel' | 'logGroup'> | undefined;
    const loggingBody = objectField(body, 'LoggingConfig', 'loggingConfig');
    if (loggingBody !== undefined) {
      const format = enumField(loggingBody, 'LogFormat', 'loggingConfig.logFormat', ['Text', 'JSON'] as const) ?? fn.shown.logFormat;
      const application = enumField(loggingBody, 'ApplicationLogLevel', 'loggingConfig.applicationLogLevel', APPLICATION_LOG_LEVELS);
      const system = enumField(loggingBody, 'SystemLogLevel', 'loggingConfig.systemLogLevel', SYSTEM_LOG_LEVELS);
      const logGroup = stringField(loggingBody, 'LogGroup', 'loggingConfig.logGroup', 512) ?? fn.shown.logGroup;
      if (!LOG_GROUP_NAME.test(logGroup)) throw validationError(logGroup, 'loggingConfig.logGroup', 'Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+');
      if (format === 'Text' && (application !== undefined || system !== undefined)) {
        throw invalidParameter('ApplicationLogLevel and SystemLogLevel are only supported when LogFormat is JSON');
      }
      logging =
        format === 'JSON'
          ? { logFormat: format, applicationLogLevel: application ?? fn.shown.applicationLogLevel ?? 'INFO', systemLogLevel: system ?? fn.shown.systemLogLevel ?? 'INFO', logGroup }
          : { logFormat: format, applicationLogLevel: undefined, systemLogLevel: undefined, logGroup };
    }
    const current = fn.shown;
    const handler = handlerText === undefined ? current.handler : resolveHandler(handlerText, current.handler.taskRoot);
    const next: FunctionConfig = {
      ...current,
      ...(memorySizeMB === undefined ? {} : { memorySizeMB }),
      ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }),
      ...(description === undefined ? {} : { description }),
      ...(environment === undefined ? {} : { environment }),
      ...(logging ?? {}),
      handler,
      ...(handlerText === undefined ? {} : codeIdentity(handler.file)),
      revisionId: newInvocationId(),
      lastModifiedMs: Date.now(),
      generation: current.generation + 1,
    };
    this.beginUpdate(fn, next);
    return json(200, this.configuration(fn, next), call.requestId);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Versions and aliases

  private publishVersion(call: Call): LocalResponse {
    const { fn } = this.target(call);
    const body = this.body(call);
    fn.checkNotUpdating();
    fn.checkRevision(stringField(body, 'RevisionId', 'revisionId', 1024), fn.shown.revisionId);
    const codeSha256 = stringField(body, 'CodeSha256', 'codeSha256', 1024);
    if (codeSha256 !== undefined && codeSha256 !== fn.active.codeSha256) {
      throw invalidParameter(`CodeSHA256 (${codeSha256}) is different from current CodeSHA256 in $LATEST (${fn.active.codeSha256}). Please try again with the CodeSHA256 in $LATEST.`);
    }
    const config = fn.publish(stringField(body, 'Description', 'description', MAX_DESCRIPTION_LENGTH), Date.now());
    return json(201, this.configuration(fn, config), call.requestId);
  }

  private listVersions(call: Call): LocalResponse {
    const { fn } = this.target(call);
    const versions = fn.allVersions().map((config) => this.configuration(fn, config));
    const { items, nextMarker } = this.page(versions, call.query, 50);
    return json(200, { Versions: items, ...(nextMarker === undefined ? {} : { NextMarker: nextMarker }) }, call.requestId);
  }

  private aliasBody(fn: LocalFunction, alias: AliasRecord): Record<string, unknown> {
    const out: Record<string, unknown> = {
      AliasArn: fn.arn(alias.name),
      Name: alias.name,
      FunctionVersion: alias.functionVersion,
      Description: alias.description,
      RevisionId: alias.revisionId,
    };
    if (Object.keys(alias.weights).length > 0) out.RoutingConfig = { AdditionalVersionWeights: { ...alias.weights } };
    return out;
  }

  private alias(fn: LocalFunction, name: string): AliasRecord {
    const alias = fn.aliases.get(name);
    if (alias === undefined) throw new AwsServiceError('ResourceNotFoundException', `Alias not found: ${fn.arn(name)}`, 404);
    return alias;
  }

  private createAlias(call: Call): LocalResponse {
    const fn = this.unqualified(call);
    const body = this.body(call);
    const name = stringField(body, 'Name', 'name', 128);
    if (name === undefined || !isAliasName(name)) throw validationError(name, 'name', 'Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)');
    const version = stringField(body, 'FunctionVersion', 'functionVersion', 1024);
    if (version === undefined) throw validationError(version, 'functionVersion', 'Member must not be null');
    const weights = readWeights(body) ?? {};
    if (fn.aliases.has(name)) throw new AwsServiceError('ResourceConflictException', `Alias already exists: ${fn.arn(name)}`, 409);
    fn.checkAliasTarget(version, weights);
    const alias: AliasRecord = {
      name,
      functionVersion: version,
      description: stringField(body, 'Description', 'description', MAX_DESCRIPTION_LENGTH) ?? '',
      weights,
      revisionId: newInvocationId(),
    };
    fn.aliases.set(name, alias);
    return json(201, this.aliasBody(fn, alias), call.requestId);
  }

  private getAlias(call: Call): LocalResponse {
    const fn = this.unqualified(call);
    return json(200, this.aliasBody(fn, this.alias(fn, call.params[1] as string)), call.requestId);
  }

  private updateAlias(call: Call): LocalResponse {
    const fn = this.unqualified(call);
    const current = this.alias(fn, call.params[1] as string);
    const body = this.body(call);
    fn.checkRevision(stringField(body, 'RevisionId', 'revisionId', 1024), current.revisionId);
    const version = stringField(body, 'FunctionVersion', 'functionVersion', 1024) ?? current.functionVersion;
    const weights = readWeights(body) ?? current.weights;
    fn.checkAliasTarget(version, weights);
    const alias: AliasRecord = {
      name: current.name,
      functionVersion: version,
      description: stringField(body, 'Description', 'description', MAX_DESCRIPTION_LENGTH) ?? current.description,
      weights,
      revisionId: newInvocationId(),
    };
    fn.aliases.set(alias.name, alias);
    return json(200, this.aliasBody(fn, alias), call.requestId);
  }

  private deleteAlias(call: Call): LocalResponse {
    const fn = this.unqualified(call);
    const alias = this.alias(fn, call.params[1] as string);
    fn.aliases.delete(alias.name);
    for (const key of [...fn.eventInvokeConfigs.keys()]) if (key === alias.name) fn.eventInvokeConfigs.delete(key);
    return empty(204, call.requestId);
  }

  private listAliases(call: Call): LocalResponse {
    const fn = this.unqualified(call);
    const version = call.query.get('FunctionVersion');
    const aliases = [...fn.aliases.values()]
      .filter((a) => version === null || a.functionVersion === version)
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((a) => this.aliasBody(fn, a));
    const { items, nextMarker } = this.page(aliases, call.query, 50);
    return json(200, { Aliases: items, ...(nextMarker === undefined ? {} : { NextMarker: nextMarker }) }, call.requestId);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Concurrency and event invoke configuration

  private putConcurrency(call: Call): LocalResponse {
    const fn = this.unqualified(call);
    const body = this.body(call);
    const value = integerField(body, 'ReservedConcurrentExecutions', 'reservedConcurrentExecutions', 0, Number.MAX_SAFE_INTEGER);
    if (value === undefined) throw validationError(value, 'reservedConcurrentExecutions', 'Member must not be null');
    const minimum = this.minimumUnreserved();
    if (this.accountConcurrency - this.reservedTotal(fn) - value < minimum) {
      throw invalidParameter(`Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${minimum}].`);
    }
    fn.reservedConcurrency = value;
    return json(200, { ReservedConcurrentExecutions: value }, call.requestId);
  }

  private getConcurrency(call: Call): LocalResponse {
    const fn = this.unqualified(call);
    return json(200, fn.reservedConcurrency === undefined ? {} : { ReservedConcurrentExecutions: fn.reservedConcurrency }, call.requestId);
  }

  private deleteConcurrency(call: Call): LocalResponse {
    const fn = this.unqualified(call);
    fn.reservedConcurrency = undefined;
    return empty(204, call.requestId);
  }

  /** The qualifier an event invoke configuration belongs to (`$LATEST` by default); 404 when it names nothing. */
  private eventInvokeTarget(call: Call): { readonly fn: LocalFunction; readonly qualifier: string } {
    const { fn, qualifier } = this.target(call);
    const q = qualifier ?? LATEST;
    fn.resolve(q, false);
    return { fn, qualifier: q };
  }

  private eventInvokeBody(fn: LocalFunction, qualifier: string, config: EventInvokeConfig): Record<string, unknown> {
    const out: Record<string, unknown> = {
      LastModified: config.lastModifiedMs / 1000,
      FunctionArn: fn.arn(qualifier),
      DestinationConfig: config.destinationConfig ?? { OnSuccess: {}, OnFailure: {} },
    };
    if (config.maximumRetryAttempts !== undefined) out.MaximumRetryAttempts = config.maximumRetryAttempts;
    if (config.maximumEventAgeInSeconds !== undefined) out.MaximumEventAgeInSeconds = config.maximumEventAgeInSeconds;
    return out;
  }

  private putEventInvokeConfig(call: Call, merge: boolean): LocalResponse {
    const { fn, qualifier } = this.eventInvokeTarget(call);
    const body = this.body(call);
    const previous = merge ? fn.eventInvokeConfigs.get(qualifier) : undefined;
    const config: EventInvokeConfig = {
      maximumRetryAttempts: integerField(body, 'MaximumRetryAttempts', 'maximumRetryAttempts', 0, 2) ?? previous?.maximumRetryAttempts,
      maximumEventAgeInSeconds: integerField(body, 'MaximumEventAgeInSeconds', 'maximumEventAgeInSeconds', 60, 21_600) ?? previous?.maximumEventAgeInSeconds,
      destinationConfig: objectField(body, 'DestinationConfig', 'destinationConfig') ?? previous?.destinationConfig,
      lastModifiedMs: Date.now(),
    };
    fn.eventInvokeConfigs.set(qualifier, config);
    return json(200, this.eventInvokeBody(fn, qualifier, config), call.requestId);
  }

  private eventInvokeConfig(fn: LocalFunction, qualifier: string): EventInvokeConfig {
    const config = fn.eventInvokeConfigs.get(qualifier);
    if (config === undefined) {
      throw new AwsServiceError('ResourceNotFoundException', `The function ${fn.arn(qualifier)} doesn't have an EventInvokeConfig`, 404);
    }
    return config;
  }

  private getEventInvokeConfig(call: Call): LocalResponse {
    const { fn, qualifier } = this.eventInvokeTarget(call);
    return json(200, this.eventInvokeBody(fn, qualifier, this.eventInvokeConfig(fn, qualifier)), call.requestId);
  }

  private deleteEventInvokeConfig(call: Call): LocalResponse {
    const { fn, qualifier } = this.eventInvokeTarget(call);
    this.eventInvokeConfig(fn, qualifier);
    fn.eventInvokeConfigs.delete(qualifier);
    return empty(204, call.requestId);
  }

  /** Every event invoke configuration of a function ($LATEST, versions, aliases), by ARN, paged by Marker/MaxItems (≤ 50). */
  private listEventInvokeConfigs(call: Call): LocalResponse {
    const fn = this.unqualified(call);
    const configs = [...fn.eventInvokeConfigs.entries()]
      .map(([qualifier, config]) => this.eventInvokeBody(fn, qualifier, config))
      .sort((a, b) => (String(a.FunctionArn) < String(b.FunctionArn) ? -1 : 1));
    const { items, nextMarker } = this.page(configs, call.query, 50, 50);
    return json(200, { FunctionEventInvokeConfigs: items, ...(nextMarker === undefined ? {} : { NextMarker: nextMarker }) }, call.requestId);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Invoke

  private clientContext(value: string | undefined): string | undefined {
    if (value === undefined || value === '') return undefined;
    if (Buffer.byteLength(value, 'utf8') > MAX_CLIENT_CONTEXT_BYTES) {
      throw new AwsServiceError('InvalidRequestContentException', `Client context must be smaller than ${MAX_CLIENT_CONTEXT_BYTES} bytes.`, 400);
    }
    const text = Buffer.from(value, 'base64').toString('utf8');
    try {
      const parsed = JSON.parse(text) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    } catch {
      throw new AwsServiceError('InvalidRequestContentException', 'Client context must be a valid Base64-encoded JSON object.', 400);
    }
    return text;
  }

  private async invoke(call: Call): Promise<LocalResponse> {
    const { fn, qualifier } = this.target(call);
    const headers = call.request.headers;
    const type = headers['x-amz-invocation-type'] ?? 'RequestResponse';
    if (type !== 'RequestResponse' && type !== 'Event' && type !== 'DryRun') {
      throw validationError(type, 'invocationType', 'Member must satisfy enum value set: [Event, RequestResponse, DryRun]');
    }
    const logType = headers['x-amz-log-type'] ?? 'None';
    if (logType !== 'None' && logType !== 'Tail') throw validationError(logType, 'logType', 'Member must satisfy enum value set: [None, Tail]');
    const body = call.request.body;
    const limit = type === 'Event' ? MAX_ASYNC_PAYLOAD_BYTES : MAX_SYNC_PAYLOAD_BYTES;
    if (body.length > limit) {
      throw new AwsServiceError('RequestTooLargeException', `Request must be smaller than ${limit} bytes for the InvokeFunction operation`, 413);
    }
    // No payload is an empty event: the handler receives {}.
    const payload = body.length === 0 ? Buffer.from('{}') : body;
    try {
      JSON.parse(payload.toString('utf8'));
    } catch (error) {
      throw new AwsServiceError('InvalidRequestContentException', `Could not parse request body into json: Could not parse payload into json: ${(error as Error).message}`, 400);
    }
    const clientContext = this.clientContext(headers['x-amz-client-context']);
    const resolved = fn.resolve(qualifier, true);
    if (type === 'DryRun') return empty(204, call.requestId);
    if (type === 'Event') {
      this.asyncEvents.enqueue({ fn, qualifier, requestId: call.requestId, payload, clientContext });
      return empty(202, call.requestId);
    }
    const reason = this.throttleReason(fn);
    if (reason !== undefined) {
      this.putMetric('Throttles', fn, qualifier, 1, 'Count');
      throw new AwsServiceError('TooManyRequestsException', 'Rate Exceeded.', 429, { Reason: reason });
    }
    const outcome = await this.execute(fn, resolved, qualifier, call.requestId, payload, clientContext);
    const responseHeaders: Record<string, string> = { 'x-amz-executed-version': resolved.executedVersion };
    if (outcome.functionError) responseHeaders['x-amz-function-error'] = 'Unhandled';
    if (logType === 'Tail') responseHeaders['x-amz-log-result'] = logTail(outcome.messages).toString('base64');
    return { status: 200, headers: { 'content-type': 'application/json', 'x-amzn-requestid': call.requestId, ...responseHeaders }, body: outcome.payload };
  }

  /** Why an invocation of `fn` would be throttled now, in Lambda's `Reason` words; undefined when it may run. */
  private throttleReason(fn: LocalFunction): string | undefined {
    if (fn.reservedConcurrency !== undefined) {
      return fn.inFlight >= fn.reservedConcurrency ? 'ReservedFunctionConcurrentInvocationLimitExceeded' : undefined;
    }
    let unreservedInFlight = 0;
    for (const other of this.functions.values()) if (other.reservedConcurrency === undefined) unreservedInFlight += other.inFlight;
    return unreservedInFlight >= this.accountConcurrency - this.reservedTotal(undefined) ? 'ConcurrentInvocationLimitExceeded' : undefined;
  }

  /**
   * Runs one invocation in a warm or new environment and records its metrics, stamped (as CloudWatch stamps them) at
   * the time the invocation started, read from the metric store's clock.
   */
  private async execute(
    fn: LocalFunction,
    resolved: ResolvedVersion,
    qualifier: string | undefined,
    requestId: string,
    payload: Buffer,
    clientContext: string | undefined,
  ): Promise<InvocationOutcome> {
    const startedAt = this.metrics.now();
    fn.inFlight++;
    let total = 0;
    let unreserved = 0;
    for (const other of this.functions.values()) {
      total += other.inFlight;
      if (other.reservedConcurrency === undefined) unreserved += other.inFlight;
    }
    this.putMetric('ConcurrentExecutions', fn, qualifier, fn.inFlight, 'Count', { timestamp: startedAt, accountWide: false });
    this.putAccountMetric('ConcurrentExecutions', total, 'Count', startedAt);
    // Account-wide only: the concurrency of the functions without reserved concurrency (lambda-facts §5).
    this.putAccountMetric('UnreservedConcurrentExecutions', unreserved, 'Count', startedAt);
    const env = this.pool.acquire(resolved.config);
    let outcome: InvocationOutcome;
    try {
      outcome = await env.invoke({
        requestId,
        payload,
        invokedFunctionArn: fn.arn(qualifier),
        traceId: newTraceHeader(Date.now()),
        ...(clientContext === undefined ? {} : { clientContext }),
      });
    } finally {
      this.pool.release(env);
      fn.inFlight--;
    }
    const stamp = { timestamp: startedAt, executedVersion: resolved.executedVersion };
    this.putMetric('Invocations', fn, qualifier, 1, 'Count', stamp);
    this.putMetric('Errors', fn, qualifier, outcome.functionError ? 1 : 0, 'Count', stamp);
    this.putMetric('Duration', fn, qualifier, outcome.report.durationMs, 'Milliseconds', stamp);
    return outcome;
  }

  /**
   * Writes an `AWS/Lambda` metric in each dimension set CloudWatch publishes it in (lambda-facts §5): FunctionName;
   * FunctionName + Resource for a qualified invocation; FunctionName + Resource + ExecutedVersion for an alias
   * invocation whose executed version is known; and with no dimensions, the Region-wide series (unless `accountWide`
   * is false, for a metric whose Region-wide value is not the sum of the functions' values). Stamped now by the
   * metric store's clock unless `timestamp` is given.
   */
  private putMetric(
    metricName: string,
    fn: LocalFunction,
    qualifier: string | undefined,
    value: number,
    unit: MetricUnit,
    options: { readonly timestamp?: number; readonly executedVersion?: string; readonly accountWide?: boolean } = {},
  ): void {
    const timestamp = options.timestamp ?? this.metrics.now();
    const put = (dimensions: Record<string, string>): void =>
      this.metrics.putDatum({ namespace: 'AWS/Lambda', metricName, dimensions, timestamp, value, unit });
    put({ FunctionName: fn.name });
    if (qualifier !== undefined) {
      const resource = `${fn.name}:${qualifier}`;
      put({ FunctionName: fn.name, Resource: resource });
      if (options.executedVersion !== undefined && isAliasName(qualifier)) {
        put({ FunctionName: fn.name, Resource: resource, ExecutedVersion: options.executedVersion });
      }
    }
    if (options.accountWide !== false) this.putAccountMetric(metricName, value, unit, timestamp);
  }

  /** Writes the Region-wide (no dimensions) series of an `AWS/Lambda` metric. */
  private putAccountMetric(metricName: string, value: number, unit: MetricUnit, timestamp: number): void {
    this.metrics.putDatum({ namespace: 'AWS/Lambda', metricName, dimensions: {}, timestamp, value, unit });
  }

  /** Whether a queued event may run now; `gone` once its function, version or alias is deleted. */
  private admitAsync(event: AsyncEvent): AsyncAdmission {
    if (this.functions.get(event.fn.name) !== event.fn) return 'gone';
    try {
      event.fn.resolve(event.qualifier, false);
    } catch {
      return 'gone';
    }
    // Reserved concurrency 0: the event is dropped without retries (AWS Compute Blog, async invocation metrics).
    if (event.fn.reservedConcurrency === 0) return 'never';
    return this.throttleReason(event.fn) === undefined ? 'run' : 'throttled';
  }

  /** One attempt of a queued event, with its own request id again; true on a function error. */
  private runAsync(event: AsyncEvent): Promise<boolean> {
    const resolved = event.fn.resolve(event.qualifier, true);
    return this.execute(event.fn, resolved, event.qualifier, event.requestId, event.payload, event.clientContext).then((outcome) => outcome.functionError);
  }

  /** The EventInvokeConfig of the qualifier invoked (`$LATEST` when none), with Lambda's defaults. */
  private asyncSettings(event: AsyncEvent): AsyncRetrySettings {
    const config = event.fn.eventInvokeConfigs.get(event.qualifier ?? LATEST);
    return {
      maximumRetryAttempts: config?.maximumRetryAttempts ?? DEFAULT_MAXIMUM_RETRY_ATTEMPTS,
      maximumEventAgeInSeconds: config?.maximumEventAgeInSeconds ?? DEFAULT_MAXIMUM_EVENT_AGE_SECONDS,
    };
  }

  private buildRoutes(): Route[] {
    const fn = '([^/]+)';
    const r = (operation: string, method: string, path: string, run: (call: Call) => LocalResponse | Promise<LocalResponse>): Route => ({
      operation,
      method,
      pattern: new RegExp(`^${path}$`),
      run,
    });
    return [
      r('Invoke', 'POST', `/2015-03-31/functions/${fn}/invocations`, (c) => this.invoke(c)),
      r('ListFunctions', 'GET', '/2015-03-31/functions/?', (c) => this.listFunctions(c)),
      r('GetFunction', 'GET', `/2015-03-31/functions/${fn}`, (c) => this.getFunction(c)),
      r('DeleteFunction', 'DELETE', `/2015-03-31/functions/${fn}`, (c) => this.deleteFunction(c)),
      r('GetFunctionConfiguration', 'GET', `/2015-03-31/functions/${fn}/configuration`, (c) => this.getFunctionConfiguration(c)),
      r('UpdateFunctionConfiguration', 'PUT', `/2015-03-31/functions/${fn}/configuration`, (c) => this.updateFunctionConfiguration(c)),
      r('UpdateFunctionCode', 'PUT', `/2015-03-31/functions/${fn}/code`, (c) => this.updateFunctionCode(c)),
      // Not a Lambda operation: where GetFunction's Code.Location points.
      r('GetFunctionCodePackage', 'GET', `/2015-03-31/functions/${fn}/code`, (c) => this.downloadCode(c)),
      r('PublishVersion', 'POST', `/2015-03-31/functions/${fn}/versions`, (c) => this.publishVersion(c)),
      r('ListVersionsByFunction', 'GET', `/2015-03-31/functions/${fn}/versions`, (c) => this.listVersions(c)),
      r('CreateAlias', 'POST', `/2015-03-31/functions/${fn}/aliases`, (c) => this.createAlias(c)),
      r('ListAliases', 'GET', `/2015-03-31/functions/${fn}/aliases`, (c) => this.listAliases(c)),
      r('GetAlias', 'GET', `/2015-03-31/functions/${fn}/aliases/([^/]+)`, (c) => this.getAlias(c)),
      r('UpdateAlias', 'PUT', `/2015-03-31/functions/${fn}/aliases/([^/]+)`, (c) => this.updateAlias(c)),
      r('DeleteAlias', 'DELETE', `/2015-03-31/functions/${fn}/aliases/([^/]+)`, (c) => this.deleteAlias(c)),
      r('PutFunctionConcurrency', 'PUT', `/2017-10-31/functions/${fn}/concurrency`, (c) => this.putConcurrency(c)),
      r('DeleteFunctionConcurrency', 'DELETE', `/2017-10-31/functions/${fn}/concurrency`, (c) => this.deleteConcurrency(c)),
      r('GetFunctionConcurrency', 'GET', `/2019-09-30/functions/${fn}/concurrency`, (c) => this.getConcurrency(c)),
      r('PutFunctionEventInvokeConfig', 'PUT', `/2019-09-25/functions/${fn}/event-invoke-config`, (c) => this.putEventInvokeConfig(c, false)),
      r('UpdateFunctionEventInvokeConfig', 'POST', `/2019-09-25/functions/${fn}/event-invoke-config`, (c) => this.putEventInvokeConfig(c, true)),
      r('ListFunctionEventInvokeConfigs', 'GET', `/2019-09-25/functions/${fn}/event-invoke-config/list`, (c) => this.listEventInvokeConfigs(c)),
      r('GetFunctionEventInvokeConfig', 'GET', `/2019-09-25/functions/${fn}/event-invoke-config`, (c) => this.getEventInvokeConfig(c)),
      r('DeleteFunctionEventInvokeConfig', 'DELETE', `/2019-09-25/functions/${fn}/event-invoke-config`, (c) => this.deleteEventInvokeConfig(c)),
    ];
  }
}
