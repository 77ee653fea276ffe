/**
 * Retry in one layer: a real `LambdaClient` pointed at a local HTTP server that throttles every Invoke, counting the
 * HTTP requests one `invokeWithTail` call makes. lambda-meter's `retry.maxAttempts` bounds them all, the SDK client's
 * own retries included.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RetryExhaustedError } from '../src/errors.js';
import type { Progress } from '../src/internal/options.js';
import { withRetry } from '../src/internal/retry.js';
import { invokeWithTail } from '../src/invoke/index.js';

let server: Server;
let endpoint = '';
let requests = 0;
let retryAfter: string | undefined;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests++;
      res.writeHead(429, {
        'content-type': 'application/json',
        'x-amzn-errortype': 'TooManyRequestsException',
        'x-amzn-requestid': `req-${requests}`,
        ...(retryAfter === undefined ? {} : { 'retry-after': retryAfter }),
      });
      res.end(JSON.stringify({ message: 'Rate exceeded', Reason: 'CallerRateLimitExceeded', Type: 'User' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  requests = 0;
  retryAfter = undefined;
});

/** A real client; `sdkAttempts` is its own maxAttempts, with the SDK's standard strategy and a 1 ms back-off. */
function lambdaClient(sdkAttempts?: number): LambdaClient {
  return new LambdaClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    // The SDK's default is 3 attempts; only its back-off is shortened, so the test is fast.
    retryStrategy: new ConfiguredRetryStrategy(sdkAttempts ?? 3, () => 1),
  });
}

const fast = { baseDelayMs: 1, maxDelayMs: 2, random: () => 0 };

async function throttledCall(client: LambdaClient, retry: Record<string, unknown>, onProgress?: (p: Progress) => void): Promise<RetryExhaustedError> {
  const err = await invokeWithTail(client, { functionName: 'hello' }, { retry: { ...fast, ...retry }, ...(onProgress ? { onProgress } : {}) }).then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RetryExhaustedError);
  return err as RetryExhaustedError;
}

describe('retry in one layer: at most retry.maxAttempts HTTP requests per call', () => {
  it('a default SDK client (3 attempts) gets 2 sends = 6 HTTP requests with the default 8', async () => {
    const client = lambdaClient();
    try {
      const retries: Progress[] = [];
      const err = await throttledCall(client, {}, (p) => retries.push(p));
      expect(requests).toBe(6);
      expect(err.attempts).toBe(6);
      expect(err.operation).toBe('Lambda.Invoke');
      expect(err.message).toContain('after 6 attempts');
      expect((err.cause as Error).name).toBe('TooManyRequestsException');
      // One re-send, reported once, after the first send's 3 requests.
      expect(retries.map((p) => [p.phase, p.retry?.operation, p.retry?.attempt])).toEqual([['retrying', 'Invoke', 3]]);
    } finally {
      client.destroy();
    }
  });

  it('a client with maxAttempts 1 gets up to 8 sends = 8 HTTP requests', async () => {
    const client = lambdaClient(1);
    try {
      const err = await throttledCall(client, {});
      expect(requests).toBe(8);
      expect(err.attempts).toBe(8);
    } finally {
      client.destroy();
    }
  });

  it('retry.maxAttempts 2 stops the SDK client after 2 HTTP requests, though it would make 3', async () => {
    const client = lambdaClient();
    try {
      const err = await throttledCall(client, { maxAttempts: 2 });
      expect(requests).toBe(2);
      expect(err.attempts).toBe(2);
    } finally {
      client.destroy();
    }
  });

  it('retry.maxAttempts 1 makes exactly one HTTP request', async () => {
    const client = lambdaClient();
    try {
      const err = await throttledCall(client, { maxAttempts: 1 });
      expect(requests).toBe(1);
      expect(err.attempts).toBe(1);
    } finally {
      client.destroy();
    }
  });

  it('bounds other totals the same way: 7 with a 3-attempt client is 2 sends of 3, then no room for a third', async () => {
    const client = lambdaClient();
    try {
      expect((await throttledCall(client, { maxAttempts: 7 })).attempts).toBe(6);
      expect(requests).toBe(6);
      requests = 0;
      // 4 with a 3-attempt client: the first send makes 3; a second would need 3 more.
      expect((await throttledCall(client, { maxAttempts: 4 })).attempts).toBe(3);
      expect(requests).toBe(3);
    } finally {
      client.destroy();
    }
  });

  it("waits at least the service's Retry-After between sends", async () => {
    retryAfter = '0.05';
    const client = lambdaClient(1);
    try {
      const delays: number[] = [];
      await throttledCall(client, { maxAttempts: 2 }, (p) => p.retry && delays.push(p.retry.delayMs));
      expect(requests).toBe(2);
      expect(delays).toEqual([50]);
    } finally {
      client.destroy();
    }
  });

  it("counts a mock's failed send as one attempt when it reports no $metadata.attempts", async () => {
    let sends = 0;
    const throttle = Object.assign(new Error('slow down'), { name: 'TooManyRequestsException' });
    const err = await withRetry(
      'Lambda.Invoke',
      () => {
        sends++;
        return Promise.reject(throttle);
      },
      { retry: { ...fast, maxAttempts: 5 } },
    ).catch((e: unknown) => e);
    expect(sends).toBe(5);
    expect((err as RetryExhaustedError).attempts).toBe(5);
  });

  it('reads the SDK attempts of a failed send from $metadata.attempts', async () => {
    let sends = 0;
    const throttle = Object.assign(new Error('slow down'), { name: 'ThrottlingException', $metadata: { attempts: 3 } });
    const err = await withRetry(
      'Lambda.Invoke',
      () => {
        sends++;
        return Promise.reject(throttle);
      },
      { retry: { ...fast, maxAttempts: 8 } },
    ).catch((e: unknown) => e);
    expect(sends).toBe(2);
    expect((err as RetryExhaustedError).attempts).toBe(6);
  });
});
