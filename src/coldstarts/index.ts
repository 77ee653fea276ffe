/**
 * `lambda-meter/coldstarts`: force cold starts and measure them beside warm invocations; probe idle eviction.
 *
 * @module
 */
export { measureColdStarts, COLD_START_VARIABLE } from './measure.js';
export type {
  ColdStartMethod,
  ColdStartClients,
  IdleProbeInput,
  MeasureColdStartsOptions,
  WarmInput,
  MeasureColdStartsInput,
  StartKind,
  ColdStartSample,
  StartStatistics,
  IdleGapResult,
  ColdStartCleanup,
  ColdStartResult,
} from './types.js';
