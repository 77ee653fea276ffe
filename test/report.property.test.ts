import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReportParseError } from '../src/errors.js';
import { formatReportJson, formatReportLine, parseLog, parseReportLine, type ReportRecord } from '../src/report/index.js';
import * as samples from './fixtures/report/samples.js';
import { lambdaReportRecords } from './helpers/report-records.js';

// Fragments real log lines are made of, so generated text often comes close to a platform line.
const FRAGMENTS = [
  'REPORT RequestId: ',
  'REPORT ',
  'START RequestId: ',
  'END RequestId: ',
  'INIT_START Runtime Version: ',
  'INIT_REPORT Init Duration: ',
  'RESTORE_START ',
  'RESTORE_REPORT Restore Duration: ',
  'XRAY TraceId: ',
  'EXTENSION\tName: ',
  'TELEMETRY\tName: ',
  'LOGS Name: ',
  'State: ',
  'Events: [',
  'Types: [',
  ']',
  'Duration: ',
  'Billed Duration: ',
  'Memory Size: ',
  'Max Memory Used: ',
  'Init Duration: ',
  'Restore Duration: ',
  'Billed Restore Duration: ',
  'Status: ',
  'timeout',
  'error',
  'Error Type: ',
  'Runtime.ExitError',
  'SegmentId: ',
  'Sampled: true',
  'Phase: invoke',
  ' ms',
  ' MB',
  '\t',
  ' ',
  '\n',
  '\r\n',
  ':',
  '.',
  'Task timed out after ',
  ' seconds',
  'RequestId: ',
  ' Error: Runtime exited with error: signal: killed',
  ' Process exited before completing request',
  '2020-06-09T15:02:26.150Z ',
  '17:43:26 ',
  '@message=',
  '{"time":"2024-05-20T16:29:45.022Z","type":"platform.report","record":{"requestId":"r","status":"',
  '{"type":"platform.',
  'report","record":',
  '"metrics":{"durationMs":',
  '"billedDurationMs":',
  '"spans":[{"name":"a","start":"t","durationMs":',
  '"tracing":{"type":"X-Amzn-Trace-Id","value":"Root=',
  '{',
  '}',
  '"',
  ',',
  '6234bffe-149a-b642-81ff-2e8e376d8aff',
];

const logish = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...FRAGMENTS) },
      { weight: 2, arbitrary: fc.integer({ min: 0, max: 10_000_000 }).map((n) => (n % 3 === 0 ? String(n) : (n / 100).toFixed(n % 2 === 0 ? 2 : 1))) },
      { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(''));

// Real samples cut at random places and spliced together, as a 4 KB tail or a bad copy would cut them.
const realText = Object.entries(samples)
  .filter(([name]) => !name.endsWith('BASE64'))
  .map(([, text]) => text);
const spliced = fc
  .array(
    fc.tuple(fc.constantFrom(...realText), fc.nat(), fc.nat()).map(([text, a, b]) => text.slice(Math.min(a, b) % (text.length + 1), Math.max(a, b) % (text.length + 1))),
    { minLength: 1, maxLength: 4 },
  )
  .map((parts) => parts.join(''));

const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), logish, spliced);

function checkRecord(r: ReportRecord): void {
  for (const value of [r.durationMs, r.billedDurationMs, r.memorySizeMB, r.maxMemoryUsedMB, r.initDurationMs, r.restoreDurationMs, r.billedRestoreDurationMs]) {
    if (value !== undefined) expect(Number.isFinite(value) && value >= 0).toBe(true);
  }
  expect(typeof r.requestId).toBe('string');
  expect(r.requestId.length).toBeGreaterThan(0);
  expect(['success', 'error', 'timeout', 'failure']).toContain(r.status);
  expect(r.coldStart).toBe(r.initDurationMs !== undefined || r.restoreDurationMs !== undefined);
}

describe('report parsers never throw on any string', () => {
  it('parseReportLine returns undefined or a sound record', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const r = parseReportLine(text);
        if (r !== undefined) checkRecord(r);
      }),
      { numRuns: 3000 },
    );
  });

  it('parseLog returns sound results, and strict mode throws only ReportParseError', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const log = parseLog(text);
        expect(Array.isArray(log.reports) && Array.isArray(log.events) && Array.isArray(log.warnings)).toBe(true);
        expect(typeof log.truncated).toBe('boolean');
        log.reports.forEach(checkRecord);
        const lineCount = text.split('\n').length;
        for (const e of log.events) expect(e.lineNumber >= 1 && e.lineNumber <= lineCount).toBe(true);
        try {
          const strict = parseLog(text, { strict: true });
          expect(strict.reports).toStrictEqual(log.reports);
        } catch (err) {
          expect(ReportParseError.is(err)).toBe(true);
          const { lineNumber, line } = err as ReportParseError;
          expect(text.split('\n')[lineNumber - 1]?.replace(/\r$/, '')).toBe(line);
          expect(log.warnings.some((w) => w.lineNumber === lineNumber)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

const recordArbitrary = lambdaReportRecords({ xray: true });

describe('formatReportLine / formatReportJson → parseReportLine round trip', () => {
  it('text, TAB or space separated, X-Ray on the next or the same line', () => {
    fc.assert(
      fc.property(recordArbitrary, fc.constantFrom('\t' as const, ' ' as const), fc.constantFrom('nextLine' as const, 'sameLine' as const), (r, separator, xrayPlacement) => {
        const line = formatReportLine({ ...r, format: 'text' }, { separator, xrayPlacement });
        expect(parseReportLine(line)).toStrictEqual({ ...r, format: 'text' });
      }),
      { numRuns: 2000 },
    );
  });

  it('JSON platform.report, with any finite durations', () => {
    const anyDuration = fc.double({ min: 0, max: 1e9, noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(recordArbitrary, anyDuration, (r, durationMs) => {
        const record = { ...r, durationMs: Object.is(durationMs, -0) ? 0 : durationMs, format: 'json' as const };
        expect(parseReportLine(formatReportJson(record))).toStrictEqual(record);
      }),
      { numRuns: 2000 },
    );
  });

  it('parseLog reads a whole log of formatted invocations back in order', () => {
    fc.assert(
      fc.property(fc.array(recordArbitrary, { minLength: 1, maxLength: 8 }), fc.boolean(), (records, json) => {
        const unique = records.map((r, i) => ({ ...r, requestId: `${i}-${r.requestId}` }));
        const text = unique
          .flatMap((r) =>
            json
              ? [
                  JSON.stringify({ time: '2024-05-20T16:29:45.008Z', type: 'platform.start', record: { requestId: r.requestId, version: '$LATEST' } }),
                  formatReportJson({ ...r, format: 'json' }, { time: '2024-05-20T16:29:45.022Z' }),
                ]
              : [`START RequestId: ${r.requestId} Version: $LATEST`, `END RequestId: ${r.requestId}`, formatReportLine({ ...r, format: 'text' })],
          )
          .join('\n');
        const log = parseLog(text, { strict: true });
        expect(log.reports).toStrictEqual(unique.map((r) => ({ ...r, format: json ? 'json' : 'text' })));
        expect(log.truncated).toBe(false);
        expect(log.warnings).toStrictEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('terminates on REPORT-like text full of control characters', () => {
    const piece = fc.constantFrom('REPORT ', 'RequestId: ', 'Duration: ', 'Billed Duration: ', ' ms', ' MB', '\t', '\u000b', '\u000c', '\u0001', '\u0000', ':', 'x', '12', 'XRAY ', 'TraceId: ', 'Status: ', '\n', '\r');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }).map((a) => a.join('')), (text) => {
        parseReportLine(text);
        parseLog(text);
      }),
      { numRuns: 5000 },
    );
  });
});
