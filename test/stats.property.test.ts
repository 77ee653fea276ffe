import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { studentTCdf } from '../src/stats/distributions.js';
import {
  histogram,
  medianConfidenceInterval,
  percentile,
  quantiles,
  studentTQuantile,
  summarize,
  trimmedMean,
} from '../src/stats/index.js';

// Durations-like values: finite, moderate magnitude (sums cannot overflow), with duplicates likely.
const value = fc.oneof(
  fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: -5, max: 5 }),
);
const sample = fc.array(value, { minLength: 1, maxLength: 200 });

/** Reference type-7 percentile written independently of the implementation. */
function referencePercentile(values: readonly number[], p: number): number {
  const x = [...values].sort((a, b) => a - b);
  const h = (x.length - 1) * (p / 100);
  const i = Math.floor(h);
  if (i + 1 >= x.length) return x[x.length - 1]!;
  return x[i]! + (h - i) * (x[i + 1]! - x[i]!);
}

describe('stats properties', () => {
  it('orders min ≤ p50 ≤ p90 ≤ p95 ≤ p99 ≤ max and keeps the mean inside', () => {
    fc.assert(
      fc.property(sample, (values) => {
        const s = summarize(values);
        expect(s.count).toBe(values.length);
        expect(s.min).toBeLessThanOrEqual(s.p50);
        expect(s.p50).toBeLessThanOrEqual(s.p90);
        expect(s.p90).toBeLessThanOrEqual(s.p95);
        expect(s.p95).toBeLessThanOrEqual(s.p99);
        expect(s.p99).toBeLessThanOrEqual(s.max);
        expect(s.mean).toBeGreaterThanOrEqual(s.min);
        expect(s.mean).toBeLessThanOrEqual(s.max);
        expect(s.stdev).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('has confidence intervals that contain their centre', () => {
    fc.assert(
      fc.property(sample, (values) => {
        const s = summarize(values);
        if (values.length >= 2) {
          expect(s.meanCI95).toBeDefined();
          expect(s.meanCI95![0]).toBeLessThanOrEqual(s.mean);
          expect(s.meanCI95![1]).toBeGreaterThanOrEqual(s.mean);
        } else {
          expect(s.meanCI95).toBeUndefined();
        }
        if (values.length >= 6) {
          expect(s.medianCI95![0]).toBeLessThanOrEqual(s.p50);
          expect(s.medianCI95![1]).toBeGreaterThanOrEqual(s.p50);
          const ci = medianConfidenceInterval(values)!;
          expect(ci.coverage).toBeGreaterThanOrEqual(0.95);
          expect(ci.lowerRank + ci.upperRank).toBe(values.length + 1);
        } else {
          expect(s.medianCI95).toBeUndefined();
        }
      }),
    );
  });

  it('agrees with a reference type-7 percentile and is monotone in p', () => {
    fc.assert(
      fc.property(sample, fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), (values, p, q) => {
        const got = percentile(values, p);
        const ref = referencePercentile(values, p);
        expect(Math.abs(got - ref)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(ref)));
        const [a, b] = quantiles(values, [Math.min(p, q), Math.max(p, q)]);
        expect(a!).toBeLessThanOrEqual(b!);
      }),
    );
  });

  it('keeps the trimmed mean between the trimmed extremes', () => {
    fc.assert(
      fc.property(sample, fc.double({ min: 0, max: 0.49, noNaN: true }), (values, fraction) => {
        const m = trimmedMean(values, fraction);
        const sorted = [...values].sort((a, b) => a - b);
        expect(m).toBeGreaterThanOrEqual(sorted[0]!);
        expect(m).toBeLessThanOrEqual(sorted[sorted.length - 1]!);
      }),
    );
  });

  it('puts every value in exactly the bin its edges say', () => {
    fc.assert(
      fc.property(sample, fc.integer({ min: 1, max: 50 }), (values, bins) => {
        const h = histogram(values, { bins });
        expect(h.bins).toHaveLength(bins);
        expect(h.count + h.underflow + h.overflow).toBe(values.length);
        expect(h.underflow + h.overflow).toBe(0);
        h.bins.forEach((bin, i) => {
          const last = i === h.bins.length - 1;
          const inBin = values.filter((v) => v >= bin.lower && (last ? v <= bin.upper : v < bin.upper)).length;
          expect(bin.count).toBe(inBin);
          if (i > 0) expect(bin.lower).toBe(h.bins[i - 1]!.upper);
        });
      }),
    );
  });

  it('never modifies its input', () => {
    fc.assert(
      fc.property(sample, (values) => {
        const copy = [...values];
        summarize(values);
        histogram(values);
        trimmedMean(values, 0.1);
        quantiles(values, [1, 50, 99]);
        expect(values).toEqual(copy);
      }),
    );
  });

  it('inverts the t CDF and orders quantiles by degrees of freedom', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        fc.double({ min: 0.5, max: 5000, noNaN: true }),
        (p, df) => {
          const t = studentTQuantile(p, df);
          expect(studentTCdf(t, df)).toBeCloseTo(p, 10);
          if (p > 0.5) expect(studentTQuantile(p, df * 2)).toBeLessThanOrEqual(t);
        },
      ),
    );
  });
});
