/**
 * The core modules end to end through lambda-meter/local: invoke, insights, metrics, cost and handler driven by the
 * real AWS SDK v3 clients against functions running in child processes, with nothing mocked.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { invocationCost, reportCost, sumCosts } from '../src/cost/index.js';
import type { MeasurementEnvelope } from '../src/handler/index.js';
import { matchReports, queryReports } from '../src/insights/index.js';
import { invokeMany, invokeWithTail } from '../src/invoke/index.js';
import { startLocalLambda } from '../src/local/index.js';
import type { LocalLambda } from '../src/local/index.js';
import { fetchLambdaMetrics } from '../src/metrics/index.js';
import type { ReportRecord } from '../src/report/index.js';

const F = 'test/fixtures/functions/';
const MANY = 1000;

/** Lambda's rule as `local` applies it: ceil(Duration + Init Duration) on the two-decimal figures the REPORT prints. */
function expectedBilledMs(report: ReportRecord): number {
  return Math.ceil((Math.round(report.durationMs * 100) + Math.round((report.initDurationMs ?? 0) * 100)) / 100);
}

describe('core modules through lambda-meter/local', () => {
  let scratch: string;
  let local: LocalLambda;
  let lambda: LambdaClient;
  let logs: CloudWatchLogsClient;
  let cloudwatch: CloudWatchClient;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'lm-e2e-'));
    // The function's process runs plain JavaScript, so lambda-meter/handler is bundled from its sources first.
    const handlerModule = join(scratch, 'lambda-meter-handler.mjs');
    await build({
      entryPoints: ['src/handler/index.ts'],
      outfile: handlerModule,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'warning',
    });
    writeFileSync(join(scratch, 'trivial.mjs'), 'export const handler = async () => ({ ok: true });\n');
    local = await startLocalLambda({
      functions: [
        { name: 'pair', handler: `${F}sleep.mjs#handler`, memorySizeMB: 512 },
        { name: 'trivial', handler: `${join(scratch, 'trivial.mjs')}#handler`, memorySizeMB: 1769 },
        {
          name: 'measured',
          handler: `${F}measured.mjs#handler`,
          memorySizeMB: 1769,
          environment: { MEASURED_HANDLER_MODULE: handlerModule },
        },
      ],
      timeScale: 10, // Logs Insights queries complete in 30 ms instead of 300
    });
    lambda = new LambdaClient(local.clientConfig());
    logs = new CloudWatchLogsClient(local.clientConfig());
    cloudwatch = new CloudWatchClient(local.clientConfig());
  });

  afterAll(async () => {
    await local?.stop();
    lambda?.destroy();
    logs?.destroy();
    cloudwatch?.destroy();
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  });

  test('invokeWithTail and invokeMany get parsed REPORTs: a cold start, then warm ones', async () => {
    const cold = await invokeWithTail(lambda, { functionName: 'pair', payload: { ms: 20 } });
    const warm = await invokeWithTail(lambda, { functionName: 'pair', payload: { ms: 20 } });
    for (const [result, coldStart] of [[cold, true], [warm, false]] as const) {
      const report = result.report;
      expect(result.warnings).toEqual([]);
      expect(result.functionError).toBeUndefined();
      expect(report?.requestId).toBe(result.requestId);
      expect(report?.coldStart).toBe(coldStart);
      expect(report?.initDurationMs !== undefined).toBe(coldStart);
      expect(report?.status).toBe('success');
      expect(report?.memorySizeMB).toBe(512);
      expect(report?.maxMemoryUsedMB).toBeGreaterThan(0);
      expect(report?.maxMemoryUsedMB).toBeLessThanOrEqual(512);
      expect(report?.durationMs).toBeGreaterThanOrEqual(19); // libuv may fire a 20 ms timer up to 1 ms early
      expect(report?.billedDurationMs).toBe(expectedBilledMs(report!));
      expect(result.clientLatencyMs).toBeGreaterThanOrEqual(report!.durationMs);
    }
    expect(cold.report!.billedDurationMs).toBeGreaterThan(cold.report!.initDurationMs!);

    const many = await invokeMany(lambda, { functionName: 'pair', payload: { ms: 1 }, count: 5 });
    expect(many.map((i) => i.index)).toEqual([0, 1, 2, 3, 4]);
    expect(many.every((i) => i.report?.coldStart === false && i.report.requestId === i.requestId)).toBe(true);
    expect(new Set(many.map((i) => i.requestId)).size).toBe(5);

    // A tenant id goes out as X-Amz-Tenant-Id through the real SDK; local accepts it (and does not isolate tenants).
    const tenant = await invokeWithTail(lambda, { functionName: 'pair', payload: { ms: 1 }, tenantId: 'acme' });
    expect(tenant.statusCode).toBe(200);
    expect(tenant.report?.status).toBe('success');
  });

  test(`${MANY} invocations at concurrency 10: every REPORT through Logs Insights, Invocations in metrics, exact cost`, async () => {
    const startTime = Date.now() - 1000;
    const many = await invokeMany(lambda, { functionName: 'trivial', count: MANY, concurrency: 10 });
    expect(many).toHaveLength(MANY);
    expect(many.filter((i) => i.report === undefined || i.functionError !== undefined)).toEqual([]);
    const cold = many.filter((i) => i.report?.coldStart);
    expect(cold.length).toBeGreaterThanOrEqual(1);
    expect(cold.length).toBeLessThanOrEqual(10); // one environment per concurrent invocation at most
    expect(new Set(local.environments().filter((e) => e.functionName === 'trivial').map((e) => e.logStreamName)).size).toBe(cold.length);

    const reports = await queryReports(logs, { functionName: 'trivial', startTime, endTime: Date.now() + 1000 }, { pollMinDelayMs: 20 });
    expect(reports).toHaveLength(MANY);
    const match = matchReports(many, reports);
    expect(match.completeness).toBe(1);
    expect(match.missing).toEqual([]);
    expect(match.extra).toEqual([]);
    for (const { invocation, report } of match.matched) {
      // The REPORT in the log group is the one the tail carried, field for field.
      const { requestId, durationMs, billedDurationMs, memorySizeMB, maxMemoryUsedMB, initDurationMs, coldStart } = invocation.report!;
      expect(report).toMatchObject({ requestId, durationMs, billedDurationMs, memorySizeMB, maxMemoryUsedMB, coldStart });
      expect(report.initDurationMs).toBe(initDurationMs);
      expect(report.logStream).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
      expect(report.billedDurationMs).toBe(expectedBilledMs(report));
    }
    expect(reports.filter((r) => r.coldStart)).toHaveLength(cold.length);

    const series = await fetchLambdaMetrics(cloudwatch, {
      functionName: 'trivial',
      metrics: ['Invocations', 'Errors', 'Throttles'],
      startTime: startTime - 60_000,
      endTime: Date.now() + 60_000,
      periodSeconds: 60,
    });
    const total = (name: 'Invocations' | 'Errors' | 'Throttles') => series[name].points.reduce((sum, p) => sum + p.value, 0);
    expect(total('Invocations')).toBe(MANY);
    expect(total('Errors')).toBe(0);
    expect(total('Throttles')).toBe(0);

    const priced = reports.map((r) => reportCost(r));
    const direct = reports.map((r) => invocationCost({ memorySizeMB: 1769, billedDurationMs: r.billedDurationMs }));
    expect(priced.map((c) => c.totalUSDExact)).toEqual(direct.map((c) => c.totalUSDExact));
    const sum = sumCosts(priced);
    expect(sum.count).toBe(MANY);
    expect(sum.requests).toBe(MANY);
    const billedMs = reports.reduce((s, r) => s + r.billedDurationMs, 0);
    // One request each, plus the GB-seconds of every billed millisecond at 1769 MB.
    expect(sum.totalUSDExact).toBe(sumCosts(direct).totalUSDExact);
    expect(sum.gbSecondsExact).toBe(invocationCost({ memorySizeMB: 1769, billedDurationMs: billedMs }).gbSecondsExact);
  }, 60_000);

  test('a handler wrapped with withMeasurement measures less time than the REPORT, and matchReports joins them', async () => {
    const startTime = Date.now() - 1000;
    const runs = await invokeMany(lambda, { functionName: 'measured', payload: { spinMs: 5 }, count: 6 });
    for (const run of runs) {
      const envelope = run.json<MeasurementEnvelope<{ spins: number }>>();
      expect(envelope.requestId).toBe(run.requestId);
      expect(envelope.coldStart).toBe(run.report?.coldStart);
      expect(envelope.result.spins).toBeGreaterThan(0);
      expect(envelope.durationMs).toBeGreaterThanOrEqual(5);
      expect(envelope.durationMs).toBeLessThan(run.report!.durationMs);
    }
    expect(runs.map((r) => r.report?.coldStart)).toEqual([true, false, false, false, false, false]);

    const reports = await queryReports(logs, { functionName: 'measured', startTime, endTime: Date.now() + 1000 }, { pollMinDelayMs: 20 });
    const match = matchReports(runs, reports);
    expect(match.completeness).toBe(1);
    expect(match.extra).toEqual([]);
  });
});
