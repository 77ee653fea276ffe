/**
 * Generated ReportRecords as Lambda writes them: durations with two decimals, whole billed values and memory sizes,
 * a UUID or token request id, the optional fields in any combination, and `coldStart` set as the readers set it.
 * Shared by the round-trip property tests and the fast path's tests.
 */
import fc from 'fast-check';
import type { ReportRecord } from '../../src/report/index.js';

const token = fc.stringMatching(/^[A-Za-z0-9._-]{1,40}$/);
const hex = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });
const hundredths = (max: number) => fc.integer({ min: 0, max }).map((n) => n / 100);

/** A record without its `format`; with `xray`, some records carry an X-Ray part. */
export function lambdaReportRecords(options: { readonly xray: boolean }): fc.Arbitrary<Omit<ReportRecord, 'format'>> {
  const xray = fc
    .record(
      {
        traceId: fc.tuple(hex(8), hex(24)).map(([a, b]) => `1-${a}-${b}`),
        segmentId: hex(16),
        sampled: fc.boolean(),
      },
      { requiredKeys: ['traceId'] },
    )
    // fc.record builds objects without a prototype; parsed records are plain objects.
    .map((x) => ({ ...x }));
  return fc
    .record(
      {
        requestId: fc.oneof(fc.uuid(), token),
        durationMs: hundredths(90_000_000),
        billedDurationMs: fc.integer({ min: 0, max: 900_000 }),
        memorySizeMB: fc.integer({ min: 128, max: 10_240 }),
        maxMemoryUsedMB: fc.integer({ min: 0, max: 12_000 }),
        initDurationMs: hundredths(1_000_000),
        restoreDurationMs: hundredths(1_000_000),
        billedRestoreDurationMs: fc.integer({ min: 0, max: 10_000 }),
        status: fc.constantFrom('success', 'error', 'timeout', 'failure'),
        errorType: fc.oneof(fc.constantFrom('Runtime.OutOfMemory', 'Runtime.ExitError', 'Runtime.ImportModuleError', 'Sandbox.Timedout'), token),
        ...(options.xray ? { xray } : {}),
      },
      { requiredKeys: ['requestId', 'durationMs', 'billedDurationMs', 'memorySizeMB', 'maxMemoryUsedMB', 'status'] },
    )
    .map((r) => ({ ...r, coldStart: r.initDurationMs !== undefined || r.restoreDurationMs !== undefined }) as Omit<ReportRecord, 'format'>);
}
