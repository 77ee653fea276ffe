// Runs one of the TypeScript examples without a separate compile step: bundles examples/<name>.ts with esbuild,
// resolving `lambda-meter` and `lambda-meter/<module>` to this checkout's sources, into .tmp/, then runs it.
// Usage: npm run example -- <name> [args...]      e.g. npm run example -- summarize-log examples/logs/cold-and-warm.log
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const [name, ...args] = process.argv.slice(2);
const available = readdirSync(here).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3));
if (!name || !available.includes(name)) {
  console.error(`usage: npm run example -- <name> [args...]\nexamples: ${available.join(', ')}`);
  process.exit(2);
}

const toSource = {
  name: 'lambda-meter-source',
  setup(b) {
    b.onResolve({ filter: /^lambda-meter(\/[a-z]+)?$/ }, (resolveArgs) => {
      const sub = resolveArgs.path.split('/')[1];
      const file = sub ? join(root, 'src', sub, 'index.ts') : join(root, 'src', 'index.ts');
      if (!existsSync(file)) return { errors: [{ text: `no module ${resolveArgs.path}` }] };
      return { path: file };
    });
  },
};

const outfile = join(root, '.tmp', 'examples', `${name}.mjs`);
await build({
  entryPoints: [join(here, `${name}.ts`)],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  plugins: [toSource],
  logLevel: 'warning',
});
// lambda-meter/local runs its runtime client as a file; in this bundle src/local/lambda/runtime-client.ts looks for it
// in runtime/ next to the bundle, as it finds dist/runtime/bootstrap.mjs next to the built chunks.
mkdirSync(join(dirname(outfile), 'runtime'), { recursive: true });
copyFileSync(join(root, 'src', 'local', 'runtime', 'bootstrap.mjs'), join(dirname(outfile), 'runtime', 'bootstrap.mjs'));
const run = spawnSync(process.execPath, [outfile, ...args], { stdio: 'inherit' });
process.exit(run.status ?? 1);
