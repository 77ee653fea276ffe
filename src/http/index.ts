/**
 * lambda-meter/http: phase-by-phase timings (DNS, connect, TLS, waiting, download) of an HTTP(S) endpoint such as a
 * Lambda Function URL or an API Gateway stage, with and without connection reuse. Failed requests are reported as
 * `HttpRequestError`s (exported by the root, with the other errors).
 *
 * @module
 */
export { measureHttp } from './measure.js';
export type {
  HttpMeasureInput,
  HttpPhaseStats,
  HttpMeasureOptions,
  HttpResult,
  HttpSample,
  HttpSeries,
  HttpTimingName,
  HttpTimings,
} from './types.js';
