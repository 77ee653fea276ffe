// measureHttp against real servers on loopback: node:https with a self-signed certificate and node:http.
//
// The certificate is made in beforeAll with node:crypto alone (test/helpers/self-signed.ts), so the test needs no
// openssl command, and no private key is committed.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createServer as createHttpServer } from 'node:http';
import type { ClientRequest, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { selfSignedCertificate } from './helpers/self-signed.js';
import { HttpRequestError, InvalidInputError, isLambdaMeterError } from '../src/errors.js';
import { measureHttp } from '../src/http/index.js';
import type { HttpMeasureInput, HttpMeasureOptions, HttpSample } from '../src/http/index.js';
import * as root from '../src/index.js';

let certPem = '';
let keyPem = '';
let httpsServer: Server;
let httpServer: Server;
let httpsPort = 0;
let httpPort = 0;

/** What the servers saw during the current test. */
const seen = { requests: 0, active: 0, maxActive: 0, connections: 0, bodyBytes: [] as number[], paths: [] as string[] };

/**
 * The requests of the `/held-*` paths that are being answered: `active` counts a request from its arrival until its
 * response ends (counted down just before, so never after the client could have seen the end and sent another).
 */
const held = { active: 0, maxActive: 0, waiting: [] as ServerResponse[] };

/** One-shot waiters for a client request (by path) to have its response, through Node's `http.client.response.finish` channel. */
const responseWaiters = new Map<string, () => void>();
function onClientResponse(message: unknown): void {
  const path = (message as { request: ClientRequest }).request.path;
  const waiter = responseWaiters.get(path);
  responseWaiters.delete(path);
  waiter?.();
}

/**
 * Resolves once this process's HTTP client has the response to a request of `path`. The channel reports it just
 * before the request's 'response' event, and a promise continues after that event's listeners have run, so the
 * client's response time (the start of its download phase) is then already taken.
 */
function clientHasResponse(path: string): Promise<void> {
  return new Promise((resolve) => responseWaiters.set(path, resolve));
}

function route(req: IncomingMessage, res: ServerResponse): void {
  seen.requests++;
  seen.active++;
  seen.maxActive = Math.max(seen.maxActive, seen.active);
  res.once('close', () => seen.active--);
  const url = new URL(req.url ?? '/', 'http://x');
  seen.paths.push(url.pathname);
  // Numbered per path, so that a request a previous test destroyed, arriving late, cannot shift the pattern.
  const n = seen.paths.filter((p) => p === url.pathname).length;
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    seen.bodyBytes.push(Buffer.concat(chunks).length);
    const hold = Number(url.searchParams.get('hold') ?? 0);
    switch (url.pathname) {
      case '/aws':
        // The headers a Function URL behind API Gateway returns (names as AWS spells them).
        res.writeHead(n % 4 === 0 ? 502 : 200, {
          'x-amzn-RequestId': `req-${n}`,
          'x-amz-apigw-id': `apigw-${n}`,
          'x-amzn-Remapped-Content-Length': '2',
          'content-type': 'text/plain',
        });
        res.end('ok');
        return;
      case '/first-byte-after-50ms':
        setTimeout(() => {
          // On the test's fake monotonic clock, the 50 ms pass here, between the request sent and the first byte.
          if (vi.isFakeTimers()) vi.advanceTimersByTime(50);
          res.end('x');
        }, 50);
        return;
      case '/stream-60ms': {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('a');
        // The rest streams over 60 ms from the moment the client has the response, so all of it lies in the
        // client's download phase however late the client reads the first byte.
        void clientHasResponse(req.url ?? '').then(() => {
          let parts = 0;
          const timer = setInterval(() => {
            parts++;
            if (parts < 3) res.write('b');
            else {
              clearInterval(timer);
              res.end('c');
            }
          }, 20);
        });
        return;
      }
      case '/held-reuse':
      case '/held-new': {
        // Held until a second request is held beside it (or it is the last one, ?of=N), then answered 40 ms later:
        // a client that runs requests concurrently always has two here at once, whatever the timing.
        held.active++;
        held.maxActive = Math.max(held.maxActive, held.active);
        held.waiting.push(res);
        if (held.waiting.length >= 2 || n === Number(url.searchParams.get('of'))) {
          const batch = held.waiting.splice(0);
          setTimeout(() => {
            for (const r of batch) {
              held.active--;
              r.end('held');
            }
          }, 40);
        }
        return;
      }
      case '/cut-odd-bodies':
        res.writeHead(200, { 'content-length': '10' });
        if (n % 2 === 0) {
          res.end('0123456789');
          return;
        }
        res.write('abc');
        setTimeout(() => req.socket.destroy(), 20);
        return;
      case '/hang-first':
        if (n === 1) return; // never answers; the client's timeout ends it
        res.end('late ok');
        return;
      case '/reset-every-3rd':
        if (n % 3 === 0) {
          req.socket.destroy();
          return;
        }
        res.end('ok');
        return;
      default:
        setTimeout(() => res.end(`hello ${n}`), hold);
    }
  });
}

async function listen(server: Server): Promise<number> {
  server.on('connection', () => seen.connections++);
  // No keep-alive timeout (nor its hint to the client): a reused connection stays open however long the machine
  // takes between two requests, so the counts of connections opened do not depend on timing.
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function close(server: Server | undefined): Promise<void> {
  if (server === undefined) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

beforeAll(async () => {
  ({ keyPem, certPem } = selfSignedCertificate());
  httpsServer = createHttpsServer({ key: keyPem, cert: certPem }, route);
  httpServer = createHttpServer(route);
  httpsPort = await listen(httpsServer);
  httpPort = await listen(httpServer);
  subscribe('http.client.response.finish', onClientResponse);
});

afterAll(async () => {
  unsubscribe('http.client.response.finish', onClientResponse);
  await close(httpsServer);
  await close(httpServer);
});

beforeEach(() => {
  Object.assign(seen, { requests: 0, active: 0, maxActive: 0, connections: 0, bodyBytes: [], paths: [] });
});

const https = (path: string, host = '127.0.0.1'): string => `https://${host}:${httpsPort}${path}`;
const http = (path: string, host = '127.0.0.1'): string => `http://${host}:${httpPort}${path}`;

function byConnection(samples: readonly HttpSample[]): Map<number, HttpSample[]> {
  const groups = new Map<number, HttpSample[]>();
  for (const s of samples) groups.set(s.connectionId, [...(groups.get(s.connectionId) ?? []), s]);
  return groups;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('measureHttp: connection reuse', () => {
  it('with reuse, only the first request on each connection connects and handshakes', async () => {
    const r = await measureHttp({ url: https('/'), count: 10, concurrency: 2, ca: certPem });
    expect(r.withoutReuse).toBeUndefined();
    const series = r.withReuse!;
    expect(series.succeeded).toBe(10);
    expect(series.connectionsOpened).toBeGreaterThanOrEqual(1);
    expect(series.connectionsOpened).toBeLessThanOrEqual(2);
    expect(seen.connections).toBe(series.connectionsOpened);
    const groups = byConnection(series.samples);
    expect(groups.size).toBe(series.connectionsOpened);
    for (const [, samples] of groups) {
      const [first, ...rest] = samples;
      expect(first!.socketReused).toBe(false);
      expect(first!.timings.connectMs).toBeGreaterThan(0);
      expect(first!.timings.tlsMs).toBeGreaterThan(0);
      for (const s of rest) {
        expect(s.socketReused).toBe(true);
        expect([s.timings.dnsMs, s.timings.connectMs, s.timings.tlsMs]).toEqual([0, 0, 0]);
      }
    }
    expect(series.samples.filter((s) => s.socketReused)).toHaveLength(10 - series.connectionsOpened);
    for (const s of series.samples) {
      expect(s.statusCode).toBe(200);
      expect(s.bytes).toBeGreaterThan(0);
      expect(s.timings.totalMs).toBeGreaterThan(0);
      expect(s.error).toBeUndefined();
    }
    expect(series.statusCodes).toEqual({ 200: 10 });
    expect(series.errors).toEqual({});
  });

  it('without reuse, every request opens a connection and does a TLS handshake', async () => {
    const r = await measureHttp({ url: https('/'), count: 6, concurrency: 2, reuseConnections: false, ca: certPem });
    expect(r.withReuse).toBeUndefined();
    const series = r.withoutReuse!;
    expect(series.reuseConnections).toBe(false);
    expect(series.connectionsOpened).toBe(6);
    expect(seen.connections).toBe(6);
    expect(new Set(series.samples.map((s) => s.connectionId)).size).toBe(6);
    for (const s of series.samples) {
      expect(s.ok).toBe(true);
      expect(s.socketReused).toBe(false);
      expect(s.timings.dnsMs).toBe(0); // an IP literal
      expect(s.timings.connectMs).toBeGreaterThan(0);
      expect(s.timings.tlsMs).toBeGreaterThan(0);
    }
    expect(series.phases!.tlsMs.min).toBeGreaterThan(0);
  });

  it("'both' runs a series of each kind", async () => {
    const progress: Array<[string, string, number, number | undefined]> = [];
    const r = await measureHttp(
      { url: https('/'), count: 4, concurrency: 1, reuseConnections: 'both', ca: certPem },
      { onProgress: (p) => progress.push([p.operation, p.phase, p.completed, p.total]) },
    );
    expect(r.withReuse!.connectionsOpened).toBe(1);
    expect(r.withoutReuse!.connectionsOpened).toBe(4);
    expect(r.withReuse!.samples).toHaveLength(4);
    expect(r.withoutReuse!.samples).toHaveLength(4);
    expect(seen.requests).toBe(8);
    // One Progress event per request over both series (8 in all), then 'done'.
    expect(progress).toEqual([
      ...[1, 2, 3, 4, 5, 6, 7, 8].map((n) => ['measureHttp', 'requesting', n, 8]),
      ['measureHttp', 'done', 8, 8],
    ]);
    expect(r).toMatchObject({ url: https('/'), method: 'GET', count: 4, concurrency: 1 });
  });
});

describe('measureHttp: phases', () => {
  it('a server that delays its first byte by 50 ms shows in waiting, not download', async () => {
    // The phases are read on a fake monotonic clock that only the server moves, by 50 ms before it answers: they are
    // exact, whatever else the machine is doing (on the real clock a busy machine can stretch any phase).
    vi.useFakeTimers({ toFake: ['hrtime'] });
    let r: Awaited<ReturnType<typeof measureHttp>>;
    try {
      r = await measureHttp({ url: https('/first-byte-after-50ms'), count: 3, ca: certPem });
    } finally {
      vi.useRealTimers();
    }
    for (const s of r.withReuse!.samples) {
      expect(s.timings.waitingMs).toBe(50);
      expect(s.timings.downloadMs).toBe(0);
      expect(s.timings.downloadMs).toBeLessThan(s.timings.waitingMs);
      expect(s.timings.totalMs).toBe(50);
    }
    expect(r.withReuse!.phases!.waitingMs.p50).toBe(50);
  });

  it('a body streamed over 60 ms shows in download', async () => {
    const r = await measureHttp({ url: https('/stream-60ms'), count: 2, ca: certPem });
    for (const s of r.withReuse!.samples) {
      expect(s.timings.downloadMs).toBeGreaterThanOrEqual(50);
      expect(s.bytes).toBe(4);
    }
  });

  it('the phases add up to the total', async () => {
    const r = await measureHttp({ url: https('/', 'localhost'), count: 3, reuseConnections: 'both', ca: certPem });
    for (const s of [...r.withReuse!.samples, ...r.withoutReuse!.samples]) {
      const t = s.timings;
      const sum = t.dnsMs + t.connectMs + t.tlsMs + t.sendMs + t.waitingMs + t.downloadMs;
      expect(sum).toBeLessThanOrEqual(t.totalMs + 1e-6);
      // Only the few event-loop steps between phases are unaccounted for.
      expect(sum).toBeGreaterThan(t.totalMs * 0.5);
    }
  });

  it('a localhost URL has a DNS phase; an IP literal has none', async () => {
    const named = await measureHttp({ url: https('/', 'localhost'), count: 3, reuseConnections: false, ca: certPem });
    for (const s of named.withoutReuse!.samples) expect(s.timings.dnsMs).toBeGreaterThan(0);
    const literal = await measureHttp({ url: https('/'), count: 3, reuseConnections: false, ca: certPem });
    for (const s of literal.withoutReuse!.samples) expect(s.timings.dnsMs).toBe(0);
    const reused = await measureHttp({ url: https('/', 'localhost'), count: 3, ca: certPem });
    expect(reused.withReuse!.samples.map((s) => s.timings.dnsMs > 0)).toEqual([true, false, false]);
  });

  it('plain HTTP works and has no TLS phase', async () => {
    const r = await measureHttp({ url: http('/'), count: 4, reuseConnections: 'both' });
    for (const s of [...r.withReuse!.samples, ...r.withoutReuse!.samples]) {
      expect(s.ok).toBe(true);
      expect(s.timings.tlsMs).toBe(0);
    }
    expect(r.withReuse!.samples[0]!.timings.connectMs).toBeGreaterThan(0);
    for (const s of r.withoutReuse!.samples) expect(s.timings.connectMs).toBeGreaterThan(0);
    expect(r.withReuse!.phases!.tlsMs.max).toBe(0);
  });
});

describe('measureHttp: TLS verification', () => {
  it('the ca option validates the self-signed certificate, by IP and by name', async () => {
    const byIp = await measureHttp({ url: https('/'), count: 1, ca: Buffer.from(certPem) });
    const byName = await measureHttp({ url: https('/', 'localhost'), count: 1, ca: certPem, rejectUnauthorized: true });
    expect(byIp.withReuse!.succeeded + byName.withReuse!.succeeded).toBe(2);
  });

  it('without the CA every request fails with a typed TLS error', async () => {
    const err = await rejection(measureHttp({ url: https('/'), count: 3, concurrency: 2, rejectUnauthorized: true }));
    expect(HttpRequestError.is(err)).toBe(true);
    const e = err as HttpRequestError;
    expect(e.code).toBe('tls');
    expect(e.phase).toBe('tls');
    expect(e.systemCode).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(e.url).toBe(https('/'));
    expect(e.message).toMatch(/every request failed \(3 of 3\)/);
    expect(e.failures).toHaveLength(3);
    for (const f of e.failures) {
      expect(HttpRequestError.is(f)).toBe(true);
      expect([f.code, f.phase, f.systemCode]).toEqual(['tls', 'tls', 'DEPTH_ZERO_SELF_SIGNED_CERT']);
    }
    expect(seen.requests).toBe(0);
  });

  it('rejectUnauthorized: false accepts the certificate without the CA', async () => {
    const r = await measureHttp({ url: https('/'), count: 2, rejectUnauthorized: false });
    expect(r.withReuse!.succeeded).toBe(2);
  });
});

describe('measureHttp: concurrency, abort, failures', () => {
  it('the server never sees more than `concurrency` requests at once', async () => {
    for (const reuseConnections of [true, false]) {
      Object.assign(held, { active: 0, maxActive: 0, waiting: [] });
      const path = reuseConnections ? '/held-reuse' : '/held-new';
      const r = await measureHttp({ url: https(`${path}?of=12`), count: 12, concurrency: 3, reuseConnections, ca: certPem });
      const series = reuseConnections ? r.withReuse! : r.withoutReuse!;
      expect(series.succeeded).toBe(12);
      expect(held.maxActive).toBeLessThanOrEqual(3);
      expect(held.maxActive).toBeGreaterThanOrEqual(2);
      if (reuseConnections) expect(series.connectionsOpened).toBeLessThanOrEqual(3);
    }
  });

  it('an abort stops the run early and rejects with LambdaMeterAbortError', async () => {
    const ac = new AbortController();
    const err = await rejection(
      measureHttp(
        { url: https('/abort?hold=50'), count: 100, concurrency: 2, ca: certPem },
        {
          signal: ac.signal,
          onProgress: (p) => {
            if (p.completed === 2) ac.abort(new Error('enough'));
          },
        },
      ),
    );
    expect(isLambdaMeterError(err, 'LambdaMeterAbortError')).toBe(true);
    expect((err as Error).cause).toEqual(new Error('enough'));
    expect(seen.paths.filter((p) => p === '/abort').length).toBeLessThan(10);
  });

  it('an already aborted signal makes no request', async () => {
    const err = await rejection(measureHttp({ url: https('/pre-aborted'), count: 3, ca: certPem }, { signal: AbortSignal.abort() }));
    expect(isLambdaMeterError(err, 'LambdaMeterAbortError')).toBe(true);
    expect(seen.paths).not.toContain('/pre-aborted');
  });

  it('an exception from onProgress stops the run and is thrown', async () => {
    const boom = new Error('progress failed');
    const err = await rejection(
      measureHttp(
        { url: http('/progress'), count: 20 },
        {
          onProgress: () => {
            throw boom;
          },
        },
      ),
    );
    expect(err).toBe(boom);
    // Counted by path: a request destroyed by the previous test may still reach the server after the reset.
    expect(seen.paths.filter((p) => p === '/progress')).toHaveLength(1);
  });

  it('failed requests are samples, counted by code, while the run succeeds', async () => {
    const r = await measureHttp({ url: http('/reset-every-3rd'), count: 6, reuseConnections: false });
    const series = r.withoutReuse!;
    expect(series.succeeded).toBe(4);
    expect(series.failed).toBe(2);
    expect(series.errors).toEqual({ reset: 2 });
    expect(series.statusCodes).toEqual({ 200: 4 });
    const failed = series.samples.filter((s) => !s.ok);
    expect(failed.map((s) => s.index)).toEqual([2, 5]);
    for (const s of failed) {
      expect(HttpRequestError.is(s.error)).toBe(true);
      expect(s.error!.systemCode).toBe('ECONNRESET');
      expect(s.error!.phase).toBe('waiting');
      expect(s.statusCode).toBeUndefined();
    }
    expect(series.phases!.totalMs.count).toBe(4);
  });

  it('a connection closed in the middle of the body is a reset in the download phase', async () => {
    const r = await measureHttp({ url: http('/cut-odd-bodies'), count: 2, reuseConnections: 'both' });
    for (const series of [r.withReuse!, r.withoutReuse!]) {
      expect(series.samples[1]).toMatchObject({ ok: true, bytes: 10 });
      expect(series.statusCodes).toEqual({ 200: 1 }); // complete responses only
      expect(series.errors).toEqual({ reset: 1 });
      const s = series.samples[0]!;
      expect(s.ok).toBe(false);
      expect(s.statusCode).toBe(200); // the status arrived, the body did not
      expect(s.bytes).toBe(3);
      expect([s.error?.code, s.error?.phase]).toEqual(['reset', 'download']);
      expect(s.timings.waitingMs).toBeGreaterThan(0);
    }
  });

  it('a request that exceeds timeoutMs fails with code timeout', async () => {
    // Request timers and phases on a fake clock that moves only here: the first request times out when 300 ms have
    // passed on it (not at 299), and the others, answered at once, cannot time out however slow the machine is.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'hrtime'] });
    let r: Awaited<ReturnType<typeof measureHttp>>;
    try {
      const run = measureHttp({ url: http('/hang-first'), count: 3, reuseConnections: false }, { timeoutMs: 300 });
      while (!seen.paths.includes('/hang-first')) await new Promise((resolve) => setImmediate(resolve));
      vi.advanceTimersByTime(299);
      for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
      expect(seen.paths.filter((p) => p === '/hang-first')).toHaveLength(1); // the first is still waiting
      vi.advanceTimersByTime(1);
      r = await run;
    } finally {
      vi.useRealTimers();
    }
    const [first, ...rest] = r.withoutReuse!.samples;
    expect(first!.error?.code).toBe('timeout');
    expect(first!.error?.phase).toBe('waiting');
    expect(first!.timings.totalMs).toBe(300);
    expect(rest.every((s) => s.ok)).toBe(true);
    expect(r.withoutReuse!.errors).toEqual({ timeout: 1 });
  });

  it('a refused connection is a connect failure', async () => {
    const probe = createHttpServer();
    const port = await new Promise<number>((resolve) =>
      probe.listen(0, '127.0.0.1', () => resolve((probe.address() as AddressInfo).port)),
    );
    await close(probe);
    const err = await rejection(measureHttp({ url: `http://127.0.0.1:${port}/`, count: 2 }));
    expect(HttpRequestError.is(err)).toBe(true);
    expect((err as HttpRequestError).code).toBe('connect');
    expect((err as HttpRequestError).systemCode).toBe('ECONNREFUSED');
  });
});

describe('measureHttp: requests and responses', () => {
  it('captures Lambda and API Gateway headers and counts status codes', async () => {
    const r = await measureHttp({ url: https('/aws'), count: 8, concurrency: 2, ca: certPem });
    const series = r.withReuse!;
    expect(series.statusCodes).toEqual({ 200: 6, 502: 2 });
    expect(series.succeeded).toBe(8); // a 502 is a response, not a failed request
    for (const s of series.samples) {
      expect(s.requestId).toMatch(/^req-\d+$/);
      expect(s.awsHeaders).toEqual({
        'x-amzn-requestid': s.requestId,
        'x-amz-apigw-id': s.requestId!.replace('req', 'apigw'),
        'x-amzn-remapped-content-length': '2',
      });
    }
    const plain = await measureHttp({ url: https('/'), count: 1, ca: certPem });
    expect(plain.withReuse!.samples[0]).toMatchObject({ requestId: undefined, awsHeaders: {} });
  });

  it('sends the method, headers and body of the input', async () => {
    const body = new Uint8Array(1000).fill(7);
    const r = await measureHttp({
      url: new URL(http('/')),
      method: 'post',
      headers: { 'content-type': 'application/octet-stream', 'x-test': 'yes' },
      body: body.subarray(100, 600),
      count: 2,
    });
    expect(r.method).toBe('POST');
    expect(seen.bodyBytes).toEqual([500, 500]);
    await measureHttp({ url: http('/'), method: 'PUT', body: 'héllo', count: 1 });
    expect(seen.bodyBytes[2]).toBe(6);
  });

  it('samples carry their index, start time and offset', async () => {
    const before = Date.now();
    const r = await measureHttp({ url: http('/'), count: 3 });
    const samples = r.withReuse!.samples;
    expect(samples.map((s) => s.index)).toEqual([0, 1, 2]);
    for (const s of samples) expect(s.startedAt).toBeGreaterThanOrEqual(before);
    expect(samples[2]!.offsetMs).toBeGreaterThan(samples[0]!.offsetMs);
    expect(r.withReuse!.durationMs).toBeGreaterThanOrEqual(samples[2]!.offsetMs);
  });
});

describe('measureHttp: input validation', () => {
  const valid: HttpMeasureInput = { url: 'http://127.0.0.1:9/', count: 1 };
  const cases: Array<[string, unknown]> = [
    ['input', null],
    ['input.url', { ...valid, url: 'ftp://example.com/' }],
    ['input.url', { ...valid, url: 'not a url' }],
    ['input.url', { ...valid, url: 42 }],
    ['input.count', { ...valid, count: 0 }],
    ['input.count', { ...valid, count: 1.5 }],
    ['input.count', { url: valid.url }],
    ['input.concurrency', { ...valid, concurrency: 0 }],
    ['input.reuseConnections', { ...valid, reuseConnections: 'yes' }],
    ['input.method', { ...valid, method: 'GE T' }],
    ['input.headers', { ...valid, headers: 'x' }],
    ['input.headers["x-a"]', { ...valid, headers: { 'x-a': 1 } }],
    ['input.headers["x-a"]', { ...valid, headers: { 'x-a': 'line\nbreak' } }],
    ['input.headers["bad name"]', { ...valid, headers: { 'bad name': 'v' } }],
    ['input.body', { ...valid, body: 12 }],
    ['input.rejectUnauthorized', { ...valid, rejectUnauthorized: 'no' }],
    ['input.ca', { ...valid, ca: 5 }],
  ];
  it.each(cases)('rejects a bad %s', async (field, input) => {
    const err = await rejection(measureHttp(input as HttpMeasureInput));
    expect(InvalidInputError.is(err)).toBe(true);
    expect((err as InvalidInputError).field).toBe(field);
  });
  const badOptions: Array<[string, unknown]> = [
    ['options', null],
    ['options.timeoutMs', { timeoutMs: 0 }],
    ['options.timeoutMs', { timeoutMs: Infinity }],
    ['options.signal', { signal: {} }],
    ['options.onProgress', { onProgress: 'x' }],
  ];
  it.each(badOptions)('rejects bad %s', async (field, options) => {
    const err = await rejection(measureHttp(valid, options as HttpMeasureOptions));
    expect(InvalidInputError.is(err)).toBe(true);
    expect((err as InvalidInputError).field).toBe(field);
  });
});

it('measureHttp comes from lambda-meter/http only; the root re-exports HttpRequestError', () => {
  expect('measureHttp' in root).toBe(false);
  expect(root.HttpRequestError).toBe(HttpRequestError);
});
