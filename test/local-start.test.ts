/**
 * startLocalLambda end to end: one endpoint for Lambda, CloudWatch Logs and CloudWatch, driven by the real AWS SDK
 * clients; fault plans; the `lambda-meter local` command.
 */
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
  ResourceConflictException,
  type ServiceException,
  TooManyRequestsException,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { CloudWatchLogsClient, DescribeLogGroupsCommand, GetLogEventsCommand, DescribeLogStreamsCommand, ThrottlingException } from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { runCli } from '../src/cli/index.js';
import { parseFunctionSpec } from '../src/cli/args.js';
import { isLambdaMeterError } from '../src/errors.js';
import { invokeWithTail } from '../src/invoke/index.js';
import { FaultInjector } from '../src/local/faults.js';
import { startLocalLambda, validateFaultPlan } from '../src/local/index.js';
import type { LocalLambda } from '../src/local/index.js';
import { fetchLambdaMetrics } from '../src/metrics/index.js';
import { pidAlive } from './helpers/common.js';

const F = 'test/fixtures/functions/';

function expectInvalid(run: () => unknown, field: RegExp): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(isLambdaMeterError(caught, 'InvalidInputError'), String(caught)).toBe(true);
  expect((caught as { field: string }).field).toMatch(field);
}

describe('startLocalLambda', () => {
  let local: LocalLambda;
  let lambda: LambdaClient;
  let logs: CloudWatchLogsClient;
  let cloudwatch: CloudWatchClient;

  beforeAll(async () => {
    local = await startLocalLambda({
      functions: [
        { name: 'hello', handler: `${F}hello.mjs#handler`, memorySizeMB: 1769 },
        { name: 'sleep', handler: `${F}sleep.mjs#handler`, memorySizeMB: 1769 },
      ],
      timeScale: 10,
    });
    // maxAttempts 1: the fault-plan tests count the calls each injected fault hits; the SDK must not retry them.
    lambda = new LambdaClient({ ...local.clientConfig(), maxAttempts: 1 });
    logs = new CloudWatchLogsClient({ ...local.clientConfig(), maxAttempts: 1 });
    cloudwatch = new CloudWatchClient({ ...local.clientConfig(), maxAttempts: 1 });
  });

  afterAll(async () => {
    await local.stop();
    lambda.destroy();
    logs.destroy();
    cloudwatch.destroy();
  });

  test('serves Lambda, CloudWatch Logs and CloudWatch on one endpoint', async () => {
    expect(local.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(local.clientConfig()).toEqual({ endpoint: local.endpoint, region: 'us-east-1', credentials: local.credentials });
    const cold = await invokeWithTail(lambda, { functionName: 'hello', payload: { n: 1 } });
    const warm = await invokeWithTail(lambda, { functionName: 'hello', payload: { n: 2 } });
    expect(cold.report?.coldStart).toBe(true);
    expect(warm.report?.coldStart).toBe(false);
    expect(cold.json<{ event: unknown }>().event).toEqual({ n: 1 });

    const groups = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/lambda/' }));
    expect(groups.logGroups?.map((g) => g.logGroupName)).toContain('/aws/lambda/hello');
    const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/lambda/hello' }));
    const events = await logs.send(
      new GetLogEventsCommand({ logGroupName: '/aws/lambda/hello', logStreamName: streams.logStreams?.[0]?.logStreamName, startFromHead: true }),
    );
    const reports = (events.events ?? []).filter((e) => e.message?.startsWith('REPORT'));
    expect(reports.map((e) => e.message?.match(/RequestId: (\S+)/)?.[1])).toEqual([cold.requestId, warm.requestId]);

    const now = Date.now();
    const series = await fetchLambdaMetrics(cloudwatch, {
      functionName: 'hello',
      metrics: ['Invocations', 'Errors'],
      startTime: now - 10 * 60_000,
      endTime: now + 60_000,
      periodSeconds: 60,
    });
    expect(series.Invocations.points.reduce((sum, p) => sum + p.value, 0)).toBe(2);
    expect(series.Errors.points.reduce((sum, p) => sum + p.value, 0)).toBe(0);

    // The Region-wide series, with no dimensions, as the classic GetMetricData recipe asks for Duration.
    const regionWide = await cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(now - 10 * 60_000),
        EndTime: new Date(now + 60_000),
        MetricDataQueries: ['Duration', 'Invocations'].map((name) => ({
          Id: name.toLowerCase(),
          MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: name, Dimensions: [] }, Period: 60, Stat: 'SampleCount' },
        })),
      }),
    );
    for (const result of regionWide.MetricDataResults ?? []) {
      expect((result.Values ?? []).reduce((sum, v) => sum + v, 0), result.Id).toBe(2);
    }
    expect(regionWide.MetricDataResults).toHaveLength(2);
    const unreserved = await fetchLambdaMetrics(cloudwatch, {
      functionName: 'hello',
      metrics: ['UnreservedConcurrentExecutions'],
      startTime: now - 10 * 60_000,
      endTime: now + 60_000,
      periodSeconds: 60,
    });
    expect(Math.max(...unreserved.UnreservedConcurrentExecutions.points.map((p) => p.value))).toBe(1);
  });

  test('timeScale shortens how long an update stays InProgress', async () => {
    // 500 ms of service time at timeScale 10 is 50 ms, counted here on a fake clock: the calls in between take no
    // time on it, however long the machine takes over them.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'sleep', Description: 'scaled' }));
      const during = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'sleep' }));
      expect(during.LastUpdateStatus).toBe('InProgress');
      vi.advanceTimersByTime(49);
      expect((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'sleep' }))).LastUpdateStatus).toBe('InProgress');
      vi.advanceTimersByTime(1);
    } finally {
      vi.useRealTimers();
    }
    const after = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'sleep' }));
    expect(after.LastUpdateStatus).toBe('Successful');
  });

  test('injects scheduled Lambda faults as the SDK sees them on AWS', async () => {
    local.setFaults({
      rules: [
        { service: 'lambda', operations: ['Invoke'], functionName: 'hello', fault: 'throttle', calls: [1] },
        { service: 'lambda', operations: ['Invoke'], functionName: 'hello', fault: 'serverError', calls: [2] },
        { service: 'lambda', operations: ['UpdateFunctionConfiguration'], fault: 'conflict', calls: [1] },
        { service: 'lambda', operations: ['Invoke'], functionName: 'sleep', fault: { delayMs: 300 }, calls: [1] },
      ],
    });
    try {
      const throttled = await lambda.send(new InvokeCommand({ FunctionName: 'hello' })).catch((e: unknown) => e);
      expect(throttled).toBeInstanceOf(TooManyRequestsException);
      expect((throttled as TooManyRequestsException).Reason).toBe('CallerRateLimitExceeded');
      expect((throttled as TooManyRequestsException).$metadata.httpStatusCode).toBe(429);
      const failed = await lambda.send(new InvokeCommand({ FunctionName: 'hello' })).catch((e: unknown) => e);
      expect((failed as Error).name).toBe('ServiceException');
      expect((failed as ServiceException).$metadata.httpStatusCode).toBe(500);
      const third = await lambda.send(new InvokeCommand({ FunctionName: 'hello' }));
      expect(third.StatusCode).toBe(200);

      const conflict = await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'hello', Description: 'x' })).catch((e: unknown) => e);
      expect(conflict).toBeInstanceOf(ResourceConflictException);
      expect((conflict as Error).message).toContain('An update is in progress for resource: arn:aws:lambda:us-east-1:123456789012:function:hello');

      const started = performance.now();
      await lambda.send(new InvokeCommand({ FunctionName: 'sleep', Payload: Buffer.from('{"ms":0}') }));
      expect(performance.now() - started).toBeGreaterThanOrEqual(290);

      const injected = local.injectedFaults().filter((f) => f.service === 'lambda');
      expect(injected.map((f) => [f.operation, f.functionName, f.fault])).toEqual([
        ['Invoke', 'hello', 'throttle'],
        ['Invoke', 'hello', 'serverError'],
        ['UpdateFunctionConfiguration', 'hello', 'conflict'],
        ['Invoke', 'sleep', { delayMs: 300 }],
      ]);
    } finally {
      local.setFaults({});
    }
  });

  test('the library retries injected throttles and server errors', async () => {
    local.setFaults({ rules: [{ service: 'lambda', operations: ['Invoke'], fault: 'throttle', calls: [1, 2] }] });
    try {
      const retries: number[] = [];
      const result = await invokeWithTail(
        lambda,
        { functionName: 'hello' },
        { retry: { maxAttempts: 5, baseDelayMs: 5, maxDelayMs: 20 }, onProgress: (e) => e.retry && retries.push(e.retry.attempt) },
      );
      expect(result.statusCode).toBe(200);
      expect(retries).toEqual([1, 2]);
      expect(local.injectedFaults().filter((f) => f.fault === 'throttle').length).toBeGreaterThanOrEqual(3);
    } finally {
      local.setFaults({});
    }
  });

  test('injects CloudWatch Logs and CloudWatch faults', async () => {
    local.setFaults({
      rules: [
        { service: 'logs', operations: ['DescribeLogGroups'], fault: 'throttle', calls: [1] },
        { service: 'metrics', fault: 'serverError', calls: [1] },
      ],
    });
    try {
      await expect(logs.send(new DescribeLogGroupsCommand({}))).rejects.toBeInstanceOf(ThrottlingException);
      await expect(logs.send(new DescribeLogGroupsCommand({}))).resolves.toBeDefined();
      const failed = await cloudwatch
        .send(new GetMetricDataCommand({ StartTime: new Date(Date.now() - 60_000), EndTime: new Date(), MetricDataQueries: [] }))
        .catch((e: unknown) => e);
      expect((failed as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(500);
    } finally {
      local.setFaults({});
    }
  });

  test('drops or delays log delivery', async () => {
    const visibleReports = (of: LocalLambda = local) =>
      of.logs.visibleEvents({ logGroupNames: ['/aws/lambda/sleep'] }).filter((e) => e.message.startsWith('REPORT')).length;
    const before = visibleReports();
    local.setFaults({ logIngestion: { dropProbability: 1 }, seed: 1 });
    try {
      await invokeWithTail(lambda, { functionName: 'sleep', payload: { ms: 0 } });
      expect(visibleReports()).toBe(before);
      expect(local.injectedFaults().some((f) => f.fault === 'drop' && f.functionName === 'sleep')).toBe(true);
    } finally {
      local.setFaults({});
    }

    // A delay, on a manual clock of the log store: the REPORT shows 300 ms (3 s at timeScale 10) after it was
    // written, not a millisecond before, however long the invocation and these checks take.
    let clock = Date.now();
    const delayed = await startLocalLambda({
      functions: [{ name: 'sleep', handler: `${F}sleep.mjs#handler`, memorySizeMB: 1769 }],
      timeScale: 10,
      now: () => clock,
      faults: { logIngestion: { delayMs: 3000 } },
    });
    const client = new LambdaClient(delayed.clientConfig());
    try {
      await invokeWithTail(client, { functionName: 'sleep', payload: { ms: 0 } });
      expect(visibleReports(delayed)).toBe(0);
      clock += 299;
      expect(visibleReports(delayed)).toBe(0);
      clock += 1;
      expect(visibleReports(delayed)).toBe(1);
    } finally {
      client.destroy();
      await delayed.stop();
    }
  });
});

describe('fault plans', () => {
  test('the same seed gives the same faults', () => {
    const plan = { rules: [{ fault: 'throttle' as const, probability: 0.5 }], seed: 42 };
    const run = () => {
      const injector = new FaultInjector(plan);
      return Array.from({ length: 40 }, () => injector.lambdaHook('Invoke', 'f') ?? 'none');
    };
    const a = run();
    expect(run()).toEqual(a);
    expect(a.filter((x) => x === 'throttle').length).toBeGreaterThan(5);
    expect(a.filter((x) => x === 'none').length).toBeGreaterThan(5);
  });

  test('rules match by service, operation and function, and stop after maxTimes', () => {
    const injector = new FaultInjector({
      rules: [
        { service: 'lambda', operations: ['Invoke'], functionName: 'a', fault: 'throttle', maxTimes: 2 },
        { service: 'logs', fault: { delayMs: 5 } },
      ],
    });
    expect(injector.lambdaHook('Invoke', 'b')).toBeUndefined();
    expect(injector.lambdaHook('GetFunction', 'a')).toBeUndefined();
    expect(injector.lambdaHook('Invoke', 'a')).toBe('throttle');
    expect(injector.lambdaHook('Invoke', 'a')).toBe('throttle');
    expect(injector.lambdaHook('Invoke', 'a')).toBeUndefined();
    expect(injector.logsHook('StartQuery')).toEqual({ delayMs: 5 });
    expect(injector.metricsHook('GetMetricData')).toBeUndefined();
    expect(injector.injected()).toHaveLength(3);
  });

  test('ingestion delays are scaled by timeScale and ranged delays stay in range', () => {
    const fixed = new FaultInjector({ logIngestion: { delayMs: 1000 } }, 100);
    expect(fixed.ingestionDelayMs()).toBe(10);
    const ranged = new FaultInjector({ logIngestion: { delayMs: { min: 100, max: 200 } }, seed: 3 });
    for (let i = 0; i < 50; i++) {
      const d = ranged.ingestionDelayMs();
      expect(d).toBeGreaterThanOrEqual(100);
      expect(d).toBeLessThanOrEqual(200);
    }
    expect(new FaultInjector({}).ingestionDelayMs()).toBe(0);
    expect(new FaultInjector({}).shouldDropLogEvent('/aws/lambda/x')).toBe(false);
  });

  test('bad plans are refused with the field that is wrong', () => {
    expectInvalid(() => validateFaultPlan(null as never), /^faults$/);
    expectInvalid(() => validateFaultPlan({ seed: 1.5 }), /seed/);
    expectInvalid(() => validateFaultPlan({ rules: {} as never }), /rules$/);
    expectInvalid(() => validateFaultPlan({ rules: [null as never] }), /rules\[0\]$/);
    expectInvalid(() => validateFaultPlan({ rules: [{ fault: 'boom' as never }] }), /rules\[0\]\.fault/);
    expectInvalid(() => validateFaultPlan({ rules: [{ fault: 'conflict' }] }), /rules\[0\]\.fault/);
    expectInvalid(() => validateFaultPlan({ rules: [{ fault: { delayMs: -1 } }] }), /delayMs/);
    expectInvalid(() => validateFaultPlan({ rules: [{ fault: 'throttle', probability: 2 }] }), /probability/);
    expectInvalid(() => validateFaultPlan({ rules: [{ fault: 'throttle', calls: [0] }] }), /calls/);
    expectInvalid(() => validateFaultPlan({ rules: [{ fault: 'throttle', maxTimes: -1 }] }), /maxTimes/);
    expectInvalid(() => validateFaultPlan({ rules: [{ fault: 'throttle', service: 'sqs' as never }] }), /service/);
    expectInvalid(() => validateFaultPlan({ rules: [{ fault: 'throttle', operations: [''] }] }), /operations/);
    expectInvalid(() => validateFaultPlan({ rules: [{ fault: 'throttle', functionName: 'f' }] }), /functionName/);
    expectInvalid(() => validateFaultPlan({ logIngestion: 3 as never }), /logIngestion$/);
    expectInvalid(() => validateFaultPlan({ logIngestion: { delayMs: { min: 5, max: 1 } } }), /delayMs/);
    expectInvalid(() => validateFaultPlan({ logIngestion: { delayMs: Number.NaN } }), /delayMs/);
    expectInvalid(() => validateFaultPlan({ logIngestion: { dropProbability: -0.1 } }), /dropProbability/);
  });

  test('startLocalLambda refuses bad options before starting anything', async () => {
    await expect(startLocalLambda({ timeScale: 0 })).rejects.toThrow(/options\.timeScale/);
    await expect(startLocalLambda({ queryTiming: { scheduledMs: -1 } })).rejects.toThrow(/scheduledMs/);
    await expect(startLocalLambda({ faults: { rules: [{ fault: 'nope' as never }] } })).rejects.toThrow(/options\.faults\.rules\[0\]\.fault/);
    await expect(startLocalLambda(null as never)).rejects.toThrow(/options/);
    await expect(startLocalLambda({ port: 70_000 })).rejects.toThrow(/port/);
    await expect(startLocalLambda({ now: 5 as never })).rejects.toThrow(/options\.now/);
  });
});

describe('lambda-meter local (CLI)', () => {
  test('reads --function specs', () => {
    expect(parseFunctionSpec('resize=./f.mjs#handler,memory=512,timeout=10,reserved=2,log-format=JSON,description=a b,env.STAGE=dev')).toEqual({
      name: 'resize',
      handler: './f.mjs#handler',
      memorySizeMB: 512,
      timeoutSeconds: 10,
      reservedConcurrency: 2,
      logFormat: 'JSON',
      description: 'a b',
      environment: { STAGE: 'dev' },
    });
    expect(parseFunctionSpec('a=b.handler')).toEqual({ name: 'a', handler: 'b.handler' });
    expect(() => parseFunctionSpec('resize')).toThrow(/NAME=HANDLER/);
    expect(() => parseFunctionSpec('=x')).toThrow(/NAME=HANDLER/);
    expect(() => parseFunctionSpec('a=b,memory=lots')).toThrow(/memory.*whole number/);
    expect(() => parseFunctionSpec('a=b,log-format=XML')).toThrow(/Text or JSON/);
    expect(() => parseFunctionSpec('a=b,colour=red')).toThrow(/unknown setting "colour"/);
    expect(() => parseFunctionSpec('a=b,memory')).toThrow(/key=value/);
  });

  function io(signal?: AbortSignal, onStarted?: (l: LocalLambda) => void) {
    const out: string[] = [];
    const err: string[] = [];
    return {
      out,
      err,
      io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t), ...(signal ? { signal } : {}), ...(onStarted ? { onStarted } : {}) },
    };
  }

  test('prints usage and refuses bad arguments with exit code 2', async () => {
    const help = io();
    expect(await runCli(['--help'], help.io)).toBe(0);
    expect(help.out.join('')).toContain('Usage: lambda-meter');
    const none = io();
    expect(await runCli([], none.io)).toBe(2);
    const unknown = io();
    expect(await runCli(['frobnicate'], unknown.io)).toBe(2);
    expect(unknown.err.join('')).toContain("unknown command 'frobnicate'");
    const localHelp = io();
    expect(await runCli(['local', '-h'], localHelp.io)).toBe(0);
    expect(localHelp.out.join('')).toContain('--function NAME=HANDLER');
    const noFunction = io();
    expect(await runCli(['local'], noFunction.io)).toBe(2);
    expect(noFunction.err.join('')).toContain('at least one function');
    const badFlag = io();
    expect(await runCli(['local', '--bogus'], badFlag.io)).toBe(2);
    expect(badFlag.err.join('')).toContain('--bogus');
    const badCpu = io();
    expect(await runCli(['local', '--function', 'a=b.c', '--cpu', 'fast'], badCpu.io)).toBe(2);
    const badPort = io();
    expect(await runCli(['local', '--function', 'a=b.c', '--port', 'x'], badPort.io)).toBe(2);
    const badConfig = io();
    expect(await runCli(['local', '--config', '/nonexistent/file.json'], badConfig.io)).toBe(2);
    expect(badConfig.err.join('')).toContain('cannot read /nonexistent/file.json');
  });

  test('runs local until stopped, serving the functions given, and leaves nothing running', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lm-cli-'));
    try {
      const config = join(dir, 'local.json');
      writeFileSync(config, JSON.stringify({ functions: [{ name: 'fromconfig', handler: `${process.cwd()}/${F}sleep.mjs#handler`, memorySizeMB: 1769 }] }));
      const controller = new AbortController();
      let pid: number | undefined;
      let payload: unknown;
      const run = io(controller.signal, (local) => {
        const client = new LambdaClient(local.clientConfig());
        void invokeWithTail(client, { functionName: 'hello', payload: { x: 1 } })
          .then((r) => {
            payload = r.json<{ event: unknown }>().event;
            pid = local.environments()[0]?.pid;
          })
          .finally(() => {
            client.destroy();
            controller.abort();
          });
      });
      const code = await runCli(['local', '--config', config, '--function', `hello=${F}hello.mjs#handler,memory=1769,env.MY_X=1`, '--json'], run.io);
      expect(code).toBe(0);
      expect(payload).toEqual({ x: 1 });
      const started = JSON.parse(run.out[0] ?? '{}') as { endpoint: string; functions: string[] };
      expect(started.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(started.functions).toEqual(['fromconfig', 'hello']);
      expect(pid).toBeTypeOf('number');
      expect(pidAlive(pid as number)).toBe(false);

      const text = io(AbortSignal.abort());
      expect(await runCli(['local', '--function', `hello=${F}hello.mjs#handler`, '--time-scale', '5', '--region', 'eu-west-1'], text.io)).toBe(0);
      const printed = text.out.join('');
      expect(printed).toMatch(/running at http:\/\/127\.0\.0\.1:\d+ \(eu-west-1\)[\s\S]*stopped; no process left running/);
      // How each kind of client reaches it: the AWS CLI and boto3 of Debian 12 read no endpoint variable.
      const url = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(printed)?.[1] as string;
      expect(printed).toContain('export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_REGION=eu-west-1 AWS_DEFAULT_REGION=eu-west-1\n');
      expect(printed).toContain(`aws lambda invoke --function-name hello --log-type Tail out.json --endpoint-url ${url}\n`);
      expect(printed).toContain(`aws logs tail /aws/lambda/hello --endpoint-url ${url}\n`);
      expect(printed).toContain(`new LambdaClient({ endpoint: '${url}', region: 'eu-west-1' })`);
      expect(printed).toContain(`boto3.client('lambda', endpoint_url='${url}', region_name='eu-west-1')`);
      expect(printed).toContain(`export AWS_ENDPOINT_URL=${url}\n`);
      expect(printed).toContain(`AWS_ENDPOINT_URL_LAMBDA=${url} AWS_ENDPOINT_URL_CLOUDWATCH=${url} AWS_ENDPOINT_URL_CLOUDWATCH_LOGS=${url}\n`);
      expect(printed).toMatch(/not the AWS CLI 2\.9 or boto3 1\.26/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
