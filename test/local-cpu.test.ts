/**
 * local's "memory buys CPU": each environment gets memory / 1,769 MB of one CPU (lambda-facts §3), by cgroup when the
 * machine allows it and by duty cycling otherwise. Nothing here depends on how fast or busy the machine is: the duty
 * cycle is checked on a simulated process with a fake clock, the cgroups by the quota written for a real process, and
 * the real processes only against bounds that load cannot break. bench/local-cpu.mjs measures the real slowdowns.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { InvalidInputError } from '../src/errors.js';
import { invokeWithTail } from '../src/invoke/index.js';
import {
  availableCpuMechanisms,
  burstShare,
  CpuController,
  cpuShare,
  DutyCycle,
  dutyPeriodMs,
  EnvironmentCpu,
  findCgroupDirectories,
  MEMORY_MB_PER_VCPU,
  readProcCpuTimeMs,
  RUNTIME_ALLOWANCE_MS,
} from '../src/local/lambda/cpu.js';
import type { CpuLimit, CpuMechanism, CpuMode, CpuTimers, DutyCycleHost } from '../src/local/lambda/cpu.js';
import { startLocalLambdaCore } from '../src/local/lambda/index.js';
import type { LocalLambdaCore, LocalFunctionDefinition } from '../src/local/lambda/index.js';

const F = 'test/fixtures/functions/';
const LINUX = process.platform === 'linux';
const available = LINUX ? availableCpuMechanisms() : [];
const cgroupMechanisms = available.filter((m) => m !== 'duty-cycle');
/** Duty cycling is tested on every machine that has it; a cgroup mechanism only where it is available. */
const mechanisms: CpuMechanism[] = LINUX ? ['duty-cycle', ...cgroupMechanisms] : [];

/** The state letter of /proc/<pid>/status (R running, S sleeping, T stopped, Z zombie), or undefined when gone. */
function processState(pid: number): string | undefined {
  try {
    return /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface Started {
  readonly core: LocalLambdaCore;
  readonly lambda: LambdaClient;
}

async function start(functions: LocalFunctionDefinition[], cpu: CpuMode, mechanism?: CpuMechanism): Promise<Started> {
  const core = await startLocalLambdaCore({ functions, cpu, ...(mechanism === undefined ? {} : { cpuMechanism: mechanism }) });
  return { core, lambda: new LambdaClient(core.clientConfig()) };
}

async function finish({ core, lambda }: Started): Promise<void> {
  lambda.destroy();
  await core.stop();
}

const cpuBound = (name: string, memorySizeMB: number, timeoutSeconds = 60): LocalFunctionDefinition => ({
  name,
  handler: `${F}cpu-bound.mjs#handler`,
  memorySizeMB,
  timeoutSeconds,
});

describe('shares', () => {
  test('memory / 1,769 MB of one CPU, capped at the machine and at 6 vCPUs', () => {
    expect(cpuShare(MEMORY_MB_PER_VCPU, 2)).toBe(1);
    expect(cpuShare(256, 2)).toBeCloseTo(0.1447, 4);
    expect(cpuShare(10_240, 2)).toBe(2);
    expect(cpuShare(10_240, 64)).toBeCloseTo(5.79, 2);
    expect(cpuShare(20_000, 64)).toBe(6);
    expect(cpuShare(128)).toBeCloseTo(128 / 1769, 6);
  });

  test('the burst share of an on-demand Init and of the runtime allowance: at least one vCPU, capped at the machine', () => {
    expect(burstShare(128, 2)).toBe(1);
    expect(burstShare(1769, 2)).toBe(1);
    expect(burstShare(3000, 2)).toBeCloseTo(3000 / 1769, 6);
    expect(burstShare(10_240, 2)).toBe(2);
    expect(burstShare(128, 1)).toBe(1);
  });

  test('the duty period keeps a running slice of about 4 ms within 20-50 ms', () => {
    expect(dutyPeriodMs(cpuShare(128, 2))).toBe(50);
    expect(dutyPeriodMs(cpuShare(256, 2))).toBeCloseTo(4 / (256 / 1769), 6);
    expect(dutyPeriodMs(cpuShare(1024, 2))).toBe(20);
  });

  test.runIf(LINUX)('CPU time of a process from /proc/<pid>/stat', () => {
    const before = readProcCpuTimeMs(process.pid) as number;
    expect(before).toBeGreaterThan(0);
    // Busy until 30 ms of CPU show (however long a loaded machine takes to give them).
    const end = Date.now() + 10_000;
    while ((readProcCpuTimeMs(process.pid) as number) < before + 30 && Date.now() < end) Math.sqrt(Math.random());
    expect(readProcCpuTimeMs(process.pid)).toBeGreaterThanOrEqual(before + 30);
    expect(readProcCpuTimeMs(2 ** 30)).toBeUndefined();
  });
});

describe('finding a mechanism', () => {
  const roots: string[] = [];
  afterAll(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  /** A fake /proc and cgroup tree: mountinfo and cgroup files, and the cgroup directories as plain folders. */
  function fakeProc(mounts: string[], membership: string[]): string {
    const root = mkdtempSync(path.join(os.tmpdir(), 'lambda-meter-cpu-'));
    roots.push(root);
    mkdirSync(path.join(root, 'proc', 'self'), { recursive: true });
    writeFileSync(path.join(root, 'proc', 'self', 'mountinfo'), mounts.map((m) => m.replaceAll('$ROOT', root)).join('\n'));
    writeFileSync(path.join(root, 'proc', 'self', 'cgroup'), membership.join('\n'));
    return root;
  }

  test('cgroup v1 cpu (co-mounted with cpuacct) and cgroup v2 directories, container paths included', () => {
    const root = fakeProc(
      [
        '31 30 0:28 / $ROOT/cg/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct',
        '34 30 0:31 / $ROOT/cg/memory rw,relatime - cgroup cgroup rw,memory',
        '40 30 0:37 /docker/abc $ROOT/cg/unified\\040dir rw,relatime - cgroup2 cgroup2 rw',
      ],
      ['4:memory:/x', '2:cpu,cpuacct:/build/7', '0::/docker/abc/job'],
    );
    expect(findCgroupDirectories(path.join(root, 'proc'))).toEqual({
      cgroup1: path.join(root, 'cg/cpu,cpuacct/build/7'),
      cgroup2: path.join(root, 'cg/unified dir/job'),
    });
    expect(findCgroupDirectories(path.join(root, 'nowhere'))).toEqual({});
  });

  test('cgroup2 is chosen first when its cpu controller is there and delegated; a forced mechanism must exist', () => {
    const root = fakeProc(['40 30 0:37 / $ROOT/cg rw - cgroup2 cgroup2 rw'], ['0::/me']);
    const dir = path.join(root, 'cg', 'me');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'cgroup.controllers'), 'cpuset io memory pids\n');
    writeFileSync(path.join(dir, 'cgroup.subtree_control'), '');
    const procRoot = path.join(root, 'proc');
    expect(availableCpuMechanisms({ procRoot })).toEqual(['duty-cycle']);
    expect(() => new CpuController({ mechanism: 'cgroup2', procRoot })).toThrow(InvalidInputError);

    writeFileSync(path.join(dir, 'cgroup.controllers'), 'cpuset cpu io memory pids\n');
    expect(availableCpuMechanisms({ procRoot })).toEqual(['cgroup2', 'duty-cycle']);
    // The probe delegated the controller to its children.
    expect(readFileSync(path.join(dir, 'cgroup.subtree_control'), 'utf8')).toBe('+cpu');

    // Empty cgroups left by processes that ended without stopping their service are removed; a running one's stay.
    const dead = 2 ** 22 + 7; // above Linux's largest pid
    for (const name of [`lambda-meter-${dead}-1-3`, `lambda-meter-probe-${dead}-2`, `lambda-meter-${process.pid}-99-1`, 'unrelated']) {
      mkdirSync(path.join(dir, name));
    }
    const cpu = new CpuController({ procRoot });
    // (In this fake tree the probes' files keep their folders: rmdir of a real cgroup ignores its control files.)
    const kept = readdirSync(dir).filter((f) => !f.startsWith('cgroup.') && !f.startsWith(`lambda-meter-probe-${process.pid}-`));
    expect(kept).toEqual([`lambda-meter-${process.pid}-99-1`, 'unrelated']);
    rmSync(path.join(dir, `lambda-meter-${process.pid}-99-1`), { recursive: true });
    rmSync(path.join(dir, 'unrelated'), { recursive: true });
    expect(cpu.info).toMatchObject({ mode: 'proportional', mechanism: 'cgroup2', cgroupParent: dir });
    const limit = cpu.attach(4242, 256);
    expect(limit).toMatchObject({ mechanism: 'cgroup2', share: cpuShare(256) });
    const created = readdirSync(dir).filter((f) => f.startsWith(`lambda-meter-${process.pid}-`));
    expect(created).toHaveLength(1);
    const quotaUs = Math.round(cpuShare(256) * 20_000);
    expect(readFileSync(path.join(dir, created[0] as string, 'cpu.max'), 'utf8')).toBe(`${quotaUs} 20000`);
    expect(readFileSync(path.join(dir, created[0] as string, 'cgroup.procs'), 'utf8')).toBe('4242');
    limit.release();
    limit.release();
    return cpu.close();
  });

  test('cgroup2: an on-demand Init gets one vCPU, the function its share from the first /next on, each invocation an allowance', async () => {
    const root = fakeProc(['40 30 0:37 / $ROOT/cg rw - cgroup2 cgroup2 rw'], ['0::/me']);
    const dir = path.join(root, 'cg', 'me');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'cgroup.controllers'), 'cpu memory\n');
    writeFileSync(path.join(dir, 'cgroup.subtree_control'), 'cpu\n');
    const cpu = new CpuController({ procRoot: path.join(root, 'proc') });
    const limit = cpu.attach(4242, 128, { initBurst: true });
    // The function's cgroup (its share, written once) and a sibling with one vCPU for the Init and the allowance.
    const [own, burst] = environmentCgroups(dir);
    const read = (d: string, file: string): string => (existsSync(path.join(d, file)) ? readFileSync(path.join(d, file), 'utf8') : '');
    /** Where the runtime process was last moved: the fake tree keeps the last pid written to each cgroup.procs. */
    const moves: string[] = [];
    const where = (): string => {
      const at = [own, burst].filter((d) => read(d, 'cgroup.procs') === '4242');
      for (const d of [own, burst]) writeFileSync(path.join(d, 'cgroup.procs'), ''); // the kernel moves it out
      return at.map((d) => (d === own ? 'own' : 'burst')).join();
    };
    const quotaUs = Math.round(cpuShare(128) * 20_000);
    expect(read(own, 'cpu.max')).toBe(`${quotaUs} 20000`);
    expect(read(burst, 'cpu.max')).toBe('20000 20000');
    expect(limit).toMatchObject({ mechanism: 'cgroup2', share: 1, inInit: true });
    moves.push(where());
    limit.endInit();
    expect(limit.share).toBe(cpuShare(128));
    moves.push(where());
    limit.beginInvocation();
    moves.push(where());
    limit.handlerStart();
    moves.push(where());
    limit.handlerEnd();
    moves.push(where());
    limit.endInvocation();
    moves.push(where());
    expect(moves).toEqual(['burst', 'own', 'burst', 'own', 'burst', 'own']);
    // The function's quota was never rewritten, so its accounting runs on across invocations.
    expect(read(own, 'cpu.max')).toBe(`${quotaUs} 20000`);
    limit.release();
    // Without initBurst (a suppressed init re-run inside an invocation), the share applies from the start.
    const rerun = cpu.attach(4243, 128);
    expect(rerun).toMatchObject({ share: cpuShare(128), inInit: false });
    rerun.release();
    await cpu.close();
  });

  test('cgroup1: the same phases move the process between cpu.cfs_quota_us cgroups, with a 20 ms period', async () => {
    const root = fakeProc(['32 31 0:29 / $ROOT/cg/cpu rw,relatime - cgroup cgroup rw,cpu'], ['1:cpu:/']);
    const dir = path.join(root, 'cg', 'cpu');
    mkdirSync(dir, { recursive: true });
    const cpu = new CpuController({ procRoot: path.join(root, 'proc'), mechanism: 'cgroup1' });
    const limit = cpu.attach(4242, 512, { initBurst: true });
    const [own, burst] = environmentCgroups(dir);
    const read = (d: string, file: string): string => readFileSync(path.join(d, file), 'utf8');
    for (const d of [own, burst]) expect(read(d, 'cpu.cfs_period_us')).toBe('20000');
    expect(read(burst, 'cpu.cfs_quota_us')).toBe('20000');
    expect(read(own, 'cpu.cfs_quota_us')).toBe(String(Math.round(cpuShare(512) * 20_000)));
    expect(read(burst, 'cgroup.procs')).toBe('4242');
    limit.endInit();
    expect(read(own, 'cgroup.procs')).toBe('4242');
    expect(read(own, 'cpu.cfs_quota_us')).toBe(String(Math.round(cpuShare(512) * 20_000)));
    limit.release();
    await cpu.close();
  });

  test('options are checked; unlimited needs no mechanism', () => {
    expect(() => new CpuController({ mode: 'half' as CpuMode })).toThrow(/options\.cpu: must be 'proportional' or 'unlimited'/);
    expect(() => new CpuController({ mechanism: 'nice' as CpuMechanism })).toThrow(/options\.cpuMechanism/);
    const cpu = new CpuController({ mode: 'unlimited' });
    expect(cpu.info.mechanism).toBe('none');
    expect(cpu.attach(process.pid, 128)).toMatchObject({ mechanism: 'none' });
  });
});

/**
 * The two cgroups one environment gets under `dir`: the function's own (its share, written once) and its `-burst`
 * sibling (one vCPU, for the Init and the runtime allowance). Fails the test unless there are exactly those two.
 */
function environmentCgroups(dir: string): [own: string, burst: string] {
  const created = readdirSync(dir).filter((f) => f.startsWith(`lambda-meter-${process.pid}-`) && !f.includes('probe')).sort();
  expect(created).toHaveLength(2);
  const [own, burst] = created.map((f) => path.join(dir, f)) as [string, string];
  expect(burst).toBe(`${own}-burst`);
  return [own, burst];
}

/**
 * A simulated process group under a duty cycle, on a fake clock: while it is not stopped it uses CPU at the rate
 * `demand(t)` (1 = a busy thread), and its CPU time reads in /proc's 10 ms ticks. Everything is deterministic.
 */
class SimulatedGroup implements DutyCycleHost {
  time = 0;
  cpuUsedMs = 0;
  stopped = false;
  stops = 0;
  gone = false;
  private timers: { at: number; callback: () => void }[] = [];

  constructor(private readonly demand: (timeMs: number) => number) {}

  now(): number {
    return this.time;
  }

  cpuTimeMs(): number | undefined {
    return this.gone ? undefined : Math.floor(this.cpuUsedMs / 10) * 10;
  }

  signal(_pgid: number, signal: 'SIGSTOP' | 'SIGCONT'): void {
    if (this.gone) throw new Error('ESRCH');
    if (signal === 'SIGSTOP' && !this.stopped) this.stops++;
    this.stopped = signal === 'SIGSTOP';
  }

  setTimer(callback: () => void, delayMs: number): unknown {
    const timer = { at: this.time + delayMs, callback };
    this.timers.push(timer);
    return timer;
  }

  clearTimer(timer: unknown): void {
    this.timers = this.timers.filter((t) => t !== timer);
  }

  /** Runs the clock to `untilMs` in steps of at most 0.1 ms, firing timers when due. */
  run(untilMs: number): void {
    while (this.time < untilMs) {
      const next = Math.min(untilMs, this.time + 0.1, ...this.timers.map((t) => t.at));
      if (!this.stopped) this.cpuUsedMs += this.demand(this.time) * (next - this.time);
      this.time = next;
      for (const timer of this.timers.filter((t) => t.at <= this.time)) {
        this.clearTimer(timer);
        timer.callback();
      }
    }
  }
}

describe('the duty cycle, on a simulated process and a fake clock', () => {
  test.each([128, 256, 512, 1024, 1536])('a busy process at %i MB gets memory / 1,769 MB of one CPU', (memorySizeMB) => {
    const group = new SimulatedGroup(() => 1);
    const share = cpuShare(memorySizeMB, 2);
    const cycle = new DutyCycle(4242, share, dutyPeriodMs(share), group);
    try {
      group.run(1_000);
      const atOneSecond = group.cpuUsedMs;
      group.run(11_000);
      // Over 10 s after the first: within 3% of the share (the 10 ms tick and the one-slice burst are the error).
      const got = (group.cpuUsedMs - atOneSecond) / 10_000;
      expect(Math.abs(got - share) / share, `got ${got.toFixed(4)} of one CPU, share ${share.toFixed(4)}`).toBeLessThan(0.03);
      expect(group.stops).toBeGreaterThan(10);
    } finally {
      cycle.release();
    }
    // release() continues a group it left stopped.
    expect(group.stopped).toBe(false);
  });

  test('time an I/O-bound process spends waiting is not charged: 2 ms of CPU per 100 ms at 128 MB is never stopped', () => {
    // 2% of a CPU against a share of 7.2%.
    const group = new SimulatedGroup((t) => (t % 100 < 2 ? 1 : 0));
    const cycle = new DutyCycle(4242, cpuShare(128, 2), dutyPeriodMs(cpuShare(128, 2)), group);
    try {
      group.run(10_000);
      expect(group.stops).toBe(0);
      // (The simulation's 0.1 ms steps blur the edges of each burst a little.)
      expect(Math.abs(group.cpuUsedMs - 200)).toBeLessThan(1);
    } finally {
      cycle.release();
    }
  });

  test('a process that turns busy after waiting is held to its share from then on', () => {
    const group = new SimulatedGroup((t) => (t < 5_000 ? 0 : 1));
    const share = cpuShare(256, 2);
    const cycle = new DutyCycle(4242, share, dutyPeriodMs(share), group);
    try {
      group.run(5_000);
      expect(group.stops).toBe(0);
      group.run(15_000);
      expect(Math.abs(group.cpuUsedMs / 10_000 - share) / share).toBeLessThan(0.03);
    } finally {
      cycle.release();
    }
  });

  test('an Init burst runs a busy group free at one vCPU; its share holds it from setShare on, the burst CPU uncharged', () => {
    const group = new SimulatedGroup(() => 1);
    const share = cpuShare(128, 2);
    const cycle = new DutyCycle(4242, burstShare(128, 2), undefined, group);
    try {
      expect(cycle.share).toBe(1);
      group.run(1_000);
      expect(group.stops).toBe(0);
      expect(group.cpuUsedMs).toBeCloseTo(1_000, 6);
      cycle.setShare(share);
      expect(cycle.share).toBe(share);
      group.run(11_000);
      const got = (group.cpuUsedMs - 1_000) / 10_000;
      expect(Math.abs(got - share) / share, `got ${got.toFixed(4)} of one CPU, share ${share.toFixed(4)}`).toBeLessThan(0.03);
      expect(group.stops).toBeGreaterThan(10);
    } finally {
      cycle.release();
    }
  });

  test('setShare(1) continues a stopped group at once; back at its share, it keeps the debt it had', () => {
    const group = new SimulatedGroup(() => 1);
    const share = cpuShare(128, 2);
    const cycle = new DutyCycle(4242, share, dutyPeriodMs(share), group);
    try {
      while (!group.stopped) group.run(group.time + 1);
      cycle.setShare(1);
      expect(group.stopped).toBe(false);
      const freeFrom = group.cpuUsedMs;
      group.run(group.time + 4);
      expect(group.cpuUsedMs - freeFrom).toBeCloseTo(4, 6);
      const stopsBefore = group.stops;
      cycle.setShare(share);
      // Still in debt from before the allowance: stopped at the next check.
      group.run(group.time + 20);
      expect(group.stops).toBe(stopsBefore + 1);
    } finally {
      cycle.release();
    }
    expect(group.stopped).toBe(false);
  });

  test('a group that is gone ends its own cycle', () => {
    const group = new SimulatedGroup(() => 1);
    const cycle = new DutyCycle(4242, cpuShare(128, 2), 50, group);
    group.run(500);
    group.gone = true;
    group.run(1_000);
    // No timer is left: the cycle released itself when a signal found no group.
    const time = group.time;
    group.run(2_000);
    expect(group.time).toBe(2_000);
    expect(time).toBe(1_000);
    expect((group as unknown as { timers: unknown[] }).timers).toEqual([]);
    cycle.release();
  });
});

/** A limit that records every share it is given. */
class RecordingLimit implements CpuLimit {
  readonly mechanism = 'cgroup1';
  readonly shares: number[];
  released = false;
  constructor(public share: number) {
    this.shares = [share];
  }
  setShare(share: number): void {
    this.share = share;
    this.shares.push(share);
  }
  release(): void {
    this.released = true;
  }
}

/** Timers on a fake clock: `advance` fires those that are due. */
class FakeTimers implements CpuTimers {
  time = 0;
  private timers: { at: number; callback: () => void }[] = [];
  setTimer(callback: () => void, delayMs: number): unknown {
    const timer = { at: this.time + delayMs, callback };
    this.timers.push(timer);
    return timer;
  }
  clearTimer(timer: unknown): void {
    this.timers = this.timers.filter((t) => t !== timer);
  }
  get pending(): number {
    return this.timers.length;
  }
  advance(ms: number): void {
    this.time += ms;
    for (const timer of this.timers.filter((t) => t.at <= this.time)) {
      this.clearTimer(timer);
      timer.callback();
    }
  }
}

describe("an environment's CPU over its life, on a recording limit and fake timers", () => {
  const share = cpuShare(128, 2);
  const burst = burstShare(128, 2);

  test('on-demand Init at one vCPU; the share from the first /next; an allowance the handler outlasts', () => {
    const limit = new RecordingLimit(burst);
    const timers = new FakeTimers();
    const cpu = new EnvironmentCpu(limit, share, burst, { initBurst: true }, timers);
    expect(cpu).toMatchObject({ share: 1, inInit: true, allowanceMs: RUNTIME_ALLOWANCE_MS });
    cpu.endInit();
    expect(cpu).toMatchObject({ share, inInit: false });
    cpu.endInit();
    // A CPU-bound handler: one vCPU for the allowance, then its share until the response.
    cpu.beginInvocation();
    expect(cpu.share).toBe(1);
    timers.advance(RUNTIME_ALLOWANCE_MS - 1);
    expect(cpu.share).toBe(1);
    timers.advance(1);
    expect(cpu.share).toBe(share);
    timers.advance(1_000);
    cpu.endInvocation();
    expect(limit.shares).toEqual([1, share, 1, share]);
    cpu.release();
    expect(limit.released).toBe(true);
  });

  test('a no-op answers inside the allowance: back to the share at the response, no timer left', () => {
    const limit = new RecordingLimit(share);
    const timers = new FakeTimers();
    const cpu = new EnvironmentCpu(limit, share, burst, {}, timers);
    expect(cpu).toMatchObject({ share, inInit: false });
    for (let i = 0; i < 3; i++) {
      cpu.beginInvocation();
      timers.advance(1);
      cpu.endInvocation();
      expect(timers.pending).toBe(0);
    }
    expect(limit.shares).toEqual([share, 1, share, 1, share, 1, share]);
  });

  test('the first invocation ends a burst Init that endInit did not; no allowance when it is 0 or buys nothing', () => {
    const limit = new RecordingLimit(burst);
    const timers = new FakeTimers();
    const cpu = new EnvironmentCpu(limit, share, burst, { initBurst: true, allowanceMs: 0 }, timers);
    cpu.beginInvocation();
    cpu.endInvocation();
    expect(limit.shares).toEqual([1, share]);
    const big = new RecordingLimit(burstShare(3538, 2));
    const large = new EnvironmentCpu(big, cpuShare(3538, 2), burstShare(3538, 2), {}, timers);
    large.beginInvocation();
    large.endInvocation();
    expect(big.shares).toEqual([2]);
  });

  test("with the handler marked, only the runtime client's work runs at one vCPU: the handler at its share", () => {
    const limit = new RecordingLimit(share);
    const timers = new FakeTimers();
    const cpu = new EnvironmentCpu(limit, share, burst, {}, timers);
    // Reading the event at one vCPU; the handler starts before the allowance is over: its share at once.
    cpu.beginInvocation();
    timers.advance(0.3);
    cpu.handlerStart();
    expect(cpu.share).toBe(share);
    expect(timers.pending).toBe(0);
    // A long CPU-bound handler keeps its share however long it runs (no timer brings the burst back).
    timers.advance(5_000);
    expect(cpu.share).toBe(share);
    // The response at one vCPU, then the share at the end of the invocation.
    cpu.handlerEnd();
    expect(cpu.share).toBe(1);
    timers.advance(0.2);
    cpu.endInvocation();
    expect(cpu.share).toBe(share);
    expect(limit.shares).toEqual([share, 1, share, 1, share]);
    // A response that takes longer than the allowance is held to the share after it; a late mark is ignored.
    cpu.beginInvocation();
    cpu.handlerStart();
    cpu.handlerEnd();
    timers.advance(RUNTIME_ALLOWANCE_MS);
    expect(cpu.share).toBe(share);
    cpu.endInvocation();
    cpu.handlerEnd();
    cpu.handlerStart();
    expect(limit.shares).toEqual([share, 1, share, 1, share, 1, share, 1, share]);
    expect(timers.pending).toBe(0);
  });

  test('a released environment changes nothing and leaves no timer', () => {
    const limit = new RecordingLimit(share);
    const timers = new FakeTimers();
    const cpu = new EnvironmentCpu(limit, share, burst, {}, timers);
    cpu.beginInvocation();
    cpu.release();
    expect(timers.pending).toBe(0);
    cpu.beginInvocation();
    cpu.endInvocation();
    expect(limit.shares).toEqual([share, 1]);
  });
});

describe.runIf(LINUX)("lambda-meter's runtime client marks the handler", () => {
  test('each invocation: one handler start and one handler end reach the environment, in that order', async () => {
    const calls: string[] = [];
    const start_ = vi.spyOn(EnvironmentCpu.prototype, 'handlerStart').mockImplementation(function () {
      calls.push('start');
    });
    const end = vi.spyOn(EnvironmentCpu.prototype, 'handlerEnd').mockImplementation(function () {
      calls.push('end');
    });
    const started = await start([{ name: 'noop', handler: `${F}sleep.mjs#handler`, memorySizeMB: 128 }], 'proportional', 'duty-cycle');
    try {
      for (let i = 0; i < 3; i++) await invokeWithTail(started.lambda, { functionName: 'noop', payload: {} });
      // The marks travel on their own pipe: wait until the three pairs are in.
      await vi.waitFor(() => expect(calls).toHaveLength(6), { timeout: 5_000 });
      expect(calls).toEqual(['start', 'end', 'start', 'end', 'start', 'end']);
    } finally {
      start_.mockRestore();
      end.mockRestore();
      await finish(started);
    }
  }, 60_000);
});

describe.runIf(LINUX)('memory buys CPU', () => {
  test.each(cgroupMechanisms)('with %s: the environment runs in a cgroup whose quota is memory / 1,769 MB of one CPU', async (mechanism) => {
    const started = await start([{ name: 'small', handler: `${F}sleep.mjs#handler`, memorySizeMB: 256 }], 'proportional', mechanism);
    try {
      const { core, lambda } = started;
      expect(core.service.cpuControl).toMatchObject({ mode: 'proportional', mechanism });
      const pid = ((await invokeWithTail(lambda, { functionName: 'small', payload: {} })).json() as { pid: number }).pid;
      const parent = core.service.cpuControl.cgroupParent as string;
      const mine = readdirSync(parent).filter((f) => f.startsWith(`lambda-meter-${process.pid}-`));
      const holding = mine.filter((dir) => readFileSync(path.join(parent, dir, 'cgroup.procs'), 'utf8').split('\n').includes(String(pid)));
      expect(holding).toHaveLength(1);
      const dir = path.join(parent, holding[0] as string);
      const quotaUs = Math.round(cpuShare(256) * 20_000);
      if (mechanism === 'cgroup2') {
        expect(readFileSync(path.join(dir, 'cpu.max'), 'utf8').trim()).toBe(`${quotaUs} 20000`);
      } else {
        expect(readFileSync(path.join(dir, 'cpu.cfs_period_us'), 'utf8').trim()).toBe('20000');
        expect(readFileSync(path.join(dir, 'cpu.cfs_quota_us'), 'utf8').trim()).toBe(String(quotaUs));
      }
    } finally {
      await finish(started);
    }
  }, 60_000);

  test.each(cgroupMechanisms)('with %s: the Init phase runs at one vCPU, the warm environment at its share', async (mechanism) => {
    const probe = await start([], 'proportional', mechanism);
    const parent = probe.core.service.cpuControl.cgroupParent as string;
    await finish(probe);
    const started = await start(
      [{ name: 'quota', handler: `${F}cpu-quota.mjs#handler`, memorySizeMB: 128, environment: { CPU_QUOTA_PARENT: parent } }],
      'proportional',
      mechanism,
    );
    try {
      const { core, lambda } = started;
      const cold = await invokeWithTail(lambda, { functionName: 'quota', payload: {} });
      const { pid, initQuota } = cold.json() as { pid: number; initQuota: string };
      // Read while the module loaded, before the runtime's first /next: one whole vCPU.
      expect(initQuota).toBe('20000');
      const dir = readdirSync(parent)
        .filter((f) => f.startsWith(`lambda-meter-${process.pid}-`))
        .map((f) => path.join(parent, f))
        .find((d) => readFileSync(path.join(d, 'cgroup.procs'), 'utf8').split('\n').includes(String(pid)));
      expect(dir).toBeDefined();
      const quota = readFileSync(path.join(dir as string, mechanism === 'cgroup2' ? 'cpu.max' : 'cpu.cfs_quota_us'), 'utf8').trim().split(' ')[0];
      // Between invocations (the response is in): the share of 128 MB.
      expect(quota).toBe(String(Math.round(cpuShare(128) * 20_000)));
      expect(core.service.environments()).toHaveLength(1);
    } finally {
      await finish(started);
    }
  }, 60_000);

  test.each(cgroupMechanisms)('with %s: a CPU-bound process gets no more than its share of one CPU', async (mechanism) => {
    const started = await start([cpuBound('small', 256)], 'proportional', mechanism);
    try {
      const { lambda } = started;
      const cold = await invokeWithTail(lambda, { functionName: 'small', payload: { rounds: 1 } });
      const pid = (cold.json() as { pid: number }).pid;
      const windowStart = performance.now();
      const before = readProcCpuTimeMs(pid) as number;
      const warm = await invokeWithTail(lambda, { functionName: 'small', payload: { rounds: 20_000 } });
      const cpuMs = (readProcCpuTimeMs(pid) as number) - before;
      const windowMs = performance.now() - windowStart;
      // An upper bound that load cannot break: the kernel grants the cgroup its quota per 20 ms period and no more, so
      // over the window the process used at most share × window, plus one period's quota and two 10 ms ticks of
      // /proc's resolution (30 ms in all), plus the invocation's runtime allowance (one vCPU for 4 ms at most). Load
      // only lengthens the window. Unlimited, the process would have used about its whole Duration as CPU: seven
      // times the bound on a quiet machine.
      expect(cpuMs).toBeGreaterThan(0);
      expect(cpuMs, `${cpuMs} ms of CPU in a ${windowMs.toFixed(0)} ms window (Duration ${warm.report?.durationMs} ms)`).toBeLessThanOrEqual(
        cpuShare(256) * windowMs + 30 + RUNTIME_ALLOWANCE_MS,
      );
    } finally {
      await finish(started);
    }
  }, 120_000);

  test.each(mechanisms)('with %s: stop() in mid-invocation leaves no process, stopped or running, and no cgroup', async (mechanism) => {
    const started = await start([cpuBound('busy', 128)], 'proportional', mechanism);
    const { core, lambda } = started;
    const cold = await invokeWithTail(lambda, { functionName: 'busy', payload: { rounds: 1 } });
    const pid = (cold.json() as { pid: number }).pid;
    const running = invokeWithTail(lambda, { functionName: 'busy', payload: { rounds: 10_000_000 } }, { retry: { maxAttempts: 1 } }).catch(
      () => undefined,
    );
    if (mechanism === 'duty-cycle') {
      // Catch it stopped, so that stop() has to continue it before it can die.
      const end = Date.now() + 10_000;
      while (processState(pid) !== 'T' && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(processState(pid)).toBe('T');
    } else {
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    await finish(started);
    await running;
    expect(processExists(pid)).toBe(false);
    expect(processState(pid)).toBeUndefined();
    const parent = core.service.cpuControl.cgroupParent;
    if (parent !== undefined) expect(readdirSync(parent).filter((f) => f.startsWith(`lambda-meter-${process.pid}-`))).toEqual([]);
  }, 60_000);

  test('a timeout kills a duty-cycled process, stopped or not', async () => {
    const started = await start([cpuBound('slow', 128, 1)], 'proportional', 'duty-cycle');
    try {
      const result = await invokeWithTail(started.lambda, { functionName: 'slow', payload: { rounds: 10_000_000 } });
      expect(result.report?.status).toBe('timeout');
      const pids = started.core.service.environments().map((e) => e.pid);
      for (const pid of pids) if (pid !== undefined) expect(processState(pid)).not.toBe('T');
    } finally {
      await finish(started);
    }
  }, 30_000);
});
