/**
 * Where lambda-meter's own runtime client (`bootstrap.mjs`) lives: next to the sources
 * (`src/local/runtime/bootstrap.mjs`) or next to the built files (`dist/runtime/bootstrap.mjs`).
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
 * The runtime client's path: the first of `../runtime/bootstrap.mjs`, `runtime/bootstrap.mjs` and
 * `../../runtime/bootstrap.mjs` from this module's folder that exists (sources, a root chunk of the build, a nested
 * entry of the build).
 */
export function defaultBootstrapPath(from: string = moduleDirectory()): string {
  const candidates = [
    path.join(from, '..', 'runtime', 'bootstrap.mjs'),
    path.join(from, 'runtime', 'bootstrap.mjs'),
    path.join(from, '..', '..', 'runtime', 'bootstrap.mjs'),
  ];
  return candidates.find((file) => existsSync(file)) ?? (candidates[0] as string);
}
