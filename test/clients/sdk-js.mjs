/**
 * The SDK for JavaScript's part of the client conformance suite (test/clients/clients.test.ts starts local and runs
 * this once with Node, beside aws-cli.sh and boto3_client.py). It makes the same calls as boto3_client.py, with the
 * same case names, in the same order, through `@aws-sdk/client-lambda`, `@aws-sdk/client-cloudwatch-logs` and
 * `@aws-sdk/client-cloudwatch` (devDependencies: nothing to install). The SDK speaks CloudWatch's JSON 1.0 protocol
 * where the Debian clients speak its query protocol, so together the three cover every dialect local serves.
 *
 * Each case records either the operation's answer (without `$metadata`; `Payload` decoded to a UTF-8 string and
 * `LogResult` decoded into `Log`, as boto3_client.py does) or the error the SDK threw (its code, message and text);
 * the whole record is printed as one JSON object on stdout. A failed call never stops the script, so one missing
 * operation shows up as one failed case and the rest still run.
 *
 * Environment: ENDPOINT, AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, FAST / FAIL / SLOW (function names: a quick
 * handler, one that throws, and one that holds its invocation until the file named GATE exists), GATE, NAMESPACE (a
 * custom metric namespace of this client's own), START / END (the ISO range every metric read covers).
 */
import { writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateAliasCommand,
  GetFunctionConfigurationCommand,
  GetFunctionEventInvokeConfigCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionEventInvokeConfigsCommand,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  PutFunctionEventInvokeConfigCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdated,
} from '@aws-sdk/client-lambda';
import { CloudWatchLogsClient, FilterLogEventsCommand, GetQueryResultsCommand, StartQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient, GetMetricDataCommand, GetMetricStatisticsCommand, ListMetricsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';

const ENV = process.env;
const { FAST, FAIL, SLOW, GATE, NAMESPACE } = ENV;
const START = new Date(ENV.START);
const END = new Date(ENV.END);

// Credentials are passed explicitly from the environment; maxAttempts 2 matches boto3_client.py's retry config.
const options = {
  endpoint: ENV.ENDPOINT,
  region: 'us-east-1',
  credentials: { accessKeyId: ENV.AWS_ACCESS_KEY_ID, secretAccessKey: ENV.AWS_SECRET_ACCESS_KEY },
  maxAttempts: 2,
};
const lam = new LambdaClient(options);
const logs = new CloudWatchLogsClient(options);
const cw = new CloudWatchClient(options);

const results = {};
const encoder = new TextEncoder();
const json = (value) => encoder.encode(JSON.stringify(value));

/** The error a call threw, as boto3_client.py records it: the service's code and message, and the whole text. */
function describeError(error) {
  const code = error?.name ?? 'Error';
  const message = error?.message ?? String(error);
  return { code, message, text: `${code}: ${message}` };
}

/** Runs one call, records its answer or its error under `name`, and returns the answer (undefined on error). */
async function call(name, fn) {
  let answer;
  try {
    answer = await fn();
  } catch (error) {
    results[name] = { ok: false, error: describeError(error) };
    return undefined;
  }
  const value = { ...(answer ?? {}) };
  delete value.$metadata;
  if (value.Payload instanceof Uint8Array) value.Payload = Buffer.from(value.Payload).toString('utf8');
  if (typeof value.LogResult === 'string') value.Log = Buffer.from(value.LogResult, 'base64').toString('utf8');
  results[name] = { ok: true, value };
  return value;
}

/** Calls `condition` until it is true or the deadline passes; returns whether it became true. */
async function poll(seconds, condition) {
  const deadline = performance.now() + seconds * 1000;
  for (;;) {
    if (await condition()) return true;
    if (performance.now() >= deadline) return false;
    await sleep(200);
  }
}

function lambdaQuery(id, metric, stat, functionName) {
  const Dimensions = functionName === undefined ? [] : [{ Name: 'FunctionName', Value: functionName }];
  return { Id: id, MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: metric, Dimensions }, Period: 60, Stat: stat } };
}

/** The metric's stat over [START, END) in one-minute buckets, summed; undefined when the call fails. */
async function metricSum(functionName, metric, stat) {
  try {
    const answer = await cw.send(
      new GetMetricDataCommand({ StartTime: START, EndTime: END, MetricDataQueries: [lambdaQuery('m', metric, stat, functionName)] }),
    );
    const first = answer.MetricDataResults?.[0];
    return first === undefined ? 0 : (first.Values ?? []).reduce((a, b) => a + b, 0);
  } catch {
    return undefined;
  }
}

async function atLeast(minimum, functionName, metric, stat) {
  const value = await metricSum(functionName, metric, stat);
  return value !== undefined && value >= minimum;
}

// --- Lambda
await call('get-configuration', () => lam.send(new GetFunctionConfigurationCommand({ FunctionName: FAST })));
await call('invoke-tail', () => lam.send(new InvokeCommand({ FunctionName: FAST, LogType: 'Tail', Payload: json({ client: 'sdk-js' }) })));
await call('invoke-error', () => lam.send(new InvokeCommand({ FunctionName: FAIL, LogType: 'Tail', Payload: json({ value: 7 }) })));
await call('invoke-event', () =>
  lam.send(new InvokeCommand({ FunctionName: FAST, InvocationType: 'Event', Payload: json({ client: 'sdk-js', async: true }) })),
);
await call('update-configuration', () => lam.send(new UpdateFunctionConfigurationCommand({ FunctionName: FAST, MemorySize: 256 })));
// boto3's function_updated waiter: the SDK's waitUntilFunctionUpdated polls the same GetFunctionConfiguration until
// LastUpdateStatus is Successful (and throws on Failed or at the deadline). Recorded as an empty answer, like boto3's.
await call('wait-updated', async () => {
  await waitUntilFunctionUpdated({ client: lam, maxWaitTime: 60, minDelay: 1, maxDelay: 1 }, { FunctionName: FAST });
  return {};
});
await call('configuration-after-update', () => lam.send(new GetFunctionConfigurationCommand({ FunctionName: FAST })));
await call('publish-version', () => lam.send(new PublishVersionCommand({ FunctionName: FAST, Description: 'conformance' })));
await call('create-alias', () => lam.send(new CreateAliasCommand({ FunctionName: FAST, Name: 'live', FunctionVersion: '1' })));
await call('put-event-invoke-config', () =>
  lam.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: FAST, MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 3600 })),
);
await call('get-event-invoke-config', () => lam.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: FAST })));
await call('list-event-invoke-configs', () => lam.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: FAST })));

// --- The async scenario: reserved concurrency 1, two Event invocations of a function that holds its invocation until
// the gate opens. One runs and holds the concurrency; the other is throttled and waits in the queue. The gate opens
// once a Throttles datapoint is visible, so the waiting event's AsyncEventAge is > 0 by construction.
await call('put-concurrency', () => lam.send(new PutFunctionConcurrencyCommand({ FunctionName: SLOW, ReservedConcurrentExecutions: 1 })));
for (const i of [1, 2]) {
  await call(`async-invoke-${i}`, () =>
    lam.send(new InvokeCommand({ FunctionName: SLOW, InvocationType: 'Event', Payload: json({ id: `js-${i}`, gate: GATE }) })),
  );
}
results['async-throttled'] = { ok: await poll(60, () => atLeast(1, SLOW, 'Throttles', 'Sum')) };
writeFileSync(GATE, '');
results['async-processed'] = { ok: await poll(60, () => atLeast(2, SLOW, 'AsyncEventAge', 'SampleCount')) };
await call('async-metrics', () =>
  cw.send(
    new GetMetricDataCommand({
      StartTime: START,
      EndTime: END,
      MetricDataQueries: [
        lambdaQuery('received', 'AsyncEventsReceived', 'Sum', SLOW),
        lambdaQuery('age_max', 'AsyncEventAge', 'Maximum', SLOW),
        lambdaQuery('age_count', 'AsyncEventAge', 'SampleCount', SLOW),
        lambdaQuery('throttles', 'Throttles', 'Sum', SLOW),
        lambdaQuery('dropped', 'AsyncEventsDropped', 'Sum', SLOW),
      ],
    }),
  ),
);
await call('async-statistics', () =>
  cw.send(
    new GetMetricStatisticsCommand({
      Namespace: 'AWS/Lambda',
      MetricName: 'AsyncEventsReceived',
      Dimensions: [{ Name: 'FunctionName', Value: SLOW }],
      StartTime: START,
      EndTime: END,
      Period: 60,
      Statistics: ['Sum'],
    }),
  ),
);

// --- CloudWatch Logs: both invocations of FAST (the tail and the Event one) have their REPORT lines.
const GROUP = `/aws/lambda/${FAST}`;
const REPORT_FILTER = '"REPORT RequestId"';

await poll(60, async () => {
  try {
    const answer = await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: REPORT_FILTER }));
    return (answer.events ?? []).length >= 2;
  } catch {
    return false;
  }
});
await call('logs-filter', () => logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: REPORT_FILTER })));
const started = await call('logs-start-query', () =>
  logs.send(
    new StartQueryCommand({
      logGroupName: GROUP,
      startTime: Math.floor(START.getTime() / 1000),
      endTime: Math.floor(END.getTime() / 1000),
      queryString: 'filter @type = "REPORT" | fields @requestId, @duration, @billedDuration, @maxMemoryUsed | sort @timestamp asc',
    }),
  ),
);
if (started !== undefined) {
  await poll(60, async () => {
    try {
      const answer = await logs.send(new GetQueryResultsCommand({ queryId: started.queryId }));
      return ['Complete', 'Failed', 'Cancelled', 'Timeout'].includes(answer.status);
    } catch {
      return true;
    }
  });
  await call('logs-query-results', () => logs.send(new GetQueryResultsCommand({ queryId: started.queryId })));
}

// --- CloudWatch metrics
await call('metric-data', () =>
  cw.send(
    new GetMetricDataCommand({
      StartTime: START,
      EndTime: END,
      MetricDataQueries: [
        lambdaQuery('invocations', 'Invocations', 'Sum', FAST),
        lambdaQuery('errors', 'Errors', 'Sum', FAIL),
        lambdaQuery('duration', 'Duration', 'SampleCount', undefined),
      ],
    }),
  ),
);
await call('metric-statistics', () =>
  cw.send(
    new GetMetricStatisticsCommand({
      Namespace: 'AWS/Lambda',
      MetricName: 'Invocations',
      Dimensions: [{ Name: 'FunctionName', Value: FAST }],
      StartTime: START,
      EndTime: END,
      Period: 60,
      Statistics: ['Sum', 'SampleCount'],
    }),
  ),
);
await call('list-metrics', () => cw.send(new ListMetricsCommand({ Namespace: 'AWS/Lambda', Dimensions: [{ Name: 'FunctionName', Value: FAST }] })));
const shop = [{ Name: 'Shop', Value: 'north' }];
await call('put-metric-data', () =>
  cw.send(
    new PutMetricDataCommand({
      Namespace: NAMESPACE,
      MetricData: [
        { MetricName: 'Widgets', Value: 3, Unit: 'Count', Dimensions: shop },
        { MetricName: 'Widgets', Value: 5, Unit: 'Count', Dimensions: shop },
      ],
    }),
  ),
);
await call('custom-statistics', () =>
  cw.send(
    new GetMetricStatisticsCommand({
      Namespace: NAMESPACE,
      MetricName: 'Widgets',
      Dimensions: shop,
      StartTime: START,
      EndTime: END,
      Period: 60,
      Statistics: ['Sum', 'SampleCount', 'Maximum'],
    }),
  ),
);

lam.destroy();
logs.destroy();
cw.destroy();
process.stdout.write(`${JSON.stringify(results)}\n`);
