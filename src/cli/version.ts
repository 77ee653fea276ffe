/**
 * The package's version, read from its package.json at run time: found by walking up from this module, so it is the
 * same from src/cli/ (tests) and from the built dist/cli/.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function moduleDirectory(): string | undefined {
  const url: unknown = import.meta.url;
  if (typeof url === 'string' && url.startsWith('file:')) return path.dirname(fileURLToPath(url));
  // The CommonJS build has no import.meta.
  return typeof __dirname === 'string' ? __dirname : undefined;
}

/**
 * The `version` of the nearest package.json named `lambda-meter` above this module; `'unknown'` if none is found.
 *
 * @example
 * ```ts
 * packageVersion(); // '0.1.0'
 * ```
 */
export function packageVersion(): string {
  let dir = moduleDirectory();
  for (let i = 0; dir !== undefined && i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'lambda-meter' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // no package.json here: look one folder up
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return 'unknown';
}
