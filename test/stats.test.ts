import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../src/errors.js';
import {
  histogram,
  meanConfidenceInterval,
  medianConfidenceInterval,
  percentile,
  quantiles,
  studentTQuantile,
  summarize,
  trimmedMean,
} from '../src/stats/index.js';
import { lnBeta, lnGamma, regularizedBeta, studentTCdf } from '../src/stats/distributions.js';
import { invalid } from './helpers/common.js';

/** C(n, k) exactly. */
function binomial(n: number, k: number): bigint {
  let c = 1n;
  for (let i = 1; i <= k; i++) c = (c * BigInt(n - k + i)) / BigInt(i);
  return c;
}

/** Exact P(j ≤ B ≤ n − j) for B ~ Binomial(n, ½), as numerator over 2^n. */
function exactCoverage(n: number, j: number): bigint {
  let s = 0n;
  for (let i = j; i <= n - j; i++) s += binomial(n, i);
  return s;
}

describe('studentTQuantile', () => {
  it('matches published t-table values', () => {
    // Two-sided 95% critical values t(0.975, df), as printed in standard t tables (6 decimals).
    const table: [number, number][] = [
      [1, 12.706205], [2, 4.302653], [3, 3.182446], [4, 2.776445], [5, 2.570582], [9, 2.262157], [10, 2.228139],
      [19, 2.093024], [20, 2.085963], [29, 2.04523], [30, 2.042272], [60, 2.000298], [120, 1.979930],
    ];
    for (const [df, t] of table) expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 6);
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.7062, 4);
    expect(studentTQuantile(0.995, 5)).toBeCloseTo(4.032143, 6);
    expect(studentTQuantile(0.95, 10)).toBeCloseTo(1.812461, 6);
    expect(studentTQuantile(0.9995, 3)).toBeCloseTo(12.923979, 5);
  });

  it('tends to the normal quantile for large degrees of freedom', () => {
    expect(studentTQuantile(0.975, 1e9)).toBeCloseTo(1.959964, 6);
    expect(studentTQuantile(0.975, Infinity)).toBeCloseTo(1.959963984540054, 13);
    expect(studentTQuantile(0.9, Infinity)).toBeCloseTo(1.2815515655446004, 13);
    expect(studentTQuantile(0.99, Infinity)).toBeCloseTo(2.3263478740408408, 13);
    // Cornish–Fisher: t ≈ z + (z³ + z)/(4ν) at ν = 10^6.
    const z = 1.959963984540054;
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(z + (z ** 3 + z) / 4e6, 11);
    // The switch from the incomplete-beta solver to the expansion (at 10^5) is continuous.
    const below = studentTQuantile(0.975, 99_999);
    const above = studentTQuantile(0.975, 100_001);
    expect(below).toBeGreaterThan(above);
    expect(below - above).toBeLessThan(1e-9);
    expect(studentTCdf(above, 100_001)).toBeCloseTo(0.975, 9);
  });

  it('is antisymmetric, zero at one half, and inverts the CDF', () => {
    expect(studentTQuantile(0.5, 7)).toBe(0);
    expect(studentTQuantile(0.025, 9)).toBeCloseTo(-2.262157, 6);
    expect(studentTQuantile(0.2, 2)).toBeCloseTo(-studentTQuantile(0.8, 2), 14);
    for (const df of [1, 2, 3, 4.5, 7, 25, 300, 5000]) {
      for (const p of [0.001, 0.05, 0.3, 0.6, 0.9, 0.975, 0.9999]) {
        expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 12);
      }
    }
  });

  it('rejects probabilities outside (0, 1) and non-positive degrees of freedom', () => {
    for (const p of [0, 1, -0.1, 1.5, Number.NaN]) expect(invalid(() => studentTQuantile(p, 5)).field).toBe('probability');
    for (const df of [0, -1, Number.NaN]) expect(invalid(() => studentTQuantile(0.9, df)).field).toBe('degreesOfFreedom');
    expect(invalid(() => studentTCdf(Number.NaN, 3)).field).toBe('t');
  });
});

describe('special functions', () => {
  it('lnGamma matches log-factorials and ln √π', () => {
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    let fact = 1n;
    for (let n = 1; n <= 40; n++) {
      // Γ(n) = (n − 1)!
      expect(lnGamma(n)).toBeCloseTo(Math.log(Number(fact)), 11);
      fact *= BigInt(n);
    }
    expect(lnGamma(0.1)).toBeCloseTo(2.252712651734206, 13);
    // Continuity where Lanczos hands over to Stirling.
    expect(lnGamma(10 - 1e-9)).toBeCloseTo(lnGamma(10), 7);
  });

  it('lnBeta and the regularized incomplete beta agree with closed forms', () => {
    expect(lnBeta(1, 1)).toBeCloseTo(0, 14);
    expect(lnBeta(0.5, 0.5)).toBeCloseTo(Math.log(Math.PI), 13);
    expect(lnBeta(20, 0.5)).toBeCloseTo(lnGamma(20) + lnGamma(0.5) - lnGamma(20.5), 12);
    // I_x(a, 1) = x^a and I_x(1, b) = 1 − (1 − x)^b.
    expect(regularizedBeta(0.3, 0.7, 2.5, 1)).toBeCloseTo(0.3 ** 2.5, 14);
    expect(regularizedBeta(0.8, 0.2, 1, 3)).toBeCloseTo(1 - 0.2 ** 3, 14);
    expect(regularizedBeta(0, 1, 2, 3)).toBe(0);
    expect(regularizedBeta(1, 0, 2, 3)).toBe(1);
  });

  it('studentTCdf handles infinities and the normal limit', () => {
    expect(studentTCdf(Infinity, 3)).toBe(1);
    expect(studentTCdf(-Infinity, 3)).toBe(0);
    expect(studentTCdf(0, 3)).toBeCloseTo(0.5, 15);
    expect(studentTCdf(1.959963984540054, Infinity)).toBeCloseTo(0.975, 14);
    expect(studentTCdf(-1, Infinity)).toBeCloseTo(0.15865525393145707, 14);
    expect(studentTCdf(-0.5, Infinity)).toBeCloseTo(0.3085375387259869, 14);
    // Cauchy (ν = 1): F(t) = ½ + atan(t)/π.
    expect(studentTCdf(3, 1)).toBeCloseTo(0.5 + Math.atan(3) / Math.PI, 14);
  });
});

describe('percentile and quantiles (Hyndman–Fan type 7)', () => {
  it('interpolates linearly between closest ranks', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([1, 2, 3, 4], 25)).toBe(1.75);
    expect(percentile([4, 3, 2, 1], 0)).toBe(1);
    expect(percentile([4, 3, 2, 1], 100)).toBe(4);
    // Excel's PERCENTILE.INC documentation example: {15, 20, 35, 40, 50} at 0.4 → 29.
    expect(percentile([15, 20, 35, 40, 50], 40)).toBe(29);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([-5, 5], 50)).toBe(0);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBeCloseTo(9.1, 12);
  });

  it('computes several percentiles from one sort', () => {
    const values = [9, 1, 8, 2, 7, 3, 6, 4, 5, 10];
    expect(quantiles(values, [0, 50, 90, 100])).toEqual([1, 5.5, percentile(values, 90), 10]);
    expect(quantiles(values, [])).toEqual([]);
  });

  it('validates the values and the percentiles', () => {
    expect(invalid(() => percentile([], 50)).field).toBe('values');
    expect(invalid(() => percentile([1, Number.NaN], 50)).field).toBe('values[1]');
    expect(invalid(() => percentile([1, 2], 101)).field).toBe('p');
    expect(invalid(() => percentile([1, 2], Number.NaN)).field).toBe('p');
    expect(invalid(() => quantiles([1, 2], [50, -1])).field).toBe('percentiles[1]');
    expect(invalid(() => quantiles([1, 2], 50 as unknown as number[])).field).toBe('percentiles');
  });
});

describe('summarize', () => {
  it('computes the summary of a small sample by hand', () => {
    const s = summarize([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(s.count).toBe(8);
    expect(s.min).toBe(2);
    expect(s.max).toBe(9);
    expect(s.mean).toBe(5);
    const stdev = Math.sqrt(32 / 7);
    expect(s.stdev).toBeCloseTo(stdev, 14);
    expect(s.cv).toBeCloseTo(stdev / 5, 14);
    expect(s.p50).toBe(4.5);
    expect(s.p90).toBeCloseTo(7.6, 12);
    // t(0.975, 7) = 2.364624.
    const half = (2.3646242515927844 * stdev) / Math.sqrt(8);
    expect(s.meanCI95?.[0]).toBeCloseTo(5 - half, 10);
    expect(s.meanCI95?.[1]).toBeCloseTo(5 + half, 10);
    // n = 8: P(2 ≤ B ≤ 6) = 0.9297 < 0.95, P(1 ≤ B ≤ 7) = 0.9922 → [x(1), x(8)].
    expect(s.medianCI95).toEqual([2, 9]);
  });

  it('handles a single value, equal values and a zero mean', () => {
    const one = summarize([42]);
    expect(one).toMatchObject({ count: 1, min: 42, max: 42, mean: 42, stdev: 0, cv: 0, p50: 42, p99: 42 });
    expect(one.meanCI95).toBeUndefined();
    expect(one.medianCI95).toBeUndefined();
    const same = summarize([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]);
    expect(same.mean).toBe(0.1);
    expect(same.stdev).toBe(0);
    expect(same.meanCI95).toEqual([0.1, 0.1]);
    expect(summarize([-1, 1]).cv).toBeUndefined();
  });

  it('gives a median CI only from n = 6 at 95%', () => {
    expect(summarize([1, 2, 3, 4, 5]).medianCI95).toBeUndefined();
    expect(summarize([6, 1, 5, 2, 4, 3]).medianCI95).toEqual([1, 6]);
  });

  it('is accurate for values with a large common offset', () => {
    const base = 1e9;
    const s = summarize([base + 4, base + 7, base + 13, base + 16]);
    expect(s.mean).toBe(base + 10);
    expect(s.stdev).toBeCloseTo(Math.sqrt(30), 6);
  });

  it('does not overflow or underflow on extreme magnitudes', () => {
    const huge = summarize([1.5e308, 1.7e308, 1.6e308]);
    expect(huge.mean).toBeCloseTo(1.6e308, -295);
    expect(huge.stdev / 1e307).toBeCloseTo(1, 10);
    const tiny = summarize([1e-320, 2e-320, 3e-320]);
    expect(tiny.stdev).toBeGreaterThan(0);
    expect(summarize([-1e308, 1e308]).stdev / Math.SQRT2 / 1e308).toBeCloseTo(1, 12);
  });

  it('validates input and names the field', () => {
    expect(invalid(() => summarize([])).field).toBe('values');
    expect(invalid(() => summarize([1, 2, Number.POSITIVE_INFINITY])).field).toBe('values[2]');
    expect(invalid(() => summarize([1, Number.NaN], { field: 'durationMs' })).field).toBe('durationMs[1]');
    expect(invalid(() => summarize('1,2' as unknown as number[])).field).toBe('values');
    expect(invalid(() => summarize([1, '2' as unknown as number])).field).toBe('values[1]');
    expect(invalid(() => summarize([1], { field: '' })).field).toBe('options.field');
    expect(invalid(() => summarize([1, undefined as unknown as number])).message).toContain('got undefined');
    expect(invalid(() => summarize([1, null as unknown as number])).message).toContain('got null');
    expect(invalid(() => summarize([1, [2] as unknown as number])).message).toContain('got an array');
    expect(invalid(() => summarize([1, {} as unknown as number])).message).toContain('got object');
    expect(invalid(() => summarize([1, 2n as unknown as number])).message).toContain('got 2');
    expect(invalid(() => summarize(['y'.repeat(60) as unknown as number])).message).toContain('…');
    expect(invalid(() => summarize([1], null as unknown as object)).field).toBe('options');
  });

  it('does not modify the input', () => {
    const values = [5, 3, 9, 1, 7, 2, 8];
    const copy = [...values];
    summarize(values);
    percentile(values, 90);
    quantiles(values, [10, 90]);
    trimmedMean(values, 0.2);
    histogram(values, { bins: 3 });
    meanConfidenceInterval(values);
    medianConfidenceInterval(values);
    expect(values).toEqual(copy);
    // A frozen array works too (nothing is sorted in place).
    expect(summarize(Object.freeze([3, 1, 2])).p50).toBe(2);
  });
});

describe('medianConfidenceInterval', () => {
  it('picks the order statistics of the exact binomial distribution for n = 6..100', () => {
    for (let n = 6; n <= 100; n++) {
      const values = Array.from({ length: n }, (_, i) => (i * 7919) % n); // a permutation of 0..n-1
      const ci = medianConfidenceInterval(values);
      expect(ci).toBeDefined();
      const { lowerRank: j, upperRank: k, lower, upper, coverage } = ci!;
      expect(k).toBe(n + 1 - j);
      expect([lower, upper]).toEqual([j - 1, k - 1]); // ranks are 1-based, the values 0-based
      const total = 2n ** BigInt(n);
      // Coverage of [x(j), x(n+1−j)] is P(j ≤ B ≤ n − j) ≥ 95%, and the next narrower pair falls below 95%.
      expect(exactCoverage(n, j) * 100n >= total * 95n).toBe(true);
      expect(exactCoverage(n, j + 1) * 100n < total * 95n).toBe(true);
      expect(coverage).toBeCloseTo(Number(exactCoverage(n, j)) / Number(total), 12);
    }
  });

  it('matches Le Boudec for n = 20, 100 and the normal approximation at n = 1000', () => {
    const ranks = (n: number, confidence?: number) => {
      const ci = medianConfidenceInterval(Array.from({ length: n }, (_, i) => i), confidence ? { confidence } : {});
      return [ci?.lowerRank, ci?.upperRank];
    };
    expect(ranks(20)).toEqual([6, 15]);
    expect(ranks(100)).toEqual([40, 61]);
    // Le Boudec (n ≥ 71): j = ⌊(n − 1.96√n)/2⌋, k = ⌈(n + 1.96√n)/2⌉ + 1.
    const n = 1000;
    const j = Math.floor((n - 1.96 * Math.sqrt(n)) / 2);
    expect(ranks(n)).toEqual([j, Math.ceil((n + 1.96 * Math.sqrt(n)) / 2) + 1]);
    const total = 2n ** 1000n;
    expect(exactCoverage(1000, j) * 100n >= total * 95n).toBe(true);
    expect(exactCoverage(1000, j + 1) * 100n < total * 95n).toBe(true);
    // 99%: wider.
    expect(ranks(100, 0.99)).toEqual([37, 64]);
    expect(exactCoverage(100, 37) * 100n >= 2n ** 100n * 99n).toBe(true);
    expect(exactCoverage(100, 38) * 100n < 2n ** 100n * 99n).toBe(true);
  });

  it('is undefined when no interval reaches the confidence, and validates options', () => {
    expect(medianConfidenceInterval([1, 2, 3, 4, 5])).toBeUndefined();
    expect(medianConfidenceInterval([1])).toBeUndefined();
    expect(medianConfidenceInterval([1, 2, 3, 4, 5], { confidence: 0.9 })?.coverage).toBeCloseTo(30 / 32, 14);
    for (const confidence of [0, 1, 1.2, Number.NaN]) {
      expect(invalid(() => medianConfidenceInterval([1, 2], { confidence })).field).toBe('options.confidence');
    }
    expect(invalid(() => medianConfidenceInterval([]))).toBeInstanceOf(InvalidInputError);
  });

  it('scales to large samples', () => {
    const n = 1_000_001;
    const ci = medianConfidenceInterval(Array.from({ length: n }, (_, i) => i));
    const half = 1.959963984540054 * Math.sqrt(n) / 2;
    expect(ci!.lowerRank).toBeGreaterThan((n + 1) / 2 - half - 2);
    expect(ci!.lowerRank).toBeLessThan((n + 1) / 2 - half + 2);
    expect(ci!.coverage).toBeGreaterThanOrEqual(0.95);
    expect(ci!.coverage).toBeLessThan(0.9501);
  });
});

describe('meanConfidenceInterval', () => {
  it('uses Student t at the requested confidence', () => {
    const values = [10, 12, 14, 16, 18];
    const sd = Math.sqrt(10);
    const ci95 = meanConfidenceInterval(values)!;
    expect(ci95.mean).toBe(14);
    expect(ci95.degreesOfFreedom).toBe(4);
    expect(ci95.t).toBeCloseTo(2.776445, 6);
    expect(ci95.halfWidth).toBeCloseTo((2.7764451051977987 * sd) / Math.sqrt(5), 10);
    expect(ci95.lower).toBeCloseTo(14 - ci95.halfWidth, 12);
    const ci99 = meanConfidenceInterval(values, { confidence: 0.99 })!;
    expect(ci99.t).toBeCloseTo(4.604095, 6);
    expect(ci99.upper - ci99.lower).toBeGreaterThan(ci95.upper - ci95.lower);
    expect(ci99.confidence).toBe(0.99);
  });

  it('is undefined for one value and validates options', () => {
    expect(meanConfidenceInterval([3])).toBeUndefined();
    expect(invalid(() => meanConfidenceInterval([1, 2], { confidence: 95 })).field).toBe('options.confidence');
    expect(invalid(() => meanConfidenceInterval([1, 2], 'x' as unknown as object)).field).toBe('options');
  });
});

describe('histogram', () => {
  it('uses half-open bins with an inclusive last bin', () => {
    const h = histogram([1, 2, 2, 3, 10], { bins: 3 });
    expect(h.bins).toEqual([
      { lower: 1, upper: 4, count: 4 },
      { lower: 4, upper: 7, count: 0 },
      { lower: 7, upper: 10, count: 1 },
    ]);
    expect(h).toMatchObject({ binWidth: 3, min: 1, max: 10, count: 5, underflow: 0, overflow: 0, method: 'count' });
    // A value on an interior edge belongs to the bin above it.
    const e = histogram([0, 1, 2, 3, 4], { bins: 4 });
    expect(e.bins.map((b) => b.count)).toEqual([1, 1, 1, 2]);
  });

  it('handles decimal edges without drift', () => {
    const h = histogram([0, 0.1, 0.2, 0.3, 0.30000000000000004, 0.7, 1], { bins: 10 });
    for (const bin of h.bins) {
      expect(bin.upper).toBeGreaterThan(bin.lower);
    }
    expect(h.bins.at(-1)!.upper).toBe(1);
    expect(h.bins.reduce((a, b) => a + b.count, 0)).toBe(7);
    expect(h.bins[1]!.count).toBe(1); // 0.1
    expect(h.bins[2]!.count).toBe(1); // 0.2
    expect(h.bins[3]!.lower).toBe(0.3); // (1 − 0)·3/10, not 3 × 0.1 = 0.30000000000000004
    expect(h.bins[3]!.count).toBe(2); // 0.3 and 0.30000000000000004
  });

  it('takes a bin width and extends the last bin to cover the maximum', () => {
    const exact = histogram([0, 2, 4, 6, 8, 10], { binWidth: 2 });
    expect(exact.bins).toHaveLength(5);
    expect(exact.bins.at(-1)).toEqual({ lower: 8, upper: 10, count: 2 });
    expect(exact.method).toBe('width');
    const over = histogram([0, 10], { binWidth: 3 });
    expect(over.bins.map((b) => [b.lower, b.upper, b.count])).toEqual([[0, 3, 1], [3, 6, 0], [6, 9, 0], [9, 12, 1]]);
    expect(over.max).toBe(12);
  });

  it('counts values outside an explicit range as underflow and overflow', () => {
    const h = histogram([-5, 0, 1, 5, 9.99, 10, 11], { min: 0, max: 10, bins: 2 });
    expect(h.bins).toEqual([
      { lower: 0, upper: 5, count: 2 },
      { lower: 5, upper: 10, count: 3 },
    ]);
    expect(h).toMatchObject({ underflow: 1, overflow: 1, count: 5 });
  });

  it('chooses the bin count automatically', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    // IQR (type 7) = 75.25 − 25.75 = 49.5; width = 2·49.5/∛100 = 21.33; ⌈99 / 21.33⌉ = 5 bins.
    const fd = histogram(values);
    expect(fd.method).toBe('freedman-diaconis');
    expect(fd.bins).toHaveLength(5);
    expect(fd.binWidth).toBeCloseTo(99 / 5, 12);
    // IQR 0 → Sturges: ⌈log₂ 9⌉ + 1 = 5.
    const st = histogram([1, 5, 5, 5, 5, 5, 5, 5, 9], { bins: 'auto' });
    expect(st.method).toBe('sturges');
    expect(st.bins).toHaveLength(5);
    // Capped at maxBins.
    const wide = histogram([...Array.from({ length: 50 }, (_, i) => i / 100), 1e6], { maxBins: 100 });
    expect(wide.bins).toHaveLength(100);
  });

  it('widens a zero range', () => {
    const h = histogram([3, 3, 3]);
    expect(h.min).toBe(2.5);
    expect(h.max).toBe(3.5);
    expect(h.count).toBe(3);
    expect(histogram([3, 3], { min: 3 }).max).toBe(4);
    expect(histogram([3, 3], { max: 3 }).min).toBe(2);
  });

  it('validates options and names the field', () => {
    expect(invalid(() => histogram([])).field).toBe('values');
    expect(invalid(() => histogram([1, Number.NaN])).field).toBe('values[1]');
    expect(invalid(() => histogram([1, 2], { bins: 0 })).field).toBe('options.bins');
    expect(invalid(() => histogram([1, 2], { bins: 2.5 })).field).toBe('options.bins');
    expect(invalid(() => histogram([1, 2], { bins: 20_000 })).field).toBe('options.bins');
    expect(invalid(() => histogram([1, 2], { binWidth: -1 })).field).toBe('options.binWidth');
    expect(invalid(() => histogram([1, 2], { binWidth: Number.NaN })).field).toBe('options.binWidth');
    expect(invalid(() => histogram([1, 2], { bins: 2, binWidth: 1 })).field).toBe('options.binWidth');
    expect(invalid(() => histogram([1, 2], { binWidth: 1e-9 })).field).toBe('options.binWidth');
    expect(invalid(() => histogram([1, 2], { min: 5, max: 5 })).field).toBe('options.max');
    expect(invalid(() => histogram([1, 2], { min: 5 })).field).toBe('options.min');
    expect(invalid(() => histogram([1, 2], { max: 0 })).field).toBe('options.max');
    expect(invalid(() => histogram([1, 2], { min: Infinity })).field).toBe('options.min');
    expect(invalid(() => histogram([1, 2], { maxBins: 0 })).field).toBe('options.maxBins');
    expect(invalid(() => histogram([1, 2], 5 as unknown as object)).field).toBe('options');
  });
});

describe('trimmedMean', () => {
  it('drops floor(n·fraction) values from each end', () => {
    expect(trimmedMean([1, 2, 3, 4, 100], 0.2)).toBe(3);
    expect(trimmedMean([100, 4, 3, 2, 1], 0.1)).toBe(22); // floor(0.5) = 0: plain mean
    expect(trimmedMean([1, 2, 3, 4], 0)).toBe(2.5);
    // 0.29 × 100 is 28.999999999999996 in floating point; 29 values are still trimmed from each end.
    const values = Array.from({ length: 100 }, (_, i) => i);
    expect(trimmedMean(values, 0.29)).toBe(49.5);
    expect(trimmedMean([...values.slice(0, 99), 1e6], 0.29)).toBe(49.5);
    expect(trimmedMean([5], 0.4)).toBe(5);
  });

  it('validates the fraction', () => {
    for (const f of [0.5, -0.1, Number.NaN, 1]) expect(invalid(() => trimmedMean([1, 2], f)).field).toBe('fraction');
    expect(invalid(() => trimmedMean([], 0.1)).field).toBe('values');
  });
});

describe('histogram extremes', () => {
  it('bins subnormal and overflowing ranges correctly', () => {
    const tiny = histogram([0, -5e-324, 5e-324], { bins: 2 });
    expect(tiny.bins.reduce((a, b) => a + b.count, 0)).toBe(3);
    for (const [i, bin] of tiny.bins.entries()) {
      const last = i === tiny.bins.length - 1;
      expect(bin.count).toBe([0, -5e-324, 5e-324].filter((v) => v >= bin.lower && (last ? v <= bin.upper : v < bin.upper)).length);
    }
    const huge = histogram([-1e308, 0, 1e308], { bins: 4 });
    expect(huge.binWidth).toBe(5e307);
    expect(huge.bins.map((b) => b.count)).toEqual([1, 0, 1, 1]);
    expect(huge.bins.map((b) => b.lower)).toEqual([-1e308, -5e307, 0, 5e307]);
  });
});
