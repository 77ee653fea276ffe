/**
 * Summary statistics: percentiles, mean and median confidence intervals, trimmed mean.
 *
 * Percentiles use linear interpolation between closest ranks (Hyndman & Fan type 7, the same as Excel
 * PERCENTILE.INC and NumPy's default). The mean CI uses Student's t; the median CI is the non-parametric
 * order-statistic interval (Le Boudec, "Performance Evaluation of Computer and Communication Systems", Thm 2.1),
 * computed from the exact binomial distribution for every n.
 *
 * @module
 */
import { InvalidInputError } from '../errors.js';
import { describe } from '../internal/validate.js';
import { lnGamma, studentTQuantile } from './distributions.js';
import {
  checkOptions,
  checkPercent,
  checkProbability,
  checkValues,
  compensatedSum,
  percentileOfSorted,
  sortedCopy,
} from './sample.js';

/** Summary of a sample. */
export interface Summary {
  /** Number of values. */
  readonly count: number;
  /** Smallest value. */
  readonly min: number;
  /** Largest value. */
  readonly max: number;
  /** Arithmetic mean (compensated summation). */
  readonly mean: number;
  /** Sample standard deviation (divisor n − 1); 0 for a single value. */
  readonly stdev: number;
  /** Coefficient of variation, stdev / mean; undefined when the mean is 0. */
  readonly cv: number | undefined;
  /** Median (type-7 percentile 50). */
  readonly p50: number;
  /** Type-7 percentile 90. */
  readonly p90: number;
  /** Type-7 percentile 95. */
  readonly p95: number;
  /** Type-7 percentile 99. */
  readonly p99: number;
  /** 95% confidence interval of the mean, `[lower, upper]` (Student t); undefined when count < 2. */
  readonly meanCI95: readonly [number, number] | undefined;
  /**
   * 95% non-parametric confidence interval of the median, `[lower, upper]` (order statistics, exact binomial);
   * undefined when count < 6, where no pair of order statistics reaches 95% coverage.
   */
  readonly medianCI95: readonly [number, number] | undefined;
}

/** Options of {@link summarize}. */
export interface SummarizeOptions {
  /**
   * Name of the values in error messages, e.g. `durationMs`.
   * @default 'values'
   */
  readonly field?: string;
}

/** Options of the confidence-interval functions. */
export interface ConfidenceOptions {
  /**
   * Confidence level, in (0, 1).
   * @default 0.95
   */
  readonly confidence?: number;
}

/** A confidence interval of the mean. */
export interface MeanConfidenceInterval {
  /** Lower bound. */
  readonly lower: number;
  /** Upper bound. */
  readonly upper: number;
  /** The sample mean (the centre). */
  readonly mean: number;
  /** t × stdev / √n. */
  readonly halfWidth: number;
  /** The confidence level used. */
  readonly confidence: number;
  /** n − 1. */
  readonly degreesOfFreedom: number;
  /** The Student t quantile used, t((1 + confidence)/2, n − 1). */
  readonly t: number;
}

/** A non-parametric confidence interval of the median: two order statistics of the sample. */
export interface MedianConfidenceInterval {
  /** Lower bound, the `lowerRank`-th smallest value. */
  readonly lower: number;
  /** Upper bound, the `upperRank`-th smallest value. */
  readonly upper: number;
  /** 1-based rank of the lower bound. */
  readonly lowerRank: number;
  /** 1-based rank of the upper bound (n + 1 − lowerRank). */
  readonly upperRank: number;
  /** Exact coverage probability of the interval for a continuous distribution (≥ confidence). */
  readonly coverage: number;
  /** The confidence level asked for. */
  readonly confidence: number;
}

function confidenceOf(options: unknown): number {
  const opts = checkOptions(options, 'options');
  return opts.confidence === undefined ? 0.95 : checkProbability(opts.confidence, 'options.confidence', true);
}

function fieldOf(options: unknown): string {
  const opts = checkOptions(options, 'options');
  if (opts.field === undefined) return 'values';
  if (typeof opts.field !== 'string' || opts.field.length === 0) {
    throw new InvalidInputError('options.field', `must be a non-empty string, got ${describe(opts.field)}`);
  }
  return opts.field;
}

/** Mean and sample standard deviation of sorted data (two-pass, compensated). */
function meanAndStdev(sorted: Float64Array): { mean: number; stdev: number } {
  const n = sorted.length;
  const min = sorted[0] as number;
  const max = sorted[n - 1] as number;
  if (min === max) return { mean: min, stdev: 0 };
  let mean = compensatedSum(sorted) / n;
  if (!Number.isFinite(mean)) {
    // The sum overflowed (values near ±1.8e308): average the scaled values instead.
    let scaled = 0;
    for (let i = 0; i < n; i++) scaled += (sorted[i] as number) / n;
    mean = scaled;
  }
  // Rounding can push the mean of near-equal values just outside [min, max].
  mean = mean < min ? min : mean > max ? max : mean;
  // Deviations are divided by the largest one before squaring, so neither huge nor tiny values overflow/underflow.
  const scale = Math.max(max - mean, mean - min);
  let ss = 0;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = ((sorted[i] as number) - mean) / scale;
    ss += d * d;
    s += d;
  }
  // Corrected two-pass formula: subtracts the rounding error of the mean.
  const variance = Math.max(0, (ss - (s * s) / n) / (n - 1));
  return { mean, stdev: scale * Math.sqrt(variance) };
}

function meanInterval(n: number, mean: number, stdev: number, confidence: number): MeanConfidenceInterval | undefined {
  if (n < 2) return undefined;
  const t = studentTQuantile((1 + confidence) / 2, n - 1);
  const halfWidth = (t * stdev) / Math.sqrt(n);
  return { lower: mean - halfWidth, upper: mean + halfWidth, mean, halfWidth, confidence, degreesOfFreedom: n - 1, t };
}

/**
 * The largest j such that P(j ≤ B ≤ n − j) ≥ confidence for B ~ Binomial(n, ½), with that probability; undefined
 * when even j = 1 falls short. [x(j), x(n+1−j)] then covers the median with that probability.
 */
function medianRanks(n: number, confidence: number): { j: number; coverage: number } | undefined {
  if (n < 2) return undefined;
  // pmf(i) = C(n, i) / 2^n, from the centre outwards: pmf(i − 1) = pmf(i) · i / (n − i + 1).
  let j = Math.floor(n / 2);
  let pmf = Math.exp(lnGamma(n + 1) - lnGamma(j + 1) - lnGamma(n - j + 1) - n * Math.LN2);
  // Coverage of [x(j), x(n+1−j)] is Σ_{i=j}^{n−j} pmf(i): one term (i = n/2) for even n, two for odd n.
  let coverage = n % 2 === 0 ? pmf : 2 * pmf;
  while (coverage < confidence) {
    if (j === 1) return undefined;
    pmf = (pmf * j) / (n - j + 1);
    j--;
    coverage += 2 * pmf;
  }
  return { j, coverage: Math.min(1, coverage) };
}

function medianInterval(sorted: Float64Array, confidence: number): MedianConfidenceInterval | undefined {
  const n = sorted.length;
  const ranks = medianRanks(n, confidence);
  if (ranks === undefined) return undefined;
  const upperRank = n + 1 - ranks.j;
  return {
    lower: sorted[ranks.j - 1] as number,
    upper: sorted[upperRank - 1] as number,
    lowerRank: ranks.j,
    upperRank,
    coverage: ranks.coverage,
    confidence,
  };
}

/**
 * Summary statistics of a sample: count, min, max, mean, sample standard deviation, coefficient of variation,
 * type-7 percentiles p50/p90/p95/p99, and 95% confidence intervals of the mean (Student t) and of the median
 * (order statistics). The input is not modified.
 *
 * @param values - a non-empty array of finite numbers.
 * @throws InvalidInputError for an empty array or a non-finite value (naming its index).
 *
 * @example
 * ```ts
 * const s = summarize([12.1, 11.8, 13.0, 12.4, 55.2, 12.2, 11.9]);
 * console.log(s.p50, s.p99, s.meanCI95, s.medianCI95);
 * ```
 */
export function summarize(values: readonly number[], options: SummarizeOptions = {}): Summary {
  const field = fieldOf(options);
  checkValues(values, field);
  const sorted = sortedCopy(values);
  const n = sorted.length;
  const { mean, stdev } = meanAndStdev(sorted);
  const meanCI = meanInterval(n, mean, stdev, 0.95);
  const medianCI = medianInterval(sorted, 0.95);
  return {
    count: n,
    min: sorted[0] as number,
    max: sorted[n - 1] as number,
    mean,
    stdev,
    cv: mean === 0 ? undefined : stdev / mean,
    p50: percentileOfSorted(sorted, 50),
    p90: percentileOfSorted(sorted, 90),
    p95: percentileOfSorted(sorted, 95),
    p99: percentileOfSorted(sorted, 99),
    meanCI95: meanCI === undefined ? undefined : [meanCI.lower, meanCI.upper],
    medianCI95: medianCI === undefined ? undefined : [medianCI.lower, medianCI.upper],
  };
}

/**
 * The `p`-th percentile (0–100) by linear interpolation between closest ranks (Hyndman & Fan type 7; Excel
 * PERCENTILE.INC, NumPy's default): with the values sorted as x[0..n−1] and h = (n − 1)·p/100, it is
 * x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]). p = 0 is the minimum, p = 100 the maximum.
 *
 * @throws InvalidInputError for an empty array, a non-finite value or p outside [0, 100].
 * @example
 * ```ts
 * percentile([1, 2, 3, 4], 50); // 2.5
 * ```
 */
export function percentile(values: readonly number[], p: number): number {
  checkValues(values, 'values');
  checkPercent(p, 'p');
  return percentileOfSorted(sortedCopy(values), p);
}

/**
 * Several type-7 percentiles (0–100) at once, sorting the values once.
 *
 * @throws InvalidInputError for an empty array, a non-finite value or a percentile outside [0, 100].
 * @example
 * ```ts
 * const [p50, p90, p99] = quantiles(durations, [50, 90, 99]);
 * ```
 */
export function quantiles(values: readonly number[], percentiles: readonly number[]): number[] {
  checkValues(values, 'values');
  if (!Array.isArray(percentiles)) {
    throw new InvalidInputError('percentiles', `must be an array of numbers from 0 to 100, got ${describe(percentiles)}`);
  }
  percentiles.forEach((p, i) => checkPercent(p, `percentiles[${i}]`));
  const sorted = sortedCopy(values);
  return percentiles.map((p) => percentileOfSorted(sorted, p));
}

/**
 * Confidence interval of the mean: mean ± t((1 + confidence)/2, n − 1) · s / √n, with s the sample standard
 * deviation. Assumes roughly normal means (large n or near-normal data). Undefined for a single value.
 *
 * @throws InvalidInputError for an empty array, a non-finite value or a confidence outside (0, 1).
 * @example
 * ```ts
 * const ci = meanConfidenceInterval(durations, { confidence: 0.99 });
 * console.log(ci?.lower, ci?.upper);
 * ```
 */
export function meanConfidenceInterval(
  values: readonly number[],
  options: ConfidenceOptions = {},
): MeanConfidenceInterval | undefined {
  const confidence = confidenceOf(options);
  checkValues(values, 'values');
  const sorted = sortedCopy(values);
  const { mean, stdev } = meanAndStdev(sorted);
  return meanInterval(sorted.length, mean, stdev, confidence);
}

/**
 * Non-parametric confidence interval of the median: the order statistics [x(j), x(n + 1 − j)] (1-based ranks) with
 * the largest j whose exact binomial coverage P(j ≤ B ≤ n − j), B ~ Binomial(n, ½), is at least `confidence`
 * (Le Boudec's method, computed exactly rather than with the normal approximation). Makes no assumption on the
 * distribution. Undefined when no such interval exists (for 95%: n < 6).
 *
 * @throws InvalidInputError for an empty array, a non-finite value or a confidence outside (0, 1).
 * @example
 * ```ts
 * medianConfidenceInterval(durations); // n = 100 → ranks 40 and 61
 * ```
 */
export function medianConfidenceInterval(
  values: readonly number[],
  options: ConfidenceOptions = {},
): MedianConfidenceInterval | undefined {
  const confidence = confidenceOf(options);
  checkValues(values, 'values');
  return medianInterval(sortedCopy(values), confidence);
}

/**
 * How many values a trimmed mean leaves out at each end of n: ⌊n · fraction⌋, with a relative nudge so that e.g.
 * 0.29 × 100 (= 28.999999999999996 in floating point) trims 29. No validation: callers check their fraction.
 *
 * @example
 * ```ts
 * trimCount(10, 0.2); // 2
 * ```
 */
export function trimCount(n: number, fraction: number): number {
  return Math.floor(n * fraction * (1 + 1e-12));
}

/**
 * Mean after removing ⌊n · fraction⌋ values from each end of the sorted sample. The input is not modified.
 *
 * @param fraction - in [0, 0.5); 0 gives the plain mean.
 * @throws InvalidInputError for an empty array, a non-finite value or a fraction outside [0, 0.5).
 * @example
 * ```ts
 * trimmedMean([1, 2, 3, 4, 100], 0.2); // 3 (drops 1 and 100)
 * ```
 */
export function trimmedMean(values: readonly number[], fraction: number): number {
  checkValues(values, 'values');
  if (typeof fraction !== 'number' || !Number.isFinite(fraction) || fraction < 0 || fraction >= 0.5) {
    throw new InvalidInputError('fraction', `must be a number in [0, 0.5), got ${describe(fraction)}`);
  }
  const sorted = sortedCopy(values);
  const n = sorted.length;
  const k = trimCount(n, fraction);
  const mean = compensatedSum(sorted, k, n - k) / (n - 2 * k);
  const lo = sorted[k] as number;
  const hi = sorted[n - k - 1] as number;
  return mean < lo ? lo : mean > hi ? hi : mean;
}
