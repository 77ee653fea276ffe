// Wraps a Lambda handler with lambda-meter/handler in the three usual ways, then (when run as a script) calls each
// wrapper twice with a made-up context, to show a cold and a warm invocation and what each mode produces.
//
// Usage: npm run example -- wrap-handler
//
// To deploy one of them, bundle this file for Node.js 20+ (e.g. `npx esbuild examples/wrap-handler.ts --bundle
// --platform=node --format=esm --outfile=dist-lambda/index.mjs`) and set the function's handler to
// `index.handler`, `index.benchmarkHandler` or `index.asyncHandler`. The types below come from lambda-meter only:
// no @types/aws-lambda is needed, and the runtime's context satisfies them.
import { pathToFileURL } from 'node:url';
import { withMeasurement } from 'lambda-meter/handler';
import type { LambdaContextLike, Measurement } from 'lambda-meter/handler';

interface OrderEvent {
  readonly orderId: string;
  readonly quantity: number;
  readonly unitPriceCents: number;
}

interface PricedOrder {
  readonly orderId: string;
  readonly totalCents: number;
}

// The function's own work; it knows nothing about measuring.
async function priceOrder(event: OrderEvent, _context: LambdaContextLike): Promise<PricedOrder> {
  await new Promise((resolve) => setTimeout(resolve, 5)); // stands in for a database call
  return { orderId: event.orderId, totalCents: event.quantity * event.unitPriceCents };
}

// 1. Production: the response is unchanged; every invocation writes one CloudWatch Embedded Metric Format line to
//    stdout, so Shop/Orders gets Duration and ColdStart metrics by Service, with no CloudWatch API call.
export const handler = withMeasurement(priceOrder, {
  mode: 'log',
  emf: { namespace: 'Shop/Orders', dimensions: { Service: 'pricing' } },
});

// 2. Benchmarking with synchronous invokes: the invoker gets { requestId, coldStart, durationMs, result } back.
export const benchmarkHandler = withMeasurement(priceOrder);

// 3. Asynchronous invokes (S3 events, EventBridge, `InvocationType: Event`): the result goes nowhere, so keep each
//    measurement yourself. onMeasurement is awaited before the handler returns, so the write completes before Lambda
//    can freeze the environment; a failing write is reported through onMeasurementError and never fails the event.
//    A real function would PutObject to S3 under `measurements/${measurement.requestId}.json`; an array stands in.
const stored: Measurement[] = [];
export const asyncHandler = withMeasurement(priceOrder, {
  mode: 'log',
  onMeasurement: async (measurement) => {
    stored.push(measurement);
  },
  onMeasurementError: (error, measurement) => console.error(`could not store ${measurement.requestId}`, error),
});

// Run as a script: simulate two invocations of each wrapper. On Lambda this module is imported, not run, and does
// nothing at import time.
const isScript = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isScript) {
  const context = (requestId: string): LambdaContextLike => ({
    awsRequestId: requestId,
    functionName: 'price-order',
    functionVersion: '$LATEST',
    memoryLimitInMB: '512',
  });
  const event: OrderEvent = { orderId: 'o-1001', quantity: 3, unitPriceCents: 1299 };

  console.log('1. log mode with EMF: the EMF line goes to stdout, the handler returns the bare result');
  for (const id of ['req-1', 'req-2']) console.log(`   returned ${JSON.stringify(await handler(event, context(id)))}`);

  console.log('\n2. envelope mode: the measurement comes back with the result');
  for (const id of ['req-3', 'req-4']) console.log(`   ${JSON.stringify(await benchmarkHandler(event, context(id)))}`);

  console.log('\n3. log mode with onMeasurement: measurements kept elsewhere');
  for (const id of ['req-5', 'req-6']) await asyncHandler(event, context(id));
  for (const m of stored) console.log(`   ${m.requestId}: ${m.durationMs.toFixed(3)} ms, cold start: ${m.coldStart}`);
}
