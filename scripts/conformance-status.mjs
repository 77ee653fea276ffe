// The last step of `npm test`: says in one line whether the runtime-client conformance test (test/conformance/, AWS's
// aws-lambda-ric against local) can run, since npm test itself never runs it (it needs a native build: see README,
// "Heavier checks"). In CI (CI=true) the conformance project must be installed: its absence fails, never skips.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const addon = path.join(root, 'test', 'conformance', 'node_modules', 'aws-lambda-ric', 'dist', 'rapid-client.node');
const inCi = process.env.CI !== undefined && !['', '0', 'false'].includes(process.env.CI.toLowerCase());

if (existsSync(addon)) {
  console.log('runtime-client conformance: aws-lambda-ric is installed in test/conformance; it runs with `npm run test:e2e`');
} else if (inCi) {
  console.error(
    'runtime-client conformance: aws-lambda-ric is not installed in test/conformance, and CI=true: run `npm run conformance:install` ' +
      "(needs Debian's autoconf automake libtool cmake make g++ python3) before the tests",
  );
  process.exit(1);
} else {
  console.log(
    'runtime-client conformance: skipped (aws-lambda-ric is not installed); install it with `npm run conformance:install` ' +
      "(needs Debian's autoconf automake libtool cmake make g++ python3), then run `npm run test:e2e`",
  );
}
