// Cost bench: a million varied REPORTs priced and summed exactly (CostAccumulator.addReport), against the built
// package, with the exact total checked against its closed form and set beside a float running sum of the same
// costs, which drifts. test/cost.test.ts proves the same exactness on 3,000 records; this prints the rate at scale.
//
// Usage: node bench/cost.mjs [--json] [--rounds N]   (N × 1,000 REPORTs; default 1,000 rounds, a million REPORTs)
// Module: the built package's dist/cost/index.js by default; LM_COST_MODULE=<file> or LM_DIST=<dir> point it elsewhere.
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { builtModuleFile } from './built-module.mjs';

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const at = args.indexOf('--rounds');
const ROUNDS = at >= 0 ? Number(args[at + 1]) : 1000;
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) {
  console.error('--rounds needs a positive whole number');
  process.exit(2);
}

const file = builtModuleFile('cost', 'LM_COST_MODULE');
const { CostAccumulator, reportCost } = await import(pathToFileURL(file).href);

// Billed durations 1..1000 ms, ROUNDS times each, at 1769 MB on Arm with 1024 MB of ephemeral storage.
const OPTIONS = { architecture: 'arm64', ephemeralStorageMB: 1024 };
const reports = [];
for (let ms = 1; ms <= 1000; ms++) {
  reports.push({ requestId: 'r', durationMs: ms - 0.5, billedDurationMs: ms, memorySizeMB: 1769, maxMemoryUsedMB: 64, status: 'success', coldStart: false, format: 'text' });
}

/** The exact decimal string of num/den (den of the form 2^a·5^b), with BigInt only. */
function ratioToDecimal(num, den) {
  let scale = 0;
  while (num % den !== 0n) {
    num *= 10n;
    scale++;
  }
  const digits = (num / den).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}
// Closed form: Σ billed ms × (1769/1024 GB × $0.0000133334 + 512/1024 GB of extra storage × $0.0000000309) + $0.20 per
// million requests, over ROUNDS × 1,000 records; as one fraction over 1,024,000 × 10^10 (ms → s, MB → GB, price digits).
const totalMs = BigInt(ROUNDS) * 500_500n;
const requests = BigInt(ROUNDS) * 1000n;
const expected = ratioToDecimal(totalMs * (1769n * 133_334n + 512n * 309n) + requests * 2n * 1_024_000n * 10n ** 3n, 1_024_000n * 10n ** 10n);

const exactStart = process.hrtime.bigint();
const acc = new CostAccumulator();
for (let round = 0; round < ROUNDS; round++) for (const r of reports) acc.addReport(r, OPTIONS);
const total = acc.total();
const exactMs = Number(process.hrtime.bigint() - exactStart) / 1e6;

const floatStart = process.hrtime.bigint();
let naive = 0;
for (let round = 0; round < ROUNDS; round++) for (const r of reports) naive += reportCost(r, OPTIONS).totalUSD;
const floatMs = Number(process.hrtime.bigint() - floatStart) / 1e6;

const records = ROUNDS * 1000;
const result = {
  records,
  exactTotalUSD: total.totalUSDExact,
  expectedTotalUSD: expected,
  exactMatchesClosedForm: total.totalUSDExact === expected,
  floatRunningSumUSD: naive,
  floatDriftUSD: naive - Number(total.totalUSDExact),
  accumulatorMs: Math.round(exactMs),
  accumulatorRecordsPerSecond: Math.round(records / (exactMs / 1000)),
  reportCostFloatSumMs: Math.round(floatMs),
  node: process.version,
  cpu: os.cpus()[0]?.model ?? 'unknown',
};
if (asJson) {
  console.log(JSON.stringify(result, null, 2));
} else {
  console.log(`cost bench: ${records.toLocaleString('en-US')} REPORTs (1769 MB, arm64, 1024 MB ephemeral storage), node ${process.version}`);
  console.log(`  CostAccumulator.addReport  ${result.accumulatorMs} ms, ${result.accumulatorRecordsPerSecond.toLocaleString('en-US')} REPORTs/s`);
  console.log(`  exact total                $${total.totalUSDExact} (closed form: ${result.exactMatchesClosedForm ? 'equal' : `DIFFERS, expected ${expected}`})`);
  console.log(`  float running sum          $${naive} (drift ${result.floatDriftUSD.toExponential(3)}; ${result.reportCostFloatSumMs} ms)`);
}
process.exit(result.exactMatchesClosedForm ? 0 : 1);
