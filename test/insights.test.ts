import {
  CloudWatchLogsClient,
  GetQueryResultsCommand,
  StartQueryCommand,
  StopQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import type { GetQueryResultsCommandInput, GetQueryResultsCommandOutput, StartQueryCommandInput } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  LambdaMeterAbortError,
  InvalidInputError,
  QueryFailedError,
  QueryTimeoutError,
  RetryExhaustedError,
  ServiceCallError,
} from '../src/errors.js';
import { iterateReports, matchReports, queryReports, runInsightsQuery } from '../src/insights/index.js';
import type { InsightsReportRecord, ReportWindowEvent } from '../src/insights/index.js';
import type { Progress } from '../src/internal/options.js';
import { insightsSeconds, pollDelayMs } from '../src/insights/query.js';
import { parseInsightsTimestamp, reportsQuery, splitWindow } from '../src/insights/reports.js';
import type { ReportRecord } from '../src/report/types.js';
import { seeded } from './helpers/common.js';

const logs = mockClient(CloudWatchLogsClient);
const client = new CloudWatchLogsClient({ region: 'us-east-1' });
const T0 = Date.parse('2026-03-09T00:00:00Z');
const fastPoll = { pollMinDelayMs: 0, pollMaxDelayMs: 0 };
const fastRetry = { retry: { baseDelayMs: 1, maxDelayMs: 2, random: () => 0.5 } };

function sdkError(name: string, status: number, message = `${name} happened`): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

function fields(row: Record<string, string>): { field: string; value: string }[] {
  return Object.entries(row).map(([field, value]) => ({ field, value }));
}

// Insights formats @timestamp as `YYYY-MM-DD HH:MM:SS.mmm` in UTC (EMBR real rows; CloudWatch console output).
function insightsTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

// Text REPORT shape from AWS docs (services-cloudwatchlogs.md), with an X-Ray line in the same event (DD-FWD fixture).
function textReport(id: string, durationMs: number, init?: number): string {
  const initPart = init === undefined ? '' : `Init Duration: ${init.toFixed(2)} ms\t`;
  return (
    `REPORT RequestId: ${id}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${Math.ceil(durationMs)} ms\t` +
    `Memory Size: 128 MB\tMax Memory Used: 70 MB\t${initPart}\n`
  );
}

// JSON platform.report shape from the Telemetry API schema reference (TEL).
function jsonReport(id: string, durationMs: number, ms: number): string {
  return JSON.stringify({
    time: new Date(ms).toISOString(),
    type: 'platform.report',
    record: {
      requestId: id,
      metrics: { durationMs, billedDurationMs: Math.ceil(durationMs), memorySizeMB: 128, maxMemoryUsedMB: 70 },
      status: 'success',
    },
  });
}

beforeEach(() => logs.reset());
afterEach(() => logs.reset());

describe('runInsightsQuery', () => {
  it('polls Scheduled → Running → Complete with growing delays and returns rows keyed by field', async () => {
    logs.on(StartQueryCommand).resolves({ queryId: 'q-1' });
    logs
      .on(GetQueryResultsCommand)
      .resolvesOnce({ status: 'Scheduled' })
      .resolvesOnce({ status: 'Running', statistics: { recordsMatched: 1, recordsScanned: 10, bytesScanned: 100 } })
      .resolvesOnce({ status: 'Running' })
      .resolvesOnce({ status: 'Running' })
      .resolvesOnce({
        status: 'Complete',
        results: [
          fields({ '@timestamp': '2026-03-09 00:00:01.000', avgMs: '5.93', '@ptr': 'p1' }),
          [{ field: 'avgMs', value: '6.7E7' }, { field: 'noValue' }, null as never],
          'not a row' as never,
        ],
        statistics: { recordsMatched: 2, recordsScanned: 20, bytesScanned: 2000, estimatedRecordsSkipped: 3, logGroupsScanned: 1 },
      });
    const polls: Progress[] = [];
    const result = await runInsightsQuery(
      client,
      { logGroupNames: ['/aws/lambda/fn'], queryString: 'filter @type = "REPORT" | stats avg(@duration) as avgMs', startTime: T0, endTime: T0 + 60_000 },
      { pollMinDelayMs: 2, pollMaxDelayMs: 6, onProgress: (e) => polls.push(e) },
    );
    expect(polls.map((p) => [p.operation, p.phase, p.completed, p.total])).toEqual([
      ['runInsightsQuery', 'querying', 1, undefined],
      ['runInsightsQuery', 'querying', 2, undefined],
      ['runInsightsQuery', 'querying', 3, undefined],
      ['runInsightsQuery', 'querying', 4, undefined],
      ['runInsightsQuery', 'querying', 5, undefined],
    ]);
    expect(result).toEqual({
      queryId: 'q-1',
      status: 'Complete',
      rows: [{ '@timestamp': '2026-03-09 00:00:01.000', avgMs: '5.93', '@ptr': 'p1' }, { avgMs: '6.7E7' }, {}],
      statistics: { recordsMatched: 2, recordsScanned: 20, bytesScanned: 2000, estimatedRecordsSkipped: 3, logGroupsScanned: 1 },
    });
    const start = logs.commandCalls(StartQueryCommand)[0]?.args[0].input;
    // [T0, T0 + 60 s) is the inclusive seconds T0 … T0 + 59.
    expect(start).toMatchObject({ logGroupNames: ['/aws/lambda/fn'], startTime: T0 / 1000, endTime: T0 / 1000 + 59 });
    expect(start?.limit).toBeUndefined();
    expect(start?.queryLanguage).toBeUndefined();
    expect(logs.commandCalls(GetQueryResultsCommand)[0]?.args[0].input).toEqual({ queryId: 'q-1', maxItems: 10_000 });
    expect(logs.commandCalls(StopQueryCommand)).toHaveLength(0);
  });

  it('turns an exclusive millisecond range into inclusive Insights seconds with one helper', async () => {
    expect(insightsSeconds(1_000, 3_000)).toEqual({ startSec: 1, endSec: 2 });
    expect(insightsSeconds(1_500, 3_001)).toEqual({ startSec: 1, endSec: 3 });
    expect(insightsSeconds(1_999, 2_000)).toEqual({ startSec: 1, endSec: 1 });
    // runInsightsQuery and queryReports ask for the same seconds for the same range.
    logs.on(StartQueryCommand).resolves({ queryId: 'q' });
    logs.on(GetQueryResultsCommand).resolves({ status: 'Complete', results: [] });
    const range = { startTime: T0 + 250, endTime: T0 + 5_000 };
    await runInsightsQuery(client, { logGroupNames: ['/aws/lambda/fn'], queryString: 'fields @message', ...range }, fastPoll);
    await queryReports(client, { functionName: 'fn', ...range }, fastPoll);
    const [a, b] = logs.commandCalls(StartQueryCommand).map((c) => c.args[0].input);
    expect([a?.startTime, a?.endTime]).toEqual([T0 / 1000, T0 / 1000 + 4]);
    expect([b?.startTime, b?.endTime]).toEqual([a?.startTime, a?.endTime]);
  });

  it('computes the default back-off: 100 ms growing 1.5× to 2 s', () => {
    const delays = Array.from({ length: 10 }, (_, i) => Math.round(pollDelayMs(i + 1, 100, 2000)));
    expect(delays).toEqual([100, 150, 225, 338, 506, 759, 1139, 1709, 2000, 2000]);
  });

  it('converts Date and epoch-millisecond times to inclusive epoch seconds, the end exclusive', async () => {
    logs.on(StartQueryCommand).resolves({ queryId: 'q' });
    logs.on(GetQueryResultsCommand).resolves({ status: 'Complete', results: [] });
    await runInsightsQuery(
      client,
      { logGroupIdentifiers: ['arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/fn'], queryString: 'fields @message', startTime: new Date(T0 + 999), endTime: T0 + 60_001, limit: 100_000, queryLanguage: 'CWLI' },
      fastPoll,
    );
    expect(logs.commandCalls(StartQueryCommand)[0]?.args[0].input).toEqual({
      logGroupIdentifiers: ['arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/fn'],
      queryString: 'fields @message',
      startTime: T0 / 1000,
      // T0 + 60_001 ms is exclusive: the last millisecond in range is in second T0 + 60.
      endTime: T0 / 1000 + 60,
      limit: 100_000,
      queryLanguage: 'CWLI',
    });
  });

  it('follows nextToken pages after Complete', async () => {
    logs.on(StartQueryCommand).resolves({ queryId: 'q' });
    logs
      .on(GetQueryResultsCommand)
      .resolvesOnce({ status: 'Complete', results: [fields({ n: '1' })], nextToken: 't2' })
      .resolvesOnce({ status: 'Complete', results: [fields({ n: '2' })], nextToken: 't3' })
      .resolvesOnce({ status: 'Complete', results: [fields({ n: '3' })], nextToken: 't3' });
    const result = await runInsightsQuery(
      client,
      { logGroupNames: ['g'], queryString: 'fields n', startTime: T0, endTime: T0 + 1000, limit: 30_000 },
      fastPoll,
    );
    expect(result.rows).toEqual([{ n: '1' }, { n: '2' }, { n: '3' }]);
    const calls = logs.commandCalls(GetQueryResultsCommand).map((c) => c.args[0].input);
    expect(calls).toEqual([
      { queryId: 'q', maxItems: 10_000 },
      { queryId: 'q', maxItems: 10_000, nextToken: 't2' },
      { queryId: 'q', maxItems: 10_000, nextToken: 't3' },
    ]);
  });

  it.each(['Failed', 'Cancelled', 'Timeout', 'Unknown'])('raises QueryFailedError for status %s', async (status) => {
    logs.on(StartQueryCommand).resolves({ queryId: 'q-f' });
    logs.on(GetQueryResultsCommand).resolvesOnce({ status: 'Running' }).resolves({ status: status as 'Failed' });
    const err = await rejection(runInsightsQuery(client, { logGroupNames: ['g'], queryString: 'fields x', startTime: T0, endTime: T0 + 1000 }, fastPoll));
    expect(err).toBeInstanceOf(QueryFailedError);
    expect(err).toMatchObject({ queryId: 'q-f', status });
    expect(logs.commandCalls(StopQueryCommand)).toHaveLength(0);
  });

  it('treats a missing status as Unknown and a missing queryId as a failed start', async () => {
    logs.on(StartQueryCommand).resolvesOnce({ queryId: 'q' }).resolves({});
    logs.on(GetQueryResultsCommand).resolves({});
    const input = { logGroupNames: ['g'], queryString: 'fields x', startTime: T0, endTime: T0 + 1000 };
    expect(await rejection(runInsightsQuery(client, input, fastPoll))).toMatchObject({ name: 'QueryFailedError', status: 'Unknown', queryId: 'q' });
    expect(await rejection(runInsightsQuery(client, input, fastPoll))).toMatchObject({ name: 'QueryFailedError', queryId: '(none)' });
  });

  it('stops the query and raises QueryTimeoutError after timeoutMs', async () => {
    logs.on(StartQueryCommand).resolves({ queryId: 'q-slow' });
    logs.on(GetQueryResultsCommand).resolves({ status: 'Running' });
    logs.on(StopQueryCommand).resolves({ success: true });
    const err = await rejection(
      runInsightsQuery(client, { logGroupNames: ['g'], queryString: 'fields x', startTime: T0, endTime: T0 + 1000 }, { timeoutMs: 25, pollMinDelayMs: 1, pollMaxDelayMs: 5 }),
    );
    expect(err).toBeInstanceOf(QueryTimeoutError);
    expect(err).toMatchObject({ queryId: 'q-slow', timeoutMs: 25 });
    expect(logs.commandCalls(StopQueryCommand).map((c) => c.args[0].input)).toEqual([{ queryId: 'q-slow' }]);
  });

  it('still raises QueryTimeoutError when StopQuery fails because the query already ended', async () => {
    logs.on(StartQueryCommand).resolves({ queryId: 'q' });
    logs.on(GetQueryResultsCommand).resolves({ status: 'Scheduled' });
    logs.on(StopQueryCommand).rejects(sdkError('InvalidParameterException', 400, 'Query is not running'));
    const err = await rejection(runInsightsQuery(client, { logGroupNames: ['g'], queryString: 'x', startTime: T0, endTime: T0 + 1000 }, { timeoutMs: 5, pollMinDelayMs: 1, pollMaxDelayMs: 1 }));
    expect(err).toBeInstanceOf(QueryTimeoutError);
    expect(logs.commandCalls(StopQueryCommand)).toHaveLength(1);
  });

  it('stops the query and raises LambdaMeterAbortError when the signal aborts', async () => {
    logs.on(StartQueryCommand).resolves({ queryId: 'q-a' });
    logs.on(GetQueryResultsCommand).resolves({ status: 'Running' });
    logs.on(StopQueryCommand).rejects(sdkError('InvalidParameterException', 400));
    const ac = new AbortController();
    const reason = new Error('user stop');
    const err = await rejection(
      runInsightsQuery(
        client,
        { logGroupNames: ['g'], queryString: 'x', startTime: T0, endTime: T0 + 1000 },
        { ...fastPoll, signal: ac.signal, onProgress: (e) => e.completed === 2 && ac.abort(reason) },
      ),
    );
    expect(err).toBeInstanceOf(LambdaMeterAbortError);
    expect((err as LambdaMeterAbortError).cause).toBe(reason);
    expect(logs.commandCalls(GetQueryResultsCommand)).toHaveLength(2);
    expect(logs.commandCalls(StopQueryCommand).map((c) => c.args[0].input)).toEqual([{ queryId: 'q-a' }]);
  });

  it('stops the query when polling fails another way, and passes the error on', async () => {
    logs.on(StartQueryCommand).resolves({ queryId: 'q-x' });
    logs.on(GetQueryResultsCommand).resolvesOnce({ status: 'Running' }).rejects(sdkError('AccessDeniedException', 400, 'no logs:GetQueryResults'));
    logs.on(StopQueryCommand).resolves({ success: true });
    const err = await rejection(runInsightsQuery(client, { logGroupNames: ['g'], queryString: 'x', startTime: T0, endTime: T0 + 1000 }, fastPoll));
    expect(err).toBeInstanceOf(ServiceCallError);
    expect(err).toMatchObject({ operation: 'CloudWatchLogs.GetQueryResults', code: 'AccessDeniedException' });
    logs.on(GetQueryResultsCommand).resolves({ status: 'Running' });
    const thrown = new Error('progress bar broke');
    const err2 = await rejection(
      runInsightsQuery(client, { logGroupNames: ['g'], queryString: 'x', startTime: T0, endTime: T0 + 1000 }, { ...fastPoll, onProgress: () => { throw thrown; } }),
    );
    expect(err2).toBe(thrown);
    expect(logs.commandCalls(StopQueryCommand).map((c) => c.args[0].input)).toEqual([{ queryId: 'q-x' }, { queryId: 'q-x' }]);
  });

  it('does not start a query when the signal is already aborted', async () => {
    logs.on(StartQueryCommand).resolves({ queryId: 'q' });
    const ac = new AbortController();
    ac.abort();
    const err = await rejection(runInsightsQuery(client, { logGroupNames: ['g'], queryString: 'x', startTime: T0, endTime: T0 + 1000 }, { signal: ac.signal }));
    expect(err).toBeInstanceOf(LambdaMeterAbortError);
    expect(logs.commandCalls(StartQueryCommand)).toHaveLength(0);
  });

  it('retries LimitExceededException on StartQuery and throttling on GetQueryResults', async () => {
    logs
      .on(StartQueryCommand)
      .rejectsOnce(sdkError('LimitExceededException', 400, 'Account maximum query concurrency limit of [100] reached.'))
      .resolves({ queryId: 'q' });
    logs.on(GetQueryResultsCommand).rejectsOnce(sdkError('ThrottlingException', 400, 'Rate exceeded')).resolves({ status: 'Complete', results: [] });
    const retried: string[] = [];
    const result = await runInsightsQuery(
      client,
      { logGroupNames: ['g'], queryString: 'x', startTime: T0, endTime: T0 + 1000 },
      { ...fastPoll, ...fastRetry, onProgress: (e) => e.retry && retried.push(`${e.phase} ${e.retry.operation} ${(e.retry.error as Error).name}`) },
    );
    expect(result.queryId).toBe('q');
    expect(retried).toEqual(['retrying StartQuery LimitExceededException', 'retrying GetQueryResults ThrottlingException']);
    expect(logs.commandCalls(StartQueryCommand)).toHaveLength(2);
    expect(logs.commandCalls(GetQueryResultsCommand)).toHaveLength(2);
  });

  it('gives up on LimitExceededException with RetryExhaustedError', async () => {
    logs.on(StartQueryCommand).rejects(sdkError('LimitExceededException', 400));
    const err = await rejection(
      runInsightsQuery(client, { logGroupNames: ['g'], queryString: 'x', startTime: T0, endTime: T0 + 1000 }, { retry: { ...fastRetry.retry, maxAttempts: 3 } }),
    );
    expect(err).toBeInstanceOf(RetryExhaustedError);
    expect(logs.commandCalls(StartQueryCommand)).toHaveLength(3);
  });

  it('turns MalformedQueryException into ServiceCallError without retrying', async () => {
    logs.on(StartQueryCommand).rejects(sdkError('MalformedQueryException', 400, 'unexpected symbol'));
    const err = await rejection(runInsightsQuery(client, { logGroupNames: ['g'], queryString: 'fields |', startTime: T0, endTime: T0 + 1000 }));
    expect(err).toBeInstanceOf(ServiceCallError);
    expect(err).toMatchObject({ operation: 'CloudWatchLogs.StartQuery', code: 'MalformedQueryException' });
    expect(logs.commandCalls(StartQueryCommand)).toHaveLength(1);
  });

  it('accepts a SOURCE command or an SQL/PPL query instead of log group parameters', async () => {
    logs.on(StartQueryCommand).resolves({ queryId: 'q' });
    logs.on(GetQueryResultsCommand).resolves({ status: 'Complete', results: [] });
    await runInsightsQuery(client, { queryString: 'SOURCE logGroups(namePrefix: ["/aws/lambda/"]) | fields @message', startTime: T0, endTime: T0 + 1000 }, fastPoll);
    await runInsightsQuery(client, { queryString: 'SELECT * FROM `/aws/lambda/fn`', queryLanguage: 'SQL', startTime: T0, endTime: T0 + 1000, limit: 10_000 }, fastPoll);
    expect(logs.commandCalls(StartQueryCommand)[1]?.args[0].input).toMatchObject({ queryLanguage: 'SQL', limit: 10_000 });
    expect(logs.commandCalls(StartQueryCommand)[1]?.args[0].input.logGroupNames).toBeUndefined();
  });

  it('validates input and options, naming the field', async () => {
    logs.on(StartQueryCommand).resolves({ queryId: 'q' });
    const base = { logGroupNames: ['g'], queryString: 'fields x', startTime: T0, endTime: T0 + 1000 };
    const field = async (input: unknown, options: unknown = {}, c: unknown = client): Promise<string> => {
      const err = await rejection(runInsightsQuery(c as CloudWatchLogsClient, input as never, options as never));
      expect(err).toBeInstanceOf(InvalidInputError);
      return (err as InvalidInputError).field;
    };
    expect(await field(base, {}, null)).toBe('client');
    expect(await field(null)).toBe('input');
    expect(await field({ ...base, queryString: ' ' })).toBe('input.queryString');
    expect(await field({ ...base, queryLanguage: 'KQL' })).toBe('input.queryLanguage');
    expect(await field({ ...base, logGroupIdentifiers: ['g'] })).toBe('input.logGroupIdentifiers');
    expect(await field({ ...base, logGroupNames: undefined })).toBe('input.logGroupNames');
    expect(await field({ ...base, logGroupNames: [] })).toBe('input.logGroupNames');
    expect(await field({ ...base, logGroupNames: Array.from({ length: 51 }, (_, i) => `g${i}`) })).toBe('input.logGroupNames');
    expect(await field({ ...base, logGroupNames: ['g', ''] })).toBe('input.logGroupNames[1]');
    expect(await field({ ...base, logGroupNames: undefined, logGroupIdentifiers: ['/aws/lambda/*'] })).toBe('input.logGroupIdentifiers[0]');
    expect(await field({ ...base, limit: 0 })).toBe('input.limit');
    expect(await field({ ...base, limit: 100_001 })).toBe('input.limit');
    expect(await field({ ...base, limit: 10_001, queryLanguage: 'PPL' })).toBe('input.limit');
    expect(await field({ ...base, limit: 1.5 })).toBe('input.limit');
    expect(await field({ ...base, startTime: 'now' })).toBe('input.startTime');
    expect(await field({ ...base, endTime: T0 - 1000 })).toBe('input.endTime');
    // The end is exclusive: an empty range is an error, as in queryReports.
    expect(await field({ ...base, endTime: T0 })).toBe('input.endTime');
    expect(await field(base, null)).toBe('options');
    expect(await field(base, { onProgress: 'log' })).toBe('options.onProgress');
    expect(await field(base, { pollMinDelayMs: -1 })).toBe('options.pollMinDelayMs');
    expect(await field(base, { pollMinDelayMs: 50, pollMaxDelayMs: 10 })).toBe('options.pollMaxDelayMs');
    expect(await field(base, { timeoutMs: 0 })).toBe('options.timeoutMs');
    expect(await field(base, { retry: { maxAttempts: 0 } })).toBe('options.retry.maxAttempts');
    expect(logs.commandCalls(StartQueryCommand)).toHaveLength(0);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// A fake Logs Insights backend: StartQuery records the time range, the query's `filter @message like /…/` request-id
// clause and limit; GetQueryResults goes Scheduled → Running → Complete and returns at most `limit` rows of the range,
// oldest first, in pages of at most 10,000 with a nextToken, like the service.
// ---------------------------------------------------------------------------------------------------------------

interface FakeEvent {
  readonly ms: number;
  readonly message: string;
  readonly logStream: string;
  readonly type: 'START' | 'END' | 'REPORT' | undefined;
  readonly requestId: string;
}

interface FakeQuery {
  readonly rows: FakeEvent[];
  polls: number;
}

class FakeInsights {
  readonly started: { startTime: number; endTime: number; limit: number; idFilter: string | undefined }[] = [];
  readonly stopped: string[] = [];
  private readonly queries = new Map<string, FakeQuery>();
  private running = 0;
  maxRunning = 0;

  constructor(
    private readonly events: FakeEvent[],
    private readonly pollsToComplete = 3,
  ) {
    this.events.sort((a, b) => a.ms - b.ms);
  }

  private lowerBound(ms: number): number {
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.events[mid] as FakeEvent).ms < ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  startQuery(input: StartQueryCommandInput): { queryId: string } {
    const query = input.queryString as string;
    const lines = query.split('\n');
    const idFilter = lines.map((l) => /^\| filter @message like \/(.*)\/$/.exec(l)?.[1]).find((x) => x !== undefined);
    const limitInQuery = Number(/\| limit (\d+)/.exec(query)?.[1] ?? 10_000);
    const limit = Math.min(limitInQuery, input.limit ?? 10_000);
    const startTime = input.startTime as number;
    const endTime = input.endTime as number;
    this.started.push({ startTime, endTime, limit, idFilter });
    const idRegex = idFilter === undefined ? undefined : new RegExp(idFilter);
    const rows: FakeEvent[] = [];
    // Both ends inclusive, whole seconds (StartQuery reference).
    for (let i = this.lowerBound(startTime * 1000); i < this.events.length && rows.length < limit; i++) {
      const e = this.events[i] as FakeEvent;
      if (e.ms > endTime * 1000 + 999) break;
      const isReport = e.type === 'REPORT' || /^REPORT RequestId:/.test(e.message) || /"type"\s*:\s*"platform\.report"/.test(e.message);
      if (isReport && (idRegex === undefined || idRegex.test(e.message))) rows.push(e);
    }
    const queryId = `fake-${this.started.length}`;
    this.queries.set(queryId, { rows, polls: 0 });
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    return { queryId };
  }

  getQueryResults(input: GetQueryResultsCommandInput): Partial<GetQueryResultsCommandOutput> {
    const q = this.queries.get(input.queryId as string);
    if (q === undefined) throw sdkError('ResourceNotFoundException', 400);
    q.polls++;
    if (q.polls < this.pollsToComplete) return { status: q.polls === 1 ? 'Scheduled' : 'Running', results: [] };
    if (q.polls === this.pollsToComplete) this.running--;
    const offset = input.nextToken === undefined ? 0 : Number(input.nextToken.split(':')[1]);
    const pageSize = Math.min(10_000, input.maxItems ?? 1000);
    const page = q.rows.slice(offset, offset + pageSize);
    return {
      status: 'Complete',
      results: page.map((e, k) =>
        fields({
          '@timestamp': insightsTime(e.ms),
          '@message': e.message,
          '@logStream': e.logStream,
          ...(e.type === undefined ? {} : { '@requestId': e.requestId }),
          '@ptr': `${input.queryId}/${offset + k}`,
        }),
      ),
      statistics: { recordsMatched: q.rows.length, recordsScanned: this.events.length, bytesScanned: this.events.length * 200 },
      ...(offset + pageSize < q.rows.length ? { nextToken: `${input.queryId}:${offset + pageSize}` } : {}),
    };
  }

  stopQuery(queryId: string): { success: boolean } {
    this.stopped.push(queryId);
    const q = this.queries.get(queryId);
    if (q === undefined || q.polls >= this.pollsToComplete) throw sdkError('InvalidParameterException', 400, 'Query is not running');
    this.running--;
    q.polls = Number.POSITIVE_INFINITY;
    return { success: true };
  }

  install(): void {
    logs.on(StartQueryCommand).callsFake((input: StartQueryCommandInput) => this.startQuery(input));
    logs.on(GetQueryResultsCommand).callsFake((input: GetQueryResultsCommandInput) => this.getQueryResults(input));
    logs.on(StopQueryCommand).callsFake((input: { queryId: string }) => this.stopQuery(input.queryId));
  }
}

function uuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * 50,000 REPORTs over ten minutes: half spread evenly, half (25,000) in one single second, so both the time split
 * and the request-id split are needed. Half of them are JSON-format; one invocation in ten also logs START and END.
 */
function syntheticLog(seed = 7): { events: FakeEvent[]; ids: string[]; startMs: number; endMs: number } {
  const random = seeded(seed);
  const startMs = T0;
  const endMs = T0 + 600_000;
  const burstSecond = T0 + 300_000;
  const events: FakeEvent[] = [];
  const ids: string[] = [];
  for (let i = 0; i < 50_000; i++) {
    const id = uuid(random);
    ids.push(id);
    const ms = i % 2 === 0 ? startMs + Math.floor(random() * (endMs - startMs)) : burstSecond + Math.floor(random() * 1000);
    const logStream = `2026/03/09/[$LATEST]${(i % 40).toString(16).padStart(32, '0')}`;
    const json = i % 4 < 2;
    const message = json ? jsonReport(id, 10 + (i % 90), ms) : textReport(id, 10 + (i % 90), i % 100 === 2 ? 150 : undefined);
    events.push({ ms, message, logStream, type: json ? undefined : 'REPORT', requestId: id });
    if (i % 10 === 0) {
      events.push({ ms: Math.max(startMs, ms - 5), message: `START RequestId: ${id} Version: $LATEST\n`, logStream, type: 'START', requestId: id });
      events.push({ ms, message: `END RequestId: ${id}\n`, logStream, type: 'END', requestId: id });
    }
  }
  return { events, ids, startMs, endMs };
}

function expectEachIdOnce(records: readonly InsightsReportRecord[], ids: readonly string[]): void {
  const counts = new Map<string, number>();
  for (const r of records) counts.set(r.requestId, (counts.get(r.requestId) ?? 0) + 1);
  expect(counts.size).toBe(ids.length);
  expect([...counts.values()].every((n) => n === 1)).toBe(true);
  expect(ids.every((id) => counts.get(id) === 1)).toBe(true);
}

describe('queryReports completeness against a fake Logs Insights backend', () => {
  it('returns all 50,000 REPORTs of one range exactly once, splitting by time and then by request id', async () => {
    const { events, ids, startMs, endMs } = syntheticLog();
    const fake = new FakeInsights(events);
    fake.install();
    const windows: ReportWindowEvent[] = [];
    const records = await queryReports(client, { functionName: 'busy-fn', startTime: startMs, endTime: endMs }, { ...fastPoll, onWindow: (w) => windows.push(w) });
    expect(records).toHaveLength(50_000);
    expectEachIdOnce(records, ids);
    // The service never returned more than 10,000 rows to one query.
    expect(fake.started.every((q) => q.limit === 10_000)).toBe(true);
    expect(fake.started[0]).toMatchObject({ startTime: startMs / 1000, endTime: endMs / 1000 - 1, idFilter: undefined });
    // The burst second needed the request-id split.
    expect(fake.started.some((q) => q.idFilter !== undefined && q.startTime === q.endTime)).toBe(true);
    expect(windows.filter((w) => w.outcome === 'split').length).toBeGreaterThan(0);
    expect(windows.some((w) => w.outcome === 'truncated')).toBe(false);
    expect(windows.reduce((n, w) => n + w.records, 0)).toBe(50_000);
    // With concurrency 1 the records come oldest first (to the second: one second split by request id is not sorted).
    const seconds = records.map((r) => Math.floor((r.timestamp ?? Number.NaN) / 1000));
    expect(seconds.every((t, i) => i === 0 || t >= (seconds[i - 1] as number))).toBe(true);
    expect(records.filter((r) => r.format === 'json')).toHaveLength(25_000);
    expect(records.filter((r) => r.coldStart)).toHaveLength(500);
    expect(logs.commandCalls(StartQueryCommand).every((c) => c.args[0].input.logGroupNames?.[0] === '/aws/lambda/busy-fn')).toBe(true);
  });

  it('is complete with concurrent windows and with 20,000-row windows read in pages', async () => {
    const { events, ids, startMs, endMs } = syntheticLog(11);
    const fake = new FakeInsights(events);
    fake.install();
    const records = await queryReports(client, { logGroupName: '/custom/group', startTime: startMs, endTime: endMs }, { ...fastPoll, concurrency: 4, windowLimit: 20_000 });
    expectEachIdOnce(records, ids);
    expect(fake.maxRunning).toBeGreaterThan(1);
    expect(fake.maxRunning).toBeLessThanOrEqual(4);
    expect(logs.commandCalls(GetQueryResultsCommand).some((c) => c.args[0].input.nextToken !== undefined)).toBe(true);
    expect(logs.commandCalls(StartQueryCommand)[0]?.args[0].input.logGroupNames).toEqual(['/custom/group']);
  });

  it('flags a window that cannot be split any further as truncated', async () => {
    // Two REPORTs of one request id (an async retry) in one second with a 1-row window: only these two can be full.
    const id = '0123abcd-0000-4000-8000-000000000000';
    const events: FakeEvent[] = [
      { ms: T0 + 10, message: textReport(id, 5), logStream: 's', type: 'REPORT', requestId: id },
      { ms: T0 + 20, message: textReport(id, 6), logStream: 's', type: 'REPORT', requestId: id },
    ];
    new FakeInsights(events, 1).install();
    const windows: ReportWindowEvent[] = [];
    const records = await queryReports(client, { functionName: 'f', startTime: T0, endTime: T0 + 1000 }, { ...fastPoll, windowLimit: 1, onWindow: (w) => windows.push(w) });
    const last = windows.find((w) => w.outcome === 'truncated');
    expect(last?.requestIdFilter).toBe(`${id} + other`);
    expect(records.map((r) => r.requestId)).toEqual([id]);
  });

  it('stops the queries still running when the consumer stops early', async () => {
    const id = (n: number): string => `${n}0000000-0000-4000-8000-000000000000`;
    const row = (n: number): { field: string; value: string }[][] =>
      [fields({ '@timestamp': insightsTime(T0 + n), '@message': textReport(id(n), 1) })];
    let started = 0;
    logs.on(StartQueryCommand).callsFake(() => ({ queryId: `q${++started}` }));
    logs.on(GetQueryResultsCommand).callsFake((input: GetQueryResultsCommandInput) => {
      // q1 (both seconds) is full at 2 rows; q2 (first second) completes with one row; q3 never completes.
      if (input.queryId === 'q1') return { status: 'Complete', results: [...row(1), ...row(2)] };
      if (input.queryId === 'q2') return { status: 'Complete', results: row(1) };
      return { status: 'Running' };
    });
    logs.on(StopQueryCommand).resolves({ success: true });
    const seen: string[] = [];
    for await (const r of iterateReports(client, { functionName: 'f', startTime: T0, endTime: T0 + 2000 }, { ...fastPoll, concurrency: 2, windowLimit: 2 })) {
      seen.push(r.requestId);
      break;
    }
    expect(seen).toEqual([id(1)]);
    expect(logs.commandCalls(StartQueryCommand).map((c) => [c.args[0].input.startTime, c.args[0].input.endTime])).toEqual([
      [T0 / 1000, T0 / 1000 + 1],
      [T0 / 1000, T0 / 1000],
      [T0 / 1000 + 1, T0 / 1000 + 1],
    ]);
    expect(logs.commandCalls(StopQueryCommand).map((c) => c.args[0].input)).toEqual([{ queryId: 'q3' }]);
  });

  it('aborts with LambdaMeterAbortError and stops running queries', async () => {
    const { events, startMs, endMs } = syntheticLog(5);
    const fake = new FakeInsights(events, 50);
    fake.install();
    const ac = new AbortController();
    const err = await rejection(
      queryReports(client, { functionName: 'f', startTime: startMs, endTime: endMs }, { pollMinDelayMs: 1, pollMaxDelayMs: 1, signal: ac.signal, onProgress: (e) => e.phase === 'querying' && e.completed === 3 && ac.abort() }),
    );
    expect(err).toBeInstanceOf(LambdaMeterAbortError);
    expect(fake.stopped).toEqual(['fake-1']);
  });
});

describe('queryReports message formats', () => {
  it('reads text and JSON REPORTs, drops rows outside the exact range and rows that are not REPORTs', async () => {
    const a = '6234a1b2-0000-4000-8000-000000000001';
    const b = 'b5d1c3e4-0000-4000-8000-000000000002';
    const c = 'c0ffee00-0000-4000-8000-000000000003';
    logs.on(StartQueryCommand).resolves({ queryId: 'q' });
    logs.on(GetQueryResultsCommand).resolves({
      status: 'Complete',
      results: [
        fields({ '@timestamp': '2026-03-09 00:00:00.400', '@message': textReport(c, 1), '@logStream': 's0' }),
        fields({
          '@timestamp': '2026-03-09 00:00:01.250',
          '@message': `${textReport(a, 46.84, 145.69)}XRAY TraceId: 1-5f9d2c3b-0123456789abcdef01234567\tSegmentId: 0123456789abcdef\tSampled: true\t\n`,
          '@logStream': 's1',
          '@ptr': 'p1',
        }),
        fields({ '@timestamp': '2026-03-09 00:00:01.250', '@message': textReport(a, 46.84, 145.69), '@logStream': 's1', '@ptr': 'p1' }),
        fields({ '@timestamp': '2026-03-09 00:00:02.000', '@message': jsonReport(b, 5.93, T0 + 2000), '@logStream': 's2' }),
        fields({ '@timestamp': '2026-03-09 00:00:03.000', '@message': '{"type":"platform.report","record":"not a report"}' }),
        fields({ '@timestamp': '2026-03-09 00:00:04.000' }),
        fields({ '@message': textReport(c, 2) }),
        fields({ '@timestamp': '2026-03-09 00:00:05.000', '@message': textReport(c, 3) }),
      ],
    });
    const windows: ReportWindowEvent[] = [];
    const records = await queryReports(client, { functionName: 'fn', startTime: T0 + 500, endTime: T0 + 5000 }, { ...fastPoll, onWindow: (w) => windows.push(w) });
    expect(records.map((r) => [r.requestId, r.format, r.logStream, r.timestamp === undefined ? undefined : new Date(r.timestamp).toISOString()])).toEqual([
      [a, 'text', 's1', '2026-03-09T00:00:01.250Z'],
      [b, 'json', 's2', '2026-03-09T00:00:02.000Z'],
      [c, 'text', undefined, undefined],
    ]);
    expect(records[0]).toMatchObject({ durationMs: 46.84, billedDurationMs: 47, initDurationMs: 145.69, coldStart: true });
    expect(records[0]?.xray?.traceId).toBe('1-5f9d2c3b-0123456789abcdef01234567');
    expect(records[1]).toMatchObject({ durationMs: 5.93, billedDurationMs: 6, memorySizeMB: 128, maxMemoryUsedMB: 70, coldStart: false });
    expect(windows).toEqual([
      expect.objectContaining({ queryId: 'q', outcome: 'done', rows: 8, records: 3, unparsed: 2, requestIdFilter: undefined, startTime: T0, endTime: T0 + 4000 }),
    ]);
    const start = logs.commandCalls(StartQueryCommand)[0]?.args[0].input;
    expect(start).toMatchObject({ logGroupNames: ['/aws/lambda/fn'], startTime: T0 / 1000, endTime: T0 / 1000 + 4, limit: 10_000 });
    expect(start?.queryString).toBe(
      [
        'fields @timestamp, @message, @logStream, @requestId',
        String.raw`| filter @type = "REPORT" or @message like /^REPORT RequestId:/ or @message like /"type"\s*:\s*"platform\.report"/`,
        '| sort @timestamp asc',
        '| limit 10000',
      ].join('\n'),
    );
  });

  it('validates its input and options', async () => {
    const field = async (input: unknown, options: unknown = {}): Promise<string> => {
      const err = await rejection(queryReports(client, input as never, options as never));
      expect(err).toBeInstanceOf(InvalidInputError);
      return (err as InvalidInputError).field;
    };
    const range = { startTime: T0, endTime: T0 + 1000 };
    expect(await field(null)).toBe('input');
    expect(await field(range)).toBe('input.functionName');
    expect(await field({ ...range, functionName: 'f', logGroupName: 'g' })).toBe('input.functionName');
    expect(await field({ ...range, functionName: 'arn:aws:lambda:us-east-1:1:function:f' })).toBe('input.functionName');
    expect(await field({ ...range, logGroupName: '/aws/lambda/*' })).toBe('input.logGroupName');
    expect(await field({ functionName: 'f', startTime: T0, endTime: T0 })).toBe('input.endTime');
    expect(await field({ ...range, functionName: 'f' }, { concurrency: 31 })).toBe('options.concurrency');
    expect(await field({ ...range, functionName: 'f' }, { windowLimit: 100_001 })).toBe('options.windowLimit');
    expect(await field({ ...range, functionName: 'f' }, { pollMaxDelayMs: -1 })).toBe('options.pollMaxDelayMs');
    const err = await rejection(queryReports({} as never, { ...range, functionName: 'f' }));
    expect((err as InvalidInputError).field).toBe('client');
    const ac = new AbortController();
    ac.abort();
    expect(await rejection(queryReports(client, { ...range, functionName: 'f' }, { signal: ac.signal }))).toBeInstanceOf(LambdaMeterAbortError);
    expect(logs.commandCalls(StartQueryCommand)).toHaveLength(0);
  });
});

describe('window splitting', () => {
  it('splits seconds into disjoint inclusive halves, then one second by request-id classes', () => {
    expect(splitWindow({ startSec: 10, endSec: 13, idClass: undefined })).toEqual([
      { startSec: 10, endSec: 11, idClass: undefined },
      { startSec: 12, endSec: 13, idClass: undefined },
    ]);
    expect(splitWindow({ startSec: 10, endSec: 11, idClass: undefined }).map((w) => [w.startSec, w.endSec])).toEqual([
      [10, 10],
      [11, 11],
    ]);
    const [low, high] = splitWindow({ startSec: 5, endSec: 5, idClass: undefined });
    expect(low?.idClass).toEqual({ fixed: '', lo: 0, hi: 8 });
    expect(high?.idClass).toEqual({ fixed: '', lo: 9, hi: 17 });
    expect(splitWindow({ startSec: 5, endSec: 5, idClass: { fixed: 'ab', lo: 16, hi: 16 } }).map((w) => w.idClass?.fixed)).toEqual(['ab-', 'ab-']);
    expect(splitWindow({ startSec: 5, endSec: 5, idClass: { fixed: 'ab', lo: 17, hi: 17 } })).toEqual([]);
    expect(splitWindow({ startSec: 5, endSec: 5, idClass: { fixed: 'a'.repeat(64), lo: 3, hi: 3 } })).toEqual([]);
    expect(reportsQuery({ fixed: '3f-', lo: 9, hi: 17 }, 10_000)).toContain(
      String.raw`| filter @message like /(RequestId: |"requestId"\s*:\s*")3[fF]-[^012345678]/`,
    );
    expect(reportsQuery({ fixed: '', lo: 10, hi: 16 }, 5)).toContain(String.raw`[aAbBcCdDeEfF\-]/`);
    expect(reportsQuery({ fixed: '', lo: 0, hi: 17 }, 5)).toContain('")./');
  });

  it('request-id classes partition every id at every level (property)', () => {
    const idArb = fc.oneof(
      fc.uuid(),
      fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !/[\t\n"\\]/.test(s) && !s.includes('RequestId')),
    );
    const pattern = (w: Parameters<typeof splitWindow>[0]): RegExp => new RegExp(/^\| filter @message like \/(.*)\/$/m.exec(reportsQuery(w.idClass, 1))?.[1] as string);
    fc.assert(
      fc.property(idArb, (id) => {
        const messages = [textReport(id, 1), jsonReport(id, 1, T0)];
        let window: Parameters<typeof splitWindow>[0] = { startSec: 1, endSec: 1, idClass: undefined };
        // Descend to the part holding the id until it cannot be split: at every level exactly one part matches.
        for (let depth = 0; depth < 500; depth++) {
          const parts = splitWindow(window);
          if (parts.length === 0) return;
          for (const message of messages) expect(parts.filter((p) => pattern(p).test(message))).toHaveLength(1);
          window = parts.find((p) => pattern(p).test(messages[0] as string)) as typeof window;
        }
        throw new Error('did not end');
      }),
      { numRuns: 100 },
    );
  });

  it('parses Insights timestamps', () => {
    expect(parseInsightsTimestamp('2026-03-09 00:00:01.250')).toBe(T0 + 1250);
    expect(parseInsightsTimestamp('2026-03-09T00:00:01.250Z')).toBe(T0 + 1250);
    expect(parseInsightsTimestamp('2026-03-09 01:00:01.250+01:00')).toBe(T0 + 1250);
    expect(parseInsightsTimestamp(String(T0))).toBe(T0);
    expect(parseInsightsTimestamp('yesterday')).toBeUndefined();
    expect(parseInsightsTimestamp(undefined)).toBeUndefined();
  });
});

describe('matchReports', () => {
  const report = (requestId: string, durationMs = 1): ReportRecord => ({
    requestId,
    durationMs,
    billedDurationMs: Math.ceil(durationMs),
    memorySizeMB: 128,
    maxMemoryUsedMB: 64,
    status: 'success',
    coldStart: false,
    format: 'text',
  });

  it('joins by request id and reports missing, extra and completeness', () => {
    const invocations = [{ requestId: 'a', n: 1 }, { requestId: 'b', n: 2 }, { requestId: 'c', n: 3 }, { requestId: 'a', n: 4 }];
    const reports = [report('b'), report('a', 2), report('x'), report('a', 3), report('a', 4)];
    const result = matchReports(invocations, reports);
    expect(result.matched.map((m) => [m.invocation.n, m.report.durationMs])).toEqual([
      [1, 2],
      [2, 1],
      [4, 3],
    ]);
    expect(result.missing).toEqual([{ requestId: 'c', n: 3 }]);
    expect(result.extra.map((r) => [r.requestId, r.durationMs])).toEqual([
      ['x', 1],
      ['a', 4],
    ]);
    expect(result.completeness).toBe(0.75);
  });

  it('is complete when there are no invocations, and rejects non-arrays', () => {
    expect(matchReports([], [report('a')])).toEqual({ matched: [], missing: [], extra: [report('a')], completeness: 1 });
    expect(matchReports([{ requestId: 'a' }], []).completeness).toBe(0);
    expect(() => matchReports(null as never, [])).toThrow(InvalidInputError);
    expect(() => matchReports([], 'x' as never)).toThrow(InvalidInputError);
  });
});
