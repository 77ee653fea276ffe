// Fetches a function's asynchronous-invocation metrics for the last 3 hours at 1-minute resolution: events received,
// their age in the queue (average and p99) and events dropped.
//
// Usage: npm run example -- async-metrics <function-name> [qualifier]
//
// The region comes from AWS_REGION (or AWS_DEFAULT_REGION, or your AWS profile); CLOUDWATCH_ENDPOINT points the client
// at another endpoint, e.g. CLOUDWATCH_ENDPOINT=http://localhost:4566.
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { isLambdaMeterError } from 'lambda-meter';
import { fetchLambdaMetrics, fetchMetricData, lambdaMetricQueries } from 'lambda-meter/metrics';
import type { MetricSeries } from 'lambda-meter/metrics';

const [functionName, qualifier] = process.argv.slice(2);
if (functionName === undefined) {
  console.error('usage: npm run example -- async-metrics <function-name> [qualifier]');
  process.exit(2);
}

const endpoint = process.env.CLOUDWATCH_ENDPOINT;
const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? (endpoint === undefined ? undefined : 'us-east-1');
const cloudwatch = new CloudWatchClient({
  ...(region === undefined ? {} : { region }),
  ...(endpoint === undefined ? {} : { endpoint }),
});

const endTime = new Date();
endTime.setUTCSeconds(0, 0);
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
  const byTime = (s: MetricSeries | undefined): Map<number, number> => new Map((s?.points ?? []).map((p) => [p.timestamp.getTime(), p.value]));
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
  process.exit(1);
}
