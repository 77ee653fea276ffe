// Starts lambda-meter/local with one function, tail-invokes it twice (cold, then warm) through the real AWS SDK client,
// and prints each REPORT and what the invocation cost. Offline: nothing is deployed.
//
// Usage: npm run example -- local-invoke [cpu|io] [memory MB]      e.g. npm run example -- local-invoke io 512
import { LambdaClient } from '@aws-sdk/client-lambda';
import { reportCost } from 'lambda-meter/cost';
import { invokeWithTail } from 'lambda-meter/invoke';
import { startLocalLambda } from 'lambda-meter/local';

const [code = 'cpu', memoryText = '1769'] = process.argv.slice(2);
const memorySizeMB = Number(memoryText);
if ((code !== 'cpu' && code !== 'io') || !Number.isInteger(memorySizeMB) || memorySizeMB < 128 || memorySizeMB > 10_240) {
  console.error('usage: npm run example -- local-invoke [cpu|io] [memory MB, 128-10240]');
  process.exit(2);
}

const local = await startLocalLambda({
  // The handler path is relative to the current directory: npm runs examples from the package folder.
  functions: [{ name: code, handler: `examples/functions/${code}.mjs#handler`, memorySizeMB, timeoutSeconds: 10 }],
});
const lambda = new LambdaClient(local.clientConfig());
try {
  for (const attempt of ['first', 'second']) {
    const result = await invokeWithTail(lambda, { functionName: code, payload: { id: attempt } });
    const report = result.report;
    console.log(`${attempt} invocation  ${result.requestId}, client latency ${result.clientLatencyMs.toFixed(2)} ms`);
    if (report === undefined) {
      console.log(`  no REPORT in the log tail: ${result.warnings.join('; ')}`);
      continue;
    }
    console.log(`  ${result.log.split('\n').find((line) => line.startsWith('REPORT')) ?? ''}`.trimEnd());
    const init = report.initDurationMs === undefined ? 'warm start' : `cold start, init ${report.initDurationMs.toFixed(2)} ms`;
    console.log(
      `  duration ${report.durationMs.toFixed(2)} ms, billed ${report.billedDurationMs} ms (${init}), ` +
        `max memory used ${report.maxMemoryUsedMB} of ${report.memorySizeMB} MB`,
    );
    const cost = reportCost(report);
    console.log(`  cost $${cost.totalUSDExact} = $${cost.computeUSDExact} compute (${cost.gbSecondsExact} GB-s) + $${cost.requestUSDExact} request`);
  }
} finally {
  await local.stop();
  lambda.destroy();
}
