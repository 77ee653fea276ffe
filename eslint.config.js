import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** The core modules: what a benchmark script needs, exported from the package root. */
const CORE_MODULES = ['report', 'invoke', 'insights', 'metrics', 'cost', 'stats', 'internal'];
/** Modules built on the core: pipelines, the emulator and the reports. */
const PIPELINE_MODULES = ['tune', 'coldstarts', 'diagnose', 'http', 'reports', 'local', 'compare'];
/** What a core module (or src/errors.ts) never imports. */
const NOT_FROM_CORE = [...PIPELINE_MODULES, 'cli', 'demo'];
const CORE_MESSAGE =
  'Core modules (report, invoke, insights, metrics, cost, stats, internal, errors.ts) never import pipelines, local, reports, the CLI or the demo (docs/architecture.md).';

export default tseslint.config(
  { ignores: ['dist/**', 'coverage/**', 'docs/api/**', 'node_modules/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // The layering (docs/architecture.md): core modules never import pipelines, local, reports, the CLI or the demo;
  // pipelines and local never import the CLI or the demo; lambda-meter/handler imports nothing but its own files.
  // test/layering.test.ts checks that these rules fire and that the tree is clean.
  {
    files: [`src/{${CORE_MODULES.join(',')}}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: `^(\\.\\./)+(${NOT_FROM_CORE.join('|')})(/|\\.js$|$)`, message: CORE_MESSAGE }] }] },
  },
  {
    files: ['src/errors.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: `^\\./(${NOT_FROM_CORE.join('|')})(/|\\.js$|$)`, message: CORE_MESSAGE }] }] },
  },
  {
    files: [`src/{${PIPELINE_MODULES.join(',')}}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(\\.\\./)+(cli|demo)(/|\\.js$|$)', message: 'Pipelines, local and reports never import the CLI or the demo (docs/architecture.md).' }] },
      ],
    },
  },
  {
    files: ['src/handler/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\./)',
              message: 'lambda-meter/handler runs inside Lambda functions and imports nothing but its own files: no other module, no node: built-in, no package.',
            },
          ],
        },
      ],
    },
  },
);
