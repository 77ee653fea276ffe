import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../src/errors.js';
import {
  MIN_SAMPLES_PER_SIDE,
  compareMetric,
  expectedPerRequest,
  mixtureHalfWidth,
  ratioInterval,
  verdictOf,
} from '../src/compare/sequential.js';
import { mulberry32 } from '../src/internal/random.js';

function lognormal(random: () => number, n: number, base: number, sigma: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    out.push(base * Math.exp(sigma * z));
  }
  return out;
}
function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof InvalidInputError) return error.field;
    throw error;
  }
  return undefined;
}

describe('ratioInterval', () => {
  it('is undefined below the minimum sample size', () => {
    const xs = Array.from({ length: MIN_SAMPLES_PER_SIDE }, (_, i) => 100 + i);
    expect(ratioInterval(xs.slice(1), xs, { confidence: 0.95 })).toBeUndefined();
    expect(ratioInterval(xs, xs, { confidence: 0.95 })).toBeDefined();
  });

  it('estimates an exact scale factor and contains it', () => {
    const random = mulberry32(7);
    const a = lognormal(random, 40, 100, 0.2);
    const b = a.map((x) => x * 0.8);
    const r = ratioInterval(a, b, { confidence: 0.95 });
    expect(r?.estimate).toBeCloseTo(0.8, 12);
    expect(r!.lower).toBeLessThan(0.8);
    expect(r!.upper).toBeGreaterThan(0.8);
  });

  it('shrinks as n grows', () => {
    const random = mulberry32(11);
    const a = lognormal(random, 1000, 100, 0.2);
    const b = lognormal(random, 1000, 90, 0.2);
    const widths = [20, 50, 200, 1000].map((n) => {
      const r = ratioInterval(a.slice(0, n), b.slice(0, n), { confidence: 0.95 })!;
      return Math.log(r.upper / r.lower);
    });
    for (let i = 1; i < widths.length; i++) expect(widths[i]).toBeLessThan(widths[i - 1] as number);
  });

  it('contains the true ratio at every look in nearly all seeded runs', () => {
    let missed = 0;
    const runs = 100;
    for (let run = 0; run < runs; run++) {
      const random = mulberry32(1000 + run);
      const a = lognormal(random, 300, 100, 0.2);
      const b = lognormal(random, 300, 110, 0.2);
      for (let n = 10; n <= 300; n += 5) {
        const r = ratioInterval(a.slice(0, n), b.slice(0, n), { confidence: 0.95 })!;
        if (!(r.lower <= 1.1 && 1.1 <= r.upper)) {
          missed++;
          break;
        }
      }
    }
    expect(missed).toBeLessThanOrEqual(8);
  });

  it('is not moved by a few large outliers', () => {
    const random = mulberry32(3);
    const a = lognormal(random, 100, 100, 0.1);
    const b = a.map((x, i) => (i % 25 === 0 ? x * 10 : x));
    const r = ratioInterval(a, b, { confidence: 0.95 })!;
    expect(r.lower).toBeLessThan(1);
    expect(r.upper).toBeGreaterThan(1);
    expect(Math.abs(Math.log(r.estimate))).toBeLessThan(0.03);
  });

  it('is a single point when both sides are constant', () => {
    const r = ratioInterval(Array(12).fill(100), Array(12).fill(120), { confidence: 0.95 })!;
    expect(r.estimate).toBeCloseTo(1.2, 12);
    expect(r.lower).toBeCloseTo(1.2, 12);
    expect(r.upper).toBeCloseTo(1.2, 12);
  });

  it('rejects bad input naming the field', () => {
    const xs = Array.from({ length: 12 }, (_, i) => 10 + i);
    expect(fieldOf(() => ratioInterval(xs, xs, { confidence: 1 }))).toBe('options.confidence');
    expect(fieldOf(() => ratioInterval(xs, xs, { confidence: 0 }))).toBe('options.confidence');
    expect(fieldOf(() => ratioInterval(xs, xs, { confidence: Number.NaN }))).toBe('options.confidence');
    expect(fieldOf(() => ratioInterval([...xs, 0], xs, { confidence: 0.95 }))).toBe('a[12]');
    expect(fieldOf(() => ratioInterval(xs, [-1, ...xs], { confidence: 0.95 }))).toBe('b[0]');
    expect(fieldOf(() => ratioInterval(xs, [Infinity], { confidence: 0.95 }))).toBe('b[0]');
  });
});

describe('mixtureHalfWidth', () => {
  it('matches the closed form and grows with confidence', () => {
    const v = 0.0004;
    const t2 = 0.01;
    const expected = Math.sqrt(((v * (v + t2)) / t2) * Math.log((v + t2) / (v * 0.05 * 0.05)));
    expect(mixtureHalfWidth(v, 0.05)).toBeCloseTo(expected, 14);
    expect(mixtureHalfWidth(v, 0.01)).toBeGreaterThan(mixtureHalfWidth(v, 0.05));
    expect(mixtureHalfWidth(0, 0.05)).toBe(0);
  });
  it('is wider than the fixed-sample normal interval (the price of looking any time)', () => {
    const v = 0.0004;
    expect(mixtureHalfWidth(v, 0.05)).toBeGreaterThan(1.96 * Math.sqrt(v));
  });
});

describe('verdictOf', () => {
  it('decides on constructed intervals', () => {
    expect(verdictOf([0.97, 1.02], 0.05)).toBe('equivalent');
    expect(verdictOf([0.95, 1.05], 0.05)).toBe('equivalent');
    expect(verdictOf([0.97, 0.99], 0.05)).toBe('equivalent');
    expect(verdictOf([0.85, 0.93], 0.05)).toBe('faster');
    expect(verdictOf([0.9, 0.99], 0.05)).toBe('faster');
    expect(verdictOf([1.01, 1.2], 0.05)).toBe('slower');
    expect(verdictOf([0.9, 1.1], 0.05)).toBe('undecided');
    expect(verdictOf([0.94, 1.0], 0.05)).toBe('undecided');
  });
  it('rejects a bad margin or interval', () => {
    expect(fieldOf(() => verdictOf([0.9, 1], 0))).toBe('margin');
    expect(fieldOf(() => verdictOf([0.9, 1], 1))).toBe('margin');
    expect(fieldOf(() => verdictOf([1.1, 1], 0.05))).toBe('interval');
  });
});

describe('compareMetric', () => {
  it('reports ratios, the interval and the verdict of constructed data', () => {
    const random = mulberry32(5);
    const a = lognormal(random, 200, 100, 0.1);
    const faster = compareMetric('durationMs', a, a.map((x) => x * 0.8), { confidence: 0.95, margin: 0.05 })!;
    expect(faster.metric).toBe('durationMs');
    expect(faster.ratioOfMedians).toBeCloseTo(0.8, 12);
    expect(faster.ratioOfTrimmedMeans).toBeCloseTo(0.8, 12);
    expect(faster.verdict).toBe('faster');
    const slower = compareMetric('costUSD', a, a.map((x) => x * 1.25), { confidence: 0.95, margin: 0.05 })!;
    expect(slower.verdict).toBe('slower');
    const same = compareMetric('durationMs', a, lognormal(mulberry32(6), 200, 100, 0.1), { confidence: 0.95, margin: 0.05 })!;
    expect(same.verdict).toBe('equivalent');
    expect(same.interval[0]).toBeGreaterThanOrEqual(0.95);
    expect(same.interval[1]).toBeLessThanOrEqual(1.05);
    const few = compareMetric('durationMs', a.slice(0, 12), lognormal(mulberry32(8), 12, 100, 0.3), { confidence: 0.95, margin: 0.05 })!;
    expect(few.verdict).toBe('undecided');
  });
  it('is undefined with too few values and rejects a bad margin', () => {
    expect(compareMetric('durationMs', [1, 2], [1, 2], { confidence: 0.95, margin: 0.05 })).toBeUndefined();
    expect(fieldOf(() => compareMetric('durationMs', [1, 2], [1, 2], { confidence: 0.95, margin: 1.5 }))).toBe('options.margin');
  });
});

describe('expectedPerRequest', () => {
  const warm = [
    { latencyMs: 10, costUSD: 1e-6 },
    { latencyMs: 12, costUSD: 1e-6 },
  ];
  const cold = [{ latencyMs: 300, costUSD: 5e-6 }];

  it('takes percentiles of the mixture distribution, not a weighted average of percentiles', () => {
    // 10 ms and 12 ms carry 49% each, 300 ms 2%.
    const e = expectedPerRequest(warm, cold, 0.02);
    expect(e.p50Ms).toBe(12);
    expect(e.p99Ms).toBe(300);
    expect(e.costPerRequestUSD).toBeCloseTo(1.08e-6, 18);
    expect(e.costPerMillionUSD).toBeCloseTo(1.08, 12);
    // At 1% cold, p99 is still warm: 99% of requests are warm and at most 12 ms.
    expect(expectedPerRequest(warm, cold, 0.01).p99Ms).toBe(12);
  });

  it('mixes two distributions exactly on a small example', () => {
    const w = [1, 2, 3, 4].map((latencyMs) => ({ latencyMs, costUSD: 1 }));
    const c = [10, 20].map((latencyMs) => ({ latencyMs, costUSD: 3 }));
    // Rate 0.5: 1, 2, 3, 4 carry 12.5% each and 10, 20 carry 25% each; the CDF reaches 50% at 4.
    const e = expectedPerRequest(w, c, 0.5);
    expect(e.p50Ms).toBe(4);
    expect(e.p99Ms).toBe(20);
    expect(e.costPerRequestUSD).toBe(2);
    // Rate 0.6: the CDF is 40% at 4 and 70% at 10.
    expect(expectedPerRequest(w, c, 0.6).p50Ms).toBe(10);
  });

  it('uses warm alone at rate 0 and cold alone at rate 1', () => {
    expect(expectedPerRequest(warm, [], 0)).toMatchObject({ p50Ms: 10, p99Ms: 12, costPerRequestUSD: 1e-6 });
    expect(expectedPerRequest([], cold, 1)).toMatchObject({ p50Ms: 300, p99Ms: 300, costPerRequestUSD: 5e-6 });
    expect(expectedPerRequest(warm, cold, 0).p99Ms).toBe(12);
  });

  it('is undefined when the side the rate needs has no samples', () => {
    expect(expectedPerRequest(warm, [], 0.1)).toEqual({
      coldStartRate: 0.1,
      p50Ms: undefined,
      p99Ms: undefined,
      costPerRequestUSD: undefined,
      costPerMillionUSD: undefined,
    });
    expect(expectedPerRequest([], cold, 0.5).p50Ms).toBeUndefined();
  });

  it('rejects a bad rate or sample naming the field', () => {
    expect(fieldOf(() => expectedPerRequest(warm, cold, -0.1))).toBe('coldStartRate');
    expect(fieldOf(() => expectedPerRequest(warm, cold, 1.5))).toBe('coldStartRate');
    expect(fieldOf(() => expectedPerRequest(warm, cold, Number.NaN))).toBe('coldStartRate');
    expect(fieldOf(() => expectedPerRequest([{ latencyMs: -1, costUSD: 0 }], cold, 0.1))).toBe('warm[0].latencyMs');
    expect(fieldOf(() => expectedPerRequest(warm, [{ latencyMs: 1, costUSD: Number.NaN }], 0.1))).toBe('cold[0].costUSD');
  });
});
