/**
 * Small shared pieces of `local`'s HTTP services: a socket-free request/response shape, the error that every
 * service turns into its own AWS wire shape, and one `node:http` server that dispatches to any number of services, so
 * Lambda, CloudWatch Logs and CloudWatch metrics can share one endpoint.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidInputError } from '../errors.js';

/** An HTTP request as a service sees it, without a socket (so services can be tested directly). */
export interface LocalRequest {
  readonly method: string;
  /** Path and query string, e.g. `/` or `/2015-03-31/functions/f/invocations?Qualifier=1`. */
  readonly url: string;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Buffer;
}

/** What a service answers. */
export interface LocalResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Buffer;
}

/** A service that one shared server can mount: it claims the requests it understands and answers them. */
export interface LocalService {
  /** True when this service should answer `request` (e.g. by its `x-amz-target` prefix or its REST path). */
  matches(request: LocalRequest): boolean;
  /** Answers a request this service matched. Never rejects: failures become AWS-shaped error responses. */
  handle(request: LocalRequest): Promise<LocalResponse>;
}

/**
 * What a fault hook may ask a service to do with one call, before the call runs: answer with the service's throttling
 * error, answer with its internal server error, or answer late.
 */
export type LocalFault = 'throttle' | 'serverError' | { readonly delayMs: number };

/** Decides, per call, whether to inject a fault; `operation` is the API name, e.g. `GetQueryResults`. */
export type LocalFaultHook = (operation: string) => LocalFault | undefined;

/** The faults the Lambda service can inject: those of every service, and a 409 `ResourceConflictException`. */
export type LambdaFault = LocalFault | 'conflict';

/**
 * Decides, per Lambda API call, whether to inject a fault; `operation` is the API name (e.g. `Invoke`,
 * `UpdateFunctionConfiguration`) and `functionName` the function named in the path, when there is one.
 */
export type LambdaFaultHook = (operation: string, functionName: string | undefined) => LambdaFault | undefined;

/**
 * An error a service answers with: its AWS error code, HTTP status, message and extra body fields. Each service
 * renders it in its own wire format.
 */
export class AwsServiceError extends Error {
  override name = 'AwsServiceError';
  /** The error code the SDK turns into an exception name, e.g. `ResourceNotFoundException`. */
  readonly code: string;
  readonly status: number;
  /** Extra fields of the error body, e.g. `queryCompileError`. */
  readonly fields: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, status = 400, fields: Readonly<Record<string, unknown>> = {}) {
    super(message);
    this.code = code;
    this.status = status;
    this.fields = fields;
  }
}

/** A fresh request id, as the `x-amzn-requestid` header carries it (the SDK shows it as `$metadata.requestId`). */
export function newRequestId(): string {
  return randomUUID();
}

/** The value of header `name` (lower case), or undefined. */
export function header(request: LocalRequest, name: string): string | undefined {
  return request.headers[name];
}

/** Parses a JSON request body as an object; `{}` for an empty body. Throws AwsServiceError `SerializationException`. */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
  const text = body.toString('utf8');
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AwsServiceError('SerializationException', 'The request body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AwsServiceError('SerializationException', 'The request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/** Builds the error a service answers for a bad request field. */
export type FieldErrorFactory = (field: string, problem: string, missing: boolean) => AwsServiceError;

/** Reads typed fields of a JSON request body, answering bad ones with the service's own error. */
export class BodyReader {
  constructor(
    private readonly body: Readonly<Record<string, unknown>>,
    private readonly fail: FieldErrorFactory,
  ) {}

  /** True when the field is present and not null. */
  has(name: string): boolean {
    return this.body[name] !== undefined && this.body[name] !== null;
  }

  /** The raw value, or undefined when absent or null. */
  raw(name: string): unknown {
    return this.has(name) ? this.body[name] : undefined;
  }

  /** A string field. */
  string(name: string, required: true): string;
  string(name: string, required?: false): string | undefined;
  string(name: string, required = false): string | undefined {
    const value = this.raw(name);
    if (value === undefined) {
      if (required) throw this.fail(name, 'is required', true);
      return undefined;
    }
    if (typeof value !== 'string') throw this.fail(name, 'must be a string', false);
    return value;
  }

  /** A number field within [min, max]; `integer` rejects fractions. */
  number(name: string, options: { readonly required?: boolean; readonly min?: number; readonly max?: number; readonly integer?: boolean } = {}): number | undefined {
    const value = this.raw(name);
    if (value === undefined) {
      if (options.required === true) throw this.fail(name, 'is required', true);
      return undefined;
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || (options.integer === true && !Number.isInteger(value))) {
      throw this.fail(name, `must be ${options.integer === true ? 'an integer' : 'a number'}`, false);
    }
    if ((options.min !== undefined && value < options.min) || (options.max !== undefined && value > options.max)) {
      throw this.fail(name, `must be from ${options.min ?? '-∞'} to ${options.max ?? '∞'}, got ${value}`, false);
    }
    return value;
  }

  /** A boolean field. */
  boolean(name: string): boolean | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') throw this.fail(name, 'must be a boolean', false);
    return value;
  }

  /** A list of strings with a length in [min, max]. */
  stringList(name: string, min: number, max: number): string[] | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw this.fail(name, 'must be a list of strings', false);
    if (value.length < min || value.length > max) throw this.fail(name, `must hold ${min} to ${max} items, got ${value.length}`, false);
    return value as string[];
  }

  /** A list of objects, each read with its own reader. */
  objectList(name: string, required: boolean): BodyReader[] | undefined {
    const value = this.raw(name);
    if (value === undefined) {
      if (required) throw this.fail(name, 'is required', true);
      return undefined;
    }
    if (!Array.isArray(value)) throw this.fail(name, 'must be a list', false);
    return value.map((v, i) => this.child(v, `${name}.member.${i + 1}`));
  }

  /** An object field, read with its own reader. */
  object(name: string, required: boolean): BodyReader | undefined {
    const value = this.raw(name);
    if (value === undefined) {
      if (required) throw this.fail(name, 'is required', true);
      return undefined;
    }
    return this.child(value, name);
  }

  private child(value: unknown, path: string): BodyReader {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw this.fail(path, 'must be an object', false);
    return new BodyReader(value as Record<string, unknown>, (field, problem, missing) => this.fail(`${path}.${field}`, problem, missing));
  }
}

/** An opaque pagination token holding a JSON value. */
export function encodeToken(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** The value of a token made by {@link encodeToken}, or undefined when it is not one. */
export function decodeToken(token: string): unknown {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** Waits `ms` milliseconds. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/** Reads a whole request body. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Turns a `node:http` request and its body into a {@link LocalRequest}. */
export function toLocalRequest(req: IncomingMessage, body: Buffer): LocalRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { method: req.method ?? 'GET', url: req.url ?? '/', headers, body };
}

/** Writes a {@link LocalResponse} to a `node:http` response. */
export function writeResponse(res: ServerResponse, response: LocalResponse): void {
  const body = typeof response.body === 'string' ? Buffer.from(response.body, 'utf8') : response.body;
  res.writeHead(response.status, { ...response.headers, 'content-length': String(body.length) });
  res.end(body);
}

/** Answers a request no mounted service claims. */
export function notFoundResponse(request: LocalRequest): LocalResponse {
  const message = `lambda-meter local has no service for ${request.method} ${request.url}`;
  return {
    status: 404,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'UnknownOperationException', 'x-amzn-requestid': newRequestId() },
    body: JSON.stringify({ __type: 'UnknownOperationException', message }),
  };
}

/** Dispatches a request to the first service that matches it. */
export async function dispatch(services: readonly LocalService[], request: LocalRequest): Promise<LocalResponse> {
  const service = services.find((s) => s.matches(request));
  return service === undefined ? notFoundResponse(request) : service.handle(request);
}

/** Options of {@link startLocalServer}. */
export interface LocalServerOptions {
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
}

/** A running local server. */
export interface LocalServer {
  /** `http://127.0.0.1:<port>`, ready for an SDK client's `endpoint`. */
  readonly endpoint: string;
  readonly port: number;
  /** Stops listening, ends open connections and resolves when the server has closed. */
  close(): Promise<void>;
}

/**
 * Starts one `node:http` server that hands each request to the first of `services` that matches it.
 *
 * @example
 * ```ts
 * const server = await startLocalServer([logsService, metricsService]);
 * const logs = new CloudWatchLogsClient({ endpoint: server.endpoint, region: 'us-east-1', credentials });
 * await server.close();
 * ```
 */
export async function startLocalServer(services: readonly LocalService[], options: LocalServerOptions = {}): Promise<LocalServer> {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidInputError('options.port', `must be an integer from 0 to 65535, got ${String(port)}`);
  }
  const host = options.host ?? '127.0.0.1';
  const server: Server = createServer((req, res) => {
    readBody(req)
      .then((body) => dispatch(services, toLocalRequest(req, body)))
      .then((response) => writeResponse(res, response))
      .catch((err: unknown) => {
        // Services answer their own errors; this is only reached for a broken connection or a bug.
        if (!res.headersSent) {
          writeResponse(res, {
            status: 500,
            headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'InternalFailure' },
            body: JSON.stringify({ __type: 'InternalFailure', message: String(err) }),
          });
        } else res.destroy();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://${hostPart}:${address.port}`,
    port: address.port,
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections of SDK clients would otherwise hold the server open.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
