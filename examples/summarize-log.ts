// Summarise a Lambda log: one row per REPORT (request id, duration, billed duration, memory, cold start, status, cost).
// Costs use the package's dated price table (us-east-1, x86_64, no free tier; set ARCH=arm64 or AWS_REGION to change).
// Reads a file given as the first argument, or stdin. Text, JSON and mixed logs all work, e.g. a decoded LogResult,
// `aws logs tail` / `sam logs` output, or a CloudWatch export.
//
//   npm run example -- summarize-log examples/logs/mixed.log
//   aws logs tail /aws/lambda/my-function --since 1h | npm run example -- summarize-log
import { readFile } from 'node:fs/promises';
import { parseLog, type ReportRecord } from 'lambda-meter/report';
import { CostAccumulator, PRICES_AS_OF, reportCost, type ReportCostOptions } from 'lambda-meter/cost';

async function readInput(path: string | undefined): Promise<string> {
  if (path !== undefined && path !== '-') return readFile(path, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const costOptions: ReportCostOptions = {
  architecture: process.env.ARCH === 'arm64' ? 'arm64' : 'x86_64',
  region: process.env.AWS_REGION ?? 'us-east-1',
};

function row(r: ReportRecord): string[] {
  const cold = r.initDurationMs !== undefined ? `init ${r.initDurationMs.toFixed(2)} ms` : r.restoreDurationMs !== undefined ? `restore ${r.restoreDurationMs.toFixed(2)} ms` : '';
  const status = r.status === 'success' ? 'ok' : `${r.status}${r.errorType ? ` (${r.errorType})` : ''}`;
  return [r.requestId, `${r.durationMs.toFixed(2)} ms`, `${r.billedDurationMs} ms`, `${r.maxMemoryUsedMB}/${r.memorySizeMB} MB`, cold, status, `$${reportCost(r, costOptions).totalUSDExact}`];
}

const log = parseLog(await readInput(process.argv[2]));

const header = ['request id', 'duration', 'billed', 'memory used', 'cold start', 'status', 'cost (USD)'];
const rows = log.reports.map(row);
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
const print = (cells: string[]) => console.log(cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd());
print(header);
print(widths.map((w) => '-'.repeat(w)));
rows.forEach(print);

const cold = log.reports.filter((r) => r.coldStart).length;
const failed = log.reports.filter((r) => r.status !== 'success').length;
const billed = log.reports.reduce((sum, r) => sum + r.billedDurationMs, 0);
const count = log.reports.length;
const total = new CostAccumulator();
for (const r of log.reports) total.addReport(r, costOptions);
console.log(`\n${count} invocation${count === 1 ? '' : 's'}, ${cold} cold, ${failed} failed, ${billed} ms billed in total`);
console.log(`cost: $${total.total().totalUSDExact} (${costOptions.region}, ${costOptions.architecture}, prices as of ${PRICES_AS_OF})`);
if (log.truncated) console.log('note: the log starts part-way through (its first invocation may be missing)');
for (const w of log.warnings) console.log(`warning: line ${w.lineNumber}: ${w.reason}`);
