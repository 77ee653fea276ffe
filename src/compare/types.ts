/**
 * Types of `lambda-meter/compare`: is B faster or cheaper than A, with confidence, and a gate against a baseline.
 *
 * @module
 */
import type { Architecture, PriceTable } from '../cost/types.js';
import type { LambdaClientLike, SdkClientLike } from '../internal/clients.js';
import type { UpdateWaitOptions } from '../internal/control-plane.js';
import type { CallOptions } from '../internal/options.js';
import type { TimeInput } from '../internal/time.js';
import type { Summary } from '../stats/summarize.js';

/** The clients of {@link CompareClients}: a Lambda client, checked at compile time. */
export interface CompareClients<L extends SdkClientLike = SdkClientLike> {
  readonly lambda: LambdaClientLike<L>;
}

/** One side of a comparison: what to invoke, and the configuration to set for the run (restored afterwards). */
export interface CompareTarget {
  /** Function name or ARN. */
  readonly functionName: string;
  /** A published version or an alias. Without one, `$LATEST` (which a memory or architecture change updates). */
  readonly qualifier?: string | undefined;
  /** A memory size to set for the run (128–10,240 MB); the function's own when omitted. */
  readonly memorySizeMB?: number | undefined;
  /** An architecture to set for the run; the function's own when omitted. */
  readonly architecture?: Architecture | undefined;
  /** The event sent with each invocation (JSON-serialised), or one per invocation by index. */
  readonly payload?: unknown;
  /** A short name for reports; `functionName[:qualifier]` when omitted. */
  readonly label?: string | undefined;
}

/** A measured quantity per invocation. Durations in ms, memory in MB, cost in USD. */
export type CompareMetric = 'durationMs' | 'billedDurationMs' | 'clientLatencyMs' | 'initDurationMs' | 'maxMemoryUsedMB' | 'costUSD';

/** Every {@link CompareMetric}, in report order. */
export const COMPARE_METRICS: readonly CompareMetric[] = ['durationMs', 'billedDurationMs', 'clientLatencyMs', 'initDurationMs', 'maxMemoryUsedMB', 'costUSD'];

/**
 * What the evidence says of B against A for one metric, lower being better for every metric:
 * `faster` (B lower: for cost read "cheaper"), `slower` (B higher), `equivalent` (the interval of B/A lies inside
 * `[1 − margin, 1 + margin]`), or `undecided` (the budget ran out first).
 */
export type Verdict = 'faster' | 'slower' | 'equivalent' | 'undecided';

/** What to compare: the two sides, and how large a difference matters. */
export interface CompareInput {
  /** The baseline side. */
  readonly a: CompareTarget;
  /** The candidate side; ratios are B/A. */
  readonly b: CompareTarget;
  /**
   * The metric whose verdict stops sampling (warm invocations).
   * @default 'durationMs'
   */
  readonly metric?: CompareMetric | undefined;
  /**
   * The equivalence margin: B/A inside `[1 − margin, 1 + margin]` counts as no difference; in (0, 1).
   * @default 0.05
   */
  readonly margin?: number | undefined;
  /**
   * Forced cold starts per side, measured apart from the warm invocations.
   * @default 0
   */
  readonly coldStarts?: number | undefined;
  /**
   * Cold-start rate to blend cold and warm into the expected latency and cost per request, in [0, 1]: a number, or
   * measured from the function's own REPORT lines (`lambda-meter/insights`) and passed in.
   * @default 0
   */
  readonly coldStartRate?: number | undefined;
}

/** Limits of a comparison; sampling stops at the first one reached (the verdict may then be `undecided`). */
export interface CompareBudget {
  /**
   * Warm invocations in all, both sides together.
   * @default 2000
   */
  readonly maxInvocations?: number | undefined;
  /** Estimated cost of the invocations in all, USD. */
  readonly maxCostUSD?: number | undefined;
  /** Wall-clock time of the sampling, ms. */
  readonly maxDurationMs?: number | undefined;
}

/** How to run a comparison. */
export interface CompareOptions extends CallOptions {
  /**
   * Confidence of every interval, and 1 − the false-alarm rate of the verdict however often sampling looks.
   * @default 0.95
   */
  readonly confidence?: number | undefined;
  /** Budget caps. */
  readonly budget?: CompareBudget | undefined;
  /**
   * Invocations per side in each randomised block (A and B in random order within each block).
   * @default 5
   */
  readonly blockSize?: number | undefined;
  /**
   * Warm invocations per side before the first look.
   * @default 10
   */
  readonly minSamples?: number | undefined;
  /** Seed of the block order, for a reproducible run. */
  readonly seed?: number | undefined;
  /** The price table. @default the bundled table */
  readonly prices?: PriceTable | undefined;
  /** The `LastUpdateStatus` wait after each configuration change (same shape as `powerTune`'s). */
  readonly updateWait?: UpdateWaitOptions | undefined;
  /**
   * The clock of `budget.maxDurationMs`, `startedAt` and `endedAt`, epoch ms (inject one for reproducible tests).
   * @default Date.now
   */
  readonly clock?: (() => number) | undefined;
}

/** One invocation's measurements. */
export interface CompareSample {
  /** Position in the run (both sides together, in the order invoked). */
  readonly index: number;
  readonly side: 'a' | 'b';
  readonly cold: boolean;
  readonly durationMs: number;
  readonly billedDurationMs: number;
  readonly clientLatencyMs: number;
  readonly initDurationMs: number | undefined;
  readonly maxMemoryUsedMB: number;
  readonly costUSD: number;
  /** The function returned an error (the sample is kept out of the summaries). */
  readonly failed: boolean;
}

/** One side's measurements and summaries. */
export interface CompareSide {
  readonly label: string;
  readonly target: CompareTarget;
  /** The configuration the side ran with. */
  readonly memorySizeMB: number;
  readonly architecture: Architecture;
  /** Warm summaries per metric (failed invocations left out); undefined for a metric with no values. */
  readonly warm: Readonly<Partial<Record<CompareMetric, Summary>>>;
  /** Cold summaries per metric, from the forced cold starts. */
  readonly cold: Readonly<Partial<Record<CompareMetric, Summary>>>;
  /** Invocations that returned a function error. */
  readonly failed: number;
  /** Expected latency (Duration + Init for cold) and cost per request, blending cold and warm by the cold-start rate. */
  readonly expected: ExpectedPerRequest;
}

/** Cold and warm blended by a cold-start rate. */
export interface ExpectedPerRequest {
  readonly coldStartRate: number;
  /** Expected p50 and p99 latency of a request, ms, from the mixture of the cold and warm distributions. */
  readonly p50Ms: number | undefined;
  readonly p99Ms: number | undefined;
  /** Expected cost per request and per million requests, USD. */
  readonly costPerRequestUSD: number | undefined;
  readonly costPerMillionUSD: number | undefined;
}

/** B against A for one metric (warm invocations). */
export interface MetricComparison {
  readonly metric: CompareMetric;
  /** Median of B / median of A. */
  readonly ratioOfMedians: number;
  /** 20%-trimmed mean of B / that of A. */
  readonly ratioOfTrimmedMeans: number;
  /** Confidence interval of the ratio B/A, valid at any number of looks (see `method`). */
  readonly interval: readonly [number, number];
  readonly verdict: Verdict;
}

/** Why sampling stopped. */
export type StopReason = 'decided' | 'max-invocations' | 'max-cost' | 'max-duration';

/** What `compare` found. */
export interface CompareResult {
  readonly a: CompareSide;
  readonly b: CompareSide;
  /** The stopping metric. */
  readonly metric: CompareMetric;
  /** The stopping metric's verdict. */
  readonly verdict: Verdict;
  /** Every metric with values on both sides. */
  readonly metrics: readonly MetricComparison[];
  readonly confidence: number;
  readonly margin: number;
  readonly stoppedBecause: StopReason;
  /** Warm invocations made, both sides. */
  readonly invocations: number;
  /** Estimated cost of every invocation made, USD. */
  readonly costUSD: number;
  /** How the intervals are computed, in words, with its source. */
  readonly method: string;
  /** Every sample, in the order invoked (what a baseline keeps). */
  readonly samples: readonly CompareSample[];
  /** Start and end of the run, epoch ms. */
  readonly startedAt: number;
  readonly endedAt: number;
}

/** What `compareGrid` measures: one function at every memory size × architecture. */
export interface GridInput {
  /** Function name or ARN (unqualified: the configurations are versions published from `$LATEST`). */
  readonly functionName: string;
  /** Memory sizes, MB (128–10,240), each at most once. */
  readonly memorySizes: readonly number[];
  /** Architectures, each at most once; the function's own when omitted. */
  readonly architectures?: readonly Architecture[] | undefined;
  /** The event sent with each invocation (JSON-serialised), or one per invocation by index. */
  readonly payload?: unknown;
}

/** How to run a grid. */
export interface GridOptions extends CallOptions {
  /**
   * Warm invocations per configuration (a configuration's first, cold, invocation is not one of them). The
   * arm64/x86_64 intervals need at least 10 (`MIN_SAMPLES_PER_SIDE`); with fewer, `ratios` has no interval.
   * @default 20
   */
  readonly count?: number | undefined;
  /** Caps: sampling stops at the first one reached, every configuration then having what it got. */
  readonly budget?: Pick<CompareBudget, 'maxCostUSD' | 'maxDurationMs'> | undefined;
  /**
   * Invocations per configuration in each randomised block (every configuration in a seeded random order).
   * @default 1
   */
  readonly blockSize?: number | undefined;
  /** Confidence of the arm64/x86_64 intervals. @default 0.95 */
  readonly confidence?: number | undefined;
  /** Seed of the block order, for a reproducible run. */
  readonly seed?: number | undefined;
  /** The price table. @default the bundled table */
  readonly prices?: PriceTable | undefined;
  /** The `LastUpdateStatus` wait after each configuration change. */
  readonly updateWait?: UpdateWaitOptions | undefined;
  /** The clock of `budget.maxDurationMs`, `startedAt` and `endedAt`, epoch ms. @default Date.now */
  readonly clock?: (() => number) | undefined;
}

/** One configuration of a grid and its warm measurements. */
export interface GridConfiguration {
  readonly memorySizeMB: number;
  readonly architecture: Architecture;
  /** Warm summaries per metric (failed invocations left out); `initDurationMs` is the configuration's first (cold) invocation's. */
  readonly warm: Readonly<Partial<Record<CompareMetric, Summary>>>;
  /** Warm invocations measured (failed ones included). */
  readonly count: number;
  /** Invocations that returned a function error. */
  readonly failed: number;
  /** Median warm Duration, ms, and median cost of a warm invocation, USD: the frontier's coordinates. */
  readonly durationMs: number | undefined;
  readonly costUSD: number | undefined;
  /** Another configuration is at least as cheap and as fast, and better in one. */
  readonly dominated: boolean;
}

/** arm64 against x86_64 at one memory size (arm64/x86_64, warm invocations). */
export interface ArchitectureRatio {
  readonly memorySizeMB: number;
  /** Of Duration and of cost per invocation: the estimate and the anytime-valid interval (`ratioInterval`). */
  readonly durationMs: { readonly estimate: number; readonly interval: readonly [number, number] } | undefined;
  readonly costUSD: { readonly estimate: number; readonly interval: readonly [number, number] } | undefined;
}

/** What `compareGrid` found. */
export interface GridResult {
  readonly functionName: string;
  /** Every configuration, memory size then architecture (x86_64 first). */
  readonly configurations: readonly GridConfiguration[];
  /** The configurations no other beats in both median cost and median Duration, cheapest first. */
  readonly frontier: readonly GridConfiguration[];
  /** arm64/x86_64 per memory size, when both architectures were measured. */
  readonly ratios: readonly ArchitectureRatio[];
  /**
   * With both architectures measured: the x86_64 and arm64 runs (median Duration and median cost per size) on one page
   * of the Power Tuning UI that draws two runs (`comparisonVisualizationUrl` of `lambda-meter/tune`).
   */
  readonly visualizationUrl?: string;
  readonly confidence: number;
  readonly stoppedBecause: 'count' | 'max-cost' | 'max-duration';
  /** Invocations made (cold first invocations included). */
  readonly invocations: number;
  /** Estimated cost of every invocation made, USD. */
  readonly costUSD: number;
  readonly method: string;
  readonly startedAt: number;
  readonly endedAt: number;
}

/**
 * A true difference and noise to estimate the invocations a comparison needs for (`estimateCompare`): only the
 * scenarios `bench/compare.mjs` measured have an answer (docs/benchmarks.md, "Sequential comparison").
 */
export interface CompareScenario {
  /** The true B/A of the stopping metric (1: no difference). */
  readonly trueRatio: number;
  /** The coefficient of variation of the stopping metric's warm values on each side. */
  readonly cv: number;
}

/** How to estimate a comparison: the options `compare` would get, plus the figures it would measure. */
export interface CompareEstimateOptions extends Pick<CompareOptions, 'prices' | 'budget' | 'confidence' | 'blockSize' | 'minSamples'> {
  /** Expected warm Duration of A and of B, ms. @default 100 */
  readonly durationMsA?: number | undefined;
  readonly durationMsB?: number | undefined;
  /** Expected Init Duration of a forced cold start (billed since August 2025), ms. @default 0 */
  readonly initDurationMs?: number | undefined;
  /** The memory size assumed for a side without `memorySizeMB` (its function's own, unknown before the run). @default 128 */
  readonly memorySizeMB?: number | undefined;
  /** The architecture assumed for a side without `architecture`. @default 'x86_64' */
  readonly architecture?: Architecture | undefined;
  /** The region priced. @default the price table's default region */
  readonly region?: string | undefined;
  /** A true difference and noise, for the expected number of invocations. */
  readonly scenario?: CompareScenario | undefined;
}

/** What a comparison may invoke and spend, before it runs. */
export interface CompareEstimate {
  /** Most warm invocations, both sides (the first budget cap reached, in whole blocks of A and B). */
  readonly maxWarmInvocations: number;
  /** Forced cold starts, both sides. */
  readonly coldInvocations: number;
  /** The cap that bounds `maxWarmInvocations`. */
  readonly boundBy: 'max-invocations' | 'max-cost' | 'max-duration';
  /** The configuration priced per side, and the cost of one warm invocation. */
  readonly a: { readonly memorySizeMB: number; readonly architecture: Architecture; readonly durationMs: number; readonly warmUSD: number };
  readonly b: { readonly memorySizeMB: number; readonly architecture: Architecture; readonly durationMs: number; readonly warmUSD: number };
  /** Cost of every invocation at the cap (cold and warm), USD. */
  readonly maxUSD: number;
  /** Time spent invoking at the cap, one invocation at a time with 50 ms overhead each, s (configuration updates not included). */
  readonly maxInvokeSeconds: number;
  /** For `options.scenario`, when `bench/compare.mjs` measured it at these settings; undefined otherwise. */
  readonly expected:
    | {
        /** Median warm invocations, both sides, capped by the budget; p90 where the bench reports it. */
        readonly medianInvocations: number;
        readonly p90Invocations: number | undefined;
        /** Cost of the median run (cold starts included), USD. */
        readonly medianUSD: number;
        /** Where the figures come from. */
        readonly source: string;
      }
    | undefined;
}

/** What `measureColdStartRate` reads: a function's REPORTs in a time window (`queryReports`' input). */
export interface MeasureColdStartRateInput {
  /** Function name (its log group `/aws/lambda/<name>`), or give `logGroupName`. */
  readonly functionName?: string;
  readonly logGroupName?: string;
  /** Start and end of the window: epoch ms, a Date or an ISO 8601 string. */
  readonly startTime: TimeInput;
  readonly endTime: TimeInput;
}

/** The cold-start rate of a function's REPORTs. */
export interface MeasuredColdStartRate {
  /** cold / reports; undefined when the window holds no REPORT. */
  readonly rate: number | undefined;
  /** REPORTs read. */
  readonly reports: number;
  /** REPORTs with an Init Duration or a Restore Duration. */
  readonly cold: number;
}
