/**
 * CloudWatch statistics over the samples of one period: the five standard statistics, percentiles and the
 * percent-bounded trimmed family. CloudWatch does not publish its percentile algorithm; `local` uses the definitions
 * below, documented in docs/local-cloudwatch.md.
 *
 * @module
 */

/** One stored sample group: `count` observations; `value` when they all had one known value. */
export interface Sample {
  readonly count: number;
  readonly sum: number;
  readonly minimum: number;
  readonly maximum: number;
  /** Present when every observation of the group equals it (raw values, or a statistic set with min = max). */
  readonly value?: number;
}

/** A parsed statistic. */
export type Statistic =
  | { readonly kind: 'SampleCount' | 'Sum' | 'Average' | 'Minimum' | 'Maximum' }
  | { readonly kind: 'percentile'; readonly percent: number }
  | { readonly kind: 'trimmed'; readonly measure: 'mean' | 'count' | 'sum'; readonly lowPercent: number; readonly highPercent: number };

const NUMBER = String.raw`(\d{1,2}(?:\.\d{1,10})?|100(?:\.0{1,10})?)`;
const SHORT = new RegExp(String.raw`^(p|tm|tc|ts)${NUMBER}$`);
const RANGE = new RegExp(String.raw`^(TM|TC|TS)\((?:${NUMBER}%)?:(?:${NUMBER}%)?\)$`);
const MEASURES = { tm: 'mean', tc: 'count', ts: 'sum', TM: 'mean', TC: 'count', TS: 'sum' } as const;

/**
 * Parses a statistic string: `SampleCount`, `Sum`, `Average`, `Minimum`, `Maximum`, `pNN(.n)`, `tmNN`, `tcNN`,
 * `tsNN`, `TM(a%:b%)`, `TC(a%:b%)`, `TS(a%:b%)` (either bound may be left out) and `IQM`. Returns undefined for
 * anything else (absolute bounds such as `TM(150:1000)`, `PR`, winsorized means).
 */
export function parseStatistic(stat: string): Statistic | undefined {
  if (stat === 'SampleCount' || stat === 'Sum' || stat === 'Average' || stat === 'Minimum' || stat === 'Maximum') return { kind: stat };
  if (stat === 'IQM') return { kind: 'trimmed', measure: 'mean', lowPercent: 25, highPercent: 75 };
  const short = SHORT.exec(stat);
  if (short !== null) {
    const percent = Number(short[2]);
    if (short[1] === 'p') return { kind: 'percentile', percent };
    // tm90 keeps the lowest 90%: TM(0%:90%).
    return { kind: 'trimmed', measure: MEASURES[short[1] as 'tm' | 'tc' | 'ts'], lowPercent: 0, highPercent: percent };
  }
  const range = RANGE.exec(stat);
  if (range !== null) {
    const lowPercent = range[2] === undefined ? 0 : Number(range[2]);
    const highPercent = range[3] === undefined ? 100 : Number(range[3]);
    if (lowPercent >= highPercent) return undefined;
    return { kind: 'trimmed', measure: MEASURES[range[1] as 'TM' | 'TC' | 'TS'], lowPercent, highPercent };
  }
  return undefined;
}

/** Sorted (value, count) runs of samples with known values, or undefined when some sample has no single value. */
function sortedRuns(samples: readonly Sample[]): { value: number; count: number }[] | undefined {
  const runs: { value: number; count: number }[] = [];
  for (const s of samples) {
    if (s.value === undefined) return undefined;
    runs.push({ value: s.value, count: s.count });
  }
  return runs.sort((a, b) => a.value - b.value);
}

/**
 * Computes a statistic over the samples of one period; undefined when there are no samples or the statistic needs
 * single values that statistic sets (with minimum ≠ maximum) do not provide.
 *
 * Percentile `pNN` is the nearest-rank value: the smallest observed value `v` such that at least NN% of the
 * observations are ≤ `v` (`p0` is the minimum, `p100` the maximum). Trimmed statistics rank the n observations in
 * ascending order and keep rank `i` (1-based) when `a% × n < i ≤ b% × n`; `TM` is their mean, `TC` their count and
 * `TS` their sum (undefined for `TM` when none is kept).
 */
export function computeStatistic(samples: readonly Sample[], stat: Statistic): number | undefined {
  if (samples.length === 0) return undefined;
  let count = 0;
  let sum = 0;
  let minimum = Number.POSITIVE_INFINITY;
  let maximum = Number.NEGATIVE_INFINITY;
  for (const s of samples) {
    count += s.count;
    sum += s.sum;
    minimum = Math.min(minimum, s.minimum);
    maximum = Math.max(maximum, s.maximum);
  }
  switch (stat.kind) {
    case 'SampleCount':
      return count;
    case 'Sum':
      return sum;
    case 'Average':
      return count === 0 ? undefined : sum / count;
    case 'Minimum':
      return minimum;
    case 'Maximum':
      return maximum;
    case 'percentile': {
      const runs = sortedRuns(samples);
      if (runs === undefined || count === 0) return undefined;
      const rank = Math.max(1, Math.ceil((stat.percent / 100) * count));
      let seen = 0;
      for (const run of runs) {
        seen += run.count;
        if (seen >= rank) return run.value;
      }
      return maximum;
    }
    case 'trimmed': {
      const runs = sortedRuns(samples);
      if (runs === undefined) return undefined;
      const low = (stat.lowPercent / 100) * count;
      const high = (stat.highPercent / 100) * count;
      let keptCount = 0;
      let keptSum = 0;
      let rankBefore = 0;
      for (const run of runs) {
        // Ranks rankBefore+1 .. rankBefore+run.count; keep those in (low, high].
        const from = Math.max(rankBefore + 1, Math.floor(low) + 1);
        const to = Math.min(rankBefore + run.count, Math.floor(high));
        if (to >= from) {
          keptCount += to - from + 1;
          keptSum += (to - from + 1) * run.value;
        }
        rankBefore += run.count;
      }
      if (stat.measure === 'count') return keptCount;
      if (stat.measure === 'sum') return keptSum;
      return keptCount === 0 ? undefined : keptSum / keptCount;
    }
  }
}
