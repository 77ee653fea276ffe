/**
 * The control plane of local's Lambda through the real `@aws-sdk/client-lambda`: configuration updates, versions,
 * aliases, concurrency, event invoke configuration, Init failures and Lambda's error shapes as typed exceptions.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CreateAliasCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  DeleteFunctionEventInvokeConfigCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  GetFunctionEventInvokeConfigCommand,
  InvalidParameterValueException,
  InvalidRequestContentException,
  InvokeCommand,
  LambdaClient,
  LambdaServiceException,
  ListAliasesCommand,
  ListFunctionEventInvokeConfigsCommand,
  ListFunctionsCommand,
  ListLayersCommand,
  ListVersionsByFunctionCommand,
  PreconditionFailedException,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  PutFunctionEventInvokeConfigCommand,
  RequestTooLargeException,
  ResourceConflictException,
  ResourceNotFoundException,
  TooManyRequestsException,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  UpdateFunctionEventInvokeConfigCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { invokeWithTail } from '../src/invoke/index.js';
import { startLocalLambdaCore } from '../src/local/lambda/index.js';
import type { LocalLambdaCore } from '../src/local/lambda/index.js';
import { waitUntil } from './helpers/common.js';

const F = 'test/fixtures/functions/';
const HELLO = path.resolve(F, 'hello.mjs');

let core: LocalLambdaCore;
let lambda: LambdaClient;
let scratch: string;

function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

beforeAll(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), 'lambda-meter-local-'));
  writeFileSync(path.join(scratch, 'syntax.mjs'), 'export const handler = async () => {;\n');
  writeFileSync(path.join(scratch, 'common.cjs'), "exports.handler = async (event) => ({ cjs: true, event });\n");
  writeFileSync(path.join(scratch, 'plain.js'), "module.exports.handler = (event, context, callback) => callback(null, 'plain');\n");
  writeFileSync(path.join(scratch, 'requires.cjs'), "require('lambda-meter-missing-cjs-module');\nexports.handler = async () => 1;\n");
  core = await startLocalLambdaCore({
    cpu: 'unlimited', // correctness tests; test/local-cpu.test.ts covers CPU shares
    updateDelayMs: 400,
    functions: [
      { name: 'hello', handler: `${F}hello.mjs#handler`, environment: { MY_SETTING: 'first' }, description: 'says hello' },
      { name: 'versions', handler: `${F}hello.mjs#handler` },
      { name: 'throttled', handler: `${F}sleep.mjs#handler` },
      { name: 'doomed', handler: `${F}hello.mjs#handler` },
      { name: 'missing', handler: 'nothere.handler', taskRoot: F },
      { name: 'nohandler', handler: `${F}hello.mjs#nothing` },
      { name: 'notfunction', handler: `${F}nested.mjs#handlers.notAFunction` },
      { name: 'nested', handler: `${F}nested.mjs#handlers.main` },
      { name: 'esmmissing', handler: `${F}broken-import.mjs#handler` },
      { name: 'cjsmissing', handler: 'requires.handler', taskRoot: scratch },
      { name: 'throws', handler: `${F}throws-on-load.mjs#handler` },
      { name: 'syntax', handler: 'syntax.handler', taskRoot: scratch },
      { name: 'cjs', handler: `${scratch}/common.cjs#handler` },
      { name: 'plain', handler: 'plain.handler', taskRoot: scratch },
      { name: 'badname', handler: 'nodot', taskRoot: F },
      { name: 'zarch', handler: `${F}hello.mjs#handler`, architecture: 'x86_64' },
    ],
  });
  lambda = new LambdaClient(core.clientConfig());
});

afterAll(async () => {
  await core.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe('errors arrive as the SDK typed exceptions', () => {
  test('an unknown function is 404 ResourceNotFoundException', async () => {
    const error = await rejection(lambda.send(new InvokeCommand({ FunctionName: 'nope' })));
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error).toMatchObject({ message: 'Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope', Type: 'User' });
    expect((error as ResourceNotFoundException).$metadata.httpStatusCode).toBe(404);
    const other = await rejection(lambda.send(new GetFunctionCommand({ FunctionName: 'arn:aws:lambda:eu-west-1:123456789012:function:hello' })));
    expect(other).toBeInstanceOf(ResourceNotFoundException);
    const version = await rejection(lambda.send(new InvokeCommand({ FunctionName: 'hello', Qualifier: '42' })));
    expect((version as Error).message).toBe('Function not found: arn:aws:lambda:us-east-1:123456789012:function:hello:42');
  });

  test('a malformed function name is a ValidationException', async () => {
    const error = await rejection(lambda.send(new GetFunctionCommand({ FunctionName: 'bad name!' })));
    expect(error).toBeInstanceOf(LambdaServiceException);
    expect((error as Error).name).toBe('ValidationException');
    expect((error as Error).message).toMatch(/^1 validation error detected: Value 'bad name!' at 'functionName' failed to satisfy constraint/);
  });

  test('a payload over 6 MB is 413 RequestTooLargeException; over 1 MB for Event', async () => {
    const sync = await rejection(lambda.send(new InvokeCommand({ FunctionName: 'hello', Payload: Buffer.from(`"${'x'.repeat(6 * 1024 * 1024)}"`) })));
    expect(sync).toBeInstanceOf(RequestTooLargeException);
    expect((sync as RequestTooLargeException).$metadata.httpStatusCode).toBe(413);
    expect((sync as Error).message).toBe('Request must be smaller than 6291456 bytes for the InvokeFunction operation');
    const event = await rejection(
      lambda.send(new InvokeCommand({ FunctionName: 'hello', InvocationType: 'Event', Payload: Buffer.from(`"${'x'.repeat(1024 * 1024)}"`) })),
    );
    expect(event).toBeInstanceOf(RequestTooLargeException);
  });

  test('a payload that is not JSON, and a bad client context, are InvalidRequestContentException', async () => {
    const payload = await rejection(lambda.send(new InvokeCommand({ FunctionName: 'hello', Payload: Buffer.from('not json') })));
    expect(payload).toBeInstanceOf(InvalidRequestContentException);
    expect((payload as Error).message).toMatch(/^Could not parse request body into json: Could not parse payload into json/);
    const context = await rejection(lambda.send(new InvokeCommand({ FunctionName: 'hello', ClientContext: Buffer.from('[1]').toString('base64') })));
    expect(context).toBeInstanceOf(InvalidRequestContentException);
    const big = await rejection(lambda.send(new InvokeCommand({ FunctionName: 'hello', ClientContext: 'A'.repeat(4000) })));
    expect(big).toBeInstanceOf(InvalidRequestContentException);
  });

  test('an operation local does not implement is an AWS-shaped error with its own name', async () => {
    const error = await rejection(lambda.send(new ListLayersCommand({})));
    expect(error).toBeInstanceOf(LambdaServiceException);
    expect(error).toMatchObject({ name: 'UnsupportedOperationException' });
    expect((error as LambdaServiceException).$metadata.httpStatusCode).toBe(400);
  });

  test('a qualifier in the name and a different Qualifier parameter conflict', async () => {
    const error = await rejection(lambda.send(new InvokeCommand({ FunctionName: 'hello:1', Qualifier: '2' })));
    expect(error).toBeInstanceOf(InvalidParameterValueException);
  });
});

describe('configuration', () => {
  test('GetFunction and GetFunctionConfiguration describe the function as Lambda does', async () => {
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: 'hello' }));
    const sha = createHash('sha256').update(readFileSync(HELLO)).digest('base64');
    expect(fn.Configuration).toMatchObject({
      FunctionName: 'hello',
      FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:hello',
      Runtime: `nodejs${process.versions.node.split('.')[0]}.x`,
      Handler: 'hello.handler',
      MemorySize: 128,
      Timeout: 3,
      Description: 'says hello',
      Version: '$LATEST',
      State: 'Active',
      LastUpdateStatus: 'Successful',
      PackageType: 'Zip',
      CodeSha256: sha,
      CodeSize: readFileSync(HELLO).length,
      Environment: { Variables: { MY_SETTING: 'first' } },
      LoggingConfig: { LogFormat: 'Text', LogGroup: '/aws/lambda/hello' },
    });
    expect(fn.Configuration?.LastModified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    expect(fn.Code?.Location).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/2015-03-31\/functions\/hello\/code\?Qualifier=%24LATEST$/);
    const pkg = Buffer.from(await (await fetch(fn.Code?.Location ?? '')).arrayBuffer());
    expect(createHash('sha256').update(pkg).digest('base64')).toBe(sha);
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:hello' }));
    expect(config.RevisionId).toBe(fn.Configuration?.RevisionId);
  });

  test('ListFunctions pages with MaxItems and Marker', async () => {
    const first = await lambda.send(new ListFunctionsCommand({ MaxItems: 3 }));
    expect(first.Functions?.map((f) => f.FunctionName)).toStrictEqual(['badname', 'cjs', 'cjsmissing']);
    const second = await lambda.send(new ListFunctionsCommand({ MaxItems: 3, Marker: first.NextMarker }));
    expect(second.Functions?.map((f) => f.FunctionName)).toStrictEqual(['doomed', 'esmmissing', 'hello']);
    const bad = await rejection(lambda.send(new ListFunctionsCommand({ Marker: 'garbage!' })));
    expect(bad).toBeInstanceOf(InvalidParameterValueException);
  });

  test('UpdateFunctionConfiguration: InProgress, 409 while in progress, then Successful with a new environment', async () => {
    const before = await invokeWithTail(lambda, { functionName: 'hello' });
    const oldPid = before.json<{ pid: number }>().pid;
    // The update's 400 ms run on a fake clock, so the calls below all land while it is in progress, however long the
    // machine takes over them; then the clock moves past it.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const update = await lambda.send(
        new UpdateFunctionConfigurationCommand({ FunctionName: 'hello', MemorySize: 256, Environment: { Variables: { MY_SETTING: 'second' } }, Description: 'updated' }),
      );
      expect(update).toMatchObject({ LastUpdateStatus: 'InProgress', MemorySize: 256, Description: 'updated' });
      const conflict = await rejection(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'hello', Timeout: 5 })));
      expect(conflict).toBeInstanceOf(ResourceConflictException);
      expect((conflict as Error).message).toBe(
        'The operation cannot be performed at this time. An update is in progress for resource: arn:aws:lambda:us-east-1:123456789012:function:hello',
      );
      const publish = await rejection(lambda.send(new PublishVersionCommand({ FunctionName: 'hello' })));
      expect(publish).toBeInstanceOf(ResourceConflictException);
      const pending = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'hello' }));
      expect(pending).toMatchObject({ LastUpdateStatus: 'InProgress', MemorySize: 256 });
      vi.advanceTimersByTime(399);
      expect(await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'hello' }))).toMatchObject({ LastUpdateStatus: 'InProgress' });
      vi.advanceTimersByTime(1);
    } finally {
      vi.useRealTimers();
    }
    expect(await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'hello' }))).toMatchObject({ LastUpdateStatus: 'Successful' });
    const after = await invokeWithTail(lambda, { functionName: 'hello' });
    expect(after.report).toMatchObject({ memorySizeMB: 256, coldStart: true });
    expect(after.json<{ pid: number; env: Record<string, string> }>()).toMatchObject({ env: { MY_SETTING: 'second', AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256' } });
    expect(after.json<{ pid: number }>().pid).not.toBe(oldPid);
    await waitUntil(() => !core.service.environments().some((e) => e.pid === oldPid));
  });

  test('UpdateFunctionConfiguration rejects what Lambda rejects', async () => {
    const memory = await rejection(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'doomed', MemorySize: 64 })));
    expect(memory).toMatchObject({ name: 'ValidationException' });
    expect((memory as Error).message).toBe(
      "1 validation error detected: Value '64' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128",
    );
    const big = await rejection(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'doomed', MemorySize: 10_241 })));
    expect(big).toMatchObject({ name: 'ValidationException' });
    const timeout = await rejection(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'doomed', Timeout: 901 })));
    expect(timeout).toBeInstanceOf(InvalidParameterValueException);
    const reserved = await rejection(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'doomed', Environment: { Variables: { AWS_REGION: 'x' } } })));
    expect(reserved).toBeInstanceOf(InvalidParameterValueException);
    expect((reserved as Error).message).toMatch(/Reserved keys used in this request: AWS_REGION$/);
    const unsupported = await rejection(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'doomed', Runtime: 'python3.12' })));
    expect(unsupported).toBeInstanceOf(InvalidParameterValueException);
    const levels = await rejection(
      lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'doomed', LoggingConfig: { LogFormat: 'Text', ApplicationLogLevel: 'DEBUG' } })),
    );
    expect(levels).toBeInstanceOf(InvalidParameterValueException);
    const revision = await rejection(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'doomed', Timeout: 5, RevisionId: 'stale' })));
    expect(revision).toBeInstanceOf(PreconditionFailedException);
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'doomed' }));
    expect(config).toMatchObject({ LastUpdateStatus: 'Successful', MemorySize: 128, Timeout: 3 });
  });

  test('switching LoggingConfig to JSON changes what the next environment writes', async () => {
    const update = await lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'doomed', LoggingConfig: { LogFormat: 'JSON', LogGroup: '/custom/doomed' }, Handler: 'nested.handlers.main' }),
    );
    expect(update.LoggingConfig).toStrictEqual({ LogFormat: 'JSON', LogGroup: '/custom/doomed', ApplicationLogLevel: 'INFO', SystemLogLevel: 'INFO' });
    expect(update.Handler).toBe('nested.handlers.main');
    await waitUntil(async () => (await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'doomed' }))).LastUpdateStatus === 'Successful');
    const result = await invokeWithTail(lambda, { functionName: 'doomed', payload: { n: 1 } });
    expect(result.report?.format).toBe('json');
    expect(result.json()).toStrictEqual({ nested: true, event: { n: 1 } });
    expect(core.logs.listLogStreams('/custom/doomed')).toHaveLength(1);
  });
});

describe('versions and aliases', () => {
  test('PublishVersion, ListVersionsByFunction and invoking a version', async () => {
    const v1 = await lambda.send(new PublishVersionCommand({ FunctionName: 'versions', Description: 'first' }));
    expect(v1).toMatchObject({ Version: '1', Description: 'first', FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:versions:1' });
    const same = await lambda.send(new PublishVersionCommand({ FunctionName: 'versions' }));
    expect(same.Version).toBe('1');
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'versions', Environment: { Variables: { MY_SETTING: 'v2' } } }));
    await waitUntil(async () => (await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'versions' }))).LastUpdateStatus === 'Successful');
    const stale = await rejection(lambda.send(new PublishVersionCommand({ FunctionName: 'versions', CodeSha256: 'abc' })));
    expect(stale).toBeInstanceOf(InvalidParameterValueException);
    const v2 = await lambda.send(new PublishVersionCommand({ FunctionName: 'versions' }));
    expect(v2.Version).toBe('2');
    const page1 = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'versions', MaxItems: 2 }));
    const page2 = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'versions', MaxItems: 2, Marker: page1.NextMarker }));
    expect([...(page1.Versions ?? []), ...(page2.Versions ?? [])].map((v) => v.Version)).toStrictEqual(['$LATEST', '1', '2']);
    expect(page2.NextMarker).toBeUndefined();

    const one = await invokeWithTail(lambda, { functionName: 'versions', qualifier: '1' });
    expect(one.executedVersion).toBe('1');
    expect(one.json()).toMatchObject({ functionVersion: '1', invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:versions:1', env: { AWS_LAMBDA_FUNCTION_VERSION: '1' } });
    expect(one.json<{ env: Record<string, string> }>().env.MY_SETTING).toBeUndefined();
    expect(one.log).toContain(`START RequestId: ${one.requestId} Version: 1\n`);
    expect(one.json<{ logStreamName: string }>().logStreamName).toMatch(/^\d{4}\/\d\d\/\d\d\/\[1\][0-9a-f]{32}$/);
    const two = await invokeWithTail(lambda, { functionName: 'versions:2' });
    expect(two.json()).toMatchObject({ env: { MY_SETTING: 'v2' } });
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'versions', Qualifier: '2' }));
    expect(config.Version).toBe('2');
  });

  test('aliases: create, get, list, invoke with routing, update, delete', async () => {
    const alias = await lambda.send(new CreateAliasCommand({ FunctionName: 'versions', Name: 'live', FunctionVersion: '1', Description: 'production' }));
    expect(alias).toMatchObject({ AliasArn: 'arn:aws:lambda:us-east-1:123456789012:function:versions:live', Name: 'live', FunctionVersion: '1' });
    const duplicate = await rejection(lambda.send(new CreateAliasCommand({ FunctionName: 'versions', Name: 'live', FunctionVersion: '1' })));
    expect(duplicate).toBeInstanceOf(ResourceConflictException);
    const numeric = await rejection(lambda.send(new CreateAliasCommand({ FunctionName: 'versions', Name: '123', FunctionVersion: '1' })));
    expect(numeric).toMatchObject({ name: 'ValidationException' });
    const noVersion = await rejection(lambda.send(new CreateAliasCommand({ FunctionName: 'versions', Name: 'future', FunctionVersion: '9' })));
    expect(noVersion).toBeInstanceOf(ResourceNotFoundException);
    await lambda.send(new CreateAliasCommand({ FunctionName: 'versions', Name: 'edge', FunctionVersion: '$LATEST' }));

    const got = await lambda.send(new GetAliasCommand({ FunctionName: 'versions', Name: 'live' }));
    expect(got.RevisionId).toBe(alias.RevisionId);
    const listed = await lambda.send(new ListAliasesCommand({ FunctionName: 'versions' }));
    expect(listed.Aliases?.map((a) => a.Name)).toStrictEqual(['edge', 'live']);
    const forOne = await lambda.send(new ListAliasesCommand({ FunctionName: 'versions', FunctionVersion: '1' }));
    expect(forOne.Aliases?.map((a) => a.Name)).toStrictEqual(['live']);

    const viaAlias = await invokeWithTail(lambda, { functionName: 'versions', qualifier: 'live' });
    expect(viaAlias.executedVersion).toBe('1');
    expect(viaAlias.json()).toMatchObject({ invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:versions:live', functionVersion: '1' });
    const resource = core.metrics.getStatistics({
      namespace: 'AWS/Lambda',
      metricName: 'Invocations',
      dimensions: { FunctionName: 'versions', Resource: 'versions:live' },
      startTime: Date.now() - 3_600_000,
      endTime: Date.now() + 60_000,
      periodSeconds: 7200,
      stat: 'Sum',
    });
    expect(resource.map((d) => d.value)).toStrictEqual([1]);

    const staleRevision = await rejection(lambda.send(new UpdateAliasCommand({ FunctionName: 'versions', Name: 'live', FunctionVersion: '2', RevisionId: 'old' })));
    expect(staleRevision).toBeInstanceOf(PreconditionFailedException);
    const tooMany = await rejection(
      lambda.send(new UpdateAliasCommand({ FunctionName: 'versions', Name: 'live', RoutingConfig: { AdditionalVersionWeights: { '1': 0.5, '2': 0.5 } } })),
    );
    expect(tooMany).toBeInstanceOf(InvalidParameterValueException);
    // All traffic routed to version 1 while the alias's primary version is 2.
    const routed = await lambda.send(
      new UpdateAliasCommand({ FunctionName: 'versions', Name: 'live', FunctionVersion: '2', RoutingConfig: { AdditionalVersionWeights: { '1': 1 } } }),
    );
    expect(routed.RoutingConfig?.AdditionalVersionWeights).toStrictEqual({ '1': 1 });
    expect((await invokeWithTail(lambda, { functionName: 'versions', qualifier: 'live' })).executedVersion).toBe('1');
    await lambda.send(new UpdateAliasCommand({ FunctionName: 'versions', Name: 'live', RoutingConfig: { AdditionalVersionWeights: {} } }));
    expect((await invokeWithTail(lambda, { functionName: 'versions', qualifier: 'live' })).executedVersion).toBe('2');

    const inUse = await rejection(lambda.send(new DeleteFunctionCommand({ FunctionName: 'versions', Qualifier: '2' })));
    expect(inUse).toBeInstanceOf(ResourceConflictException);
    const latest = await rejection(lambda.send(new DeleteFunctionCommand({ FunctionName: 'versions', Qualifier: '$LATEST' })));
    expect(latest).toBeInstanceOf(InvalidParameterValueException);
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'versions', Qualifier: '1' }));
    const gone = await rejection(lambda.send(new InvokeCommand({ FunctionName: 'versions', Qualifier: '1' })));
    expect(gone).toBeInstanceOf(ResourceNotFoundException);
    await waitUntil(() => !core.service.environments().some((e) => e.functionName === 'versions' && e.version === '1' && e.state !== 'stopped'));

    await lambda.send(new DeleteAliasCommand({ FunctionName: 'versions', Name: 'live' }));
    const missing = await rejection(lambda.send(new GetAliasCommand({ FunctionName: 'versions', Name: 'live' })));
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect((missing as Error).message).toBe('Alias not found: arn:aws:lambda:us-east-1:123456789012:function:versions:live');
  });
});

describe('concurrency and event invoke configuration', () => {
  test('reserved concurrency 0 throttles every synchronous invoke; deleting it lifts the limit', async () => {
    const put = await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'throttled', ReservedConcurrentExecutions: 0 }));
    expect(put.ReservedConcurrentExecutions).toBe(0);
    expect(await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'throttled' }))).toMatchObject({ ReservedConcurrentExecutions: 0 });
    expect((await lambda.send(new GetFunctionCommand({ FunctionName: 'throttled' }))).Concurrency).toStrictEqual({ ReservedConcurrentExecutions: 0 });
    const error = await rejection(lambda.send(new InvokeCommand({ FunctionName: 'throttled', Payload: '{}' })));
    expect(error).toBeInstanceOf(TooManyRequestsException);
    expect(error).toMatchObject({ Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' });
    // An event for a function that can never run is dropped.
    const event = await lambda.send(new InvokeCommand({ FunctionName: 'throttled', InvocationType: 'Event', Payload: '{}' }));
    expect(event.StatusCode).toBe(202);
    const tooMuch = await rejection(lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'throttled', ReservedConcurrentExecutions: 950 })));
    expect(tooMuch).toBeInstanceOf(InvalidParameterValueException);
    await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'throttled' }));
    expect(await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'throttled' }))).not.toHaveProperty('ReservedConcurrentExecutions');
    const ok = await lambda.send(new InvokeCommand({ FunctionName: 'throttled', Payload: '{}' }));
    expect(ok.StatusCode).toBe(200);
    expect(core.service.environments().filter((e) => e.functionName === 'throttled')).toHaveLength(1);
  });

  test('Put, Update, Get and Delete FunctionEventInvokeConfig', async () => {
    const none = await rejection(lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'throttled' })));
    expect(none).toBeInstanceOf(ResourceNotFoundException);
    const put = await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'throttled', MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 }));
    expect(put).toMatchObject({ FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:throttled:$LATEST', MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 });
    expect(put.LastModified).toBeInstanceOf(Date);
    expect(Math.abs((put.LastModified as Date).getTime() - Date.now())).toBeLessThan(60_000);
    const updated = await lambda.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'throttled', MaximumRetryAttempts: 2 }));
    expect(updated).toMatchObject({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 60 });
    const got = await lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'throttled', Qualifier: '$LATEST' }));
    expect(got).toMatchObject({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 60 });
    const invalid = await rejection(lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'throttled', MaximumRetryAttempts: 3 })));
    expect(invalid).toMatchObject({ name: 'ValidationException' });
    const noAlias = await rejection(lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'throttled', Qualifier: 'nosuch', MaximumRetryAttempts: 1 })));
    expect(noAlias).toBeInstanceOf(ResourceNotFoundException);
    await lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'throttled' }));
    const deleted = await rejection(lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'throttled' })));
    expect(deleted).toBeInstanceOf(ResourceNotFoundException);
  });

  test('ListFunctionEventInvokeConfigs lists every qualifier, paged with MaxItems (at most 50) and Marker', async () => {
    core.service.addFunction({ name: 'configs', handler: `${F}hello.mjs#handler` });
    await lambda.send(new PublishVersionCommand({ FunctionName: 'configs' }));
    const empty = await lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'configs' }));
    expect(empty.FunctionEventInvokeConfigs).toStrictEqual([]);
    expect(empty.NextMarker).toBeUndefined();
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'configs', MaximumRetryAttempts: 1 }));
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'configs', Qualifier: '1', MaximumEventAgeInSeconds: 120 }));
    const first = await lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'configs', MaxItems: 1 }));
    expect(first.FunctionEventInvokeConfigs).toHaveLength(1);
    expect(typeof first.NextMarker).toBe('string');
    const second = await lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'configs', MaxItems: 1, Marker: first.NextMarker }));
    expect(second.NextMarker).toBeUndefined();
    const all = [...(first.FunctionEventInvokeConfigs ?? []), ...(second.FunctionEventInvokeConfigs ?? [])];
    expect(all).toMatchObject([
      { FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:configs:$LATEST', MaximumRetryAttempts: 1 },
      { FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:configs:1', MaximumEventAgeInSeconds: 120 },
    ]);
    const tooMany = await rejection(lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'configs', MaxItems: 51 })));
    expect(tooMany).toMatchObject({ name: 'ValidationException' });
    const missing = await rejection(lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'nosuch' })));
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    await lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'configs' }));
    await lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'configs', Qualifier: '1' }));
  });

  test('DeleteFunction removes the function and ends its environments', async () => {
    await lambda.send(new InvokeCommand({ FunctionName: 'nested', Payload: '{}' }));
    const pid = core.service.environments().find((e) => e.functionName === 'nested')?.pid;
    expect(pid).toBeGreaterThan(0);
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'nested' }));
    const error = await rejection(lambda.send(new InvokeCommand({ FunctionName: 'nested' })));
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    await waitUntil(() => !core.service.environments().some((e) => e.functionName === 'nested'));
    expect(core.service.functionNames()).not.toContain('nested');
  });
});

describe('Init phase', () => {
  test.each([
    ['missing', 'Runtime.ImportModuleError', "Error: Cannot find module 'nothere'"],
    ['cjsmissing', 'Runtime.ImportModuleError', "Error: Cannot find module 'lambda-meter-missing-cjs-module'"],
    ['nohandler', 'Runtime.HandlerNotFound', 'hello.nothing is undefined or not exported'],
    ['notfunction', 'Runtime.HandlerNotFound', 'nested.handlers.notAFunction is not a function'],
    ['syntax', 'Runtime.UserCodeSyntaxError', 'SyntaxError: '],
    ['esmmissing', 'Error', "Cannot find package 'lambda-meter-package-that-does-not-exist'"],
    ['throws', 'TypeError', 'configuration is missing'],
    ['badname', 'Runtime.MalformedHandlerName', 'Bad handler'],
  ])('%s: Init fails with %s, is run again inside the invoke, and the REPORT carries the error', async (name, errorType, message) => {
    const result = await invokeWithTail(lambda, { functionName: name });
    expect(result.functionError).toBe('Unhandled');
    expect(result.errorType).toBe(errorType);
    expect(result.errorMessage).toContain(message);
    expect(result.report).toMatchObject({ status: 'error', errorType, coldStart: false });
    const lines = result.log.split('\n');
    const initReports = lines.filter((l) => l.startsWith('INIT_REPORT'));
    expect(initReports).toHaveLength(2);
    expect(initReports[0]).toMatch(new RegExp(`^INIT_REPORT Init Duration: \\d+\\.\\d\\d ms\\tPhase: init\\tStatus: error\\tError Type: ${errorType.replace('.', '\\.')}$`));
    expect(initReports[1]).toMatch(/\tPhase: invoke\tStatus: error\t/);
    expect(lines.filter((l) => l.startsWith('INIT_START'))).toHaveLength(1);
    expect(lines.findIndex((l) => l.startsWith('START'))).toBeGreaterThan(lines.indexOf(initReports[1] as string));
    expect(lines.some((l) => /\tundefined\tERROR\tUncaught Exception \t\{"errorType":/.test(l))).toBe(true);
  });

  test('handlers load from CommonJS files and from Lambda-form names', async () => {
    const cjs = await invokeWithTail(lambda, { functionName: 'cjs', payload: { a: 1 } });
    expect(cjs.json()).toStrictEqual({ cjs: true, event: { a: 1 } });
    const plain = await invokeWithTail(lambda, { functionName: 'plain' });
    expect(plain.json()).toBe('plain');
  });

  test('an Init that outlasts the Init timeout is cut short and run again under the function timeout', async () => {
    const quick = await startLocalLambdaCore({ cpu: 'unlimited',
      initTimeoutMs: 300,
      functions: [{ name: 'slowinit', handler: `${F}slow-init.mjs#handler`, timeoutSeconds: 1, environment: { SLOW_INIT_MS: '3000' } }],
    });
    try {
      const client = new LambdaClient(quick.clientConfig());
      const result = await invokeWithTail(client, { functionName: 'slowinit' });
      expect(result.errorType).toBe('Sandbox.Timedout');
      expect(result.report?.status).toBe('timeout');
      const initReports = result.log.split('\n').filter((l) => l.startsWith('INIT_REPORT'));
      expect(initReports.map((l) => l.replace(/Init Duration: [\d.]+ ms/, 'D'))).toStrictEqual([
        'INIT_REPORT D\tPhase: init\tStatus: timeout',
        'INIT_REPORT D\tPhase: invoke\tStatus: timeout',
      ]);
    } finally {
      await quick.stop();
    }
  });

  test('idle environments are ended after the idle timeout', async () => {
    const quick = await startLocalLambdaCore({ cpu: 'unlimited', idleTimeoutMs: 100, functions: [{ name: 'hello', handler: `${F}hello.mjs#handler` }] });
    try {
      const client = new LambdaClient(quick.clientConfig());
      const first = await invokeWithTail(client, { functionName: 'hello' });
      const pid = first.json<{ pid: number }>().pid;
      await waitUntil(() => quick.service.environments().length === 0);
      expect(() => process.kill(pid, 0)).toThrow();
      const again = await invokeWithTail(client, { functionName: 'hello' });
      expect(again.report?.coldStart).toBe(true);
    } finally {
      await quick.stop();
    }
  });
});

describe('UpdateFunctionCode', () => {
  test('changes the architecture with the package GetFunction serves, then publishes it as a version', async () => {
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: 'zarch' }));
    expect(fn.Configuration?.Architectures).toStrictEqual(['x86_64']);
    const zip = new Uint8Array(await (await fetch(fn.Code?.Location ?? '')).arrayBuffer());
    const update = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'zarch', ZipFile: zip, Architectures: ['arm64'] }));
    expect(update).toMatchObject({ LastUpdateStatus: 'InProgress', Architectures: ['arm64'], CodeSha256: fn.Configuration?.CodeSha256 });
    await waitUntil(async () => (await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'zarch' }))).LastUpdateStatus === 'Successful');
    const version = await lambda.send(new PublishVersionCommand({ FunctionName: 'zarch' }));
    expect(version.Architectures).toStrictEqual(['arm64']);
    const out = await invokeWithTail(lambda, { functionName: 'zarch', qualifier: version.Version });
    expect(out.functionError).toBeUndefined();
    // Back, and a version of each architecture: PublishVersion tells them apart.
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'zarch', ZipFile: zip, Architectures: ['x86_64'] }));
    await waitUntil(async () => (await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'zarch' }))).LastUpdateStatus === 'Successful');
    const back = await lambda.send(new PublishVersionCommand({ FunctionName: 'zarch' }));
    expect(back.Version).not.toBe(version.Version);
    expect(back.Architectures).toStrictEqual(['x86_64']);
    const dry = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'zarch', ZipFile: zip, Architectures: ['arm64'], DryRun: true }));
    expect(dry.Architectures).toStrictEqual(['arm64']);
    expect((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'zarch' }))).Architectures).toStrictEqual(['x86_64']);
  });

  test('refuses other code, an image for a .zip function, S3, no source and a bad architecture', async () => {
    const other = await rejection(lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'zarch', ZipFile: new Uint8Array([1, 2, 3]) })));
    expect(other).toBeInstanceOf(InvalidParameterValueException);
    expect((other as Error).message).toMatch(/same CodeSha256/);
    const image = await rejection(lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'zarch', ImageUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/x:1' })));
    expect((image as Error).message).toMatch(/packageType Zip/);
    const s3 = await rejection(lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'zarch', S3Bucket: 'b', S3Key: 'k.zip' })));
    expect((s3 as Error).message).toMatch(/no S3/);
    const none = await rejection(lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'zarch', Architectures: ['arm64'] })));
    expect(none).toBeInstanceOf(InvalidParameterValueException);
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: 'zarch' }));
    const zip = new Uint8Array(await (await fetch(fn.Code?.Location ?? '')).arrayBuffer());
    const arch = await rejection(lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'zarch', ZipFile: zip, Architectures: ['sparc' as 'arm64'] })));
    expect((arch as { name?: string }).name).toBe('ValidationException');
  });
});
