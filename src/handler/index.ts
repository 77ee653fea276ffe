/**
 * `lambda-meter/handler`: time a Lambda handler from the inside (duration, cold start, request id) with near-zero
 * overhead. This entry point imports nothing at run time and does nothing at import time.
 *
 * @module
 */
export { withMeasurement } from './wrap.js';
export { lambdaMeterMiddleware } from './middleware.js';
export type {
  AsyncHandler,
  CallbackHandler,
  EmfOptions,
  EnvelopeModeOptions,
  LambdaCallback,
  LambdaContextLike,
  LambdaMeterMiddleware,
  LineOutput,
  LogModeOptions,
  MeasuredError,
  Measurement,
  MeasurementEnvelope,
  MeasurementMode,
  MeasurementOptions,
  MiddyRequestLike,
} from './types.js';
