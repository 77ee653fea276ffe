import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

// The unit and local end-to-end tests of `npm test`: everything that needs only Node.js. The browser checks
// (test/e2e/), the runtime-client conformance (test/conformance/) and the real AWS CLI and boto3 (test/clients/) run with `npm run test:e2e`
// (vitest.e2e.config.ts); coverage is measured here only.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, 'test/e2e/**', 'test/conformance/**', 'test/clients/**'],
    environment: 'node',
    testTimeout: 20_000,
    // Vitest's default (one worker less than the cores) leaves a 2-core CI machine with one worker; most test time
    // is spent waiting on child processes and sockets, so two workers there halve the wall time.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/**/index.ts', 'src/**/types.ts'],
      reporter: ['text-summary', 'text'],
      thresholds: { lines: 90 },
    },
  },
});
