import { Agent as HttpAgent, validateHeaderName, validateHeaderValue } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Socket } from 'node:net';
import { LambdaMeterAbortError, HttpRequestError, InvalidInputError } from '../errors.js';
import type { HttpFailureCode } from '../errors.js';
import { throwIfAborted } from '../internal/abort.js';
import { runPool } from '../internal/pool.js';
import { describe, optionalFunction, positiveInteger } from '../internal/validate.js';
import { summarize } from '../stats/index.js';
import { measureRequest } from './request.js';
import type { RequestPlan, SeriesState } from './request.js';
import type { HttpMeasureInput, HttpMeasureOptions, HttpPhaseStats, HttpResult, HttpSample, HttpSeries, HttpTimingName } from './types.js';

const WHAT = 'measureHttp';
const TIMING_NAMES: readonly HttpTimingName[] = ['dnsMs', 'connectMs', 'tlsMs', 'sendMs', 'waitingMs', 'downloadMs', 'totalMs'];
// An HTTP token (RFC 9110 §5.6.2).
const METHOD = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function parseUrl(value: unknown): URL {
  let url: URL;
  if (value instanceof URL) url = new URL(value.href);
  else if (typeof value === 'string') {
    try {
      url = new URL(value);
    } catch {
      throw new InvalidInputError('input.url', `must be an absolute http: or https: URL, got ${describe(value)}`);
    }
  } else {
    throw new InvalidInputError('input.url', `must be a string or a URL, got ${describe(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidInputError('input.url', `must use http: or https:, got ${url.protocol}`);
  }
  return url;
}

function parseHeaders(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidInputError('input.headers', `must be an object of header names to string values, got ${describe(value)}`);
  }
  const headers: Record<string, string> = {};
  for (const [name, headerValue] of Object.entries(value)) {
    const field = `input.headers[${JSON.stringify(name)}]`;
    if (typeof headerValue !== 'string') throw new InvalidInputError(field, `must be a string, got ${describe(headerValue)}`);
    try {
      validateHeaderName(name);
      validateHeaderValue(name, headerValue);
    } catch (err) {
      throw new InvalidInputError(field, err instanceof Error ? err.message : String(err), { cause: err });
    }
    headers[name] = headerValue;
  }
  return headers;
}

interface Plan {
  readonly request: RequestPlan;
  readonly count: number;
  readonly concurrency: number;
  readonly modes: readonly boolean[];
  readonly signal: AbortSignal | undefined;
  readonly onProgress: HttpMeasureOptions['onProgress'];
}

function plan(input: HttpMeasureInput, options: HttpMeasureOptions): Plan {
  if (typeof input !== 'object' || input === null) {
    throw new InvalidInputError('input', `must be an object with at least { url, count }, got ${describe(input)}`);
  }
  if (typeof options !== 'object' || options === null) throw new InvalidInputError('options', `must be an object, got ${describe(options)}`);
  const url = parseUrl(input.url);
  const method = input.method ?? 'GET';
  if (typeof method !== 'string' || !METHOD.test(method)) {
    throw new InvalidInputError('input.method', `must be an HTTP method such as "GET", got ${describe(method)}`);
  }
  const headers = parseHeaders(input.headers);
  const body: unknown = input.body;
  if (body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array)) {
    throw new InvalidInputError('input.body', `must be a string or a Uint8Array, got ${describe(body)}`);
  }
  const count = positiveInteger(input.count, 'input.count');
  const concurrency = positiveInteger(input.concurrency ?? 1, 'input.concurrency');
  const reuse: unknown = input.reuseConnections ?? true;
  if (reuse !== true && reuse !== false && reuse !== 'both') {
    throw new InvalidInputError('input.reuseConnections', `must be true, false or 'both', got ${describe(reuse)}`);
  }
  const timeoutMs: unknown = options.timeoutMs ?? 30_000;
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0 || timeoutMs > 2 ** 31 - 1) {
    throw new InvalidInputError('options.timeoutMs', `must be a positive number of milliseconds, got ${describe(timeoutMs)}`);
  }
  const rejectUnauthorized: unknown = input.rejectUnauthorized ?? true;
  if (typeof rejectUnauthorized !== 'boolean') {
    throw new InvalidInputError('input.rejectUnauthorized', `must be a boolean, got ${describe(rejectUnauthorized)}`);
  }
  const ca: unknown = input.ca;
  if (ca !== undefined && typeof ca !== 'string' && !Buffer.isBuffer(ca)) {
    throw new InvalidInputError('input.ca', `must be a PEM string or a Buffer, got ${describe(ca)}`);
  }
  const signal: unknown = options.signal;
  if (signal !== undefined && !(typeof signal === 'object' && signal !== null && 'aborted' in signal && 'addEventListener' in signal)) {
    throw new InvalidInputError('options.signal', `must be an AbortSignal, got ${describe(signal)}`);
  }
  optionalFunction(options.onProgress, 'options.onProgress');
  return {
    request: {
      url,
      href: url.href,
      https: url.protocol === 'https:',
      method: method.toUpperCase(),
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body) : Buffer.from(body.buffer, body.byteOffset, body.byteLength),
      timeoutMs,
      rejectUnauthorized,
      ca: ca as string | Buffer | undefined,
    },
    count,
    concurrency,
    modes: reuse === 'both' ? [true, false] : [reuse],
    signal: options.signal,
    onProgress: options.onProgress,
  };
}

function phaseStats(samples: readonly HttpSample[]): HttpPhaseStats {
  const ok = samples.filter((s) => s.ok);
  if (ok.length === 0) return undefined;
  const entries = TIMING_NAMES.map((name) => [name, summarize(ok.map((s) => s.timings[name]), { field: name })] as const);
  return Object.fromEntries(entries) as NonNullable<HttpPhaseStats>;
}

function seriesOf(reuseConnections: boolean, samples: readonly HttpSample[], connectionsOpened: number, durationMs: number): HttpSeries {
  const statusCodes: Record<number, number> = {};
  const errors: Partial<Record<HttpFailureCode, number>> = {};
  let failed = 0;
  for (const s of samples) {
    if (s.statusCode !== undefined && s.ok) statusCodes[s.statusCode] = (statusCodes[s.statusCode] ?? 0) + 1;
    if (s.error !== undefined) {
      failed++;
      errors[s.error.code] = (errors[s.error.code] ?? 0) + 1;
    }
  }
  return {
    reuseConnections,
    samples,
    succeeded: samples.length - failed,
    failed,
    connectionsOpened,
    durationMs,
    phases: phaseStats(samples),
    statusCodes,
    errors,
  };
}

/** Requests completed and failed so far, over every series of the run. */
interface RunCounts {
  completed: number;
  failed: number;
}

async function runSeries(p: Plan, reuseConnections: boolean, counts: RunCounts): Promise<HttpSeries> {
  const { request, count: requests, concurrency, signal, onProgress } = p;
  const total = requests * p.modes.length;
  const AgentClass = request.https ? HttpsAgent : HttpAgent;
  // One keep-alive agent per series: at most `concurrency` sockets, none shared with another series or the caller.
  const agent = reuseConnections ? new AgentClass({ keepAlive: true, maxSockets: concurrency }) : false;
  const state: SeriesState = {
    reuseConnections,
    agent,
    startNs: process.hrtime.bigint(),
    connectionIds: new WeakMap<Socket, number>(),
    connectionsOpened: 0,
    inFlight: new Set(),
  };
  const samples: HttpSample[] = new Array<HttpSample>(requests);
  let stop: { readonly error: unknown } | undefined;
  const halt = (error: unknown): void => {
    stop ??= { error };
    const reason = error instanceof Error ? error : new LambdaMeterAbortError(WHAT, { cause: error });
    for (const r of state.inFlight) r.destroy(reason);
  };
  const onAbort = (): void => halt(new LambdaMeterAbortError(WHAT, { cause: signal?.reason }));
  signal?.addEventListener('abort', onAbort, { once: true });

  const task = async (index: number): Promise<void> => {
    const sample = await measureRequest(request, state, index);
    samples[index] = sample;
    counts.completed++;
    if (!sample.ok) counts.failed++;
    if (stop !== undefined) return;
    try {
      onProgress?.({
        operation: WHAT,
        phase: 'requesting',
        completed: counts.completed,
        total,
        failed: counts.failed,
        inFlight: state.inFlight.size,
      });
    } catch (err) {
      halt(err);
    }
  };

  try {
    if (signal?.aborted) onAbort();
    await runPool(requests, task, { concurrency, stopped: () => stop !== undefined });
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (agent !== false) agent.destroy();
  }
  if (stop !== undefined) throw stop.error;
  return seriesOf(reuseConnections, samples, state.connectionsOpened, Number(process.hrtime.bigint() - state.startNs) / 1e6);
}

/**
 * Measures an HTTP(S) endpoint — a Lambda Function URL, an API Gateway stage, any `http:` or `https:` URL — with
 * `count` requests at most `concurrency` at a time, over reused keep-alive connections, a new connection per
 * request, or both series. Each request is timed phase by phase on a monotonic clock (DNS lookup, TCP connect, TLS
 * handshake, send, waiting for the first byte, download, total) with its status code, body size, whether its
 * connection was reused, and the `x-amzn-RequestId`, `x-amz-apigw-id` and `x-amzn-Remapped-*` headers. Each series
 * summarises every phase over its successful requests (p50/p90/p99, mean and its 95% CI, …) and counts status codes
 * and failures.
 *
 * A failed request (DNS, connect, TLS, timeout, reset, protocol) is a sample with an `HttpRequestError`, not a
 * failed run; only when every request fails does it reject, with an `HttpRequestError` whose `failures` lists each
 * request's error. Rejects with `LambdaMeterAbortError` when `signal` aborts (requests in flight are destroyed
 * first) and with `InvalidInputError` naming the field for bad input, before any request. Every connection is
 * closed when it settles.
 *
 * @example
 * ```ts
 * import { measureHttp } from 'lambda-meter/http';
 *
 * const r = await measureHttp(
 *   { url: 'https://abcdefgh.lambda-url.us-east-1.on.aws/', count: 50, concurrency: 5, reuseConnections: 'both' },
 *   { timeoutMs: 10_000, onProgress: (p) => console.error(`${p.completed}/${p.total}`) },
 * );
 * console.log(r.withReuse?.phases?.totalMs.p50, r.withoutReuse?.phases?.totalMs.p50);
 * console.log(r.withoutReuse?.phases?.tlsMs.p50, 'ms of TLS per new connection');
 * console.log(r.withReuse?.statusCodes, r.withReuse?.errors, r.withReuse?.samples[0]?.requestId);
 * ```
 */
export async function measureHttp(input: HttpMeasureInput, options: HttpMeasureOptions = {}): Promise<HttpResult> {
  const p = plan(input, options);
  throwIfAborted(p.signal, WHAT);
  const series = new Map<boolean, HttpSeries>();
  const counts: RunCounts = { completed: 0, failed: 0 };
  for (const reuse of p.modes) series.set(reuse, await runSeries(p, reuse, counts));
  const all = [...series.values()].flatMap((s) => s.samples);
  if (all.every((s) => !s.ok)) {
    const failures = all.map((s) => s.error as HttpRequestError);
    const first = failures[0] as HttpRequestError;
    throw new HttpRequestError(
      `every request failed (${all.length} of ${all.length}); the first: ${first.message}`,
      { code: first.code, phase: first.phase, systemCode: first.systemCode, url: p.request.href, failures },
      { cause: first },
    );
  }
  p.onProgress?.({ operation: WHAT, phase: 'done', completed: counts.completed, total: p.count * p.modes.length, failed: counts.failed, inFlight: 0 });
  return {
    url: p.request.href,
    method: p.request.method,
    count: p.count,
    concurrency: p.concurrency,
    withReuse: series.get(true),
    withoutReuse: series.get(false),
  };
}
