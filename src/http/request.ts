/**
 * One timed HTTP request: phase timestamps from the socket and request events, on a monotonic clock.
 *
 * @module
 * @internal
 */
import type { Agent, ClientRequest, IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { Socket } from 'node:net';
import { HttpRequestError } from '../errors.js';
import type { HttpFailureCode, HttpRequestPhase } from '../errors.js';
import type { HttpSample, HttpTimings } from './types.js';

/** What every request of a run sends; validated by the caller. */
export interface RequestPlan {
  readonly url: URL;
  readonly href: string;
  readonly https: boolean;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer | undefined;
  readonly timeoutMs: number;
  readonly rejectUnauthorized: boolean;
  readonly ca: string | Buffer | undefined;
}

/** State shared by the requests of one series. */
export interface SeriesState {
  readonly reuseConnections: boolean;
  /** A keep-alive agent, or `false` for a new connection per request. */
  readonly agent: Agent | false;
  /** Start of the series on the monotonic clock. */
  readonly startNs: bigint;
  /** Connection ids by socket. */
  readonly connectionIds: WeakMap<Socket, number>;
  /** Connections opened so far. */
  connectionsOpened: number;
  /** Requests in flight, so that an abort can destroy them. */
  readonly inFlight: Set<ClientRequest>;
}

const now = (): bigint => process.hrtime.bigint();

/** Milliseconds from `from` to `to`; 0 when either is missing (the phase did not happen). */
function span(from: bigint | undefined, to: bigint | undefined): number {
  if (from === undefined || to === undefined || to < from) return 0;
  return Number(to - from) / 1e6;
}

// Response headers of Lambda Function URLs and API Gateway: request ids, and the Lambda-side headers that API
// Gateway renames to x-amzn-Remapped-* (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-parameter-mapping.html).
const AWS_HEADERS = new Set(['x-amzn-requestid', 'x-amz-apigw-id', 'x-amzn-trace-id', 'x-amzn-errortype']);

function awsHeadersOf(response: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value === undefined || !(AWS_HEADERS.has(name) || name.startsWith('x-amzn-remapped-'))) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE']);

function systemCodeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The failure code from the phase the request was in and Node's error code. */
function classify(phase: HttpRequestPhase, systemCode: string | undefined, timedOut: boolean): HttpFailureCode {
  if (timedOut) return 'timeout';
  if (phase === 'dns' || (systemCode !== undefined && DNS_CODES.has(systemCode))) return 'dns';
  if (phase === 'connect') return 'connect';
  if (phase === 'tls') return 'tls';
  if (systemCode?.startsWith('HPE_')) return 'protocol';
  if (systemCode !== undefined && RESET_CODES.has(systemCode)) return 'reset';
  return 'other';
}

function failure(plan: RequestPlan, phase: HttpRequestPhase, error: unknown, timedOut: boolean): HttpRequestError {
  const systemCode = systemCodeOf(error);
  const code = classify(phase, systemCode, timedOut);
  const reason = error instanceof Error ? error.message : String(error);
  return new HttpRequestError(
    `${plan.method} ${plan.href} failed (${code}) in the ${phase} phase: ${reason}${systemCode === undefined ? '' : ` (${systemCode})`}`,
    { code, phase, systemCode, url: plan.href },
    { cause: error },
  );
}

/** Makes one request and resolves with its sample; never rejects (a failure is the sample's `error`). */
export function measureRequest(plan: RequestPlan, series: SeriesState, index: number): Promise<HttpSample> {
  return new Promise<HttpSample>((resolve) => {
    const startedAt = Date.now();
    const startNs = now();
    // Brackets of an IPv6 literal are part of URL.hostname.
    const ipLiteral = isIP(plan.url.hostname.replace(/^\[|\]$/g, '')) !== 0;
    let phase: HttpRequestPhase = ipLiteral ? 'connect' : 'dns';
    let lookupNs: bigint | undefined;
    let connectNs: bigint | undefined;
    let secureNs: bigint | undefined;
    let sentNs: bigint | undefined;
    let responseNs: bigint | undefined;
    let socketReused = false;
    let connectionId = 0;
    let statusCode: number | undefined;
    let bytes = 0;
    let awsHeaders: Record<string, string> = {};
    let timedOut = false;
    let settled = false;
    let socket: Socket | undefined;

    const onLookup = (): void => {
      lookupNs = now();
      phase = 'connect';
    };
    const onConnect = (): void => {
      connectNs = now();
      phase = plan.https ? 'tls' : 'send';
    };
    const onSecureConnect = (): void => {
      secureNs = now();
      phase = 'send';
    };

    let request: ClientRequest;
    const finish = (error?: unknown): void => {
      if (settled) return;
      settled = true;
      const endNs = now();
      clearTimeout(timer);
      series.inFlight.delete(request);
      socket?.off('lookup', onLookup).off('connect', onConnect).off('secureConnect', onSecureConnect);
      const failed = error === undefined ? undefined : failure(plan, phase, error, timedOut);
      if (failed !== undefined) request.destroy();
      const reused = socketReused;
      // Set-up phases start where the previous one ended; a phase that did not happen (no lookup for an IP
      // literal, no TLS over http:) takes no time and the next one starts at the same point.
      const connectFrom = lookupNs ?? startNs;
      const readyNs = reused ? startNs : (secureNs ?? (plan.https ? undefined : connectNs));
      const timings: HttpTimings = {
        dnsMs: reused ? 0 : span(startNs, lookupNs),
        connectMs: reused ? 0 : span(connectFrom, connectNs),
        tlsMs: reused || !plan.https ? 0 : span(connectNs, secureNs),
        sendMs: span(readyNs, sentNs),
        waitingMs: span(sentNs, responseNs),
        downloadMs: failed === undefined ? span(responseNs, endNs) : 0,
        totalMs: span(startNs, endNs),
      };
      resolve({
        index,
        reuseConnections: series.reuseConnections,
        startedAt,
        offsetMs: span(series.startNs, startNs),
        ok: failed === undefined,
        statusCode,
        bytes,
        socketReused: reused,
        connectionId,
        timings,
        requestId: awsHeaders['x-amzn-requestid'],
        awsHeaders,
        error: failed,
      });
    };

    const timer = setTimeout(() => {
      timedOut = true;
      request.destroy(new Error(`no complete response within ${plan.timeoutMs} ms`));
    }, plan.timeoutMs);

    try {
      request = (plan.https ? httpsRequest : httpRequest)(plan.url, {
        method: plan.method,
        headers: plan.headers,
        agent: series.agent,
        ...(plan.https ? { rejectUnauthorized: plan.rejectUnauthorized, ...(plan.ca === undefined ? {} : { ca: plan.ca }) } : {}),
      });
    } catch (err) {
      // Options are validated first, so this is unexpected; it is still one failed request, not a crash.
      request = { destroy: () => undefined } as unknown as ClientRequest;
      finish(err);
      return;
    }
    series.inFlight.add(request);

    request.once('socket', (s: Socket) => {
      socket = s;
      socketReused = request.reusedSocket;
      let id = series.connectionIds.get(s);
      if (id === undefined) {
        id = ++series.connectionsOpened;
        series.connectionIds.set(s, id);
      }
      connectionId = id;
      if (socketReused) {
        // A keep-alive socket from an earlier request: no lookup, connect or handshake for this one.
        phase = 'send';
        return;
      }
      if (!s.connecting) {
        // Not expected (the agent hands a new socket over before it connects); its set-up time is then unknown.
        onConnect();
        if (plan.https) onSecureConnect();
        return;
      }
      s.once('lookup', onLookup).once('connect', onConnect);
      if (plan.https) s.once('secureConnect', onSecureConnect);
    });
    request.once('finish', () => {
      sentNs = now();
      phase = 'waiting';
    });
    request.once('response', (response: IncomingMessage) => {
      responseNs = now();
      // A server may answer before the request body is fully sent.
      sentNs ??= responseNs;
      phase = 'download';
      statusCode = response.statusCode;
      awsHeaders = awsHeadersOf(response);
      response.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      response.once('end', () => finish());
      // \`on\`, not \`once\`: an error after the first must not be unhandled.
      response.on('error', finish);
      response.once('close', () => {
        if (!response.complete) finish(Object.assign(new Error('connection closed before the response ended'), { code: 'ECONNRESET' }));
      });
    });
    request.on('error', finish);
    // A safety net: every way a request ends before its response emits 'error' first, as far as Node documents.
    request.once('close', () => {
      if (responseNs === undefined) finish(Object.assign(new Error('request closed before a response'), { code: 'ECONNRESET' }));
    });
    request.end(plan.body);
  });
}
