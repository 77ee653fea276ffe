/**
 * Equal-width histograms.
 *
 * @module
 */
import { InvalidInputError } from '../errors.js';
import { describe, positiveInteger } from '../internal/validate.js';
import { checkOptions, checkValues, percentileOfSorted, sortedCopy } from './sample.js';

/** One bin: values v with lower ≤ v < upper (lower ≤ v ≤ upper for the last bin). */
export interface HistogramBin {
  /** Lower edge (inclusive). */
  readonly lower: number;
  /** Upper edge (exclusive, except on the last bin). */
  readonly upper: number;
  /** Values in the bin. */
  readonly count: number;
}

/** How the bin count was chosen. */
export type BinMethod = 'count' | 'width' | 'freedman-diaconis' | 'sturges';

/** A histogram. */
export interface Histogram {
  /** The bins, in ascending order, contiguous. */
  readonly bins: readonly HistogramBin[];
  /** Width of every bin. */
  readonly binWidth: number;
  /** Lower edge of the first bin. */
  readonly min: number;
  /** Upper edge of the last bin. */
  readonly max: number;
  /** Values below `min` (only with an explicit `min`). */
  readonly underflow: number;
  /** Values above `max` (only with an explicit `max`). */
  readonly overflow: number;
  /** Values counted in the bins. */
  readonly count: number;
  /** How the bin count was chosen. */
  readonly method: BinMethod;
}

/** Options of {@link histogram}. Give at most one of `bins` and `binWidth`. */
export interface HistogramOptions {
  /**
   * Number of bins, or `'auto'`: Freedman–Diaconis (width 2·IQR/∛n) when the IQR is positive, else Sturges
   * (⌈log₂ n⌉ + 1 bins), at most `maxBins`.
   * @default 'auto'
   */
  readonly bins?: number | 'auto';
  /** Bin width; bins start at `min` and the last one ends at the first edge ≥ `max`. */
  readonly binWidth?: number;
  /**
   * Lower edge of the first bin; smaller values are counted in `underflow`.
   * @default the smallest value
   */
  readonly min?: number;
  /**
   * Upper edge of the last bin; larger values are counted in `overflow`.
   * @default the largest value
   */
  readonly max?: number;
  /**
   * Most bins allowed: `'auto'` is capped at it; `bins` or `binWidth` giving more is an error.
   * @default 10000
   */
  readonly maxBins?: number;
}

function finiteOption(opts: Record<string, unknown>, key: string): number | undefined {
  const v = opts[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new InvalidInputError(`options.${key}`, `must be a finite number, got ${describe(v)}`);
  }
  return v;
}

function optionalPositiveInteger(opts: Record<string, unknown>, key: string, fallback: number): number {
  const v = opts[key];
  return v === undefined ? fallback : positiveInteger(v, `options.${key}`);
}

/**
 * Counts values into equal-width bins. Every bin includes its lower edge and excludes its upper edge, except the
 * last, which includes both, so the maximum is counted. With all values equal (and no explicit range) the range is
 * value ± 0.5 (value to value + 1 with only `min` given; value − 1 to value with only `max`). The input is not
 * modified.
 *
 * @throws InvalidInputError for an empty array, a non-finite value, or bad options (each naming the field).
 * @example
 * ```ts
 * const h = histogram([1, 2, 2, 3, 10], { bins: 3 });
 * // bins [1, 4) 4, [4, 7) 0, [7, 10] 1
 * ```
 */
export function histogram(values: readonly number[], options: HistogramOptions = {}): Histogram {
  const opts = checkOptions(options, 'options');
  checkValues(values, 'values');
  const maxBins = optionalPositiveInteger(opts, 'maxBins', 10_000);
  if (opts.bins !== undefined && opts.binWidth !== undefined) {
    throw new InvalidInputError('options.binWidth', 'give at most one of bins and binWidth');
  }
  const binWidthOption = finiteOption(opts, 'binWidth');
  if (binWidthOption !== undefined && binWidthOption <= 0) {
    throw new InvalidInputError('options.binWidth', `must be positive, got ${binWidthOption}`);
  }
  const binsOption = opts.bins === undefined || opts.bins === 'auto' ? 'auto' : optionalPositiveInteger(opts, 'bins', 1);
  if (binsOption !== 'auto' && binsOption > maxBins) {
    throw new InvalidInputError('options.bins', `must be at most maxBins (${maxBins}), got ${binsOption}`);
  }

  const sorted = sortedCopy(values);
  const n = sorted.length;
  const explicitMin = finiteOption(opts, 'min');
  const explicitMax = finiteOption(opts, 'max');
  let lo = explicitMin ?? (sorted[0] as number);
  let hi = explicitMax ?? (sorted[n - 1] as number);
  if (explicitMin !== undefined && explicitMax !== undefined && !(explicitMin < explicitMax)) {
    throw new InvalidInputError('options.max', `must be greater than options.min (${explicitMin}), got ${explicitMax}`);
  }
  if (lo > hi) {
    // Only one edge was given and every value lies beyond it.
    throw new InvalidInputError(
      explicitMin !== undefined ? 'options.min' : 'options.max',
      `leaves an empty range: every value is ${explicitMin !== undefined ? 'below' : 'above'} it`,
    );
  }
  if (lo === hi) {
    // A zero-width range (all values equal): widen the side(s) the caller did not fix.
    if (explicitMin !== undefined) hi = lo + 1;
    else if (explicitMax !== undefined) lo = hi - 1;
    else {
      lo -= 0.5;
      hi += 0.5;
    }
  }

  let bins: number;
  let width: number;
  let method: BinMethod;
  if (binWidthOption !== undefined) {
    const count = Math.max(1, Math.ceil((hi - lo) / binWidthOption - 1e-9));
    if (count > maxBins) {
      throw new InvalidInputError('options.binWidth', `gives ${count} bins, more than maxBins (${maxBins})`);
    }
    bins = count;
    width = binWidthOption;
    hi = lo + bins * width;
    method = 'width';
  } else {
    if (binsOption === 'auto') {
      const iqr = percentileOfSorted(sorted, 75) - percentileOfSorted(sorted, 25);
      if (iqr > 0) {
        bins = Math.ceil((hi - lo) / ((2 * iqr) / Math.cbrt(n)));
        method = 'freedman-diaconis';
      } else {
        bins = Math.ceil(Math.log2(n)) + 1;
        method = 'sturges';
      }
      bins = Math.min(maxBins, Math.max(1, bins));
    } else {
      bins = binsOption;
      method = 'count';
    }
    // hi/bins − lo/bins when hi − lo overflows (e.g. −1e308 to 1e308).
    width = Number.isFinite(hi - lo) ? (hi - lo) / bins : hi / bins - lo / bins;
  }

  // Edges are computed from the index, not accumulated, so they do not drift ((hi − lo)·i/bins keeps decimal edges
  // such as 0.3 exact where i·width would give 0.30000000000000004); the last edge is exactly `hi`.
  const edges = new Float64Array(bins + 1);
  const span = hi - lo;
  for (let i = 0; i < bins; i++) {
    if (method === 'width') edges[i] = lo + i * width;
    else edges[i] = Number.isFinite(span) ? lo + (span * i) / bins : lo * (1 - i / bins) + hi * (i / bins);
  }
  edges[bins] = hi;
  const counts = new Array<number>(bins).fill(0);
  let underflow = 0;
  let overflow = 0;
  for (let i = 0; i < n; i++) {
    const v = sorted[i] as number;
    if (v < lo) {
      underflow++;
      continue;
    }
    if (v > hi) {
      overflow++;
      continue;
    }
    // An estimate (0 when the range is too small or too large to divide), corrected against the actual edges.
    const estimate = Math.floor(((v - lo) / (hi - lo)) * bins);
    let b = estimate >= 0 && estimate < bins ? estimate : estimate >= bins ? bins - 1 : 0;
    while (b > 0 && v < (edges[b] as number)) b--;
    while (b < bins - 1 && v >= (edges[b + 1] as number)) b++;
    counts[b] = (counts[b] as number) + 1;
  }
  return {
    bins: counts.map((count, i) => ({ lower: edges[i] as number, upper: edges[i + 1] as number, count })),
    binWidth: width,
    min: lo,
    max: hi,
    underflow,
    overflow,
    count: n - underflow - overflow,
    method,
  };
}
