import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../src/errors.js';
import { expectedMaxExcess, leaderOf, planNextRound } from '../src/tune/adaptive.js';
import type { AdaptiveOptions, ConfigObservation } from '../src/tune/adaptive.js';
import { seeded } from './helpers/common.js';

// x86_64 us-east-1 first-tier price per GB-second ([PRICE] https://aws.amazon.com/lambda/pricing/), per ms here.
const PER_GB_MS = 0.0000166667 / 1000;
const cost = (durationMs: number, memorySizeMB: number): number => Math.ceil(durationMs) * (memorySizeMB / 1024) * PER_GB_MS;

type Model = (memorySizeMB: number, random: () => number) => number;

/** Runs the adaptive loop to the end, as powerTune would; checks the invariants on the way. */
function runAdaptive(sizes: readonly number[], model: Model, options: AdaptiveOptions, seed = 1) {
  const random = seeded(seed);
  const data = new Map(sizes.map((m) => [m, { memorySizeMB: m, durationsMs: [] as number[], costsUSD: [] as number[] }]));
  const everDominated = new Set<number>();
  const maxSamples = options.maxSamples ?? 50;
  for (let round = 0; round < 10_000; round++) {
    const plan = planNextRound([...data.values()], options);
    for (const { memorySizeMB, count } of plan.sample) {
      expect(everDominated.has(memorySizeMB)).toBe(false);
      expect(count).toBeGreaterThan(0);
      const o = data.get(memorySizeMB)!;
      for (let k = 0; k < count; k++) {
        const d = model(memorySizeMB, random);
        o.durationsMs.push(d);
        o.costsUSD.push(cost(d, memorySizeMB));
      }
      expect(o.durationsMs.length).toBeLessThanOrEqual(Math.max(maxSamples, options.minSamples ?? 5));
    }
    for (const m of plan.eliminated) everDominated.add(m);
    if (plan.done) {
      expect(plan.sample).toEqual([]);
      return { plan, data, rounds: round + 1, everDominated };
    }
    expect(plan.sample.length).toBeGreaterThan(0);
  }
  throw new Error('did not terminate');
}

const noisy = (base: (m: number) => number, sigma = 0.1): Model => (m, random) => {
  const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return base(m) * Math.exp(sigma * z - (sigma * sigma) / 2);
};
const cpuBound = (m: number): number => (100 * 1769) / Math.min(m, 1769);
const SIZES = [128, 256, 512, 1024, 1536, 3008];

describe('planNextRound', () => {
  it('asks for minSamples of every size first, with no leader yet', () => {
    const plan = planNextRound(SIZES.map((m) => ({ memorySizeMB: m, durationsMs: [], costsUSD: [] })), { strategy: 'cost' });
    expect(plan).toEqual({ done: false, sample: SIZES.map((m) => ({ memorySizeMB: m, count: 5 })), eliminated: [], leader: undefined });
  });

  it('tops up a size that has fewer than minSamples', () => {
    const plan = planNextRound([
      { memorySizeMB: 128, durationsMs: [10, 11], costsUSD: [1, 1] },
      { memorySizeMB: 256, durationsMs: [9, 9, 9, 9, 9], costsUSD: [2, 2, 2, 2, 2] },
    ], { strategy: 'speed', minSamples: 5 });
    expect(plan.done).toBe(false);
    expect(plan.sample).toEqual([{ memorySizeMB: 128, count: 3 }]);
    expect(plan.leader).toBe(256);
  });

  it('eliminates clearly worse sizes early (speed, CPU-bound)', () => {
    const { plan, data } = runAdaptive(SIZES, noisy(cpuBound), { strategy: 'speed' });
    expect(plan.leader).toBe(3008);
    // 128–512 MB are 3.5–14× slower: eliminated after the first round.
    for (const m of [128, 256, 512]) {
      expect(plan.eliminated).toContain(m);
      expect(data.get(m)!.durationsMs).toHaveLength(5);
    }
    const total = [...data.values()].reduce((s, o) => s + o.durationsMs.length, 0);
    expect(total).toBeLessThan(300 / 3);
  });

  it('ends a practical tie by precision, and the tie-break decides (speed: cheaper wins)', () => {
    // I/O-bound: the same duration at every size; only cost differs.
    const { plan, data } = runAdaptive([128, 256, 512], noisy(() => 70, 0.03), { strategy: 'speed' });
    expect(plan.done).toBe(true);
    expect(plan.leader).toBe(128);
    expect(plan.eliminated).toEqual([]);
    for (const o of data.values()) expect(o.durationsMs.length).toBeLessThan(50);
  });

  it('cost strategy: sizes tied on cost go to the fastest', () => {
    const { plan } = runAdaptive(SIZES, noisy(cpuBound, 0.03), { strategy: 'cost' });
    expect(plan.leader).toBe(1536);
    expect(plan.eliminated).toContain(3008);
  });

  it('caps every size at maxSamples when nothing can be decided', () => {
    // Two sizes 6% apart with heavy noise: neither tied nor separable within 12 samples.
    const model: Model = (m, random) => (m === 256 ? 106 : 100) * (0.2 + 1.6 * random());
    const { plan, data } = runAdaptive([128, 256], model, { strategy: 'speed', maxSamples: 12, batchSize: 3 });
    expect(plan.done).toBe(true);
    for (const o of data.values()) expect(o.durationsMs.length).toBe(12);
    expect(plan.leader).toBe(leaderOf([...data.values()], { strategy: 'speed' }));
  });

  it('deterministic: the same data give the same plan', () => {
    const obs: ConfigObservation[] = SIZES.map((m, i) => {
      const r = seeded(i + 7);
      const d = Array.from({ length: 8 }, () => cpuBound(m) * (0.9 + 0.2 * r()));
      return { memorySizeMB: m, durationsMs: d, costsUSD: d.map((x) => cost(x, m)) };
    });
    expect(planNextRound(obs, { strategy: 'balanced' })).toEqual(planNextRound(obs, { strategy: 'balanced' }));
  });

  it('hands out batchSize per undecided size, more to the wider interval', () => {
    const obs: ConfigObservation[] = [
      { memorySizeMB: 1024, durationsMs: [100, 101, 99, 100, 100], costsUSD: [1, 1, 1, 1, 1] },
      { memorySizeMB: 2048, durationsMs: [70, 130, 90, 115, 95], costsUSD: [2, 2, 2, 2, 2] },
    ];
    const plan = planNextRound(obs, { strategy: 'speed', batchSize: 4 });
    const counts = Object.fromEntries(plan.sample.map((s) => [s.memorySizeMB, s.count]));
    expect((counts[1024] ?? 0) + (counts[2048] ?? 0)).toBe(8);
    expect(counts[2048]).toBeGreaterThan(counts[1024] ?? 0);
  });

  it('a single memory size is done after minSamples', () => {
    const plan = planNextRound([{ memorySizeMB: 512, durationsMs: [1, 2, 3, 4, 5], costsUSD: [1, 1, 1, 1, 1] }], { strategy: 'cost' });
    expect(plan).toEqual({ done: true, sample: [], eliminated: [], leader: 512 });
  });
});

describe('balanced strategy', () => {
  it('normalises cost and duration by the largest current means', () => {
    // Scores (w = 0.5): 128 → 0.5·1/4 + 0.5·1 = 0.625; 512 → 0.5·(2/4) + 0.5·(0.3) = 0.4; 1024 → 0.5 + 0.5·0.25 = 0.625.
    const obs: ConfigObservation[] = [
      { memorySizeMB: 128, durationsMs: [400], costsUSD: [1] },
      { memorySizeMB: 512, durationsMs: [120], costsUSD: [2] },
      { memorySizeMB: 1024, durationsMs: [100], costsUSD: [4] },
    ];
    expect(leaderOf(obs, { strategy: 'balanced' })).toBe(512);
    // All weight on cost: the cheapest; all on duration: the fastest. The scale of the units does not matter.
    expect(leaderOf(obs, { strategy: 'balanced', balancedWeight: 1 })).toBe(128);
    expect(leaderOf(obs, { strategy: 'balanced', balancedWeight: 0 })).toBe(1024);
    const scaled = obs.map((o) => ({ ...o, costsUSD: o.costsUSD.map((c) => c * 1e-9) }));
    expect(leaderOf(scaled, { strategy: 'balanced' })).toBe(512);
  });

  it('runs to a decision on noisy data', () => {
    // Scores: 1536 MB 0.336, 512 MB 0.419, 3008 MB 0.536, 128 MB 0.537 (1024 MB, 6% off 1536 MB, would be a near-tie).
    const { plan } = runAdaptive([128, 512, 1536, 3008], noisy(cpuBound, 0.03), { strategy: 'balanced', balancedWeight: 0.5 });
    expect(plan.done).toBe(true);
    expect(plan.leader).toBe(1536);
  });
});

describe('leaderOf: objective and tie-breaks', () => {
  it('cost: practically tied costs go to the lower duration; clearly cheaper wins', () => {
    expect(leaderOf([
      { memorySizeMB: 512, durationsMs: [400], costsUSD: [100] },
      { memorySizeMB: 1024, durationsMs: [200], costsUSD: [103] },
    ], { strategy: 'cost' })).toBe(1024);
    expect(leaderOf([
      { memorySizeMB: 512, durationsMs: [400], costsUSD: [100] },
      { memorySizeMB: 1024, durationsMs: [200], costsUSD: [110] },
    ], { strategy: 'cost' })).toBe(512);
  });

  it('speed: practically tied durations go to the lower cost; equal everything to the smaller size', () => {
    expect(leaderOf([
      { memorySizeMB: 1024, durationsMs: [101], costsUSD: [2] },
      { memorySizeMB: 2048, durationsMs: [100], costsUSD: [4] },
    ], { strategy: 'speed' })).toBe(1024);
    expect(leaderOf([
      { memorySizeMB: 2048, durationsMs: [100], costsUSD: [4] },
      { memorySizeMB: 1024, durationsMs: [100], costsUSD: [4] },
    ], { strategy: 'speed', relativePrecision: 0.001 })).toBe(1024);
  });
});

describe('trimmed means (discardTopBottom)', () => {
  // 1024 MB is 10% faster in every invocation but one, which took 20× as long (a GC pause, a slow downstream call).
  const steady = (ms: number, n: number): number[] => Array.from({ length: n }, (_, i) => ms + (i % 5) * 0.5);
  const withOutlier = steady(90, 10).map((d, i) => (i === 3 ? d * 20 : d));
  const obs = (durations1024: number[]): ConfigObservation[] => [
    { memorySizeMB: 512, durationsMs: steady(100, 10), costsUSD: steady(100, 10).map((d) => cost(d, 512)) },
    { memorySizeMB: 1024, durationsMs: durations1024, costsUSD: durations1024.map((d) => cost(d, 1024)) },
  ];

  it('one slow invocation does not decide the comparison by default (20% trimmed from each end)', () => {
    expect(leaderOf(obs(withOutlier), { strategy: 'speed', relativePrecision: 0.01 })).toBe(1024);
  });

  it('discardTopBottom 0 averages every invocation, and the slow one decides', () => {
    expect(leaderOf(obs(withOutlier), { strategy: 'speed', relativePrecision: 0.01, discardTopBottom: 0 })).toBe(512);
  });

  it('trimmed samples give intervals too: a clear difference is settled after minSamples', () => {
    const plan = planNextRound(obs(withOutlier).map((o) => ({
      memorySizeMB: o.memorySizeMB, durationsMs: o.durationsMs.slice(0, 5), costsUSD: o.costsUSD.slice(0, 5),
    })), { strategy: 'speed', relativePrecision: 0.01 });
    // The first five invocations of 1024 MB hold the slow one; trimmed, 90–92 ms against 100–102 ms is clear.
    expect(plan).toEqual({ done: true, sample: [], eliminated: [512], leader: 1024 });
    const untrimmed = planNextRound(obs(withOutlier).map((o) => ({
      memorySizeMB: o.memorySizeMB, durationsMs: o.durationsMs.slice(0, 5), costsUSD: o.costsUSD.slice(0, 5),
    })), { strategy: 'speed', relativePrecision: 0.01, discardTopBottom: 0 });
    expect(untrimmed.done).toBe(false);
  });
});

describe('settling a practical tie', () => {
  const flat = (ms: number, spread: number, n = 10): number[] => Array.from({ length: n }, (_, i) => ms * (1 + spread * ((i % 5) - 2) / 2));
  const obs = (a: number[], b: number[]): ConfigObservation[] => [
    { memorySizeMB: 1024, durationsMs: a, costsUSD: a.map((d) => cost(d, 1024)) },
    { memorySizeMB: 2048, durationsMs: b, costsUSD: b.map((d) => cost(d, 2048)) },
  ];

  it('stops when the cheaper size is surely within 5% of the faster one, without separating them', () => {
    // 101 ms against 100 ms, each within ±0.4%: surely tied, so speed's tie-break (cost) picks 1024 MB.
    const plan = planNextRound(obs(flat(101, 0.004), flat(100, 0.004)), { strategy: 'speed' });
    expect(plan).toEqual({ done: true, sample: [], eliminated: [], leader: 1024 });
  });

  it('keeps sampling both while the cheaper one may be just outside the band', () => {
    // 104.5 ms against 100 ms with ±4% noise: tied or not is still open.
    const plan = planNextRound(obs(flat(104.5, 0.04), flat(100, 0.04)), { strategy: 'speed' });
    expect(plan.done).toBe(false);
    expect(plan.sample.map((s) => s.memorySizeMB).sort()).toEqual([1024, 2048]);
  });

  it('does not wait for the secondary metric to separate sizes already inside the band', () => {
    // speed: 100 ms and 101 ms, surely tied; their costs 2% apart with ±3% noise: which is cheaper is still open, but
    // either is within 5% of the fastest, so the answer is good enough: done, the cheaper estimate wins the tie.
    const costs = (base: number): number[] => Array.from({ length: 10 }, (_, i) => base * (1 + 0.03 * ((i % 5) - 2) / 2));
    const open = planNextRound([
      { memorySizeMB: 1024, durationsMs: flat(101, 0.004), costsUSD: costs(1.02) },
      { memorySizeMB: 1536, durationsMs: flat(100, 0.004), costsUSD: costs(1) },
    ], { strategy: 'speed' });
    expect(open).toEqual({ done: true, sample: [], eliminated: [], leader: 1536 });
    // Costs 50% apart: the cheaper one wins.
    const settled = planNextRound([
      { memorySizeMB: 1024, durationsMs: flat(101, 0.004), costsUSD: costs(1) },
      { memorySizeMB: 1536, durationsMs: flat(100, 0.004), costsUSD: costs(1.5) },
    ], { strategy: 'speed' });
    expect(settled).toEqual({ done: true, sample: [], eliminated: [], leader: 1024 });
  });

  it('stops when the expected excess beyond the band is at most (1 − confidence) × the band', () => {
    // 100 ms against 102 ms with ±4% noise, 10 each: the expected excess is small enough at 0.95, not at 0.999
    // (allowed 0.25% against 0.005% of the leader's objective); then both sizes are sampled.
    const data = obs(flat(100, 0.04), flat(102, 0.04));
    expect(planNextRound(data, { strategy: 'speed' })).toEqual({ done: true, sample: [], eliminated: [], leader: 1024 });
    expect(planNextRound(data, { strategy: 'speed', confidence: 0.999 })).toEqual({
      done: false,
      sample: [{ memorySizeMB: 1024, count: 5 }, { memorySizeMB: 2048, count: 5 }],
      eliminated: [],
      leader: 1024,
    });
  });

  it('eliminates a size that cannot be within the band of any plausible best', () => {
    const plan = planNextRound(obs(flat(130, 0.01), flat(100, 0.01)), { strategy: 'speed' });
    expect(plan).toEqual({ done: true, sample: [], eliminated: [1024], leader: 2048 });
  });
});

describe('validation', () => {
  const ok: ConfigObservation[] = [{ memorySizeMB: 128, durationsMs: [1], costsUSD: [1] }];
  const cases: [string, unknown, unknown][] = [
    ['observations', [], { strategy: 'cost' }],
    ['observations', 'x', { strategy: 'cost' }],
    ['observations[0]', [null], { strategy: 'cost' }],
    ['observations[0].memorySizeMB', [{ memorySizeMB: 64, durationsMs: [], costsUSD: [] }], { strategy: 'cost' }],
    ['observations[1].memorySizeMB', [...ok, ...ok], { strategy: 'cost' }],
    ['observations[0].durationsMs', [{ memorySizeMB: 128, costsUSD: [] }], { strategy: 'cost' }],
    ['observations[0].durationsMs[1]', [{ memorySizeMB: 128, durationsMs: [1, Number.NaN], costsUSD: [1, 1] }], { strategy: 'cost' }],
    ['observations[0].costsUSD[0]', [{ memorySizeMB: 128, durationsMs: [1], costsUSD: [-1] }], { strategy: 'cost' }],
    ['observations[0].costsUSD', [{ memorySizeMB: 128, durationsMs: [1, 2], costsUSD: [1] }], { strategy: 'cost' }],
    ['options', ok, null],
    ['options.strategy', ok, { strategy: 'cheap' }],
    ['options.balancedWeight', ok, { strategy: 'balanced', balancedWeight: 1.5 }],
    ['options.minSamples', ok, { strategy: 'cost', minSamples: 1 }],
    ['options.minSamples', ok, { strategy: 'cost', minSamples: 2.5 }],
    ['options.maxSamples', ok, { strategy: 'cost', minSamples: 10, maxSamples: 9 }],
    ['options.batchSize', ok, { strategy: 'cost', batchSize: 0 }],
    ['options.relativePrecision', ok, { strategy: 'cost', relativePrecision: 0 }],
    ['options.confidence', ok, { strategy: 'cost', confidence: 1 }],
    ['options.discardTopBottom', ok, { strategy: 'cost', discardTopBottom: -0.1 }],
    ['options.discardTopBottom', ok, { strategy: 'cost', discardTopBottom: 0.45 }],
    ['options.discardTopBottom', ok, { strategy: 'cost', discardTopBottom: '0.2' }],
  ];
  it.each(cases)('names %s', (field, observations, options) => {
    let caught: unknown;
    try {
      planNextRound(observations as ConfigObservation[], options as AdaptiveOptions);
    } catch (err) {
      caught = err;
    }
    expect(InvalidInputError.is(caught)).toBe(true);
    expect((caught as InvalidInputError).field).toBe(field);
  });

  it('leaderOf validates the same way', () => {
    expect(() => leaderOf([], { strategy: 'cost' })).toThrow(InvalidInputError);
  });
});

describe('properties', () => {
  it('always terminates within maxSamples per size and never samples an eliminated size again', () => {
    const arbitrary = fc.record({
      sizes: fc.uniqueArray(fc.integer({ min: 128, max: 10_240 }), { minLength: 1, maxLength: 6 }),
      bases: fc.array(fc.double({ min: 1, max: 2000, noNaN: true }), { minLength: 6, maxLength: 6 }),
      sigma: fc.double({ min: 0, max: 0.8, noNaN: true }),
      strategy: fc.constantFrom<AdaptiveOptions['strategy']>('cost', 'speed', 'balanced'),
      minSamples: fc.integer({ min: 2, max: 6 }),
      extra: fc.integer({ min: 0, max: 20 }),
      batchSize: fc.integer({ min: 1, max: 7 }),
      relativePrecision: fc.double({ min: 0.005, max: 0.3, noNaN: true }),
      seed: fc.integer(),
    });
    fc.assert(
      fc.property(arbitrary, (p) => {
        const options: AdaptiveOptions = {
          strategy: p.strategy,
          minSamples: p.minSamples,
          maxSamples: p.minSamples + p.extra,
          batchSize: p.batchSize,
          relativePrecision: p.relativePrecision,
        };
        const base = new Map(p.sizes.map((m, i) => [m, p.bases[i] as number]));
        const { plan, data } = runAdaptive(p.sizes, noisy((m) => base.get(m) as number, p.sigma), options, p.seed);
        for (const o of data.values()) {
          expect(o.durationsMs.length).toBeGreaterThanOrEqual(p.minSamples);
          expect(o.durationsMs.length).toBeLessThanOrEqual(p.minSamples + p.extra);
        }
        expect(p.sizes).toContain(plan.leader);
        expect(plan.eliminated).not.toContain(plan.leader);
      }),
      { numRuns: 150 },
    );
  });
});

describe('expectedMaxExcess: the expected loss against the best of several sizes', () => {
  const phi = (x: number): number => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
  /** E[max(0, D)] for D ~ N(m, s²), by the closed form, with Φ from a long Simpson rule of φ (independent of the code). */
  const single = (m: number, s: number): number => {
    const u = m / s;
    let area = 0;
    const n = 20_000;
    const h = (u + 12) / n;
    for (let i = 0; i <= n; i++) area += (i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2) * phi(-12 + i * h);
    return s * phi(u) + m * ((area * h) / 3);
  };

  it('one other size: the closed form of E[max(0, L − c·O)], within 0.2% (the quadrature)', () => {
    for (const [lm, ls, om, os] of [[100, 2, 100, 2], [100, 1, 96, 3], [110, 4, 100, 0.5], [100, 0.5, 90, 0.5]] as const) {
      const got = expectedMaxExcess({ m: lm, s: ls }, [{ m: om, s: os }], 1.05);
      const exact = single(lm - 1.05 * om, Math.hypot(ls, 1.05 * os));
      expect(Math.abs(got - exact)).toBeLessThanOrEqual(0.002 * exact + 1e-9);
    }
  });

  it('several: above the largest single expectation, below their sum, and equal to a seeded Monte Carlo mean', () => {
    const leader = { m: 100, s: 1.5 };
    const others = [{ m: 99, s: 1.5 }, { m: 100.5, s: 2 }, { m: 98, s: 1 }, { m: 101, s: 2.5 }];
    const singles = others.map((o) => expectedMaxExcess(leader, [o], 1.05));
    const got = expectedMaxExcess(leader, others, 1.05);
    expect(got).toBeGreaterThan(Math.max(...singles));
    expect(got).toBeLessThan(singles.reduce((a, b) => a + b, 0));
    // Monte Carlo with a fixed seed: 200,000 draws of L and every O, Box–Muller normals.
    const random = seeded(7);
    const normal = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    let sum = 0;
    let sumSq = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const l = leader.m + leader.s * normal();
      let loss = 0;
      for (const o of others) loss = Math.max(loss, l - 1.05 * (o.m + o.s * normal()));
      sum += loss;
      sumSq += loss * loss;
    }
    const mean = sum / n;
    const se = Math.sqrt((sumSq / n - mean * mean) / n);
    expect(Math.abs(got - mean)).toBeLessThan(4 * se);
  });

  it('with no spread it is the excess over the band of the lowest other size, or 0', () => {
    expect(expectedMaxExcess({ m: 110, s: 0 }, [{ m: 100, s: 0 }, { m: 102, s: 0 }], 1.05)).toBeCloseTo(5, 6);
    expect(expectedMaxExcess({ m: 100, s: 0 }, [{ m: 99, s: 0 }, { m: 102, s: 0 }], 1.05)).toBe(0);
  });
});
