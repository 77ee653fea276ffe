import { CloudWatchLogsClient, MalformedQueryException, StartQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryReports, runInsightsQuery, REPORTS_FILTER } from '../src/insights/index.js';
import { reportsQuery } from '../src/insights/reports.js';
import {
  CompiledInsightsQuery,
  InsightsQueryEngine,
  MalformedQueryError,
  createInsightsEngine,
  discoverLambdaFields,
  flattenJsonMessage,
  formatInsightsTimestamp,
  formatJavaDouble,
  naturalCompare,
  parseQuery,
} from '../src/local/insights/index.js';
import { LogStore, LogsService, startLogsServer } from '../src/local/logs/index.js';
import type { InsightsEngineEvent, InsightsEngineResult, RunningLogsServer } from '../src/local/logs/index.js';
import { formatReportJson, formatReportLine } from '../src/report/index.js';
import type { ReportRecord } from '../src/report/index.js';
import { AWSDOCS_SUBSCRIPTION_MESSAGE, DD_FWD_REPORT_WITH_XRAY_MESSAGE } from './fixtures/report/samples.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const T0 = Date.UTC(2026, 10, 24, 10, 0, 0);
const GROUP = '/aws/lambda/demo';
const STREAM = '2026/11/24/[$LATEST]0123456789abcdef0123456789abcdef';
const engine = new InsightsQueryEngine();

// [EMBR] real rows: a cold start REPORT whose discovered fields read "5.93", "6.0", "145.69", "6.7E7", "1.28E8"
// (lambda-facts §4); rebuilt here as the text line Lambda writes.
const EMBR_REPORT =
  'REPORT RequestId: 3f2a6c0e-64b1-4b57-9f4b-8c3e6f1d2a10\tDuration: 5.93 ms\tBilled Duration: 6 ms\tMemory Size: 128 MB\tMax Memory Used: 67 MB\tInit Duration: 145.69 ms\t\n';
// [DOCWHO] a SnapStart REPORT with Restore Duration (the `sam logs` prefix removed).
const DOCWHO_REPORT =
  'REPORT RequestId: 8c360c87-d4b7-4423-b5f3-af02be3c1763\tDuration: 2338.66 ms\tBilled Duration: 2521 ms\tMemory Size: 3009 MB\tMax Memory Used: 173 MB\tRestore Duration: 398.97 ms\tBilled Restore Duration: 182 ms\t';

function ev(offsetMs: number, message: string, options: { stream?: string; group?: string; eventId?: string } = {}): InsightsEngineEvent {
  return {
    timestamp: T0 + offsetMs,
    ingestionTime: T0 + offsetMs + 100,
    message,
    logStream: options.stream ?? STREAM,
    logGroup: options.group ?? GROUP,
    ...(options.eventId === undefined ? {} : { eventId: options.eventId }),
  } as InsightsEngineEvent;
}

function report(id: string, durationMs: number, extra: Partial<ReportRecord> = {}): string {
  return formatReportLine({
    requestId: id,
    durationMs,
    billedDurationMs: Math.ceil(durationMs),
    memorySizeMB: 128,
    maxMemoryUsedMB: 70,
    status: 'success',
    coldStart: extra.initDurationMs !== undefined,
    format: 'text',
    ...extra,
  });
}

function run(query: string, events: readonly InsightsEngineEvent[], maxRows?: number): InsightsEngineResult {
  return engine.runQuery(engine.compileQuery(query), events, { startTime: T0 - 3_600_000, endTime: T0 + 86_400_000, ...(maxRows === undefined ? {} : { maxRows }) });
}

/** Rows as objects. */
function table(result: InsightsEngineResult): Record<string, string>[] {
  return result.rows.map((cells) => Object.fromEntries(cells.map((c) => [c.field, c.value])));
}

function compileError(query: string): MalformedQueryError {
  try {
    engine.compileQuery(query);
  } catch (err) {
    expect(err).toBeInstanceOf(MalformedQueryError);
    return err as MalformedQueryError;
  }
  throw new Error(`expected ${query} to be rejected`);
}

/** One function's log: START/END/REPORT per invocation, an app line, a cold start and a slow invoke. */
function demoLog(): InsightsEngineEvent[] {
  const events: InsightsEngineEvent[] = [];
  const invoke = (offsetMs: number, id: string, reportLine: string): void => {
    events.push(ev(offsetMs, `START RequestId: ${id} Version: $LATEST\n`));
    events.push(ev(offsetMs + 1, `2026-11-24T10:00:00.000Z\t${id}\tINFO\thello\n`));
    events.push(ev(offsetMs + 2, `END RequestId: ${id}\n`));
    events.push(ev(offsetMs + 3, reportLine));
  };
  invoke(60_000, 'id-1', report('id-1', 5.93, { billedDurationMs: 6, maxMemoryUsedMB: 67, initDurationMs: 145.69 }));
  invoke(120_000, 'id-2', report('id-2', 10.07, { maxMemoryUsedMB: 72 }));
  invoke(180_000, 'id-3', report('id-3', 3, { maxMemoryUsedMB: 80 }));
  invoke(360_000, 'id-4', report('id-4', 1500.5, { maxMemoryUsedMB: 75 }));
  return events;
}

describe('AWS documented Lambda example queries (lambda-facts §4)', () => {
  const log = demoLog();

  it('overprovisioned memory, with computed columns over stats aliases', () => {
    const result = run(
      [
        'filter @type = "REPORT"',
        '| stats max(@memorySize / 1000 / 1000) as provisonedMemoryMB,',
        '  min(@maxMemoryUsed / 1000 / 1000) as smallestMemoryRequestMB,',
        '  avg(@maxMemoryUsed / 1000 / 1000) as avgMemoryUsedMB,',
        '  max(@maxMemoryUsed / 1000 / 1000) as maxMemoryUsedMB,',
        '  provisonedMemoryMB - maxMemoryUsedMB as overProvisionedMB',
      ].join('\n'),
      log,
    );
    expect(table(result)).toEqual([
      { provisonedMemoryMB: '128', smallestMemoryRequestMB: '67', avgMemoryUsedMB: '73.5', maxMemoryUsedMB: '80', overProvisionedMB: '48' },
    ]);
    expect(result.statistics).toEqual({ recordsMatched: 4, recordsScanned: 16, bytesScanned: log.reduce((s, e) => s + Buffer.byteLength(e.message), 0) });
  });

  it('avg, max and min of @duration by bin(5m), newest bin first', () => {
    const result = run('filter @type = "REPORT" | stats avg(@duration), max(@duration), min(@duration) by bin(5m)', log);
    expect(table(result)).toEqual([
      { 'bin(5m)': '2026-11-24 10:05:00.000', 'avg(@duration)': '1500.5', 'max(@duration)': '1500.5', 'min(@duration)': '1500.5' },
      { 'bin(5m)': '2026-11-24 10:00:00.000', 'avg(@duration)': '6.333333333333333', 'max(@duration)': '10.07', 'min(@duration)': '3' },
    ]);
  });

  it('slow invocations: fields, filter and, sort, dedup, limit', () => {
    const slow = [...log, ev(361_000, report('id-4', 1500.5)), ev(400_000, report('id-5', 2000))];
    const result = run(
      'fields @timestamp, @requestId, @message, @logStream | filter @type = "REPORT" and @duration > 1000 | sort @timestamp desc | dedup @requestId | limit 20',
      slow,
    );
    const rows = table(result);
    expect(rows.map((r) => [r['@timestamp'], r['@requestId']])).toEqual([
      ['2026-11-24 10:06:40.000', 'id-5'],
      ['2026-11-24 10:06:01.000', 'id-4'],
    ]);
    expect(rows[0]?.['@logStream']).toBe(STREAM);
    expect(rows[0]?.['@message']).toMatch(/^REPORT RequestId: id-5\tDuration: 2000.00 ms/);
    expect(Object.keys(rows[0] ?? {})).toEqual(['@timestamp', '@requestId', '@message', '@logStream', '@ptr']);
    expect(result.statistics.recordsMatched).toBe(3);
  });

  it('SnapStart latency percentiles by function and cold start', () => {
    const events = [
      ev(0, DOCWHO_REPORT),
      ev(1000, report('w-1', 20)),
      ev(2000, report('w-2', 40)),
      ev(3000, report('c-1', 5.93, { initDurationMs: 145.69 })),
      ev(4000, 'RESTORE_REPORT Restore Duration: 398.97 ms'),
    ];
    const query = `filter @type = "REPORT"
  | parse @log /\\d+:\\/aws\\/lambda\\/(?<function>.*)/
  | parse @message /Restore Duration: (?<restoreDuration>.*?) ms/
  | stats
count(*) as invocations,
pct(@duration+coalesce(@initDuration,0)+coalesce(restoreDuration,0), 50) as p50,
pct(@duration+coalesce(@initDuration,0)+coalesce(restoreDuration,0), 90) as p90,
pct(@duration+coalesce(@initDuration,0)+coalesce(restoreDuration,0), 99) as p99,
pct(@duration+coalesce(@initDuration,0)+coalesce(restoreDuration,0), 99.9) as p99.9
group by function, (ispresent(@initDuration) or ispresent(restoreDuration)) as coldstart
  | sort by coldstart desc`;
    const rows = table(run(query, events));
    expect(rows.map((r) => [r.function, r.coldstart, r.invocations])).toEqual([
      ['demo', '1', '2'],
      ['demo', '0', '2'],
    ]);
    const [cold, warm] = rows;
    expect(Number(cold?.p50)).toBeCloseTo(151.62, 9);
    expect(Number(cold?.p99)).toBeCloseTo(2338.66 + 398.97, 9);
    expect(Number(cold?.['p99.9'])).toBeCloseTo(2737.63, 9);
    expect(warm).toMatchObject({ p50: '20', p90: '40', p99: '40' });
  });
});

describe("lambda-meter's own queries", () => {
  const id = (n: number): string => `${n.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
  const mixed = [
    ev(0, `START RequestId: ${id(1)} Version: $LATEST\n`),
    ev(1, report(id(1), 12.5)),
    ev(2, formatReportJson({ requestId: id(2), durationMs: 7.25, billedDurationMs: 8, memorySizeMB: 256, maxMemoryUsedMB: 90, status: 'success', coldStart: false, format: 'json' }, { time: new Date(T0 + 2) })),
    ev(3, '{"time":"2026-11-24T10:00:00.003Z","type":"platform.start","record":{"requestId":"x"}}'),
    ev(4, AWSDOCS_SUBSCRIPTION_MESSAGE),
    ev(5, 'REPORT RequestId: zzz not really'),
    ev(6, 'REPORT RequestId: in another group\n', { group: '/custom/logs' }),
  ];

  it('REPORTS_FILTER finds text REPORTs by @type and JSON platform.report events by @message', () => {
    const rows = table(run(`fields @message | ${REPORTS_FILTER}`, mixed));
    expect(rows).toHaveLength(5);
    // In a group that is not /aws/lambda/*, @type is not discovered but the @message pattern still matches.
    expect(table(run('filter @type = "REPORT"', mixed))).toHaveLength(3);
  });

  it('reportsQuery compiles and runs for every kind of request-id class', () => {
    const full = table(run(reportsQuery(undefined, 10_000), mixed));
    expect(full.map((r) => r['@timestamp'])).toEqual([0, 1, 2, 4, 5, 6].slice(1).map((o) => formatInsightsTimestamp(T0 + o)));
    expect(full[0]?.['@requestId']).toBe(id(1));
    // JSON events: no discovered @requestId, but the row is there and parseable.
    expect(full[1]?.['@requestId']).toBeUndefined();
    const byClass = (fixed: string, lo: number, hi: number): string[] =>
      table(run(reportsQuery({ fixed, lo, hi }, 10_000), mixed)).map((r) => r['@message'] as string);
    expect(byClass('', 0, 0)).toHaveLength(2); // ids starting with 0: one text, one JSON
    expect(byClass('', 17, 17)).toHaveLength(2); // 'zzz' and 'in', the "anything else" class
    expect(byClass('0000000', 1, 1)).toEqual([mixed[1]?.message]);
    expect(byClass('0000000', 2, 2)).toEqual([mixed[2]?.message]);
    expect(byClass('6', 0, 17)).toEqual([AWSDOCS_SUBSCRIPTION_MESSAGE]);
    expect(table(run(reportsQuery(undefined, 2), mixed))).toHaveLength(2);
  });

  describe('end to end through the SDK', () => {
    let server: RunningLogsServer;
    let logs: CloudWatchLogsClient;
    const expected = new Map<string, { durationMs: number; initDurationMs?: number; format: string }>();

    beforeAll(async () => {
      const store = new LogStore();
      const events: { timestamp: number; message: string }[] = [];
      for (let i = 0; i < 1000; i++) {
        const requestId = id(i);
        const durationMs = Math.round((1 + (i % 97) * 3.17) * 100) / 100;
        const cold = i % 50 === 0;
        const record: ReportRecord = {
          requestId,
          durationMs,
          billedDurationMs: Math.ceil(durationMs),
          memorySizeMB: 512,
          maxMemoryUsedMB: 60 + (i % 20),
          status: 'success',
          coldStart: cold,
          format: i % 3 === 0 ? 'json' : 'text',
          ...(cold ? { initDurationMs: 150.25 } : {}),
        };
        // Every ten invocations share one second, so windows of 50 rows must split by request id.
        const timestamp = T0 + Math.floor(i / 10) * 1000 + (i % 10);
        events.push({ timestamp, message: `START RequestId: ${requestId} Version: $LATEST` });
        events.push({ timestamp, message: record.format === 'json' ? formatReportJson(record, { time: new Date(timestamp) }) : formatReportLine(record) });
        expected.set(requestId, { durationMs, format: record.format, ...(cold ? { initDurationMs: 150.25 } : {}) });
      }
      store.putLogEvents(GROUP, STREAM, events);
      server = await startLogsServer({ store, scheduledMs: 0, runningMs: 0 });
      logs = new CloudWatchLogsClient({ endpoint: server.endpoint, region: 'us-east-1', credentials });
    });

    afterAll(async () => {
      logs.destroy();
      await server.close();
    });

    it('queryReports gets every one of 1,000 REPORTs (text and JSON), parsed', async () => {
      const reports = await queryReports(logs, { functionName: 'demo', startTime: T0, endTime: T0 + 100_000 }, { pollMinDelayMs: 1 });
      expect(reports).toHaveLength(1000);
      for (const r of reports) {
        const e = expected.get(r.requestId);
        expect(e, r.requestId).toBeDefined();
        expect(r.durationMs).toBe(e?.durationMs);
        expect(r.initDurationMs).toBe(e?.initDurationMs);
        expect(r.format).toBe(e?.format);
        expect(r.logStream).toBe(STREAM);
      }
      expect(new Set(reports.map((r) => r.requestId)).size).toBe(1000);
      expect(reports.filter((r) => r.coldStart)).toHaveLength(20);
    });

    it('queryReports stays complete when windows are split by time and by request id', async () => {
      const windows: string[] = [];
      const reports = await queryReports(
        logs,
        { logGroupName: GROUP, startTime: T0, endTime: T0 + 3000 },
        { pollMinDelayMs: 1, windowLimit: 4, onWindow: (w) => windows.push(w.outcome) },
      );
      expect(reports.map((r) => r.requestId).sort()).toEqual([...Array(30).keys()].map(id).sort());
      expect(windows).toContain('split');
      expect(windows).not.toContain('truncated');
    });

    it('runInsightsQuery runs a stats query and reports statistics', async () => {
      const result = await runInsightsQuery(
        logs,
        {
          logGroupNames: [GROUP],
          queryString: 'filter @type = "REPORT" | stats count(*) as n, max(@memorySize) as mem, pct(@duration, 50) as p50 by bin(1h)',
          startTime: T0,
          endTime: T0 + 100_000,
        },
        { pollMinDelayMs: 1 },
      );
      // 1000 REPORTs, of which the 666 text ones carry @type (JSON discovery is not documented).
      expect(result.rows).toEqual([{ 'bin(1h)': '2026-11-24 10:00:00.000', n: '666', mem: '512000000', p50: expect.any(String) as string }]);
      expect(result.statistics).toMatchObject({ recordsScanned: 2000, recordsMatched: 666 });
      expect(result.statistics.bytesScanned).toBeGreaterThan(100_000);
    });

    it('reads JSON fields by dotted name and rejects unsupported syntax with MalformedQueryException', async () => {
      const json = await runInsightsQuery(
        logs,
        {
          logGroupNames: [GROUP],
          queryString: 'filter type = "platform.report" and record.metrics.initDurationMs > 0 | fields record.requestId, record.metrics.durationMs | sort record.metrics.durationMs asc',
          startTime: T0,
          endTime: T0 + 100_000,
        },
        { pollMinDelayMs: 1 },
      );
      // Cold starts are every 50th invocation and JSON every 3rd: 0, 150, 300 … 900.
      expect(json.rows.map((r) => r['record.requestId']).sort()).toEqual([0, 150, 300, 450, 600, 750, 900].map(id).sort());
      expect(json.rows[0]).toMatchObject({ 'record.requestId': id(0), 'record.metrics.durationMs': '1' });
      const err = await logs
        .send(new StartQueryCommand({ logGroupName: GROUP, startTime: 0, endTime: 1, queryString: 'fields @message\n| unnest @message into x' }))
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(err).toBeInstanceOf(MalformedQueryException);
      expect((err as MalformedQueryException).message).toBe('unexpected symbol found unnest at line 2 and position 3');
      expect((err as MalformedQueryException).queryCompileError).toEqual({
        message: 'unexpected symbol found unnest at line 2 and position 3',
        location: { startCharOffset: 18, endCharOffset: 23 },
      });
    });
  });

  it('LogsService runs queries by default, and without an engine when given null', async () => {
    const store = new LogStore({ accountId: '111122223333' });
    store.putLogEvents(GROUP, STREAM, [{ timestamp: T0, message: 'hello' }]);
    const call = async (service: LogsService, target: string, body: object): Promise<string> => {
      const response = await service.handle({ method: 'POST', url: '/', headers: { 'x-amz-target': `Logs_20140328.${target}` }, body: Buffer.from(JSON.stringify(body)) });
      return String(response.body);
    };
    const service = new LogsService(store, { scheduledMs: 0, runningMs: 0 });
    const range = { logGroupName: GROUP, startTime: T0 / 1000 - 10, endTime: T0 / 1000 + 10 };
    const { queryId } = JSON.parse(await call(service, 'StartQuery', { ...range, queryString: 'fields @log, @message' })) as { queryId: string };
    const results = JSON.parse(await call(service, 'GetQueryResults', { queryId })) as { results: { field: string; value: string }[][] };
    expect(results.results[0]?.slice(0, 2)).toEqual([
      { field: '@log', value: `111122223333:${GROUP}` },
      { field: '@message', value: 'hello' },
    ]);
    const none = new LogsService(store, { engine: null });
    expect(await call(none, 'StartQuery', { ...range, queryString: 'fields @message' })).toContain('InvalidOperationException');
  });
});

describe('fields and encodings', () => {
  it('writes numbers as Java doubles', () => {
    expect([5.93, 6, 145.69, 67e6, 128e6, 3009e6, 1e7, 9_999_999, 0.001, 0.0001, 0, -0, -2.5, 1e21, NaN, Infinity, -Infinity].map(formatJavaDouble)).toEqual([
      '5.93', '6.0', '145.69', '6.7E7', '1.28E8', '3.009E9', '1.0E7', '9999999.0', '0.001', '1.0E-4', '0.0', '-0.0', '-2.5', '1.0E21', 'NaN', 'Infinity', '-Infinity',
    ]);
  });

  it('discovers Lambda fields on text REPORT, START and END lines only', () => {
    expect(Object.fromEntries(discoverLambdaFields(EMBR_REPORT) ?? [])).toEqual({
      '@type': 'REPORT',
      '@requestId': '3f2a6c0e-64b1-4b57-9f4b-8c3e6f1d2a10',
      '@duration': '5.93',
      '@billedDuration': '6.0',
      '@initDuration': '145.69',
      '@maxMemoryUsed': '6.7E7',
      '@memorySize': '1.28E8',
    });
    expect(Object.fromEntries(discoverLambdaFields(DD_FWD_REPORT_WITH_XRAY_MESSAGE) ?? [])).toMatchObject({
      '@xrayTraceId': '1-5e61292c-cc1229a4dfbeae1043928548',
      '@xraySegmentId': '07a85e713f6302b2',
      '@maxMemoryUsed': '1.18E8',
    });
    expect(Object.fromEntries(discoverLambdaFields('END RequestId: abc\n') ?? [])).toEqual({ '@type': 'END', '@requestId': 'abc' });
    expect(Object.fromEntries(discoverLambdaFields('REPORT RequestId: abc broken') ?? [])).toEqual({ '@type': 'REPORT', '@requestId': 'abc' });
    expect(discoverLambdaFields('INIT_START Runtime Version: nodejs:20.v22')).toBeUndefined();
  });

  it('flattens JSON messages by dotted name', () => {
    const f = flattenJsonMessage(' {"a":{"b":[1,{"c":true}],"n":null},"s":"x"} ');
    expect(Object.fromEntries(f ?? [])).toEqual({ 'a.b.0': 1, 'a.b.1.c': 'true', s: 'x' });
    expect(flattenJsonMessage('[1,2]')).toBeUndefined();
    expect(flattenJsonMessage('{not json')).toBeUndefined();
    expect(flattenJsonMessage('plain')).toBeUndefined();
  });

  it('writes system fields and @ptr, and defaults to @timestamp, @message', () => {
    const events = [ev(0, 'first', { eventId: '1' }), ev(5, 'second', { eventId: '2' }), ev(5, 'third', { eventId: '3', group: '/other' })];
    const rows = table(run('fields @timestamp, @ingestionTime, @log, @logStream, @message, @missing', events));
    expect(rows[2]).toMatchObject({
      '@timestamp': '2026-11-24 10:00:00.000',
      '@ingestionTime': '2026-11-24 10:00:00.100',
      '@log': `123456789012:${GROUP}`,
      '@logStream': STREAM,
      '@message': 'first',
    });
    expect(rows[2]).not.toHaveProperty('@missing');
    expect(new Set(rows.map((r) => r['@ptr'])).size).toBe(3);
    const defaults = table(run('', events));
    expect(defaults.map((r) => Object.keys(r))).toEqual(Array(3).fill(['@timestamp', '@message', '@ptr']));
    // Newest first; a tie keeps the later write first.
    expect(defaults.map((r) => r['@message'])).toEqual(['third', 'second', 'first']);
    const own = createInsightsEngine({ accountId: '999' });
    const r = own.runQuery(own.compileQuery('fields @log'), [ev(0, 'x'), { ...ev(0, 'y'), accountId: '555' } as InsightsEngineEvent], { startTime: T0, endTime: T0, logGroupName: GROUP });
    expect(table(r).map((x) => x['@log'])).toEqual([`555:${GROUP}`, `999:${GROUP}`]);
    expect(() => own.runQuery('fields @log', [], { startTime: 0, endTime: 1 })).toThrow(TypeError);
  });

  it('scans only the time range and group asked for, and honours maxRows', () => {
    const events = [ev(-1, 'before'), ev(0, 'a'), ev(1, 'b'), ev(2, 'c', { group: '/other' }), ev(3, 'after')];
    const result = engine.runQuery(engine.compileQuery('fields @message'), events, { startTime: T0, endTime: T0 + 2, logGroupName: GROUP, maxRows: 1 });
    expect(table(result).map((r) => r['@message'])).toEqual(['b']);
    expect(result.statistics).toEqual({ recordsMatched: 2, recordsScanned: 2, bytesScanned: 2 });
    expect(engine.compileQuery('fields @message')).toBeInstanceOf(CompiledInsightsQuery);
  });
});

describe('expressions', () => {
  const rec = (fields: Record<string, unknown>, offset = 0): InsightsEngineEvent => ev(offset, JSON.stringify(fields), { group: '/app' });
  const values = (query: string, events: InsightsEngineEvent[], field: string): (string | undefined)[] => table(run(query, events)).map((r) => r[field]);

  it('gives and precedence over or, and not over both; arithmetic over comparison', () => {
    const events = [rec({ a: 1, b: 0, c: 1, n: 'one' }, 1), rec({ a: 0, b: 1, c: 0, n: 'two' }, 2), rec({ a: 0, b: 0, c: 1, n: 'three' }, 3)];
    expect(values('fields n | filter a = 1 or b = 1 and c = 1', events, 'n')).toEqual(['one']);
    expect(values('fields n | filter (a = 1 or b = 1) and c = 0', events, 'n')).toEqual(['two']);
    expect(values('fields n | filter not a = 1 and c = 1', events, 'n')).toEqual(['three']);
    expect(values('fields n, 1 + 2 * 3 - 4 / 2 % 3 as x | filter x = 5 and -a = 0', events, 'x')).toEqual(['5', '5']);
    expect(values('fields 10 - 2 - 3 as x | limit 1', events, 'x')).toEqual(['5']);
    expect(values('fields a / 0 as x, a % 0 as y, a + missing as z | limit 1', events, 'x')).toEqual([undefined]);
  });

  it('compares numbers as numbers when both read as numbers, else as text', () => {
    const events = [rec({ v: '10', s: 'b' }, 1), rec({ v: '9', s: 'a' }, 2), rec({ v: 'abc', s: 'c' }, 3), rec({ s: 'd' }, 4)];
    expect(values('fields v | filter v > 9.5', events, 'v')).toEqual(['10']);
    expect(values('fields v | filter v = "abc"', events, 'v')).toEqual(['abc']);
    expect(values('fields v | filter v >= "9"', events, 'v')).toEqual(['abc', '9', '10']);
    expect(values('fields v | filter v < 10', events, 'v')).toEqual(['9']);
    expect(values('fields v | filter v <= 9', events, 'v')).toEqual(['9']);
    expect(values('fields v | filter v != 9 | sort v asc', events, 'v')).toEqual(['10']);
    expect(values('fields s | filter s > "b"', events, 's')).toEqual(['d', 'c']);
    expect(values('fields s | filter v in [9, "abc"]', events, 's')).toEqual(['c', 'a']);
    expect(values('fields s | filter v not in [9, "abc"]', events, 's')).toEqual(['d', 'b']);
    expect(values('fields s | filter missing = missing', events, 's')).toEqual([]);
  });

  it('matches like, =~, not like, with (?i) and substring forms', () => {
    const events = [rec({ m: 'Task timed out' }, 1), rec({ m: 'task TIMED out' }, 2), rec({ m: 'fine' }, 3)];
    expect(values('fields m | filter m like /timed/', events, 'm')).toEqual(['Task timed out']);
    expect(values('fields m | filter m like /(?i)TIMED/', events, 'm')).toEqual(['task TIMED out', 'Task timed out']);
    expect(values('fields m | filter m =~ /^task/', events, 'm')).toEqual(['task TIMED out']);
    expect(values("fields m | filter m like 'TIMED'", events, 'm')).toEqual(['task TIMED out']);
    expect(values('fields m | filter m not like /timed/', events, 'm')).toEqual(['fine', 'task TIMED out']);
    expect(values('fields m | filter missing not like /x/ and m like /\\//', events, 'm')).toEqual([]);
    expect(values('filter @message like /"m":"[a-z]+"}/ | fields m', events, 'm')).toEqual(['fine']);
  });

  it('has the scalar functions', () => {
    const events = [rec({ s: ' Ab ', n: -2.5, e: '', b: '  ' }, 1)];
    const row = table(
      run(
        `fields coalesce(missing, n, 1) as c, abs(n) as a, ceil(n) as ce, floor(n) as f, round(n) as r, round(3.14159, 2) as r2,
         strlen(s) as l, tolower(s) as lo, toupper(s) as up, trim(s) as t, concat(s, n, missing) as cc, strcontains(s, "Ab") as sc,
         ispresent(s) as p, ispresent(missing) as np, isempty(e) as ie, isempty(s) as ine, isblank(b) as ib, isblank(missing) as ibm,
         datefloor(@timestamp, 1h) as df, bin(1d) as bd, coalesce(missing) as none, -s as neg`,
        events,
      ),
    )[0];
    expect(row).toMatchObject({
      c: '-2.5', a: '2.5', ce: '-2', f: '-3', r: '-2', r2: '3.14', l: '4', lo: ' ab ', up: ' AB ', t: 'Ab', cc: ' Ab -2.5', sc: '1',
      p: '1', np: '0', ie: '1', ine: '0', ib: '1', ibm: '1', df: '2026-11-24 10:00:00.000', bd: '2026-11-24 00:00:00.000',
    });
    expect(row).not.toHaveProperty('none');
    expect(row).not.toHaveProperty('neg');
  });

  it('parses with regex named groups and globs; a miss leaves the fields null', () => {
    const events = [ev(1, 'user=ann, action=login, extra'), ev(2, 'nothing here')];
    expect(table(run('parse @message "user=*, action=*" as user, action | fields user, action', events))).toEqual([
      { '@ptr': expect.any(String) as string },
      { user: 'ann', action: 'login, extra', '@ptr': expect.any(String) as string },
    ]);
    const rows = table(run('parse @message /user=(?<user>\\w+), (?<rest>.*)/ | filter ispresent(user) | display user, rest', events));
    expect(rows).toEqual([{ user: 'ann', rest: 'action=login, extra', '@ptr': expect.any(String) as string }]);
  });

  it('bins to the period start and writes it as a timestamp', () => {
    const events = [ev(59_999, 'a'), ev(60_000, 'b'), ev(3_599_999, 'c'), ev(0, 'd')];
    const rows = table(run('stats count(*) as n by bin(1m) | sort n desc', events));
    expect(rows).toEqual([
      { 'bin(1m)': '2026-11-24 10:00:00.000', n: '2' },
      { 'bin(1m)': '2026-11-24 10:59:00.000', n: '1' },
      { 'bin(1m)': '2026-11-24 10:01:00.000', n: '1' },
    ]);
    expect(table(run('stats count(*) by bin(30s), bin(1h)', events))[0]).toEqual({ 'bin(30s)': '2026-11-24 10:59:30.000', 'bin(1h)': '2026-11-24 10:00:00.000', 'count(*)': '1' });
    expect(table(run('stats count(*) by bin(100ms) | limit 1', [ev(250, 'x')]))[0]?.['bin(100ms)']).toBe('2026-11-24 10:00:00.200');
    expect(table(run('stats count(*) as n by bin(1w)', [ev(0, 'x')]))[0]?.['bin(1w)']).toBe('2026-11-19 00:00:00.000');
  });

  it('has every aggregate, skipping values that are missing or not numbers', () => {
    const events = [1, 2, 3, 4, 10].map((v, i) => rec({ v, k: i % 2 === 0 ? 'even' : 'odd' }, i));
    events.push(rec({ v: 'n/a', k: 'even' }, 10), rec({ k: 'odd' }, 11));
    const rows = table(
      run(
        `stats count(*) as all, count(v) as withV, count() as c0, sum(v) as s, avg(v) as a, min(v) as mn, max(v) as mx, stddev(v) as sd,
         pct(v, 0) as p0, pct(v, 50) as p50, percentile(v, 100) as p100, count_distinct(k) as kinds, earliest(v) as first, latest(v) as last`,
        events,
      ),
    );
    expect(rows).toHaveLength(1);
    const r = rows[0] ?? {};
    expect(r).toMatchObject({ all: '7', withV: '6', c0: '7', s: '20', a: '4', mn: '1', mx: '10', p0: '1', p50: '3', p100: '10', kinds: '2', first: '1', last: 'n/a' });
    expect(Number(r.sd)).toBeCloseTo(Math.sqrt(((1 - 4) ** 2 + (2 - 4) ** 2 + (3 - 4) ** 2 + 0 + 36) / 4), 12);
    expect(table(run('stats stddev(v) as sd, sum(missing) as none, count(*) as n', [rec({ v: 5 })]))).toEqual([{ sd: '0', n: '1' }]);
    expect(table(run('filter 1 = 0 | stats count(*) as n', events))).toEqual([{ n: '0' }]);
    expect(table(run('filter 1 = 0 | stats count(*) as n by k', events))).toEqual([]);
    const grouped = table(run('stats count(*) as n, sum(v) as s by k as kind | sort kind', events));
    expect(grouped).toEqual([
      { kind: 'even', n: '4', s: '14' },
      { kind: 'odd', n: '3', s: '6' },
    ]);
    const missingKey = table(run('stats count(*) as n by nope', events));
    expect(missingKey).toEqual([{ n: '7' }]);
    expect(table(run('stats avg(v) as a | filter a > 3 | fields a * 2 as twice', events))).toEqual([{ a: '4', twice: '8' }]);
  });

  it('sorts naturally and stably, missing values last, with several keys', () => {
    const words = ['!:', '#', '*%04', '0#', '5A', '111A', '2345_', '@', '@_', 'A', 'A9876fghj', 'a12345hfh', '0', '01', '1', '2', '3'];
    const shuffled = [...words].reverse();
    expect([...shuffled].sort(naturalCompare)).toEqual(['!:', '#', '*%04', '0#', '5A', '111A', '2345_', '@', '@_', 'A', 'A9876fghj', 'a12345hfh', '0', '01', '1', '2', '3']);
    const events = [rec({ g: 'b', n: 1 }, 1), rec({ g: 'a', n: 2 }, 2), rec({ g: 'b', n: 3 }, 3), rec({ n: 4 }, 4), rec({ g: 'a', n: 5 }, 5)];
    expect(values('fields g, n | sort g asc', events, 'n')).toEqual(['5', '2', '3', '1', '4']);
    expect(values('fields g, n | sort g desc', events, 'n')).toEqual(['3', '1', '5', '2', '4']);
    expect(values('fields g, n | sort g asc, n asc', events, 'n')).toEqual(['2', '5', '1', '3', '4']);
    expect(values('fields g, n | sort by g, n desc', events, 'n')).toEqual(['5', '2', '3', '1', '4']);
    expect(values('fields n | sort @timestamp asc | limit 2', events, 'n')).toEqual(['1', '2']);
    expect(values('fields n | sort nope asc, n desc', events, 'n')).toEqual(['5', '4', '3', '2', '1']);
  });

  it('dedups on the first record in order and keeps records with a missing field', () => {
    const events = [rec({ g: 'a', n: 1 }, 1), rec({ g: 'a', n: 2 }, 2), rec({ n: 3 }, 3), rec({ n: 4 }, 4), rec({ g: 'b', n: 5 }, 5)];
    expect(values('fields g, n | dedup g', events, 'n')).toEqual(['5', '4', '3', '2']);
    expect(values('fields g, n | sort n asc | dedup g | limit 2', events, 'n')).toEqual(['1', '3']);
  });

  it('reads comments, backquoted names and `fields` across commands', () => {
    const events = [rec({ 'my field': 'x', v: 1 })];
    const rows = table(run('# a comment\nfields `my field` # trailing\n| fields v as value\n| fields `my field` as f', events));
    expect(rows).toEqual([{ 'my field': 'x', value: '1', f: 'x', '@ptr': expect.any(String) as string }]);
  });
});

describe('rejected queries', () => {
  it.each([
    ['fields @message | unnest x', 'unnest at line 1 and position 19'],
    ['fields @message | filter', '<EOF> at line 1 and position 25'],
    ['filter x like', '<EOF>'],
    ['fields @message |', '<EOF>'],
    ['stats foo(x)', 'function foo'],
    ['fields avg(x)', 'aggregate function avg outside stats'],
    ['filter count(*) > 1', 'aggregate function count outside stats'],
    ['stats count(*) by max(x)', 'aggregate function max outside stats'],
    ['stats sum(avg(x))', 'aggregate function avg outside stats'],
    ['stats pct(x, 101)', 'pct percentile 101'],
    ['stats pct(x, y)', 'pct percentile y'],
    ['stats count(*) by bin(x)', 'bin period x'],
    ['stats count(*) by bin(5y)', '5y'],
    ['fields abs(1, 2)', 'abs with 2 argument(s)'],
    ['limit 0', 'unexpected symbol found 0'],
    ['limit 100001', '100001'],
    ['limit 1.5', '1.5'],
    ['fields @message | dedup @message | sort @timestamp', 'only limit may follow dedup'],
    ['parse @message /no groups/', 'without named groups'],
    ['parse @message "a*b*" as one', '2 * for 1 fields'],
    ['parse @message "*" one', 'one'],
    ['filter @message like /(unclosed/', 'invalid regular expression'],
    ['filter @message like /unterminated', 'unterminated regular expression'],
    ['filter @message like "unterminated', 'unterminated string'],
    ['fields `unterminated', 'unterminated `quoted field`'],
    ['filter x ~ 1', '~'],
    ['filter x not = 1', '='],
    ['filter x in (1)', '('],
    ['fields (x', '<EOF>'],
    ['fields and', 'and'],
    ['sort desc', 'desc'],
    ['display and', 'and'],
    ['stats count(*) group x', 'x'],
    ['SOURCE logGroups() | fields @message', 'SOURCE'],
    ['filter x = 1 garbage', 'garbage'],
    ['filter x =~ "not a regex"', '"'],
  ])('%s', (query, fragment) => {
    const err = compileError(query);
    expect(err.name).toBe('MalformedQueryException');
    expect(err.message).toContain(fragment);
    expect(err.location.startCharOffset).toBeGreaterThanOrEqual(0);
    expect(err.location.endCharOffset).toBeGreaterThanOrEqual(err.location.startCharOffset);
  });

  it('names the line and column of a token on a later line', () => {
    expect(compileError('filter @type = "REPORT"\n  | stats count(*) as n\n  | head 5').message).toBe('unexpected symbol found head at line 3 and position 5');
  });

  it('parses the documented grammar into commands', () => {
    expect(parseQuery('fields a | filter b | parse c /(?<d>.)/ | stats count(*) | sort e | limit 1').commands.map((c) => c.kind)).toEqual([
      'fields',
      'filter',
      'parse',
      'stats',
      'sort',
      'limit',
    ]);
    expect(parseQuery('  # only a comment\n').commands).toEqual([]);
  });
});
