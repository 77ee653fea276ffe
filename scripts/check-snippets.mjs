#!/usr/bin/env node
// Type-checks every ```ts block of the README (and of the docs given as arguments) as a program of its own, against
// the sources, the way a user would paste it: each block must import what it uses and define what it reads.
// Blocks fenced as ```ts fragment are shown as fragments (a type, an option) and are not checked.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const documents = process.argv.length > 2 ? process.argv.slice(2) : ['README.md'];
const out = join(root, '.tmp', 'snippets');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const where = new Map();
let count = 0;
for (const document of documents) {
  const lines = readFileSync(resolve(root, document), 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '```ts') continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end].trim() !== '```') end++;
    const name = `${basename(document, '.md')}-${start + 1}.ts`;
    // `export {}` makes each block a module of its own, so top-level await and its own imports work.
    writeFileSync(join(out, name), `${lines.slice(start, end).join('\n')}\nexport {};\n`);
    where.set(name, `${document}:${start + 1}`);
    count++;
    i = end;
  }
}

writeFileSync(
  join(out, 'tsconfig.json'),
  JSON.stringify({
    extends: relative(out, join(root, 'tsconfig.json')),
    compilerOptions: {
      noEmit: true,
      noUnusedLocals: false,
      baseUrl: '.',
      paths: {
        'lambda-meter': [relative(out, join(root, 'src/index.ts'))],
        'lambda-meter/*': [relative(out, join(root, 'src')) + '/*/index.ts'],
      },
    },
    include: ['./*.ts'],
  }),
);

try {
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(out, 'tsconfig.json')], {
    cwd: root,
    encoding: 'utf8',
    stdio: 'pipe',
  });
  console.log(`snippets: ${count} TypeScript blocks of ${documents.join(', ')} type-check as written`);
} catch (error) {
  const text = String(error.stdout ?? '') + String(error.stderr ?? '');
  // Name each failure by the document line it came from, not the generated file.
  const mapped = text.replace(/(?:\.tmp\/snippets\/)?([\w.-]+\.ts)\((\d+),(\d+)\)/g, (m, file, line) => {
    const origin = where.get(file);
    if (origin === undefined) return m;
    const [doc, first] = origin.split(':');
    return `${doc}:${Number(first) + Number(line) - 1}`;
  });
  console.error(`snippets: TypeScript blocks that do not type-check as written:\n${mapped}`);
  process.exit(1);
}
