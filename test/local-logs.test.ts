import {
  CloudWatchLogsClient,
  CloudWatchLogsServiceException,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  GetQueryResultsCommand,
  InvalidOperationException,
  InvalidParameterException,
  LimitExceededException,
  MalformedQueryException,
  PutLogEventsCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  ServiceUnavailableException,
  StartQueryCommand,
  StopQueryCommand,
  ThrottlingException,
} from '@aws-sdk/client-cloudwatch-logs';
import type { GetLogEventsCommandInput, GetQueryResultsCommandOutput } from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError, QueryTimeoutError } from '../src/errors.js';
import { runInsightsQuery } from '../src/insights/index.js';
import { AwsServiceError, BodyReader, decodeToken, dispatch, encodeToken, parseJsonObject, startLocalServer } from '../src/local/http.js';
import type { LocalFault, LocalRequest } from '../src/local/http.js';
import {
  LOCAL_ACCOUNT_ID,
  LogStore,
  LogsService,
  compileFilterPattern,
  lambdaLogGroupName,
  lambdaLogStreamName,
  startLogsServer,
} from '../src/local/logs/index.js';
import type { InsightsEngine, RunningLogsServer } from '../src/local/logs/index.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const T0 = Date.parse('2026-11-24T10:00:00Z');

function client(endpoint: string): CloudWatchLogsClient {
  // maxAttempts 1: the SDK must not retry the faults the tests inject.
  return new CloudWatchLogsClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

/** A clock the tests move by hand. */
function manualClock(start = T0): { now: () => number; advance: (ms: number) => void; set: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms), set: (ms) => (t = ms) };
}

/** A query engine for the service tests: each visible event becomes a row; "bad" fails to compile; "explode" fails to run. */
const rowsEngine: InsightsEngine = {
  compileQuery(queryString: string): unknown {
    if (queryString.includes('bad')) {
      throw Object.assign(new Error('unexpected symbol found bad at line 1 and position 1'), {
        name: 'MalformedQueryException',
        location: { startCharOffset: 0, endCharOffset: 3 },
      });
    }
    if (queryString.includes('crash')) throw new TypeError('engine bug');
    return queryString;
  },
  runQuery(compiled, events, options) {
    if (compiled === 'explode') throw new Error('boom');
    const rows = events.slice(0, options.maxRows).map((e) => [
      { field: '@timestamp', value: String(e.timestamp) },
      { field: '@message', value: e.message },
      { field: '@logStream', value: e.logStream },
      { field: '@log', value: `${LOCAL_ACCOUNT_ID}:${e.logGroup}` },
      { field: 'range', value: `${options.startTime}-${options.endTime}-${options.logGroupName ?? '*'}` },
    ]);
    const bytes = events.reduce((s, e) => s + e.message.length, 0);
    return { rows, statistics: { recordsMatched: events.length, recordsScanned: events.length, bytesScanned: bytes } };
  },
};

describe('LogStore', () => {
  it('creates groups and streams on write and describes them with ARNs and event times', () => {
    const clock = manualClock();
    const store = new LogStore({ now: clock.now, region: 'eu-west-1' });
    const group = lambdaLogGroupName('resize');
    const stream = lambdaLogStreamName(T0, '$LATEST', 'a'.repeat(32));
    expect(group).toBe('/aws/lambda/resize');
    expect(stream).toBe(`2026/11/24/[$LATEST]${'a'.repeat(32)}`);
    expect(lambdaLogStreamName(T0, '3')).toMatch(/^2026\/11\/24\/\[3\][0-9a-f]{32}$/);
    expect(store.putLogEvents(group, stream, [
      { timestamp: T0 + 5, message: 'second' },
      { timestamp: T0 + 1, message: 'first' },
    ])).toEqual({ accepted: 2, dropped: 0 });
    expect(store.hasLogGroup(group)).toBe(true);
    expect(store.getLogGroup(group)).toEqual({
      logGroupName: group,
      creationTime: T0,
      arn: `arn:aws:logs:eu-west-1:${LOCAL_ACCOUNT_ID}:log-group:/aws/lambda/resize`,
      storedBytes: 11,
    });
    expect(store.getLogStream(group, stream)).toEqual({
      logStreamName: stream,
      creationTime: T0,
      firstEventTimestamp: T0 + 1,
      lastEventTimestamp: T0 + 5,
      lastIngestionTime: T0,
      arn: `arn:aws:logs:eu-west-1:${LOCAL_ACCOUNT_ID}:log-group:/aws/lambda/resize:log-stream:${stream}`,
      eventCount: 2,
    });
    expect(store.streamEvents(group, stream).map((e) => e.message)).toEqual(['first', 'second']);
    expect(store.getLogGroup('/nope')).toBeUndefined();
    expect(store.getLogStream(group, 'nope')).toBeUndefined();
    expect(store.listLogStreams('/nope')).toEqual([]);
    expect(store.streamEvents('/nope', 'x')).toEqual([]);
  });

  it('keeps events in (timestamp, write order) and gives each a unique numeric event id', () => {
    const store = new LogStore({ now: () => T0 });
    store.putLogEvents('/g', 's', [{ timestamp: T0 + 10, message: 'c' }]);
    store.putLogEvents('/g', 's', [{ timestamp: T0, message: 'a' }, { timestamp: T0 + 10, message: 'd' }, { timestamp: T0 + 5, message: 'b' }]);
    store.putLogEvents('/g', 's', [{ timestamp: T0 + 3, message: 'a2' }]);
    const events = store.streamEvents('/g', 's');
    expect(events.map((e) => e.message)).toEqual(['a', 'a2', 'b', 'c', 'd']);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(5);
    for (const e of events) expect(e.eventId).toMatch(/^\d{32}$/);
    expect([...events.map((e) => e.eventId)].sort()).toEqual(events.map((e) => e.eventId));
  });

  it('hides events until their ingestion time and reports it', () => {
    const clock = manualClock();
    const store = new LogStore({ now: clock.now, ingestionDelayMs: 1000 });
    store.putLogEvents('/g', 's', [{ timestamp: T0, message: 'late' }]);
    expect(store.streamEvents('/g', 's')).toEqual([]);
    expect(store.visibleEvents()).toEqual([]);
    expect(store.getLogStream('/g', 's')).toMatchObject({ eventCount: 0 });
    expect(store.getLogStream('/g', 's')?.lastEventTimestamp).toBeUndefined();
    clock.advance(999);
    expect(store.streamEvents('/g', 's')).toEqual([]);
    clock.advance(1);
    expect(store.streamEvents('/g', 's')).toMatchObject([{ message: 'late', ingestionTime: T0 + 1000 }]);
    expect(store.getLogGroup('/g')?.storedBytes).toBe(4);
  });

  it('takes a per-event delay function and a drop hook', () => {
    const clock = manualClock();
    const store = new LogStore({
      now: clock.now,
      ingestionDelayMs: (_g, _s, e) => (e.message.startsWith('slow') ? 5000 : 0),
      shouldDrop: (g, _s, e) => g === '/g' && e.message.includes('REPORT'),
    });
    const result = store.putLogEvents('/g', 's', [
      { timestamp: T0, message: 'START' },
      { timestamp: T0 + 1, message: 'slow line' },
      { timestamp: T0 + 2, message: 'REPORT RequestId: 1' },
    ]);
    expect(result).toEqual({ accepted: 2, dropped: 1 });
    expect(store.streamEvents('/g', 's').map((e) => e.message)).toEqual(['START']);
    clock.advance(5000);
    expect(store.streamEvents('/g', 's').map((e) => e.message)).toEqual(['START', 'slow line']);
    const bad = new LogStore({ ingestionDelayMs: () => -1 });
    expect(() => bad.putLogEvents('/g', 's', [{ timestamp: 1, message: 'x' }])).toThrow(InvalidInputError);
  });

  it('lists visible events across groups and streams by time, filtered', () => {
    const store = new LogStore({ now: () => T0 });
    store.putLogEvents('/a', 's1', [{ timestamp: 30, message: 'a1' }, { timestamp: 10, message: 'a0' }]);
    store.putLogEvents('/a', 's2', [{ timestamp: 20, message: 'a2' }]);
    store.putLogEvents('/b', 's1', [{ timestamp: 15, message: 'b1' }]);
    expect(store.visibleEvents().map((e) => e.message)).toEqual(['a0', 'b1', 'a2', 'a1']);
    expect(store.visibleEvents({ logGroupNames: ['/a', '/a', '/missing'] }).map((e) => `${e.logGroup}|${e.logStream}|${e.message}`)).toEqual([
      '/a|s1|a0',
      '/a|s2|a2',
      '/a|s1|a1',
    ]);
    expect(store.visibleEvents({ logStreamNames: ['s1'], startTime: 15, endTime: 30 }).map((e) => e.message)).toEqual(['b1', 'a1']);
    expect(store.listLogGroups().map((g) => g.logGroupName)).toEqual(['/a', '/b']);
    expect(store.ensureLogGroup('/c').logGroupName).toBe('/c');
    expect(store.ensureLogStream('/c', 'x').eventCount).toBe(0);
    expect(store.ensureLogStream('/c', 'x').logStreamName).toBe('x');
  });

  it('rejects bad names, events and options with InvalidInputError', () => {
    const store = new LogStore();
    expect(() => store.putLogEvents('bad name!', 's', [])).toThrow(InvalidInputError);
    expect(() => store.putLogEvents('/g', 'a:b', [])).toThrow(InvalidInputError);
    expect(() => store.putLogEvents('/g', 's', 'x' as never)).toThrow(InvalidInputError);
    expect(() => store.putLogEvents('/g', 's', [null as never])).toThrow(InvalidInputError);
    expect(() => store.putLogEvents('/g', 's', [{ timestamp: -1, message: 'x' }])).toThrow(InvalidInputError);
    expect(() => store.putLogEvents('/g', 's', [{ timestamp: 1.5, message: 'x' }])).toThrow(InvalidInputError);
    expect(() => store.putLogEvents('/g', 's', [{ timestamp: 1, message: 2 as never }])).toThrow(InvalidInputError);
    expect(() => store.ensureLogGroup('')).toThrow(InvalidInputError);
    expect(() => new LogStore({ ingestionDelayMs: -5 })).toThrow(InvalidInputError);
    expect(() => new LogStore({ ingestionDelayMs: Number.NaN })).toThrow(InvalidInputError);
  });
});

describe('compileFilterPattern', () => {
  const line = '2026-11-24T10:00:00.000Z\tc0ffee\tERROR\tTask timed out after 3.00 seconds';
  it('matches terms, quoted phrases, optional and excluded terms and regular expressions', () => {
    expect(compileFilterPattern('')(line)).toBe(true);
    expect(compileFilterPattern('   ')(line)).toBe(true);
    expect(compileFilterPattern('ERROR')(line)).toBe(true);
    expect(compileFilterPattern('error')(line)).toBe(false);
    expect(compileFilterPattern('ERROR seconds')(line)).toBe(true);
    expect(compileFilterPattern('ERROR minutes')(line)).toBe(false);
    expect(compileFilterPattern('"Task timed out"')(line)).toBe(true);
    expect(compileFilterPattern('"Task  timed"')(line)).toBe(false);
    expect(compileFilterPattern('"say \\"hi\\""')('they say "hi"')).toBe(true);
    expect(compileFilterPattern('?WARN ?ERROR')(line)).toBe(true);
    expect(compileFilterPattern('?WARN ?INFO')(line)).toBe(false);
    expect(compileFilterPattern('ERROR -timed')(line)).toBe(false);
    expect(compileFilterPattern('ERROR -"Init Duration"')(line)).toBe(true);
    expect(compileFilterPattern('%after \\d+\\.\\d+ seconds%')(line)).toBe(true);
    expect(compileFilterPattern('-%^START%')(line)).toBe(true);
  });

  it('rejects JSON, space-delimited and malformed patterns with InvalidParameterException', () => {
    for (const p of ['{ $.level = "ERROR" }', '[ip, user, ...]', '"open', '%open', '%(%', '? ERROR', 'ERROR -']) {
      const err = (() => {
        try {
          compileFilterPattern(p);
          return undefined;
        } catch (e) {
          return e;
        }
      })();
      expect(err, p).toBeInstanceOf(AwsServiceError);
      expect((err as AwsServiceError).code).toBe('InvalidParameterException');
    }
  });
});

describe('http helpers', () => {
  it('parses JSON bodies and answers SerializationException for others', () => {
    expect(parseJsonObject(Buffer.from(''))).toEqual({});
    expect(parseJsonObject(Buffer.from('{"a":1}'))).toEqual({ a: 1 });
    expect(() => parseJsonObject(Buffer.from('{'))).toThrow(/not valid JSON/);
    expect(() => parseJsonObject(Buffer.from('[1]'))).toThrow(/JSON object/);
  });

  it('round-trips tokens and refuses foreign ones', () => {
    expect(decodeToken(encodeToken({ a: [1, 'x'] }))).toEqual({ a: [1, 'x'] });
    expect(decodeToken('not a token!')).toBeUndefined();
    expect(decodeToken('bm90IGpzb24')).toBeUndefined();
  });

  it('reads typed fields and reports the path of a bad one', () => {
    const fail = (field: string, problem: string, missing: boolean): AwsServiceError =>
      new AwsServiceError(missing ? 'Missing' : 'Invalid', `${field} ${problem}`);
    const r = new BodyReader({ s: 'x', n: 2.5, b: true, l: ['a'], o: { k: 1 }, list: [{ k: 'v' }, 3], nil: null }, fail);
    expect(r.has('nil')).toBe(false);
    expect(r.string('s')).toBe('x');
    expect(() => r.string('n')).toThrow('n must be a string');
    expect(() => r.string('zz', true)).toThrow('zz is required');
    expect(r.number('n')).toBe(2.5);
    expect(() => r.number('n', { integer: true })).toThrow('n must be an integer');
    expect(() => r.number('n', { min: 3 })).toThrow('n must be from 3 to ∞, got 2.5');
    expect(() => r.number('n', { max: 1 })).toThrow('n must be from -∞ to 1, got 2.5');
    expect(() => r.number('zz', { required: true })).toThrow('zz is required');
    expect(r.number('zz')).toBeUndefined();
    expect(r.boolean('b')).toBe(true);
    expect(r.boolean('zz')).toBeUndefined();
    expect(() => r.boolean('s')).toThrow('s must be a boolean');
    expect(r.stringList('l', 1, 2)).toEqual(['a']);
    expect(r.stringList('zz', 1, 2)).toBeUndefined();
    expect(() => r.stringList('o', 1, 2)).toThrow('o must be a list of strings');
    expect(() => r.stringList('l', 2, 3)).toThrow('l must hold 2 to 3 items, got 1');
    expect(() => r.object('s', false)).toThrow('s must be an object');
    expect(r.object('zz', false)).toBeUndefined();
    expect(() => r.object('zz', true)).toThrow('zz is required');
    expect(() => r.object('o', true)?.string('k')).toThrow('o.k must be a string');
    expect(() => r.objectList('list', true)).toThrow('list.member.2 must be an object');
    expect(() => r.objectList('s', false)).toThrow('s must be a list');
    expect(() => r.objectList('zz', true)).toThrow('zz is required');
    expect(r.objectList('zz', false)).toBeUndefined();
  });

  it('answers 404 UnknownOperationException when no service claims a request', async () => {
    const request: LocalRequest = { method: 'GET', url: '/nothing', headers: {}, body: Buffer.alloc(0) };
    const response = await dispatch([new LogsService(new LogStore())], request);
    expect(response.status).toBe(404);
    expect(JSON.parse(String(response.body))).toMatchObject({ __type: 'UnknownOperationException' });
  });

  it('answers 500 InternalFailure when a service breaks its promise to answer', async () => {
    const broken = { matches: () => true, handle: () => Promise.reject(new Error('bug')) };
    const server = await startLocalServer([broken]);
    try {
      const response = await fetch(server.endpoint, { method: 'POST', body: '{}' });
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ __type: 'InternalFailure', message: 'Error: bug' });
    } finally {
      await server.close();
    }
  });

  it('validates the port and serves on a shared endpoint until closed', async () => {
    await expect(startLocalServer([], { port: -1 })).rejects.toThrow(InvalidInputError);
    const server = await startLocalServer([]);
    expect(server.endpoint).toBe(`http://127.0.0.1:${server.port}`);
    const response = await fetch(`${server.endpoint}/x`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
    await server.close();
    await server.close();
    await expect(fetch(`${server.endpoint}/x`)).rejects.toThrow();
  });
});

describe('CloudWatch Logs through the real SDK client', () => {
  const clock = manualClock();
  let server: RunningLogsServer;
  let logs: CloudWatchLogsClient;
  let fault: LocalFault | undefined;
  const group = '/aws/lambda/resize';
  const streams = [`2026/11/24/[$LATEST]${'a'.repeat(32)}`, `2026/11/24/[$LATEST]${'b'.repeat(32)}`, `2026/11/24/[2]${'c'.repeat(32)}`];

  beforeAll(async () => {
    const store = new LogStore({ now: clock.now });
    server = await startLogsServer({
      store,
      engine: rowsEngine,
      scheduledMs: 1000,
      runningMs: 2000,
      maxConcurrentQueries: 3,
      faults: () => {
        const f = fault;
        fault = undefined;
        return f;
      },
    });
    logs = client(server.endpoint);
    for (let i = 0; i < 26; i++) store.ensureLogGroup(`/aws/lambda/fn-${String.fromCharCode(97 + i)}`);
    // Stream a: events 0..9 at T0 + i s; stream b: 5 events at T0 + 0.5 s steps; stream c: created earlier, one old event.
    clock.set(T0 - 60_000);
    store.putLogEvents(group, streams[2] as string, [{ timestamp: T0 - 60_000, message: 'INIT_START Runtime Version: nodejs:20.v22' }]);
    clock.set(T0 + 20_000);
    store.putLogEvents(group, streams[0] as string, Array.from({ length: 10 }, (_, i) => ({ timestamp: T0 + i * 1000, message: `a${i} ${i % 2 === 0 ? 'ERROR' : 'INFO'} line` })));
    store.putLogEvents(group, streams[1] as string, Array.from({ length: 5 }, (_, i) => ({ timestamp: T0 + i * 500 + 250, message: `b${i} WARN "quoted" line` })));
  });

  afterAll(async () => {
    logs.destroy();
    await server.close();
  });

  it('describes log groups with prefix, pattern and pages', async () => {
    const first = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/lambda/fn-', limit: 10 }));
    expect(first.logGroups?.map((g) => g.logGroupName)).toEqual(Array.from({ length: 10 }, (_, i) => `/aws/lambda/fn-${String.fromCharCode(97 + i)}`));
    expect(first.logGroups?.[0]).toMatchObject({
      arn: `arn:aws:logs:us-east-1:${LOCAL_ACCOUNT_ID}:log-group:/aws/lambda/fn-a:*`,
      logGroupArn: `arn:aws:logs:us-east-1:${LOCAL_ACCOUNT_ID}:log-group:/aws/lambda/fn-a`,
      creationTime: T0,
      storedBytes: 0,
      metricFilterCount: 0,
      logGroupClass: 'STANDARD',
    });
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/lambda/fn-', limit: 7, nextToken }));
      names.push(...(page.logGroups ?? []).map((g) => g.logGroupName as string));
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
    expect(names).toHaveLength(26);
    expect(new Set(names).size).toBe(26);
    const all = await logs.send(new DescribeLogGroupsCommand({}));
    expect(all.logGroups).toHaveLength(27);
    expect(all.nextToken).toBeUndefined();
    const pattern = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'RESIZE' }));
    expect(pattern.logGroups?.map((g) => g.logGroupName)).toEqual([group]);
    expect(pattern.logGroups?.[0]?.storedBytes).toBeGreaterThan(0);
    const both = await rejection(logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/a', logGroupNamePattern: 'a' })));
    expect(both).toBeInstanceOf(InvalidParameterException);
    const badToken = await rejection(logs.send(new DescribeLogGroupsCommand({ nextToken: 'garbage!' })));
    expect(badToken).toBeInstanceOf(InvalidParameterException);
    const badLimit = await rejection(logs.send(new DescribeLogGroupsCommand({ limit: 51 })));
    expect(badLimit).toBeInstanceOf(InvalidParameterException);
  });

  it('describes log streams by name or last event time, ascending or descending, in pages', async () => {
    const byName = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group }));
    expect(byName.logStreams?.map((s) => s.logStreamName)).toEqual(streams);
    expect(byName.logStreams?.find((s) => s.logStreamName === streams[0])).toMatchObject({
      creationTime: T0 + 20_000,
      firstEventTimestamp: T0,
      lastEventTimestamp: T0 + 9000,
      lastIngestionTime: T0 + 20_000,
      storedBytes: 0,
      arn: `arn:aws:logs:us-east-1:${LOCAL_ACCOUNT_ID}:log-group:${group}:log-stream:${streams[0]}`,
    });
    const latest = await logs.send(new DescribeLogStreamsCommand({ logGroupIdentifier: `arn:aws:logs:us-east-1:${LOCAL_ACCOUNT_ID}:log-group:${group}`, orderBy: 'LastEventTime', descending: true, limit: 1 }));
    expect(latest.logStreams?.map((s) => s.logStreamName)).toEqual([streams[0]]);
    const second = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group, orderBy: 'LastEventTime', descending: true, limit: 1, nextToken: latest.nextToken }));
    expect(second.logStreams?.map((s) => s.logStreamName)).toEqual([streams[1]]);
    const third = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group, orderBy: 'LastEventTime', descending: true, limit: 1, nextToken: second.nextToken }));
    expect(third.logStreams?.map((s) => s.logStreamName)).toEqual([streams[2]]);
    expect(third.nextToken).toBeUndefined();
    const prefixed = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group, logStreamNamePrefix: '2026/11/24/[$LATEST]', descending: true }));
    expect(prefixed.logStreams?.map((s) => s.logStreamName)).toEqual([streams[1], streams[0]]);
    const missing = await rejection(logs.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/lambda/none' })));
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect((missing as Error).message).toBe('The specified log group does not exist.');
    for (const input of [
      { logGroupName: group, orderBy: 'LastEventTime' as const, logStreamNamePrefix: '2026' },
      { logGroupName: group, orderBy: 'Size' as never },
      { logGroupName: group, logGroupIdentifier: group },
      {},
      { logGroupName: group, nextToken: encodeToken({ k: 'x' }) },
    ]) {
      expect(await rejection(logs.send(new DescribeLogStreamsCommand(input)))).toBeInstanceOf(InvalidParameterException);
    }
  });

  it('gets log events from the head, from the tail, backwards, in a time range, until the token repeats', async () => {
    const base: GetLogEventsCommandInput = { logGroupName: group, logStreamName: streams[0] };
    const head = await logs.send(new GetLogEventsCommand({ ...base, startFromHead: true, limit: 4 }));
    expect(head.events?.map((e) => e.message)).toEqual(['a0 ERROR line', 'a1 INFO line', 'a2 ERROR line', 'a3 INFO line']);
    expect(head.events?.[0]).toEqual({ timestamp: T0, message: 'a0 ERROR line', ingestionTime: T0 + 20_000 });
    expect(head.nextForwardToken).toMatch(/^f\/\d{32}\/s$/);
    expect(head.nextBackwardToken).toMatch(/^b\/\d{32}\/s$/);
    const seen = [...(head.events ?? []).map((e) => e.message as string)];
    let token = head.nextForwardToken as string;
    for (;;) {
      const page = await logs.send(new GetLogEventsCommand({ ...base, startFromHead: true, limit: 4, nextToken: token }));
      seen.push(...(page.events ?? []).map((e) => e.message as string));
      if (page.nextForwardToken === token) {
        expect(page.events).toEqual([]);
        break;
      }
      token = page.nextForwardToken as string;
    }
    expect(seen).toHaveLength(10);
    expect(seen.at(-1)).toBe('a9 INFO line');

    // Without startFromHead, the newest events come first.
    const tail = await logs.send(new GetLogEventsCommand({ ...base, limit: 3 }));
    expect(tail.events?.map((e) => e.message)).toEqual(['a7 INFO line', 'a8 ERROR line', 'a9 INFO line']);
    const back = await logs.send(new GetLogEventsCommand({ ...base, limit: 3, nextToken: tail.nextBackwardToken }));
    expect(back.events?.map((e) => e.message)).toEqual(['a4 ERROR line', 'a5 INFO line', 'a6 ERROR line']);
    const back2 = await logs.send(new GetLogEventsCommand({ ...base, limit: 10, nextToken: back.nextBackwardToken }));
    expect(back2.events).toHaveLength(4);
    const back3 = await logs.send(new GetLogEventsCommand({ ...base, nextToken: back2.nextBackwardToken }));
    expect(back3.events).toEqual([]);
    expect(back3.nextBackwardToken).toBe(back2.nextBackwardToken);
    const forwardFromBack = await logs.send(new GetLogEventsCommand({ ...base, nextToken: back3.nextForwardToken, limit: 1 }));
    expect(forwardFromBack.events?.map((e) => e.message)).toEqual(['a0 ERROR line']);
    const end = await logs.send(new GetLogEventsCommand({ ...base, nextToken: tail.nextForwardToken }));
    expect(end.events).toEqual([]);
    expect(end.nextForwardToken).toBe(tail.nextForwardToken);
    const backFromEnd = await logs.send(new GetLogEventsCommand({ ...base, nextToken: end.nextBackwardToken, limit: 1 }));
    expect(backFromEnd.events?.map((e) => e.message)).toEqual(['a9 INFO line']);

    // startTime inclusive, endTime exclusive.
    const range = await logs.send(new GetLogEventsCommand({ ...base, startFromHead: true, startTime: T0 + 2000, endTime: T0 + 5000 }));
    expect(range.events?.map((e) => e.message)).toEqual(['a2 ERROR line', 'a3 INFO line', 'a4 ERROR line']);
    const empty = await logs.send(new GetLogEventsCommand({ ...base, startTime: T0 + 100_000 }));
    expect(empty.events).toEqual([]);
    expect(empty.nextForwardToken).toBe(`f/${'0'.repeat(32)}/s`);

    expect(await rejection(logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 'nope' })))).toBeInstanceOf(ResourceNotFoundException);
    expect(await rejection(logs.send(new GetLogEventsCommand({ ...base, nextToken: 'x/1/s' })))).toBeInstanceOf(InvalidParameterException);
    expect(await rejection(logs.send(new GetLogEventsCommand({ ...base, limit: 0 })))).toBeInstanceOf(InvalidParameterException);
  });

  it('caps a page at 1 MB of events', async () => {
    const big = 'x'.repeat(300_000);
    server.store.putLogEvents('/big', 's', Array.from({ length: 5 }, (_, i) => ({ timestamp: T0 + i, message: big })));
    const page = await logs.send(new GetLogEventsCommand({ logGroupName: '/big', logStreamName: 's', startFromHead: true }));
    expect(page.events).toHaveLength(3);
    const filtered = await logs.send(new FilterLogEventsCommand({ logGroupName: '/big' }));
    expect(filtered.events).toHaveLength(3);
    expect(filtered.nextToken).toBeDefined();
  });

  it('filters events across streams by pattern, stream and time, with pages', async () => {
    const errors = await logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: 'ERROR' }));
    expect(errors.events?.map((e) => e.message)).toEqual(['a0 ERROR line', 'a2 ERROR line', 'a4 ERROR line', 'a6 ERROR line', 'a8 ERROR line']);
    expect(errors.events?.[1]).toMatchObject({ logStreamName: streams[0], timestamp: T0 + 2000, ingestionTime: T0 + 20_000 });
    expect(errors.events?.[1]?.eventId).toMatch(/^\d{32}$/);
    expect(errors.searchedLogStreams).toHaveLength(3);
    expect(errors.nextToken).toBeUndefined();
    const interleaved = await logs.send(new FilterLogEventsCommand({ logGroupName: group, startTime: T0, endTime: T0 + 1250 }));
    expect(interleaved.events?.map((e) => e.message?.split(' ')[0])).toEqual(['a0', 'b0', 'b1', 'a1', 'b2']);
    const phrase = await logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: '"\\"quoted\\"" -b3', logStreamNames: [streams[1] as string] }));
    expect(phrase.events?.map((e) => e.message?.split(' ')[0])).toEqual(['b0', 'b1', 'b2', 'b4']);
    const optional = await logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: '?INIT_START ?WARN', logStreamNamePrefix: '2026/11/24/[2]' }));
    expect(optional.events?.map((e) => e.message)).toEqual(['INIT_START Runtime Version: nodejs:20.v22']);
    const regex = await logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: '%^a[0-3] %' }));
    expect(regex.events).toHaveLength(4);

    const collected: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await logs.send(new FilterLogEventsCommand({ logGroupName: group, limit: 4, nextToken }));
      collected.push(...(page.events ?? []).map((e) => e.message as string));
      nextToken = page.nextToken;
      pages++;
    } while (nextToken !== undefined);
    expect(pages).toBe(4);
    expect(collected).toHaveLength(16);
    expect(new Set(collected).size).toBe(16);

    for (const input of [
      { logGroupName: group, filterPattern: '{ $.level = "x" }' },
      { logGroupName: group, logStreamNames: ['a'], logStreamNamePrefix: 'a' },
      { logGroupName: group, nextToken: encodeToken({ e: 'short' }) },
    ]) {
      expect(await rejection(logs.send(new FilterLogEventsCommand(input)))).toBeInstanceOf(InvalidParameterException);
    }
    expect(await rejection(logs.send(new FilterLogEventsCommand({ logGroupName: '/none' })))).toBeInstanceOf(ResourceNotFoundException);
  });

  it('creates groups and streams and puts events, rejecting what the service rejects', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/custom' }));
    expect(await rejection(logs.send(new CreateLogGroupCommand({ logGroupName: '/custom' })))).toBeInstanceOf(ResourceAlreadyExistsException);
    expect(await rejection(logs.send(new CreateLogGroupCommand({ logGroupName: 'bad name' })))).toBeInstanceOf(InvalidParameterException);
    expect(await rejection(logs.send(new CreateLogStreamCommand({ logGroupName: '/none', logStreamName: 's' })))).toBeInstanceOf(ResourceNotFoundException);
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/custom', logStreamName: 's' }));
    expect(await rejection(logs.send(new CreateLogStreamCommand({ logGroupName: '/custom', logStreamName: 's' })))).toBeInstanceOf(ResourceAlreadyExistsException);
    const now = clock.now();
    const put = await logs.send(new PutLogEventsCommand({ logGroupName: '/custom', logStreamName: 's', logEvents: [{ timestamp: now, message: 'one' }, { timestamp: now + 1, message: 'two' }] }));
    expect(put.rejectedLogEventsInfo).toBeUndefined();
    const rejected = await logs.send(new PutLogEventsCommand({
      logGroupName: '/custom',
      logStreamName: 's',
      logEvents: [
        { timestamp: now - 15 * 86_400_000, message: 'too old' },
        { timestamp: now + 2, message: 'three' },
        { timestamp: now + 3 * 3_600_000, message: 'too new' },
      ],
    }));
    expect(rejected.rejectedLogEventsInfo).toEqual({ tooOldLogEventEndIndex: 0, tooNewLogEventStartIndex: 2 });
    expect(server.store.streamEvents('/custom', 's').map((e) => e.message)).toEqual(['one', 'two', 'three']);
    const unordered = await rejection(logs.send(new PutLogEventsCommand({ logGroupName: '/custom', logStreamName: 's', logEvents: [{ timestamp: now + 5, message: 'b' }, { timestamp: now, message: 'a' }] })));
    expect(unordered).toBeInstanceOf(InvalidParameterException);
    expect(await rejection(logs.send(new PutLogEventsCommand({ logGroupName: '/custom', logStreamName: 's', logEvents: [] })))).toBeInstanceOf(InvalidParameterException);
    expect(await rejection(logs.send(new PutLogEventsCommand({ logGroupName: '/none', logStreamName: 's', logEvents: [{ timestamp: now, message: 'x' }] })))).toBeInstanceOf(ResourceNotFoundException);
    expect(await rejection(logs.send(new PutLogEventsCommand({ logGroupName: '/custom', logStreamName: 'none', logEvents: [{ timestamp: now, message: 'x' }] })))).toBeInstanceOf(ResourceNotFoundException);
  });

  it('shows delayed events only after their ingestion time and never shows dropped ones', async () => {
    const delayed = manualClock(T0);
    const store = new LogStore({ now: delayed.now, ingestionDelayMs: 3000, shouldDrop: (_g, _s, e) => e.message.startsWith('REPORT') });
    const own = await startLogsServer({ store });
    const c = client(own.endpoint);
    try {
      store.putLogEvents(group, 's', [
        { timestamp: T0, message: 'START RequestId: 1' },
        { timestamp: T0 + 1, message: 'REPORT RequestId: 1' },
      ]);
      const before = await c.send(new FilterLogEventsCommand({ logGroupName: group }));
      expect(before.events).toEqual([]);
      const streamBefore = await c.send(new DescribeLogStreamsCommand({ logGroupName: group }));
      expect(streamBefore.logStreams?.[0]?.lastEventTimestamp).toBeUndefined();
      delayed.advance(3000);
      const after = await c.send(new FilterLogEventsCommand({ logGroupName: group }));
      expect(after.events?.map((e) => [e.message, e.ingestionTime])).toEqual([['START RequestId: 1', T0 + 3000]]);
      const got = await c.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's' }));
      expect(got.events).toHaveLength(1);
    } finally {
      c.destroy();
      await own.close();
    }
  });

  it('runs queries through Scheduled, Running and Complete on the service clock, with pages and statistics', async () => {
    const start = await logs.send(new StartQueryCommand({
      logGroupNames: [group],
      startTime: Math.floor(T0 / 1000),
      endTime: Math.floor(T0 / 1000) + 4,
      queryString: 'fields @message',
    }));
    expect(start.queryId).toMatch(/^[0-9a-f-]{36}$/);
    const queryId = start.queryId as string;
    const poll = (extra: { maxItems?: number; nextToken?: string } = {}): Promise<GetQueryResultsCommandOutput> =>
      logs.send(new GetQueryResultsCommand({ queryId, ...extra }));
    const scheduled = await poll();
    expect(scheduled.status).toBe('Scheduled');
    expect(scheduled.results).toEqual([]);
    expect(scheduled.statistics).toEqual({ recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 });
    clock.advance(1000);
    expect((await poll()).status).toBe('Running');
    clock.advance(1999);
    expect((await poll()).status).toBe('Running');
    clock.advance(1);
    const done = await poll();
    expect(done.status).toBe('Complete');
    expect(done.queryLanguage).toBe('CWLI');
    // Whole seconds T0..T0+4 inclusive: a0..a4 and b0..b4 (b4 at T0 + 2.25 s).
    expect(done.results).toHaveLength(10);
    expect(done.results?.[0]).toEqual([
      { field: '@timestamp', value: String(T0) },
      { field: '@message', value: 'a0 ERROR line' },
      { field: '@logStream', value: streams[0] },
      { field: '@log', value: `${LOCAL_ACCOUNT_ID}:${group}` },
      { field: 'range', value: `${T0}-${T0 + 4999}-${group}` },
    ]);
    expect(done.statistics).toMatchObject({ recordsMatched: 10, recordsScanned: 10 });
    expect(done.nextToken).toBeUndefined();
    const page1 = await poll({ maxItems: 4 });
    const page2 = await poll({ maxItems: 4, nextToken: page1.nextToken });
    const page3 = await poll({ maxItems: 4, nextToken: page2.nextToken });
    expect([page1, page2, page3].map((p) => p.results?.length)).toEqual([4, 4, 2]);
    expect(page3.nextToken).toBeUndefined();
    expect(await rejection(poll({ nextToken: encodeToken({ q: 'other', o: 1 }) }))).toBeInstanceOf(InvalidParameterException);
    // StopQuery after the end is an error.
    expect(await rejection(logs.send(new StopQueryCommand({ queryId })))).toBeInstanceOf(InvalidParameterException);
  });

  it('reads groups by logGroupName or by identifiers (names and ARNs) and passes the row limit', async () => {
    const one = await logs.send(new StartQueryCommand({ logGroupName: group, startTime: 0, endTime: Math.floor(T0 / 1000) + 100, queryString: 'x', limit: 2 }));
    const many = await logs.send(new StartQueryCommand({
      logGroupIdentifiers: [`arn:aws:logs:us-east-1:${LOCAL_ACCOUNT_ID}:log-group:${group}:*`, '/big'],
      startTime: 0,
      endTime: Math.floor(T0 / 1000) + 100,
      queryString: 'x',
    }));
    clock.advance(3000);
    const oneResult = await logs.send(new GetQueryResultsCommand({ queryId: one.queryId }));
    expect(oneResult.results).toHaveLength(2);
    const manyResult = await logs.send(new GetQueryResultsCommand({ queryId: many.queryId }));
    expect(manyResult.results).toHaveLength(21);
    expect(manyResult.results?.[0]?.find((f) => f.field === 'range')?.value).toMatch(/-\*$/);
  });

  it('stops running queries, and limits how many run at once', async () => {
    const startOne = (): Promise<string> =>
      logs.send(new StartQueryCommand({ logGroupName: group, startTime: 0, endTime: 1, queryString: 'fields @message' })).then((r) => r.queryId as string);
    const a = await startOne();
    const b = await startOne();
    const c = await startOne();
    const limited = await rejection(startOne());
    expect(limited).toBeInstanceOf(LimitExceededException);
    expect((limited as Error).message).toBe('Account maximum query concurrency limit of [3] reached.');
    expect(await logs.send(new StopQueryCommand({ queryId: a }))).toMatchObject({ success: true });
    expect((await logs.send(new GetQueryResultsCommand({ queryId: a }))).status).toBe('Cancelled');
    expect(await rejection(logs.send(new StopQueryCommand({ queryId: a })))).toBeInstanceOf(InvalidParameterException);
    const d = await startOne();
    clock.advance(1000);
    expect(await logs.send(new StopQueryCommand({ queryId: b }))).toMatchObject({ success: true });
    clock.advance(2000);
    expect((await logs.send(new GetQueryResultsCommand({ queryId: c }))).status).toBe('Complete');
    expect((await logs.send(new GetQueryResultsCommand({ queryId: d }))).status).toBe('Complete');
    expect(await rejection(logs.send(new GetQueryResultsCommand({ queryId: 'no-such-query' })))).toBeInstanceOf(ResourceNotFoundException);
    expect(await rejection(logs.send(new StopQueryCommand({ queryId: 'no-such-query' })))).toBeInstanceOf(ResourceNotFoundException);
  });

  it('answers bad queries with MalformedQueryException and engine failures with status Failed', async () => {
    const malformed = await rejection(logs.send(new StartQueryCommand({ logGroupName: group, startTime: 0, endTime: 1, queryString: 'bad query' })));
    expect(malformed).toBeInstanceOf(MalformedQueryException);
    expect((malformed as MalformedQueryException).message).toBe('unexpected symbol found bad at line 1 and position 1');
    expect((malformed as MalformedQueryException).queryCompileError).toEqual({
      message: 'unexpected symbol found bad at line 1 and position 1',
      location: { startCharOffset: 0, endCharOffset: 3 },
    });
    const crashed = await rejection(logs.send(new StartQueryCommand({ logGroupName: group, startTime: 0, endTime: 1, queryString: 'crash' })));
    expect(crashed).toBeInstanceOf(ServiceUnavailableException);
    const failed = await logs.send(new StartQueryCommand({ logGroupName: group, startTime: 0, endTime: 1, queryString: 'explode' }));
    clock.advance(3000);
    expect((await logs.send(new GetQueryResultsCommand({ queryId: failed.queryId }))).status).toBe('Failed');
    const missingGroup = await rejection(logs.send(new StartQueryCommand({ logGroupNames: [group, '/aws/lambda/none'], startTime: 0, endTime: 1, queryString: 'x' })));
    expect(missingGroup).toBeInstanceOf(ResourceNotFoundException);
    expect((missingGroup as Error).message).toBe(`Log group '/aws/lambda/none' does not exist for account ID '${LOCAL_ACCOUNT_ID}'`);
    for (const input of [
      { startTime: 0, endTime: 1, queryString: 'x' },
      { logGroupName: group, logGroupNames: [group], startTime: 0, endTime: 1, queryString: 'x' },
      { logGroupName: group, startTime: 5, endTime: 1, queryString: 'x' },
      { logGroupName: group, startTime: 0, endTime: 1, queryString: 'x', queryLanguage: 'SQL' as const },
      { logGroupName: group, startTime: 0, endTime: 1, queryString: 'x'.repeat(10_001) },
      { logGroupName: group, startTime: 0, endTime: 1, queryString: 'x', limit: 100_001 },
      { logGroupNames: [], startTime: 0, endTime: 1, queryString: 'x' },
    ]) {
      expect(await rejection(logs.send(new StartQueryCommand(input))), JSON.stringify(input).slice(0, 80)).toBeInstanceOf(InvalidParameterException);
    }
  });

  it('answers StartQuery with InvalidOperationException when started without an engine', async () => {
    const own = await startLogsServer({ engine: null });
    const c = client(own.endpoint);
    try {
      own.store.ensureLogGroup(group);
      expect(await rejection(c.send(new StartQueryCommand({ logGroupName: group, startTime: 0, endTime: 1, queryString: 'x' })))).toBeInstanceOf(InvalidOperationException);
    } finally {
      c.destroy();
      await own.close();
    }
  });

  it('answers unsupported operations, malformed bodies and other methods with AWS-shaped errors', async () => {
    const unsupported = await rejection(logs.send(new DeleteLogGroupCommand({ logGroupName: group })));
    expect(unsupported).toBeInstanceOf(CloudWatchLogsServiceException);
    expect((unsupported as Error).name).toBe('UnknownOperationException');
    expect((unsupported as Error).message).toBe('lambda-meter local does not support the CloudWatch Logs operation DeleteLogGroup');
    const headers = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Logs_20140328.DescribeLogGroups' };
    const malformed = await fetch(server.endpoint, { method: 'POST', headers, body: '{nope' });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('x-amzn-errortype')).toBe('SerializationException');
    expect(malformed.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    const get = await fetch(server.endpoint, { method: 'GET', headers });
    expect(await get.json()).toMatchObject({ __type: 'UnknownOperationException' });
    const direct = await server.service.handle({ method: 'POST', url: '/', headers: { 'x-amz-target': 'Logs_20140328.' }, body: Buffer.from('{}') });
    expect(JSON.parse(String(direct.body))).toEqual({ __type: 'UnknownOperationException', message: 'Missing or unknown x-amz-target' });
    expect(server.service.matches({ method: 'POST', url: '/', headers: { 'x-amz-target': 'GraniteServiceVersion20100801.ListMetrics' }, body: Buffer.alloc(0) })).toBe(false);
  });

  it('injects throttling, server errors and slow answers', async () => {
    fault = 'throttle';
    const throttled = await rejection(logs.send(new DescribeLogGroupsCommand({})));
    expect(throttled).toBeInstanceOf(ThrottlingException);
    expect((throttled as ThrottlingException).$metadata.httpStatusCode).toBe(400);
    fault = 'serverError';
    const failed = await rejection(logs.send(new DescribeLogGroupsCommand({})));
    expect(failed).toBeInstanceOf(ServiceUnavailableException);
    expect((failed as ServiceUnavailableException).$metadata.httpStatusCode).toBe(500);
    fault = { delayMs: 5 };
    const slow = await logs.send(new DescribeLogGroupsCommand({ limit: 1 }));
    expect(slow.logGroups).toHaveLength(1);
  });

  it('validates its options', () => {
    const store = new LogStore();
    expect(() => new LogsService(store, { scheduledMs: -1 })).toThrow(InvalidInputError);
    expect(() => new LogsService(store, { runningMs: Number.NaN })).toThrow(InvalidInputError);
    expect(() => new LogsService(store, { maxConcurrentQueries: 0 })).toThrow(InvalidInputError);
  });
});

describe('lambda-meter insights against local', () => {
  it('runInsightsQuery starts, polls and pages through the real SDK client', async () => {
    const store = new LogStore();
    const server = await startLogsServer({ store, engine: rowsEngine, scheduledMs: 20, runningMs: 30 });
    const logs = client(server.endpoint);
    try {
      const t = Date.now() - 60_000;
      store.putLogEvents('/aws/lambda/many', 's', Array.from({ length: 12_000 }, (_, i) => ({ timestamp: t + (i % 50), message: `line ${i}` })));
      const polls: string[] = [];
      const result = await runInsightsQuery(
        logs,
        { logGroupNames: ['/aws/lambda/many'], queryString: 'fields @message', startTime: t, endTime: t + 1000, limit: 12_000 },
        { pollMinDelayMs: 5, pollMaxDelayMs: 20, onProgress: (e) => polls.push(e.phase) },
      );
      expect(result.status).toBe('Complete');
      expect(result.rows).toHaveLength(12_000);
      expect(new Set(result.rows.map((r) => r['@message'])).size).toBe(12_000);
      expect(result.statistics.recordsMatched).toBe(12_000);
      expect(polls.at(-1)).toBe('querying');

      // A query that outlives the caller's timeout is stopped, which the service records.
      const slow = await startLogsServer({ store, engine: rowsEngine, scheduledMs: 0, runningMs: 60_000 });
      const slowClient = client(slow.endpoint);
      try {
        const err = await rejection(
          runInsightsQuery(slowClient, { logGroupNames: ['/aws/lambda/many'], queryString: 'fields @message', startTime: t, endTime: t + 1000 }, { timeoutMs: 50, pollMinDelayMs: 5 }),
        );
        expect(err).toBeInstanceOf(QueryTimeoutError);
        const stopped = await slowClient.send(new GetQueryResultsCommand({ queryId: (err as QueryTimeoutError).queryId }));
        expect(stopped.status).toBe('Cancelled');
      } finally {
        slowClient.destroy();
        await slow.close();
      }
    } finally {
      logs.destroy();
      await server.close();
    }
  });
});
