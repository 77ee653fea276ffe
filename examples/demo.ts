// The main demo, offline: starts lambda-meter/local with a CPU-bound and an I/O-bound function at two memory sizes,
// invokes each once cold and 20 times warm through the real AWS SDK client, and prints per function what the REPORTs,
// the client's clock, Logs Insights and the price table say: memory buys CPU, so the CPU-bound function is faster at
// 1,769 MB for about the same cost, while the I/O-bound one is as fast at 512 MB and cheaper.
//
// Usage: npm run demo        (or npm run example -- demo [--warm N]; run from the package folder)
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { monthlyCost, reportCost, sumCosts } from 'lambda-meter/cost';
import { queryReports } from 'lambda-meter/insights';
import { invokeMany } from 'lambda-meter/invoke';
import type { IndexedTailInvocation } from 'lambda-meter/invoke';
import { startLocalLambda } from 'lambda-meter/local';
import { summarize } from 'lambda-meter/stats';

const warmArg = process.argv.indexOf('--warm');
const WARM = warmArg === -1 ? 20 : Number(process.argv[warmArg + 1]);
if (!Number.isInteger(WARM) || WARM < 2) {
  console.error('usage: npm run example -- demo [--warm N]   (N: a whole number >= 2)');
  process.exit(2);
}
const MEMORY_SIZES = [512, 1769] as const;
const FUNCTIONS = [
  { code: 'cpu', file: 'examples/functions/cpu.mjs', what: '40,000 chained SHA-256 hashes: CPU-bound' },
  { code: 'io', file: 'examples/functions/io.mjs', what: 'waits for three simulated downstream calls, ~70 ms: I/O-bound' },
] as const;

const began = performance.now();
const local = await startLocalLambda({
  functions: FUNCTIONS.flatMap((f) =>
    MEMORY_SIZES.map((memorySizeMB) => ({ name: `${f.code}-${memorySizeMB}`, handler: `${f.file}#handler`, memorySizeMB, timeoutSeconds: 10 })),
  ),
  timeScale: 10, // Logs Insights queries answer in 30 ms instead of 300; handlers keep real time
});
// lambda-meter retries throttling itself; one SDK attempt per send keeps clientLatencyMs to a single request.
const lambda = new LambdaClient({ ...local.clientConfig(), maxAttempts: 1 });
const logs = new CloudWatchLogsClient({ ...local.clientConfig(), maxAttempts: 1 });

const ms = (value: number | undefined): string => (value === undefined ? '-' : `${value.toFixed(2)} ms`);
// Three significant digits in plain decimals: $0.00000416, $0.850, $9.66.
const usd = (value: number): string => `$${value.toFixed(value > 0 ? Math.min(20, Math.max(2, 2 - Math.floor(Math.log10(value)))) : 2)}`;

interface Column {
  readonly memorySizeMB: number;
  readonly cells: readonly string[];
  readonly warmP50Ms: number;
  readonly perMillionUSD: number;
}

const ROWS = [
  'cold start: Init Duration',
  'cold start: Duration',
  'warm Duration p50',
  'warm Duration p90',
  'warm Duration p99',
  'warm client latency p50',
  'Max Memory Used',
  'cost per invocation (warm)',
  'cost per million (warm)',
  'REPORTs in Logs Insights',
];

async function measure(functionName: string, memorySizeMB: number): Promise<Column> {
  const startTime = Date.now() - 1000;
  const runs = await invokeMany(lambda, { functionName }, { count: WARM + 1 });
  const failed = runs.filter((r) => r.functionError !== undefined || r.report === undefined);
  if (failed.length > 0) throw new Error(`${functionName}: ${failed.length} invocations failed or had no REPORT: ${failed[0]?.errorMessage ?? failed[0]?.warnings.join('; ')}`);
  const report = (r: IndexedTailInvocation) => r.report!;
  const [cold, ...warm] = runs as [IndexedTailInvocation, ...IndexedTailInvocation[]];
  const durations = summarize(warm.map((r) => report(r).durationMs));
  const latency = summarize(warm.map((r) => r.clientLatencyMs));
  const warmCost = sumCosts(warm.map((r) => reportCost(report(r))));
  const averageBilledDurationMs = warm.reduce((sum, r) => sum + report(r).billedDurationMs, 0) / warm.length;
  const perMillion = monthlyCost({ invocations: 1_000_000, averageBilledDurationMs, memorySizeMB });

  // Every invocation's REPORT, read back from the log group through Logs Insights, as queryReports does on AWS.
  let inInsights: string;
  try {
    const reports = await queryReports(logs, { functionName, startTime, endTime: Date.now() + 1000 }, { pollMinDelayMs: 20 });
    const ids = new Set(reports.map((r) => r.requestId));
    inInsights = `${runs.filter((r) => ids.has(r.requestId)).length} of ${runs.length}`;
  } catch (error) {
    inInsights = `n/a (${(error as Error).name})`;
  }
  const maxMemoryUsed = Math.max(...runs.map((r) => report(r).maxMemoryUsedMB));
  return {
    memorySizeMB,
    warmP50Ms: durations.p50,
    perMillionUSD: perMillion.totalUSD,
    cells: [
      report(cold).coldStart ? ms(report(cold).initDurationMs) : 'warm (no cold start)',
      ms(report(cold).durationMs),
      ms(durations.p50),
      ms(durations.p90),
      ms(durations.p99),
      ms(latency.p50),
      `${maxMemoryUsed} MB`,
      usd(warmCost.totalUSD / warm.length),
      usd(perMillion.totalUSD),
      inInsights,
    ],
  };
}

const pids: number[] = [];
try {
  const cpu = local.lambda.cpuControl;
  console.log(
    `lambda-meter/local at ${local.endpoint}: ${cpu.mode === 'proportional' ? `CPU in proportion to memory (${cpu.mechanism})` : 'unlimited CPU'}, ` +
      `1 cold + ${WARM} warm invocations per function, prices us-east-1 x86_64`,
  );
  const verdicts: string[] = [];
  for (const f of FUNCTIONS) {
    const columns: Column[] = [];
    for (const memorySizeMB of MEMORY_SIZES) columns.push(await measure(`${f.code}-${memorySizeMB}`, memorySizeMB));
    const width = Math.max(...ROWS.map((r) => r.length));
    console.log(`\n${f.code} (${f.file}): ${f.what}`);
    console.log(`${''.padEnd(width)}${columns.map((c) => `${c.memorySizeMB} MB`.padStart(16)).join('')}`);
    ROWS.forEach((row, i) => console.log(`${row.padEnd(width)}${columns.map((c) => (c.cells[i] ?? '').padStart(16)).join('')}`));
    const [small, large] = columns as [Column, Column];
    verdicts.push(
      `${f.code}: ${small.memorySizeMB} → ${large.memorySizeMB} MB: warm p50 ${ms(small.warmP50Ms)} → ${ms(large.warmP50Ms)} ` +
        `(${(small.warmP50Ms / large.warmP50Ms).toFixed(2)}x as fast), cost per million ${usd(small.perMillionUSD)} → ` +
        `${usd(large.perMillionUSD)} (${(large.perMillionUSD / small.perMillionUSD).toFixed(2)}x)`,
    );
  }
  console.log('');
  for (const verdict of verdicts) console.log(verdict);
} finally {
  for (const e of local.environments()) if (e.pid !== undefined) pids.push(e.pid);
  await local.stop();
  lambda.destroy();
  logs.destroy();
}
const alive = pids.filter((pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
});
console.log(
  `\nstopped local: ${pids.length} function processes started, ${alive.length} left running; ` +
    `${((performance.now() - began) / 1000).toFixed(1)} s in all`,
);
if (alive.length > 0) process.exitCode = 1;
