// Import time of the built root (`lambda-meter`) beside `lambda-meter/report`, each in a fresh Node.js process.
//
// Issue 9 §3: the root re-exported all 13 modules and loaded child_process, http and tls at import; it now holds the
// core modules only. Each round starts one process per target, in alternating order, so that the figures share the
// machine's state; each child times its own `await import()` (wall clock) and counts the built-ins it loaded
// (process.moduleLoadList); the parent times the whole process (spawn to exit). An empty module is the baseline any
// first import() pays for Node's ESM loader. Prints the medians and the ratios root / report.
//
//   node bench/import.mjs [--runs 31]
//   LM_DIST=/path/to/other/dist node bench/import.mjs   # another build (e.g. the previous commit's)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { builtModuleFile } from './built-module.mjs';

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg >= 0 ? Number(process.argv[runsArg + 1]) : 31;
if (!Number.isInteger(runs) || runs < 1) {
  console.error('--runs must be a positive integer');
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'lm-import-bench-'));
const empty = join(work, 'empty.mjs');
writeFileSync(empty, 'export const empty = true;\n');
const targets = [
  { name: 'empty module', file: empty },
  { name: 'lambda-meter/report', file: builtModuleFile('report', 'LM_REPORT_MODULE') },
  { name: 'lambda-meter (root)', file: builtModuleFile('.', 'LM_ROOT_MODULE') },
];

/** One fresh process importing `file`: its import() time in ms and the built-ins it loaded. */
function measure(file) {
  const script =
    `const t0 = process.hrtime.bigint(); await import(${JSON.stringify(pathToFileURL(file).href)}); ` +
    'const ms = Number(process.hrtime.bigint() - t0) / 1e6; ' +
    "const builtins = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)); " +
    "process.stdout.write(JSON.stringify({ ms, builtins }));";
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  const processMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) throw new Error(`importing ${file} failed: ${run.stderr}`);
  return { ...JSON.parse(run.stdout), processMs };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

try {
  const samples = targets.map(() => []);
  const processSamples = targets.map(() => []);
  const builtins = targets.map(() => []);
  for (let round = 0; round < runs; round++) {
    // Alternate the order every round so that neither target always runs right after the other.
    const order = round % 2 === 0 ? targets.map((_, i) => i) : targets.map((_, i) => targets.length - 1 - i);
    for (const i of order) {
      const { ms, processMs, builtins: loaded } = measure(targets[i].file);
      samples[i].push(ms);
      processSamples[i].push(processMs);
      builtins[i] = loaded;
    }
  }
  const medians = samples.map(median);
  const processMedians = processSamples.map(median);
  const baseline = builtins[0];
  console.log(`import time, ${runs} fresh processes each (Node ${process.version}), median of each child's await import():`);
  console.log(`${'target'.padEnd(24)}${'import ms'.padStart(10)}${'process ms'.padStart(12)}${'built-ins'.padStart(11)}  forbidden built-ins loaded`);
  targets.forEach((target, i) => {
    const extra = builtins[i].filter((m) => !baseline.includes(m));
    const forbidden = builtins[i].filter((m) => ['child_process', 'http', 'https', 'tls', 'net'].includes(m));
    console.log(
      `${target.name.padEnd(24)}${medians[i].toFixed(1).padStart(10)}${processMedians[i].toFixed(1).padStart(12)}` +
        `${`${builtins[i].length} (+${extra.length})`.padStart(11)}  ${forbidden.length === 0 ? 'none' : forbidden.join(', ')}`,
    );
  });
  console.log(`ratio root / report: import() ${(medians[2] / medians[1]).toFixed(2)}×, whole process ${(processMedians[2] / processMedians[1]).toFixed(2)}×`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
