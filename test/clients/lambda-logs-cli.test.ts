/**
 * `local` driven by the real AWS CLI (`/usr/bin/aws`, Debian's awscli 2.9): the `lambda` and `logs` commands of the
 * classic measuring recipes, end to end, with `--endpoint-url` (this CLI version does not read AWS_ENDPOINT_URL).
 * Skipped, with a message saying so, where `/usr/bin/aws` is not installed.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startLocalLambda } from '../../src/local/index.js';
import type { LocalLambda } from '../../src/local/index.js';

const AWS = '/usr/bin/aws';
const HAVE_AWS = existsSync(AWS);
const F = 'test/fixtures/functions/';

if (!HAVE_AWS) {
  console.warn(`test/clients/lambda-logs-cli.test.ts: skipped, ${AWS} is not installed (Debian package awscli)`);
}

interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

describe.skipIf(!HAVE_AWS)('the AWS CLI against local', () => {
  let local: LocalLambda;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  /** Runs `aws <args> --endpoint-url … --region us-east-1 --output json` with dummy credentials from a temp dir. */
  function aws(...args: string[]): Promise<CliRun> {
    return new Promise((resolve) => {
      execFile(
        AWS,
        [...args, '--endpoint-url', local.endpoint, '--region', 'us-east-1', '--output', 'json'],
        { env, cwd: dir, timeout: 60_000 },
        (error, stdout, stderr) => {
          const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
          resolve({ code, stdout, stderr });
        },
      );
    });
  }

  /** Runs a command that must succeed and parses its JSON output ({} when it prints nothing). */
  async function ok(...args: string[]): Promise<Record<string, unknown>> {
    const run = await aws(...args);
    expect(run.code, `aws ${args.join(' ')}\n${run.stderr}`).toBe(0);
    return run.stdout.trim() === '' ? {} : (JSON.parse(run.stdout) as Record<string, unknown>);
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lm-aws-cli-'));
    writeFileSync(join(dir, 'config'), '[default]\nregion = us-east-1\noutput = json\n');
    writeFileSync(join(dir, 'credentials'), '[default]\naws_access_key_id = local\naws_secret_access_key = local\n');
    env = {
      PATH: process.env.PATH,
      HOME: dir,
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_PAGER: '',
    };
    local = await startLocalLambda({
      functions: [
        { name: 'hello', handler: `${F}hello.mjs#handler`, memorySizeMB: 1769 },
        { name: 'sleep', handler: `${F}sleep.mjs#handler`, memorySizeMB: 1769 },
      ],
      updateDelayMs: 0,
      timeScale: 60,
    });
  }, 60_000);

  afterAll(async () => {
    await local?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  test('invoke: RequestResponse with --log-type Tail, Event, raw-in-base64-out payloads', async () => {
    const out = join(dir, 'out.json');
    const result = await ok(
      'lambda', 'invoke', '--function-name', 'hello', '--log-type', 'Tail',
      '--cli-binary-format', 'raw-in-base64-out', '--payload', '{"n":1}', out,
    );
    expect(result.StatusCode).toBe(200);
    expect(result.ExecutedVersion).toBe('$LATEST');
    const tail = Buffer.from(String(result.LogResult), 'base64').toString('utf8');
    expect(tail).toMatch(/REPORT RequestId: \S+\tDuration: [\d.]+ ms/);
    const { readFileSync } = await import('node:fs');
    expect(JSON.parse(readFileSync(out, 'utf8')).event).toEqual({ n: 1 });

    const event = await ok(
      'lambda', 'invoke', '--function-name', 'sleep', '--invocation-type', 'Event',
      '--cli-binary-format', 'raw-in-base64-out', '--payload', '{"ms":1}', join(dir, 'event.json'),
    );
    expect(event.StatusCode).toBe(202);
  }, 60_000);

  test('functions: get-function, get-function-configuration, update-function-configuration, list-functions', async () => {
    const fn = await ok('lambda', 'get-function', '--function-name', 'hello');
    expect((fn.Configuration as Record<string, unknown>).FunctionName).toBe('hello');
    const updated = await ok('lambda', 'update-function-configuration', '--function-name', 'hello', '--memory-size', '1024', '--timeout', '10');
    expect(updated.MemorySize).toBe(1024);
    const config = await ok('lambda', 'get-function-configuration', '--function-name', 'hello');
    expect(config).toMatchObject({ FunctionName: 'hello', MemorySize: 1024, Timeout: 10 });
    const list = await ok('lambda', 'list-functions');
    expect((list.Functions as { FunctionName: string }[]).map((f) => f.FunctionName).sort()).toEqual(['hello', 'sleep']);
  }, 60_000);

  test('versions and aliases: publish-version, create-alias, list-versions-by-function, list-aliases, invoke an alias', async () => {
    const version = await ok('lambda', 'publish-version', '--function-name', 'hello', '--description', 'v1');
    expect(version.Version).toBe('1');
    const alias = await ok('lambda', 'create-alias', '--function-name', 'hello', '--name', 'live', '--function-version', '1');
    expect(alias).toMatchObject({ Name: 'live', FunctionVersion: '1' });
    const versions = await ok('lambda', 'list-versions-by-function', '--function-name', 'hello');
    expect((versions.Versions as { Version: string }[]).map((v) => v.Version)).toEqual(['$LATEST', '1']);
    const aliases = await ok('lambda', 'list-aliases', '--function-name', 'hello');
    expect((aliases.Aliases as { Name: string }[]).map((a) => a.Name)).toEqual(['live']);
    const invoked = await ok('lambda', 'invoke', '--function-name', 'hello', '--qualifier', 'live', join(dir, 'alias.json'));
    expect(invoked.ExecutedVersion).toBe('1');
  }, 60_000);

  test('concurrency: put-, get-, delete-function-concurrency', async () => {
    expect(await ok('lambda', 'put-function-concurrency', '--function-name', 'sleep', '--reserved-concurrent-executions', '3')).toEqual({
      ReservedConcurrentExecutions: 3,
    });
    expect(await ok('lambda', 'get-function-concurrency', '--function-name', 'sleep')).toEqual({ ReservedConcurrentExecutions: 3 });
    await ok('lambda', 'delete-function-concurrency', '--function-name', 'sleep');
    expect(await ok('lambda', 'get-function-concurrency', '--function-name', 'sleep')).toEqual({});
  }, 60_000);

  test('event invoke configuration: put, get, update, list (paged), delete', async () => {
    const put = await ok('lambda', 'put-function-event-invoke-config', '--function-name', 'sleep', '--maximum-retry-attempts', '1');
    expect(put).toMatchObject({ MaximumRetryAttempts: 1, FunctionArn: expect.stringMatching(/:function:sleep:\$LATEST$/) });
    const got = await ok('lambda', 'get-function-event-invoke-config', '--function-name', 'sleep');
    expect(got.MaximumRetryAttempts).toBe(1);
    const updated = await ok('lambda', 'update-function-event-invoke-config', '--function-name', 'sleep', '--maximum-event-age-in-seconds', '120');
    expect(updated).toMatchObject({ MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 120 });
    await ok('lambda', 'publish-version', '--function-name', 'sleep');
    await ok('lambda', 'put-function-event-invoke-config', '--function-name', 'sleep', '--qualifier', '1', '--maximum-retry-attempts', '0');
    // --max-items 1 makes the CLI page with MaxItems/Marker; it follows every NextMarker itself.
    const listed = await ok('lambda', 'list-function-event-invoke-configs', '--function-name', 'sleep', '--page-size', '1');
    const arns = (listed.FunctionEventInvokeConfigs as { FunctionArn: string }[]).map((c) => c.FunctionArn);
    expect(arns).toHaveLength(2);
    expect(arns.some((a) => a.endsWith(':sleep:1'))).toBe(true);
    expect(arns.some((a) => a.endsWith(':sleep:$LATEST'))).toBe(true);
    const first = await ok('lambda', 'list-function-event-invoke-configs', '--function-name', 'sleep', '--max-items', '1');
    expect(first.FunctionEventInvokeConfigs).toHaveLength(1);
    expect(typeof first.NextToken).toBe('string');
    await ok('lambda', 'delete-function-event-invoke-config', '--function-name', 'sleep');
    await ok('lambda', 'delete-function-event-invoke-config', '--function-name', 'sleep', '--qualifier', '1');
    const missing = await aws('lambda', 'get-function-event-invoke-config', '--function-name', 'sleep');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/ResourceNotFoundException/);
    const bad = await aws('lambda', 'list-function-event-invoke-configs', '--function-name', 'sleep', '--max-items', '5', '--page-size', '51');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/ValidationException|maxItems/);
  }, 60_000);

  test('logs: describe-log-groups, describe-log-streams, get-log-events, filter-log-events, tail', async () => {
    await ok('lambda', 'invoke', '--function-name', 'hello', join(dir, 'logs.json'));
    const groups = await ok('logs', 'describe-log-groups', '--log-group-name-prefix', '/aws/lambda/');
    expect((groups.logGroups as { logGroupName: string }[]).map((g) => g.logGroupName)).toContain('/aws/lambda/hello');
    const streams = await ok('logs', 'describe-log-streams', '--log-group-name', '/aws/lambda/hello', '--order-by', 'LastEventTime', '--descending');
    const stream = (streams.logStreams as { logStreamName: string }[])[0]?.logStreamName;
    expect(stream).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\]/);
    const events = await ok('logs', 'get-log-events', '--log-group-name', '/aws/lambda/hello', '--log-stream-name', String(stream), '--start-from-head');
    expect((events.events as { message: string }[]).some((e) => e.message.startsWith('REPORT RequestId:'))).toBe(true);
    const filtered = await ok('logs', 'filter-log-events', '--log-group-name', '/aws/lambda/hello', '--filter-pattern', 'REPORT');
    expect((filtered.events as unknown[]).length).toBeGreaterThan(0);
    const tail = await aws('logs', 'tail', '/aws/lambda/hello', '--since', '1h', '--format', 'short');
    expect(tail.code, tail.stderr).toBe(0);
    expect(tail.stdout).toMatch(/REPORT RequestId:/);
  }, 60_000);

  test('logs insights: start-query, get-query-results', async () => {
    await ok('lambda', 'invoke', '--function-name', 'hello', join(dir, 'insights.json'));
    const now = Math.floor(Date.now() / 1000);
    const started = await ok(
      'logs', 'start-query', '--log-group-name', '/aws/lambda/hello', '--start-time', String(now - 3600), '--end-time', String(now + 60),
      '--query-string', 'filter @type = "REPORT" | stats count(*) as n, max(@duration) as maxDuration',
    );
    const queryId = String(started.queryId);
    let results: Record<string, unknown> = {};
    for (let i = 0; i < 100; i++) {
      results = await ok('logs', 'get-query-results', '--query-id', queryId);
      if (results.status === 'Complete') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(results.status).toBe('Complete');
    const row = (results.results as { field: string; value: string }[][])[0] ?? [];
    expect(Number(row.find((c) => c.field === 'n')?.value)).toBeGreaterThan(0);
  }, 60_000);
});
