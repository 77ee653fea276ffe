// Sequential comparison bench: the anytime-valid interval of lambda-meter/compare (src/compare/sequential.ts) on
// simulated warm durations with a known truth, seeded, peeking after every block as compare() does.
//  1. A = B (no difference): share of runs that ever declare `faster` or `slower` (goal <= 5% at 95% confidence),
//     for CV 0.1/0.2/0.3 with 1% and 3% outliers x5-10.
//  2. B 10% faster at CV 0.2: share of right verdicts (goal >= 95%) and the invocations used, beside the fixed
//     sample size a two-sample t-test on logs of the same power needs.
// The module is bundled from the TypeScript sources with esbuild into .tmp/bench/ first (no build needed).
//
// Usage: node bench/compare.mjs [--runs 1000] [--json] [--strict-runs 200]
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { mulberry32, normal, seedHasher } from './random.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '1000' },
    'strict-runs': { type: 'string', default: '200' },
    json: { type: 'boolean', default: false },
  },
});
const RUNS = Number(args.runs);
const STRICT_RUNS = Number(args['strict-runs']);
if (!Number.isInteger(RUNS) || RUNS < 1 || !Number.isInteger(STRICT_RUNS) || STRICT_RUNS < 0) {
  console.error('--runs needs a positive whole number, --strict-runs a whole number');
  process.exit(2);
}

const outdir = join(root, '.tmp', 'bench');
mkdirSync(outdir, { recursive: true });
const outfile = join(outdir, 'compare.mjs');
await build({
  stdin: { contents: "export * from './src/compare/sequential.ts';", resolveDir: root, loader: 'ts' },
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
const { ratioInterval, verdictOf } = await import(pathToFileURL(outfile).href);

// ---- seeded randomness
const hashSeed = seedHasher(0x2545f491);
/** Standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
function normalQuantile(p) {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628274631];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const q = Math.min(p, 1 - p);
  let x;
  if (q < 0.02425) {
    const r = Math.sqrt(-2 * Math.log(q));
    x = (((((c[0] * r + c[1]) * r + c[2]) * r + c[3]) * r + c[4]) * r + c[5]) / ((((d[0] * r + d[1]) * r + d[2]) * r + d[3]) * r + 1);
  } else {
    const r = q - 0.5;
    const s = r * r;
    x = ((((((a[0] * s + a[1]) * s + a[2]) * s + a[3]) * s + a[4]) * s + a[5]) * r) / (((((b[0] * s + b[1]) * s + b[2]) * s + b[3]) * s + b[4]) * s + 1);
    return p < 0.5 ? x : -x;
  }
  return p < 0.5 ? x : -x;
}

// ---- the simulated function: 100 ms x lognormal with the given CV (mean 1), and with probability p an outlier x U(5, 10)
const CONFIDENCE = 0.95;
const MARGIN = 0.05;
const BLOCK = 5; // per side, compare()'s default blockSize
const MIN_SAMPLES = 10; // per side before the first look, compare()'s default minSamples
const MAX_INVOCATIONS = 2000; // both sides, compare()'s default budget
const sigmaOf = (cv) => Math.sqrt(Math.log(1 + cv * cv));
function draw(random, base, cv, outlierP) {
  const s = sigmaOf(cv);
  let d = base * Math.exp(s * normal(random) - (s * s) / 2);
  if (random() < outlierP) d *= 5 + 5 * random();
  return d;
}

/**
 * One sequential run: blocks of BLOCK per side, a look after each once both sides have MIN_SAMPLES; stops at the
 * first decided verdict (as compare() does) unless `untilBudget`, which looks to the end and records whether any
 * look excluded the truth (the strict test of the confidence sequence).
 */
function sequentialRun(seed, truthRatio, cv, outlierP, untilBudget) {
  const random = mulberry32(seed);
  const a = [];
  const b = [];
  let firstVerdict;
  let everExcluded = false;
  while (a.length + b.length < MAX_INVOCATIONS) {
    for (let i = 0; i < BLOCK; i++) {
      a.push(draw(random, 100, cv, outlierP));
      b.push(draw(random, 100 * truthRatio, cv, outlierP));
    }
    if (a.length < MIN_SAMPLES) continue;
    const interval = ratioInterval(a, b, { confidence: CONFIDENCE });
    if (!(interval.lower <= truthRatio && truthRatio <= interval.upper)) everExcluded = true;
    const verdict = verdictOf([interval.lower, interval.upper], MARGIN);
    if (verdict !== 'undecided' && firstVerdict === undefined) {
      firstVerdict = { verdict, invocations: a.length + b.length };
      if (!untilBudget) break;
    }
  }
  return { verdict: firstVerdict?.verdict ?? 'undecided', invocations: firstVerdict?.invocations ?? a.length + b.length, everExcluded };
}

const median = (values) => {
  const s = [...values].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const pct = (k, of) => (100 * k) / of;
const started = process.hrtime.bigint();

// ---- 1. A = B
const nullRows = [];
for (const [si, cv] of [0.1, 0.2, 0.3].entries()) {
  for (const [oi, outlierP] of [0.01, 0.03].entries()) {
    const counts = { faster: 0, slower: 0, equivalent: 0, undecided: 0 };
    const invocations = [];
    for (let run = 0; run < RUNS; run++) {
      const r = sequentialRun(hashSeed(1, si, oi, run), 1, cv, outlierP, false);
      counts[r.verdict]++;
      invocations.push(r.invocations);
    }
    let strictExcluded = 0;
    for (let run = 0; run < STRICT_RUNS; run++) {
      if (sequentialRun(hashSeed(2, si, oi, run), 1, cv, outlierP, true).everExcluded) strictExcluded++;
    }
    const row = {
      cv,
      outlierP,
      falseAlarmPct: pct(counts.faster + counts.slower, RUNS),
      equivalentPct: pct(counts.equivalent, RUNS),
      undecidedPct: pct(counts.undecided, RUNS),
      medianInvocations: median(invocations),
      strictRuns: STRICT_RUNS,
      strictMissPct: STRICT_RUNS ? pct(strictExcluded, STRICT_RUNS) : undefined,
    };
    row.pass = row.falseAlarmPct <= 5;
    nullRows.push(row);
    if (!args.json) {
      console.log(`A = B, CV ${cv}, ${outlierP * 100}% outliers x5-10 | faster/slower ${row.falseAlarmPct.toFixed(1).padStart(4)}% | ` +
        `equivalent ${row.equivalentPct.toFixed(1).padStart(5)}% | undecided ${row.undecidedPct.toFixed(1).padStart(5)}% | ` +
        `median invocations ${String(row.medianInvocations).padStart(5)} | ` +
        `looking to 2,000 without stopping, truth ever outside: ${row.strictMissPct === undefined ? '-' : `${row.strictMissPct.toFixed(1)}% of ${STRICT_RUNS}`} | ` +
        `${row.pass ? 'goal met' : 'GOAL MISSED'}`);
    }
  }
}

// ---- 2. B 10% faster at CV 0.2
const powerRows = [];
for (const [oi, outlierP] of [0, 0.01].entries()) {
  const cv = 0.2;
  const truthRatio = 0.9;
  const counts = { faster: 0, slower: 0, equivalent: 0, undecided: 0 };
  const invocations = [];
  for (let run = 0; run < RUNS; run++) {
    const r = sequentialRun(hashSeed(3, oi, run), truthRatio, cv, outlierP, false);
    counts[r.verdict]++;
    invocations.push(r.invocations);
  }
  // Fixed-sample t-test on logs, two-sided alpha 0.05, power 0.95: n per side = 2 (z_{1-a/2} + z_power)^2 s^2 / d^2.
  const s = sigmaOf(cv);
  const delta = Math.abs(Math.log(truthRatio));
  const zSum = normalQuantile(1 - (1 - CONFIDENCE) / 2) + normalQuantile(0.95);
  const fixedPerSide = Math.ceil((2 * zSum * zSum * s * s) / (delta * delta));
  const row = {
    cv,
    outlierP,
    truthRatio,
    rightPct: pct(counts.faster, RUNS),
    wrongPct: pct(counts.slower + counts.equivalent, RUNS),
    undecidedPct: pct(counts.undecided, RUNS),
    medianInvocations: median(invocations),
    meanInvocations: invocations.reduce((x, y) => x + y, 0) / RUNS,
    p90Invocations: [...invocations].sort((x, y) => x - y)[Math.floor(0.9 * (RUNS - 1))],
    fixedTTestInvocations: 2 * fixedPerSide,
  };
  row.pass = row.rightPct >= 95;
  powerRows.push(row);
  if (!args.json) {
    console.log(`B/A = 0.9, CV ${cv}, ${outlierP * 100}% outliers | right (faster) ${row.rightPct.toFixed(1)}% | wrong ${row.wrongPct.toFixed(1)}% | ` +
      `undecided ${row.undecidedPct.toFixed(1)}% | invocations median ${row.medianInvocations}, mean ${row.meanInvocations.toFixed(0)}, p90 ${row.p90Invocations} | ` +
      `fixed-n t-test on logs (power 95%): ${row.fixedTTestInvocations} | ${row.pass ? 'goal met' : 'GOAL MISSED'}`);
  }
}

const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const machine = { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, node: process.version };
if (args.json) {
  console.log(JSON.stringify({ bench: 'compare', runs: RUNS, strictRuns: STRICT_RUNS, confidence: CONFIDENCE, margin: MARGIN, block: BLOCK, minSamples: MIN_SAMPLES, maxInvocations: MAX_INVOCATIONS, nullRows, powerRows, machine, seconds }, null, 2));
} else {
  console.log(`\n${RUNS} runs per row (strict: ${STRICT_RUNS}), confidence ${CONFIDENCE}, margin ${MARGIN}, blocks of ${BLOCK} per side, ` +
    `first look at ${MIN_SAMPLES} per side, up to ${MAX_INVOCATIONS} invocations; ${seconds.toFixed(1)} s`);
  console.log(`machine: ${machine.cpu} (${machine.cores} cores), node ${machine.node}`);
}
