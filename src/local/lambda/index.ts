/**
 * The Lambda half of `lambda-meter/local`: the restJson1 Lambda service that runs handlers in real child processes
 * through the Lambda Runtime API, and a server to start it alone.
 *
 * @module
 */
export { LambdaService, LOCAL_CREDENTIALS, MAX_SYNC_PAYLOAD_BYTES, MAX_ASYNC_PAYLOAD_BYTES } from './service.js';
export { startLocalLambdaCore } from './server.js';
export type { LocalLambdaCore } from './server.js';
export type {
  LocalFunctionDefinition,
  LocalLogFormat,
  LocalArchitecture,
  LocalRuntimeClient,
  LocalCredentials,
  LambdaServiceOptions,
  EnvironmentInfo,
  LocalLambdaCoreOptions,
} from './types.js';
export type { CpuControlInfo, CpuMechanism, CpuMode } from './cpu.js';
export type { ColdPageCache } from './page-cache.js';
export { modelledDurationMs, WORK_API_KEY } from './duration-model.js';
export type { DeclaredWork, DurationModel, LambdaMeterWork } from './duration-model.js';
