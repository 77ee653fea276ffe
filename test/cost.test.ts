import { describe, expect, it } from 'vitest';
import {
  asyncBilledRequests,
  CostAccumulator,
  DEFAULT_PRICES,
  PRICES_AS_OF,
  invocationCost,
  monthlyCost,
  provisionedConcurrencyCost,
  reportCost,
  snapStartCost,
  sumCosts,
  validatePriceTable,
} from '../src/cost/index.js';
import type { PriceTable } from '../src/cost/index.js';
import { Dec, DecSum } from '../src/cost/decimal.js';
import type { ReportRecord } from '../src/report/types.js';
import { invalid } from './helpers/common.js';

/** Exact decimal string of num/den (den of the form 2^a·5^b), computed with BigInt only. */
function ratioToDecimal(num: bigint, den: bigint): string {
  let scale = 0;
  while (num % den !== 0n) {
    num *= 10n;
    scale++;
  }
  return Dec.of(num / den, scale).toString();
}

/** Rounds an exact non-negative decimal string half-up to `decimals` places, as a string. */
function roundHalfUp(exact: string, decimals: number): string {
  const d = Dec.parse(exact)!;
  const shift = d.scale - decimals;
  if (shift <= 0) return Dec.of(d.units * 10n ** BigInt(-shift), decimals).toString();
  const unit = 10n ** BigInt(shift);
  const q = d.units / unit;
  const r = d.units % unit;
  return Dec.of(r * 2n >= unit ? q + 1n : q, decimals).toString();
}

/**
 * The 2018 price table: $0.00001667 per GB-s, $0.20 per 1M requests, 100 ms billing, the same free tier, as on
 * aws.amazon.com/lambda/pricing/ in 2018 (memory 128–3008 MB in 64 MB steps, "price per 100ms" table).
 */
const PRICES_2018: PriceTable = {
  asOf: '2018-08-01',
  defaultRegion: 'us-east-1',
  billingGranularityMs: 100,
  freeTier: { gbSeconds: 400_000, requests: 1_000_000 },
  regions: {
    'us-east-1': { duration: { x86_64: [{ pricePerGBSecond: '0.00001667' }] }, requestsPerMillion: '0.20' },
  },
};

function report(fields: Partial<ReportRecord> & Pick<ReportRecord, 'durationMs' | 'billedDurationMs' | 'memorySizeMB'>): ReportRecord {
  return { requestId: 'r', maxMemoryUsedMB: 64, status: 'success', coldStart: false, format: 'text', ...fields };
}

describe('the default price table', () => {
  it('is dated, frozen and valid', () => {
    expect(DEFAULT_PRICES.asOf).toBe(PRICES_AS_OF);
    expect(PRICES_AS_OF).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(Object.isFrozen(DEFAULT_PRICES)).toBe(true);
    expect(Object.isFrozen(DEFAULT_PRICES.regions['us-east-1']!.duration.x86_64![0])).toBe(true);
    expect(validatePriceTable(DEFAULT_PRICES)).toBe(DEFAULT_PRICES);
    expect(Object.keys(DEFAULT_PRICES.regions).some((r) => r.startsWith('cn-'))).toBe(false);
    for (const r of ['af-south-1', 'ap-east-1', 'eu-south-1', 'me-south-1', 'me-central-1', 'eu-west-1']) {
      expect(DEFAULT_PRICES.regions[r]).toBeDefined();
    }
  });
});

describe('invocationCost at current prices', () => {
  it('prices 1 ms at 128 MB as power-tuning does (2.1e-9 x86, 1.7e-9 Arm, rounded up there)', () => {
    const x86 = invocationCost({ memorySizeMB: 128, billedDurationMs: 1 });
    expect(x86.gbSecondsExact).toBe('0.000125');
    expect(x86.computeUSDExact).toBe('0.0000000020833375');
    expect(x86.computeUSD).toBeCloseTo(2.083e-9, 12);
    expect(x86.computeUSD).toBeLessThan(2.1e-9);
    expect(x86.requestUSDExact).toBe('0.0000002');
    expect(x86.totalUSDExact).toBe('0.0000002020833375');
    expect(x86).toMatchObject({ billedDurationMs: 1, memorySizeMB: 128, architecture: 'x86_64', region: 'us-east-1', requests: 1 });
    expect(x86.pricesAsOf).toBe(PRICES_AS_OF);
    expect(x86.pricePerGBSecond).toBe('0.0000166667');
    const arm = invocationCost({ memorySizeMB: 128, billedDurationMs: 1, architecture: 'arm64' });
    expect(arm.computeUSDExact).toBe('0.000000001666675');
    expect(arm.computeUSD).toBeCloseTo(1.667e-9, 12);
    expect(arm.computeUSD).toBeLessThan(1.7e-9);
  });

  it('uses GB = MB/1024 (512 MB = 0.5 GB, 1024 MB for 1 s = one GB-s)', () => {
    expect(invocationCost({ memorySizeMB: 1024, billedDurationMs: 1000 }).computeUSDExact).toBe('0.0000166667');
    expect(invocationCost({ memorySizeMB: 512, billedDurationMs: 1000 }).gbSecondsExact).toBe('0.5');
    // 10,240 MB for 900 s (the maximum): 9000 GB-s.
    expect(invocationCost({ memorySizeMB: 10_240, billedDurationMs: 900_000 }).computeUSDExact).toBe('0.1500003');
  });

  it('rounds durationMs up to the billing granularity', () => {
    // Real samples: 46.84 ms → Billed 47 ms [AWSDOCS services-cloudwatchlogs.md]; 2.75 → 3 [AWSDOCS python-logging.md].
    expect(invocationCost({ memorySizeMB: 192, durationMs: 46.84 }).billedDurationMs).toBe(47);
    expect(invocationCost({ memorySizeMB: 128, durationMs: 2.75 }).billedDurationMs).toBe(3);
    expect(invocationCost({ memorySizeMB: 128, durationMs: 5 }).billedDurationMs).toBe(5);
    expect(invocationCost({ memorySizeMB: 128, durationMs: 0 }).billedDurationMs).toBe(0);
    // 2014: Duration 718.65 ms → Billed Duration 800 ms [GIST-Q].
    expect(invocationCost({ memorySizeMB: 128, durationMs: 718.65, billingGranularityMs: 100 }).billedDurationMs).toBe(800);
    expect(invocationCost({ memorySizeMB: 128, durationMs: 200 }, { prices: PRICES_2018 }).billedDurationMs).toBe(200);
    expect(invocationCost({ memorySizeMB: 128, durationMs: 200.01 }, { prices: PRICES_2018 }).billedDurationMs).toBe(300);
    expect(invocationCost({ memorySizeMB: 128, durationMs: 27.4, billingGranularityMs: 1 }, { prices: PRICES_2018 }).billedDurationMs).toBe(28);
  });

  it('charges ephemeral storage above 512 MB', () => {
    const c = invocationCost({ memorySizeMB: 1024, billedDurationMs: 1000, ephemeralStorageMB: 10_240 });
    // (10,240 − 512)/1024 GB × 1 s = 9.5 GB-s × $0.0000000309.
    expect(c.storageUSDExact).toBe('0.00000029355');
    expect(c.totalUSDExact).toBe('0.00001716025');
    expect(invocationCost({ memorySizeMB: 1024, billedDurationMs: 1000, ephemeralStorageMB: 512 }).storageUSDExact).toBe('0');
  });

  it('prices other Regions from their own rows', () => {
    const hk = invocationCost({ memorySizeMB: 1024, billedDurationMs: 1000, region: 'ap-east-1' });
    expect(hk.computeUSDExact).toBe('0.00002292');
    expect(hk.requestUSDExact).toBe('0.00000028');
    const hkArm = invocationCost({ memorySizeMB: 1024, billedDurationMs: 1000, region: 'ap-east-1', architecture: 'arm64' });
    expect(hkArm.computeUSDExact).toBe('0.0000183');
    expect(invocationCost({ memorySizeMB: 2048, billedDurationMs: 500, region: 'eu-west-1' }).computeUSDExact).toBe('0.0000166667');
  });
});

describe('reportCost', () => {
  it('uses Billed Duration as reported, which already includes billed init time (2025-08 onwards)', () => {
    // Real 2026 sample [U-71311]: Duration 2.37 ms, Billed Duration 427 ms, Memory Size 1024 MB, Init Duration 423.98 ms.
    const r = report({ durationMs: 2.37, billedDurationMs: 427, memorySizeMB: 1024, initDurationMs: 423.98, coldStart: true });
    const c = reportCost(r);
    expect(c.billedDurationMs).toBe(427);
    expect(c.gbSecondsExact).toBe('0.427');
    expect(c.computeUSDExact).toBe('0.0000071166809');
    expect(c.totalUSDExact).toBe('0.0000073166809');
  });

  it('does not add Billed Restore Duration again for SnapStart', () => {
    // Real sample [DOCWHO]: Duration 2338.66 ms, Billed Duration 2521 ms (= ceil(2338.66) + 182), Memory Size 3009 MB,
    // Restore Duration 398.97 ms, Billed Restore Duration 182 ms.
    const r = report({
      durationMs: 2338.66, billedDurationMs: 2521, memorySizeMB: 3009, restoreDurationMs: 398.97, billedRestoreDurationMs: 182, coldStart: true,
    });
    const c = reportCost(r, { architecture: 'x86_64' });
    expect(c.billedDurationMs).toBe(2521);
    expect(c.gbSecondsExact).toBe(ratioToDecimal(2521n * 3009n, 1_024_000n));
    expect(c.totalUSDExact).toBe(invocationCost({ memorySizeMB: 3009, billedDurationMs: 2521 }).totalUSDExact);
  });

  it('uses the capped Billed Duration of a timeout', () => {
    // [DD-FWD] Duration 3003.16 ms, Billed Duration 3000 ms at a 3 s timeout.
    const c = reportCost(report({ durationMs: 3003.16, billedDurationMs: 3000, memorySizeMB: 128, status: 'timeout' }));
    expect(c.gbSecondsExact).toBe('0.375');
  });

  it('takes architecture, Region, storage and prices options', () => {
    const r = report({ durationMs: 99.5, billedDurationMs: 100, memorySizeMB: 1024 });
    expect(reportCost(r, { architecture: 'arm64' }).computeUSDExact).toBe('0.00000133334');
    expect(reportCost(r, { region: 'ap-east-1' }).pricePerGBSecond).toBe('0.00002292');
    expect(reportCost(r, { ephemeralStorageMB: 1536 }).storageUSDExact).toBe('0.00000000309');
    expect(reportCost(r, { prices: PRICES_2018 }).computeUSDExact).toBe('0.000001667');
  });

  it('validates the record and the options, naming the field', () => {
    const r = report({ durationMs: 1, billedDurationMs: 1, memorySizeMB: 128 });
    expect(invalid(() => reportCost(null as unknown as ReportRecord)).field).toBe('report');
    expect(invalid(() => reportCost({ ...r, billedDurationMs: -1 })).field).toBe('report.billedDurationMs');
    expect(invalid(() => reportCost({ ...r, billedDurationMs: 1.5 })).field).toBe('report.billedDurationMs');
    expect(invalid(() => reportCost({ ...r, billedDurationMs: Number.NaN })).field).toBe('report.billedDurationMs');
    expect(invalid(() => reportCost({ ...r, memorySizeMB: 64 })).field).toBe('report.memorySizeMB');
    expect(invalid(() => reportCost(r, { architecture: 'arm' as 'arm64' })).field).toBe('options.architecture');
    expect(invalid(() => reportCost(r, { region: 'xx-nowhere-1' })).field).toBe('options.region');
    expect(invalid(() => reportCost(r, { ephemeralStorageMB: 256 })).field).toBe('options.ephemeralStorageMB');
    expect(invalid(() => reportCost(r, 'x' as unknown as object)).field).toBe('options');
    expect(invalid(() => reportCost(r, { prices: {} as PriceTable })).field).toBe('options.prices.asOf');
  });
});

describe("AWS's published pricing examples (2018 table: $0.00001667 per GB-s, 100 ms billing)", () => {
  it('Example 1: 512 MB, 3 M executions of 1 s → $18.34 + $0.40 = $18.74', () => {
    const m = monthlyCost({ invocations: 3_000_000, averageBilledDurationMs: 1000, memorySizeMB: 512, freeTier: true }, { prices: PRICES_2018 });
    expect(m.gbSeconds).toBe(1_500_000);
    expect(m.freeTierGBSeconds).toBe(400_000);
    expect(m.billableGBSeconds).toBe(1_100_000);
    expect(m.billableRequests).toBe(2_000_000);
    expect(roundHalfUp(m.computeUSDExact, 2)).toBe('18.34');
    expect(roundHalfUp(m.requestUSDExact, 2)).toBe('0.4');
    expect(roundHalfUp(m.totalUSDExact, 2)).toBe('18.74');
    expect(m.totalUSDExact).toBe('18.737');
  });

  it('Example 2: 128 MB, 30 M executions of 200 ms → $5.83 + $5.80 = $11.63', () => {
    const m = monthlyCost({ invocations: 30_000_000, averageBilledDurationMs: 200, memorySizeMB: 128, freeTier: true }, { prices: PRICES_2018 });
    expect(m.gbSeconds).toBe(750_000);
    expect(m.billableGBSeconds).toBe(350_000);
    expect(m.billableRequests).toBe(29_000_000);
    expect(roundHalfUp(m.computeUSDExact, 2)).toBe('5.83');
    expect(roundHalfUp(m.requestUSDExact, 2)).toBe('5.8');
    expect(roundHalfUp(m.totalUSDExact, 2)).toBe('11.63');
    expect(m.totalUSDExact).toBe('11.6345');
  });

  it("reproduces the 2018 'price per 100 ms' table", () => {
    // The per-100 ms prices of the 2018 pricing page; they are also what the Feb 2018 column "Price Per 1M
    // Invocations" of epsagon/lambda-memory-performance-benchmark is built from (e.g. 128 MB, 376.05 ms → 4 × 100 ms
    // × $0.000000208 × 1M = $0.832).
    const table: [number, string][] = [
      [128, '0.000000208'], [192, '0.000000313'], [256, '0.000000417'], [512, '0.000000834'], [768, '0.00000125'],
      [1024, '0.000001667'], [1536, '0.000002501'], [2048, '0.000003334'], [2560, '0.000004168'], [3008, '0.000004897'],
    ];
    for (const [mb, per100ms] of table) {
      const c = invocationCost({ memorySizeMB: mb, durationMs: 37.2 }, { prices: PRICES_2018 });
      expect(c.billedDurationMs).toBe(100);
      expect(roundHalfUp(c.computeUSDExact, 9)).toBe(per100ms);
    }
    // The benchmark's durations bill as whole 100 ms units.
    const billed = [376.05, 250.24, 198.56, 98.36, 25.15].map((d) => invocationCost({ memorySizeMB: 128, durationMs: d }, { prices: PRICES_2018 }).billedDurationMs);
    expect(billed).toEqual([400, 300, 200, 100, 100]);
  });
});

describe('monthlyCost', () => {
  it('charges 20 B x86 GB-s through all three tiers', () => {
    const m = monthlyCost({ invocations: 0, gbSeconds: 20e9, memorySizeMB: 128 });
    // 6B × 0.0000166667 + 9B × 0.000015 + 5B × 0.0000133334 = 100000.2 + 135000 + 66667.
    expect(m.computeUSDExact).toBe('301667.2');
    expect(m.tiers.map((t) => [t.fromGBSeconds, t.toGBSeconds, t.gbSecondsExact, t.computeUSDExact, t.pricePerGBSecond])).toEqual([
      [0, 6e9, '6000000000', '100000.2', '0.0000166667'],
      [6e9, 15e9, '9000000000', '135000', '0.000015'],
      [15e9, undefined, '5000000000', '66667', '0.0000133334'],
    ]);
    expect(m.requestUSDExact).toBe('0');
    expect(m.freeTierApplied).toBe(false);
  });

  it('uses the Arm tier thresholds (7.5 B, 18.75 B)', () => {
    const m = monthlyCost({ invocations: 0, gbSeconds: 20e9, memorySizeMB: 128, architecture: 'arm64' });
    // 7.5B × 0.0000133334 + 11.25B × 0.0000120001 + 1.25B × 0.0000106667.
    expect(m.tiers.map((t) => t.computeUSDExact)).toEqual(['100000.5', '135001.125', '13333.375']);
    expect(m.computeUSDExact).toBe('248335');
    const edge = monthlyCost({ invocations: 0, gbSeconds: 7.5e9, memorySizeMB: 128, architecture: 'arm64' });
    expect(edge.tiers.map((t) => t.gbSeconds)).toEqual([7.5e9, 0, 0]);
  });

  it('subtracts the free tier before the tiers', () => {
    const m = monthlyCost({ invocations: 500_000, gbSeconds: '6000400000', memorySizeMB: 128, freeTier: true });
    expect(m.billableGBSecondsExact).toBe('6000000000');
    expect(m.tiers[1]!.gbSeconds).toBe(0);
    expect(m.freeTierRequests).toBe(500_000);
    expect(m.billableRequests).toBe(0);
    expect(m.requestUSDExact).toBe('0');
    const small = monthlyCost({ invocations: 10, averageBilledDurationMs: 100, memorySizeMB: 128, freeTier: true });
    expect(small.totalUSDExact).toBe('0');
    expect(small.freeTierGBSeconds).toBe(0.125);
  });

  it('is exact with fractional and string averages, and charges storage on the seconds', () => {
    const m = monthlyCost({ invocations: 3, averageBilledDurationMs: '0.1', memorySizeMB: 1024, ephemeralStorageMB: 1536 });
    expect(m.gbSecondsExact).toBe('0.0003');
    expect(m.computeUSDExact).toBe('0.00000000500001');
    // 1 GB of extra storage × 0.0003 s.
    expect(m.storageGBSeconds).toBe(0.0003);
    expect(m.storageUSDExact).toBe('0.00000000000927');
    const big = monthlyCost({ invocations: 1_000_000, averageBilledDurationMs: 1000, memorySizeMB: 1024, ephemeralStorageMB: 10_240 });
    expect(big.storageUSDExact).toBe('0.29355');
  });

  it('agrees with summing the invocations one by one', () => {
    const acc = new CostAccumulator();
    for (let i = 0; i < 1000; i++) acc.add(invocationCost({ memorySizeMB: 256, billedDurationMs: 120 }));
    const m = monthlyCost({ invocations: 1000, averageBilledDurationMs: 120, memorySizeMB: 256 });
    expect(m.totalUSDExact).toBe(acc.total().totalUSDExact);
    expect(monthlyCost({ invocations: 1000, gbSeconds: acc.total().gbSecondsExact, memorySizeMB: 256 }).computeUSDExact).toBe(m.computeUSDExact);
  });

  it('validates input and names the field', () => {
    const base = { invocations: 1, averageBilledDurationMs: 1, memorySizeMB: 128 };
    expect(invalid(() => monthlyCost({ ...base, invocations: -1 })).field).toBe('input.invocations');
    expect(invalid(() => monthlyCost({ ...base, invocations: 1.5 })).field).toBe('input.invocations');
    expect(invalid(() => monthlyCost({ ...base, gbSeconds: 5 })).field).toBe('input.gbSeconds');
    expect(invalid(() => monthlyCost({ invocations: 1, memorySizeMB: 128 })).field).toBe('input.averageBilledDurationMs');
    expect(invalid(() => monthlyCost({ ...base, averageBilledDurationMs: '-3' })).field).toBe('input.averageBilledDurationMs');
    expect(invalid(() => monthlyCost({ invocations: 1, memorySizeMB: 128, gbSeconds: 'lots' })).field).toBe('input.gbSeconds');
    expect(invalid(() => monthlyCost({ ...base, freeTier: 'yes' as unknown as boolean })).field).toBe('input.freeTier');
    expect(invalid(() => monthlyCost({ invocations: 1, memorySizeMB: 128, gbSeconds: 1, ephemeralStorageMB: 1024 })).field).toBe('input.ephemeralStorageMB');
    expect(invalid(() => monthlyCost({ ...base, memorySizeMB: 10_241 })).field).toBe('input.memorySizeMB');
    expect(invalid(() => monthlyCost({ ...base, architecture: 'x86' as 'x86_64' })).field).toBe('input.architecture');
    expect(invalid(() => monthlyCost(undefined as unknown as typeof base)).field).toBe('input');
  });
});

describe('asynchronous events over 256 KB', () => {
  const KB = 1024;
  it('are billed one more request per further 64 KB or part of it, up to 13 at 1 MB', () => {
    expect(asyncBilledRequests(0)).toBe(1);
    expect(asyncBilledRequests(256 * KB)).toBe(1);
    expect(asyncBilledRequests(256 * KB + 1)).toBe(2);
    expect(asyncBilledRequests(320 * KB)).toBe(2);
    expect(asyncBilledRequests(320 * KB + 1)).toBe(3);
    expect(asyncBilledRequests(1024 * KB)).toBe(13);
    for (const bad of [-1, 1.5, 1024 * KB + 1, Number.NaN]) expect(invalid(() => asyncBilledRequests(bad)).message).toMatch(/^Invalid payloadBytes: /);
    expect(invalid(() => asyncBilledRequests(1024 * KB + 1)).message).toMatch(/at most 1048576 bytes/);
  });

  it('cost their extra requests in invocationCost, reportCost and monthlyCost', () => {
    const one = invocationCost({ memorySizeMB: 128, billedDurationMs: 1, asyncPayloadBytes: 300 * KB });
    expect(one.requests).toBe(2);
    expect(one.requestUSDExact).toBe('0.0000004');
    expect(one.computeUSDExact).toBe(invocationCost({ memorySizeMB: 128, billedDurationMs: 1 }).computeUSDExact);
    const report = { requestId: 'r', durationMs: 1, billedDurationMs: 1, memorySizeMB: 128, maxMemoryUsedMB: 60, status: 'success', coldStart: false, format: 'text' } as ReportRecord;
    expect(reportCost(report, { asyncPayloadBytes: 1024 * KB }).requestUSDExact).toBe('0.0000026');
    expect(invalid(() => reportCost(report, { asyncPayloadBytes: -5 })).message).toMatch(/^Invalid options\.asyncPayloadBytes: /);

    // A month of 1 M events of 1 MB: 13 M requests, $2.60; the free million requests leave 12 M, $2.40.
    const month = monthlyCost({ invocations: 1_000_000, averageBilledDurationMs: 100, memorySizeMB: 128, asyncPayloadBytes: 1024 * KB });
    expect(month.requests).toBe(13_000_000);
    expect(month.invocations).toBe(1_000_000);
    expect(month.requestUSDExact).toBe('2.6');
    const free = monthlyCost({ invocations: 1_000_000, averageBilledDurationMs: 100, memorySizeMB: 128, asyncPayloadBytes: 1024 * KB, freeTier: true });
    expect(free.freeTierRequests).toBe(1_000_000);
    expect(free.billableRequests).toBe(12_000_000);
    expect(free.requestUSDExact).toBe('2.4');
    expect(invalid(() => monthlyCost({ invocations: 1, averageBilledDurationMs: 1, memorySizeMB: 128, asyncPayloadBytes: 2 ** 21 })).message).toMatch(
      /^Invalid input\.asyncPayloadBytes: /,
    );
  });
});

describe('exact sums', () => {
  it('sums 1,000,000 invocation costs exactly where a float sum drifts', () => {
    const unit = invocationCost({ memorySizeMB: 128, billedDurationMs: 1 });
    const acc = new CostAccumulator();
    let naive = 0;
    for (let i = 0; i < 1_000_000; i++) {
      acc.add(unit);
      naive += unit.totalUSD;
    }
    const total = acc.total();
    // Closed form: n × unit cost = 10^6 × 0.0000002020833375.
    expect(total.totalUSDExact).toBe('0.2020833375');
    expect(total.computeUSDExact).toBe('0.0020833375');
    expect(total.requestUSDExact).toBe('0.2');
    expect(total.gbSecondsExact).toBe('125');
    expect(total).toMatchObject({ count: 1_000_000, requests: 1_000_000, totalUSD: 0.2020833375 });
    expect(naive).not.toBe(0.2020833375);
    expect(Math.abs(naive - 0.2020833375)).toBeGreaterThan(1e-13);
  });

  it('sums 3,000 varied REPORTs to the closed form Σ cost, where their float running sum has already drifted', () => {
    // Billed durations 1..1000 ms, 3 times each, at 1769 MB on Arm with 1024 MB of ephemeral storage: every record
    // costs a different non-binary fraction, so a float sum rounds at each step (1,000 records are enough for it to
    // miss the nearest double of the exact total). bench/cost.mjs sums a million of them and prints the rate.
    const ROUNDS = 3;
    const acc = new CostAccumulator();
    let naive = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (let ms = 1; ms <= 1000; ms++) {
        const r = report({ durationMs: ms - 0.5, billedDurationMs: ms, memorySizeMB: 1769 });
        acc.addReport(r, { architecture: 'arm64', ephemeralStorageMB: 1024 });
        naive += reportCost(r, { architecture: 'arm64', ephemeralStorageMB: 1024 }).totalUSD;
      }
    }
    const totalMs = BigInt(ROUNDS) * 500_500n; // ROUNDS × Σ_{1..1000} ms
    const compute = ratioToDecimal(totalMs * 1769n * 133_334n, 1_024_000n * 10n ** 10n);
    const storage = ratioToDecimal(totalMs * 512n * 309n, 1_024_000n * 10n ** 10n);
    const total = acc.total();
    expect(total.count).toBe(3000);
    expect(total.requests).toBe(3000);
    expect(total.computeUSDExact).toBe(compute);
    expect(total.storageUSDExact).toBe(storage);
    expect(total.requestUSDExact).toBe('0.0006');
    expect(total.totalUSDExact).toBe(Dec.parse(compute)!.add(Dec.parse(storage)!).add(Dec.parse('0.0006')!).toString());
    expect(total.totalUSDExact).toBe('0.03520870313291015625');
    // The float figure is the exact total rounded once; the running float sum is not.
    expect(total.totalUSD).toBe(Number(total.totalUSDExact));
    expect(naive).not.toBe(total.totalUSD);
  });

  it('sums breakdowns read back from JSON, and mixes invocations with months', () => {
    const a = invocationCost({ memorySizeMB: 128, billedDurationMs: 3 });
    const b = monthlyCost({ invocations: 2, averageBilledDurationMs: 10, memorySizeMB: 256 });
    const fromJson = JSON.parse(JSON.stringify(a)) as typeof a;
    const total = sumCosts([a, fromJson, b]);
    expect(total.count).toBe(3);
    expect(total.requests).toBe(4);
    expect(total.totalUSDExact).toBe(Dec.parse(a.totalUSDExact)!.mulInt(2n).add(Dec.parse(b.totalUSDExact)!).toString());
    expect(sumCosts([])).toMatchObject({ count: 0, totalUSD: 0, totalUSDExact: '0', requests: 0 });
  });

  it('rejects things that are not breakdowns', () => {
    const a = invocationCost({ memorySizeMB: 128, billedDurationMs: 3 });
    const acc = new CostAccumulator();
    expect(invalid(() => acc.add({ ...a, computeUSDExact: 'x' })).field).toBe('cost.computeUSDExact');
    expect(invalid(() => acc.add({ ...a, storageUSDExact: '-1' })).field).toBe('cost.storageUSDExact');
    expect(invalid(() => acc.add({ ...a, requests: -2 })).field).toBe('cost.requests');
    expect(invalid(() => sumCosts([null as unknown as typeof a])).field).toBe('cost');
    expect(acc.count).toBe(0);
  });
});

describe('provisionedConcurrencyCost', () => {
  it('charges readiness, duration and requests (computed by hand)', () => {
    // 1024 MB × 1000 × 2 h = 7,200,000 GB-s × $0.0000041667 = $30.00024;
    // 1.2 M × 1 s × 1 GB = 1,200,000 GB-s × $0.0000097222 = $11.66664; 1.2 M requests × $0.20/M = $0.24.
    const pc = provisionedConcurrencyCost({
      memorySizeMB: 1024, concurrency: 1000, hours: 2, invocations: 1_200_000, averageBilledDurationMs: 1000,
    });
    expect(pc).toMatchObject({
      provisionedSeconds: 7200,
      provisionedGBSeconds: 7_200_000,
      provisionedUSDExact: '30.00024',
      durationGBSeconds: 1_200_000,
      durationUSDExact: '11.66664',
      requests: 1_200_000,
      requestUSDExact: '0.24',
      totalUSDExact: '41.90688',
      architecture: 'x86_64',
      region: 'us-east-1',
    });
    expect(roundHalfUp(pc.totalUSDExact, 2)).toBe('41.91');
  });

  it('rounds the enabled time up to 5 minutes and prices Arm', () => {
    const pc = provisionedConcurrencyCost({ memorySizeMB: 2048, concurrency: 3, seconds: 301, architecture: 'arm64' });
    expect(pc.provisionedSeconds).toBe(600);
    // 3 × 2 GB × 600 s = 3600 GB-s × $0.0000033334.
    expect(pc.provisionedUSDExact).toBe('0.01200024');
    expect(pc.durationUSDExact).toBe('0');
    expect(pc.requestUSDExact).toBe('0');
    expect(provisionedConcurrencyCost({ memorySizeMB: 128, concurrency: 1, seconds: 300 }).provisionedSeconds).toBe(300);
  });

  it('validates input and needs a PC price for the Region', () => {
    const base = { memorySizeMB: 512, concurrency: 1, hours: 1 };
    expect(invalid(() => provisionedConcurrencyCost({ ...base, concurrency: 0 })).field).toBe('input.concurrency');
    expect(invalid(() => provisionedConcurrencyCost({ ...base, seconds: 5 })).field).toBe('input.seconds');
    expect(invalid(() => provisionedConcurrencyCost({ memorySizeMB: 512, concurrency: 1 })).field).toBe('input.hours');
    expect(invalid(() => provisionedConcurrencyCost({ ...base, hours: -1 })).field).toBe('input.hours');
    expect(invalid(() => provisionedConcurrencyCost({ ...base, invocations: 5 })).field).toBe('input.averageBilledDurationMs');
    const err = invalid(() => provisionedConcurrencyCost({ ...base, region: 'eu-west-1' }));
    expect(err.field).toBe('input.region');
    expect(err.message).toContain('no x86_64 Provisioned Concurrency price for eu-west-1');
  });
});

describe('snapStartCost', () => {
  it('charges the cache (at least 3 hours) and restores', () => {
    // 2 GB × 730 h × 3600 s = 5,256,000 GB-s × $0.0000015046; 10,000 restores × 2 GB × $0.0001397998.
    const s = snapStartCost({ memorySizeMB: 2048, cacheHours: 730, restores: 10_000 });
    expect(s).toMatchObject({
      cacheSeconds: 2_628_000,
      cacheGBSeconds: 5_256_000,
      cacheUSDExact: '7.9081776',
      restoredGB: 20_000,
      restoreUSDExact: '2.795996',
      totalUSDExact: '10.7041736',
      restores: 10_000,
    });
    const short = snapStartCost({ memorySizeMB: 1024, cacheSeconds: 60 });
    expect(short.cacheSeconds).toBe(10_800);
    expect(short.cacheUSDExact).toBe('0.01624968');
    expect(short.restoreUSDExact).toBe('0');
    // Per ms after the minimum.
    expect(snapStartCost({ memorySizeMB: 1024, cacheSeconds: 10_800.0004 }).cacheSeconds).toBe(10_800.001);
  });

  it('validates input', () => {
    expect(invalid(() => snapStartCost({ memorySizeMB: 1024 })).field).toBe('input.cacheHours');
    expect(invalid(() => snapStartCost({ memorySizeMB: 1024, cacheHours: 1, restores: -1 })).field).toBe('input.restores');
    expect(invalid(() => snapStartCost({ memorySizeMB: 1024, cacheHours: 1, region: 'ap-east-1' })).message).toContain('no SnapStart price');
  });
});

describe('Regions and missing prices', () => {
  it('rejects an unknown Region, listing the known ones', () => {
    const err = invalid(() => invocationCost({ memorySizeMB: 128, billedDurationMs: 1, region: 'cn-north-1' }));
    expect(err.field).toBe('input.region');
    expect(err.message).toContain('us-east-1');
    expect(err.message).toContain('me-central-1');
    expect(err.message).toContain('CNY');
    expect(invalid(() => monthlyCost({ invocations: 1, gbSeconds: 1, memorySizeMB: 128, region: 5 as unknown as string })).field).toBe('input.region');
  });

  it('rejects what a Region row lacks instead of guessing', () => {
    const noRequests = invalid(() => invocationCost({ memorySizeMB: 128, billedDurationMs: 1, region: 'af-south-1' }));
    expect(noRequests.field).toBe('input.region');
    expect(noRequests.message).toContain('no request price for af-south-1');
    const noStorage = invalid(() => invocationCost({ memorySizeMB: 128, billedDurationMs: 1, region: 'eu-west-1', ephemeralStorageMB: 1024 }));
    expect(noStorage.message).toContain('no ephemeral storage price for eu-west-1');
    // Within the free requests, af-south-1 can still be priced (no request charge is needed).
    const m = monthlyCost({ invocations: 1000, averageBilledDurationMs: 100, memorySizeMB: 1024, region: 'af-south-1', freeTier: true });
    expect(m.totalUSDExact).toBe('0');
    expect(monthlyCost({ invocations: 0, gbSeconds: 1e6, memorySizeMB: 128, region: 'af-south-1' }).computeUSDExact).toBe('22.1');
    // Beyond the first tier the discount is unknown there.
    const beyond = invalid(() => monthlyCost({ invocations: 0, gbSeconds: 7e9, memorySizeMB: 128, region: 'eu-south-1' }));
    expect(beyond.field).toBe('options.prices');
    expect(beyond.message).toContain('only up to 6000000000');
    const noArch = { ...PRICES_2018 };
    expect(invalid(() => invocationCost({ memorySizeMB: 128, billedDurationMs: 1, architecture: 'arm64' }, { prices: noArch })).message).toContain('no arm64 duration price');
  });
});

describe('input validation', () => {
  it('names the bad field of invocationCost', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ memorySizeMB: 127, billedDurationMs: 1 }, 'input.memorySizeMB'],
      [{ memorySizeMB: 10_241, billedDurationMs: 1 }, 'input.memorySizeMB'],
      [{ memorySizeMB: 512.5, billedDurationMs: 1 }, 'input.memorySizeMB'],
      [{ memorySizeMB: Number.NaN, billedDurationMs: 1 }, 'input.memorySizeMB'],
      [{ memorySizeMB: '128', billedDurationMs: 1 }, 'input.memorySizeMB'],
      [{ memorySizeMB: 128, billedDurationMs: -1 }, 'input.billedDurationMs'],
      [{ memorySizeMB: 128, billedDurationMs: 1.5 }, 'input.billedDurationMs'],
      [{ memorySizeMB: 128, billedDurationMs: Number.NaN }, 'input.billedDurationMs'],
      [{ memorySizeMB: 128, durationMs: -0.1 }, 'input.durationMs'],
      [{ memorySizeMB: 128, durationMs: Number.NaN }, 'input.durationMs'],
      [{ memorySizeMB: 128, durationMs: Infinity }, 'input.durationMs'],
      [{ memorySizeMB: 128, durationMs: '5' }, 'input.durationMs'],
      [{ memorySizeMB: 128, billedDurationMs: 1, durationMs: 1 }, 'input.durationMs'],
      [{ memorySizeMB: 128 }, 'input.billedDurationMs'],
      [{ memorySizeMB: 128, billedDurationMs: 1, architecture: 'aarch64' }, 'input.architecture'],
      [{ memorySizeMB: 128, billedDurationMs: 1, ephemeralStorageMB: 511 }, 'input.ephemeralStorageMB'],
      [{ memorySizeMB: 128, billedDurationMs: 1, ephemeralStorageMB: 10_241 }, 'input.ephemeralStorageMB'],
      [{ memorySizeMB: 128, durationMs: 1, billingGranularityMs: 10 }, 'input.billingGranularityMs'],
    ];
    for (const [input, field] of cases) {
      const err = invalid(() => invocationCost(input as never));
      expect(err.field, JSON.stringify(input)).toBe(field);
      expect(err.message).toContain(field);
    }
    expect(invalid(() => invocationCost(null as never)).field).toBe('input');
    // Bad values are described briefly in the message.
    expect(invalid(() => invocationCost({ memorySizeMB: 'x'.repeat(50), billedDurationMs: 1 } as never)).message).toContain(`"${'x'.repeat(40)}…"`);
    expect(invalid(() => invocationCost({ memorySizeMB: true, billedDurationMs: 1 } as never)).message).toContain('got true');
    expect(invalid(() => invocationCost({ memorySizeMB: [128], billedDurationMs: 1 } as never)).message).toContain('got an array');
    expect(invalid(() => invocationCost({ memorySizeMB: 10n, billedDurationMs: 1 } as never)).message).toContain('got 10');
    expect(invalid(() => invocationCost({ memorySizeMB: {}, billedDurationMs: 1 } as never)).message).toContain('got object');
    expect(invalid(() => invocationCost([] as never)).message).toContain('got an array');
    expect(invalid(() => invocationCost({ memorySizeMB: 128, billedDurationMs: 1 }, { prices: 'cheap' as never })).field).toBe('options.prices');
    expect(invalid(() => invocationCost({ memorySizeMB: 128, billedDurationMs: 1 }, 'cheap' as never)).field).toBe('options');
    const both = invalid(() => invocationCost({ memorySizeMB: 128, billedDurationMs: 1, durationMs: 1 }));
    expect(both.message).toContain('not both');
  });

  it('validates custom price tables, naming the field', () => {
    const region = PRICES_2018.regions['us-east-1']!;
    const withRegion = (r: unknown): PriceTable => ({ ...PRICES_2018, regions: { 'us-east-1': r } } as PriceTable);
    const cases: [unknown, string][] = [
      [{ ...PRICES_2018, asOf: '2018-13-01' }, 'table.asOf'],
      [{ ...PRICES_2018, asOf: '2018-02-30' }, 'table.asOf'],
      [{ ...PRICES_2018, asOf: 20180101 }, 'table.asOf'],
      [{ ...PRICES_2018, billingGranularityMs: 10 }, 'table.billingGranularityMs'],
      [{ ...PRICES_2018, freeTier: null }, 'table.freeTier'],
      [{ ...PRICES_2018, freeTier: { gbSeconds: -1, requests: 0 } }, 'table.freeTier.gbSeconds'],
      [{ ...PRICES_2018, freeTier: { gbSeconds: 1, requests: 0.5 } }, 'table.freeTier.requests'],
      [{ ...PRICES_2018, regions: {} }, 'table.regions'],
      [{ ...PRICES_2018, defaultRegion: 'eu-west-1' }, 'table.defaultRegion'],
      [withRegion(null), 'table.regions["us-east-1"]'],
      [withRegion({ ...region, duration: null }), 'table.regions["us-east-1"].duration'],
      [withRegion({ ...region, duration: { x86_64: [] } }), 'table.regions["us-east-1"].duration.x86_64'],
      [withRegion({ ...region, duration: { x86_64: [5] } }), 'table.regions["us-east-1"].duration.x86_64[0]'],
      [withRegion({ ...region, duration: { x86_64: [{ pricePerGBSecond: '1' }, { pricePerGBSecond: '2' }] } }), 'table.regions["us-east-1"].duration.x86_64[0].upToGBSeconds'],
      [withRegion({ ...region, duration: { x86_64: [{ upToGBSeconds: 5, pricePerGBSecond: '1' }, { upToGBSeconds: 5, pricePerGBSecond: '1' }] } }), 'table.regions["us-east-1"].duration.x86_64[1].upToGBSeconds'],
      [withRegion({ ...region, duration: { x86_64: [{ upToGBSeconds: -5, pricePerGBSecond: '1' }] } }), 'table.regions["us-east-1"].duration.x86_64[0].upToGBSeconds'],
      [withRegion({ ...region, duration: { x86_64: [{ pricePerGBSecond: '-0.1' }] } }), 'table.regions["us-east-1"].duration.x86_64[0].pricePerGBSecond'],
      [withRegion({ ...region, duration: { x86_64: [{ pricePerGBSecond: 'cheap' }] } }), 'table.regions["us-east-1"].duration.x86_64[0].pricePerGBSecond'],
      [withRegion({ ...region, duration: { x86_64: [{ pricePerGBSecond: Number.NaN }] } }), 'table.regions["us-east-1"].duration.x86_64[0].pricePerGBSecond'],
      [withRegion({ ...region, duration: { mips: [{ pricePerGBSecond: '1' }] } }), 'table.regions["us-east-1"].duration.mips'],
      [withRegion({ ...region, requestsPerMillion: {} }), 'table.regions["us-east-1"].requestsPerMillion'],
      [withRegion({ ...region, ephemeralStoragePerGBSecond: '1e' }), 'table.regions["us-east-1"].ephemeralStoragePerGBSecond'],
      [withRegion({ ...region, provisionedConcurrency: 3 }), 'table.regions["us-east-1"].provisionedConcurrency'],
      [withRegion({ ...region, provisionedConcurrency: { arm64: 3 } }), 'table.regions["us-east-1"].provisionedConcurrency.arm64'],
      [withRegion({ ...region, provisionedConcurrency: { x86_64: { readinessPerGBSecond: '1' } } }), 'table.regions["us-east-1"].provisionedConcurrency.x86_64.durationPerGBSecond'],
      [withRegion({ ...region, snapStart: 'yes' }), 'table.regions["us-east-1"].snapStart'],
      [withRegion({ ...region, snapStart: { cachePerGBSecond: '1' } }), 'table.regions["us-east-1"].snapStart.restorePerGB'],
      [null, 'table'],
    ];
    for (const [table, field] of cases) {
      expect(invalid(() => validatePriceTable(table as PriceTable)).field, JSON.stringify(table)).toBe(field);
    }
  });

  it('accepts numeric prices and exponent notation as the same exact decimals', () => {
    const numeric: PriceTable = {
      ...PRICES_2018,
      regions: { 'us-east-1': { duration: { x86_64: [{ pricePerGBSecond: 0.00001667 }] }, requestsPerMillion: '2e-1' } },
    };
    expect(validatePriceTable(numeric)).toBe(numeric);
    const c = invocationCost({ memorySizeMB: 1024, billedDurationMs: 1000 }, { prices: numeric });
    expect(c.computeUSDExact).toBe('0.00001667');
    expect(c.requestUSDExact).toBe('0.0000002');
  });
});

describe('Dec (internal exact decimals)', () => {
  it('parses, formats and compares exactly', () => {
    expect(Dec.parse('0.0000166667')!.toString()).toBe('0.0000166667');
    expect(Dec.parse('2E+3')!.toString()).toBe('2000');
    expect(Dec.parse('+5.50')!.toString()).toBe('5.5');
    expect(Dec.parse('-0.25')!.toString()).toBe('-0.25');
    expect(Dec.parse('7.')!.toString()).toBe('7');
    expect(Dec.parse('.5')).toBeUndefined();
    expect(Dec.parse('1e99999')).toBeUndefined();
    expect(Dec.parse('')).toBeUndefined();
    expect(Dec.fromNumber(0.1).toString()).toBe('0.1');
    expect(Dec.fromNumber(1e21).toString()).toBe('1000000000000000000000');
    expect(Dec.fromNumber(5e-324).toNumber()).toBe(5e-324);
    expect(() => Dec.fromNumber(Number.NaN)).toThrow(RangeError);
    expect(Dec.of(-5n, -2).toString()).toBe('-500');
    expect(Dec.of(1n).sub(Dec.parse('0.25')!).toString()).toBe('0.75');
    expect(Dec.of(1n).cmp(Dec.parse('1.000')!)).toBe(0);
    expect(Dec.of(2n).max(Dec.of(3n)).toString()).toBe('3');
    expect(Dec.parse('2.5')!.isInteger()).toBe(false);
    expect(Dec.parse('2.0')!.isInteger()).toBe(true);
    expect(Dec.of(4n, -1).isInteger()).toBe(true);
    expect(Dec.of(3n).isZero()).toBe(false);
    expect(Dec.parse('2.000')!.toBigInt()).toBe(2n);
    expect(Dec.of(2n, -2).toBigInt()).toBe(200n);
    expect(Dec.parse('200.01')!.ceilToMultiple(100n).toString()).toBe('300');
    expect(Dec.of(1n).div1024().toString()).toBe('0.0009765625');
  });

  it('keeps an exact running sum across scales', () => {
    const s = new DecSum();
    s.add(Dec.parse('0.1')!);
    s.add(Dec.parse('0.02')!);
    s.add(Dec.of(3n));
    expect(s.value().toString()).toBe('3.12');
  });
});
