// How close local's "memory buys CPU" comes to Lambda's rule (one vCPU at 1,769 MB): runs the CPU-bound fixture warm at
// several memory sizes under each CPU mechanism available here, and prints, side by side, the measured slowdown
// against 1,769 MB beside the expected 1769 / memory, and the share of one CPU the process actually got
// (CPU time from /proc/<pid>/stat over the REPORT Durations).
// `local` is not in the build yet, so this bundles the TypeScript sources with esbuild into .tmp/bench/ first.
// Usage: node bench/local-cpu.mjs [--runs 5] [--memory 128,256,512,1024,1769] [--mechanisms cgroup1,duty-cycle]
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    memory: { type: 'string', default: '128,256,512,1024,1769' },
    mechanisms: { type: 'string' },
  },
});
const runs = Number(values.runs);
const memorySizes = values.memory.split(',').map(Number);

const outdir = join(root, '.tmp', 'bench');
mkdirSync(outdir, { recursive: true });
const outfile = join(outdir, 'local-cpu.mjs');
await build({
  stdin: {
    contents: [
      "export { startLocalLambdaCore } from './src/local/lambda/index.ts';",
      "export { availableCpuMechanisms, cpuShare, readProcCpuTimeMs } from './src/local/lambda/cpu.ts';",
      "export { invokeWithTail } from './src/invoke/index.ts';",
    ].join('\n'),
    resolveDir: root,
    loader: 'ts',
  },
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
const { startLocalLambdaCore, availableCpuMechanisms, cpuShare, readProcCpuTimeMs, invokeWithTail } = await import(pathToFileURL(outfile).href);
const { LambdaClient } = await import('@aws-sdk/client-lambda');

const mechanisms = values.mechanisms?.split(',') ?? availableCpuMechanisms();
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** A service with one function per memory size, under one CPU mode and mechanism. */
async function startColumn(name, cpu, mechanism) {
  const core = await startLocalLambdaCore({
    functions: [
      ...memorySizes.map((memorySizeMB) => ({
        name: `cpu-${memorySizeMB}`,
        handler: join(root, 'test/fixtures/functions/cpu-bound.mjs#handler'),
        memorySizeMB,
        timeoutSeconds: 120,
      })),
      // An I/O-bound handler at the smallest size: a 100 ms wait, which no CPU share may stretch.
      { name: 'io-128', handler: join(root, 'test/fixtures/functions/sleep.mjs#handler'), memorySizeMB: 128, timeoutSeconds: 30 },
    ],
    bootstrapPath: join(root, 'src/local/runtime/bootstrap.mjs'),
    cpu,
    ...(mechanism === undefined ? {} : { cpuMechanism: mechanism }),
  });
  const lambda = new LambdaClient(core.clientConfig());
  return { name, core, lambda, samples: new Map(memorySizes.map((m) => [m, { pid: 0, durations: [], cpuMs: 0 }])), io: [] };
}

console.log(`local CPU shares — ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} CPUs, node ${process.version}, ${runs} warm runs each (median)`);
const columns = [await startColumn('unlimited', 'unlimited')];
for (const mechanism of mechanisms) columns.push(await startColumn(mechanism, 'proportional', mechanism));
try {
  // Cold starts first, then the warm runs interleaved across columns and sizes, so the machine's load spreads evenly.
  for (const column of columns) {
    for (const memorySizeMB of memorySizes) {
      const cold = await invokeWithTail(column.lambda, { functionName: `cpu-${memorySizeMB}`, payload: {} });
      column.samples.get(memorySizeMB).pid = cold.json().pid;
    }
  }
  for (const column of columns) await invokeWithTail(column.lambda, { functionName: 'io-128', payload: { ms: 100 } });
  for (let run = 0; run < runs; run++) {
    for (const column of columns) {
      const io = await invokeWithTail(column.lambda, { functionName: 'io-128', payload: { ms: 100 } });
      column.io.push(io.report.durationMs);
    }
    for (const memorySizeMB of memorySizes) {
      for (const column of columns) {
        const sample = column.samples.get(memorySizeMB);
        const before = readProcCpuTimeMs(sample.pid) ?? NaN;
        const warm = await invokeWithTail(column.lambda, { functionName: `cpu-${memorySizeMB}`, payload: {} });
        sample.cpuMs += (readProcCpuTimeMs(sample.pid) ?? NaN) - before;
        sample.durations.push(warm.report.durationMs);
      }
    }
  }
} finally {
  for (const column of columns) {
    column.lambda.destroy();
    await column.core.stop();
  }
}

const pad = (text, width) => String(text).padStart(width);
const header = [pad('memory MB', 9), pad('expected', 8)];
for (const { name } of columns) header.push(pad(`${name}: ms`, 18), pad('slowdown', 8), pad('CPU got', 8), pad('target', 7));
console.log(header.join('  '));
const reference = Math.max(...memorySizes);
for (const memorySizeMB of memorySizes) {
  const expected = cpuShare(reference) / cpuShare(memorySizeMB);
  const row = [pad(memorySizeMB, 9), pad(`${expected.toFixed(2)}×`, 8)];
  for (const { name, samples } of columns) {
    const sample = samples.get(memorySizeMB);
    const durationMs = median(sample.durations);
    const slowdown = durationMs / median(samples.get(reference).durations);
    const got = sample.cpuMs / sample.durations.reduce((a, b) => a + b, 0);
    const target = name === 'unlimited' ? 1 : Math.min(1, cpuShare(memorySizeMB));
    row.push(pad(durationMs.toFixed(0), 18), pad(`${slowdown.toFixed(2)}×`, 8), pad(Number.isNaN(got) ? '-' : got.toFixed(3), 8), pad(target.toFixed(3), 7));
  }
  console.log(row.join('  '));
}
console.log(`slowdown: median Duration / that of ${reference} MB under the same mechanism; expected: ${reference} / memory (capped shares).`);
console.log('CPU got: CPU time of the environment process (threads included) over the summed Durations; target: its share of one CPU.');
console.log(
  `I/O-bound at 128 MB (a 100 ms wait; median Duration, then × the wait): ${columns
    .map(({ name, io }) => `${name} ${median(io).toFixed(1)} ms (${(median(io) / 100).toFixed(2)}×)`)
    .join(', ')}; charged as CPU, the wait would take ${(100 / cpuShare(128)).toFixed(0)} ms.`,
);
