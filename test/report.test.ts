import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, ReportParseError } from '../src/errors.js';
import {
  decodeLogResult,
  formatReportJson,
  formatReportLine,
  parseLog,
  parseReportLine,
  type PlatformEvent,
  type ReportRecord,
} from '../src/report/index.js';
import * as samples from './fixtures/report/samples.js';

/** The events of one type, typed. */
function eventsOf<T extends PlatformEvent['type']>(events: readonly PlatformEvent[], type: T): Extract<PlatformEvent, { type: T }>[] {
  return events.filter((e): e is Extract<PlatformEvent, { type: T }> => e.type === type);
}

function lineOf(text: string, startsWith: string): string {
  const found = text.split('\n').find((l) => l.includes(startsWith));
  if (found === undefined) throw new Error(`no line with ${startsWith}`);
  return found;
}

describe('parseReportLine: text REPORT lines', () => {
  it('moves past control characters other than TAB, LF and CR (a fast-check case once looped forever here)', () => {
    for (const cc of ['\u000b', '\u000c', '\u0000', '\u0001', '\u001f']) {
      const line = `REPORT RequestId: abc\tDuration: 1.00 ms${cc}oops\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 9 MB\t${cc}`;
      expect(parseReportLine(line)?.billedDurationMs).toBe(1);
      const xray = `REPORT RequestId: abc\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 9 MB\tXRAY TraceId: 1-a-b\t${cc}x\tSampled: true`;
      expect(parseReportLine(xray)?.xray?.sampled).toBe(true);
      expect(parseReportLine(`REPORT RequestId: x ${cc}${cc}`)).toBeUndefined();
    }
  });

  it('reads a TAB-separated event message with the old space before a TAB [AWSDOCS services-cloudwatchlogs.md]', () => {
    expect(parseReportLine(samples.AWSDOCS_SUBSCRIPTION_MESSAGE)).toStrictEqual({
      requestId: '6234bffe-149a-b642-81ff-2e8e376d8aff',
      durationMs: 46.84,
      billedDurationMs: 47,
      memorySizeMB: 192,
      maxMemoryUsedMB: 72,
      status: 'success',
      coldStart: false,
      format: 'text',
    });
  });

  it('reads the XRAY line that follows in the same event [DD-FWD]', () => {
    expect(parseReportLine(samples.DD_FWD_REPORT_WITH_XRAY_MESSAGE)).toStrictEqual({
      requestId: 'f08bb4c8-d6b2-4f05-ac17-af7e2ba005fb',
      durationMs: 619.31,
      billedDurationMs: 700,
      memorySizeMB: 128,
      maxMemoryUsedMB: 118,
      status: 'success',
      coldStart: false,
      format: 'text',
      xray: { traceId: '1-5e61292c-cc1229a4dfbeae1043928548', segmentId: '07a85e713f6302b2', sampled: true },
    });
  });

  it('reads X-Ray fields on the REPORT line itself, after Init Duration [AWSDOCS nodejs-logging.md]', () => {
    const r = parseReportLine(lineOf(samples.AWSDOCS_NODE_LOG, 'REPORT'));
    expect(r).toMatchObject({ durationMs: 128.83, billedDurationMs: 200, initDurationMs: 166.62, coldStart: true });
    expect(r?.xray).toStrictEqual({ traceId: '1-5d9d007f-0a8c7fd02xmpl480aed55ef0', segmentId: '3d752xmpl1bbe37e', sampled: true });
  });

  it('reads fields separated by runs of spaces [AWSDOCS nodejs-logging.md CLI output]', () => {
    expect(parseReportLine(samples.AWSDOCS_NODE_CLI_REPORT)).toMatchObject({
      requestId: '57f231fb-1730-4395-85cb-4f71bd2b87b8',
      durationMs: 79.67,
      billedDurationMs: 80,
      memorySizeMB: 128,
      maxMemoryUsedMB: 73,
    });
  });

  it('matches fields by key, so Init Duration may come before Duration [AWSDOCS runtimes-custom.md]', () => {
    expect(parseReportLine(samples.AWSDOCS_CUSTOM_RUNTIME_REPORT)).toStrictEqual({
      requestId: 'f8ac1208...',
      durationMs: 237.17,
      billedDurationMs: 300,
      memorySizeMB: 128,
      maxMemoryUsedMB: 26,
      initDurationMs: 48.26,
      status: 'success',
      coldStart: true,
      format: 'text',
    });
  });

  it('finds REPORT after a `sam logs` prefix and reads SnapStart Restore fields [DOCWHO]', () => {
    expect(parseReportLine(lineOf(samples.DOCWHO_SAM_LOGS, 'REPORT RequestId'))).toStrictEqual({
      requestId: '8c360c87-d4b7-4423-b5f3-af02be3c1763',
      durationMs: 2338.66,
      billedDurationMs: 2521,
      memorySizeMB: 3009,
      maxMemoryUsedMB: 173,
      restoreDurationMs: 398.97,
      billedRestoreDurationMs: 182,
      status: 'success',
      coldStart: true,
      format: 'text',
    });
  });

  it('finds REPORT after `@message=` and keeps Max Memory Used above Memory Size [U-45777]', () => {
    expect(parseReportLine(samples.U45777_INSIGHTS_ROW)).toMatchObject({ memorySizeMB: 128, maxMemoryUsedMB: 129, durationMs: 11108.09 });
  });

  it('reads Status and Error Type [GH-contactform#29; U-71311]', () => {
    expect(parseReportLine(samples.CONTACTFORM_ERROR_REPORT)).toMatchObject({ status: 'error', errorType: 'Runtime.InvalidEntrypoint' });
    const timeout = parseReportLine(lineOf(samples.U71311_LOG, '17:57:55 REPORT'));
    expect(timeout).toMatchObject({
      requestId: 'c4c2a78d-5976-4177-91ae-64e7418b9769',
      durationMs: 600000,
      billedDurationMs: 600517,
      initDurationMs: 516.31,
      status: 'timeout',
      coldStart: true,
    });
    expect(timeout?.errorType).toBeUndefined();
    expect(parseReportLine(lineOf(samples.U71311_LOG, '17:58:07 REPORT'))).toMatchObject({ status: 'error', errorType: 'Runtime.OutOfMemory' });
  });

  it('reads numbers with any number of decimals, or none [PT test-utils.js]', () => {
    const log = decodeLogResult(samples.PT_LOG_RESULT_BASE64);
    expect(parseReportLine(lineOf(log, 'REPORT'))).toMatchObject({ durationMs: 1, billedDurationMs: 1, initDurationMs: 100.99 });
    expect(parseReportLine('REPORT RequestId: a\tDuration: 12345678901234.5678 ms\tBilled Duration: 7 ms\tMemory Size: 128 MB\tMax Memory Used: 1 MB')?.durationMs).toBe(
      Number('12345678901234.5678'), // more than 15 digits: read by Number(), exactly
    );
    expect(parseReportLine('REPORT RequestId: a\tDuration: .5 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 1 MB')?.durationMs).toBe(0.5);
    expect(parseReportLine('REPORT RequestId: a\tDuration: 3ms\tBilled Duration: 3ms\tMemory Size: 128MB\tMax Memory Used: 1MB')).toMatchObject({
      durationMs: 3,
      memorySizeMB: 128,
    });
  });

  it('skips fields it does not know, in TAB and space forms', () => {
    const base = { durationMs: 1, billedDurationMs: 2, memorySizeMB: 128, maxMemoryUsedMB: 20 };
    expect(parseReportLine('REPORT RequestId: a\tDuration: 1.00 ms\tNew Field: 9 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 20 MB\t')).toMatchObject(base);
    expect(parseReportLine('REPORT RequestId: a Duration: 1.00 ms New Field: 9 ms Billed Duration: 2 ms Memory Size: 128 MB Max Memory Used: 20 MB')).toMatchObject(base);
    expect(parseReportLine('REPORT RequestId: a\tDuration: 1.00 ms\tstray\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 20 MB')).toMatchObject(base);
    // With spaces for TABs a stray word runs into the next key, which is then unknown: better lost than misread.
    expect(parseReportLine('REPORT RequestId: a Duration: 1.00 ms stray Billed Duration: 2 ms Memory Size: 128 MB Max Memory Used: 20 MB')).toBeUndefined();
  });

  it('stops at a line break that is not followed by XRAY', () => {
    const r = parseReportLine(`${samples.AWSDOCS_SUBSCRIPTION_MESSAGE}START RequestId: x Version: 1\n`);
    expect(r?.requestId).toBe('6234bffe-149a-b642-81ff-2e8e376d8aff');
    expect(r?.xray).toBeUndefined();
  });

  it('returns undefined for anything that is not a readable REPORT', () => {
    const notReports: unknown[] = [
      '',
      'hello',
      lineOf(samples.U71311_LOG, 'START'),
      samples.U54759_INIT_REPORT,
      'REPORT RequestId: x\tDuration: oops',
      'REPORT RequestId: x\tDuration: 1.2.3 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 1 MB',
      'REPORT RequestId: x\tDuration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 1 MB',
      'REPORT RequestId: x\tDuration: 1 ms\tBilled Duration: 1 ms\tMax Memory Used: 1 MB',
      'REPORT RequestId: x\tDuration: 1 ms\tBilled Duration: 1 ms\tMemory Size: 1 MB',
      'REPORT RequestId: x\tBilled Duration: 1 ms\tMemory Size: 1 MB\tMax Memory Used: 1 MB',
      'REPORT RequestId: x\tDuration: 1 ms\tBilled Duration: 1 ms\tMemory Size: 1 MB\tMax Memory Used: 1 MB\tStatus: exploded',
      'REPORT RequestId: x\tDuration: 1 ms\tBilled Duration: 1 ms\tMemory Size: 1 MB\tMax Memory Used: 1 MB\tError Type:',
      'REPORT RequestId:',
      'REPORT RequestId:\t\tDuration: 1 ms',
      'INIT_REPORT RequestId: x\tDuration: 1 ms\tBilled Duration: 1 ms\tMemory Size: 1 MB\tMax Memory Used: 1 MB',
      lineOf(samples.U35584_JSON_LOG, '"level":"INFO"'),
      '{"type":"platform.report","record":{"requestId":"x","metrics":{"durationMs":1}',
      '{"time":"t","type":"platform.start","record":{"requestId":"x"}} platform.report',
      samples.DD_EXT_MANAGED_INSTANCES_REPORT,
      42,
      null,
    ];
    for (const line of notReports) expect(parseReportLine(line as string), String(line)).toBeUndefined();
  });
});

describe('parseReportLine: JSON platform.report', () => {
  it('reads a JSON-format timeout report [U-55317]', () => {
    expect(parseReportLine(lineOf(samples.U55317_JSON_TIMEOUT, 'platform.report'))).toStrictEqual({
      requestId: 'aec7a529-47f9-4090-be01-c9ed91bf83cf',
      durationMs: 5000,
      billedDurationMs: 5000,
      memorySizeMB: 128,
      maxMemoryUsedMB: 94,
      status: 'timeout',
      coldStart: false,
      format: 'json',
    });
  });

  it('reads initDurationMs as a cold start [U-35584]', () => {
    expect(parseReportLine(lineOf(samples.U35584_JSON_LOG, 'platform.report'))).toMatchObject({
      durationMs: 11.642,
      billedDurationMs: 12,
      initDurationMs: 174.055,
      coldStart: true,
      format: 'json',
    });
  });

  it('reads restore metrics and the X-Ray tracing value', () => {
    expect(parseReportLine(samples.SNAPSTART_JSON_REPORT)).toMatchObject({
      restoreDurationMs: 398.97,
      billedRestoreDurationMs: 182,
      coldStart: true,
      xray: { traceId: '1-5e61292c-cc1229a4dfbeae1043928548', segmentId: '07a85e713f6302b2', sampled: true },
    });
    expect(parseReportLine(lineOf(samples.DD_EXT_EVENTS, 'platform.report'))?.xray).toStrictEqual({
      traceId: '1-6352a70e-1e2c502e358361800241fd45',
      segmentId: '35465b3a9e2f7c6a',
      sampled: true,
    });
  });

  it('keeps errorType for error statuses, and reads JSON glued to a text prefix [PT test-utils.js]', () => {
    // The values of [U-71311]'s out-of-memory REPORT in the JSON shape of [U-55317].
    const oom =
      '{"time":"2026-10-08T17:39:45.000Z","type":"platform.report","record":{"requestId":"276ff3b9-1609-4ee7-a288-db3752630767","metrics":{"durationMs":10935.7,"billedDurationMs":10936,"memorySizeMB":1024,"maxMemoryUsedMB":1024},"status":"error","errorType":"Runtime.OutOfMemory"}}';
    expect(parseReportLine(oom)).toMatchObject({ status: 'error', errorType: 'Runtime.OutOfMemory', format: 'json' });
    const glued = `[AWS Parameters and Secrets Lambda Extension] 2024/04/11 02:14:17 INFO ready.${lineOf(samples.U35584_JSON_LOG, 'platform.report')}`;
    expect(parseReportLine(glued)?.billedDurationMs).toBe(12);
  });

  it('gives no record for a Managed Instances report, which has only durationMs [DD-EXT events.rs]', () => {
    expect(parseReportLine(samples.DD_EXT_MANAGED_INSTANCES_REPORT)).toBeUndefined();
  });

  it('rejects JSON reports with unreadable values', () => {
    const bad = [
      '{"type":"platform.report","record":{"requestId":"x","metrics":{"durationMs":-1,"billedDurationMs":1,"memorySizeMB":1,"maxMemoryUsedMB":1}}}',
      '{"type":"platform.report","record":{"requestId":"x","metrics":{"durationMs":1,"billedDurationMs":"1","memorySizeMB":1,"maxMemoryUsedMB":1}}}',
      '{"type":"platform.report","record":{"requestId":"x","metrics":{"durationMs":1,"billedDurationMs":1,"memorySizeMB":1,"maxMemoryUsedMB":1},"status":"weird"}}',
      '{"type":"platform.report","record":{"requestId":"","metrics":{"durationMs":1,"billedDurationMs":1,"memorySizeMB":1,"maxMemoryUsedMB":1}}}',
      '{"type":"platform.report","record":{"requestId":"x","metrics":[]}}',
      '{"type":"platform.report","record":"x"}',
      '["platform.report"]',
    ];
    for (const line of bad) expect(parseReportLine(line), line).toBeUndefined();
    // An absent status reads as success; null optional metrics read as absent (2020 Logs API reports had no status).
    expect(
      parseReportLine('{"type":"platform.report","record":{"requestId":"x","metrics":{"durationMs":1,"billedDurationMs":1,"memorySizeMB":1,"maxMemoryUsedMB":1,"initDurationMs":null}}}'),
    ).toStrictEqual({ requestId: 'x', durationMs: 1, billedDurationMs: 1, memorySizeMB: 1, maxMemoryUsedMB: 1, status: 'success', coldStart: false, format: 'json' });
  });
});

describe('parseLog: text logs', () => {
  it('reads a log tool excerpt with interleaved requests, XRAY lines and statuses [U-71311]', () => {
    const log = parseLog(samples.U71311_LOG);
    expect(log.truncated).toBe(false);
    expect(log.warnings).toStrictEqual([]);
    expect(log.reports.map((r) => [r.requestId.slice(0, 8), r.status, r.errorType, r.coldStart])).toStrictEqual([
      ['4591e223', 'success', undefined, false],
      ['054d8776', 'timeout', undefined, false],
      ['c4c2a78d', 'timeout', undefined, true],
      ['3b9e07c5', 'error', 'Runtime.OutOfMemory', true],
    ]);
    expect(log.reports.map((r) => r.xray?.traceId)).toStrictEqual([
      '1-6ac7d63e-397ed61b1542f1a3653bcd46',
      '1-6ac7d63f-0104e99861c65c8039f183da',
      '1-6ac7d74a-019546e11f8bb3cd382c293c',
      '1-6ac7d856-23c5b0d2790c4b5677597fc1',
    ]);
    expect(log.reports[3]?.xray).toStrictEqual({ traceId: '1-6ac7d856-23c5b0d2790c4b5677597fc1', segmentId: '382f97d370ef6f64' });
    const initStarts = eventsOf(log.events, 'initStart');
    expect(initStarts).toHaveLength(2);
    expect(initStarts[0]).toStrictEqual({
      type: 'initStart',
      format: 'text',
      lineNumber: 7,
      prefix: '17:47:55',
      runtimeVersion: 'python:3.12.mainlinev2.v43',
      runtimeVersionArn: 'arn:aws:lambda:us-east-1::runtime:36aeb19f3326e129d9f096dea0a3c6a9ca8dce2610e62d2b2060747602d863ae',
    });
    expect(eventsOf(log.events, 'start').map((e) => e.version)).toStrictEqual(['$LATEST', '$LATEST', '$LATEST', '$LATEST', '$LATEST']);
    const firstReport = eventsOf(log.events, 'report')[0];
    expect(firstReport).toStrictEqual({
      type: 'report',
      format: 'text',
      lineNumber: 2,
      prefix: '17:43:26',
      requestId: '4591e223-9f68-457f-b518-f6a03fab0046',
      status: 'success',
      metrics: { durationMs: 3.86, billedDurationMs: 4, memorySizeMB: 1024, maxMemoryUsedMB: 532 },
    });
    expect(eventsOf(log.events, 'xray').map((e) => e.lineNumber)).toStrictEqual([3, 16, 21, 23]);
  });

  it('reads INIT_REPORT lines and a timeout line that comes before the REPORT [U-12087]', () => {
    const log = parseLog(samples.U12087_LOG);
    expect(eventsOf(log.events, 'initReport')).toStrictEqual([
      { type: 'initReport', format: 'text', lineNumber: 1, durationMs: 10337.01, phase: 'init', status: 'timeout' },
      { type: 'initReport', format: 'text', lineNumber: 3, durationMs: 45045.69, phase: 'invoke', status: 'error', errorType: 'Runtime.Unknown' },
    ]);
    expect(eventsOf(log.events, 'timeout')).toStrictEqual([
      { type: 'timeout', format: 'text', lineNumber: 5, requestId: '<guid>', timeoutSeconds: 45.05, time: '2024-01-29T16:41:15.998Z' },
    ]);
    expect(log.reports).toHaveLength(1);
    expect(log.reports[0]).toMatchObject({ requestId: '<guid>', durationMs: 45054.87, billedDurationMs: 45000, status: 'timeout' });
    expect(log.truncated).toBe(false);
  });

  it('reads INIT_REPORT with spaces for TABs and after a prefix [U-12087; U-54759]', () => {
    expect(parseLog(samples.U12087_INIT_REPORT_SPACES).events).toStrictEqual([
      { type: 'initReport', format: 'text', lineNumber: 1, durationMs: 45045.46, phase: 'invoke', status: 'error', errorType: 'Runtime.Unknown' },
    ]);
    expect(parseLog(samples.U54759_INIT_REPORT).events).toStrictEqual([
      {
        type: 'initReport',
        format: 'text',
        lineNumber: 1,
        prefix: '21:00:55',
        durationMs: 137.69,
        phase: 'init',
        status: 'error',
        errorType: 'Runtime.ImportModuleError',
      },
    ]);
  });

  it('reads a SnapStart `sam logs` copy: RESTORE_START, RESTORE_REPORT, a published version [DOCWHO]', () => {
    const log = parseLog(samples.DOCWHO_SAM_LOGS);
    const prefix = (time: string) => `2023/06/02/[72]88ab219a63d343d294d0a9947e8ab36a 2023-06-02T11:27:${time}`;
    expect(log.events.map((e) => e.type)).toStrictEqual(['restoreStart', 'restoreReport', 'start', 'end', 'report']);
    expect(log.events[0]).toStrictEqual({
      type: 'restoreStart',
      format: 'text',
      lineNumber: 1,
      prefix: prefix('22.355000'),
      runtimeVersion: 'java:11.v20',
      runtimeVersionArn: 'arn:aws:lambda:us-east-1::runtime:b8b295733fb8ae6769e0fb039181ce76e1f54a4d04bb5ca7ded937bb0d839109',
    });
    expect(log.events[1]).toStrictEqual({ type: 'restoreReport', format: 'text', lineNumber: 2, prefix: prefix('22.719000'), durationMs: 398.97 });
    expect(log.events[2]).toMatchObject({ type: 'start', requestId: '8c360c87-d4b7-4423-b5f3-af02be3c1763', version: '72' });
    expect(log.reports[0]).toMatchObject({ restoreDurationMs: 398.97, billedRestoreDurationMs: 182, coldStart: true });
    expect(log.truncated).toBe(false);
  });

  it('reads TELEMETRY and EXTENSION lines [U-7855]', () => {
    const log = parseLog(samples.U7855_LOG);
    expect(log.events.slice(0, 2)).toStrictEqual([
      { type: 'telemetrySubscription', format: 'text', lineNumber: 1, name: 'datadog-agent', state: 'Subscribed', types: ['Platform', 'Function', 'Extension'] },
      { type: 'extension', format: 'text', lineNumber: 2, name: 'datadog-agent', state: 'Ready', events: ['INVOKE', 'SHUTDOWN'] },
    ]);
    expect(log.reports[0]).toMatchObject({ maxMemoryUsedMB: 127, initDurationMs: 733.21, coldStart: true });
    expect(log.truncated).toBe(false);
  });

  it('reads a console copy: timestamp and TAB prefixes, space-separated fields, a LOGS line [U-37579]', () => {
    const log = parseLog(samples.U37579_CONSOLE_LOG);
    expect(log.events.slice(0, 3)).toStrictEqual([
      {
        type: 'initStart',
        format: 'text',
        lineNumber: 1,
        prefix: '2023-11-24T11:26:49.725+08:00',
        runtimeVersion: 'provided:al2023.v9',
        runtimeVersionArn: 'arn:aws:lambda:us-east-1::runtime:68313de216b90a01e19138b97177c40478ef50b63a22b29f152b960070428ae8',
      },
      { type: 'logsSubscription', format: 'text', lineNumber: 2, prefix: '2023-11-24T11:26:49.795+08:00', name: 'cloudwatch_lambda_agent', state: 'Subscribed', types: ['Platform'] },
      { type: 'extension', format: 'text', lineNumber: 3, prefix: '2023-11-24T11:26:49.817+08:00', name: 'cloudwatch_lambda_agent', state: 'Ready', events: ['SHUTDOWN', 'INVOKE'] },
    ]);
    expect(log.reports.map((r) => [r.durationMs, r.billedDurationMs, r.initDurationMs])).toStrictEqual([
      [79.88, 172, 91.8],
      [10.78, 11, undefined],
    ]);
    expect(eventsOf(log.events, 'end')).toHaveLength(2);
  });

  it('sets timeout from the old timeout line after the REPORT [ASTUYVE-2022]', () => {
    const log = parseLog(samples.ASTUYVE_TIMEOUT_LOG);
    expect(log.reports[0]).toMatchObject({ requestId: 'fd9bb1b0dfd7', durationMs: 6006.56, billedDurationMs: 6000, status: 'timeout' });
    expect(eventsOf(log.events, 'timeout')).toStrictEqual([{ type: 'timeout', format: 'text', lineNumber: 5, requestId: 'fd9bb1b0dfd7', timeoutSeconds: 6.01 }]);
  });

  it('sets error and Runtime.ExitError from a crash line, and leaves the next request alone [ASTUYVE-2022]', () => {
    const log = parseLog(samples.ASTUYVE_CRASH_LOG);
    expect(log.reports.map((r) => [r.requestId, r.status, r.errorType])).toStrictEqual([
      ['43e50939ce8c', 'error', 'Runtime.ExitError'],
      ['dd47fb969a5e', 'success', undefined],
    ]);
    expect(eventsOf(log.events, 'runtimeExit')).toStrictEqual([
      {
        type: 'runtimeExit',
        format: 'text',
        lineNumber: 5,
        requestId: '43e50939ce8c',
        message: 'Error: Runtime exited with error: signal: killed',
        errorType: 'Runtime.ExitError',
      },
    ]);
  });

  it('takes the error type from the line after a crash line [U-16430]', () => {
    const log = parseLog(samples.U16430_EXIT_LOG);
    expect(log.reports[0]).toMatchObject({ status: 'error', errorType: 'Runtime.ExitError', billedDurationMs: 100 });
    expect(eventsOf(log.events, 'runtimeExit')[0]).toMatchObject({ message: 'Error: Runtime exited without providing a reason', errorType: 'Runtime.ExitError' });
    // Its first REPORT has no START in the text.
    expect(log.truncated).toBe(true);
  });

  it('sets error without an error type from `Process exited before completing request` [U-22264]', () => {
    const log = parseLog(samples.U22264_PROCESS_EXITED_LOG);
    expect(log.reports[0]).toMatchObject({ requestId: '7fbfff1b-a8b6-4e77-9da6-7de379413f3f', status: 'error', maxMemoryUsedMB: 74 });
    expect(log.reports[0]?.errorType).toBeUndefined();
    expect(eventsOf(log.events, 'runtimeExit')[0]).toStrictEqual({
      type: 'runtimeExit',
      format: 'text',
      lineNumber: 4,
      requestId: '7fbfff1b-a8b6-4e77-9da6-7de379413f3f',
      message: 'Process exited before completing request',
    });
  });

  it('keeps a REPORT status that the line states, whatever crash lines say', () => {
    // [U-71311]'s out-of-memory REPORT followed by a crash line in [ASTUYVE-2022]'s wording for the same request.
    const text = [
      '17:39:34 START RequestId: 276ff3b9-1609-4ee7-a288-db3752630767 Version: $LATEST',
      lineOf(samples.U71311_LOG, '17:58:07 REPORT').replace(/3b9e07c5-5fa2-47ad-af06-e44d2b64ec8f/, '276ff3b9-1609-4ee7-a288-db3752630767'),
      'RequestId: 276ff3b9-1609-4ee7-a288-db3752630767 Error: Runtime exited with error: signal: killed',
    ].join('\n');
    expect(parseLog(text).reports[0]).toMatchObject({ status: 'error', errorType: 'Runtime.OutOfMemory' });
  });

  it('reads every timeout-line wording, and gives a line without an id to the request last started', () => {
    // [U-35088] ISO timestamp and full id, as one subscription event's message.
    const iso = parseLog(samples.U35088_TIMEOUT_MESSAGE);
    expect(iso.events).toStrictEqual([
      { type: 'timeout', format: 'text', lineNumber: 1, requestId: 'f2704689-7aa3-4af3-ac88-857c01c4bd45', timeoutSeconds: 5.01, time: '2019-09-18T00:02:46.542Z' },
    ]);
    // `RequestId: <id> Error: Task timed out …`, the wording of the invoke error payload [U-137369].
    const worded = parseLog('RequestId: 327ec045-e1e7-45f8-8369-c7950e1a5f6f Error: Task timed out after 3.00 seconds');
    expect(eventsOf(worded.events, 'timeout')[0]?.requestId).toBe('327ec045-e1e7-45f8-8369-c7950e1a5f6f');
    const bare = [
      'START RequestId: fd9bb1b0dfd7 Version: $LATEST',
      'REPORT RequestId: fd9bb1b0dfd7 Duration: 6006.56 ms Billed Duration: 6000 ms Memory Size: 128 MB Max Memory Used: 57 MB',
      '2022-02-19T10:00:06.010Z Task timed out after 6.01 seconds',
    ].join('\n');
    const log = parseLog(bare);
    expect(eventsOf(log.events, 'timeout')[0]).toMatchObject({ requestId: 'fd9bb1b0dfd7', time: '2022-02-19T10:00:06.010Z' });
    expect(log.reports[0]?.status).toBe('timeout');
    const orphan = parseLog('Task timed out after 3.00 seconds');
    expect(orphan.events).toStrictEqual([{ type: 'timeout', format: 'text', lineNumber: 1, timeoutSeconds: 3 }]);
    expect(parseLog('Task timed out after soon').events).toStrictEqual([]);
  });

  it('reads a whole Node.js log with multi-line application output [AWSDOCS nodejs-logging.md]', () => {
    const log = parseLog(samples.AWSDOCS_NODE_LOG);
    expect(log.events.map((e) => e.type)).toStrictEqual(['start', 'end', 'report', 'xray']);
    expect(log.events[3]).toMatchObject({ type: 'xray', lineNumber: 10, traceId: '1-5d9d007f-0a8c7fd02xmpl480aed55ef0' });
    expect(log.warnings).toStrictEqual([]);
    expect(log.truncated).toBe(false);
  });

  it('handles CRLF line ends and blank lines', () => {
    const log = parseLog(samples.ASTUYVE_CRASH_LOG.replace(/\n/g, '\r\n'));
    expect(log.reports.map((r) => r.status)).toStrictEqual(['error', 'success']);
    expect(parseLog('\n\n  \n')).toStrictEqual({ reports: [], events: [], truncated: false, warnings: [] });
  });
});

describe('parseLog: JSON and mixed logs', () => {
  it('reads a cold-start JSON LogResult and skips the application line [U-35584]', () => {
    const log = parseLog(samples.U35584_JSON_LOG);
    expect(log.truncated).toBe(false);
    expect(log.warnings).toStrictEqual([]);
    expect(log.events.map((e) => e.type)).toStrictEqual(['initStart', 'initRuntimeDone', 'initReport', 'start', 'runtimeDone', 'report']);
    expect(log.events[0]).toStrictEqual({
      type: 'initStart',
      format: 'json',
      lineNumber: 1,
      time: '2024-05-20T16:29:44.833Z',
      initializationType: 'on-demand',
      phase: 'init',
      runtimeVersion: 'nodejs:18.v28',
      runtimeVersionArn: 'arn:aws:lambda:eu-west-3::runtime:b475b23763329123d9e6f79f51886d0e1054f727f5b90ec945fcb2a3ec09afdd',
      functionName: 'ColdStartPerfStack-Function76856677-qnwBXhjb6klt',
      functionVersion: '$LATEST',
    });
    expect(log.events[1]).toStrictEqual({
      type: 'initRuntimeDone',
      format: 'json',
      lineNumber: 2,
      time: '2024-05-20T16:29:45.006Z',
      initializationType: 'on-demand',
      phase: 'init',
      status: 'success',
    });
    expect(log.events[2]).toMatchObject({ type: 'initReport', durationMs: 173.778, status: 'success', phase: 'init' });
    expect(log.events[4]).toStrictEqual({
      type: 'runtimeDone',
      format: 'json',
      lineNumber: 6,
      time: '2024-05-20T16:29:45.019Z',
      requestId: '4b142fc3-17b8-4cdb-a46b-a8dbe7918715',
      status: 'success',
      durationMs: 11.185,
      producedBytes: 40,
      spans: [
        { name: 'responseLatency', start: '2024-05-20T16:29:45.008Z', durationMs: 2.215 },
        { name: 'responseDuration', start: '2024-05-20T16:29:45.010Z', durationMs: 0.056 },
        { name: 'runtimeOverhead', start: '2024-05-20T16:29:45.010Z', durationMs: 8.686 },
      ],
    });
    expect(log.reports).toHaveLength(1);
    expect(log.reports[0]).toMatchObject({ initDurationMs: 174.055, coldStart: true, format: 'json' });
  });

  it('reads runtimeDone and report timeouts [U-55317]', () => {
    const log = parseLog(samples.U55317_JSON_TIMEOUT);
    expect(eventsOf(log.events, 'runtimeDone')[0]).toMatchObject({ status: 'timeout', durationMs: 5001.182, producedBytes: 0 });
    expect(log.reports[0]?.status).toBe('timeout');
    expect(log.truncated).toBe(true);
  });

  it('reads JSON glued to an extension text line, and a log whose first JSON line is broken [PT test-utils.js, issue #261]', () => {
    const mixed = parseLog(samples.PT_JSON_MIXED_LOG);
    expect(mixed.reports.map((r) => r.billedDurationMs)).toStrictEqual([4]);
    expect(eventsOf(mixed.events, 'start')[0]).toMatchObject({
      format: 'json',
      lineNumber: 2,
      requestId: 'd661f7cf-9208-46b9-85b0-213b04a91065',
      version: '8',
      prefix: '[AWS Parameters and Secrets Lambda Extension] 2024/04/11 02:14:17 PARAMETERS_SECRETS_EXTENSION_LOG_LEVEL is info. Log level set to info.',
    });
    expect(mixed.truncated).toBe(false);
    const broken = parseLog(samples.PT_JSON_MIXED_INVALID_LOG);
    expect(broken.reports.map((r) => [r.billedDurationMs, r.initDurationMs])).toStrictEqual([[8, 30]]);
    expect(broken.warnings).toStrictEqual([]);
    // Its first line does not parse, so it cannot be told from a line cut in the middle.
    expect(broken.truncated).toBe(true);
  });

  it('reads a log that mixes text and JSON REPORTs, in order [U-37579; U-35584]', () => {
    const log = parseLog(`${samples.U37579_CONSOLE_LOG}\n${samples.U35584_JSON_LOG}`);
    expect(log.reports.map((r) => r.format)).toStrictEqual(['text', 'text', 'json']);
    expect(log.truncated).toBe(false);
  });

  it('gives a Managed Instances report as an event with a warning, not a record [DD-EXT events.rs]', () => {
    const log = parseLog(samples.DD_EXT_MANAGED_INSTANCES_REPORT);
    expect(log.reports).toStrictEqual([]);
    expect(log.events).toStrictEqual([
      {
        type: 'report',
        format: 'json',
        lineNumber: 1,
        time: '2025-09-19T19:36:50.881Z',
        requestId: '13d1305b-a2f5-440c-bfbe-686ccff3d3e0',
        status: 'success',
        metrics: { durationMs: 1.148 },
        spans: [
          { name: 'responseLatency', start: '2025-09-19T19:36:50.880Z', durationMs: 0.847 },
          { name: 'responseDuration', start: '2025-09-19T19:36:50.880Z', durationMs: 0.127 },
        ],
      },
    ]);
    expect(log.warnings).toHaveLength(1);
    expect(log.warnings[0]).toMatchObject({ lineNumber: 1, line: samples.DD_EXT_MANAGED_INSTANCES_REPORT });
    expect(log.warnings[0]?.reason).toMatch(/Managed Instances/);
    expect(() => parseLog(samples.DD_EXT_MANAGED_INSTANCES_REPORT, { strict: true })).not.toThrow();
  });

  it('reads the other Telemetry API events [DD-EXT events.rs]', () => {
    const log = parseLog(samples.DD_EXT_EVENTS);
    expect(log.warnings).toStrictEqual([]);
    const [restoreStart, restoreOk, restoreFailed, extension, subscription, dropped, start, runtimeDone] = log.events;
    expect(restoreStart).toStrictEqual({ type: 'restoreStart', format: 'json', lineNumber: 1, time: '2022-10-19T13:52:15.636Z' });
    expect(restoreOk).toStrictEqual({ type: 'restoreReport', format: 'json', lineNumber: 2, time: '2022-10-19T13:52:16.136Z', status: 'success', durationMs: 150.5 });
    expect(restoreFailed).toStrictEqual({ type: 'restoreReport', format: 'json', lineNumber: 3, time: '2022-10-19T13:52:16.136Z', status: 'failure', errorType: 'RestoreError' });
    expect(extension).toMatchObject({ type: 'extension', name: 'my-extension', state: 'Ready', events: ['SHUTDOWN', 'INVOKE'] });
    expect(subscription).toMatchObject({ type: 'telemetrySubscription', name: 'my-extension', state: 'Subscribed', types: ['platform', 'function'] });
    expect(dropped).toMatchObject({ type: 'logsDropped', reason: 'BufferFull', droppedRecords: 1, droppedBytes: 1024 });
    const tracing = { type: 'X-Amzn-Trace-Id', value: 'Root=1-6352a70e-1e2c502e358361800241fd45;Parent=35465b3a9e2f7c6a;Sampled=1' };
    expect(start).toMatchObject({ type: 'start', version: '$LATEST', tracing });
    expect(runtimeDone).toMatchObject({ type: 'runtimeDone', durationMs: 2599, producedBytes: 8, tracing });
    expect(log.reports[0]).toMatchObject({ durationMs: 2599.4, initDurationMs: 549.04, coldStart: true });
    expect(log.truncated).toBe(false);
  });

  it('reads Logs API events and skips `function` records [U-22507]', () => {
    const log = parseLog(samples.U22507_LOGS_API_EVENTS);
    expect(log.events).toStrictEqual([
      { type: 'logsSubscription', format: 'json', lineNumber: 1, time: '2020-10-27T15:36:14.282Z', name: 'sumologic-extension', state: 'Subscribed', types: ['platform', 'function'] },
      { type: 'extension', format: 'json', lineNumber: 3, time: '2020-10-27T15:36:14.283Z', name: 'sumologic-extension', state: 'Ready', events: ['INVOKE'] },
    ]);
  });

  it('reads platform.fault and lets its crash text set the status of a report without one [AWSDOCS runtimes-logs-api.md]', () => {
    const report =
      '{"time":"2020-08-20T12:31:32.100Z","type":"platform.report","record":{"requestId":"d783b35e-a91d-4251-af17-035953428a2c","metrics":{"durationMs":101.51,"billedDurationMs":300,"memorySizeMB":512,"maxMemoryUsedMB":33,"initDurationMs":116.67}}}';
    const log = parseLog(`${report}\n${samples.AWSDOCS_PLATFORM_FAULT}`);
    expect(log.events[1]).toStrictEqual({
      type: 'fault',
      format: 'json',
      lineNumber: 2,
      time: '2020-08-20T12:31:32.123Z',
      message: 'RequestId: d783b35e-a91d-4251-af17-035953428a2c Process exited before completing request',
    });
    expect(log.reports[0]?.status).toBe('error');
    expect(parseLog('{"type":"platform.fault","record":"Unknown application error occurred"}').events).toMatchObject([{ type: 'fault' }]);
  });

  it('warns about platform types it does not know and JSON platform lines it cannot read', () => {
    const log = parseLog(
      [
        '{"time":"2030-01-01T00:00:00Z","type":"platform.somethingNew","record":{}}',
        '{"time":"2030-01-01T00:00:00Z","type":"platform.start","record":"not an object"}',
        '{"type":"platform.fault","record":{}}',
        '{"type":"platform.extension","record":{"name":"x"}}',
        '{"type":"platform.telemetrySubscription","record":{"state":"Subscribed"}}',
        '{"type":"platform.initReport","record":{"metrics":{"durationMs":"slow"}}}',
        '{"type":"platform.runtimeDone","record":{"requestId":"r","status":"meh"}}',
        '{"type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":1,"billedDurationMs":1,"memorySizeMB":1,"maxMemoryUsedMB":1},"status":"exploded"}}',
        '{"type":"platform.start","record":{"requestId":"r"',
        '{"timestamp":"2024-05-20T16:29:45.009Z","level":"INFO","message":"not a platform line"}',
        '{"type":"function","record":"app text"}',
        '[1,2,3]',
      ].join('\n'),
    );
    expect(log.events).toStrictEqual([]);
    expect(log.warnings.map((w) => w.lineNumber)).toStrictEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(log.warnings[0]?.reason).toBe('unknown platform event type "platform.somethingNew"');
    expect(log.warnings[1]?.reason).toBe('platform.start has no record object');
    expect(log.warnings[8]?.reason).toBe('invalid JSON in a platform event line');
  });

  it('keeps only well-formed spans, names and optional fields of JSON events', () => {
    const log = parseLog(
      [
        '{"type":"platform.initStart","record":{"initializationType":"snap-start","phase":"init","instanceId":"i-1","instanceMaxMemory":134217728,"functionName":7}}',
        '{"type":"platform.restoreRuntimeDone","record":{"status":"success","spans":[{"name":"a","start":"t","durationMs":1},{"name":"b"},3]}}',
        '{"type":"platform.extension","record":{"name":"x","state":"Ready","events":["INVOKE",4],"errorType":"Extension.Crash"}}',
        '{"type":"platform.start","record":{"requestId":"r","tracing":{"type":"X-Amzn-Trace-Id"}}}',
        '{"type":"platform.end","record":{"requestId":"r"}}',
        '{"type":"platform.logsDropped","record":{"droppedRecords":-1}}',
      ].join('\n'),
    );
    expect(log.events).toStrictEqual([
      { type: 'initStart', format: 'json', lineNumber: 1, initializationType: 'snap-start', phase: 'init', instanceId: 'i-1', instanceMaxMemory: 134217728 },
      { type: 'restoreRuntimeDone', format: 'json', lineNumber: 2, status: 'success', spans: [{ name: 'a', start: 't', durationMs: 1 }] },
      { type: 'extension', format: 'json', lineNumber: 3, name: 'x', state: 'Ready', events: ['INVOKE'], errorType: 'Extension.Crash' },
      { type: 'start', format: 'json', lineNumber: 4, requestId: 'r' },
      { type: 'end', format: 'json', lineNumber: 5, requestId: 'r' },
      { type: 'logsDropped', format: 'json', lineNumber: 6 },
    ]);
  });
});

describe('parseLog: unreadable lines, warnings and strict mode', () => {
  const broken = ['START RequestId: 1 Version: $LATEST', 'app output', 'REPORT RequestId: x\tDuration: oops', 'END RequestId: 1'].join('\n');

  it('skips an unreadable platform line with a warning that quotes it', () => {
    const log = parseLog(broken);
    expect(log.reports).toStrictEqual([]);
    expect(log.warnings).toStrictEqual([{ lineNumber: 3, reason: 'REPORT line has an unreadable Duration', line: 'REPORT RequestId: x\tDuration: oops' }]);
    expect(log.events.map((e) => e.type)).toStrictEqual(['start', 'end']);
  });

  it('throws ReportParseError quoting the line and its number in strict mode', () => {
    let thrown: unknown;
    try {
      parseLog(broken, { strict: true });
    } catch (err) {
      thrown = err;
    }
    expect(ReportParseError.is(thrown)).toBe(true);
    const err = thrown as ReportParseError;
    expect(err.line).toBe('REPORT RequestId: x\tDuration: oops');
    expect(err.lineNumber).toBe(3);
    expect(err.message).toBe('Cannot parse log line 3 (REPORT line has an unreadable Duration): "REPORT RequestId: x\\tDuration: oops"');
  });

  it('throws for every kind of platform line that cannot be read', () => {
    const cases: [string, RegExp][] = [
      ['REPORT Duration: 5 ms', /no RequestId/],
      ['REPORT RequestId: x', /no Duration/],
      ['START', /START line has no RequestId/],
      ['END RequestId:', /END line has no RequestId/],
      ['INIT_START Runtime Version:', /no Runtime Version/],
      ['INIT_REPORT Init Duration: soon', /no readable Init Duration/],
      ['INIT_REPORT Init Duration: 1 ms\tStatus: weird', /unknown Status/],
      ['RESTORE_START', /RESTORE_START line has no Runtime Version/],
      ['RESTORE_REPORT Restore Duration: x', /no readable Restore Duration/],
      ['RESTORE_REPORT Restore Duration: 1 ms\tStatus: ok', /unknown Status/],
      ['XRAY SegmentId: 1', /no TraceId/],
      ['2023-11-24T11:26:49.915+08:00\tREPORT RequestId: abc Duration: x ms', /unreadable Duration/],
      ['2023-11-24T11:26:49.915+08:00\tEXTENSION Name: x', /EXTENSION line has no Name or State/],
      ['2023-11-24T11:26:49.915+08:00\tTELEMETRY Name: x', /TELEMETRY line has no Name or State/],
      ['{"type":"platform.report","record":{"requestId":"x"}}', /platform.report has no metrics/],
      ['{"type":"platform.report","record":{"requestId":"x","metrics":{"durationMs":1}', /invalid JSON/],
      ['{"type":"platform.report","record":{"requestId":"x","metrics":{"billedDurationMs":1}}}', /no readable metrics.durationMs/],
    ];
    for (const [line, reason] of cases) {
      expect(() => parseLog(line, { strict: true }), line).toThrow(reason);
      expect(parseLog(line).warnings.map((w) => w.reason).join(), line).toMatch(reason);
    }
  });

  it('does not treat ordinary text as platform lines, even in strict mode', () => {
    const text = [
      'EXTENSION is a word',
      'LOGS rotated',
      'Ending the job',
      'STARTED',
      'the REPORT is ready',
      'saw "platform.report" in the docs',
      '{ not json',
      'RequestId: abc Error: something else',
      'Runtime.ExitError',
    ].join('\n');
    const log = parseLog(text, { strict: true });
    expect(log.events).toStrictEqual([]);
    expect(log.warnings).toStrictEqual([]);
    expect(log.truncated).toBe(true);
  });

  it('reads every real sample in strict mode exactly as in lenient mode', () => {
    for (const [name, text] of Object.entries(samples)) {
      if (name.endsWith('BASE64')) continue;
      expect(parseLog(text, { strict: true }), name).toStrictEqual(parseLog(text));
    }
  });

  it('rejects arguments that are not text or options', () => {
    expect(() => parseLog(undefined as unknown as string)).toThrow(InvalidInputError);
    expect(() => parseLog('', null as unknown as object)).toThrow(/Invalid options/);
    expect(() => parseLog('', { strict: 'yes' as unknown as boolean })).toThrow(/options.strict/);
  });
});

describe('parseLog: truncated', () => {
  const full = decodeLogResult(samples.PT_LOG_RESULT_BASE64);

  it('is false for a whole LogResult and for empty text [PT test-utils.js]', () => {
    expect(parseLog(full).truncated).toBe(false);
    expect(parseLog('').truncated).toBe(false);
  });

  it('is true when the text starts in the middle of a line, and the REPORT is still read', () => {
    const tail = full.slice(full.indexOf('value1') + 3);
    const log = parseLog(tail);
    expect(log.truncated).toBe(true);
    expect(log.reports).toHaveLength(1);
    expect(log.reports[0]?.initDurationMs).toBe(100.99);
  });

  it('is true when a whole first line is there but the first REPORT has no START before it', () => {
    expect(parseLog(full.slice(full.indexOf('END'))).truncated).toBe(true);
    expect(parseLog(full.slice(full.indexOf('2017-04-10'))).truncated).toBe(true);
  });

  it('is false when the text starts with a whole application line and has the START [U-71311]', () => {
    const fromAppLine = samples.U71311_LOG.slice(samples.U71311_LOG.indexOf('17:43:27 [contracts]'));
    const log = parseLog(`17:43:26 START RequestId: 054d8776-b852-42f6-a1a6-752552daea41 Version: $LATEST\n${fromAppLine}`);
    expect(log.truncated).toBe(false);
    expect(parseLog(fromAppLine).truncated).toBe(true);
  });
});

describe('decodeLogResult', () => {
  it("decodes an Invoke response's LogResult [PT test-utils.js]", () => {
    const text = decodeLogResult(samples.PT_LOG_RESULT_BASE64);
    expect(text.startsWith('START RequestId: 479fb51c-1e38-11e7-99ca-67bf163608ed Version: 99\n')).toBe(true);
    expect(text.endsWith('Max Memory Used: 15 MB\tInit Duration: 100.99 ms')).toBe(true);
  });

  it('decodes multi-byte UTF-8 and ignores whitespace in wrapped copies', () => {
    const log = `START RequestId: 1 Version: $LATEST\n2024-01-01T00:00:00.000Z\t1\tINFO\tこんにちは 🌍 — ça va\n${samples.CONTACTFORM_ERROR_REPORT.replace('83269395-33ee-45a8-8a99-38f67b6faf72', '1')}`;
    const base64 = Buffer.from(log, 'utf8').toString('base64');
    expect(decodeLogResult(base64)).toBe(log);
    expect(decodeLogResult(base64.replace(/(.{76})/g, '$1\n'))).toBe(log);
    expect(parseLog(decodeLogResult(base64)).reports[0]?.errorType).toBe('Runtime.InvalidEntrypoint');
  });

  it('turns a multi-byte character cut by the 4 KB tail into U+FFFD, and the log reads as truncated', () => {
    const bytes = Buffer.from(`🌍 done\n${samples.AWSDOCS_SUBSCRIPTION_MESSAGE}`, 'utf8');
    const text = decodeLogResult(bytes.subarray(2).toString('base64'));
    expect(text.startsWith('\uFFFD')).toBe(true);
    const log = parseLog(text);
    expect(log.truncated).toBe(true);
    expect(log.reports[0]?.durationMs).toBe(46.84);
  });

  it('decodes unpadded base64 and the empty string', () => {
    expect(decodeLogResult('aGVsbG8gd29ybGQ')).toBe('hello world');
    expect(decodeLogResult('')).toBe('');
  });

  it('rejects what is not base64 with InvalidInputError naming logResult', () => {
    for (const bad of ['not base64!', 'ab=c', 'abcde', 'aGVsbG8-d29ybGQ_']) {
      let thrown: unknown;
      try {
        decodeLogResult(bad);
      } catch (err) {
        thrown = err;
      }
      expect(InvalidInputError.is(thrown), bad).toBe(true);
      expect((thrown as InvalidInputError).field).toBe('logResult');
    }
    expect(() => decodeLogResult('ab!c')).toThrow('Invalid logResult: is not base64: it has a character outside the base64 alphabet: "!"');
    expect(() => decodeLogResult('ab=c')).toThrow(/padding in the middle/);
    expect(() => decodeLogResult(undefined as unknown as string)).toThrow('Invalid logResult: must be a base64 string, got undefined');
    expect(() => decodeLogResult(null as unknown as string)).toThrow(/got null/);
  });
});

describe('formatReportLine and formatReportJson', () => {
  const docwho = parseReportLine(lineOf(samples.DOCWHO_SAM_LOGS, 'REPORT RequestId')) as ReportRecord;
  const ddFwd = parseReportLine(samples.DD_FWD_REPORT_WITH_XRAY_MESSAGE) as ReportRecord;

  it("writes Lambda's own text form [DOCWHO; DD-FWD]", () => {
    expect(formatReportLine(docwho)).toBe(
      'REPORT RequestId: 8c360c87-d4b7-4423-b5f3-af02be3c1763\tDuration: 2338.66 ms\tBilled Duration: 2521 ms\tMemory Size: 3009 MB\tMax Memory Used: 173 MB\tRestore Duration: 398.97 ms\tBilled Restore Duration: 182 ms\t',
    );
    expect(`${formatReportLine(ddFwd)}\n`).toBe(samples.DD_FWD_REPORT_WITH_XRAY_MESSAGE);
  });

  it('writes the space-separated form, X-Ray on the same line, Status and Error Type', () => {
    const timeout = parseLog(samples.U71311_LOG).reports[3] as ReportRecord;
    expect(formatReportLine(timeout, { separator: ' ', xrayPlacement: 'sameLine' })).toBe(
      'REPORT RequestId: 3b9e07c5-5fa2-47ad-af06-e44d2b64ec8f Duration: 344356.22 ms Billed Duration: 344756 ms Memory Size: 1024 MB Max Memory Used: 1024 MB Init Duration: 399.33 ms Status: error Error Type: Runtime.OutOfMemory XRAY TraceId: 1-6ac7d856-23c5b0d2790c4b5677597fc1 SegmentId: 382f97d370ef6f64',
    );
    expect(formatReportLine({ ...ddFwd, xray: { traceId: 't', sampled: false } }, { xrayPlacement: 'sameLine' })).toMatch(
      /Max Memory Used: 118 MB\tXRAY TraceId: t\tSampled: false\t$/,
    );
  });

  it("writes Lambda's JSON form [U-55317]", () => {
    const record = parseReportLine(lineOf(samples.U55317_JSON_TIMEOUT, 'platform.report')) as ReportRecord;
    expect(formatReportJson(record, { time: '2026-07-09T06:05:50.581Z' })).toBe(
      '{"time":"2026-07-09T06:05:50.581Z","type":"platform.report","record":{"requestId":"aec7a529-47f9-4090-be01-c9ed91bf83cf","metrics":{"durationMs":5000,"billedDurationMs":5000,"memorySizeMB":128,"maxMemoryUsedMB":94},"status":"timeout"}}',
    );
    const withAll = formatReportJson({ ...docwho, xray: { traceId: 'r', segmentId: 'p', sampled: false }, status: 'error', errorType: 'E.x' }, { time: new Date(0) });
    expect(JSON.parse(withAll)).toStrictEqual({
      time: '1970-01-01T00:00:00.000Z',
      type: 'platform.report',
      record: {
        requestId: '8c360c87-d4b7-4423-b5f3-af02be3c1763',
        metrics: { durationMs: 2338.66, billedDurationMs: 2521, memorySizeMB: 3009, maxMemoryUsedMB: 173, restoreDurationMs: 398.97, billedRestoreDurationMs: 182 },
        tracing: { type: 'X-Amzn-Trace-Id', value: 'Root=r;Parent=p;Sampled=0' },
        status: 'error',
        errorType: 'E.x',
      },
    });
    const now = JSON.parse(formatReportJson(docwho)) as { time: string };
    expect(Number.isNaN(Date.parse(now.time))).toBe(false);
  });

  it('reads back what it writes', () => {
    expect(parseReportLine(formatReportLine(ddFwd))).toStrictEqual(ddFwd);
    expect(parseReportLine(formatReportJson(ddFwd))).toStrictEqual({ ...ddFwd, format: 'json' });
  });

  it('rejects records and options it cannot write', () => {
    const bad: [Partial<Record<keyof ReportRecord, unknown>>, string][] = [
      [{ requestId: 'has space' }, 'record.requestId'],
      [{ requestId: '' }, 'record.requestId'],
      [{ durationMs: -1 }, 'record.durationMs'],
      [{ durationMs: Number.NaN }, 'record.durationMs'],
      [{ durationMs: 1e300 }, 'record.durationMs'],
      [{ billedDurationMs: 1.5 }, 'record.billedDurationMs'],
      [{ memorySizeMB: '128' }, 'record.memorySizeMB'],
      [{ maxMemoryUsedMB: Infinity }, 'record.maxMemoryUsedMB'],
      [{ initDurationMs: -0.5 }, 'record.initDurationMs'],
      [{ restoreDurationMs: Number.NaN }, 'record.restoreDurationMs'],
      [{ billedRestoreDurationMs: 0.5 }, 'record.billedRestoreDurationMs'],
      [{ status: 'ok' }, 'record.status'],
      [{ errorType: 'two words' }, 'record.errorType'],
      [{ xray: { traceId: 'a;b' } }, 'record.xray.traceId'],
      [{ xray: { traceId: 'a', segmentId: '' } }, 'record.xray.segmentId'],
      [{ xray: { traceId: 'a', sampled: 'yes' } }, 'record.xray.sampled'],
    ];
    for (const [change, field] of bad) {
      const record = { ...ddFwd, ...change } as ReportRecord;
      for (const write of [() => formatReportLine(record), () => formatReportJson(record)]) {
        let thrown: unknown;
        try {
          write();
        } catch (err) {
          thrown = err;
        }
        expect(InvalidInputError.is(thrown), field).toBe(true);
        expect((thrown as InvalidInputError).field).toBe(field);
      }
    }
    expect(() => formatReportLine(null as unknown as ReportRecord)).toThrow(/Invalid record/);
    expect(() => formatReportLine(ddFwd, { separator: ',' as '\t' })).toThrow(/options.separator/);
    expect(() => formatReportLine(ddFwd, { xrayPlacement: 'above' as 'sameLine' })).toThrow(/options.xrayPlacement/);
    expect(() => formatReportJson(ddFwd, { time: new Date(Number.NaN) })).toThrow(/options.time/);
    expect(() => formatReportJson(ddFwd, { time: 5 as unknown as string })).toThrow(/options.time/);
  });
});
