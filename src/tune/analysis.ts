/**
 * The pure part of power tuning: strategies, the Pareto frontier and the visualization URL.
 *
 * @module
 */
import { paretoFrontier as frontierOf } from '../stats/pareto.js';
import { InvalidInputError } from '../errors.js';
import type { TunePoint, TuneRecommendation, TuneResult, TuneStrategy } from './types.js';

const STRATEGIES: readonly TuneStrategy[] = ['cost', 'speed', 'balanced'];

/** Default weight of cost in the balanced score (Power Tuning's default). */
export const DEFAULT_BALANCED_WEIGHT = 0.5;

/** Throws InvalidInputError unless `value` is a strategy. */
export function checkStrategy(value: unknown, field: string): TuneStrategy {
  if (!STRATEGIES.includes(value as TuneStrategy)) {
    throw new InvalidInputError(field, `must be one of ${STRATEGIES.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as TuneStrategy;
}

/** Throws InvalidInputError unless `value` is a number in [0, 1]. */
export function checkWeight(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new InvalidInputError(field, `must be a number from 0 to 1, got ${String(value)}`);
  }
  return value;
}

function checkPoints(points: readonly TunePoint[], field: string): void {
  if (!Array.isArray(points)) throw new InvalidInputError(field, 'must be an array of { memorySizeMB, durationMs, costUSD }');
  points.forEach((p, i) => {
    for (const key of ['memorySizeMB', 'durationMs', 'costUSD'] as const) {
      const v = (p as unknown as Record<string, unknown> | null)?.[key];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
        throw new InvalidInputError(`${field}[${i}].${key}`, `must be a finite number >= 0, got ${String(v)}`);
      }
    }
  });
}

// Costs are sums of exact decimals converted to numbers; a relative tolerance keeps equal prices equal.
function less(a: number, b: number): boolean {
  return a < b && b - a > 1e-12 * Math.max(Math.abs(a), Math.abs(b));
}

function compareBy(keys: readonly ((p: TunePoint) => number)[]): (a: TunePoint, b: TunePoint) => number {
  return (a, b) => {
    for (const key of keys) {
      if (less(key(a), key(b))) return -1;
      if (less(key(b), key(a))) return 1;
    }
    return a.memorySizeMB - b.memorySizeMB;
  };
}

const usd = (v: number): string => `$${v.toPrecision(4)}`;
const ms = (v: number): string => `${v.toFixed(2)} ms`;

/** Options of {@link recommend}. */
export interface RecommendOptions {
  /**
   * `w`, the weight of cost in the `balanced` score, in [0, 1].
   * @default 0.5
   */
  readonly balancedWeight?: number;
  /**
   * Sizes whose primary metric is within this fraction of the best are practically tied, and the tie goes to the
   * secondary metric, as in {@link planNextRound}; in [0, 1). 0 compares exactly, as AWS Lambda Power Tuning does.
   * `powerTune` passes its sampler's `relativePrecision` (0.05 by default).
   * @default 0
   */
  readonly tieTolerance?: number;
}

/**
 * Picks the memory size a strategy recommends. `cost` takes the lowest cost, then the lowest duration; `speed` the
 * lowest duration, then the lowest cost; `balanced` the lowest `w·cost/maxCost + (1−w)·duration/maxDuration`, then
 * the lowest cost, then the lowest duration. With `tieTolerance` t, every size within t of the best primary value
 * (≤ best × (1 + t)) counts as tied with it and the secondary metric picks among them. Remaining ties go to the
 * smaller memory size. With t = 0 this is AWS Lambda Power Tuning's rule.
 *
 * @param points - one entry per memory size (failed sizes already left out).
 * @param strategy - `cost`, `speed` or `balanced`.
 * @param options - the balanced weight and the tie tolerance.
 * @returns the recommendation, or undefined when `points` is empty.
 * @throws InvalidInputError naming the bad argument.
 *
 * @example
 * ```ts
 * const points = [
 *   { memorySizeMB: 128, durationMs: 800, costUSD: 0.0000016 },
 *   { memorySizeMB: 1024, durationMs: 95, costUSD: 0.0000017 },
 * ];
 * recommend(points, 'cost')?.memorySizeMB; // 128: the cheapest
 * recommend(points, 'cost', { tieTolerance: 0.1 })?.memorySizeMB; // 1024: within 10% of the cheapest, and faster
 * ```
 */
export function recommend(
  points: readonly TunePoint[],
  strategy: TuneStrategy,
  options: RecommendOptions = {},
): TuneRecommendation | undefined {
  checkPoints(points, 'points');
  checkStrategy(strategy, 'strategy');
  if (typeof options !== 'object' || options === null) throw new InvalidInputError('options', 'must be an object');
  const w = checkWeight(options.balancedWeight ?? DEFAULT_BALANCED_WEIGHT, 'options.balancedWeight');
  const tolerance = options.tieTolerance ?? 0;
  if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance < 0 || tolerance >= 1) {
    throw new InvalidInputError('options.tieTolerance', `must be a number in [0, 1), got ${String(tolerance)}`);
  }
  if (points.length === 0) return undefined;
  const maxCost = Math.max(...points.map((p) => p.costUSD));
  const maxDuration = Math.max(...points.map((p) => p.durationMs));
  const score = (p: TunePoint): number =>
    w * (maxCost > 0 ? p.costUSD / maxCost : 0) + (1 - w) * (maxDuration > 0 ? p.durationMs / maxDuration : 0);
  const keys: readonly ((p: TunePoint) => number)[] =
    strategy === 'cost'
      ? [(p) => p.costUSD, (p) => p.durationMs]
      : strategy === 'speed'
        ? [(p) => p.durationMs, (p) => p.costUSD]
        : [score, (p) => p.costUSD, (p) => p.durationMs];
  const primary = keys[0] as (p: TunePoint) => number;
  const best = [...points].sort(compareBy(keys))[0] as TunePoint;
  const limit = primary(best) * (1 + tolerance);
  const tied = tolerance === 0 ? [best] : points.filter((p) => p === best || primary(p) <= limit);
  const chosen = [...tied].sort(compareBy(keys.slice(1)))[0] as TunePoint;
  const pct = `${+(tolerance * 100).toFixed(2)}%`;
  const at = (p: TunePoint): string => `${p.memorySizeMB} MB`;
  if (strategy === 'cost') {
    return {
      memorySizeMB: chosen.memorySizeMB,
      reason: chosen === best
        ? `lowest cost per invocation: ${usd(chosen.costUSD)} at ${at(chosen)} (duration ${ms(chosen.durationMs)})`
        : `cost per invocation ${usd(chosen.costUSD)} at ${at(chosen)}, within ${pct} of the lowest (${usd(best.costUSD)} at ${at(best)}), ` +
          `and faster: ${ms(chosen.durationMs)} against ${ms(best.durationMs)}`,
    };
  }
  if (strategy === 'speed') {
    return {
      memorySizeMB: chosen.memorySizeMB,
      reason: chosen === best
        ? `lowest duration: ${ms(chosen.durationMs)} at ${at(chosen)} (${usd(chosen.costUSD)} per invocation)`
        : `duration ${ms(chosen.durationMs)} at ${at(chosen)}, within ${pct} of the lowest (${ms(best.durationMs)} at ${at(best)}), ` +
          `and cheaper: ${usd(chosen.costUSD)} against ${usd(best.costUSD)} per invocation`,
    };
  }
  const formula = `${w} × cost/max cost + ${1 - w} × duration/max duration`;
  return {
    memorySizeMB: chosen.memorySizeMB,
    reason: chosen === best
      ? `lowest balanced score ${score(chosen).toFixed(4)} (${formula}) at ${at(chosen)}: ${usd(chosen.costUSD)} per invocation, duration ${ms(chosen.durationMs)}`
      : `balanced score ${score(chosen).toFixed(4)} (${formula}) at ${at(chosen)}, within ${pct} of the lowest ` +
        `(${score(best).toFixed(4)} at ${at(best)}), and ` +
        (chosen.costUSD < best.costUSD
          ? `cheaper: ${usd(chosen.costUSD)} against ${usd(best.costUSD)} per invocation`
          : `as cheap and faster: ${ms(chosen.durationMs)} against ${ms(best.durationMs)}`),
  };
}

/**
 * The memory sizes on the Pareto frontier of cost versus duration (`lambda-meter/stats`' `paretoFrontier`): no other
 * size is at least as cheap and at least as fast, and strictly better in one; equal sizes are both on it. Ascending.
 * A size off the frontier is what lambda-meter calls "dominated".
 *
 * @example
 * ```ts
 * paretoFrontierSizes([
 *   { memorySizeMB: 128, durationMs: 800, costUSD: 2e-6 },
 *   { memorySizeMB: 512, durationMs: 210, costUSD: 1.8e-6 },
 *   { memorySizeMB: 1024, durationMs: 110, costUSD: 1.9e-6 },
 *   { memorySizeMB: 2048, durationMs: 112, costUSD: 3.8e-6 },
 * ]); // [512, 1024]
 * ```
 */
export function paretoFrontierSizes(points: readonly TunePoint[]): number[] {
  checkPoints(points, 'points');
  return frontierOf(points, (p) => [p.costUSD, p.durationMs])
    .map((p) => p.memorySizeMB)
    .sort((a, b) => a - b);
}

/** The public page of matteo-ronchetti/aws-lambda-power-tuning-ui, which reads its data from the URL hash. */
export const DEFAULT_VISUALIZATION_URL = 'https://lambda-power-tuning.show/';

function typedBase64(values: readonly number[], bytesPer: 2 | 4): string {
  const view = new DataView(new ArrayBuffer(values.length * bytesPer));
  values.forEach((v, i) => {
    // Little-endian, as the typed arrays Power Tuning encodes are on every platform it runs on.
    if (bytesPer === 2) view.setInt16(i * 2, v, true);
    else view.setFloat32(i * 4, v, true);
  });
  return Buffer.from(view.buffer).toString('base64');
}

/** Options of {@link visualizationUrl}. */
export interface VisualizationUrlOptions {
  /**
   * The page: AWS Lambda Power Tuning's public UI, or your own copy of it.
   * @default 'https://lambda-power-tuning.show/'
   */
  readonly baseUrl?: string;
}

/**
 * The URL of a page charting a result, in AWS Lambda Power Tuning's format: `base#sizes;durations;costs`, each
 * part the base64 of a little-endian typed array (memory sizes `Int16`, mean durations in ms and costs per
 * invocation in USD `Float32`), sorted by memory size. The data stays in the hash: the page's server never sees it.
 * Failed memory sizes are left out.
 *
 * @param result - a {@link TuneResult} (or anything with its `configurations`).
 * @param options - `baseUrl`, the page. @default { baseUrl: 'https://lambda-power-tuning.show/' }
 *
 * @example
 * ```ts
 * const result = await powerTune({ lambda }, { functionName: 'resize', memorySizes: [256, 512, 1024] });
 * console.log(visualizationUrl(result)); // https://lambda-power-tuning.show/#AAEAAgAE;…;…
 * ```
 */
export function visualizationUrl(result: VisualizedRun, options: VisualizationUrlOptions = {}): string {
  if (typeof options !== 'object' || options === null) throw new InvalidInputError('options', 'must be an object');
  const baseUrl = options.baseUrl ?? DEFAULT_VISUALIZATION_URL;
  if (typeof baseUrl !== 'string' || baseUrl === '') throw new InvalidInputError('options.baseUrl', 'must be a non-empty string');
  const configurations = (result as { configurations?: unknown } | null)?.configurations;
  if (!Array.isArray(configurations)) throw new InvalidInputError('result.configurations', 'must be an array');
  return `${baseUrl.replace(/#.*$/, '')}#${runHash(configurations as VisualizedRun['configurations'])}`;
}

/**
 * What a visualisation URL reads of a run: a {@link TuneResult} is one, and so is any list of memory sizes with their
 * duration and cost.
 */
export interface VisualizedRun {
  readonly configurations: readonly Pick<TuneResult['configurations'][number], 'memorySizeMB' | 'objectiveDurationMs' | 'objectiveCostUSD' | 'failed'>[];
}

/** One run's part of a visualisation hash: `sizes;durations;costs`, sorted by size, failed sizes left out. */
function runHash(configurations: VisualizedRun['configurations']): string {
  const shown = configurations
    .filter((c) => !c.failed && Number.isFinite(c.objectiveDurationMs) && Number.isFinite(c.objectiveCostUSD))
    .slice()
    .sort((a, b) => a.memorySizeMB - b.memorySizeMB);
  const sizes = typedBase64(shown.map((c) => c.memorySizeMB), 2);
  const durations = typedBase64(shown.map((c) => c.objectiveDurationMs), 4);
  const costs = typedBase64(shown.map((c) => c.objectiveCostUSD), 4);
  return `${sizes};${durations};${costs}`;
}

/**
 * The comparison page of two tuning runs (e.g. x86_64 against arm64, or before and after a change): the
 * two-run URL of the Power Tuning UI that supports comparisons, `base#sizes1;durations1;costs1;sizes2;durations2;costs2;legend1;legend2`
 * (format documented in the digio/aws-lambda-power-tuning-ui README, "Comparison URL format"), each run encoded as
 * {@link visualizationUrl} does and each legend URI-encoded.
 *
 * @param a - the first run (a {@link TuneResult}, or anything with its `configurations`).
 * @param b - the second run.
 * @param options - `labels` (the two legends, default `['A', 'B']`) and `baseUrl`.
 *
 * @example
 * ```ts
 * const x86 = await powerTune({ lambda }, { functionName: 'resize', memorySizes: [512, 1024, 2048] });
 * const arm = await powerTune({ lambda }, { functionName: 'resize-arm64', memorySizes: [512, 1024, 2048] });
 * console.log(comparisonVisualizationUrl(x86, arm, { labels: ['x86_64', 'arm64'] }));
 * ```
 */
export function comparisonVisualizationUrl(
  a: VisualizedRun,
  b: VisualizedRun,
  options: ComparisonVisualizationUrlOptions = {},
): string {
  if (typeof options !== 'object' || options === null) throw new InvalidInputError('options', 'must be an object');
  const baseUrl = options.baseUrl ?? DEFAULT_COMPARISON_VISUALIZATION_URL;
  if (typeof baseUrl !== 'string' || baseUrl === '') throw new InvalidInputError('options.baseUrl', 'must be a non-empty string');
  const labels = options.labels ?? ['A', 'B'];
  if (!Array.isArray(labels) || labels.length !== 2 || labels.some((l) => typeof l !== 'string' || l === '')) {
    throw new InvalidInputError('options.labels', 'must be two non-empty strings');
  }
  const runs = [a, b].map((run, i) => {
    const configurations = (run as { configurations?: unknown } | null)?.configurations;
    if (!Array.isArray(configurations)) throw new InvalidInputError(i === 0 ? 'a.configurations' : 'b.configurations', 'must be an array');
    return runHash(configurations as VisualizedRun['configurations']);
  });
  return `${baseUrl.replace(/#.*$/, '')}#${runs[0]};${runs[1]};${labels.map((l) => encodeURIComponent(l)).join(';')}`;
}

/** The Power Tuning UI that draws two runs side by side (digio/aws-lambda-power-tuning-ui). */
export const DEFAULT_COMPARISON_VISUALIZATION_URL = 'https://digio.github.io/aws-lambda-power-tuning-ui/';

/** Options of {@link comparisonVisualizationUrl}. */
export interface ComparisonVisualizationUrlOptions {
  /**
   * The page: a copy of the Power Tuning UI that reads two-run hashes.
   * @default 'https://digio.github.io/aws-lambda-power-tuning-ui/'
   */
  readonly baseUrl?: string;
  /**
   * The legends of the two runs.
   * @default ['A', 'B']
   */
  readonly labels?: readonly [string, string];
}

/**
 * An endless, deterministic order of weighted entries: smooth weighted round-robin, so every prefix of the
 * sequence already holds the entries close to their weights (each memory size gets the same fill).
 */
export function* weightedOrder(weights: readonly number[]): Generator<number, never, undefined> {
  const total = weights.reduce((a, b) => a + b, 0);
  const credit = weights.map(() => 0);
  for (;;) {
    let pick = 0;
    for (let i = 0; i < weights.length; i++) {
      credit[i] = (credit[i] as number) + (weights[i] as number);
      if ((credit[i] as number) > (credit[pick] as number)) pick = i;
    }
    credit[pick] = (credit[pick] as number) - total;
    yield pick;
  }
}
