// Pulls every REPORT a function logged yesterday (UTC) through CloudWatch Logs Insights and summarises them:
// invocations, cold starts, and duration percentiles for warm and cold invocations.
//
// Usage: npm run example -- yesterday-reports <function-name> [--log-group <name>] [--concurrency <n>]
//
// The region comes from AWS_REGION (or AWS_DEFAULT_REGION, or your AWS profile); LOGS_ENDPOINT points the client at
// another endpoint, e.g. LOGS_ENDPOINT=http://localhost:4566.
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { isLambdaMeterError } from 'lambda-meter';
import { queryReports } from 'lambda-meter/insights';
import type { InsightsReportRecord } from 'lambda-meter/insights';
import { summarize } from 'lambda-meter/stats';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i === -1 ? undefined : args.splice(i, 2)[1];
};
const logGroupName = option('--log-group');
const concurrency = Number(option('--concurrency') ?? 4);
const [functionName] = args;
if (functionName === undefined) {
  console.error('usage: npm run example -- yesterday-reports <function-name> [--log-group <name>] [--concurrency <n>]');
  process.exit(2);
}

const endpoint = process.env.LOGS_ENDPOINT;
const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? (endpoint === undefined ? undefined : 'us-east-1');
const logs = new CloudWatchLogsClient({
  ...(region === undefined ? {} : { region }),
  ...(endpoint === undefined ? {} : { endpoint }),
});

// Yesterday, UTC midnight to midnight; the end is exclusive, so back-to-back days never share a REPORT.
const today = new Date();
today.setUTCHours(0, 0, 0, 0);
const endTime = today;
const startTime = new Date(today.getTime() - 86_400_000);

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
        if (w.outcome === 'split') console.error(`  ${w.startTime.toISOString()}: ${w.rows} rows, splitting`);
        if (w.outcome === 'truncated') console.error(`  ${w.startTime.toISOString()}: cannot split further; some REPORTs may be missing`);
      },
    },
  );
  console.log(`${reports.length} invocations in ${queries} queries`);
  if (reports.length === 0) process.exit(0);

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
  process.exit(1);
}
