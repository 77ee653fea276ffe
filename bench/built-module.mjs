// Where a bench finds the built module it measures: the file named by its own variable (e.g. LM_REPORT_MODULE), else
// `<subpath>/index.js` (then the root `index.js`) of LM_DIST or of ../dist. Exits with code 2 when there is none.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The built module file of `subpath` (e.g. 'report'), or the file `envVar` names. */
export function builtModuleFile(subpath, envVar) {
  const fromEnv = process.env[envVar];
  if (fromEnv) return isAbsolute(fromEnv) ? fromEnv : resolve(process.cwd(), fromEnv);
  const dist = process.env.LM_DIST ? resolve(process.cwd(), process.env.LM_DIST) : join(root, 'dist');
  for (const candidate of [join(dist, subpath, 'index.js'), join(dist, 'index.js')]) {
    if (existsSync(candidate)) return candidate;
  }
  console.error(`No built ${subpath} module under ${dist}; run npm run build first, or set LM_DIST / ${envVar}.`);
  process.exit(2);
}
