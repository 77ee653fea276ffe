import type { InvokeCommand as SdkInvokeCommand } from '@aws-sdk/client-lambda';
import { InvalidInputError } from '../errors.js';
import { throwIfAborted } from '../internal/abort.js';
import type { LambdaClientLike, SdkClientLike } from '../internal/clients.js';
import type { Progress } from '../internal/options.js';
import { loadLambdaSdk } from '../internal/peer.js';
import { resolveRetryOptions, withRetry } from '../internal/retry.js';
import type { RetryEvent, RetryOptions } from '../internal/retry.js';
import { checkClient, optionalFunction } from '../internal/validate.js';
import { decodeLogResult, parseLog } from '../report/index.js';
import type { ReportRecord } from '../report/types.js';
import { encodePayload, prepareInput } from './encode.js';
import type { PreparedInput } from './encode.js';
import type { FunctionErrorKind, InvokeInput, InvokeOptions, TailInvocation } from './types.js';

/** The SDK's InvokeCommand class, as loaded from the peer package. */
export type InvokeCommandClass = typeof SdkInvokeCommand;

/** The operation name used in retry, service and abort errors. */
export const INVOKE_OPERATION = 'Lambda.Invoke';

const decoder = new TextDecoder('utf-8');

/** The parts of the SDK's InvocationResponse lambda-meter reads; everything is optional, as from a mock. */
interface InvokeResponseShape {
  readonly StatusCode?: unknown;
  readonly FunctionError?: unknown;
  readonly LogResult?: unknown;
  readonly Payload?: unknown;
  readonly ExecutedVersion?: unknown;
  readonly $metadata?: { readonly requestId?: unknown; readonly httpStatusCode?: unknown };
}

/** Per-call settings shared by invokeWithTail and the runs of invokeMany. */
export interface CallSettings {
  readonly signal: AbortSignal | undefined;
  readonly retry: RetryOptions | undefined;
  readonly onRetry: ((event: RetryEvent) => void) | undefined;
}

/**
 * The `'retrying'` progress event of a failed Invoke.
 *
 * @example
 * ```ts
 * onProgress(invokeRetryProgress('invokeMany', event, { completed: 3, total: 10, failed: 0, inFlight: 2 }, 4));
 * ```
 */
export function invokeRetryProgress(
  operation: string,
  event: RetryEvent,
  counts: Pick<Progress, 'completed' | 'total' | 'failed' | 'inFlight'>,
  index?: number,
): Progress {
  return {
    operation,
    phase: 'retrying',
    ...counts,
    retry: { operation: 'Invoke', attempt: event.attempt, delayMs: event.delayMs, error: event.error, ...(index === undefined ? {} : { index }) },
  };
}

/**
 * Invokes a function synchronously with `LogType: 'Tail'` and returns its response, decoded log tail, parsed REPORT
 * and client-side latency. A function error (`Handled`/`Unhandled`) is a result, not an exception; throttling and
 * transient service errors are retried with jittered exponential back-off, honouring `Retry-After`.
 *
 * Rejects with InvalidInputError for bad input (before any call), MissingPeerDependencyError without
 * `@aws-sdk/client-lambda`, ServiceCallError for errors that are not retried (e.g. `ResourceNotFoundException`),
 * RetryExhaustedError when retries run out, and LambdaMeterAbortError when `signal` aborts.
 *
 * @example
 * ```ts
 * import { LambdaClient } from '@aws-sdk/client-lambda';
 * import { invokeWithTail } from 'lambda-meter/invoke';
 *
 * const result = await invokeWithTail(new LambdaClient({}), { functionName: 'resize', payload: { width: 640 } }, {
 *   onProgress: (p) => p.retry && console.log(`retry ${p.retry.attempt} in ${p.retry.delayMs} ms`),
 * });
 * console.log(result.report?.billedDurationMs, result.report?.coldStart, result.clientLatencyMs, result.json());
 * ```
 */
export async function invokeWithTail<C extends SdkClientLike>(
  client: LambdaClientLike<C>,
  input: InvokeInput,
  options: InvokeOptions = {},
): Promise<TailInvocation> {
  checkClient(client, 'client', 'LambdaClient');
  if (typeof options !== 'object' || options === null) throw new InvalidInputError('options', 'must be an object');
  const prepared = prepareInput(input);
  const payload = encodePayload(input.payload, 'input.payload');
  resolveRetryOptions(options.retry);
  optionalFunction(options.onProgress, 'options.onProgress');
  throwIfAborted(options.signal, INVOKE_OPERATION);
  const { InvokeCommand } = await loadLambdaSdk('invokeWithTail');
  const onProgress = options.onProgress;
  return invokePrepared(client, InvokeCommand, prepared, payload, {
    signal: options.signal,
    retry: options.retry,
    onRetry:
      onProgress === undefined
        ? undefined
        : (event) => onProgress(invokeRetryProgress('invokeWithTail', event, { completed: 0, total: 1, failed: 0, inFlight: 1 })),
  });
}

/** One tail invocation of already validated and encoded input. */
export async function invokePrepared(
  client: SdkClientLike,
  InvokeCommand: InvokeCommandClass,
  prepared: PreparedInput,
  payload: Uint8Array | undefined,
  settings: CallSettings,
): Promise<TailInvocation> {
  let attempts = 0;
  let startedAt = Number.NaN;
  let clientLatencyMs = Number.NaN;
  const response = await withRetry(
    INVOKE_OPERATION,
    async (send, track) => {
      attempts = send;
      const command = track(new InvokeCommand({
        FunctionName: prepared.functionName,
        Qualifier: prepared.qualifier,
        InvocationType: 'RequestResponse',
        LogType: 'Tail',
        ClientContext: prepared.clientContext,
        ...(prepared.tenantId === undefined ? {} : { TenantId: prepared.tenantId }),
        Payload: payload,
      }));
      const started = Date.now();
      const t0 = performance.now();
      const out = (await client.send(command, { abortSignal: settings.signal })) as InvokeResponseShape | undefined;
      clientLatencyMs = performance.now() - t0;
      startedAt = started;
      return out ?? {};
    },
    { retry: settings.retry, signal: settings.signal, onRetry: settings.onRetry },
  );
  return toTailInvocation(response, { attempts, startedAt, clientLatencyMs });
}

function toBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) {
    // A plain view over the same memory: drops the SDK's Uint8ArrayBlobAdapter subclass without copying.
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }
  if (typeof value === 'string') return new TextEncoder().encode(value);
  return new Uint8Array(0);
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The REPORT of `requestId` when the tail holds it, else the last one (with a warning when they disagree). */
function pickReport(reports: readonly ReportRecord[], requestId: string | undefined, warnings: string[]): ReportRecord | undefined {
  const last = reports.at(-1);
  if (last === undefined || requestId === undefined) return last;
  const matching = reports.filter((r) => r.requestId === requestId);
  const match = matching.at(-1);
  if (match !== undefined) return match;
  warnings.push(`The log tail's REPORT is for request ${last.requestId}, not ${requestId}; it is returned as this invocation's report.`);
  return last;
}

interface ErrorDetails {
  readonly errorType: string | undefined;
  readonly errorMessage: string | undefined;
  readonly stackTrace: readonly string[] | undefined;
}

/** Reads `{ errorType, errorMessage, stackTrace | trace }` from a function error's payload. */
function readErrorPayload(text: string, warnings: string[]): ErrorDetails {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    warnings.push('The function error payload is not JSON, so errorType and errorMessage are unknown.');
    return { errorType: undefined, errorMessage: undefined, stackTrace: undefined };
  }
  const body = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  const errorType = typeof body.errorType === 'string' ? body.errorType : undefined;
  const errorMessage = typeof body.errorMessage === 'string' ? body.errorMessage : undefined;
  // Node.js runtimes call it `trace`; Python, Java and others `stackTrace`.
  const rawTrace = Array.isArray(body.stackTrace) ? body.stackTrace : Array.isArray(body.trace) ? body.trace : undefined;
  const stackTrace = rawTrace?.map((line: unknown) => (typeof line === 'string' ? line : JSON.stringify(line)));
  if (errorType === undefined) warnings.push('The function error payload carries no errorType.');
  return { errorType, errorMessage, stackTrace };
}

function readFunctionError(value: unknown, warnings: string[]): FunctionErrorKind | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  if (value === 'Handled' || value === 'Unhandled') return value;
  warnings.push(`Unexpected X-Amz-Function-Error value ${JSON.stringify(value)}; read as Unhandled.`);
  return 'Unhandled';
}

interface Timing {
  readonly attempts: number;
  readonly startedAt: number;
  readonly clientLatencyMs: number;
}

/** Turns an SDK InvocationResponse into a TailInvocation. */
export function toTailInvocation(response: InvokeResponseShape, timing: Timing): TailInvocation {
  const warnings: string[] = [];
  const payload = toBytes(response.Payload);
  const text = (): string => decoder.decode(payload);

  let log = '';
  let report: ReportRecord | undefined;
  let logTruncated = false;
  const metaRequestId = nonEmptyString(response.$metadata?.requestId);
  if (typeof response.LogResult !== 'string') {
    warnings.push('The response has no LogResult (was LogType Tail ignored?), so there is no REPORT for this invocation.');
  } else {
    let decoded: string | undefined;
    try {
      decoded = decodeLogResult(response.LogResult);
    } catch (err) {
      warnings.push(`The LogResult could not be decoded (${(err as Error).message}), so there is no REPORT for this invocation.`);
    }
    if (decoded !== undefined) {
      log = decoded;
      const parsed = parseLog(log);
      logTruncated = parsed.truncated;
      for (const w of parsed.warnings) warnings.push(`Log tail line ${w.lineNumber} was skipped: ${w.reason}.`);
      report = pickReport(parsed.reports, metaRequestId, warnings);
      if (report === undefined) {
        warnings.push('The log tail holds no REPORT line, so there is no billed duration, memory or init time for this invocation.');
      }
    }
  }

  const requestId = metaRequestId ?? report?.requestId ?? '';
  if (requestId === '') warnings.push('Neither the response metadata nor a REPORT gave a request id; requestId is empty.');

  const functionError = readFunctionError(response.FunctionError, warnings);
  const details: ErrorDetails =
    functionError === undefined
      ? { errorType: undefined, errorMessage: undefined, stackTrace: undefined }
      : readErrorPayload(text(), warnings);

  const statusCode = typeof response.StatusCode === 'number' ? response.StatusCode : response.$metadata?.httpStatusCode;
  return {
    requestId,
    statusCode: typeof statusCode === 'number' ? statusCode : undefined,
    executedVersion: nonEmptyString(response.ExecutedVersion),
    functionError,
    errorType: details.errorType,
    errorMessage: details.errorMessage,
    stackTrace: details.stackTrace,
    payload,
    log,
    report,
    logTruncated,
    clientLatencyMs: timing.clientLatencyMs,
    startedAt: timing.startedAt,
    attempts: timing.attempts,
    warnings,
    text,
    json<T = unknown>(): T {
      const body = text();
      try {
        return JSON.parse(body) as T;
      } catch (err) {
        const shown = body.length > 80 ? `${body.slice(0, 80)}…` : body;
        throw new InvalidInputError('payload', `is not JSON (${(err as Error).message}): ${JSON.stringify(shown)}`, { cause: err });
      }
    },
  };
}
