// CloudWatch's query protocol (form-encoded POST /, XML answers) as botocore clients speak it, and
// GetMetricStatistics in both protocols: raw form POSTs and the SDK for JS (the real AWS CLI and boto3:
// test/clients/metrics-query.test.ts, in `npm run test:e2e`).
import { CloudWatchClient, GetMetricStatisticsCommand, InvalidParameterCombinationException, InvalidParameterValueException } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalServer } from '../src/local/http.js';
import { startLocalServer } from '../src/local/http.js';
import { startLocalLambda } from '../src/local/index.js';
import { MetricStore, MetricsService } from '../src/local/metrics/index.js';
import { decodeQueryParams, parseQueryForm, queryResponseXml, toJsonOutput } from '../src/local/metrics/query-protocol.js';

const NS = 'http://monitoring.amazonaws.com/doc/2010-08-01/';
const NOW = Date.parse('2026-11-24T13:00:00Z');
const T0 = '2026-11-24T12:00:00Z';
const MINUTE = 60_000;

/** Posts a form to the query endpoint and returns the status, content type and XML text. */
async function post(endpoint: string, params: Record<string, string | number>): Promise<{ status: number; type: string | null; xml: string }> {
  const body = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString();
  const res = await fetch(`${endpoint}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body });
  return { status: res.status, type: res.headers.get('content-type'), xml: await res.text() };
}

/** The text of every `<name>` element, in document order. */
function texts(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => m[1] as string);
}

function errorOf(xml: string): { type?: string; code?: string; message?: string } {
  return { type: texts(xml, 'Type')[0], code: texts(xml, 'Code')[0], message: texts(xml, 'Message')[0] };
}

describe('query protocol codec', () => {
  it('decodes member lists, nested structures, numbers, booleans and ISO timestamps into the JSON shape', () => {
    const form = new URLSearchParams({
      'MetricDataQueries.member.2.Id': 'b',
      'MetricDataQueries.member.1.Id': 'a',
      'MetricDataQueries.member.1.ReturnData': 'false',
      'MetricDataQueries.member.1.MetricStat.Metric.Namespace': 'Shop',
      'MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name': 'Store',
      'MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value': '42',
      'MetricDataQueries.member.1.MetricStat.Period': '60',
      StartTime: '2026-11-24T12:00:00.500000Z',
      EndTime: '1796644800',
      MaxDatapoints: 'ten',
      Unknown: 'x',
    }).toString();
    const q = parseQueryForm(`Action=GetMetricData&Version=2010-08-01&${form}`);
    expect([q.action, q.version]).toEqual(['GetMetricData', '2010-08-01']);
    const shape = { structure: { MetricDataQueries: { list: { structure: { Id: 'string', ReturnData: 'boolean', MetricStat: { structure: { Metric: { structure: { Namespace: 'string', Dimensions: { list: { structure: { Name: 'string', Value: 'string' } } } } }, Period: 'number' } } } } }, StartTime: 'timestamp', EndTime: 'timestamp', MaxDatapoints: 'number' } } as const;
    expect(decodeQueryParams(shape, q.params)).toEqual({
      MetricDataQueries: [
        { Id: 'a', ReturnData: false, MetricStat: { Metric: { Namespace: 'Shop', Dimensions: [{ Name: 'Store', Value: '42' }] }, Period: 60 } },
        { Id: 'b' },
      ],
      StartTime: Date.parse('2026-11-24T12:00:00.500Z') / 1000,
      EndTime: 1796644800,
      // Text that is not a number stays text, so the operation's validation names the parameter.
      MaxDatapoints: 'ten',
    });
    // botocore sends an empty list as `X=`.
    expect(decodeQueryParams({ structure: { Dimensions: { list: 'string' } } }, parseQueryForm('Dimensions=').params)).toEqual({ Dimensions: [] });
  });

  it('renders results as CloudWatch XML and as JSON-protocol values', () => {
    const out = { Datapoints: [{ Timestamp: new Date(T0), Sum: 3, Unit: 'Count', ExtendedStatistics: new Map([['p99', 2.5]]) }], Label: 'a<b' };
    expect(queryResponseXml('GetMetricStatistics', out, 'r1')).toBe(
      `<GetMetricStatisticsResponse xmlns="${NS}"><GetMetricStatisticsResult><Datapoints><member><Timestamp>2026-11-24T12:00:00Z</Timestamp>` +
        '<Sum>3</Sum><Unit>Count</Unit><ExtendedStatistics><entry><key>p99</key><value>2.5</value></entry></ExtendedStatistics></member></Datapoints>' +
        '<Label>a&lt;b</Label></GetMetricStatisticsResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></GetMetricStatisticsResponse>',
    );
    expect(toJsonOutput(out)).toEqual({ Datapoints: [{ Timestamp: Date.parse(T0) / 1000, Sum: 3, Unit: 'Count', ExtendedStatistics: { p99: 2.5 } }], Label: 'a<b' });
  });
});

describe('query protocol over HTTP', () => {
  let server: LocalServer;
  let serverErrors = false;

  beforeAll(async () => {
    const service = new MetricsService(new MetricStore({ now: () => NOW }), { faults: () => (serverErrors ? 'serverError' : undefined) });
    server = await startLocalServer([service]);
  });
  afterAll(async () => {
    await server.close();
  });

  const base = { Version: '2010-08-01' };

  it('stores PutMetricData values, counts and statistic sets and answers with an empty XML result', async () => {
    const put = await post(server.endpoint, {
      ...base,
      Action: 'PutMetricData',
      Namespace: 'Shop',
      'MetricData.member.1.MetricName': 'Latency',
      'MetricData.member.1.Dimensions.member.1.Name': 'Store',
      'MetricData.member.1.Dimensions.member.1.Value': 'north',
      'MetricData.member.1.Timestamp': '2026-11-24T12:00:10Z',
      'MetricData.member.1.Values.member.1': '10',
      'MetricData.member.1.Values.member.2': '20',
      'MetricData.member.1.Counts.member.1': '3',
      'MetricData.member.1.Counts.member.2': '1',
      'MetricData.member.1.Unit': 'Milliseconds',
      'MetricData.member.2.MetricName': 'Latency',
      'MetricData.member.2.Dimensions.member.1.Name': 'Store',
      'MetricData.member.2.Dimensions.member.1.Value': 'north',
      'MetricData.member.2.Timestamp': '2026-11-24T12:01:30Z',
      'MetricData.member.2.Value': '50',
      'MetricData.member.2.Unit': 'Milliseconds',
      'MetricData.member.3.MetricName': 'Orders',
      'MetricData.member.3.Timestamp': '2026-11-24T12:00:00Z',
      'MetricData.member.3.StatisticValues.SampleCount': '4',
      'MetricData.member.3.StatisticValues.Sum': '10',
      'MetricData.member.3.StatisticValues.Minimum': '1',
      'MetricData.member.3.StatisticValues.Maximum': '4',
      'MetricData.member.3.Unit': 'Count',
    });
    expect(put.status).toBe(200);
    expect(put.type).toBe('text/xml');
    expect(put.xml).toMatch(new RegExp(`^<PutMetricDataResponse xmlns="${NS}"><ResponseMetadata><RequestId>[0-9a-f-]{36}</RequestId></ResponseMetadata></PutMetricDataResponse>$`));
  });

  it('answers GetMetricStatistics with standard and extended statistics per period', async () => {
    const res = await post(server.endpoint, {
      ...base,
      Action: 'GetMetricStatistics',
      Namespace: 'Shop',
      MetricName: 'Latency',
      'Dimensions.member.1.Name': 'Store',
      'Dimensions.member.1.Value': 'north',
      StartTime: T0,
      EndTime: '2026-11-24T12:05:00Z',
      Period: 60,
      'Statistics.member.1': 'Sum',
      'Statistics.member.2': 'SampleCount',
      'Statistics.member.3': 'Maximum',
    });
    expect(res.status).toBe(200);
    expect(res.xml.startsWith(`<GetMetricStatisticsResponse xmlns="${NS}"><GetMetricStatisticsResult>`)).toBe(true);
    expect(texts(res.xml, 'Label')).toEqual(['Latency']);
    expect(texts(res.xml, 'Timestamp')).toEqual(['2026-11-24T12:00:00Z', '2026-11-24T12:01:00Z']);
    expect(texts(res.xml, 'SampleCount')).toEqual(['4', '1']);
    expect(texts(res.xml, 'Sum')).toEqual(['50', '50']);
    expect(texts(res.xml, 'Maximum')).toEqual(['20', '50']);
    expect(texts(res.xml, 'Unit')).toEqual(['Milliseconds', 'Milliseconds']);
    expect(texts(res.xml, 'key')).toEqual([]);
    expect(res.xml).toMatch(/<\/GetMetricStatisticsResult><ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/GetMetricStatisticsResponse>$/);
    // Percentiles come in a call of their own: Statistics and ExtendedStatistics are mutually exclusive.
    const percentiles = await post(server.endpoint, {
      Action: 'GetMetricStatistics',
      Version: '2010-08-01',
      Namespace: 'Shop',
      MetricName: 'Latency',
      'Dimensions.member.1.Name': 'Store',
      'Dimensions.member.1.Value': 'north',
      StartTime: T0,
      EndTime: '2026-11-24T12:05:00Z',
      Period: 60,
      'ExtendedStatistics.member.1': 'p50',
    });
    expect(percentiles.status).toBe(200);
    expect(texts(percentiles.xml, 'Sum')).toEqual([]);
    expect(texts(percentiles.xml, 'key')).toEqual(['p50', 'p50']);
    expect(texts(percentiles.xml, 'value')).toEqual(['10', '50']);
  });

  it('answers GetMetricData with member lists, StatusCode, Messages and NextToken', async () => {
    const query = {
      ...base,
      Action: 'GetMetricData',
      'MetricDataQueries.member.1.Id': 'lat',
      'MetricDataQueries.member.1.MetricStat.Metric.Namespace': 'Shop',
      'MetricDataQueries.member.1.MetricStat.Metric.MetricName': 'Latency',
      'MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name': 'Store',
      'MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value': 'north',
      'MetricDataQueries.member.1.MetricStat.Period': 60,
      'MetricDataQueries.member.1.MetricStat.Stat': 'Sum',
      StartTime: T0,
      EndTime: '2026-11-24T12:05:00Z',
      ScanBy: 'TimestampAscending',
    };
    const all = await post(server.endpoint, query);
    expect(all.status).toBe(200);
    expect(all.xml).toContain(
      `<GetMetricDataResponse xmlns="${NS}"><GetMetricDataResult><MetricDataResults><member><Id>lat</Id><Label>Latency</Label>` +
        '<Timestamps><member>2026-11-24T12:00:00Z</member><member>2026-11-24T12:01:00Z</member></Timestamps>' +
        '<Values><member>50</member><member>50</member></Values><StatusCode>Complete</StatusCode><Messages></Messages></member></MetricDataResults>' +
        '<Messages></Messages></GetMetricDataResult><ResponseMetadata><RequestId>',
    );
    const first = await post(server.endpoint, { ...query, MaxDatapoints: 1 });
    expect(texts(first.xml, 'StatusCode')).toEqual(['PartialData']);
    const token = texts(first.xml, 'NextToken')[0] as string;
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    const second = await post(server.endpoint, { ...query, MaxDatapoints: 1, NextToken: token });
    expect(texts(second.xml, 'StatusCode')).toEqual(['Complete']);
    expect(second.xml).toContain('<Timestamps><member>2026-11-24T12:01:00Z</member></Timestamps>');
  });

  it('answers ListMetrics with member lists', async () => {
    const res = await post(server.endpoint, { ...base, Action: 'ListMetrics', Namespace: 'Shop', 'Dimensions.member.1.Name': 'Store' });
    expect(res.status).toBe(200);
    expect(res.xml).toMatch(
      new RegExp(
        `^<ListMetricsResponse xmlns="${NS}"><ListMetricsResult><Metrics><member><Namespace>Shop</Namespace><MetricName>Latency</MetricName>` +
          '<Dimensions><member><Name>Store</Name><Value>north</Value></member></Dimensions></member></Metrics></ListMetricsResult>' +
          '<ResponseMetadata><RequestId>[0-9a-f-]{36}</RequestId></ResponseMetadata></ListMetricsResponse>$',
      ),
    );
    const empty = await post(server.endpoint, { ...base, Action: 'ListMetrics', Namespace: 'Nothing' });
    expect(empty.xml).toContain('<ListMetricsResult><Metrics></Metrics></ListMetricsResult>');
  });

  it('answers errors as XML ErrorResponse with Sender/Receiver and the HTTP status', async () => {
    const unknown = await post(server.endpoint, { ...base, Action: 'DescribeAlarms' });
    expect(unknown.status).toBe(400);
    expect(unknown.type).toBe('text/xml');
    expect(unknown.xml).toMatch(new RegExp(`^<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>InvalidAction</Code>`));
    expect(errorOf(unknown.xml).message).toContain('DescribeAlarms');
    expect(unknown.xml).toMatch(/<\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/);

    const stats = { ...base, Action: 'GetMetricStatistics', Namespace: 'Shop', MetricName: 'Latency', StartTime: T0, EndTime: '2026-11-24T12:05:00Z', Period: 60 };
    const { Namespace: _ns, ...noNamespace } = stats;
    expect(errorOf((await post(server.endpoint, { ...noNamespace, 'Statistics.member.1': 'Sum' })).xml)).toEqual({
      type: 'Sender',
      code: 'MissingParameter',
      message: 'The parameter Namespace is required.',
    });
    expect(errorOf((await post(server.endpoint, stats)).xml).code).toBe('InvalidParameterCombination');
    const badStat = await post(server.endpoint, { ...stats, 'Statistics.member.1': 'Sum', 'Statistics.member.2': 'Median' });
    expect(errorOf(badStat.xml)).toEqual({
      type: 'Sender',
      code: 'InvalidParameterValue',
      message: 'The parameter Statistics.member.2 must be a value in the set [SampleCount, Average, Sum, Minimum, Maximum].',
    });
    expect(errorOf((await post(server.endpoint, { ...stats, 'ExtendedStatistics.member.1': 'p99.999' })).xml).code).toBe('InvalidParameterValue');
    const mixed = await post(server.endpoint, { ...stats, 'Statistics.member.1': 'Sum', 'ExtendedStatistics.member.1': 'p99' });
    expect([mixed.status, errorOf(mixed.xml).code]).toEqual([400, 'InvalidParameterCombination']);
    expect(errorOf(mixed.xml).message).toBe('The parameters Statistics and ExtendedStatistics are mutually exclusive and you have specified both.');
    expect(errorOf((await post(server.endpoint, { ...stats, Period: 90, 'Statistics.member.1': 'Sum' })).xml).code).toBe('InvalidParameterValue');
    expect((await post(server.endpoint, { ...stats, Period: 10, 'Statistics.member.1': 'Sum' })).status).toBe(200);
    // 1,441 one-minute periods: one over GetMetricStatistics' limit.
    const tooMany = await post(server.endpoint, { ...stats, EndTime: new Date(Date.parse(T0) + 1441 * MINUTE).toISOString(), 'Statistics.member.1': 'Sum' });
    expect(tooMany.status).toBe(400);
    expect(errorOf(tooMany.xml)).toEqual({
      type: 'Sender',
      code: 'InvalidParameterCombination',
      message: 'You have requested up to 1441 datapoints, which exceeds the limit of 1440.',
    });
    expect((await post(server.endpoint, { ...stats, EndTime: new Date(Date.parse(T0) + 1440 * MINUTE).toISOString(), 'Statistics.member.1': 'Sum' })).status).toBe(200);
    expect(errorOf((await post(server.endpoint, { ...stats, StartTime: 'yesterday', 'Statistics.member.1': 'Sum' })).xml).code).toBe('InvalidParameterValue');

    expect(errorOf((await post(server.endpoint, { ...stats, Namespace: '', 'Statistics.member.1': 'Sum' })).xml).code).toBe('InvalidParameterValue');
    const both = await post(server.endpoint, {
      ...base,
      Action: 'PutMetricData',
      Namespace: 'Shop',
      'MetricData.member.1.MetricName': 'x',
      'MetricData.member.1.Value': '1',
      'MetricData.member.1.StatisticValues.SampleCount': '1',
      'MetricData.member.1.StatisticValues.Sum': '1',
      'MetricData.member.1.StatisticValues.Minimum': '1',
      'MetricData.member.1.StatisticValues.Maximum': '1',
    });
    expect(errorOf(both.xml)).toEqual({
      type: 'Sender',
      code: 'InvalidParameterCombination',
      message: 'The parameters MetricData.member.1.Value and MetricData.member.1.StatisticValues are mutually exclusive and you have specified both.',
    });
    expect(errorOf((await post(server.endpoint, { Action: 'ListMetrics', Version: '2099-01-01' })).xml).code).toBe('InvalidAction');
    expect(errorOf((await post(server.endpoint, { Version: '2010-08-01' })).xml).code).toBe('MissingAction');

    serverErrors = true;
    try {
      const failed = await post(server.endpoint, { ...base, Action: 'ListMetrics' });
      expect(failed.status).toBe(500);
      expect(errorOf(failed.xml)).toEqual({ type: 'Receiver', code: 'InternalServiceError', message: 'Internal service error' });
    } finally {
      serverErrors = false;
    }
  });

  it('serves GetMetricStatistics to the SDK for JS in awsJson1_0', async () => {
    const cloudwatch = new CloudWatchClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    try {
      const out = await cloudwatch.send(
        new GetMetricStatisticsCommand({
          Namespace: 'Shop',
          MetricName: 'Latency',
          Dimensions: [{ Name: 'Store', Value: 'north' }],
          StartTime: new Date(T0),
          EndTime: new Date('2026-11-24T12:05:00Z'),
          Period: 300,
          Statistics: ['Average', 'Minimum'],
          Unit: 'Milliseconds',
        }),
      );
      expect(out.Label).toBe('Latency');
      expect(out.Datapoints).toEqual([{ Timestamp: new Date(T0), Average: 20, Minimum: 10, Unit: 'Milliseconds' }]);
      const p99 = await cloudwatch.send(
        new GetMetricStatisticsCommand({
          Namespace: 'Shop',
          MetricName: 'Latency',
          Dimensions: [{ Name: 'Store', Value: 'north' }],
          StartTime: new Date(T0),
          EndTime: new Date('2026-11-24T12:05:00Z'),
          Period: 300,
          ExtendedStatistics: ['p99'],
          Unit: 'Milliseconds',
        }),
      );
      expect(p99.Datapoints).toEqual([{ Timestamp: new Date(T0), Unit: 'Milliseconds', ExtendedStatistics: { p99: 50 } }]);
      const other = await cloudwatch.send(
        new GetMetricStatisticsCommand({ Namespace: 'Shop', MetricName: 'Latency', StartTime: new Date(T0), EndTime: new Date(NOW), Period: 60, Statistics: ['Sum'], Unit: 'Seconds' }),
      );
      expect(other.Datapoints).toEqual([]);
      const orders = await cloudwatch.send(
        new GetMetricStatisticsCommand({ Namespace: 'Shop', MetricName: 'Orders', StartTime: new Date(T0), EndTime: new Date(NOW), Period: 3600, Statistics: ['Sum', 'SampleCount'] }),
      );
      expect(orders.Datapoints).toEqual([{ Timestamp: new Date(T0), SampleCount: 4, Sum: 10, Unit: 'Count' }]);
      await expect(
        cloudwatch.send(new GetMetricStatisticsCommand({ Namespace: 'Shop', MetricName: 'Latency', StartTime: new Date(T0), EndTime: new Date(NOW), Period: 60 })),
      ).rejects.toBeInstanceOf(InvalidParameterCombinationException);
      await expect(
        cloudwatch.send(new GetMetricStatisticsCommand({ Namespace: 'Shop', MetricName: 'Latency', StartTime: new Date(NOW), EndTime: new Date(T0), Period: 60, Statistics: ['Sum'] })),
      ).rejects.toBeInstanceOf(InvalidParameterValueException);
    } finally {
      cloudwatch.destroy();
    }
  });
});

describe('query protocol on startLocalLambda', () => {
  it('shares the one endpoint with Lambda and Logs', async () => {
    const local = await startLocalLambda({ functions: [], cpu: 'unlimited' });
    try {
      const res = await post(local.endpoint, { Action: 'ListMetrics', Version: '2010-08-01', Namespace: 'Nothing' });
      expect(res.status).toBe(200);
      expect(res.type).toBe('text/xml');
      expect(res.xml).toContain(`<ListMetricsResponse xmlns="${NS}"><ListMetricsResult><Metrics></Metrics></ListMetricsResult>`);
      const unknown = await post(local.endpoint, { Action: 'PutMetricAlarm', Version: '2010-08-01' });
      expect([unknown.status, errorOf(unknown.xml).code]).toEqual([400, 'InvalidAction']);
    } finally {
      await local.stop();
    }
  });
});
