/**
 * Type tests: the core functions and the pipelines reject another service's SDK client at compile time and accept the right client and
 * a loosely typed mock. Checked by `npm run typecheck` (tsconfig includes `test/`): an `@ts-expect-error` line that no
 * longer errors fails the type check. Vitest does not run this file (it is not `*.test.ts`); nothing here is called.
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { expectTypeOf } from 'vitest';
import { iterateReports, queryReports, runInsightsQuery } from '../src/insights/index.js';
import type { Progress } from '../src/internal/options.js';
import { invokeMany, invokeWithTail, iterateInvocations } from '../src/invoke/index.js';
import type { TailInvocation } from '../src/invoke/index.js';
import { fetchLambdaMetrics, fetchMetricData } from '../src/metrics/index.js';
import { measureColdStarts } from '../src/coldstarts/index.js';
import { diagnoseAsync } from '../src/diagnose/index.js';
import { powerTune } from '../src/tune/index.js';

declare const lambda: LambdaClient;
declare const logs: CloudWatchLogsClient;
declare const cloudWatch: CloudWatchClient;
/** A mock typed loosely, as tests and users write them. */
declare const mock: { send(command: unknown, options?: unknown): Promise<unknown> };

const range = { startTime: 0, endTime: 60_000 };
const query = { logGroupNames: ['/aws/lambda/f'], queryString: 'fields @message', ...range };
const metricQueries = [{ Id: 'a', MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Errors' }, Period: 60, Stat: 'Sum' } }];

export function wrongClients(): void {
  // @ts-expect-error a CloudWatch Logs client is not a Lambda client
  void invokeWithTail(logs, { functionName: 'f' });
  // @ts-expect-error a CloudWatch client is not a Lambda client
  void invokeMany(cloudWatch, { functionName: 'f', count: 1 });
  // @ts-expect-error a CloudWatch Logs client is not a Lambda client
  void iterateInvocations(logs, { functionName: 'f', count: 1 });
  // @ts-expect-error a Lambda client is not a CloudWatch Logs client
  void runInsightsQuery(lambda, query);
  // @ts-expect-error a CloudWatch client is not a CloudWatch Logs client
  void queryReports(cloudWatch, { functionName: 'f', ...range });
  // @ts-expect-error a Lambda client is not a CloudWatch Logs client
  void iterateReports(lambda, { functionName: 'f', ...range });
  // @ts-expect-error a Lambda client is not a CloudWatch client
  void fetchMetricData(lambda, { queries: metricQueries, ...range });
  // @ts-expect-error a CloudWatch Logs client is not a CloudWatch client
  void fetchLambdaMetrics(logs, { functionName: 'f', ...range });
}

export function rightClientsAndMocks(): void {
  expectTypeOf(invokeWithTail(lambda, { functionName: 'f' })).resolves.toEqualTypeOf<TailInvocation>();
  void invokeWithTail(mock, { functionName: 'f' }, { onProgress: (p) => expectTypeOf(p).toEqualTypeOf<Progress>() });
  void invokeMany(lambda, { functionName: 'f', count: 2, concurrency: 2 });
  void invokeMany(mock, { functionName: 'f', count: 2 });
  void iterateInvocations(lambda, { functionName: 'f', count: 2 });
  void runInsightsQuery(logs, query);
  void runInsightsQuery(mock, query);
  void queryReports(logs, { functionName: 'f', ...range });
  void iterateReports(mock, { functionName: 'f', ...range });
  void fetchMetricData(cloudWatch, { queries: metricQueries, ...range });
  void fetchMetricData(mock, { queries: metricQueries, ...range });
  void fetchLambdaMetrics(cloudWatch, { functionName: 'f', ...range });
  void fetchLambdaMetrics(mock, { functionName: 'f', ...range });
  expectTypeOf<TailInvocation['startedAt']>().toEqualTypeOf<number>();
}

export function oneShape(): void {
  // @ts-expect-error count is input (what to measure), not an option
  void invokeMany(lambda, { functionName: 'f' }, { count: 1 });
  // @ts-expect-error onRetry is gone: retries are progress events (phase 'retrying')
  void invokeWithTail(lambda, { functionName: 'f' }, { onRetry: () => undefined });
  // @ts-expect-error onPoll is gone: polls are progress events (phase 'querying')
  void runInsightsQuery(logs, query, { onPoll: () => undefined });
}

export function pipelineClients(): void {
  const input = { functionName: 'f', memorySizes: [128, 256] };
  // @ts-expect-error a CloudWatch Logs client is not a Lambda client
  void powerTune({ lambda: logs }, input);
  // @ts-expect-error a CloudWatch client is not a Lambda client
  void measureColdStarts({ lambda: cloudWatch }, { functionName: 'f', count: 1 });
  // @ts-expect-error the CloudWatch client and the Logs client are swapped
  void diagnoseAsync({ lambda, cloudWatch: logs, logs: cloudWatch }, { functionName: 'f', ...range });
  // @ts-expect-error the key is cloudWatch, camel case, as everywhere
  void diagnoseAsync({ lambda, cloudwatch: cloudWatch }, { functionName: 'f', ...range });
  // @ts-expect-error signal, retry and onProgress are options, not input
  void powerTune({ lambda }, { ...input, signal: AbortSignal.timeout(1000) });
  void powerTune({ lambda }, input, { signal: AbortSignal.timeout(1000), onProgress: (p) => expectTypeOf(p).toEqualTypeOf<Progress>() });
  void powerTune({ lambda: mock }, { ...input, count: 'adaptive' });
  void measureColdStarts({ lambda }, { functionName: 'f', count: 5, warm: { count: 5 } });
  void diagnoseAsync({ lambda, cloudWatch, logs }, { functionName: 'f', ...range });
  void diagnoseAsync({ lambda: mock, cloudWatch: mock }, { functionName: 'f', ...range });
}
