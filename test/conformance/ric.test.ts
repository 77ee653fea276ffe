/**
 * Conformance of local's Lambda with AWS's own runtime interface client: every handler here is invoked through a real
 * `LambdaClient` twice, once in environments running lambda-meter's bootstrap and once in environments running
 * `aws-lambda-ric` (the Node.js runtime's own client code, a native addon built at install), and both must answer
 * alike: status code, FunctionError, payload, errorType/errorMessage, and the platform and console lines of the log
 * tail. The RIC runs under the Node.js that runs the tests (its addon is N-API, so one build serves Node.js 20, 22 and
 * 24).
 *
 * aws-lambda-ric is no dependency of the root project (its `npm ci` needs nothing but Node.js): this folder is a small
 * project of its own that installs it (`npm run conformance:install`, which needs Debian's build tools), and the test
 * runs with `npm run test:e2e` (vitest.e2e.config.ts). local resolves aws-lambda-ric from the current directory, as
 * for a user's own project, so the services are started from this folder. Not installed: a local run skips this file
 * with one line (vitest.e2e.config.ts); with CI=true it runs and fails here, never skipped.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { InvalidInputError } from '../../src/errors.js';
import { startLocalLambdaCore } from '../../src/local/lambda/index.js';
import type { LocalFunctionDefinition, LocalLambdaCore } from '../../src/local/lambda/index.js';
import { resolveRuntimeProcess } from '../../src/local/lambda/environment.js';
import { defaultBootstrapPath } from '../../src/local/lambda/runtime-client.js';

/** This folder: the conformance project, whose node_modules holds aws-lambda-ric. */
const CONFORMANCE_DIR = path.dirname(fileURLToPath(import.meta.url));
const TASK_ROOT = path.resolve(CONFORMANCE_DIR, '..', 'fixtures', 'functions', 'ric');
/** Where `npm run conformance:install` puts aws-lambda-ric's bin. */
const RIC_BIN = path.join(CONFORMANCE_DIR, 'node_modules', 'aws-lambda-ric', 'bin', 'index.mjs');

/**
 * Runs `fn` with the conformance project as the current directory, where local looks for aws-lambda-ric (it resolves
 * `runtimeClient: 'aws-lambda-ric'` once, when the service is created); the directory is restored after.
 */
async function fromConformanceProject<T>(fn: () => T | Promise<T>): Promise<T> {
  const previous = process.cwd();
  process.chdir(CONFORMANCE_DIR);
  try {
    return await fn();
  } finally {
    process.chdir(previous);
  }
}

const FUNCTIONS: readonly LocalFunctionDefinition[] = [
  { name: 'echo', handler: 'handlers.echo' },
  { name: 'nothing', handler: 'handlers.nothing' },
  { name: 'throws-named', handler: 'handlers.throwsNamed' },
  { name: 'throws-unnamed', handler: 'handlers.throwsUnnamed' },
  { name: 'throws-string', handler: 'handlers.throwsString' },
  { name: 'throws-object', handler: 'handlers.throwsObject' },
  { name: 'unhandled', handler: 'handlers.unhandled' },
  { name: 'uncaught', handler: 'handlers.uncaught' },
  { name: 'logs', handler: 'handlers.logs' },
  { name: 'logs-json', handler: 'handlers.logs', logFormat: 'JSON' },
  { name: 'context', handler: 'handlers.context', memorySizeMB: 256, timeoutSeconds: 7 },
  { name: 'callback', handler: 'callback.handler' },
  { name: 'callback-fails', handler: 'callback.fails' },
  { name: 'callback-waits', handler: 'callback.waits' },
  { name: 'init-error', handler: 'init-error.handler' },
  { name: 'no-such-export', handler: 'handlers.noSuchExport' },
  { name: 'no-such-module', handler: 'missing.handler' },
  { name: 'syntax-error', handler: 'syntax-error.handler' },
].map((f) => ({ ...f, taskRoot: TASK_ROOT }) as LocalFunctionDefinition);

const INSTALL_HINT =
  'aws-lambda-ric is required by this conformance test and is not usable in test/conformance. Install the Debian packages ' +
  'its native addon needs (sudo apt-get install -y autoconf automake libtool cmake make g++ python3), then run ' +
  '`npm run conformance:install` (MAKEFLAGS=-j$(nproc) speeds the build) and `npm run test:e2e`.';

interface Answer {
  readonly statusCode: number | undefined;
  readonly functionError: string | undefined;
  /** The payload parsed as JSON. */
  readonly payload: unknown;
  readonly requestId: string;
  readonly log: string;
}

let ours: LocalLambdaCore;
let ric: LocalLambdaCore;
let oursClient: LambdaClient;
let ricClient: LambdaClient;

beforeAll(async () => {
  try {
    resolveRuntimeProcess('aws-lambda-ric', defaultBootstrapPath(), [CONFORMANCE_DIR]);
  } catch (error) {
    throw new Error(`${INSTALL_HINT}\n${(error as Error).message}`, { cause: error });
  }
  [ours, ric] = await fromConformanceProject(() =>
    Promise.all([
      startLocalLambdaCore({ functions: FUNCTIONS, cpu: 'unlimited' }),
      startLocalLambdaCore({ functions: FUNCTIONS, cpu: 'unlimited', runtimeClient: 'aws-lambda-ric' }),
    ]),
  );
  oursClient = new LambdaClient(ours.clientConfig());
  ricClient = new LambdaClient(ric.clientConfig());
});

afterAll(async () => {
  oursClient?.destroy();
  ricClient?.destroy();
  await Promise.all([ours?.stop(), ric?.stop()]);
});

async function invoke(client: LambdaClient, functionName: string, payload: unknown, clientContext?: unknown): Promise<Answer> {
  const out = await client.send(
    new InvokeCommand({
      FunctionName: functionName,
      Payload: Buffer.from(JSON.stringify(payload)),
      LogType: 'Tail',
      ...(clientContext === undefined ? {} : { ClientContext: Buffer.from(JSON.stringify(clientContext)).toString('base64') }),
    }),
  );
  const text = Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8');
  return {
    statusCode: out.StatusCode,
    functionError: out.FunctionError,
    payload: text === '' ? undefined : (JSON.parse(text) as unknown),
    requestId: out.$metadata.requestId ?? '',
    log: Buffer.from(out.LogResult ?? '', 'base64').toString('utf8'),
  };
}

/** The same invocation through lambda-meter's bootstrap and through aws-lambda-ric. */
async function both(functionName: string, payload: unknown = {}, clientContext?: unknown): Promise<{ ours: Answer; ric: Answer }> {
  const [a, b] = await Promise.all([invoke(oursClient, functionName, payload, clientContext), invoke(ricClient, functionName, payload, clientContext)]);
  return { ours: a, ric: b };
}

/**
 * Stack frames differ (each client's own functions and files): `    at …` lines, and `"    at …"` entries of the
 * JSON arrays in error lines, are dropped; the first line of a stack stays.
 */
function withoutFrames(text: string): string {
  return (
    text
      .replace(/,"\s+at [^"]*"/g, '')
      .split('\n')
      .filter((part) => !/^\s+at /.test(part))
      // util.inspect indents an error's own fields after its stack by how it breaks the lines.
      .map((part) => part.replace(/^\s+/, ' '))
      .join('\n')
  );
}

/** The `Require stack` of a MODULE_NOT_FOUND names the runtime client's own file (Lambda: /var/runtime/index.mjs). */
function withoutRequireStack(message: unknown): unknown {
  return typeof message === 'string' ? message.replace(/\nRequire stack:\n- .*$/, '\nRequire stack:\n- <runtime client>') : message;
}

/** The console lines of a tail (each up to the next line that starts an entry), time and request id replaced. */
function consoleLines(answer: Answer): string[] {
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z\t/;
  return answer.log
    .split(/\n(?=\d{4}-\d{2}-\d{2}T|START |END |REPORT |INIT_|Executing |\{)/)
    .filter((line) => iso.test(line))
    .map((line) => withoutFrames(line.replace(iso, '<time>\t').replaceAll(answer.requestId, '<request id>')).trimEnd());
}

/** The platform lines of a tail (START, END, REPORT, INIT_START, INIT_REPORT) with their figures replaced. */
function platformLines(answer: Answer): string[] {
  return answer.log
    .split('\n')
    .filter((line) => /^(START|END|REPORT|INIT_START|INIT_REPORT) /.test(line))
    .map((line) =>
      line
        .replaceAll(answer.requestId, '<request id>')
        .replace(/\d+(\.\d+)? (ms|MB)/g, '<n> $2')
        .trimEnd(),
    );
}

/**
 * Both answered alike: status, FunctionError, payload (errors: the same fields, type and message, trace's first line);
 * `perInvocation` names payload fields that differ by nature (request id, log stream, remaining time).
 */
function expectSameResult(pair: { ours: Answer; ric: Answer }, perInvocation: readonly string[] = []): void {
  expect(pair.ric.statusCode).toBe(pair.ours.statusCode);
  expect(pair.ric.functionError).toBe(pair.ours.functionError);
  if (pair.ours.functionError === undefined) {
    const comparable = (answer: Answer): unknown =>
      perInvocation.length === 0 ? answer.payload : Object.fromEntries(Object.entries(answer.payload as object).filter(([key]) => !perInvocation.includes(key)));
    expect(comparable(pair.ric)).toStrictEqual(comparable(pair.ours));
    return;
  }
  const error = (answer: Answer): Record<string, unknown> => answer.payload as Record<string, unknown>;
  expect(Object.keys(error(pair.ric)).sort()).toStrictEqual(Object.keys(error(pair.ours)).sort());
  expect(error(pair.ric).errorType).toBe(error(pair.ours).errorType);
  expect(withoutRequireStack(error(pair.ric).errorMessage)).toBe(withoutRequireStack(error(pair.ours).errorMessage));
  expect(Array.isArray(error(pair.ric).trace)).toBe(Array.isArray(error(pair.ours).trace));
  expect((error(pair.ric).trace as unknown[] | undefined)?.[0]).toBe((error(pair.ours).trace as unknown[] | undefined)?.[0]);
}

function expectPlatformLines(answer: Answer, coldStart: boolean): void {
  const lines = platformLines(answer);
  for (const start of ['START RequestId: <request id>', 'END RequestId: <request id>', 'REPORT RequestId: <request id>']) {
    expect(lines.filter((line) => line.startsWith(start))).toHaveLength(1);
  }
  expect(lines.some((line) => line.startsWith('INIT_START '))).toBe(coldStart);
}

describe('aws-lambda-ric runs against local', () => {
  test('the RIC environment runs the RIC, under the Node.js that runs the tests', async () => {
    const answer = await invoke(ricClient, 'context', {});
    expect(answer.functionError).toBeUndefined();
    expect((answer.payload as { node: string }).node).toBe(process.version);
    // The RIC's bin prints this before it patches console: proof that it, and not our bootstrap, ran.
    expect(answer.log).toMatch(/^Executing 'handlers\.context' in function directory '.*test\/fixtures\/functions\/ric'$/m);
    expect(ours.service.environments().some((e) => e.functionName === 'context')).toBe(false);
  });
});

describe('the same results from lambda-meter bootstrap and aws-lambda-ric', () => {
  test('an async handler returning JSON: payload, status and platform lines', async () => {
    const cold = await both('echo', { n: 1, s: 'é' });
    expectSameResult(cold);
    expect(cold.ours.statusCode).toBe(200);
    expect(cold.ours.payload).toStrictEqual({ echo: { n: 1, s: 'é' }, list: [1, 'two', null], nested: { ok: true } });
    expectPlatformLines(cold.ours, true);
    expectPlatformLines(cold.ric, true);
    expect(platformLines(cold.ric)).toStrictEqual(platformLines(cold.ours));
    const warm = await both('echo', { n: 2 });
    expectSameResult(warm);
    expect(platformLines(warm.ric)).toStrictEqual(platformLines(warm.ours));
    expectPlatformLines(warm.ours, false);
    expectPlatformLines(warm.ric, false);
  });

  test('an async handler returning undefined answers null', async () => {
    const pair = await both('nothing');
    expectSameResult(pair);
    expect(pair.ours.payload).toBeNull();
  });

  test('callback handlers: a result, an error, and a result held until the event loop is empty', async () => {
    const ok = await both('callback', { n: 21 });
    expectSameResult(ok);
    expect(ok.ours.payload).toStrictEqual({ doubled: 42 });
    const failed = await both('callback-fails');
    expectSameResult(failed);
    expect(failed.ours.payload).toMatchObject({ errorType: 'RangeError', errorMessage: 'out of range' });
    expect(consoleLines(failed.ric)).toStrictEqual(consoleLines(failed.ours));
    const waits = await both('callback-waits');
    expectSameResult(waits);
    expect(waits.ours.payload).toStrictEqual({ ticksAtCallback: 0 });
  });

  test('a thrown Error subclass: Unhandled, errorType from its name, the Invoke Error line', async () => {
    const named = await both('throws-named');
    expectSameResult(named);
    expect(named.ours.functionError).toBe('Unhandled');
    expect(named.ours.payload).toMatchObject({ errorType: 'ValidationError', errorMessage: 'bad input', trace: expect.any(Array) as unknown });
    expect(consoleLines(named.ric)).toStrictEqual(consoleLines(named.ours));
    expect(consoleLines(named.ours)[0]).toMatch(/^<time>\t<request id>\tERROR\tInvoke Error \t\{"errorType":"ValidationError","errorMessage":"bad input","name":"ValidationError","field":"id","stack":\["ValidationError: bad input"\]\}$/);
    expectPlatformLines(named.ric, true);
    const unnamed = await both('throws-unnamed');
    expectSameResult(unnamed);
    // A subclass that does not set name reports the inherited 'Error', on Lambda as here.
    expect(unnamed.ours.payload).toMatchObject({ errorType: 'Error', errorMessage: 'plain subclass' });
    expect(consoleLines(unnamed.ric)).toStrictEqual(consoleLines(unnamed.ours));
  });

  test('a thrown string: errorType "string", an empty trace', async () => {
    const pair = await both('throws-string');
    expectSameResult(pair);
    expect(pair.ours.payload).toStrictEqual({ errorType: 'string', errorMessage: 'just a string', trace: [] });
    expect(consoleLines(pair.ric)).toStrictEqual(consoleLines(pair.ours));
  });

  test('a thrown object with name and message but no stack is no error: errorType "object"', async () => {
    const pair = await both('throws-object');
    expectSameResult(pair);
    expect(pair.ours.payload).toStrictEqual({ errorType: 'object', errorMessage: '[object Object]', trace: [] });
    expect(consoleLines(pair.ric)).toStrictEqual(consoleLines(pair.ours));
  });

  test('an unhandled rejection: Runtime.UnhandledPromiseRejection, then a new environment', async () => {
    const pair = await both('unhandled');
    expectSameResult(pair);
    expect(pair.ours.payload).toMatchObject({ errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: 'Error: nobody listens' });
    expect(consoleLines(pair.ric)).toStrictEqual(consoleLines(pair.ours));
    expect(consoleLines(pair.ours)[0]).toMatch(/^<time>\t<request id>\tERROR\tUnhandled Promise Rejection \t\{"errorType":"Runtime\.UnhandledPromiseRejection","errorMessage":"Error: nobody listens","reason":\{"errorType":"Error"/);
  });

  test('an exception thrown from a timer: reported for the invocation', async () => {
    const pair = await both('uncaught');
    expectSameResult(pair);
    expect(pair.ours.payload).toMatchObject({ errorType: 'RangeError', errorMessage: 'thrown from a timer' });
    expect(consoleLines(pair.ric)).toStrictEqual(consoleLines(pair.ours));
  });

  test('console.log/info/warn/error lines, text format', async () => {
    const pair = await both('logs', { n: 3 });
    expectSameResult(pair);
    const lines = consoleLines(pair.ours);
    expect(lines).toStrictEqual([
      '<time>\t<request id>\tINFO\thello world',
      "<time>\t<request id>\tINFO\tinfo line { a: 1 }",
      '<time>\t<request id>\tWARN\twarn line',
      "<time>\t<request id>\tERROR\terror line ValidationError: logged\n field: 'id'\n}",
      '<time>\t<request id>\tINFO\ttwo\nlines',
      // A bare console.log() prints `undefined`: the runtime's methods are (message, ...params).
      '<time>\t<request id>\tINFO\tundefined',
      '<time>\t<request id>\tERROR\tUnnamedError: unnamed',
      "<time>\t<request id>\tINFO\t{\n nested: ValidationError: inside\n field: 'id'\n }\n}",
    ]);
    expect(consoleLines(pair.ric)).toStrictEqual(lines);
  });

  test('console lines, JSON format: the same entries', async () => {
    const pair = await both('logs-json', { n: 4 });
    expectSameResult(pair);
    const entries = (answer: Answer): unknown[] =>
      answer.log
        .split('\n')
        .filter((line) => line.startsWith('{"timestamp"'))
        .map((line) => {
          const entry = JSON.parse(line) as Record<string, unknown>;
          expect(entry.requestId).toBe(answer.requestId);
          delete entry.timestamp;
          delete entry.requestId;
          if (typeof entry.message === 'string') entry.message = withoutFrames(entry.message);
          return JSON.parse(withoutFrames(JSON.stringify(entry))) as unknown;
        });
    expect(entries(pair.ours)).toHaveLength(8);
    // An Error's errorType in JSON lines is its constructor's name, not its `name`.
    expect(entries(pair.ours)[6]).toMatchObject({ level: 'ERROR', message: { errorType: 'UnnamedError', errorMessage: 'unnamed' } });
    expect(entries(pair.ric)).toStrictEqual(entries(pair.ours));
  });

  test('context fields: functionName, memoryLimitInMB, awsRequestId, remaining time, ARN, clientContext', async () => {
    const clientContext = { client: { installation_id: 'i-1' }, custom: { tenant: 'a' }, env: { locale: 'en' } };
    const pair = await both('context', {}, clientContext);
    expectSameResult(pair, ['awsRequestId', 'logStreamName', 'remainingMs', 'traceId']);
    for (const answer of [pair.ours, pair.ric]) {
      const context = answer.payload as Record<string, unknown>;
      expect(context).toMatchObject({
        functionName: 'context',
        functionVersion: '$LATEST',
        memoryLimitInMB: '256',
        awsRequestId: answer.requestId,
        invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:context',
        logGroupName: '/aws/lambda/context',
        clientContext,
        identity: null,
        callbackWaitsForEmptyEventLoop: true,
      });
      expect(context.remainingMs).toBeGreaterThan(5000);
      expect(context.remainingMs).toBeLessThanOrEqual(7000);
      expect(String(context.traceId)).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
    }
    // Each environment has its own log stream; both are named alike.
    const stream = (answer: Answer): string => (answer.payload as { logStreamName: string }).logStreamName;
    expect(stream(pair.ric)).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(stream(pair.ours)).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
  });
});

describe('Init errors: the same errorType and message from both', () => {
  test('a module that throws at import', async () => {
    const pair = await both('init-error');
    expectSameResult(pair);
    expect(pair.ours.functionError).toBe('Unhandled');
    expect(pair.ours.payload).toMatchObject({ errorType: 'TypeError', errorMessage: 'boom at import' });
    expectPlatformLines(pair.ours, true);
    expectPlatformLines(pair.ric, true);
    expect(platformLines(pair.ric)).toStrictEqual(platformLines(pair.ours));
    expect(platformLines(pair.ours).filter((line) => line.startsWith('INIT_REPORT '))).toHaveLength(2);
    expect(platformLines(pair.ours)).toContain('INIT_REPORT Init Duration: <n> ms\tPhase: init\tStatus: error\tError Type: TypeError');
    expect(consoleLines(pair.ric)).toStrictEqual(consoleLines(pair.ours));
  });

  test('a handler name that is not exported: Runtime.HandlerNotFound', async () => {
    const pair = await both('no-such-export');
    expectSameResult(pair);
    expect(pair.ours.payload).toMatchObject({ errorType: 'Runtime.HandlerNotFound', errorMessage: 'handlers.noSuchExport is undefined or not exported' });
    expect(consoleLines(pair.ric)).toStrictEqual(consoleLines(pair.ours));
  });

  test('a module that does not exist: Runtime.ImportModuleError', async () => {
    const pair = await both('no-such-module');
    expectSameResult(pair);
    expect(pair.ours.payload).toMatchObject({ errorType: 'Runtime.ImportModuleError' });
    const message = (answer: Answer): string => (answer.payload as { errorMessage: string }).errorMessage;
    expect(message(pair.ours)).toMatch(/^Error: Cannot find module 'missing'\nRequire stack:\n- .*\/bootstrap\.mjs$/);
    expect(message(pair.ric)).toMatch(/^Error: Cannot find module 'missing'\nRequire stack:\n- .*\/aws-lambda-ric\/dist\/index\.mjs$/);
  });

  test('a module that does not parse: Runtime.UserCodeSyntaxError', async () => {
    const pair = await both('syntax-error');
    expectSameResult(pair);
    expect(pair.ours.payload).toMatchObject({ errorType: 'Runtime.UserCodeSyntaxError' });
    expect(consoleLines(pair.ric)).toStrictEqual(consoleLines(pair.ours));
  });
});

describe('the runtimeClient option', () => {
  test('aws-lambda-ric not found, or found without its native addon: an InvalidInputError naming the build packages', () => {
    const bootstrap = defaultBootstrapPath();
    expect(() => resolveRuntimeProcess('aws-lambda-ric', bootstrap, [tmpdir()])).toThrow(InvalidInputError);
    expect(() => resolveRuntimeProcess('aws-lambda-ric', bootstrap, [tmpdir()])).toThrow(/autoconf automake libtool cmake make g\+\+ python3.*npm install -D aws-lambda-ric/);
    const folder = mkdtempSync(path.join(tmpdir(), 'ric-without-addon-'));
    try {
      mkdirSync(path.join(folder, 'node_modules', 'aws-lambda-ric'), { recursive: true });
      writeFileSync(path.join(folder, 'node_modules', 'aws-lambda-ric', 'package.json'), '{"name":"aws-lambda-ric","version":"3.3.0"}');
      expect(() => resolveRuntimeProcess('aws-lambda-ric', bootstrap, [folder])).toThrow(/without its native addon.*npm rebuild aws-lambda-ric/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('the default, lambda-meter, and a command of your own', async () => {
    const bootstrap = defaultBootstrapPath();
    const executable = process.execPath;
    expect(resolveRuntimeProcess(undefined, bootstrap)).toStrictEqual({ kind: 'node', executable, script: bootstrap, handlerArgument: false });
    expect(resolveRuntimeProcess('lambda-meter', bootstrap)).toStrictEqual({ kind: 'node', executable, script: bootstrap, handlerArgument: false });
    // nodePath: the same client on another Node.js binary.
    expect(resolveRuntimeProcess(undefined, bootstrap, undefined, '/opt/node24/bin/node')).toStrictEqual({
      kind: 'node',
      executable: '/opt/node24/bin/node',
      script: bootstrap,
      handlerArgument: false,
    });
    // Resolved from the current directory by default: here the conformance project's own copy.
    expect(await fromConformanceProject(() => resolveRuntimeProcess('aws-lambda-ric', bootstrap))).toStrictEqual({ kind: 'node', executable, script: RIC_BIN, handlerArgument: true });
    expect(resolveRuntimeProcess('aws-lambda-ric', bootstrap, [CONFORMANCE_DIR])).toMatchObject({ kind: 'node', script: expect.stringMatching(/aws-lambda-ric\/bin\/index\.mjs$/) as unknown, handlerArgument: true });
    expect(resolveRuntimeProcess({ command: '/opt/bootstrap', args: ['-v'] }, bootstrap)).toStrictEqual({ kind: 'command', command: '/opt/bootstrap', args: ['-v'] });
    for (const bad of ['ric', { command: '' , args: [] }, { command: 'x' }, { command: 'x', args: [1] }]) {
      expect(() => resolveRuntimeProcess(bad as never, bootstrap)).toThrow(/options\.runtimeClient/);
    }
  });

  test('a command of your own runs as given, with the function environment', async () => {
    const core = await startLocalLambdaCore({
      functions: [{ name: 'echo', handler: 'handlers.echo', taskRoot: TASK_ROOT }],
      cpu: 'unlimited',
      runtimeClient: { command: process.execPath, args: [defaultBootstrapPath()] },
    });
    const client = new LambdaClient(core.clientConfig());
    try {
      const answer = await invoke(client, 'echo', { via: 'command' });
      expect(answer.functionError).toBeUndefined();
      expect(answer.payload).toMatchObject({ echo: { via: 'command' } });
    } finally {
      client.destroy();
      await core.stop();
    }
  });
});
