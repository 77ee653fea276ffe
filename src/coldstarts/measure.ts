import { randomUUID } from 'node:crypto';
import { CleanupError, InvalidInputError, LambdaMeterAbortError, isLambdaMeterError } from '../errors.js';
import { sleep, throwIfAborted } from '../internal/abort.js';
import type { LambdaClientLike, SdkClientLike } from '../internal/clients.js';
import { ControlPlane } from '../internal/control-plane.js';
import type { UpdateWaitOptions } from '../internal/control-plane.js';
import type { Progress, ProgressPhase, ProgressRetry } from '../internal/options.js';
import { loadLambdaSdk } from '../internal/peer.js';
import { resolveRetryOptions } from '../internal/retry.js';
import { checkClient, describe, integerInRange, optionalFunction } from '../internal/validate.js';
import { encodePayload } from '../invoke/encode.js';
import { invokeWithTail } from '../invoke/invoke.js';
import type { TailInvocation } from '../invoke/types.js';
import { summarize } from '../stats/summarize.js';
import type {
  ColdStartClients,
  ColdStartMethod,
  ColdStartResult,
  ColdStartSample,
  IdleGapResult,
  MeasureColdStartsInput,
  MeasureColdStartsOptions,
  StartKind,
  StartStatistics,
} from './types.js';

/** The environment variable whose new value forces each cold start. */
export const COLD_START_VARIABLE = 'LAMBDA_METER_COLD';

const OPERATION = 'measureColdStarts';
const METHODS: readonly ColdStartMethod[] = ['update-environment', 'publish-version'];
const MAX_COUNT = 1000;
const DEFAULT_WARM_COUNT = 10;
// Polling of LastUpdateStatus: AWS's function-updated waiter polls every 1-5 s; updates on local take ~500 ms.
const DEFAULT_UPDATE_WAIT: Required<UpdateWaitOptions> = { minDelayMs: 25, maxDelayMs: 1000, maxWaitMs: 300_000 };

interface Settings {
  readonly functionName: string;
  readonly count: number;
  readonly method: ColdStartMethod;
  readonly payload: unknown;
  readonly warmCount: number;
  readonly idleProbe: { readonly gapsMs: readonly number[]; readonly count: number } | undefined;
  readonly updateWait: Required<UpdateWaitOptions>;
}

function checkWait(value: unknown, field: string): Required<UpdateWaitOptions> {
  if (value !== undefined && (typeof value !== 'object' || value === null)) throw new InvalidInputError(field, 'must be an object');
  const w = (value ?? {}) as UpdateWaitOptions;
  const out = { ...DEFAULT_UPDATE_WAIT, ...Object.fromEntries(Object.entries(w).filter(([, v]) => v !== undefined)) } as Required<UpdateWaitOptions>;
  for (const key of ['minDelayMs', 'maxDelayMs', 'maxWaitMs'] as const) {
    const v = out[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (key === 'maxWaitMs' && v === 0)) {
      throw new InvalidInputError(`${field}.${key}`, `must be a finite number ${key === 'maxWaitMs' ? '> 0' : '>= 0'}, got ${describe(v)}`);
    }
  }
  return out;
}

function validate(clients: ColdStartClients, input: MeasureColdStartsInput, options: MeasureColdStartsOptions): Settings {
  if (typeof clients !== 'object' || clients === null) throw new InvalidInputError('clients', 'must be an object { lambda }');
  checkClient(clients.lambda, 'clients.lambda', 'LambdaClient');
  if (typeof input !== 'object' || input === null) throw new InvalidInputError('input', `must be an object, got ${describe(input)}`);
  if (typeof input.functionName !== 'string' || input.functionName.trim() === '') {
    throw new InvalidInputError('input.functionName', `must be a non-empty string, got ${describe(input.functionName)}`);
  }
  if (/:(\$LATEST|[A-Za-z0-9_-]+)$/.test(input.functionName.replace(/^arn:[^:]+:lambda:[^:]+:[^:]+:function:/, ''))) {
    throw new InvalidInputError('input.functionName', 'must name the function without a version or alias');
  }
  const count = integerInRange(input.count, 'input.count', 1, MAX_COUNT);
  const method = input.method ?? 'update-environment';
  if (!METHODS.includes(method)) throw new InvalidInputError('input.method', `must be one of ${METHODS.join(', ')}, got ${describe(method)}`);
  if ((input as { warmCount?: unknown }).warmCount !== undefined) {
    throw new InvalidInputError('input.warmCount', 'is now input.warm: { count }');
  }
  let warmCount = DEFAULT_WARM_COUNT;
  if (input.warm !== undefined) {
    if (typeof input.warm !== 'object' || input.warm === null) throw new InvalidInputError('input.warm', `must be an object { count }, got ${describe(input.warm)}`);
    warmCount = integerInRange(input.warm.count, 'input.warm.count', 0, 10_000);
  }
  encodePayload(input.payload, 'input.payload');
  let idleProbe: Settings['idleProbe'];
  if (input.idleProbe !== undefined) {
    const probe = input.idleProbe as unknown;
    if (typeof probe !== 'object' || probe === null) throw new InvalidInputError('input.idleProbe', 'must be an object { gapsMs, count }');
    const { gapsMs, count: perGap } = input.idleProbe;
    if (!Array.isArray(gapsMs) || gapsMs.length === 0) throw new InvalidInputError('input.idleProbe.gapsMs', 'must be a non-empty array of milliseconds');
    gapsMs.forEach((g: unknown, i) => {
      if (typeof g !== 'number' || !Number.isFinite(g) || g < 0) {
        throw new InvalidInputError(`input.idleProbe.gapsMs[${i}]`, `must be a finite number >= 0, got ${describe(g)}`);
      }
    });
    idleProbe = { gapsMs: [...gapsMs], count: integerInRange(perGap, 'input.idleProbe.count', 1, 10_000) };
  }
  if (typeof options !== 'object' || options === null) throw new InvalidInputError('options', `must be an object, got ${describe(options)}`);
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) throw new InvalidInputError('options.signal', 'must be an AbortSignal');
  optionalFunction(options.onProgress, 'options.onProgress');
  resolveRetryOptions(options.retry, 'options.retry');
  const updateWait = checkWait(options.updateWait, 'options.updateWait');
  return { functionName: input.functionName, count, method, payload: input.payload, warmCount, idleProbe, updateWait };
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
 * Forces `input.count` cold starts of a function and measures each — Init Duration, Duration, Billed Duration, the
 * handler's inner time (when it is wrapped by `withMeasurement` in envelope mode) and client latency — beside
 * `input.warm.count` warm invocations of the same configuration, then optionally probes idle eviction.
 *
 * A cold start is forced by a configuration change: `LAMBDA_METER_COLD=<nonce>` is merged into the function's
 * environment variables (`update-environment`, invoking `$LATEST`), or the change is also published as a version
 * that is then invoked (`publish-version`). Samples whose REPORT has no Init Duration are counted in `notCold` and
 * never mixed into the cold statistics. The original environment variables are always set again and created versions
 * deleted — after an error and after an abort too. When that cleanup fails, the run rejects with `CleanupError`
 * listing exactly what is left (the run's own error, if any, is its `cause`). Throttles, transient errors and 409
 * conflicts are retried.
 *
 * @throws InvalidInputError naming the field; MissingPeerDependencyError without `@aws-sdk/client-lambda`;
 * CleanupError; ServiceCallError, RetryExhaustedError, LambdaMeterAbortError.
 *
 * @example
 * ```ts
 * import { LambdaClient } from '@aws-sdk/client-lambda';
 * import { measureColdStarts } from 'lambda-meter/coldstarts';
 *
 * const result = await measureColdStarts(
 *   { lambda: new LambdaClient({}) },
 *   { functionName: 'resize', count: 20, warm: { count: 20 } },
 *   { onProgress: (p) => console.error(p.phase, p.completed, p.total) },
 * );
 * console.log(result.cold.initDurationMs?.p50, result.cold.durationMs?.p50, result.warm.durationMs?.p50, result.notCold);
 * ```
 */
export async function measureColdStarts<L extends SdkClientLike>(
  clients: ColdStartClients<L>,
  input: MeasureColdStartsInput,
  options: MeasureColdStartsOptions = {},
): Promise<ColdStartResult> {
  const settings = validate(clients as unknown as ColdStartClients, input, options);
  const { functionName } = settings;
  const { signal, retry } = options;
  throwIfAborted(signal, OPERATION);
  const sdk = await loadLambdaSdk(OPERATION);
  const lambda = clients.lambda as LambdaClientLike;
  const total = settings.count + settings.warmCount + (settings.idleProbe === undefined ? 0 : settings.idleProbe.gapsMs.length * settings.idleProbe.count);
  let completed = 0;
  let failedCount = 0;
  const report = (phase: ProgressPhase, extra: Partial<Progress> = {}): void =>
    options.onProgress?.({ operation: OPERATION, phase, completed, total, failed: failedCount, ...extra });
  const onRetry = (r: ProgressRetry): void => report('retrying', { retry: r });
  const plane = new ControlPlane(lambda, sdk, functionName, { retry, wait: settings.updateWait, onRetry });
  const warnings: string[] = [];

  const invoke = async (qualifier: string | undefined, index: number): Promise<ColdStartSample> => {
    const invocation = await invokeWithTail(
      lambda,
      { functionName, ...(qualifier === undefined ? {} : { qualifier }), payload: settings.payload },
      {
        ...(signal === undefined ? {} : { signal }),
        ...(retry === undefined ? {} : { retry }),
        ...(options.onProgress === undefined ? {} : { onProgress: (p: Progress) => (p.phase === 'retrying' ? report('retrying', { retry: p.retry }) : undefined) }),
      },
    );
    return toSample(index, invocation);
  };
  const invoked = (phase: ProgressPhase, sample: ColdStartSample): void => {
    completed++;
    if (sample.functionError !== undefined) failedCount++;
    report(phase);
  };

  report('preparing');
  // The function's own variables, read once no other update is in progress; they are what is restored.
  const original = await plane.snapshot(signal);
  if (original.environmentError !== undefined) {
    throw new InvalidInputError('input.functionName', `the environment of ${functionName} cannot be read (${original.environmentError}); it cannot be restored safely`);
  }
  const originalVariables: Record<string, string> = { ...original.environment };
  const hadVariable = Object.hasOwn(originalVariables, COLD_START_VARIABLE);
  if (hadVariable) {
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
      throwIfAborted(signal, OPERATION);
      report('configuring');
      changed = true; // set before the call: a call that fails after Lambda applied it still needs restoring
      await plane.update({ environment: { ...originalVariables, [COLD_START_VARIABLE]: `${Date.now().toString(36)}-${i}-${randomUUID().slice(0, 8)}` } }, signal);
      if (settings.method === 'publish-version') {
        target = await plane.publish('lambda-meter cold start', signal);
        created.push(target);
      }
      const sample = await invoke(target, i);
      samples.push(sample);
      invoked('cold', sample);
    }
    for (let i = 0; i < settings.warmCount; i++) {
      throwIfAborted(signal, OPERATION);
      const sample = await invoke(target, i);
      warmSamples.push(sample);
      invoked('warm', sample);
    }
  } catch (err) {
    failure = err;
  }
  if (failure !== undefined && signal?.aborted && !isLambdaMeterError(failure, 'LambdaMeterAbortError')) {
    failure = new LambdaMeterAbortError(OPERATION, { cause: signal.reason });
  }

  // Cleanup runs whatever happened, without the caller's signal: an aborted run must still put things back.
  report('cleanup');
  let environmentRestored = !changed;
  const versionsDeleted: string[] = [];
  let cleanupError: unknown;
  if (changed) {
    try {
      await plane.waitUntilUpdated(undefined);
      await plane.update({ environment: originalVariables }, undefined);
      environmentRestored = true;
    } catch (err) {
      cleanupError = err;
    }
  }
  for (const version of created) {
    try {
      await plane.deleteVersion(version, undefined);
      versionsDeleted.push(version);
    } catch (err) {
      cleanupError ??= err;
    }
  }
  if (cleanupError !== undefined) {
    // Never lost: what is left, exactly, with the run's own error (if any) as the cause.
    const leftovers: string[] = [];
    if (!environmentRestored) {
      leftovers.push(
        `environment variable ${COLD_START_VARIABLE} on ${functionName}` +
          (hadVariable ? ` (was ${JSON.stringify(originalVariables[COLD_START_VARIABLE])})` : ''),
      );
    }
    for (const v of created) if (!versionsDeleted.includes(v)) leftovers.push(`version ${v} of ${functionName}`);
    throw new CleanupError(OPERATION, leftovers, cleanupError, failure);
  }
  if (failure !== undefined) throw failure;

  let idleProbe: IdleGapResult[] | undefined;
  if (settings.idleProbe !== undefined) idleProbe = await probeIdleEviction(settings.idleProbe, invoke, invoked, signal);

  const failed = [...samples, ...warmSamples].filter((s) => s.functionError !== undefined).length;
  const coldOk = samples.filter((s) => s.kind === 'cold' && s.functionError === undefined);
  const warmOk = warmSamples.filter((s) => s.kind === 'warm' && s.functionError === undefined);
  const notCold = samples.filter((s) => s.kind !== 'cold').length;
  const notWarm = warmSamples.filter((s) => s.kind !== 'warm').length;
  if (notCold > 0) warnings.push(`${notCold} of ${samples.length} forced samples were not cold starts; they are left out of the cold statistics.`);
  if (notWarm > 0) warnings.push(`${notWarm} of ${warmSamples.length} warm samples were not warm; they are left out of the warm statistics.`);
  if (failed > 0) warnings.push(`${failed} invocations ended in a function error; they are left out of the statistics.`);
  report('done');
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
  probe: { readonly gapsMs: readonly number[]; readonly count: number },
  invoke: (qualifier: string | undefined, index: number) => Promise<ColdStartSample>,
  invoked: (phase: ProgressPhase, sample: ColdStartSample) => void,
  signal: AbortSignal | undefined,
): Promise<IdleGapResult[]> {
  // Warm-up: an environment must exist before idle time can mean anything.
  await invoke(undefined, -1);
  const out: IdleGapResult[] = [];
  for (const gapMs of probe.gapsMs) {
    const samples: ColdStartSample[] = [];
    for (let i = 0; i < probe.count; i++) {
      await sleep(gapMs, signal, 'measureColdStarts idle probe');
      const sample = await invoke(undefined, i);
      samples.push(sample);
      invoked('idle-probe', sample);
    }
    const coldStarts = samples.filter((s) => s.kind === 'cold').length;
    const unknown = samples.filter((s) => s.kind === 'unknown').length;
    const classified = samples.length - unknown;
    out.push({ gapMs, invocations: samples.length, coldStarts, unknown, coldShare: classified === 0 ? undefined : coldStarts / classified, samples });
  }
  return out;
}
