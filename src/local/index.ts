/**
 * `lambda-meter/local`: an offline Lambda, CloudWatch Logs and CloudWatch metrics that the unmodified AWS SDK v3
 * clients talk to. Functions run in real Node.js processes through the Lambda Runtime API.
 *
 * @module
 */
export { startLocalLambda } from './local.js';
export type { LocalLambda, LocalLambdaOptions, LocalClientConfig } from './local.js';
export { FaultInjector, validateFaultPlan } from './faults.js';
export type { FaultPlan, FaultRule, FaultEffect, LogIngestionFaults, InjectedFault, LocalServiceName } from './faults.js';
export { LambdaService } from './lambda/service.js';
export type {
  LocalFunctionDefinition,
  LocalLogFormat,
  LocalRuntimeClient,
  LocalCredentials,
  LambdaServiceOptions,
  EnvironmentInfo,
} from './lambda/types.js';
export { LogStore } from './logs/store.js';
export type { LogStoreOptions, StoredLogEvent, LogGroupInfo, LogStreamInfo, LogEventInput, IngestionDelay } from './logs/store.js';
export { MetricStore } from './metrics/store.js';
export type { MetricDatumInput, MetricStatisticsQuery, MetricDatapoint, LocalMetric } from './metrics/store.js';
export type { LambdaFault, LambdaFaultHook, LocalFault, LocalFaultHook } from './http.js';
export { modelledDurationMs, WORK_API_KEY } from './lambda/duration-model.js';
export type { DeclaredWork, DurationModel, LambdaMeterWork } from './lambda/duration-model.js';
