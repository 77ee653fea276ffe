/**
 * The CLI commands over the core modules: `invoke`, `reports`, `metrics` and `cost`.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { InvalidInputError } from '../../errors.js';
import { monthlyCost, invocationCost, reportCost, sumCosts } from '../../cost/index.js';
import type { Architecture } from '../../cost/index.js';
import { asyncRequestCount } from '../../cost/cost.js';
import { queryReports } from '../../insights/index.js';
import { invokeMany } from '../../invoke/index.js';
import type { TailInvocation } from '../../invoke/index.js';
import { fetchLambdaMetrics, LAMBDA_METRICS } from '../../metrics/index.js';
import type { LambdaMetricName } from '../../metrics/index.js';
import { parseLog } from '../../report/index.js';
import type { ReportRecord } from '../../report/index.js';
import type { ReportDocument, ReportRow } from '../../reports/index.js';
import { formatCount } from '../../reports/format.js';
import { summarize } from '../../stats/index.js';
import type { CliIo } from '../local.js';
import { jsonValue, makeClients, timeRange, wholeNumber, withCommonOptions, writeResult } from '../context.js';
import type { CommonOptions } from '../context.js';
import { architectureFlag } from '../args.js';
import { invocationFailure } from '../errors.js';
import { createProgress } from '../progress.js';

/** Runs `body` with the clients of `options`, closing them whatever happens. */
export async function withClients<T>(options: CommonOptions, usedBy: string, body: (clients: Awaited<ReturnType<typeof makeClients>>) => Promise<T>): Promise<T> {
  const clients = await makeClients(options, usedBy);
  try {
    return await body(clients);
  } finally {
    await clients.close();
  }
}

function statsRows(rows: readonly { name: string; values: readonly number[] }[]): ReportRow[] {
  return rows
    .filter((r) => r.values.length > 0)
    .map((r) => {
      const s = summarize(r.values);
      return { name: r.name, count: s.count, p50: s.p50, p90: s.p90, p99: s.p99, mean: s.mean, max: s.max };
    });
}

const STATS_COLUMNS = [
  { key: 'name', label: '' },
  { key: 'count', label: 'n', align: 'right', format: 'integer' },
  { key: 'p50', label: 'p50', align: 'right', format: 'ms' },
  { key: 'p90', label: 'p90', align: 'right', format: 'ms' },
  { key: 'p99', label: 'p99', align: 'right', format: 'ms' },
  { key: 'mean', label: 'mean', align: 'right', format: 'ms' },
  { key: 'max', label: 'max', align: 'right', format: 'ms' },
] as const;

function reportsStats(reports: readonly ReportRecord[], clientLatencyMs: readonly number[] = []): ReportRow[] {
  const cold = reports.filter((r) => r.coldStart);
  return statsRows([
    { name: 'Duration, warm', values: reports.filter((r) => !r.coldStart).map((r) => r.durationMs) },
    { name: 'Duration, cold', values: cold.map((r) => r.durationMs) },
    { name: 'Init Duration', values: cold.flatMap((r) => (r.initDurationMs === undefined ? [] : [r.initDurationMs])) },
    { name: 'Billed Duration', values: reports.map((r) => r.billedDurationMs) },
    { name: 'client latency', values: clientLatencyMs },
  ]);
}

/**
 * The report of `lambda-meter invoke`: one row per invocation, and the statistics.
 *
 * @example
 * ```ts
 * renderTextReport(invocationsDocument('resize', invocations));
 * ```
 */
export function invocationsDocument(functionName: string, invocations: readonly TailInvocation[]): ReportDocument {
  const reports = invocations.flatMap((i) => (i.report === undefined ? [] : [i.report]));
  const total = sumCosts(reports.map((r) => reportCost(r)));
  return {
    title: `Invocations of ${functionName}`,
    generatedAt: Date.now(),
    sections: [
      {
        heading: 'Invocations',
        blocks: [
          {
            kind: 'table',
            columns: [
              { key: 'requestId', label: 'request id' },
              { key: 'status', label: 'status' },
              { key: 'durationMs', label: 'duration', align: 'right', format: 'ms' },
              { key: 'billedMs', label: 'billed', align: 'right', format: 'ms' },
              { key: 'initMs', label: 'init', align: 'right', format: 'ms' },
              { key: 'memory', label: 'memory used', align: 'right' },
              { key: 'clientMs', label: 'client latency', align: 'right', format: 'ms' },
            ],
            rows: invocations.map((i) => ({
              requestId: i.requestId,
              status: i.functionError === undefined ? (i.report?.status ?? `HTTP ${i.statusCode ?? '?'}`) : `${i.functionError} ${i.errorType ?? '?'}`,
              durationMs: i.report?.durationMs,
              billedMs: i.report?.billedDurationMs,
              initMs: i.report?.initDurationMs,
              memory: i.report === undefined ? undefined : `${i.report.maxMemoryUsedMB}/${i.report.memorySizeMB} MB`,
              clientMs: i.clientLatencyMs,
            })),
          },
        ],
      },
      {
        heading: 'Summary',
        blocks: [
          { kind: 'table', columns: STATS_COLUMNS, rows: reportsStats(reports, invocations.map((i) => i.clientLatencyMs)) },
          {
            kind: 'keyValue',
            entries: [
              { label: 'invocations', value: invocations.length, format: 'integer' },
              { label: 'with a REPORT', value: reports.length, format: 'integer' },
              { label: 'function errors', value: invocations.filter((i) => i.functionError !== undefined).length, format: 'integer' },
              { label: 'cost', value: total.totalUSDExact, format: 'usd' },
            ],
          },
        ],
      },
    ],
  };
}

/** `lambda-meter invoke <function>`. */
export function invokeCommand(program: Command, io: CliIo, signal: AbortSignal | undefined): void {
  withCommonOptions(program.command('invoke').argument('<function>', 'function name, name:qualifier or ARN'))
    .description('invoke with LogType Tail and print each REPORT, client latency and cost')
    .option('--payload <json>', 'the event, as JSON')
    .option('--qualifier <version|alias>', 'version or alias to invoke')
    .option('--count <n>', 'invocations', '1')
    .option('--concurrency <n>', 'invocations at once', '1')
    .action(async (functionName: string, options: CommonOptions & { payload?: string; qualifier?: string; count: string; concurrency: string }) => {
      const count = wholeNumber(options.count, '--count', 1) as number;
      const concurrency = wholeNumber(options.concurrency, '--concurrency', 1) as number;
      const payload = jsonValue(options.payload, '--payload');
      await withClients(options, 'lambda-meter invoke', async (clients) => {
        const progress = createProgress('invoke', { write: io.stderr, ...(io.tty === undefined ? {} : { tty: io.tty }) });
        try {
          const invocations = await invokeMany(
            await clients.lambda(),
            { functionName, count, concurrency, ...(options.qualifier === undefined ? {} : { qualifier: options.qualifier }), ...(payload === undefined ? {} : { payload }) },
            { ...(signal === undefined ? {} : { signal }), onProgress: (p) => progress.update(p.completed, p.total ?? count, functionName) },
          );
          progress.stop();
          await writeResult(io, options, invocations.map(({ payload: body, ...rest }) => ({ ...rest, payload: Buffer.from(body).toString('utf8') })), () =>
            invocationsDocument(functionName, invocations),
          );
          // Function errors: the result is written, then their errorType and errorMessage, and exit code 1.
          const failure = invocationFailure(invocations);
          if (failure !== undefined) throw failure;
        } finally {
          progress.stop();
        }
      });
    });
}

/** `lambda-meter reports <function>`. */
export function reportsCommand(program: Command, io: CliIo, signal: AbortSignal | undefined): void {
  withCommonOptions(program.command('reports').argument('<function>', 'function name'))
    .description('pull every REPORT of a time range through Logs Insights and summarise them')
    .option('--since <duration>', 'how far back, e.g. 30m, 3h, 2d (default 1h)')
    .option('--start <iso>', 'range start (instead of --since)')
    .option('--end <iso>', 'range end (default now)')
    .option('--log-group <name>', 'log group (default /aws/lambda/<function>)')
    .action(async (functionName: string, options: CommonOptions & { since?: string; start?: string; end?: string; logGroup?: string }) => {
      const range = timeRange(options);
      await withClients(options, 'lambda-meter reports', async (clients) => {
        const reports = await queryReports(
          await clients.logs(),
          { ...(options.logGroup === undefined ? { functionName } : { logGroupName: options.logGroup }), ...range },
          signal === undefined ? {} : { signal },
        );
        const total = sumCosts(reports.map((r) => reportCost(r)));
        await writeResult(io, options, reports, () => ({
          title: `REPORTs of ${functionName}`,
          subtitle: `${new Date(range.startTime).toISOString()} to ${new Date(range.endTime).toISOString()}`,
          generatedAt: Date.now(),
          sections: [
            {
              heading: 'Summary',
              blocks: [
                { kind: 'table', columns: STATS_COLUMNS, rows: reportsStats(reports) },
                {
                  kind: 'keyValue',
                  entries: [
                    { label: 'invocations', value: reports.length, format: 'integer' },
                    { label: 'cold starts', value: reports.filter((r) => r.coldStart).length, format: 'integer' },
                    { label: 'not successful', value: reports.filter((r) => r.status !== 'success').length, format: 'integer' },
                    { label: 'peak memory used (MB)', value: reports.length === 0 ? undefined : Math.max(...reports.map((r) => r.maxMemoryUsedMB)), format: 'integer' },
                    { label: 'cost', value: total.totalUSDExact, format: 'usd' },
                  ],
                },
              ],
            },
          ],
        }));
      });
    });
}

/** `lambda-meter metrics <function>`. */
export function metricsCommand(program: Command, io: CliIo, signal: AbortSignal | undefined): void {
  withCommonOptions(program.command('metrics').argument('<function>', 'function name'))
    .description('fetch AWS/Lambda metrics of a function')
    .option('--metrics <names>', 'comma-separated metric names', 'Invocations,Errors,Throttles,Duration,ConcurrentExecutions')
    .option('--since <duration>', 'how far back, e.g. 30m, 3h (default 3h)')
    .option('--start <iso>', 'range start (instead of --since)')
    .option('--end <iso>', 'range end (default now)')
    .option('--period <seconds>', 'period of each datapoint', '60')
    .option('--stat <statistic>', 'statistic for every metric (default: each metric\'s own)')
    .option('--qualifier <version|alias>', 'the Resource dimension')
    .action(async (functionName: string, options: CommonOptions & { metrics: string; since?: string; start?: string; end?: string; period: string; stat?: string; qualifier?: string }) => {
      const names = options.metrics.split(',').map((n) => n.trim()).filter((n) => n !== '');
      const known = Object.keys(LAMBDA_METRICS);
      const unknown = names.filter((n) => !known.includes(n));
      if (names.length === 0 || unknown.length > 0) {
        throw new InvalidInputError('--metrics', `unknown metric ${unknown.join(', ') || '(none)'}; known: ${known.join(', ')}`);
      }
      const range = timeRange(options, '3h');
      const periodSeconds = wholeNumber(options.period, '--period', 1) as number;
      await withClients(options, 'lambda-meter metrics', async (clients) => {
        const series = await fetchLambdaMetrics(
          await clients.cloudwatch(),
          {
            functionName,
            metrics: names as LambdaMetricName[],
            periodSeconds,
            ...range,
            ...(options.stat === undefined ? {} : { stat: options.stat }),
            ...(options.qualifier === undefined ? {} : { qualifier: options.qualifier }),
          },
          signal === undefined ? {} : { signal },
        );
        const times = [...new Set(Object.values(series).flatMap((s) => s.points.map((p) => p.timestamp)))].sort((a, b) => a - b);
        await writeResult(io, options, series, () => ({
          title: `AWS/Lambda metrics of ${functionName}`,
          subtitle: `${new Date(range.startTime).toISOString()} to ${new Date(range.endTime).toISOString()}, ${periodSeconds} s periods`,
          generatedAt: Date.now(),
          sections: [
            {
              heading: 'Datapoints',
              blocks: [
                {
                  kind: 'table',
                  columns: [{ key: 'time', label: 'time (UTC)' }, ...names.map((n) => ({ key: n, label: n, align: 'right' as const, format: 'number' as const }))],
                  rows: times.map((t) => ({
                    time: new Date(t).toISOString().slice(0, 19).replace('T', ' '),
                    ...Object.fromEntries(names.map((n) => [n, series[n as LambdaMetricName]?.points.find((p) => p.timestamp === t)?.value])),
                  })),
                },
                {
                  kind: 'chart',
                  chart: {
                    type: 'line',
                    title: `${functionName}: ${names.join(', ')}`,
                    y: { label: 'value' },
                    series: names.map((n) => ({ name: n, points: (series[n as LambdaMetricName]?.points ?? []).map((p) => ({ time: p.timestamp, value: p.value })) })),
                  },
                },
              ],
            },
          ],
        }));
      });
    });
}

/** `lambda-meter cost`. */
export function costCommand(program: Command, io: CliIo): void {
  program
    .command('cost')
    .description('price invocations: one (--memory, --duration), a month of traffic (--invocations), or every REPORT of a log (--log)')
    .option('--memory <MB>', 'memory size')
    .option('--duration <ms>', 'duration of one invocation (rounded up to 1 ms)')
    .option('--billed <ms>', 'billed duration of one invocation')
    .option('--invocations <n>', 'invocations per month (with --duration or --billed: the average)')
    .option('--log <file>', 'a Lambda log file (text, JSON or mixed): price every REPORT in it')
    .option('--arch <x86_64|arm64>', 'architecture', 'x86_64')
    .option('--region <name>', 'Region of the prices', 'us-east-1')
    .option('--free-tier', 'subtract the monthly free tier')
    .option('--async-payload <bytes>', 'asynchronous invocations with events of this size: each 64 KB beyond 256 KB is one more request')
    .option('--json', 'print the result as JSON')
    .option('--md', 'print the report as Markdown')
    .option('--html <file>', 'write the report as a self-contained HTML page')
    .action(async (options: CommonOptions & { memory?: string; duration?: string; billed?: string; invocations?: string; log?: string; arch: string; region: string; freeTier?: boolean; asyncPayload?: string }) => {
      const architecture = architectureFlag(options.arch, '--arch') as Architecture;
      const region = options.region;
      const asyncPayloadBytes = wholeNumber(options.asyncPayload, '--async-payload', 0);
      asyncRequestCount(asyncPayloadBytes, '--async-payload'); // the cost module's own check, naming the flag
      const payload = asyncPayloadBytes === undefined ? {} : { asyncPayloadBytes };
      if (options.log !== undefined) {
        let text: string;
        try {
          text = await readFile(options.log, 'utf8');
        } catch (error) {
          throw new InvalidInputError('--log', `cannot read ${options.log}: ${(error as Error).message}`, { cause: error });
        }
        const reports = parseLog(text).reports;
        const costs = reports.map((r) => reportCost(r, { architecture, region, ...payload }));
        const total = sumCosts(costs);
        await writeResult(io, options, { reports, costs, total }, () => ({
          title: `Cost of the REPORTs in ${options.log}`,
          subtitle: `${region}, ${architecture}`,
          generatedAt: Date.now(),
          sections: [
            {
              heading: 'Invocations',
              blocks: [
                {
                  kind: 'table',
                  columns: [
                    { key: 'requestId', label: 'request id' },
                    { key: 'billed', label: 'billed', align: 'right', format: 'ms' },
                    { key: 'memory', label: 'memory', align: 'right', format: 'mb' },
                    { key: 'usd', label: 'cost', align: 'right', format: 'usd' },
                  ],
                  rows: reports.map((r, i) => ({ requestId: r.requestId, billed: r.billedDurationMs, memory: r.memorySizeMB, usd: costs[i]?.totalUSDExact })),
                },
                { kind: 'keyValue', entries: [{ label: 'invocations', value: reports.length, format: 'integer' }, { label: 'total', value: total.totalUSDExact, format: 'usd' }] },
              ],
            },
          ],
        }));
        return;
      }
      const memorySizeMB = wholeNumber(options.memory, '--memory', 128);
      if (memorySizeMB === undefined) throw new InvalidInputError('--memory', 'is required (or give --log FILE)');
      const durationMs = options.duration === undefined ? undefined : Number(options.duration);
      const billedDurationMs = wholeNumber(options.billed, '--billed', 0);
      if (durationMs !== undefined && !(durationMs >= 0)) throw new InvalidInputError('--duration', `must be a number of milliseconds, got ${JSON.stringify(options.duration)}`);
      if (durationMs === undefined && billedDurationMs === undefined) throw new InvalidInputError('--duration', 'give --duration or --billed');
      const perInvocation = invocationCost({ memorySizeMB, architecture, region, ...payload, ...(durationMs === undefined ? {} : { durationMs }), ...(billedDurationMs === undefined ? {} : { billedDurationMs }) });
      const invocations = wholeNumber(options.invocations, '--invocations', 0);
      const month =
        invocations === undefined
          ? undefined
          : monthlyCost({ invocations, memorySizeMB, architecture, region, ...payload, averageBilledDurationMs: billedDurationMs ?? Math.ceil(durationMs as number), freeTier: options.freeTier === true });
      await writeResult(io, options, { perInvocation, month }, () => ({
        title: `Cost at ${memorySizeMB} MB`,
        subtitle: `${region}, ${architecture}`,
        generatedAt: Date.now(),
        sections: [
          {
            heading: 'Prices',
            blocks: [
              {
                kind: 'keyValue',
                entries: [
                  { label: 'GB-seconds per invocation', value: perInvocation.gbSecondsExact },
                  { label: 'per invocation', value: perInvocation.totalUSDExact, format: 'usd' },
                  { label: 'per million invocations', value: perInvocation.totalUSD * 1e6, format: 'usd' },
                  ...(month === undefined
                    ? []
                    : [
                        { label: `month of ${formatCount(month.invocations)} invocations`, value: month.totalUSDExact, format: 'usd' as const },
                        { label: 'of which compute', value: month.computeUSDExact, format: 'usd' as const },
                        { label: 'of which requests', value: month.requestUSDExact, format: 'usd' as const },
                      ]),
                ],
              },
            ],
          },
        ],
      }));
    });
}
