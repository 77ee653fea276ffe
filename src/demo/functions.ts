/**
 * Where the demo's example functions live: `examples/functions/` in a checkout (the source of truth), copied to
 * `dist/demo/functions/` by the build, so the published package can run the demo too.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of this module, in ESM (import.meta.url) and in CommonJS builds (__dirname). */
function moduleDirectory(): string {
  const url: unknown = import.meta.url;
  if (typeof url === 'string' && url.startsWith('file:')) return path.dirname(fileURLToPath(url));
  return typeof __dirname === 'string' ? __dirname : process.cwd();
}

/**
 * The demo functions' folder: the first of `functions/`, `demo/functions/` and `../demo/functions/` (the build:
 * a `dist/demo` entry, a root chunk, a nested entry such as `dist/cli`) and `../../examples/functions/` (the
 * sources, `src/demo/`, or an example bundle in `.tmp/examples/`) from this module's folder that holds `cpu.mjs`.
 */
export function demoFunctionsDirectory(from: string = moduleDirectory()): string {
  const candidates = [
    path.join(from, 'functions'),
    path.join(from, 'demo', 'functions'),
    path.join(from, '..', 'demo', 'functions'),
    path.join(from, '..', '..', 'examples', 'functions'),
  ];
  return candidates.find((dir) => existsSync(path.join(dir, 'cpu.mjs'))) ?? (candidates[3] as string);
}
