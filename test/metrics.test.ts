import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { GetMetricDataCommandInput, MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LambdaMeterAbortError, InvalidInputError, RetryExhaustedError, ServiceCallError } from '../src/errors.js';
import { planBatches } from '../src/metrics/fetch.js';
import {
  DEFAULT_LAMBDA_METRICS,
  LAMBDA_METRICS,
  fetchLambdaMetrics,
  fetchMetricData,
  lambdaMetricQueries,
} from '../src/metrics/index.js';
import type { LambdaMetricName, MetricDataQuery } from '../src/metrics/index.js';
import { minimumPeriodMultiple, validatePeriod, validateStatistic } from '../src/metrics/validate.js';

const cw = mockClient(CloudWatchClient);
const client = new CloudWatchClient({ region: 'us-east-1' });
const NOW = Date.parse('2026-03-10T12:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const fast = { retry: { baseDelayMs: 1, maxDelayMs: 2, random: () => 0.5 } };

function metricQuery(id: string, extra: Partial<MetricDataQuery> = {}): MetricDataQuery {
  return {
    Id: id,
    MetricStat: {
      Metric: { Namespace: 'AWS/Lambda', MetricName: 'Invocations', Dimensions: [{ Name: 'FunctionName', Value: 'fn' }] },
      Period: 60,
      Stat: 'Sum',
    },
    ...extra,
  };
}

function range(hoursAgo = 1): { startTime: number; endTime: number } {
  return { startTime: NOW - hoursAgo * HOUR, endTime: NOW };
}

function sdkError(name: string, status: number, message = `${name} happened`): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

// Answers every query of a call with one point at the window start, value = the query's position in the call.
function echo(input: GetMetricDataCommandInput): { MetricDataResults: MetricDataResult[] } {
  return {
    MetricDataResults: (input.MetricDataQueries ?? []).map((q, i) => ({
      Id: q.Id,
      Label: `label ${q.Id}`,
      Timestamps: [input.StartTime as Date],
      Values: [i],
      StatusCode: 'Complete',
    })),
  };
}

function sentQueries(): string[][] {
  return cw.commandCalls(GetMetricDataCommand).map((c) => (c.args[0].input.MetricDataQueries ?? []).map((q) => q.Id as string));
}

beforeEach(() => cw.reset());
afterEach(() => cw.reset());

describe('fetchMetricData batching', () => {
  it('sends 1,201 queries as 3 calls of 500, 500 and 201 and returns every series in query order', async () => {
    cw.on(GetMetricDataCommand).callsFake(echo);
    const queries = Array.from({ length: 1201 }, (_, i) => metricQuery(`q${i}`));
    const series = await fetchMetricData(client, { queries, ...range() }, { now: NOW });
    expect(sentQueries().map((ids) => ids.length)).toEqual([500, 500, 201]);
    expect(sentQueries().flat()).toEqual(queries.map((q) => q.Id));
    expect(series.map((s) => s.id)).toEqual(queries.map((q) => q.Id));
    expect(series[1200]).toMatchObject({ id: 'q1200', label: 'label q1200', statusCode: 'Complete', messages: [] });
    expect(series[1200]?.points).toEqual([{ timestamp: NOW - HOUR, value: 200 }]);
    const first = cw.commandCalls(GetMetricDataCommand)[0]?.args[0].input;
    expect(first?.StartTime).toEqual(new Date(NOW - HOUR));
    expect(first?.EndTime).toEqual(new Date(NOW));
    expect(first?.ScanBy).toBe('TimestampAscending');
    expect(first?.NextToken).toBeUndefined();
    expect(first?.MaxDatapoints).toBeUndefined();
  });

  it('keeps a math expression in the same call as the queries it references', async () => {
    cw.on(GetMetricDataCommand).callsFake(echo);
    const metrics = Array.from({ length: 600 }, (_, i) => metricQuery(`m${i}`, { ReturnData: false }));
    const ratio: MetricDataQuery = { Id: 'ratio', Expression: '100 * m599 / m0', Label: 'ratio' };
    const series = await fetchMetricData(client, { queries: [...metrics, ratio], ...range() }, { now: NOW });
    const calls = sentQueries();
    expect(calls.map((c) => c.length)).toEqual([500, 101]);
    expect(calls[0]).toEqual(expect.arrayContaining(['m0', 'm599', 'ratio']));
    // ReturnData: false queries are sent but not returned.
    expect(series.map((s) => s.id)).toEqual(['ratio']);
  });

  it('plans groups: transitive references, string literals ignored, METRICS() ties everything', () => {
    const qs = [
      metricQuery('a'),
      metricQuery('b'),
      metricQuery('c'),
      { Id: 'e1', Expression: 'a + b' },
      { Id: 'e2', Expression: 'e1 * 2' },
      { Id: 'e3', Expression: `SEARCH('{AWS/Lambda} c', 'Sum', 60)` },
    ];
    // max 3 per call: {a, b, e1, e2} cannot fit, so the planner refuses.
    expect(() => planBatches(qs, 3)).toThrow(/must go in one GetMetricData call, which takes at most 3/);
    const plan = planBatches(qs, 4).map((b) => b.map((q) => q.Id));
    expect(plan).toEqual([['a', 'b', 'e1', 'e2'], ['c', 'e3']]);
    const all = [metricQuery('a'), metricQuery('b'), { Id: 'total', Expression: 'SUM(METRICS())' }];
    expect(() => planBatches(all, 2)).toThrow(InvalidInputError);
    expect(planBatches(all, 3)).toHaveLength(1);
    expect(() => planBatches([metricQuery('a'), metricQuery('a')])).toThrow(/duplicates the Id of queries\[0\]: a/);
  });

  it('puts at most one Metrics Insights query in a call', () => {
    const insights = (id: string): MetricDataQuery => ({ Id: id, Expression: 'SELECT AVG(Duration) FROM "AWS/Lambda"', Period: 300 });
    const plan = planBatches([insights('s1'), metricQuery('a'), insights('s2')]).map((b) => b.map((q) => q.Id));
    expect(plan).toEqual([['s1', 'a'], ['s2']]);
    const tied = [insights('s1'), insights('s2'), { Id: 'all', Expression: 'METRICS()' }];
    expect(() => planBatches(tied)).toThrow(/at most one Metrics Insights/);
  });
});

describe('fetchMetricData pages and results', () => {
  it('follows NextToken, merges pages ascending without duplicate timestamps and keeps the last status', async () => {
    const t = (m: number): Date => new Date(NOW - HOUR + m * 60_000);
    cw.on(GetMetricDataCommand)
      .resolvesOnce({
        MetricDataResults: [
          { Id: 'inv', Label: 'Invocations', Timestamps: [t(5), t(4), t(3)], Values: [5, 4, 3], StatusCode: 'PartialData' },
          { Id: 'err', Label: 'Errors', Timestamps: [t(5)], Values: [0], StatusCode: 'PartialData' },
        ],
        NextToken: 'page-2',
        Messages: [{ Code: 'Info', Value: 'first page' }],
      })
      .resolvesOnce({
        MetricDataResults: [
          { Id: 'inv', Label: 'Invocations', Timestamps: [t(3), t(2), t(1)], Values: [99, 2, 1], StatusCode: 'Complete' },
          { Id: 'err', Timestamps: [t(1)], Values: [1], StatusCode: 'Complete', Messages: [{ Code: 'Note', Value: 'n' }] },
        ],
      });
    const [inv, err] = await fetchMetricData(
      client,
      { queries: [metricQuery('inv'), metricQuery('err')], ...range(), scanBy: 'TimestampDescending', maxDatapoints: 3 },
      { now: NOW },
    );
    const calls = cw.commandCalls(GetMetricDataCommand);
    expect(calls).toHaveLength(2);
    expect(calls[0]?.args[0].input.NextToken).toBeUndefined();
    expect(calls[1]?.args[0].input.NextToken).toBe('page-2');
    expect(calls[1]?.args[0].input.ScanBy).toBe('TimestampDescending');
    expect(calls[1]?.args[0].input.MaxDatapoints).toBe(3);
    expect(inv?.points.map((p) => [p.timestamp, p.value])).toEqual([
      [t(1).getTime(), 1],
      [t(2).getTime(), 2],
      [t(3).getTime(), 3],
      [t(4).getTime(), 4],
      [t(5).getTime(), 5],
    ]);
    expect(inv?.statusCode).toBe('Complete');
    expect(inv?.messages).toEqual([{ code: 'Info', value: 'first page' }]);
    expect(err).toMatchObject({ label: 'Errors', statusCode: 'Complete' });
    expect(err?.messages).toEqual([
      { code: 'Note', value: 'n' },
      { code: 'Info', value: 'first page' },
    ]);
  });

  it('surfaces PartialData and keeps InternalError/Forbidden over a later page', async () => {
    cw.on(GetMetricDataCommand)
      .resolvesOnce({
        MetricDataResults: [
          { Id: 'a', Timestamps: [], Values: [], StatusCode: 'PartialData', Messages: [{ Code: 'MaxDatapointsExceeded', Value: 'too many' }] },
          { Id: 'b', Timestamps: [], Values: [], StatusCode: 'InternalError' },
        ],
        NextToken: 'x',
      })
      .resolvesOnce({
        MetricDataResults: [
          { Id: 'a', Timestamps: [], Values: [], StatusCode: 'PartialData' },
          { Id: 'b', Timestamps: [], Values: [], StatusCode: 'Complete' },
        ],
      });
    const [a, b] = await fetchMetricData(client, { queries: [metricQuery('a'), metricQuery('b')], ...range() }, { now: NOW });
    expect(a).toMatchObject({ statusCode: 'PartialData', messages: [{ code: 'MaxDatapointsExceeded', value: 'too many' }] });
    expect(b?.statusCode).toBe('InternalError');
  });

  it('reads epoch-second and ISO timestamps, skips malformed points, and fills series that got no result', async () => {
    const sec = (NOW - HOUR) / 1000;
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        {
          Id: 'a',
          Timestamps: [sec, new Date(NOW - HOUR + 60_000).toISOString(), 'garbage', NOW - HOUR + 120_000] as unknown as Date[],
          Values: [1, 2, 3, 4, 5],
          StatusCode: 'Weird' as never,
        },
        { Label: 'no id' },
        null as unknown as MetricDataResult,
      ],
      NextToken: '',
    });
    const [a, b] = await fetchMetricData(client, { queries: [metricQuery('a'), metricQuery('b', { Label: 'mine' })], ...range() }, { now: NOW });
    expect(a?.points.map((p) => p.value)).toEqual([1, 2, 4]);
    expect(a?.statusCode).toBe('Complete');
    expect(a?.label).toBe('a');
    expect(b).toEqual({ id: 'b', label: 'mine', points: [], statusCode: 'Complete', messages: [] });
  });

  it('stops when a page hands back the token it was given', async () => {
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [], NextToken: 'same' });
    await fetchMetricData(client, { queries: [metricQuery('a')], ...range() }, { now: NOW });
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(2);
  });

  it('tolerates an empty response', async () => {
    cw.on(GetMetricDataCommand).resolves(undefined as never);
    const [a] = await fetchMetricData(client, { queries: [metricQuery('a')], ...range() }, { now: NOW });
    expect(a?.points).toEqual([]);
  });
});

describe('fetchMetricData errors', () => {
  it('retries throttling, then succeeds', async () => {
    cw.on(GetMetricDataCommand)
      .rejectsOnce(sdkError('Throttling', 400, 'Rate exceeded'))
      .rejectsOnce(sdkError('ThrottlingException', 400))
      .callsFake(echo);
    const retries: number[] = [];
    const phases: string[] = [];
    const [a] = await fetchMetricData(client, { queries: [metricQuery('a')], ...range() }, {
      ...fast,
      now: NOW,
      onProgress: (e) => {
        phases.push(`${e.operation}:${e.phase}:${e.retry?.operation ?? ''}`);
        if (e.retry !== undefined) retries.push(e.retry.attempt);
      },
    });
    expect(retries).toEqual([1, 2]);
    expect(phases).toEqual(['fetchMetricData:retrying:GetMetricData', 'fetchMetricData:retrying:GetMetricData', 'fetchMetricData:reading:']);
    expect(a?.points).toHaveLength(1);
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(3);
  });

  it('gives up with RetryExhaustedError after maxAttempts', async () => {
    cw.on(GetMetricDataCommand).rejects(sdkError('Throttling', 400));
    const err = await fetchMetricData(client, { queries: [metricQuery('a')], ...range() }, { retry: { ...fast.retry, maxAttempts: 2 }, now: NOW }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryExhaustedError);
    expect((err as RetryExhaustedError).attempts).toBe(2);
  });

  it('turns a non-retryable error into ServiceCallError', async () => {
    cw.on(GetMetricDataCommand).rejects(sdkError('InvalidParameterValueException', 400, 'bad dimension'));
    const err = await fetchMetricData(client, { queries: [metricQuery('a')], ...range() }, { now: NOW }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceCallError);
    expect(err).toMatchObject({ operation: 'CloudWatch.GetMetricData', code: 'InvalidParameterValueException', statusCode: 400 });
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(1);
  });

  it('rejects with LambdaMeterAbortError when the signal is already aborted, before any call', async () => {
    cw.on(GetMetricDataCommand).callsFake(echo);
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    const err = await fetchMetricData(client, { queries: [metricQuery('a')], ...range() }, { signal: ac.signal, now: NOW }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LambdaMeterAbortError);
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(0);
  });

  it('validates input before any call, naming the field and what is allowed', async () => {
    cw.on(GetMetricDataCommand).callsFake(echo);
    const bad = async (input: unknown, options: object = { now: NOW }, c: unknown = client): Promise<InvalidInputError> => {
      const err = await fetchMetricData(c as CloudWatchClient, input as never, options).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidInputError);
      return err as InvalidInputError;
    };
    expect((await bad({ queries: [metricQuery('a')], ...range() }, {}, {})).field).toBe('client');
    expect((await bad(null)).field).toBe('input');
    expect((await bad({ queries: [], ...range() })).field).toBe('input.queries');
    expect((await bad({ queries: [metricQuery('a')], startTime: NOW, endTime: NOW })).field).toBe('input.endTime');
    expect((await bad({ queries: [metricQuery('a')], startTime: 'yesterday', endTime: NOW })).field).toBe('input.startTime');
    expect((await bad({ queries: [metricQuery('a')], ...range() }, { now: Number.NaN })).field).toBe('options.now');
    expect((await bad({ queries: [metricQuery('a')], ...range(), scanBy: 'Up' })).field).toBe('input.scanBy');
    expect((await bad({ queries: [metricQuery('a')], ...range(), maxDatapoints: 0 })).field).toBe('input.maxDatapoints');
    expect((await bad({ queries: [null], ...range() })).field).toBe('input.queries[0]');
    const badId = await bad({ queries: [metricQuery('Invocations')], ...range() });
    expect(badId.field).toBe('input.queries[0].Id');
    expect(badId.message).toContain('^[a-z][a-zA-Z0-9_]*$');
    expect((await bad({ queries: [{ Id: 'x' }], ...range() })).message).toContain('exactly one of MetricStat or Expression');
    expect((await bad({ queries: [metricQuery('x', { Expression: 'a' })], ...range() })).field).toBe('input.queries[0]');
    expect((await bad({ queries: [{ Id: 'x', Expression: ' ' }], ...range() })).field).toBe('input.queries[0].Expression');
    expect((await bad({ queries: [{ Id: 'x', MetricStat: { Metric: { Namespace: 'AWS/Lambda' }, Period: 60, Stat: 'Sum' } }], ...range() })).field).toBe(
      'input.queries[0].MetricStat.Metric.MetricName',
    );
    expect((await bad({ queries: [{ Id: 'x', MetricStat: { Metric: { MetricName: 'Errors' }, Period: 60, Stat: 'Sum' } }], ...range() })).field).toBe(
      'input.queries[0].MetricStat.Metric.Namespace',
    );
    const stat = await bad({ queries: [metricQuery('a', { MetricStat: { ...metricQuery('a').MetricStat!, Stat: 'Median' } })], ...range() });
    expect(stat.field).toBe('input.queries[0].MetricStat.Stat');
    expect(stat.message).toContain('allowed: SampleCount, Sum, Average, Minimum, Maximum, IQM, pNN');
    const period = await bad({ queries: [metricQuery('a', { MetricStat: { ...metricQuery('a').MetricStat!, Period: 45 } })], ...range() });
    expect(period.message).toBe('Invalid input.queries[0].MetricStat.Period: must be 1, 5, 10, 20, 30 (high resolution) or a multiple of 60 seconds, got 45');
    expect((await bad({ queries: [{ Id: 'e', Expression: 'SELECT 1', Period: 7 }], ...range() })).field).toBe('input.queries[0].Period');
    expect((await bad({ queries: [metricQuery('a'), metricQuery('a')], ...range() })).field).toBe('input.queries[1].Id');
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(0);
  });

  it('checks the period against the start time age', async () => {
    cw.on(GetMetricDataCommand).callsFake(echo);
    const withPeriod = (p: number): MetricDataQuery => metricQuery('a', { MetricStat: { ...metricQuery('a').MetricStat!, Period: p } });
    const run = (p: number, ageMs: number, top?: number): Promise<unknown> =>
      fetchMetricData(
        client,
        { queries: [top === undefined ? withPeriod(p) : { Id: 'e', Expression: 'SELECT AVG(Duration) FROM "AWS/Lambda"', Period: top }], startTime: NOW - ageMs, endTime: NOW },
        { now: new Date(NOW) },
      ).catch((e: unknown) => e);
    // High resolution only within 3 hours.
    expect(await run(10, 2 * HOUR)).toHaveLength(1);
    expect(String(await run(10, 4 * HOUR))).toContain('a start time older than 3 hours needs a multiple of 60 seconds');
    expect(await run(60, 14 * DAY)).toHaveLength(1);
    expect(String(await run(60, 20 * DAY))).toContain('15 to 63 days ago needs a multiple of 300 seconds (the start time is 20.0 days ago), got 60');
    expect(await run(300, 20 * DAY)).toHaveLength(1);
    expect(String(await run(300, 70 * DAY))).toContain('more than 63 days ago needs a multiple of 3600 seconds');
    expect(await run(7200, 70 * DAY)).toHaveLength(1);
    expect(String(await run(0, 4 * HOUR, 30))).toContain('Invalid input.queries[0].Period: a start time older than 3 hours');
  });
});

describe('statistics and periods', () => {
  it('accepts every form CloudWatch documents', () => {
    const ok = [
      'SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum', 'IQM', 'p0', 'p50', 'p99', 'p99.9', 'p100', 'tm99', 'tm99.5', 'wm90', 'tc95', 'ts10',
      'TM(10%:90%)', 'TM(:95%)', 'TM(5%:)', 'TM(150:1000)', 'TM(-5:5)', 'WM(25%:75%)', 'TC(0.005:0.030)', 'TS(80%:)', 'PR(100:2000)', 'PR(:300)',
    ];
    for (const s of ok) expect(validateStatistic(s, 'stat')).toBe(s);
  });

  it('rejects other strings with the list of allowed forms', () => {
    const bad: unknown[] = ['', 'avg', 'sum', 'P99', 'p101', 'p', 'tm0', 'tm101', 'TM()', 'TM(:)', 'TM(90%:10%)', 'TM(0%:101%)', 'PR(10%:90%)', 'PR(5:1)', 'tm(10%:90%)', 'IQR', 99, null];
    for (const s of bad) {
      const err = (() => {
        try {
          validateStatistic(s, 'input.stat');
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err, String(s)).toBeInstanceOf(InvalidInputError);
      expect((err as InvalidInputError).message).toContain('allowed: SampleCount');
    }
  });

  it('accepts 1, 5, 10, 20, 30 and multiples of 60 only', () => {
    for (const p of [1, 5, 10, 20, 30, 60, 120, 300, 3600, 86400]) expect(validatePeriod(p, 'p')).toBe(p);
    for (const p of [0, -60, 2, 15, 45, 90, 61.5, '60', undefined]) expect(() => validatePeriod(p, 'p')).toThrow(InvalidInputError);
    expect([minimumPeriodMultiple(HOUR), minimumPeriodMultiple(4 * HOUR), minimumPeriodMultiple(16 * DAY), minimumPeriodMultiple(64 * DAY)]).toEqual([1, 60, 300, 3600]);
  });
});

describe('lambdaMetricQueries', () => {
  it('builds AWS/Lambda queries with FunctionName and Resource dimensions, default stats and valid ids', () => {
    const q = lambdaMetricQueries({ functionName: 'resize', qualifier: 'live', metrics: ['Invocations', 'Duration', 'ClaimedAccountConcurrency'] });
    expect(q).toEqual([
      {
        Id: 'invocations',
        MetricStat: {
          Metric: {
            Namespace: 'AWS/Lambda',
            MetricName: 'Invocations',
            Dimensions: [
              { Name: 'FunctionName', Value: 'resize' },
              { Name: 'Resource', Value: 'resize:live' },
            ],
          },
          Period: 60,
          Stat: 'Sum',
        },
        Label: 'resize:live Invocations Sum',
      },
      {
        Id: 'duration',
        MetricStat: {
          Metric: {
            Namespace: 'AWS/Lambda',
            MetricName: 'Duration',
            Dimensions: [
              { Name: 'FunctionName', Value: 'resize' },
              { Name: 'Resource', Value: 'resize:live' },
            ],
          },
          Period: 60,
          Stat: 'Average',
        },
        Label: 'resize:live Duration Average',
      },
      {
        Id: 'claimedAccountConcurrency',
        MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'ClaimedAccountConcurrency', Dimensions: [] }, Period: 60, Stat: 'Maximum' },
        Label: 'Region ClaimedAccountConcurrency Maximum',
      },
    ]);
  });

  it('applies stat, period and id prefix overrides', () => {
    const [q] = lambdaMetricQueries({ functionName: 'f', metrics: ['AsyncEventAge'], stat: 'p99', periodSeconds: 300, idPrefix: 'fnA_' });
    expect(q?.Id).toBe('fnA_AsyncEventAge');
    expect(q?.MetricStat).toMatchObject({ Period: 300, Stat: 'p99', Metric: { Dimensions: [{ Name: 'FunctionName', Value: 'f' }] } });
    expect(q?.Label).toBe('f AsyncEventAge p99');
  });

  it('covers the whole AWS/Lambda namespace with valid ids and sensible defaults', () => {
    const names = Object.keys(LAMBDA_METRICS) as LambdaMetricName[];
    expect(names).toHaveLength(21);
    const qs = lambdaMetricQueries({ functionName: 'f', metrics: names });
    for (const q of qs) expect(q.Id).toMatch(/^[a-z][a-zA-Z0-9_]*$/);
    expect(planBatches(qs)).toHaveLength(1);
    expect(LAMBDA_METRICS.Invocations.stat).toBe('Sum');
    expect(LAMBDA_METRICS.IteratorAge).toMatchObject({ stat: 'Average', unit: 'Milliseconds' });
    expect(LAMBDA_METRICS.ConcurrentExecutions.stat).toBe('Maximum');
    expect(LAMBDA_METRICS.ProvisionedConcurrencyUtilization).toMatchObject({ stat: 'Maximum', unit: 'None' });
    for (const info of Object.values(LAMBDA_METRICS)) validateStatistic(info.stat, 'stat');
  });

  it('rejects bad input naming the field and what is allowed', () => {
    const err = (input: unknown): InvalidInputError => {
      try {
        lambdaMetricQueries(input as never);
      } catch (e) {
        if (e instanceof InvalidInputError) return e;
      }
      throw new Error('expected InvalidInputError');
    };
    expect(err(null).field).toBe('input');
    expect(err({ functionName: 'arn:aws:lambda:us-east-1:1:function:f', metrics: ['Errors'] }).message).toContain('not an ARN');
    expect(err({ functionName: 'f', qualifier: 'a b', metrics: ['Errors'] }).field).toBe('input.qualifier');
    expect(err({ functionName: 'f', metrics: [] }).message).toContain('Invocations, Errors, Throttles');
    expect(err({ functionName: 'f', metrics: ['Errors', 'Latency'] }).field).toBe('input.metrics[1]');
    expect(err({ functionName: 'f', metrics: ['Errors', 'Errors'] }).message).toContain('lists Errors twice');
    expect(err({ functionName: 'f', metrics: ['Errors'], periodSeconds: 90 }).field).toBe('input.periodSeconds');
    expect(err({ functionName: 'f', metrics: ['Errors'], stat: 'median' }).field).toBe('input.stat');
    expect(err({ functionName: 'f', metrics: ['Errors'], idPrefix: 'Fn' }).field).toBe('input.idPrefix');
    expect(lambdaMetricQueries({ functionName: 'f', qualifier: '$LATEST', metrics: ['Errors'] })[0]?.MetricStat?.Metric.Dimensions?.[1]).toEqual({
      Name: 'Resource',
      Value: 'f:$LATEST',
    });
  });
});

describe('fetchLambdaMetrics', () => {
  it('returns a record keyed by metric name', async () => {
    cw.on(GetMetricDataCommand).callsFake(echo);
    const m = await fetchLambdaMetrics(
      client,
      { functionName: 'f', qualifier: '3', metrics: ['AsyncEventsReceived', 'AsyncEventAge'], stat: 'Maximum', periodSeconds: 300, scanBy: 'TimestampDescending', ...range() },
      { now: NOW },
    );
    expect(Object.keys(m)).toEqual(['AsyncEventsReceived', 'AsyncEventAge']);
    expect(m.AsyncEventAge).toMatchObject({ id: 'asyncEventAge', points: [{ value: 1 }] });
    const input = cw.commandCalls(GetMetricDataCommand)[0]?.args[0].input;
    expect(input?.ScanBy).toBe('TimestampDescending');
    expect(input?.MetricDataQueries?.[0]?.MetricStat).toMatchObject({ Period: 300, Stat: 'Maximum' });
  });

  it('fetches the default metrics when none are named', async () => {
    cw.on(GetMetricDataCommand).callsFake(echo);
    const m = await fetchLambdaMetrics(client, { functionName: 'f', ...range() }, { now: NOW });
    expect(Object.keys(m)).toEqual([...DEFAULT_LAMBDA_METRICS]);
    expect(m.Duration.id).toBe('duration');
    await expect(fetchLambdaMetrics(client, null as never)).rejects.toThrow(InvalidInputError);
  });
});
