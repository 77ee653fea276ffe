// The invoke module without its optional peer @aws-sdk/client-lambda.
// 1. In-process, with the peer loader mocked to fail as src/internal/peer.ts does: the error reaches the caller
//    unchanged, after input validation and before any send().
// 2. For real: the module bundled into a temporary directory that has no node_modules, so Node's own import of
//    '@aws-sdk/client-lambda' fails with ERR_MODULE_NOT_FOUND and src/internal/peer.ts turns it into
//    MissingPeerDependencyError.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Mock } from 'vitest';
import { isLambdaMeterError } from '../src/errors.js';
import type { MissingPeerDependencyError } from '../src/errors.js';
import { loadLambdaSdk } from '../src/internal/peer.js';
import { invokeMany, invokeWithTail, iterateInvocations } from '../src/invoke/index.js';

vi.mock('../src/internal/peer.js', async () => {
  const { MissingPeerDependencyError: Missing } = await import('../src/errors.js');
  return {
    loadLambdaSdk: vi.fn((usedBy: string) => Promise.reject(new Missing('@aws-sdk/client-lambda', usedBy))),
  };
});

function fakeClient(): { send: Mock<(command: unknown, options?: unknown) => Promise<unknown>> } {
  return { send: vi.fn((_command: unknown, _options?: unknown) => Promise.reject(new Error('send must not be reached'))) };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

afterEach(() => {
  vi.mocked(loadLambdaSdk).mockClear();
});

describe('without @aws-sdk/client-lambda (peer loader mocked)', () => {
  it('invokeWithTail rejects with MissingPeerDependencyError naming the package, without calling send', async () => {
    const client = fakeClient();
    const err = await rejection(invokeWithTail(client, { functionName: 'f' }));
    expect(isLambdaMeterError(err, 'MissingPeerDependencyError')).toBe(true);
    expect((err as MissingPeerDependencyError).packageName).toBe('@aws-sdk/client-lambda');
    expect((err as Error).message).toMatch(/^invokeWithTail needs .*npm install @aws-sdk\/client-lambda$/);
    expect(loadLambdaSdk).toHaveBeenCalledWith('invokeWithTail');
    expect(client.send).not.toHaveBeenCalled();
  });

  it('invokeMany and iterateInvocations reject the same way, naming themselves', async () => {
    const client = fakeClient();
    const many = await rejection(invokeMany(client, { functionName: 'f', count: 3, concurrency: 2 }));
    expect(isLambdaMeterError(many, 'MissingPeerDependencyError')).toBe(true);
    expect((many as Error).message).toMatch(/^invokeMany needs/);
    const iterator = iterateInvocations(client, { functionName: 'f', count: 3 });
    const iterated = await rejection(iterator.next());
    expect((iterated as Error).message).toMatch(/^iterateInvocations needs/);
    expect(client.send).not.toHaveBeenCalled();
  });

  it('reports bad input before trying to load the peer', async () => {
    const err = await rejection(invokeWithTail(fakeClient(), { functionName: '' }));
    expect(isLambdaMeterError(err, 'InvalidInputError')).toBe(true);
    expect(loadLambdaSdk).not.toHaveBeenCalled();
  });
});

describe('without @aws-sdk/client-lambda (real module resolution)', () => {
  it('src/internal/peer.ts turns ERR_MODULE_NOT_FOUND into MissingPeerDependencyError', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lambda-meter-invoke-nopeer-'));
    try {
      // The bundle keeps `@aws-sdk/client-lambda` as a bare import; nothing above the temporary directory provides it.
      await build({
        entryPoints: [fileURLToPath(new URL('../src/invoke/index.ts', import.meta.url))],
        outfile: join(dir, 'invoke.mjs'),
        bundle: true,
        format: 'esm',
        platform: 'node',
        target: 'node20',
        packages: 'external',
        logLevel: 'silent',
      });
      writeFileSync(
        join(dir, 'probe.mjs'),
        `import { invokeWithTail, invokeMany } from './invoke.mjs';
        const client = { send: async () => { throw new Error('send must not be reached'); } };
        const out = [];
        for (const call of [() => invokeWithTail(client, { functionName: 'f' }), () => invokeMany(client, { functionName: 'f', count: 2 })]) {
          try { await call(); out.push('resolved'); } catch (e) { out.push({ name: e.name, packageName: e.packageName, message: e.message, causeCode: e.cause?.code }); }
        }
        console.log(JSON.stringify(out));`,
      );
      const stdout = execFileSync(process.execPath, [join(dir, 'probe.mjs')], { cwd: dir, encoding: 'utf8' });
      const out = JSON.parse(stdout.trim().split('\n').at(-1) ?? '[]') as { name: string; packageName: string; message: string; causeCode: string }[];
      expect(out).toHaveLength(2);
      for (const [i, usedBy] of ['invokeWithTail', 'invokeMany'].entries()) {
        expect(out[i]).toEqual({
          name: 'MissingPeerDependencyError',
          packageName: '@aws-sdk/client-lambda',
          message: `${usedBy} needs the optional peer dependency @aws-sdk/client-lambda; install it with: npm install @aws-sdk/client-lambda`,
          causeCode: 'ERR_MODULE_NOT_FOUND',
        });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
