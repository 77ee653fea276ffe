// Checks of the BUILT package (run by `npm test` after the build): every subpath loads as ESM and as CJS with the same
// exports, the root re-exports the core modules only and loads no child_process/http/https/tls/net module, error
// guards work across the two copies, without the optional AWS SDK peers installed the root still
// imports while an AWS-facing call fails with an error naming the package to install, and the built
// lambda-meter/handler files are self-contained and do nothing at import.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import assert from 'node:assert/strict';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const require = createRequire(join(root, 'package.json'));
const subpaths = Object.keys(pkg.exports).filter((k) => k !== './package.json');
// What the root re-exports (issue 9 §3): the core modules a benchmark script needs.
const CORE_SUBPATHS = ['./report', './invoke', './insights', './metrics', './cost', './stats', './handler'];
let checks = 0;
let failures = 0;

async function check(name, fn) {
  try {
    await fn();
    checks++;
    console.log(`  ok  ${name}`);
  } catch (err) {
    failures++;
    console.log(`  FAIL ${name}\n       ${err && err.stack ? err.stack.split('\n').slice(0, 4).join('\n       ') : err}`);
  }
}

console.log('dist smoke checks');
const rootEsm = await import('lambda-meter');
const rootCjs = require('lambda-meter');

for (const sub of subpaths) {
  const spec = sub === '.' ? 'lambda-meter' : `lambda-meter/${sub.slice(2)}`;
  await check(`${spec}: ESM and CJS load with the same exports`, async () => {
    const esm = await import(spec);
    const cjs = require(spec);
    const esmKeys = Object.keys(esm).filter((k) => k !== 'default').sort();
    const cjsKeys = Object.keys(cjs).sort();
    assert.ok(esmKeys.length > 0, 'no exports');
    assert.deepEqual(esmKeys, cjsKeys);
    if (CORE_SUBPATHS.includes(sub)) {
      for (const key of esmKeys) assert.ok(key in rootEsm, `root does not re-export ${key} from ${spec}`);
    }
  });
}

await check('the root exports the core modules and the errors only: pipelines, local and reports come from their subpaths', async () => {
  const core = new Set();
  for (const sub of CORE_SUBPATHS) for (const key of Object.keys(await import(`lambda-meter/${sub.slice(2)}`))) core.add(key);
  const isError = (key) =>
    ['LambdaMeterError', 'isLambdaMeterError', 'ErrorNames'].includes(key) || rootEsm[key]?.prototype instanceof rootEsm.LambdaMeterError;
  const extra = Object.keys(rootEsm).filter((key) => key !== 'default' && !core.has(key) && !isError(key));
  assert.deepEqual(extra, [], `the root exports ${extra.join(', ')}`);
  for (const key of ['powerTune', 'measureColdStarts', 'diagnoseAsync', 'measureHttp', 'startLocalLambda', 'renderHtmlReport', 'LambdaService', 'LogStore', 'MetricStore', 'FaultInjector']) {
    assert.equal(key in rootEsm, false, `the root exports ${key}`);
  }
  const local = await import('lambda-meter/local');
  for (const key of ['LambdaService', 'LogStore', 'MetricStore', 'FaultInjector']) assert.equal(key in local, false, `lambda-meter/local exports ${key}`);
});

await check('root exposes one public function per module', () => {
  for (const fn of ['parseReportLine', 'parseLog', 'decodeLogResult', 'invokeWithTail', 'invokeMany', 'runInsightsQuery',
    'queryReports', 'iterateReports', 'matchReports', 'fetchMetricData', 'lambdaMetricQueries', 'fetchLambdaMetrics',
    'invocationCost', 'reportCost', 'monthlyCost', 'summarize', 'histogram', 'trimmedMean', 'withMeasurement',
    'lambdaMeterMiddleware', 'isLambdaMeterError']) {
    assert.equal(typeof rootEsm[fn], 'function', `${fn} missing from ESM root`);
    assert.equal(typeof rootCjs[fn], 'function', `${fn} missing from CJS root`);
  }
});

// Built-ins the root must not load: the root is what a benchmark script imports, so it starts no process, opens no
// socket and loads no HTTP stack; pipelines (measureHttp), local (servers, child processes) load them from their
// own subpaths. process.moduleLoadList lists every built-in a process has loaded ('NativeModule child_process', …).
const FORBIDDEN_BUILTINS = ['child_process', 'http', 'https', 'tls', 'net'];
const LOADED_BUILTINS = `
  const loaded = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice('NativeModule '.length));
  process.stdout.write(JSON.stringify({ count: loaded.length, forbidden: loaded.filter((m) => ${JSON.stringify(FORBIDDEN_BUILTINS)}.includes(m)) }));
`;
for (const [kind, args] of [
  ['ESM (dist/index.js)', ['--input-type=module', '-e', `await import('lambda-meter');${LOADED_BUILTINS}`]],
  ['CJS (dist/index.cjs)', ['-e', `require('lambda-meter');${LOADED_BUILTINS}`]],
]) {
  await check(`the root ${kind} loads no ${FORBIDDEN_BUILTINS.join(', ')} module in a fresh process`, () => {
    // Run from the package folder so that 'lambda-meter' resolves to this package through its exports.
    const stdout = execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    const { count, forbidden } = JSON.parse(stdout);
    assert.deepEqual(forbidden, [], `importing the root loaded ${forbidden.join(', ')} (${count} built-ins in all)`);
  });
}

await check('error guards recognise errors thrown by the other module format', () => {
  let fromCjs;
  try {
    rootCjs.parseLog('REPORT RequestId: x\tDuration: oops', { strict: true });
  } catch (err) {
    fromCjs = err;
  }
  assert.ok(fromCjs, 'strict parse of a broken REPORT did not throw');
  assert.equal(fromCjs instanceof rootEsm.ReportParseError, false, 'the two copies should be distinct classes');
  assert.equal(rootEsm.isLambdaMeterError(fromCjs), true);
  assert.equal(rootEsm.ReportParseError.is(fromCjs), true);
  assert.equal(rootEsm.QueryFailedError.is(fromCjs), false);
});

await check('without the AWS SDK peers: the root imports, AWS calls name the package to install', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lambda-meter-nopeers-'));
  try {
    const target = join(dir, 'node_modules', 'lambda-meter');
    cpSync(join(root, 'dist'), join(target, 'dist'), { recursive: true });
    cpSync(join(root, 'package.json'), join(target, 'package.json'));
    const script = `
      const lm = await import('lambda-meter');
      const sub = await Promise.all(['report','invoke','insights','metrics','cost','stats','handler','local','tune','coldstarts','diagnose','http','reports'].map((s) => import('lambda-meter/' + s)));
      const fake = { send: async () => { throw new Error('send must not be reached'); } };
      const out = {};
      const calls = {
        '@aws-sdk/client-lambda': () => lm.invokeWithTail(fake, { functionName: 'f' }),
        '@aws-sdk/client-cloudwatch-logs': () => lm.runInsightsQuery(fake, { logGroupNames: ['/aws/lambda/f'], queryString: 'fields @message', startTime: 0, endTime: 1000 }),
        '@aws-sdk/client-cloudwatch': () => lm.fetchMetricData(fake, { queries: lm.lambdaMetricQueries({ functionName: 'f', metrics: ['Invocations'] }), startTime: Date.now() - 3600000, endTime: Date.now() }),
      };
      for (const [name, call] of Object.entries(calls)) {
        try { await call(); out[name] = 'resolved'; } catch (e) { out[name] = [e.name, e.packageName, e.message]; }
      }
      const cjs = (await import('node:module')).createRequire(import.meta.url)('lambda-meter');
      out.cjsLoaded = typeof cjs.parseLog;
      out.subpaths = sub.length;
      console.log(JSON.stringify(out));
    `;
    writeFileSync(join(dir, 'probe.mjs'), script);
    const stdout = execFileSync(process.execPath, [join(dir, 'probe.mjs')], { cwd: dir, encoding: 'utf8' });
    const out = JSON.parse(stdout.trim().split('\n').pop());
    for (const name of ['@aws-sdk/client-lambda', '@aws-sdk/client-cloudwatch-logs', '@aws-sdk/client-cloudwatch']) {
      assert.ok(Array.isArray(out[name]), `${name}: call did not fail: ${out[name]}`);
      assert.equal(out[name][0], 'MissingPeerDependencyError');
      assert.equal(out[name][1], name);
      assert.match(out[name][2], new RegExp(`npm install ${name.replace('/', '\\/')}`));
    }
    assert.equal(out.cjsLoaded, 'function');
    assert.equal(out.subpaths, 13);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---- the built lambda-meter/handler files ----------------------------------------------------------------------------
// `lambda-meter/handler` goes into Lambda functions, so dist/handler/index.js and index.cjs (as tsup.config.ts builds
// them) must import nothing (no AWS SDK, no other lambda-meter subpath or shared chunk) and do nothing at import time.

// Size budgets (bytes). The unminified ESM file is ~13 KB today: mostly option validation and its messages. What
// matters at cold start is the cost of importing it, ~0.3–0.5 ms over an empty module (bench/handler.mjs); the budget
// leaves ~20% headroom and catches anything bundled in by mistake (../errors.js alone adds ~5 KB).
const HANDLER_BUDGET = { esm: 16 * 1024, cjs: 18 * 1024 };

// Loaded with --import before the probe: records the URL of every module resolved afterwards into $LM_RESOLVE_LOG.
// Node 22.15+/24 have synchronous in-thread hooks (module.registerHooks) that also see require(); Node 20 has
// module.register, whose off-thread hooks see import only (require.cache covers CJS there).
const REGISTER_HOOKS = `
import * as mod from 'node:module';
const hooks = new URL('./hooks.mjs', import.meta.url).href;
if (typeof mod.registerHooks === 'function') mod.registerHooks({ resolve: (await import(hooks)).resolve });
else mod.register(hooks);
`;
const RESOLVE_HOOKS = `
import { appendFileSync } from 'node:fs';
const record = (resolved) => { appendFileSync(process.env.LM_RESOLVE_LOG, resolved.url + '\\n'); return resolved; };
export function resolve(specifier, context, next) {
  const resolved = next(specifier, context);
  return typeof resolved?.then === 'function' ? resolved.then(record) : record(resolved);
}
`;
// The probe: load a control module first (to learn what Node itself reads from process.env while loading a module),
// then the handler file, watching process.env, process.stdout and the global object; then use the module.
const PROBE = `
// ESM targets arrive as file URLs, CJS ones as paths.
const [file, control, kind] = process.argv.slice(-3);
const load = (target) => kind === 'esm' ? import(target) : Promise.resolve(require(target));
const realEnv = process.env;
let envReads = [];
process.env = new Proxy(realEnv, { get(target, key) { if (typeof key === 'string') envReads.push(key); return Reflect.get(target, key); } });
const stdout = Object.getOwnPropertyDescriptor(process, 'stdout');
let stdoutReads = 0;
Object.defineProperty(process, 'stdout', { ...stdout, get() { stdoutReads++; return stdout.get.call(this); } });
(async () => {
  await load(control);
  const controlEnvReads = envReads;
  envReads = [];
  const globalsBefore = new Set(Object.getOwnPropertyNames(globalThis));
  const cacheBefore = Object.keys(require.cache);
  const m = await load(file);
  const atImport = {
    envReads: envReads.filter((key) => !controlEnvReads.includes(key)),
    stdoutReads,
    newGlobals: Object.getOwnPropertyNames(globalThis).filter((key) => !globalsBefore.has(key)),
    requireCacheAdded: Object.keys(require.cache).filter((key) => !cacheBefore.includes(key)),
    exports: Object.keys(m).filter((key) => key !== 'default').sort(),
  };
  envReads = [];
  realEnv.AWS_LAMBDA_INITIALIZATION_TYPE = 'provisioned-concurrency';
  const lines = [];
  const wrapped = m.withMeasurement(async (n) => n * 2, { mode: 'log', emf: true, output: { write: (l) => lines.push(l) } });
  const result = await wrapped(21, { awsRequestId: 'probe-1', functionName: 'probe' });
  const envelope = await m.withMeasurement(async () => 'ok')(null, { awsRequestId: 'probe-2' });
  const mw = m.lambdaMeterMiddleware();
  const request = { event: {}, context: { awsRequestId: 'probe-3' }, response: 'r', error: undefined };
  mw.before(request);
  mw.after(request);
  const afterUse = {
    result, line: JSON.parse(lines[0]), envelope, middlewareResponse: request.response,
    envReads: [...new Set(envReads)], requireCache: Object.keys(require.cache),
  };
  Object.defineProperty(process, 'stdout', stdout);
  process.stdout.write(JSON.stringify({ atImport, afterUse }));
})().catch((error) => { console.error(error); process.exit(1); });
`;

/** Loads `file` in a fresh Node.js process with the probe; returns what it saw, and every module URL resolved. */
function probeHandler(work, file, kind) {
  const probeDir = join(work, 'probe');
  mkdirSync(probeDir, { recursive: true });
  writeFileSync(join(probeDir, 'register.mjs'), REGISTER_HOOKS);
  writeFileSync(join(probeDir, 'hooks.mjs'), RESOLVE_HOOKS);
  const control = join(probeDir, kind === 'esm' ? 'control.mjs' : 'control.cjs');
  writeFileSync(control, kind === 'esm' ? 'export const control = 1;\n' : 'exports.control = 1;\n');
  const log = join(work, `resolved-${kind}.log`);
  writeFileSync(log, '');
  const target = (path) => (kind === 'esm' ? pathToFileURL(path).href : path);
  const run = spawnSync(
    process.execPath,
    ['--import', pathToFileURL(join(probeDir, 'register.mjs')).href, '-e', PROBE, target(file), target(control), kind],
    // A clean environment: no AWS_LAMBDA_* from the host, no loader flags from the caller.
    { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', LM_RESOLVE_LOG: log }, timeout: 30_000 },
  );
  assert.equal(run.status, 0, run.stderr);
  const report = JSON.parse(run.stdout);
  const controlUrl = pathToFileURL(control).href;
  report.resolved = readFileSync(log, 'utf8').split('\n').filter((url) => url !== '' && url !== controlUrl);
  return report;
}

for (const [kind, name] of [['esm', 'index.js'], ['cjs', 'index.cjs']]) {
  await check(`lambda-meter/handler ${kind.toUpperCase()} (dist/handler/${name}): loads nothing else, does nothing at import, within ${HANDLER_BUDGET[kind] / 1024} KB`, () => {
    const file = join(root, 'dist', 'handler', name);
    const code = readFileSync(file, 'utf8');
    // No static or dynamic import, no re-export from another file, no require.
    assert.doesNotMatch(code, /^\s*import\b/m);
    assert.doesNotMatch(code, /\bimport\s*\(/);
    assert.doesNotMatch(code, /\bfrom\s*["']/);
    assert.doesNotMatch(code, /\brequire\s*\(/);
    const work = mkdtempSync(join(tmpdir(), 'lm-handler-probe-'));
    try {
      const report = probeHandler(work, file, kind);
      const url = pathToFileURL(file).href;
      // Every module resolved after the probe started is the file itself: no node: builtin, no @aws-sdk or @smithy
      // package, no other lambda-meter subpath or chunk.
      assert.ok(report.resolved.every((resolved) => resolved === url), report.resolved.join('\n'));
      assert.equal(report.resolved.some((resolved) => /@aws-sdk|@smithy/.test(resolved)), false);
      if (kind === 'esm') assert.deepEqual(report.resolved, [url]);
      else assert.deepEqual(report.atImport.requireCacheAdded, [file]);
      assert.deepEqual(report.afterUse.requireCache.filter((key) => key !== file && !key.endsWith('control.cjs')), []);
      // Nothing at import time: no environment variable read, process.stdout untouched, no global added.
      assert.deepEqual(report.atImport.envReads, []);
      assert.equal(report.atImport.stdoutReads, 0);
      assert.deepEqual(report.atImport.newGlobals, []);
      assert.deepEqual(report.atImport.exports, ['lambdaMeterMiddleware', 'withMeasurement']);
      // ...and the environment is read once the handler runs.
      assert.ok(report.afterUse.envReads.includes('AWS_LAMBDA_INITIALIZATION_TYPE'), report.afterUse.envReads.join(', '));
      assert.equal(report.afterUse.result, 42);
      const line = report.afterUse.line;
      assert.deepEqual(
        { requestId: line.requestId, coldStart: line.coldStart, ColdStart: line.ColdStart, FunctionName: line.FunctionName, initializationType: line.initializationType },
        { requestId: 'probe-1', coldStart: false, ColdStart: 0, FunctionName: 'probe', initializationType: 'provisioned-concurrency' },
      );
      assert.equal(report.afterUse.envelope.requestId, 'probe-2');
      assert.equal(report.afterUse.envelope.result, 'ok');
      assert.equal(report.afterUse.middlewareResponse.requestId, 'probe-3');
      assert.equal(report.afterUse.middlewareResponse.result, 'r');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    assert.ok(statSync(file).size <= HANDLER_BUDGET[kind], `${name} is ${statSync(file).size} bytes, over the budget of ${HANDLER_BUDGET[kind]}`);
  });
}

await check('published declarations do not import the optional AWS SDK peers', () => {
  const files = readdirSync(join(root, 'dist'), { recursive: true }).map(String).filter((f) => /\.d\.c?ts$/.test(f));
  assert.ok(files.length >= 16, `expected .d.ts and .d.cts files, found ${files.length}`);
  for (const file of files) {
    // TSDoc examples mention the SDK; only code lines count.
    const text = readFileSync(join(root, 'dist', file), 'utf8')
      .split('\n')
      .filter((line) => !/^\s*(\*|\/\*|\/\/)/.test(line))
      .join('\n');
    assert.doesNotMatch(text, /(from|import\()\s*['"]@(aws-sdk|smithy)\//, `${file} imports an AWS SDK package`);
  }
});

await check('package.json declares what the issue requires', () => {
  assert.equal(pkg.name, 'lambda-meter');
  assert.equal(pkg.type, 'module');
  assert.equal(pkg.sideEffects, false);
  assert.equal(pkg.engines.node, '>=20');
  assert.equal(pkg.license, 'MIT');
  // Only the CLI has run-time dependencies (argument parsing and progress bars); no library subpath may load them.
  assert.deepEqual(Object.keys(pkg.dependencies ?? {}).sort(), ['cli-progress', 'commander'], 'run-time dependencies are the CLI\'s only');
  const cliOnly = /(from|import\(|require\()\s*['"](commander|cli-progress)['"]/;
  const libraryFiles = readdirSync(join(root, 'dist'), { recursive: true }).map(String).filter((f) => /\.c?js$/.test(f) && !f.startsWith('cli'));
  for (const file of libraryFiles) {
    const text = readFileSync(join(root, 'dist', file), 'utf8');
    if (cliOnly.test(text)) {
      // A shared chunk may hold CLI code only if no library entry imports that chunk.
      const chunk = file.split('/').at(-1);
      const importers = libraryFiles.filter((f) => f !== file && readFileSync(join(root, 'dist', f), 'utf8').includes(chunk));
      assert.deepEqual(importers, [], `${file} loads a CLI dependency and is imported by ${importers.join(', ')}`);
    }
  }
  for (const peer of ['@aws-sdk/client-lambda', '@aws-sdk/client-cloudwatch', '@aws-sdk/client-cloudwatch-logs']) {
    assert.equal(pkg.peerDependenciesMeta[peer].optional, true, `${peer} must be an optional peer`);
    assert.ok(pkg.devDependencies[peer], `${peer} must be a dev dependency`);
  }
});

await check('the built CLI runs `lambda-meter local`, serves a function from dist, and leaves nothing on Ctrl-C', async () => {
  const { spawn } = await import('node:child_process');
  const dir = mkdtempSync(join(tmpdir(), 'lambda-meter-cli-'));
  const fn = join(dir, 'echo.mjs');
  writeFileSync(fn, 'export const handler = async (event) => ({ echo: event, pid: process.pid });\n');
  const cli = spawn(process.execPath, [join(root, pkg.bin['lambda-meter']), 'local', '--function', `echo=${fn}#handler,memory=1769`, '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let out = '';
    let err = '';
    cli.stderr.on('data', (d) => (err += d));
    const started = await new Promise((resolve, reject) => {
      cli.stdout.on('data', (d) => {
        out += d;
        if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]));
      });
      cli.once('exit', (code) => reject(new Error(`CLI exited with ${code}: ${err}`)));
      setTimeout(() => reject(new Error(`CLI did not start: ${err}`)), 15_000);
    });
    const res = await fetch(`${started.endpoint}/2015-03-31/functions/echo/invocations`, { method: 'POST', body: '{"n":1}' });
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.deepEqual(body.echo, { n: 1 });
    const exited = new Promise((resolve) => cli.once('exit', (code, signal) => resolve({ code, signal })));
    cli.kill('SIGINT');
    assert.deepEqual(await exited, { code: 0, signal: null });
    assert.throws(() => process.kill(body.pid, 0), /ESRCH/, 'the function process outlived the CLI');
  } finally {
    if (cli.exitCode === null) cli.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

await check('Ctrl-C during the built CLI\'s `tune` cleans up first: exit 130, the function as it was, nothing left', async () => {
  const { spawn } = await import('node:child_process');
  const dir = mkdtempSync(join(tmpdir(), 'lambda-meter-cli-'));
  const fn = join(dir, 'slow.mjs');
  writeFileSync(fn, 'export const handler = async () => { await new Promise((r) => setTimeout(r, 25)); return { ok: true }; };\n');
  const bin = join(root, pkg.bin['lambda-meter']);
  const local = spawn(process.execPath, [bin, 'local', '--function', `slow=${fn}#handler,memory=333`, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let tune;
  try {
    let out = '';
    const started = await new Promise((resolve, reject) => {
      local.stdout.on('data', (d) => {
        out += d;
        if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]));
      });
      local.once('exit', (code) => reject(new Error(`local exited with ${code}`)));
      setTimeout(() => reject(new Error('local did not start')), 15_000);
    });
    const api = (path) => fetch(`${started.endpoint}/2015-03-31/functions/slow${path}`).then((r) => r.json());
    const before = await api('/configuration');

    // A separate process tunes the function on that endpoint; Ctrl-C arrives while it invokes.
    tune = spawn(process.execPath, [bin, 'tune', 'slow', '--endpoint', started.endpoint, '--memory', '128,256,512', '--invocations', '40'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    const exited = new Promise((resolve) => tune.once('exit', (code, signal) => resolve({ code, signal })));
    await new Promise((resolve, reject) => {
      tune.stderr.on('data', (d) => {
        err += d;
        if (/tune: \d+\/\d+ invoking/.test(err)) resolve();
      });
      tune.once('exit', (code) => reject(new Error(`tune exited with ${code} before invoking: ${err}`)));
      setTimeout(() => reject(new Error(`tune did not start invoking: ${err}`)), 30_000);
    });
    tune.kill('SIGINT');
    const outcome = await exited;
    assert.deepEqual(outcome, { code: 130, signal: null }, err);
    assert.match(err, /stopping \(cleaning up first/);

    const after = await api('/configuration');
    assert.equal(after.MemorySize, before.MemorySize);
    assert.equal(after.Description, before.Description);
    assert.deepEqual((await api('/aliases')).Aliases, []);
    assert.deepEqual((await api('/versions')).Versions.map((v) => v.Version), ['$LATEST']);
  } finally {
    if (tune !== undefined && tune.exitCode === null) tune.kill('SIGKILL');
    const localExit = new Promise((resolve) => local.once('exit', resolve));
    if (local.exitCode === null) local.kill('SIGINT');
    await localExit;
    rmSync(dir, { recursive: true, force: true });
  }
});

console.log(`${checks} passed, ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
