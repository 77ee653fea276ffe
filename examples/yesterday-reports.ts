// Pulls every REPORT a function logged yesterday (UTC) through CloudWatch Logs Insights and summarises them:
// invocations, cold starts, and duration percentiles for warm and cold invocations.
//
// Usage: npm run example -- yesterday-reports [function-name] [--log-group <name>] [--concurrency <n>] [--aws]
//
// By default it runs offline against lambda-meter/local: local has no yesterday, so the example first invokes the
// function (default `io`, from examples/functions/) 40 times at concurrency 4 and queries the REPORTs of that run.
// With --aws it queries your AWS account (region from AWS_REGION, AWS_DEFAULT_REGION or your profile);
// LOGS_ENDPOINT=http://host:port points it at another endpoint.
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { isLambdaMeterError } from 'lambda-meter';
import { queryReports } from 'lambda-meter/insights';
import type { InsightsReportRecord } from 'lambda-meter/insights';
import { invokeMany } from 'lambda-meter/invoke';
import { summarize } from 'lambda-meter/stats';
import { exampleTarget } from './lib/target.js';

const args = process.argv.slice(2);
const target = await exampleTarget(args, 'LOGS_ENDPOINT', { timeScale: 10 });
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i === -1 ? undefined : args.splice(i, 2)[1];
};
const logGroupName = option('--log-group');
const concurrency = Number(option('--concurrency') ?? 4);
const functionName = args[0] ?? (target.where === 'local' ? 'io' : undefined);
if (functionName === undefined) {
  console.error('usage: npm run example -- yesterday-reports [function-name] [--log-group <name>] [--concurrency <n>] [--aws]');
  await target.close();
  process.exit(2);
}

const logs = new CloudWatchLogsClient(target.clientConfig);

// Yesterday, UTC midnight to midnight; the end is exclusive, so back-to-back days never share a REPORT.
const today = new Date();
today.setUTCHours(0, 0, 0, 0);
let endTime = today;
let startTime = new Date(today.getTime() - 86_400_000);
console.log(`target: ${target.description}`);
if (target.where === 'local') {
  // Offline there is no yesterday: make some traffic now and query the minutes around it instead.
  const lambda = new LambdaClient(target.clientConfig);
  startTime = new Date(Date.now() - 60_000);
  await invokeMany(lambda, { functionName, count: 40, concurrency: 4 });
  lambda.destroy();
  endTime = new Date(Date.now() + 60_000);
}

const ms = (value: number): string => `${value.toFixed(2)} ms`;

function printDurations(title: string, reports: readonly InsightsReportRecord[], value: (r: InsightsReportRecord) => number): void {
  if (reports.length === 0) {
    console.log(`${title}: none`);
    return;
  }
  const s = summarize(reports.map(value));
  const ci = s.medianCI95 === undefined ? '' : ` (95% CI ${ms(s.medianCI95[0])} – ${ms(s.medianCI95[1])})`;
  console.log(`${title}: n=${s.count}  p50 ${ms(s.p50)}${ci}  p90 ${ms(s.p90)}  p99 ${ms(s.p99)}  max ${ms(s.max)}`);
}

try {
  console.log(`REPORTs of ${logGroupName ?? `/aws/lambda/${functionName}`} from ${startTime.toISOString()} to ${endTime.toISOString()}`);
  let queries = 0;
  const reports = await queryReports(
    logs,
    { ...(logGroupName === undefined ? { functionName } : { logGroupName }), startTime, endTime },
    {
      concurrency,
      onWindow: (w) => {
        queries++;
        if (w.outcome === 'split') console.error(`  ${new Date(w.startTime).toISOString()}: ${w.rows} rows, splitting`);
        if (w.outcome === 'truncated') console.error(`  ${new Date(w.startTime).toISOString()}: cannot split further; some REPORTs may be missing`);
      },
    },
  );
  console.log(`${reports.length} invocations in ${queries} queries`);
  if (reports.length === 0) throw new Error('no REPORTs in this range');

  const cold = reports.filter((r) => r.coldStart);
  const failed = reports.filter((r) => r.status !== 'success');
  console.log(`cold starts: ${cold.length} (${((100 * cold.length) / reports.length).toFixed(2)}%), not successful: ${failed.length}`);
  printDurations('duration, all', reports, (r) => r.durationMs);
  printDurations('duration, warm', reports.filter((r) => !r.coldStart), (r) => r.durationMs);
  printDurations('init duration, cold', cold.filter((r) => r.initDurationMs !== undefined), (r) => r.initDurationMs as number);
  printDurations('billed duration', reports, (r) => r.billedDurationMs);
  const peakMB = Math.max(...reports.map((r) => r.maxMemoryUsedMB));
  const sizes = [...new Set(reports.map((r) => r.memorySizeMB))].join(', ');
  console.log(`memory: peak ${peakMB} MB of ${sizes} MB`);
} catch (err) {
  console.error(isLambdaMeterError(err) ? `${err.name}: ${err.message}` : err);
  process.exitCode = 1;
} finally {
  logs.destroy();
  await target.close();
}
