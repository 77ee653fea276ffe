// Adaptive sampling bench: planNextRound (src/tune/adaptive.ts) against a fixed 50 warm invocations per memory size,
// on simulated Lambda latency models, 1,000 seeded runs per scenario. Both sides of a run see the SAME invocations
// (adaptive uses the first n of the 50 each size would get: common random numbers), so "same as fixed-50" asks
// whether stopping early changes the answer. Also reported: agreement of each with the truth (the rule applied to
// the true means) and a second, independent fixed-50 run (how repeatable the baseline itself is).
// Earlier goal (still reported as "goal met"): the same recommendation as fixed-50 in >= 95% of runs with >= 3x fewer
// invocations.
// Also measured against the TRUE best of the simulation: the strategy's objective from the true means (200,000
// invocations per size); any size within the tie band (relativePrecision, 5%) of the best counts as right, and the
// regret is the true objective of the pick over the best's, minus 1 (for the cost strategy: the extra cost).
// Goal there (issue 11, the one the sampler aims at since 2026-12-07): right at least as often as fixed-50, with >= 3x
// fewer invocations, per scenario and overall (mean right share, ratio of total invocations).
// The module is bundled from the TypeScript sources with esbuild into .tmp/bench/ first (no build needed).
//
// Usage: node bench/tune-adaptive.mjs [--runs 1000] [--json] [--only <scenario substring>] [--local]
//        LM_ADAPTIVE_OPTIONS='{"relativePrecision":0.05}' overrides the sampler's options (for tuning).
import { build } from 'esbuild';
import { existsSync, mkdirSync } from 'node:fs';
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
    json: { type: 'boolean', default: false },
    only: { type: 'string' },
    local: { type: 'boolean', default: false },
    'local-runs': { type: 'string', default: '5' },
  },
});
const RUNS = Number(args.runs);
if (!Number.isInteger(RUNS) || RUNS < 1) {
  console.error('--runs needs a positive whole number');
  process.exit(2);
}
const extraOptions = process.env.LM_ADAPTIVE_OPTIONS ? JSON.parse(process.env.LM_ADAPTIVE_OPTIONS) : {};

const outdir = join(root, '.tmp', 'bench');
mkdirSync(outdir, { recursive: true });
const outfile = join(outdir, 'tune-adaptive.mjs');
await build({
  stdin: {
    contents: [
      "export { planNextRound, leaderOf } from './src/tune/adaptive.ts';",
      "export { invocationCost } from './src/cost/index.ts';",
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
const { planNextRound, leaderOf, invocationCost } = await import(pathToFileURL(outfile).href);

// ---- prices: x86_64 us-east-1, first tier, from src/cost/prices.ts ([PRICE] https://aws.amazon.com/lambda/pricing/)
const PER_GB_SECOND = 0.0000166667;
const PER_REQUEST = 0.2 / 1e6;
const costOf = (durationMs, memorySizeMB) => Math.ceil(durationMs) * (memorySizeMB / 1024) * (PER_GB_SECOND / 1000) + PER_REQUEST;
// The fast formula must agree with the library's exact invocationCost.
for (const [d, m] of [[1.2, 128], [99.5, 1536], [1382.7, 128], [70.01, 3008], [250, 1769]]) {
  const exact = invocationCost({ memorySizeMB: m, durationMs: d }).totalUSD;
  if (!(Math.abs(exact - costOf(d, m)) <= 1e-12 * exact + 1e-18)) {
    console.error(`cost formula disagrees with invocationCost at ${d} ms, ${m} MB: ${costOf(d, m)} vs ${exact}`);
    process.exit(1);
  }
}

// ---- seeded randomness: one stream per (scenario, run, size, replicate)
const hashSeed = seedHasher(0x1234567);

// ---- latency models. Duration = base(memory) × lognormal(σ) (mean 1), and with probability p an outlier × U(lo, hi).
const SIZES = [128, 256, 512, 1024, 1536, 3008]; // AWS Lambda Power Tuning's default powerValues
const FULL_VCPU_MB = 1769; // one vCPU at 1,769 MB (AWS Lambda memory and computing power)
const cpuShare = (m) => Math.min(m, FULL_VCPU_MB) / FULL_VCPU_MB;
const TYPICAL = { sigma: 0.1, outlierP: 0.01, outlierLo: 1.5, outlierHi: 3 };
const HEAVY = { sigma: 0.25, outlierP: 0.03, outlierLo: 2, outlierHi: 5 };
const models = {
  'cpu-bound': (m) => 100 / cpuShare(m), // 100 ms of single-threaded work at one vCPU; no gain above 1,769 MB
  'io-bound': () => 70, // waits on downstream calls; memory does not matter
  mixed: (m) => 40 / cpuShare(m) + 60,
  'mixed, small I/O': (m) => 40 / cpuShare(m) + 10, // costs of 128 / 256 / 512 MB within 2% / 5.3%
  'near-tie 3%': (m) => (m === 3008 ? 100 : m === 1536 ? 103 : 103 / cpuShare(m) * cpuShare(1536)), // 2 threads
  'near-tie 5%': (m) => (m === 3008 ? 100 : m === 1536 ? 105 : 105 / cpuShare(m) * cpuShare(1536)),
  'near-tie 8%': (m) => (m === 3008 ? 100 : m === 1536 ? 108 : 108 / cpuShare(m) * cpuShare(1536)),
};
const scenarios = [
  { model: 'cpu-bound', strategy: 'cost', noise: TYPICAL },
  { model: 'cpu-bound', strategy: 'speed', noise: TYPICAL },
  { model: 'cpu-bound', strategy: 'balanced', noise: TYPICAL },
  { model: 'io-bound', strategy: 'cost', noise: TYPICAL },
  { model: 'io-bound', strategy: 'speed', noise: TYPICAL },
  { model: 'io-bound', strategy: 'balanced', noise: TYPICAL },
  { model: 'mixed', strategy: 'cost', noise: TYPICAL },
  { model: 'mixed', strategy: 'speed', noise: TYPICAL },
  { model: 'mixed', strategy: 'balanced', noise: TYPICAL },
  { model: 'mixed, small I/O', strategy: 'cost', noise: TYPICAL },
  { model: 'near-tie 3%', strategy: 'speed', noise: TYPICAL },
  { model: 'near-tie 5%', strategy: 'speed', noise: TYPICAL },
  { model: 'near-tie 8%', strategy: 'speed', noise: TYPICAL },
  { model: 'cpu-bound', strategy: 'cost', noise: HEAVY },
  { model: 'io-bound', strategy: 'speed', noise: HEAVY },
  { model: 'mixed', strategy: 'balanced', noise: HEAVY },
].map((s, i) => ({ ...s, id: i, name: `${s.model} / ${s.strategy}${s.noise === HEAVY ? ' / heavy tails' : ''}` }))
  .filter((s) => !args.only || s.name.includes(args.only));

const FIXED = 50;
const options = (strategy) => ({ strategy, ...extraOptions });

function draw(random, base, noise) {
  let d = base * Math.exp(noise.sigma * normal(random) - (noise.sigma * noise.sigma) / 2);
  if (random() < noise.outlierP) d *= noise.outlierLo + (noise.outlierHi - noise.outlierLo) * random();
  return d;
}
function series(scenario, run, memory, replicate) {
  const random = mulberry32(hashSeed(scenario.id, run, memory, replicate));
  const base = models[scenario.model](memory);
  const durationsMs = [];
  const costsUSD = [];
  for (let i = 0; i < FIXED; i++) {
    const d = draw(random, base, scenario.noise);
    durationsMs.push(d);
    costsUSD.push(costOf(d, memory));
  }
  return { memorySizeMB: memory, durationsMs, costsUSD };
}
/**
 * The truth: the same rule (and the same trimmed mean) applied to 200,000 invocations per size, so that sampling
 * noise in it is far below any difference the rule can see.
 */
const TRUTH_SAMPLES = 200_000;
function truth(scenario) {
  const observations = SIZES.map((m) => {
    const random = mulberry32(hashSeed(scenario.id, 0x7fffffff, m, 99));
    const base = models[scenario.model](m);
    const durationsMs = new Array(TRUTH_SAMPLES);
    const costsUSD = new Array(TRUTH_SAMPLES);
    for (let i = 0; i < TRUTH_SAMPLES; i++) {
      durationsMs[i] = draw(random, base, scenario.noise);
      costsUSD[i] = costOf(durationsMs[i], m);
    }
    return { memorySizeMB: m, durationsMs, costsUSD };
  });
  return { leader: leaderOf(observations, options(scenario.strategy)), objective: trueObjective(observations, scenario.strategy) };
}
/**
 * The true objective of each size: the strategy's quantity from the true means (mean cost, mean duration, or the
 * balanced score w·cost/maxCost + (1 − w)·duration/maxDuration over the sizes' true means), and the sizes within the
 * tie band of the best (`relativePrecision`, 5% by default): any of them is a right answer.
 */
function trueObjective(observations, strategy) {
  const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const means = observations.map((o) => ({ m: o.memorySizeMB, cost: mean(o.costsUSD), duration: mean(o.durationsMs) }));
  const maxCost = Math.max(...means.map((x) => x.cost));
  const maxDuration = Math.max(...means.map((x) => x.duration));
  const w = extraOptions.balancedWeight ?? 0.5;
  const value = new Map(means.map((x) => [x.m, strategy === 'cost' ? x.cost : strategy === 'speed' ? x.duration : (w * x.cost) / maxCost + ((1 - w) * x.duration) / maxDuration]));
  const best = Math.min(...value.values());
  const band = best * (1 + (extraOptions.relativePrecision ?? 0.05));
  return { value, best, acceptable: new Set([...value].filter(([, v]) => v <= band).map(([m]) => m)) };
}

function adaptiveRun(full, strategy) {
  const n = new Map(SIZES.map((m) => [m, 0]));
  const eliminatedSeen = new Set();
  for (let round = 1; ; round++) {
    const obs = full.map((o) => ({ memorySizeMB: o.memorySizeMB, durationsMs: o.durationsMs.slice(0, n.get(o.memorySizeMB)), costsUSD: o.costsUSD.slice(0, n.get(o.memorySizeMB)) }));
    const plan = planNextRound(obs, options(strategy));
    for (const { memorySizeMB, count } of plan.sample) {
      if (eliminatedSeen.has(memorySizeMB)) throw new Error(`sampled ${memorySizeMB} after it was eliminated`);
      n.set(memorySizeMB, n.get(memorySizeMB) + count);
      if (n.get(memorySizeMB) > FIXED) throw new Error('went past maxSamples');
    }
    for (const m of plan.eliminated) eliminatedSeen.add(m);
    if (plan.done) return { leader: plan.leader, invocations: [...n.values()].reduce((a, b) => a + b, 0), rounds: round, n };
  }
}

const pct = (k, of) => (100 * k) / of;
const results = [];
const started = process.hrtime.bigint();
for (const scenario of scenarios) {
  const { leader: truthLeader, objective } = truth(scenario);
  const regretOf = (pick) => objective.value.get(pick) / objective.best - 1;
  let adaptiveRight = 0;
  let fixedRight = 0;
  let adaptiveRegret = 0;
  let fixedRegret = 0;
  let adaptiveMaxRegret = 0;
  let fixedMaxRegret = 0;
  let sameAsFixed = 0;
  let adaptiveTrue = 0;
  let fixedTrue = 0;
  let fixedRepeat = 0;
  let invocations = 0;
  let maxInvocations = 0;
  let rounds = 0;
  for (let run = 0; run < RUNS; run++) {
    const full = SIZES.map((m) => series(scenario, run, m, 0));
    const again = SIZES.map((m) => series(scenario, run, m, 1));
    const fixedLeader = leaderOf(full, options(scenario.strategy));
    const fixedLeader2 = leaderOf(again, options(scenario.strategy));
    const a = adaptiveRun(full, scenario.strategy);
    sameAsFixed += a.leader === fixedLeader ? 1 : 0;
    adaptiveTrue += a.leader === truthLeader ? 1 : 0;
    fixedTrue += fixedLeader === truthLeader ? 1 : 0;
    fixedRepeat += fixedLeader === fixedLeader2 ? 1 : 0;
    adaptiveRight += objective.acceptable.has(a.leader) ? 1 : 0;
    fixedRight += objective.acceptable.has(fixedLeader) ? 1 : 0;
    adaptiveRegret += regretOf(a.leader);
    fixedRegret += regretOf(fixedLeader);
    adaptiveMaxRegret = Math.max(adaptiveMaxRegret, regretOf(a.leader));
    fixedMaxRegret = Math.max(fixedMaxRegret, regretOf(fixedLeader));
    invocations += a.invocations;
    maxInvocations = Math.max(maxInvocations, a.invocations);
    rounds += a.rounds;
  }
  const meanInvocations = invocations / RUNS;
  const ratio = (FIXED * SIZES.length) / meanInvocations;
  const row = {
    scenario: scenario.name,
    truth: truthLeader,
    sameAsFixedPct: pct(sameAsFixed, RUNS),
    adaptiveTruePct: pct(adaptiveTrue, RUNS),
    fixedTruePct: pct(fixedTrue, RUNS),
    fixedRepeatPct: pct(fixedRepeat, RUNS),
    acceptable: [...objective.acceptable],
    adaptiveRightPct: pct(adaptiveRight, RUNS),
    fixedRightPct: pct(fixedRight, RUNS),
    adaptiveRegretPct: (100 * adaptiveRegret) / RUNS,
    fixedRegretPct: (100 * fixedRegret) / RUNS,
    adaptiveMaxRegretPct: 100 * adaptiveMaxRegret,
    fixedMaxRegretPct: 100 * fixedMaxRegret,
    meanInvocations,
    maxInvocations,
    meanRounds: rounds / RUNS,
    ratio,
    pass: sameAsFixed >= 0.95 * RUNS && ratio >= 3,
    // Against the true best (any size in the tie band of the true objective): at least as often right as fixed-50.
    passTrue: adaptiveRight >= fixedRight && ratio >= 3,
  };
  results.push(row);
  if (!args.json) {
    console.log(`${row.scenario.padEnd(36)} truth ${String(row.truth).padStart(4)} MB | same as fixed-50 ${row.sameAsFixedPct.toFixed(1).padStart(5)}% | ` +
      `true: adaptive ${row.adaptiveTruePct.toFixed(1).padStart(5)}%, fixed ${row.fixedTruePct.toFixed(1).padStart(5)}% | fixed repeat ${row.fixedRepeatPct.toFixed(1).padStart(5)}% | ` +
      `invocations ${row.meanInvocations.toFixed(1).padStart(5)} (max ${row.maxInvocations}) | ${row.ratio.toFixed(2)}x | ${row.pass ? 'goal met' : 'GOAL MISSED'}`);
    console.log(`${''.padEnd(36)} right (in band ${row.acceptable.join('/')}): adaptive ${row.adaptiveRightPct.toFixed(1).padStart(5)}%, fixed ${row.fixedRightPct.toFixed(1).padStart(5)}% | ` +
      `regret mean adaptive ${row.adaptiveRegretPct.toFixed(2)}%, fixed ${row.fixedRegretPct.toFixed(2)}% (max ${row.adaptiveMaxRegretPct.toFixed(1)}% / ${row.fixedMaxRegretPct.toFixed(1)}%) | ` +
      `${row.passTrue ? 'true-best goal met' : 'TRUE-BEST GOAL MISSED'}`);
  }
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const totalFixed = FIXED * SIZES.length * results.length * RUNS;
const totalAdaptive = results.reduce((s, r) => s + r.meanInvocations * RUNS, 0);
const overall = {
  sameAsFixedPct: results.reduce((s, r) => s + r.sameAsFixedPct, 0) / results.length,
  ratio: totalFixed / totalAdaptive,
  scenariosMeetingGoal: results.filter((r) => r.pass).length,
  adaptiveRightPct: results.reduce((s, r) => s + r.adaptiveRightPct, 0) / results.length,
  fixedRightPct: results.reduce((s, r) => s + r.fixedRightPct, 0) / results.length,
  adaptiveRegretPct: results.reduce((s, r) => s + r.adaptiveRegretPct, 0) / results.length,
  fixedRegretPct: results.reduce((s, r) => s + r.fixedRegretPct, 0) / results.length,
  scenariosMeetingTrueGoal: results.filter((r) => r.passTrue).length,
  scenarios: results.length,
};

// ---- optional: a small run on local (powerTune from src/tune, when it exists)
let local;
if (args.local) local = await runLocal(Number(args['local-runs']));

const machine = { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, node: process.version };
if (args.json) {
  console.log(JSON.stringify({ bench: 'tune-adaptive', goal: 'right (within the tie band of the true best) at least as often as fixed-50 with >= 3x fewer invocations (passTrue); earlier: same recommendation as fixed-50 in >= 95% of runs (pass)', runs: RUNS, sizes: SIZES, options: extraOptions, results, overall, local, machine, seconds }, null, 2));
} else {
  console.log(`\n${results.length} scenarios x ${RUNS} runs, sizes ${SIZES.join('/')} MB, options ${JSON.stringify(extraOptions)}; ${seconds.toFixed(1)} s`);
  console.log(`machine: ${machine.cpu} (${machine.cores} cores), node ${machine.node}`);
  console.log(`overall: same as fixed-50 ${overall.sameAsFixedPct.toFixed(1)}% (mean over scenarios), invocations fixed/adaptive ${overall.ratio.toFixed(2)}x; ` +
    `goal met in ${overall.scenariosMeetingGoal} of ${overall.scenarios} scenarios`);
  console.log(`against the true best (tie band): right adaptive ${overall.adaptiveRightPct.toFixed(1)}%, fixed-50 ${overall.fixedRightPct.toFixed(1)}% (mean over scenarios); ` +
    `regret adaptive ${overall.adaptiveRegretPct.toFixed(2)}%, fixed-50 ${overall.fixedRegretPct.toFixed(2)}%; ` +
    `as accurate as fixed-50 with >= 3x fewer invocations in ${overall.scenariosMeetingTrueGoal} of ${overall.scenarios} scenarios`);
}

/**
 * The same comparison on lambda-meter/local: real handlers in real processes, CPU shared out by memory, timing
 * noise from this machine. Each run tunes the function three times: adaptively, and twice with a fixed 50 warm
 * invocations per size. These are separate invocations, so adaptive-vs-fixed agreement includes run-to-run noise;
 * the second fixed run measures that noise (fixed-50 against itself).
 * Uses the built package (dist/): run `npm run build` first.
 */
async function runLocal(runs) {
  // The pipelines and local come from their subpaths (lambda-meter/tune, lambda-meter/local), not the root.
  const distTune = join(root, 'dist', 'tune', 'index.js');
  const distLocal = join(root, 'dist', 'local', 'index.js');
  if (!existsSync(distTune) || !existsSync(distLocal)) {
    console.error('\nlocal: dist/tune or dist/local is missing; run `npm run build` first');
    process.exit(1);
  }
  const { powerTune } = await import(pathToFileURL(distTune).href);
  const { startLocalLambda } = await import(pathToFileURL(distLocal).href);
  const { LambdaClient } = await import('@aws-sdk/client-lambda');
  const functions = join(root, 'examples', 'functions');
  // cpu.mjs with 4,000 hash rounds: about 10 ms at one vCPU, 140 ms at 128 MB; io.mjs: about 70 ms at any size.
  const cases = [
    { name: 'cpu.mjs / cost', fn: 'cpu', strategy: 'cost', payload: { rounds: 4000 } },
    { name: 'cpu.mjs / speed', fn: 'cpu', strategy: 'speed', payload: { rounds: 4000 } },
    { name: 'io.mjs / cost', fn: 'io', strategy: 'cost', payload: {} },
    { name: 'io.mjs / speed', fn: 'io', strategy: 'speed', payload: {} },
  ].filter((c) => !args.only || c.name.includes(args.only));
  const local = await startLocalLambda({
    functions: [
      { name: 'cpu', handler: join(functions, 'cpu.mjs#handler'), memorySizeMB: 1024, timeoutSeconds: 30 },
      { name: 'io', handler: join(functions, 'io.mjs#handler'), memorySizeMB: 1024, timeoutSeconds: 30 },
    ],
    updateDelayMs: 20,
  });
  const lambda = new LambdaClient(local.clientConfig());
  const quick = { updateWait: { minDelayMs: 10, maxDelayMs: 50, maxWaitMs: 30_000 } }; // options (how), not input
  const rows = [];
  try {
    console.log(`\nlocal: ${runs} runs per case, sizes ${SIZES.join('/')} MB, cpu proportional to memory`);
    for (const c of cases) {
      let same = 0;
      let fixedSame = 0;
      let adaptiveInvocations = 0;
      let fixedInvocations = 0;
      const picks = [];
      const started = Date.now();
      for (let run = 0; run < runs; run++) {
        const common = { functionName: c.fn, memorySizes: SIZES, strategy: c.strategy, payload: c.payload, ...(Object.keys(extraOptions).length ? { adaptive: extraOptions } : {}) };
        const adaptive = await powerTune({ lambda }, { ...common, count: 'adaptive' }, quick);
        // 50 warm invocations per size: 51 invocations, the first of each size a cold start.
        const fixed = await powerTune({ lambda }, { ...common, count: FIXED + 1 }, quick);
        const fixedAgain = await powerTune({ lambda }, { ...common, count: FIXED + 1 }, quick);
        const a = adaptive.recommendation?.memorySizeMB;
        const f = fixed.recommendation?.memorySizeMB;
        const f2 = fixedAgain.recommendation?.memorySizeMB;
        if (a === f) same++;
        if (f2 === f) fixedSame++;
        picks.push(`${a}/${f}/${f2}`);
        adaptiveInvocations += adaptive.invocations;
        fixedInvocations += fixed.invocations;
      }
      const row = {
        case: c.name,
        runs,
        sameAsFixedPct: pct(same, runs),
        fixedRepeatPct: pct(fixedSame, runs),
        meanAdaptiveInvocations: adaptiveInvocations / runs,
        meanFixedInvocations: fixedInvocations / runs,
        ratio: fixedInvocations / adaptiveInvocations,
        picks,
        seconds: (Date.now() - started) / 1000,
      };
      rows.push(row);
      if (!args.json) {
        console.log(`${c.name.padEnd(18)} same as fixed-50 ${row.sameAsFixedPct.toFixed(0).padStart(3)}% (${same}/${runs}) | fixed repeat ${row.fixedRepeatPct.toFixed(0).padStart(3)}% | ` +
          `invocations adaptive ${row.meanAdaptiveInvocations.toFixed(1)}, fixed ${row.meanFixedInvocations.toFixed(1)} | ${row.ratio.toFixed(2)}x | ` +
          `adaptive/fixed/fixed again picks ${picks.join(' ')} | ${row.seconds.toFixed(0)} s`);
      }
    }
  } finally {
    lambda.destroy();
    await local.stop();
  }
  return rows;
}
