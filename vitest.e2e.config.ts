import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

// The heavier checks of `npm run test:e2e`, apart from `npm test`'s unit run (vitest.config.ts) and without coverage:
// - test/e2e/: the HTML reports (the sample document and the demo's real report) in headless Chromium, through
//   playwright-core; Chromium is found on PATH or through LAMBDA_METER_CHROMIUM / CHROME_PATH (test/e2e/browser.ts).
// - test/conformance/: local's Lambda against AWS's own runtime interface client, aws-lambda-ric, which the small
//   project in test/conformance/ installs (`npm run conformance:install`; its native addon needs Debian's build tools).
//   Not installed: a local run skips it with one line; in CI (CI=true) the test runs and fails, never skips.
// - test/clients/: local against the real AWS CLI (Debian's awscli, /usr/bin/aws) and boto3 (python3-boto3 for
//   /usr/bin/python3), through shell and Python scripts, beside the SDK for JavaScript making the same calls. The
//   Debian clients not installed: skipped with one line locally, failed in CI.

const root = path.dirname(fileURLToPath(import.meta.url));
const ricAddon = path.join(root, 'test', 'conformance', 'node_modules', 'aws-lambda-ric', 'dist', 'rapid-client.node');
const inCi = process.env.CI !== undefined && !['', '0', 'false'].includes(process.env.CI.toLowerCase());
const skipConformance = !existsSync(ricAddon) && !inCi;
if (skipConformance) {
  process.stderr.write(
    'conformance test skipped: aws-lambda-ric is not installed in test/conformance; install it with `npm run conformance:install` ' +
      '(its native build needs Debian\'s autoconf automake libtool cmake make g++ python3), then run `npm run test:e2e`\n',
  );
}

const awsCliMissing = !existsSync('/usr/bin/aws');
const boto3Missing = spawnSync('/usr/bin/python3', ['-c', 'import boto3'], { stdio: 'ignore' }).status !== 0;
const skipClients = (awsCliMissing || boto3Missing) && !inCi;
if (skipClients) {
  process.stderr.write(
    `AWS client conformance skipped (not installed: ${[awsCliMissing ? '/usr/bin/aws' : '', boto3Missing ? 'boto3 for /usr/bin/python3' : ''].filter(Boolean).join(', ')}); ` +
      'install Debian\'s clients with `sudo apt-get install -y awscli python3-boto3`, then run `npm run test:e2e`\n',
  );
}

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts', 'test/conformance/**/*.test.ts', 'test/clients/**/*.test.ts'],
    exclude: [...configDefaults.exclude, ...(skipConformance ? ['test/conformance/**'] : []), ...(skipClients ? ['test/clients/**'] : [])],
    environment: 'node',
    // The conformance test changes the working directory around starting local (aws-lambda-ric is resolved from it):
    // process.chdir works in forked workers, not in worker threads.
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 60_000,
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // With no test file left (the conformance test skipped and the browser checks filtered out), say so and pass.
    passWithNoTests: skipConformance || skipClients,
  },
});
