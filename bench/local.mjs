// Bench of lambda-meter/local, against the BUILT package (npm run bench builds first).
//   node bench/local.mjs [--json] [--warmup N] [--warm N] [--colds N] [--many N] [--cpu proportional|unlimited]
//   LM_DIST=<dir> node bench/local.mjs      (a build other than ../dist)
// Three figures, each measured side by side in one run:
//   1. warm invoke round trip of an empty handler at 1,769 MB, sequential: a bare keep-alive `http.request` POST to
//      the Invoke path, `LambdaClient.send(InvokeCommand)`, and lambda-meter's `invokeWithTail` (LogType Tail, parsed
//      REPORT), in interleaved blocks; p50/p90/p99 of each, and the SDK's share of the p50. Goal: SDK p50 < 2 ms.
//      The calls are measured after a warm-up of --warmup calls per variant (default 1,000): a fresh process and a
//      fresh environment take about 2,000 calls to reach their steady speed (V8 compiles the hot paths of the client,
//      of local's server and of the environment's runtime client as they get hot). The warm-up is printed too, as the
//      SDK variant's p50 per 250 of its calls, so the transient is visible beside the steady state.
//   2. cold start of an empty Node.js handler (`export const handler = async () => ({})`), a new function each time:
//      the REPORT's Init Duration and the client-observed latency of the cold invoke, beside a fresh
//      `node -e "await import(handler)"` process started in the same round. Goal: Init Duration median < 150 ms.
//   3. N invocations (1,000) at concurrency 10 through invokeMany, then the REPORT lines counted in the LogStore and
//      read back with queryReports (Logs Insights). Goal: every REPORT present.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';

const args = process.argv.slice(2);
const json = args.includes('--json');
function numberArg(name, fallback) {
  const at = args.indexOf(name);
  if (at === -1) return fallback;
  const value = Number(args[at + 1]);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`bench/local: ${name} needs a positive integer`);
    process.exit(2);
  }
  return value;
}
const WARMUP = numberArg('--warmup', 1000);
const WARM = numberArg('--warm', 1000);
const COLDS = numberArg('--colds', 20);
const MANY = numberArg('--many', 1000);
const cpuAt = args.indexOf('--cpu');
const CPU = cpuAt === -1 ? 'proportional' : args[cpuAt + 1];
if (CPU !== 'proportional' && CPU !== 'unlimited') {
  console.error('bench/local: --cpu is proportional or unlimited');
  process.exit(2);
}
const BLOCK = 25; // invocations per variant before the next variant takes its turn
const CURVE_STEP = 250; // calls of the SDK variant per point of the warm-up curve
const GOAL_WARM_P50_MS = 2;
const GOAL_COLD_INIT_MS = 150;

const dist = process.env.LM_DIST ? resolve(process.env.LM_DIST) : fileURLToPath(new URL('../dist', import.meta.url));
const entry = (sub) => join(dist, sub, 'index.js');
for (const sub of ['local', 'invoke', 'insights']) {
  if (!existsSync(entry(sub))) {
    console.error(`bench/local: ${entry(sub)} does not exist. Run \`npm run build\` first (or set LM_DIST).`);
    process.exit(1);
  }
}
const { startLocalLambda } = await import(pathToFileURL(entry('local')).href);
const { invokeWithTail, invokeMany } = await import(pathToFileURL(entry('invoke')).href);
const { queryReports } = await import(pathToFileURL(entry('insights')).href);

const median = (values) => quantile(values, 0.5);
function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const at = (sorted.length - 1) * q; // type-7, as lambda-meter/stats
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}
const spread = (values) => ({ p50: quantile(values, 0.5), p90: quantile(values, 0.9), p99: quantile(values, 0.99), n: values.length });

const scratch = mkdtempSync(join(os.tmpdir(), 'lm-bench-local-'));
const emptyHandler = join(scratch, 'empty.mjs');
writeFileSync(emptyHandler, 'export const handler = async () => ({});\n');
const fn = (name) => ({ name, handler: `${emptyHandler}#handler`, memorySizeMB: 1769 });

const local = await startLocalLambda({ functions: [fn('warm'), fn('many')], timeScale: 10, cpu: CPU });
const lambda = new LambdaClient(local.clientConfig());
const logs = new CloudWatchLogsClient(local.clientConfig());
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const { hostname, port } = new URL(local.endpoint);

/** The Invoke call the SDK makes, without the SDK: one keep-alive POST, the answer read to its end. */
function bareInvoke(functionName) {
  return new Promise((resolveCall, reject) => {
    const request = http.request(
      { agent, hostname, port, method: 'POST', path: `/2015-03-31/functions/${functionName}/invocations`, headers: { 'content-type': 'application/json', 'content-length': 2 } },
      (response) => {
        response.on('data', () => {});
        response.on('end', () => (response.statusCode === 200 ? resolveCall() : reject(new Error(`HTTP ${response.statusCode}`))));
      },
    );
    request.on('error', reject);
    request.end('{}');
  });
}

const result = { machine: undefined, settings: { warmup: WARMUP, warm: WARM, colds: COLDS, many: MANY, cpu: local.lambda.cpuControl } };
try {
  // ---- 1. warm round trip ------------------------------------------------------------------------------------
  const variants = {
    'http.request': () => bareInvoke('warm'),
    'SDK send(Invoke)': () => lambda.send(new InvokeCommand({ FunctionName: 'warm', Payload: Buffer.from('{}') })),
    invokeWithTail: () => invokeWithTail(lambda, { functionName: 'warm', payload: {} }),
  };
  const names = Object.keys(variants);
  /** Runs `perVariant` calls of each variant in interleaved blocks; their latencies and this process's CPU. */
  async function interleaved(perVariant) {
    const times = Object.fromEntries(names.map((n) => [n, []]));
    const cpuMs = Object.fromEntries(names.map((n) => [n, 0])); // this process's CPU: the client and local's server
    for (let block = 0; block < Math.ceil(perVariant / BLOCK); block++) {
      for (let k = 0; k < names.length; k++) {
        const name = names[(block + k) % names.length];
        const c0 = process.cpuUsage();
        for (let i = 0; i < BLOCK && times[name].length < perVariant; i++) {
          const t0 = performance.now();
          await variants[name]();
          times[name].push(performance.now() - t0);
        }
        const c = process.cpuUsage(c0);
        cpuMs[name] += (c.user + c.system) / 1000;
      }
    }
    return { times, cpuMs };
  }
  const warmup = await interleaved(WARMUP);
  const sdkWarmup = warmup.times['SDK send(Invoke)'];
  const curve = [];
  for (let at = 0; at < sdkWarmup.length; at += CURVE_STEP) curve.push(median(sdkWarmup.slice(at, at + CURVE_STEP)));
  const { times, cpuMs } = await interleaved(WARM);
  result.warm = Object.fromEntries(names.map((n) => [n, { ...spread(times[n]), parentCpuMsPerCall: cpuMs[n] / times[n].length }]));
  result.warm.sdkShareOfP50Ms = result.warm['SDK send(Invoke)'].p50 - result.warm['http.request'].p50;
  result.warm.environments = local.environments().filter((e) => e.functionName === 'warm').length;
  result.warm.warmupSdkP50PerStepMs = curve;
  result.warm.warmupCallsPerVariant = WARMUP;

  // ---- 2. cold starts ----------------------------------------------------------------------------------------
  const cold = { initMs: [], durationMs: [], clientMs: [], bareImportProcessMs: [] };
  const importScript = `await import(${JSON.stringify(pathToFileURL(emptyHandler).href)})`;
  for (let i = 0; i < COLDS; i++) {
    const name = `cold-${i}`;
    local.addFunction(fn(name));
    const run = await invokeWithTail(lambda, { functionName: name, payload: {} });
    if (!run.report?.coldStart) throw new Error(`${name}: no cold-start REPORT (${run.warnings.join('; ')})`);
    cold.initMs.push(run.report.initDurationMs);
    cold.durationMs.push(run.report.durationMs);
    cold.clientMs.push(run.clientLatencyMs);
    const t0 = performance.now();
    const bare = spawnSync(process.execPath, ['--input-type=module', '-e', importScript]);
    if (bare.status !== 0) throw new Error(`bare import failed: ${bare.stderr}`);
    cold.bareImportProcessMs.push(performance.now() - t0);
  }
  result.cold = {
    initMs: spread(cold.initMs),
    durationMs: spread(cold.durationMs),
    clientMs: spread(cold.clientMs),
    bareImportProcessMs: spread(cold.bareImportProcessMs),
    initOverBareProcess: median(cold.initMs.map((ms, i) => ms / cold.bareImportProcessMs[i])),
  };

  // ---- 3. many invocations, every REPORT in the logs -----------------------------------------------------------
  const startTime = Date.now() - 1000;
  const t0 = performance.now();
  const runs = await invokeMany(lambda, { functionName: 'many', payload: {} }, { count: MANY, concurrency: 10 });
  const elapsedMs = performance.now() - t0;
  const reportLines = local.logs
    .visibleEvents({ logGroupNames: ['/aws/lambda/many'] })
    .filter((e) => e.message.startsWith('REPORT RequestId: ')).length;
  const q0 = performance.now();
  const viaInsights = await queryReports(logs, { functionName: 'many', startTime, endTime: Date.now() + 1000 }, { pollMinDelayMs: 20 });
  const queryMs = performance.now() - q0;
  const sent = new Set(runs.map((r) => r.requestId));
  result.many = {
    invocations: runs.length,
    failed: runs.filter((r) => r.functionError !== undefined).length,
    withTailReport: runs.filter((r) => r.report !== undefined).length,
    elapsedMs,
    perSecond: (runs.length / elapsedMs) * 1000,
    reportLinesInLogStore: reportLines,
    reportsViaInsights: viaInsights.filter((r) => sent.has(r.requestId)).length,
    insightsQueryMs: queryMs,
    environments: local.environments().filter((e) => e.functionName === 'many').length,
  };
} finally {
  await local.stop();
  lambda.destroy();
  logs.destroy();
  agent.destroy();
  rmSync(scratch, { recursive: true, force: true });
}

result.machine = {
  cpu: os.cpus()[0]?.model?.trim() ?? 'unknown',
  cpus: os.cpus().length,
  node: process.version,
  platform: `${os.platform()} ${os.arch()}`,
  date: new Date().toISOString().slice(0, 10),
};
const sdkP50 = result.warm['SDK send(Invoke)'].p50;
const initP50 = result.cold.initMs.p50;
result.goals = {
  warmSdkP50Ms: { value: sdkP50, goal: GOAL_WARM_P50_MS },
  coldInitP50Ms: { value: initP50, goal: GOAL_COLD_INIT_MS },
  reportsComplete: { value: result.many.reportLinesInLogStore === MANY && result.many.reportsViaInsights === MANY, goal: true },
};

if (json) {
  console.log(JSON.stringify(result, null, 2));
} else {
  const m = result.machine;
  const num = (v, d = 2) => v.toFixed(d).padStart(10);
  const row = (label, s) => `${label.padEnd(34)}${num(s.p50)}${num(s.p90)}${num(s.p99)}${s.parentCpuMsPerCall === undefined ? '' : num(s.parentCpuMsPerCall)}`;
  const header = `${''.padEnd(34)}${'p50 ms'.padStart(10)}${'p90 ms'.padStart(10)}${'p99 ms'.padStart(10)}`;
  console.log(`machine: ${m.cpu} (${m.cpus} CPUs), node ${m.node}, ${m.platform}, ${m.date}`);
  console.log(`module:  ${entry('local')}`);
  const cpu = result.settings.cpu;
  console.log(`cpu:     ${cpu.mode}${cpu.mode === 'proportional' ? ` (${cpu.mechanism}): 1769 MB = one CPU` : ''}; load average ${os.loadavg()[0].toFixed(2)}`);
  console.log(`\nwarm invoke round trip, empty handler at 1769 MB (${WARM} sequential calls each, interleaved blocks of ${BLOCK}, ` +
    `after ${WARMUP} warm-up calls each)`);
  console.log(`warm-up: SDK send p50 per ${CURVE_STEP} of its calls, from the first: ` +
    result.warm.warmupSdkP50PerStepMs.map((v) => v.toFixed(2)).join(' ') + ' ms');
  console.log(`${header}${'CPU ms'.padStart(10)}   (CPU: this process per call, client + server)`);
  for (const name of ['http.request', 'SDK send(Invoke)', 'invokeWithTail']) console.log(row(name, result.warm[name]));
  console.log(`SDK's share of the p50: ${result.warm.sdkShareOfP50Ms.toFixed(2)} ms ` +
    `(${(sdkP50 / result.warm['http.request'].p50).toFixed(2)}x the bare POST); ${result.warm.environments} environment(s)`);
  console.log(`\ncold start of an empty handler at 1769 MB (${COLDS} new functions)`);
  console.log(header);
  console.log(row('REPORT Init Duration', result.cold.initMs));
  console.log(row('REPORT Duration', result.cold.durationMs));
  console.log(row('client latency of the cold invoke', result.cold.clientMs));
  console.log(row('node -e "await import(handler)"', result.cold.bareImportProcessMs));
  console.log(`Init Duration / bare node process (paired median): ${result.cold.initOverBareProcess.toFixed(2)}x`);
  const many = result.many;
  console.log(`\n${MANY} invocations at concurrency 10: ${(many.elapsedMs / 1000).toFixed(2)} s, ${Math.round(many.perSecond)}/s, ` +
    `${many.environments} environments, ${many.failed} failed, ${many.withTailReport} REPORTs in the tails`);
  console.log(`REPORT lines in the LogStore: ${many.reportLinesInLogStore}; via Logs Insights (queryReports): ` +
    `${many.reportsViaInsights} (${many.insightsQueryMs.toFixed(0)} ms)`);
  console.log('');
  console.log(`local: warm invoke p50 through the SDK = ${sdkP50.toFixed(2)} ms (goal < ${GOAL_WARM_P50_MS} ms)`);
  console.log(`local: cold start Init Duration p50 = ${initP50.toFixed(1)} ms (goal < ${GOAL_COLD_INIT_MS} ms)`);
  console.log(`local: REPORTs of ${MANY} invocations = ${many.reportLinesInLogStore} in the store, ${many.reportsViaInsights} via Insights (goal: all)`);
}
