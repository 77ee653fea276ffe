// Fetches a function's asynchronous-invocation metrics for the last 3 hours at 1-minute resolution: events received,
// their age in the queue (average and p99) and events dropped.
//
// Usage: npm run example -- async-metrics [function-name] [qualifier] [--aws]
//
// By default it runs offline against lambda-meter/local: it first sends 8 asynchronous events to the example function
// `io` with reserved concurrency 1, so events queue, are throttled and age (local runs its queue 600x faster than real
// time and reports ages in Lambda's time). With --aws it reads your AWS account's metrics (region from AWS_REGION,
// AWS_DEFAULT_REGION or your profile); CLOUDWATCH_ENDPOINT=http://host:port points it at another endpoint.
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { isLambdaMeterError } from 'lambda-meter';
import { fetchLambdaMetrics, fetchMetricData, lambdaMetricQueries } from 'lambda-meter/metrics';
import type { MetricSeries } from 'lambda-meter/metrics';
import { EXAMPLE_FUNCTIONS, exampleTarget } from './lib/target.js';

const args = process.argv.slice(2);
const where = await exampleTarget(args, 'CLOUDWATCH_ENDPOINT', {
  functions: EXAMPLE_FUNCTIONS.map((f) => (f.name === 'io' ? { ...f, reservedConcurrency: 1 } : f)),
  timeScale: 600,
});
const [named, qualifier] = args;
const functionName = named ?? (where.where === 'local' ? 'io' : undefined);
if (functionName === undefined) {
  console.error('usage: npm run example -- async-metrics [function-name] [qualifier] [--aws]');
  await where.close();
  process.exit(2);
}

const cloudwatch = new CloudWatchClient(where.clientConfig);
console.log(`target: ${where.description}`);
if (where.local !== undefined) {
  const lambda = new LambdaClient(where.clientConfig);
  for (let i = 0; i < 8; i++) {
    await lambda.send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: JSON.stringify({ id: i }) }));
  }
  lambda.destroy();
  // Wait until the queue has drained: every event has run (or been dropped).
  const local = where.local;
  const settled = () => {
    const sum = (metricName: string) =>
      local.metrics
        .getStatistics({ namespace: 'AWS/Lambda', metricName, dimensions: { FunctionName: functionName }, startTime: 0, endTime: Date.now() + 60_000, periodSeconds: 86_400, stat: 'Sum' })
        .reduce((n, p) => n + p.value, 0);
    return sum('Invocations') + sum('AsyncEventsDropped') >= 8;
  };
  while (!settled()) await new Promise((resolve) => setTimeout(resolve, 50));
}

const endTime = new Date();
// The current minute is included: its datapoints may still grow.
endTime.setUTCSeconds(60, 0);
const startTime = new Date(endTime.getTime() - 3 * 3_600_000);
const target = { functionName, ...(qualifier === undefined ? {} : { qualifier }) };

function total(series: MetricSeries): number {
  return series.points.reduce((sum, p) => sum + p.value, 0);
}

function warnIfPartial(series: MetricSeries): void {
  if (series.statusCode !== 'Complete') console.warn(`  ${series.id}: ${series.statusCode} ${series.messages.map((m) => m.value).join('; ')}`);
}

try {
  const m = await fetchLambdaMetrics(cloudwatch, {
    ...target,
    metrics: ['AsyncEventsReceived', 'AsyncEventAge', 'AsyncEventsDropped'],
    periodSeconds: 60,
    startTime,
    endTime,
  });
  // The p99 of the event age needs its own statistic: build the query and fetch it beside the defaults.
  const [ageP99] = await fetchMetricData(cloudwatch, {
    queries: lambdaMetricQueries({ ...target, metrics: ['AsyncEventAge'], stat: 'p99', idPrefix: 'p99_' }),
    startTime,
    endTime,
  });
  for (const series of [m.AsyncEventsReceived, m.AsyncEventAge, m.AsyncEventsDropped]) warnIfPartial(series);

  console.log(`${functionName}${qualifier === undefined ? '' : `:${qualifier}`}, ${startTime.toISOString()} to ${endTime.toISOString()}`);
  console.log(`events received: ${total(m.AsyncEventsReceived)}, dropped: ${total(m.AsyncEventsDropped)}`);
  console.log('minute (UTC)        received  age avg ms  age p99 ms  dropped');
  // local's queue runs 600x faster: its ages are on that scaled clock (as Lambda would report them), not wall-clock time.
  if (where.local !== undefined) console.log('(ages in local time ×600, the queue\'s scaled clock: divide by 600 for wall-clock time)');
  const byTime = (s: MetricSeries | undefined): Map<number, number> => new Map((s?.points ?? []).map((p) => [p.timestamp, p.value]));
  const received = byTime(m.AsyncEventsReceived);
  const ageAvg = byTime(m.AsyncEventAge);
  const age99 = byTime(ageP99);
  const dropped = byTime(m.AsyncEventsDropped);
  const minutes = [...new Set([...received.keys(), ...ageAvg.keys(), ...dropped.keys()])].sort((a, b) => a - b);
  const cell = (v: number | undefined, width: number): string => (v === undefined ? '-' : String(Math.round(v * 100) / 100)).padStart(width);
  for (const t of minutes) {
    const when = new Date(t).toISOString().slice(0, 16).replace('T', ' ');
    console.log(`${when}  ${cell(received.get(t), 8)}  ${cell(ageAvg.get(t), 10)}  ${cell(age99.get(t), 10)}  ${cell(dropped.get(t), 7)}`);
  }
  if (minutes.length === 0) console.log('(no asynchronous events in this window)');
} catch (err) {
  console.error(isLambdaMeterError(err) ? `${err.name}: ${err.message}` : err);
  process.exitCode = 1;
} finally {
  cloudwatch.destroy();
  await where.close();
}
