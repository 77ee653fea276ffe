/**
 * The `lambda-meter` CLI end to end: each command against lambda-meter/local (embedded with `--endpoint local`, or a
 * running one given by its URL), output formats, and bad arguments.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../src/cli/index.js';
import { describeFailure, flagOfField, invocationFailure } from '../src/cli/errors.js';
import { invokeMany } from '../src/invoke/index.js';
import { startLocalLambda } from '../src/local/index.js';
import type { LocalLambda } from '../src/local/index.js';

const F = 'test/fixtures/functions/';
const HELLO = `hello=${F}hello.mjs#handler,memory=1769`;

async function cli(argv: string[], signal?: AbortSignal, onStderr?: (text: string) => void): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const stderr = (t: string): void => {
    err.push(t);
    onStderr?.(t);
  };
  const code = await runCli(argv, { stdout: (t) => void out.push(t), stderr, ...(signal ? { signal } : {}) });
  return { code, out: out.join(''), err: err.join('') };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lm-cli-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lambda-meter (CLI)', () => {
  test('lists its commands, and answers bad arguments with exit code 2 and what was wrong', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['invoke', 'tune', 'cold-starts', 'reports', 'metrics', 'cost', 'diagnose-async', 'http', 'local', 'demo']) {
      expect(help.out).toContain(command);
    }
    expect((await cli([])).code).toBe(2);
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) expect(await cli([flag])).toEqual({ code: 0, out: `${version}\n`, err: '' });
    const unknown = await cli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown command 'frobnicate'/);
    const missing = await cli(['invoke']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/missing required argument 'function'/);
    const count = await cli(['invoke', 'hello', '--count', '0']);
    expect(count.code).toBe(2);
    expect(count.err).toContain('lambda-meter invoke: --count: must be a whole number >= 1');
    const strategy = await cli(['tune', 'f', '--strategy', 'fast']);
    expect(strategy.code).toBe(2);
    expect(strategy.err).toContain('--strategy');
    const trim = await cli(['tune', 'f', '--discard-top-bottom', '0.5']);
    expect(trim.code).toBe(2);
    expect(trim.err).toContain('lambda-meter tune: --discard-top-bottom: must be a number from 0 to 0.4, got "0.5"');
    const weight = await cli(['tune', 'f', '--strategy', 'balanced', '--balanced-weight', '2']);
    expect(weight.code).toBe(2);
    expect(weight.err).toContain('lambda-meter tune: --balanced-weight: must be a number from 0 to 1, got "2"');
    const tie = await cli(['tune', 'f', '--tie-tolerance', 'x']);
    expect(tie.code).toBe(2);
    expect(tie.err).toContain('--tie-tolerance');
    const memory = await cli(['tune', 'f', '--memory', '128,lots']);
    expect(memory.code).toBe(2);
    expect(memory.err).toContain('--memory');
    const payload = await cli(['invoke', 'f', '--payload', '{nope']);
    expect(payload.code).toBe(2);
    expect(payload.err).toContain('--payload');
    const endpoint = await cli(['invoke', 'f', '--endpoint', 'not a url']);
    expect(endpoint.code).toBe(2);
    expect(endpoint.err).toContain('--endpoint');
    const noFunctions = await cli(['invoke', 'f', '--endpoint', 'local']);
    expect(noFunctions.code).toBe(2);
    expect(noFunctions.err).toContain('--function');
    const model = await cli(['invoke', 'hello', '--endpoint', 'local', '--function', HELLO, '--duration-model', 'fast']);
    expect(model.code).toBe(2);
    expect(model.err).toContain('lambda-meter invoke: --duration-model: must be measured or declared, got "fast"');
    const modelElsewhere = await cli(['invoke', 'f', '--duration-model', 'declared']);
    expect(modelElsewhere.code).toBe(2);
    expect(modelElsewhere.err).toContain('--duration-model');
    const since = await cli(['reports', 'f', '--since', 'yesterday']);
    expect(since.code).toBe(2);
    expect(since.err).toContain('--since');
    const metric = await cli(['metrics', 'f', '--metrics', 'Invocations,Bogus']);
    expect(metric.code).toBe(2);
    expect(metric.err).toContain('unknown metric Bogus');
    const reuse = await cli(['http', 'http://127.0.0.1:1/', '--reuse', 'maybe']);
    expect(reuse.code).toBe(2);
    const arch = await cli(['cost', '--memory', '512', '--duration', '10', '--arch', 'sparc']);
    expect(arch.code).toBe(2);
    const noMemory = await cli(['cost', '--duration', '10']);
    expect(noMemory.code).toBe(2);
    expect(noMemory.err).toContain('--memory');
  });

  test('invoke --endpoint local: REPORTs, client latency and cost, as text and JSON', async () => {
    const text = await cli(['invoke', 'hello', '--endpoint', 'local', '--function', HELLO, '--count', '3', '--payload', '{"n":1}']);
    expect(text.err).toMatch(/^(invoke: \d+\/3 hello\n)+$/); // plain progress lines when stderr is not a terminal
    const progressLines = text.err.trimEnd().split('\n');
    expect(new Set(progressLines).size).toBe(progressLines.length); // the final line once, no line twice
    expect(progressLines.at(-1)).toBe('invoke: 3/3 hello');
    expect(text.code).toBe(0);
    expect(text.out).toContain('Invocations of hello');
    expect(text.out).toMatch(/Duration, warm/);
    expect(text.out).toMatch(/Init Duration/);

    const json = await cli(['invoke', 'hello', '--endpoint', 'local', '--function', HELLO, '--count', '2', '--json']);
    expect(json.code).toBe(0);
    const invocations = JSON.parse(json.out) as { report: { coldStart: boolean; memorySizeMB: number }; payload: string }[];
    expect(invocations.map((i) => i.report.coldStart)).toEqual([true, false]);
    expect(invocations[0]?.report.memorySizeMB).toBe(1769);
    expect(JSON.parse(invocations[0]?.payload ?? '{}')).toMatchObject({ functionName: 'hello' });
  });

  test('function errors of many invocations: how many failed and each distinct error, with how often', () => {
    const ok = { functionError: undefined, errorType: undefined, errorMessage: undefined };
    const timeout = { functionError: 'Unhandled', errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 3.00 seconds' };
    const missing = { functionError: 'Unhandled', errorType: 'Runtime.ImportModuleError', errorMessage: "Error: Cannot find module 'sharp'" };
    expect(invocationFailure([ok, ok])).toBeUndefined();
    expect(invocationFailure([missing])?.message).toBe("the function failed: Unhandled Runtime.ImportModuleError: Error: Cannot find module 'sharp'");
    const mixed = invocationFailure([ok, timeout, missing, timeout, ...Array.from({ length: 997 }, () => ok)]);
    expect(mixed?.exitCode).toBe(1);
    expect(mixed?.message).toBe(
      '3 of 1,001 invocations failed:\n  2 × Unhandled Sandbox.Timedout: Task timed out after 3.00 seconds\n  1 × Unhandled Runtime.ImportModuleError: Error: Cannot find module \'sharp\'',
    );
    const stack = { ...missing, errorMessage: "Error: Cannot find module 'sharp'\nRequire stack:\n- /var/runtime/index.mjs" };
    expect(invocationFailure([stack])?.message).toBe("the function failed: Unhandled Runtime.ImportModuleError: Error: Cannot find module 'sharp' …");
    expect(invocationFailure([{ functionError: 'Unhandled', errorType: undefined, errorMessage: undefined }])?.message).toBe(
      'the function failed: Unhandled (no errorType in the payload)',
    );
    expect(describeFailure(mixed, 'invoke')).toEqual({ message: `lambda-meter invoke: ${mixed?.message ?? ''}\n`, exitCode: 1 });
  });

  test('errors name the flag typed; a missing region or credentials is one line, before any request', async () => {
    const memory = await cli(['cost', '--memory', '20000', '--duration', '10']);
    expect(memory.code).toBe(2);
    expect(memory.err).toBe('lambda-meter cost: --memory: must be an integer from 128 to 10240 (MB), got 20000\n(run lambda-meter cost --help for usage)\n');
    const sizes = await cli(['tune', 'f', '--memory', '128,20000']);
    expect(sizes.err).toMatch(/^lambda-meter tune: --memory: must be an integer from 128 to 10240 \(MB\), got 20000\n/);
    const count = await cli(['cold-starts', 'f', '--count', '100000']);
    expect(count.err).toMatch(/^lambda-meter cold-starts: --count: /);
    const url = await cli(['http', 'not a url']);
    expect(url.err).toMatch(/^lambda-meter http: <url>: /);
    const scale = await cli(['diagnose-async', 'f', '--time-scale', '60']);
    expect([scale.code, scale.err.split('\n')[0]]).toEqual([2, 'lambda-meter diagnose-async: --time-scale: only applies with --endpoint (a lambda-meter local started with --time-scale)']);

    // Library fields map back to the flags that fed them, nested ones included.
    expect(flagOfField('cold-starts', 'input.warm.count')).toBe('--warm');
    expect(flagOfField('cold-starts', 'input.idleProbe.count')).toBe('--per-gap');
    expect(flagOfField('cold-starts', 'input.idleProbe.gapsMs[1]')).toBe('--idle-gaps');
    expect(flagOfField('cold-starts', 'input.count')).toBe('--count');
    expect(flagOfField('tune', 'input.count')).toBe('--invocations');
    expect(flagOfField('http', 'input.count')).toBe('--requests');
    expect(flagOfField('http', 'options.timeoutMs')).toBe('--timeout');
    expect(flagOfField('cost', 'input.memorySizeMB')).toBe('--memory');

    // No AWS configuration at all: no region, no credentials, no config files, no instance metadata.
    const saved = { ...process.env };
    try {
      for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
      Object.assign(process.env, { AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true' });
      for (const argv of [['invoke', 'f'], ['reports', 'f'], ['metrics', 'f'], ['tune', 'f', '--memory', '128,256'], ['cold-starts', 'f'], ['diagnose-async', 'f']]) {
        const r = await cli(argv);
        expect([r.code, r.err]).toEqual([1, `lambda-meter ${argv[0]}: no AWS region: set AWS_REGION or pass --region\n`]);
      }
      const credentials = await cli(['invoke', 'f', '--region', 'us-east-1']);
      expect([credentials.code, credentials.err]).toEqual([
        1,
        'lambda-meter invoke: no AWS credentials: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run against local with --endpoint local\n',
      ]);
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  });

  test('invoke of a function that throws: its errorType and errorMessage on stderr, and exit code 1', async () => {
    const FAIL = `fail=${F}fail.mjs#handler`;
    const one = await cli(['invoke', 'fail', '--endpoint', 'local', '--function', FAIL, '--payload', '{"value":7}']);
    expect(one.code).toBe(1);
    expect(one.err).toContain('lambda-meter invoke: the function failed: Unhandled ValidationError: value 7 is not allowed\n');
    expect(one.out).toContain('Unhandled ValidationError'); // the status column
    expect(one.out).not.toContain('Unhandled: Error');

    const many = await cli(['invoke', 'fail', '--endpoint', 'local', '--function', FAIL, '--payload', '{"value":7}', '--count', '3', '--json']);
    expect(many.code).toBe(1);
    expect((JSON.parse(many.out) as unknown[]).length).toBe(3); // the result is still written
    expect(many.err).toContain('lambda-meter invoke: 3 of 3 invocations failed: Unhandled ValidationError: value 7 is not allowed\n');
  });

  test('cost: one invocation, a month, and every REPORT of a log; Markdown and HTML output', async () => {
    const json = await cli(['cost', '--memory', '1024', '--billed', '1000', '--invocations', '1000000', '--json']);
    expect(json.code).toBe(0);
    const cost = JSON.parse(json.out) as { perInvocation: { totalUSDExact: string }; month: { totalUSDExact: string } };
    // 1 GB-s at $0.0000166667 plus $0.0000002 per request (lambda-facts §6).
    expect(cost.perInvocation.totalUSDExact).toBe('0.0000168667');
    expect(cost.month.totalUSDExact).toBe('16.8667');

    // Asynchronous events of 1 MB: 13 requests each (256 KB + 12 × 64 KB).
    const big = await cli(['cost', '--memory', '1024', '--billed', '1000', '--invocations', '1000000', '--async-payload', '1048576', '--json']);
    const bigCost = JSON.parse(big.out) as { perInvocation: { totalUSDExact: string; requests: number }; month: { totalUSDExact: string; requests: number } };
    expect(bigCost.perInvocation.requests).toBe(13);
    expect(bigCost.perInvocation.totalUSDExact).toBe('0.0000192667');
    expect(bigCost.month.requests).toBe(13_000_000);
    expect(bigCost.month.totalUSDExact).toBe('19.2667');
    const tooBig = await cli(['cost', '--memory', '1024', '--billed', '1', '--async-payload', '1048577']);
    expect(tooBig.code).toBe(2);
    expect(tooBig.err).toContain('lambda-meter cost: --async-payload: must be at most 1048576 bytes');
    const badArch = await cli(['cost', '--memory', '1024', '--billed', '1', '--arch', 'sparc']);
    expect(badArch.code).toBe(2);
    expect(badArch.err).toContain('lambda-meter cost: --arch: must be x86_64 or arm64, got "sparc"');

    const log = await cli(['cost', '--log', 'examples/logs/mixed.log', '--json']);
    expect((JSON.parse(log.out) as { total: { totalUSDExact: string } }).total.totalUSDExact).toBe('0.00004266675');

    const md = await cli(['cost', '--memory', '512', '--duration', '99.5', '--md']);
    expect(md.out).toMatch(/^# Cost at 512 MB/m);
    expect(md.out).toContain('**per invocation:** $0.000001033335'); // ceil(99.5) = 100 ms at 0.5 GB + a request, every digit

    // Money through the one formatter: totals with 2 decimals, tiny amounts in full; counts with separators.
    const text = await cli(['cost', '--memory', '1024', '--billed', '1000', '--invocations', '1000000']);
    expect(text.out).toMatch(/per invocation: +\$0\.0000168667\n/);
    expect(text.out).toMatch(/month of 1,000,000 invocations: +\$16\.87\n/);
    expect(text.out).toMatch(/of which requests: +\$0\.20\n/);
    expect(text.out).not.toContain('1000000');
    const estimate = await cli(['tune', 'f', '--memory', '128,1024', '--invocations', '1000', '--estimate']);
    expect(estimate.out).toMatch(/^estimate: 2,\d{3} invocations, \d+ versions, about \$\d[\d,]*\.\d{2,} and [\d,]+ s\n$/);

    const file = join(dir, 'cost.html');
    const html = await cli(['cost', '--log', 'examples/logs/mixed.log', '--html', file]);
    expect(html.out).toBe(`wrote ${file}\n`);
    const page = readFileSync(file, 'utf8');
    expect(page).toMatch(/^<!doctype html>/i);
    expect(page).toContain('8f5a9c1e-2b7d-4e3a-9c61-0d3f4b5a6e71');

    const missing = await cli(['cost', '--log', join(dir, 'nope.log')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('cannot read');
  });

  describe('against a running local', () => {
    let local: LocalLambda;
    beforeAll(async () => {
      local = await startLocalLambda({ functions: [{ name: 'hello', handler: `${F}hello.mjs#handler`, memorySizeMB: 1769 }], timeScale: 10, cpu: 'unlimited' });
      const lambda = new LambdaClient(local.clientConfig());
      await invokeMany(lambda, { functionName: 'hello', count: 5, concurrency: 2 });
      lambda.destroy();
    });
    afterAll(() => local.stop());

    test('reports: every REPORT of the range through Logs Insights', async () => {
      const { code, out } = await cli(['reports', 'hello', '--endpoint', local.endpoint, '--since', '10m', '--json']);
      expect(code).toBe(0);
      expect((JSON.parse(out) as unknown[]).length).toBe(5);
    });

    test('metrics: Invocations equal the invocations made', async () => {
      const { code, out } = await cli(['metrics', 'hello', '--endpoint', local.endpoint, '--region', 'us-east-1', '--metrics', 'Invocations,Errors', '--since', '10m', '--json']);
      expect(code).toBe(0);
      const series = JSON.parse(out) as Record<string, { points: { value: number }[] }>;
      expect(series.Invocations?.points.reduce((n, p) => n + p.value, 0)).toBe(5);
      expect(series.Errors?.points.reduce((n, p) => n + p.value, 0)).toBe(0);
      const text = await cli(['metrics', 'hello', '--endpoint', local.endpoint, '--region', 'us-east-1', '--metrics', 'Invocations', '--since', '10m']);
      expect(text.out).toContain('AWS/Lambda metrics of hello');
    });
  });

  test('tune --endpoint local: recommends, reports, and leaves the function as it was', async () => {
    const file = join(dir, 'tune.html');
    // Declared Durations (tune-memory.mjs waits 100 ms at 128 MB, 30 ms at 1,024 MB through the work API): the
    // faster size is the same on a busy machine, where measured waits can stretch by any amount.
    const { code, out, err } = await cli([
      'tune', 'mem', '--endpoint', 'local', '--duration-model', 'declared', '--function', `mem=${F}tune-memory.mjs#handler`,
      '--memory', '128,1024', '--invocations', '3', '--strategy', 'speed', '--discard-top-bottom', '0', '--tie-tolerance', '0.1',
      '--json', '--html', file,
    ]);
    expect(err).toMatch(/tune: /);
    expect(code).toBe(0);
    const result = JSON.parse(out) as {
      recommendation: { memorySizeMB: number };
      cleanup: { restored: boolean };
      discardTopBottom: number;
      tieTolerance: number;
      configurations: { memorySizeMB: number; billedDurationMs: { max: number } }[];
    };
    expect(result.recommendation.memorySizeMB).toBe(1024);
    expect(result.configurations.map((c) => [c.memorySizeMB, c.billedDurationMs.max])).toEqual([[128, 100], [1024, 30]]);
    expect([result.discardTopBottom, result.tieTolerance]).toEqual([0, 0.1]);
    expect(result.cleanup.restored).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain('<svg');

    const estimate = await cli(['tune', 'mem', '--memory', '128,1024', '--invocations', '10', '--estimate', '--json']);
    expect(estimate.code).toBe(0);
    expect((JSON.parse(estimate.out) as { invocations: number }).invocations).toBeGreaterThanOrEqual(20);
  });

  test('cold-starts and diagnose-async --endpoint local', async () => {
    const cold = await cli(['cold-starts', 'hello', '--endpoint', 'local', '--function', HELLO, '--count', '2', '--warm', '2', '--json']);
    expect(cold.err).not.toMatch(/lambda-meter cold-starts:/);
    expect(cold.code).toBe(0);
    const result = JSON.parse(cold.out) as { cold: { count: number }; warm: { count: number }; notCold: number };
    expect([result.cold.count, result.warm.count, result.notCold]).toEqual([2, 2, 0]);
    const text = await cli(['cold-starts', 'hello', '--endpoint', 'local', '--function', HELLO, '--count', '1', '--warm', '1']);
    expect(text.code, text.err).toBe(0);
    expect(text.out.length).toBeGreaterThan(100);

    const diagnosis = await cli(['diagnose-async', 'hello', '--endpoint', 'local', '--function', HELLO, '--since', '5m', '--json']);
    expect(diagnosis.code, diagnosis.err).toBe(0);
    const diagnosed = JSON.parse(diagnosis.out) as { findings: { code: string }[]; timeScale: number };
    expect(diagnosed.findings.map((f) => f.code)).toEqual(['healthy']);
    expect(diagnosed.timeScale).toBe(10); // the embedded local's scale: AsyncEventAge is on that clock
    const diagnosisText = await cli(['diagnose-async', 'hello', '--endpoint', 'local', '--function', HELLO, '--since', '5m']);
    expect(diagnosisText.out).toContain('ran the async queue 10× faster than real time');
    expect(diagnosisText.out).toContain('AsyncEventAge maximum (ms) (local time ×10)');
  });

  test('http: phases per request against a loopback server', async () => {
    const { createServer } = await import('node:http');
    const server = createServer((_req, res) => setTimeout(() => res.end('ok'), 5));
    // No keep-alive timeout: the one reused connection stays open however long the machine takes between requests.
    server.keepAliveTimeout = 0;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const { code, out } = await cli(['http', `http://127.0.0.1:${port}/`, '--requests', '4', '--reuse', 'both', '--json']);
      expect(code).toBe(0);
      const result = JSON.parse(out) as { withReuse: { succeeded: number; connectionsOpened: number }; withoutReuse: { succeeded: number; connectionsOpened: number } };
      expect(result.withReuse.succeeded).toBe(4);
      expect(result.withReuse.connectionsOpened).toBe(1);
      expect(result.withoutReuse.connectionsOpened).toBe(4);
      const bad = await cli(['http', `http://127.0.0.1:${port}/`, '--header', 'novalue']);
      expect(bad.code).toBe(2);
    } finally {
      server.close();
    }
  });

  test('an abort (Ctrl-C) stops a command with exit code 130', async () => {
    // Ctrl-C as the first invocation is reported: the run is then surely in progress, with 49 invocations to go,
    // however fast or busy the machine (a timer could fire before the first invocation or after the last).
    const controller = new AbortController();
    const { code, err } = await cli(['invoke', 'hello', '--endpoint', 'local', '--function', HELLO, '--count', '50'], controller.signal, (text) => {
      if (text.startsWith('invoke: 1/50 ')) controller.abort();
    });
    expect(code).toBe(130);
    expect(err).toMatch(/^invoke: 1\/50 hello\n/);
    expect(err).toContain('lambda-meter invoke: stopped');
    expect(err).not.toContain('invoke: 50/50');
  });
});
