/**
 * Adaptive sampling for power tuning: decides, round by round, which memory sizes need more warm invocations and
 * when the recommendation is settled. Pure and deterministic; no I/O, no state kept between calls.
 *
 * The rule (a racing / successive-elimination scheme, after Maron & Moore's Hoeffding races and Even-Dar et al.,
 * "Action Elimination and Stopping Conditions for the Multi-Armed Bandit", JMLR 7, 2006, with an expected-loss
 * stopping rule after Chick & Inoue, Operations Research 49(5), 2001), stopping as soon as the answer is good enough
 * rather than when every estimate reaches some precision or every comparison is settled:
 * 1. Every memory size gets `minSamples` warm invocations.
 * 2. Each size's objective (cost, duration, or the balanced score) is a trimmed mean — `discardTopBottom` of the
 *    invocations left out at each end, as AWS Lambda Power Tuning does — with a Student-t confidence interval from
 *    the winsorized sample (Tukey & McLaughlin; Yuen), its spread at least the pooled coefficient of variation.
 * 3. The leader is the best objective; objectives within `relativePrecision` of the best are practically tied, and
 *    the tie goes to the secondary metric (cost: duration; speed: cost; balanced: cost, then duration).
 * 4. A size whose interval lies wholly outside the tie band of every plausible best is eliminated (`eliminated`).
 * 5. Done when the expected loss of recommending the leader now — how far its objective lies beyond the tie band of
 *    the best other size, maxₒ max(0, leader − (1 + relativePrecision)·other), over the sizes not eliminated — is at most
 *    (1 − confidence) × relativePrecision of the leader's objective. Which of several sizes inside the band wins the
 *    tie-break is not waited for: any of them is within the band of the best. Otherwise the leader and the sizes that
 *    carry the expected loss are sampled, up to `maxSamples`.
 *
 * @module
 */
import { InvalidInputError } from '../errors.js';
import { studentTCdf, studentTQuantile } from '../stats/distributions.js';
import { describe } from '../internal/validate.js';
import { sortedCopy } from '../stats/sample.js';
import { trimCount } from '../stats/summarize.js';

/** Warm invocations of one memory size observed so far (the same length in both arrays). */
export interface ConfigObservation {
  /** The memory size, MB. */
  readonly memorySizeMB: number;
  /** Duration of each warm invocation, ms. */
  readonly durationsMs: readonly number[];
  /** Cost of each of the same invocations, USD. */
  readonly costsUSD: readonly number[];
}

/** Options of {@link planNextRound}. */
export interface AdaptiveOptions {
  /** What is minimised: mean cost per invocation, mean duration, or the Power Tuning balanced score. */
  readonly strategy: 'cost' | 'speed' | 'balanced';
  /**
   * Weight `w` of cost in the balanced score `w·cost/maxCost + (1−w)·duration/maxDuration`, in [0, 1].
   * @default 0.5
   */
  readonly balancedWeight?: number;
  /**
   * Warm invocations every memory size gets before anything is decided (an integer ≥ 2).
   * @default 5
   */
  readonly minSamples?: number;
  /**
   * Most warm invocations of one memory size (an integer ≥ minSamples).
   * @default 50
   */
  readonly maxSamples?: number;
  /**
   * Invocations per memory size and round, on average: a round hands out `batchSize` × (sizes that need more),
   * at least one to each, the rest to the widest confidence intervals (an integer ≥ 1).
   * @default 5
   */
  readonly batchSize?: number;
  /**
   * The tie band, in (0, 1): objectives within this fraction of the best are practically tied (and the secondary
   * metric decides). Sampling goes on until the leader is, in expectation, hardly beyond the band of any other size.
   * @default 0.05
   */
  readonly relativePrecision?: number;
  /**
   * Confidence level of each interval, in (0, 1). The intervals decide eliminations; the stopping rule allows an
   * expected excess beyond the band of (1 − confidence) × relativePrecision of the leader's objective.
   * @default 0.95
   */
  readonly confidence?: number;
  /**
   * Fraction of each size's invocations left out at each end (the fastest and the slowest) before its objective is
   * averaged: a trimmed mean, in [0, 0.4]. 0.2 is AWS Lambda Power Tuning's `discardTopBottom` default; 0 averages
   * every invocation. Trimming makes the comparison robust to rare slow invocations, which otherwise decide ties.
   * @default 0.2
   */
  readonly discardTopBottom?: number;
}

/** What {@link planNextRound} decided. */
export interface AdaptiveDecision {
  /** True when the recommendation is settled (or every undecided size is at `maxSamples`): stop invoking. */
  readonly done: boolean;
  /** How many more warm invocations each memory size needs in the next round (sizes needing none are left out). */
  readonly sample: readonly { readonly memorySizeMB: number; readonly count: number }[];
  /**
   * Memory sizes eliminated early as clearly worse than the leader; they are never sampled again. "Eliminated" is the
   * sampler's word; "dominated" in lambda-meter means only "off the Pareto frontier".
   */
  readonly eliminated: readonly number[];
  /** The memory size recommended from the data so far; undefined while no size has a sample. */
  readonly leader: number | undefined;
}

type Strategy = AdaptiveOptions['strategy'];

interface Settings {
  readonly strategy: Strategy;
  readonly weight: number;
  readonly minSamples: number;
  readonly maxSamples: number;
  readonly batchSize: number;
  readonly precision: number;
  readonly confidence: number;
  readonly trim: number;
}

/** One size's observations, with the moments of each prefix length computed on demand (once per call). */
interface SizeData {
  readonly memorySizeMB: number;
  readonly count: number;
  readonly costs: readonly number[];
  readonly durations: readonly number[];
  readonly moments: Map<number, Moments>;
}

/**
 * Trimmed means of cost and duration over a prefix, and the squared standard errors (and covariance) of those
 * trimmed means from the winsorized sample (Tukey & McLaughlin 1963; Yuen 1974): SE² = (n − 1)·s²_w / (h·(h − 1)),
 * h = n − 2k values kept. With nothing trimmed these are the plain mean and s²/n.
 */
interface Moments {
  readonly meanCost: number;
  readonly meanDuration: number;
  readonly seCost2: number;
  readonly seDuration2: number;
  readonly seCov: number;
  /** Values kept after trimming; the t interval has h − 1 degrees of freedom. */
  readonly kept: number;
}
/** One size's estimate at some prefix length. */
interface Estimate {
  readonly index: number;
  readonly n: number;
  readonly mean: number;
  readonly halfWidth: number;
  readonly meanCost: number;
  readonly meanDuration: number;
}

interface Evaluation {
  readonly leader: number | undefined;
  readonly eliminated: ReadonlySet<number>;
  readonly counts: readonly number[];
  readonly done: boolean;
}

const DEFAULTS = {
  balancedWeight: 0.5,
  minSamples: 5,
  maxSamples: 50,
  batchSize: 5,
  relativePrecision: 0.05,
  confidence: 0.95,
  discardTopBottom: 0.2,
} as const;

/** The sampler's default `relativePrecision`, which `powerTune` also uses as its recommendation's tie tolerance. */
export const DEFAULT_RELATIVE_PRECISION: number = DEFAULTS.relativePrecision;
/** The default `discardTopBottom` (AWS Lambda Power Tuning's). */
export const DEFAULT_DISCARD_TOP_BOTTOM: number = DEFAULTS.discardTopBottom;

/** Most that `discardTopBottom` may trim from each end (Power Tuning's own limit). */
const MAX_TRIM = 0.4;

// ---------------------------------------------------------------------------------------------------------------
// Validation

function integerOption(opts: Record<string, unknown>, key: string, fallback: number, min: number, minText: string): number {
  const v = opts[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) {
    throw new InvalidInputError(`options.${key}`, `must be an integer ≥ ${minText}, got ${describe(v)}`);
  }
  return v;
}

function fractionOption(opts: Record<string, unknown>, key: string, fallback: number, closed: boolean): number {
  const v = opts[key];
  if (v === undefined) return fallback;
  const ok = typeof v === 'number' && Number.isFinite(v) && (closed ? v >= 0 && v <= 1 : v > 0 && v < 1);
  if (!ok) throw new InvalidInputError(`options.${key}`, `must be a number in ${closed ? '[0, 1]' : '(0, 1)'}, got ${describe(v)}`);
  return v as number;
}

function checkSettings(options: unknown): Settings {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidInputError('options', `must be an object, got ${describe(options)}`);
  }
  const opts = options as Record<string, unknown>;
  const strategy = opts.strategy;
  if (strategy !== 'cost' && strategy !== 'speed' && strategy !== 'balanced') {
    throw new InvalidInputError('options.strategy', `must be 'cost', 'speed' or 'balanced', got ${describe(strategy)}`);
  }
  const minSamples = integerOption(opts, 'minSamples', DEFAULTS.minSamples, 2, '2');
  const maxSamples = integerOption(opts, 'maxSamples', Math.max(DEFAULTS.maxSamples, minSamples), minSamples, `minSamples (${minSamples})`);
  return {
    strategy,
    weight: fractionOption(opts, 'balancedWeight', DEFAULTS.balancedWeight, true),
    minSamples,
    maxSamples,
    batchSize: integerOption(opts, 'batchSize', DEFAULTS.batchSize, 1, '1'),
    precision: fractionOption(opts, 'relativePrecision', DEFAULTS.relativePrecision, false),
    confidence: fractionOption(opts, 'confidence', DEFAULTS.confidence, false),
    trim: trimOption(opts.discardTopBottom),
  };
}

function trimOption(v: unknown): number {
  return v === undefined ? DEFAULTS.discardTopBottom : checkDiscardTopBottom(v, 'options.discardTopBottom');
}

/** Throws InvalidInputError naming `field` unless `value` is a `discardTopBottom` fraction, in [0, 0.4]. */
export function checkDiscardTopBottom(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_TRIM) {
    throw new InvalidInputError(field, `must be a number in [0, ${MAX_TRIM}], got ${describe(value)}`);
  }
  return value;
}

function checkSeries(values: unknown, field: string): readonly number[] {
  if (!Array.isArray(values)) throw new InvalidInputError(field, `must be an array of non-negative numbers, got ${describe(values)}`);
  for (let i = 0; i < values.length; i++) {
    const v: unknown = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new InvalidInputError(`${field}[${i}]`, `must be a finite non-negative number, got ${describe(v)}`);
    }
  }
  return values as readonly number[];
}

/** Validates the observations. */
function sizeData(observations: unknown): SizeData[] {
  if (!Array.isArray(observations) || observations.length === 0) {
    throw new InvalidInputError('observations', `must be a non-empty array, got ${describe(observations)}`);
  }
  const seen = new Set<number>();
  return observations.map((o: unknown, i) => {
    const field = `observations[${i}]`;
    if (typeof o !== 'object' || o === null) throw new InvalidInputError(field, `must be an object, got ${describe(o)}`);
    const rec = o as Record<string, unknown>;
    const memory = rec.memorySizeMB;
    if (typeof memory !== 'number' || !Number.isSafeInteger(memory) || memory < 128 || memory > 10_240) {
      throw new InvalidInputError(`${field}.memorySizeMB`, `must be an integer from 128 to 10240, got ${describe(memory)}`);
    }
    if (seen.has(memory)) throw new InvalidInputError(`${field}.memorySizeMB`, `repeats ${memory}; give each memory size once`);
    seen.add(memory);
    const durations = checkSeries(rec.durationsMs, `${field}.durationsMs`);
    const costs = checkSeries(rec.costsUSD, `${field}.costsUSD`);
    if (costs.length !== durations.length) {
      throw new InvalidInputError(`${field}.costsUSD`, `must have one cost per duration (${durations.length}), got ${costs.length}`);
    }
    return { memorySizeMB: memory, count: durations.length, costs, durations, moments: new Map() };
  });
}

/** The trimmed means and their squared standard errors over the first n observations of one size. */
function momentsOf(size: SizeData, n: number, trim: number): Moments {
  const cached = size.moments.get(n);
  if (cached !== undefined) return cached;
  const k = trimCount(n, trim);
  const kept = n - 2 * k;
  const c = sortedCopy(size.costs, n);
  const d = sortedCopy(size.durations, n);
  let sumC = 0;
  let sumD = 0;
  for (let j = k; j < n - k; j++) {
    sumC += c[j] as number;
    sumD += d[j] as number;
  }
  const meanCost = sumC / kept;
  const meanDuration = sumD / kept;
  let seCost2 = 0;
  let seDuration2 = 0;
  let seCov = 0;
  if (kept >= 2) {
    // Winsorize: values beyond the k-th from either end are pulled in to it; then the usual (co)variances.
    const cLo = c[k] as number;
    const cHi = c[n - k - 1] as number;
    const dLo = d[k] as number;
    const dHi = d[n - k - 1] as number;
    const wc = new Float64Array(n);
    const wd = new Float64Array(n);
    let mc = 0;
    let md = 0;
    for (let j = 0; j < n; j++) {
      const cj = size.costs[j] as number;
      const dj = size.durations[j] as number;
      wc[j] = cj < cLo ? cLo : cj > cHi ? cHi : cj;
      wd[j] = dj < dLo ? dLo : dj > dHi ? dHi : dj;
      mc += wc[j] as number;
      md += wd[j] as number;
    }
    mc /= n;
    md /= n;
    let ssC = 0;
    let ssD = 0;
    let ssCD = 0;
    for (let j = 0; j < n; j++) {
      const ec = (wc[j] as number) - mc;
      const ed = (wd[j] as number) - md;
      ssC += ec * ec;
      ssD += ed * ed;
      ssCD += ec * ed;
    }
    // (n − 1)·s²_w / (h(h − 1)) = SS_w / (h(h − 1)).
    const scale = kept * (kept - 1);
    seCost2 = ssC / scale;
    seDuration2 = ssD / scale;
    seCov = ssCD / scale;
  }
  const m: Moments = { meanCost, meanDuration, seCost2, seDuration2, seCov, kept };
  size.moments.set(n, m);
  return m;
}

// ---------------------------------------------------------------------------------------------------------------
// Estimates and one round's decision

// t quantiles are memoised: the same few (confidence, df) pairs come back in every round and every call.
const T_CACHE = new Map<string, number>();
function tQuantile(confidence: number, df: number): number {
  const key = `${confidence}:${df}`;
  let t = T_CACHE.get(key);
  if (t === undefined) {
    if (T_CACHE.size > 4096) T_CACHE.clear();
    t = studentTQuantile((1 + confidence) / 2, df);
    T_CACHE.set(key, t);
  }
  return t;
}

/** Estimates of the objective for every size with at least one sample in the prefix `counts`. */
function estimate(stats: readonly SizeData[], counts: readonly number[], settings: Settings): Estimate[] {
  const moments: (Moments | undefined)[] = stats.map((s, i) => {
    const n = counts[i] as number;
    return n === 0 ? undefined : momentsOf(s, n, settings.trim);
  });
  let maxCost = 0;
  let maxDuration = 0;
  for (const m of moments) {
    if (m === undefined) continue;
    maxCost = Math.max(maxCost, m.meanCost);
    maxDuration = Math.max(maxDuration, m.meanDuration);
  }
  // Coefficients of cost and duration in the objective; the balanced score normalises by the largest current means.
  const { strategy, weight } = settings;
  const a = strategy === 'cost' ? 1 : strategy === 'speed' ? 0 : maxCost > 0 ? weight / maxCost : 0;
  const b = strategy === 'speed' ? 1 : strategy === 'cost' ? 0 : maxDuration > 0 ? (1 - weight) / maxDuration : 0;

  const rows: {
    index: number; n: number; kept: number; mean: number; se: number; meanCost: number; meanDuration: number;
  }[] = [];
  let pooledNumerator = 0;
  let pooledDf = 0;
  moments.forEach((m, i) => {
    if (m === undefined) return;
    const n = counts[i] as number;
    const mean = a * m.meanCost + b * m.meanDuration;
    let se = 0;
    if (m.kept >= 2) {
      se = Math.sqrt(Math.max(0, a * a * m.seCost2 + b * b * m.seDuration2 + 2 * a * b * m.seCov));
      if (mean > 0) {
        // The spread behind the standard error, per invocation: se·√n.
        pooledNumerator += (m.kept - 1) * ((se * Math.sqrt(n)) / mean) ** 2;
        pooledDf += m.kept - 1;
      }
    }
    rows.push({ index: i, n, kept: m.kept, mean, se, meanCost: m.meanCost, meanDuration: m.meanDuration });
  });
  // Heavy tails: a size whose few samples missed the rare slow invocations shows a deceptively small spread. Lambda's
  // noise is roughly multiplicative and shared by every size of one function, so each size's spread is at least
  // the pooled coefficient of variation × its mean. This only ever widens an interval.
  const pooledCv = pooledDf > 0 ? Math.sqrt(pooledNumerator / pooledDf) : 0;
  return rows.map((r) => {
    // Fewer than two values kept: no spread, so nothing is known yet.
    const t = r.kept >= 2 ? tQuantile(settings.confidence, r.kept - 1) : Infinity;
    const halfWidth = r.kept >= 2
      ? Math.max(t * r.se, tQuantile(settings.confidence, pooledDf) * ((pooledCv * r.mean) / Math.sqrt(r.n)))
      : Infinity;
    return {
      index: r.index,
      n: r.n,
      mean: r.mean,
      halfWidth,
      meanCost: r.meanCost,
      meanDuration: r.meanDuration,
    };
  });
}

/** Orders estimates by the strategy's tie-break (cost: duration; speed: cost; balanced: cost then duration). */
function secondaryOrder(strategy: Strategy, stats: readonly SizeData[]) {
  return (x: Estimate, y: Estimate): number => {
    const first = strategy === 'speed' ? x.meanCost - y.meanCost : strategy === 'cost' ? x.meanDuration - y.meanDuration : x.meanCost - y.meanCost;
    if (first !== 0) return first;
    if (strategy === 'balanced' && x.meanDuration !== y.meanDuration) return x.meanDuration - y.meanDuration;
    if (x.mean !== y.mean) return x.mean - y.mean;
    return (stats[x.index] as SizeData).memorySizeMB - (stats[y.index] as SizeData).memorySizeMB;
  };
}

/** The best mean, with practical ties (within `precision` of the best) going to the secondary metric. */
function pickLeader(candidates: readonly Estimate[], settings: Settings, stats: readonly SizeData[]): Estimate | undefined {
  if (candidates.length === 0) return undefined;
  const order = secondaryOrder(settings.strategy, stats);
  let best = candidates[0] as Estimate;
  for (const e of candidates) if (e.mean < best.mean || (e.mean === best.mean && order(e, best) < 0)) best = e;
  const band = best.mean + settings.precision * Math.abs(best.mean);
  let leader = best;
  for (const e of candidates) if (e.mean <= band && order(e, leader) < 0) leader = e;
  return leader;
}

/**
 * E[max(0, D)] for D normal with mean m and standard deviation s: s·φ(m/s) + m·Φ(m/s). Infinite when s is.
 */
function expectedExcess(m: number, s: number): number {
  if (s === Infinity || Number.isNaN(s)) return Infinity;
  if (s === 0) return Math.max(0, m);
  const u = m / s;
  return s * (Math.exp(-0.5 * u * u) / Math.sqrt(2 * Math.PI)) + m * studentTCdf(u, Infinity);
}

/** Standard normal CDF, |error| < 1e-7 (Abramowitz & Stegun 7.1.26 for erfc): fast enough for the integrals below. */
function normalCdfFast(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const tail = 0.5 * t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-z * z);
  return x >= 0 ? 1 - tail : tail;
}

/**
 * Intervals of the composite Simpson rules: over the leader's objective (±6 sd), and over the excess per segment
 * between the points where another size's term turns (its centre and ±7 sd), so that a sharp turn (a small or zero
 * spread) falls on a segment's end.
 */
const OUTER_INTERVALS = 32;
const SEGMENT_INTERVALS = 12;

/**
 * E[max(0, maxⱼ (L − c·Oⱼ))] for independent normals L ~ N(leader.m, leader.s²) and Oⱼ ~ N(others[j].m,
 * others[j].s²): the expected loss of recommending the leader, measured beyond the tie band (c = 1 + precision) of
 * the best other size. Given L = l the terms are independent, so P(max ≤ t) = Πⱼ P(Oⱼ ≥ (l − t)/c) and the
 * conditional expectation is ∫₀^∞ (1 − Πⱼ …) dt; both integrals are composite Simpson rules. It is at most the sum
 * of the single expectations (what `expectedExcess` gives per size) and at least their largest.
 *
 * @internal Exported for its tests; not part of `lambda-meter/tune`.
 * @example
 * ```ts
 * expectedMaxExcess({ m: 100, s: 2 }, [{ m: 100, s: 2 }, { m: 101, s: 2 }], 1.05); // ≈ 0.001
 * ```
 */
export function expectedMaxExcess(leader: { m: number; s: number }, others: readonly { m: number; s: number }[], c: number): number {
  /** P(max ≤ t | l). */
  const below = (l: number, t: number): number => {
    let p = 1;
    for (const o of others) {
      const x = c * o.m - l + t;
      p *= o.s === 0 ? (x >= 0 ? 1 : 0) : normalCdfFast(x / (c * o.s));
    }
    return p;
  };
  const conditional = (l: number): number => {
    const points = [0];
    for (const o of others) {
      const centre = l - c * o.m;
      for (const p of [centre - 7 * c * o.s, centre, centre + 7 * c * o.s]) if (p > 0) points.push(p);
    }
    points.sort((a, b) => a - b);
    let total = 0;
    for (let k = 1; k < points.length; k++) {
      const from = points[k - 1] as number;
      const width = (points[k] as number) - from;
      if (width <= 0) continue;
      const h = width / SEGMENT_INTERVALS;
      let sum = 0;
      // The midpoint of the ends of a segment: a step exactly at an end is read from inside the segment.
      for (let i = 0; i <= SEGMENT_INTERVALS; i++) {
        const t = i === 0 ? from + h * 1e-9 : i === SEGMENT_INTERVALS ? from + width - h * 1e-9 : from + i * h;
        sum += (i === 0 || i === SEGMENT_INTERVALS ? 1 : i % 2 === 1 ? 4 : 2) * (1 - below(l, t));
      }
      total += (sum * h) / 3;
    }
    return total;
  };
  if (leader.s === 0) return conditional(leader.m);
  const h = 12 / OUTER_INTERVALS;
  let sum = 0;
  for (let i = 0; i <= OUTER_INTERVALS; i++) {
    const z = -6 + i * h;
    const weight = (i === 0 || i === OUTER_INTERVALS ? 1 : i % 2 === 1 ? 4 : 2) * (Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI));
    sum += weight * conditional(leader.m + z * leader.s);
  }
  return (sum * h) / 3;
}

/**
 * One round at the prefix `counts`: eliminations (added to `eliminated`), the leader, and the next round's counts.
 */
function evaluate(
  stats: readonly SizeData[],
  counts: readonly number[],
  eliminatedBefore: ReadonlySet<number>,
  settings: Settings,
): Evaluation {
  const estimates = estimate(stats, counts, settings);
  const alive = estimates.filter((e) => !eliminatedBefore.has(e.index));
  const leader = pickLeader(alive, settings, stats);
  const eliminated = new Set(eliminatedBefore);
  const next = counts.map(() => 0);
  if (leader === undefined) return { leader: undefined, eliminated, counts: next, done: true };
  // Where each objective may lie: its confidence interval. A size is in the tie band when its objective is within
  // `precision` of every other size's; it surely is when its upper end is within `precision` of every other
  // size's lower end, and it may be when its lower end is within `precision` of every other size's upper end.
  const lo = (e: Estimate): number => e.mean - e.halfWidth;
  const hi = (e: Estimate): number => e.mean + e.halfWidth;
  const factor = 1 + settings.precision;
  /** The other size with the lowest `end`. */
  const lowestOther = (self: Estimate, end: (e: Estimate) => number): Estimate | undefined => {
    let best: Estimate | undefined;
    for (const e of alive) if (e !== self && (best === undefined || end(e) < end(best))) best = e;
    return best;
  };
  // Elimination: a size whose interval lies wholly above the band of the lowest plausible best can never be
  // recommended, so it is never sampled again.
  for (const e of alive) {
    if (e === leader) continue;
    const best = lowestOther(e, hi) as Estimate; // the leader at least
    if (lo(e) > factor * hi(best)) eliminated.add(e.index);
  }
  // Stopping: the expected loss of recommending the leader now. The loss against another size f is how far the
  // leader's objective lies beyond f's tie band, max(0, μ_leader − (1 + precision)·μ_f): zero whenever the leader is
  // within the band of the best, whichever of the tied sizes wins on the secondary metric. Its expectation over the
  // estimates' normal approximation (standard deviations read off the intervals, so the t quantile's small-sample
  // widening and the pooled-CV floor carry over) is s·φ(m/s) + m·Φ(m/s), the expected opportunity cost of Chick &
  // Inoue (Operations Research 49(5), 2001), here measured beyond the band. Against several sizes the loss is the
  // largest of these excesses (the loss against the best of them); done when its expectation is at most
  // (1 − confidence) × precision of the leader's objective: at the defaults, 0.25%.
  const z = tQuantile(settings.confidence, Infinity);
  const sd = (e: Estimate): number => e.halfWidth / z;
  const rivals: { e: Estimate; loss: number }[] = [];
  let total = 0;
  for (const e of alive) {
    if (e === leader || eliminated.has(e.index)) continue;
    const loss = expectedExcess(leader.mean - factor * e.mean, Math.hypot(sd(leader), factor * sd(e)));
    rivals.push({ e, loss });
    total += loss;
  }
  const allowed = settings.precision * (1 - settings.confidence) * Math.abs(leader.mean);
  // The loss is against the best of the other sizes, the largest of the excesses: its expectation lies between the
  // largest single expectation and their sum, and is only computed when those two fall on either side of the
  // allowance.
  let expected = total;
  const worst = rivals.reduce((w, r) => Math.max(w, r.loss), 0);
  if (total > allowed && worst <= allowed && rivals.length > 1) {
    expected = expectedMaxExcess(
      { m: leader.mean, s: sd(leader) },
      rivals.map((r) => ({ m: r.e.mean, s: sd(r.e) })),
      factor,
    );
  }
  const open = new Set<Estimate>();
  if (expected > allowed) {
    // Sample the leader and the sizes that carry the expected loss (each above an even share of half the allowance).
    open.add(leader);
    for (const r of rivals) if (r.loss > allowed / (2 * rivals.length)) open.add(r.e);
  }
  const needs = [...open].filter((e) => e.n < settings.maxSamples && !eliminated.has(e.index));
  if (needs.length === 0) return { leader: leader.index, eliminated, counts: next, done: true };

  // Hand out batchSize per needing size: one each, then one at a time to the widest projected interval.
  const planned = new Map(needs.map((e) => [e, 1]));
  let budget = settings.batchSize * needs.length - needs.length;
  while (budget > 0) {
    let pick: Estimate | undefined;
    let widest = -1;
    for (const e of needs) {
      const a = planned.get(e) as number;
      if (e.n + a >= settings.maxSamples) continue;
      const projected = e.halfWidth === Infinity ? Infinity : e.halfWidth * Math.sqrt(e.n / (e.n + a));
      if (projected > widest) {
        widest = projected;
        pick = e;
      }
    }
    if (pick === undefined) break;
    planned.set(pick, (planned.get(pick) as number) + 1);
    budget--;
  }
  for (const [e, k] of planned) next[e.index] = k;
  return { leader: leader.index, eliminated, counts: next, done: false };
}

/**
 * Replays the rounds the caller has been through (their sample counts follow from the data alone, since every
 * round's plan is a function of the earlier prefixes), so that an elimination stays final without keeping state.
 */
function decide(stats: readonly SizeData[], settings: Settings): Evaluation {
  const actual = stats.map((s) => s.count);
  if (actual.some((n) => n < settings.minSamples)) {
    const warmUp = evaluate(stats, actual, new Set(), settings);
    const counts = actual.map((n) => Math.max(0, settings.minSamples - n));
    return { leader: warmUp.leader, eliminated: new Set(), counts, done: false };
  }
  let counts = actual.map(() => settings.minSamples);
  let eliminated: ReadonlySet<number> = new Set<number>();
  for (;;) {
    const round = evaluate(stats, counts, eliminated, settings);
    eliminated = round.eliminated;
    if (counts.every((n, i) => n === actual[i])) return round;
    if (round.done) break;
    // A caller who got fewer samples than planned (failed invocations) is followed as far as the data go.
    const next = counts.map((n, i) => Math.min(n + (round.counts[i] as number), actual[i] as number));
    if (next.every((n, i) => n === counts[i])) break;
    counts = next;
  }
  // The caller sampled beyond the plan: decide on all the data, keeping the eliminations made on the way.
  return evaluate(stats, actual, eliminated, settings);
}

// ---------------------------------------------------------------------------------------------------------------
// Public API

/**
 * Plans the next round of an adaptive power-tuning run. Call it with every memory size's warm invocations so far
 * (empty at first), invoke `count` more warm invocations of each size in `sample`, append them, and call again
 * until `done`; the recommendation is `leader`.
 *
 * Each size's objective is a trimmed mean over its invocations (`discardTopBottom`, 0.2 by default, left out at each
 * end): of cost (`cost`), of duration (`speed`), or the Power Tuning score `w·cost/maxCost + (1−w)·duration/maxDuration`
 * (`balanced`, normalised by the largest current means). Its confidence interval is Student-t from the winsorized
 * sample, with the spread raised to at least the pooled coefficient of variation × the mean: Lambda durations are
 * right-skewed with rare slow invocations, so a size whose first few samples missed them would otherwise look far
 * more certain than it is. Objectives within `relativePrecision` of the best are practically tied and the tie goes to
 * the secondary metric (cost: duration; speed: cost; balanced: cost, then duration), then to the smaller memory size.
 *
 * Sampling stops when the answer is good enough: the expected loss of recommending the leader now, measured as how
 * far its objective lies beyond the tie band of the best of the sizes still in the race (a normal approximation whose
 * spreads are read off the intervals), is at most (1 − `confidence`) × `relativePrecision` of the
 * leader's objective (0.25% at the defaults). The tie-break among sizes that are all inside the band is not waited
 * for. Until then only the leader and the sizes that carry that loss are sampled; a size that cannot be within the band of any plausible best is `eliminated` and is never
 * sampled again; nobody goes beyond `maxSamples`. Elimination is final: the function keeps no state, but replays the
 * earlier rounds from the data (a caller that follows the plan reproduces them exactly).
 *
 * @param observations - one entry per memory size, each with its warm durations and costs so far (same length).
 * @param options - the strategy and the sampler's settings.
 * @throws InvalidInputError naming the field: no observations, a repeated or invalid memory size, arrays of
 *   different lengths or with negative or non-finite values, or an option out of range.
 *
 * @example
 * ```ts
 * const data = new Map(sizes.map((m) => [m, { memorySizeMB: m, durationsMs: [] as number[], costsUSD: [] as number[] }]));
 * for (;;) {
 *   const plan = planNextRound([...data.values()], { strategy: 'cost' });
 *   if (plan.done) { console.log('recommended', plan.leader); break; }
 *   for (const { memorySizeMB, count } of plan.sample) {
 *     for (const r of await invokeWarm(memorySizeMB, count)) {
 *       data.get(memorySizeMB)!.durationsMs.push(r.durationMs);
 *       data.get(memorySizeMB)!.costsUSD.push(r.costUSD);
 *     }
 *   }
 * }
 * ```
 */
export function planNextRound(observations: readonly ConfigObservation[], options: AdaptiveOptions): AdaptiveDecision {
  const settings = checkSettings(options);
  const stats = sizeData(observations);
  const result = decide(stats, settings);
  const leaderIndex = result.leader;
  const sample: { memorySizeMB: number; count: number }[] = [];
  const eliminated: number[] = [];
  stats.forEach((s, i) => {
    const count = result.counts[i] as number;
    if (count > 0) sample.push({ memorySizeMB: s.memorySizeMB, count });
    if (result.eliminated.has(i) && i !== leaderIndex) eliminated.push(s.memorySizeMB);
  });
  return {
    done: result.done,
    sample,
    eliminated,
    leader: leaderIndex === undefined ? undefined : (stats[leaderIndex] as SizeData).memorySizeMB,
  };
}

/**
 * The memory size the adaptive rule recommends from these observations taken as they are, with nothing
 * eliminated: the best trimmed-mean objective, practical ties (within `relativePrecision` of the best) going to the
 * secondary metric as in {@link planNextRound}. Use it to decide a fixed-size run by the same rule, or on true means.
 *
 * @throws InvalidInputError as {@link planNextRound} does.
 *
 * @example
 * ```ts
 * leaderOf([
 *   { memorySizeMB: 512, durationsMs: [400], costsUSD: [0.0000035] },
 *   { memorySizeMB: 1024, durationsMs: [200], costsUSD: [0.0000035] },
 * ], { strategy: 'cost' }); // 1024: tied on cost, faster
 * ```
 */
export function leaderOf(observations: readonly ConfigObservation[], options: AdaptiveOptions): number | undefined {
  const settings = checkSettings(options);
  const stats = sizeData(observations);
  const leader = pickLeader(estimate(stats, stats.map((s) => s.count), settings), settings, stats);
  return leader === undefined ? undefined : (stats[leader.index] as SizeData).memorySizeMB;
}
