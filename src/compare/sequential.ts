/**
 * The statistics of `lambda-meter/compare`: an anytime-valid confidence interval for the ratio B/A of one metric,
 * the verdict it gives, and cold and warm blended by a cold-start rate. Pure functions, no I/O.
 *
 * The interval (a confidence sequence: it holds at every look at once, however often sampling looks and stops):
 * 1. Work on log values. Durations and costs are right-skewed and a ratio B/A becomes a difference of logs.
 * 2. On each side, the 10%-trimmed mean of the logs estimates the centre, and its variance is the 10%-winsorized
 *    variance / (n (1 − 2·0.1)²) (Yuen, "The two-sample trimmed t for unequal population variances", Biometrika
 *    1974; Tukey & McLaughlin 1963): rare slow invocations (cold-ish, GC, noisy neighbours) move neither.
 *    Δ̂ = centre(log B) − centre(log A) and V = var_A + var_B.
 * 3. Robbins' normal-mixture confidence sequence for Δ (Robbins, "Statistical methods related to the law of the
 *    iterated logarithm", Ann. Math. Statist. 1970; Howard, Ramdas, McAuliffe & Sekhon, "Time-uniform,
 *    nonparametric, nonasymptotic confidence sequences", Ann. Statist. 2021; Johari, Koomen, Pekelis & Walsh,
 *    "Always valid inference", Operations Research 2022, the mSPRT). Derivation: with Δ̂ ~ N(Δ, V), the likelihood
 *    ratio of Δ = θ against Δ = d, mixed over θ − d ~ N(0, τ²), is
 *      Λ(d) = ∫ φ_V(Δ̂ − θ) φ_τ²(θ − d) dθ / φ_V(Δ̂ − d) = sqrt(V / (V + τ²)) · exp(τ² (Δ̂ − d)² / (2 V (V + τ²))),
 *    a nonnegative martingale with mean 1 under Δ = d as the samples grow. Ville's inequality gives
 *    P(sup Λ(d) ≥ 1/α) ≤ α, so the set of d with Λ(d) < 1/α covers Δ at every look at once with probability
 *    ≥ 1 − α. Solving Λ(d) < 1/α for d:
 *      (Δ̂ − d)² < (2 V (V + τ²) / τ²) · (log(1/α) + ½ log((V + τ²) / V))
 *               = (V (V + τ²) / τ²) · log((V + τ²) / (V α²)),
 *    so the interval is Δ̂ ± sqrt((V (V + τ²) / τ²) · log((V + τ²) / (V α²))), and exp() of its ends bounds B/A.
 *    The variance is estimated, as in Johari et al.'s practical version; the bench (bench/compare.mjs) measures the
 *    false-alarm rate this leaves under peeking after every block.
 * 4. τ (the mixing standard deviation, on the log scale) sets where the interval is tightest: τ = 0.1 makes it
 *    narrowest around the sample sizes that resolve differences of 5–10%, the ones worth a verdict.
 *
 * The estimand: the ratio of the 10%-trimmed geometric means, which is the ratio B/A itself when B's distribution
 * is A's scaled by a factor (the usual shape of "B is 10% faster").
 *
 * @module
 */
import { InvalidInputError } from '../errors.js';
import { describe } from '../internal/validate.js';
import { percentileOfSorted, sortedCopy } from '../stats/sample.js';
import { trimCount, trimmedMean } from '../stats/summarize.js';
import type { CompareMetric, ExpectedPerRequest, MetricComparison, Verdict } from './types.js';

/** Fewest values per side for an interval: below it {@link ratioInterval} returns undefined. */
export const MIN_SAMPLES_PER_SIDE = 10;
/** Fraction trimmed (and winsorized) at each end of each side's log values. */
export const LOG_TRIM = 0.1;
/** Mixing standard deviation τ of the normal mixture, on the log-ratio scale (tuned for 5–10% differences). */
export const MIXING_SD = 0.1;

/** How the intervals are computed, in words, with the sources (for `CompareResult.method`). */
export const METHOD =
  'Anytime-valid confidence sequence for the log ratio B/A: 10%-trimmed means of log values with Yuen\'s winsorized ' +
  'variance, and Robbins\' normal-mixture boundary (mixing sd 0.1 on the log scale), as in Howard, Ramdas, McAuliffe ' +
  '& Sekhon (Ann. Statist. 2021) and Johari, Koomen, Pekelis & Walsh (Oper. Res. 2022); valid at every look.';

/** An interval of the ratio B/A and its point estimate. */
export interface RatioInterval {
  /** exp(trimmed mean of log B − trimmed mean of log A): the ratio of the 10%-trimmed geometric means. */
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
}

function checkOpenUnit(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value >= 1) {
    throw new InvalidInputError(field, `must be a number in (0, 1), got ${describe(value)}`);
  }
  return value;
}

function checkPositiveValues(values: unknown, field: string): readonly number[] {
  if (!Array.isArray(values)) throw new InvalidInputError(field, `must be an array of positive numbers, got ${describe(values)}`);
  for (let i = 0; i < values.length; i++) {
    const v: unknown = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      throw new InvalidInputError(`${field}[${i}]`, `must be a finite number > 0, got ${describe(v)}`);
    }
  }
  return values as readonly number[];
}

/** Trimmed mean of the logs and the variance of that estimate (Yuen: winsorized variance / (n (1 − 2g)²)). */
function logCentre(values: readonly number[]): { centre: number; variance: number } {
  const logs = sortedCopy(values.map(Math.log));
  const n = logs.length;
  const k = trimCount(n, LOG_TRIM);
  let sum = 0;
  for (let i = k; i < n - k; i++) sum += logs[i] as number;
  const centre = sum / (n - 2 * k);
  // Winsorize: the k lowest become the (k+1)-th lowest, the k highest the (k+1)-th highest.
  const lo = logs[k] as number;
  const hi = logs[n - k - 1] as number;
  let wSum = 0;
  for (let i = 0; i < n; i++) wSum += Math.min(Math.max(logs[i] as number, lo), hi);
  const wMean = wSum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = Math.min(Math.max(logs[i] as number, lo), hi) - wMean;
    ss += d * d;
  }
  const kept = n - 2 * k;
  // (n − 1) s_w² / (h (h − 1)) with h = n − 2k kept values: Yuen's squared standard error of the trimmed mean.
  return { centre, variance: ss / (kept * (kept - 1)) };
}

/**
 * Half-width of the normal-mixture confidence sequence for a mean difference whose estimate has variance `v`:
 * sqrt((v (v + τ²) / τ²) · log((v + τ²) / (v α²))). Zero when v is zero (both sides constant).
 */
export function mixtureHalfWidth(v: number, alpha: number, tau: number = MIXING_SD): number {
  if (v <= 0) return 0;
  const t2 = tau * tau;
  return Math.sqrt(((v * (v + t2)) / t2) * Math.log((v + t2) / (v * alpha * alpha)));
}

/**
 * An anytime-valid confidence interval of the ratio B/A from the warm values so far: it covers the true ratio at
 * every look at once with probability ≥ `confidence`, so sampling may look after every block and stop when it is
 * decided. Log values, 10%-trimmed means with Yuen's variance, Robbins' normal mixture (see the module comment).
 *
 * @param a - side A's values (positive: durations, memory, cost).
 * @param b - side B's values.
 * @param options - `confidence` in (0, 1).
 * @returns undefined with fewer than {@link MIN_SAMPLES_PER_SIDE} values on a side.
 * @throws InvalidInputError naming `options.confidence`, or the value (`a[3]`) that is not a finite number > 0.
 *
 * @example
 * ```ts
 * const a = [101, 99, 100, 102, 98, 100, 101, 99, 100, 100, 103, 97];
 * const b = a.map((x) => x * 0.8);
 * ratioInterval(a, b, { confidence: 0.95 }); // { estimate: 0.8, lower: ~0.77, upper: ~0.83 }
 * ```
 */
export function ratioInterval(a: readonly number[], b: readonly number[], options: { readonly confidence: number }): RatioInterval | undefined {
  const confidence = checkOpenUnit(options?.confidence, 'options.confidence');
  checkPositiveValues(a, 'a');
  checkPositiveValues(b, 'b');
  if (a.length < MIN_SAMPLES_PER_SIDE || b.length < MIN_SAMPLES_PER_SIDE) return undefined;
  const ca = logCentre(a);
  const cb = logCentre(b);
  const delta = cb.centre - ca.centre;
  const half = mixtureHalfWidth(ca.variance + cb.variance, 1 - confidence);
  return { estimate: Math.exp(delta), lower: Math.exp(delta - half), upper: Math.exp(delta + half) };
}

/**
 * The verdict of an interval of B/A (lower is better): `equivalent` when it lies inside `[1 − margin, 1 + margin]`,
 * else `faster` when it lies below 1, `slower` when above 1, else `undecided`.
 *
 * @throws InvalidInputError naming `margin` outside (0, 1), or `interval` when it is not two ordered numbers.
 *
 * @example
 * ```ts
 * verdictOf([0.97, 1.02], 0.05); // 'equivalent'
 * verdictOf([0.85, 0.93], 0.05); // 'faster'
 * verdictOf([0.9, 1.1], 0.05); // 'undecided'
 * ```
 */
export function verdictOf(interval: readonly [number, number], margin: number): Verdict {
  checkOpenUnit(margin, 'margin');
  const [lower, upper] = interval;
  if (typeof lower !== 'number' || typeof upper !== 'number' || Number.isNaN(lower) || Number.isNaN(upper) || lower > upper) {
    throw new InvalidInputError('interval', `must be [lower, upper] with lower <= upper, got [${describe(lower)}, ${describe(upper)}]`);
  }
  if (lower >= 1 - margin && upper <= 1 + margin) return 'equivalent';
  if (upper < 1) return 'faster';
  if (lower > 1) return 'slower';
  return 'undecided';
}

/**
 * B against A for one metric: the ratio of medians, the ratio of 20%-trimmed means, the anytime-valid interval of
 * B/A ({@link ratioInterval}) and its verdict ({@link verdictOf}).
 *
 * @returns undefined with fewer than {@link MIN_SAMPLES_PER_SIDE} values on a side.
 * @throws InvalidInputError naming `options.confidence`, `options.margin` or a value that is not a finite number > 0.
 *
 * @example
 * ```ts
 * const c = compareMetric('durationMs', warmA, warmB, { confidence: 0.95, margin: 0.05 });
 * if (c) console.log(c.verdict, c.ratioOfMedians, c.interval);
 * ```
 */
export function compareMetric(
  metric: CompareMetric,
  a: readonly number[],
  b: readonly number[],
  options: { readonly confidence: number; readonly margin: number },
): MetricComparison | undefined {
  const margin = checkOpenUnit(options?.margin, 'options.margin');
  const interval = ratioInterval(a, b, { confidence: options.confidence });
  if (interval === undefined) return undefined;
  const median = (values: readonly number[]): number => percentileOfSorted(sortedCopy(values), 50);
  const bounds: readonly [number, number] = [interval.lower, interval.upper];
  return {
    metric,
    ratioOfMedians: median(b) / median(a),
    ratioOfTrimmedMeans: trimmedMean(b, 0.2) / trimmedMean(a, 0.2),
    interval: bounds,
    verdict: verdictOf(bounds, margin),
  };
}

/** One request's latency and cost, for {@link expectedPerRequest}. */
export interface RequestSample {
  readonly latencyMs: number;
  readonly costUSD: number;
}

function checkRequests(samples: unknown, field: string): readonly RequestSample[] {
  if (!Array.isArray(samples)) throw new InvalidInputError(field, `must be an array, got ${describe(samples)}`);
  samples.forEach((s: unknown, i) => {
    const r = s as Partial<RequestSample> | null;
    for (const key of ['latencyMs', 'costUSD'] as const) {
      const v = r?.[key];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
        throw new InvalidInputError(`${field}[${i}].${key}`, `must be a finite number >= 0, got ${describe(v)}`);
      }
    }
  });
  return samples as readonly RequestSample[];
}

/**
 * Quantile `p` (0–1) of the mixture of two empirical distributions, warm with weight 1 − rate and cold with weight
 * rate: the smallest value x with F(x) = (1 − rate)·F_warm(x) + rate·F_cold(x) ≥ p (the inverse of the mixture's
 * distribution function).
 */
function mixtureQuantile(warm: Float64Array, cold: Float64Array, rate: number, p: number): number {
  const ww = warm.length === 0 ? 0 : (1 - rate) / warm.length;
  const wc = cold.length === 0 ? 0 : rate / cold.length;
  // A relative tolerance so that p exactly on a step (0.5 of 1 − rate = 0.5 with two values) is not missed by rounding.
  const target = p - 1e-12;
  let i = 0;
  let j = 0;
  let cumulative = 0;
  let last = Number.NaN;
  while (i < warm.length || j < cold.length) {
    const takeWarm = j >= cold.length || (i < warm.length && (warm[i] as number) <= (cold[j] as number));
    if (takeWarm) {
      last = warm[i++] as number;
      cumulative += ww;
    } else {
      last = cold[j++] as number;
      cumulative += wc;
    }
    if (cumulative >= target && (takeWarm ? ww : wc) > 0) return last;
  }
  return last;
}

/**
 * Expected latency and cost of one request when a share `coldStartRate` of requests are cold starts: p50 and p99 of
 * the mixture of the warm and cold distributions, computed exactly from the two empirical distributions weighted by
 * the rate (the smallest latency whose mixture distribution function reaches p, not a weighted average of
 * percentiles), and the expected cost (1 − rate)·mean(warm cost) + rate·mean(cold cost), per request and per million.
 * A side with weight is needed: with no cold samples the result is undefined unless the rate is 0, and likewise warm.
 *
 * @param warm - warm requests (latency = Duration).
 * @param cold - cold requests (latency = Duration + Init Duration).
 * @param coldStartRate - share of requests that are cold, in [0, 1].
 * @throws InvalidInputError naming `coldStartRate` outside [0, 1] or a sample field that is not a finite number >= 0.
 *
 * @example
 * ```ts
 * const e = expectedPerRequest(
 *   [{ latencyMs: 10, costUSD: 1e-6 }, { latencyMs: 12, costUSD: 1e-6 }],
 *   [{ latencyMs: 300, costUSD: 5e-6 }],
 *   0.02,
 * );
 * // 10 ms and 12 ms carry 49% each, 300 ms 2%: e.p50Ms 12, e.p99Ms 300, e.costPerRequestUSD 1.08e-6
 * ```
 */
export function expectedPerRequest(
  warm: readonly RequestSample[],
  cold: readonly RequestSample[],
  coldStartRate: number,
): ExpectedPerRequest {
  checkRequests(warm, 'warm');
  checkRequests(cold, 'cold');
  if (typeof coldStartRate !== 'number' || !Number.isFinite(coldStartRate) || coldStartRate < 0 || coldStartRate > 1) {
    throw new InvalidInputError('coldStartRate', `must be a number in [0, 1], got ${describe(coldStartRate)}`);
  }
  const rate = coldStartRate;
  const possible = (rate === 0 || cold.length > 0) && (rate === 1 || warm.length > 0);
  if (!possible) return { coldStartRate: rate, p50Ms: undefined, p99Ms: undefined, costPerRequestUSD: undefined, costPerMillionUSD: undefined };
  const w = sortedCopy(warm.map((s) => s.latencyMs));
  const c = sortedCopy(cold.map((s) => s.latencyMs));
  const mean = (s: readonly RequestSample[]): number => (s.length === 0 ? 0 : s.reduce((sum, r) => sum + r.costUSD, 0) / s.length);
  const cost = (1 - rate) * mean(warm) + rate * mean(cold);
  return {
    coldStartRate: rate,
    p50Ms: mixtureQuantile(w, c, rate, 0.5),
    p99Ms: mixtureQuantile(w, c, rate, 0.99),
    costPerRequestUSD: cost,
    costPerMillionUSD: cost * 1e6,
  };
}
