import { defineConfig } from 'tsup';

// One entry per public subpath; the shared chunks keep one copy of the error classes per format.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'report/index': 'src/report/index.ts',
    'invoke/index': 'src/invoke/index.ts',
    'insights/index': 'src/insights/index.ts',
    'metrics/index': 'src/metrics/index.ts',
    'cost/index': 'src/cost/index.ts',
    'stats/index': 'src/stats/index.ts',
    'handler/index': 'src/handler/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  splitting: true,
  sourcemap: false,
  clean: true,
  treeshake: true,
  target: 'node20',
  platform: 'node',
  outDir: 'dist',
});
