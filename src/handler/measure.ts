import type { Config } from './options.js';
import type { LambdaContextLike, Measurement, MeasuredError, MeasurementEnvelope } from './types.js';

/** The start of one invocation. */
export interface Start {
  readonly coldStart: boolean;
  readonly initializationType: string | undefined;
  readonly startedAt: number;
  readonly t0: bigint;
}

/**
 * Returns the `start()` of one wrapper. Module scope lives as long as the execution environment, and an environment
 * runs one handler, so a flag per wrapper is the environment's cold flag. The environment variable is read at the
 * first invocation, never at import.
 */
export function createStart(): () => Start {
  let first = true;
  let initializationType: string | undefined;
  return () => {
    let coldStart = false;
    if (first) {
      first = false;
      initializationType = process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
      // Provisioned concurrency initializes ahead of traffic, so its first invocation is warm; a SnapStart restore
      // ('snap-start') still pays the restore on its first invocation, so it counts as cold.
      coldStart = initializationType !== 'provisioned-concurrency';
    }
    // hrtime.bigint(): monotonic, and as cheap per start/stop pair as performance.now() (~70–110 ns), whose first
    // use in a fresh process costs ~0.7 ms more (Node 20–24) as Node sets up perf_hooks (bench/handler.mjs measures both).
    return { coldStart, initializationType, startedAt: Date.now(), t0: process.hrtime.bigint() };
  };
}

/** What was thrown, as two strings; names follow Lambda's errorType (`typeof` for non-objects). */
function describeError(error: unknown): MeasuredError {
  try {
    if (typeof error === 'object' && error !== null) {
      const { name, message } = error as { name?: unknown; message?: unknown };
      return { name: typeof name === 'string' ? name : 'Error', message: typeof message === 'string' ? message : '' };
    }
    return { name: typeof error, message: String(error) };
  } catch {
    // A throwing getter or toString must not turn measuring into a second failure.
    return { name: 'Error', message: '' };
  }
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Stops the clock and builds the measurement of one invocation. */
export function finish(start: Start, context: LambdaContextLike | undefined, failed: boolean, error?: unknown): Measurement {
  const durationMs = Number(process.hrtime.bigint() - start.t0) / 1e6;
  const memory = context?.memoryLimitInMB === undefined ? NaN : Number(context.memoryLimitInMB);
  return {
    requestId: optionalString(context?.awsRequestId) ?? '',
    coldStart: start.coldStart,
    durationMs,
    startedAt: start.startedAt,
    functionName: optionalString(context?.functionName),
    functionVersion: optionalString(context?.functionVersion),
    memoryLimitInMB: Number.isFinite(memory) ? memory : undefined,
    initializationType: start.initializationType,
    error: failed ? describeError(error) : undefined,
  };
}

/** The `envelope`-mode result. */
export function envelope<TResult>(measurement: Measurement, result: TResult): MeasurementEnvelope<TResult> {
  return { requestId: measurement.requestId, coldStart: measurement.coldStart, durationMs: measurement.durationMs, result };
}

/** Formats `log`-mode lines: the measurement, or an EMF document that also carries every measurement field. */
function createFormatter(config: Config): (m: Measurement) => string {
  const emf = config.emf;
  // The fields that stay the same for the life of an environment are formatted once and reused while they match.
  let tail = '';
  let tailOf: readonly unknown[] = [];
  return (m) => {
    const { functionName, functionVersion, memoryLimitInMB, initializationType } = m;
    if (functionName !== tailOf[0] || functionVersion !== tailOf[1] || memoryLimitInMB !== tailOf[2] ||
      initializationType !== tailOf[3] || tailOf.length === 0) {
      tailOf = [functionName, functionVersion, memoryLimitInMB, initializationType];
      tail = '';
      if (functionName !== undefined) tail += `,"functionName":${JSON.stringify(functionName)}`;
      if (functionVersion !== undefined) tail += `,"functionVersion":${JSON.stringify(functionVersion)}`;
      if (memoryLimitInMB !== undefined) tail += `,"memoryLimitInMB":${memoryLimitInMB}`;
      if (initializationType !== undefined) tail += `,"initializationType":${JSON.stringify(initializationType)}`;
      if (emf !== undefined && emf.dimensionValues === undefined) {
        // Default dimension set: FunctionName, when the context names the function.
        tail += functionName ? `,"FunctionName":${JSON.stringify(functionName)}` : '';
      }
    }
    // Assembled by hand: about half the cost of JSON.stringify on the object (bench/handler.mjs).
    const fields = `"type":"lambda-meter.measurement","requestId":${JSON.stringify(m.requestId)},` +
      `"coldStart":${m.coldStart},"durationMs":${m.durationMs},"startedAt":${m.startedAt}${tail}` +
      (m.error === undefined ? '' : `,"error":${JSON.stringify(m.error)}`);
    if (emf === undefined) return `{${fields}}\n`;
    const metrics = emf.dimensionValues !== undefined || functionName ? emf.metrics : emf.metricsWithoutDimensions;
    return `{"_aws":{"Timestamp":${m.startedAt}${metrics}},${fields}${emf.dimensionValues ?? ''}` +
      `${emf.durationKey}${m.durationMs}${emf.coldStartKey}${m.coldStart ? 1 : 0}}\n`;
  };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null &&
    typeof (value as { then?: unknown }).then === 'function';
}

const ignore = (): void => {};

/** Routes a recording failure to `onMeasurementError` (or console.error); nothing escapes from here. */
function report(config: Config, error: unknown, measurement: Measurement): void {
  try {
    if (config.onMeasurementError === undefined) {
      console.error('lambda-meter: recording the measurement failed:', error);
      return;
    }
    const pending: unknown = config.onMeasurementError(error, measurement);
    if (isThenable(pending)) Promise.resolve(pending).then(ignore, ignore);
  } catch {
    // The reporter failed too; the handler's own result or error still wins.
  }
}

/**
 * Returns the `record()` of one wrapper: it writes the line (`log` mode) and calls `onMeasurement`, and returns a
 * promise only when there is something to wait for (an awaited, asynchronous `onMeasurement`); that promise never
 * rejects.
 */
export function createRecorder(config: Config): (m: Measurement, event: unknown, context: unknown) => Promise<void> | undefined {
  const format = config.log ? createFormatter(config) : undefined;
  const { onMeasurement, awaitOnMeasurement } = config;
  return (m, event, context) => {
    if (format !== undefined) {
      try {
        (config.output ?? process.stdout).write(format(m));
      } catch (error) {
        report(config, error, m);
      }
    }
    if (onMeasurement === undefined) return undefined;
    let pending: unknown;
    try {
      pending = onMeasurement(m, event as never, context as never);
    } catch (error) {
      report(config, error, m);
      return undefined;
    }
    if (!isThenable(pending)) return undefined;
    const settled = Promise.resolve(pending).then(ignore, (error: unknown) => report(config, error, m));
    return awaitOnMeasurement ? settled : undefined;
  };
}
