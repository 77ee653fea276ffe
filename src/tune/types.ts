/**
 * Public types of the tune module: what goes into a power-tuning run and what comes back.
 *
 * @module
 */
import type { LambdaClientLike, SdkClientLike } from '../internal/clients.js';
import type { UpdateWaitOptions } from '../internal/control-plane.js';
import type { CallOptions } from '../internal/options.js';
import type { RetryOptions } from '../internal/retry.js';
import type { Architecture, PriceTable } from '../cost/types.js';
import type { WeightedPayload } from '../invoke/types.js';
import type { Summary } from '../stats/summarize.js';

/** How the recommendation is chosen, as in AWS Lambda Power Tuning. */
export type TuneStrategy = 'cost' | 'speed' | 'balanced';

/** The clients {@link powerTune} uses. */
export interface TuneClients<L extends SdkClientLike = SdkClientLike> {
  /** A Lambda client (`@aws-sdk/client-lambda`'s `LambdaClient`, or anything with its `send`); checked at compile time. */
  readonly lambda: LambdaClientLike<L>;
}

/** Settings of the adaptive sampler (`count: 'adaptive'`); every field has the sampler's own default. */
export interface TuneAdaptiveSettings {
  /** Warm samples each memory size gets before any decision. */
  readonly minSamples?: number;
  /** Most warm samples of one memory size. */
  readonly maxSamples?: number;
  /** Invocations per memory size and round. */
  readonly batchSize?: number;
  /** The tie band: sizes within this fraction of the best are practically tied (also the recommendation's). */
  readonly relativePrecision?: number;
  /** Confidence level of the intervals. */
  readonly confidence?: number;
}

export type { UpdateWaitOptions };

/** What a power-tuning run measures and how it decides. */
export interface PowerTuneInput {
  /** Function name, partial ARN or full ARN (unqualified: the run works on `$LATEST`). */
  readonly functionName: string;
  /** Memory sizes to compare, MB: distinct integers from 128 to 10,240. */
  readonly memorySizes: readonly number[];
  /**
   * The event of every invocation (encoded like `invokeWithTail`'s payload).
   * @default undefined (no payload)
   */
  readonly payload?: unknown;
  /**
   * A weighted mix of events instead of `payload`: each memory size gets the same deterministic, interleaved fill.
   * @default undefined
   */
  readonly payloads?: readonly WeightedPayload[];
  /**
   * What the recommendation optimises.
   * @default 'cost'
   */
  readonly strategy?: TuneStrategy;
  /**
   * Weight of cost in the `balanced` score `w·cost/maxCost + (1−w)·duration/maxDuration`, in [0, 1].
   * @default 0.5
   */
  readonly balancedWeight?: number;
  /**
   * Invocations per memory size: a fixed positive integer, or `'adaptive'` to sample until the leader is clear.
   * @default 'adaptive'
   */
  readonly count?: number | 'adaptive';
  /**
   * Settings of the adaptive sampler. Its `relativePrecision` (0.05 by default) is also the tie tolerance of the
   * recommendation, with adaptive and fixed sampling alike: sizes within 5% of the best are practically tied and
   * the secondary metric decides.
   * @default {} (the sampler's defaults)
   */
  readonly adaptive?: TuneAdaptiveSettings;
  /**
   * Fraction of each size's invocations left out at each end (the fastest and the slowest) before its duration
   * and cost are averaged for the comparison: a trimmed mean, in [0, 0.4], as AWS Lambda Power Tuning's
   * `discardTopBottom` (same default). The statistics in `warm`, `coldStarts` and `cost` keep every invocation.
   * @default 0.2
   */
  readonly discardTopBottom?: number;
  /**
   * Invocations in flight at once for one memory size (ignored with `onlyColdStarts`).
   * @default 1
   */
  readonly concurrency?: number;
  /**
   * Publish a fresh version for every sample so each invocation is a cold start; the objective then uses cold
   * durations (Init Duration + Duration).
   * @default false
   */
  readonly onlyColdStarts?: boolean;
  /**
   * Function `errorType`s that do not fail a memory size (their invocations still count).
   * @default []
   */
  readonly allowedErrorTypes?: readonly string[];
  /**
   * Apply the recommendation when the run succeeds: `'$LATEST'` sets its memory (every other setting restored);
   * `{ alias }` publishes a version with it and points the alias there (created when missing). That version and
   * alias are kept: they are not leftovers.
   * @default false
   */
  readonly autoApply?: false | '$LATEST' | { readonly alias: string };
  /**
   * Invoke once per memory size to check that everything works; nothing is recommended or applied.
   * @default false
   */
  readonly dryRun?: boolean;
  /**
   * Architecture to price; read from the function when not given.
   * @default the function's `Architectures[0]`
   */
  readonly architecture?: Architecture;
  /**
   * Region to price; read from the function's ARN when not given (the table's default Region if it lacks it).
   * @default the function's Region
   */
  readonly region?: string;
}

/**
 * How a power-tuning run goes: `signal` stops it (cleanup still runs to completion, then the run rejects with
 * `LambdaMeterAbortError`); `retry` is how throttled, failed (500) and conflicting (409) calls of the run are
 * retried, invocations included; `onProgress` gets operation `'powerTune'` with phases `'preparing'`,
 * `'configuring'`, `'invoking'` (`completed`/`total` count invocations; `total` grows round by round with adaptive
 * sampling), `'retrying'`, `'cleanup'`, `'applying'` and `'done'`.
 */
export interface PowerTuneOptions extends CallOptions {
  /**
   * The price table.
   * @default DEFAULT_PRICES
   */
  readonly prices?: PriceTable | undefined;
  /**
   * How cleanup calls are retried: cleanup has its own budget and is never cut short by `signal`.
   * @default { maxAttempts: 12, baseDelayMs: 100, maxDelayMs: 5000, budgetMs: 120000 }
   */
  readonly cleanupRetry?: RetryOptions | undefined;
  /**
   * How configuration updates are awaited (`LastUpdateStatus`).
   * @default { minDelayMs: 250, maxDelayMs: 5000, maxWaitMs: 300000 }
   */
  readonly updateWait?: UpdateWaitOptions | undefined;
}

/** Cold starts of one memory size, summarised apart from warm invocations. */
export interface ColdStartSummary {
  /** Cold starts seen. */
  readonly count: number;
  /** Init Duration, ms. */
  readonly initDurationMs: Summary;
  /** Duration of the cold invocations (excluding init), ms. */
  readonly durationMs: Summary;
  /** Init Duration + Duration, ms: what a caller waits for on a cold start. */
  readonly totalMs: Summary;
  /** Mean billed cost of a cold invocation, USD. */
  readonly costPerInvocationUSD: number;
}

/** Billed cost of one memory size's invocations. */
export interface TuneCost {
  /** Mean cost of an invocation of the objective sample (warm, or cold with `onlyColdStarts`), USD. */
  readonly perInvocationUSD: number;
  /** `perInvocationUSD` × 1,000,000. */
  readonly perMillionUSD: number;
  /** Exact total of every invocation of this memory size (cold included), USD, as a decimal string. */
  readonly totalUSDExact: string;
  /** `totalUSDExact` as a number. */
  readonly totalUSD: number;
}

/** What was measured for one memory size. */
export interface TuneConfiguration {
  /** Memory size, MB. */
  readonly memorySizeMB: number;
  /** Invocations made, cold ones included. */
  readonly invocations: number;
  /** Warm invocations (no Init Duration) with a REPORT. */
  readonly warmInvocations: number;
  /** Warm Duration, ms; undefined when no warm invocation had a REPORT. */
  readonly warm: Summary | undefined;
  /** Cold starts, summarised separately; undefined when there were none. */
  readonly coldStarts: ColdStartSummary | undefined;
  /** Billed Duration of every invocation with a REPORT, ms. */
  readonly billedDurationMs: Summary | undefined;
  /** Billed cost. */
  readonly cost: TuneCost;
  /**
   * The duration the strategy compared, ms: the warm Durations' mean after trimming `discardTopBottom` from each end
   * (of cold totals with `onlyColdStarts`).
   */
  readonly objectiveDurationMs: number;
  /** The cost the strategy compared, USD per invocation: the same trimmed mean of the same invocations' costs. */
  readonly objectiveCostUSD: number;
  /** Each objective invocation's duration, ms, in the order they ran: for histograms and CDFs. */
  readonly objectiveDurationsMs: readonly number[];
  /** Function errors by `errorType` (allowed ones included). */
  readonly errors: Readonly<Record<string, number>>;
  /** True when a function error outside `allowedErrorTypes` occurred: this size is excluded from the recommendation. */
  readonly failed: boolean;
  /**
   * True when the adaptive sampler stopped sampling this size early because another size beat it with confidence
   * (at the samples it had). Not the same as being off the Pareto frontier ("dominated"): an eliminated size may
   * still be on `TuneResult.paretoFrontier`.
   */
  readonly eliminated: boolean;
  /** Highest Max Memory Used, MB. */
  readonly maxMemoryUsedMB: number | undefined;
  /** `memorySizeMB − maxMemoryUsedMB`: memory never used, MB. */
  readonly headroomMB: number | undefined;
  /** True when an invocation timed out. */
  readonly timedOut: boolean;
  /** True when an invocation ran out of memory (`Runtime.OutOfMemory`). */
  readonly outOfMemory: boolean;
}

/** The recommended memory size and why. */
export interface TuneRecommendation {
  /** Memory size, MB. */
  readonly memorySizeMB: number;
  /** One sentence saying why, with the figures compared. */
  readonly reason: string;
}

/** What the run created and removed again. */
export interface TuneCleanup {
  /** `$LATEST` is back at its original settings (memory set to the recommendation with `autoApply: '$LATEST'`). */
  readonly restored: true;
  /** Versions published by the run and deleted again. */
  readonly deletedVersions: readonly string[];
  /** Aliases created by the run and deleted again. */
  readonly deletedAliases: readonly string[];
}

/** What `autoApply` did. */
export interface TuneApplied {
  /** `$LATEST`, or the alias set. */
  readonly target: string;
  /** The memory size applied, MB. */
  readonly memorySizeMB: number;
  /** The version the alias now points at (alias form only). */
  readonly version: string | undefined;
}

/** The result of {@link powerTune}. */
export interface TuneResult {
  /** The function tuned. */
  readonly functionName: string;
  /** The recommendation; undefined for a dry run. */
  readonly recommendation: TuneRecommendation | undefined;
  /** The strategy used. */
  readonly strategy: TuneStrategy;
  /** The weight of cost in the balanced score. */
  readonly balancedWeight: number;
  /** Fraction left out at each end before the compared means were taken (`input.discardTopBottom`). */
  readonly discardTopBottom: number;
  /** Sizes within this fraction of the best were practically tied (the sampler's `relativePrecision`). */
  readonly tieTolerance: number;
  /** One entry per memory size, in the order given. */
  readonly configurations: readonly TuneConfiguration[];
  /**
   * The Pareto frontier: memory sizes that no other size beats on both cost and duration, ascending. A size not in
   * it is "dominated".
   */
  readonly paretoFrontier: readonly number[];
  /** Invocations made in all. */
  readonly invocations: number;
  /** What was cleaned up. */
  readonly cleanup: TuneCleanup;
  /** What `autoApply` did; undefined when nothing was applied. */
  readonly applied: TuneApplied | undefined;
  /** The results on lambda-power-tuning.show (data in the URL hash only). */
  readonly visualizationUrl: string;
  /** Anything odd met on the way (missing REPORTs, a price Region fallback, …). */
  readonly warnings: readonly string[];
}

/** One memory size as the strategies see it. */
export interface TunePoint {
  /** Memory size, MB. */
  readonly memorySizeMB: number;
  /** Duration compared, ms. */
  readonly durationMs: number;
  /** Cost compared, USD per invocation. */
  readonly costUSD: number;
}

/** What {@link estimateTune} assumes beyond the run's own input. */
export interface EstimateTuneInput extends Omit<PowerTuneInput, 'functionName'> {
  /** The function name (not used by the estimate). */
  readonly functionName?: string;
  /**
   * Expected Duration of one invocation, ms: one figure for every size, or a function of the memory size.
   * @default 100
   */
  readonly expectedDurationMs?: number | ((memorySizeMB: number) => number);
  /**
   * Expected seconds for one configuration update to complete.
   * @default 3
   */
  readonly updateSeconds?: number;
}

/** What a run is expected to cost before it starts. */
export interface TuneEstimate {
  /** Invocations (an upper bound with adaptive sampling). */
  readonly invocations: number;
  /** Versions to publish. */
  readonly versions: number;
  /** Lambda cost of the invocations, USD. */
  readonly estimatedUSD: number;
  /** Wall time, seconds. */
  readonly estimatedSeconds: number;
}
