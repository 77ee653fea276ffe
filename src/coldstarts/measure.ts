import { randomUUID } from 'node:crypto';
import { LambdaMeterAbortError, InvalidInputError, LambdaMeterError, isLambdaMeterError } from '../errors.js';
import { sleep, throwIfAborted } from '../internal/abort.js';
import type { LambdaClientLike } from '../internal/clients.js';
import { loadLambdaSdk } from '../internal/peer.js';
import { errorCode, isRetryable, resolveRetryOptions, withRetry } from '../internal/retry.js';
import type { RetryOptions } from '../internal/retry.js';
import { encodePayload } from '../invoke/encode.js';
import { invokeWithTail } from '../invoke/invoke.js';
import type { TailInvocation } from '../invoke/types.js';
import { summarize } from '../stats/summarize.js';
import type {
  ColdStartClients,
  ColdStartMethod,
  ColdStartProgress,
  ColdStartResult,
  ColdStartSample,
  IdleGapResult,
  MeasureColdStartsInput,
  StartKind,
  StartStatistics,
} from './types.js';

/** The environment variable whose new value forces each cold start. */
export const COLD_START_VARIABLE = 'LAMBDA_METER_COLD';

const METHODS: readonly ColdStartMethod[] = ['update-environment', 'publish-version'];
const MAX_COUNT = 1000;
const DEFAULT_WARM_COUNT = 10;
const DEFAULT_UPDATE_TIMEOUT_MS = 300_000;
// Polling of LastUpdateStatus: AWS's function-updated waiter polls every 1-5 s; updates on local take ~500 ms.
const POLL_MIN_MS = 25;
const POLL_MAX_MS = 1000;

type LambdaSdk = Awaited<ReturnType<typeof loadLambdaSdk>>;

interface Settings {
  readonly functionName: string;
  readonly count: number;
  readonly method: ColdStartMethod;
  readonly payload: unknown;
  readonly warmCount: number;
  readonly idleProbe: { readonly gapsMs: readonly number[]; readonly perGap: number } | undefined;
  readonly signal: AbortSignal | undefined;
  readonly onProgress: ((p: ColdStartProgress) => void) | undefined;
  readonly retry: RetryOptions | undefined;
  readonly updateTimeoutMs: number;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? JSON.stringify(value) : typeof value === 'number' ? String(value) : typeof value;
}

function integerIn(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidInputError(field, `must be an integer from ${min} to ${max}, got ${describe(value)}`);
  }
  return value;
}

function validate(clients: ColdStartClients, input: MeasureColdStartsInput): Settings {
  if (typeof clients !== 'object' || clients === null) throw new InvalidInputError('clients', 'must be an object { lambda }');
  if (typeof (clients.lambda as { send?: unknown } | undefined)?.send !== 'function') {
    throw new InvalidInputError('clients.lambda', 'must be an AWS SDK v3 LambdaClient (an object with a send method)');
  }
  if (typeof input !== 'object' || input === null) throw new InvalidInputError('input', `must be an object, got ${describe(input)}`);
  if (typeof input.functionName !== 'string' || input.functionName.trim() === '') {
    throw new InvalidInputError('input.functionName', `must be a non-empty string, got ${describe(input.functionName)}`);
  }
  if (/:(\$LATEST|[A-Za-z0-9_-]+)$/.test(input.functionName.replace(/^arn:[^:]+:lambda:[^:]+:[^:]+:function:/, ''))) {
    throw new InvalidInputError('input.functionName', 'must name the function without a version or alias');
  }
  const count = integerIn(input.count, 'input.count', 1, MAX_COUNT);
  const method = input.method ?? 'update-environment';
  if (!METHODS.includes(method)) throw new InvalidInputError('input.method', `must be one of ${METHODS.join(', ')}, got ${describe(method)}`);
  const warmCount = input.warmCount === undefined ? DEFAULT_WARM_COUNT : integerIn(input.warmCount, 'input.warmCount', 0, 10_000);
  encodePayload(input.payload, 'input.payload');
  let idleProbe: Settings['idleProbe'];
  if (input.idleProbe !== undefined) {
    const probe = input.idleProbe as unknown;
    if (typeof probe !== 'object' || probe === null) throw new InvalidInputError('input.idleProbe', 'must be an object { gapsMs, perGap }');
    const { gapsMs, perGap } = input.idleProbe;
    if (!Array.isArray(gapsMs) || gapsMs.length === 0) throw new InvalidInputError('input.idleProbe.gapsMs', 'must be a non-empty array of milliseconds');
    gapsMs.forEach((g: unknown, i) => {
      if (typeof g !== 'number' || !Number.isFinite(g) || g < 0) {
        throw new InvalidInputError(`input.idleProbe.gapsMs[${i}]`, `must be a finite number >= 0, got ${describe(g)}`);
      }
    });
    idleProbe = { gapsMs: [...gapsMs], perGap: integerIn(perGap, 'input.idleProbe.perGap', 1, 10_000) };
  }
  if (input.signal !== undefined && !(input.signal instanceof AbortSignal)) throw new InvalidInputError('input.signal', 'must be an AbortSignal');
  if (input.onProgress !== undefined && typeof input.onProgress !== 'function') throw new InvalidInputError('input.onProgress', 'must be a function');
  resolveRetryOptions(input.retry, 'input.retry');
  const updateTimeoutMs = input.updateTimeoutMs ?? DEFAULT_UPDATE_TIMEOUT_MS;
  if (typeof updateTimeoutMs !== 'number' || !Number.isFinite(updateTimeoutMs) || updateTimeoutMs <= 0) {
    throw new InvalidInputError('input.updateTimeoutMs', `must be a finite number > 0, got ${describe(updateTimeoutMs)}`);
  }
  return {
    functionName: input.functionName,
    count,
    method,
    payload: input.payload,
    warmCount,
    idleProbe,
    signal: input.signal,
    onProgress: input.onProgress,
    retry: input.retry,
    updateTimeoutMs,
  };
}

// A 409 means another update is in progress (Lambda "functions-states"): worth waiting for, like a throttle.
function retryConflicts(err: unknown): boolean {
  return isRetryable(err) || errorCode(err) === 'ResourceConflictException';
}

interface FunctionConfigShape {
  readonly Environment?: { readonly Variables?: Record<string, string>; readonly Error?: { readonly Message?: string } };
  readonly LastUpdateStatus?: string;
  readonly LastUpdateStatusReason?: string;
  readonly State?: string;
  readonly Version?: string;
}

/** Control-plane calls of one run, with their retry policy. */
class ControlPlane {
  constructor(
    private readonly client: LambdaClientLike,
    private readonly sdk: LambdaSdk,
    private readonly functionName: string,
    private readonly retry: RetryOptions | undefined,
    private readonly updateTimeoutMs: number,
  ) {}

  configuration(signal: AbortSignal | undefined): Promise<FunctionConfigShape> {
    return withRetry(
      'Lambda.GetFunctionConfiguration',
      () => this.client.send(new this.sdk.GetFunctionConfigurationCommand({ FunctionName: this.functionName }), { abortSignal: signal }),
      { retry: this.retry, signal, shouldRetry: retryConflicts },
    ) as Promise<FunctionConfigShape>;
  }

  /** Waits until no update is in progress; throws when the last update failed or the wait runs out. */
  async settle(signal: AbortSignal | undefined): Promise<FunctionConfigShape> {
    const deadline = performance.now() + this.updateTimeoutMs;
    let delay = POLL_MIN_MS;
    for (;;) {
      const config = await this.configuration(signal);
      const status = config.LastUpdateStatus;
      if (status === 'Failed') {
        throw new LambdaMeterError(`The configuration update of ${this.functionName} failed: ${config.LastUpdateStatusReason ?? 'no reason given'}`);
      }
      if (status !== 'InProgress' && config.State !== 'Pending') return config;
      if (performance.now() + delay > deadline) {
        throw new LambdaMeterError(`${this.functionName} was still updating after ${this.updateTimeoutMs} ms (LastUpdateStatus ${String(status)})`);
      }
      await sleep(delay, signal, 'Waiting for LastUpdateStatus Successful');
      delay = Math.min(POLL_MAX_MS, delay * 2);
    }
  }

  async setVariables(variables: Record<string, string>, signal: AbortSignal | undefined): Promise<void> {
    await withRetry(
      'Lambda.UpdateFunctionConfiguration',
      () =>
        this.client.send(
          new this.sdk.UpdateFunctionConfigurationCommand({ FunctionName: this.functionName, Environment: { Variables: variables } }),
          { abortSignal: signal },
        ),
      { retry: this.retry, signal, shouldRetry: retryConflicts },
    );
    await this.settle(signal);
  }

  async publish(signal: AbortSignal | undefined): Promise<string> {
    const out = (await withRetry(
      'Lambda.PublishVersion',
      () =>
        this.client.send(new this.sdk.PublishVersionCommand({ FunctionName: this.functionName, Description: 'lambda-meter cold start' }), {
          abortSignal: signal,
        }),
      { retry: this.retry, signal, shouldRetry: retryConflicts },
    )) as FunctionConfigShape;
    if (typeof out.Version !== 'string' || out.Version === '') throw new LambdaMeterError('PublishVersion returned no Version');
    return out.Version;
  }

  async deleteVersion(version: string): Promise<void> {
    try {
      await withRetry(
        'Lambda.DeleteFunction',
        () => this.client.send(new this.sdk.DeleteFunctionCommand({ FunctionName: this.functionName, Qualifier: version })),
        { retry: this.retry, shouldRetry: retryConflicts },
      );
    } catch (err) {
      // Already gone is what we wanted.
      if (isLambdaMeterError(err, 'ServiceCallError') && (err as { code?: string }).code === 'ResourceNotFoundException') return;
      throw err;
    }
  }
}

/** Reads `{ requestId, coldStart, durationMs, result }` as withMeasurement's envelope mode returns it. */
function readEnvelope(invocation: TailInvocation): { durationMs: number; coldStart: boolean } | undefined {
  if (invocation.functionError !== undefined || invocation.payload.byteLength === 0) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(invocation.text());
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const e = body as Record<string, unknown>;
  if (typeof e.requestId !== 'string' || typeof e.coldStart !== 'boolean' || !('result' in e)) return undefined;
  if (typeof e.durationMs !== 'number' || !Number.isFinite(e.durationMs)) return undefined;
  return { durationMs: e.durationMs, coldStart: e.coldStart };
}

function toSample(index: number, invocation: TailInvocation): ColdStartSample {
  const report = invocation.report;
  const kind: StartKind = report === undefined ? 'unknown' : report.initDurationMs !== undefined ? 'cold' : 'warm';
  const envelope = readEnvelope(invocation);
  return {
    index,
    requestId: invocation.requestId,
    executedVersion: invocation.executedVersion,
    kind,
    initDurationMs: report?.initDurationMs,
    durationMs: report?.durationMs,
    billedDurationMs: report?.billedDurationMs,
    innerDurationMs: envelope?.durationMs,
    wrapperColdStart: envelope?.coldStart,
    clientLatencyMs: invocation.clientLatencyMs,
    functionError: invocation.functionError,
    report,
    warnings: invocation.warnings,
  };
}

function summaryOf(values: readonly (number | undefined)[], field: string) {
  const present = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return present.length === 0 ? undefined : summarize(present, { field });
}

function statistics(samples: readonly ColdStartSample[]): StartStatistics {
  return {
    count: samples.length,
    initDurationMs: summaryOf(samples.map((s) => s.initDurationMs), 'initDurationMs'),
    durationMs: summaryOf(samples.map((s) => s.durationMs), 'durationMs'),
    billedDurationMs: summaryOf(samples.map((s) => s.billedDurationMs), 'billedDurationMs'),
    initPlusDurationMs: summaryOf(
      samples.map((s) => (s.initDurationMs === undefined || s.durationMs === undefined ? undefined : s.initDurationMs + s.durationMs)),
      'initPlusDurationMs',
    ),
    innerDurationMs: summaryOf(samples.map((s) => s.innerDurationMs), 'innerDurationMs'),
    clientLatencyMs: summaryOf(samples.map((s) => s.clientLatencyMs), 'clientLatencyMs'),
  };
}

/**
 * Forces `count` cold starts of a function and measures each — Init Duration, Duration, Billed Duration, the
 * handler's inner time (when it is wrapped by `withMeasurement` in envelope mode) and client latency — beside
 * `warmCount` warm invocations of the same configuration, then optionally probes idle eviction.
 *
 * A cold start is forced by a configuration change: `LAMBDA_METER_COLD=<nonce>` is merged into the function's
 * environment variables (`update-environment`, invoking `$LATEST`), or the change is also published as a version
 * that is then invoked (`publish-version`). Samples whose REPORT has no Init Duration are counted in `notCold` and
 * never mixed into the cold statistics. The original environment variables are always set again and created versions
 * deleted — after an error and after an abort too. Throttles, transient errors and 409 conflicts are retried.
 *
 * @example
 * ```ts
 * import { LambdaClient } from '@aws-sdk/client-lambda';
 * import { measureColdStarts } from 'lambda-meter/coldstarts';
 *
 * const result = await measureColdStarts({ lambda: new LambdaClient({}) }, { functionName: 'resize', count: 20, warmCount: 20 });
 * console.log(result.cold.initDurationMs?.p50, result.cold.durationMs?.p50, result.warm.durationMs?.p50, result.notCold);
 * ```
 */
export async function measureColdStarts(clients: ColdStartClients, input: MeasureColdStartsInput): Promise<ColdStartResult> {
  const settings = validate(clients, input);
  const { functionName, signal } = settings;
  throwIfAborted(signal, 'measureColdStarts');
  const sdk = await loadLambdaSdk('measureColdStarts');
  const lambda = clients.lambda;
  const plane = new ControlPlane(lambda, sdk, functionName, settings.retry, settings.updateTimeoutMs);
  const warnings: string[] = [];

  const invoke = async (qualifier: string | undefined, index: number): Promise<ColdStartSample> => {
    const invocation = await invokeWithTail(
      lambda,
      { functionName, ...(qualifier === undefined ? {} : { qualifier }), payload: settings.payload },
      { ...(signal === undefined ? {} : { signal }), ...(settings.retry === undefined ? {} : { retry: settings.retry }) },
    );
    return toSample(index, invocation);
  };
  const progress = (phase: ColdStartProgress['phase'], completed: number, total: number): void => {
    settings.onProgress?.({ phase, completed, total });
  };

  // The function's own variables, read once no other update is in progress; they are what is restored.
  const original = await plane.settle(signal);
  if (original.Environment?.Error !== undefined) {
    throw new LambdaMeterError(`The environment of ${functionName} cannot be read (${original.Environment.Error.Message ?? 'error'}); it cannot be restored safely`);
  }
  const originalVariables: Record<string, string> = { ...(original.Environment?.Variables ?? {}) };
  if (Object.hasOwn(originalVariables, COLD_START_VARIABLE)) {
    warnings.push(`${COLD_START_VARIABLE} was already set on the function; its value is restored afterwards.`);
  }

  const samples: ColdStartSample[] = [];
  const warmSamples: ColdStartSample[] = [];
  const created: string[] = [];
  let changed = false;
  let failure: unknown;
  try {
    let target: string | undefined;
    for (let i = 0; i < settings.count; i++) {
      throwIfAborted(signal, 'measureColdStarts');
      changed = true; // set before the call: a call that fails after Lambda applied it still needs restoring
      await plane.setVariables({ ...originalVariables, [COLD_START_VARIABLE]: `${Date.now().toString(36)}-${i}-${randomUUID().slice(0, 8)}` }, signal);
      if (settings.method === 'publish-version') {
        target = await plane.publish(signal);
        created.push(target);
      }
      samples.push(await invoke(target, i));
      progress('cold', i + 1, settings.count);
    }
    for (let i = 0; i < settings.warmCount; i++) {
      throwIfAborted(signal, 'measureColdStarts');
      warmSamples.push(await invoke(target, i));
      progress('warm', i + 1, settings.warmCount);
    }
  } catch (err) {
    failure = err;
  }

  // Cleanup runs whatever happened, without the caller's signal: an aborted run must still put things back.
  let environmentRestored = !changed;
  const versionsDeleted: string[] = [];
  let cleanupError: unknown;
  if (changed) {
    try {
      await plane.settle(undefined);
      await plane.setVariables(originalVariables, undefined);
      environmentRestored = true;
    } catch (err) {
      cleanupError = err;
    }
  }
  for (const version of created) {
    try {
      await plane.deleteVersion(version);
      versionsDeleted.push(version);
    } catch (err) {
      cleanupError ??= err;
    }
  }
  if (failure !== undefined) {
    if (signal?.aborted && !isLambdaMeterError(failure, 'LambdaMeterAbortError')) throw new LambdaMeterAbortError('measureColdStarts', { cause: signal.reason });
    throw failure;
  }
  if (cleanupError !== undefined) {
    throw new LambdaMeterError(
      `measureColdStarts could not restore ${functionName}: ${(cleanupError as Error).message ?? String(cleanupError)}` +
        (environmentRestored ? '' : ` (set its environment variables back to ${JSON.stringify(originalVariables)})`) +
        (created.length > versionsDeleted.length ? ` (delete versions ${created.filter((v) => !versionsDeleted.includes(v)).join(', ')})` : ''),
      { cause: cleanupError },
    );
  }

  let idleProbe: IdleGapResult[] | undefined;
  if (settings.idleProbe !== undefined) idleProbe = await probeIdleEviction(settings.idleProbe, invoke, progress, signal);

  const failed = [...samples, ...warmSamples].filter((s) => s.functionError !== undefined).length;
  const coldOk = samples.filter((s) => s.kind === 'cold' && s.functionError === undefined);
  const warmOk = warmSamples.filter((s) => s.kind === 'warm' && s.functionError === undefined);
  const notCold = samples.filter((s) => s.kind !== 'cold').length;
  const notWarm = warmSamples.filter((s) => s.kind !== 'warm').length;
  if (notCold > 0) warnings.push(`${notCold} of ${samples.length} forced samples were not cold starts; they are left out of the cold statistics.`);
  if (notWarm > 0) warnings.push(`${notWarm} of ${warmSamples.length} warm samples were not warm; they are left out of the warm statistics.`);
  if (failed > 0) warnings.push(`${failed} invocations ended in a function error; they are left out of the statistics.`);
  return {
    functionName,
    method: settings.method,
    samples,
    warmSamples,
    cold: statistics(coldOk),
    warm: statistics(warmOk),
    notCold,
    notWarm,
    failed,
    idleProbe,
    cleanup: { environmentRestored, versionsDeleted },
    warnings,
  };
}

async function probeIdleEviction(
  probe: { readonly gapsMs: readonly number[]; readonly perGap: number },
  invoke: (qualifier: string | undefined, index: number) => Promise<ColdStartSample>,
  progress: (phase: ColdStartProgress['phase'], completed: number, total: number) => void,
  signal: AbortSignal | undefined,
): Promise<IdleGapResult[]> {
  const total = probe.gapsMs.length * probe.perGap;
  // Warm-up: an environment must exist before idle time can mean anything.
  await invoke(undefined, -1);
  const out: IdleGapResult[] = [];
  let completed = 0;
  for (const gapMs of probe.gapsMs) {
    const samples: ColdStartSample[] = [];
    for (let i = 0; i < probe.perGap; i++) {
      await sleep(gapMs, signal, 'measureColdStarts idle probe');
      samples.push(await invoke(undefined, i));
      progress('idle-probe', ++completed, total);
    }
    const coldStarts = samples.filter((s) => s.kind === 'cold').length;
    const unknown = samples.filter((s) => s.kind === 'unknown').length;
    const classified = samples.length - unknown;
    out.push({ gapMs, invocations: samples.length, coldStarts, unknown, coldShare: classified === 0 ? undefined : coldStarts / classified, samples });
  }
  return out;
}
