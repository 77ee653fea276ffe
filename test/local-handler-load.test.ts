/**
 * local: a handler that cannot be loaded fails every invocation as Lambda's init errors do: FunctionError 'Unhandled',
 * a `{ errorType, errorMessage }` payload, INIT_REPORT lines with `Status: error` and a REPORT line with the error
 * type. Error types as aws-lambda-nodejs-runtime-interface-client reports them (UserFunction.js): a missing module is
 * `Runtime.ImportModuleError`, a missing export `Runtime.HandlerNotFound`, a syntax error
 * `Runtime.UserCodeSyntaxError`, and an error thrown while the module loads is passed on as thrown.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { invokeWithTail } from '../src/invoke/index.js';
import type { TailInvocation } from '../src/invoke/index.js';
import { startLocalLambda } from '../src/local/index.js';
import type { LocalLambda } from '../src/local/index.js';

let dir: string;
let local: LocalLambda;
let lambda: LambdaClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lm-handler-load-'));
  writeFileSync(join(dir, 'throws.mjs'), "throw new TypeError('config is not set');\n");
  writeFileSync(join(dir, 'other-export.mjs'), 'export const other = async () => 1;\n');
  writeFileSync(join(dir, 'syntax.mjs'), 'export const handler = async () => {;\n');
  writeFileSync(join(dir, 'ok.mjs'), 'export const handler = async () => ({ ok: true });\n');
  local = await startLocalLambda({
    functions: [
      // A folder that does not exist (the README's example run from another directory).
      { name: 'missing-folder', handler: join(dir, 'functions', 'resize.mjs') + '#handler' },
      { name: 'missing-file', handler: join(dir, 'resize.mjs') + '#handler' },
      { name: 'missing-lambda-form', handler: 'resize.handler', taskRoot: dir },
      { name: 'missing-export', handler: join(dir, 'other-export.mjs') + '#handler' },
      { name: 'syntax', handler: join(dir, 'syntax.mjs') + '#handler' },
      { name: 'throws', handler: join(dir, 'throws.mjs') + '#handler' },
      { name: 'ok', handler: join(dir, 'ok.mjs') + '#handler' },
    ],
  });
  lambda = new LambdaClient(local.clientConfig());
}, 30_000);

afterAll(async () => {
  lambda?.destroy();
  await local?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function errorPayload(result: TailInvocation): { errorType?: unknown; errorMessage?: unknown } {
  return JSON.parse(Buffer.from(result.payload).toString('utf8')) as { errorType?: unknown; errorMessage?: unknown };
}

/** Checks the init failure's invocation, payload and log tail; returns the error message. */
function expectInitFailure(result: TailInvocation, errorType: string): string {
  expect(result.functionError).toBe('Unhandled');
  expect(result.errorType).toBe(errorType);
  const payload = errorPayload(result);
  expect(payload.errorType).toBe(errorType);
  expect(typeof payload.errorMessage).toBe('string');
  expect(result.log).toMatch(new RegExp(`INIT_REPORT Init Duration: [\\d.]+ ms\\tPhase: init\\tStatus: error\\tError Type: ${errorType.replace('.', '\\.')}`));
  expect(result.log).toMatch(new RegExp(`INIT_REPORT Init Duration: [\\d.]+ ms\\tPhase: invoke\\tStatus: error\\tError Type: ${errorType.replace('.', '\\.')}`));
  expect(result.report?.status).toBe('error');
  expect(result.report?.errorType).toBe(errorType);
  return payload.errorMessage as string;
}

describe('a handler that cannot be loaded', () => {
  test('in a folder that does not exist: Runtime.ImportModuleError naming the file', async () => {
    const result = await invokeWithTail(lambda, { functionName: 'missing-folder', payload: {} });
    const message = expectInitFailure(result, 'Runtime.ImportModuleError');
    expect(message).toContain(`Cannot find module '${join(dir, 'functions', 'resize.mjs')}'`);
    expect(result.log).not.toMatch(/could not start the runtime/);
  }, 30_000);

  test('a missing file (path#export): Runtime.ImportModuleError', async () => {
    const result = await invokeWithTail(lambda, { functionName: 'missing-file', payload: {} });
    expect(expectInitFailure(result, 'Runtime.ImportModuleError')).toContain(`Cannot find module '${join(dir, 'resize.mjs')}'`);
  }, 30_000);

  test("a missing file (Lambda's file.export form): Runtime.ImportModuleError", async () => {
    const result = await invokeWithTail(lambda, { functionName: 'missing-lambda-form', payload: {} });
    expect(expectInitFailure(result, 'Runtime.ImportModuleError')).toContain("Cannot find module 'resize'");
  }, 30_000);

  test('a missing export: Runtime.HandlerNotFound', async () => {
    const result = await invokeWithTail(lambda, { functionName: 'missing-export', payload: {} });
    expect(expectInitFailure(result, 'Runtime.HandlerNotFound')).toMatch(/handler is undefined or not exported/);
  }, 30_000);

  test('a syntax error: Runtime.UserCodeSyntaxError', async () => {
    const result = await invokeWithTail(lambda, { functionName: 'syntax', payload: {} });
    expect(expectInitFailure(result, 'Runtime.UserCodeSyntaxError')).toMatch(/SyntaxError/);
  }, 30_000);

  test('a module that throws while it loads: the thrown error, as the Node.js runtime interface client passes it on', async () => {
    const result = await invokeWithTail(lambda, { functionName: 'throws', payload: {} });
    expect(expectInitFailure(result, 'TypeError')).toBe('config is not set');
  }, 30_000);

  test('a function that loads is unaffected', async () => {
    const result = await invokeWithTail(lambda, { functionName: 'ok', payload: {} });
    expect(result.functionError).toBeUndefined();
    expect(JSON.parse(Buffer.from(result.payload).toString('utf8'))).toEqual({ ok: true });
    expect(result.report?.initDurationMs).toBeGreaterThan(0);
  }, 30_000);
});
