// Benchmark of lambda-meter/handler, against the BUILT module (npm run bench builds first).
//   node bench/handler.mjs [--json] [--rounds N] [--calls N] [--spawns N]
//   LM_HANDLER_MODULE=/tmp/lm-handler/index.js node bench/handler.mjs     (any built copy of the handler entry)
// Everything is measured side by side in one run, in interleaved rounds, and reported as medians, so the figures
// stay comparable on a noisy machine:
//   1. per-call overhead of withMeasurement (envelope, log, log+EMF) and of the middy hooks, minus a bare call;
//   2. the monotonic clocks the wrapper could use (a start/stop pair per call, and the first use in a fresh process);
//   3. import time: fresh `node --input-type=module -e "await import(handler)"` vs the same importing an empty
//      module (any first import() pays for Node's ESM loader) and vs `-e ""`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const json = args.includes('--json');
function numberArg(name, fallback) {
  const at = args.indexOf(name);
  if (at === -1) return fallback;
  const value = Number(args[at + 1]);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`bench/handler: ${name} needs a positive integer`);
    process.exit(2);
  }
  return value;
}
const ROUNDS = numberArg('--rounds', 31);
const CALLS = numberArg('--calls', 20_000);
const SPAWNS = numberArg('--spawns', 30);
const GOAL_OVERHEAD_US = 1;
const GOAL_IMPORT_MS = 2;

const modulePath = process.env.LM_HANDLER_MODULE
  ? resolve(process.env.LM_HANDLER_MODULE)
  : fileURLToPath(new URL('../dist/handler/index.js', import.meta.url));
if (!existsSync(modulePath)) {
  console.error(`bench/handler: ${modulePath} does not exist. Run \`npm run build\`, or build the entry alone:\n` +
    '  npx esbuild src/handler/index.ts --bundle --format=esm --platform=node --target=node20 --outfile=/tmp/lm-handler/index.js\n' +
    '  LM_HANDLER_MODULE=/tmp/lm-handler/index.js node bench/handler.mjs');
  process.exit(1);
}
const moduleUrl = pathToFileURL(modulePath).href;
const { withMeasurement, lambdaMeterMiddleware } = await import(moduleUrl);

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const now = () => process.hrtime.bigint();

// ---- 1. per-call overhead -------------------------------------------------------------------------------------
const context = {
  awsRequestId: '8f5f1d2e-3c4b-4a59-9d7e-1b2c3d4e5f60',
  functionName: 'bench-function',
  functionVersion: '$LATEST',
  memoryLimitInMB: '1024',
  callbackWaitsForEmptyEventLoop: true,
};
const event = { n: 21 };
const noopOutput = { write() {} };
const bare = async (e) => e.n * 2;
const middleware = lambdaMeterMiddleware();

const variants = {
  bare: async () => {
    for (let i = 0; i < CALLS; i++) await bare(event, context);
  },
  envelope: makeLoop(withMeasurement(bare)),
  log: makeLoop(withMeasurement(bare, { mode: 'log', output: noopOutput })),
  'log + EMF': makeLoop(withMeasurement(bare, { mode: 'log', emf: true, output: noopOutput })),
  // What a middy chain pays for the two hooks around the same bare handler.
  'middy hooks': async () => {
    for (let i = 0; i < CALLS; i++) {
      const request = { event, context, response: undefined, error: undefined, internal: {} };
      middleware.before(request);
      request.response = await bare(event, context);
      middleware.after(request);
    }
  },
  'middy request only': async () => {
    for (let i = 0; i < CALLS; i++) {
      const request = { event, context, response: undefined, error: undefined, internal: {} };
      request.response = await bare(event, context);
    }
  },
};
function makeLoop(fn) {
  return async () => {
    for (let i = 0; i < CALLS; i++) await fn(event, context);
  };
}

const names = Object.keys(variants);
const perCall = Object.fromEntries(names.map((n) => [n, []]));
const WARMUP = 3;
for (let round = 0; round < ROUNDS + WARMUP; round++) {
  // Rotate the order each round so that no variant always runs first (or right after garbage collection).
  for (let k = 0; k < names.length; k++) {
    const name = names[(round + k) % names.length];
    const t0 = now();
    await variants[name]();
    const ns = Number(now() - t0) / CALLS;
    if (round >= WARMUP) perCall[name].push(ns);
  }
}
// Overhead = median over rounds of (variant - its baseline in the same round).
const pairedOverhead = (name, baseline) => median(perCall[name].map((ns, i) => ns - perCall[baseline][i]));
const overhead = {
  envelope: pairedOverhead('envelope', 'bare'),
  log: pairedOverhead('log', 'bare'),
  'log + EMF': pairedOverhead('log + EMF', 'bare'),
  'middy hooks': pairedOverhead('middy hooks', 'middy request only'),
};

// ---- 2. clocks -------------------------------------------------------------------------------------------------
const clockPairs = {
  'performance.now()': () => {
    const s = performance.now();
    return performance.now() - s;
  },
  'process.hrtime.bigint()': () => {
    const s = process.hrtime.bigint();
    return Number(process.hrtime.bigint() - s) / 1e6;
  },
  'process.hrtime()': () => {
    const d = process.hrtime(process.hrtime());
    return d[0] * 1e3 + d[1] / 1e6;
  },
};
const clockNs = Object.fromEntries(Object.keys(clockPairs).map((n) => [n, []]));
let sink = 0;
for (let round = 0; round < 11; round++) {
  for (const [name, pair] of Object.entries(clockPairs)) {
    const t0 = now();
    for (let i = 0; i < 200_000; i++) sink += pair();
    clockNs[name].push(Number(now() - t0) / 200_000);
  }
}
// First use in a fresh process: the global `performance` is created lazily by Node on first access.
const firstUseScript = (expr) =>
  `const t0 = process.hrtime.bigint(); ${expr}; console.log(Number(process.hrtime.bigint() - t0) / 1e6);`;
const firstUse = { 'performance.now()': [], 'process.hrtime.bigint()': [] };
for (let i = 0; i < 7; i++) {
  for (const [name, expr] of [['performance.now()', 'performance.now()'], ['process.hrtime.bigint()', 'process.hrtime.bigint()']]) {
    const out = spawnSync(process.execPath, ['-e', firstUseScript(expr)], { encoding: 'utf8' });
    firstUse[name].push(Number(out.stdout.trim()));
  }
}
const clocks = Object.fromEntries(Object.keys(clockPairs).map((n) => [n, {
  pairNs: median(clockNs[n]),
  firstUseMs: firstUse[n] ? median(firstUse[n]) : undefined,
}]));

// ---- 3. import time --------------------------------------------------------------------------------------------
// Three kinds of fresh process, in rotating order: `-e ""`, importing an empty ES module, and importing the handler
// module. Each importing child also times its own `await import()` (wall and CPU). The goal's figure is the median,
// over rounds, of (handler import - empty-module import) timed inside the children: it leaves out process start-up,
// whose jitter on a busy machine is larger than the module's whole cost, and Node's ESM loader set-up, which any
// first import() pays. The whole-process differences the brief describes are shown beside it.
const scratch = mkdtempSync(join(os.tmpdir(), 'lm-bench-handler-'));
const emptyModuleUrl = pathToFileURL(join(scratch, 'empty.mjs')).href;
writeFileSync(join(scratch, 'empty.mjs'), '');
const importScript = (url) => 'const c0 = process.cpuUsage(); const t0 = process.hrtime.bigint(); ' +
  `await import(${JSON.stringify(url)}); const ms = Number(process.hrtime.bigint() - t0) / 1e6; ` +
  'const c = process.cpuUsage(c0); process.stdout.write(JSON.stringify({ ms, cpuMs: (c.user + c.system) / 1000 }));';
const spawnKinds = { empty: '', emptyModule: importScript(emptyModuleUrl), handler: importScript(moduleUrl) };
function spawnMs(script) {
  const t0 = now();
  const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  const ms = Number(now() - t0) / 1e6;
  if (out.status !== 0) throw new Error(`child failed: ${out.stderr}`);
  return { ms, inside: script === '' ? undefined : JSON.parse(out.stdout) };
}
// The CommonJS build, required by a plain `node -e` (no ESM loader set-up), against the same plain `node -e ""`.
const cjsPath = modulePath.replace(/\.js$/, '.cjs');
function spawnCjsMs(code) {
  const t0 = now();
  const out = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`child failed: ${out.stderr}`);
  return Number(now() - t0) / 1e6;
}
const cjsCodes = { cjsEmpty: '', cjsHandler: `require(${JSON.stringify(cjsPath)})` };
const spawns = { empty: [], emptyModule: [], handler: [], cjsEmpty: [], cjsHandler: [] };
const inside = { emptyModule: [], handler: [] };
try {
  for (const script of Object.values(spawnKinds)) spawnMs(script); // warm the file cache
  const kinds = Object.keys(spawnKinds);
  for (let i = 0; i < SPAWNS; i++) {
    for (let k = 0; k < kinds.length; k++) {
      const kind = kinds[(i + k) % kinds.length];
      const run = spawnMs(spawnKinds[kind]);
      spawns[kind].push(run.ms);
      if (run.inside !== undefined) inside[kind].push(run.inside);
    }
    const cjsOrder = i % 2 === 0 ? ['cjsEmpty', 'cjsHandler'] : ['cjsHandler', 'cjsEmpty'];
    for (const kind of cjsOrder) spawns[kind].push(spawnCjsMs(cjsCodes[kind]));
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const pairedMs = (a, b) => median(spawns[a].map((ms, i) => ms - spawns[b][i]));
const pairedInside = (field) => median(inside.handler.map((run, i) => run[field] - inside.emptyModule[i][field]));
const importAddedMs = pairedInside('ms');

// ---- report ----------------------------------------------------------------------------------------------------
const machine = {
  cpu: os.cpus()[0]?.model?.trim() ?? 'unknown',
  cpus: os.cpus().length,
  node: process.version,
  platform: `${os.platform()} ${os.arch()}`,
  date: new Date().toISOString().slice(0, 10),
};
const result = {
  machine,
  module: modulePath,
  settings: { rounds: ROUNDS, callsPerRound: CALLS, spawns: SPAWNS },
  perCallNs: Object.fromEntries(names.map((n) => [n, median(perCall[n])])),
  overheadNs: overhead,
  clocks,
  import: {
    addedMs: importAddedMs,
    addedCpuMs: pairedInside('cpuMs'),
    insideEmptyModuleMs: median(inside.emptyModule.map((run) => run.ms)),
    insideHandlerMs: median(inside.handler.map((run) => run.ms)),
    processEmptyNodeMs: median(spawns.empty),
    processEmptyModuleMs: median(spawns.emptyModule),
    processHandlerMs: median(spawns.handler),
    processAddedVsEmptyModuleMs: pairedMs('handler', 'emptyModule'),
    processAddedVsEmptyNodeMs: pairedMs('handler', 'empty'),
    processCjsEmptyNodeMs: median(spawns.cjsEmpty),
    processCjsHandlerMs: median(spawns.cjsHandler),
    processCjsAddedVsEmptyNodeMs: pairedMs('cjsHandler', 'cjsEmpty'),
  },
  goals: {
    overheadPerCallUs: { value: Math.max(overhead.envelope, overhead.log, overhead['log + EMF']) / 1000, goal: GOAL_OVERHEAD_US },
    importAddedMs: { value: importAddedMs, goal: GOAL_IMPORT_MS },
  },
};
globalThis.sink = sink;

if (json) {
  console.log(JSON.stringify(result, null, 2));
} else {
  const pad = (s, n) => String(s).padEnd(n);
  const num = (v, d = 1) => (v === undefined ? '' : v.toFixed(d)).padStart(10);
  console.log(`machine: ${machine.cpu} (${machine.cpus} CPUs), node ${machine.node}, ${machine.platform}, ${machine.date}`);
  console.log(`module:  ${modulePath}`);
  console.log(`\nper call (${ROUNDS} interleaved rounds of ${CALLS} awaited calls, medians)`);
  console.log(`${pad('variant', 22)}${'ns/call'.padStart(10)}${'overhead'.padStart(10)}`);
  for (const n of names) {
    console.log(`${pad(n, 22)}${num(result.perCallNs[n])}${overhead[n] === undefined ? '' : num(overhead[n])}`);
  }
  console.log('(middy hooks overhead is against the same loop that only builds the request object)');
  console.log('\nclocks (start/stop pair per call; first use in a fresh process)');
  console.log(`${pad('clock', 26)}${'ns/pair'.padStart(10)}${'first ms'.padStart(10)}`);
  for (const [n, c] of Object.entries(clocks)) console.log(`${pad(n, 26)}${num(c.pairNs)}${num(c.firstUseMs, 3)}`);
  const im = result.import;
  console.log(`\nimport time (${SPAWNS} rounds of 3 fresh processes in rotating order, medians)`);
  console.log(`${pad('process', 40)}${'process ms'.padStart(12)}${'import() ms'.padStart(12)}`);
  console.log(`${pad('node --input-type=module -e ""', 40)}${num(im.processEmptyNodeMs, 2).padStart(12)}`);
  console.log(`${pad('… -e "await import(empty module)"', 40)}${num(im.processEmptyModuleMs, 2).padStart(12)}` +
    `${num(im.insideEmptyModuleMs, 2).padStart(12)}`);
  console.log(`${pad('… -e "await import(handler module)"', 40)}${num(im.processHandlerMs, 2).padStart(12)}` +
    `${num(im.insideHandlerMs, 2).padStart(12)}`);
  console.log(`added by the handler module, inside the process: ${im.addedMs.toFixed(2)} ms wall, ` +
    `${im.addedCpuMs.toFixed(2)} ms CPU`);
  console.log(`whole processes: ${im.processAddedVsEmptyModuleMs.toFixed(2)} ms vs the empty module, ` +
    `${im.processAddedVsEmptyNodeMs.toFixed(2)} ms vs -e "" (includes Node's ESM loader set-up and start-up jitter)`);
  console.log(`${pad('node -e ""', 40)}${num(im.processCjsEmptyNodeMs, 2).padStart(12)}`);
  console.log(`${pad('node -e "require(handler .cjs)"', 40)}${num(im.processCjsHandlerMs, 2).padStart(12)}`);
  console.log(`whole processes, CommonJS: ${im.processCjsAddedVsEmptyNodeMs.toFixed(2)} ms vs node -e "" (paired median)`);
  console.log('');
  console.log(`handler: overhead per call = ${(result.goals.overheadPerCallUs.value).toFixed(2)} µs (goal < ${GOAL_OVERHEAD_US} µs; worst of the three modes)`);
  console.log(`handler: import time added = ${importAddedMs.toFixed(1)} ms (goal < ${GOAL_IMPORT_MS} ms)`);
}
