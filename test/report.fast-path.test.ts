// The fast path of the text REPORT reader (src/report/fast.ts) must give exactly what the general reader gives: the
// same record, field for field and in the same key order, or, when it declines a line, the general reader's record or
// reason. These tests compare the two on generated lines and on the edge cases one at a time. No timings here.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatReportLine, parseLog, parseReportLine, type ReportRecord } from '../src/report/index.js';
import { readCanonicalLine } from '../src/report/fast.js';
import { scanReport, scanReportGeneral } from '../src/report/text.js';
import { lambdaReportRecords } from './helpers/report-records.js';

const AFTER_REPORT = 'REPORT'.length;
const RUNS = Number(process.env.LM_FAST_PATH_RUNS ?? 5000);

/** What the general reader alone makes of a line that opens with REPORT. */
function general(line: string): ReportRecord | string {
  return scanReportGeneral(line, AFTER_REPORT);
}

/** Both paths agree on `line`: same record (same keys in the same order) or same reason, through every entry. */
function expectSame(line: string): void {
  const want = general(line);
  const got = scanReport(line, AFTER_REPORT);
  expect(got).toStrictEqual(want);
  if (typeof want !== 'string') expect(Object.keys(got as ReportRecord)).toStrictEqual(Object.keys(want));
  const viaParse = parseReportLine(line);
  if (line.startsWith('REPORT RequestId:')) {
    const wantParsed = scanReportGeneral(line, AFTER_REPORT, true);
    expect(viaParse).toStrictEqual(typeof wantParsed === 'string' ? undefined : wantParsed);
  }
  const fast = readCanonicalLine(line);
  if (fast !== undefined) {
    expect(fast).toStrictEqual(want);
    expect(Object.keys(fast)).toStrictEqual(Object.keys(want as ReportRecord));
  }
  // parseLog reads the line without its CR, as the general reader would.
  if (!line.includes('\n')) {
    const bare = line.endsWith('\r') ? line.slice(0, -1) : line;
    const wantBare = bare === line ? want : general(bare);
    expect(parseLog(line).reports).toStrictEqual(typeof wantBare === 'string' ? [] : [wantBare]);
  }
}

const CANONICAL =
  'REPORT RequestId: 6234bffe-149a-b642-81ff-2e8e376d8aff\tDuration: 46.84 ms\tBilled Duration: 47 ms\tMemory Size: 192 MB\tMax Memory Used: 72 MB\t';

describe('fast path: Lambda’s own layout', () => {
  it('reads the canonical line on the fast path, with the general reader’s record', () => {
    const fast = readCanonicalLine(CANONICAL);
    expect(fast).toStrictEqual({
      requestId: '6234bffe-149a-b642-81ff-2e8e376d8aff',
      durationMs: 46.84,
      billedDurationMs: 47,
      memorySizeMB: 192,
      maxMemoryUsedMB: 72,
      status: 'success',
      coldStart: false,
      format: 'text',
    });
    expectSame(CANONICAL);
  });

  it('reads Init, Restore and Billed Restore Duration, Status and Error Type in Lambda’s order', () => {
    const lines = [
      `${CANONICAL}Init Duration: 123.45 ms\t`,
      `${CANONICAL}Restore Duration: 512.5 ms\tBilled Restore Duration: 200 ms\t`,
      `${CANONICAL}Init Duration: 1.5 ms\tRestore Duration: 2 ms\tBilled Restore Duration: 3 ms\tStatus: error\tError Type: Runtime.ExitError\t`,
      `${CANONICAL}Status: timeout\t`,
      `${CANONICAL}Status: failure\tError Type: Runtime.OutOfMemory`,
      `${CANONICAL}Status: success\t`,
      `${CANONICAL}Error Type: Runtime.ImportModuleError\t`,
    ];
    for (const line of lines) {
      expect(readCanonicalLine(line), JSON.stringify(line)).toBeDefined();
      expectSame(line);
    }
    expect(readCanonicalLine(lines[2] as string)).toMatchObject({ initDurationMs: 1.5, restoreDurationMs: 2, billedRestoreDurationMs: 3, status: 'error', errorType: 'Runtime.ExitError', coldStart: true });
  });

  it('takes a missing last TAB, zeros, leading zeros and 15-digit numbers', () => {
    const lines = [
      CANONICAL.slice(0, -1),
      `${CANONICAL}Init Duration: 9.99 ms`,
      CANONICAL.replace('46.84', '0.00').replace('47 ms', '0 ms'),
      CANONICAL.replace('46.84', '007.50'),
      CANONICAL.replace('46.84', '123456789012.345'),
      CANONICAL.replace('46.84', '999999999999999'),
      CANONICAL.replace('46.84', '1.00000000000001'),
      CANONICAL.replace('6234bffe-149a-b642-81ff-2e8e376d8aff', 'r'),
      CANONICAL.replace('6234bffe', '6234béfe\u00a0'),
      CANONICAL.replace('6234bffe-149a-b642-81ff-2e8e376d8aff', '6234bffe-149a-b642-81ff-2e8e376d8affDuration'),
    ];
    for (const line of lines) {
      expect(readCanonicalLine(line), JSON.stringify(line)).toBeDefined();
      expectSame(line);
    }
    expect(parseReportLine(lines[2] as string)?.durationMs).toBe(0);
    expect(parseReportLine(lines[3] as string)?.durationMs).toBe(7.5);
  });

  it('leaves everything else to the general reader, which gives the same record or reason as before', () => {
    const declined = [
      // numbers the fast path does not convert: more than 15 digits, a bare dot, a lone point
      CANONICAL.replace('46.84', '1234567890123456'),
      CANONICAL.replace('46.84', '12345678901234567890.5'),
      CANONICAL.replace('46.84', '1.'),
      CANONICAL.replace('46.84', '.5'),
      // numbers neither path reads
      CANONICAL.replace('46.84', '1.2.3'),
      CANONICAL.replace('192', '1,024'),
      CANONICAL.replace('46.84', 'oops'),
      CANONICAL.replace('46.84 ', ''),
      // a unit glued, missing, or the other one
      CANONICAL.replace('46.84 ms', '46.84ms'),
      CANONICAL.replace('46.84 ms', '46.84'),
      CANONICAL.replace('46.84 ms', '46.84 MB'),
      // spacing: the 2018 space before a TAB, spaces for TABs, two spaces, CRLF, LF and XRAY
      CANONICAL.replace('47 ms\t', '47 ms \t'),
      CANONICAL.replaceAll('\t', ' '),
      CANONICAL.replace('Duration: 46', 'Duration:  46'),
      CANONICAL.replace('RequestId: ', 'RequestId:  '),
      `${CANONICAL}\r`,
      `${CANONICAL}\r\n`,
      `${CANONICAL}\n`,
      `${CANONICAL}\nXRAY TraceId: 1-5e8e1c2f-9d5c6f5e2b1a4c3d2e1f0a9b\tSegmentId: 0a1b2c3d4e5f6a7b\tSampled: true\t`,
      `${CANONICAL}XRAY TraceId: 1-5e8e1c2f-9d5c6f5e2b1a4c3d2e1f0a9b\tSegmentId: 0a1b2c3d4e5f6a7b\tSampled: true\t`,
      // order and keys: Init first, unknown keys, a field twice, missing fields
      'REPORT RequestId: a\tInit Duration: 5 ms\tDuration: 1 ms\tBilled Duration: 7 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\t',
      `${CANONICAL}Future Field: 12 ms\t`,
      `${CANONICAL}Init Duration: 5 ms\tFuture Field: x\tStatus: error\t`,
      CANONICAL.replace('\tBilled', '\tUnknown: 3 ms\tBilled'),
      `${CANONICAL}Duration: 99 ms\t`,
      `${CANONICAL}Status: timeout\tInit Duration: 5 ms\t`,
      CANONICAL.replace('Max Memory Used: 72 MB\t', ''),
      CANONICAL.replace('Billed Duration: 47 ms\t', ''),
      // Status and Error Type the general reader rejects or reads its own way
      `${CANONICAL}Status: weird\t`,
      `${CANONICAL}Status: \t`,
      `${CANONICAL}Status:  timeout\t`,
      `${CANONICAL}Error Type: \t`,
      `${CANONICAL}Error Type: A B\t`,
      // request ids: with a control character, a TAB inside, empty
      CANONICAL.replace('6234bffe', '6234\u0001bffe'),
      CANONICAL.replace('6234bffe', '6234\tbffe'),
      CANONICAL.replace('6234bffe-149a-b642-81ff-2e8e376d8aff', ''),
      // keys the general reader knows only by their shape
      CANONICAL.replace('Duration: 46', 'Dxxxxxxn: 46'),
      CANONICAL.replace('Memory Size', 'Mexxxxxxxxe'),
      // a prefix before REPORT, and text glued to it
      `2024-01-01T00:00:00.000Z ${CANONICAL}`,
      `x${CANONICAL}`,
    ];
    for (const line of declined) {
      expect(readCanonicalLine(line), JSON.stringify(line)).toBeUndefined();
      if (line.startsWith('REPORT')) expectSame(line);
    }
    // After a prefix the general reader reads the REPORT; glued to a word it is no REPORT at all.
    const prefixed = declined.at(-2) as string;
    expect(parseReportLine(prefixed)).toStrictEqual(scanReportGeneral(prefixed, prefixed.indexOf('REPORT') + AFTER_REPORT, true));
    expect(parseReportLine(prefixed)?.durationMs).toBe(46.84);
    expect(parseReportLine(declined.at(-1) as string)).toBeUndefined();
    // The general reader's reasons are unchanged.
    expect(scanReport(CANONICAL.replace('46.84', '1.2.3'), AFTER_REPORT)).toBe('REPORT line has an unreadable Duration');
    expect(scanReport(`${CANONICAL}Status: weird\t`, AFTER_REPORT)).toBe('REPORT line has an unknown Status "weird"');
    expect(scanReport(`${CANONICAL}Error Type: \t`, AFTER_REPORT)).toBe('REPORT line has an empty Error Type');
    expect(scanReport(CANONICAL.replace('Max Memory Used: 72 MB\t', ''), AFTER_REPORT)).toBe('REPORT line has no Max Memory Used');
    // More than 15 digits: the general reader converts them with Number().
    expect(parseReportLine(declined[0] as string)?.durationMs).toBe(1234567890123456);
  });
});

// Generated lines: Lambda's layout and every way away from it, one step at a time.
const requestId = fc.oneof(
  { weight: 6, arbitrary: fc.uuid() },
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9._-]{1,40}$/) },
  { weight: 1, arbitrary: fc.constantFrom('', 'a b', 'a\u0001b', 'é', 'a\rb', 'ab\u00a0c', 'a:b') },
);
const number = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 900_000_000 }).map((n) => (n / 100).toFixed(2)) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 10_240 }).map(String) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 10_000 }).map((n) => (n / 10).toFixed(1)) },
  { weight: 1, arbitrary: fc.constantFrom('0.00', '0', '007', '00.010', '999999999999999', '1000000000000000', '12345678901234567890', '1.', '.5', '1.2.3', '1,024', 'oops', '', '1e3', '-1', '+1', '0x10', '١٢') },
  { weight: 1, arbitrary: fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 22n }), fc.nat(30)).map(([n, d]) => `${n}.${'0'.repeat(d)}7`) },
);
const unit = (canonical: string) =>
  fc.oneof({ weight: 12, arbitrary: fc.constant(` ${canonical}`) }, { weight: 1, arbitrary: fc.constantFrom('', ' ms', ' MB', ' s', 'ms', '  ms', ' Ms') });
const separator = fc.oneof({ weight: 12, arbitrary: fc.constant('\t') }, { weight: 1, arbitrary: fc.constantFrom(' \t', ' ', '  ', '\t\t', '\u000b') });
const afterColon = fc.oneof({ weight: 12, arbitrary: fc.constant(' ') }, { weight: 1, arbitrary: fc.constantFrom('', '  ', '\t') });

/** A field as generated: key, the blanks after its colon, its value, its unit (with the space before it). */
type Field = readonly [key: string, gap: string, value: string, unit: string, canonicalUnit: string];
const measureField = (key: string, canonicalUnit: string) =>
  fc.tuple(afterColon, number, unit(canonicalUnit)).map(([gap, n, u]): Field => [key, gap, n, u, ` ${canonicalUnit}`]);
const wordField = (key: string, words: fc.Arbitrary<string>) => fc.tuple(afterColon, words).map(([gap, w]): Field => [key, gap, w, '', '']);

const generatedLine = fc
  .record({
    // Half the lines keep Lambda's spacing, order and keys, and vary only values; the other half vary everything.
    layout: fc.boolean(),
    id: requestId,
    idGap: afterColon,
    required: fc.tuple(measureField('Duration', 'ms'), measureField('Billed Duration', 'ms'), measureField('Memory Size', 'MB'), measureField('Max Memory Used', 'MB')),
    init: fc.option(measureField('Init Duration', 'ms'), { freq: 3 }),
    restore: fc.option(measureField('Restore Duration', 'ms'), { freq: 5 }),
    billedRestore: fc.option(measureField('Billed Restore Duration', 'ms'), { freq: 5 }),
    status: fc.option(wordField('Status', fc.oneof({ weight: 8, arbitrary: fc.constantFrom('success', 'error', 'timeout', 'failure') }, { weight: 1, arbitrary: fc.constantFrom('', 'weird', 'Timeout', 'errorx') })), { freq: 4 }),
    errorType: fc.option(wordField('Error Type', fc.oneof({ weight: 8, arbitrary: fc.constantFrom('Runtime.ExitError', 'Runtime.OutOfMemory', 'Sandbox.Timedout') }, { weight: 1, arbitrary: fc.constantFrom('', 'A B', 'x\u0001y') })), { freq: 4 }),
    unknown: fc.option(fc.constantFrom<Field>(['Future Field', ' ', '12', ' ms', ''], ['X', ' ', 'y', '', ''], ['Dxxxxxxn', ' ', '3', ' ms', ''], ['Duration', ' ', '5', ' ms', ''], ['Billed Restore Duration', ' ', '1', ' ms', '']), { freq: 8 }),
    unknownAt: fc.nat(),
    shuffle: fc.option(fc.tuple(fc.nat(), fc.nat()), { freq: 6 }),
    separators: fc.array(separator, { minLength: 12, maxLength: 12 }),
    end: fc.oneof({ weight: 6, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom('\r', '\r\n', '\n', ' ', '\nXRAY TraceId: 1-5e8e1c2f-9d5c6f5e2b1a4c3d2e1f0a9b\tSampled: true') }),
    trailingTab: fc.boolean(),
  })
  .map((g) => {
    const fields: Field[] = [...g.required];
    for (const optional of [g.init, g.restore, g.billedRestore, g.status, g.errorType]) if (optional !== null) fields.push(optional);
    if (!g.layout && g.unknown !== null) fields.splice(g.unknownAt % (fields.length + 1), 0, g.unknown);
    if (!g.layout && g.shuffle !== null) {
      const [a, b] = [g.shuffle[0] % fields.length, g.shuffle[1] % fields.length];
      [fields[a], fields[b]] = [fields[b] as Field, fields[a] as Field];
    }
    let line = `REPORT RequestId:${g.layout ? ' ' : g.idGap}${g.id}`;
    fields.forEach(([key, gap, value, unit, canonicalUnit], n) => {
      const sep = g.layout ? '\t' : (g.separators[n % g.separators.length] as string);
      line += g.layout ? `${sep}${key}: ${value}${canonicalUnit}` : `${sep}${key}:${gap}${value}${unit}`;
    });
    return `${line}${g.trailingTab ? '\t' : ''}${g.layout ? '' : g.end}`;
  });

describe('fast path: generated lines', () => {
  it('gives the general reader’s record or reason on every generated line', () => {
    let fast = 0;
    let runs = 0;
    fc.assert(
      fc.property(generatedLine, (line) => {
        runs++;
        if (readCanonicalLine(line) !== undefined) fast++;
        expectSame(line);
      }),
      { numRuns: RUNS },
    );
    // Both paths get their share of the lines (about a third take the fast path).
    expect(fast).toBeGreaterThan(runs / 10);
    expect(fast).toBeLessThan(runs * 0.9);
  });

  it('takes every line formatReportLine writes with TABs and no X-Ray, and reads it as the general reader does', () => {
    fc.assert(
      fc.property(lambdaReportRecords({ xray: false }), (r) => {
        const full = { ...r, format: 'text' as const };
        const line = formatReportLine(full);
        expect(readCanonicalLine(line)).toStrictEqual(full);
        expectSame(line);
        // The hex of a UUID request id never reads as a key.
        expect(parseReportLine(line)?.requestId).toBe(r.requestId);
      }),
      { numRuns: 2000 },
    );
  });
});
