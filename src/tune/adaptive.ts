/**
 * Adaptive sampling for power tuning: decides, round by round, which memory sizes need more warm invocations and
 * when the recommendation is settled. Pure and deterministic; no I/O, no state kept between calls.
 *
 * The rule (a racing / successive-elimination scheme, after Maron & Moore's Hoeffding races and Even-Dar et al.,
 * "Action Elimination and Stopping Conditions for the Multi-Armed Bandit", JMLR 7, 2006):
 * 1. Every memory size gets `minSamples` warm invocations.
 * 2. Each size's objective (mean cost, mean duration, or the balanced score) gets a Student-t confidence interval
 *    whose standard deviation is at least the pooled coefficient of variation × its mean (see {@link planNextRound}).
 * 3. The leader is the best mean; means within `relativePrecision` of the best are practically tied, and the tie
 *    goes to the secondary metric (cost: duration; speed: cost; balanced: cost, then duration).
 * 4. A size whose interval lies entirely worse than the leader's is eliminated (`dominated`) for good.
 * 5. A surviving size needs more samples while its interval is wider than `relativePrecision` × its mean, or while
 *    its mean is outside the leader's tie band (neither tied nor separated yet); the leader needs more while it is
 *    imprecise or any size is still undecided. Done when nobody needs more, or everyone who does is at `maxSamples`.
 *
 * @module
 */
import { InvalidInputError } from '../errors.js';
import { studentTQuantile } from '../stats/distributions.js';
import { describe } from '../stats/sample.js';

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
   * Relative precision, in (0, 1): an estimate is precise enough when its confidence interval's half-width is at
   * most this fraction of its mean, and two means this close (relative to the best) are practically tied.
   * @default 0.05
   */
  readonly relativePrecision?: number;
  /**
   * Confidence level of each interval, in (0, 1).
   * @default 0.95
   */
  readonly confidence?: number;
}

/** What {@link planNextRound} decided. */
export interface AdaptiveDecision {
  /** True when the recommendation is settled (or every undecided size is at `maxSamples`): stop invoking. */
  readonly done: boolean;
  /** How many more warm invocations each memory size needs in the next round (sizes needing none are left out). */
  readonly sample: readonly { readonly memorySizeMB: number; readonly count: number }[];
  /** Memory sizes eliminated as clearly worse than the leader; they are never sampled again. */
  readonly dominated: readonly number[];
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
}

/** Running (Welford) mean, sum of squares and co-moment of cost and duration for every prefix of one size. */
interface PrefixStats {
  readonly memorySizeMB: number;
  readonly count: number;
  readonly meanCost: Float64Array;
  readonly meanDuration: Float64Array;
  readonly m2Cost: Float64Array;
  readonly m2Duration: Float64Array;
  readonly coMoment: Float64Array;
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
} as const;

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
  };
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

/** Validates the observations and computes every prefix's running moments (Welford, so no cancellation). */
function prefixStats(observations: unknown): PrefixStats[] {
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
    const n = durations.length;
    const s: PrefixStats = {
      memorySizeMB: memory,
      count: n,
      meanCost: new Float64Array(n + 1),
      meanDuration: new Float64Array(n + 1),
      m2Cost: new Float64Array(n + 1),
      m2Duration: new Float64Array(n + 1),
      coMoment: new Float64Array(n + 1),
    };
    for (let k = 1; k <= n; k++) {
      const c = costs[k - 1] as number;
      const d = durations[k - 1] as number;
      const dc = c - (s.meanCost[k - 1] as number);
      const dd = d - (s.meanDuration[k - 1] as number);
      s.meanCost[k] = (s.meanCost[k - 1] as number) + dc / k;
      s.meanDuration[k] = (s.meanDuration[k - 1] as number) + dd / k;
      s.m2Cost[k] = (s.m2Cost[k - 1] as number) + dc * (c - (s.meanCost[k] as number));
      s.m2Duration[k] = (s.m2Duration[k - 1] as number) + dd * (d - (s.meanDuration[k] as number));
      s.coMoment[k] = (s.coMoment[k - 1] as number) + dc * (d - (s.meanDuration[k] as number));
    }
    return s;
  });
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
function estimate(stats: readonly PrefixStats[], counts: readonly number[], settings: Settings): Estimate[] {
  let maxCost = 0;
  let maxDuration = 0;
  for (let i = 0; i < stats.length; i++) {
    const n = counts[i] as number;
    if (n === 0) continue;
    const s = stats[i] as PrefixStats;
    maxCost = Math.max(maxCost, s.meanCost[n] as number);
    maxDuration = Math.max(maxDuration, s.meanDuration[n] as number);
  }
  // Coefficients of cost and duration in the objective; the balanced score normalises by the largest current means.
  const { strategy, weight } = settings;
  const a = strategy === 'cost' ? 1 : strategy === 'speed' ? 0 : maxCost > 0 ? weight / maxCost : 0;
  const b = strategy === 'speed' ? 1 : strategy === 'cost' ? 0 : maxDuration > 0 ? (1 - weight) / maxDuration : 0;

  const rows: { index: number; n: number; mean: number; sd: number; meanCost: number; meanDuration: number }[] = [];
  let pooledNumerator = 0;
  let pooledDf = 0;
  for (let i = 0; i < stats.length; i++) {
    const n = counts[i] as number;
    if (n === 0) continue;
    const s = stats[i] as PrefixStats;
    const meanCost = s.meanCost[n] as number;
    const meanDuration = s.meanDuration[n] as number;
    const mean = a * meanCost + b * meanDuration;
    let sd = 0;
    if (n >= 2) {
      const m2 = a * a * (s.m2Cost[n] as number) + b * b * (s.m2Duration[n] as number) + 2 * a * b * (s.coMoment[n] as number);
      sd = Math.sqrt(Math.max(0, m2) / (n - 1));
      if (mean > 0) {
        pooledNumerator += (n - 1) * (sd / mean) ** 2;
        pooledDf += n - 1;
      }
    }
    rows.push({ index: i, n, mean, sd, meanCost, meanDuration });
  }
  // Heavy tails: a size whose few samples missed the rare slow invocations shows a deceptively small spread. Lambda's
  // noise is roughly multiplicative and shared by every size of one function, so each size's standard deviation is
  // at least the pooled coefficient of variation × its mean. This only ever widens an interval.
  const pooledCv = pooledDf > 0 ? Math.sqrt(pooledNumerator / pooledDf) : 0;
  return rows.map((r) => {
    const halfWidth = r.n >= 2
      ? (tQuantile(settings.confidence, r.n - 1) * Math.max(r.sd, pooledCv * r.mean)) / Math.sqrt(r.n)
      : Infinity;
    return { index: r.index, n: r.n, mean: r.mean, halfWidth, meanCost: r.meanCost, meanDuration: r.meanDuration };
  });
}

/** Orders estimates by the strategy's tie-break (cost: duration; speed: cost; balanced: cost then duration). */
function secondaryOrder(strategy: Strategy, stats: readonly PrefixStats[]) {
  return (x: Estimate, y: Estimate): number => {
    const first = strategy === 'speed' ? x.meanCost - y.meanCost : strategy === 'cost' ? x.meanDuration - y.meanDuration : x.meanCost - y.meanCost;
    if (first !== 0) return first;
    if (strategy === 'balanced' && x.meanDuration !== y.meanDuration) return x.meanDuration - y.meanDuration;
    if (x.mean !== y.mean) return x.mean - y.mean;
    return (stats[x.index] as PrefixStats).memorySizeMB - (stats[y.index] as PrefixStats).memorySizeMB;
  };
}

/** The best mean, with practical ties (within `precision` of the best) going to the secondary metric. */
function pickLeader(candidates: readonly Estimate[], settings: Settings, stats: readonly PrefixStats[]): Estimate | undefined {
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
 * One round at the prefix `counts`: eliminations (added to `eliminated`), the leader, and the next round's counts.
 */
function evaluate(
  stats: readonly PrefixStats[],
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
  const leaderUpper = leader.mean + leader.halfWidth;
  const contenders: Estimate[] = [];
  for (const e of alive) {
    if (e === leader) continue;
    if (e.mean - e.halfWidth > leaderUpper) eliminated.add(e.index);
    else contenders.push(e);
  }
  const tol = settings.precision * Math.abs(leader.mean);
  const imprecise = (e: Estimate): boolean => e.halfWidth > settings.precision * Math.abs(e.mean);
  const undecided = contenders.some((e) => Math.abs(e.mean - leader.mean) > tol);
  const needs = [leader, ...contenders].filter((e) =>
    e.n < settings.maxSamples && (imprecise(e) || (e === leader ? undecided : Math.abs(e.mean - leader.mean) > tol)));
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
function decide(stats: readonly PrefixStats[], settings: Settings): Evaluation {
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
 * Each size's objective is a mean over its invocations: cost (`cost`), duration (`speed`), or the Power Tuning
 * score `w·cost/maxCost + (1−w)·duration/maxDuration` (`balanced`, normalised by the largest current means). Its
 * confidence interval is Student-t, with the standard deviation raised to at least the pooled coefficient of
 * variation × the mean: Lambda durations are right-skewed with rare slow invocations, so a size whose first few
 * samples missed them would otherwise look far more certain than it is. Means within `relativePrecision` of the best
 * are practically tied and the tie goes to the secondary metric (cost: duration; speed: cost; balanced: cost, then
 * duration), then to the smaller memory size. A size whose interval lies wholly above the leader's is `dominated`
 * and is never sampled again. The others are sampled while their interval is wider than `relativePrecision` × mean
 * or their mean is neither tied with the leader's nor separated from it; the leader while it is imprecise or any
 * size is undecided; nobody beyond `maxSamples`. Elimination is final: the function keeps no state, but replays the
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
  const stats = prefixStats(observations);
  const result = decide(stats, settings);
  const leaderIndex = result.leader;
  const sample: { memorySizeMB: number; count: number }[] = [];
  const dominated: number[] = [];
  stats.forEach((s, i) => {
    const count = result.counts[i] as number;
    if (count > 0) sample.push({ memorySizeMB: s.memorySizeMB, count });
    if (result.eliminated.has(i) && i !== leaderIndex) dominated.push(s.memorySizeMB);
  });
  return {
    done: result.done,
    sample,
    dominated,
    leader: leaderIndex === undefined ? undefined : (stats[leaderIndex] as PrefixStats).memorySizeMB,
  };
}

/**
 * The memory size the adaptive rule recommends from these observations taken as they are, with nothing
 * eliminated: the best mean objective, practical ties (within `relativePrecision` of the best) going to the
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
  const stats = prefixStats(observations);
  const leader = pickLeader(estimate(stats, stats.map((s) => s.count), settings), settings, stats);
  return leader === undefined ? undefined : (stats[leader.index] as PrefixStats).memorySizeMB;
}
