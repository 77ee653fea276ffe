import { startLocalServer } from '../http.js';
import type { LocalServer, LocalServerOptions } from '../http.js';
import { LogsService } from './service.js';
import type { LogsServiceOptions } from './service.js';
import { LogStore } from './store.js';

/** Options of {@link startLogsServer}. */
export interface LogsServerOptions extends LogsServiceOptions, LocalServerOptions {
  /**
   * The data to serve.
   * @default a new, empty LogStore
   */
  readonly store?: LogStore;
}

/** A running CloudWatch Logs server. */
export interface RunningLogsServer extends LocalServer {
  readonly store: LogStore;
  readonly service: LogsService;
}

/**
 * Starts CloudWatch Logs alone on its own `node:http` server (127.0.0.1, a free port by default).
 *
 * @example
 * ```ts
 * const server = await startLogsServer({ engine: { compileQuery, runQuery } });
 * const logs = new CloudWatchLogsClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
 * // …
 * await server.close();
 * ```
 */
export async function startLogsServer(options: LogsServerOptions = {}): Promise<RunningLogsServer> {
  const store = options.store ?? new LogStore();
  const service = new LogsService(store, options);
  const server = await startLocalServer([service], options);
  return { endpoint: server.endpoint, port: server.port, close: () => server.close(), store, service };
}
