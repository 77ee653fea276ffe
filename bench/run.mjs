// Runs every benchmark in bench/ against the built package (npm run bench builds first) and prints their results.
// Each bench measures its own ratios side by side in one run, so figures stay comparable on a noisy, shared machine.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const benches = ['parser.mjs', 'handler.mjs', 'import.mjs', 'cost.mjs', 'local.mjs', 'tune-adaptive.mjs', 'compare.mjs'];
const extra = process.argv.slice(2);
let failed = 0;
for (const bench of benches) {
  console.log(`\n=== bench/${bench}`);
  const run = spawnSync(process.execPath, [join(here, bench), ...extra], { stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
