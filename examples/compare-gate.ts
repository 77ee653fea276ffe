// A CI regression gate in one script, offline: lambda-meter/local serves a function whose Duration follows from the
// work each event declares (the 'declared' duration model, the same on any machine). A first comparison is accepted
// and its side B saved as the baseline; then a "release" that does 20% more work is gated against that baseline and
// fails, while one that does 2% more passes with a 5% allowance.
//
// Usage: npm run example -- compare-gate [baseline file, default .tmp/examples/baseline.json]
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { compare, gate, loadBaseline, saveBaseline } from 'lambda-meter/compare';
import type { CompareTarget } from 'lambda-meter/compare';
import { startLocalLambda } from 'lambda-meter/local';
import { compareReportDocument, gateReportMarkdown, renderTextReport } from 'lambda-meter/reports';

const [file = '.tmp/examples/baseline.json'] = process.argv.slice(2);

// The handler declares `event.cpuMs` of CPU work through local's work API (the file is the repository's test fixture).
const local = await startLocalLambda({
  durationModel: 'declared',
  functions: [{ name: 'api', handler: 'test/fixtures/functions/work.mjs#handler', memorySizeMB: 1769 }],
});
const lambda = new LambdaClient(local.clientConfig());
// Work that varies ±4% with the invocation, so the samples have a spread as real ones do.
const release = (cpuMs: number, label: string): CompareTarget => ({
  functionName: 'api',
  label,
  payload: (i: number) => ({ cpuMs: cpuMs * (1 + 0.02 * ((i % 5) - 2)) }),
});
const options = { seed: 1, budget: { maxInvocations: 400 } };

try {
  // 1. The accepted change: v2 against v1, both doing the same work. Side B (v2) becomes the baseline.
  const accepted = await compare({ lambda }, { a: release(50, 'v1'), b: release(50, 'v2') }, options);
  console.log(renderTextReport({ ...compareReportDocument(accepted), sections: compareReportDocument(accepted).sections.slice(0, 1) }));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(saveBaseline(accepted), null, 2)}\n`);
  console.log(`baseline saved to ${file} (side B: ${accepted.b.label})\n`);

  // 2. Later, in CI: each new release against the saved baseline, allowing a 5% slowdown.
  const baseline = loadBaseline(readFileSync(file, 'utf8'));
  for (const [label, cpuMs] of [['v3 (+2% work)', 51], ['v4 (+20% work)', 60]] as const) {
    const run = await compare({ lambda }, { a: release(50, 'baseline'), b: release(cpuMs, label) }, options);
    const result = gate(run, baseline, { maxRegression: 0.05, metrics: ['durationMs', 'costUSD'] });
    console.log(`${label}: ${result.pass ? 'PASS' : 'FAIL'}`);
    for (const m of result.metrics) console.log(`  ${m.metric}: ${m.reason}`);
  }
  // What `lambda-meter gate` appends to GITHUB_STEP_SUMMARY:
  const last = gate(await compare({ lambda }, { a: release(50, 'baseline'), b: release(60, 'v4') }, options), baseline, { maxRegression: 0.05 });
  console.log(`\n${gateReportMarkdown(last)}`);
} finally {
  lambda.destroy();
  await local.stop();
}
