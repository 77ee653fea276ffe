/**
 * The CloudWatch metrics data of `local`: datapoints per metric (namespace, name and exact dimension set),
 * aggregated per period as GetMetricData does, and listed as ListMetrics does.
 *
 * @module
 */
import { InvalidInputError } from '../../errors.js';
import { checkFinite } from '../../internal/validate.js';
import type { MetricUnit } from '../../metrics/types.js';
import { computeStatistic, parseStatistic } from './stats.js';
import type { Sample, Statistic } from './stats.js';

/** One observation (or `count` equal observations) of a metric. */
export interface MetricDatumInput {
  readonly namespace: string;
  readonly metricName: string;
  /** The exact dimension set; a query must name the same set to see the data. @default {} */
  readonly dimensions?: Readonly<Record<string, string>>;
  /** When it was observed, epoch milliseconds. */
  readonly timestamp: number;
  readonly value: number;
  /** How many times `value` was observed (PutMetricData `Counts`). @default 1 */
  readonly count?: number;
  /** @default 'None' */
  readonly unit?: MetricUnit;
}

/** Pre-aggregated observations (PutMetricData `StatisticValues`). */
export interface MetricStatisticSetInput {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions?: Readonly<Record<string, string>>;
  readonly timestamp: number;
  readonly sampleCount: number;
  readonly sum: number;
  readonly minimum: number;
  readonly maximum: number;
  readonly unit?: MetricUnit;
}

/** A metric's identity. */
export interface LocalMetric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

/** What {@link MetricStore.getStatistics} aggregates. */
export interface MetricStatisticsQuery {
  readonly namespace: string;
  readonly metricName: string;
  /** The exact dimension set. @default {} */
  readonly dimensions?: Readonly<Record<string, string>>;
  /** Start of the first period, epoch milliseconds (already aligned by the caller; see {@link alignStartTime}). */
  readonly startTime: number;
  /** Exclusive end, epoch milliseconds. */
  readonly endTime: number;
  /** Period in seconds. */
  readonly periodSeconds: number;
  /** A statistic string, e.g. `Sum`, `p99`, `TM(10%:90%)`. */
  readonly stat: string;
  /** Only data stored with this unit. */
  readonly unit?: MetricUnit;
}

/** One aggregated datapoint: the start of its period and the statistic's value. */
export interface MetricDatapoint {
  readonly timestamp: number;
  readonly value: number;
}

/** A ListMetrics dimension filter: the metric must have the dimension, with this value when one is given. */
export interface DimensionFilter {
  readonly name: string;
  readonly value?: string;
}

/** Filter of {@link MetricStore.listMetrics}. */
export interface ListMetricsFilter {
  readonly namespace?: string;
  readonly metricName?: string;
  readonly dimensions?: readonly DimensionFilter[];
  /** Only metrics with a datapoint stamped at or after this time, epoch milliseconds (ListMetrics `RecentlyActive`). */
  readonly activeSince?: number;
}

/** Options of {@link MetricStore}. */
export interface MetricStoreOptions {
  /**
   * The clock, epoch milliseconds.
   * @default Date.now
   */
  readonly now?: () => number;
}

interface StoredSample extends Sample {
  readonly timestamp: number;
  readonly unit: MetricUnit;
}

interface Series {
  readonly metric: LocalMetric;
  readonly samples: StoredSample[];
  lastTimestamp: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** The key of a metric: namespace, name and the dimension set in name order. */
export function metricKey(namespace: string, metricName: string, dimensions: Readonly<Record<string, string>>): string {
  const dims = Object.keys(dimensions)
    .sort()
    .map((k) => [k, dimensions[k]]);
  return JSON.stringify([namespace, metricName, dims]);
}

/**
 * Rounds a GetMetricData `StartTime` down as CloudWatch does (GetMetricDataInput.StartTime reference): for periods
 * of 1-30 s to that many seconds within the minute; otherwise to the minute when less than 15 days old, to 5 minutes
 * when 15-63 days old, and to the hour when older.
 *
 * @example
 * ```ts
 * alignStartTime(Date.parse('2026-11-24T12:32:34Z'), 60, Date.parse('2026-11-24T13:00:00Z')); // 12:32:00
 * ```
 */
export function alignStartTime(startMs: number, periodSeconds: number, nowMs: number): number {
  if (periodSeconds < 60) {
    const step = periodSeconds * 1000;
    return Math.floor(startMs / step) * step;
  }
  const age = nowMs - startMs;
  const step = age < 15 * DAY_MS ? MINUTE_MS : age <= 63 * DAY_MS ? 5 * MINUTE_MS : 60 * MINUTE_MS;
  return Math.floor(startMs / step) * step;
}

function checkName(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '' || value.length > 255) {
    throw new InvalidInputError(field, `must be a string of 1-255 characters, got ${JSON.stringify(value) ?? String(value)}`);
  }
  return value;
}

function checkDimensions(value: unknown, field: string): Readonly<Record<string, string>> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidInputError(field, 'must be a record of name → value');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > 30) throw new InvalidInputError(field, `may hold at most 30 dimensions, got ${entries.length}`);
  for (const [k, v] of entries) {
    checkName(k, `${field} name`);
    checkName(v, `${field}.${k}`);
  }
  return { ...(value as Record<string, string>) };
}

function checkTimestamp(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidInputError(field, `must be epoch milliseconds, got ${String(value)}`);
  return value;
}

/**
 * In-memory CloudWatch metrics. Every observation is kept at full resolution; statistics are computed per query.
 *
 * @example
 * ```ts
 * const metrics = new MetricStore();
 * metrics.putDatum({ namespace: 'AWS/Lambda', metricName: 'Duration', dimensions: { FunctionName: 'resize' }, timestamp: Date.now(), value: 12.5, unit: 'Milliseconds' });
 * metrics.getStatistics({ namespace: 'AWS/Lambda', metricName: 'Duration', dimensions: { FunctionName: 'resize' },
 *   startTime: Date.now() - 60_000, endTime: Date.now() + 1, periodSeconds: 60, stat: 'p99' });
 * ```
 */
export class MetricStore {
  private readonly series = new Map<string, Series>();
  private readonly clock: () => number;

  constructor(options: MetricStoreOptions = {}) {
    this.clock = options.now ?? Date.now;
  }

  /** The store's clock, epoch milliseconds. */
  now(): number {
    return this.clock();
  }

  /** Records `count` (default 1) observations of `value`. */
  putDatum(datum: MetricDatumInput): void {
    if (typeof datum !== 'object' || datum === null) throw new InvalidInputError('datum', 'must be an object');
    const value = checkFinite(datum.value, 'datum.value');
    const count = datum.count ?? 1;
    if (!Number.isFinite(count) || count <= 0) throw new InvalidInputError('datum.count', `must be a number > 0, got ${String(count)}`);
    this.add(datum, { count, sum: value * count, minimum: value, maximum: value, value });
  }

  /** Records pre-aggregated observations; percentiles of their period need `minimum === maximum`. */
  putStatisticSet(set: MetricStatisticSetInput): void {
    if (typeof set !== 'object' || set === null) throw new InvalidInputError('set', 'must be an object');
    const sampleCount = checkFinite(set.sampleCount, 'set.sampleCount');
    if (sampleCount <= 0) throw new InvalidInputError('set.sampleCount', `must be > 0, got ${sampleCount}`);
    const minimum = checkFinite(set.minimum, 'set.minimum');
    const maximum = checkFinite(set.maximum, 'set.maximum');
    if (minimum > maximum) throw new InvalidInputError('set.minimum', 'must not exceed set.maximum');
    const sum = checkFinite(set.sum, 'set.sum');
    this.add(set, { count: sampleCount, sum, minimum, maximum, ...(minimum === maximum ? { value: minimum } : {}) });
  }

  /**
   * Aggregates a metric per period: periods start at `startTime` and step by `periodSeconds`; the last one ends
   * before `endTime`. Returns one datapoint per period with data, ascending. Throws InvalidInputError for a bad
   * statistic or period.
   */
  getStatistics(query: MetricStatisticsQuery): MetricDatapoint[] {
    const stat = this.statistic(query.stat);
    if (!Number.isInteger(query.periodSeconds) || query.periodSeconds < 1) {
      throw new InvalidInputError('query.periodSeconds', `must be a positive integer, got ${String(query.periodSeconds)}`);
    }
    const periodMs = query.periodSeconds * 1000;
    const series = this.series.get(metricKey(query.namespace, query.metricName, query.dimensions ?? {}));
    if (series === undefined) return [];
    const buckets = new Map<number, StoredSample[]>();
    for (const s of series.samples) {
      if (s.timestamp < query.startTime || s.timestamp >= query.endTime) continue;
      if (query.unit !== undefined && s.unit !== query.unit) continue;
      const start = query.startTime + Math.floor((s.timestamp - query.startTime) / periodMs) * periodMs;
      const bucket = buckets.get(start);
      if (bucket === undefined) buckets.set(start, [s]);
      else bucket.push(s);
    }
    const out: MetricDatapoint[] = [];
    for (const [timestamp, samples] of [...buckets].sort(([a], [b]) => a - b)) {
      const value = computeStatistic(samples, stat);
      if (value !== undefined) out.push({ timestamp, value });
    }
    return out;
  }

  /**
   * The units of a metric's data stamped in `[startTime, endTime)`, in order of first use (GetMetricStatistics
   * without `Unit` answers one datapoint per period and unit).
   */
  unitsOf(range: Omit<MetricStatisticsQuery, 'stat' | 'unit' | 'periodSeconds'>): MetricUnit[] {
    const series = this.series.get(metricKey(range.namespace, range.metricName, range.dimensions ?? {}));
    const units = new Set<MetricUnit>();
    for (const s of series?.samples ?? []) if (s.timestamp >= range.startTime && s.timestamp < range.endTime) units.add(s.unit);
    return [...units];
  }

  /** Metrics matching the filter, sorted by namespace, name and dimensions. */
  listMetrics(filter: ListMetricsFilter = {}): LocalMetric[] {
    const out: { key: string; metric: LocalMetric }[] = [];
    for (const [key, s] of this.series) {
      const m = s.metric;
      if (filter.namespace !== undefined && m.namespace !== filter.namespace) continue;
      if (filter.metricName !== undefined && m.metricName !== filter.metricName) continue;
      if (filter.activeSince !== undefined && s.lastTimestamp < filter.activeSince) continue;
      const dims = filter.dimensions ?? [];
      if (!dims.every((d) => Object.hasOwn(m.dimensions, d.name) && (d.value === undefined || m.dimensions[d.name] === d.value))) continue;
      out.push({ key, metric: m });
    }
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((e) => e.metric);
  }

  /** Throws InvalidInputError unless `stat` is a statistic `local` computes; returns it parsed. */
  statistic(stat: string): Statistic {
    const parsed = typeof stat === 'string' ? parseStatistic(stat) : undefined;
    if (parsed === undefined) {
      throw new InvalidInputError(
        'stat',
        `must be SampleCount, Sum, Average, Minimum, Maximum, pNN, tmNN, tcNN, tsNN, TM/TC/TS(a%:b%) or IQM, got ${String(stat)}`,
      );
    }
    return parsed;
  }

  private add(input: MetricDatumInput | MetricStatisticSetInput, sample: Sample): void {
    const namespace = checkName(input.namespace, 'namespace');
    const metricName = checkName(input.metricName, 'metricName');
    const dimensions = checkDimensions(input.dimensions, 'dimensions');
    const timestamp = checkTimestamp(input.timestamp, 'timestamp');
    const key = metricKey(namespace, metricName, dimensions);
    let series = this.series.get(key);
    if (series === undefined) {
      series = { metric: { namespace, metricName, dimensions }, samples: [], lastTimestamp: timestamp };
      this.series.set(key, series);
    }
    series.samples.push({ ...sample, timestamp, unit: input.unit ?? 'None' });
    series.lastTimestamp = Math.max(series.lastTimestamp, timestamp);
  }
}
