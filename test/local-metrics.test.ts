import {
  CloudWatchClient,
  CloudWatchServiceException,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  InternalServiceFault,
  InvalidNextToken,
  InvalidParameterCombinationException,
  InvalidParameterValueException,
  ListMetricsCommand,
  MissingRequiredParameterException,
  PutMetricDataCommand,
  ValidationException,
} from '@aws-sdk/client-cloudwatch';
import type { GetMetricDataCommandInput, MetricDataQuery as SdkMetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../src/errors.js';
import type { LocalFault } from '../src/local/http.js';
import { startLocalServer } from '../src/local/http.js';
import {
  MetricStore,
  MetricsService,
  alignStartTime,
  computeStatistic,
  parseStatistic,
  startMetricsServer,
} from '../src/local/metrics/index.js';
import type { RunningMetricsServer, Sample } from '../src/local/metrics/index.js';
import { fetchLambdaMetrics, fetchMetricData, lambdaMetricQueries } from '../src/metrics/index.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

function client(endpoint: string): CloudWatchClient {
  // maxAttempts 1: the SDK must not retry the faults the tests inject.
  return new CloudWatchClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

function values(...vs: number[]): Sample[] {
  return vs.map((v) => ({ count: 1, sum: v, minimum: v, maximum: v, value: v }));
}

describe('statistics', () => {
  it('parses the statistics local computes and refuses the others', () => {
    expect(parseStatistic('Sum')).toEqual({ kind: 'Sum' });
    expect(parseStatistic('SampleCount')).toEqual({ kind: 'SampleCount' });
    expect(parseStatistic('p99')).toEqual({ kind: 'percentile', percent: 99 });
    expect(parseStatistic('p99.9')).toEqual({ kind: 'percentile', percent: 99.9 });
    expect(parseStatistic('p100')).toEqual({ kind: 'percentile', percent: 100 });
    expect(parseStatistic('p0')).toEqual({ kind: 'percentile', percent: 0 });
    expect(parseStatistic('tm90')).toEqual({ kind: 'trimmed', measure: 'mean', lowPercent: 0, highPercent: 90 });
    expect(parseStatistic('tc50')).toEqual({ kind: 'trimmed', measure: 'count', lowPercent: 0, highPercent: 50 });
    expect(parseStatistic('ts50')).toEqual({ kind: 'trimmed', measure: 'sum', lowPercent: 0, highPercent: 50 });
    expect(parseStatistic('TM(10%:90%)')).toEqual({ kind: 'trimmed', measure: 'mean', lowPercent: 10, highPercent: 90 });
    expect(parseStatistic('TC(:90%)')).toEqual({ kind: 'trimmed', measure: 'count', lowPercent: 0, highPercent: 90 });
    expect(parseStatistic('TS(10%:)')).toEqual({ kind: 'trimmed', measure: 'sum', lowPercent: 10, highPercent: 100 });
    expect(parseStatistic('IQM')).toEqual({ kind: 'trimmed', measure: 'mean', lowPercent: 25, highPercent: 75 });
    for (const s of ['p101', 'p', 'avg', 'TM(90%:10%)', 'TM(150:1000)', 'WM(10%:90%)', 'PR(100:2000)', 'sum']) expect(parseStatistic(s), s).toBeUndefined();
  });

  it('computes the standard statistics, nearest-rank percentiles and trimmed statistics', () => {
    const ten = values(7, 3, 1, 10, 2, 9, 4, 8, 6, 5);
    const at = (stat: string, samples = ten): number | undefined => computeStatistic(samples, parseStatistic(stat) as never);
    expect([at('SampleCount'), at('Sum'), at('Average'), at('Minimum'), at('Maximum')]).toEqual([10, 55, 5.5, 1, 10]);
    expect([at('p0'), at('p10'), at('p50'), at('p90'), at('p95'), at('p100')]).toEqual([1, 1, 5, 9, 10, 10]);
    expect(at('tm80')).toBe(4.5);
    expect(at('TM(10%:90%)')).toBe(5.5);
    expect(at('TC(10%:90%)')).toBe(8);
    expect(at('TS(10%:90%)')).toBe(44);
    expect(at('IQM', values(1, 2, 3, 4, 5, 6, 7, 8))).toBe(4.5);
    expect(at('TM(10%:11%)', values(1, 2, 3, 4, 5))).toBeUndefined();
    expect(at('TC(10%:11%)', values(1, 2, 3, 4, 5))).toBe(0);
    expect(at('Sum', [])).toBeUndefined();
    // Counted values: 5 seen three times, 1 once.
    const counted: Sample[] = [{ count: 3, sum: 15, minimum: 5, maximum: 5, value: 5 }, ...values(1)];
    expect([at('p25', counted), at('p50', counted), at('Average', counted)]).toEqual([1, 5, 4]);
    expect(at('TS(:50%)', counted)).toBe(6);
  });

  it('gives no percentile for statistic sets with different minimum and maximum', () => {
    const set: Sample = { count: 4, sum: 10, minimum: 1, maximum: 4 };
    expect(computeStatistic([set], { kind: 'percentile', percent: 50 })).toBeUndefined();
    expect(computeStatistic([set], { kind: 'trimmed', measure: 'mean', lowPercent: 0, highPercent: 90 })).toBeUndefined();
    expect(computeStatistic([set, ...values(9)], { kind: 'Maximum' })).toBe(9);
    expect(computeStatistic([set], { kind: 'Average' })).toBe(2.5);
  });

  it('rounds StartTime down as GetMetricData does', () => {
    const now = Date.parse('2026-11-24T12:00:00Z');
    const t = (iso: string): number => Date.parse(iso);
    expect(alignStartTime(t('2026-11-24T11:32:34.500Z'), 60, now)).toBe(t('2026-11-24T11:32:00Z'));
    expect(alignStartTime(t('2026-11-24T11:32:34Z'), 300, now)).toBe(t('2026-11-24T11:32:00Z'));
    expect(alignStartTime(t('2026-11-01T12:32:34Z'), 300, now)).toBe(t('2026-11-01T12:30:00Z'));
    expect(alignStartTime(t('2026-09-01T12:32:34Z'), 3600, now)).toBe(t('2026-09-01T12:00:00Z'));
    expect(alignStartTime(t('2026-11-24T01:05:23Z'), 10, now)).toBe(t('2026-11-24T01:05:20Z'));
    expect(alignStartTime(t('2026-11-24T01:05:23Z'), 5, now)).toBe(t('2026-11-24T01:05:20Z'));
  });
});

describe('MetricStore', () => {
  const B = Date.parse('2026-11-24T10:00:00Z');
  const dims = { FunctionName: 'resize' };

  it('aggregates per period for the exact dimension set and unit', () => {
    const store = new MetricStore({ now: () => B + HOUR });
    for (let i = 1; i <= 4; i++) store.putDatum({ namespace: 'AWS/Lambda', metricName: 'Duration', dimensions: dims, timestamp: B + i * 20_000, value: i, unit: 'Milliseconds' });
    store.putDatum({ namespace: 'AWS/Lambda', metricName: 'Duration', dimensions: { ...dims, Resource: 'resize:1' }, timestamp: B, value: 100 });
    const q = { namespace: 'AWS/Lambda', metricName: 'Duration', dimensions: dims, startTime: B, endTime: B + 2 * MINUTE, periodSeconds: 60 };
    expect(store.getStatistics({ ...q, stat: 'Sum' })).toEqual([
      { timestamp: B, value: 3 },
      { timestamp: B + MINUTE, value: 7 },
    ]);
    expect(store.getStatistics({ ...q, stat: 'Sum', endTime: B + 80_000 })).toEqual([
      { timestamp: B, value: 3 },
      { timestamp: B + MINUTE, value: 3 },
    ]);
    expect(store.getStatistics({ ...q, stat: 'Sum', unit: 'Milliseconds' })).toHaveLength(2);
    expect(store.getStatistics({ ...q, stat: 'Sum', unit: 'Seconds' })).toEqual([]);
    expect(store.getStatistics({ ...q, stat: 'Maximum', dimensions: { Resource: 'resize:1', FunctionName: 'resize' } })).toEqual([{ timestamp: B, value: 100 }]);
    expect(store.getStatistics({ ...q, stat: 'Sum', dimensions: {} })).toEqual([]);
    // Periods start at startTime, not at the epoch.
    expect(store.getStatistics({ ...q, stat: 'SampleCount', startTime: B + 30_000, periodSeconds: 60 })).toEqual([{ timestamp: B + 30_000, value: 3 }]);
    expect(store.getStatistics({ ...q, stat: 'SampleCount', startTime: B + 30_000, periodSeconds: 30 })).toEqual([
      { timestamp: B + 30_000, value: 1 },
      { timestamp: B + 60_000, value: 2 },
    ]);
    expect(() => store.getStatistics({ ...q, stat: 'PR(1:2)' })).toThrow(InvalidInputError);
    expect(() => store.getStatistics({ ...q, stat: 'Sum', periodSeconds: 0 })).toThrow(InvalidInputError);
    expect(store.now()).toBe(B + HOUR);
  });

  it('lists metrics by namespace, name, dimensions and recent activity', () => {
    const store = new MetricStore();
    store.putDatum({ namespace: 'AWS/Lambda', metricName: 'Invocations', dimensions: dims, timestamp: B, value: 1 });
    store.putDatum({ namespace: 'AWS/Lambda', metricName: 'Invocations', dimensions: { ...dims, Resource: 'resize:live' }, timestamp: B, value: 1 });
    store.putDatum({ namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: { FunctionName: 'other' }, timestamp: B - DAY, value: 0 });
    store.putDatum({ namespace: 'Custom', metricName: 'Invocations', timestamp: B, value: 1 });
    expect(store.listMetrics()).toHaveLength(4);
    expect(store.listMetrics({ namespace: 'AWS/Lambda', metricName: 'Invocations' }).map((m) => m.dimensions)).toEqual([
      { FunctionName: 'resize', Resource: 'resize:live' },
      { FunctionName: 'resize' },
    ]);
    expect(store.listMetrics({ dimensions: [{ name: 'Resource' }] })).toHaveLength(1);
    expect(store.listMetrics({ dimensions: [{ name: 'FunctionName', value: 'other' }] }).map((m) => m.metricName)).toEqual(['Errors']);
    expect(store.listMetrics({ activeSince: B - HOUR }).map((m) => m.metricName)).toEqual(['Invocations', 'Invocations', 'Invocations']);
  });

  it('rejects bad data with InvalidInputError', () => {
    const store = new MetricStore();
    const base = { namespace: 'N', metricName: 'm', timestamp: B };
    expect(() => store.putDatum(null as never)).toThrow(InvalidInputError);
    expect(() => store.putDatum({ ...base, value: Number.NaN })).toThrow(InvalidInputError);
    expect(() => store.putDatum({ ...base, value: 1, count: 0 })).toThrow(InvalidInputError);
    expect(() => store.putDatum({ ...base, namespace: '', value: 1 })).toThrow(InvalidInputError);
    expect(() => store.putDatum({ ...base, value: 1, timestamp: Number.NaN })).toThrow(InvalidInputError);
    expect(() => store.putDatum({ ...base, value: 1, dimensions: [] as never })).toThrow(InvalidInputError);
    expect(() => store.putDatum({ ...base, value: 1, dimensions: { a: '' } })).toThrow(InvalidInputError);
    const many = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`d${i}`, 'v']));
    expect(() => store.putDatum({ ...base, value: 1, dimensions: many })).toThrow(InvalidInputError);
    expect(() => store.putStatisticSet(null as never)).toThrow(InvalidInputError);
    expect(() => store.putStatisticSet({ ...base, sampleCount: 0, sum: 0, minimum: 0, maximum: 0 })).toThrow(InvalidInputError);
    expect(() => store.putStatisticSet({ ...base, sampleCount: 1, sum: 0, minimum: 2, maximum: 1 })).toThrow(InvalidInputError);
    expect(() => store.statistic(7 as never)).toThrow(InvalidInputError);
    expect(store.listMetrics()).toEqual([]);
  });
});

describe('CloudWatch metrics through the real SDK client', () => {
  const now = Date.now();
  // Whole hours, two hours back: recent enough for 60 s periods (lambda-facts §5).
  const B = Math.floor((now - 2 * HOUR) / HOUR) * HOUR;
  const sec = (ms: number): Date => new Date(ms);
  let server: RunningMetricsServer;
  let cw: CloudWatchClient;
  let fault: LocalFault | undefined;
  const fn = { FunctionName: 'resize' };
  const live = { FunctionName: 'resize', Resource: 'resize:live' };

  function durationQuery(id: string, stat: string, dimensions: Record<string, string> = fn, period = 60): SdkMetricDataQuery {
    return {
      Id: id,
      MetricStat: {
        Metric: { Namespace: 'AWS/Lambda', MetricName: 'Duration', Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })) },
        Period: period,
        Stat: stat,
      },
    };
  }

  async function getData(input: Partial<GetMetricDataCommandInput> & Pick<GetMetricDataCommandInput, 'MetricDataQueries'>) {
    return cw.send(new GetMetricDataCommand({ StartTime: sec(B), EndTime: sec(B + 10 * MINUTE), ...input }));
  }

  beforeAll(async () => {
    const store = new MetricStore({ now: () => now });
    server = await startMetricsServer({
      store,
      faults: () => {
        const f = fault;
        fault = undefined;
        return f;
      },
    });
    cw = client(server.endpoint);
    // Minute 0: durations 1..100; minute 1: 10 and 20; minute 3: 7. Invocations follow. The alias sees 300 at minute 0.
    const put = (dimensions: Record<string, string>, metricName: string, at: number, value: number, unit: 'Milliseconds' | 'Count'): void =>
      store.putDatum({ namespace: 'AWS/Lambda', metricName, dimensions, timestamp: at, value, unit });
    for (let v = 1; v <= 100; v++) {
      put(fn, 'Duration', B + v * 500, v, 'Milliseconds');
      put(fn, 'Invocations', B + v * 500, 1, 'Count');
    }
    for (const [at, v] of [[B + MINUTE + 1000, 10], [B + MINUTE + 2000, 20], [B + 3 * MINUTE, 7]] as const) {
      put(fn, 'Duration', at, v, 'Milliseconds');
      put(fn, 'Invocations', at, 1, 'Count');
    }
    put(live, 'Duration', B + 1000, 300, 'Milliseconds');
    put(live, 'Invocations', B + 1000, 1, 'Count');
  });

  afterAll(async () => {
    cw.destroy();
    await server.close();
  });

  it('computes Sum, Average, Minimum, Maximum, SampleCount and p99 per period', async () => {
    const stats = ['Sum', 'Average', 'Minimum', 'Maximum', 'SampleCount', 'p99', 'p50'];
    const out = await getData({ MetricDataQueries: stats.map((s, i) => ({ ...durationQuery(`q${i}`, s), Label: s })), ScanBy: 'TimestampAscending' });
    const byLabel = Object.fromEntries((out.MetricDataResults ?? []).map((r) => [r.Label, r]));
    const minutes = [B, B + MINUTE, B + 3 * MINUTE].map((t) => new Date(t));
    for (const s of stats) {
      expect(byLabel[s]?.Timestamps, s).toEqual(minutes);
      expect(byLabel[s]?.StatusCode).toBe('Complete');
      expect(byLabel[s]?.Messages).toEqual([]);
    }
    expect(byLabel.Sum?.Values).toEqual([5050, 30, 7]);
    expect(byLabel.Average?.Values).toEqual([50.5, 15, 7]);
    expect(byLabel.Minimum?.Values).toEqual([1, 10, 7]);
    expect(byLabel.Maximum?.Values).toEqual([100, 20, 7]);
    expect(byLabel.SampleCount?.Values).toEqual([100, 2, 1]);
    expect(byLabel.p99?.Values).toEqual([99, 20, 7]);
    expect(byLabel.p50?.Values).toEqual([50, 10, 7]);
    expect(out.Messages).toEqual([]);
    expect(out.NextToken).toBeUndefined();
  });

  it('keeps dimension sets apart, rounds StartTime down, ends before EndTime and honours ReturnData and Unit', async () => {
    const out = await getData({
      MetricDataQueries: [
        durationQuery('alias', 'Maximum', live),
        { ...durationQuery('hidden', 'Sum'), ReturnData: false },
        durationQuery('twoMinutes', 'Sum', fn, 120),
        { ...durationQuery('seconds', 'Sum'), MetricStat: { ...(durationQuery('x', 'Sum').MetricStat as object), Unit: 'Seconds' } as never },
      ],
      StartTime: sec(B + 30_000),
      EndTime: sec(B + 3 * MINUTE),
      ScanBy: 'TimestampAscending',
    });
    expect(out.MetricDataResults?.map((r) => r.Id)).toEqual(['alias', 'twoMinutes', 'seconds']);
    expect(out.MetricDataResults?.[0]).toMatchObject({ Label: 'Duration', Timestamps: [new Date(B)], Values: [300] });
    expect(out.MetricDataResults?.[1]).toMatchObject({ Timestamps: [new Date(B)], Values: [5080] });
    expect(out.MetricDataResults?.[2]).toMatchObject({ Timestamps: [], Values: [] });
  });

  it('returns the newest datapoints first by default and pages with MaxDatapoints and NextToken', async () => {
    const desc = await getData({ MetricDataQueries: [durationQuery('d', 'Sum')] });
    expect(desc.MetricDataResults?.[0]?.Timestamps).toEqual([B + 3 * MINUTE, B + MINUTE, B].map((t) => new Date(t)));
    expect(desc.MetricDataResults?.[0]?.Values).toEqual([7, 30, 5050]);

    const queries = [durationQuery('a', 'Sum'), durationQuery('b', 'Maximum', live)];
    const pages = [];
    let token: string | undefined;
    do {
      const page = await getData({ MetricDataQueries: queries, MaxDatapoints: 2, ScanBy: 'TimestampDescending', NextToken: token });
      pages.push(page);
      token = page.NextToken;
    } while (token !== undefined);
    expect(pages).toHaveLength(2);
    expect(pages[0]?.MetricDataResults?.map((r) => [r.Id, r.Values, r.StatusCode])).toEqual([
      ['a', [7, 30], 'PartialData'],
      ['b', [], 'PartialData'],
    ]);
    expect(pages[1]?.MetricDataResults?.map((r) => [r.Id, r.Values, r.StatusCode])).toEqual([
      ['a', [5050], 'Complete'],
      ['b', [300], 'Complete'],
    ]);
    const invalid = await rejection(getData({ MetricDataQueries: queries, NextToken: 'nope' }));
    expect(invalid).toBeInstanceOf(InvalidNextToken);
  });

  it('serves lambda-meter fetchLambdaMetrics and fetchMetricData, pages included', async () => {
    const metrics = await fetchLambdaMetrics(cw, {
      functionName: 'resize',
      metrics: ['Invocations', 'Duration'],
      startTime: B,
      endTime: B + 10 * MINUTE,
      periodSeconds: 60,
    });
    expect(metrics.Invocations.points.map((p) => [p.timestamp - B, p.value])).toEqual([
      [0, 100],
      [MINUTE, 2],
      [3 * MINUTE, 1],
    ]);
    expect(metrics.Invocations.points.reduce((s, p) => s + p.value, 0)).toBe(103);
    expect(metrics.Duration.points.map((p) => p.value)).toEqual([50.5, 15, 7]);
    expect(metrics.Duration.statusCode).toBe('Complete');

    const alias = await fetchLambdaMetrics(cw, { functionName: 'resize', qualifier: 'live', metrics: ['Invocations'], startTime: B, endTime: B + HOUR, periodSeconds: 3600 });
    expect(alias.Invocations.points.map((p) => p.value)).toEqual([1]);

    const [p99] = await fetchMetricData(
      cw,
      { queries: lambdaMetricQueries({ functionName: 'resize', metrics: ['Duration'], stat: 'p99' }), startTime: B, endTime: B + 10 * MINUTE, maxDatapoints: 1, scanBy: 'TimestampDescending' },
      { retry: { maxAttempts: 1 } },
    );
    expect(p99?.points.map((p) => p.value)).toEqual([99, 20, 7]);
    expect(p99?.statusCode).toBe('Complete');
  });

  it('stores PutMetricData values, counted values and statistic sets', async () => {
    const at = B + 5 * MINUTE;
    await cw.send(new PutMetricDataCommand({
      Namespace: 'Custom/App',
      MetricData: [
        { MetricName: 'Latency', Dimensions: [{ Name: 'Route', Value: '/a' }], Timestamp: sec(at), Value: 4, Unit: 'Milliseconds' },
        { MetricName: 'Latency', Dimensions: [{ Name: 'Route', Value: '/a' }], Timestamp: sec(at + 1000), Values: [1, 9], Counts: [3, 1], Unit: 'Milliseconds' },
        { MetricName: 'Latency', Dimensions: [{ Name: 'Route', Value: '/a' }], Timestamp: sec(at + 2000), Values: [2] },
        { MetricName: 'Batch', Timestamp: sec(at), StatisticValues: { SampleCount: 4, Sum: 10, Minimum: 1, Maximum: 4 } },
      ],
    }));
    const query = (id: string, name: string, stat: string, dims: { Name: string; Value: string }[] = []): SdkMetricDataQuery => ({
      Id: id,
      MetricStat: { Metric: { Namespace: 'Custom/App', MetricName: name, Dimensions: dims }, Period: 300, Stat: stat },
    });
    const route = [{ Name: 'Route', Value: '/a' }];
    const out = await getData({
      MetricDataQueries: [query('sum', 'Latency', 'Sum', route), query('n', 'Latency', 'SampleCount', route), query('p50', 'Latency', 'p50', route), query('batch', 'Batch', 'Average'), query('batchp', 'Batch', 'p50')],
    });
    expect(out.MetricDataResults?.map((r) => [r.Id, r.Values])).toEqual([
      ['sum', [18]],
      ['n', [6]],
      ['p50', [1]],
      ['batch', [2.5]],
      ['batchp', []],
    ]);
    const untimed = Date.now();
    await cw.send(new PutMetricDataCommand({ Namespace: 'Custom/Now', MetricData: [{ MetricName: 'x', Value: 1 }] }));
    const listed = await cw.send(new ListMetricsCommand({ Namespace: 'Custom/Now' }));
    expect(listed.Metrics).toEqual([{ Namespace: 'Custom/Now', MetricName: 'x', Dimensions: [] }]);
    expect(server.store.getStatistics({ namespace: 'Custom/Now', metricName: 'x', startTime: untimed - 2 * now, endTime: now + 1, periodSeconds: 60, stat: 'Sum' })).toHaveLength(1);
  });

  it('lists metrics with filters, RecentlyActive and pages of 500', async () => {
    for (let i = 0; i < 520; i++) server.store.putDatum({ namespace: 'Many', metricName: `m${String(i).padStart(3, '0')}`, dimensions: { i: String(i % 2) }, timestamp: i === 0 ? now - 5 * HOUR : now, value: 1 });
    const first = await cw.send(new ListMetricsCommand({ Namespace: 'Many' }));
    expect(first.Metrics).toHaveLength(500);
    expect(first.NextToken).toBeDefined();
    const second = await cw.send(new ListMetricsCommand({ Namespace: 'Many', NextToken: first.NextToken }));
    expect(second.Metrics).toHaveLength(20);
    expect(second.NextToken).toBeUndefined();
    expect(new Set([...(first.Metrics ?? []), ...(second.Metrics ?? [])].map((m) => m.MetricName)).size).toBe(520);
    const recent = await cw.send(new ListMetricsCommand({ Namespace: 'Many', RecentlyActive: 'PT3H', Dimensions: [{ Name: 'i', Value: '0' }], MetricName: 'm000' }));
    expect(recent.Metrics).toEqual([]);
    const lambda = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/Lambda', MetricName: 'Duration', Dimensions: [{ Name: 'Resource' }] }));
    expect(lambda.Metrics).toEqual([
      { Namespace: 'AWS/Lambda', MetricName: 'Duration', Dimensions: [{ Name: 'FunctionName', Value: 'resize' }, { Name: 'Resource', Value: 'resize:live' }] },
    ]);
    expect(await rejection(cw.send(new ListMetricsCommand({ NextToken: 'x' })))).toBeInstanceOf(InvalidNextToken);
    expect(await rejection(cw.send(new ListMetricsCommand({ RecentlyActive: 'PT1H' as never })))).toBeInstanceOf(InvalidParameterValueException);
    const eleven = Array.from({ length: 11 }, (_, i) => ({ Name: `d${i}` }));
    expect(await rejection(cw.send(new ListMetricsCommand({ Dimensions: eleven })))).toBeInstanceOf(InvalidParameterValueException);
  });

  it('answers bad GetMetricData requests with ValidationError and missing fields with MissingParameter', async () => {
    const validation = async (input: GetMetricDataCommandInput): Promise<string> => {
      const err = await rejection(cw.send(new GetMetricDataCommand(input)));
      // The Query code ValidationError is the SDK's ValidationException (awsQueryError trait).
      expect(err).toBeInstanceOf(ValidationException);
      expect((err as Error).name).toBe('ValidationException');
      expect((err as { Code?: string }).Code).toBe('ValidationError');
      expect((err as CloudWatchServiceException).$metadata.httpStatusCode).toBe(400);
      return (err as Error).message;
    };
    const base = { StartTime: sec(B), EndTime: sec(B + MINUTE) };
    expect(await validation({ ...base, EndTime: sec(B), MetricDataQueries: [durationQuery('a', 'Sum')] })).toBe('The parameter StartTime must be less than the parameter EndTime.');
    expect(await validation({ ...base, MetricDataQueries: [{ Id: 'e', Expression: 'SUM(METRICS())', Period: 60 }] })).toMatch(/does not evaluate metric math/);
    expect(await validation({ ...base, MetricDataQueries: [{ Id: 'e' }] })).toMatch(/Exactly one of MetricStat and Expression/);
    expect(await validation({ ...base, MetricDataQueries: [durationQuery('a', 'Sum', fn, 45)] })).toMatch(/Period must be 1, 5, 10, 20, 30 or a multiple of 60/);
    expect(await validation({ ...base, MetricDataQueries: [durationQuery('a', 'PR(100:2000)')] })).toMatch(/not a statistic lambda-meter local computes/);
    expect(await validation({ ...base, MetricDataQueries: [durationQuery('a', 'Sum'), durationQuery('a', 'Sum')] })).toBe('The values for parameter id in MetricDataQueries are not unique.');
    expect(await validation({ ...base, MetricDataQueries: [durationQuery('A', 'Sum')] })).toMatch(/must match/);
    expect(await validation({ ...base, MetricDataQueries: [] })).toMatch(/must hold 1 to 500/);
    expect(await validation({ ...base, MetricDataQueries: [durationQuery('a', 'Sum')], ScanBy: 'Sideways' as never })).toMatch(/ScanBy/);
    const missing = await rejection(cw.send(new GetMetricDataCommand({ ...base } as GetMetricDataCommandInput)));
    expect(missing).toBeInstanceOf(MissingRequiredParameterException);
    expect((missing as Error).message).toBe('The parameter MetricDataQueries is required.');
    const badUnit = await rejection(getData({ MetricDataQueries: [{ ...durationQuery('u', 'Sum'), MetricStat: { ...(durationQuery('u', 'Sum').MetricStat as object), Unit: 'Furlongs' } as never }] }));
    expect(badUnit).toBeInstanceOf(InvalidParameterValueException);
  });

  it('answers bad PutMetricData requests as CloudWatch does', async () => {
    const reserved = await rejection(cw.send(new PutMetricDataCommand({ Namespace: 'AWS/Lambda', MetricData: [{ MetricName: 'Invocations', Value: 1 }] })));
    expect(reserved).toBeInstanceOf(InvalidParameterValueException);
    expect((reserved as Error).message).toBe('The value AWS/Lambda for parameter Namespace is invalid.');
    expect((reserved as { Error?: unknown }).Error).toMatchObject({ Code: 'InvalidParameterValue', Type: 'Sender' });
    const cases: [unknown, PutMetricDataCommand][] = [
      [InvalidParameterCombinationException, new PutMetricDataCommand({ Namespace: 'C', MetricData: [{ MetricName: 'm', Value: 1, Values: [1] }] })],
      [MissingRequiredParameterException, new PutMetricDataCommand({ Namespace: 'C', MetricData: [{ MetricName: 'm' }] })],
      [InvalidParameterValueException, new PutMetricDataCommand({ Namespace: 'C', MetricData: [{ MetricName: 'm', Value: 1, Unit: 'Furlongs' as never }] })],
      [InvalidParameterValueException, new PutMetricDataCommand({ Namespace: 'C', MetricData: [] })],
      [InvalidParameterValueException, new PutMetricDataCommand({ Namespace: 'C', MetricData: [{ MetricName: 'm', Values: [1, 2], Counts: [1] }] })],
      [InvalidParameterValueException, new PutMetricDataCommand({ Namespace: 'C', MetricData: [{ MetricName: 'm', Values: Array.from({ length: 151 }, () => 1) }] })],
      [InvalidParameterValueException, new PutMetricDataCommand({ Namespace: 'C', MetricData: [{ MetricName: 'm', StatisticValues: { SampleCount: 0, Sum: 0, Minimum: 0, Maximum: 0 } }] })],
      [InvalidParameterValueException, new PutMetricDataCommand({ Namespace: 'C', MetricData: [{ MetricName: '', Value: 1 }] })],
      [MissingRequiredParameterException, new PutMetricDataCommand({ Namespace: 'C', MetricData: [{ MetricName: 'm', Value: 1, Dimensions: [{ Name: 'a' } as never] }] })],
    ];
    for (const [type, command] of cases) expect(await rejection(cw.send(command)), JSON.stringify(command.input)).toBeInstanceOf(type);
    expect(server.store.listMetrics({ namespace: 'C' })).toEqual([]);
  });

  it('answers unsupported operations and injected faults with the errors CloudWatch uses', async () => {
    const unknown = await rejection(cw.send(new DescribeAlarmsCommand({})));
    expect(unknown).toBeInstanceOf(CloudWatchServiceException);
    expect((unknown as Error).name).toBe('UnknownOperationException');
    expect((unknown as Error).message).toBe('lambda-meter local does not support the CloudWatch operation DescribeAlarms');
    fault = 'throttle';
    const throttled = await rejection(cw.send(new ListMetricsCommand({})));
    expect((throttled as Error).name).toBe('Throttling');
    expect((throttled as CloudWatchServiceException).$metadata.httpStatusCode).toBe(400);
    fault = 'serverError';
    const failed = await rejection(cw.send(new ListMetricsCommand({})));
    expect(failed).toBeInstanceOf(InternalServiceFault);
    expect((failed as InternalServiceFault).$metadata.httpStatusCode).toBe(500);
    fault = { delayMs: 5 };
    expect((await cw.send(new ListMetricsCommand({ Namespace: 'Custom/Now' }))).Metrics).toHaveLength(1);
    const headers = { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'GraniteServiceVersion20100801.ListMetrics', 'x-amzn-query-mode': 'true' };
    const malformed = await fetch(server.endpoint, { method: 'POST', headers, body: '[' });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('x-amzn-query-error')).toBe('SerializationException;Sender');
    const get = await fetch(server.endpoint, { method: 'GET', headers });
    expect(await get.json()).toMatchObject({ __type: 'com.amazonaws.cloudwatch#UnknownOperationException' });
    const direct = await server.service.handle({ method: 'POST', url: '/', headers: {}, body: Buffer.from('{}') });
    expect(JSON.parse(String(direct.body))).toMatchObject({ message: 'Missing or unknown x-amz-target' });
  });

  it('shares one endpoint with other services', async () => {
    const shared = await startLocalServer([new MetricsService(server.store)]);
    const c = client(shared.endpoint);
    try {
      const listed = await c.send(new ListMetricsCommand({ Namespace: 'AWS/Lambda', MetricName: 'Invocations' }));
      expect(listed.Metrics).toHaveLength(2);
    } finally {
      c.destroy();
      await shared.close();
    }
  });
});
