// The main demo, offline: starts lambda-meter/local with a CPU-bound and an I/O-bound function (examples/functions/),
// power-tunes both from 128 to 3,008 MB, measures their cold starts, diagnoses an asynchronous scenario (reserved
// concurrency 1 and a burst of events), prints a summary and writes report.html. Memory buys CPU, so the CPU-bound
// function gets a larger recommendation than the I/O-bound one.
//
// Usage: npm run demo        (or npm run example -- demo [--out FILE] [--memory 128,512,1769])
import { runDemo } from '../src/demo/index.js';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

const memory = option('--memory');
const memorySizes = memory === undefined ? undefined : memory.split(',').map(Number);
if (memorySizes !== undefined && (memorySizes.length < 2 || memorySizes.some((m) => !Number.isInteger(m)))) {
  console.error('usage: npm run example -- demo [--out FILE] [--memory MB,MB,...]   (at least two whole numbers)');
  process.exit(2);
}

const controller = new AbortController();
process.once('SIGINT', () => controller.abort(new Error('interrupted')));
const result = await runDemo({
  outFile: option('--out') ?? 'report.html',
  signal: controller.signal,
  ...(memorySizes === undefined ? {} : { memorySizes }),
});
if (result.processesLeft > 0) process.exitCode = 1;
