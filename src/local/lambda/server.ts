/**
 * `startLocalLambdaCore`: `local`'s Lambda service alone on its own `node:http` server, for tests and for mounting
 * next to the CloudWatch services later.
 *
 * @module
 */
import { startLocalServer } from '../http.js';
import type { LocalServer, LocalServerOptions, LocalService } from '../http.js';
import type { LogStore } from '../logs/store.js';
import type { MetricStore } from '../metrics/store.js';
import { LambdaService } from './service.js';
import type { LocalCredentials, LocalLambdaCoreOptions } from './types.js';

/** A running Lambda service. */
export interface LocalLambdaCore {
  /** `http://127.0.0.1:<port>`, for an SDK client's `endpoint`. */
  readonly endpoint: string;
  readonly port: number;
  readonly region: string;
  /** Credentials to give SDK clients (`local` does not check signatures). */
  readonly credentials: LocalCredentials;
  readonly service: LambdaService;
  /** The function logs. */
  readonly logs: LogStore;
  /** The `AWS/Lambda` metrics. */
  readonly metrics: MetricStore;
  /**
   * `{ endpoint, region, credentials }`, ready to spread into an SDK client's configuration.
   *
   * @example
   * ```ts
   * const lambda = new LambdaClient(core.clientConfig());
   * ```
   */
  clientConfig(): { endpoint: string; region: string; credentials: LocalCredentials };
  /** Ends every environment process, then the server. */
  stop(): Promise<void>;
}

/**
 * Starts `local`'s Lambda service on 127.0.0.1 (a free port unless `port` is given).
 *
 * @example
 * ```ts
 * const core = await startLocalLambdaCore({ functions: [{ name: 'hello', handler: './hello.mjs#handler' }] });
 * const lambda = new LambdaClient(core.clientConfig());
 * const result = await invokeWithTail(lambda, { functionName: 'hello' });
 * await core.stop();
 * ```
 */
export async function startLocalLambdaCore(options: LocalLambdaCoreOptions = {}): Promise<LocalLambdaCore> {
  const service = new LambdaService(options);
  const served = await serveLambda(service, [service], options);
  return {
    endpoint: served.endpoint,
    port: served.port,
    region: service.region,
    credentials: service.credentials,
    service,
    logs: service.logs,
    metrics: service.metrics,
    clientConfig: served.clientConfig,
    stop: served.stop,
  };
}

/** A Lambda service on a running server, with the services served beside it. */
export interface ServedLambda {
  readonly endpoint: string;
  readonly port: number;
  /** `{ endpoint, region, credentials }`, ready to spread into an SDK client's configuration. */
  clientConfig(): { endpoint: string; region: string; credentials: LocalCredentials };
  /** Ends every environment process, then the server (even when ending the environments failed); once. */
  stop(): Promise<void>;
}

/**
 * Serves `services` (among them `lambda`) on one server. When the server cannot start, `lambda` is stopped before
 * the error is thrown, so that no environment process outlives a failed start.
 *
 * @example
 * ```ts
 * const lambda = new LambdaService({ functions });
 * const served = await serveLambda(lambda, [lambda, logsService], { port: 0 });
 * await served.stop();
 * ```
 */
export async function serveLambda(lambda: LambdaService, services: readonly LocalService[], options: LocalServerOptions): Promise<ServedLambda> {
  let server: LocalServer;
  try {
    server = await startLocalServer(services, options);
  } catch (error) {
    await lambda.stop();
    throw error;
  }
  const endpoint = server.endpoint;
  let stopping: Promise<void> | undefined;
  return {
    endpoint,
    port: server.port,
    clientConfig: () => ({ endpoint, region: lambda.region, credentials: { ...lambda.credentials } }),
    stop: () =>
      (stopping ??= (async () => {
        try {
          await lambda.stop();
        } finally {
          await server.close();
        }
      })()),
  };
}
