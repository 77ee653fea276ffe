import type { Plugin } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { defineConfig } from 'tsup';

// The root entry re-exports lambda-meter/handler from its built file instead of bundling the handler's sources, so
// that code is reachable from one entry only and code splitting never moves it into a shared chunk:
// dist/handler/index.js and index.cjs stay self-contained (test/handler.test.ts checks it).
const handlerFromItsOwnFile: Plugin = {
  name: 'lambda-meter-handler-from-its-own-file',
  setup(build) {
    // tsup builds both formats as ESM with code splitting and converts the CJS output afterwards; the output
    // extension tells the two builds apart.
    const extension = build.initialOptions.outExtension?.['.js'] ?? '.js';
    build.onResolve({ filter: /^\.\/handler\/index\.js$/ }, (args) =>
      /[\\/]src[\\/]index\.ts$/.test(args.importer) ? { path: `./handler/index${extension}`, external: true } : undefined,
    );
  },
};

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
    'local/index': 'src/local/index.ts',
    'tune/index': 'src/tune/index.ts',
    'compare/index': 'src/compare/index.ts',
    'coldstarts/index': 'src/coldstarts/index.ts',
    'diagnose/index': 'src/diagnose/index.ts',
    'http/index': 'src/http/index.ts',
    'reports/index': 'src/reports/index.ts',
    'cli/index': 'src/cli/index.ts',
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
  esbuildPlugins: [handlerFromItsOwnFile],
  // local's execution environments run this file as a plain Node.js program, so it ships as is, next to the chunks
  // (src/local/lambda/runtime-client.ts finds it there).
  async onSuccess() {
    await mkdir('dist/runtime', { recursive: true });
    await copyFile('src/local/runtime/bootstrap.mjs', 'dist/runtime/bootstrap.mjs');
    // The demo's example functions (examples/functions/ is their source of truth); src/demo/functions.ts finds them.
    await mkdir('dist/demo/functions', { recursive: true });
    for (const file of ['cpu.mjs', 'io.mjs']) await copyFile(`examples/functions/${file}`, `dist/demo/functions/${file}`);
  },
});
