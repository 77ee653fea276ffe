// local's nodePath (the Node.js binary that runs the runtime clients) and coldPageCache (the machine's page cache
// emptied before each on-demand Init). The cache drops are counted through a stand-in dropper, so no test here
// touches the machine's caches.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { InvalidInputError } from '../src/errors.js';
import type { LocalResponse } from '../src/local/http.js';
import { resolveNodeExecutable } from '../src/local/lambda/environment.js';
import { LambdaService } from '../src/local/lambda/index.js';
import { defaultBootstrapPath } from '../src/local/lambda/runtime-client.js';
import { openPageCacheDropper } from '../src/local/lambda/page-cache.js';
import type { PageCacheDropper } from '../src/local/lambda/page-cache.js';
import { cli } from './helpers/cli.js';
import { invalid } from './helpers/common.js';

const F = 'test/fixtures/functions/';
let dir: string;
const services: LambdaService[] = [];

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'lambda-meter-node-cache-'));
});
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function service(...args: ConstructorParameters<typeof LambdaService>): LambdaService {
  const s = new LambdaService(...args);
  services.push(s);
  return s;
}

async function invoke(s: LambdaService, name: string): Promise<{ response: LocalResponse; log: string }> {
  const response = await s.handle({
    method: 'POST',
    url: `/2015-03-31/functions/${name}/invocations`,
    headers: { 'x-amz-log-type': 'Tail' },
    body: Buffer.from('{}'),
  });
  const tail = response.headers['x-amz-log-result'];
  return { response, log: typeof tail === 'string' ? Buffer.from(tail, 'base64').toString('utf8') : '' };
}

/** A dropper that records what it was asked to drop, and fails while `failing` is set. */
function recordingDropper(): PageCacheDropper & { failing: boolean; readonly calls: string[][] } {
  const calls: string[][] = [];
  return {
    mode: 'runtime',
    failing: false,
    calls,
    get drops() {
      return calls.length;
    },
    async drop(files) {
      if (this.failing) throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      calls.push([...files]);
    },
  };
}

/** A stand-in `dd` that appends its arguments to `log` and exits with `code`. */
function fakeDd(name: string, log: string, code = 0): string {
  const bin = path.join(dir, name);
  writeFileSync(bin, `#!/bin/sh\necho "$*" >> '${log}'\n${code === 0 ? '' : 'echo "dd: invalid input flag: nocache" >&2\n'}exit ${code}\n`);
  chmodSync(bin, 0o755);
  return bin;
}

describe('openPageCacheDropper', () => {
  test("'machine' writes 3 to the drop_caches file at each drop, and counts them", async () => {
    const file = path.join(dir, 'drop_caches');
    writeFileSync(file, '');
    const dropper = openPageCacheDropper('machine', process.execPath, { dropCachesFile: file, platform: 'linux' });
    expect(dropper.mode).toBe('machine');
    expect(dropper.drops).toBe(0);
    await dropper.drop([]);
    expect(readFileSync(file, 'utf8')).toBe('3');
    writeFileSync(file, '');
    await dropper.drop(['/ignored']);
    expect(readFileSync(file, 'utf8')).toBe('3');
    expect(dropper.drops).toBe(2);
  });

  test("'machine' names the option, the file and the reason when it cannot write", () => {
    const missing = invalid(() => openPageCacheDropper('machine', process.execPath, { dropCachesFile: path.join(dir, 'no-such-folder', 'drop_caches'), platform: 'linux' }));
    expect(missing.field).toBe('options.coldPageCache');
    expect(missing.message).toContain('no-such-folder');
    expect(missing.message).toContain('ENOENT');
    expect(missing.message).toContain("'runtime' needs no root");
    const elsewhere = invalid(() => openPageCacheDropper('runtime', process.execPath, { platform: 'darwin' }));
    expect(elsewhere.field).toBe('options.coldPageCache');
    expect(elsewhere.message).toContain('needs Linux');
  });

  test("'runtime' probes dd once on the runtime's binary, then runs it on each file of each drop", async () => {
    const log = path.join(dir, 'dd-log');
    writeFileSync(log, '');
    const dropper = openPageCacheDropper('runtime', '/opt/node24/bin/node', { dd: fakeDd('dd-ok', log), platform: 'linux' });
    await dropper.drop(['/opt/node24/bin/node', '/var/task/index.mjs']);
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual([
      'if=/opt/node24/bin/node iflag=nocache count=0 status=none',
      'if=/opt/node24/bin/node iflag=nocache count=0 status=none',
      'if=/var/task/index.mjs iflag=nocache count=0 status=none',
    ]);
    expect(dropper.drops).toBe(1);
  });

  test("'runtime' with a dd that lacks iflag=nocache is refused at start, with dd's message", () => {
    const error = invalid(() => openPageCacheDropper('runtime', process.execPath, { dd: fakeDd('dd-busybox', path.join(dir, 'dd-log-2'), 1), platform: 'linux' }));
    expect(error.field).toBe('options.coldPageCache');
    expect(error.message).toContain('GNU dd');
    expect(error.message).toContain('invalid input flag: nocache');
    const none = invalid(() => openPageCacheDropper('runtime', process.execPath, { dd: path.join(dir, 'no-dd'), platform: 'linux' }));
    expect(none.message).toContain('ENOENT');
  });

  test("'runtime' with this machine's dd drops a file without changing it (on Linux; elsewhere it is refused)", async () => {
    const file = path.join(dir, 'cached.txt');
    writeFileSync(file, 'kept as it is');
    if (process.platform !== 'linux') {
      expect(invalid(() => openPageCacheDropper('runtime', file)).message).toContain('needs Linux');
      return;
    }
    const dropper = openPageCacheDropper('runtime', file);
    await dropper.drop([file]);
    expect(readFileSync(file, 'utf8')).toBe('kept as it is');
    expect(dropper.drops).toBe(1);
  });
});

describe('coldPageCache', () => {
  test("drops the environment's own files before each on-demand Init, not before warm invocations", async () => {
    const pageCache = recordingDropper();
    const s = service({ cpu: 'unlimited', coldPageCache: 'runtime', functions: [{ name: 'hello', handler: `${F}hello.mjs#handler` }] }, { pageCache });
    const cold = await invoke(s, 'hello');
    expect(cold.response.status).toBe(200);
    expect(cold.log).toMatch(/Init Duration: \d+\.\d\d ms/);
    expect(pageCache.calls).toEqual([[process.execPath, defaultBootstrapPath(), path.resolve(`${F}hello.mjs`)]]);
    const warm = await invoke(s, 'hello');
    expect(warm.log).not.toContain('Init Duration');
    expect(pageCache.drops).toBe(1);
    // Two at once: the second needs a new environment, which starts cold.
    const [a, b] = await Promise.all([invoke(s, 'hello'), invoke(s, 'hello')]);
    expect([a, b].filter((r) => r.log.includes('Init Duration'))).toHaveLength(1);
    expect(pageCache.drops).toBe(2);
  });

  test('a failed Init run again inside the invoke keeps the caches of its environment', async () => {
    const pageCache = recordingDropper();
    const marker = path.join(dir, 'flaky-marker');
    const s = service(
      { cpu: 'unlimited', coldPageCache: 'machine', functions: [{ name: 'flaky', handler: `${F}flaky-init.mjs#handler`, environment: { MARKER_FILE: marker } }] },
      { pageCache },
    );
    const run = await invoke(s, 'flaky');
    expect(String(run.response.body)).toBe('"recovered"');
    expect(run.log).toContain('INIT_REPORT');
    expect(pageCache.drops).toBe(1);
  });

  test('a drop that fails fails the invocation and leaves no environment behind', async () => {
    const pageCache = recordingDropper();
    pageCache.failing = true;
    const s = service({ cpu: 'unlimited', coldPageCache: 'runtime', functions: [{ name: 'hello', handler: `${F}hello.mjs#handler` }] }, { pageCache });
    const run = await invoke(s, 'hello');
    expect(run.response.status).toBeGreaterThanOrEqual(500);
    expect(String(run.response.body)).toContain('EACCES');
    expect(s.environments().filter((e) => e.state !== 'stopped')).toEqual([]);
    pageCache.failing = false;
    const again = await invoke(s, 'hello');
    expect(again.response.status).toBe(200);
    expect(again.log).toContain('Init Duration');
    expect(pageCache.drops).toBe(1);
  });

  test("'runtime' or 'machine' only; the default dropper is checked when the service is created", () => {
    expect(invalid(() => new LambdaService({ coldPageCache: true as unknown as 'runtime' })).field).toBe('options.coldPageCache');
    expect(invalid(() => new LambdaService({ coldPageCache: 'yes' as 'runtime' })).message).toContain("must be 'runtime' or 'machine'");
    const refused = invalid(() => new LambdaService({ coldPageCache: 'machine' }, { pageCacheTargets: { dropCachesFile: path.join(dir, 'nowhere', 'drop_caches') } }));
    expect(refused.field).toBe('options.coldPageCache');
  });
});

describe('nodePath', () => {
  /** A stand-in Node.js: prints `version` for --version, else records that it ran and runs the real Node.js. */
  function fakeNode(version: string): { bin: string; ran: string } {
    const bin = path.join(dir, `node-${version}`);
    const ran = path.join(dir, `ran-${version}`);
    writeFileSync(
      bin,
      `#!/bin/sh\nif [ "$1" = "--version" ]; then echo ${version}; exit 0; fi\necho ran > '${ran}'\nexec '${process.execPath}' "$@"\n`,
    );
    chmodSync(bin, 0o755);
    return { bin, ran };
  }

  test('the default is the Node.js running local', () => {
    expect(resolveNodeExecutable(undefined)).toEqual({ executable: process.execPath, version: process.versions.node });
  });

  test("runs the runtime client on the binary given, and reports its version as the function's runtime", async () => {
    const { bin, ran } = fakeNode('v24.0.3');
    expect(resolveNodeExecutable(bin)).toEqual({ executable: bin, version: '24.0.3' });
    const s = service({ cpu: 'unlimited', nodePath: bin, functions: [{ name: 'hello', handler: `${F}hello.mjs#handler` }] });
    const config = await s.handle({ method: 'GET', url: '/2015-03-31/functions/hello/configuration', headers: {}, body: Buffer.alloc(0) });
    expect(JSON.parse(String(config.body))).toMatchObject({ Runtime: 'nodejs24.x' });
    const run = await invoke(s, 'hello');
    expect(run.response.status).toBe(200);
    expect(run.log).toContain('INIT_START Runtime Version: nodejs:24.v0\t');
    expect(existsSync(ran)).toBe(true);
  });

  test('names what is wrong with a path that is not a Node.js binary', () => {
    const missing = invalid(() => new LambdaService({ nodePath: path.join(dir, 'no-node') }));
    expect(missing.field).toBe('options.nodePath');
    const notNode = path.join(dir, 'not-node');
    writeFileSync(notNode, '#!/bin/sh\necho hello\n');
    chmodSync(notNode, 0o755);
    const wrong = invalid(() => new LambdaService({ nodePath: notNode }));
    expect(wrong.field).toBe('options.nodePath');
    expect(wrong.message).toContain('"hello\\n"');
    expect(invalid(() => new LambdaService({ nodePath: 7 as unknown as string })).field).toBe('options.nodePath');
  });

  test('does not apply to a runtimeClient command', () => {
    const { bin } = fakeNode('v22.1.0');
    const error = invalid(() => new LambdaService({ nodePath: bin, runtimeClient: { command: '/bin/true', args: [] } }));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.field).toBe('options.nodePath');
  });
});

describe('the CLI flags --node and --cold-page-cache', () => {
  const HELLO = `hello=${F}hello.mjs#handler`;

  test('--node runs the functions of --endpoint local on that binary', async () => {
    const bin = path.join(dir, 'node-cli');
    const ran = path.join(dir, 'ran-cli');
    writeFileSync(bin, `#!/bin/sh\nif [ "$1" = "--version" ]; then echo v24.2.0; exit 0; fi\necho ran > '${ran}'\nexec '${process.execPath}' "$@"\n`);
    chmodSync(bin, 0o755);
    const run = await cli(['invoke', 'hello', '--endpoint', 'local', '--function', HELLO, '--node', bin, '--json']);
    expect(run.code).toBe(0);
    expect(existsSync(ran)).toBe(true);
  });

  test("--cold-page-cache alone is 'runtime' mode, which needs no root: the cold start runs after dd drops its files", async () => {
    const run = await cli(['invoke', 'hello', '--endpoint', 'local', '--function', HELLO, '--cold-page-cache', '--json']);
    if (process.platform !== 'linux') {
      expect(run.code).toBe(2);
      expect(run.err).toContain('--cold-page-cache: needs Linux');
      return;
    }
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject([{ report: { coldStart: true } }]);
  });

  test('a bad --node is named as the flag; both flags need --endpoint local', async () => {
    const bad = await cli(['invoke', 'hello', '--endpoint', 'local', '--function', HELLO, '--node', path.join(dir, 'no-node')]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--node: must be the path of a Node.js binary');
    const served = await cli(['local', '--function', HELLO, '--node', path.join(dir, 'no-node')]);
    expect(served.code).toBe(2);
    expect(served.err).toContain('lambda-meter local: --node: must be the path');
    const mode = await cli(['invoke', 'hello', '--endpoint', 'local', '--function', HELLO, '--cold-page-cache', 'all']);
    expect(mode.code).toBe(2);
    expect(mode.err).toContain(`--cold-page-cache: must be 'runtime' or 'machine', got "all"`);
    for (const flag of [['--node', process.execPath], ['--cold-page-cache']]) {
      const alone = await cli(['invoke', 'hello', ...flag]);
      expect(alone.code).toBe(2);
      expect(alone.err).toContain(`${flag[0]}: only applies with --endpoint local`);
    }
  });
});
