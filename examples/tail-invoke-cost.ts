// Tail-invokes a Lambda function once, then prints its REPORT and what that invocation cost.
//
// Usage: npm run example -- tail-invoke-cost [function-name[:alias-or-version]] ['<JSON payload>'] [--arm64] [--aws]
//
// By default it runs offline against lambda-meter/local, which serves the example functions `cpu` and `io`
// (examples/functions/); the function defaults to `cpu`. With --aws it invokes the function in your AWS account (region
// from AWS_REGION, AWS_DEFAULT_REGION or your profile); LAMBDA_ENDPOINT=http://host:port points it at another endpoint.
import { LambdaClient } from '@aws-sdk/client-lambda';
import { reportCost } from 'lambda-meter/cost';
import { invokeWithTail } from 'lambda-meter/invoke';
import { exampleTarget } from './lib/target.js';

const args = process.argv.slice(2);
const target = await exampleTarget(args, 'LAMBDA_ENDPOINT');
const arm64 = args.includes('--arm64');
const [named, payloadText] = args.filter((a) => a !== '--arm64');
const functionName = named ?? (target.where === 'local' ? 'cpu' : undefined);
if (functionName === undefined) {
  console.error("usage: npm run example -- tail-invoke-cost [function-name[:alias]] ['<JSON payload>'] [--arm64] [--aws]");
  await target.close();
  process.exit(2);
}

let payload: unknown;
if (payloadText !== undefined) {
  try {
    payload = JSON.parse(payloadText);
  } catch {
    console.error(`The payload is not JSON: ${payloadText}`);
    await target.close();
    process.exit(2);
  }
}

const region = target.clientConfig.region;
// A default client: lambda-meter counts its retries, so one call makes at most 8 HTTP requests (retry.maxAttempts).
const lambda = new LambdaClient(target.clientConfig);
console.log(`target          ${target.description}`);

const ms = (value: number): string => `${value.toFixed(2)} ms`;

try {
  const result = await invokeWithTail(lambda, { functionName, payload });
  console.log(`request id      ${result.requestId || '(unknown)'}`);
  console.log(`version         ${result.executedVersion ?? '?'}  (HTTP ${result.statusCode ?? '?'}, ${result.attempts} send(s))`);
  console.log(`client latency  ${ms(result.clientLatencyMs)}`);
  if (result.functionError !== undefined) {
    console.log(`function error  ${result.functionError}: ${result.errorType ?? '?'}: ${result.errorMessage ?? ''}`);
  }

  const report = result.report;
  if (report === undefined) {
    console.log('REPORT          none in the log tail, so no cost can be computed');
  } else {
    const init = report.initDurationMs === undefined ? '' : `, init ${ms(report.initDurationMs)}`;
    console.log(
      `REPORT          duration ${ms(report.durationMs)}, billed ${report.billedDurationMs} ms${init}, ` +
        `memory ${report.memorySizeMB} MB (max used ${report.maxMemoryUsedMB} MB), ` +
        `${report.coldStart ? 'cold' : 'warm'} start, ${report.status}`,
    );
    const cost = reportCost(report, { architecture: arm64 ? 'arm64' : 'x86_64', ...(region === undefined ? {} : { region }) });
    console.log(
      `cost            $${cost.totalUSDExact} = $${cost.computeUSDExact} compute (${cost.gbSecondsExact} GB-s, ` +
        `${cost.architecture}, ${cost.region}) + $${cost.requestUSDExact} request; prices as of ${cost.pricesAsOf}`,
    );
  }
  if (result.logTruncated) console.log('note            the 4 KB log tail was cut; its beginning is missing');
  for (const warning of result.warnings) console.log(`warning         ${warning}`);
  console.log(`payload         ${result.text()}`);
} catch (err) {
  console.error(`${(err as Error).name}: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  lambda.destroy();
  await target.close();
}
