/**
 * The platform lines an execution environment writes around each invocation, in Lambda's text form (`INIT_START`,
 * `INIT_REPORT`, `START`, `END`, `REPORT`, the runtime-exit line) and as JSON `platform.*` events, and the tail of an
 * invocation's log that `LogType: Tail` returns.
 *
 * @module
 */
import { formatReportJson, formatReportLine } from '../../report/format.js';
import type { ReportRecord } from '../../report/types.js';
import type { LocalLogFormat } from './types.js';

/** `LogResult` holds the last 4 KB of the invocation's log (Invoke API reference, LogResult). */
export const TAIL_BYTES = 4096;

/** A Telemetry API span (`responseLatency`, `responseDuration`, …). */
export interface PlatformSpan {
  readonly name: string;
  /** Epoch milliseconds. */
  readonly start: number;
  readonly durationMs: number;
}

/** Rounds a duration to the microsecond, as the JSON events print them. */
function ms(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

function event(time: number, type: string, record: Record<string, unknown>): string {
  return JSON.stringify({ time: iso(time), type: `platform.${type}`, record });
}

/** Writes platform lines in one log format. Every text line ends in a newline, as Lambda's events do. */
export class PlatformLog {
  constructor(private readonly format: LocalLogFormat) {}

  /** `INIT_START Runtime Version: …` / `platform.initStart`. */
  initStart(time: number, fields: { runtimeVersion: string; runtimeVersionArn: string; functionName: string; functionVersion: string; phase: 'init' | 'invoke' }): string[] {
    if (this.format === 'Text') {
      // A failed Init run again inside the first invoke gets no second INIT_START, only its INIT_REPORT.
      return fields.phase === 'init' ? [`INIT_START Runtime Version: ${fields.runtimeVersion}\tRuntime Version ARN: ${fields.runtimeVersionArn}\n`] : [];
    }
    return [
      event(time, 'initStart', {
        initializationType: 'on-demand',
        phase: fields.phase,
        runtimeVersion: fields.runtimeVersion,
        runtimeVersionArn: fields.runtimeVersionArn,
        functionName: fields.functionName,
        functionVersion: fields.functionVersion,
      }),
    ];
  }

  /**
   * The end of an Init phase: nothing in text when it succeeded (its duration goes on the REPORT), `INIT_REPORT …`
   * when it failed; `platform.initRuntimeDone` and `platform.initReport` in JSON.
   */
  initDone(time: number, fields: { durationMs: number; phase: 'init' | 'invoke'; status: 'success' | 'error' | 'timeout'; errorType?: string }): string[] {
    if (this.format === 'Text') {
      if (fields.status === 'success') return [];
      const errorType = fields.errorType === undefined ? '' : `\tError Type: ${fields.errorType}`;
      return [`INIT_REPORT Init Duration: ${fields.durationMs.toFixed(2)} ms\tPhase: ${fields.phase}\tStatus: ${fields.status}${errorType}\n`];
    }
    const status: Record<string, unknown> = { status: fields.status };
    if (fields.errorType !== undefined) status.errorType = fields.errorType;
    return [
      event(time, 'initRuntimeDone', { initializationType: 'on-demand', phase: fields.phase, ...status }),
      event(time, 'initReport', { initializationType: 'on-demand', phase: fields.phase, ...status, metrics: { durationMs: ms(fields.durationMs) } }),
    ];
  }

  /** `START RequestId: … Version: …` / `platform.start`. */
  start(time: number, requestId: string, version: string): string {
    if (this.format === 'Text') return `START RequestId: ${requestId} Version: ${version}\n`;
    return event(time, 'start', { requestId, version });
  }

  /**
   * The lines after the handler finished: `END` (text only) and the runtime-exit line of a crash, or
   * `platform.runtimeDone` with its spans in JSON.
   */
  runtimeDone(
    time: number,
    fields: {
      requestId: string;
      status: 'success' | 'error' | 'timeout';
      errorType?: string;
      durationMs: number;
      producedBytes: number;
      spans: readonly PlatformSpan[];
      exitMessage?: string;
    },
  ): string[] {
    if (this.format === 'Text') {
      const lines = [`END RequestId: ${fields.requestId}\n`];
      if (fields.exitMessage !== undefined) lines.unshift(`RequestId: ${fields.requestId} Error: ${fields.exitMessage}\n${fields.errorType ?? 'Runtime.ExitError'}\n`);
      return lines;
    }
    const record: Record<string, unknown> = { requestId: fields.requestId, status: fields.status };
    if (fields.errorType !== undefined) record.errorType = fields.errorType;
    record.spans = fields.spans.map((s) => ({ name: s.name, start: iso(s.start), durationMs: ms(s.durationMs) }));
    record.metrics = { durationMs: ms(fields.durationMs), producedBytes: fields.producedBytes };
    return [event(time, 'runtimeDone', record)];
  }

  /** `REPORT RequestId: …` / `platform.report`. */
  report(time: number, record: ReportRecord): string {
    return this.format === 'Text' ? `${formatReportLine(record)}\n` : formatReportJson(record, { time: new Date(time) });
  }
}

/**
 * The last `maxBytes` of a log made of `messages` (each on its own line), cut at a character boundary so it decodes
 * as UTF-8.
 */
export function logTail(messages: readonly string[], maxBytes: number = TAIL_BYTES): Buffer {
  const text = messages.map((m) => (m.endsWith('\n') ? m : `${m}\n`)).join('');
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return bytes;
  let start = bytes.length - maxBytes;
  // Skip UTF-8 continuation bytes (10xxxxxx) so the tail starts on a whole character.
  while (start < bytes.length && ((bytes[start] as number) & 0xc0) === 0x80) start++;
  return bytes.subarray(start);
}
