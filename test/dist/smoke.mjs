// Checks of the BUILT package (run by `npm test` after the build): every subpath loads as ESM and as CJS with the same
// exports, error guards work across the two copies, and without the optional AWS SDK peers installed the root still
// imports while an AWS-facing call fails with an error naming the package to install.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const require = createRequire(join(root, 'package.json'));
const subpaths = Object.keys(pkg.exports).filter((k) => k !== './package.json');
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
    if (sub !== '.') {
      for (const key of esmKeys) assert.ok(key in rootEsm, `root does not re-export ${key} from ${spec}`);
    }
  });
}

await check('root exposes one public function per module', () => {
  for (const fn of ['parseReportLine', 'parseLog', 'decodeLogResult', 'invokeWithTail', 'invokeMany', 'runInsightsQuery',
    'queryReports', 'iterateReports', 'matchReports', 'fetchMetricData', 'lambdaMetricQueries', 'fetchLambdaMetrics',
    'invocationCost', 'reportCost', 'monthlyCost', 'summarize', 'histogram', 'trimmedMean', 'withMeasurement',
    'lambdaMeterMiddleware', 'isLambdaMeterError', 'measureHttp']) {
    assert.equal(typeof rootEsm[fn], 'function', `${fn} missing from ESM root`);
    assert.equal(typeof rootCjs[fn], 'function', `${fn} missing from CJS root`);
  }
});

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
