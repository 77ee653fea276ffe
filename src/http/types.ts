import type { HttpFailureCode, HttpRequestError } from '../errors.js';
import type { Progress } from '../internal/options.js';
import type { Summary } from '../stats/index.js';

/** Input of {@link measureHttp}. */
export interface HttpMeasureInput {
  /** The endpoint: a Lambda Function URL, an API Gateway stage URL, or any `http:` / `https:` URL. */
  readonly url: string | URL;
  /**
   * The HTTP method.
   * @default 'GET'
   */
  readonly method?: string;
  /**
   * Request headers, sent with every request.
   * @default {}
   */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Request body, sent with every request (with its `Content-Length`).
   * @default undefined (no body)
   */
  readonly body?: string | Uint8Array;
  /** How many requests to make (per series, see `reuseConnections`); a positive integer. */
  readonly count: number;
  /**
   * Most requests in flight at once; a positive integer.
   * @default 1
   */
  readonly concurrency?: number;
  /**
   * `true`: keep-alive connections, at most `concurrency` of them, reused from request to request (how most clients
   * call an endpoint). `false`: a new connection (DNS, TCP, TLS) for every request. `'both'`: a series of `requests`
   * of `count` requests of each kind, the reusing one first.
   * @default true
   */
  readonly reuseConnections?: boolean | 'both';
  /**
   * Verify the server's certificate (HTTPS only).
   * @default true
   */
  readonly rejectUnauthorized?: boolean;
  /**
   * Trusted CA certificate(s) in PEM, replacing Node's default list (HTTPS only): lets a self-signed endpoint be
   * verified.
   * @default undefined (Node's bundled CAs)
   */
  readonly ca?: string | Buffer;
}

/**
 * Options of {@link measureHttp}. It speaks HTTP itself, so it takes no client and no `retry`: a failed request is a
 * sample, not something to retry.
 */
export interface HttpMeasureOptions {
  /**
   * Stops the run: no new request starts, requests in flight are destroyed, and `measureHttp` rejects with
   * `LambdaMeterAbortError`.
   * @default undefined
   */
  readonly signal?: AbortSignal | undefined;
  /**
   * Called after each request completes, successfully or not, with operation `'measureHttp'` and phase
   * `'requesting'` (`completed`/`total` count the requests of all series; `failed` those that failed), then once with
   * phase `'done'`. An exception thrown by it stops the run and is thrown.
   * @default undefined
   */
  readonly onProgress?: ((progress: Progress) => void) | undefined;
  /**
   * Time limit of each request, from its start to the last byte of the response; a request that exceeds it fails
   * with code `timeout`.
   * @default 30000
   */
  readonly timeoutMs?: number | undefined;
}

/**
 * How long each phase of one request took, in milliseconds, from a monotonic clock. The phases follow each other:
 * `dnsMs + connectMs + tlsMs + sendMs + waitingMs + downloadMs` ≈ `totalMs`. Phases a request did not go through
 * (DNS for an IP literal, TLS over `http:`, the whole connection set-up on a reused socket) and phases after a
 * failure are 0.
 */
export interface HttpTimings {
  /** DNS lookup (the socket's `lookup` event); 0 for an IP literal or a reused connection. */
  readonly dnsMs: number;
  /** TCP connect, after the lookup; 0 on a reused connection. */
  readonly connectMs: number;
  /** TLS handshake, from TCP connect to `secureConnect`; 0 over `http:` and on a reused connection. */
  readonly tlsMs: number;
  /** From the connection being ready to the request (headers and body) being handed to the OS. */
  readonly sendMs: number;
  /** Time to first byte: from the request being sent to the response headers. */
  readonly waitingMs: number;
  /** From the response headers to the last byte of the body. */
  readonly downloadMs: number;
  /** From the start of the request to its end (the last byte, or the failure). */
  readonly totalMs: number;
}

/** The names of the {@link HttpTimings} phases. */
export type HttpTimingName = keyof HttpTimings;

/** One measured request. */
export interface HttpSample {
  /** 0-based position of the request in its series. */
  readonly index: number;
  /** Whether the series reused connections. */
  readonly reuseConnections: boolean;
  /** When the request started, in epoch milliseconds. */
  readonly startedAt: number;
  /** When the request started, in milliseconds after the start of its series (monotonic clock). */
  readonly offsetMs: number;
  /** True when a complete response was received (whatever its status code). */
  readonly ok: boolean;
  /** The response's HTTP status code; undefined when no response arrived. */
  readonly statusCode: number | undefined;
  /** Bytes of response body received. */
  readonly bytes: number;
  /** True when the request went over a connection that an earlier request had opened. */
  readonly socketReused: boolean;
  /** Which connection carried the request: 1 for the first one opened in the series, 2 for the next, … */
  readonly connectionId: number;
  /** The phases of the request. */
  readonly timings: HttpTimings;
  /** The AWS request id, the `x-amzn-RequestId` response header, when present. */
  readonly requestId: string | undefined;
  /**
   * The Lambda and API Gateway response headers present, by lower-case name: `x-amzn-requestid`, `x-amz-apigw-id`,
   * `x-amzn-trace-id`, `x-amzn-errortype` and every `x-amzn-remapped-*` header.
   */
  readonly awsHeaders: Readonly<Record<string, string>>;
  /** Why the request failed; undefined when `ok`. */
  readonly error: HttpRequestError | undefined;
}

/** Statistics of each phase over the successful requests of a series; `undefined` when none succeeded. */
export type HttpPhaseStats = { readonly [K in HttpTimingName]: Summary } | undefined;

/** The requests of one series (one connection-reuse mode). */
export interface HttpSeries {
  /** Whether this series reused connections. */
  readonly reuseConnections: boolean;
  /** Every request of the series, in request order. */
  readonly samples: readonly HttpSample[];
  /** Requests that received a complete response. */
  readonly succeeded: number;
  /** Requests that failed. */
  readonly failed: number;
  /** Connections opened during the series. */
  readonly connectionsOpened: number;
  /** Wall time of the series, in milliseconds (monotonic clock). */
  readonly durationMs: number;
  /** Summary of each phase (p50, p90, p95, p99, mean and its 95% CI, …) over the successful requests. */
  readonly phases: HttpPhaseStats;
  /** Responses by HTTP status code, e.g. `{ 200: 98, 502: 2 }`. */
  readonly statusCodes: Readonly<Record<number, number>>;
  /** Failed requests by failure code, e.g. `{ timeout: 1 }`. */
  readonly errors: Readonly<Partial<Record<HttpFailureCode, number>>>;
}

/** Result of {@link measureHttp}. */
export interface HttpResult {
  /** The URL requested. */
  readonly url: string;
  /** The HTTP method used. */
  readonly method: string;
  /** Requests per series (`input.count`). */
  readonly count: number;
  /** Most requests in flight at once. */
  readonly concurrency: number;
  /** The series over reused keep-alive connections; undefined when `reuseConnections` was `false`. */
  readonly withReuse: HttpSeries | undefined;
  /** The series with a new connection per request; undefined when `reuseConnections` was `true`. */
  readonly withoutReuse: HttpSeries | undefined;
}
