/**
 * The layering lint rules of eslint.config.js (issue 9 §4): core modules never import pipelines, local, reports, the
 * CLI or the demo; pipelines never import the CLI or the demo; lambda-meter/handler imports nothing but its own files.
 * Runs ESLint's Node API on snippets (the rules fire) and on the source tree (it is clean for them).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, test } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const eslint = new ESLint({ cwd: root });

/** The no-restricted-imports messages ESLint reports for `code` as if it were the file `filePath`. */
async function layeringErrors(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering rules', () => {
  test.each([
    ['src/invoke/x.ts', "import { powerTune } from '../tune/index.js';\nexport const f = powerTune;\n"],
    ['src/report/x.ts', "export { startLocalLambda } from '../local/index.js';\n"],
    ['src/internal/x.ts', "import type { Command } from '../cli/program.js';\nexport type C = Command;\n"],
    ['src/stats/x.ts', "import { renderHtmlReport } from '../reports/index.js';\nexport const r = renderHtmlReport;\n"],
    ['src/cost/x.ts', "import { measureHttp } from '../http/index.js';\nexport const m = measureHttp;\n"],
    ['src/errors.ts', "import { x } from './diagnose/index.js';\nexport const y = x;\n"],
  ])('a core module (%s) importing a pipeline, local, reports or the CLI is an error', async (filePath, code) => {
    const errors = await layeringErrors(code, filePath);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/Core modules .* never import/);
  });

  test('core modules may import each other, errors and internal; a file of their own named like a module is fine', async () => {
    const code =
      "import { parseLog } from '../report/index.js';\nimport { InvalidInputError } from '../errors.js';\n" +
      "import { withRetry } from '../internal/retry.js';\nexport { iterateReports } from './reports.js';\nexport const x = [parseLog, InvalidInputError, withRetry];\n";
    expect(await layeringErrors(code, 'src/insights/x.ts')).toEqual([]);
  });

  test.each([
    ['src/tune/x.ts', "import { runCli } from '../cli/index.js';\nexport const r = runCli;\n"],
    ['src/local/lambda/x.ts', "import { runDemo } from '../../demo/demo.js';\nexport const r = runDemo;\n"],
    ['src/reports/html/x.ts', "export * from '../../cli/format.js';\n"],
  ])('a pipeline (%s) importing the CLI or the demo is an error', async (filePath, code) => {
    const errors = await layeringErrors(code, filePath);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/never import the CLI or the demo/);
  });

  test('a pipeline may import the core', async () => {
    expect(await layeringErrors("import { invokeMany } from '../invoke/index.js';\nexport const i = invokeMany;\n", 'src/tune/x.ts')).toEqual([]);
  });

  test.each([
    "import { InvalidInputError } from '../errors.js';\nexport const e = InvalidInputError;\n",
    "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
    "import middy from '@middy/core';\nexport const m = middy;\n",
  ])('lambda-meter/handler importing anything but its own files is an error: %s', async (code) => {
    const errors = await layeringErrors(code, 'src/handler/x.ts');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/imports nothing but its own files/);
    expect(await layeringErrors("import type { Config } from './options.js';\nexport type C = Config;\n", 'src/handler/x.ts')).toEqual([]);
  });

  test('the source tree is clean for the layering rules', async () => {
    const results = await eslint.lintFiles(['src/**/*.ts']);
    const violations = results.flatMap((r) =>
      r.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => `${r.filePath}:${m.line}: ${m.message}`),
    );
    expect(violations).toEqual([]);
  }, 120_000);
});
