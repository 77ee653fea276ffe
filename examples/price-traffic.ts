// Prices a month of traffic on x86_64 and on arm64, then one real REPORT line, with lambda-meter's exact cost model.
//
// Usage: npm run example -- price-traffic [invocations-per-month] [average-billed-ms] [memory-MB]
//        (defaults: 50,000,000 invocations, 120 ms, 1024 MB; US East prices of the built-in table, free tier applied)
import { CostAccumulator, PRICES_AS_OF, monthlyCost, reportCost } from 'lambda-meter/cost';
import type { MonthlyCost } from 'lambda-meter/cost';
import { parseReportLine } from 'lambda-meter/report';

const [invocationsArg, averageArg, memoryArg] = process.argv.slice(2);
const invocations = Number(invocationsArg ?? 50_000_000);
const averageBilledDurationMs = Number(averageArg ?? 120);
const memorySizeMB = Number(memoryArg ?? 1024);

const usd = (value: number): string => `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

function printMonth(label: string, m: MonthlyCost): void {
  console.log(`${label}`);
  console.log(`  GB-seconds      ${m.gbSeconds.toLocaleString('en-US')} (billable after free tier: ${m.billableGBSeconds.toLocaleString('en-US')})`);
  for (const tier of m.tiers.filter((t) => t.gbSeconds > 0)) {
    const to = tier.toGBSeconds === undefined ? '∞' : tier.toGBSeconds.toLocaleString('en-US');
    console.log(`    tier ${tier.fromGBSeconds.toLocaleString('en-US')}–${to} GB-s at $${tier.pricePerGBSecond}: ${usd(tier.computeUSD)}`);
  }
  console.log(`  compute         ${usd(m.computeUSD)}`);
  console.log(`  requests        ${usd(m.requestUSD)} (${m.billableRequests.toLocaleString('en-US')} billable)`);
  console.log(`  total           ${usd(m.totalUSD)}   exact: ${m.totalUSDExact}`);
}

try {
  console.log(`Prices as of ${PRICES_AS_OF}; ${invocations.toLocaleString('en-US')} invocations/month, ${averageBilledDurationMs} ms billed on average, ${memorySizeMB} MB\n`);
  const x86 = monthlyCost({ invocations, averageBilledDurationMs, memorySizeMB, architecture: 'x86_64', freeTier: true });
  const arm = monthlyCost({ invocations, averageBilledDurationMs, memorySizeMB, architecture: 'arm64', freeTier: true });
  printMonth('x86_64', x86);
  printMonth('arm64', arm);
  const saving = x86.totalUSD - arm.totalUSD;
  console.log(`\narm64 saves ${usd(saving)} a month (${((saving / x86.totalUSD) * 100).toFixed(1)}%) at the same billed duration.\n`);

  // A real REPORT line from 2026: with INIT billing (since 2025-08-01) Billed Duration already holds the init time.
  const line = 'REPORT RequestId: 5009fcc8-5032-41fd-9a62-fc133fe04d67\tDuration: 2.37 ms\tBilled Duration: 427 ms\t'
    + 'Memory Size: 1024 MB\tMax Memory Used: 95 MB\tInit Duration: 423.98 ms\t';
  const report = parseReportLine(line);
  if (report === undefined) throw new Error('the sample REPORT line did not parse');
  console.log(`REPORT ${report.requestId}: duration ${report.durationMs} ms, billed ${report.billedDurationMs} ms, init ${report.initDurationMs} ms`);
  for (const architecture of ['x86_64', 'arm64'] as const) {
    const c = reportCost(report, { architecture });
    console.log(`  ${architecture.padEnd(7)} ${c.gbSecondsExact} GB-s → compute $${c.computeUSDExact} + request $${c.requestUSDExact} = $${c.totalUSDExact}`);
  }

  // A million such invocations, summed exactly.
  const acc = new CostAccumulator();
  for (let i = 0; i < 1_000_000; i++) acc.addReport(report);
  console.log(`  × 1,000,000 (x86_64, no free tier): $${acc.total().totalUSDExact}`);
} catch (err) {
  console.error(err instanceof Error ? `${err.name}: ${err.message}` : err);
  process.exit(1);
}
