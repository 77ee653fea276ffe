/**
 * Conformance of `local` with three real AWS clients against the same local: Debian's AWS CLI (`/usr/bin/aws`, 2.9),
 * Python's boto3 (`/usr/bin/python3`, 1.26), and the SDK for JavaScript v3 (`@aws-sdk/client-lambda`,
 * `-cloudwatch-logs` and `-cloudwatch`, run by this Node; it needs no install: it is a devDependency). The two Debian
 * clients speak CloudWatch's query protocol (form-encoded, XML answers), the SDK for JavaScript its JSON 1.0 protocol,
 * so together they cover every dialect local serves. One `local` is started for the file, with three functions per
 * client (a quick one, one that throws, one that holds its invocation until a gate file exists); each client's script
 * (aws-cli.sh, boto3_client.py, sdk-js.mjs) runs once, all three at the same time, and records every call's answer
 * as JSON; the tests below assert on those answers. All clients make the same calls: Lambda (invoke with a log tail,
 * Event invocations, configuration, versions, aliases, concurrency, event-invoke config), CloudWatch Logs
 * (FilterLogEvents, Logs Insights) and CloudWatch metrics (GetMetricData, GetMetricStatistics, ListMetrics,
 * PutMetricData), plus the async scenario of issue 10: reserved concurrency 1, two Event invocations at once, then
 * AsyncEventsReceived, AsyncEventAge, Throttles and AsyncEventsDropped read back.
 *
 * Assertions are counts, values and relations, never durations against the wall clock: the held invocation waits on
 * a gate the script opens once a Throttles datapoint is visible, and every wait polls a condition with a deadline.
 * The Debian clients not installed: a local run skips this file with one line (vitest.e2e.config.ts); with CI=true it runs and fails
 * here, never skipped.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startLocalLambda } from '../../src/local/index.js';
import type { LocalLambda } from '../../src/local/index.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const FUNCTIONS_DIR = path.resolve(HERE, '..', 'fixtures', 'functions');
const AWS = '/usr/bin/aws';
const PYTHON = '/usr/bin/python3';

const INSTALL_HINT =
  "this suite needs Debian's AWS CLI at /usr/bin/aws and boto3 for /usr/bin/python3: " +
  'sudo apt-get install -y awscli python3-boto3, then run `npm run test:e2e`';

type Client = 'aws-cli' | 'boto3' | 'sdk-js';
const CLIENTS: readonly Client[] = ['aws-cli', 'boto3', 'sdk-js'];
/** Each client's function names: its own, so counts of one never mix with another's. */
const NAMES: Record<Client, { fast: string; fail: string; slow: string; namespace: string }> = {
  'aws-cli': { fast: 'cli-fast', fail: 'cli-fail', slow: 'cli-slow', namespace: 'Conformance/AwsCli' },
  boto3: { fast: 'py-fast', fail: 'py-fail', slow: 'py-slow', namespace: 'Conformance/Boto3' },
  'sdk-js': { fast: 'js-fast', fail: 'js-fail', slow: 'js-slow', namespace: 'Conformance/SdkJs' },
};

/** One call's outcome: the client's JSON answer, or its error text. */
type Outcome = { readonly ok: true; readonly value: Record<string, unknown> } | { readonly ok: false; readonly error: string };
type Outcomes = Record<string, Outcome>;

let local: LocalLambda | undefined;
let work: string | undefined;
const outcomes: Partial<Record<Client, Outcomes>> = {};
/** The script's own failure (it could not run at all), per client. */
const scriptErrors: Partial<Record<Client, string>> = {};

function missingClients(): string[] {
  const missing: string[] = [];
  if (!existsSync(AWS)) missing.push(AWS);
  if (spawnSync(PYTHON, ['-c', 'import boto3'], { stdio: 'ignore' }).status !== 0) missing.push(`boto3 for ${PYTHON}`);
  return missing;
}

/** Whole minutes: the range every metric read covers, from a few minutes before the suite to an hour after. */
function isoMinute(ms: number): string {
  return new Date(Math.floor(ms / 60_000) * 60_000).toISOString().replace('.000Z', 'Z');
}

function run(file: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env, maxBuffer: 64 * 1024 * 1024, timeout: 300_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The AWS CLI's cases: <case>.rc, <case>.json (stdout) and <case>.err (stderr) in its output folder. */
function readCliOutcomes(dir: string): Outcomes {
  const result: Outcomes = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.rc'))) {
    const name = file.slice(0, -'.rc'.length);
    const rc = Number(readFileSync(path.join(dir, file), 'utf8').trim());
    const read = (ext: string): string => (existsSync(path.join(dir, name + ext)) ? readFileSync(path.join(dir, name + ext), 'utf8') : '');
    if (rc !== 0) {
      result[name] = { ok: false, error: read('.err').trim() || `exit status ${rc}` };
      continue;
    }
    const stdout = read('.json').trim();
    const value = stdout === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>);
    // The CLI writes an invocation's payload to a file and leaves LogResult encoded: decode both as boto3's script does.
    const payload = read('.payload');
    if (payload !== '') value.Payload = payload;
    if (typeof value.LogResult === 'string') value.Log = Buffer.from(value.LogResult, 'base64').toString('utf8');
    result[name] = { ok: true, value };
  }
  return result;
}

/** The outcomes a script printed as one JSON object (boto3_client.py and sdk-js.mjs record them alike). */
function readJsonOutcomes(stdout: string): Outcomes {
  const raw = JSON.parse(stdout) as Record<string, { ok: boolean; value?: Record<string, unknown>; error?: { text: string } }>;
  const result: Outcomes = {};
  for (const [name, o] of Object.entries(raw)) {
    result[name] = o.ok ? { ok: true, value: o.value ?? {} } : { ok: false, error: o.error?.text ?? 'failed' };
  }
  return result;
}

beforeAll(async () => {
  const missing = missingClients();
  if (missing.length > 0) throw new Error(`missing ${missing.join(' and ')}: ${INSTALL_HINT}`);
  work = mkdtempSync(path.join(tmpdir(), 'lm-clients-'));
  const functions = CLIENTS.flatMap((client) => [
    { name: NAMES[client].fast, handler: path.join(FUNCTIONS_DIR, 'hello.mjs#handler') },
    { name: NAMES[client].fail, handler: path.join(FUNCTIONS_DIR, 'fail.mjs#handler') },
    { name: NAMES[client].slow, handler: path.join(FUNCTIONS_DIR, 'gate.mjs#handler'), timeoutSeconds: 120 },
  ]);
  // timeScale 600: the throttled event's back-off, update InProgress and query phases take milliseconds.
  local = await startLocalLambda({ region: 'us-east-1', timeScale: 600, functions });
  const now = Date.now();
  const emptyConfig = path.join(work, 'aws-config');
  mkdirSync(emptyConfig);
  const base: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    LANG: 'C.UTF-8',
    HOME: emptyConfig,
    AWS_ACCESS_KEY_ID: local.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: local.credentials.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: path.join(emptyConfig, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(emptyConfig, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    PYTHONDONTWRITEBYTECODE: '1',
    ENDPOINT: local.endpoint,
    START: isoMinute(now - 5 * 60_000),
    END: isoMinute(now + 65 * 60_000),
  };
  const envFor = (client: Client, extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv => {
    const n = NAMES[client];
    return { ...base, FAST: n.fast, FAIL: n.fail, SLOW: n.slow, NAMESPACE: n.namespace, GATE: path.join(work as string, `${client}.gate`), ...extra };
  };
  const cliOut = path.join(work, 'aws-cli');
  mkdirSync(cliOut);
  const [cli, boto, sdk] = await Promise.all([
    run('/bin/bash', [path.join(HERE, 'aws-cli.sh')], envFor('aws-cli', { OUT: cliOut })),
    run(PYTHON, [path.join(HERE, 'boto3_client.py')], envFor('boto3', {})),
    run(process.execPath, [path.join(HERE, 'sdk-js.mjs')], envFor('sdk-js', {})),
  ]);
  if (cli.code !== 0) scriptErrors['aws-cli'] = `aws-cli.sh exited ${cli.code}: ${cli.stderr}`;
  outcomes['aws-cli'] = readCliOutcomes(cliOut);
  if (boto.code !== 0) scriptErrors.boto3 = `boto3_client.py exited ${boto.code}: ${boto.stderr}`;
  else outcomes.boto3 = readJsonOutcomes(boto.stdout);
  if (sdk.code !== 0) scriptErrors['sdk-js'] = `sdk-js.mjs exited ${sdk.code}: ${sdk.stderr}`;
  else outcomes['sdk-js'] = readJsonOutcomes(sdk.stdout);
}, 360_000);

afterAll(async () => {
  await local?.stop();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

/** The answer of one call, or a failure that quotes the client's error text. */
function answer(client: Client, name: string): Record<string, unknown> {
  const o = outcomes[client]?.[name];
  if (o === undefined) throw new Error(`${client}: no answer recorded for ${name}${scriptErrors[client] === undefined ? '' : ` (${scriptErrors[client]})`}`);
  if (!o.ok) throw new Error(`${client} ${name} failed: ${o.error}`);
  return o.value;
}

/** A condition the script polled for (async-throttled, async-processed): did it hold before the deadline? */
function reached(client: Client, name: string): boolean {
  const o = outcomes[client]?.[name];
  return o?.ok === true;
}

interface MetricDataResult {
  readonly Id: string;
  readonly Values: readonly number[];
  readonly StatusCode?: string;
}

/** GetMetricData's values per query id. */
function series(value: Record<string, unknown>): Map<string, readonly number[]> {
  const results = (value.MetricDataResults ?? []) as readonly MetricDataResult[];
  return new Map(results.map((r) => [r.Id, r.Values]));
}

const sum = (values: readonly number[] | undefined): number => (values ?? []).reduce((a, b) => a + b, 0);

interface Datapoint {
  readonly Sum?: number;
  readonly SampleCount?: number;
  readonly Maximum?: number;
  readonly Unit?: string;
}

function datapoints(value: Record<string, unknown>): readonly Datapoint[] {
  return (value.Datapoints ?? []) as readonly Datapoint[];
}

/** The request ids of the REPORT lines in a decoded log tail or a list of log messages. */
function reportIds(text: string): string[] {
  return [...text.matchAll(/^REPORT RequestId: (\S+)\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: \d+ MB\tMax Memory Used: \d+ MB/gm)].map(
    (m) => m[1] as string,
  );
}

describe.each(CLIENTS)('%s against local', (client) => {
  const n = NAMES[client];

  describe('Lambda', () => {
    test('get-function-configuration', () => {
      const c = answer(client, 'get-configuration');
      expect(c.FunctionName).toBe(n.fast);
      expect(c.FunctionArn).toMatch(new RegExp(`^arn:aws:lambda:us-east-1:\\d{12}:function:${n.fast}$`));
      expect(c.MemorySize).toBe(128);
      expect(c.State).toBe('Active');
    });

    test('invoke with --log-type Tail: 200, the payload, and a REPORT line in the decoded LogResult', () => {
      const a = answer(client, 'invoke-tail');
      expect(a.StatusCode).toBe(200);
      expect(a.FunctionError).toBeUndefined();
      expect(a.ExecutedVersion).toBe('$LATEST');
      expect(JSON.parse(a.Payload as string)).toMatchObject({ functionName: n.fast, event: { client } });
      expect(reportIds(a.Log as string)).toHaveLength(1);
      expect(a.Log).toMatch(/^START RequestId: \S+ Version: \$LATEST$/m);
    });

    test('invoke of a handler that throws: FunctionError Unhandled and the error payload', () => {
      const a = answer(client, 'invoke-error');
      expect(a.StatusCode).toBe(200);
      expect(a.FunctionError).toBe('Unhandled');
      expect(JSON.parse(a.Payload as string)).toMatchObject({ errorType: 'ValidationError', errorMessage: 'value 7 is not allowed' });
      expect(reportIds(a.Log as string)).toHaveLength(1);
    });

    test('invoke --invocation-type Event: 202', () => {
      expect(answer(client, 'invoke-event').StatusCode).toBe(202);
    });

    test('update-function-configuration (memory), the function-updated waiter, and the new configuration', () => {
      expect(answer(client, 'update-configuration').MemorySize).toBe(256);
      answer(client, 'wait-updated');
      const c = answer(client, 'configuration-after-update');
      expect(c.MemorySize).toBe(256);
      expect(c.LastUpdateStatus).toBe('Successful');
    });

    test('publish-version and create-alias', () => {
      const v = answer(client, 'publish-version');
      expect(v.Version).toBe('1');
      expect(v.MemorySize).toBe(256);
      expect(v.Description).toBe('conformance');
      const a = answer(client, 'create-alias');
      expect(a.Name).toBe('live');
      expect(a.FunctionVersion).toBe('1');
      expect(a.AliasArn).toMatch(new RegExp(`:function:${n.fast}:live$`));
    });

    test('put-, get- and list-function-event-invoke-config(s)', () => {
      const put = answer(client, 'put-event-invoke-config');
      expect(put).toMatchObject({ MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 3600 });
      expect(put.FunctionArn).toMatch(new RegExp(`:function:${n.fast}(:\\$LATEST)?$`));
      expect(answer(client, 'get-event-invoke-config')).toMatchObject({ MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 3600 });
      const list = answer(client, 'list-event-invoke-configs').FunctionEventInvokeConfigs as readonly Record<string, unknown>[];
      expect(list).toHaveLength(1);
      expect(list[0]).toMatchObject({ MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 3600 });
    });

    test('put-function-concurrency', () => {
      expect(answer(client, 'put-concurrency').ReservedConcurrentExecutions).toBe(1);
    });
  });

  describe('the async scenario: reserved concurrency 1, two Event invocations at once', () => {
    test('both invocations are accepted (202)', () => {
      expect(answer(client, 'async-invoke-1').StatusCode).toBe(202);
      expect(answer(client, 'async-invoke-2').StatusCode).toBe(202);
    });

    test('a Throttles datapoint appears while the first holds the concurrency, then both events are processed', () => {
      expect(reached(client, 'async-throttled'), 'no Throttles datapoint read back before the deadline').toBe(true);
      expect(reached(client, 'async-processed'), 'AsyncEventAge SampleCount did not reach 2 before the deadline').toBe(true);
    });

    test('get-metric-data: AsyncEventsReceived 2, AsyncEventAge > 0 for the one that waited, Throttles ≥ 1, none dropped', () => {
      const s = series(answer(client, 'async-metrics'));
      expect(sum(s.get('received'))).toBe(2);
      expect(sum(s.get('age_count'))).toBe(2);
      expect(Math.max(0, ...(s.get('age_max') ?? []))).toBeGreaterThan(0);
      expect(sum(s.get('throttles'))).toBeGreaterThanOrEqual(1);
      expect(sum(s.get('dropped'))).toBe(0);
    });

    test('get-metric-statistics: AsyncEventsReceived sums to 2', () => {
      expect(sum(datapoints(answer(client, 'async-statistics')).map((d) => d.Sum ?? 0))).toBe(2);
    });
  });

  describe('CloudWatch Logs', () => {
    test('filter-log-events: the REPORT lines of both invocations', () => {
      const events = answer(client, 'logs-filter').events as readonly { message: string }[];
      expect(events).toHaveLength(2);
      const ids = events.flatMap((e) => reportIds(e.message));
      expect(ids).toHaveLength(2);
      expect(ids).toEqual(expect.arrayContaining(reportIds(answer(client, 'invoke-tail').Log as string)));
    });

    test('start-query and get-query-results: one row per REPORT line, with @requestId and @duration', () => {
      expect(answer(client, 'logs-start-query').queryId).toEqual(expect.any(String));
      const r = answer(client, 'logs-query-results');
      expect(r.status).toBe('Complete');
      const rows = (r.results as readonly (readonly { field: string; value: string }[])[]).map((row) => new Map(row.map((f) => [f.field, f.value])));
      expect(rows).toHaveLength(2);
      for (const row of rows) expect(Number(row.get('@duration'))).toBeGreaterThanOrEqual(0);
      expect(rows.map((row) => row.get('@requestId'))).toEqual(expect.arrayContaining(reportIds(answer(client, 'invoke-tail').Log as string)));
    });
  });

  describe(`CloudWatch metrics (${client === 'sdk-js' ? 'JSON 1.0' : 'query'} protocol)`, () => {
    test('get-metric-data: Invocations per function, Errors, and account-wide Duration (no dimensions)', () => {
      const s = series(answer(client, 'metric-data'));
      expect(sum(s.get('invocations'))).toBe(2);
      expect(sum(s.get('errors'))).toBe(1);
      // At least this client's own invocations: two of the quick function, one that threw, two async ones.
      expect(sum(s.get('duration'))).toBeGreaterThanOrEqual(5);
    });

    test('get-metric-statistics: Invocations of the function', () => {
      const points = datapoints(answer(client, 'metric-statistics'));
      expect(sum(points.map((d) => d.Sum ?? 0))).toBe(2);
      expect(sum(points.map((d) => d.SampleCount ?? 0))).toBe(2);
    });

    test('list-metrics: the function’s AWS/Lambda metrics', () => {
      const metrics = answer(client, 'list-metrics').Metrics as readonly { Namespace: string; MetricName: string; Dimensions: readonly { Name: string; Value: string }[] }[];
      const names = metrics.filter((m) => m.Namespace === 'AWS/Lambda' && m.Dimensions.some((d) => d.Name === 'FunctionName' && d.Value === n.fast)).map((m) => m.MetricName);
      expect(names).toEqual(expect.arrayContaining(['Invocations', 'Duration']));
    });

    test('put-metric-data of a custom namespace, read back with get-metric-statistics', () => {
      answer(client, 'put-metric-data');
      const points = datapoints(answer(client, 'custom-statistics'));
      expect(sum(points.map((d) => d.Sum ?? 0))).toBe(8);
      expect(sum(points.map((d) => d.SampleCount ?? 0))).toBe(2);
      expect(Math.max(0, ...points.map((d) => d.Maximum ?? 0))).toBe(5);
      expect(points.every((d) => d.Unit === 'Count')).toBe(true);
    });
  });
});
