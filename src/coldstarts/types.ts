/**
 * Public types of the coldstarts module: what `measureColdStarts` is asked to do and what it reports.
 *
 * @module
 */
import type { LambdaClientLike, SdkClientLike } from '../internal/clients.js';
import type { UpdateWaitOptions } from '../internal/control-plane.js';
import type { CallOptions } from '../internal/options.js';
import type { ReportRecord } from '../report/types.js';
import type { Summary } from '../stats/summarize.js';

/**
 * How a cold start is forced.
 *
 * - `update-environment`: set `LAMBDA_METER_COLD=<nonce>` (merged into the function's own variables) with
 *   `UpdateFunctionConfiguration`, wait until `LastUpdateStatus` is `Successful`, invoke `$LATEST`. A configuration
 *   change replaces every execution environment, so the next invocation starts cold.
 * - `publish-version`: the same change, then `PublishVersion` and an invocation of the new version (each version
 *   has its own environments). The versions created are deleted afterwards.
 */
export type ColdStartMethod = 'update-environment' | 'publish-version';

/** The clients `measureColdStarts` uses. */
export interface ColdStartClients<L extends SdkClientLike = SdkClientLike> {
  /** A Lambda client (`LambdaClient` of `@aws-sdk/client-lambda`, or anything with its `send`); checked at compile time. */
  readonly lambda: LambdaClientLike<L>;
}

/** The idle-eviction probe: how often an environment left idle for a while is gone. */
export interface IdleProbeInput {
  /** The idle gaps to try, in milliseconds, each ≥ 0; at least one. */
  readonly gapsMs: readonly number[];
  /** Invocations per gap, each after waiting the gap since the invocation before; a positive integer. */
  readonly count: number;
}

/** The warm comparison: invocations made after the last cold start, on the same configuration. */
export interface WarmInput {
  /** How many warm invocations; an integer ≥ 0 (0: none). */
  readonly count: number;
}

/** Input of {@link measureColdStarts}. */
export interface MeasureColdStartsInput {
  /** The function's name or ARN (unqualified). */
  readonly functionName: string;
  /** How many cold starts to force; an integer from 1 to 1000. */
  readonly count: number;
  /**
   * How each cold start is forced.
   * @default 'update-environment'
   */
  readonly method?: ColdStartMethod;
  /**
   * The event of every invocation, encoded as `invokeWithTail` encodes it.
   * @default undefined (no payload)
   */
  readonly payload?: unknown;
  /**
   * The warm comparison: `count` warm invocations after the last cold start, on the same configuration.
   * @default { count: 10 }
   */
  readonly warm?: WarmInput;
  /**
   * The idle-eviction probe, run after the original configuration is restored.
   * @default undefined (no probe)
   */
  readonly idleProbe?: IdleProbeInput;
}

/**
 * How `measureColdStarts` runs: `signal` stops it (the original environment is still restored and created versions
 * deleted, then the promise rejects with `LambdaMeterAbortError`); `retry` is how throttling, transient errors and
 * `ResourceConflictException` (an update in progress) are retried, for each control-plane call and each invocation;
 * `onProgress` gets operation `'measureColdStarts'` with phases `'preparing'`, `'configuring'`, `'cold'`, `'warm'`,
 * `'idle-probe'` (after each invocation; `completed`/`total` count the run's invocations), `'retrying'`, `'cleanup'`
 * and `'done'`.
 */
export interface MeasureColdStartsOptions extends CallOptions {
  /**
   * How each configuration update is awaited (`LastUpdateStatus`), as in `powerTune`.
   * @default { minDelayMs: 25, maxDelayMs: 1000, maxWaitMs: 300000 }
   */
  readonly updateWait?: UpdateWaitOptions | undefined;
}

/** How an invocation started, according to its REPORT. */
export type StartKind = 'cold' | 'warm' | 'unknown';

/** One measured invocation. */
export interface ColdStartSample {
  /** Position within its phase, from 0. */
  readonly index: number;
  /** The invocation's request id. */
  readonly requestId: string;
  /** The version that ran (`$LATEST` or a number). */
  readonly executedVersion: string | undefined;
  /** `cold` when the REPORT has an Init Duration, `warm` when it has none, `unknown` without a REPORT. */
  readonly kind: StartKind;
  /** Init Duration, ms (cold starts only). */
  readonly initDurationMs: number | undefined;
  /** Duration from the REPORT, ms. */
  readonly durationMs: number | undefined;
  /** Billed Duration from the REPORT, ms. */
  readonly billedDurationMs: number | undefined;
  /**
   * The handler's own time as `withMeasurement` (envelope mode) measured it inside the function, ms; undefined when
   * the response is not an envelope `{ requestId, coldStart, durationMs, result }`.
   */
  readonly innerDurationMs: number | undefined;
  /** The envelope's `coldStart` flag, when the response is an envelope. */
  readonly wrapperColdStart: boolean | undefined;
  /** Wall time of the invocation as the client saw it, ms. */
  readonly clientLatencyMs: number;
  /** `Handled`/`Unhandled` when the function failed. */
  readonly functionError: string | undefined;
  /** The REPORT, when the log tail held one. */
  readonly report: ReportRecord | undefined;
  /** What was missing or odd about this invocation. */
  readonly warnings: readonly string[];
}

/** Summaries of the fields of a set of samples; each undefined when no sample has the field. */
export interface StartStatistics {
  /** How many samples the statistics cover. */
  readonly count: number;
  readonly initDurationMs: Summary | undefined;
  readonly durationMs: Summary | undefined;
  readonly billedDurationMs: Summary | undefined;
  /** Init Duration + Duration of each sample: the time a cold invocation spends in Lambda. */
  readonly initPlusDurationMs: Summary | undefined;
  readonly innerDurationMs: Summary | undefined;
  readonly clientLatencyMs: Summary | undefined;
}

/** The share of cold starts after one idle gap. */
export interface IdleGapResult {
  /** The gap, ms. */
  readonly gapMs: number;
  /** Invocations made after this gap. */
  readonly invocations: number;
  /** Of them, cold starts (a REPORT with Init Duration). */
  readonly coldStarts: number;
  /** Of them, invocations without a REPORT (not counted either way). */
  readonly unknown: number;
  /** coldStarts / (invocations − unknown); undefined when nothing was classified. */
  readonly coldShare: number | undefined;
  /** Every invocation of this gap. */
  readonly samples: readonly ColdStartSample[];
}

/** What was put back after the measurement. */
export interface ColdStartCleanup {
  /** True when the function's original environment variables were set again (or never changed). */
  readonly environmentRestored: boolean;
  /** The versions created and deleted again (`publish-version`). */
  readonly versionsDeleted: readonly string[];
}

/** The result of {@link measureColdStarts}. */
export interface ColdStartResult {
  readonly functionName: string;
  readonly method: ColdStartMethod;
  /** Every forced-cold invocation, in order. */
  readonly samples: readonly ColdStartSample[];
  /** Every warm-comparison invocation, in order. */
  readonly warmSamples: readonly ColdStartSample[];
  /** Statistics of the samples that really were cold starts and did not fail. */
  readonly cold: StartStatistics;
  /** Statistics of the warm samples that really were warm and did not fail. */
  readonly warm: StartStatistics;
  /** Forced samples that were NOT cold (REPORT without Init Duration, or no REPORT); left out of `cold`. */
  readonly notCold: number;
  /** Warm samples that were not warm (a REPORT with Init Duration, or no REPORT); left out of `warm`. */
  readonly notWarm: number;
  /** Samples of either phase that ended in a function error; left out of the statistics. */
  readonly failed: number;
  /** The idle-eviction probe, when asked for. */
  readonly idleProbe: readonly IdleGapResult[] | undefined;
  readonly cleanup: ColdStartCleanup;
  /** Everything odd about the run, in words. */
  readonly warnings: readonly string[];
}
