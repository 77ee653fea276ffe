/**
 * `lambda-meter/local`: an offline Lambda, CloudWatch Logs and CloudWatch metrics that the unmodified AWS SDK v3
 * clients talk to. Functions run in real Node.js processes through the Lambda Runtime API.
 *
 * The public surface is `startLocalLambda` with its option and result types, the fault plan, and the declared-work
 * API of the `'declared'` duration model. The services and stores behind it (`LambdaService`, `LogStore`,
 * `MetricStore`, `FaultInjector`, …) are internals: they are not exported and may change in any release.
 *
 * @module
 */
export { startLocalLambda } from './local.js';
export type { LocalLambda, LocalLambdaOptions, LocalClientConfig } from './local.js';
export type {
  LocalFunctionDefinition,
  LocalLogFormat,
  LocalArchitecture,
  LocalRuntimeClient,
  LocalCredentials,
  LambdaServiceOptions,
  EnvironmentInfo,
} from './lambda/types.js';
export type { CpuMechanism, CpuMode } from './lambda/cpu.js';
export type { ColdPageCache } from './lambda/page-cache.js';
export { validateFaultPlan } from './faults.js';
export type { FaultPlan, FaultRule, FaultEffect, LogIngestionFaults, InjectedFault, LocalServiceName } from './faults.js';
export type { LambdaFault, LambdaFaultHook, LocalFault, LocalFaultHook } from './http.js';
export { modelledDurationMs, WORK_API_KEY } from './lambda/duration-model.js';
export type { DeclaredWork, DurationModel, LambdaMeterWork } from './lambda/duration-model.js';
