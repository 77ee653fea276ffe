/**
 * The Lambda Runtime API of one execution environment, served on its own `node:http` port on 127.0.0.1 (the
 * environment's `AWS_LAMBDA_RUNTIME_API`), in the shapes of AWS's "Using the Lambda runtime API for custom runtimes":
 *
 * - `GET /2018-06-01/runtime/invocation/next`: long-polls until `deliver()` hands over an event; the response is the
 *   payload with `Lambda-Runtime-Aws-Request-Id`, `-Deadline-Ms`, `-Invoked-Function-Arn`, `-Trace-Id` and, when
 *   present, `-Client-Context` and `-Cognito-Identity`.
 * - `POST …/invocation/{id}/response`, `POST …/invocation/{id}/error` (error type in
 *   `Lambda-Runtime-Function-Error-Type`), `POST /2018-06-01/runtime/init/error`: 202 `{"status":"OK"}`.
 * - Errors: 400 `InvalidRequestID` for an unknown request id, 403 `InvalidStateTransition` for a call the
 *   environment's state does not allow, 413 `RequestEntityTooLarge` for a response over 6 MB, 404 otherwise.
 *
 * @module
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../http.js';
import { parseWorkHeader, WORK_HEADER } from './duration-model.js';
import type { DeclaredWork } from './duration-model.js';

const PREFIX = '/2018-06-01/runtime';
/** Sync response payload limit: 6 MB (Invoke API reference). */
export const MAX_RESPONSE_BYTES = 6 * 1024 * 1024;
/** The header our bootstrap reports its peak RSS in (kilobytes), for platforms without /proc. */
export const MAX_RSS_HEADER = 'x-lambda-meter-max-rss-kb';

/** An event handed to the runtime. */
export interface RuntimeInvocation {
  readonly requestId: string;
  readonly payload: Buffer;
  /** Epoch milliseconds. */
  readonly deadlineMs: number;
  readonly invokedFunctionArn: string;
  readonly traceId: string;
  /** JSON text, as the runtime receives it. */
  readonly clientContext?: string;
  /** JSON text. */
  readonly cognitoIdentity?: string;
}

/** Something the runtime did. */
export type RuntimeSignal =
  | { readonly type: 'next'; readonly work?: DeclaredWork }
  | { readonly type: 'response'; readonly requestId: string; readonly body: Buffer; readonly maxRssKb: number | undefined; readonly work?: DeclaredWork }
  | {
      readonly type: 'error';
      readonly requestId: string;
      readonly body: Buffer;
      readonly errorType: string;
      readonly maxRssKb: number | undefined;
      readonly work?: DeclaredWork;
    }
  | { readonly type: 'responseTooLarge'; readonly requestId: string; readonly size: number }
  | { readonly type: 'initError'; readonly body: Buffer; readonly errorType: string; readonly work?: DeclaredWork };

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}

function fail(res: ServerResponse, status: number, errorType: string, errorMessage: string): void {
  reply(res, status, { errorMessage, errorType });
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The work the runtime declared in this phase (lambda-meter's runtime client, `'declared'` duration model only). */
function declaredWork(req: IncomingMessage): { work?: DeclaredWork } {
  const work = parseWorkHeader(headerValue(req, WORK_HEADER));
  return work === undefined ? {} : { work };
}

function maxRss(req: IncomingMessage): number | undefined {
  const value = Number(headerValue(req, MAX_RSS_HEADER));
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * One environment's Runtime API. `listener` hears every `next`, response, error and init error; `deliver` answers
 * the pending `/next`.
 *
 * @example
 * ```ts
 * const api = await RuntimeApiServer.start((signal) => console.log(signal.type));
 * spawn(process.execPath, [bootstrap], { env: { AWS_LAMBDA_RUNTIME_API: api.address, … } });
 * ```
 */
export class RuntimeApiServer {
  /** `127.0.0.1:<port>`, the value of `AWS_LAMBDA_RUNTIME_API`. */
  readonly address: string;
  private held: ServerResponse | undefined;
  private current: string | undefined;
  private initialized = false;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly server: Server,
    private readonly listener: (signal: RuntimeSignal) => void,
  ) {
    this.address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Starts a Runtime API on a free port of 127.0.0.1. */
  static async start(listener: (signal: RuntimeSignal) => void): Promise<RuntimeApiServer> {
    const holder: { api?: RuntimeApiServer } = {};
    const server = createServer((req, res) => {
      (holder.api as RuntimeApiServer).handle(req, res).catch(() => res.destroy());
    });
    // A /next may wait for an event as long as the environment lives.
    server.requestTimeout = 0;
    server.headersTimeout = 0;
    server.keepAliveTimeout = 0;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    holder.api = new RuntimeApiServer(server, listener);
    return holder.api;
  }

  /** True when the runtime is waiting on `/next`. */
  get waiting(): boolean {
    return this.held !== undefined;
  }

  /** Starts over for a new runtime process (after a crash or a failed init). */
  reset(): void {
    this.held?.destroy();
    this.held = undefined;
    this.current = undefined;
    this.initialized = false;
  }

  /** Answers the pending `/next` with an event; false when the runtime is not waiting. */
  deliver(invocation: RuntimeInvocation): boolean {
    const res = this.held;
    if (res === undefined) return false;
    this.held = undefined;
    this.current = invocation.requestId;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'content-length': String(invocation.payload.length),
      'lambda-runtime-aws-request-id': invocation.requestId,
      'lambda-runtime-deadline-ms': String(invocation.deadlineMs),
      'lambda-runtime-invoked-function-arn': invocation.invokedFunctionArn,
      'lambda-runtime-trace-id': invocation.traceId,
    };
    if (invocation.clientContext !== undefined) headers['lambda-runtime-client-context'] = invocation.clientContext;
    if (invocation.cognitoIdentity !== undefined) headers['lambda-runtime-cognito-identity'] = invocation.cognitoIdentity;
    res.writeHead(200, headers);
    res.end(invocation.payload);
    return true;
  }

  /** Stops listening and drops every connection (a held `/next` included). */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.held = undefined;
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    return this.closing;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = req.url ?? '/';
    const path = url.split('?')[0] as string;
    if (!path.startsWith(`${PREFIX}/`)) {
      fail(res, 404, 'UnknownPath', `Unknown Runtime API path ${req.method ?? ''} ${url}`);
      return;
    }
    const route = path.slice(PREFIX.length);
    if (req.method === 'GET' && route === '/invocation/next') {
      this.next(req, res);
      return;
    }
    if (req.method === 'POST' && route === '/init/error') {
      if (this.initialized) {
        fail(res, 403, 'InvalidStateTransition', 'The runtime already finished its Init phase');
        return;
      }
      reply(res, 202, { status: 'OK' });
      this.listener({ type: 'initError', body, errorType: headerValue(req, 'lambda-runtime-function-error-type') ?? 'Runtime.Unknown', ...declaredWork(req) });
      return;
    }
    const match = /^\/invocation\/([^/]+)\/(response|error)$/.exec(route);
    if (req.method !== 'POST' || match === null) {
      fail(res, 404, 'UnknownPath', `Unknown Runtime API path ${req.method ?? ''} ${url}`);
      return;
    }
    let requestId: string;
    try {
      requestId = decodeURIComponent(match[1] as string);
    } catch {
      requestId = match[1] as string;
    }
    if (requestId !== this.current) {
      fail(res, 400, 'InvalidRequestID', `Invalid request ID: ${requestId}`);
      return;
    }
    this.current = undefined;
    if (match[2] === 'response') {
      if (body.length > MAX_RESPONSE_BYTES) {
        fail(res, 413, 'RequestEntityTooLarge', `Exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`);
        this.listener({ type: 'responseTooLarge', requestId, size: body.length });
        return;
      }
      reply(res, 202, { status: 'OK' });
      this.listener({ type: 'response', requestId, body, maxRssKb: maxRss(req), ...declaredWork(req) });
      return;
    }
    reply(res, 202, { status: 'OK' });
    this.listener({
      type: 'error',
      requestId,
      body,
      errorType: headerValue(req, 'lambda-runtime-function-error-type') ?? 'Unhandled',
      maxRssKb: maxRss(req),
      ...declaredWork(req),
    });
  }

  private next(req: IncomingMessage, res: ServerResponse): void {
    if (this.held !== undefined || this.current !== undefined) {
      fail(res, 403, 'InvalidStateTransition', 'The runtime asked for the next event while one is pending');
      return;
    }
    this.initialized = true;
    this.held = res;
    // A runtime that gives up its long poll is no longer waiting.
    res.on('close', () => {
      if (this.held === res) this.held = undefined;
    });
    this.listener({ type: 'next', ...declaredWork(req) });
  }
}
