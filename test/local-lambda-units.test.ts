/**
 * The parts of local's Lambda below the SDK: names and ARNs, configuration checks, platform lines, log capture, the
 * Runtime API spoken over raw HTTP, the service's request dispatcher and its options.
 */
import { request } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { InvalidInputError } from '../src/errors.js';
import type { LocalRequest, LocalResponse } from '../src/local/http.js';
import { startLocalServer } from '../src/local/http.js';
import { checkDefinition, codeIdentity, environmentProblem, initialConfig, resolveHandler, sameCode } from '../src/local/lambda/config.js';
import { billedDurationMs, describeExit, readProcMemory } from '../src/local/lambda/environment.js';
import { LambdaService, startLocalLambdaCore } from '../src/local/lambda/index.js';
import { FrameReader, LineReader } from '../src/local/lambda/log-capture.js';
import {
  functionArn,
  isAliasName,
  isQualifier,
  isVersionNumber,
  lambdaTimestamp,
  newTraceHeader,
  parseFunctionReference,
  runtimeIdentity,
} from '../src/local/lambda/names.js';
import { logTail, PlatformLog } from '../src/local/lambda/platform-log.js';
import { defaultBootstrapPath } from '../src/local/lambda/runtime-client.js';
import { MAX_RESPONSE_BYTES, RuntimeApiServer } from '../src/local/lambda/runtime-api.js';
import type { RuntimeSignal } from '../src/local/lambda/runtime-api.js';
import { parseLog } from '../src/report/index.js';
import { fileGate } from './helpers/common.js';

const F = 'test/fixtures/functions/';

describe('names', () => {
  test('function references in every form the API accepts', () => {
    expect(parseFunctionReference('hello')).toStrictEqual({ name: 'hello', region: undefined, accountId: undefined });
    expect(parseFunctionReference('hello:live')).toStrictEqual({ name: 'hello', qualifier: 'live' });
    expect(parseFunctionReference('arn:aws:lambda:eu-west-1:123456789012:function:hello:$LATEST')).toStrictEqual({
      name: 'hello',
      qualifier: '$LATEST',
      region: 'eu-west-1',
      accountId: '123456789012',
    });
    expect(parseFunctionReference('123456789012:function:hello')).toStrictEqual({ name: 'hello', region: undefined, accountId: '123456789012' });
    expect(parseFunctionReference('123456789012:function:hello:3')).toMatchObject({ name: 'hello', qualifier: '3' });
    for (const bad of ['', 'a b', 'x'.repeat(65), 'hello:bad!', 'hello:']) {
      expect(() => parseFunctionReference(bad), bad).toThrow(/validation error detected/);
    }
  });

  test('qualifiers, versions, aliases, ARNs and timestamps', () => {
    expect(isAliasName('live')).toBe(true);
    expect(isAliasName('123')).toBe(false);
    expect(isVersionNumber('12')).toBe(true);
    expect(isVersionNumber('$LATEST')).toBe(false);
    expect(isQualifier('$LATEST')).toBe(true);
    expect(functionArn('us-east-1', '123456789012', 'f')).toBe('arn:aws:lambda:us-east-1:123456789012:function:f');
    expect(functionArn('us-east-1', '123456789012', 'f', '2')).toBe('arn:aws:lambda:us-east-1:123456789012:function:f:2');
    expect(lambdaTimestamp(Date.UTC(2024, 4, 20, 16, 29, 44, 833))).toBe('2024-05-20T16:29:44.833+0000');
    expect(newTraceHeader(0x5f9d2c3b * 1000)).toMatch(/^Root=1-5f9d2c3b-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
  });

  test('the runtime identity follows the Node.js version', () => {
    const identity = runtimeIdentity('eu-west-3', '22.11.0');
    expect(identity).toMatchObject({ runtime: 'nodejs22.x', executionEnv: 'AWS_Lambda_nodejs22.x', runtimeVersion: 'nodejs:22.v11' });
    expect(identity.runtimeVersionArn).toMatch(/^arn:aws:lambda:eu-west-3::runtime:[0-9a-f]{64}$/);
    expect(runtimeIdentity('eu-west-3', '22.11.0').runtimeVersionArn).toBe(identity.runtimeVersionArn);
    expect(runtimeIdentity('eu-west-3', '22.12.0').runtimeVersionArn).not.toBe(identity.runtimeVersionArn);
  });
});

describe('configuration', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'lambda-meter-config-'));
    writeFileSync(path.join(dir, 'index.mjs'), 'export const handler = () => 1;\n');
    writeFileSync(path.join(dir, 'twice.js'), 'exports.handler = () => 1;\n');
    writeFileSync(path.join(dir, 'twice.mjs'), 'export const handler = () => 1;\n');
    writeFileSync(path.join(dir, 'my.fn.mjs'), 'export const handler = () => 1;\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('path#export becomes Lambda form when Lambda would find exactly that file', () => {
    expect(resolveHandler(`${dir}/index.mjs#handler`, undefined)).toStrictEqual({ taskRoot: dir, handler: 'index.handler', file: `${dir}/index.mjs` });
    expect(resolveHandler('sub/../index.mjs#a.b', undefined, dir)).toMatchObject({ handler: 'index.a.b' });
    // twice.js would be found before twice.mjs, and dots cannot be named in Lambda form.
    expect(resolveHandler(`${dir}/twice.mjs#handler`, undefined).handler).toBe(`${dir}/twice.mjs#handler`);
    expect(resolveHandler(`${dir}/my.fn.mjs#handler`, undefined).handler).toBe(`${dir}/my.fn.mjs#handler`);
    // Outside the task root.
    expect(resolveHandler(`${dir}/index.mjs#handler`, path.join(dir, 'sub')).handler).toBe(`${dir}/index.mjs#handler`);
    expect(resolveHandler(`${dir}/nothing.mjs#handler`, undefined)).toMatchObject({ handler: `${dir}/nothing.mjs#handler`, file: undefined });
  });

  test('Lambda-form handlers are resolved in the task root', () => {
    expect(resolveHandler('index.handler', dir)).toStrictEqual({ taskRoot: dir, handler: 'index.handler', file: `${dir}/index.mjs` });
    expect(resolveHandler('twice.handler', dir).file).toBe(`${dir}/twice.js`);
    expect(resolveHandler('missing.handler', dir).file).toBeUndefined();
  });

  test('code identity is the base64 SHA-256 of the file', () => {
    expect(codeIdentity(undefined)).toStrictEqual({ codeSha256: '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=', codeSize: 0 });
    expect(codeIdentity(path.join(dir, 'nope')).codeSize).toBe(0);
    expect(codeIdentity(path.join(dir, 'index.mjs')).codeSize).toBe(32);
  });

  test('definitions are checked field by field', () => {
    const ok = { name: 'f', handler: 'index.handler' };
    expect(checkDefinition(ok, 'f')).toBe(ok);
    const bad: [unknown, string][] = [
      [null, 'functions[0]'],
      [{ ...ok, name: 'bad name' }, 'functions[0].name'],
      [{ ...ok, handler: ' ' }, 'functions[0].handler'],
      [{ ...ok, handler: '#x' }, 'functions[0].handler'],
      [{ ...ok, handler: 'x#' }, 'functions[0].handler'],
      [{ ...ok, taskRoot: '' }, 'functions[0].taskRoot'],
      [{ ...ok, memorySizeMB: 64 }, 'functions[0].memorySizeMB'],
      [{ ...ok, memorySizeMB: 128.5 }, 'functions[0].memorySizeMB'],
      [{ ...ok, timeoutSeconds: 901 }, 'functions[0].timeoutSeconds'],
      [{ ...ok, reservedConcurrency: -1 }, 'functions[0].reservedConcurrency'],
      [{ ...ok, logFormat: 'XML' }, 'functions[0].logFormat'],
      [{ ...ok, description: 'x'.repeat(257) }, 'functions[0].description'],
      [{ ...ok, environment: [] }, 'functions[0].environment'],
      [{ ...ok, environment: { AWS_REGION: 'x' } }, 'functions[0].environment'],
    ];
    for (const [definition, field] of bad) {
      let error: unknown;
      try {
        checkDefinition(definition as never, 'functions[0]');
      } catch (e) {
        error = e;
      }
      expect(error, field).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).field).toBe(field);
    }
  });

  test('environment variables as Lambda accepts them', () => {
    expect(environmentProblem({ GOOD_NAME: 'x' })).toBeUndefined();
    expect(environmentProblem({ AWS_REGION: 'x', LAMBDA_TASK_ROOT: 'y' })).toMatch(/Reserved keys used in this request: AWS_REGION, LAMBDA_TASK_ROOT$/);
    expect(environmentProblem({ '1BAD': 'x' })).toMatch(/"1BAD" is not a valid name/);
    expect(environmentProblem({ NUMBER: 1 })).toMatch(/value of NUMBER is not a string/);
    expect(environmentProblem({ BIG: 'x'.repeat(5000) })).toMatch(/exceeded the 4KB limit/);
  });

  test('sameCode compares what runs', () => {
    const a = initialConfig({ name: 'f', handler: 'index.handler', taskRoot: dir, environment: { A: '1', B: '2' } }, 0);
    expect(sameCode(a, { ...a, environment: { B: '2', A: '1' }, description: 'other', revisionId: 'x' })).toBe(true);
    expect(sameCode(a, { ...a, memorySizeMB: 256 })).toBe(false);
    expect(sameCode(a, { ...a, environment: { A: '1' } })).toBe(false);
  });
});

describe('platform lines', () => {
  test('text lines as Lambda writes them', () => {
    const text = new PlatformLog('Text');
    const runtime = { runtimeVersion: 'nodejs:20.v22', runtimeVersionArn: 'arn:x', functionName: 'f', functionVersion: '$LATEST' };
    expect(text.initStart(0, { ...runtime, phase: 'init' })).toStrictEqual(['INIT_START Runtime Version: nodejs:20.v22\tRuntime Version ARN: arn:x\n']);
    expect(text.initStart(0, { ...runtime, phase: 'invoke' })).toStrictEqual([]);
    expect(text.initDone(0, { durationMs: 1, phase: 'init', status: 'success' })).toStrictEqual([]);
    expect(text.initDone(0, { durationMs: 80.494, phase: 'invoke', status: 'timeout' })).toStrictEqual(['INIT_REPORT Init Duration: 80.49 ms\tPhase: invoke\tStatus: timeout\n']);
    expect(text.runtimeDone(0, { requestId: 'r', status: 'error', durationMs: 1, producedBytes: 0, spans: [], exitMessage: 'Runtime exited with error: signal: killed' })).toStrictEqual([
      'RequestId: r Error: Runtime exited with error: signal: killed\nRuntime.ExitError\n',
      'END RequestId: r\n',
    ]);
    const parsed = parseLog(['START RequestId: r Version: 1\n', ...text.runtimeDone(0, { requestId: 'r', status: 'error', errorType: 'Runtime.OutOfMemory', durationMs: 1, producedBytes: 0, spans: [], exitMessage: 'Runtime exited with error: signal: killed' })].join(''));
    expect(parsed.events.map((e) => e.type)).toStrictEqual(['start', 'runtimeExit', 'end']);
  });

  test('JSON events carry what the Telemetry API schema names', () => {
    const json = new PlatformLog('JSON');
    const [runtimeDone, initReport] = json.initDone(Date.UTC(2024, 0, 1), { durationMs: 12.3456, phase: 'init', status: 'error', errorType: 'Runtime.ImportModuleError' });
    expect(JSON.parse(runtimeDone as string)).toStrictEqual({
      time: '2024-01-01T00:00:00.000Z',
      type: 'platform.initRuntimeDone',
      record: { initializationType: 'on-demand', phase: 'init', status: 'error', errorType: 'Runtime.ImportModuleError' },
    });
    expect(JSON.parse(initReport as string).record.metrics).toStrictEqual({ durationMs: 12.346 });
    const [done] = json.runtimeDone(0, { requestId: 'r', status: 'timeout', durationMs: 3000, producedBytes: 0, spans: [{ name: 'responseLatency', start: 0, durationMs: 2.5 }] });
    expect(JSON.parse(done as string).record).toStrictEqual({
      requestId: 'r',
      status: 'timeout',
      spans: [{ name: 'responseLatency', start: '1970-01-01T00:00:00.000Z', durationMs: 2.5 }],
      metrics: { durationMs: 3000, producedBytes: 0 },
    });
  });

  test('the tail keeps the last 4 KB, starting on a whole UTF-8 character', () => {
    expect(logTail(['a', 'b\n']).toString()).toBe('a\nb\n');
    const tail = logTail(['é'.repeat(3000), 'REPORT RequestId: x'], 4096);
    expect(tail.length).toBeLessThanOrEqual(4096);
    expect(tail.toString('utf8')).toMatch(/^é+\nREPORT RequestId: x\n$/);
    expect(tail.toString('utf8')).not.toContain('\uFFFD');
  });
});

describe('log capture', () => {
  function frame(message: string, micros: bigint, type = 0xa55a0003): Buffer {
    const body = Buffer.from(message, 'utf8');
    const header = Buffer.alloc(16);
    header.writeUInt32BE(type >>> 0, 0);
    header.writeUInt32BE(body.length, 4);
    header.writeBigInt64BE(micros, 8);
    return Buffer.concat([header, body]);
  }

  test('frames split across chunks are put back together; their time is kept', () => {
    const got: [number, string][] = [];
    const reader = new FrameReader((t, m) => got.push([t, m]), () => 1);
    const bytes = Buffer.concat([frame('first\nline\n', 1_700_000_000_123_456n), frame('second', 5_000n, 0xa55a0002 | 0b01100)]);
    for (let i = 0; i < bytes.length; i += 7) reader.push(bytes.subarray(i, i + 7));
    expect(got).toStrictEqual([
      [1_700_000_000_123, 'first\nline\n'],
      [5, 'second'],
    ]);
  });

  test('bytes that are not a frame pass through as lines; a cut frame is flushed as text', () => {
    const got: string[] = [];
    const reader = new FrameReader((_, m) => got.push(m), () => 1);
    reader.push(Buffer.from('plain text\nmore'));
    reader.flush();
    expect(got).toStrictEqual(['plain text\n', 'more']);
    got.length = 0;
    reader.push(frame('cut', 0n).subarray(0, 10));
    reader.flush();
    expect(got).toHaveLength(1);
  });

  test('lines are split on newlines; the last partial line waits for flush', () => {
    const got: string[] = [];
    const lines = new LineReader((_, m) => got.push(m));
    lines.push(Buffer.from('a\nb'));
    lines.push(Buffer.from('c\n\nd'));
    expect(got).toStrictEqual(['a\n', 'bc\n', '\n']);
    lines.flush();
    lines.flush();
    expect(got).toStrictEqual(['a\n', 'bc\n', '\n', 'd']);
  });
});

describe('environment helpers', () => {
  test('exits are described in Go wording, as Lambda prints them', () => {
    expect(describeExit(1, null)).toBe('exit status 1');
    expect(describeExit(null, null)).toBe('exit status 0');
    expect(describeExit(null, 'SIGKILL')).toBe('signal: killed');
    expect(describeExit(null, 'SIGABRT')).toBe('signal: aborted');
    expect(describeExit(null, 'SIGUSR2')).toBe('signal: usr2');
  });

  test('Billed Duration is ceil(Duration + Init Duration) on the printed figures, at least 1 ms', () => {
    expect(billedDurationMs(2.37, 423.98)).toBe(427);
    expect(billedDurationMs(1.1, 2.9)).toBe(4);
    expect(billedDurationMs(600000, 516.31)).toBe(600517);
    expect(billedDurationMs(0.001, undefined)).toBe(1);
    expect(billedDurationMs(46.84, undefined)).toBe(47);
  });

  test('memory is read from /proc, when there is one', () => {
    expect(readProcMemory(2 ** 22 + 12_345)).toBeUndefined();
    const own = readProcMemory(process.pid);
    if (own !== undefined) expect(own.peakKb).toBeGreaterThanOrEqual(own.rssKb);
  });

  test('the bootstrap is found next to the sources or the build', () => {
    expect(defaultBootstrapPath()).toBe(path.resolve('src/local/runtime/bootstrap.mjs'));
    // Nothing there: the first candidate is named.
    expect(defaultBootstrapPath(path.resolve('src'))).toBe(path.resolve('runtime/bootstrap.mjs'));
    expect(defaultBootstrapPath(path.resolve('src/local'))).toBe(path.resolve('src/local/runtime/bootstrap.mjs'));
  });
});

describe('Runtime API over raw HTTP', () => {
  let api: RuntimeApiServer;
  const signals: RuntimeSignal[] = [];

  function call(method: string, urlPath: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
    const [host, port] = api.address.split(':');
    return new Promise((resolve, reject) => {
      const req = request({ host, port: Number(port), method, path: urlPath, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  async function waitForNext(): Promise<void> {
    for (let i = 0; i < 500 && !api.waiting; i++) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  beforeAll(async () => {
    api = await RuntimeApiServer.start((s) => signals.push(s));
  });
  afterAll(() => api.close());

  test('init error before the first /next, then a full invocation cycle', async () => {
    const init = await call('POST', '/2018-06-01/runtime/init/error', '{"errorType":"Runtime.ImportModuleError"}', { 'lambda-runtime-function-error-type': 'Runtime.ImportModuleError' });
    expect(init).toMatchObject({ status: 202, body: '{"status":"OK"}' });
    expect(signals.at(-1)).toMatchObject({ type: 'initError', errorType: 'Runtime.ImportModuleError' });
    api.reset();

    const next = call('GET', '/2018-06-01/runtime/invocation/next');
    await waitForNext();
    expect(signals.at(-1)).toStrictEqual({ type: 'next' });
    expect(api.deliver({ requestId: 'id/1', payload: Buffer.from('{"a":1}'), deadlineMs: 123, invokedFunctionArn: 'arn:f', traceId: 'Root=1', clientContext: '{"c":1}', cognitoIdentity: '{"i":1}' })).toBe(true);
    expect(api.deliver({ requestId: 'x', payload: Buffer.alloc(0), deadlineMs: 0, invokedFunctionArn: '', traceId: '' })).toBe(false);
    const event = await next;
    expect(event.status).toBe(200);
    expect(event.body).toBe('{"a":1}');
    expect(event.headers).toMatchObject({
      'lambda-runtime-aws-request-id': 'id/1',
      'lambda-runtime-deadline-ms': '123',
      'lambda-runtime-invoked-function-arn': 'arn:f',
      'lambda-runtime-trace-id': 'Root=1',
      'lambda-runtime-client-context': '{"c":1}',
      'lambda-runtime-cognito-identity': '{"i":1}',
    });

    const wrong = await call('POST', '/2018-06-01/runtime/invocation/other/response', '1');
    expect(wrong.status).toBe(400);
    expect(JSON.parse(wrong.body)).toStrictEqual({ errorMessage: 'Invalid request ID: other', errorType: 'InvalidRequestID' });
    const busy = await call('GET', '/2018-06-01/runtime/invocation/next');
    expect(busy.status).toBe(403);
    const late = await call('POST', '/2018-06-01/runtime/init/error', '{}');
    expect(JSON.parse(late.body).errorType).toBe('InvalidStateTransition');
    const done = await call('POST', `/2018-06-01/runtime/invocation/${encodeURIComponent('id/1')}/error`, '{"errorType":"E"}', { 'x-lambda-meter-max-rss-kb': '2048' });
    expect(done.status).toBe(202);
    expect(signals.at(-1)).toMatchObject({ type: 'error', requestId: 'id/1', errorType: 'Unhandled', maxRssKb: 2048 });
    const again = await call('POST', '/2018-06-01/runtime/invocation/id%2F1/response', '1');
    expect(again.status).toBe(400);
  });

  test('a response over 6 MB is refused with 413', async () => {
    const next = call('GET', '/2018-06-01/runtime/invocation/next');
    await waitForNext();
    api.deliver({ requestId: 'big', payload: Buffer.from('{}'), deadlineMs: 0, invokedFunctionArn: '', traceId: '' });
    await next;
    const response = await call('POST', '/2018-06-01/runtime/invocation/big/response', Buffer.alloc(MAX_RESPONSE_BYTES + 1, 32));
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body).errorType).toBe('RequestEntityTooLarge');
    expect(signals.at(-1)).toStrictEqual({ type: 'responseTooLarge', requestId: 'big', size: MAX_RESPONSE_BYTES + 1 });
  });

  test('unknown paths and malformed ids', async () => {
    expect((await call('GET', '/2018-06-01/runtime/other')).status).toBe(404);
    expect((await call('GET', '/elsewhere')).status).toBe(404);
    expect((await call('POST', '/2018-06-01/runtime/invocation/%E0%A4%A/response', '1')).status).toBe(400);
  });

  test('a /next that gives up is no longer waiting', async () => {
    const [host, port] = api.address.split(':');
    const req = request({ host, port: Number(port), path: '/2018-06-01/runtime/invocation/next', agent: false });
    req.on('error', () => undefined);
    req.end();
    await waitForNext();
    expect(api.waiting).toBe(true);
    req.destroy();
    for (let i = 0; i < 200 && api.waiting; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(api.waiting).toBe(false);
  });
});

describe('the service without the SDK', () => {
  let service: LambdaService;
  let dir: string;

  function send(method: string, url: string, body: unknown = undefined, headers: Record<string, string> = {}): Promise<LocalResponse> {
    const raw = body === undefined ? Buffer.alloc(0) : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const req: LocalRequest = { method, url, headers, body: raw };
    return service.handle(req);
  }

  function errorOf(response: LocalResponse): { status: number; type: string | undefined; body: Record<string, unknown> } {
    return { status: response.status, type: response.headers['x-amzn-errortype'], body: JSON.parse(String(response.body)) as Record<string, unknown> };
  }

  async function waitUntil(condition: () => boolean): Promise<void> {
    for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(condition()).toBe(true);
  }

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'lambda-meter-service-'));
    service = new LambdaService({
      cpu: 'unlimited',
      updateDelayMs: 50,
      functions: [
        { name: 'hello', handler: `${F}hello.mjs#handler` },
        { name: 'one', handler: `${F}gate.mjs#handler`, timeoutSeconds: 60, reservedConcurrency: 1 },
        { name: 'exits', handler: `${F}exit-on-load.mjs#handler` },
        { name: 'flaky', handler: `${F}flaky-init.mjs#handler`, environment: { MARKER_FILE: path.join(dir, 'marker') } },
        { name: 'nowhere', handler: 'index.handler', taskRoot: path.join(dir, 'missing-folder') },
      ],
    });
  });
  afterAll(async () => {
    await service.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('routes only Lambda API paths', () => {
    expect(service.matches({ method: 'POST', url: '/2015-03-31/functions/f/invocations', headers: {}, body: Buffer.alloc(0) })).toBe(true);
    expect(service.matches({ method: 'POST', url: '/', headers: {}, body: Buffer.alloc(0) })).toBe(false);
  });

  test('malformed requests get Lambda error types', async () => {
    expect(errorOf(await send('GET', '/2015-03-31/functions/%E0%A4%A'))).toMatchObject({ status: 400, type: 'InvalidRequestContentException' });
    expect(errorOf(await send('PUT', '/2015-03-31/functions/hello/configuration', '{not json'))).toMatchObject({ status: 400, type: 'InvalidRequestContentException' });
    expect(errorOf(await send('GET', '/2015-03-31/functions/hello?Qualifier=bad!'))).toMatchObject({ status: 400, type: 'ValidationException' });
    const type = errorOf(await send('POST', '/2015-03-31/functions/hello/invocations', {}, { 'x-amz-invocation-type': 'Later' }));
    expect(type).toMatchObject({ status: 400, type: 'ValidationException' });
    expect(type.body).toMatchObject({ Type: 'User', message: expect.stringContaining("Value 'Later' at 'invocationType'") as unknown });
    expect(errorOf(await send('POST', '/2015-03-31/functions/hello/invocations', {}, { 'x-amz-log-type': 'All' }))).toMatchObject({ type: 'ValidationException' });
    expect(errorOf(await send('PUT', '/2015-03-31/functions/hello/configuration', { LoggingConfig: { LogFormat: 'XML' } }))).toMatchObject({ type: 'ValidationException' });
    expect(errorOf(await send('PUT', '/2015-03-31/functions/hello/configuration', { MemorySize: 'big' }))).toMatchObject({ type: 'ValidationException' });
    expect(errorOf(await send('PUT', '/2015-03-31/functions/hello/configuration', { Description: 5 }))).toMatchObject({ type: 'ValidationException' });
    expect(errorOf(await send('PUT', '/2015-03-31/functions/hello/configuration', { Environment: [] }))).toMatchObject({ type: 'ValidationException' });
    expect(errorOf(await send('PUT', '/2015-03-31/functions/hello/configuration', { LoggingConfig: { LogGroup: 'bad group!' } }))).toMatchObject({ type: 'ValidationException' });
    expect(errorOf(await send('PUT', '/2015-03-31/functions/hello:1/configuration', { Timeout: 4 }))).toMatchObject({ type: 'InvalidParameterValueException' });
    expect(errorOf(await send('GET', '/2015-03-31/functions/hello/versions?MaxItems=0'))).toMatchObject({ type: 'ValidationException' });
    expect(errorOf(await send('PATCH', '/2015-03-31/functions/hello'))).toMatchObject({ status: 400, type: 'UnsupportedOperationException' });
  });

  test('alias rules', async () => {
    expect((await send('POST', '/2015-03-31/functions/hello/versions', {})).status).toBe(201);
    expect(errorOf(await send('POST', '/2015-03-31/functions/hello:1/aliases', { Name: 'a', FunctionVersion: '1' }))).toMatchObject({ type: 'InvalidParameterValueException' });
    expect(errorOf(await send('POST', '/2015-03-31/functions/hello/aliases', { Name: 'a' }))).toMatchObject({ type: 'ValidationException' });
    const weights = (w: unknown, version = '1'): Promise<LocalResponse> =>
      send('POST', '/2015-03-31/functions/hello/aliases', { Name: 'a', FunctionVersion: version, RoutingConfig: { AdditionalVersionWeights: w } });
    expect(errorOf(await weights({ '1': 'half' }))).toMatchObject({ type: 'ValidationException' });
    expect(errorOf(await weights({ '1': 0.5 }))).toMatchObject({ type: 'InvalidParameterValueException' });
    expect(errorOf(await weights({ '1': 2 }, '$LATEST'))).toMatchObject({ type: 'ValidationException' });
    expect(errorOf(await weights({ '1': 0.5 }, '$LATEST'))).toMatchObject({ type: 'InvalidParameterValueException' });
    expect(errorOf(await weights({ '$LATEST': 0.5 }))).toMatchObject({ status: 404, type: 'ResourceNotFoundException' });
    expect(errorOf(await send('DELETE', '/2015-03-31/functions/hello?Qualifier=alias'))).toMatchObject({ type: 'InvalidParameterValueException' });
    const missing = errorOf(await send('DELETE', '/2015-03-31/functions/hello/aliases/none'));
    expect(missing).toMatchObject({ status: 404, type: 'ResourceNotFoundException' });
    expect(missing.body).toHaveProperty('Message');
  });

  test('weight 0 routes everything to the primary version', async () => {
    expect((await send('PUT', '/2015-03-31/functions/hello/configuration', { Timeout: 4 })).status).toBe(200);
    let published: LocalResponse | undefined;
    for (let i = 0; i < 100; i++) {
      published = await send('POST', '/2015-03-31/functions/hello/versions', {});
      if (published.status === 201) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(JSON.parse(String(published?.body))).toMatchObject({ Version: '2', Timeout: 4 });
    const created = await send('POST', '/2015-03-31/functions/hello/aliases', { Name: 'zero', FunctionVersion: '2', RoutingConfig: { AdditionalVersionWeights: { '1': 0 } } });
    expect(created.status).toBe(201);
    const invoked = await send('POST', '/2015-03-31/functions/hello/invocations?Qualifier=zero', {});
    expect(invoked.headers['x-amz-executed-version']).toBe('2');
  });

  test('asynchronous events wait for concurrency, oldest first', async () => {
    const ids: string[] = [];
    for (const ms of [300, 0]) {
      const response = await send('POST', '/2015-03-31/functions/one/invocations', { ms }, { 'x-amz-invocation-type': 'Event' });
      expect(response.status).toBe(202);
      ids.push(response.headers['x-amzn-requestid'] as string);
    }
    const reports = (): string[] =>
      service.logs
        .visibleEvents({ logGroupNames: ['/aws/lambda/one'] })
        .filter((e) => e.message.startsWith('REPORT'))
        .map((e) => /RequestId: (\S+)/.exec(e.message)?.[1] as string);
    await waitUntil(() => reports().length === 2);
    expect(reports()).toStrictEqual(ids);
    expect(service.environments().filter((e) => e.functionName === 'one')).toHaveLength(1);
  });

  test('an event for a function deleted before it ran is dropped', async () => {
    // The synchronous invocation holds the only concurrency until the gate opens, after the function is deleted: the
    // event cannot have run before, however slow the machine.
    const gate = fileGate();
    const slow = send('POST', '/2015-03-31/functions/one/invocations', { gate: gate.path });
    try {
      await waitUntil(() => service.environments().some((e) => e.functionName === 'one' && e.state === 'busy'));
      expect((await send('POST', '/2015-03-31/functions/one/invocations', { ms: 0 }, { 'x-amz-invocation-type': 'Event' })).status).toBe(202);
      expect((await send('DELETE', '/2015-03-31/functions/one')).status).toBe(204);
    } finally {
      gate.open();
    }
    expect((await slow).status).toBe(200);
    gate.remove();
    await waitUntil(() => service.environments().every((e) => e.functionName !== 'one'));
    const reports = service.logs.visibleEvents({ logGroupNames: ['/aws/lambda/one'] }).filter((e) => e.message.startsWith('REPORT'));
    expect(reports).toHaveLength(3);
  });

  test('a process that exits while loading is Runtime.ExitError at Init', async () => {
    const response = await send('POST', '/2015-03-31/functions/exits/invocations', {}, { 'x-amz-log-type': 'Tail' });
    expect(response.headers['x-amz-function-error']).toBe('Unhandled');
    expect(JSON.parse(String(response.body))).toStrictEqual({ errorType: 'Runtime.ExitError', errorMessage: 'Error: Runtime exited with error: exit status 2' });
    const log = Buffer.from(response.headers['x-amz-log-result'] as string, 'base64').toString('utf8');
    expect(log).toMatch(/INIT_REPORT Init Duration: [\d.]+ ms\tPhase: init\tStatus: error\tError Type: Runtime.ExitError\n/);
  });

  test('a missing task root fails its Init as a missing module does: Runtime.ImportModuleError', async () => {
    const response = await send('POST', '/2015-03-31/functions/nowhere/invocations', {}, { 'x-amz-log-type': 'Tail' });
    expect(response.headers['x-amz-function-error']).toBe('Unhandled');
    expect(JSON.parse(String(response.body))).toMatchObject({ errorType: 'Runtime.ImportModuleError', errorMessage: expect.stringContaining('Cannot find module') });
    const log = Buffer.from(response.headers['x-amz-log-result'] as string, 'base64').toString('utf8');
    expect(log).not.toContain('lambda-meter local could not start the runtime');
    expect(log).toMatch(/INIT_REPORT Init Duration: [\d.]+ ms\tPhase: init\tStatus: error\tError Type: Runtime\.ImportModuleError\n/);
  });

  test('an Init that fails once succeeds when run again inside the invoke; its time counts in Duration', async () => {
    const response = await send('POST', '/2015-03-31/functions/flaky/invocations', {}, { 'x-amz-log-type': 'Tail' });
    expect(response.headers['x-amz-function-error']).toBeUndefined();
    expect(String(response.body)).toBe('"recovered"');
    const log = Buffer.from(response.headers['x-amz-log-result'] as string, 'base64').toString('utf8');
    const parsed = parseLog(log);
    expect(parsed.reports[0]).toMatchObject({ status: 'success', coldStart: false });
    expect(parsed.reports[0]?.durationMs).toBeGreaterThan(10);
    expect(log).toMatch(/INIT_REPORT Init Duration: [\d.]+ ms\tPhase: init\tStatus: error\tError Type: Error\n/);
  });

  test('options are checked', () => {
    const field = (options: unknown): string | undefined => {
      try {
        new LambdaService(options as never);
      } catch (error) {
        return (error as InvalidInputError).field;
      }
      return undefined;
    };
    expect(field(null)).toBe('options');
    expect(field({ region: 'nowhere' })).toBe('options.region');
    expect(field({ accountId: '1' })).toBe('options.accountId');
    expect(field({ credentials: {} })).toBe('options.credentials');
    expect(field({ idleTimeoutMs: -1 })).toBe('options.idleTimeoutMs');
    expect(field({ accountConcurrency: 1.5 })).toBe('options.accountConcurrency');
    expect(field({ bootstrapPath: '/no/such/file' })).toBe('options.bootstrapPath');
    expect(field({ functions: {} })).toBe('options.functions');
    expect(field({ functions: [{ name: 'a', handler: 'a.b' }, { name: 'a', handler: 'a.b' }] })).toBe('options.functions[1].name');
    expect(field({ accountConcurrency: 10, functions: [{ name: 'a', handler: 'a.b', reservedConcurrency: 10 }] })).toBe('options.functions[0].reservedConcurrency');
    const other = new LambdaService({ region: 'eu-west-1', accountId: '000000000000' });
    other.addFunction({ name: 'added', handler: 'a.b' });
    expect(other.functionNames()).toStrictEqual(['added']);
    expect(() => other.addFunction({ name: 'added', handler: 'a.b' })).toThrow(InvalidInputError);
  });

  test('stop() during a cold start leaves nothing running', async () => {
    const slow = new LambdaService({ cpu: 'unlimited', functions: [{ name: 'slow', handler: `${F}slow-init.mjs#handler`, environment: { SLOW_INIT_MS: '5000' } }] });
    const invoke = (): Promise<LocalResponse> => slow.handle({ method: 'POST', url: '/2015-03-31/functions/slow/invocations', headers: {}, body: Buffer.alloc(0) });
    const first = invoke();
    for (let i = 0; i < 500 && slow.environments()[0]?.pid === undefined; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    const pid = slow.environments()[0]?.pid as number;
    expect(pid).toBeGreaterThan(0);
    // A second invocation asks for a new environment while the service stops.
    const second = invoke();
    await slow.stop();
    expect(() => process.kill(pid, 0)).toThrow();
    expect(slow.environments()).toStrictEqual([]);
    for (const response of await Promise.all([first, second])) {
      expect(response.status === 500 || response.headers['x-amz-function-error'] === 'Unhandled').toBe(true);
    }
  });

  test('after stop every request is a ServiceException', async () => {
    const stopped = new LambdaService({ cpu: 'unlimited', functions: [{ name: 'hello', handler: `${F}hello.mjs#handler` }] });
    await stopped.stop();
    const response = await stopped.handle({ method: 'GET', url: '/2015-03-31/functions/hello', headers: {}, body: Buffer.alloc(0) });
    expect(errorOf(response)).toMatchObject({ status: 500, type: 'ServiceException', body: { Type: 'Service', Message: 'lambda-meter local is stopping' } });
  });
});

describe('startLocalLambdaCore', () => {
  test('a port in use is reported and nothing is left running', async () => {
    const blocker = await startLocalServer([]);
    try {
      await expect(startLocalLambdaCore({ port: blocker.port })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await blocker.close();
    }
  });
});
