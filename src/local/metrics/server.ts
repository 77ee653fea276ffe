import { startLocalServer } from '../http.js';
import type { LocalServer, LocalServerOptions } from '../http.js';
import { MetricsService } from './service.js';
import type { MetricsServiceOptions } from './service.js';
import { MetricStore } from './store.js';

/** Options of {@link startMetricsServer}. */
export interface MetricsServerOptions extends MetricsServiceOptions, LocalServerOptions {
  /**
   * The data to serve.
   * @default a new, empty MetricStore
   */
  readonly store?: MetricStore;
}

/** A running CloudWatch metrics server. */
export interface RunningMetricsServer extends LocalServer {
  readonly store: MetricStore;
  readonly service: MetricsService;
}

/**
 * Starts CloudWatch metrics alone on its own `node:http` server (127.0.0.1, a free port by default).
 *
 * @example
 * ```ts
 * const server = await startMetricsServer();
 * const cloudwatch = new CloudWatchClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
 * // …
 * await server.close();
 * ```
 */
export async function startMetricsServer(options: MetricsServerOptions = {}): Promise<RunningMetricsServer> {
  const store = options.store ?? new MetricStore();
  const service = new MetricsService(store, options);
  const server = await startLocalServer([service], options);
  return { endpoint: server.endpoint, port: server.port, close: () => server.close(), store, service };
}
