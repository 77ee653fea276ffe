// CloudWatch's query protocol as the real botocore clients speak it: the AWS CLI (Debian's awscli, /usr/bin/aws) and
// boto3 (python3-boto3) put, read and list metrics on local and get CloudWatch's errors. Part of `npm run test:e2e`
// (vitest.e2e.config.ts), which skips test/clients/ with one line when the clients are not installed.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalServer } from '../../src/local/http.js';
import { startLocalServer } from '../../src/local/http.js';
import { MetricStore, MetricsService } from '../../src/local/metrics/index.js';

const run = promisify(execFile);
const NOW = Date.parse('2026-11-24T13:00:00Z');
const T0 = '2026-11-24T12:00:00Z';

const AWS_CLI = '/usr/bin/aws';
const PYTHON = '/usr/bin/python3';
const hasAwsCli = existsSync(AWS_CLI);
const hasBoto3 = existsSync(PYTHON) && (await run(PYTHON, ['-c', 'import boto3']).then(() => true, () => false));
if (!hasAwsCli) console.warn(`skipping the AWS CLI tests: ${AWS_CLI} is not installed (Debian package awscli)`);
if (!hasBoto3) console.warn(`skipping the boto3 tests: ${PYTHON} cannot import boto3 (Debian package python3-boto3)`);

describe('real botocore clients (query protocol)', () => {
  let server: LocalServer;
  let home: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    server = await startLocalServer([new MetricsService(new MetricStore({ now: () => NOW }))]);
    home = mkdtempSync(join(tmpdir(), 'lm-query-'));
    // Dummy credentials and isolated config files: nothing of the user's AWS setup is read.
    env = {
      PATH: '/usr/bin:/bin',
      HOME: home,
      LANG: 'C.UTF-8',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: join(home, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_PAGER: '',
    };
  });
  afterAll(async () => {
    await server.close();
    rmSync(home, { recursive: true, force: true });
  });

  async function aws(...args: string[]): Promise<unknown> {
    const { stdout } = await run(AWS_CLI, ['cloudwatch', ...args, '--endpoint-url', server.endpoint, '--region', 'us-east-1', '--output', 'json'], { env });
    return stdout.trim() === '' ? undefined : (JSON.parse(stdout) as unknown);
  }

  it.skipIf(!hasAwsCli)('AWS CLI: put-metric-data, get-metric-statistics, get-metric-data, list-metrics', { timeout: 60_000 }, async () => {
    await aws('put-metric-data', '--namespace', 'Cli', '--metric-data',
      JSON.stringify([{ MetricName: 'Latency', Dimensions: [{ Name: 'Fn', Value: 'a' }], Timestamp: '2026-11-24T12:00:05Z', Values: [4, 8], Counts: [1, 3], Unit: 'Milliseconds' }]));
    const stats = (await aws('get-metric-statistics', '--namespace', 'Cli', '--metric-name', 'Latency', '--dimensions', 'Name=Fn,Value=a',
      '--start-time', T0, '--end-time', '2026-11-24T12:05:00Z', '--period', '60', '--statistics', 'Sum', 'SampleCount')) as {
      Label: string;
      Datapoints: unknown[];
    };
    expect(stats.Label).toBe('Latency');
    expect(stats.Datapoints).toEqual([{ Timestamp: '2026-11-24T12:00:00+00:00', SampleCount: 4, Sum: 28, Unit: 'Milliseconds' }]);
    const p50 = (await aws('get-metric-statistics', '--namespace', 'Cli', '--metric-name', 'Latency', '--dimensions', 'Name=Fn,Value=a',
      '--start-time', T0, '--end-time', '2026-11-24T12:05:00Z', '--period', '60', '--extended-statistics', 'p50')) as { Datapoints: unknown[] };
    expect(p50.Datapoints).toEqual([{ Timestamp: '2026-11-24T12:00:00+00:00', Unit: 'Milliseconds', ExtendedStatistics: { p50: 8 } }]);
    const data = (await aws('get-metric-data', '--start-time', T0, '--end-time', '2026-11-24T12:05:00Z', '--metric-data-queries',
      JSON.stringify([{ Id: 'm', MetricStat: { Metric: { Namespace: 'Cli', MetricName: 'Latency', Dimensions: [{ Name: 'Fn', Value: 'a' }] }, Period: 60, Stat: 'Maximum' } }]))) as {
      MetricDataResults: unknown[];
    };
    expect(data.MetricDataResults).toEqual([{ Id: 'm', Label: 'Latency', Timestamps: ['2026-11-24T12:00:00+00:00'], Values: [8], StatusCode: 'Complete', Messages: [] }]);
    const list = (await aws('list-metrics', '--namespace', 'Cli')) as { Metrics: unknown[] };
    expect(list.Metrics).toEqual([{ Namespace: 'Cli', MetricName: 'Latency', Dimensions: [{ Name: 'Fn', Value: 'a' }] }]);
    const failure = await run(AWS_CLI, ['cloudwatch', 'get-metric-statistics', '--namespace', 'Cli', '--metric-name', 'Latency', '--start-time', T0,
      '--end-time', '2026-11-24T12:05:00Z', '--period', '61', '--statistics', 'Sum', '--endpoint-url', server.endpoint], { env }).then(
      () => '',
      (e: { stderr: string }) => e.stderr,
    );
    expect(failure).toContain('(InvalidParameterValue)');
    expect(failure).toContain('Period');
  });

  it.skipIf(!hasBoto3)('boto3: put_metric_data, get_metric_statistics, get_metric_data, list_metrics', { timeout: 60_000 }, async () => {
    const script = `
import boto3, json, sys, datetime
from botocore.exceptions import ClientError
cw = boto3.client('cloudwatch', endpoint_url=sys.argv[1], region_name='us-east-1')
t0 = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=datetime.timezone.utc)
t1 = t0 + datetime.timedelta(minutes=5)
cw.put_metric_data(Namespace='Py', MetricData=[
  {'MetricName': 'Hits', 'Timestamp': t0 + datetime.timedelta(seconds=30), 'Value': 2.5, 'Unit': 'Count'},
  {'MetricName': 'Hits', 'Timestamp': t0 + datetime.timedelta(seconds=90), 'StatisticValues': {'SampleCount': 2, 'Sum': 7, 'Minimum': 3, 'Maximum': 4}, 'Unit': 'Count'},
])
s = cw.get_metric_statistics(Namespace='Py', MetricName='Hits', StartTime=t0, EndTime=t1, Period=60, Statistics=['Sum', 'Maximum'])
d = cw.get_metric_data(StartTime=t0, EndTime=t1, ScanBy='TimestampAscending', MetricDataQueries=[
  {'Id': 'h', 'MetricStat': {'Metric': {'Namespace': 'Py', 'MetricName': 'Hits'}, 'Period': 60, 'Stat': 'SampleCount'}}])
l = cw.list_metrics(Namespace='Py')
try:
  cw.get_metric_statistics(Namespace='Py', MetricName='Hits', StartTime=t0, EndTime=t1, Period=60)
  err = None
except ClientError as e:
  err = [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode']]
iso = lambda t: t.isoformat()
print(json.dumps({
  'stats': [[iso(p['Timestamp']), p['Sum'], p['Maximum'], p['Unit']] for p in sorted(s['Datapoints'], key=lambda p: p['Timestamp'])],
  'data': [[r['Id'], [iso(t) for t in r['Timestamps']], r['Values'], r['StatusCode']] for r in d['MetricDataResults']],
  'list': l['Metrics'],
  'err': err,
}))
`;
    const { stdout } = await run(PYTHON, ['-c', script, server.endpoint], { env });
    expect(JSON.parse(stdout)).toEqual({
      stats: [
        ['2026-11-24T12:00:00+00:00', 2.5, 2.5, 'Count'],
        ['2026-11-24T12:01:00+00:00', 7, 4, 'Count'],
      ],
      data: [['h', ['2026-11-24T12:00:00+00:00', '2026-11-24T12:01:00+00:00'], [1, 2], 'Complete']],
      list: [{ Namespace: 'Py', MetricName: 'Hits', Dimensions: [] }],
      err: ['InvalidParameterCombination', 400],
    });
  });
});
