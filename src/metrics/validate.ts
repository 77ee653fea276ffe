import { InvalidInputError } from '../errors.js';

/** What CloudWatch accepts as a statistic (CloudWatch User Guide, "CloudWatch statistics definitions"). */
export const STATISTIC_FORMS =
  'SampleCount, Sum, Average, Minimum, Maximum, IQM, pNN or pNN.n (percentile 0-100), ' +
  'tmNN/wmNN/tcNN/tsNN (upper percent, e.g. tm99), TM/WM/TC/TS(a%:b%) or (low:high) with either bound optional ' +
  '(e.g. TM(10%:90%), TM(150:1000), TS(:95%)), PR(low:high) with absolute bounds (e.g. PR(100:2000))';

const SIMPLE_STATS = new Set(['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum', 'IQM']);
const NUMBER = String.raw`\d+(?:\.\d+)?`;
const PERCENTILE = new RegExp(`^p(${NUMBER})$`);
const SHORTHAND = new RegExp(`^(?:tm|wm|tc|ts)(${NUMBER})$`);
const BOUND = String.raw`-?\d+(?:\.\d+)?%?`;
const RANGED = new RegExp(`^(TM|WM|TC|TS|PR)\\((${BOUND})?:(${BOUND})?\\)$`);

interface Bound {
  readonly value: number;
  readonly percent: boolean;
}

function parseBound(text: string | undefined): Bound | undefined {
  if (text === undefined) return undefined;
  const percent = text.endsWith('%');
  return { value: Number(percent ? text.slice(0, -1) : text), percent };
}

function rangedProblem(fn: string, low: Bound | undefined, high: Bound | undefined): string | undefined {
  if (low === undefined && high === undefined) return 'needs at least one bound';
  for (const b of [low, high]) {
    if (b === undefined) continue;
    if (b.percent && fn === 'PR') return 'PR() takes absolute values, not percentages';
    if (b.percent && (b.value < 0 || b.value > 100)) return 'percent bounds must be from 0% to 100%';
  }
  if (low !== undefined && high !== undefined && low.percent === high.percent && low.value >= high.value) {
    return 'the lower bound must be below the upper bound';
  }
  return undefined;
}

/**
 * Throws InvalidInputError (listing the accepted forms) unless `stat` is a statistic CloudWatch accepts.
 * Shorthand forms are lower case (`p99`, `tm90`) and ranged forms upper case (`TM(10%:90%)`), as CloudWatch spells them.
 */
export function validateStatistic(stat: unknown, field: string): string {
  const fail = (why: string): never => {
    throw new InvalidInputError(field, `${why}; allowed: ${STATISTIC_FORMS}`);
  };
  if (typeof stat !== 'string' || stat === '') return fail(`must be a statistic, got ${JSON.stringify(stat) ?? String(stat)}`);
  if (SIMPLE_STATS.has(stat)) return stat;
  const single = PERCENTILE.exec(stat) ?? SHORTHAND.exec(stat);
  if (single !== null) {
    const value = Number(single[1]);
    const min = stat.startsWith('p') ? 0 : Number.MIN_VALUE;
    if (value < min || value > 100) fail(`${JSON.stringify(stat)} is out of range (the number must be ${stat.startsWith('p') ? 'from 0' : 'above 0'} to 100)`);
    return stat;
  }
  const ranged = RANGED.exec(stat);
  if (ranged !== null) {
    const problem = rangedProblem(ranged[1] as string, parseBound(ranged[2]), parseBound(ranged[3]));
    if (problem !== undefined) fail(`${JSON.stringify(stat)}: ${problem}`);
    return stat;
  }
  return fail(`${JSON.stringify(stat)} is not a CloudWatch statistic`);
}

const HIGH_RESOLUTION_PERIODS = [1, 5, 10, 20, 30];
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Throws InvalidInputError unless `period` is 1, 5, 10, 20, 30 or a positive multiple of 60 seconds. */
export function validatePeriod(period: unknown, field: string): number {
  if (typeof period !== 'number' || !Number.isInteger(period) || period < 1) {
    throw new InvalidInputError(field, `must be a whole number of seconds: 1, 5, 10, 20, 30 or a multiple of 60, got ${String(period)}`);
  }
  if (!HIGH_RESOLUTION_PERIODS.includes(period) && period % 60 !== 0) {
    throw new InvalidInputError(field, `must be 1, 5, 10, 20, 30 (high resolution) or a multiple of 60 seconds, got ${period}`);
  }
  return period;
}

/**
 * The coarsest granularity CloudWatch still has for data starting `ageMs` ago, in seconds: sub-minute data is kept
 * 3 hours, 1-minute data 15 days, 5-minute data 63 days, then hourly (GetMetricData `MetricStat.Period` reference).
 */
export function minimumPeriodMultiple(ageMs: number): number {
  if (ageMs > 63 * DAY_MS) return 3600;
  if (ageMs > 15 * DAY_MS) return 300;
  if (ageMs > 3 * HOUR_MS) return 60;
  return 1;
}

/** Throws InvalidInputError when `period` is finer than CloudWatch keeps for a start time `ageMs` in the past. */
export function validatePeriodForAge(period: number, ageMs: number, field: string): void {
  const multiple = minimumPeriodMultiple(ageMs);
  if (multiple === 1 || period % multiple === 0) return;
  const days = (ageMs / DAY_MS).toFixed(1);
  const rule =
    multiple === 60
      ? 'a start time older than 3 hours needs a multiple of 60 seconds'
      : multiple === 300
        ? 'a start time 15 to 63 days ago needs a multiple of 300 seconds'
        : 'a start time more than 63 days ago needs a multiple of 3600 seconds';
  throw new InvalidInputError(field, `${rule} (the start time is ${days} days ago), got ${period}`);
}

/** CloudWatch's rule for query ids. */
export const METRIC_ID_PATTERN = /^[a-z][a-zA-Z0-9_]*$/;

/** Throws InvalidInputError unless `id` is a valid GetMetricData query id. */
export function validateMetricId(id: unknown, field: string): string {
  if (typeof id !== 'string' || !METRIC_ID_PATTERN.test(id)) {
    throw new InvalidInputError(
      field,
      `must start with a lowercase letter followed by letters, digits or underscores (^[a-z][a-zA-Z0-9_]*$), got ${JSON.stringify(id) ?? String(id)}`,
    );
  }
  return id;
}
