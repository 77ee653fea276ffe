// Tail-invokes a Lambda function once, then prints its REPORT and what that invocation cost.
//
// Usage: npm run example -- tail-invoke-cost <function-name[:alias-or-version]> ['<JSON payload>'] [--arm64]
//
// The region comes from AWS_REGION (or AWS_DEFAULT_REGION, or your AWS profile); LAMBDA_ENDPOINT points the client at
// another endpoint, e.g. a local emulator: LAMBDA_ENDPOINT=http://localhost:9001.
import { LambdaClient } from '@aws-sdk/client-lambda';
import { reportCost } from 'lambda-meter/cost';
import { invokeWithTail } from 'lambda-meter/invoke';

const args = process.argv.slice(2);
const arm64 = args.includes('--arm64');
const [functionName, payloadText] = args.filter((a) => a !== '--arm64');
if (functionName === undefined) {
  console.error("usage: npm run example -- tail-invoke-cost <function-name[:alias]> ['<JSON payload>'] [--arm64]");
  process.exit(2);
}

let payload: unknown;
if (payloadText !== undefined) {
  try {
    payload = JSON.parse(payloadText);
  } catch {
    console.error(`The payload is not JSON: ${payloadText}`);
    process.exit(2);
  }
}

const endpoint = process.env.LAMBDA_ENDPOINT;
const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? (endpoint === undefined ? undefined : 'us-east-1');
const lambda = new LambdaClient({
  ...(region === undefined ? {} : { region }),
  ...(endpoint === undefined ? {} : { endpoint }),
  // lambda-meter retries throttling itself; one SDK attempt per send keeps clientLatencyMs to a single request.
  maxAttempts: 1,
});

const ms = (value: number): string => `${value.toFixed(2)} ms`;

try {
  const result = await invokeWithTail(lambda, { functionName, payload });
  console.log(`request id      ${result.requestId || '(unknown)'}`);
  console.log(`version         ${result.executedVersion ?? '?'}  (HTTP ${result.statusCode ?? '?'}, ${result.attempts} attempt(s))`);
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
      `cost            ${cost.totalUSDExact} USD = ${cost.computeUSDExact} compute (${cost.gbSecondsExact} GB-s, ` +
        `${cost.architecture}, ${cost.region}) + ${cost.requestUSDExact} request; prices as of ${cost.pricesAsOf}`,
    );
  }
  if (result.logTruncated) console.log('note            the 4 KB log tail was cut; its beginning is missing');
  for (const warning of result.warnings) console.log(`warning         ${warning}`);
  console.log(`payload         ${result.text()}`);
} catch (err) {
  console.error(`${(err as Error).name}: ${(err as Error).message}`);
  process.exitCode = 1;
}
