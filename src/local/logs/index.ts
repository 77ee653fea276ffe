/**
 * The CloudWatch Logs half of `lambda-meter/local`: the log store and the awsJson1_1 service over it.
 *
 * @module
 */
export { LogStore, lambdaLogGroupName, lambdaLogStreamName, LOCAL_ACCOUNT_ID, LOCAL_REGION } from './store.js';
export type {
  LogEventInput,
  StoredLogEvent,
  LocatedLogEvent,
  LogGroupInfo,
  LogStreamInfo,
  PutLogEventsResult,
  IngestionDelay,
  LogStoreOptions,
  VisibleEventsFilter,
} from './store.js';
export { LogsService, LOGS_TARGET_PREFIX } from './service.js';
export type {
  LogsServiceOptions,
  InsightsEngine,
  InsightsEngineEvent,
  InsightsEngineResult,
  InsightsResultField,
} from './service.js';
export { compileFilterPattern } from './filter.js';
export { startLogsServer } from './server.js';
export type { LogsServerOptions, RunningLogsServer } from './server.js';
