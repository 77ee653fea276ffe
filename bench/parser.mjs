// Parser bench: text REPORT lines parsed per second by parseReportLine, against JSON.parse of the equivalent JSON
// platform.report lines and against two peer methods of reading a text REPORT line, all measured side by side in one
// run (sliced interleaving, median of the per-round ratios).
// Goals: parseReportLine(text) >= 1.0x JSON.parse(json), and >= 2.0x the fastest peer. The peers are written here from
// their descriptions: "regex" runs five TAB-anchored regular expressions (Duration, Billed Duration, Init Duration,
// Restore Duration, Billed Restore Duration) and converts the captures with parseFloat, reading only those five fields
// and validating nothing, as AWS Lambda Power Tuning reads a REPORT line; "split" splits the line on TAB, then each
// part at ': ' into key and value, and builds an object with numbers. Extra figures: parseReportLine on the JSON lines,
// and parseLog on a whole multi-invocation log.
//
// Usage: node bench/parser.mjs [--json] [--rounds N] [--lines N] [--ropes]
// Module: the built package's dist/report/index.js by default; LM_REPORT_MODULE=<file> or LM_DIST=<dir> (holding
// report/index.js, or index.js for a one-entry build) point it elsewhere.
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { builtModuleFile } from './built-module.mjs';

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const option = (name, fallback) => {
  const at = args.indexOf(name);
  const value = at >= 0 ? Number(args[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) {
    console.error(`${name} needs a positive whole number`);
    process.exit(2);
  }
  return value;
};
const ROUNDS = option('--rounds', 7);
const LINES = option('--lines', 20_000);
const ROPES = args.includes('--ropes');

const file = builtModuleFile('report', 'LM_REPORT_MODULE');
const { parseReportLine, parseLog } = await import(pathToFileURL(file).href);

// ---- corpus: realistic REPORT lines (shapes from lambda-facts.md §1-2), deterministic pseudo-random values ----
let seed = 0x2f6b1d3;
const random = () => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 0x1_0000_0000;
};
const hex = (n) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(random() * 4)]}${hex(3)}-${hex(12)}`;
const MEMORY = [128, 192, 256, 512, 1024, 1152, 1769, 2048, 3008, 3009, 10240];

const records = [];
for (let i = 0; i < LINES; i++) {
  const durationMs = Math.round(random() * (random() < 0.9 ? 2_000_00 : 90_000_00)) / 100;
  const cold = random() < 0.2;
  const initDurationMs = cold ? Math.round(100_00 + random() * 900_00) / 100 : undefined;
  const memorySizeMB = MEMORY[Math.floor(random() * MEMORY.length)];
  const r = {
    requestId: uuid(),
    durationMs,
    billedDurationMs: Math.ceil(durationMs + (initDurationMs ?? 0)),
    memorySizeMB,
    maxMemoryUsedMB: Math.min(memorySizeMB, 40 + Math.floor(random() * 200)),
    initDurationMs,
    status: random() < 0.02 ? 'timeout' : 'success',
  };
  records.push(r);
}
const builtLines = records.map((r) =>
  `REPORT RequestId: ${r.requestId}\tDuration: ${r.durationMs.toFixed(2)} ms\tBilled Duration: ${r.billedDurationMs} ms\t` +
  `Memory Size: ${r.memorySizeMB} MB\tMax Memory Used: ${r.maxMemoryUsedMB} MB\t` +
  (r.initDurationMs === undefined ? '' : `Init Duration: ${r.initDurationMs.toFixed(2)} ms\t`) +
  (r.status === 'success' ? '' : `Status: ${r.status}\t`),
);
// Lines arrive as flat strings: JSON.parse makes them from a CloudWatch Logs response, a file read or a split log
// slices them from one. The template concatenation above builds ropes (V8 cons strings), which every reader would first
// have to flatten; the JSON round trip gives the strings an API response gives. --ropes measures the ropes instead.
const textLines = ROPES ? builtLines : JSON.parse(JSON.stringify(builtLines));
const jsonLines = records.map((r, i) => {
  const metrics = { durationMs: r.durationMs, billedDurationMs: r.billedDurationMs, memorySizeMB: r.memorySizeMB, maxMemoryUsedMB: r.maxMemoryUsedMB };
  if (r.initDurationMs !== undefined) metrics.initDurationMs = r.initDurationMs;
  const time = new Date(Date.UTC(2026, 10, 24, 10, 0, 0) + i * 250).toISOString();
  return JSON.stringify({ time, type: 'platform.report', record: { requestId: r.requestId, metrics, status: r.status } });
});

// A whole multi-invocation text log: START, an application line, END, REPORT and the XRAY line per invocation.
const LOG_INVOCATIONS = 2_000;
const logLines = [];
for (let i = 0; i < LOG_INVOCATIONS; i++) {
  const r = records[i];
  if (r.initDurationMs !== undefined) logLines.push('INIT_START Runtime Version: nodejs:20.v22\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:' + hex(64));
  logLines.push(`START RequestId: ${r.requestId} Version: $LATEST`);
  logLines.push(`2026-11-24T10:00:00.000Z\t${r.requestId}\tINFO\tprocessed ${i} items`);
  logLines.push(`END RequestId: ${r.requestId}`);
  logLines.push(textLines[i]);
  logLines.push(`XRAY TraceId: 1-${hex(8)}-${hex(24)}\tSegmentId: ${hex(16)}\tSampled: true\t`);
}
const logText = logLines.join('\n');

// Sanity: the parser reads the corpus back to the generated values.
for (let i = 0; i < 200; i++) {
  const a = parseReportLine(textLines[i]);
  const b = parseReportLine(jsonLines[i]);
  const r = records[i];
  if (!a || !b || a.durationMs !== r.durationMs || b.durationMs !== r.durationMs || a.billedDurationMs !== r.billedDurationMs ||
      a.initDurationMs !== r.initDurationMs || a.status !== r.status || b.maxMemoryUsedMB !== r.maxMemoryUsedMB) {
    console.error(`corpus line ${i} did not parse back to its values`);
    process.exit(1);
  }
}
if (parseLog(logText).reports.length !== LOG_INVOCATIONS) {
  console.error('parseLog did not find every REPORT of the bench log');
  process.exit(1);
}

// ---- peers: two other ways of reading a text REPORT line, written from their descriptions ----
// Five TAB-anchored regular expressions, one per field; a field that is absent stays undefined. Nothing is validated.
const DURATION_RE = /\tDuration: ([0-9.]+) ms/;
const BILLED_DURATION_RE = /\tBilled Duration: ([0-9.]+) ms/;
const INIT_DURATION_RE = /\tInit Duration: ([0-9.]+) ms/;
const RESTORE_DURATION_RE = /\tRestore Duration: ([0-9.]+) ms/;
const BILLED_RESTORE_DURATION_RE = /\tBilled Restore Duration: ([0-9.]+) ms/;
const regexField = (re, line) => {
  const m = re.exec(line);
  return m === null ? undefined : parseFloat(m[1]);
};
function regexPeer(line) {
  return {
    durationMs: regexField(DURATION_RE, line),
    billedDurationMs: regexField(BILLED_DURATION_RE, line),
    initDurationMs: regexField(INIT_DURATION_RE, line),
    restoreDurationMs: regexField(RESTORE_DURATION_RE, line),
    billedRestoreDurationMs: regexField(BILLED_RESTORE_DURATION_RE, line),
  };
}
// Split on TAB, then each part at ': ' into key and value; numeric values become numbers, the rest stay strings.
function splitPeer(line) {
  const fields = {};
  const parts = line.split('\t');
  for (let p = 0; p < parts.length; p++) {
    const [key, value] = parts[p].split(': ');
    if (value === undefined) continue;
    const n = parseFloat(value);
    fields[key] = Number.isNaN(n) ? value : n;
  }
  return fields;
}
for (let i = 0; i < 200; i++) {
  const r = records[i];
  const a = regexPeer(textLines[i]);
  const b = splitPeer(textLines[i]);
  if (a.durationMs !== r.durationMs || a.billedDurationMs !== r.billedDurationMs || a.initDurationMs !== r.initDurationMs ||
      b.Duration !== r.durationMs || b['Billed Duration'] !== r.billedDurationMs || b['Init Duration'] !== r.initDurationMs) {
    console.error(`a peer did not read corpus line ${i} back to its values`);
    process.exit(1);
  }
}

// ---- measurement ----
let sink = 0;
const cases = {
  'parseReportLine(text)': () => {
    let sum = 0;
    for (let i = 0; i < textLines.length; i++) sum += parseReportLine(textLines[i]).durationMs;
    sink += sum;
    return textLines.length;
  },
  'JSON.parse(json)': () => {
    let sum = 0;
    for (let i = 0; i < jsonLines.length; i++) sum += JSON.parse(jsonLines[i]).record.metrics.durationMs;
    sink += sum;
    return jsonLines.length;
  },
  'regex peer(text)': () => {
    let sum = 0;
    for (let i = 0; i < textLines.length; i++) sum += regexPeer(textLines[i]).durationMs;
    sink += sum;
    return textLines.length;
  },
  'split peer(text)': () => {
    let sum = 0;
    for (let i = 0; i < textLines.length; i++) sum += splitPeer(textLines[i]).Duration;
    sink += sum;
    return textLines.length;
  },
  'parseReportLine(json)': () => {
    let sum = 0;
    for (let i = 0; i < jsonLines.length; i++) sum += parseReportLine(jsonLines[i]).durationMs;
    sink += sum;
    return jsonLines.length;
  },
  'parseLog(text log)': () => {
    sink += parseLog(logText).reports.length;
    return logLines.length;
  },
};
const names = Object.keys(cases);

/** Runs a case repeatedly for at least `minMs`; returns items per second. */
function measure(run, minMs = 150) {
  let items = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  do {
    items += run();
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  } while (elapsed < minMs);
  return (items / elapsed) * 1000;
}

for (const name of names) measure(cases[name], 300); // warm-up: let the JIT settle before any round counts

const perRound = Object.fromEntries(names.map((n) => [n, []]));
for (let round = 0; round < ROUNDS; round++) {
  // Alternate the order each round so neither side always runs first (or right after a GC).
  const order = round % 2 === 0 ? names : [...names].reverse();
  for (const name of order) perRound[name].push(measure(cases[name]));
}

// The ratios are taken with finer pairing: each round alternates short slices (500 lines) of parseReportLine and of
// one other side many times, and compares their summed times, so a burst of load from a neighbour lands on both sides
// alike. Each ratio is timed on its own pair (parseReportLine against JSON.parse, the regex peer or the split peer),
// not on all four sides at once, so the slices of a pair run only those two sides.
const SLICE = 500;
const sides = {
  text: (from) => { let sum = 0; for (let i = from; i < from + SLICE; i++) sum += parseReportLine(textLines[i]).durationMs; sink += sum; },
  json: (from) => { let sum = 0; for (let i = from; i < from + SLICE; i++) sum += JSON.parse(jsonLines[i]).record.metrics.durationMs; sink += sum; },
  regex: (from) => { let sum = 0; for (let i = from; i < from + SLICE; i++) sum += regexPeer(textLines[i]).durationMs; sink += sum; },
  split: (from) => { let sum = 0; for (let i = from; i < from + SLICE; i++) sum += splitPeer(textLines[i]).Duration; sink += sum; },
};
/** One round of one pair: summed time of `other` ÷ summed time of parseReportLine (> 1: parseReportLine is faster). */
function slicedRatio(other, sliceRounds = 60) {
  let textNs = 0n;
  let otherNs = 0n;
  for (let k = 0; k < sliceRounds; k++) {
    const from = ((k * SLICE) % (LINES - SLICE + 1));
    const textFirst = k % 2 === 0;
    for (let side = 0; side < 2; side++) {
      const doText = (side === 0) === textFirst;
      const t0 = process.hrtime.bigint();
      (doText ? sides.text : sides[other])(from);
      const dt = process.hrtime.bigint() - t0;
      if (doText) textNs += dt;
      else otherNs += dt;
    }
  }
  return Number(otherNs) / Number(textNs);
}
const roundRatios = [];
for (let round = 0; round < ROUNDS * 3; round++) {
  // The pairs take turns within each round, so load that comes and goes falls on all three.
  roundRatios.push({ json: slicedRatio('json'), regex: slicedRatio('regex'), split: slicedRatio('split') });
}
for (const r of roundRatios) r.fastestPeer = Math.min(r.regex, r.split);
const ratios = roundRatios.map((r) => r.json);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const results = Object.fromEntries(names.map((n) => [n, { medianPerSecond: median(perRound[n]), rounds: perRound[n] }]));
const ratio = median(ratios);
const peerRatios = {
  regex: median(roundRatios.map((r) => r.regex)),
  split: median(roundRatios.map((r) => r.split)),
  fastestPeer: median(roundRatios.map((r) => r.fastestPeer)),
};
const machine = { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, node: process.version, platform: `${os.platform()} ${os.arch()}` };
const lineBytes = { text: Math.round(textLines.reduce((n, l) => n + l.length, 0) / LINES), json: Math.round(jsonLines.reduce((n, l) => n + l.length, 0) / LINES) };

if (asJson) {
  console.log(JSON.stringify({
    bench: 'parser',
    goal: 'parseReportLine(text) lines/s >= 1.0x JSON.parse(json) lines/s',
    ratio,
    pass: ratio >= 1,
    ratios,
    peerGoal: 'parseReportLine(text) lines/s >= 2.0x the fastest peer (regex, split) lines/s',
    peerRatio: peerRatios.fastestPeer,
    peerPass: peerRatios.fastestPeer >= 2,
    peerRatios,
    peerRounds: roundRatios,
    results,
    corpus: { lines: LINES, meanLineLength: lineBytes, logLines: logLines.length, logBytes: logText.length, textStrings: ROPES ? 'ropes' : 'flat' },
    rounds: ROUNDS,
    module: file,
    machine,
    sink: sink > 0,
  }, null, 2));
} else {
  console.log(`parser bench: ${LINES} REPORT lines (mean ${lineBytes.text} chars text, ${lineBytes.json} chars JSON), ${ROUNDS} interleaved rounds${ROPES ? ', text lines as ropes' : ''}`);
  console.log(`machine: ${machine.cpu} (${machine.cores} cores), node ${machine.node}, ${machine.platform}`);
  console.log(`module: ${file}\n`);
  const width = Math.max(...names.map((n) => n.length));
  console.log(`${'case'.padEnd(width)}  ${'median lines/s'.padStart(15)}  ${'min'.padStart(12)}  ${'max'.padStart(12)}`);
  for (const name of names) {
    const xs = perRound[name];
    const fmt = (x) => Math.round(x).toLocaleString('en-US');
    console.log(`${name.padEnd(width)}  ${fmt(median(xs)).padStart(15)}  ${fmt(Math.min(...xs)).padStart(12)}  ${fmt(Math.max(...xs)).padStart(12)}`);
  }
  console.log(`\nparseLog: ${LOG_INVOCATIONS} invocations, ${logLines.length} lines, ${(logText.length / 1e6).toFixed(2)} MB per pass`);
  console.log(`paired-slice ratios: ${ratios.map((r) => r.toFixed(2)).join(' ')}`);
  console.log(`paired-slice ratios vs fastest peer: ${roundRatios.map((r) => r.fastestPeer.toFixed(2)).join(' ')}`);
  console.log(`parser: text REPORT parse vs JSON.parse = ${ratio.toFixed(2)}x (goal >= 1.0x)`);
  console.log(`parser: text REPORT parse vs regex peer = ${peerRatios.regex.toFixed(2)}x, vs split peer = ${peerRatios.split.toFixed(2)}x`);
  console.log(`parser: text REPORT parse vs fastest peer = ${peerRatios.fastestPeer.toFixed(2)}x (goal >= 2.0x)`);
}
if (sink === 0) console.error('(no work was observed)');
